"""Composition root: builds the store, client, follower, board, bridge and window, and runs the Qt loop.

Only this module and pos.ui know both the sync adapters and Qt; everything is handed in from here.
On start-up the board is filled from the local cache first (marked stale), so the grid shows the last
known forecourt before the backend answers; the follower then resumes from the cached seq.
"""

from __future__ import annotations

import logging
import signal
import sys
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PySide6.QtCore import Qt, QTimer, QTranslator
from PySide6.QtWidgets import QApplication

from pos.app_handover import HandoverWiring, install_in_station_app
from pos.domain.roles import Permission
from pos.hardware.printing.print_queue import PrintQueue
from pos.printer_setup import receipt_queue
from pos.services.members import MemberLookup
from pos.services.ports import StaffMember
from pos.services.sales import SalesRecorder
from pos.services.station_board import StationBoard
from pos.settings import Settings
from pos.sync.cache import StationCache, bind_to_backend
from pos.sync.connectivity import OutboxSync, build_outbox_sync, fan_out
from pos.sync.follower import EventFollower
from pos.sync.members import MemberCache, MemberCacheSync, MemberRoutes
from pos.sync.store import LocalStore
from pos.ui.bridge import QtBoardFeeder, QtFollowerBridge
from pos.ui.counter_wiring import CounterFeature, install_counter
from pos.ui.demo_controls import BackendControl, QtDemoMenu, record_demo_sale
from pos.ui.fonts import install_cjk_font
from pos.ui.main_window import MainWindow
from pos.ui.member_lookup import QtMemberLookupDialog
from pos.ui.receipts_dialog import QtReceiptsDialog
from pos.ui.status_bar import QtOutboxStatus, station_zone_source
from pos.ui.tasks import QtTaskRunner
from pos.ui.translations import DEFAULT_LANGUAGE, install_translators
from pos.ui.writeoff_wiring import WriteOffFeature, install_from_settings

if TYPE_CHECKING:  # requests is heavy; the caller has already built (and paired) the client
    from pos.sync.client import BackendClient

log = logging.getLogger(__name__)
WINDOW_SIZE = (1280, 800)
CACHE_FILE = "cache.sqlite3"
MEMBER_SYNC_INTERVAL_SECONDS = 300.0
NOTICE_SHOWN_MS = 60_000
LANGUAGE_PROPERTY = "posLanguage"
_translators: list[QTranslator] = []


@dataclass
class StationApp:
    board: StationBoard
    bridge: QtFollowerBridge
    feeder: QtBoardFeeder
    follower: EventFollower
    window: MainWindow
    store: LocalStore
    member_sync: MemberCacheSync
    member_lookup: MemberLookup
    _lookup_dialog: QtMemberLookupDialog | None = None
    # the outbox (issue 3, engineer C): drainer thread, connectivity monitor, status label
    outbox_sync: OutboxSync | None = None
    outbox_status: QtOutboxStatus | None = None
    writeoff: WriteOffFeature | None = None  # issue 6: F4 screen, camera dialog, keyboard wedge
    counter: CounterFeature | None = None  # issue 4: inbox F1, tender F2, member attach, sign-in, lock F12
    handover: HandoverWiring | None = None  # issue 7: F9 handover, shift history, X/Z reports
    printer: PrintQueue | None = None  # issue 5: the receipt printer's one queue, shared by every screen

    def start(self) -> None:
        if self.outbox_sync is not None:
            self.outbox_sync.start()
        self.follower.start()
        self.member_sync.start()
        self.window.resize(*WINDOW_SIZE)
        self.window.show()
        if self.counter is not None:  # after show: the sign-in screen opens over the window
            self.counter.start()

    def stop(self) -> None:
        if self.handover is not None:
            self.handover.stop()
        if self.counter is not None:
            self.counter.shutdown()
        if self.writeoff is not None:
            self.writeoff.shutdown()
        if self.printer is not None:
            self.printer.stop(timeout=2.0)
        if self.outbox_status is not None:
            self.outbox_status.shutdown()
        if self.outbox_sync is not None:
            self.outbox_sync.stop()
        self.follower.stop()
        self.feeder.stop()
        self.member_sync.stop()
        if self._lookup_dialog is not None:
            self._lookup_dialog.shutdown()
        self.store.close()

    def open_member_lookup(self) -> QtMemberLookupDialog:
        """F3: one dialog for the app's life, so searches never overlap on the lookup's client."""
        if self._lookup_dialog is None:
            self._lookup_dialog = QtMemberLookupDialog(self.member_lookup, self._zone(), self.window)
            if self.counter is not None:  # Enter on a result attaches the member to the sale
                self.counter.hook_member_lookup(self._lookup_dialog)
        self._lookup_dialog.open_for_search()
        return self._lookup_dialog

    def _zone(self) -> tzinfo | None:
        station = self.board.station
        try:
            return ZoneInfo(station.timezone) if station else None
        except (ZoneInfoNotFoundError, ValueError):
            return None


