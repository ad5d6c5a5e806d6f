"""The one-click shift handover (班结) as a use case: blockers, cut, figures, cash count, sign-off, report.

Online, the cut is a direct call (``POST /shifts/current/cut``): the backend reads every totalizer at one
cut time while the pumps keep running and answers with the fills and sales of the shift. Offline, the
handover completes from what the till holds: the cached totalizers (the closing meters), the opening
meters remembered for the shift, the fills it saw and its own sales, voids, refunds and write-offs; the
report says "pending upload". Online, voids, refunds and write-offs are the backend's (the station's),
plus this till's records not acknowledged yet.
Either way the close is recorded locally and queued for ``POST /shifts/{id}/close`` in ONE local
transaction (``ShiftLedger.close_shift``), with an idempotency key, so the backend applies it exactly once
whenever the link allows; the backend opens the next shift with the incoming staff's float.

Every method here may block (network, disk, printer): the UI runs them on a task lane, never the GUI thread.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, tzinfo
from typing import Any

from pos.domain.cash_count import CashCount, CashReconciliation
from pos.domain.errors import PosError
from pos.domain.handover import HandoverCheck, OutboxCounts, handover_check
from pos.domain.meters import MeterSnapshot
from pos.domain.order import Order
from pos.domain.pump import Nozzle
from pos.domain.receipt import ReceiptHeader, ShiftReport, ShiftReportKind
from pos.domain.refund import Approval
from pos.domain.shift import ShiftState
from pos.domain.shift_report import shift_report
from pos.domain.shift_totals import ShiftWindow
from pos.domain.transaction import PumpTransaction
from pos.domain.wire import format_rfc3339
from pos.services.handover_figures import (
    HandoverFigures,
    ShiftExtras,
    compute_figures,
    digest_fills,
    digest_sales,
    utc_offset_minutes,
)
from pos.services.handover_ports import (
    CutAnswer,
    FillRecord,
    LocalShift,
    PinVerifier,
    ReportPrinter,
    ShiftInfo,
    ShiftLedger,
    ShiftRoutes,
    StoredReport,
)
from pos.services.handover_summary import report_lines, summary_of
from pos.services.ports import StaffMember

log = logging.getLogger(__name__)
# The link is down or the backend is failing: carry on locally (a refusal such as 403 is not offline).
OFFLINE_CODES = frozenset({"backend_unreachable", "backend_timeout", "backend_error"})
CLOSE_PATH = "/api/v1/shifts/{shift_id}/close"


def _utc_now() -> datetime:
    return datetime.now(UTC)


def fill_of(transaction: PumpTransaction) -> FillRecord:
    return FillRecord(
        transaction.id,
        transaction.nozzle_number,
        transaction.grade,
        transaction.volume_ml,
        transaction.amount_fen,
        transaction.ended_at,
        transaction.order_id,
    )


@dataclass(frozen=True, slots=True)
class ForecourtView:
    """What the handover reads of the station board, copied on the GUI thread (domain objects are frozen)."""

    transactions: tuple[PumpTransaction, ...]
    orders: tuple[Order, ...]
    nozzles: tuple[Nozzle, ...]
    station_name: str
    zone: tzinfo | None


@dataclass(frozen=True, slots=True)
class HandoverDraft:
    """A cut taken: the shift's figures up to ``cut_at``; nothing is closed yet."""

    shift: ShiftInfo
    cut_at: datetime
    opening: MeterSnapshot | None
    closing: MeterSnapshot
    figures: HandoverFigures
    offline: bool
    pending_upload: bool


@dataclass(frozen=True, slots=True)
class SignOff:
    outgoing: StaffMember
    incoming: StaffMember


@dataclass(frozen=True, slots=True)
class ClosedHandover:
    shift: ShiftInfo
    next_shift: ShiftInfo
    report: ShiftReport
    idempotency_key: str
    uploaded: bool


