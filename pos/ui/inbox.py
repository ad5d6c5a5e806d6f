"""待结算 Settlement inbox: payable fills, mini-program orders and pickups in one list, newest first.

Enter (or a double click) on a row asks the counter to act on it: a payable fill is locked and tendered,
a finished mini-program order is acknowledged. A new mini-program order rings the chime, is spoken when
enabled, and makes the list flash until someone acknowledges it (F1, a click, or focusing the list).
On a mini-program order with the list focused, Ctrl+R asks for a refund (under-run) and Ctrl+B rebinds it to
the right nozzle (wrong nozzle).

Signals:
    activated(InboxItem): the cashier chose a row (Enter or double click).
    refund_wanted(InboxItem): Ctrl+R on an order row.
    rebind_wanted(InboxItem): Ctrl+B on an order row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import tzinfo
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QKeyEvent, QKeySequence, QPainter, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from pos.domain.money import format_fen
from pos.domain.order import Order, OrderState
from pos.domain.transaction import PumpTransaction
from pos.services.inbox import InboxBook, InboxItem, InboxKind
from pos.services.ports import EventBatch, StationChange
from pos.services.station_board import StationBoard
from pos.ui.chime import QtAnnouncer, announcement_text
from pos.ui.translations import QT_TRANSLATE_NOOP

ModelIndex = QModelIndex | QPersistentModelIndex
ITEM_ROLE = Qt.ItemDataRole.UserRole + 2
FLASH_INTERVAL_MS = 450
REFRESH_INTERVAL_MS = 5_000  # locks run out by the clock, not by an event
ACCENTS = {InboxKind.PUMP: "#1E9448", InboxKind.ORDER: "#1F6FD6", InboxKind.PICKUP: "#7B4FC9"}
STYLE_SHEET = """
QFrame#inboxPanel { background: #F6F7F9; }
QFrame#inboxPanel[flash="true"] { background: #FFE08A; }
QListView#inboxList { background: transparent; border: none; font-size: 15px; }
QLabel#inboxBanner { background: #FDECEA; color: #C62828; font-size: 14px; padding: 6px; border-radius: 4px; }
QLabel#inboxBanner[error="false"] { background: #E6F4EA; color: #1E6B34; }
QListView#inboxList:focus { border: 2px solid #1F6FD6; border-radius: 6px; }
"""


# An order's state as the inbox shows it: the Chinese half is the domain's label (OrderState.label),
# marked here because the domain stays Qt-free; InboxModel.order_status translates it.
ORDER_STATE_LABELS: dict[OrderState, str] = {
    OrderState.PAID: QT_TRANSLATE_NOOP("InboxModel", "已支付 Paid"),
    OrderState.BOUND: QT_TRANSLATE_NOOP("InboxModel", "已预约 Reserved"),
    OrderState.FUELLING: QT_TRANSLATE_NOOP("InboxModel", "加油中 Fuelling"),
    OrderState.COMPLETED: QT_TRANSLATE_NOOP("InboxModel", "已完成 Completed"),
    OrderState.CANCELLED: QT_TRANSLATE_NOOP("InboxModel", "已取消 Cancelled"),
    OrderState.REFUND_REQUESTED: QT_TRANSLATE_NOOP("InboxModel", "退款申请 Refund requested"),
}


def format_volume(volume_ml: int) -> str:
    """``30150`` -> ``30.15 L`` (rounded half up to the centilitre, integers only)."""
    centilitres = (volume_ml + 5) // 10
    return f"{centilitres // 100}.{centilitres % 100:02d} L"


class InboxModel(QAbstractListModel):
    """The book's items; rebuilt on every change (a few dozen rows)."""

    def __init__(self, book: InboxBook, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._book = book
        self.items: list[InboxItem] = book.items()

    def refresh(self) -> None:
        self.beginResetModel()
        self.items = self._book.items()
        self.endResetModel()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt override
        return 0 if parent.isValid() else len(self.items)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        item = self.items[index.row()]
        if role == ITEM_ROLE:
            return item
        if role == Qt.ItemDataRole.DisplayRole:
            return " ".join((self.title(item), format_fen(item.amount_fen), self.status(item)))
        return None

    def title(self, item: InboxItem) -> str:
        if item.transaction is not None:
            fill = item.transaction
            return self.tr("{0}号油枪 {1} / Nozzle {0} · {1}").format(
                fill.nozzle_number, fill.grade.display_name
            )
        if item.order is not None:
            return self.tr("{0}号油枪 小程序订单 / Nozzle {0} · App order").format(item.order.nozzle_number)
        return self.tr("自提 {0} / Pickup {0}").format(item.pickup.order_no if item.pickup else "")

    def detail(self, item: InboxItem) -> str:
        if item.transaction is not None:
            return format_volume(item.transaction.volume_ml)
        if item.order is not None:
            plate = f" · {item.order.plate}" if item.order.plate else ""
            return f"{item.order.order_no}{plate}"
        return item.pickup.summary if item.pickup else ""

    def status(self, item: InboxItem) -> str:
        if item.locked_by_other is not None:
            holder = item.locked_by_other
            return self.tr("锁定: {0} {1} / Locked: {0} {1}").format(holder.till_name, holder.staff_name)
        if item.mine:
            return self.tr("本机结算中 Settling here")
        if item.transaction is not None:
            return self.tr("待支付 Payable")
        if item.order is not None:
            return self.order_status(item.order)
        return self.tr("待自提 Awaiting pickup")

    def order_status(self, order: Order) -> str:
        exceptions = {
            "wrong_nozzle": self.tr("油枪不符 Wrong nozzle"),
            "under_run": self.tr("未加满 需退款 Under-run"),
            "timeout": self.tr("超时 Timed out"),
        }
        state = ORDER_STATE_LABELS.get(order.state)
        label = self.tr(state) if state else order.state.label
        if order.exception is not None:
            label += " · " + exceptions.get(str(order.exception), str(order.exception))
        return label


class InboxDelegate(QStyledItemDelegate):
    """Two lines per row: what and how much in large type; reference and state small."""

    ROW_HEIGHT = 66

    def sizeHint(self, option: QStyleOptionViewItem, index: ModelIndex) -> QSize:
        return QSize(200, self.ROW_HEIGHT)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        model, item = index.model(), index.data(ITEM_ROLE)
        if not isinstance(model, InboxModel) or not isinstance(item, InboxItem):
            super().paint(painter, option, index)
            return
        painter.save()
        rect = QRectF(option.rect).adjusted(6, 3, -6, -3)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QColor("#1F6FD6" if selected else "#C9CED4"))
        painter.setBrush(QColor("#E3EEFB" if selected else "#FFFFFF"))
        painter.drawRoundedRect(rect, 6, 6)
        accent = QColor("#C62828" if item.needs_attention else ACCENTS[item.kind])
        painter.fillRect(QRectF(rect.left(), rect.top() + 6, 5, rect.height() - 12), accent)
        inner = rect.adjusted(14, 5, -10, -5)
        top = QRectF(inner.left(), inner.top(), inner.width(), inner.height() / 2)
        bottom = QRectF(inner.left(), inner.center().y(), inner.width(), inner.height() / 2)
        left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        amount_width = _text(painter, top, right, format_fen(item.amount_fen), 18, "#1F2933", bold=True)
        # A long title never runs under the amount: cut in the middle, where a number's last digits survive.
        title_rect = top.adjusted(0, 0, -(amount_width + 10), 0)
        _text(
            painter,
            title_rect,
            left,
            model.title(item),
            16,
            "#1F2933",
            bold=True,
            elide=Qt.TextElideMode.ElideMiddle,
        )
        status_width = _text(painter, bottom, right, model.status(item), 13, accent.name(), bold=True)
        detail_rect = bottom.adjusted(0, 0, -(status_width + 10), 0)
        _text(
            painter, detail_rect, left, model.detail(item), 12, "#66717D", elide=Qt.TextElideMode.ElideRight
        )
        painter.restore()