def _station_labels(board: StationBoard) -> tuple[str, tzinfo | None]:
    """The station's name and zone for slips and times (what the board last heard)."""
    station = board.station
    try:
        return (station.name if station else ""), (ZoneInfo(station.timezone) if station else None)
    except (ZoneInfoNotFoundError, ValueError):
        return (station.name if station else ""), None


def prime_board_from_cache(board: StationBoard, cache: StationCache) -> bool:
    """Show the last known station at once, marked stale until the backend answers."""
    cached = cache.load()
    if cached is None:
        return False
    board.apply_snapshot(cached.snapshot)
    board.last_contact = None  # cached, not heard now: the staleness check flips every tile to stale
    board.check_staleness()
    log.info("board filled from the cache at seq %d", cached.snapshot.seq)
    return True


def build_station_app(
    settings: Settings, client: BackendClient, staff: StaffMember | None, cache_path: Path | None = None
) -> StationApp:
    """Wire one till's live view. ``client`` must be paired; each background worker gets its own twin
    of it (requests sessions are not shared between threads)."""
    store, notice = LocalStore.open_or_rebuild(cache_path or settings.data_dir / CACHE_FILE)
    bind_to_backend(store, client.base_url)
    station_cache = StationCache(store)
    outbox_sync = build_outbox_sync(store, client.twin())
    board = StationBoard(stale_after_seconds=settings.stale_after_seconds)
    prime_board_from_cache(board, station_cache)
    bridge = QtFollowerBridge()
    feeder = QtBoardFeeder(board, bridge)
    follower = EventFollower(
        client.twin(),
        bridge.on_snapshot,
        bridge.on_events,
        fan_out(bridge.on_connection, outbox_sync.monitor.on_follower),
        poll_wait_seconds=settings.poll_wait_seconds,
        cache=station_cache,
    )
    member_cache = MemberCache(store)
    member_sync = MemberCacheSync(
        member_cache, MemberRoutes(client.twin()), interval_seconds=MEMBER_SYNC_INTERVAL_SECONDS
    )
    lookup_client = client.twin()
    lookup_client.read_retries = 0  # the cashier waits: fall back to the cache at the first failure
    lookup = MemberLookup(MemberRoutes(lookup_client), member_cache)
    window = MainWindow(board, settings.till_name, staff)
    app = StationApp(board, bridge, feeder, follower, window, store, member_sync, lookup)
    window.add_member_lookup(app.open_member_lookup)
    app.outbox_sync = outbox_sync
    zone = station_zone_source(board)
    app.outbox_status = QtOutboxStatus(outbox_sync.monitor, outbox_sync.outbox, zone, window)
    window.add_connectivity_widget(app.outbox_status.label)
    app.printer = receipt_queue(settings)  # one queue per printer: receipts, slips and reports in order
    if app.printer is not None:
        receipts = QtReceiptsDialog(app.printer, QtTaskRunner(window), window)
        window.add_screen_action(
            window.tr("小票 Receipts"), window.tr("小票与重打 Receipts and reprint"), Qt.Key.Key_F6,
            receipts.open_list, Permission.WRITE_OFF, "receiptsAction",
        )  # fmt: skip
    app.writeoff = install_from_settings(
        settings, window, client, store, outbox_sync, lambda: window.staff, lambda: _station_labels(board),
        app.printer,
    )  # fmt: skip
    app.counter = install_counter(
        window, client, store, outbox_sync, board, bridge, settings.till_name,
        speak_orders=settings.announce_orders_aloud, idle_minutes=settings.idle_lock_minutes,
        printer=app.printer,
    )  # fmt: skip
    app.handover = install_in_station_app(app, settings, client)
    if notice is not None:
        window.statusBar().showMessage(notice.message, NOTICE_SHOWN_MS)
    return app


