"""Shifts (班次) and the handover: open, cut (meter snapshot), close exactly once, next shift opened.

A shift's window is ``(opened_at, cut_at]``; the next shift opens at the previous cut with the previous
closing meters as its opening meters, so consecutive shifts share each boundary and a fill (assigned by
``ended_at``, ``pos.domain.meters.in_window``) counts in exactly one of them.

The cut reads every nozzle's totalizer in ONE write transaction, taken under ``Database.write()``'s lock
with its time taken inside that lock, while the simulator keeps fuelling: fills commit either wholly
before the snapshot (totalizer advanced, ``ended_at`` before the cut) or wholly after it.
A shift closed while the backend was unreachable (no cut here) is closed at the till's ``cut_at``; its
closing meters are rebuilt from the totalizers less the fills that ended after that moment, which is exact
for a forecourt that advances the totalizer when a fill ends.
"""

from __future__ import annotations

import json
import logging
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from pos.domain.cash_count import CashCount, CashReconciliation
from pos.domain.errors import PosError
from pos.domain.refund import Approval
from pos.domain.wire import parse_rfc3339
from pos_backend.clock import to_wire
from pos_backend.errors import ApiError, not_found
from pos_backend.events import append_event
from pos_backend.forecourt import nozzles_of_station
from pos_backend.models import PumpTransaction, Staff
from pos_backend.models_counter import ShiftMeter, ShiftRow
from pos_backend.schemas_counter import ShiftCloseIn
from pos_backend.shift_figures import cash_expected_fen

log = logging.getLogger(__name__)
OPENING, CLOSING = "opening", "closing"
LIVE_STATES = ("open", "closing")


def shift_json(shift: ShiftRow) -> dict[str, Any]:
    variance = None
    if shift.counted_fen is not None and shift.expected_fen is not None:
        variance = shift.counted_fen - shift.expected_fen
    return {
        "id": shift.id,
        "number": shift.number,
        "state": shift.state,
        "opened_at": to_wire(shift.opened_at),
        "opened_by": shift.opened_by,
        "opening_float_fen": shift.opening_float_fen,
        "cut_at": to_wire(shift.cut_at),
        "closed_at": to_wire(shift.closed_at),
        "closed_by": shift.closed_by,
        "outgoing_staff_no": shift.outgoing_staff_no,
        "incoming_staff_no": shift.incoming_staff_no,
        "counted_fen": shift.counted_fen,
        "expected_fen": shift.expected_fen,
        "variance_fen": variance,
        "variance_reason": shift.variance_reason,
        "next_shift_id": shift.next_shift_id,
    }


def current(session: Session, station_id: str) -> ShiftRow | None:
    return session.scalar(
        select(ShiftRow).where(ShiftRow.station_id == station_id, ShiftRow.state.in_(LIVE_STATES))
    )


def by_id(session: Session, station_id: str, shift_id: str) -> ShiftRow:
    shift = session.get(ShiftRow, shift_id)
    if shift is None or shift.station_id != station_id:
        raise not_found("班次 / shift")
    return shift


def history(session: Session, station_id: str, limit: int) -> list[ShiftRow]:
    statement = select(ShiftRow).where(ShiftRow.station_id == station_id)
    return list(session.scalars(statement.order_by(ShiftRow.number.desc()).limit(limit)))


def meters(session: Session, shift_id: str, kind: str) -> list[ShiftMeter]:
    statement = select(ShiftMeter).where(ShiftMeter.shift_id == shift_id, ShiftMeter.kind == kind)
    return list(session.scalars(statement.order_by(ShiftMeter.nozzle_number)))


Readings = list[tuple[int, str, int, int]]  # (nozzle number, grade, volume ml, amount fen)


def as_meters(shift_id: str, kind: str, readings: Readings, at: datetime) -> list[ShiftMeter]:
    return [
        ShiftMeter(
            shift_id=shift_id,
            kind=kind,
            nozzle_number=number,
            grade_code=grade,
            volume_ml=volume,
            amount_fen=amount,
            read_at=at,
        )
        for number, grade, volume, amount in readings
    ]


