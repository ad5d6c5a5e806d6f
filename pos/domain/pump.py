"""Pumps and nozzles, with the nozzle state model from the architecture note."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from types import EllipsisType
from typing import Any

from pos.domain.checks import (
    optional_text,
    require_aware,
    require_int,
    require_member,
    require_positive_duration,
)
from pos.domain.errors import IllegalTransition, InvalidValue
from pos.domain.grade import GradeCode
from pos.domain.transaction import MAX_STACKED_PER_PUMP, PumpTransaction, open_count_for_pump
from pos.domain.wire import WireObject, format_rfc3339


class NozzleState(StrEnum):
    OFFLINE = "offline"
    CLOSED = "closed"
    IDLE = "idle"
    CALLING = "calling"  # nozzle lifted (提枪), pump asks for authorisation
    AUTHORIZED = "authorized"  # released by prepay, preset, attendant or a bound app order
    FUELLING = "fuelling"
    SUSPENDED = "suspended"
    PAYABLE = "payable"  # fill finished, not yet paid
    ERROR = "error"


_S = NozzleState
# Any state may drop to offline or error (the controller lost the pump); they come back through idle/closed.
_ALLOWED: dict[NozzleState, frozenset[NozzleState]] = {
    _S.OFFLINE: frozenset({_S.IDLE, _S.CLOSED, _S.ERROR}),
    _S.ERROR: frozenset({_S.IDLE, _S.CLOSED, _S.OFFLINE}),
    _S.CLOSED: frozenset({_S.IDLE, _S.OFFLINE, _S.ERROR}),
    _S.IDLE: frozenset({_S.CALLING, _S.AUTHORIZED, _S.CLOSED, _S.OFFLINE, _S.ERROR}),
    _S.CALLING: frozenset({_S.AUTHORIZED, _S.IDLE, _S.OFFLINE, _S.ERROR}),
    _S.AUTHORIZED: frozenset({_S.FUELLING, _S.CALLING, _S.IDLE, _S.OFFLINE, _S.ERROR}),
    _S.FUELLING: frozenset({_S.SUSPENDED, _S.PAYABLE, _S.OFFLINE, _S.ERROR}),
    _S.SUSPENDED: frozenset({_S.FUELLING, _S.PAYABLE, _S.OFFLINE, _S.ERROR}),
    _S.PAYABLE: frozenset({_S.IDLE, _S.CALLING, _S.OFFLINE, _S.ERROR}),
}


def can_transition(current: NozzleState, target: NozzleState) -> bool:
    return target in _ALLOWED[current]


def check_transition(current: NozzleState, target: NozzleState) -> NozzleState:
    """Return ``target`` if the model allows ``current -> target``, else raise IllegalTransition."""
    if not can_transition(current, target):
        raise IllegalTransition("nozzle", current.value, target.value)
    return target


# A nozzle in these states has no fill on its display: the running volume and amount must be zero.
NO_FILL_STATES = frozenset({_S.OFFLINE, _S.CLOSED, _S.IDLE})
_COUNTER_FIELDS = ("current_volume_ml", "current_amount_fen", "totalizer_volume_ml", "totalizer_amount_fen")


@dataclass(frozen=True, slots=True)
class Nozzle:
    """One hose (油枪) as the forecourt controller last reported it. Numbers are station-wide (3号油枪)."""

    number: int
    pump_number: int
    grade: GradeCode
    state: NozzleState
    unit_price_fen: int
    current_volume_ml: int
    current_amount_fen: int
    totalizer_volume_ml: int
    totalizer_amount_fen: int
    totalizer_read_at: datetime
    updated_at: datetime
    order_id: str | None = None

    def __post_init__(self) -> None:
        require_int("nozzle number", self.number, minimum=1)
        require_int("nozzle pump_number", self.pump_number, minimum=1)
        require_member("nozzle grade", self.grade, GradeCode)
        require_member("nozzle state", self.state, NozzleState)
        require_int("nozzle unit_price_fen", self.unit_price_fen, minimum=1)
        for name in (
            "current_volume_ml",
            "current_amount_fen",
            "totalizer_volume_ml",
            "totalizer_amount_fen",
        ):
            require_int(f"nozzle {name}", getattr(self, name))
        require_aware("nozzle totalizer_read_at", self.totalizer_read_at)
        require_aware("nozzle updated_at", self.updated_at)
        optional_text("nozzle order_id", self.order_id, max_length=100)
        if self.state in NO_FILL_STATES and (self.current_volume_ml or self.current_amount_fen):
            raise InvalidValue(
                f"nozzle {self.number} is {self.state.value} but shows a running fill of "
                f"{self.current_volume_ml} ml / {self.current_amount_fen} fen",
                {"field": "current_volume_ml"},
            )

    @property
    def has_running_fill(self) -> bool:
        return self.state in (_S.FUELLING, _S.SUSPENDED)

    def is_stale(self, now: datetime, max_age: timedelta) -> bool:
        """True when the last report is older than ``max_age`` (shown greyed, marked stale)."""
        require_aware("now", now)
        require_positive_duration("max_age", max_age)
        return now - self.updated_at > max_age

    def with_state(
        self, new_state: NozzleState, now: datetime, *, order_id: str | EllipsisType | None = ...
    ) -> Nozzle:
        """The nozzle after the controller reports ``new_state``; IllegalTransition if the model forbids it.

        Entering offline, closed or idle clears the running fill and the order link (unless ``order_id``
        is given); other states keep them.
        """
        check_transition(self.state, new_state)
        require_aware("now", now)
        no_fill = new_state in NO_FILL_STATES
        keep_order = self.order_id if not no_fill else None
        return replace(
            self,
            state=new_state,
            current_volume_ml=0 if no_fill else self.current_volume_ml,
            current_amount_fen=0 if no_fill else self.current_amount_fen,
            order_id=keep_order if isinstance(order_id, EllipsisType) else order_id,
            updated_at=now,
        )

    def with_progress(self, volume_ml: int, amount_fen: int, now: datetime) -> Nozzle:
        """A running-fill update. Only while fuelling or suspended; a fill never runs backwards."""
        if not self.has_running_fill:
            raise IllegalTransition("nozzle progress", self.state.value, "fuelling")
        if volume_ml < self.current_volume_ml or amount_fen < self.current_amount_fen:
            raise InvalidValue(
                f"nozzle {self.number} fill went backwards: {self.current_volume_ml} ml -> {volume_ml} ml"
            )
        return replace(
            self,
            current_volume_ml=volume_ml,
            current_amount_fen=amount_fen,
            updated_at=require_aware("now", now),
        )

    def with_totalizer(self, volume_ml: int, amount_fen: int, read_at: datetime) -> Nozzle:
        """A new meter reading (泵码). Totalizers never go down; a lower reading means a fault."""
        if volume_ml < self.totalizer_volume_ml or amount_fen < self.totalizer_amount_fen:
            raise InvalidValue(
                f"nozzle {self.number} totalizer went down: {self.totalizer_volume_ml} ml -> {volume_ml} ml"
            )
        return replace(
            self, totalizer_volume_ml=volume_ml, totalizer_amount_fen=amount_fen, totalizer_read_at=read_at
        )

    @classmethod
    def from_wire(cls, raw: object) -> Nozzle:
        """Build from the contract's Nozzle object; InvalidValue for any missing or ill-typed field."""
        obj = WireObject(raw, "nozzle")
        return cls(
            number=obj.integer("number"),
            pump_number=obj.integer("pump_number"),
            grade=obj.choice("grade", GradeCode),
            state=obj.choice("state", NozzleState),
            unit_price_fen=obj.integer("unit_price_fen"),
            current_volume_ml=obj.integer("current_volume_ml"),
            current_amount_fen=obj.integer("current_amount_fen"),
            totalizer_volume_ml=obj.integer("totalizer_volume_ml"),
            totalizer_amount_fen=obj.integer("totalizer_amount_fen"),
            totalizer_read_at=obj.time("totalizer_read_at"),
            updated_at=obj.time("updated_at"),
            order_id=obj.opt_text("order_id"),
        )

    def to_wire(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "pump_number": self.pump_number,
            "grade": self.grade.value,
            "state": self.state.value,
            "unit_price_fen": self.unit_price_fen,
            "current_volume_ml": self.current_volume_ml,
            "current_amount_fen": self.current_amount_fen,
            "totalizer_volume_ml": self.totalizer_volume_ml,
            "totalizer_amount_fen": self.totalizer_amount_fen,
            "totalizer_read_at": format_rfc3339(self.totalizer_read_at),
            "updated_at": format_rfc3339(self.updated_at),
            "order_id": self.order_id,
        }


