"""Write-off codes as the tills see them: what a code stands for, its state, who holds or redeemed it.

Also the station's redemptions of one local day with totals per kind. Read-only: the state changes are
in ``pos_backend.writeoffs``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from pos.domain.codes import WriteOffKind
from pos_backend.clock import to_wire
from pos_backend.models import Coupon, Member, PickupOrder, Staff, Station, Till, WriteoffCode
from pos_backend.models_writeoffs import WriteoffRedemption, WriteoffService
from pos_backend.wire import GRADE_NAMES

OPEN_STATES = ("issued", "reserved")
CHINA_STANDARD_TIME = timezone(timedelta(hours=8), "CST")  # no daylight saving since 1991
PICKUP_UNIT = "件"


@dataclass
class Subject:
    """What the code stands for; ``blocked`` names a state the subject forces (a used coupon: void)."""

    title: str
    description: str
    value_fen: int
    member_id: int | None
    conditions: dict[str, Any] | None = None
    items: list[dict[str, Any]] | None = None
    order_no: str | None = None
    blocked: str | None = None


def station_zone(session: Session, station_id: str) -> tzinfo:
    station = session.get(Station, station_id)
    try:
        return ZoneInfo(station.timezone) if station is not None else CHINA_STANDARD_TIME
    except (ZoneInfoNotFoundError, ValueError):  # no tz database (a bare Windows Python)
        return CHINA_STANDARD_TIME


def _yuan(fen: int) -> str:
    return f"{fen // 100}" if fen % 100 == 0 else f"{fen / 100:.2f}"


def _coupon_subject(coupon: Coupon) -> Subject:
    grades = [] if coupon.grade_code is None else [coupon.grade_code]
    limit = f"，限{GRADE_NAMES.get(coupon.grade_code, coupon.grade_code)}" if coupon.grade_code else ""
    blocked = {"used": "void", "expired": "expired"}.get(coupon.state)
    return Subject(
        title=coupon.title,
        description=f"加油满{_yuan(coupon.threshold_fen)}元减{_yuan(coupon.discount_fen)}元{limit}",
        value_fen=coupon.discount_fen,
        member_id=coupon.member_id,
        conditions={
            "threshold_fen": coupon.threshold_fen,
            "reduction_fen": coupon.discount_fen,
            "grades": grades,  # empty: any fuel grade
            "valid_from": to_wire(coupon.valid_from),
            "valid_until": to_wire(coupon.valid_to),
        },
        blocked=blocked,
    )


def _pickup_subject(order: PickupOrder) -> Subject:
    items = [{"name": i.name, "quantity": i.quantity, "unit": PICKUP_UNIT} for i in order.items]
    count = sum(i.quantity for i in order.items)
    return Subject(
        title="商城自提 / Mall pickup",
        description=f"订单 {order.order_no}，共{count}{PICKUP_UNIT}",
        value_fen=order.total_fen,
        member_id=order.member_id,
        items=items,
        order_no=order.order_no,
        blocked="void" if order.state == "cancelled" else None,
    )


def _service_subject(service: WriteoffService) -> Subject:
    return Subject(service.title, service.description, service.value_fen, service.member_id)


def subject_of(session: Session, row: WriteoffCode) -> Subject:
    if row.kind == WriteOffKind.COUPON and row.coupon_id is not None:
        coupon = session.get(Coupon, row.coupon_id)
        if coupon is not None:
            return _coupon_subject(coupon)
    elif row.kind == WriteOffKind.PICKUP and row.pickup_order_id is not None:
        order = session.scalar(
            select(PickupOrder)
            .options(selectinload(PickupOrder.items))
            .where(PickupOrder.id == row.pickup_order_id)
        )
        if order is not None:
            return _pickup_subject(order)
    elif row.kind == WriteOffKind.SERVICE:
        service = session.get(WriteoffService, row.code)
        if service is not None:
            return _service_subject(service)
    raise RuntimeError(f"write-off code of kind {row.kind} has no subject")  # seeding bug, not bad input


def masked_phone(phone: str) -> str:
    """``138****5678``: enough for staff to ask "尾号5678?", never the whole number."""
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 8 else "****"


def _member_json(session: Session, member_id: int | None) -> dict[str, Any] | None:
    member = None if member_id is None else session.get(Member, member_id)
    if member is None:
        return None
    return {"id": str(member.id), "name": member.name, "phone_masked": masked_phone(member.phone)}


def shown_state(row: WriteoffCode, subject: Subject, now: datetime) -> str:
    """The state as it stands at ``now``: a lapsed reservation is free again, a passed date expired."""
    if row.state in OPEN_STATES:
        if row.expires_at <= now:
            return "expired"
        if subject.blocked is not None:
            return subject.blocked
        if row.state == "reserved" and (row.reserved_until is None or row.reserved_until <= now):
            return "issued"
    return row.state


def _till_name(session: Session, till_id: str | None) -> str | None:
    till = None if till_id is None else session.get(Till, till_id)
    return None if till is None else till.name


def redeemed_json(session: Session, row: WriteoffCode) -> dict[str, Any] | None:
    """Who redeemed the code, when (the till's time) and where; None if it is not redeemed."""
    if row.state != "redeemed":
        return None
    staff = None if row.redeemed_staff_id is None else session.get(Staff, row.redeemed_staff_id)
    station = None if row.redeemed_station_id is None else session.get(Station, row.redeemed_station_id)
    ledger = session.scalar(select(WriteoffRedemption).where(WriteoffRedemption.code == row.code))
    return {
        "at": to_wire(row.redeemed_at),
        "accepted_at": None if ledger is None else to_wire(ledger.accepted_at),
        "offline": False if ledger is None else ledger.offline,
        "till_id": row.redeemed_till_id,
        "till_name": _till_name(session, row.redeemed_till_id),
        "station_id": row.redeemed_station_id,
        "station_name": None if station is None else station.name,
        "staff_no": None if staff is None else staff.staff_no,
        "staff_name": None if staff is None else staff.name,
    }


def reserved_json(session: Session, row: WriteoffCode, now: datetime) -> dict[str, Any] | None:
    live = row.state == "reserved" and row.reserved_until is not None and row.reserved_until > now
    if not live:
        return None
    return {
        "till_id": row.reserved_till_id,
        "till_name": _till_name(session, row.reserved_till_id),
        "until": to_wire(row.reserved_until),
    }


def code_json(session: Session, row: WriteoffCode, now: datetime) -> dict[str, Any]:
    subject = subject_of(session, row)
    state = shown_state(row, subject, now)
    return {
        "code": row.code,
        "kind": row.kind,
        "state": state,
        "title": subject.title,
        "description": subject.description,
        "value_fen": subject.value_fen,
        "conditions": subject.conditions,
        "items": subject.items,
        "order_no": subject.order_no,
        "member": _member_json(session, subject.member_id),
        "valid_until": to_wire(row.expires_at),
        "reserved_by": reserved_json(session, row, now) if state == "reserved" else None,
        "redeemed": redeemed_json(session, row),
    }


def local_day_bounds(zone: tzinfo, day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min, tzinfo=zone)
    return start, datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)