def _store_meters(session: Session, shift_id: str, kind: str, readings: Readings, at: datetime) -> None:
    session.add_all(as_meters(shift_id, kind, readings, at))


def live_readings(session: Session, station_id: str) -> Readings:
    """Every nozzle's totalizer now, read in one statement of the caller's transaction."""
    return [
        (n.number, n.grade_code, n.totalizer_volume_ml, n.totalizer_amount_fen)
        for n in nozzles_of_station(session, station_id)
    ]


def readings_at(session: Session, station_id: str, moment: datetime) -> Readings:
    """The totalizers as they stood at ``moment``: now, less every fill that ended after it."""
    later = {
        number: (int(ml), int(fen))
        for number, ml, fen in session.execute(
            select(
                PumpTransaction.nozzle_number,
                func.sum(PumpTransaction.volume_ml),
                func.sum(PumpTransaction.amount_fen),
            )
            .where(PumpTransaction.station_id == station_id, PumpTransaction.ended_at > moment)
            .group_by(PumpTransaction.nozzle_number)
        )
    }
    readings = []
    for number, grade, ml, fen in live_readings(session, station_id):
        later_ml, later_fen = later.get(number, (0, 0))
        readings.append((number, grade, ml - later_ml, fen - later_fen))
    return readings


def _new_shift(session: Session, station_id: str, opened_by: str, float_fen: int, at: datetime) -> ShiftRow:
    number = (
        session.scalar(select(func.max(ShiftRow.number)).where(ShiftRow.station_id == station_id)) or 0
    ) + 1
    shift = ShiftRow(
        id=uuid.uuid4().hex,
        station_id=station_id,
        number=number,
        state="open",
        opened_at=at,
        opened_by=opened_by,
        opening_float_fen=float_fen,
    )
    session.add(shift)
    session.flush()
    return shift


def open_first(session: Session, station_id: str, staff_no: str, float_fen: int, now: datetime) -> ShiftRow:
    """Open a shift when none is live (the station's first, or after a gap); meters read now."""
    live = current(session, station_id)
    if live is not None:
        raise ApiError(
            409, "shift_already_open", "已有未结班次 / A shift is already open", {"shift_id": live.id}
        )
    shift = _new_shift(session, station_id, staff_no, float_fen, now)
    _store_meters(session, shift.id, OPENING, live_readings(session, station_id), now)
    append_event(session, station_id, "shift.opened", shift_json(shift))
    log.info("shift %d opened at station %s", shift.number, station_id)
    return shift


def cut(session: Session, station_id: str, now: datetime) -> ShiftRow:
    """Snapshot every nozzle at ``now`` (taken under the write lock); the shift becomes ``closing``.

    Cutting again (a blocker needed settling first) replaces the snapshot with a fresh one."""
    shift = current(session, station_id)
    if shift is None:
        raise ApiError(409, "shift_not_open", "当前没有未结班次 / No shift is open")
    taken = session.execute(
        update(ShiftRow)
        .where(ShiftRow.id == shift.id, ShiftRow.state.in_(LIVE_STATES))
        .values(state="closing", cut_at=now)
        .execution_options(synchronize_session=False)
    )
    if int(getattr(taken, "rowcount", 0)) != 1:  # closed by another backend process a moment ago
        raise ApiError(409, "shift_already_closed", "该班次已班结 / This shift is already closed")
    for old in meters(session, shift.id, CLOSING):
        session.delete(old)
    session.flush()
    _store_meters(session, shift.id, CLOSING, live_readings(session, station_id), now)
    session.refresh(shift)
    append_event(session, station_id, "shift.closing", shift_json(shift))
    return shift


def _already_closed(session: Session, shift: ShiftRow) -> ApiError:
    session.refresh(shift)
    return ApiError(
        409,
        "shift_already_closed",
        "该班次已班结，不能重复班结 / This shift was already closed",
        {"shift_id": shift.id, "closed_at": to_wire(shift.closed_at), "closed_by": shift.closed_by},
    )


