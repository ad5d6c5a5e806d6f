"""The write-off feature inside the whole till: F4 for an attendant, and a wedge scan from any field."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from pytestqt.qtbot import QtBot

from pos.app import StationApp, build_station_app
from pos.services.ports import StaffMember
from pos.settings import Settings
from pos.sync.client import BackendClient


@pytest.fixture
def offline_app(tmp_path: Path, qtbot: QtBot) -> Iterator[StationApp]:
    """The whole till for an attendant, against a backend that is not there (port 9 refuses)."""
    settings = Settings(data_dir=tmp_path, poll_wait_seconds=1)
    client = BackendClient("http://127.0.0.1:9", device_token="not-a-real-token", read_retries=0)
    app = build_station_app(settings, client, StaffMember("3001", "刘洋", "attendant"))
    qtbot.addWidget(app.window)
    yield app
    app.stop()


def test_f4_opens_write_off_and_a_wedge_scan_lands_there_not_in_the_field(
    qtbot: QtBot, offline_app: StationApp
) -> None:
    window = offline_app.window
    actions = {a.objectName(): a for a in window.findChildren(QAction) if a.isVisible()}
    assert "writeOffAction" in actions and "memberLookupAction" not in actions  # attendants: write-off only
    offline_app.start()
    with qtbot.waitActive(window):
        window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F4)
    feature = offline_app.writeoff
    assert feature is not None
    screen = feature.screen
    qtbot.waitUntil(screen.isVisible)
    with qtbot.waitActive(screen):
        screen.activateWindow()
    screen.offline_panel.show()  # a text field of the screen; the wedge must leave it alone
    screen.value_edit.setFocus()  # any text field: the scan must not be typed into it
    qtbot.waitUntil(screen.value_edit.hasFocus)
    with qtbot.waitSignal(screen.refused, timeout=5000) as refused:
        qtbot.keyClicks(screen.value_edit, "654321")
        qtbot.keyClick(screen.value_edit, Qt.Key.Key_Return)
    assert screen.value_edit.text() == ""
    assert screen.code_edit.text() == "654321"
    assert refused.args[0].code == "writeoff_offline_off"  # offline and the station policy says off
    assert "离线不能核销" in screen.banner.text()