@dataclass(frozen=True, slots=True)
class Pump:
    """A dispenser (加油机) and its nozzles, in the order they are shown."""

    number: int
    nozzles: tuple[Nozzle, ...]

    def __post_init__(self) -> None:
        require_int("pump number", self.number, minimum=1)
        if not isinstance(self.nozzles, tuple) or not self.nozzles:
            raise InvalidValue(f"pump {self.number} needs a non-empty tuple of nozzles, got {self.nozzles!r}")
        seen: set[int] = set()
        for nozzle in self.nozzles:
            if not isinstance(nozzle, Nozzle) or nozzle.pump_number != self.number:
                raise InvalidValue(f"pump {self.number} holds a nozzle of another pump: {nozzle!r}")
            if nozzle.number in seen:
                raise InvalidValue(f"pump {self.number} lists nozzle {nozzle.number} twice")
            seen.add(nozzle.number)

    def nozzle(self, number: int) -> Nozzle:
        for nozzle in self.nozzles:
            if nozzle.number == number:
                return nozzle
        raise InvalidValue(f"pump {self.number} has no nozzle {number}")

    def stacked_count(self, transactions: Iterable[PumpTransaction]) -> int:
        """How many unpaid (payable or locked) fills wait on this pump."""
        return open_count_for_pump(transactions, self.number)

    def accepts_another_fill(self, transactions: Iterable[PumpTransaction]) -> bool:
        """False when MAX_STACKED_PER_PUMP unpaid fills already wait: the pump may not authorise a third."""
        return self.stacked_count(transactions) < MAX_STACKED_PER_PUMP
