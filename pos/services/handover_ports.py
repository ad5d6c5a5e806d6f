"""Ports and plain data of the shift handover (班结): what the use case needs from the backend, the local
store and the printer. The sync layer implements ``ShiftRoutes`` over HTTP and ``ShiftLedger`` over the
till's SQLite store; nothing in here knows about requests, SQLAlchemy or Qt.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any, Protocol

from pos.domain.grade import GradeCode
from pos.domain.meters import MeterSnapshot
from pos.domain.receipt import ReceiptDocument
from pos.domain.shift import ShiftState
from pos.services.ports import StaffMember

if TYPE_CHECKING:  # the digests are built from these ports' data: import only for the annotations
    from pos.services.handover_figures import FillDigest, SalesDigest, ShiftExtras

SaleBody = Mapping[str, Any]  # a sale as ``POST /sales`` carries it (pos.services.sales.Sale.to_wire)


@dataclass(frozen=True, slots=True)
class ShiftInfo:
    """A shift as the backend describes it (docs/api-v1.md, "Shift"), or the till's own copy of it."""

    id: str
    number: int
    state: ShiftState
    opened_at: datetime
    opened_by: str
    opening_float_fen: int
    cut_at: datetime | None = None
    closed_at: datetime | None = None
    closed_by: str | None = None
    outgoing_staff_no: str | None = None
    incoming_staff_no: str | None = None
    counted_fen: int | None = None
    expected_fen: int | None = None
    variance_reason: str | None = None
    next_shift_id: str | None = None

    @property
    def variance_fen(self) -> int | None:
        if self.counted_fen is None or self.expected_fen is None:
            return None
        return self.counted_fen - self.expected_fen


@dataclass(frozen=True, slots=True)
class FillRecord:
    """One ended fill, as the meter reconciliation needs it (satisfies ``pos.domain.meters.Fill``)."""

    id: str
    nozzle_number: int
    grade: GradeCode
    volume_ml: int
    amount_fen: int
    ended_at: datetime
    order_id: str | None = None  # prepaid in the mini program


@dataclass(frozen=True, slots=True)
class LocalVoid:
    """A void this till obtained from the backend (a direct call), kept for an offline shift report."""

    transaction_id: str
    amount_fen: int
    cashier_no: str | None  # who had locked the sale
    staff_no: str  # the manager who voided it
    staff_name: str
    reason: str
    at: datetime


class VoidJournal(Protocol):
    def record_void(self, void: LocalVoid) -> None: ...


@dataclass(frozen=True, slots=True)
class CutAnswer:
    """``POST /shifts/current/cut``: the meters at one cut time and what the shift did up to it."""

    shift: ShiftInfo
    cut_at: datetime
    opening: MeterSnapshot
    closing: MeterSnapshot
    fills: Sequence[FillRecord]
    sales: Sequence[SaleBody]


@dataclass(frozen=True, slots=True)
class LocalShift:
    """The till's record of one shift (local history): the shift, its meters, whether it is uploaded."""

    shift: ShiftInfo
    opening: MeterSnapshot | None = None
    closing: MeterSnapshot | None = None
    pending_upload: bool = False
    summary: Mapping[str, Any] = field(default_factory=dict)  # figures at the close, for drill-down


@dataclass(frozen=True, slots=True)
class StoredReport:
    shift_id: str
    kind: str  # x | z
    printed_at: datetime
    lines: Sequence[str]


class ShiftRoutes(Protocol):
    """Direct calls to the backend (answers needed now). Every failure is a ``PosError``."""

    def current_shift(self) -> ShiftInfo | None: ...

    def open_shift(self, opening_float_fen: int) -> ShiftInfo: ...

    def cut(self) -> CutAnswer: ...

    def opening_meters(self, shift_id: str) -> MeterSnapshot | None:
        """The shift's opening meters (from its report), for a later offline handover."""
        ...

    def history(self, limit: int) -> Sequence[ShiftInfo]: ...

    def extras(self, shift_id: str, start: datetime, end: datetime, zone: tzinfo | None) -> ShiftExtras:
        """The backend's voids, refunds (``GET /shifts/{id}/report``) and write-offs (``GET /writeoffs``
        of each station-local day the window touches) of the station in ``(start, end]``."""
        ...


class PinVerifier(Protocol):
    def verify(self, staff_no: str, pin: str) -> StaffMember:
        """The staff member when the PIN is right; ``PosError`` (``pin_invalid``, offline, ...) else."""
        ...


class ShiftLedger(Protocol):
    """The till's local store: its own sales, the fills it saw, shift history, the outbox."""

    def unsent_sales_between(self, start: datetime, end: datetime) -> list[SaleBody]:
        """This till's sales in the window the backend has not acknowledged (nor refused) yet."""
        ...

    def sales_digest(self, start: datetime, end: datetime, utc_offset_minutes: int) -> SalesDigest:
        """All this till's sales in the window (none the backend refused), added up by the store."""
        ...

    def fills_between(self, start: datetime, end: datetime) -> list[FillRecord]: ...

    def extras_between(self, start: datetime, end: datetime, unsent_only: bool = False) -> ShiftExtras:
        """This till's voids, refunds and write-offs in the window (none the backend refused); with
        ``unsent_only`` just the refunds and write-offs the backend has not acknowledged yet."""
        ...

    def fill_digest(self, start: datetime, end: datetime) -> FillDigest: ...

    def remember_fills(self, fills: Sequence[FillRecord]) -> None: ...

    def remember_shift(self, record: LocalShift) -> None:
        """Insert or refresh a shift (its state, meters); never downgrades a closed one."""
        ...

    def current_shift(self) -> LocalShift | None:
        """The open or closing shift as last known locally."""
        ...

    def shift(self, shift_id: str) -> LocalShift | None: ...

    def history(self, limit: int) -> list[LocalShift]: ...

    def close_shift(
        self, closed: LocalShift, nxt: LocalShift, close_body: Mapping[str, Any], staff_no: str
    ) -> str:
        """In ONE local transaction: the closed shift, the next one, and the close's outbox record
        (``POST /api/v1/shifts/{id}/close``). Returns the idempotency key."""
        ...

    def save_report(self, report: StoredReport) -> None: ...

    def reports(self, shift_id: str) -> list[StoredReport]: ...

    def outbox_unacked(self) -> tuple[int, int]:
        """(records pending or sent, records rejected)."""
        ...

    def close_acknowledged(self, shift_id: str) -> bool | None:
        """Whether the close's outbox record was acked (None: no close queued for that shift)."""
        ...


class ReportPrinter(Protocol):
    def print_document(self, document: ReceiptDocument) -> str: ...