def _ledger_json(row: WriteoffRedemption, till_name: str, staff: Staff) -> dict[str, Any]:
    return {
        "code": row.code,
        "kind": row.kind,
        "title": row.title,
        "value_fen": row.value_fen,
        "redeemed_at": to_wire(row.redeemed_at),
        "accepted_at": to_wire(row.accepted_at),
        "offline": row.offline,
        "till_id": row.till_id,
        "till_name": till_name,
        "staff_no": staff.staff_no,
        "staff_name": staff.name,
    }


def list_day(session: Session, station_id: str, day: date | None, till_id: str | None, now: datetime) -> Any:
    """The station's redemptions on one station-local day (default today), oldest first, with totals."""
    zone = station_zone(session, station_id)
    start, end = local_day_bounds(zone, day if day is not None else now.astimezone(zone).date())
    R = WriteoffRedemption
    statement = (
        select(R, Till.name, Staff)
        .join(Till, Till.id == R.till_id)
        .join(Staff, Staff.id == R.staff_id)
        .where(R.station_id == station_id, R.redeemed_at >= start, R.redeemed_at < end)
        .order_by(R.redeemed_at, R.id)
    )
    if till_id is not None:
        statement = statement.where(R.till_id == till_id)
    rows = session.execute(statement).all()
    totals = {kind.value: {"count": 0, "value_fen": 0} for kind in WriteOffKind}
    for ledger, _name, _staff in rows:
        totals[ledger.kind]["count"] += 1
        totals[ledger.kind]["value_fen"] += ledger.value_fen
    return {
        "date": start.date().isoformat(),
        "writeoffs": [_ledger_json(ledger, name, staff) for ledger, name, staff in rows],
        "totals": totals,
    }