def install_demo_menu(app: StationApp, control: BackendControl, staff: StaffMember | None) -> QtDemoMenu:
    """Stop/start the demo backend and record sample sales; a started backend ends the drainer's backoff."""
    sync = app.outbox_sync
    if sync is None:
        raise RuntimeError("the station app was built without its outbox")
    recorder = SalesRecorder(sync.outbox)
    staff_no = staff.staff_no if staff else "1001"
    menu = QtDemoMenu(app.window, control, lambda: record_demo_sale(recorder, staff_no))
    menu.backend_changed.connect(lambda running: sync.drainer.retry_now() if running else None)
    return menu


def qt_application(language: str = DEFAULT_LANGUAGE) -> QApplication:
    """The Qt application, with the UI language (settings.language) installed before any window exists."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("station-pos")
    install_cjk_font(app)
    if not app.property(LANGUAGE_PROPERTY):  # once per process: the pairing dialog and the window agree
        app.setProperty(LANGUAGE_PROPERTY, language)
        _translators.extend(install_translators(app, language))  # held here: Qt does not own them
    return app


def quit_on_termination_signals(app: QApplication) -> None:
    """Ctrl+C or SIGTERM close the window cleanly, so the demo backend child is stopped too."""
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: app.quit())
    # Python runs signal handlers only between bytecodes; a timer lets it in while Qt's loop waits.
    heartbeat = QTimer(app)
    heartbeat.timeout.connect(lambda: None)
    heartbeat.start(250)


def save_screenshot(window: MainWindow, path: Path) -> bool:
    path.parent.mkdir(parents=True, exist_ok=True)
    saved = window.grab().save(str(path), "PNG")
    log.info("screenshot %s to %s", "saved" if saved else "NOT saved", path)
    return bool(saved)


def run_gui(
    settings: Settings,
    client: BackendClient,
    staff: StaffMember | None,
    screenshot: Path | None = None,
    after_seconds: float = 8.0,
    cache_path: Path | None = None,
    backend_control: BackendControl | None = None,
) -> int:
    """Open the window and run until it closes (or, with ``screenshot``, until the shot is taken)."""
    app = qt_application(settings.language)
    quit_on_termination_signals(app)
    station_app = build_station_app(settings, client, staff, cache_path)
    station_app.start()
    if backend_control is not None:  # pos demo: the 演示 Demo menu stops and starts the backend child
        install_demo_menu(station_app, backend_control, staff)
    result = {"code": 0}
    if screenshot is not None:

        def shoot() -> None:
            result["code"] = 0 if save_screenshot(station_app.window, screenshot) else 1
            app.quit()

        QTimer.singleShot(int(after_seconds * 1000), shoot)
    try:
        exit_code = app.exec()
    finally:
        station_app.stop()
        station_app.window.close()
    return result["code"] or exit_code


def pair_with_dialog(settings: Settings) -> BackendClient | None:
    """No stored token: ask for a backend URL and activation code; None when the cashier cancels."""
    from pos.sync.client import BackendClient
    from pos.sync.credentials import pair_till
    from pos.ui.pairing_dialog import QtPairingDialog

    qt_application(settings.language)
    dialog = QtPairingDialog(
        settings.backend_url,
        settings.till_name,
        lambda url, code, name: pair_till(settings, url, code, name),
    )
    if dialog.exec() != QtPairingDialog.DialogCode.Accepted:
        return None
    assert isinstance(dialog.paired, BackendClient)  # what pair_till returns
    return dialog.paired
