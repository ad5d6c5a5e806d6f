"""The cashier's main window: nozzle grid left and centre, the settlement inbox right, status bar below.

The inbox (pos.ui.inbox, with the counter) is plugged into the right-hand panel after the first frame;
until then the panel shows how many mini-program orders are open.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from pos.domain.roles import Permission, may
from pos.services.ports import ConnectionState, StaffMember, StationChange
from pos.services.station_board import StationBoard
from pos.ui.nozzle_grid import QtNozzleGrid

CONNECTION_COLOURS = {
    ConnectionState.ONLINE: "#1E9448",
    ConnectionState.DEGRADED: "#E8A400",
    ConnectionState.OFFLINE: "#C62828",
}
STYLE_SHEET = """
QMainWindow { background: #E9ECEF; }
QScrollBar:vertical { background: #E9ECEF; width: 14px; margin: 0; }
QScrollBar::handle:vertical { background: #AEB6BF; min-height: 48px; border-radius: 6px; margin: 2px; }
QScrollBar::add-line:vertical, QScrollBar::sub-line:vertical { height: 0; }
QScrollBar::add-page:vertical, QScrollBar::sub-page:vertical { background: none; }
QLabel#sectionTitle { font-size: 17px; font-weight: bold; color: #1F2933; padding: 4px 2px; }
QFrame#ordersPanel { background: #F6F7F9; border-left: 1px solid #C9CED4; }
QScrollArea { border: none; background: transparent; }
QWidget#gridViewport, QWidget#nozzleGrid { background: #E9ECEF; }
QStatusBar { background: #1F2933; color: #E9ECEF; font-size: 14px; }
QStatusBar QLabel { color: #E9ECEF; padding: 2px 10px; }
"""


class MainWindow(QMainWindow):
    def __init__(
        self,
        board: StationBoard,
        till_name: str,
        staff: StaffMember | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._board = board
        self._till_name = till_name
        self._staff = staff
        self._menus: dict[str, QMenu] = {}
        self._guarded_actions: list[tuple[QAction, Permission | None]] = []
        self.setObjectName("mainWindow")
        self.setStyleSheet(STYLE_SHEET)
        self.grid = QtNozzleGrid(board)
        self.setCentralWidget(self._build_centre())
        self._build_status_bar()
        board.subscribe(self)
        self._refresh_titles()
        self._refresh_connection()

    def _build_centre(self) -> QWidget:
        centre = QWidget()
        layout = QHBoxLayout(centre)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(10, 8, 4, 4)
        self.grid_title = self._section_title(self.tr("油枪状态 Nozzle status"))
        left_layout.addWidget(self.grid_title)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.grid)
        scroll.viewport().setObjectName("gridViewport")
        left_layout.addWidget(scroll, 1)
        layout.addWidget(left, 1)
        layout.addWidget(self._build_orders_panel())
        return centre

    def _build_orders_panel(self) -> QWidget:
        self.orders_panel = QFrame()
        self.orders_panel.setObjectName("ordersPanel")
        self.orders_panel.setFixedWidth(360)
        panel_layout = QVBoxLayout(self.orders_panel)
        panel_layout.setContentsMargins(8, 8, 8, 8)
        self.orders_title = self._section_title("")
        panel_layout.addWidget(self.orders_title)
        panel_layout.addStretch(1)
        return self.orders_panel

    @staticmethod
    def _section_title(text: str) -> QLabel:
        label = QLabel(text)
        label.setObjectName("sectionTitle")
        return label

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        bar.setSizeGripEnabled(False)
        self.connection_label = QLabel()
        self.connection_label.setObjectName("connectionLabel")
        self.station_label = QLabel()
        self.staff_label = QLabel()
        bar.addWidget(self.connection_label)
        bar.addWidget(self.station_label, 1)
        bar.addPermanentWidget(self.staff_label)

    def add_screen_action(
        self,
        menu_title: str,
        text: str,
        key: Qt.Key,
        open_screen: Callable[[], object],
        permission: Permission | None,
        object_name: str,
    ) -> QAction:
        """One way in for every screen: a menu entry and an F-key, shown only to roles that may use it.

        Screens (inbox, tender, member, write-off, handover) are built by the composition root and plug
        in here, so this window never grows a branch per feature.
        """
        action = QAction(text, self)
        action.setObjectName(object_name)
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        action.triggered.connect(open_screen)
        menu = self._menus.get(menu_title)
        if menu is None:
            menu = self._menus[menu_title] = self.menuBar().addMenu(menu_title)
        menu.addAction(action)
        self._guarded_actions.append((action, permission))
        self._apply_role()
        return action

    @property
    def staff(self) -> StaffMember | None:
        """Who is signed in at this till now (screens act as this person)."""
        return self._staff

    def set_staff(self, staff: StaffMember | None) -> None:
        """A new person at the till (sign-in, lock, hand-over): show only what their role may use."""
        self._staff = staff
        self._apply_role()
        self._refresh_titles()

    def _apply_role(self) -> None:
        role = self._staff.role if self._staff is not None else ""
        for action, permission in self._guarded_actions:
            allowed = permission is None or may(role, permission)
            action.setVisible(allowed)
            action.setEnabled(allowed)
        for menu in self._menus.values():  # a menu with nothing this role may use is not shown at all
            menu.menuAction().setVisible(any(action.isVisible() for action in menu.actions()))

    def add_member_lookup(self, open_lookup: Callable[[], object]) -> QAction:
        """F3 and the 会员 menu open the member lookup (the composition root owns the dialog)."""
        return self.add_screen_action(
            self.tr("会员 Members"),
            self.tr("会员查询 Member lookup"),
            Qt.Key.Key_F3,
            open_lookup,
            Permission.MEMBERS,
            "memberLookupAction",
        )

    def add_connectivity_widget(self, widget: QWidget) -> None:
        """The outbox-aware connectivity label (pos.ui.status_bar) replaces the plain connection label."""
        self.connection_label.hide()
        self.statusBar().insertWidget(0, widget)

    def replace_orders_panel(self, widget: QWidget) -> None:
        """The settlement inbox (pos.ui.inbox) takes the right-hand panel, in place of the order count."""
        layout = self.orders_panel.layout()
        if not isinstance(layout, QVBoxLayout):
            return
        while layout.count():  # the title and the stretch
            item = layout.takeAt(0)
            widget_here = item.widget() if item is not None else None
            if widget_here is not None:
                widget_here.hide()
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(widget, 1)

    # -- board updates ---------------------------------------------------------------------------------

    def station_changed(self, change: StationChange) -> None:
        if change.connection or change.everything:
            self._refresh_connection()
        if change.everything or change.orders:
            self._refresh_titles()

    def _refresh_titles(self) -> None:
        station = self._board.station
        station_name = station.name if station else self.tr("未连接站点 No station")
        self.setWindowTitle(
            self.tr("加油站收银台 - {0} - {1} / Station till - {0} - {1}").format(
                station_name, self._till_name
            )
        )
        self.station_label.setText(f"{station_name} · {self._till_name}")
        self.orders_title.setText(self.tr("小程序订单 App orders ({0})").format(len(self._board.orders)))
        self.staff_label.setText(self.staff_text())

    def staff_text(self) -> str:
        if self._staff is None:
            return self.tr("未登录 Not signed in")
        roles = {
            "attendant": self.tr("加油员 Attendant"),
            "cashier": self.tr("收银员 Cashier"),
            "manager": self.tr("店长 Manager"),
            "support": self.tr("技术支持 Support"),
        }
        role = roles.get(self._staff.role, self._staff.role)
        return f"{self._staff.name} ({self._staff.staff_no}) · {role}"

    def connection_text(self) -> str:
        status = self._board.connection
        if self._board.last_contact is None and not status.reason:
            return self.tr("正在连接 Connecting")  # start-up: nothing has failed yet
        if status.state == ConnectionState.ONLINE:
            return self.tr("已连接 Online")
        if status.state == ConnectionState.DEGRADED:
            return self.tr("连接不稳定 Degraded")
        return self.tr("离线 Offline since {0}").format(self._local_time(status.since))

    def _refresh_connection(self) -> None:
        colour = CONNECTION_COLOURS[self._board.connection.state]
        self.connection_label.setTextFormat(Qt.TextFormat.RichText)
        self.connection_label.setText(f'<span style="color:{colour}">●</span> {self.connection_text()}')
        self.connection_label.setToolTip(self._board.connection.reason)

    def _local_time(self, moment: datetime) -> str:
        station = self._board.station
        try:
            zone = ZoneInfo(station.timezone) if station else None
        except (ZoneInfoNotFoundError, ValueError):
            zone = None
        return moment.astimezone(zone).strftime("%H:%M")

    def closeEvent(self, event: QCloseEvent) -> None:
        self._board.unsubscribe(self)
        super().closeEvent(event)
