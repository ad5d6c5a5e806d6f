"""退款 Refund (managers): pick one of this till's sales, the amount and a reason; queued in the outbox.

Keyboard: arrows pick the sale, Tab to the amount (prefilled with what is still refundable) and the
reason, Enter confirms, Esc backs out. Refusals (no reason, above what was paid, a role that may not
refund) show inline. The money goes back to the methods that took it, last first; the dialog shows the
split once the refund is queued.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from pos.domain.errors import PosError
from pos.domain.money import format_fen
from pos.services.counter_ports import LocalSale
from pos.services.settlement import QueuedRefund
from pos.ui.tender import parse_yuan

SALE_ROLE = Qt.ItemDataRole.UserRole + 3
STYLE_SHEET = """
QListWidget { font-size: 15px; }
QLineEdit { font-size: 20px; min-height: 48px; }
QLabel#banner { background: #FDECEA; color: #C62828; font-size: 15px; padding: 6px; }
QLabel#doneLabel { color: #1E9448; font-size: 20px; font-weight: bold; }
"""


class QtRefundDialog(QDialog):
    def __init__(
        self,
        on_confirm: Callable[[LocalSale, int, str], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("refundDialog")
        self.setWindowTitle(self.tr("退款 Refund"))
        self.setStyleSheet(STYLE_SHEET)
        self._on_confirm = on_confirm
        self.busy = False
        self.sales = QListWidget()
        self.sales.currentItemChanged.connect(lambda _now, _before: self._prefill())
        self.amount_box = QLineEdit()
        self.amount_box.setPlaceholderText(self.tr("退款金额 Amount"))
        self.reason_box = QLineEdit()
        self.reason_box.setPlaceholderText(self.tr("退款原因 Reason (必填 required)"))
        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.done_label = QLabel()
        self.done_label.setObjectName("doneLabel")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("本机销售 Sales at this till")))
        layout.addWidget(self.sales, 1)
        for widget in (self.amount_box, self.reason_box, self.banner, self.done_label):
            layout.addWidget(widget)
        self.resize(640, 520)

    def show_sales(self, sales: Sequence[LocalSale]) -> None:
        self.sales.clear()
        for sale in sales:
            text = (
                f"{sale.created_at.astimezone():%m-%d %H:%M}  {sale.description}  "
                f"{format_fen(sale.total_fen)}  (可退 {format_fen(sale.refundable_fen)})"
            )
            item = QListWidgetItem(text)
            item.setData(SALE_ROLE, sale)
            self.sales.addItem(item)
        if sales:
            self.sales.setCurrentRow(0)
        self.sales.setFocus()

    def selected_sale(self) -> LocalSale | None:
        item = self.sales.currentItem()
        sale = item.data(SALE_ROLE) if item is not None else None
        return sale if isinstance(sale, LocalSale) else None

    def _prefill(self) -> None:
        sale = self.selected_sale()
        if sale is not None:
            self.amount_box.setText(format_fen(sale.refundable_fen, symbol="").replace(",", ""))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.confirm()
        else:
            super().keyPressEvent(event)

    def confirm(self) -> None:
        sale = self.selected_sale()
        if self.busy or sale is None:
            return
        try:
            amount = parse_yuan(self.amount_box.text()) or 0
        except PosError as refused:
            self.show_refusal(refused)
            return
        self.busy = True
        self.banner.hide()
        self._on_confirm(sale, amount, self.reason_box.text())

    def show_refusal(self, error: PosError) -> None:
        self.busy = False
        self.banner.setText(f"{error.title}\n{error.message}")
        self.banner.show()

    @property
    def banner_text(self) -> str:
        return self.banner.text() if self.banner.isVisible() else ""

    def show_done(self, refund: QueuedRefund) -> None:
        self.busy = False
        parts = "、".join(f"{p.method.label} {format_fen(p.amount_fen)}" for p in refund.parts)
        self.done_label.setText(
            self.tr("已退款 Refunded {0}: {1}").format(format_fen(refund.amount_fen), parts)
        )
        self.reason_box.clear()
