"""The station's forecourt: nozzle states, fills, and the payable stack of each pump.

Every function takes the open write session and appends the event describing its change, so the change
and its event commit together. Nozzle transitions are validated by the domain's state model.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pos.domain.money import amount_for_volume
from pos.domain.pump import NO_FILL_STATES, NozzleState, check_transition
from pos_backend.events import append_event
from pos_backend.models import Nozzle, Order, PumpTransaction
from pos_backend.wire import nozzle_json, transaction_json

MAX_OPEN_PER_PUMP = 2  # payable + locked per pump: a pump with two does not authorise a third fill
OPEN_STATES = ("payable", "locked")
ACTIVE_NOZZLE_STATES = (NozzleState.AUTHORIZED, NozzleState.FUELLING, NozzleState.SUSPENDED)


class StackFull(Exception):
    """The pump already holds two unpaid fills (counting those running now)."""


def nozzles_of_station(session: Session, station_id: str) -> list[Nozzle]:
    return list(
        session.scalars(select(Nozzle).where(Nozzle.station_id == station_id).order_by(Nozzle.number))
    )


def emit_nozzle(session: Session, nozzle: Nozzle) -> None:
    append_event(session, nozzle.station_id, "nozzle.updated", nozzle_json(nozzle))


def emit_transaction(session: Session, txn: PumpTransaction, now: datetime, created: bool = False) -> None:
    event_type = "transaction.created" if created else "transaction.updated"
    append_event(session, txn.station_id, event_type, transaction_json(txn, now))


def set_nozzle_state(session: Session, nozzle: Nozzle, target: NozzleState, now: datetime) -> None:
    """Move a nozzle to ``target`` (IllegalTransition if the model forbids it) and publish it."""
    nozzle.state = check_transition(NozzleState(nozzle.state), target).value
    nozzle.updated_at = now
    # The domain refuses a running fill on an offline/closed/idle nozzle; a lifted nozzle starts a new fill.
    if target in NO_FILL_STATES or target is NozzleState.CALLING:
        nozzle.current_volume_ml = 0
        nozzle.current_amount_fen = 0
    emit_nozzle(session, nozzle)


def open_transactions_on_pump(session: Session, station_id: str, pump_number: int) -> int:
    query = select(func.count()).where(
        PumpTransaction.station_id == station_id,
        PumpTransaction.pump_number == pump_number,
        PumpTransaction.state.in_(OPEN_STATES),
    )
    return session.scalar(query) or 0


def _unpaid_fills_running(session: Session, nozzle: Nozzle) -> int:
    """Fills on the same pump that will end as payable (prepaid order fills do not)."""
    query = select(func.count()).where(
        Nozzle.station_id == nozzle.station_id,
        Nozzle.pump_number == nozzle.pump_number,
        Nozzle.number != nozzle.number,
        Nozzle.state.in_([s.value for s in ACTIVE_NOZZLE_STATES]),
        Nozzle.order_id.is_(None),
    )
    return session.scalar(query) or 0


def can_authorize(session: Session, nozzle: Nozzle) -> bool:
    stacked = open_transactions_on_pump(session, nozzle.station_id, nozzle.pump_number)
    return stacked + _unpaid_fills_running(session, nozzle) < MAX_OPEN_PER_PUMP


def authorize(session: Session, nozzle: Nozzle, now: datetime, order: Order | None = None) -> None:
    """Release the pump for a fill: unpaid ones only while the pump's stack has room."""
    if order is None and not can_authorize(session, nozzle):
        raise StackFull(f"pump {nozzle.pump_number} already has {MAX_OPEN_PER_PUMP} unpaid fills")
    nozzle.order_id = order.id if order is not None else None
    set_nozzle_state(session, nozzle, NozzleState.AUTHORIZED, now)


def start_fill(session: Session, nozzle: Nozzle, now: datetime) -> None:
    nozzle.current_volume_ml = 0
    nozzle.current_amount_fen = 0
    nozzle.fill_started_at = now
    set_nozzle_state(session, nozzle, NozzleState.FUELLING, now)


def report_progress(session: Session, nozzle: Nozzle, volume_ml: int, now: datetime) -> None:
    """The running figures on the pump display; the amount always follows the pump's rounding rule."""
    nozzle.current_volume_ml = volume_ml
    nozzle.current_amount_fen = amount_for_volume(nozzle.unit_price_fen, volume_ml)
    nozzle.updated_at = now
    emit_nozzle(session, nozzle)


def end_fill(session: Session, nozzle: Nozzle, now: datetime) -> PumpTransaction:
    """Close the fill: a payable transaction (or a settled one for a prepaid order), totalizers advanced."""
    volume = nozzle.current_volume_ml
    amount = amount_for_volume(nozzle.unit_price_fen, volume)
    prepaid = nozzle.order_id is not None
    txn = PumpTransaction(
        id=uuid.uuid4().hex,
        station_id=nozzle.station_id,
        pump_number=nozzle.pump_number,
        nozzle_number=nozzle.number,
        grade_code=nozzle.grade_code,
        unit_price_fen=nozzle.unit_price_fen,
        volume_ml=volume,
        amount_fen=amount,
        state="cleared" if prepaid else "payable",
        started_at=nozzle.fill_started_at or now,
        ended_at=now,
        cleared_at=now if prepaid else None,
        order_id=nozzle.order_id,
    )
    session.add(txn)
    nozzle.current_amount_fen = amount
    nozzle.totalizer_volume_ml += volume
    nozzle.totalizer_amount_fen += amount
    nozzle.totalizer_read_at = now
    nozzle.fill_started_at = None
    set_nozzle_state(session, nozzle, NozzleState.PAYABLE, now)
    emit_transaction(session, txn, now, created=True)
    if prepaid:  # already paid online: nothing waits at the till, the nozzle is free again
        nozzle.order_id = None
        set_nozzle_state(session, nozzle, NozzleState.IDLE, now)
    return txn


def nozzle_has_open_transaction(session: Session, nozzle: Nozzle) -> bool:
    query = select(func.count()).where(
        PumpTransaction.station_id == nozzle.station_id,
        PumpTransaction.nozzle_number == nozzle.number,
        PumpTransaction.state.in_(OPEN_STATES),
    )
    return bool(session.scalar(query))


def release_paid_nozzle(session: Session, station_id: str, nozzle_number: int, now: datetime) -> None:
    """Once its last unpaid fill is settled, a nozzle showing payable goes back to idle."""
    nozzle = session.get(Nozzle, (station_id, nozzle_number))
    if nozzle is None or nozzle.state != NozzleState.PAYABLE:
        return
    if not nozzle_has_open_transaction(session, nozzle):
        set_nozzle_state(session, nozzle, NozzleState.IDLE, now)
