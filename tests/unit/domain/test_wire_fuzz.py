"""from_wire must refuse any bad backend answer with InvalidValue: never KeyError, TypeError, ValueError."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos.domain.coupon import Coupon
from pos.domain.errors import InvalidValue
from pos.domain.grade import Grade, GradeCode
from pos.domain.member import Member
from pos.domain.order import Order
from pos.domain.pump import Nozzle
from pos.domain.transaction import PumpTransaction
from tests.unit.domain.factories import T0, TILL_1, member, nozzle, order, transaction

FUZZ = settings(max_examples=200, deadline=None)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3),
    max_leaves=6,
)
# Values that look almost right: the edge cases a buggy backend would send.
near_misses = st.sampled_from(
    [0, -1, "", " ", "1", "2026-11-21T14:02:03", "2026-11-21T14:02:03Z", "payable", "92", True, 1.0, {}]
)

PARSERS: dict[str, tuple[Callable[[object], Any], dict[str, Any]]] = {
    "grade": (Grade.from_wire, {"code": "92", "name": "92#汽油", "price_fen": 742}),
    "nozzle": (Nozzle.from_wire, nozzle().to_wire()),
    "transaction": (PumpTransaction.from_wire, transaction().lock(TILL_1, T0).to_wire()),
    "order": (Order.from_wire, order().to_wire()),
    "member": (Member.from_wire, member(plates=("粤B12345", "京AD12345")).to_wire()),
    "coupon": (
        Coupon.from_wire,
        Coupon(
            "c-1", "满200减15", 20_000, 1_500, frozenset({GradeCode.G92}), T0, T0 + timedelta(days=30)
        ).to_wire(),
    ),
}


@pytest.mark.parametrize("name", sorted(PARSERS))
def test_valid_objects_parse(name: str) -> None:
    parse, valid = PARSERS[name]
    assert parse(valid).to_wire() == valid


@FUZZ
@given(
    st.sampled_from(sorted(PARSERS)),
    st.data(),
    json_values | near_misses,
    st.booleans(),
)
def test_a_damaged_field_is_refused_only_with_invalid_value(
    name: str, data: st.DataObject, value: object, delete: bool
) -> None:
    parse, valid = PARSERS[name]
    key = data.draw(st.sampled_from(sorted(valid)))
    damaged = dict(valid)
    if delete:
        del damaged[key]
    else:
        damaged[key] = value
    try:
        parsed = parse(damaged)
    except InvalidValue as refusal:
        assert refusal.code == "invalid_value"
        return
    assert not delete  # every field of the contract is required (null where it may be absent)
    assert parse(parsed.to_wire()) == parsed


@FUZZ
@given(st.sampled_from(sorted(PARSERS)), json_values)
def test_anything_that_is_not_the_object_is_refused(name: str, value: object) -> None:
    parse, _ = PARSERS[name]
    with pytest.raises(InvalidValue):
        parse(value)
