"""Pump transactions (挂单): a finished, unpaid fill and who at which till is settling it.

State model: ``payable -> locked(by till, staff) -> cleared``. A lock lasts a limited time; an expired
lock counts as free, so another till may take it. Only the till holding the lock may clear or unlock.
The lock belongs to the till: a different cashier signed in on the same till may carry on the sale.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from pos.domain.checks import (
    optional_aware,
    optional_text,
    require_aware,
    require_int,
    require_member,
    require_order,
    require_positive_duration,
    require_text,
)
from pos.domain.errors import IllegalTransition, InvalidValue
from pos.domain.grade import GradeCode
from pos.domain.wire import WireObject, format_rfc3339

MAX_STACKED_PER_PUMP = 2  # unpaid (payable or locked) fills a pump may hold before it refuses a third
DEFAULT_LOCK_TTL = timedelta(seconds=120)


class TransactionState(StrEnum):
    PAYABLE = "payable"
    LOCKED = "locked"
    CLEARED = "cleared"


@dataclass(frozen=True, slots=True)
class LockHolder:
    """The till and the signed-in staff member holding a lock."""

    till_id: str
    till_name: str
    staff_no: str
    staff_name: str

    def __post_init__(self) -> None:
        for name in ("till_id", "till_name", "staff_no", "staff_name"):
            require_text(f"lock holder {name}", getattr(self, name), max_length=100)

    def describe(self) -> str:
        return f"{self.till_name} {self.staff_name}({self.staff_no})"

    def to_wire(self) -> dict[str, str]:
        return {
            "till_id": self.till_id,
            "till_name": self.till_name,
            "staff_no": self.staff_no,
            "staff_name": self.staff_name,
        }

    @classmethod
    def from_wire_object(cls, obj: WireObject) -> LockHolder:
        return cls(obj.text("till_id"), obj.text("till_name"), obj.text("staff_no"), obj.text("staff_name"))


class TransactionLocked(IllegalTransition):
    """Another till holds an unexpired lock (HTTP 409 ``transaction_locked``)."""

    def __init__(self, transaction_id: str, holder: LockHolder, expires_at: datetime) -> None:
        super().__init__(
            "transaction",
            TransactionState.LOCKED.value,
            TransactionState.LOCKED.value,
            code="transaction_locked",
            message=f"挂单已被 {holder.describe()} 锁定 / Transaction is held by {holder.describe()}.",
            detail={
                "transaction_id": transaction_id,
                "locked_by": holder.to_wire(),
                "lock_expires_at": format_rfc3339(expires_at),
            },
        )


class TransactionNotLocked(IllegalTransition):
    """Clear or unlock by a till that does not hold the lock (HTTP 409 ``transaction_not_locked``)."""

    def __init__(self, transaction_id: str, current: str, target: str) -> None:
        super().__init__(
            "transaction",
            current,
            target,
            code="transaction_not_locked",
            message=f"本机未锁定挂单 {transaction_id} / This till does not hold {transaction_id}.",
            detail={"transaction_id": transaction_id},
        )


class TransactionCleared(IllegalTransition):
    """The transaction is already settled (HTTP 409 ``transaction_cleared``)."""

    def __init__(self, transaction_id: str, target: str) -> None:
        super().__init__(
            "transaction",
            TransactionState.CLEARED.value,
            target,
            code="transaction_cleared",
            message=f"挂单 {transaction_id} 已结算 / Transaction {transaction_id} is already settled.",
            detail={"transaction_id": transaction_id},
        )


@dataclass(frozen=True, slots=True)
class PumpTransaction:
    id: str
    pump_number: int
    nozzle_number: int
    grade: GradeCode
    unit_price_fen: int
    volume_ml: int
    amount_fen: int
    state: TransactionState
    locked_by: LockHolder | None
    lock_expires_at: datetime | None
    started_at: datetime
    ended_at: datetime
    order_id: str | None = None

    def __post_init__(self) -> None:
        require_text("transaction id", self.id, max_length=100)
        require_int("transaction pump_number", self.pump_number, minimum=1)
        require_int("transaction nozzle_number", self.nozzle_number, minimum=1)
        require_member("transaction grade", self.grade, GradeCode)
        require_int("transaction unit_price_fen", self.unit_price_fen, minimum=1)
        require_int("transaction volume_ml", self.volume_ml)
        require_int("transaction amount_fen", self.amount_fen)
        require_member("transaction state", self.state, TransactionState)
        require_aware("transaction started_at", self.started_at)
        require_aware("transaction ended_at", self.ended_at)
        require_order("started_at", self.started_at, "ended_at", self.ended_at)
        optional_aware("transaction lock_expires_at", self.lock_expires_at)
        optional_text("transaction order_id", self.order_id, max_length=100)
        self._check_lock_fields()

    def _check_lock_fields(self) -> None:
        if self.locked_by is not None and not isinstance(self.locked_by, LockHolder):
            raise InvalidValue(f"transaction locked_by must be a LockHolder, got {self.locked_by!r}")
        has_holder = self.locked_by is not None
        if has_holder != (self.lock_expires_at is not None):
            raise InvalidValue(f"transaction {self.id}: locked_by and lock_expires_at go together")
        # A cleared transaction may keep its last holder (who settled it); a payable one holds no lock.
        if self.state is TransactionState.LOCKED and not has_holder:
            raise InvalidValue(f"transaction {self.id} is locked but names no holder")
        if self.state is TransactionState.PAYABLE and has_holder:
            raise InvalidValue(f"transaction {self.id} is payable but names a lock holder")

    @property
    def is_open(self) -> bool:
        """Unpaid: counts against the pump's MAX_STACKED_PER_PUMP."""
        return self.state is not TransactionState.CLEARED

    def is_lock_expired(self, now: datetime) -> bool:
        require_aware("now", now)
        return self.lock_expires_at is not None and now >= self.lock_expires_at

    def holder_at(self, now: datetime) -> LockHolder | None:
        """Who holds the lock at ``now``; None when payable, cleared, or the lock has expired."""
        if self.state is TransactionState.LOCKED and not self.is_lock_expired(now):
            return self.locked_by
        return None

    def lock(self, holder: LockHolder, now: datetime, ttl: timedelta = DEFAULT_LOCK_TTL) -> PumpTransaction:
        """Claim for ``holder``'s till until ``now + ttl``; the holder's till re-locking extends the lock."""
        require_aware("now", now)
        require_positive_duration("ttl", ttl)
        if self.state is TransactionState.CLEARED:
            raise TransactionCleared(self.id, TransactionState.LOCKED.value)
        current = self.holder_at(now)
        if current is not None and current.till_id != holder.till_id:
            assert self.lock_expires_at is not None  # a held lock always has an expiry
            raise TransactionLocked(self.id, current, self.lock_expires_at)
        return replace(self, state=TransactionState.LOCKED, locked_by=holder, lock_expires_at=now + ttl)

    def unlock(self, holder: LockHolder) -> PumpTransaction:
        """Release the lock. Only the holder's till may; an expired lock of its own it may release too."""
        self._check_held_by(holder, TransactionState.PAYABLE)
        return replace(self, state=TransactionState.PAYABLE, locked_by=None, lock_expires_at=None)

    def clear(self, holder: LockHolder, now: datetime) -> PumpTransaction:
        """Settle the fill. The holder's till must hold an unexpired lock: an expired one may be taken."""
        require_aware("now", now)
        self._check_held_by(holder, TransactionState.CLEARED)
        if self.is_lock_expired(now):
            raise TransactionNotLocked(self.id, "locked (expired)", TransactionState.CLEARED.value)
        return replace(self, state=TransactionState.CLEARED, locked_by=holder)

    def _check_held_by(self, holder: LockHolder, target: TransactionState) -> None:
        if self.state is TransactionState.CLEARED:
            raise TransactionCleared(self.id, target.value)
        if self.locked_by is None or self.locked_by.till_id != holder.till_id:
            raise TransactionNotLocked(self.id, self.state.value, target.value)

    @classmethod
    def from_wire(cls, raw: object) -> PumpTransaction:
        """Build from the contract's Transaction object; InvalidValue for any bad field."""
        obj = WireObject(raw, "transaction")
        holder_obj = obj.opt_object("locked_by")
        return cls(
            id=obj.text("id"),
            pump_number=obj.integer("pump_number"),
            nozzle_number=obj.integer("nozzle_number"),
            grade=obj.choice("grade", GradeCode),
            unit_price_fen=obj.integer("unit_price_fen"),
            volume_ml=obj.integer("volume_ml"),
            amount_fen=obj.integer("amount_fen"),
            state=obj.choice("state", TransactionState),
            locked_by=None if holder_obj is None else LockHolder.from_wire_object(holder_obj),
            lock_expires_at=obj.opt_time("lock_expires_at"),
            started_at=obj.time("started_at"),
            ended_at=obj.time("ended_at"),
            order_id=obj.opt_text("order_id"),
        )

    def to_wire(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "pump_number": self.pump_number,
            "nozzle_number": self.nozzle_number,
            "grade": self.grade.value,
            "unit_price_fen": self.unit_price_fen,
            "volume_ml": self.volume_ml,
            "amount_fen": self.amount_fen,
            "state": self.state.value,
            "locked_by": None if self.locked_by is None else self.locked_by.to_wire(),
            "lock_expires_at": None if self.lock_expires_at is None else format_rfc3339(self.lock_expires_at),
            "started_at": format_rfc3339(self.started_at),
            "ended_at": format_rfc3339(self.ended_at),
            "order_id": self.order_id,
        }


def open_count_for_pump(transactions: Iterable[PumpTransaction], pump_number: int) -> int:
    """Unpaid (payable or locked) transactions on one pump."""
    return sum(1 for t in transactions if t.pump_number == pump_number and t.is_open)
