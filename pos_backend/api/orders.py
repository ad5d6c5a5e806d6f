"""Mini-program orders in the settlement inbox, and pickups awaiting collection."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response
from sqlalchemy.orm import Session

from pos_backend import order_desk
from pos_backend.api.deps import Ctx, CurrentTill, IdempotencyKey, StaffAuth, dump, respond
from pos_backend.api.guards import run_audited, staff_may
from pos_backend.api.tills import ERRORS
from pos_backend.clock import utc_now
from pos_backend.roles import Permission
from pos_backend.schemas_counter import CounterOrderOut, OrderRefundRequestIn, PickupsOut, RebindIn

router = APIRouter()
Seller = Annotated[StaffAuth, staff_may(Permission.SELL)]


def _run(
    ctx: Any,
    staff: StaffAuth,
    key: str,
    path: str,
    payload: dict[str, Any] | None,
    action: str,
    change: Callable[[Session], dict[str, Any]],
    subject: str,
) -> Response:
    def audited(session: Session) -> tuple[int, dict[str, Any], str | None, str | None]:
        return 200, change(session), staff.staff_no, subject

    return respond(run_audited(ctx, staff.till, key, path, payload, action, audited))


@router.post("/orders/{order_id}/complete", response_model=CounterOrderOut, responses=ERRORS)
def complete(order_id: str, ctx: Ctx, staff: Seller, key: IdempotencyKey) -> Response:
    """Acknowledge a completed prepaid order at the till (once per order)."""
    till = staff.till

    def change(session: Session) -> dict[str, Any]:
        return order_desk.acknowledge(
            session, order_id, till.station_id, till.till_id, staff.staff_no, utc_now()
        )

    path = f"/api/v1/orders/{order_id}/complete"
    return _run(ctx, staff, key, path, None, "order.complete", change, order_id)


@router.post("/orders/{order_id}/refund-request", response_model=CounterOrderOut, responses=ERRORS)
def refund_request(
    order_id: str, body: OrderRefundRequestIn, ctx: Ctx, staff: Seller, key: IdempotencyKey
) -> Response:
    """Ask the mini program to refund what was not fuelled (under-run) or a cancelled booking."""
    till = staff.till

    def change(session: Session) -> dict[str, Any]:
        return order_desk.request_refund(
            session,
            order_id,
            till.station_id,
            body.amount_fen,
            body.reason,
            till.till_id,
            staff.staff_no,
            utc_now(),
        )

    path = f"/api/v1/orders/{order_id}/refund-request"
    return _run(ctx, staff, key, path, dump(body), "order.refund_request", change, order_id)


@router.post("/orders/{order_id}/rebind", response_model=CounterOrderOut, responses=ERRORS)
def rebind(order_id: str, body: RebindIn, ctx: Ctx, staff: Seller, key: IdempotencyKey) -> Response:
    """Wrong nozzle: bind the order to the nozzle the customer is at, if that nozzle is idle."""
    till = staff.till

    def change(session: Session) -> dict[str, Any]:
        return order_desk.rebind(session, order_id, till.station_id, body.nozzle_number, utc_now())

    path = f"/api/v1/orders/{order_id}/rebind"
    return _run(ctx, staff, key, path, dump(body), "order.rebind", change, order_id)


@router.get("/pickups", response_model=PickupsOut, responses=ERRORS)
def pickups(
    ctx: Ctx, till: CurrentTill, state: Annotated[Literal["awaiting"], Query()] = "awaiting"
) -> dict[str, Any]:
    """Mall orders awaiting collection at this station, newest first (redeemed at the write-off desk)."""
    with ctx.db.read() as session:
        return {"pickups": order_desk.awaiting_pickups(session, till.station_id)}
