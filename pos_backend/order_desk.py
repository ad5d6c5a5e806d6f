"""Mini-program orders at the till (the settlement inbox): acknowledge a completed one, ask for a refund
of what was not fuelled, move an order to the nozzle the customer really lifted. Pickups awaiting
collection are listed here too; redeeming them is the write-off desk's business.

Each change publishes ``order.updated`` with the order as ``order_view`` shows it: the contract's Order
object plus ``acknowledged`` and ``refund_request`` (null until they happen).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from pos.domain.pump import NozzleState
from pos_backend.clock import to_wire
from pos_backend.errors import ApiError, not_found
from pos_backend.events import append_event
from pos_backend.models import Nozzle, Order, PickupOrder, PumpTransaction
from pos_backend.models_counter import OrderAck, OrderRefundRequest
from pos_backend.orders import bind_order
from pos_backend.wire import order_json

ACKNOWLEDGEABLE = ("completed", "refund_requested")  # the fill has ended (under-run included)
REFUNDABLE = ("paid", "completed", "refund_requested")
AWAITING_PICKUP = "awaiting_pickup"


def order_view(session: Session, order: Order) -> dict[str, Any]:
    ack = session.get(OrderAck, order.id)
    request = session.get(OrderRefundRequest, order.id)
    return {
        **order_json(order),
        "acknowledged": None
        if ack is None
        else {"till_id": ack.till_id, "staff_no": ack.staff_no, "at": to_wire(ack.at)},
        "refund_request": None
        if request is None
        else {
            "amount_fen": request.amount_fen,
            "reason": request.reason,
            "staff_no": request.staff_no,
            "at": to_wire(request.at),
        },
    }


def _publish(session: Session, order: Order, now: datetime) -> dict[str, Any]:
    order.updated_at = now
    session.flush()
    view = order_view(session, order)
    append_event(session, order.station_id, "order.updated", view)
    return view


def _order(session: Session, order_id: str, station_id: str) -> Order:
    order = session.get(Order, order_id)
    if order is None or order.station_id != station_id:
        raise not_found("小程序订单 / order")
    return order


def _wrong_state(order: Order, wanted: tuple[str, ...]) -> ApiError:
    return ApiError(
        409,
        "order_state",
        f"订单当前状态为 {order.state}，不能执行此操作 / Not possible while the order is {order.state}",
        {"state": order.state, "exception": order.exception, "allowed": list(wanted)},
    )


def acknowledge(
    session: Session, order_id: str, station_id: str, till_id: str, staff_no: str, now: datetime
) -> dict[str, Any]:
    """The cashier saw the completed prepaid order at the till; accepted once per order."""
    order = _order(session, order_id, station_id)
    if order.state not in ACKNOWLEDGEABLE:
        raise _wrong_state(order, ACKNOWLEDGEABLE)
    earlier = session.get(OrderAck, order_id)
    if earlier is not None:
        raise ApiError(
            409,
            "order_already_acknowledged",
            "该订单已确认 / This order was already acknowledged",
            {"till_id": earlier.till_id, "staff_no": earlier.staff_no, "at": to_wire(earlier.at)},
        )
    session.add(OrderAck(order_id=order_id, till_id=till_id, staff_no=staff_no, at=now))
    return _publish(session, order, now)


def fuelled_fen(session: Session, order: Order) -> int:
    if order.transaction_id is None:
        return 0
    txn = session.get(PumpTransaction, order.transaction_id)
    return 0 if txn is None else txn.amount_fen


def request_refund(
    session: Session,
    order_id: str,
    station_id: str,
    amount_fen: int,
    reason: str,
    till_id: str,
    staff_no: str,
    now: datetime,
) -> dict[str, Any]:
    """Ask the mini program to give back part of the prepayment: at most prepaid less fuelled."""
    order = _order(session, order_id, station_id)
    if order.state not in REFUNDABLE:
        raise _wrong_state(order, REFUNDABLE)
    if session.get(OrderRefundRequest, order_id) is not None:
        raise ApiError(409, "refund_already_requested", "该订单已申请退款 / A refund was already requested")
    refundable = order.prepaid_fen - fuelled_fen(session, order)
    if amount_fen > refundable:
        raise ApiError(
            409,
            "refund_exceeds_paid",
            "退款超过未加油金额 / Refund above what was not fuelled",
            {"refundable_fen": refundable, "wanted_fen": amount_fen, "method": "mini_program"},
        )
    session.add(
        OrderRefundRequest(
            order_id=order_id,
            amount_fen=amount_fen,
            reason=reason,
            till_id=till_id,
            staff_no=staff_no,
            at=now,
        )
    )
    if order.exception is None and order.transaction_id is not None:
        order.exception = "under_run"
    order.state = "refund_requested"
    return _publish(session, order, now)


def rebind(
    session: Session, order_id: str, station_id: str, nozzle_number: int, now: datetime
) -> dict[str, Any]:
    """The customer lifted another nozzle than the order's: release the right one for the order, if idle."""
    order = _order(session, order_id, station_id)
    wrong_nozzle = order.state == "refund_requested" and order.exception == "wrong_nozzle"
    if not (order.state == "paid" or wrong_nozzle) or session.get(OrderRefundRequest, order_id) is not None:
        raise _wrong_state(order, ("paid", "refund_requested (wrong_nozzle)"))
    nozzle = session.get(Nozzle, (station_id, nozzle_number))
    if nozzle is None:
        raise not_found("油枪 / nozzle")
    if nozzle.state != NozzleState.IDLE:
        raise ApiError(
            409,
            "nozzle_busy",
            f"{nozzle_number}号油枪当前不空闲 / Nozzle {nozzle_number} is not idle",
            {"nozzle_number": nozzle_number, "state": nozzle.state},
        )
    order.nozzle_number, order.grade_code, order.exception = nozzle.number, nozzle.grade_code, None
    order.state = "paid"
    bind_order(session, order, nozzle, now)  # authorises the nozzle and publishes the bound order
    return _publish(session, order, now)


def awaiting_pickups(session: Session, station_id: str) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(PickupOrder)
        .options(selectinload(PickupOrder.items))
        .where(PickupOrder.station_id == station_id, PickupOrder.state == AWAITING_PICKUP)
        .order_by(PickupOrder.created_at.desc(), PickupOrder.id)
    )
    return [
        {
            "id": str(row.id),
            "order_no": row.order_no,
            "member_id": str(row.member_id),
            "state": row.state,
            "total_fen": row.total_fen,
            "created_at": to_wire(row.created_at),
            "items": [
                {"sku": i.sku, "name": i.name, "quantity": i.quantity, "unit_price_fen": i.unit_price_fen}
                for i in row.items
            ],
        }
        for row in rows
    ]
