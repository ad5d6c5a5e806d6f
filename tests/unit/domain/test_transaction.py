from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from pos.domain.errors import IllegalTransition, InvalidValue
from pos.domain.grade import GradeCode
from pos.domain.transaction import (
    DEFAULT_LOCK_TTL,
    MAX_STACKED_PER_PUMP,
    PumpTransaction,
    TransactionCleared,
    TransactionLocked,
    TransactionNotLocked,
    TransactionState,
    open_count_for_pump,
)
from tests.unit.domain.factories import T0, TILL_1, TILL_1_OTHER_STAFF, TILL_2, transaction

NOW = T0 + timedelta(minutes=5)
LOCKED = TransactionState.LOCKED


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"id": " "}, "id"),
        ({"volume_ml": -1}, "volume_ml"),
        ({"amount_fen": -1}, "amount_fen"),
        ({"unit_price_fen": 0}, "unit_price_fen"),
        ({"ended_at": T0 - timedelta(seconds=1)}, "before started_at"),
        ({"started_at": datetime(2026, 11, 21, 6, 0)}, "started_at"),
        ({"state": LOCKED}, "holder|go together"),
        ({"locked_by": TILL_1}, "go together"),
        ({"locked_by": TILL_1, "lock_expires_at": NOW}, "payable but names"),
        ({"state": LOCKED, "locked_by": "till-1", "lock_expires_at": NOW}, "LockHolder"),
        ({"grade": "92"}, "grade"),
    ],
)
def test_transaction_refuses_bad_values(changes: dict[str, Any], words: str) -> None:
    with pytest.raises(InvalidValue, match=words):
        transaction(**changes)


def test_lock_then_clear_by_the_holder() -> None:
    locked = transaction().lock(TILL_1, NOW)
    assert locked.state is LOCKED
    assert locked.locked_by == TILL_1
    assert locked.lock_expires_at == NOW + DEFAULT_LOCK_TTL
    cleared = locked.clear(TILL_1, NOW + timedelta(seconds=30))
    assert cleared.state is TransactionState.CLEARED
    assert not cleared.is_open


def test_another_till_cannot_take_a_live_lock_and_is_told_who_holds_it() -> None:
    locked = transaction().lock(TILL_1, NOW)
    with pytest.raises(TransactionLocked) as refused:
        locked.lock(TILL_2, NOW + timedelta(seconds=119))
    assert refused.value.code == "transaction_locked"
    assert refused.value.detail["locked_by"]["staff_name"] == "张三"
    assert "前台1" in refused.value.message
    assert isinstance(refused.value, IllegalTransition)


def test_an_expired_lock_is_free_for_another_till() -> None:
    locked = transaction().lock(TILL_1, NOW, ttl=timedelta(seconds=60))
    expiry = NOW + timedelta(seconds=60)
    assert locked.holder_at(expiry - timedelta(microseconds=1)) == TILL_1
    assert locked.holder_at(expiry) is None
    taken = locked.lock(TILL_2, expiry)
    assert taken.locked_by == TILL_2
    with pytest.raises(TransactionNotLocked):
        taken.clear(TILL_1, expiry)


def test_the_holder_cannot_clear_after_its_lock_expired() -> None:
    locked = transaction().lock(TILL_1, NOW, ttl=timedelta(seconds=60))
    with pytest.raises(TransactionNotLocked):
        locked.clear(TILL_1, NOW + timedelta(seconds=60))
    relocked = locked.lock(TILL_1, NOW + timedelta(seconds=61))
    assert relocked.clear(TILL_1, NOW + timedelta(seconds=62)).state is TransactionState.CLEARED


def test_relocking_by_the_same_till_extends_and_may_change_staff() -> None:
    locked = transaction().lock(TILL_1, NOW)
    extended = locked.lock(TILL_1_OTHER_STAFF, NOW + timedelta(seconds=100))
    assert extended.lock_expires_at == NOW + timedelta(seconds=100) + DEFAULT_LOCK_TTL
    assert extended.locked_by == TILL_1_OTHER_STAFF
    assert extended.clear(TILL_1, NOW + timedelta(seconds=150)).state is TransactionState.CLEARED


def test_only_the_holder_may_unlock() -> None:
    locked = transaction().lock(TILL_1, NOW)
    with pytest.raises(TransactionNotLocked) as refused:
        locked.unlock(TILL_2)
    assert refused.value.code == "transaction_not_locked"
    payable = locked.unlock(TILL_1)
    assert (payable.state, payable.locked_by, payable.lock_expires_at) == (
        TransactionState.PAYABLE,
        None,
        None,
    )
    with pytest.raises(TransactionNotLocked):
        payable.unlock(TILL_1)
    with pytest.raises(TransactionNotLocked):
        payable.clear(TILL_1, NOW)


def test_a_cleared_transaction_is_final() -> None:
    cleared = transaction().lock(TILL_1, NOW).clear(TILL_1, NOW)
    attempts: list[Callable[[], PumpTransaction]] = [
        lambda: cleared.lock(TILL_1, NOW),
        lambda: cleared.unlock(TILL_1),
        lambda: cleared.clear(TILL_1, NOW),
    ]
    for attempt in attempts:
        with pytest.raises(TransactionCleared) as refused:
            attempt()
        assert refused.value.code == "transaction_cleared"


def test_open_count_counts_payable_and_locked_on_one_pump() -> None:
    txs = [
        transaction(id="a"),
        transaction(id="b").lock(TILL_1, NOW),
        transaction(id="c").lock(TILL_1, NOW).clear(TILL_1, NOW),
        transaction(id="d", pump_number=5),
    ]
    assert open_count_for_pump(txs, 2) == MAX_STACKED_PER_PUMP == 2
    assert open_count_for_pump(txs, 5) == 1


WIRE: dict[str, Any] = {
    "id": "tx-9",
    "pump_number": 2,
    "nozzle_number": 3,
    "grade": "95",
    "unit_price_fen": 789,
    "volume_ml": 30_000,
    "amount_fen": 23_670,
    "state": "locked",
    "locked_by": {"till_id": "till-1", "till_name": "前台1", "staff_no": "1001", "staff_name": "张三"},
    "lock_expires_at": "2026-11-21T14:04:03.120+08:00",
    "started_at": "2026-11-21T06:00:00Z",
    "ended_at": "2026-11-21T06:02:00Z",
    "order_id": None,
}


def test_transaction_from_wire_and_back() -> None:
    parsed = PumpTransaction.from_wire(WIRE)
    assert parsed.locked_by == TILL_1 and parsed.grade is GradeCode.G95
    assert PumpTransaction.from_wire(parsed.to_wire()) == parsed


@pytest.mark.parametrize(
    "changes",
    [
        {"state": "settled"},
        {"locked_by": {"till_id": "till-1"}},
        {"locked_by": "till-1"},
        {"locked_by": None},  # locked without a holder
        {"lock_expires_at": None},
        {"ended_at": "2026-11-21T05:00:00Z"},
        {"volume_ml": -3},
        {"order_id": ["x"]},
    ],
)
def test_transaction_from_wire_refuses_bad_fields(changes: dict[str, Any]) -> None:
    with pytest.raises(InvalidValue):
        PumpTransaction.from_wire({**WIRE, **changes})


@pytest.mark.parametrize("missing", sorted(WIRE))
def test_transaction_from_wire_refuses_any_missing_field(missing: str) -> None:
    raw = {k: v for k, v in WIRE.items() if k != missing}
    with pytest.raises(InvalidValue, match=missing):
        PumpTransaction.from_wire(raw)
