"""HTTP routes of the v1 contract, all under /api/v1."""

from __future__ import annotations

from fastapi import APIRouter

from pos_backend.api import batch, members, sales, station, tills, transactions

router = APIRouter(prefix="/api/v1")
router.include_router(tills.router)
router.include_router(station.router)
router.include_router(transactions.router)
router.include_router(sales.router)
router.include_router(batch.router)
router.include_router(members.router)

__all__ = ["router"]
