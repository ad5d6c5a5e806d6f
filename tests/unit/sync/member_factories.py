"""Wire-shaped members (the contract's Member object) for tests of the member cache and lookup."""

from __future__ import annotations

from typing import Any

from pos.services.ports import MemberRecord
from pos.sync.members import parse_member_record


def coupon_wire(coupon_id: str, state: str = "available", grades: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "id": coupon_id,
        "title": "满200减15",
        "threshold_fen": 20_000,
        "reduction_fen": 1_500,
        "grades": list(grades),
        "valid_from": "2026-11-01T00:00:00+08:00",
        "valid_until": "2026-12-01T00:00:00+08:00",
        "state": state,
    }


def member_wire(
    member_id: str,
    phone: str,
    version: int = 1,
    *,
    name: str = "王芳",
    card_no: str | None = None,
    wallet_fen: int = 27_500,
    coupons: tuple[dict[str, Any], ...] = (),
) -> dict[str, Any]:
    return {
        "id": member_id,
        "card_no": card_no or f"8860{int(member_id):06d}10",
        "name": name,
        "phone": phone,
        "tier": "gold",
        "tier_expires_at": "2027-06-01T00:00:00+08:00",
        "wallet_fen": wallet_fen,
        "points": 6_070,
        "plates": ["粤B·12345"],
        "coupons": list(coupons),
        "version": version,
        "updated_at": "2026-11-21T06:00:00+00:00",
    }


def record(member_id: str, phone: str, version: int = 1, **changes: Any) -> MemberRecord:
    return parse_member_record(member_wire(member_id, phone, version, **changes), "test member")
