"""One start-up, run in a fresh interpreter by bench.startup_bench; exits the moment it is done.

`app` mode: the till's real composition root against a running backend (URL and device token on stdin,
never argv or the environment), started as ``pos.app.run_gui`` starts it; done when the window has been
painted with the first snapshot. `ready` mode: the same, done when the features behind the first frame
(store, outbox, screens, the sign-in dialog) are plugged in and started.
`bare` mode: a bare PySide6 QMainWindow, done when it has been painted once.
Both leave with os._exit so interpreter teardown is not counted on either side.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


def bare() -> None:
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    class Painted(QLabel):
        def paintEvent(self, event: object) -> None:
            super().paintEvent(event)  # type: ignore[arg-type]
            os._exit(0)

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setCentralWidget(Painted("ready"))
    window.resize(1280, 800)
    window.show()
    app.exec()


def app(until_ready: bool = False) -> None:
    url, token = sys.stdin.readline().split()
    from pos.sync.client import BackendClient
    from pos.sync.prefetch import SnapshotPrefetch

    client = BackendClient(url, device_token=token)
    prefetch = SnapshotPrefetch.start(client)  # as pos.__main__.run_till does, before Qt loads
    from pos.app import build_station_app, qt_application
    from pos.settings import Settings
    from pos.ui.nozzle_tile import QtNozzleTile

    original = QtNozzleTile.paintEvent

    def paint_then_leave(tile: QtNozzleTile, event: object) -> None:
        original(tile, event)  # type: ignore[arg-type]
        if not until_ready and station.board.last_seq is not None:  # painted with the snapshot
            os._exit(0)

    QtNozzleTile.paintEvent = paint_then_leave  # type: ignore[method-assign]
    qt = qt_application()
    settings = Settings(backend_url=url, data_dir=Path(tempfile.mkdtemp(prefix="pos-bench-till-")))
    station = build_station_app(settings, client, None, features=False, prefetch=prefetch)
    station.start()
    station.when_ready(lambda: os._exit(0) if until_ready else None)
    qt.exec()


if __name__ == "__main__":
    {"bare": bare, "app": app, "ready": lambda: app(until_ready=True)}[sys.argv[1]]()
