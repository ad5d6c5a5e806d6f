from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from pos.domain.errors import IllegalTransition, InvalidValue
from pos.domain.shift import Shift, ShiftState
from tests.unit.domain.factories import T0, shift

LATER = T0 + timedelta(hours=8)


@pytest.mark.parametrize(
    "changes",
    [
        {"opening_float_fen": -1},
        {"opened_at": datetime(2026, 11, 21, 6)},
        {"state": ShiftState.CLOSED},  # closed without closed_at
        {"closed_at": LATER},  # open with closed_at
        {"state": ShiftState.CLOSED, "closed_at": T0 - timedelta(seconds=1)},
        {"opened_by": ""},
        {"state": "open"},
    ],
)
def test_shift_refuses_bad_values(changes: dict[str, Any]) -> None:
    with pytest.raises(InvalidValue):
        shift(**changes)


def test_open_closing_back_to_open_then_closed() -> None:
    started = Shift.start("s-2", "st-1", "1001", 50_000, T0)
    assert started.state is ShiftState.OPEN and started.opened_at == T0
    closing = started.begin_closing()
    assert closing.reopen().state is ShiftState.OPEN
    closed = closing.close(LATER)
    assert (closed.state, closed.closed_at) == (ShiftState.CLOSED, LATER)
    assert closed.state.label == "已班结"


@pytest.mark.parametrize(
    "attempt",
    [
        lambda s: s.close(LATER),  # open -> closed skips closing
        lambda s: s.reopen(),  # already open
        lambda s: s.begin_closing().close(LATER).reopen(),
        lambda s: s.begin_closing().begin_closing(),
    ],
)
def test_illegal_shift_transitions(attempt: Any) -> None:
    with pytest.raises(IllegalTransition):
        attempt(shift())
