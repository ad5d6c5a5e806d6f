"""Incoming mini-program orders (小程序订单), newest first, as a Qt model and a painted list view."""

from __future__ import annotations

from datetime import tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from pos.domain.money import format_fen
from pos.domain.order import Order
from pos.services.ports import StationChange
from pos.services.station_board import StationBoard

ModelIndex = QModelIndex | QPersistentModelIndex
ORDER_ROLE = Qt.ItemDataRole.UserRole + 1

STATE_COLOURS = {
    "paid": "#1F6FD6",
    "bound": "#1F6FD6",
    "fuelling": "#1E9448",
    "refund_requested": "#C62828",
}


class OpenOrdersModel(QAbstractListModel):
    """Open orders of the board, newest first; reset on any order change (the list is short)."""

    def __init__(self, board: StationBoard, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._board = board
        self._orders: list[Order] = board.orders_newest_first()
        board.subscribe(self)

    def station_changed(self, change: StationChange) -> None:
        if change.everything or change.orders:
            self.beginResetModel()
            self._orders = self._board.orders_newest_first()
            self.endResetModel()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt override
        return 0 if parent.isValid() else len(self._orders)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._orders):
            return None
        order = self._orders[index.row()]
        if role == ORDER_ROLE:
            return order
        if role == Qt.ItemDataRole.DisplayRole:
            return self.summary(order)
        return None

    def summary(self, order: Order) -> str:
        return " ".join(
            (order.order_no, self.nozzle_text(order), self.prepaid_text(order), self.state_text(order))
        )

    def nozzle_text(self, order: Order) -> str:
        return self.tr("{0}号油枪").format(order.nozzle_number)

    def prepaid_text(self, order: Order) -> str:
        return self.tr("预付 {0}").format(format_fen(order.prepaid_fen))

    def state_text(self, order: Order) -> str:
        labels = {
            "paid": self.tr("已支付"),
            "bound": self.tr("已预约"),
            "fuelling": self.tr("加油中"),
            "completed": self.tr("已完成"),
            "cancelled": self.tr("已取消"),
            "refund_requested": self.tr("申请退款"),
        }
        exceptions = {
            "wrong_nozzle": self.tr("油枪不符"),
            "under_run": self.tr("未加满"),
            "timeout": self.tr("超时"),
        }
        label = labels.get(str(order.state), str(order.state))
        if order.exception is not None:
            label += " · " + exceptions.get(str(order.exception), str(order.exception))
        return label

    def time_text(self, order: Order) -> str:
        return order.created_at.astimezone(self._station_zone()).strftime("%H:%M")

    def _station_zone(self) -> tzinfo | None:
        station = self._board.station
        if station is None:
            return None
        try:
            return ZoneInfo(station.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            return None  # the till's local zone is the best remaining guess


class OrderDelegate(QStyledItemDelegate):
    """Two lines per order: nozzle and prepaid amount large; order number, state and time small."""

    ROW_HEIGHT = 64

    def sizeHint(self, option: QStyleOptionViewItem, index: ModelIndex) -> QSize:
        return QSize(200, self.ROW_HEIGHT)  # width follows the view

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        model = index.model()
        order = index.data(ORDER_ROLE)
        if not isinstance(model, OpenOrdersModel) or not isinstance(order, Order):
            super().paint(painter, option, index)
            return
        painter.save()
        rect = QRectF(option.rect).adjusted(6, 3, -6, -3)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QColor("#C9CED4"))
        painter.setBrush(QColor("#E3EEFB") if selected else QColor("#FFFFFF"))
        painter.drawRoundedRect(rect, 6, 6)
        needs_attention = order.exception is not None
        accent = QColor("#C62828" if needs_attention else STATE_COLOURS.get(str(order.state), "#8A939C"))
        painter.fillRect(QRectF(rect.left(), rect.top() + 6, 4, rect.height() - 12), accent)
        inner = rect.adjusted(14, 6, -10, -6)
        top = QRectF(inner.left(), inner.top(), inner.width(), inner.height() / 2)
        bottom = QRectF(inner.left(), inner.center().y(), inner.width(), inner.height() / 2)
        left, right = Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignRight
        middle = Qt.AlignmentFlag.AlignVCenter
        self._text(painter, top, left | middle, model.nozzle_text(order), 16, "#1F2933", bold=True)
        self._text(painter, top, right | middle, format_fen(order.prepaid_fen), 16, "#1F2933", bold=True)
        reference = f"{order.order_no} · {order.plate}" if order.plate else order.order_no
        self._text(painter, bottom, left | middle, reference, 12, "#66717D")
        state_time = f"{model.state_text(order)}  {model.time_text(order)}"
        self._text(painter, bottom, right | middle, state_time, 12, accent.name(), bold=True)
        painter.restore()

    @staticmethod
    def _text(
        painter: QPainter,
        rect: QRectF,
        align: Qt.AlignmentFlag,
        text: str,
        size: int,
        colour: str,
        bold: bool = False,
    ) -> None:
        font = QFont(painter.font())
        font.setPixelSize(size)
        font.setBold(bold)
        painter.setFont(font)
        painter.setPen(QColor(colour))
        painter.drawText(rect, align, text)


class QtOrdersList(QListView):
    def __init__(self, board: StationBoard, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ordersList")
        self.orders_model = OpenOrdersModel(board, self)
        self.setModel(self.orders_model)
        self.setItemDelegate(OrderDelegate(self))
        self.setUniformItemSizes(True)
        self.setSelectionMode(QListView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
