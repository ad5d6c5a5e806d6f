from __future__ import annotations

from datetime import timedelta
from types import MappingProxyType

import pytest

from pos.domain.coupon import CouponState
from pos.domain.errors import InvalidValue
from pos.domain.grade import GradeCode
from pos.domain.member import Tier
from pos.domain.pricing import (
    AppliedCoupon,
    CouponRefused,
    CouponUse,
    PricingRules,
    Saving,
    SavingKind,
    best_coupon,
    price_sale,
    rate_label,
)
from pos.domain.sale_lines import FuelItem, GoodsItem
from tests.unit.domain.factories import T0, member, transaction
from tests.unit.domain_sales.helpers import NOW, coupon, fuel, prepaid_fuel, water

G92, G95 = GradeCode.G92, GradeCode.G95


@pytest.mark.parametrize(
    ("rate", "label"), [(880, "8.8折"), (920, "9.2折"), (950, "9.5折"), (900, "9折"), (925, "9.25折")]
)
def test_rate_label(rate: int, label: str) -> None:
    assert rate_label(rate) == label


@pytest.mark.parametrize(
    ("tier", "goods_fen", "saving_fen"),
    [
        (Tier.DIAMOND, 10_000, 1_200),
        (Tier.GOLD, 10_000, 800),
        (Tier.SILVER, 10_000, 500),
        (Tier.REGULAR, 10_000, 0),
        # 1,005 fen at 9.5折 is 954.75 to pay: rounded half up to 955, so the saving is 50 fen
        (Tier.SILVER, 1_005, 50),
        # 5 fen at 8.8折 is 4.4 to pay: 4 fen, saving 1 fen; computed once on the goods subtotal
        (Tier.DIAMOND, 5, 1),
    ],
)
def test_tier_discount_on_goods_rounds_half_up_once(tier: Tier, goods_fen: int, saving_fen: int) -> None:
    buyer = member(tier=tier, tier_expires_at=None if tier is Tier.REGULAR else T0 + timedelta(days=90))
    pricing = price_sale(None, [GoodsItem("s", "洗车券", 1, goods_fen)], buyer, [], NOW)
    assert pricing.discount_fen == saving_fen
    assert pricing.total_fen == goods_fen - saving_fen
    assert [s.kind for s in pricing.savings] == ([SavingKind.TIER] if saving_fen else [])


def test_fuel_is_at_pump_price_for_members_by_default() -> None:
    pricing = price_sale(fuel(29_680), [], member(tier=Tier.DIAMOND), [], NOW)
    assert pricing.savings == ()
    assert pricing.due_at_till_fen == 29_680


def test_a_station_rule_can_discount_fuel_by_tier_before_coupons() -> None:
    rules = PricingRules(MappingProxyType({Tier.GOLD: 980}))
    pricing = price_sale(fuel(20_500), [], member(), [AppliedCoupon(coupon())], NOW, rules)
    # 2% off 20,500 is 410, leaving 20,090: the coupon's minimum is tested on that, and it passes
    assert pricing.savings == (
        Saving(SavingKind.TIER, "黄金会员油价 9.8折", 410),
        Saving(SavingKind.COUPON, "满200减15", 1_500, "c-1"),
    )
    # 20,200 less 2% is 19,796: below the minimum although the pump showed more than 200 yuan
    with pytest.raises(CouponRefused) as refused:
        price_sale(fuel(20_200), [], member(), [AppliedCoupon(coupon())], NOW, rules)
    assert refused.value.code == "coupon_below_minimum"


def test_expired_tier_prices_as_regular() -> None:
    lapsed = member(tier=Tier.DIAMOND, tier_expires_at=NOW - timedelta(seconds=1))
    assert price_sale(None, [water(10)], lapsed, [], NOW).discount_fen == 0


def test_each_saving_is_its_own_line() -> None:
    sale_goods = [water(2), GoodsItem("sku-2", "玻璃水", 1, 1_500)]
    pricing = price_sale(fuel(29_680), sale_goods, member(), [AppliedCoupon(coupon())], NOW)
    assert pricing.savings == (
        Saving(SavingKind.TIER, "黄金会员 9.2折", 168),
        Saving(SavingKind.COUPON, "满200减15", 1_500, "c-1"),
    )
    assert pricing.subtotal_fen == 29_680 + 2_100
    assert pricing.total_fen == 29_680 + 2_100 - 168 - 1_500


@pytest.mark.parametrize(
    ("coupon_changes", "fuel_fen", "grade", "code"),
    [
        ({}, 20_000, G92, None),
        ({}, 19_999, G92, "coupon_below_minimum"),
        ({"grades": frozenset({G95})}, 30_000, G92, "coupon_grade_mismatch"),
        ({"grades": frozenset({G95, G92})}, 30_000, G92, None),
        ({"valid_until": NOW}, 30_000, G92, "coupon_expired"),
        ({"valid_from": NOW + timedelta(minutes=1)}, 30_000, G92, "coupon_not_yet_valid"),
        ({"state": CouponState.USED}, 30_000, G92, "coupon_already_used"),
        ({"state": CouponState.EXPIRED}, 30_000, G92, "coupon_expired"),
        ({"state": CouponState.VOID}, 30_000, G92, "coupon_void"),
    ],
)
def test_coupon_rules(
    coupon_changes: dict[str, object], fuel_fen: int, grade: GradeCode, code: str | None
) -> None:
    chosen = [AppliedCoupon(coupon(**coupon_changes))]
    if code is None:
        assert price_sale(fuel(fuel_fen, grade), [], None, chosen, NOW).discount_fen == 1_500
        return
    with pytest.raises(CouponRefused) as refused:
        price_sale(fuel(fuel_fen, grade), [], None, chosen, NOW)
    assert refused.value.code == code
    assert refused.value.detail["coupon_id"] == "c-1"


