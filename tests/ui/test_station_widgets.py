"""The grid, the open-order count and the status bar driven through a StationBoard, without a backend."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from pos.services.ports import ConnectionState, ConnectionStatus, StaffMember
from pos.services.station_board import StationBoard
from pos.ui.main_window import MainWindow
from tests.ui.languages import speaking
from tests.unit.services.factories import T0, event, nozzle_wire, order_wire, snapshot, transaction_wire


class Clock:
    now = T0

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def board(clock: Clock) -> StationBoard:
    board = StationBoard(stale_after_seconds=10, clock=clock)
    board.apply_snapshot(
        snapshot(
            seq=1,
            nozzles=[nozzle_wire(n) for n in range(1, 9)],
            transactions=[transaction_wire("t1", 3)],
            orders=[order_wire("o1", 5, created=10), order_wire("o2", 6, created=70)],
        )
    )
    return board


@pytest.fixture
def window(qtbot: QtBot, board: StationBoard) -> MainWindow:
    window = MainWindow(board, "前台1", StaffMember("1001", "王芳", "cashier"))
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    return window


def test_tiles_show_the_board_and_update_only_the_changed_nozzle(
    window: MainWindow, board: StationBoard, qapp: QApplication
) -> None:
    grid = window.grid
    with speaking(qapp, "zh_CN"):  # the labels as the till shows them
        assert sorted(grid.tiles) == list(range(1, 9))
        assert grid.tiles[1].state_label() == "空闲"
    assert grid.tiles[1].state_label() == "空闲 Idle"  # the source, bilingual for the English catalogue
    before = grid.repaints
    board.apply_events([event(2, "nozzle.updated", nozzle_wire(7, "fuelling", 23456, 17404, grade="95"))])
    tile = grid.tiles[7]
    assert (tile.state_label(), tile.volume_text(), tile.amount_text()) == (
        "加油中 Fuelling",
        "23.45 L",
        "¥174.04",
    )
    assert tile.view.grade_name == "95#汽油"
    assert grid.repaints == before + 1


def test_stacked_payable_count_shows_on_every_nozzle_of_the_pump(
    window: MainWindow, board: StationBoard
) -> None:
    # Nozzles 3 and 4 share pump 2, which already holds t1.
    board.apply_events([event(2, "transaction.created", transaction_wire("t2", 4))])
    assert [window.grid.tiles[n].view.stacked_payable for n in (3, 4, 5)] == [2, 2, 0]
    board.apply_events([event(3, "transaction.updated", transaction_wire("t1", 3, state="cleared"))])
    assert window.grid.tiles[3].view.stacked_payable == 1


def test_stale_marker_follows_the_board(window: MainWindow, board: StationBoard, clock: Clock) -> None:
    clock.now = T0 + timedelta(seconds=30)
    board.check_staleness()
    assert all(tile.view.stale for tile in window.grid.tiles.values())
    board.apply_events([])
    assert not any(tile.view.stale for tile in window.grid.tiles.values())


def test_the_panel_counts_open_orders_until_the_inbox_takes_it(
    window: MainWindow, board: StationBoard, qtbot: QtBot
) -> None:
    assert window.orders_title.text() == "小程序订单 App orders (2)"  # the source: no translator here
    board.apply_events([event(2, "order.updated", order_wire("o2", 6, state="completed"))])
    assert window.orders_title.text() == "小程序订单 App orders (1)"
    inbox = QLabel("inbox")
    window.replace_orders_panel(inbox)
    qtbot.waitUntil(inbox.isVisible)  # Qt shows a widget added to a shown layout on its next turn
    assert not window.orders_title.isVisible()


def test_bound_order_number_shows_on_its_tile(window: MainWindow, board: StationBoard) -> None:
    board.apply_events([event(2, "nozzle.updated", nozzle_wire(5, "authorized", order_id="o1"))])
    assert window.grid.tiles[5].view.order_no == "XSo1"


def test_status_bar_shows_connection_station_and_staff(window: MainWindow, board: StationBoard) -> None:
    board.set_connection(ConnectionStatus(ConnectionState.ONLINE, T0))
    assert "已连接 Online" in window.connection_label.text()
    board.set_connection(ConnectionStatus(ConnectionState.DEGRADED, T0, "backend_timeout"))
    assert "连接不稳定 Degraded" in window.connection_label.text()
    board.set_connection(ConnectionStatus(ConnectionState.OFFLINE, T0 + timedelta(minutes=2), "x"))
    assert "离线 Offline since 14:02" in window.connection_label.text()  # 06:02 UTC in Asia/Shanghai
    assert window.station_label.text() == "中石化演示站 · 前台1"
    assert window.staff_label.text() == "王芳 (1001) · 收银员 Cashier"


def test_a_fresh_board_says_connecting_not_offline(qtbot: QtBot, clock: Clock) -> None:
    window = MainWindow(StationBoard(clock=clock), "前台1", None)
    qtbot.addWidget(window)
    assert "正在连接 Connecting" in window.connection_label.text()
    assert window.staff_label.text() == "未登录 Not signed in"


def test_window_renders_without_errors(window: MainWindow, qtbot: QtBot) -> None:
    image = window.grab().toImage()
    assert (image.width(), image.height()) == (1280, 800)
