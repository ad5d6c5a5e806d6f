"""Member search and the change feed over real HTTP; sales that touch a member bump its version."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select, text

from pos_backend import members
from pos_backend.clock import utc_now
from pos_backend.models import Coupon, Member
from pos_backend.seed_people import MEMBER_COUNT
from pos_backend.server import RunningBackend
from tests.integration.backend.conftest import TillClient
from tests.integration.backend.sales_util import post_sale, sale_body
from tests.integration.backend.test_auth_and_errors import assert_error

MEMBER_KEYS = {
    "id", "card_no", "name", "phone", "tier", "tier_expires_at", "wallet_fen", "points", "plates",
    "coupons", "version", "updated_at",
}  # fmt: skip
COUPON_KEYS = {
    "id",
    "title",
    "threshold_fen",
    "reduction_fen",
    "grades",
    "valid_from",
    "valid_until",
    "state",
}


def _search(till: TillClient, **params: str) -> list[dict[str, Any]]:
    response = till.get("/api/v1/members/search", **params)
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["members"]
    return found


def _add_members_with_suffix(backend: RunningBackend, suffix: str, count: int) -> None:
    now = utc_now()
    with backend.db.write() as session:
        for index in range(count):
            member = Member(
                card_no=f"7700{index:06d}{suffix[:2]}",
                phone=f"139{index:04d}{suffix}",
                name="测试",
                tier="regular",
                cumulative_topup_fen=0,
                wallet_fen=0,
                points=0,
                joined_at=now,
            )
            members.touch(member, session, now)
            session.add(member)


def _member_with_coupon(backend: RunningBackend) -> tuple[Member, Coupon]:
    with backend.db.read() as session:
        with_wallet = select(Coupon).join(Member, Member.id == Coupon.member_id).where(Member.wallet_fen > 0)
        coupon = session.scalars(with_wallet.where(Coupon.state == "available").order_by(Coupon.id)).first()
        assert coupon is not None
        member = session.get(Member, coupon.member_id)
        assert member is not None
        return member, coupon


def test_search_by_phone_suffix_and_card(backend: RunningBackend, till: TillClient) -> None:
    member, coupon = _member_with_coupon(backend)
    [by_phone] = _search(till, phone=member.phone)
    assert set(by_phone) == MEMBER_KEYS and by_phone["id"] == str(member.id)
    assert by_phone["phone"] == member.phone and by_phone["version"] == member.version
    assert by_phone["plates"] == ([] if member.plate is None else [member.plate])
    shown = next(c for c in by_phone["coupons"] if c["id"] == str(coupon.id))
    assert set(shown) == COUPON_KEYS and shown["state"] == "available"
    assert shown["reduction_fen"] == coupon.discount_fen
    assert _search(till, card_no=member.card_no) == [by_phone]
    assert _search(till, phone_suffix=member.phone[-4:]) == [by_phone]
    assert _search(till, phone="13000000000") == []


def test_suffix_shared_by_several_members(backend: RunningBackend, till: TillClient) -> None:
    _add_members_with_suffix(backend, "4321", 3)
    _add_members_with_suffix(backend, "7777", 25)
    found = _search(till, phone_suffix="4321")
    assert len(found) == 3 and all(m["phone"].endswith("4321") for m in found)
    assert [m["phone"] for m in _search(till, phone_suffix="00024321")] == ["13900024321"]
    assert len(_search(till, phone_suffix="7777")) == 20  # enough to choose from, not the whole list
    for params in ({}, {"phone": "13900024321", "card_no": "x"}, {"phone_suffix": "12"}):
        assert_error(till.get("/api/v1/members/search", **params), 422, "validation_failed")


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_search_uses_the_indexes(backend: RunningBackend) -> None:
    with backend.db.read() as session:
        for column in ("phone_suffix4", "card_no"):
            plan = session.execute(
                text(f"EXPLAIN QUERY PLAN SELECT id FROM members WHERE {column} = :v"), {"v": "1234"}
            ).all()
            assert "USING INDEX" in str(plan) or "USING COVERING INDEX" in str(plan), plan


def _all_changes(till: TillClient, after: int, limit: int) -> tuple[list[dict[str, Any]], int, int]:
    """Follow the feed to its end; returns (members, last_version, pages)."""
    seen: list[dict[str, Any]] = []
    pages = 0
    while True:
        page = till.get("/api/v1/members/changes", after=after, limit=limit).json()
        pages += 1
        seen += page["members"]
        assert page["last_version"] == (page["members"][-1]["version"] if page["members"] else after)
        after = page["last_version"]
        if not page["more"]:
            return seen, after, pages


def test_changes_page_through_every_member(backend: RunningBackend, till: TillClient) -> None:
    seen, last, pages = _all_changes(till, after=0, limit=128)
    assert len(seen) == MEMBER_COUNT and pages == 3
    versions = [m["version"] for m in seen]
    assert versions == sorted(set(versions)) and last == versions[-1]
    assert till.get("/api/v1/members/changes", after=last).json() == {
        "members": [],
        "last_version": last,
        "more": False,
    }


def test_sale_using_a_coupon_bumps_the_member_version(backend: RunningBackend, till: TillClient) -> None:
    member, coupon = _member_with_coupon(backend)
    _, last, _ = _all_changes(till, after=0, limit=1000)
    wallet = min(member.wallet_fen, 5_000)
    assert wallet > 0
    amount = coupon.threshold_fen + 1_000
    discount = {"kind": "coupon", "description": coupon.title, "amount_fen": coupon.discount_fen,
                "coupon_id": str(coupon.id)}  # fmt: skip
    total = amount - coupon.discount_fen
    tenders = [{"method": "wallet", "amount_fen": wallet}, {"method": "card", "amount_fen": total - wallet}]
    body = sale_body(amount, member_id=str(member.id), discounts=[discount], tenders=tenders)
    answer = post_sale(till, body)
    assert answer.status_code == 201, answer.text
    assert answer.json()["points_earned"] == total // 100
    changed, new_last, _ = _all_changes(till, after=last, limit=1000)
    assert [m["id"] for m in changed] == [str(member.id)] and new_last > last
    [after_sale] = changed
    assert after_sale["points"] == member.points + total // 100
    assert after_sale["wallet_fen"] == member.wallet_fen - wallet
    assert next(c for c in after_sale["coupons"] if c["id"] == str(coupon.id))["state"] == "used"
    again = post_sale(till, {**body, "sale_id": "another-sale"})
    assert_error(again, 409, "coupon_unavailable")
    assert _all_changes(till, after=new_last, limit=1000)[0] == []  # the refusal changed nothing
    over = after_sale["wallet_fen"] + 100
    too_much = sale_body(over, member_id=str(member.id), tenders=[{"method": "wallet", "amount_fen": over}])
    assert_error(post_sale(till, too_much), 409, "wallet_insufficient")