def _text(
    painter: QPainter,
    rect: QRectF,
    align: Qt.AlignmentFlag,
    text: str,
    size: int,
    colour: str,
    bold: bool = False,
    elide: Qt.TextElideMode | None = None,
) -> int:
    """Draw ``text`` in ``rect``; returns its width in pixels. ``elide`` cuts it to fit with an ellipsis."""
    font = QFont(painter.font())
    font.setPixelSize(size)
    font.setBold(bold)
    painter.setFont(font)
    painter.setPen(QColor(colour))
    metrics = QFontMetrics(font)
    if elide is not None:
        text = metrics.elidedText(text, elide, int(rect.width()))
    painter.drawText(rect, align, text)
    return metrics.horizontalAdvance(text)


class QtInboxList(QListView):
    """Enter activates the current row (QListView alone leaves Enter to the platform style)."""

    enter_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.enter_pressed.emit()
            return
        super().keyPressEvent(event)


class QtInbox(QFrame):
    activated = Signal(object)
    refund_wanted = Signal(object)
    rebind_wanted = Signal(object)

    def __init__(
        self,
        book: InboxBook,
        board: StationBoard,
        announcer: QtAnnouncer,
        zone: Callable[[], tzinfo | None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("inboxPanel")
        self.setStyleSheet(STYLE_SHEET)
        self.book = book
        self._board = board
        self._zone = zone
        self.announcer = announcer
        self.model = InboxModel(book, self)
        self.title = QLabel()
        self.title.setObjectName("sectionTitle")
        self.list = QtInboxList()
        self.list.setObjectName("inboxList")
        self.list.setModel(self.model)
        self.list.setItemDelegate(InboxDelegate(self.list))
        self.list.setUniformItemSizes(True)
        self.list.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.enter_pressed.connect(self._activate_current)
        self.list.doubleClicked.connect(lambda _index: self._activate_current())
        self.list.installEventFilter(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        self.banner = QLabel()
        self.banner.setObjectName("inboxBanner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        layout.addWidget(self.title)
        layout.addWidget(self.banner)
        layout.addWidget(self.list, 1)
        self._flash_on = False
        self._flash_timer = QTimer(self)
        self._flash_timer.setInterval(FLASH_INTERVAL_MS)
        self._flash_timer.timeout.connect(self._toggle_flash)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setInterval(REFRESH_INTERVAL_MS)
        self._refresh_timer.timeout.connect(self.refresh)
        self._refresh_timer.start()
        self._order_shortcut("Ctrl+R", self.refund_wanted)
        self._order_shortcut("Ctrl+B", self.rebind_wanted)
        board.subscribe(self)
        self.refresh()

    # -- feeding ---------------------------------------------------------------------------------------

    def station_changed(self, change: StationChange) -> None:
        if change.everything or change.orders or change.pumps:
            self.refresh()

    def on_events(self, batch: EventBatch) -> None:
        """The raw event page (connected to the follower bridge): new and completed orders."""
        orders = [(e.type, e.payload) for e in batch.events if isinstance(e.payload, Order)]
        if not orders:
            return
        for order in self.book.note_orders(orders):
            self.announce(order)
        self.refresh()

    def set_pickups(self, pickups: Sequence[Any]) -> None:
        self.book.set_pickups(pickups)
        self.refresh()

    def announce(self, order: Order) -> None:
        yuan = format_fen(order.prepaid_fen, symbol="").replace(",", "").removesuffix(".00")
        self.announcer.announce(announcement_text(order.nozzle_number, yuan))
        self.start_flashing()

    def refresh(self) -> None:
        current = self.current_item()
        self.model.refresh()
        self.title.setText(self.tr("待结算 Inbox ({0})").format(len(self.model.items)))
        if current is not None:
            self.select_key(current.key)

    def show_message(self, text: str, error: bool = True) -> None:
        """An inline banner above the list (a refusal, a lock by another till, a sale recorded)."""
        self.banner.setText(text)
        self.banner.setProperty("error", "true" if error else "false")
        self.banner.style().unpolish(self.banner)
        self.banner.style().polish(self.banner)
        self.banner.setVisible(bool(text))

    @property
    def message_text(self) -> str:
        return self.banner.text() if self.banner.isVisible() else ""

    # -- flashing until acknowledged ----------------------------------------------------------------------

    @property
    def is_flashing(self) -> bool:
        return self._flash_timer.isActive()

    def start_flashing(self) -> None:
        if not self._flash_timer.isActive():
            self._flash_timer.start()
            self._toggle_flash()

    def acknowledge(self) -> None:
        self._flash_timer.stop()
        self._set_flash(False)

    def _toggle_flash(self) -> None:
        self._set_flash(not self._flash_on)

    def _set_flash(self, on: bool) -> None:
        self._flash_on = on
        self.setProperty("flash", "true" if on else "false")
        self.style().unpolish(self)
        self.style().polish(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.list and event.type() in (QEvent.Type.FocusIn, QEvent.Type.MouseButtonPress):
            self.acknowledge()
        return super().eventFilter(watched, event)

    # -- selection -------------------------------------------------------------------------------------

    def focus_list(self) -> None:
        """F1: the list takes the keyboard, with the newest row current when none was."""
        self.acknowledge()
        self.list.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if not self.list.currentIndex().isValid() and self.model.items:
            self.list.setCurrentIndex(self.model.index(0))

    def current_item(self) -> InboxItem | None:
        item = self.list.currentIndex().data(ITEM_ROLE)
        return item if isinstance(item, InboxItem) else None

    def select_key(self, key: str) -> bool:
        for row, item in enumerate(self.model.items):
            if item.key == key:
                self.list.setCurrentIndex(self.model.index(row))
                return True
        return False

    def fill_for(self, order: Order) -> PumpTransaction | None:
        """The fill an order's customer made, while the board still holds it (it computes the under-run)."""
        return self._board.transactions.get(order.transaction_id) if order.transaction_id else None

    def _order_shortcut(self, keys: str, wanted: Any) -> None:
        shortcut = QShortcut(QKeySequence(keys), self.list)
        shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)  # only while the list has the keyboard
        shortcut.activated.connect(lambda: self._emit_for_order(wanted))

    def _emit_for_order(self, wanted: Any) -> None:
        item = self.current_item()
        if item is not None and item.order is not None:
            wanted.emit(item)

    def _activate_current(self) -> None:
        item = self.current_item()
        if item is not None:
            self.activated.emit(item)

    def shutdown(self) -> None:
        self._refresh_timer.stop()
        self._flash_timer.stop()
        self._board.unsubscribe(self)