def test_coupon_minimum_counts_fuel_only_not_goods() -> None:
    with pytest.raises(CouponRefused, match="满200减15") as refused:
        price_sale(fuel(19_000), [water(1, 5_000)], None, [AppliedCoupon(coupon())], NOW)
    assert refused.value.code == "coupon_below_minimum"


@pytest.mark.parametrize("line", [None, "prepaid"])
def test_coupon_needs_fuel_paid_at_the_till(line: str | None) -> None:
    item = None if line is None else prepaid_fuel()
    with pytest.raises(CouponRefused) as refused:
        price_sale(item, [water(1, 30_000)], None, [AppliedCoupon(coupon())], NOW)
    assert refused.value.code == "coupon_no_fuel"


def test_one_coupon_per_sale_unless_all_are_stackable() -> None:
    first, second = coupon(id="c-1"), coupon(id="c-2")
    with pytest.raises(CouponRefused) as refused:
        price_sale(fuel(50_000), [], None, [AppliedCoupon(first), AppliedCoupon(second)], NOW)
    assert refused.value.code == "coupon_not_stackable"
    with pytest.raises(CouponRefused):
        price_sale(fuel(50_000), [], None, [AppliedCoupon(first), AppliedCoupon(second, True)], NOW)
    both = [AppliedCoupon(first, True), AppliedCoupon(second, True)]
    assert price_sale(fuel(50_000), [], None, both, NOW).discount_fen == 3_000


def test_a_stacked_coupon_tests_its_minimum_on_what_the_earlier_ones_left() -> None:
    both = [AppliedCoupon(coupon(id="c-1"), True), AppliedCoupon(coupon(id="c-2"), True)]
    # 21,000 - 1,500 = 19,500 left: below the second coupon's 200 yuan minimum
    with pytest.raises(CouponRefused) as refused:
        price_sale(fuel(21_000), [], None, both, NOW)
    assert refused.value.code == "coupon_below_minimum"


def test_the_same_coupon_twice_is_refused() -> None:
    twice = [AppliedCoupon(coupon(), True), AppliedCoupon(coupon(), True)]
    with pytest.raises(CouponRefused) as refused:
        price_sale(fuel(50_000), [], None, twice, NOW)
    assert refused.value.code == "coupon_already_used"


def test_used_elsewhere_says_where_and_when() -> None:
    refusal = CouponRefused.already_used(coupon(), CouponUse("城东站 前台2", T0 + timedelta(minutes=7)))
    assert refusal.code == "coupon_already_used"
    assert "城东站 前台2" in refusal.message
    assert "2026-11-21 06:07" in refusal.message
    assert refusal.detail["used_at"] == "2026-11-21T06:07:00.000+00:00"


def test_best_coupon_takes_most_off_then_expires_first() -> None:
    small = coupon(id="a", title="满200减15")
    big = coupon(id="b", title="满300减30", threshold_fen=30_000, reduction_fen=3_000)
    soon = coupon(id="c", title="满200减30", reduction_fen=3_000, valid_until=T0 + timedelta(days=2))
    wrong_grade = coupon(
        id="d", title="满100减50", threshold_fen=10_000, reduction_fen=5_000, grades=frozenset({G95})
    )
    choices = [small, big, soon, wrong_grade]
    assert best_coupon(choices, fuel(35_000), None, NOW) == soon
    assert best_coupon(choices, fuel(25_000), None, NOW) == soon
    assert best_coupon([small, big], fuel(25_000), None, NOW) == small
    assert best_coupon(choices, fuel(15_000), None, NOW) is None
    assert best_coupon(choices, prepaid_fuel(), None, NOW) is None
    assert best_coupon(choices, None, None, NOW) is None


def test_prepaid_order_fuel_is_not_due_at_the_till() -> None:
    pricing = price_sale(prepaid_fuel(19_950), [water()], member(), [], NOW)
    assert pricing.prepaid_fen == 19_950
    assert pricing.due_at_till_fen == 300 - 24  # water at 9.2折: 276 to pay


def test_fuel_from_order_refuses_a_fill_of_another_order_or_over_the_prepayment() -> None:
    with pytest.raises(InvalidValue):
        prepaid_fuel(amount_fen=20_001, prepaid_fen=20_000)
    with pytest.raises(InvalidValue, match="prepaid"):
        FuelItem.from_transaction(transaction(order_id="ord-1"))


def test_saving_validates_itself() -> None:
    with pytest.raises(InvalidValue):
        Saving(SavingKind.COUPON, "满200减15", 1_500)
    with pytest.raises(InvalidValue):
        Saving(SavingKind.TIER, "x", 0)
