"""Shifts (班次): ``open -> closing -> closed``; closing may go back to open (a blocker needs handling).

Closing is the handover in progress: totalizers are snapshotted at one cut time while pumps keep running,
and blockers (unpaid fills, unsent changes) are listed. Only ``close`` records when the shift ended.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from pos.domain.checks import optional_aware, require_aware, require_int, require_member, require_text
from pos.domain.errors import IllegalTransition, InvalidValue


class ShiftState(StrEnum):
    OPEN = "open"
    CLOSING = "closing"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {ShiftState.OPEN: "当班", ShiftState.CLOSING: "交班中", ShiftState.CLOSED: "已班结"}
_ALLOWED: dict[ShiftState, frozenset[ShiftState]] = {
    ShiftState.OPEN: frozenset({ShiftState.CLOSING}),
    ShiftState.CLOSING: frozenset({ShiftState.OPEN, ShiftState.CLOSED}),
    ShiftState.CLOSED: frozenset(),
}


def can_transition(current: ShiftState, target: ShiftState) -> bool:
    return target in _ALLOWED[current]


def check_transition(current: ShiftState, target: ShiftState) -> ShiftState:
    if not can_transition(current, target):
        raise IllegalTransition("shift", current.value, target.value)
    return target


@dataclass(frozen=True, slots=True)
class Shift:
    id: str
    station_id: str
    opened_at: datetime
    opened_by: str  # staff number
    state: ShiftState
    opening_float_fen: int  # cash in the drawer at the start (备用金)
    closed_at: datetime | None = None

    def __post_init__(self) -> None:
        require_text("shift id", self.id, max_length=100)
        require_text("shift station_id", self.station_id, max_length=100)
        require_aware("shift opened_at", self.opened_at)
        require_text("shift opened_by", self.opened_by, max_length=50)
        require_member("shift state", self.state, ShiftState)
        require_int("shift opening_float_fen", self.opening_float_fen)
        optional_aware("shift closed_at", self.closed_at)
        if (self.state is ShiftState.CLOSED) != (self.closed_at is not None):
            raise InvalidValue(f"shift {self.id}: closed_at is set exactly when the shift is closed")
        if self.closed_at is not None and self.closed_at < self.opened_at:
            raise InvalidValue(
                f"shift {self.id} closes ({self.closed_at}) before it opens ({self.opened_at})"
            )

    @classmethod
    def start(cls, shift_id: str, station_id: str, opened_by: str, float_fen: int, now: datetime) -> Shift:
        """A new shift opened by ``opened_by`` at ``now`` with ``float_fen`` in the drawer."""
        return cls(shift_id, station_id, now, opened_by, ShiftState.OPEN, float_fen)

    def begin_closing(self) -> Shift:
        check_transition(self.state, ShiftState.CLOSING)
        return replace(self, state=ShiftState.CLOSING)

    def reopen(self) -> Shift:
        """Back to open from closing, e.g. a blocker must be settled before the handover."""
        check_transition(self.state, ShiftState.OPEN)
        return replace(self, state=ShiftState.OPEN)

    def close(self, now: datetime) -> Shift:
        check_transition(self.state, ShiftState.CLOSED)
        return replace(self, state=ShiftState.CLOSED, closed_at=now)

    def with_state(self, target: ShiftState, now: datetime) -> Shift:
        """Generic transition (``now`` is only used when closing)."""
        check_transition(self.state, target)
        return replace(self, state=target, closed_at=now if target is ShiftState.CLOSED else None)
