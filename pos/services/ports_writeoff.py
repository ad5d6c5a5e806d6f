"""Ports and plain data of the write-off flow (核销): what a code stands for, and the till's own records.

The sync layer implements ``WriteOffRoutes`` over the backend client and ``WriteOffJournal`` over the
local store (a ``writeoffs_local`` row and its outbox record in one transaction); the printer queue
implements ``SlipPrinter``. Nothing here knows about requests, SQLAlchemy or Qt.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from pos.domain.codes import WriteOffKind
from pos.domain.errors import PosError
from pos.domain.receipt import ReceiptDocument
from pos.services.ports_outbox import OutboxState


@dataclass(frozen=True, slots=True)
class CouponConditions:
    threshold_fen: int  # 满 (the amount the sale must reach)
    reduction_fen: int  # 减
    grades: tuple[str, ...]  # empty: any fuel grade
    valid_from: datetime | None
    valid_until: datetime | None


@dataclass(frozen=True, slots=True)
class PickupItem:
    name: str
    quantity: int
    unit: str


@dataclass(frozen=True, slots=True)
class RedeemedBy:
    """Who redeemed a code, when (the till's clock) and where, as the backend names them."""

    at: datetime | None
    till_name: str
    station_name: str
    staff_no: str
    staff_name: str
    offline: bool = False


@dataclass(frozen=True, slots=True)
class CodeInfo:
    """What a write-off code stands for, as the backend answered a lookup or a reservation."""

    code: str
    kind: WriteOffKind
    state: str  # issued | reserved | redeemed | expired | void
    title: str
    description: str
    value_fen: int
    valid_until: datetime | None = None
    conditions: CouponConditions | None = None  # coupons
    items: tuple[PickupItem, ...] = ()  # pickups
    order_no: str | None = None
    member_name: str | None = None
    member_phone_masked: str | None = None
    reserved_until: datetime | None = None
    redeemed: RedeemedBy | None = None


class CodeRefused(PosError):
    """The code cannot be redeemed here now; ``redeemed`` names the first redemption when there was one."""

    def __init__(self, code: str, title: str, message: str, redeemed: RedeemedBy | None = None) -> None:
        super().__init__(code, title, message)
        self.redeemed = redeemed


class WriteOffRoutes(Protocol):
    """Direct calls (an answer is needed now); each raises ``PosError`` (``CodeRefused`` for a 409)."""

    def look_up(self, code: str) -> CodeInfo: ...

    def reserve(self, code: str) -> CodeInfo: ...

    def release(self, code: str) -> None: ...


@dataclass(frozen=True, slots=True)
class NewWriteOff:
    """A redemption as the till records it, before it is stored."""

    record_id: str
    code: str
    kind: WriteOffKind
    title: str
    value_fen: int
    redeemed_at: datetime
    staff_no: str
    staff_name: str
    offline: bool


@dataclass(frozen=True, slots=True)
class LocalWriteOff:
    """One of this till's redemptions, read back with the state of its outbox record."""

    record: NewWriteOff
    outbox_id: int
    outbox_state: OutboxState
    rejection_code: str | None = None
    rejection_message: str | None = None

    @property
    def flagged(self) -> bool:
        """The backend refused it after the slip was printed: a manager must look at it."""
        return self.outbox_state is OutboxState.REJECTED


class WriteOffJournal(Protocol):
    """The till's own write-off records; ``record`` stores one and queues its redemption atomically."""

    def record(self, redemption: NewWriteOff, path: str, body: Mapping[str, Any]) -> LocalWriteOff: ...

    def find_code(self, code: str) -> LocalWriteOff | None: ...

    def between(self, start: datetime, end: datetime) -> Sequence[LocalWriteOff]: ...

    def flagged(self) -> Sequence[LocalWriteOff]: ...


class SlipPrinter(Protocol):
    """Queues a document for the receipt printer; returns at once (pos.hardware.printing.PrintQueue)."""

    def print_document(self, document: ReceiptDocument) -> str: ...
