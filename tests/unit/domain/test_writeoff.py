from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from pos.domain.errors import IllegalTransition, InvalidValue
from pos.domain.writeoff import (
    DEFAULT_RESERVATION_TTL,
    CodeAlreadyRedeemed,
    CodeUnavailable,
    WriteOffKind,
    WriteOffState,
    is_write_off_code,
)
from tests.unit.domain.factories import T0, redemption, write_off

W = WriteOffState
NOW = T0 + timedelta(minutes=1)


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("012345", True),
        ("999999", True),
        ("1234567", False),  # seven digits
        ("12345", False),
        ("12345a", False),
        ("１２３４５６", False),  # full-width digits
        ("١٢٣٤٥٦", False),  # Arabic-Indic digits
        (" 123456", False),
        ("123456\n", False),
        (123456, False),
    ],
)
def test_code_is_exactly_six_ascii_digits(text: object, ok: bool) -> None:
    assert is_write_off_code(text) is ok
    if not ok:
        with pytest.raises(InvalidValue):
            write_off(code=text)


@pytest.mark.parametrize(
    "changes",
    [
        {"kind": "pickup"},
        {"expires_at": T0},
        {"state": W.RESERVED},  # reserved without a till
        {"reserved_by": "till-1", "reserved_until": NOW},  # issued with a till
        {"state": W.REDEEMED},  # redeemed without a record
        {"subject_id": ""},
    ],
)
def test_write_off_refuses_inconsistent_values(changes: dict[str, Any]) -> None:
    with pytest.raises(InvalidValue):
        write_off(**changes)


def test_reserve_then_redeem() -> None:
    reserved = write_off().reserve("till-1", NOW)
    assert (reserved.state, reserved.reserved_by) == (W.RESERVED, "till-1")
    assert reserved.reserved_until == NOW + DEFAULT_RESERVATION_TTL
    record = redemption(at=NOW + timedelta(seconds=30))
    redeemed = reserved.redeem("till-1", record)
    assert (redeemed.state, redeemed.redemption, redeemed.reserved_by) == (W.REDEEMED, record, None)
    assert redeemed.kind is WriteOffKind.PICKUP


def test_second_redemption_says_who_when_and_where() -> None:
    record = redemption(at=NOW)
    redeemed = write_off().reserve("till-1", NOW).redeem("till-1", record)
    with pytest.raises(CodeAlreadyRedeemed) as refused:
        redeemed.reserve("till-2", NOW + timedelta(hours=1))
    error = refused.value
    assert error.code == "code_already_redeemed"
    assert isinstance(error, IllegalTransition)
    assert error.detail["redeemed_by"] == {"staff_no": "1001", "staff_name": "张三"}
    assert error.detail["redeemed_at"] == "2026-11-21T06:01:00.000+00:00"
    assert error.detail["redeemed_where"] == "城东站 前台1"
    assert "张三" in error.message and "城东站 前台1" in error.message and "2026-11-21 06:01" in error.message
    with pytest.raises(CodeAlreadyRedeemed):
        redeemed.redeem("till-1", redemption(at=NOW + timedelta(hours=1)))


def test_another_till_waits_for_the_reservation_to_lapse() -> None:
    reserved = write_off().reserve("till-1", NOW, ttl=timedelta(seconds=60))
    with pytest.raises(CodeUnavailable) as refused:
        reserved.reserve("till-2", NOW + timedelta(seconds=59))
    assert refused.value.code == "code_reserved"
    taken = reserved.reserve("till-2", NOW + timedelta(seconds=60))
    assert taken.reserved_by == "till-2"
    with pytest.raises(IllegalTransition):
        taken.redeem("till-1", redemption(at=NOW + timedelta(seconds=61)))


def test_redeem_needs_a_live_reservation_of_this_till() -> None:
    with pytest.raises(IllegalTransition):
        write_off().redeem("till-1", redemption(at=NOW))
    reserved = write_off().reserve("till-1", NOW, ttl=timedelta(seconds=60))
    with pytest.raises(IllegalTransition):
        reserved.redeem("till-1", redemption(at=NOW + timedelta(seconds=60)))


def test_expired_and_void_codes_cannot_be_redeemed() -> None:
    expires = T0 + timedelta(days=7)
    with pytest.raises(CodeUnavailable) as refused:
        write_off().reserve("till-1", expires)
    assert refused.value.code == "code_expired"
    expired = write_off().expire(expires)
    assert expired.state is W.EXPIRED
    with pytest.raises(IllegalTransition):
        write_off().expire(expires - timedelta(seconds=1))
    void = write_off().reserve("till-1", NOW).void()
    assert (void.state, void.reserved_by) == (W.VOID, None)
    with pytest.raises(CodeUnavailable) as refused:
        void.reserve("till-1", NOW)
    assert refused.value.code == "code_void"


def test_release_only_by_the_reserving_till() -> None:
    reserved = write_off().reserve("till-1", NOW)
    with pytest.raises(IllegalTransition):
        reserved.release("till-2")
    assert reserved.release("till-1").state is W.ISSUED
