"""Mini-program orders: paid online, bound to a nozzle, fuelled, completed (or an exception)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pos_backend.events import append_event
from pos_backend.forecourt import authorize
from pos_backend.models import Nozzle, Order
from pos_backend.wire import order_json

OPEN_ORDER_STATES = ("paid", "bound", "fuelling")


def _publish(session: Session, order: Order, created: bool = False) -> None:
    append_event(
        session, order.station_id, "order.created" if created else "order.updated", order_json(order)
    )


def place_order(
    session: Session,
    nozzle: Nozzle,
    prepaid_fen: int,
    now: datetime,
    member_id: int | None = None,
    plate: str | None = None,
) -> Order:
    serial = (session.scalar(select(func.count()).select_from(Order)) or 0) + 1
    order = Order(
        id=uuid.uuid4().hex,
        order_no=f"MP{now:%Y%m%d}{serial:06d}",
        station_id=nozzle.station_id,
        nozzle_number=nozzle.number,
        grade_code=nozzle.grade_code,
        prepaid_fen=prepaid_fen,
        state="paid",
        member_id=member_id,
        plate=plate,
        created_at=now,
        updated_at=now,
    )
    session.add(order)
    _publish(session, order, created=True)
    return order


def set_order_state(
    session: Session, order: Order, state: str, now: datetime, exception: str | None = None
) -> None:
    order.state = state
    if exception is not None:
        order.exception = exception
    order.updated_at = now
    _publish(session, order)


def bind_order(session: Session, order: Order, nozzle: Nozzle, now: datetime) -> None:
    """The customer is at the pump: the order releases the nozzle for up to the prepaid amount."""
    authorize(session, nozzle, now, order=order)
    set_order_state(session, order, "bound", now)


def finish_order(
    session: Session, order: Order, transaction_id: str, volume_target_reached: bool, now: datetime
) -> None:
    """Completed, or under-run: less fuel than paid for, so the difference is to be refunded."""
    order.transaction_id = transaction_id
    if volume_target_reached:
        set_order_state(session, order, "completed", now)
    else:
        set_order_state(session, order, "refund_requested", now, exception="under_run")
