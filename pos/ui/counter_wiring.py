"""Plugs the counter (issue 4) into the till: the inbox in place of the orders list, F1 inbox, F2 tender,
member attach from the F3 lookup, F12 lock, sign-in and auto-lock, manager void and refund.

Called from the composition root (pos.app) with what it already built; everything counter-specific is
made here so that pos.app gains only a few lines.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PySide6.QtCore import Qt

from pos.domain.errors import PosError
from pos.domain.receipt import ReceiptHeader
from pos.domain.sale_receipt import fuel_sale_receipt
from pos.hardware.printing.print_queue import PrintQueue
from pos.services.inbox import InboxBook
from pos.services.ports import StaffMember
from pos.services.settlement import SettledSale, SettlementDesk
from pos.services.staff_auth import IdleLock, SignedIn, StaffAuth
from pos.services.station_board import StationBoard
from pos.sync.client import BackendClient
from pos.sync.connectivity import OutboxSync
from pos.sync.counter import CounterJournal, CounterRoutes
from pos.sync.shift_extras import StoreVoidJournal
from pos.sync.staff_verifiers import StaffVerifierCache, StaffVerifierSync
from pos.sync.store import LocalStore
from pos.ui.bridge import QtFollowerBridge
from pos.ui.chime import QtAnnouncer
from pos.ui.counter import LANE, QtCounter
from pos.ui.inbox import QtInbox
from pos.ui.main_window import MainWindow
from pos.ui.member_lookup import QtMemberLookupDialog
from pos.ui.sign_in import QtIdleWatcher, QtSignInScreen
from pos.ui.tasks import Operation, QtTaskRunner

log = logging.getLogger(__name__)
SYNC_LANE = "staff-sync"


@dataclass
class CounterFeature:
    counter: QtCounter
    inbox: QtInbox
    runner: QtTaskRunner
    auth: StaffAuth
    sign_in: QtSignInScreen
    idle: QtIdleWatcher
    window: MainWindow
    verifier_sync: StaffVerifierSync
    last_staff_no: str = ""
    _hooked: set[int] = field(default_factory=set)

    def start(self) -> None:
        self.counter.start()
        self.runner.run(Operation(self.verifier_sync.refresh_quietly, lambda _n: None, _ignore, SYNC_LANE))
        if self.window.staff is None:
            self.sign_in.open_locked()

    # -- sign-in and lock ------------------------------------------------------------------------------

    def signed_in(self, signed: SignedIn) -> None:
        self.last_staff_no = signed.staff.staff_no
        self._set_staff(signed.staff)
        self.idle.lock.touch()
        if signed.note:
            self.inbox.show_message(signed.note, error=False)

    def lock(self) -> None:
        """F12 or idle: end the session, hide what the role could do, show the lock screen."""
        if self.sign_in.isVisible() or (self.counter.tender is not None and self.counter.tender.busy):
            return
        if self.counter.tender is not None:
            self.counter.tender.back_out()
        staff = self.window.staff
        self.last_staff_no = staff.staff_no if staff is not None else self.last_staff_no
        self._set_staff(None)
        self.runner.run(Operation(self.auth.sign_out, lambda _r: None, _ignore, LANE))
        self.sign_in.open_locked(self.last_staff_no)

    def _set_staff(self, staff: StaffMember | None) -> None:
        self.window.set_staff(staff)
        self.counter.set_staff(staff)

    # -- F3: attach the chosen member --------------------------------------------------------------------

    def hook_member_lookup(self, dialog: QtMemberLookupDialog) -> None:
        """Enter on a result attaches that member to the sale; one result gets the focus at once."""
        if id(dialog) in self._hooked:
            return
        self._hooked.add(id(dialog))

        def chosen(record: object) -> None:
            dialog.hide()
            self.counter.attach_member(record)  # type: ignore[arg-type]

        def shown(result: object) -> None:
            if getattr(result, "records", None):
                dialog.results.setFocus(Qt.FocusReason.OtherFocusReason)

        dialog.member_chosen.connect(chosen)
        dialog.result_shown.connect(shown)

    def shutdown(self) -> None:
        self.counter.stop()
        self.idle.stop()
        self.inbox.shutdown()
        self.runner.shutdown()


def _zone(name: str) -> tzinfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _ignore(error: PosError) -> None:
    log.info("counter background call failed: %s", error.code)


def receipt_printer(
    printer: PrintQueue | None, header: Callable[[StaffMember], ReceiptHeader]
) -> Callable[[SettledSale, StaffMember], None] | None:
    """Every settled sale prints its receipt; a cash sale's receipt also opens the drawer (the renderer
    sends ESC p for it), so the drawer never opens without paper to match."""
    if printer is None:
        return None

    def print_receipt(settled: SettledSale, staff: StaffMember) -> None:
        printer.print_document(fuel_sale_receipt(settled.sale, header(staff)))

    return print_receipt


def install_counter(
    window: MainWindow,
    client: BackendClient,
    store: LocalStore,
    sync: OutboxSync,
    board: StationBoard,
    bridge: QtFollowerBridge,
    till_name: str,
    *,
    speak_orders: bool = False,
    idle_minutes: float = 5.0,
    printer: PrintQueue | None = None,
) -> CounterFeature:
    runner = QtTaskRunner(window)
    counter_client = client.twin()  # carries the staff session; used on the counter lane only
    routes = CounterRoutes(counter_client)
    journal = CounterJournal(sync.outbox)
    desk = SettlementDesk(routes, sync.outbox, journal, voids=StoreVoidJournal(store))
    inbox = QtInbox(InboxBook(board), board, QtAnnouncer(speak_orders, parent=window))
    bridge.connect_station(None, inbox.on_events)  # orders heard before it was plugged in too
    window.replace_orders_panel(inbox)

    def header(staff: StaffMember) -> ReceiptHeader:
        station = board.station
        zone = _zone(station.timezone) if station is not None else None
        name = station.name if station is not None else till_name
        return ReceiptHeader(name, till_name, staff.name, datetime.now(UTC), zone)

    counter = QtCounter(
        desk, routes, journal, runner, inbox, window, window.staff, receipt_printer(printer, header)
    )
    cache = StaffVerifierCache(store)
    verifier_sync = StaffVerifierSync(client.twin(with_staff=False), cache)

    def refresh_verifiers(_staff: StaffMember) -> None:  # on the counter lane: queue, do not block it
        runner.run(Operation(verifier_sync.refresh_quietly, lambda _n: None, _ignore, SYNC_LANE))

    auth = StaffAuth(routes, cache, on_signed_in_online=refresh_verifiers)
    idle = QtIdleWatcher(IdleLock(timedelta(minutes=idle_minutes)), parent=window)

    def run_sign_in(
        staff_no: str, pin: str, on_done: Callable[[SignedIn], None], on_error: Callable[[PosError], None]
    ) -> None:
        runner.run(Operation(lambda: auth.sign_in(staff_no, pin), on_done, on_error, LANE))

    sign_in = QtSignInScreen(run_sign_in, till_name, window)
    feature = CounterFeature(counter, inbox, runner, auth, sign_in, idle, window, verifier_sync)
    sign_in.signed_in.connect(feature.signed_in)
    idle.idle.connect(feature.lock)
    _add_actions(window, counter, feature)
    return feature


def _add_actions(window: MainWindow, counter: QtCounter, feature: CounterFeature) -> None:
    from pos.domain.roles import Permission

    menu = window.tr("收银 Counter")
    window.add_screen_action(menu, window.tr("待结算 Inbox"), Qt.Key.Key_F1, counter.focus_inbox, None,
                             "inboxAction")  # fmt: skip
    window.add_screen_action(menu, window.tr("收款 Tender"), Qt.Key.Key_F2, counter.open_tender,
                             Permission.SELL, "tenderAction")  # fmt: skip
    window.add_screen_action(menu, window.tr("作废 Void"), Qt.Key.Key_F7, counter.void_selected,
                             Permission.VOID, "voidAction")  # fmt: skip
    window.add_screen_action(menu, window.tr("退款 Refund"), Qt.Key.Key_F8, counter.open_refund,
                             Permission.REFUND, "refundAction")  # fmt: skip
    window.add_screen_action(menu, window.tr("锁屏 Lock"), Qt.Key.Key_F12, feature.lock, None, "lockAction")
