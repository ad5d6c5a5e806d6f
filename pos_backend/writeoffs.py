"""Write-off codes at the tills: look up, reserve, release, redeem exactly once.

Every claim is one conditional UPDATE on the code's row, so two tills (or two backend processes on one
PostgreSQL database) racing for a code cannot both win; the loser's answer is worked out afterwards from
the row as it now stands, naming the first redemption's till, station, staff and time.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from pos.domain.codes import WriteOffKind
from pos.domain.writeoff import is_write_off_code
from pos_backend import members
from pos_backend.clock import to_wire
from pos_backend.errors import ApiError
from pos_backend.events import append_event
from pos_backend.models import Coupon, Member, PickupOrder, Staff, WriteoffCode
from pos_backend.models_writeoffs import WriteoffConflict, WriteoffRedemption
from pos_backend.roles import Permission, require_permission
from pos_backend.writeoffs_view import (
    OPEN_STATES,
    code_json,
    redeemed_json,
    reserved_json,
    station_zone,
    subject_of,
)

log = logging.getLogger(__name__)
W = WriteoffCode
DEFAULT_RESERVATION_TTL = timedelta(seconds=60)


def check_code(code: str) -> None:
    """Six ASCII digits, or ``422 validation_failed`` (not full-width digits, not seven digits)."""
    if not is_write_off_code(code):
        raise ApiError(
            422,
            "validation_failed",
            "核销码应为6位数字 / A write-off code is six digits",
            {"errors": [{"loc": ["path", "code"], "msg": "six ASCII digits", "type": "code_malformed"}]},
        )


def find_code(session: Session, code: str) -> WriteoffCode:
    row = session.get(W, code, populate_existing=True)
    if row is None:
        raise ApiError(404, "code_unknown", f"核销码 {code} 不存在 / Unknown write-off code {code}")
    return row


def lookup(session: Session, code: str, now: datetime) -> dict[str, Any]:
    return code_json(session, find_code(session, code), now)


def _claimed(session: Session, code: str, condition: ColumnElement[bool], values: Mapping[str, Any]) -> bool:
    statement = (
        update(W)
        .where(W.code == code, condition)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(session.execute(statement), "rowcount", 0)) == 1


def _free_for(till_id: str, now: datetime) -> ColumnElement[bool]:
    """Nobody else holds a live reservation (the brief's ``reserved_by IS NULL OR mine OR lapsed``)."""
    return or_(W.reserved_till_id.is_(None), W.reserved_till_id == till_id, W.reserved_until <= now)


def already_redeemed(session: Session, row: WriteoffCode) -> ApiError:
    first = redeemed_json(session, row) or {}
    zone = station_zone(session, row.redeemed_station_id or row.station_id)
    when = "?" if row.redeemed_at is None else row.redeemed_at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")
    who = f"{first.get('staff_name')}({first.get('staff_no')})"
    where = f"{first.get('station_name')} {first.get('till_name')}"
    return ApiError(
        409,
        "code_already_redeemed",
        f"核销码 {row.code} 已于 {when} 由 {who} 在 {where} 核销 / "
        f"Code {row.code} was already redeemed on {when} by {who} at {where}",
        {"code": row.code, "redeemed": first},
    )


def _unavailable(row: WriteoffCode, reason: str, zh: str, en: str) -> ApiError:
    return ApiError(409, reason, f"核销码 {row.code} {zh} / Code {row.code} {en}", {"code": row.code})


def refusal(session: Session, row: WriteoffCode, till_id: str, valid_at: datetime, now: datetime) -> ApiError:
    """Why a claim did not apply, read from the row as it stands after the failed UPDATE."""
    session.refresh(row)
    subject = subject_of(session, row)
    if row.state == "redeemed":
        return already_redeemed(session, row)
    if row.state == "void" or subject.blocked == "void":
        return _unavailable(row, "code_void", "已作废", "is void")
    if row.state == "expired" or row.expires_at <= valid_at or subject.blocked == "expired":
        return _unavailable(row, "code_expired", "已过期", "has expired")
    holder = reserved_json(session, row, now)
    if holder is not None and holder["till_id"] != till_id:
        error = _unavailable(
            row, "code_reserved", f"正在{holder['till_name']}核销中", f"is held by {holder['till_name']}"
        )
        assert error.detail is not None
        error.detail["reserved_by"] = holder
        return error
    return _unavailable(row, "code_not_reserved", "未被本机保留", "is not held by this till")


def reserve(session: Session, code: str, till_id: str, now: datetime, ttl: timedelta) -> dict[str, Any]:
    """Hold the code for this till while staff confirm; the holder reserving again extends."""
    row = find_code(session, code)
    blocked = subject_of(session, row).blocked
    condition = and_(W.state.in_(OPEN_STATES), W.expires_at > now, _free_for(till_id, now))
    values = {"state": "reserved", "reserved_till_id": till_id, "reserved_until": now + ttl}
    if blocked is not None or not _claimed(session, code, condition, values):
        raise refusal(session, row, till_id, now, now)
    session.refresh(row)
    return code_json(session, row, now)


def release(session: Session, code: str, till_id: str, now: datetime) -> dict[str, Any]:
    """Give back this till's reservation (staff cancelled), even one that has lapsed."""
    row = find_code(session, code)
    condition = and_(W.state == "reserved", W.reserved_till_id == till_id)
    values = {"state": "issued", "reserved_till_id": None, "reserved_until": None}
    if not _claimed(session, code, condition, values):
        raise refusal(session, row, till_id, now, now)
    session.refresh(row)
    return code_json(session, row, now)


@dataclass(frozen=True)
class TillRef:
    station_id: str
    till_id: str


@dataclass(frozen=True)
class RedeemRequest:
    """A redemption as the till recorded it; ``redeemed_at`` is the till's clock."""

    staff_no: str
    redeemed_at: datetime
    offline: bool
    reservation: str | None = None


def redeeming_staff(session: Session, station_id: str, staff_no: str) -> Staff:
    staff = session.scalar(select(Staff).where(Staff.staff_no == staff_no, Staff.station_id == station_id))
    if staff is None:
        raise ApiError(422, "staff_unknown", "员工工号不存在 / Unknown staff number", {"staff_no": staff_no})
    require_permission(staff.role, Permission.WRITE_OFF)  # attendant, cashier, manager
    return staff


def _use_subject(session: Session, row: WriteoffCode, now: datetime) -> None:
    """The pickup order is collected, the coupon used (its member's version moves on)."""
    if row.kind == WriteOffKind.PICKUP:
        done = session.execute(
            update(PickupOrder)
            .where(PickupOrder.id == row.pickup_order_id, PickupOrder.state == "awaiting_pickup")
            .values(state="picked_up")
            .execution_options(synchronize_session=False)
        )
        if int(getattr(done, "rowcount", 0)) != 1:
            raise _unavailable(row, "code_void", "对应订单已取消", "belongs to a cancelled order")
    elif row.kind == WriteOffKind.COUPON:
        used = session.execute(
            update(Coupon)
            .where(Coupon.id == row.coupon_id, Coupon.state == "available")
            .values(state="used")
            .execution_options(synchronize_session=False)
        )
        if int(getattr(used, "rowcount", 0)) != 1:
            raise _unavailable(row, "code_void", "对应优惠券已使用或失效", "belongs to a used coupon")
        coupon = session.get(Coupon, row.coupon_id, populate_existing=True)
        member = None if coupon is None else session.get(Member, coupon.member_id)
        if member is not None:
            members.touch(member, session, now)


def _claim_redemption(
    session: Session, row: WriteoffCode, till: TillRef, staff: Staff, req: RedeemRequest, now: datetime
) -> None:
    # an offline redemption is judged at the moment it happened; an online one now
    valid_at = req.redeemed_at if req.offline else now
    condition = and_(W.state.in_(OPEN_STATES), W.expires_at > valid_at, _free_for(till.till_id, now))
    values = {
        "state": "redeemed",
        "redeemed_at": req.redeemed_at,
        "redeemed_staff_id": staff.id,
        "redeemed_station_id": till.station_id,
        "redeemed_till_id": till.till_id,
        "reserved_till_id": None,
        "reserved_until": None,
    }
    if subject_of(session, row).blocked is not None or not _claimed(session, row.code, condition, values):
        raise refusal(session, row, till.till_id, valid_at, now)
    session.refresh(row)
    _use_subject(session, row, now)


def _record(
    session: Session, row: WriteoffCode, till: TillRef, staff: Staff, req: RedeemRequest, now: datetime
) -> dict[str, Any]:
    subject = subject_of(session, row)
    session.add(
        WriteoffRedemption(
            code=row.code,
            station_id=till.station_id,
            till_id=till.till_id,
            staff_id=staff.id,
            kind=row.kind,
            title=subject.title,
            value_fen=subject.value_fen,
            redeemed_at=req.redeemed_at,
            accepted_at=now,
            offline=req.offline,
            reservation=req.reservation,
        )
    )
    session.flush()
    answer = code_json(session, row, now)
    event = {
        "code": row.code,
        "kind": row.kind,
        "title": subject.title,
        "value_fen": subject.value_fen,
        "redeemed": answer["redeemed"],
    }
    append_event(session, till.station_id, "writeoff.redeemed", event)
    return answer


def _record_conflict(
    session: Session,
    row: WriteoffCode,
    till: TillRef,
    staff: Staff,
    req: RedeemRequest,
    reason: str,
    now: datetime,
) -> None:
    session.refresh(row)
    session.add(
        WriteoffConflict(
            code=row.code,
            station_id=till.station_id,
            till_id=till.till_id,
            staff_id=staff.id,
            reason=reason,
            attempted_at=req.redeemed_at,
            received_at=now,
            first_till_id=row.redeemed_till_id,
            first_staff_id=row.redeemed_staff_id,
            first_redeemed_at=row.redeemed_at,
        )
    )
    log.warning("offline write-off refused (%s) on till %s: flagged for review", reason, till.till_id)


def redeem(
    session: Session, code: str, till: TillRef, req: RedeemRequest, now: datetime
) -> tuple[int, dict[str, Any]]:
    """Redeem once; a refused offline redemption is kept in ``writeoff_conflicts`` for a manager.

    Refusals are returned, not raised, so the conflict record is committed with the stored answer.
    """
    row = find_code(session, code)
    staff = redeeming_staff(session, till.station_id, req.staff_no)
    try:
        with session.begin_nested():  # a refused coupon or order undoes the claim on the code
            _claim_redemption(session, row, till, staff, req, now)
            answer = _record(session, row, till, staff, req, now)
    except ApiError as refused:
        if req.offline and refused.status == 409:
            _record_conflict(session, row, till, staff, req, refused.code, now)
        return refused.status, refused.body()
    log.info("write-off code of kind %s redeemed on till %s", row.kind, till.till_id)
    return 200, answer


def conflicts(session: Session, station_id: str, limit: int = 200) -> list[dict[str, Any]]:
    """Refused offline redemptions not yet reviewed, newest first (the manager's review list)."""
    rows = session.scalars(
        select(WriteoffConflict)
        .where(WriteoffConflict.station_id == station_id, WriteoffConflict.reviewed_at.is_(None))
        .order_by(WriteoffConflict.id.desc())
        .limit(limit)
    ).all()
    out = []
    for conflict in rows:
        staff = session.get(Staff, conflict.staff_id)
        out.append(
            {
                "id": str(conflict.id),
                "code": conflict.code,
                "reason": conflict.reason,
                "till_id": conflict.till_id,
                "staff_no": None if staff is None else staff.staff_no,
                "attempted_at": to_wire(conflict.attempted_at),
                "received_at": to_wire(conflict.received_at),
                "first": redeemed_json(session, find_code(session, conflict.code)),
            }
        )
    return out
