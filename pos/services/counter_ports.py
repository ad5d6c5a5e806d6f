"""Ports and plain data of the counter (issue 4): settlement, refunds, pickups and staff verifiers.

The sync layer implements these over HTTP (``pos.sync.counter``) and the local store
(``pos.sync.staff_verifiers``); services and the UI only see the plain data below.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from pos.domain.order import Order
from pos.domain.transaction import PumpTransaction
from pos.services.ports import StaffMember, StaffSession
from pos.services.ports_outbox import OutboxEntry


@dataclass(frozen=True, slots=True)
class PickupItem:
    name: str
    quantity: int
    unit_price_fen: int


@dataclass(frozen=True, slots=True)
class Pickup:
    """A mall order marked for collection at the station (自提), awaiting its customer."""

    id: str
    order_no: str
    total_fen: int
    created_at: datetime
    items: tuple[PickupItem, ...] = ()

    @property
    def summary(self) -> str:
        return "、".join(f"{item.name}×{item.quantity}" for item in self.items)


@dataclass(frozen=True, slots=True)
class VoidResult:
    transaction: PumpTransaction
    reason: str
    cashier_no: str | None


class CounterBackend(Protocol):
    """Direct calls the counter needs answered now (never queued). Every failure is a ``PosError``."""

    def lock_transaction(self, transaction_id: str) -> PumpTransaction: ...

    def unlock_transaction(self, transaction_id: str) -> PumpTransaction: ...

    def void_transaction(self, transaction_id: str, reason: str) -> VoidResult: ...

    def complete_order(self, order_id: str) -> Order: ...

    def pickups_awaiting(self) -> Sequence[Pickup]: ...


class RefundJournal(Protocol):
    """Queues a refund for ``POST /sales/{id}/refund`` in one local transaction with the till's record."""

    def record_refund(self, sale_id: str, staff_no: str, body: Mapping[str, Any]) -> OutboxEntry: ...


@dataclass(frozen=True, slots=True)
class LocalSale:
    """A sale this till recorded, as kept in ``sales_local`` (the body sent to the backend)."""

    sale_id: str
    created_at: datetime
    staff_no: str | None
    body: Mapping[str, Any]
    # refunds this till queued for it (not rejected), by tender method
    refunded_by_method: Mapping[str, int] = field(default_factory=dict)

    @property
    def refunded_fen(self) -> int:
        return sum(self.refunded_by_method.values())

    @property
    def total_fen(self) -> int:
        return int(self.body.get("total_fen", 0))

    @property
    def refundable_fen(self) -> int:
        return max(0, self.total_fen - self.refunded_fen)

    @property
    def description(self) -> str:
        lines = self.body.get("lines") or []
        return "、".join(str(line.get("description", "")) for line in lines)


class LocalSales(Protocol):
    """This till's own recent sales, for a manager's refund."""

    def recent_sales(self, limit: int = 50) -> Sequence[LocalSale]: ...


# -- staff ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PinVerifier:
    """The salted slow hash the backend issued for checking a PIN offline (scrypt)."""

    salt: bytes = field(repr=False)
    digest: bytes = field(repr=False)
    n: int = 32768
    r: int = 8
    p: int = 1
    dklen: int = 32


@dataclass(frozen=True, slots=True)
class CachedStaff:
    staff: StaffMember
    verifier: PinVerifier | None  # None: never signed in online since the backend began issuing them
    failed_count: int = 0
    locked_until: datetime | None = None


class StaffDirectory(Protocol):
    """The verifiers cached from ``GET /staff/verifiers`` plus the till's own count of wrong PINs."""

    def cached_staff(self, staff_no: str) -> CachedStaff | None: ...

    def record_failure(self, staff_no: str, now: datetime, max_failures: int, lockout_until: datetime) -> int:
        """Count one wrong PIN; at ``max_failures`` set ``locked_until``. Returns the new count."""
        ...

    def set_locked_until(self, staff_no: str, until: datetime | None) -> None: ...

    def reset_failures(self, staff_no: str) -> None: ...


class StaffSignInBackend(Protocol):
    def sign_in(self, staff_no: str, pin: str) -> StaffSession: ...

    def sign_out(self) -> None: ...
