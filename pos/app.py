"""Composition root: builds the board, follower, bridge and window, then the features, and runs Qt.

Only this module and pos.ui know both the sync adapters and Qt; everything is handed in from here.
A till starting up shows its window and starts following the forecourt first (a few light modules), and
plugs in the store, outbox, members, printer and screens (pos.app_features) right after the first frame
with the backend's snapshot; if the backend does not answer, after the first failure or a short wait,
and then the board is filled from the local cache (marked stale) until it does.
"""

from __future__ import annotations

import logging
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PySide6.QtCore import QCoreApplication, QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QLabel

from pos.services.ports import ConnectionState, ConnectionStatus, StaffMember, StationChange
from pos.services.station_board import StationBoard
from pos.settings import Settings
from pos.sync.follower import ConnectionFanOut, EventFollower
from pos.ui.bridge import QtBoardFeeder, QtFollowerBridge
from pos.ui.fonts import install_cjk_font
from pos.ui.main_window import MainWindow
from pos.ui.translations import DEFAULT_LANGUAGE, install_translators

if TYPE_CHECKING:  # loaded with the features, after the first frame
    from pos.app_handover import HandoverWiring
    from pos.hardware.printing.print_queue import PrintQueue
    from pos.services.members import MemberLookup
    from pos.sync.client import BackendClient
    from pos.sync.connectivity import OutboxSync
    from pos.sync.members import MemberCacheSync
    from pos.sync.prefetch import SnapshotPrefetch
    from pos.sync.store import LocalStore
    from pos.ui.counter_wiring import CounterFeature
    from pos.ui.demo_controls import BackendControl, QtDemoMenu
    from pos.ui.member_lookup import QtMemberLookupDialog
    from pos.ui.status_bar import QtOutboxStatus
    from pos.ui.writeoff_wiring import WriteOffFeature

log = logging.getLogger(__name__)
WINDOW_SIZE = (1280, 800)
FIRST_FRAME_WAIT_MS = 2_000  # a backend that neither answers nor fails: build the rest anyway
LANGUAGE_PROPERTY = "posLanguage"
_translators: list[QTranslator] = []


@dataclass
class StationApp:
    board: StationBoard
    bridge: QtFollowerBridge
    feeder: QtBoardFeeder
    follower: EventFollower
    window: MainWindow
    settings: Settings
    client: BackendClient
    connection: ConnectionFanOut
    cache_path: Path | None = None
    prefetch: SnapshotPrefetch | None = None  # the first snapshot, fetched by a child process
    # plugged in by pos.app_features, in this order
    store: LocalStore | None = None
    outbox_sync: OutboxSync | None = None  # drainer thread, connectivity monitor
    outbox_status: QtOutboxStatus | None = None  # the status bar's connectivity label
    member_sync: MemberCacheSync | None = None
    member_lookup: MemberLookup | None = None
    printer: PrintQueue | None = None  # the receipt printer's one queue, shared by every screen
    writeoff: WriteOffFeature | None = None  # F4 screen, camera dialog, keyboard wedge
    counter: CounterFeature | None = None  # inbox F1, tender F2, member attach, sign-in, lock F12
    handover: HandoverWiring | None = None  # F9 handover, shift history, X/Z reports
    features_ready: bool = False
    _started: bool = False
    _stopped: bool = False
    _steps_begun: bool = False
    _pending_steps: list[Callable[[StationApp], None]] = field(default_factory=list)
    _when_ready: list[Callable[[], object]] = field(default_factory=list)
    _lookup_dialog: QtMemberLookupDialog | None = None

    # -- building --------------------------------------------------------------------------------------

    def install_features(self) -> None:
        """Plug in everything behind the first frame now (tests and tools; a started till does it itself)."""
        from pos.app_features import FEATURE_STEPS

        self._steps_begun = True
        self._pending_steps = list(FEATURE_STEPS)
        while not self.features_ready:
            self._next_step()

    def _install_after_first_frame(self) -> None:
        """Once the window has been painted with the backend's snapshot (or the backend failed, or a short
        wait passed), plug the features in, one step per turn of the event loop."""
        board = self.board

        class FirstFrame:
            def station_changed(_self, change: StationChange) -> None:
                failed = change.connection and board.connection.state != ConnectionState.ONLINE
                if board.last_seq is not None or failed:
                    board.unsubscribe(_self)
                    QTimer.singleShot(0, self._paint_then_begin_steps)

        board.subscribe(FirstFrame())
        QTimer.singleShot(FIRST_FRAME_WAIT_MS, self._begin_steps)

    def _paint_then_begin_steps(self) -> None:
        if self._stopped:
            return
        # Queued behind the layout requests the snapshot's tiles posted: they have their places now.
        self.window.repaint()  # the forecourt on screen now, before the features load
        QTimer.singleShot(0, self._begin_steps)

    def _begin_steps(self) -> None:
        if self._steps_begun or self._stopped:
            return  # already under way or done (the wait and the first frame both call this)
        self._steps_begun = True
        from pos.app_features import FEATURE_STEPS  # the database layer and the screens load here

        self._pending_steps = list(FEATURE_STEPS)
        self._run_steps_on_the_loop()

    def _run_steps_on_the_loop(self) -> None:
        if self._stopped:
            return
        try:
            self._next_step()
        except Exception:  # a store that cannot be opened, a bug: say so rather than sit half-built
            log.exception("the till could not finish starting")
            self._pending_steps.clear()
            self.bridge.forget_history()
            failure = QLabel(  # a label of its own: a status-bar message would hide the connection state
                QCoreApplication.translate(
                    "MainWindow",
                    "启动未完成，请重启或联系技术支持 / Start-up did not complete: restart or call support",
                )
            )
            failure.setObjectName("startupFailure")
            failure.setStyleSheet("color: #FF8A80; font-weight: bold;")
            self.window.statusBar().addPermanentWidget(failure)
            return
        if not self.features_ready:
            QTimer.singleShot(0, self._run_steps_on_the_loop)

    def _next_step(self) -> None:
        step = self._pending_steps.pop(0)
        step(self)
        if not self._pending_steps:
            self.features_ready = True
            if self._started:
                self._start_features()

    def when_ready(self, callback: Callable[[], object]) -> None:
        """Run ``callback`` once the features are plugged in (at once if they are)."""
        if self.features_ready:
            callback()
        else:
            self._when_ready.append(callback)

    def forward_connection(self, listener: Callable[[ConnectionStatus], None]) -> None:
        """Also tell ``listener`` how the follower's link is doing (it first hears the last report)."""
        self.connection.add(listener)

    def require_store(self) -> LocalStore:
        if self.store is None:
            raise RuntimeError("the local store is opened by the first feature step")
        return self.store

    def require_outbox(self) -> OutboxSync:
        if self.outbox_sync is None:
            raise RuntimeError("the outbox is built by the second feature step")
        return self.outbox_sync

    # -- running ---------------------------------------------------------------------------------------

    def start(self) -> None:
        self._started = True
        self.follower.start()
        self.window.resize(*WINDOW_SIZE)
        self.window.show()
        if self.features_ready:
            self._start_features()
        else:
            self._install_after_first_frame()

    def _start_features(self) -> None:
        if self.outbox_sync is not None:
            self.outbox_sync.start()
        if self.member_sync is not None:
            self.member_sync.start()
        if self.counter is not None:  # after show: the sign-in screen opens over the window
            self.counter.start()
        self.bridge.forget_history()
        callbacks, self._when_ready = self._when_ready, []
        for callback in callbacks:
            callback()

    def stop(self) -> None:
        self._stopped = True
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
        if self.prefetch is not None:
            self.prefetch.cancel()
        self.feeder.stop()
        if self.member_sync is not None:
            self.member_sync.stop()
        if self._lookup_dialog is not None:
            self._lookup_dialog.shutdown()
        if self.store is not None:
            self.store.close()

    def open_member_lookup(self) -> QtMemberLookupDialog:
        """F3: one dialog for the app's life, so searches never overlap on the lookup's client."""
        from pos.ui.member_lookup import QtMemberLookupDialog

        if self.member_lookup is None:
            raise RuntimeError("member lookup is plugged in with the features")
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


