"""Sales recorded by the tills (through their outbox): checked, applied once, numbered in accepted order.

A sale may arrive long after it happened (the till was offline), so the staff member is named in the
body rather than taken from a live session, and a fill this till had locked is settled even if that lock
has run out since.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from pos.domain.wire import parse_rfc3339
from pos_backend import members, transactions, write_behind
from pos_backend.clock import to_wire
from pos_backend.counters import SALE_SEQ, next_value
from pos_backend.errors import ApiError, not_found
from pos_backend.events import append_event
from pos_backend.models import Base, Coupon, Member, Sale, Staff
from pos_backend.schemas_sales import SaleIn

log = logging.getLogger(__name__)
SELLING_ROLES = frozenset({"cashier", "manager"})
FEN_PER_POINT = 100  # one point per whole yuan paid
_STAFF_SEEN = "sales.selling_staff"  # write_behind.memo: (station, staff_no) -> (id, role)
_RECORDED = "sales.recorded"  # write_behind.memo: sale_id -> accepted_seq, or None: not recorded
_SALES = Base.metadata.tables["sales"]
_SEQ_OF_SALE = select(_SALES.c.accepted_seq).where(_SALES.c.sale_id == bindparam("sale_id"))
_SEQS_OF_SALES = select(_SALES.c.sale_id, _SALES.c.accepted_seq).where(
    _SALES.c.sale_id.in_(bindparam("sale_ids", expanding=True))
)


def _error(loc: str, msg: str, kind: str) -> dict[str, Any]:
    return {"loc": ["body", loc], "msg": msg, "type": kind}


def rule_errors(sale: SaleIn) -> list[dict[str, Any]]:
    """The arithmetic and consistency rules a well-formed sale must also meet."""
    errors = []
    expected_total = sum(x.amount_fen for x in sale.lines) - sum(d.amount_fen for d in sale.discounts)
    if expected_total < 0:
        errors.append(_error("discounts", "discounts exceed the lines", "discount_too_large"))
    elif sale.total_fen != expected_total:
        errors.append(_error("total_fen", f"lines minus discounts is {expected_total}", "total_mismatch"))
    tendered = sum(t.amount_fen for t in sale.tenders)
    if tendered - sale.change_fen != sale.total_fen:
        errors.append(_error("tenders", "tenders minus change must equal the total", "tender_mismatch"))
    cash = sum(t.amount_fen for t in sale.tenders if t.method == "cash")
    if sale.change_fen > cash:
        errors.append(_error("change_fen", "change is only given from a cash tender", "change_without_cash"))
    if sale.member_id is None:
        if any(t.method == "wallet" for t in sale.tenders):
            errors.append(_error("tenders", "a wallet tender needs a member", "wallet_without_member"))
        if any(d.coupon_id is not None for d in sale.discounts):
            errors.append(_error("discounts", "a coupon needs a member", "coupon_without_member"))
    return errors


def _selling_staff_id(session: Session, station_id: str, staff_no: str) -> int:
    """The id of a staff member who may sell. Looked up once per write transaction: a batch of sales
    names the same few staff, and no batchable change alters a staff row."""
    known: dict[tuple[str, str], tuple[int, str]] = write_behind.memo(session).setdefault(_STAFF_SEEN, {})
    found = known.get((station_id, staff_no))
    if found is None:
        row = session.execute(
            select(Staff.id, Staff.role).where(Staff.staff_no == staff_no, Staff.station_id == station_id)
        ).first()
        if row is None:
            raise ApiError(
                422, "staff_unknown", "收银员工号不存在 / Unknown staff number", {"staff_no": staff_no}
            )
        found = known[(station_id, staff_no)] = (row.id, row.role)
    staff_id, role = found
    if role not in SELLING_ROLES:
        raise ApiError(403, "role_forbidden", "当前岗位无权收银 / This role may not sell")
    return staff_id


def look_up_recorded(session: Session, sale_ids: list[str]) -> None:
    """Read at once which of these sales are recorded, for the sales about to be recorded in this
    transaction (a batch): each then checks for a duplicate without a query of its own."""
    recorded: dict[str, int | None] = dict.fromkeys(sale_ids)
    rows = session.execute(_SEQS_OF_SALES, {"sale_ids": sorted(set(sale_ids))})
    recorded.update({sale_id: seq for sale_id, seq in rows})
    write_behind.memo(session)[_RECORDED] = recorded


def _recorded_seq(session: Session, sale_id: str) -> int | None:
    # The memo is right about the sales it names: record_sale adds each sale it holds, and it is
    # emptied with any rollback (which may drop such a sale) and once the held rows are written.
    recorded = write_behind.memo(session).get(_RECORDED, {})
    if sale_id in recorded:
        seq: int | None = recorded[sale_id]
        return seq
    for row in write_behind.held_rows(session, _SALES):  # recorded earlier in this transaction
        if row["sale_id"] == sale_id:
            return int(row["accepted_seq"])
    return session.scalar(_SEQ_OF_SALE, {"sale_id": sale_id})


def _refuse_duplicate(session: Session, sale_id: str) -> None:
    earlier_seq = _recorded_seq(session, sale_id)
    if earlier_seq is not None:
        raise ApiError(
            409,
            "sale_duplicate",
            "该笔销售已记录 / This sale was already recorded",
            {"sale_id": sale_id, "accepted_seq": earlier_seq},
        )


def _use_coupon(session: Session, member: Member, coupon_id: str) -> None:
    coupon = session.get(Coupon, int(coupon_id)) if coupon_id.isascii() and coupon_id.isdigit() else None
    if coupon is None or coupon.member_id != member.id or coupon.state != "available":
        raise ApiError(
            409,
            "coupon_unavailable",
            "优惠券不可用（已使用、已过期或不属于该会员）/ Coupon used, expired or not this member's",
            {"coupon_id": coupon_id, "state": None if coupon is None else coupon.state},
        )
    coupon.state = "used"


def _apply_to_member(session: Session, sale: SaleIn, now: datetime) -> tuple[int | None, int]:
    """Coupons used, wallet paid, points earned; returns (member row id, points earned)."""
    if sale.member_id is None:
        return None, 0
    member = members.member_by_wire_id(session, sale.member_id)
    if member is None:
        raise not_found("会员 / member")
    for discount in sale.discounts:
        if discount.coupon_id is not None:
            _use_coupon(session, member, discount.coupon_id)
    wallet = sum(t.amount_fen for t in sale.tenders if t.method == "wallet")
    if wallet > member.wallet_fen:
        raise ApiError(
            409,
            "wallet_insufficient",
            "会员钱包余额不足 / Wallet balance too low",
            {"balance_fen": member.wallet_fen, "wanted_fen": wallet},
        )
    points = sale.total_fen // FEN_PER_POINT
    member.wallet_fen -= wallet
    member.points += points
    members.touch(member, session, now)
    return member.id, points


def appends_only(sale: SaleIn) -> bool:
    """Whether recording ``sale`` only appends rows and takes a number (no member, no pump fill)."""
    return sale.member_id is None and sale.transaction_id is None


def record_sale(
    session: Session,
    sale: SaleIn,
    station_id: str,
    till_id: str,
    now: datetime,
    as_sent: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Apply the sale (inside the caller's transaction); the 201 answer, or an ApiError refusal.

    ``as_sent``: ``sale.model_dump(mode="json")`` when the caller has it already (it hashed it)."""
    errors = rule_errors(sale)
    if errors:
        raise ApiError(422, "sale_invalid", "销售金额不一致 / The sale does not add up", {"errors": errors})
    staff_id = _selling_staff_id(session, station_id, sale.staff_no)
    _refuse_duplicate(session, sale.sale_id)
    member_id, points = _apply_to_member(session, sale, now)
    if sale.transaction_id is not None:
        transactions.clear_by_sale(session, sale.transaction_id, station_id, till_id, now, sale.sale_id)
    seq = next_value(session, SALE_SEQ)
    row = {
        "sale_id": sale.sale_id,
        "accepted_seq": seq,
        "accepted_at": now,
        "station_id": station_id,
        "till_id": till_id,
        "staff_id": staff_id,
        "created_at": parse_rfc3339(sale.created_at),
        "transaction_id": sale.transaction_id,
        "member_id": member_id,
        "total_fen": sale.total_fen,
        "points_earned": points,
        "body": json.dumps(sale.model_dump(mode="json") if as_sent is None else as_sent, ensure_ascii=False),
    }
    # held until the commit: a sale_id another process recorded meanwhile fails it (and it is retried)
    write_behind.append(session, _SALES, row)
    write_behind.memo(session).setdefault(_RECORDED, {})[sale.sale_id] = seq
    answer = {
        "sale_id": sale.sale_id,
        "accepted_at": to_wire(now),
        "accepted_seq": seq,
        "points_earned": points,
    }
    event = {
        **answer,
        "till_id": till_id,
        "staff_no": sale.staff_no,
        "total_fen": sale.total_fen,
        "transaction_id": sale.transaction_id,
    }
    append_event(session, station_id, "sale.recorded", event)
    log.debug("sale %s accepted as seq %d from till %s", sale.sale_id, seq, till_id)
    return answer


def list_sales(
    session: Session, station_id: str, till_id: str | None, after_seq: int, limit: int
) -> dict[str, Any]:
    statement = select(Sale).where(Sale.station_id == station_id, Sale.accepted_seq > after_seq)
    if till_id is not None:
        statement = statement.where(Sale.till_id == till_id)
    rows = session.scalars(statement.order_by(Sale.accepted_seq).limit(limit)).all()
    sales = [
        {
            **json.loads(row.body),
            "accepted_seq": row.accepted_seq,
            "accepted_at": to_wire(row.accepted_at),
            "till_id": row.till_id,
        }
        for row in rows
    ]
    return {"sales": sales, "last_seq": rows[-1].accepted_seq if rows else after_seq}
