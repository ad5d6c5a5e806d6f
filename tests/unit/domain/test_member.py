from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from pos.domain.errors import InvalidValue
from pos.domain.member import (
    InsufficientBalance,
    Member,
    Tier,
    add_months,
    is_cn_mobile,
    mask_phone,
    tier_for_top_up,
)
from pos.domain.money import Money
from tests.unit.domain.factories import T0, member


@pytest.mark.parametrize(
    ("fen", "tier"),
    [
        (0, Tier.REGULAR),
        (99_999, Tier.REGULAR),
        (100_000, Tier.SILVER),
        (299_999, Tier.SILVER),
        (300_000, Tier.GOLD),
        (500_000, Tier.DIAMOND),
        (10**9, Tier.DIAMOND),
    ],
)
def test_tier_by_cumulative_top_up(fen: int, tier: Tier) -> None:
    assert tier_for_top_up(fen) is tier


def test_tier_labels_and_mall_rates() -> None:
    assert [t.label for t in Tier] == ["普通", "白银", "黄金", "钻石"]
    assert [t.mall_rate_per_mille for t in Tier] == [1000, 950, 920, 880]


@pytest.mark.parametrize(
    ("phone", "ok"),
    [
        ("13812345678", True),
        ("19912345678", True),
        ("12812345678", False),  # no 12x mobile prefix
        ("1381234567", False),
        ("138123456789", False),
        ("１３８１２３４５６７８", False),  # full-width digits
        ("+8613812345678", False),
        (13812345678, False),
    ],
)
def test_cn_mobile_validation(phone: object, ok: bool) -> None:
    assert is_cn_mobile(phone) is ok


def test_masked_phone_and_repr_never_show_the_number() -> None:
    m = member(phone="13812345678")
    assert m.masked_phone == "138****5678" == mask_phone("13812345678")
    assert "13812345678" not in repr(m)


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"phone": "12345"}, "mobile"),
        ({"wallet_fen": -1}, "wallet_fen"),
        ({"points": -5}, "points"),
        ({"tier": Tier.REGULAR}, "expiry"),  # regular with an expiry
        ({"tier": Tier.GOLD, "tier_expires_at": None}, "expiry"),
        ({"tier_expires_at": datetime(2027, 1, 1)}, "tier_expires_at"),
        ({"plates": ("ABC123",)}, "plate"),
        ({"plates": ("粤B1234O",)}, "plate"),
        ({"plates": ("粤B123",)}, "plate"),
        ({"plates": ["粤B12345"]}, "tuple"),
        ({"name": ""}, "name"),
    ],
)
def test_member_refuses_bad_values(changes: dict[str, Any], words: str) -> None:
    with pytest.raises(InvalidValue, match=words):
        member(**changes)


def test_the_phone_is_masked_even_in_the_refusal() -> None:
    with pytest.raises(InvalidValue) as refused:
        member(phone="12812345678")
    assert "12812345678" not in str(refused.value)


@pytest.mark.parametrize("plate", ["粤B12345", "京AD12345", "沪A1234挂", "苏E12345", "粤B1234学"])
def test_plates_accepted(plate: str) -> None:
    assert member(plates=(plate,)).plates == (plate,)


def test_tier_expires_and_reminder_window() -> None:
    granted = member(tier=Tier.REGULAR, tier_expires_at=None).grant_tier(Tier.DIAMOND, T0)
    expiry = datetime(2027, 11, 21, 6, 0, tzinfo=UTC)
    assert granted.tier_expires_at == expiry
    assert not granted.renewal_reminder_due(expiry - timedelta(days=15, seconds=1))
    assert granted.renewal_reminder_due(expiry - timedelta(days=15))
    assert granted.effective_tier(expiry - timedelta(seconds=1)) is Tier.DIAMOND
    assert granted.effective_tier(expiry) is Tier.REGULAR
    assert not granted.renewal_reminder_due(expiry)
    assert granted.mall_price(Money(10_000), T0) == Money(8_800)
    assert granted.mall_price(Money(10_000), expiry) == Money(10_000)


def test_add_months_clamps_the_day() -> None:
    leap = datetime(2028, 2, 29, 12, 0, tzinfo=UTC)
    assert add_months(leap, 12) == datetime(2029, 2, 28, 12, 0, tzinfo=UTC)
    assert add_months(datetime(2026, 1, 31, tzinfo=UTC), 1) == datetime(2026, 2, 28, tzinfo=UTC)
    assert add_months(datetime(2026, 12, 15, tzinfo=UTC), 1) == datetime(2027, 1, 15, tzinfo=UTC)


def test_wallet() -> None:
    m = member(wallet_fen=1_000)
    assert m.top_up(Money(500)).wallet_fen == 1_500
    assert m.pay_from_wallet(Money(1_000)).wallet_fen == 0
    with pytest.raises(InsufficientBalance) as refused:
        m.pay_from_wallet(Money(1_001))
    assert refused.value.code == "wallet_insufficient"


def test_from_wire_reads_back_what_to_wire_wrote() -> None:
    original = member(plates=("粤B12345", "京AD12345"))
    assert Member.from_wire(original.to_wire()) == original


@pytest.mark.parametrize(
    ("field", "bad", "message"),
    [
        ("id", None, "member has no field 'id'"),
        ("card_no", None, "member has no field 'card_no'"),
        ("phone", None, "member has no field 'phone'"),
        ("wallet_fen", None, "member has no field 'wallet_fen'"),
        ("name", 7, "member name must be text, got 7"),
        ("name", "  ", "member name cannot be blank"),
        ("card_no", ["6200"], "member card_no must be text"),
        ("wallet_fen", "500", "member wallet_fen must be a whole number"),
        ("points", True, "member points must be a whole number"),
        ("points", -1, "member points must be at least 0"),
        ("phone", 13812345678, "11-digit mainland mobile number, got 13812345678"),
        ("phone", "1381234567", "got 138****4567"),
        ("plates", "粤B12345", "member.plates must be a list"),
        ("plates", ["粤B1"], "not a licence plate: '粤B1'"),
        ("tier", None, "member has no field 'tier'"),
        ("tier", "platinum", "member.tier must be one of regular|silver|gold|diamond, got 'platinum'"),
        ("tier", ["gold"], "member.tier must be a string, got ['gold']"),
        ("tier", "regular", "member tier regular needs an expiry exactly when above regular"),
        ("tier_expires_at", "2026-13-01T00:00:00Z", "member.tier_expires_at must be an RFC 3339 time"),
        ("tier_expires_at", "2026-05-01T00:00:00", "member.tier_expires_at must be an RFC 3339 time"),
    ],
)
def test_from_wire_names_the_bad_field(field: str, bad: object, message: str) -> None:
    """Plain fields are checked once, by the constructor; the message still names the field."""
    wire = member().to_wire()
    if bad is None:
        del wire[field]
    else:
        wire[field] = bad
    with pytest.raises(InvalidValue, match=re.escape(message)):
        Member.from_wire(wire)