class HandoverService:
    def __init__(
        self,
        routes: ShiftRoutes,
        ledger: ShiftLedger,
        printer: ReportPrinter,
        pins: PinVerifier,
        till_id: str,
        till_name: str,
        upload_now: Callable[[], object] | None = None,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self._routes = routes
        self._ledger = ledger
        self._printer = printer
        self._pins = pins
        self._till_id = till_id
        self._till_name = till_name
        self._upload_now = upload_now
        self._clock = clock

    # -- before the cut --------------------------------------------------------------------------------

    def outbox_counts(self) -> OutboxCounts:
        unacked, rejected = self._ledger.outbox_unacked()
        return OutboxCounts(unacked, rejected)

    def check(self, view: ForecourtView, outbox: OutboxCounts) -> HandoverCheck:
        """Blockers, from the board copy and the outbox counts (pure: safe on the GUI thread)."""
        nozzles = view.nozzles
        return handover_check(view.transactions, view.orders, nozzles, outbox, self._till_id, self._clock())

    def note_fills(self, transactions: Sequence[PumpTransaction]) -> None:
        """Keep the fills the till hears of, for an offline handover's sold volumes."""
        if transactions:
            self._ledger.remember_fills([fill_of(t) for t in transactions])

    def current_shift(self) -> LocalShift | None:
        """The live shift: the backend's when reachable (remembered with its opening meters), else ours."""
        try:
            shift = self._routes.current_shift()
        except PosError as error:
            if error.code not in OFFLINE_CODES:
                raise
            return self._ledger.current_shift()
        if shift is None:
            return None
        known = self._ledger.shift(shift.id)
        opening = known.opening if known is not None else None
        if opening is None:
            opening = self._routes.opening_meters(shift.id)
        record = LocalShift(shift, opening, known.closing if known else None)
        self._ledger.remember_shift(record)
        return record

    def open_shift(self, opening_float_fen: int) -> LocalShift:
        shift = self._routes.open_shift(opening_float_fen)
        record = LocalShift(shift, self._routes.opening_meters(shift.id))
        self._ledger.remember_shift(record)
        return record

    def verify(self, staff_no: str, pin: str) -> StaffMember:
        return self._pins.verify(staff_no, pin)

    # -- the cut ---------------------------------------------------------------------------------------

    def cut(self, view: ForecourtView) -> HandoverDraft:
        """Snapshot the meters at one cut time (the backend's, or ours offline) and add up the shift."""
        self.note_fills(view.transactions)
        pending = self.outbox_counts().unacked > 0
        try:
            answer = self._routes.cut()
        except PosError as error:
            if error.code not in OFFLINE_CODES:
                raise
            log.info("cut offline: %s", error.code)
            return self._cut_locally(view)
        return self._draft_from(answer, view.zone, pending)

    def _draft_from(self, answer: CutAnswer, zone: tzinfo | None, pending: bool) -> HandoverDraft:
        self._ledger.remember_fills(answer.fills)
        self._ledger.remember_shift(LocalShift(answer.shift, answer.opening, answer.closing))
        window = ShiftWindow(answer.shift.opened_at, answer.cut_at)
        unsent = self._ledger.unsent_sales_between(window.start, window.end)  # not in the answer yet
        sales = digest_sales([*answer.sales, *unsent], window, zone)
        fills = digest_fills(answer.fills, window)
        extras = self._extras(answer.shift.id, window, zone)
        figures = compute_figures(
            window, answer.shift.opening_float_fen, sales, fills, answer.opening, answer.closing, extras
        )
        return HandoverDraft(
            answer.shift, answer.cut_at, answer.opening, answer.closing, figures, False, pending
        )

    def _extras(self, shift_id: str, window: ShiftWindow, zone: tzinfo | None) -> ShiftExtras:
        """The backend's voids, refunds and write-offs plus ours not yet acknowledged; ours alone when
        the link drops between the cut and this call."""
        try:
            remote = self._routes.extras(shift_id, window.start, window.end, zone)
        except PosError as error:
            if error.code not in OFFLINE_CODES:
                raise
            log.info("shift extras offline: %s", error.code)
            return self._ledger.extras_between(window.start, window.end)
        return remote.merged_with(self._ledger.extras_between(window.start, window.end, unsent_only=True))

    def _cut_locally(self, view: ForecourtView) -> HandoverDraft:
        known = self._ledger.current_shift()
        if known is None:
            raise PosError(
                "shift_unknown_offline",
                "离线：本机不知道当前班次 / Offline: this till does not know the current shift",
                "请在联网后交班 / Connect to the backend once, then hand over.",
            )
        cut_at = self._clock()
        closing = MeterSnapshot.from_nozzles(view.nozzles, cut_at)
        shift = replace(known.shift, state=ShiftState.CLOSING, cut_at=cut_at)
        self._ledger.remember_shift(LocalShift(shift, known.opening, closing))
        figures = self._figures(shift, cut_at, known.opening, closing, view.zone)
        return HandoverDraft(shift, cut_at, known.opening, closing, figures, True, True)

    def _figures(
        self,
        shift: ShiftInfo,
        end: datetime,
        opening: MeterSnapshot | None,
        closing: MeterSnapshot,
        zone: tzinfo | None,
    ) -> HandoverFigures:
        start = shift.opened_at
        sales = self._ledger.sales_digest(start, end, utc_offset_minutes(zone, end))
        fills = self._ledger.fill_digest(start, end)
        extras = self._ledger.extras_between(start, end)
        return compute_figures(
            ShiftWindow(start, end), shift.opening_float_fen, sales, fills, opening, closing, extras
        )

    # -- reports ---------------------------------------------------------------------------------------

    def x_report(self, view: ForecourtView, staff: StaffMember, draft: HandoverDraft | None) -> ShiftReport:
        """Interim report: the draft's figures after a cut, else the live figures the till holds now."""
        if draft is None:
            known = self._ledger.current_shift()
            if known is None:
                raise PosError(
                    "shift_not_open", "当前没有班次 / No shift is open", "请先开班 / Open a shift."
                )
            now = self._clock()
            closing = MeterSnapshot.from_nozzles(view.nozzles, now)
            figures = self._figures(known.shift, now, known.opening, closing, view.zone)
            shift, pending = known.shift, self.outbox_counts().unacked > 0
        else:
            figures, shift, pending = draft.figures, draft.shift, draft.pending_upload
        report = shift_report(
            ShiftReportKind.X,
            self._header(view, staff),
            str(shift.number),
            figures.totals,
            figures.meters,
            None,
            pending,
        )
        self._print_and_keep(shift.id, report)
        return report

    def _header(self, view: ForecourtView, staff: StaffMember) -> ReceiptHeader:
        return ReceiptHeader(view.station_name or "-", self._till_name, staff.name, self._clock(), view.zone)

    def _print_and_keep(self, shift_id: str, report: ShiftReport) -> None:
        self._ledger.save_report(
            StoredReport(shift_id, report.kind.value, report.header.printed_at, report_lines(report))
        )
        self._printer.print_document(report)

    # -- the close -------------------------------------------------------------------------------------

    def cash(
        self, draft: HandoverDraft, count: CashCount, reason: str, manager: StaffMember
    ) -> CashReconciliation:
        """The count against the expected cash; ``variance_needs_reason`` beyond the limit without one."""
        approval = None
        if reason.strip():
            approval = Approval(manager.staff_no, manager.name, manager.role, reason.strip(), self._clock())
        return CashReconciliation(draft.figures.totals.cash_expected_fen, count, approval)

    def close(
        self,
        draft: HandoverDraft,
        cash: CashReconciliation,
        signoff: SignOff,
        manager: StaffMember,
        next_float_fen: int,
        view: ForecourtView,
    ) -> ClosedHandover:
        """Record the close and queue its upload in one local transaction, print the Z report."""
        now = self._clock()
        closed = replace(
            draft.shift,
            state=ShiftState.CLOSED,
            cut_at=draft.cut_at,
            closed_at=now,
            closed_by=manager.staff_no,
            outgoing_staff_no=signoff.outgoing.staff_no,
            incoming_staff_no=signoff.incoming.staff_no,
            counted_fen=cash.counted_fen,
            expected_fen=cash.expected_fen,
            variance_reason=None if cash.approval is None else cash.approval.reason,
        )
        nxt = ShiftInfo(
            f"local-{uuid.uuid4().hex}",
            draft.shift.number + 1,
            ShiftState.OPEN,
            draft.cut_at,
            signoff.incoming.staff_no,
            next_float_fen,
        )
        summary = summary_of(draft.figures, cash, draft.closing)
        key = self._ledger.close_shift(
            LocalShift(closed, draft.opening, draft.closing, True, summary),
            LocalShift(nxt, draft.closing),
            self._close_body(draft, cash, signoff, manager, next_float_fen),
            manager.staff_no,
        )
        uploaded = self._try_upload(closed.id) if not draft.offline else False
        pending = not uploaded or draft.pending_upload
        figures = draft.figures
        report = shift_report(
            ShiftReportKind.Z,
            self._header(view, manager),
            str(closed.number),
            figures.totals,
            figures.meters,
            cash,
            pending,
        )
        self._print_and_keep(closed.id, report)
        log.info("shift %s closed locally (uploaded: %s)", closed.number, uploaded)
        return ClosedHandover(closed, nxt, report, key, uploaded)

    @staticmethod
    def _close_body(
        draft: HandoverDraft, cash: CashReconciliation, signoff: SignOff, manager: StaffMember, float_fen: int
    ) -> Mapping[str, Any]:
        return {
            "staff_no": manager.staff_no,
            "cut_at": format_rfc3339(draft.cut_at),
            "counted": {str(value): pieces for value, pieces in cash.count.pieces.items() if pieces},
            "variance_reason": None if cash.approval is None else cash.approval.reason,
            "outgoing_staff_no": signoff.outgoing.staff_no,
            "incoming_staff_no": signoff.incoming.staff_no,
            "next_opening_float_fen": float_fen,
        }

    def _try_upload(self, shift_id: str) -> bool:
        """Online: send the queued close now rather than at the drainer's next round."""
        if self._upload_now is None:
            return False
        try:
            self._upload_now()
        except PosError as error:  # stays queued; the drainer retries
            log.info("close upload deferred: %s", error.code)
        return bool(self._ledger.close_acknowledged(shift_id))

    # -- history ---------------------------------------------------------------------------------------

    def history(self, limit: int = 50) -> list[LocalShift]:
        """Past shifts as this till recorded them; refreshed from the backend when it answers."""
        try:
            for shift in self._routes.history(limit):
                if self._ledger.shift(shift.id) is None or shift.state is ShiftState.CLOSED:
                    self._ledger.remember_shift(LocalShift(shift))
        except PosError as error:
            if error.code not in OFFLINE_CODES and error.code != "role_forbidden":
                raise
        return self._ledger.history(limit)

    def reports(self, shift_id: str) -> list[StoredReport]:
        return self._ledger.reports(shift_id)
