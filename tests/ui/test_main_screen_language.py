"""The main screen in one language at a time: the grid title, a tile's number, pump, unit price and order,
an inbox card's title and state, the staff's role and the demo menu read Chinese exactly as before under
zh_CN and English only under en. Names that come from the backend (staff, tills, grades) stay as they are.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from pos.domain.order import OrderState
from pos.services.counter_ports import Pickup
from pos.services.inbox import InboxBook, InboxItem
from pos.services.ports import StaffMember
from pos.services.station_board import StationBoard
from pos.ui.demo_controls import QtDemoMenu
from pos.ui.inbox import ORDER_STATE_LABELS, InboxModel
from pos.ui.main_window import MainWindow
from tests.ui.languages import CJK, speaking
from tests.unit.services.factories import T0, nozzle_wire, order_wire, snapshot, transaction_wire

EXPECTED = {
    "zh_CN": {
        "grid_title": "油枪状态",
        "orders_title": "小程序订单 (3)",
        "tile": ("1号", "1号机", "单价 ¥7.42/L"),
        "order_on_tile": "小程序 XSo1",
        "staff": "王芳 (1001) · 收银员",
        "order_cards": [
            ("2号油枪 小程序订单", "已支付"),
            ("3号油枪 小程序订单", "已预约"),
            ("4号油枪 小程序订单", "加油中"),
        ],
        "fill_card": ("1号油枪 92#汽油", "锁定: 前台2 王芳"),
        "pickup_title": "自提 SC1",
        "demo_menu": ["演示", "停止后台", "启动后台", "记录演示销售 (¥200.00)"],
    },
    "en": {
        "grid_title": "Nozzle status",
        "orders_title": "App orders (3)",
        "tile": ("No. 1", "Pump 1", "Unit price ¥7.42/L"),
        "order_on_tile": "Order XSo1",
        "staff": "王芳 (1001) · Cashier",
        "order_cards": [
            ("Nozzle 2 · App order", "Paid"),
            ("Nozzle 3 · App order", "Reserved"),
            ("Nozzle 4 · App order", "Fuelling"),
        ],
        "fill_card": ("Nozzle 1 · 92#汽油", "Locked: 前台2 王芳"),
        "pickup_title": "Pickup SC1",
        "demo_menu": ["Demo", "Stop backend", "Start backend", "Record a demo sale (¥200.00)"],
    },
}


@pytest.fixture
def board() -> StationBoard:
    """Nozzle 1 idle with a fill held by 前台2; orders paid on 2, reserved (bound) on 3, fuelling on 4."""
    board = StationBoard()
    board.apply_snapshot(
        snapshot(
            seq=1,
            nozzles=[
                nozzle_wire(1),
                nozzle_wire(2, "authorized", order_id="o1"),
                nozzle_wire(3),
                nozzle_wire(4),
            ],
            transactions=[transaction_wire("t1", 1, state="locked")],
            orders=[
                order_wire("o1", 2, created=30),
                order_wire("o2", 3, state="bound", created=20),
                order_wire("o3", 4, state="fuelling", created=10),
            ],
        )
    )
    return board


class IdleBackend:
    def stop(self) -> None: ...

    def start(self) -> object:
        return None


def build_window(qtbot: QtBot, board: StationBoard) -> MainWindow:
    window = MainWindow(board, "前台1", StaffMember("1001", "王芳", "cashier"))
    qtbot.addWidget(window)
    return window


def cards(board: StationBoard) -> tuple[InboxModel, list[InboxItem]]:
    book = InboxBook(board, clock=lambda: T0)  # the fill's lock runs until T0 + 3 min
    book.set_pickups([Pickup("p1", "SC1", 1_200, T0)])
    model = InboxModel(book)
    return model, model.items


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_the_window_and_a_tile_speak_the_chosen_language(
    qtbot: QtBot, qapp: QApplication, board: StationBoard, language: str
) -> None:
    expected = EXPECTED[language]
    with speaking(qapp, language):
        window = build_window(qtbot, board)  # titles are set as the window is built
        tile, bound = window.grid.tiles[1], window.grid.tiles[2]
        seen = {
            "grid_title": window.grid_title.text(),
            "orders_title": window.orders_title.text(),
            "tile": (tile.number_text(), tile.pump_text(), tile.unit_price_text()),
            "order_on_tile": bound.order_text(),
            "staff": window.staff_text(),
        }
    assert seen == {key: expected[key] for key in seen}
    assert tile.order_text() == ""  # no order bound to nozzle 1: no footer


def test_in_english_the_window_and_tiles_hold_no_chinese(
    qtbot: QtBot, qapp: QApplication, board: StationBoard
) -> None:
    with speaking(qapp, "en"):
        window = build_window(qtbot, board)
        texts = [window.grid_title.text(), window.orders_title.text(), window.windowTitle()]
        for tile in window.grid.tiles.values():
            texts += [tile.number_text(), tile.pump_text(), tile.unit_price_text(), tile.order_text()]
            texts += [tile.state_label(), tile.accessibleName()]
        role = window.staff_text().rpartition(" · ")[2]  # the name before it is the backend's
    assert [
        text for text in [*texts, role] if CJK.search(text.replace("中石化演示站", "").replace("前台1", ""))
    ] == []


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_inbox_cards_speak_the_chosen_language(
    qapp: QApplication, board: StationBoard, language: str
) -> None:
    expected = EXPECTED[language]
    model, items = cards(board)
    with speaking(qapp, language):
        orders = [(model.title(i), model.status(i)) for i in items if i.order is not None]
        fill = next((model.title(i), model.status(i)) for i in items if i.transaction is not None)
        pickup = next(model.title(i) for i in items if i.pickup is not None)
    assert orders == expected["order_cards"]  # newest first: 2, 3, 4
    assert fill == expected["fill_card"]
    assert pickup == expected["pickup_title"]


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_every_order_state_has_a_label_in_each_language(qapp: QApplication, language: str) -> None:
    """Marked with QT_TRANSLATE_NOOP in the inbox (the domain stays Qt-free): the Chinese is the domain's own
    label, so the zh_CN till shows the word the mini program uses."""
    with speaking(qapp, language):
        labels = {
            state: QCoreApplication.translate("InboxModel", ORDER_STATE_LABELS[state]) for state in OrderState
        }
    if language == "zh_CN":
        assert labels == {state: state.label for state in OrderState}
    else:
        assert all(labels.values()) and [label for label in labels.values() if CJK.search(label)] == []


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_the_demo_menu_speaks_the_chosen_language(
    qtbot: QtBot, qapp: QApplication, board: StationBoard, language: str
) -> None:
    with speaking(qapp, language):
        window = build_window(qtbot, board)
        menu = QtDemoMenu(window, IdleBackend(), record_sale=lambda: None).menu
    texts = [menu.title(), *(action.text() for action in menu.actions() if not action.isSeparator())]
    assert texts == EXPECTED[language]["demo_menu"]
