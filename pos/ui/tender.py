"""收款 Tender: the amount due in very large type, savings, tender methods, cash given and change.

Keyboard: digits type the amount given (yuan, e.g. ``300`` or ``215.5``); Ctrl+1..Ctrl+5 choose cash,
card, WeChat, Alipay, wallet; Ctrl+P takes the typed amount as one part of a split; Ctrl+Q steps through
the member's coupons; Enter confirms; Esc backs out (and the counter unlocks the fill). Refusals (cash
below the amount due, a coupon whose grade or minimum does not match, a wallet too low, a lock expired, a
role that may not sell) show inline in the banner; nothing here is a modal error. A lock lost while the
screen is open (a renewal refused: another till holds the fill) shows in its own banner, which no key
clears, so the cashier does not take the money for a sale that will be refused.

The dialog holds no I/O: ``on_confirm(sale, tenders)`` and ``on_cancel()`` hand the work to the counter,
which answers with ``show_done`` or ``show_refusal`` on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos.domain.coupon import Coupon, CouponState
from pos.domain.errors import InvalidValue, PosError
from pos.domain.member import Member
from pos.domain.money import format_fen
from pos.domain.sale import Sale
from pos.domain.tender import Tender, TenderMethod
from pos.services.settlement import SettledSale, Settling, checkout, draft_sale
from pos.ui.inbox import format_volume

METHOD_KEYS = (
    (TenderMethod.CASH, "现金 Cash", "Ctrl+1"),
    (TenderMethod.CARD, "银行卡 Card", "Ctrl+2"),
    (TenderMethod.WECHAT, "微信 WeChat", "Ctrl+3"),
    (TenderMethod.ALIPAY, "支付宝 Alipay", "Ctrl+4"),
    (TenderMethod.WALLET, "钱包 Wallet", "Ctrl+5"),
)
DONE_CLOSES_AFTER_MS = 4_000
STYLE_SHEET = """
QDialog { background: #FFFFFF; }
QLabel#dueLabel { font-size: 64px; font-weight: bold; color: #1F2933; }
QLabel#changeLabel { font-size: 34px; font-weight: bold; color: #1E9448; }
QLabel#banner, QLabel#lockBanner {
    background: #FDECEA; color: #C62828; font-size: 16px; padding: 8px; border-radius: 4px;
}
QLabel#doneLabel { font-size: 30px; font-weight: bold; color: #1E9448; }
QLabel.line { font-size: 16px; color: #3E4C59; }
QPushButton { min-height: 56px; font-size: 17px; padding: 0 14px; }
QPushButton:checked { background: #1F6FD6; color: white; }
QLineEdit#givenBox { font-size: 30px; min-height: 56px; }
QComboBox { min-height: 44px; font-size: 16px; }
"""


def parse_yuan(text: str) -> int | None:
    """``"300"`` -> 30000, ``"215.5"`` -> 21550; None when empty; InvalidValue for anything else."""
    text = text.strip().replace("¥", "").replace(",", "")
    if not text:
        return None
    whole, _, part = text.partition(".")
    if (not whole.isdigit() and whole != "") or (part and (not part.isdigit() or len(part) > 2)):
        raise InvalidValue(f"金额格式不对 / not an amount: {text}")
    return int(whole or "0") * 100 + int((part + "00")[:2])


class QtTenderDialog(QDialog):
    def __init__(
        self,
        settling: Settling,
        on_confirm: Callable[[Sale, Sequence[Tender]], None],
        on_cancel: Callable[[], None],
        now: datetime,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("tenderDialog")
        self.setWindowTitle(self.tr("收款 Tender"))
        self.setStyleSheet(STYLE_SHEET)
        self.settling = settling
        self._on_confirm = on_confirm
        self._on_cancel = on_cancel
        self._opened_at = now
        self._sale_id_sale = draft_sale(settling, None, now)  # the sale id is fixed for this dialog
        self.member: Member | None = None
        self.coupons: list[Coupon] = []
        self.coupon: Coupon | None = None
        self.sale: Sale = self._sale_id_sale
        self.parts: list[Tender] = []
        self.method = TenderMethod.CASH
        self.busy = False
        self.done_sale: SettledSale | None = None
        self._build()
        self._bind_keys()
        self._reprice()

    # -- layout ----------------------------------------------------------------------------------------

    def _build(self) -> None:
        fill = self.settling.transaction
        self.what_label = QLabel(
            self.tr("{0}号油枪 {1}  {2}").format(
                fill.nozzle_number, fill.grade.display_name, format_volume(fill.volume_ml)
            )
        )
        self.what_label.setProperty("class", "line")
        self.member_label = QLabel(self.tr("未关联会员 (F3 会员) No member"))
        self.lines_label = QLabel()
        self.lines_label.setProperty("class", "line")
        self.due_label = QLabel()
        self.due_label.setObjectName("dueLabel")
        self.coupon_box = QComboBox()
        self.coupon_box.currentIndexChanged.connect(self._coupon_chosen)
        self.method_buttons: dict[TenderMethod, QPushButton] = {}
        methods = QHBoxLayout()
        for method, text, key in METHOD_KEYS:
            button = QPushButton(f"{self.tr(text)}\n{key}")
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _=False, m=method: self.choose_method(m))
            self.method_buttons[method] = button
            methods.addWidget(button)
        self.given_box = QLineEdit()
        self.given_box.setObjectName("givenBox")
        self.given_box.setPlaceholderText(self.tr("收款金额 Amount given"))
        self.given_box.textChanged.connect(lambda _t: self._show_change())
        self.change_label = QLabel()
        self.change_label.setObjectName("changeLabel")
        self.parts_label = QLabel()
        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.lock_banner = QLabel()
        self.lock_banner.setObjectName("lockBanner")
        self.lock_banner.setWordWrap(True)
        self.lock_banner.hide()
        self.done_label = QLabel()
        self.done_label.setObjectName("doneLabel")
        self.done_label.hide()
        self.layout_rows(methods)

    def layout_rows(self, methods: QHBoxLayout) -> None:
        self.split_button = QPushButton(self.tr("分单 Split part (Ctrl+P)"))
        self.split_button.clicked.connect(self.add_part)
        self.confirm_button = QPushButton(self.tr("确认收款 Confirm (Enter)"))
        self.confirm_button.clicked.connect(self.confirm)
        self.back_button = QPushButton(self.tr("返回 Back (Esc)"))
        self.back_button.clicked.connect(self.back_out)
        for button in (self.split_button, self.confirm_button, self.back_button):
            button.setAutoDefault(False)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        grid = QGridLayout()
        grid.addWidget(QLabel(self.tr("优惠券 Coupon (Ctrl+Q)")), 0, 0)
        grid.addWidget(self.coupon_box, 0, 1)
        grid.addWidget(QLabel(self.tr("收款 Given")), 1, 0)
        grid.addWidget(self.given_box, 1, 1)
        actions = QHBoxLayout()
        for button in (self.split_button, self.back_button, self.confirm_button):
            actions.addWidget(button)
        layout = QVBoxLayout(self)
        for widget in (self.what_label, self.member_label, self.lines_label, self.due_label):
            layout.addWidget(widget)
        layout.addLayout(methods)
        layout.addLayout(grid)
        for widget in (self.parts_label, self.change_label, self.lock_banner, self.banner, self.done_label):
            layout.addWidget(widget)
        layout.addLayout(actions)
        self.resize(720, 640)

    def _bind_keys(self) -> None:
        for method, _text, key in METHOD_KEYS:
            QShortcut(QKeySequence(key), self, lambda m=method: self.choose_method(m))
        QShortcut(QKeySequence("Ctrl+P"), self, self.add_part)
        QShortcut(QKeySequence("Ctrl+Q"), self, self.next_coupon)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.close_done() if self.done_sale is not None else self.confirm()
        elif event.key() == Qt.Key.Key_Escape:
            self.close_done() if self.done_sale is not None else self.back_out()
        else:
            super().keyPressEvent(event)

    # -- member and coupons ----------------------------------------------------------------------------

    def set_member(
        self, member: Member | None, coupons: Sequence[Coupon] = (), best: Coupon | None = None
    ) -> None:
        """Attach the member (F3 lookup); the best applicable coupon is chosen for the cashier."""
        self.member = member
        self.coupons = [c for c in coupons if c.state is CouponState.AVAILABLE]
        self.coupon = best
        self.member_label.setText(
            self.tr("会员 {0} {1} · 钱包 {2}").format(
                member.name, member.masked_phone, format_fen(member.wallet_fen)
            )
            if member is not None
            else self.tr("未关联会员 (F3 会员) No member")
        )
        self.coupon_box.blockSignals(True)
        self.coupon_box.clear()
        self.coupon_box.addItem(self.tr("不用券 No coupon"), None)
        for coupon in self.coupons:
            self.coupon_box.addItem(coupon.title, coupon.id)
        self.coupon_box.setCurrentIndex(1 + self.coupons.index(best) if best in self.coupons else 0)
        self.coupon_box.blockSignals(False)
        self._reprice()

    def next_coupon(self) -> None:
        count = self.coupon_box.count()
        if count:
            self.coupon_box.setCurrentIndex((self.coupon_box.currentIndex() + 1) % count)

    def _coupon_chosen(self, index: int) -> None:
        coupon_id = self.coupon_box.itemData(index)
        self.coupon = next((c for c in self.coupons if c.id == coupon_id), None)
        self._reprice()

    def _reprice(self) -> None:
        """Rebuild the draft; a coupon that does not apply is dropped and the refusal shown."""
        base = self._sale_id_sale.attach_member(self.member) if self.member else self._sale_id_sale
        self.hide_banner()
        self.sale = base
        if self.coupon is not None:
            try:
                self.sale = base.apply_coupon(self.coupon)
            except PosError as refused:
                self.show_refusal(refused)
        self.parts.clear()
        self._show_amounts()

    # -- amounts ---------------------------------------------------------------------------------------

    def _show_amounts(self) -> None:
        pricing = self.sale.pricing
        lines = [self.tr("小计 Subtotal  {0}").format(format_fen(pricing.subtotal_fen))]
        lines += [f"{saving.label}  -{format_fen(saving.amount_fen)}" for saving in pricing.savings]
        self.lines_label.setText("\n".join(lines))
        self.due_label.setText(self.tr("应收 {0}").format(format_fen(self.remaining_fen)))
        taken = "  ".join(f"{t.method.label} {format_fen(t.amount_fen)}" for t in self.parts)
        self.parts_label.setText(self.tr("已收 Taken: {0}").format(taken) if taken else "")
        for method, button in self.method_buttons.items():
            button.setChecked(method is self.method)
        self._show_change()

    @property
    def remaining_fen(self) -> int:
        return max(0, self.sale.due_fen - sum(t.amount_fen for t in self.parts))

    def _show_change(self) -> None:
        try:
            given = parse_yuan(self.given_box.text())
        except InvalidValue:
            given = None
        change = None if given is None or self.method is not TenderMethod.CASH else given - self.remaining_fen
        self.change_label.setText(
            self.tr("找零 Change {0}").format(format_fen(change)) if change and change > 0 else ""
        )

    def choose_method(self, method: TenderMethod) -> None:
        self.method = method
        self.hide_banner()
        self._show_amounts()
        self.given_box.setFocus()

    def _typed_tender(self) -> Tender | None:
        """The amount field as a tender of the chosen method; blank means exactly what remains."""
        amount = parse_yuan(self.given_box.text())
        amount = self.remaining_fen if amount is None else amount
        return Tender(self.method, amount) if amount > 0 else None

    def add_part(self) -> None:
        """Ctrl+P: take the typed amount as one part of a split, and carry on with the rest."""
        try:
            tender = self._typed_tender()
            if tender is None or tender.amount_fen >= self.remaining_fen:
                raise InvalidValue("分单金额须小于应收 / a split part must be less than what remains")
            self.sale.begin_tender().add_tender(tender)  # refuses a wallet above the balance at once
        except PosError as refused:
            self.show_refusal(refused)
            return
        self.parts.append(tender)
        self.given_box.clear()
        self._show_amounts()

    # -- confirm / back --------------------------------------------------------------------------------

    def confirm(self) -> None:
        if self.busy or self.done_sale is not None:
            return  # one press records one sale
        try:
            typed = self._typed_tender()
            tenders = [*self.parts, *([typed] if typed else [])]
            checkout(self.sale, tenders, self._opened_at)
        except PosError as refused:
            self.show_refusal(refused)
            return
        self.busy = True
        self.hide_banner()
        self.confirm_button.setEnabled(False)
        self._on_confirm(self.sale, tenders)

    def back_out(self) -> None:
        if self.busy:
            return
        self._on_cancel()
        self.reject()

    def show_refusal(self, error: PosError) -> None:
        self.busy = False
        self.confirm_button.setEnabled(True)
        self.banner.setText(f"{error.title}\n{error.message}")
        self.banner.show()

    def hide_banner(self) -> None:
        self.banner.hide()

    @property
    def banner_text(self) -> str:
        return self.banner.text() if self.banner.isVisible() else ""

    def show_lock_lost(self, error: PosError) -> None:
        """A renewal of the lock was refused: say so now, not when the cashier presses Enter."""
        self.lock_banner.setText(f"{error.title}\n{error.message}")
        self.lock_banner.show()

    @property
    def lock_banner_text(self) -> str:
        return self.lock_banner.text() if self.lock_banner.isVisible() else ""

    def show_done(self, settled: SettledSale) -> None:
        self.busy = False
        self.done_sale = settled
        change = format_fen(settled.change_fen)
        self.done_label.setText(self.tr("已收款 Paid · 找零 Change {0}").format(change))
        self.done_label.show()
        self.lock_banner.hide()  # settled after all: the lock was taken again at the end
        for button in (self.confirm_button, self.split_button, *self.method_buttons.values()):
            button.setEnabled(False)
        QTimer.singleShot(DONE_CLOSES_AFTER_MS, self.close_done)

    def close_done(self) -> None:
        if self.isVisible():
            self.accept()
