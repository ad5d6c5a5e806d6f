"""HTTP routes of the v1 contract, all under /api/v1."""

from __future__ import annotations

from fastapi import APIRouter

from pos_backend.api import (
    batch,
    members,
    refunds,
    sales,
    shifts,
    staff,
    station,
    tills,
    transactions,
    writeoffs,
)
from pos_backend.api import orders as counter_orders

router = APIRouter(prefix="/api/v1")
router.include_router(tills.router)
router.include_router(station.router)
router.include_router(transactions.router)
router.include_router(sales.router)
router.include_router(batch.router)
router.include_router(members.router)
router.include_router(writeoffs.router)
router.include_router(staff.router)
router.include_router(refunds.router)
router.include_router(counter_orders.router)
router.include_router(shifts.router)

__all__ = ["router"]
