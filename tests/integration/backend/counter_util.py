"""Helpers for the counter and shift tests: one signed-in till per role, errors, a member with coupons."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from pos_backend.models import Coupon, Member
from pos_backend.server import RunningBackend
from tests.integration.backend.conftest import TillClient, pair_till

STAFF_BY_ROLE = {
    "attendant": ("3001", "3333"),
    "cashier": ("1001", "1111"),
    "manager": ("2001", "8888"),
    "support": ("9001", "9999"),
}


def till_for(backend: RunningBackend, role: str) -> TillClient:
    client = pair_till(backend, f"{role}-till")
    client.sign_in(*STAFF_BY_ROLE[role])
    return client


def error_code(response: Any) -> str:
    body = response.json()
    assert "error" in body, body
    return str(body["error"]["code"])


def member_with_coupons(backend: RunningBackend, wallet_fen: int = 50_000) -> tuple[str, list[str]]:
    """A seeded member with available coupons, given ``wallet_fen`` on the wallet; (id, coupon ids)."""
    with backend.db.write() as session:
        coupon = session.scalars(
            select(Coupon).where(Coupon.state == "available").order_by(Coupon.id)
        ).first()
        assert coupon is not None
        member = session.get(Member, coupon.member_id)
        assert member is not None
        member.wallet_fen = wallet_fen
        ids = [str(c.id) for c in member.coupons if c.state == "available"]
        return str(member.id), ids


def member_state(backend: RunningBackend, member_id: str) -> tuple[int, int, dict[str, str]]:
    """(wallet_fen, points, coupon id -> state) as the backend holds them now."""
    with backend.db.read() as session:
        member = session.get(Member, int(member_id))
        assert member is not None
        return member.wallet_fen, member.points, {str(c.id): c.state for c in member.coupons}
