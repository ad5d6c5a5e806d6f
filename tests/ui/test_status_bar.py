"""The status bar's connectivity label and the unsent-records dialog, fed from worker threads through the
bridge by a real ConnectivityMonitor over a real outbox file."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QTableWidgetItem
from pytestqt.qtbot import QtBot

from pos.domain.errors import PosError
from pos.services.ports import ConnectionState, ConnectionStatus
from pos.services.sales import SaleLine, SalesRecorder, Tender
from pos.sync.connectivity import ConnectivityMonitor
from pos.sync.drainer import DrainReport
from pos.sync.outbox import Outbox, StoreOutbox
from pos.sync.store import LocalStore
from pos.ui.outbox_dialog import REJECTED_BACKGROUND, QtOutboxDialog
from pos.ui.status_bar import QtConnectivityBridge, QtConnectivityLabel

DOWN_AT = datetime(2026, 11, 21, 14, 2, 30, tzinfo=UTC)


@pytest.fixture
def outbox(tmp_path: Path) -> Iterator[StoreOutbox]:
    store = LocalStore(tmp_path / "till.sqlite3")
    yield StoreOutbox(store)
    store.close()


@pytest.fixture
def label(qtbot: QtBot, outbox: StoreOutbox) -> tuple[QtConnectivityLabel, ConnectivityMonitor]:
    monitor = ConnectivityMonitor(outbox, clock=lambda: DOWN_AT)
    widget = QtConnectivityLabel(zone=lambda: UTC)
    bridge = QtConnectivityBridge(widget)  # owned by the label, as in the app
    bridge.connectivity_changed.connect(widget.show_connectivity)
    monitor.subscribe(bridge.on_connectivity)
    outbox.on_enqueued(monitor.refresh_counts)
    qtbot.addWidget(widget)
    return widget, monitor


def from_worker(call: Callable[[], object]) -> None:
    """The monitor's sources live on background threads; so do they here."""
    worker = threading.Thread(target=call)
    worker.start()
    worker.join()


def sell(outbox: StoreOutbox, staff_no: str = "1001") -> None:
    line = SaleLine("fuel", "3号油枪 92#汽油", 20_000, quantity_ml=26_954)
    SalesRecorder(outbox).record(staff_no, [line], [Tender("cash", 20_000)])


def test_the_label_follows_online_offline_online_with_counts(
    qtbot: QtBot, label: tuple[QtConnectivityLabel, ConnectivityMonitor], outbox: StoreOutbox
) -> None:
    widget, monitor = label
    from_worker(lambda: monitor.on_follower(ConnectionStatus(ConnectionState.ONLINE, DOWN_AT)))
    qtbot.waitUntil(lambda: widget.plain_text() == "已连接 Online")

    offline = ConnectionStatus(ConnectionState.OFFLINE, DOWN_AT, "backend_unreachable")
    from_worker(lambda: monitor.on_follower(offline))
    for _ in range(3):
        from_worker(lambda: sell(outbox))
    qtbot.waitUntil(lambda: widget.plain_text() == "离线 Offline since 14:02 · 3 条未上传 unsent")
    assert "#C62828" in widget.text()  # the red dot

    with outbox.store.write() as conn:  # the backend refuses the first, accepts the rest
        box, records = Outbox(), Outbox().claim(conn, "t", 10, 60)
        box.mark_rejected(
            conn, records[0].id, 403, {"error": {"code": "role_forbidden", "message": "无权"}}, "x"
        )
        for record in records[1:]:
            box.mark_acked(conn, record.id, 201, {"sale_id": "s"})
    from_worker(lambda: monitor.on_follower(ConnectionStatus(ConnectionState.ONLINE, DOWN_AT)))
    from_worker(lambda: monitor.on_drain(DrainReport(DOWN_AT, acked=2, rejected=1)))
    qtbot.waitUntil(lambda: widget.plain_text() == "已连接 Online · 1 条被拒 rejected")
    assert "#FF5A5A" in widget.text()  # rejected stands out in red


