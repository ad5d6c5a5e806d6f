"""Refunds after completion (manager only, with a reason), through the till's outbox.

The money goes back to the methods that took it (``pos.domain.refund``): each method at most what it
took net of change and of earlier refunds, the last-tendered method first unless the till names the
split; never more than was paid in all (``409 refund_exceeds_paid``).

What the member gets back, as the backend's rules (the domain is silent on coupons and points):
- the wallet share of a refund goes back onto the wallet balance;
- points earned follow what was finally paid: ``points_for(total - refunded)``, so the excess is taken
  back (never below a balance of zero: points already spent stay spent);
- coupons the sale used become available again once the sale is refunded in full (expired instead if
  their validity has ended); a partial refund keeps them used.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos.domain.errors import PosError
from pos.domain.refund import RefundPart, plan_refund
from pos.domain.tender import Settlement, Tender, TenderMethod, points_for
from pos_backend import members
from pos_backend.clock import to_wire
from pos_backend.errors import ApiError, not_found
from pos_backend.events import append_event
from pos_backend.models import Coupon, Member, Sale
from pos_backend.models_counter import SaleRefund
from pos_backend.roles import Permission
from pos_backend.schemas_counter import RefundIn
from pos_backend.staff_auth import named_staff

log = logging.getLogger(__name__)
Methods = Mapping[TenderMethod, int]


def taken_by_method(body: dict[str, Any]) -> dict[TenderMethod, int]:
    tenders = tuple(Tender(TenderMethod(t["method"]), t["amount_fen"]) for t in body["tenders"])
    return Settlement(body["total_fen"], tenders, body["change_fen"]).net_by_method()


def _already_refunded(session: Session, sale_id: str) -> tuple[dict[TenderMethod, int], int]:
    """Per method, and the points taken back so far."""
    by_method: dict[TenderMethod, int] = {}
    points = 0
    for row in session.scalars(select(SaleRefund).where(SaleRefund.sale_id == sale_id)):
        for part in json.loads(row.parts):
            method = TenderMethod(part["method"])
            by_method[method] = by_method.get(method, 0) + part["amount_fen"]
        points += row.points_taken_back
    return by_method, points


def _exceeds(refundable: int, wanted: int, method: TenderMethod | None = None) -> ApiError:
    """Above what was paid in all, or (``method``) above what that method took."""
    return ApiError(
        409,
        "refund_exceeds_paid",
        f"退款超过实收，最多可退 {refundable} 分 / Refund above what was paid",
        {
            "refundable_fen": refundable,
            "wanted_fen": wanted,
            "method": None if method is None else method.value,
        },
    )


def _parts(refund: RefundIn, taken: Methods, already: Methods) -> tuple[RefundPart, ...]:
    left = {method: fen - already.get(method, 0) for method, fen in taken.items()}
    if refund.tenders is None:
        try:
            return plan_refund(taken, already, refund.amount_fen)
        except PosError as refused:
            raise _exceeds(sum(left.values()), refund.amount_fen) from refused
    named = [RefundPart(TenderMethod(t.method), t.amount_fen) for t in refund.tenders]
    if sum(part.amount_fen for part in named) != refund.amount_fen:
        raise ApiError(
            422,
            "refund_invalid",
            "退款方式金额之和与退款金额不符 / Refund tenders do not add up to the amount",
            {"amount_fen": refund.amount_fen},
        )
    wanted: dict[TenderMethod, int] = {}
    for part in named:
        wanted[part.method] = wanted.get(part.method, 0) + part.amount_fen
    for method, fen in wanted.items():
        if fen > left.get(method, 0):
            raise _exceeds(left.get(method, 0), fen, method)
    return tuple(named)


def _restore_coupons(session: Session, body: dict[str, Any], member: Member, now: datetime) -> list[str]:
    restored = []
    for discount in body["discounts"]:
        coupon_id = discount.get("coupon_id")
        coupon = session.get(Coupon, int(coupon_id)) if coupon_id and coupon_id.isdigit() else None
        if coupon is not None and coupon.member_id == member.id and coupon.state == "used":
            coupon.state = "available" if coupon.valid_to > now else "expired"
            restored.append(coupon_id)
    return restored


def _give_back_to_member(
    session: Session,
    sale: Sale,
    body: dict[str, Any],
    parts: tuple[RefundPart, ...],
    refunded_after: int,
    points_back_before: int,
    now: datetime,
) -> tuple[int, list[str], int]:
    """Wallet share back, excess points taken back, coupons restored on a full refund."""
    if sale.member_id is None:
        return 0, [], 0
    member = session.get(Member, sale.member_id)
    if member is None:
        return 0, [], 0
    wallet = sum(p.amount_fen for p in parts if p.method is TenderMethod.WALLET)
    member.wallet_fen += wallet
    owed_back = sale.points_earned - points_for(sale.total_fen - refunded_after) - points_back_before
    points_back = max(0, min(owed_back, member.points))
    member.points -= points_back
    full = refunded_after == sale.total_fen
    coupons = _restore_coupons(session, body, member, now) if full else []
    members.touch(member, session, now)
    return wallet, coupons, points_back


def record_refund(
    session: Session, sale_id: str, refund: RefundIn, station_id: str, till_id: str, now: datetime
) -> dict[str, Any]:
    """Apply the refund in the caller's transaction; the 201 answer, or an ApiError refusal."""
    staff = named_staff(session, station_id, refund.staff_no, Permission.REFUND)
    sale = session.scalar(select(Sale).where(Sale.sale_id == sale_id, Sale.station_id == station_id))
    if sale is None:
        raise not_found("销售 / sale")
    if session.scalar(select(SaleRefund.id).where(SaleRefund.refund_id == refund.refund_id)) is not None:
        raise ApiError(409, "refund_duplicate", "该退款已记录 / This refund was already recorded")
    body = json.loads(sale.body)
    taken = taken_by_method(body)
    already, points_back_before = _already_refunded(session, sale_id)
    parts = _parts(refund, taken, already)
    refunded_after = sum(already.values()) + refund.amount_fen
    wallet, coupons, points_back = _give_back_to_member(
        session, sale, body, parts, refunded_after, points_back_before, now
    )
    wire_parts = [{"method": p.method.value, "amount_fen": p.amount_fen} for p in parts]
    session.add(
        SaleRefund(
            refund_id=refund.refund_id,
            sale_id=sale_id,
            station_id=station_id,
            till_id=till_id,
            staff_no=staff.staff_no,
            staff_name=staff.name,
            reason=refund.reason,
            amount_fen=refund.amount_fen,
            parts=json.dumps(wire_parts),
            points_taken_back=points_back,
            coupons_restored=json.dumps(coupons),
            at=now,
        )
    )
    session.flush()  # a refund_id recorded meanwhile by another process fails here
    answer = {
        "refund_id": refund.refund_id,
        "sale_id": sale_id,
        "amount_fen": refund.amount_fen,
        "parts": wire_parts,
        "wallet_restored_fen": wallet,
        "coupons_restored": coupons,
        "points_taken_back": points_back,
        "refunded_total_fen": refunded_after,
        "refundable_fen": sum(taken.values()) - refunded_after,
        "staff_no": staff.staff_no,
        "reason": refund.reason,
        "at": to_wire(now),
    }
    append_event(session, station_id, "sale.refunded", {**answer, "till_id": till_id})
    log.info("refund %s of sale %s: %d fen", refund.refund_id, sale_id, refund.amount_fen)
    return answer


def refunds_between(session: Session, station_id: str, start: datetime, end: datetime) -> list[SaleRefund]:
    """Refunds given in ``(start, end]`` (the shift window rule), oldest first."""
    return list(
        session.scalars(
            select(SaleRefund)
            .where(SaleRefund.station_id == station_id, SaleRefund.at > start, SaleRefund.at <= end)
            .order_by(SaleRefund.at, SaleRefund.id)
        )
    )
