"""Mini-program order exceptions in the inbox: 申请退款 (under-run, Ctrl+R), 改绑油枪 (wrong nozzle, Ctrl+B).

Keyboard: the first box has focus (the amount prefilled with what was not fuelled, or the nozzle number),
Tab moves on, Enter confirms, Esc backs out. The backend's refusal (a busy nozzle, a refund above what was
not fuelled, a refund already asked for) shows inline and the dialog stays open to correct it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QIntValidator, QKeyEvent
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QVBoxLayout, QWidget

from pos.domain.errors import InvalidValue, PosError
from pos.domain.money import format_fen
from pos.domain.order import Order
from pos.ui.tender import parse_yuan

MAX_NOZZLE_NUMBER = 99
STYLE_SHEET = """
QLabel#orderSummary { font-size: 18px; font-weight: bold; }
QLineEdit { font-size: 20px; min-height: 48px; }
QLabel#banner { background: #FDECEA; color: #C62828; font-size: 15px; padding: 6px; }
"""


class QtOrderExceptionDialog(QDialog):
    """One form for either action; ``on_confirm`` gets the parsed values and runs them off the GUI thread."""

    def __init__(self, order: Order, confirm: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._confirm = confirm  # parses this action's boxes and sends them
        self.setStyleSheet(STYLE_SHEET)
        self.order = order
        self.busy = False
        summary = QLabel(
            self.tr("{0} · {1}号油枪 · 预付 {2}").format(
                order.order_no, order.nozzle_number, format_fen(order.prepaid_fen)
            )
        )
        summary.setObjectName("orderSummary")
        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.form = QVBoxLayout(self)
        self.form.addWidget(summary)
        self.resize(520, 260)

    def finish_layout(self) -> None:
        self.form.addWidget(self.banner)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if not self.busy:
                self._confirm()
        else:
            super().keyPressEvent(event)

    def start(self) -> None:
        self.busy = True
        self.banner.hide()

    def show_refusal(self, error: PosError) -> None:
        self.busy = False
        self.banner.setText(f"{error.title}\n{error.message}")
        self.banner.show()

    @property
    def banner_text(self) -> str:
        return self.banner.text() if self.banner.isVisible() else ""


class QtOrderRefundDialog(QtOrderExceptionDialog):
    """申请退款: the amount not fuelled (prefilled) and a reason, sent as a refund request."""

    def __init__(
        self,
        order: Order,
        prefill_fen: int,
        on_confirm: Callable[[Order, int, str], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(order, self.confirm, parent)
        self.setWindowTitle(self.tr("申请退款 Refund request"))
        self.setObjectName("orderRefundDialog")
        self._on_confirm = on_confirm
        self.amount_box = QLineEdit(format_fen(prefill_fen, symbol="").replace(",", ""))
        self.amount_box.setPlaceholderText(self.tr("退款金额 Amount"))
        self.reason_box = QLineEdit(self.tr("未加满 Under-run"))
        self.reason_box.setPlaceholderText(self.tr("退款原因 Reason (必填 required)"))
        self.form.addWidget(self.amount_box)
        self.form.addWidget(self.reason_box)
        self.finish_layout()
        self.amount_box.selectAll()

    def confirm(self) -> None:
        try:
            amount = parse_yuan(self.amount_box.text()) or 0
        except PosError as refused:
            self.show_refusal(refused)
            return
        self.start()
        self._on_confirm(self.order, amount, self.reason_box.text())


class QtOrderRebindDialog(QtOrderExceptionDialog):
    """改绑油枪: the nozzle the customer is actually at; the backend releases it for the order if idle."""

    def __init__(
        self, order: Order, on_confirm: Callable[[Order, int], None], parent: QWidget | None = None
    ) -> None:
        super().__init__(order, self.confirm, parent)
        self.setWindowTitle(self.tr("改绑油枪 Rebind nozzle"))
        self.setObjectName("orderRebindDialog")
        self._on_confirm = on_confirm
        self.nozzle_box = QLineEdit()
        self.nozzle_box.setValidator(QIntValidator(1, MAX_NOZZLE_NUMBER, self.nozzle_box))
        self.nozzle_box.setPlaceholderText(self.tr("正确的油枪号 Right nozzle number"))
        self.form.addWidget(self.nozzle_box)
        self.finish_layout()

    def confirm(self) -> None:
        text = self.nozzle_box.text().strip()
        if not text.isdigit():
            self.show_refusal(InvalidValue("请输入油枪号 / enter the nozzle number"))
            return
        self.start()
        self._on_confirm(self.order, int(text))