def build_station_app(
    settings: Settings,
    client: BackendClient,
    staff: StaffMember | None,
    cache_path: Path | None = None,
    *,
    features: bool = True,
    prefetch: SnapshotPrefetch | None = None,
) -> StationApp:
    """Wire one till. ``client`` must be paired; each background worker gets its own twin of it
    (requests sessions are not shared between threads). With ``features=False`` only the window and the
    follower are built; ``start()`` plugs the rest in after the first frame (how a till starts). With
    ``prefetch`` the follower's first snapshot is the one a child process fetched meanwhile."""
    board = StationBoard(stale_after_seconds=settings.stale_after_seconds)
    bridge = QtFollowerBridge(keep_history=not features)  # for the screens plugged in after the first frame
    feeder = QtBoardFeeder(board, bridge)
    connection = ConnectionFanOut(bridge.on_connection)
    follower = EventFollower(
        client.twin(),
        bridge.on_snapshot,
        bridge.on_events,
        connection,
        poll_wait_seconds=settings.poll_wait_seconds,
        await_cache=True,  # the store opens with the features; what came before is written then
        first_snapshot=prefetch.take if prefetch is not None else None,
    )
    window = MainWindow(board, settings.till_name, staff)
    app = StationApp(
        board, bridge, feeder, follower, window, settings, client, connection, cache_path, prefetch
    )
    if features:
        app.install_features()
    return app


def install_demo_menu(app: StationApp, control: BackendControl, staff: StaffMember | None) -> QtDemoMenu:
    """Stop/start the demo backend and record sample sales; a started backend ends the drainer's backoff."""
    from pos.services.sales import SalesRecorder
    from pos.ui.demo_controls import QtDemoMenu, record_demo_sale

    sync = app.require_outbox()
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
    prefetch: SnapshotPrefetch | None = None,
) -> int:
    """Open the window and run until it closes (or, with ``screenshot``, until the shot is taken)."""
    app = qt_application(settings.language)
    quit_on_termination_signals(app)
    station_app = build_station_app(settings, client, staff, cache_path, features=False, prefetch=prefetch)
    station_app.start()
    if backend_control is not None:  # pos demo: the 演示 Demo menu stops and starts the backend child
        station_app.when_ready(lambda: install_demo_menu(station_app, backend_control, staff))
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