def _cash(
    session: Session, shift: ShiftRow, body: ShiftCloseIn, manager: Staff, cut_at: datetime
) -> CashReconciliation:
    """The counted drawer against the expected cash; beyond the limit a manager's reason is needed."""
    try:
        count = CashCount({int(value): pieces for value, pieces in body.counted.items()})
        expected = cash_expected_fen(session, shift, cut_at)
        approval = None
        if body.variance_reason is not None:
            approval = Approval(manager.staff_no, manager.name, manager.role, body.variance_reason, cut_at)
        return CashReconciliation(expected, count, approval)
    except (PosError, ValueError) as refused:
        code = getattr(refused, "code", "count_invalid")
        code = "count_invalid" if code == "invalid_value" else code
        detail = getattr(refused, "detail", None) or {"message": str(refused)}
        raise ApiError(422, code, "现金清点有误 / The cash count is not acceptable", detail) from None


def _cut_time(session: Session, shift: ShiftRow, body: ShiftCloseIn, now: datetime) -> datetime:
    """The backend's own cut if one was taken; else the till's (it closed offline)."""
    if shift.state == "closing" and shift.cut_at is not None:
        return shift.cut_at
    cut_at = parse_rfc3339(body.cut_at)
    if not shift.opened_at < cut_at <= now:
        raise ApiError(
            422,
            "cut_invalid",
            "交班时间不在本班次内 / The cut time is outside the shift",
            {"opened_at": to_wire(shift.opened_at), "cut_at": body.cut_at},
        )
    _store_meters(session, shift.id, CLOSING, readings_at(session, shift.station_id, cut_at), cut_at)
    return cut_at


def close(
    session: Session, station_id: str, shift_id: str, body: ShiftCloseIn, manager: Staff, now: datetime
) -> tuple[ShiftRow, ShiftRow]:
    """Close once (a conditional UPDATE: a second close is ``409 shift_already_closed``) and open the
    next shift at the cut with the closing meters as its opening ones."""
    shift = by_id(session, station_id, shift_id)
    if shift.state == "closed":
        raise _already_closed(session, shift)
    for staff_no in (body.outgoing_staff_no, body.incoming_staff_no):
        named = select(Staff.id).where(Staff.staff_no == staff_no, Staff.station_id == station_id)
        if session.scalar(named) is None:
            raise ApiError(422, "staff_unknown", "工号不存在 / Unknown staff number", {"staff_no": staff_no})
    cut_at = _cut_time(session, shift, body, now)
    cash = _cash(session, shift, body, manager, cut_at)
    nxt = _new_shift(session, station_id, body.incoming_staff_no, body.next_opening_float_fen, cut_at)
    closed = session.execute(
        update(ShiftRow)
        .where(ShiftRow.id == shift_id, ShiftRow.state.in_(LIVE_STATES))
        .values(
            state="closed",
            cut_at=cut_at,
            closed_at=now,
            closed_by=manager.staff_no,
            outgoing_staff_no=body.outgoing_staff_no,
            incoming_staff_no=body.incoming_staff_no,
            counted=json.dumps(body.counted, sort_keys=True),
            counted_fen=cash.counted_fen,
            expected_fen=cash.expected_fen,
            variance_reason=body.variance_reason,
            next_shift_id=nxt.id,
        )
        .execution_options(synchronize_session=False)
    )
    if int(getattr(closed, "rowcount", 0)) != 1:
        raise _already_closed(session, shift)
    closing = [
        (m.nozzle_number, m.grade_code, m.volume_ml, m.amount_fen) for m in meters(session, shift_id, CLOSING)
    ]
    _store_meters(session, nxt.id, OPENING, closing, cut_at)
    session.refresh(shift)
    append_event(session, station_id, "shift.closed", shift_json(shift))
    append_event(session, station_id, "shift.opened", shift_json(nxt))
    log.info("shift %d closed at station %s; shift %d opened", shift.number, station_id, nxt.number)
    return shift, nxt
