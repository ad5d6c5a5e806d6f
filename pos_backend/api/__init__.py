"""HTTP routes of the v1 contract, all under /api/v1."""

from __future__ import annotations

from fastapi import APIRouter

from pos_backend.api import station, tills, transactions

router = APIRouter(prefix="/api/v1")
router.include_router(tills.router)
router.include_router(station.router)
router.include_router(transactions.router)

__all__ = ["router"]
