"""Random sequences of attempted transitions against each state model.

For every attempt: an accepted change must be an edge of the allowed table written out here (the spec,
kept apart from the code's own table), a refused one must raise IllegalTransition and leave the object as
it was. Where the rules depend on who and when (locks, reservations), an oracle predicts the outcome.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from hypothesis import given, settings
from hypothesis import strategies as st

from pos.domain.errors import IllegalTransition
from pos.domain.order import Order, OrderException, OrderState
from pos.domain.pump import Nozzle, NozzleState
from pos.domain.shift import Shift, ShiftState
from pos.domain.transaction import LockHolder, PumpTransaction, TransactionState
from pos.domain.writeoff import WriteOffCode, WriteOffState
from tests.unit.domain.factories import (
    T0,
    TILL_1,
    TILL_1_OTHER_STAFF,
    TILL_2,
    nozzle,
    order,
    redemption,
    shift,
    transaction,
    write_off,
)

SEQUENCES = settings(max_examples=120, deadline=None)
X = TypeVar("X")

N = NozzleState
NOZZLE_SPEC = {
    N.OFFLINE: {N.IDLE, N.CLOSED, N.ERROR},
    N.ERROR: {N.IDLE, N.CLOSED, N.OFFLINE},
    N.CLOSED: {N.IDLE, N.OFFLINE, N.ERROR},
    N.IDLE: {N.CALLING, N.AUTHORIZED, N.CLOSED, N.OFFLINE, N.ERROR},
    N.CALLING: {N.AUTHORIZED, N.IDLE, N.OFFLINE, N.ERROR},
    N.AUTHORIZED: {N.FUELLING, N.CALLING, N.IDLE, N.OFFLINE, N.ERROR},
    N.FUELLING: {N.SUSPENDED, N.PAYABLE, N.OFFLINE, N.ERROR},
    N.SUSPENDED: {N.FUELLING, N.PAYABLE, N.OFFLINE, N.ERROR},
    N.PAYABLE: {N.IDLE, N.CALLING, N.OFFLINE, N.ERROR},
}
OS = OrderState
ORDER_SPEC = {
    OS.PAID: {OS.BOUND, OS.CANCELLED, OS.REFUND_REQUESTED},
    OS.BOUND: {OS.FUELLING, OS.PAID, OS.CANCELLED, OS.REFUND_REQUESTED},
    OS.FUELLING: {OS.COMPLETED, OS.REFUND_REQUESTED},
    OS.COMPLETED: {OS.REFUND_REQUESTED},
    OS.CANCELLED: set(),
    OS.REFUND_REQUESTED: set(),
}
T = TransactionState
TRANSACTION_SPEC = {T.PAYABLE: {T.LOCKED}, T.LOCKED: {T.LOCKED, T.PAYABLE, T.CLEARED}, T.CLEARED: set()}
W = WriteOffState
WRITE_OFF_SPEC = {
    W.ISSUED: {W.RESERVED, W.EXPIRED, W.VOID},
    W.RESERVED: {W.RESERVED, W.ISSUED, W.REDEEMED, W.EXPIRED, W.VOID},
    W.REDEEMED: set(),
    W.EXPIRED: set(),
    W.VOID: set(),
}
SH = ShiftState
SHIFT_SPEC = {SH.OPEN: {SH.CLOSING}, SH.CLOSING: {SH.OPEN, SH.CLOSED}, SH.CLOSED: set()}


def attempt(obj: X, step: Callable[[X], X]) -> X | None:
    """Run one attempted transition; None if refused, after checking the refusal left ``obj`` intact."""
    before = copy.deepcopy(obj)
    try:
        return step(obj)
    except IllegalTransition:
        assert obj == before
        return None


def check_edge(spec: dict[Any, set[Any]], before: Any, after: Any) -> None:
    assert after in spec[before], f"accepted {before} -> {after}, not in the allowed table"


def _nozzle_step(target: NozzleState, now: datetime) -> Callable[[Nozzle], Nozzle]:
    return lambda n: n.with_state(target, now)


@SEQUENCES
@given(st.lists(st.sampled_from(list(N)), max_size=30), st.sampled_from(list(N)))
def test_nozzle_sequences(targets: list[NozzleState], start: NozzleState) -> None:
    current = nozzle(state=start)
    for i, target in enumerate(targets):
        now = T0 + timedelta(seconds=i)
        result = attempt(current, _nozzle_step(target, now))
        if result is None:
            assert target not in NOZZLE_SPEC[current.state]
            continue
        check_edge(NOZZLE_SPEC, current.state, result.state)
        assert result.updated_at == now
        current = result


HOLDERS = [TILL_1, TILL_1_OTHER_STAFF, TILL_2]
tx_actions = st.tuples(
    st.sampled_from(["lock", "unlock", "clear"]),
    st.sampled_from(HOLDERS),
    st.integers(min_value=0, max_value=90),  # seconds to advance
    st.integers(min_value=1, max_value=120),  # ttl seconds
)


def _predict_transaction(tx: PumpTransaction, action: str, holder: LockHolder, now: datetime) -> bool:
    live = tx.state is T.LOCKED and tx.lock_expires_at is not None and now < tx.lock_expires_at
    held_by_till = tx.locked_by is not None and tx.locked_by.till_id == holder.till_id
    if tx.state is T.CLEARED:
        return False
    if action == "lock":
        return not live or held_by_till
    if action == "unlock":
        return tx.state is T.LOCKED and held_by_till
    return live and held_by_till  # clear


def _transaction_step(
    action: str, holder: LockHolder, now: datetime, ttl: int
) -> Callable[[PumpTransaction], PumpTransaction]:
    steps: dict[str, Callable[[PumpTransaction], PumpTransaction]] = {
        "lock": lambda t: t.lock(holder, now, timedelta(seconds=ttl)),
        "unlock": lambda t: t.unlock(holder),
        "clear": lambda t: t.clear(holder, now),
    }
    return steps[action]


@SEQUENCES
@given(st.lists(tx_actions, max_size=25))
def test_transaction_sequences(actions: list[tuple[str, LockHolder, int, int]]) -> None:
    current, now = transaction(), T0
    for action, holder, advance, ttl in actions:
        now += timedelta(seconds=advance)
        expected = _predict_transaction(current, action, holder, now)
        result = attempt(current, _transaction_step(action, holder, now, ttl))
        assert (result is not None) == expected, (action, holder, current)
        if result is None:
            continue
        check_edge(TRANSACTION_SPEC, current.state, result.state)
        if result.state is T.LOCKED:
            assert result.holder_at(now) == holder
        current = result


order_actions = st.sampled_from(
    ["bind", "unbind", "start", "complete", "cancel", "refund", "flag", *(f"to:{s.value}" for s in OS)]
)


def _order_step(name: str, now: datetime) -> Callable[[Order], Order]:
    if name.startswith("to:"):
        return lambda o: o.with_state(OrderState(name[3:]), now)
    steps: dict[str, Callable[[Order], Order]] = {
        "bind": lambda o: o.bind(4, now),
        "unbind": lambda o: o.unbind(now),
        "start": lambda o: o.start_fuelling("tx-1", now),
        "complete": lambda o: o.complete(now),
        "cancel": lambda o: o.cancel(now),
        "refund": lambda o: o.request_refund(now, OrderException.UNDER_RUN),
        "flag": lambda o: o.flag(OrderException.TIMEOUT, now),
    }
    return steps[name]


@SEQUENCES
@given(st.lists(order_actions, max_size=25))
def test_order_sequences(actions: list[str]) -> None:
    current = order()
    for i, name in enumerate(actions):
        result = attempt(current, _order_step(name, T0 + timedelta(seconds=i)))
        if result is None:
            continue
        if name == "flag":
            assert result.state is current.state and ORDER_SPEC[current.state]
        else:
            check_edge(ORDER_SPEC, current.state, result.state)
        current = result


wo_actions = st.tuples(
    st.sampled_from(["reserve", "release", "redeem", "expire", "void"]),
    st.sampled_from(["till-1", "till-2"]),
    st.integers(min_value=0, max_value=3 * 24 * 3600),  # advance up to three days: codes last seven
    st.integers(min_value=1, max_value=300),
)


def _write_off_step(
    action: str, till: str, now: datetime, ttl: int
) -> Callable[[WriteOffCode], WriteOffCode]:
    steps: dict[str, Callable[[WriteOffCode], WriteOffCode]] = {
        "reserve": lambda c: c.reserve(till, now, timedelta(seconds=ttl)),
        "release": lambda c: c.release(till),
        "redeem": lambda c: c.redeem(till, redemption(at=now, where=till)),
        "expire": lambda c: c.expire(now),
        "void": lambda c: c.void(),
    }
    return steps[action]


@SEQUENCES
@given(st.lists(wo_actions, max_size=25))
def test_write_off_sequences(actions: list[tuple[str, str, int, int]]) -> None:
    current, now, first_redemption = write_off(), T0, None
    for action, till, advance, ttl in actions:
        now += timedelta(seconds=advance)
        result = attempt(current, _write_off_step(action, till, now, ttl))
        if result is None:
            continue
        check_edge(WRITE_OFF_SPEC, current.state, result.state)
        if result.state is W.REDEEMED:
            assert first_redemption is None, "a code was redeemed twice"
            assert current.holder_at(now) == till and now < current.expires_at
            first_redemption = result.redemption
        if action == "reserve":
            assert current.holder_at(now) in (None, till) and now < current.expires_at
        current = result
    if first_redemption is not None:
        assert current.redemption == first_redemption and current.state is W.REDEEMED


shift_actions = st.sampled_from(["begin_closing", "reopen", "close", *(f"to:{s.value}" for s in SH)])


def _shift_step(name: str, now: datetime) -> Callable[[Shift], Shift]:
    if name.startswith("to:"):
        return lambda s: s.with_state(ShiftState(name[3:]), now)
    steps: dict[str, Callable[[Shift], Shift]] = {
        "begin_closing": lambda s: s.begin_closing(),
        "reopen": lambda s: s.reopen(),
        "close": lambda s: s.close(now),
    }
    return steps[name]


@SEQUENCES
@given(st.lists(shift_actions, max_size=20))
def test_shift_sequences(actions: list[str]) -> None:
    current = shift()
    for i, name in enumerate(actions):
        result = attempt(current, _shift_step(name, T0 + timedelta(hours=i)))
        if result is None:
            continue
        check_edge(SHIFT_SPEC, current.state, result.state)
        assert (result.closed_at is not None) == (result.state is SH.CLOSED)
        current = result
