"""A till starting as `pos` starts it: the forecourt first, then the store, outbox and screens."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from pos.app import StationApp, build_station_app
from pos.demo import BackendProcess
from pos.services.ports import ConnectionState
from pos.settings import Settings
from pos.sync.cache import StationCache
from pos.sync.client import BackendClient
from pos.ui.nozzle_tile import QtNozzleTile
from tests.support import free_port

pytestmark = pytest.mark.slow
TIMEOUT_MS = 60_000


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[BackendProcess]:
    with BackendProcess(tmp_path / "backend.db", tmp_path, sim_speed=8.0) as process:
        yield process


def staged_app(tmp_path: Path, url: str, client: BackendClient) -> StationApp:
    settings = Settings(backend_url=url, data_dir=tmp_path / "till", poll_wait_seconds=1)
    return build_station_app(settings, client, None, features=False)


def test_the_forecourt_is_painted_before_the_features_load_and_the_cache_catches_up(
    tmp_path: Path, qtbot: QtBot, backend: BackendProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    ready = backend.start()
    client = BackendClient(ready.url, read_timeout=5)
    client.pair(ready.activation_code, "分步启动")
    app = staged_app(tmp_path, ready.url, client)
    painted_before_features: list[bool] = []
    original = QtNozzleTile.paintEvent

    def noting_paint(tile: QtNozzleTile, event: object) -> None:
        original(tile, event)  # type: ignore[arg-type]
        if app.board.last_seq is not None and not painted_before_features:
            painted_before_features.append(not app.features_ready and app.store is None)

    monkeypatch.setattr(QtNozzleTile, "paintEvent", noting_paint)
    qtbot.addWidget(app.window)
    assert app.store is None and app.counter is None  # nothing but the window and the follower yet
    app.start()
    try:
        qtbot.waitUntil(lambda: app.features_ready, timeout=TIMEOUT_MS)
        assert painted_before_features == [True]
        assert app.counter is not None and app.writeoff is not None and app.handover is not None
        qtbot.waitUntil(
            lambda: app.counter is not None and app.counter.sign_in.isVisible(), timeout=TIMEOUT_MS
        )
        names = {action.objectName() for action in app.window.findChildren(QAction)}
        assert "memberLookupAction" in names  # F3, plugged in with the features
        sync = app.require_outbox()
        # the monitor was built after the follower's first report and heard it anyway
        qtbot.waitUntil(lambda: sync.monitor.current.state == ConnectionState.ONLINE, timeout=TIMEOUT_MS)
        cache = StationCache(app.require_store())
        newest = client.snapshot().seq
        qtbot.waitUntil(lambda: (cache.last_seq() or 0) >= newest, timeout=TIMEOUT_MS)  # held, then written
        cached = cache.load()
        assert cached is not None and len(cached.snapshot.nozzles) == len(app.board.nozzles)
    finally:
        app.stop()
        client.close()


def test_with_the_backend_down_the_cache_fills_the_board_and_the_features_still_load(
    tmp_path: Path, qtbot: QtBot, backend: BackendProcess
) -> None:
    ready = backend.start()
    client = BackendClient(ready.url, read_timeout=5)
    client.pair(ready.activation_code, "分步启动")
    first = build_station_app(
        Settings(backend_url=ready.url, data_dir=tmp_path / "till", poll_wait_seconds=1), client, None
    )
    first.start()
    qtbot.addWidget(first.window)
    cache = StationCache(first.require_store())
    qtbot.waitUntil(lambda: cache.last_seq() is not None, timeout=TIMEOUT_MS)
    first.stop()
    backend.stop()

    app = staged_app(tmp_path, ready.url, client)
    qtbot.addWidget(app.window)
    app.start()
    try:
        qtbot.waitUntil(lambda: app.features_ready, timeout=TIMEOUT_MS)
        assert app.board.last_seq is not None  # from the cache, since the backend never answered
        qtbot.waitUntil(lambda: all(t.view.stale for t in app.window.grid.tiles.values()), timeout=TIMEOUT_MS)
        assert len(app.window.grid.tiles) > 0
    finally:
        app.stop()
        client.close()


def test_a_step_that_fails_is_said_on_the_status_bar_and_not_run_twice(
    tmp_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []

    def failing_store(app: StationApp) -> None:
        calls.append("open_store")
        raise PermissionError("cache.sqlite3: permission denied")

    monkeypatch.setattr("pos.app_features.FEATURE_STEPS", (failing_store,))
    monkeypatch.setattr("pos.app.FIRST_FRAME_WAIT_MS", 50)  # the wait fires too, and must not run it again
    url = f"http://127.0.0.1:{free_port()}"  # nobody there: the first failure starts the steps
    client = BackendClient(url, device_token="t", connect_timeout=0.5)
    app = staged_app(tmp_path, url, client)
    qtbot.addWidget(app.window)
    app.start()
    try:
        qtbot.waitUntil(lambda: app.window.findChild(QLabel, "startupFailure") is not None)
        failure = app.window.findChild(QLabel, "startupFailure")
        assert "Start-up did not complete" in failure.text()
        assert app.window.statusBar().currentMessage() == ""  # the connection state stays in sight
        assert app.window.connection_label.isVisible()
        qtbot.wait(300)
        assert calls == ["open_store"] and not app.features_ready
    finally:
        app.stop()
