from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest

from pos.domain.coupon import (
    NEW_MEMBER_VALIDITY,
    Coupon,
    CouponState,
    RefusalCode,
    birthday_coupon,
    member_day_coupon,
    new_member_coupons,
)
from pos.domain.errors import IllegalTransition, InvalidValue
from pos.domain.grade import GradeCode
from tests.unit.domain.factories import T0

BEIJING = timezone(timedelta(hours=8))
G92 = GradeCode.G92


def coupon(**changes: Any) -> Coupon:
    fields: dict[str, Any] = {
        "id": "c-1",
        "title": "满200减15",
        "threshold_fen": 20_000,
        "reduction_fen": 1_500,
        "grades": frozenset(),
        "valid_from": T0,
        "valid_until": T0 + timedelta(days=30),
    }
    return Coupon(**{**fields, **changes})


@pytest.mark.parametrize(
    "changes",
    [
        {"threshold_fen": 0},
        {"reduction_fen": 0},
        {"reduction_fen": 20_001},
        {"valid_until": T0},
        {"valid_from": datetime(2026, 11, 21)},
        {"grades": {G92}},
        {"grades": frozenset({"92"})},
        {"state": "used"},
    ],
)
def test_coupon_refuses_bad_values(changes: dict[str, Any]) -> None:
    with pytest.raises(InvalidValue):
        coupon(**changes)


@pytest.mark.parametrize(
    ("changes", "grade", "amount", "now", "code"),
    [
        ({}, G92, 20_000, T0, None),
        ({}, G92, 19_999, T0, RefusalCode.BELOW_THRESHOLD),
        ({}, G92, 20_000, T0 - timedelta(seconds=1), RefusalCode.NOT_YET_VALID),
        ({}, G92, 20_000, T0 + timedelta(days=30), RefusalCode.EXPIRED),
        ({"grades": frozenset({GradeCode.G95})}, G92, 30_000, T0, RefusalCode.WRONG_GRADE),
        ({"grades": frozenset({GradeCode.D0})}, GradeCode.D0, 30_000, T0, None),
        ({"state": CouponState.USED}, G92, 30_000, T0, RefusalCode.USED),
        ({"state": CouponState.VOID}, G92, 30_000, T0, RefusalCode.VOID),
    ],
)
def test_applies_to(
    changes: dict[str, Any], grade: GradeCode, amount: int, now: datetime, code: object
) -> None:
    refusal = coupon(**changes).applies_to(grade, amount, now)
    assert (refusal.code if refusal else None) == code


def test_below_threshold_says_how_much_is_missing() -> None:
    refusal = coupon().applies_to(G92, 18_000, T0)
    assert refusal is not None and "¥20.00" in refusal.message


def test_use_once() -> None:
    used = coupon().use(G92, 25_000, T0)
    assert used.state is CouponState.USED
    assert coupon().discount_fen(G92, 25_000, T0) == 1_500
    assert used.discount_fen(G92, 25_000, T0) == 0
    with pytest.raises(IllegalTransition) as refused:
        used.use(G92, 25_000, T0)
    assert refused.value.detail["reason"] == "used"
    with pytest.raises(IllegalTransition):
        used.void()


def test_launch_rules() -> None:
    first, second = new_member_coupons(("n-1", "n-2"), T0)
    assert (first.title, first.threshold_fen, first.reduction_fen) == ("满200减15", 20_000, 1_500)
    assert second.id == "n-2" and second.valid_until == T0 + NEW_MEMBER_VALIDITY

    day = member_day_coupon("d-1", date(2026, 12, 8), BEIJING)
    assert (day.threshold_fen, day.reduction_fen) == (30_000, 3_000)
    assert day.valid_from == datetime(2026, 12, 7, 16, 0, tzinfo=UTC)
    assert day.applies_to(G92, 30_000, datetime(2026, 12, 8, 23, 59, tzinfo=BEIJING)) is None
    assert day.applies_to(G92, 30_000, datetime(2026, 12, 9, 0, 0, tzinfo=BEIJING)) is not None

    birthday = birthday_coupon("b-1", 2026, 12, BEIJING)
    assert (birthday.title, birthday.reduction_fen) == ("满500减50", 5_000)
    assert birthday.valid_until == datetime(2027, 1, 1, tzinfo=BEIJING)
    with pytest.raises(InvalidValue):
        birthday_coupon("b-2", 2026, 13, BEIJING)
