"""Payable transactions at the till: lock, unlock, clear (each applied once per Idempotency-Key)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request, Response
from sqlalchemy.orm import Session

from pos_backend import audit, transactions
from pos_backend.api.deps import (
    Ctx,
    CurrentStaff,
    IdempotencyKey,
    StaffAuth,
    dump,
    require_role,
    respond,
)
from pos_backend.api.tills import ERRORS
from pos_backend.clock import utc_now
from pos_backend.idempotency import request_hash, run_once
from pos_backend.models import PumpTransaction
from pos_backend.schemas import ClearRequest, TransactionOut
from pos_backend.wire import transaction_json

router = APIRouter(prefix="/transactions")
SETTLING_ROLES = frozenset({"cashier", "manager"})  # attendants may only do write-offs

Change = Callable[[Session], PumpTransaction]


def _run(
    request: Request, ctx: Any, staff: StaffAuth, key: str, payload: dict[str, Any] | None, change: Change
) -> Response:
    require_role(staff, SETTLING_ROLES)

    def action(session: Session) -> tuple[int, dict[str, Any]]:
        txn = change(session)
        till = staff.till
        what = f"transaction.{request.url.path.rsplit('/', 1)[-1]}"  # lock | unlock | clear
        audit.record(
            session,
            station_id=till.station_id,
            till_id=till.till_id,
            staff_no=staff.staff_no,
            action=what,
            subject=txn.id,
            key=key,
            at=utc_now(),
        )
        return 200, transaction_json(txn, utc_now())

    req_hash = request_hash(request.method, request.url.path, payload)
    return respond(run_once(ctx.db, f"till:{staff.till.till_id}", key, req_hash, action))


@router.post("/{txn_id}/lock", response_model=TransactionOut, responses=ERRORS)
def lock(txn_id: str, request: Request, ctx: Ctx, staff: CurrentStaff, key: IdempotencyKey) -> Response:
    till = staff.till

    def change(session: Session) -> PumpTransaction:
        now = utc_now()
        return transactions.lock(
            session, txn_id, till.station_id, till.till_id, staff.staff_id, now, ctx.lock_ttl
        )

    return _run(request, ctx, staff, key, None, change)


@router.post("/{txn_id}/unlock", response_model=TransactionOut, responses=ERRORS)
def unlock(txn_id: str, request: Request, ctx: Ctx, staff: CurrentStaff, key: IdempotencyKey) -> Response:
    till = staff.till

    def change(session: Session) -> PumpTransaction:
        return transactions.unlock(session, txn_id, till.station_id, till.till_id, utc_now())

    return _run(request, ctx, staff, key, None, change)


@router.post("/{txn_id}/clear", response_model=TransactionOut, responses=ERRORS)
def clear(
    txn_id: str,
    request: Request,
    ctx: Ctx,
    staff: CurrentStaff,
    key: IdempotencyKey,
    body: ClearRequest | None = None,
) -> Response:
    till = staff.till
    sale_ref = body.sale_ref if body is not None else None

    def change(session: Session) -> PumpTransaction:
        return transactions.clear(session, txn_id, till.station_id, till.till_id, utc_now(), sale_ref)

    return _run(request, ctx, staff, key, dump(body or ClearRequest()), change)