def test_degraded_shows_since_when(
    qtbot: QtBot, label: tuple[QtConnectivityLabel, ConnectivityMonitor]
) -> None:
    widget, monitor = label
    failure = DrainReport(DOWN_AT, error=PosError("backend_error", "t", "m"))
    from_worker(lambda: monitor.on_drain(failure))
    qtbot.waitUntil(lambda: widget.plain_text() == "连接不稳定 Degraded since 14:02")
    assert "backend_error" in widget.toolTip()


def test_a_click_asks_for_the_list_and_the_list_highlights_rejected_records(
    qtbot: QtBot, label: tuple[QtConnectivityLabel, ConnectivityMonitor], outbox: StoreOutbox
) -> None:
    widget, _ = label
    sell(outbox)
    sell(outbox, staff_no="3001")
    with outbox.store.write() as conn:
        [first, second] = Outbox().claim(conn, "t", 10, 60)
        Outbox().mark_failed(conn, first.id, "t", "backend_unreachable: 无法连接后台")
        body = {"error": {"code": "role_forbidden", "message": "当前岗位无权收银 / This role may not sell"}}
        Outbox().mark_rejected(conn, second.id, 403, body, "role_forbidden")
    with qtbot.waitSignal(widget.clicked, timeout=1000):
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton)

    dialog = QtOutboxDialog(outbox, zone=UTC)
    qtbot.addWidget(dialog)
    table = dialog.table
    assert table.rowCount() == 2

    def cell(row: int, column: int) -> QTableWidgetItem:
        item = table.item(row, column)
        assert item is not None
        return item

    rejected_row = [cell(0, c).text() for c in range(table.columnCount())]
    assert rejected_row[1] == "销售 ¥200.00 3号油枪 92#汽油"
    assert rejected_row[2:5] == ["3001", "被拒 Rejected", "1"]
    assert rejected_row[5] == "role_forbidden: 当前岗位无权收银 / This role may not sell"
    assert cell(0, 0).background().color() == QColor(REJECTED_BACKGROUND)
    pending_row = [cell(1, c).text() for c in range(table.columnCount())]
    assert pending_row[3:] == ["待上传 Pending", "1", "backend_unreachable: 无法连接后台"]
    assert "1 条未上传 unsent · 1 条被拒 rejected" in dialog.summary.text()


@pytest.mark.slow
def test_demo_menu_stops_and_restarts_the_backend_and_the_unsent_sales_drain(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """The demo as staff see it: stop the backend, sell, start it again, watch the count go to zero."""
    from pos.app import build_station_app, install_demo_menu
    from pos.demo import DEMO_STAFF_NO, DEMO_STAFF_PIN, BackendProcess
    from pos.settings import Settings
    from pos.sync.client import BackendClient

    with BackendProcess(tmp_path / "backend.db", tmp_path / "demo") as backend:
        ready = backend.start()
        client = BackendClient(ready.url, read_retries=0)
        client.pair(ready.activation_code, "前台1")
        staff = client.sign_in(DEMO_STAFF_NO, DEMO_STAFF_PIN).staff
        station = build_station_app(Settings(data_dir=tmp_path), client, staff, tmp_path / "cache.sqlite3")
        qtbot.addWidget(station.window)
        station.start()
        try:
            menu = install_demo_menu(station, backend, staff)
            assert station.outbox_status is not None
            label = station.outbox_status.label
            qtbot.waitUntil(lambda: label.plain_text() == "已连接 Online", timeout=10_000)
            menu.stop_action.trigger()
            qtbot.waitUntil(lambda: label.plain_text().startswith("离线 Offline since"), timeout=20_000)
            for _ in range(3):
                menu.sale_action.trigger()
            qtbot.waitUntil(lambda: label.plain_text().endswith("· 3 条未上传 unsent"), timeout=5_000)
            assert not menu.stop_action.isEnabled() and menu.start_action.isEnabled()
            menu.start_action.trigger()
            qtbot.waitUntil(lambda: label.plain_text() == "已连接 Online", timeout=30_000)
            sales = client.get_json("/sales", {"limit": 100})["sales"]
            assert [sale["total_fen"] for sale in sales] == [20_000] * 3
        finally:
            station.stop()
            station.window.close()
            client.close()
