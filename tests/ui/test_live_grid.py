"""The real backend and simulator as a child process (as `pos demo` runs it), seen through the real window."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from pos.app import StationApp, build_station_app
from pos.demo import DEMO_STAFF_NO, DEMO_STAFF_PIN, BackendProcess
from pos.settings import Settings
from pos.sync.client import BackendClient

pytestmark = pytest.mark.slow
SIM_SPEED = 8.0
LIVE_TIMEOUT_MS = 60_000
STALE_AFTER_SECONDS = 3


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[BackendProcess]:
    with BackendProcess(tmp_path / "backend.db", tmp_path, sim_speed=SIM_SPEED) as process:
        yield process


@pytest.fixture
def station_app(tmp_path: Path, qtbot: QtBot, backend: BackendProcess) -> Iterator[StationApp]:
    settings = Settings(data_dir=tmp_path, poll_wait_seconds=1, stale_after_seconds=STALE_AFTER_SECONDS)
    ready = backend.start()
    client = BackendClient(ready.url, read_timeout=5)
    client.pair(ready.activation_code, "测试台")
    session = client.sign_in(DEMO_STAFF_NO, DEMO_STAFF_PIN)
    app = build_station_app(settings, client, session.staff)
    qtbot.addWidget(app.window)
    app.start()
    try:
        yield app
    finally:
        app.stop()
        client.close()


def test_a_fill_runs_on_a_tile_and_ends_payable(station_app: StationApp, qtbot: QtBot) -> None:
    tiles = station_app.window.grid.tiles
    qtbot.waitUntil(lambda: len(tiles) > 0, timeout=LIVE_TIMEOUT_MS)
    assert station_app.window.connection_text() == "已连接 Online"

    def fuelling() -> dict[int, int]:
        return {n: t.view.amount_fen for n, t in tiles.items() if t.view.state == "fuelling"}

    qtbot.waitUntil(lambda: bool(fuelling()), timeout=LIVE_TIMEOUT_MS)
    first_seen = fuelling()
    qtbot.waitUntil(
        lambda: any(amount > first_seen.get(n, amount) for n, amount in fuelling().items()),
        timeout=LIVE_TIMEOUT_MS,
    )
    qtbot.waitUntil(
        lambda: any(t.view.state == "payable" and t.view.amount_fen > 0 for t in tiles.values()),
        timeout=LIVE_TIMEOUT_MS,
    )
    payable = next(t for t in tiles.values() if t.view.state == "payable")
    assert payable.amount_text().startswith("¥")
    assert payable.view.stacked_payable >= 1
    assert not payable.view.stale


def test_losing_the_backend_shows_offline_and_stale_data(
    station_app: StationApp, backend: BackendProcess, qtbot: QtBot
) -> None:
    window = station_app.window
    qtbot.waitUntil(lambda: window.connection_text() == "已连接 Online", timeout=LIVE_TIMEOUT_MS)
    qtbot.waitUntil(lambda: len(window.grid.tiles) > 0, timeout=LIVE_TIMEOUT_MS)
    backend.stop()
    qtbot.waitUntil(lambda: window.connection_text().startswith("离线 Offline since"), timeout=30_000)
    qtbot.waitUntil(lambda: all(t.view.stale for t in window.grid.tiles.values()), timeout=30_000)
    assert "backend_" in window.connection_label.toolTip()


def test_demo_screenshot_writes_a_png(tmp_path: Path) -> None:
    shot = tmp_path / "shot.png"
    env = {**os.environ, "STATION_POS_DATA_DIR": str(tmp_path / "data")}
    result = subprocess.run(
        [sys.executable, "-m", "pos", "demo", "--screenshot", str(shot), "--after", "2", "--sim-speed", "5"],
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1280, 800)
