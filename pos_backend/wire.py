"""Rows to the JSON objects of the v1 contract (docs/api-v1.md, "Objects")."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pos_backend.clock import to_wire
from pos_backend.models import Coupon, Grade, Member, Nozzle, Order, PumpTransaction

GRADE_NAMES = {"92": "92#汽油", "95": "95#汽油", "98": "98#汽油", "0": "0#柴油"}


def grade_json(grade: Grade) -> dict[str, Any]:
    return {"code": grade.code, "name": grade.name, "price_fen": grade.price_fen}


def nozzle_json(nozzle: Nozzle) -> dict[str, Any]:
    return {
        "number": nozzle.number,
        "pump_number": nozzle.pump_number,
        "grade": nozzle.grade_code,
        "state": nozzle.state,
        "unit_price_fen": nozzle.unit_price_fen,
        "current_volume_ml": nozzle.current_volume_ml,
        "current_amount_fen": nozzle.current_amount_fen,
        "totalizer_volume_ml": nozzle.totalizer_volume_ml,
        "totalizer_amount_fen": nozzle.totalizer_amount_fen,
        "totalizer_read_at": to_wire(nozzle.totalizer_read_at),
        "updated_at": to_wire(nozzle.updated_at),
        "order_id": nozzle.order_id,
    }


def transaction_json(txn: PumpTransaction, now: datetime) -> dict[str, Any]:
    """An expired lock counts as free, so it is shown as payable even before the sweeper releases it."""
    lock_live = txn.state == "locked" and txn.lock_expires_at is not None and txn.lock_expires_at > now
    state = "payable" if txn.state == "locked" and not lock_live else txn.state
    locked_by = None
    if lock_live and txn.locked_till is not None and txn.locked_staff is not None:
        locked_by = {
            "till_id": txn.locked_till.id,
            "till_name": txn.locked_till.name,
            "staff_no": txn.locked_staff.staff_no,
            "staff_name": txn.locked_staff.name,
        }
    return {
        "id": txn.id,
        "pump_number": txn.pump_number,
        "nozzle_number": txn.nozzle_number,
        "grade": txn.grade_code,
        "unit_price_fen": txn.unit_price_fen,
        "volume_ml": txn.volume_ml,
        "amount_fen": txn.amount_fen,
        "state": state,
        "locked_by": locked_by,
        "lock_expires_at": to_wire(txn.lock_expires_at) if lock_live else None,
        "started_at": to_wire(txn.started_at),
        "ended_at": to_wire(txn.ended_at),
        "order_id": txn.order_id,
    }


def order_json(order: Order) -> dict[str, Any]:
    return {
        "id": order.id,
        "order_no": order.order_no,
        "nozzle_number": order.nozzle_number,
        "grade": order.grade_code,
        "prepaid_fen": order.prepaid_fen,
        "state": order.state,
        "exception": order.exception,
        "member_id": None if order.member_id is None else str(order.member_id),  # ids are strings on the wire
        "plate": order.plate,
        "created_at": to_wire(order.created_at),
        "updated_at": to_wire(order.updated_at),
        "transaction_id": order.transaction_id,
    }


def coupon_json(coupon: Coupon) -> dict[str, Any]:
    return {
        "id": str(coupon.id),
        "title": coupon.title,
        "threshold_fen": coupon.threshold_fen,
        "reduction_fen": coupon.discount_fen,
        "grades": [] if coupon.grade_code is None else [coupon.grade_code],  # empty: every grade
        "valid_from": to_wire(coupon.valid_from),
        "valid_until": to_wire(coupon.valid_to),
        "state": coupon.state,
    }


def member_json(member: Member) -> dict[str, Any]:
    return {
        "id": str(member.id),
        "card_no": member.card_no,
        "name": member.name,
        "phone": member.phone,
        "tier": member.tier,
        "tier_expires_at": to_wire(member.tier_expires_at),
        "wallet_fen": member.wallet_fen,
        "points": member.points,
        "plates": [] if member.plate is None else [member.plate],
        "coupons": [coupon_json(c) for c in member.coupons],
        "version": member.version,
        "updated_at": to_wire(member.updated_at),
    }
