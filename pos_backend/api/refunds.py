"""Refunds after completion (outbox-routed: the body names the manager) and voids before completion."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Response
from sqlalchemy.orm import Session

from pos_backend import refunds, voids
from pos_backend.api.deps import (
    BackendContext,
    Ctx,
    CurrentTill,
    IdempotencyKey,
    StaffAuth,
    TillAuth,
    dump,
    respond,
)
from pos_backend.api.guards import audited_mutation, run_audited, staff_may
from pos_backend.api.tills import ERRORS
from pos_backend.clock import to_wire, utc_now
from pos_backend.idempotency import Mutation, Outcome, run_mutation, till_scope
from pos_backend.models import Staff
from pos_backend.roles import Permission
from pos_backend.schemas_counter import RefundIn, RefundOut, VoidIn, VoidOut
from pos_backend.wire import transaction_json

router = APIRouter()
REFUND_PATH = "/api/v1/sales/{sale_id}/refund"  # the batch table's key; hashed with the id filled in


def refund_mutation(till: TillAuth, key: str, body: RefundIn, sale_id: str) -> Mutation:
    """Recording the refund as this till's request under ``key``; POST .../refund and POST /batch."""

    def change(session: Session) -> tuple[int, dict[str, Any], str | None, str | None]:
        answer = refunds.record_refund(session, sale_id, body, till.station_id, till.till_id, utc_now())
        return 201, answer, body.staff_no, sale_id

    path = REFUND_PATH.format(sale_id=sale_id)
    return audited_mutation(till, key, path, dump(body), "sale.refund", change)


def submit_refund(ctx: BackendContext, till: TillAuth, key: str, body: RefundIn, sale_id: str) -> Outcome:
    """Record the refund once per (till, key), in a transaction of its own."""
    return run_mutation(ctx.db, till_scope(till.till_id), key, refund_mutation(till, key, body, sale_id))


@router.post("/sales/{sale_id}/refund", status_code=201, response_model=RefundOut, responses=ERRORS)
def post_refund(sale_id: str, body: RefundIn, ctx: Ctx, till: CurrentTill, key: IdempotencyKey) -> Response:
    """Outbox route: authorised by the device token and the manager named in ``staff_no``."""
    return respond(submit_refund(ctx, till, key, body, sale_id))


@router.post("/transactions/{txn_id}/void", response_model=VoidOut, responses=ERRORS)
def post_void(
    txn_id: str,
    ctx: Ctx,
    staff: Annotated[StaffAuth, staff_may(Permission.VOID)],
    key: IdempotencyKey,
    body: VoidIn,
) -> Response:
    """A manager releases the lock of a sale not completed (any till's), with a reason."""
    till = staff.till

    def change(session: Session) -> tuple[int, dict[str, Any], str | None, str | None]:
        manager = session.get(Staff, staff.staff_id)
        assert manager is not None
        now = utc_now()
        txn, entry = voids.void_locked(session, txn_id, till.station_id, manager, body.reason, now)
        answer = {
            "transaction": transaction_json(txn, now),
            "voided_by": staff.staff_no,
            "reason": body.reason,
            "cashier_no": entry.cashier_no,
            "at": to_wire(now),
        }
        return 200, answer, staff.staff_no, txn_id

    path = f"/api/v1/transactions/{txn_id}/void"
    return respond(run_audited(ctx, till, key, path, dump(body), "transaction.void", change))
