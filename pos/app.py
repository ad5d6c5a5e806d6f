"""Composition root: builds the client, follower, board, bridge and window, and runs the Qt loop.

Only this module and pos.ui know both the sync adapters and Qt; everything is handed in from here.
"""

from __future__ import annotations

import logging
import signal
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from pos.services.ports import StaffMember
from pos.services.station_board import StationBoard
from pos.settings import Settings
from pos.sync.follower import EventFollower
from pos.ui.bridge import QtBoardFeeder, QtFollowerBridge
from pos.ui.fonts import install_cjk_font
from pos.ui.main_window import MainWindow

if TYPE_CHECKING:  # requests is heavy; the caller has already built (and paired) the client
    from pos.sync.client import BackendClient

log = logging.getLogger(__name__)
WINDOW_SIZE = (1280, 800)


@dataclass
class StationApp:
    board: StationBoard
    bridge: QtFollowerBridge
    feeder: QtBoardFeeder
    follower: EventFollower
    window: MainWindow

    def start(self) -> None:
        self.follower.start()
        self.window.resize(*WINDOW_SIZE)
        self.window.show()

    def stop(self) -> None:
        self.follower.stop()


def build_station_app(settings: Settings, client: BackendClient, staff: StaffMember | None) -> StationApp:
    """Wire one till's live view. ``client`` must be paired; the follower gets its own twin of it."""
    board = StationBoard(stale_after_seconds=settings.stale_after_seconds)
    bridge = QtFollowerBridge()
    feeder = QtBoardFeeder(board, bridge)
    follower = EventFollower(
        client.twin(),
        bridge.on_snapshot,
        bridge.on_events,
        bridge.on_connection,
        poll_wait_seconds=settings.poll_wait_seconds,
    )
    window = MainWindow(board, settings.till_name, staff)
    return StationApp(board, bridge, feeder, follower, window)


def qt_application() -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("station-pos")
    install_cjk_font(app)
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
) -> int:
    """Open the window and run until it closes (or, with ``screenshot``, until the shot is taken)."""
    app = qt_application()
    quit_on_termination_signals(app)
    station_app = build_station_app(settings, client, staff)
    station_app.start()
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
