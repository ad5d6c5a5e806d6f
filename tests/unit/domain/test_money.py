from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos.domain.errors import InvalidValue
from pos.domain.money import (
    ZERO,
    Money,
    allocate,
    amount_for_volume,
    apply_rate,
    format_fen,
    percent_off,
    rate_discount,
    split_evenly,
    sum_money,
)

FAST = settings(max_examples=150, deadline=None)
fens = st.integers(min_value=0, max_value=10**12)
money = fens.map(Money)


@pytest.mark.parametrize("bad", [-1, 1.5, "100", None, True, 10**3 * 1.0])
def test_money_refuses_what_is_not_whole_non_negative_fen(bad: object) -> None:
    with pytest.raises(InvalidValue):
        Money(bad)  # type: ignore[arg-type]


def test_subtraction_below_zero_is_refused() -> None:
    with pytest.raises(InvalidValue, match="negative"):
        Money(100) - Money(101)


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("200", 20_000),
        ("200.5", 20_050),
        ("¥1,234.50", 123_450),
        ("￥0.01", 1),
        (".5", 50),
        (" 7.42 ", 742),
        ("200.", 20_000),
        ("１００．５", 10_050),
    ],
)
def test_parse_accepts_what_cashiers_type(text: str, fen: int) -> None:
    assert Money.parse(text) == Money(fen)


@pytest.mark.parametrize("text", ["", " ", "-1", "1.234", "abc", "1.2.3", "²", "٣", "1e3", ".", "1 2"])
def test_parse_refuses_non_amounts(text: str) -> None:
    with pytest.raises(InvalidValue):
        Money.parse(text)


@pytest.mark.parametrize(
    ("fen", "shown"), [(0, "¥0.00"), (5, "¥0.05"), (123_450, "¥1,234.50"), (-1_500, "-¥15.00")]
)
def test_format_fen(fen: int, shown: str) -> None:
    assert format_fen(fen) == shown


@FAST
@given(money, money, money)
def test_addition_is_associative(a: Money, b: Money, c: Money) -> None:
    assert (a + b) + c == a + (b + c)


@FAST
@given(money, money)
def test_addition_is_commutative_and_subtraction_undoes_it(a: Money, b: Money) -> None:
    assert a + b == b + a
    assert (a + b) - b == a


@FAST
@given(fens)
def test_parse_of_format_round_trips(fen: int) -> None:
    assert Money.parse(format_fen(fen)) == Money(fen)
    assert Money.parse(format_fen(fen, symbol="")) == Money(fen)


@FAST
@given(st.lists(money, max_size=20))
def test_sum_money_matches_integer_sum(amounts: list[Money]) -> None:
    assert sum_money(amounts).fen == sum(a.fen for a in amounts)


@FAST
@given(money, st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=12))
def test_allocation_sums_exactly_and_is_never_negative(total: Money, weights: list[int]) -> None:
    if sum(weights) == 0:
        with pytest.raises(InvalidValue):
            allocate(total, weights)
        return
    shares = allocate(total, weights)
    assert len(shares) == len(weights)
    assert sum_money(shares) == total
    for share, weight in zip(shares, weights, strict=True):
        assert share.fen >= 0
        exact = total.fen * weight / sum(weights)
        assert abs(share.fen - exact) < 1  # largest remainder: each share within a fen of its quota
        if weight == 0:
            assert share == ZERO


@FAST
@given(money, st.integers(min_value=1, max_value=50))
def test_split_evenly_differs_by_at_most_a_fen(total: Money, parts: int) -> None:
    shares = split_evenly(total, parts)
    assert sum_money(shares) == total
    assert max(shares).fen - min(shares).fen <= 1
    assert list(shares) == sorted(shares, reverse=True)  # the extra fen go to the first shares


def test_allocation_gives_leftover_fen_to_largest_remainders() -> None:
    # 100 fen over 1:1:1 -> quotas 33.33 each; the single left-over fen goes to the first on the tie.
    assert allocate(Money(100), [1, 1, 1]) == (Money(34), Money(33), Money(33))
    # 10 fen over 3:3:4 -> quotas 3, 3, 4 exactly.
    assert allocate(Money(10), [3, 3, 4]) == (Money(3), Money(3), Money(4))
    # 5 fen over 1:2 -> quotas 1.67 and 3.33: the larger remainder (0.67) takes the fen.
    assert allocate(Money(5), [1, 2]) == (Money(2), Money(3))


@pytest.mark.parametrize("weights", [[], [0, 0], [-1, 2], [1.5, 1], [True, 1]])
def test_allocation_refuses_bad_weights(weights: list[object]) -> None:
    with pytest.raises(InvalidValue):
        allocate(Money(100), weights)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fen", "rate", "paid"),
    [
        (10_000, 880, 8_800),  # diamond 8.8折 on ¥100
        (5, 950, 5),  # 4.75 fen rounds half up to 5
        (1, 500, 1),  # 0.5 fen rounds half up to 1
        (3, 500, 2),  # 1.5 -> 2
        (7, 920, 6),  # 6.44 -> 6
        (12_345, 1000, 12_345),
        (12_345, 0, 0),
    ],
)
def test_apply_rate_rounds_half_up_to_the_fen(fen: int, rate: int, paid: int) -> None:
    assert apply_rate(Money(fen), rate) == Money(paid)
    assert rate_discount(Money(fen), rate) == Money(fen - paid)


@pytest.mark.parametrize("rate", [-1, 1001, 88.0, True])
def test_rates_are_whole_per_mille_in_range(rate: object) -> None:
    with pytest.raises(InvalidValue):
        apply_rate(Money(100), rate)  # type: ignore[arg-type]


def test_percent_off_follows_the_same_rule() -> None:
    assert percent_off(Money(20_000), 5) == Money(1_000)
    assert percent_off(Money(5), 5) == Money(0)  # pay 4.75 -> 5 fen, so nothing off
    with pytest.raises(InvalidValue):
        percent_off(Money(100), 101)


@FAST
@given(money, st.integers(min_value=0, max_value=1000))
def test_rate_discount_is_never_negative_nor_above_the_amount(amount: Money, rate: int) -> None:
    paid = apply_rate(amount, rate)
    assert ZERO <= paid <= amount
    assert paid + rate_discount(amount, rate) == amount
    assert abs(paid.fen * 1000 - amount.fen * rate) <= 500  # within half a fen of the exact price


def test_amount_for_volume_rounds_half_up() -> None:
    assert amount_for_volume(742, 40_000) == 29_680
    assert amount_for_volume(789, 1) == 1  # 0.789 fen
    assert amount_for_volume(500, 1) == 1  # exactly half a fen
    assert amount_for_volume(499, 1) == 0


@FAST
@given(st.text(max_size=20))
def test_parse_only_ever_refuses_with_invalid_value(text: str) -> None:
    try:
        parsed = Money.parse(text)
    except InvalidValue:
        return
    assert parsed.fen >= 0
