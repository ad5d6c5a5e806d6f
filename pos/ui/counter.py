"""The counter's screens wired to its use cases: inbox (F1), tender (F2), member attach (F3), lock (F12),
mini-program order exceptions (Ctrl+R refund request, Ctrl+B rebind), void and refund for managers.

Every call that touches the backend or the local store runs on the task runner's ``counter`` lane (one
worker: the client that signed the staff member in carries their session, and requests sessions are not
shared between threads); outcomes come back on the GUI thread and show in the screen that asked. While
the tender screen is open a ``QtLockKeeper`` renews the fill's lock on that same lane.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QInputDialog, QWidget

from pos.domain.errors import PosError
from pos.domain.money import format_fen
from pos.domain.order import Order, OrderException
from pos.domain.pricing import best_coupon
from pos.domain.roles import Permission, may
from pos.domain.sale import Sale
from pos.domain.sale_lines import FuelItem
from pos.domain.tender import Tender
from pos.services.counter_ports import CounterBackend, LocalSale, LocalSales
from pos.services.inbox import InboxItem, InboxKind
from pos.services.ports import MemberRecord, StaffMember
from pos.services.settlement import QueuedRefund, SettledSale, SettlementDesk, Settling, under_run_fen
from pos.ui.inbox import QtInbox
from pos.ui.lock_keeper import QtLockKeeper
from pos.ui.order_exception_dialog import QtOrderExceptionDialog, QtOrderRebindDialog, QtOrderRefundDialog
from pos.ui.refund_dialog import QtRefundDialog
from pos.ui.tasks import Operation, QtTaskRunner
from pos.ui.tender import QtTenderDialog

log = logging.getLogger(__name__)

LANE = "counter"
OrderDialog = TypeVar("OrderDialog", bound=QtOrderExceptionDialog)
PICKUPS_EVERY_MS = 60_000


def _utc_now() -> datetime:
    return datetime.now(UTC)


class QtCounter(QObject):
    def __init__(
        self,
        desk: SettlementDesk,
        backend: CounterBackend,
        local_sales: LocalSales,
        runner: QtTaskRunner,
        inbox: QtInbox,
        window: QWidget,
        staff: StaffMember | None,
        print_receipt: Callable[[SettledSale, StaffMember], None] | None = None,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        super().__init__(window)
        self.desk = desk
        self._backend = backend
        self._local_sales = local_sales
        self.runner = runner
        self.inbox = inbox
        self._window = window
        self.staff = staff
        self._print_receipt = print_receipt
        self._clock = clock
        self.member: MemberRecord | None = None  # attached for the next (or current) sale
        self.tender: QtTenderDialog | None = None
        self.lock_keeper: QtLockKeeper | None = None  # renews the tendered fill's lock while it is open
        self.refund_dialog: QtRefundDialog | None = None
        self.order_dialog: QtOrderExceptionDialog | None = None
        self.last_settled: SettledSale | None = None
        inbox.activated.connect(self.act_on)
        inbox.refund_wanted.connect(self.open_order_refund)
        inbox.rebind_wanted.connect(self.open_order_rebind)
        self._pickups_timer = QTimer(self)
        self._pickups_timer.setInterval(PICKUPS_EVERY_MS)
        self._pickups_timer.timeout.connect(self.refresh_pickups)

    def start(self) -> None:
        self.refresh_pickups()
        self._pickups_timer.start()

    def stop(self) -> None:
        self._pickups_timer.stop()

    def set_staff(self, staff: StaffMember | None) -> None:
        self.staff = staff
        if staff is None or not may(staff.role, Permission.SELL):
            self.member = None

    def _run(
        self, work: Callable[[], Any], on_done: Callable[[Any], None], on_error: Callable[[PosError], None]
    ) -> None:
        self.runner.run(Operation(work, on_done, on_error, LANE))

    def _may(self, permission: Permission) -> bool:
        return self.staff is not None and may(self.staff.role, permission)

    # -- F1 / F2 ---------------------------------------------------------------------------------------

    def focus_inbox(self) -> None:
        self.inbox.focus_list()

    def open_tender(self) -> None:
        """F2: tender the selected payable fill, or the newest one free to take."""
        if not self._may(Permission.SELL) or self.tender is not None:
            return
        item = self.inbox.current_item()
        if item is None or item.kind is not InboxKind.PUMP:
            item = next(
                (i for i in self.inbox.model.items if i.kind is InboxKind.PUMP and i.locked_by_other is None),
                None,
            )
        if item is None:
            self.inbox.show_message(self.tr("没有待支付的挂单 / Nothing payable to settle"))
            return
        self.inbox.select_key(item.key)
        self.act_on(item)

    def act_on(self, item: InboxItem) -> None:
        """Enter on an inbox row: lock and tender a fill, acknowledge a finished order."""
        if item.kind is InboxKind.PUMP and item.transaction is not None:
            self._lock_and_tender(item)
        elif item.kind is InboxKind.ORDER and item.order is not None:
            self.complete_order(item)
        else:
            self.inbox.show_message(
                self.tr("自提订单请用核销 (F4) / Redeem pickups with the write-off screen")
            )

    def _lock_and_tender(self, item: InboxItem) -> None:
        staff, transaction = self.staff, item.transaction
        if staff is None or transaction is None or not may(staff.role, Permission.SELL) or self.tender:
            return
        if item.locked_by_other is not None:
            holder = item.locked_by_other
            self.inbox.show_message(
                self.tr("锁定: {0} {1} / Held by {0} {1}").format(holder.till_name, holder.staff_name)
            )
            return
        self.inbox.show_message(self.tr("正在锁定… Locking"), error=False)
        self._run(lambda: self.desk.select(transaction.id, staff), self._open_tender, self._lock_refused)

    def _lock_refused(self, error: PosError) -> None:
        self.inbox.show_message(f"{error.title}: {error.message}")

    def _open_tender(self, settling: Settling) -> None:
        self.inbox.book.my_locks.add(settling.transaction.id)
        self.inbox.show_message("")
        self.inbox.refresh()
        dialog = QtTenderDialog(
            settling,
            lambda sale, tenders: self._settle(keeper, sale, tenders),
            lambda: self._cancel(keeper),
            self._clock(),
            self._window,
        )
        keeper = QtLockKeeper(
            self.desk,
            self.runner,
            settling,
            LANE,
            lambda: dialog.busy,
            lambda error: self._lock_lost(dialog, error),
            dialog,  # lives as long as the screen whose lock it keeps
        )
        dialog.finished.connect(lambda _code: self._tender_closed(dialog, keeper))
        self.tender, self.lock_keeper = dialog, keeper
        if self.member is not None:
            self._apply_member(dialog, self.member)
        dialog.show()
        dialog.given_box.setFocus()
        keeper.start()

    def _tender_closed(self, dialog: QtTenderDialog, keeper: QtLockKeeper) -> None:
        if keeper.active and not dialog.busy and dialog.done_sale is None:
            self._cancel(keeper)  # the window closed without Esc: release the fill as Esc does
        keeper.stop()  # a sale on its way keeps its lock: the settle checks it
        if self.tender is dialog:
            self.tender = None
        if self.lock_keeper is keeper:
            self.lock_keeper = None
        self.inbox.focus_list()

    def _lock_lost(self, dialog: QtTenderDialog, error: PosError) -> None:
        """A renewal was refused: tell the cashier in the tender screen at once (settling then refuses)."""
        if error.code == "lock_lost":  # another till holds it: this till's inbox shows that till
            self.inbox.book.my_locks.discard(dialog.settling.transaction.id)
            self.inbox.refresh()
        dialog.show_lock_lost(error)

    def _settle(self, keeper: QtLockKeeper, sale: Sale, tenders: Sequence[Tender]) -> None:
        dialog = self.tender
        on_error = dialog.show_refusal if dialog is not None else self._lock_refused

        def settled(sale_settled: SettledSale) -> None:
            keeper.stop()  # the backend clears the fill from the sale: nothing left to hold
            self._settled(sale_settled)

        # Read on the lane, after any renewal queued before it: the latest renewal, or the lost mark.
        self._run(lambda: self.desk.settle(keeper.settling_on_lane(), sale, tenders), settled, on_error)

    def _settled(self, settled: SettledSale) -> None:
        self.last_settled = settled
        fuel = settled.sale.fuel
        if fuel is not None and fuel.transaction_id is not None:
            self.inbox.book.my_locks.discard(fuel.transaction_id)
            self.inbox.book.settled_here.add(fuel.transaction_id)
        self.member = None
        staff = self.staff
        if self._print_receipt is not None and staff is not None:
            print_receipt = self._print_receipt
            self.runner.run(
                Operation(
                    lambda: print_receipt(settled, staff), lambda _r: None, self._lock_refused, "printer"
                )
            )
        if self.tender is not None:
            self.tender.show_done(settled)
        self.inbox.show_message(
            self.tr("已收款，找零 {0} / Paid, change {0}").format(format_fen(settled.change_fen)), error=False
        )
        self.inbox.refresh()

    def _cancel(self, keeper: QtLockKeeper) -> None:
        keeper.stop()
        settling = keeper.settling
        self.inbox.book.my_locks.discard(settling.transaction.id)
        self._run(
            lambda: self.desk.cancel(settling), lambda _released: self.inbox.refresh(), self._lock_refused
        )

    # -- F3: attach a member ---------------------------------------------------------------------------

    def attach_member(self, record: MemberRecord) -> None:
        """The lookup's chosen member joins the sale being tendered (or the next one)."""
        if not self._may(Permission.SELL):
            return
        self.member = record
        if self.tender is not None:
            self._apply_member(self.tender, record)
            self.tender.activateWindow()
            self.tender.given_box.setFocus()
        else:
            self.inbox.show_message(
                self.tr("已关联会员 {0} / Member attached").format(record.member.name), error=False
            )

    def _apply_member(self, dialog: QtTenderDialog, record: MemberRecord) -> None:
        fuel = FuelItem.from_transaction(dialog.settling.transaction)
        best = best_coupon(record.coupons, fuel, record.member, self._clock())
        dialog.set_member(record.member, record.coupons, best)

    # -- orders and pickups ----------------------------------------------------------------------------

    def complete_order(self, item: InboxItem) -> None:
        staff, order = self.staff, item.order
        if staff is None or order is None:
            return

        def done(_order: object) -> None:
            self.inbox.book.acknowledge(order.id)
            self.inbox.show_message(self.tr("订单已完成 {0} / Order completed").format(order.order_no), False)
            self.inbox.refresh()

        self._run(lambda: self.desk.complete_order(order, staff), done, self._lock_refused)

    def open_order_refund(self, item: InboxItem) -> QtOrderRefundDialog | None:
        """Ctrl+R: ask the mini program to refund what an order's fill did not take."""
        order = item.order
        if order is None or not self._may(Permission.SELL):
            return None
        prefill = under_run_fen(order, self.inbox.fill_for(order))
        dialog = QtOrderRefundDialog(order, prefill, self._request_order_refund, self._window)
        return self._show_order_dialog(dialog)

    def open_order_rebind(self, item: InboxItem) -> QtOrderRebindDialog | None:
        """Ctrl+B: a wrong-nozzle order goes to the nozzle the customer is at."""
        order = item.order
        if order is None or not self._may(Permission.SELL):
            return None
        if order.exception is not OrderException.WRONG_NOZZLE:
            self.inbox.show_message(
                self.tr("只有油枪不符的订单可改绑 / Only a wrong-nozzle order can be rebound")
            )
            return None
        dialog = QtOrderRebindDialog(order, self._rebind_order, self._window)
        return self._show_order_dialog(dialog)

    def _show_order_dialog(self, dialog: OrderDialog) -> OrderDialog:
        if self.order_dialog is not None:
            self.order_dialog.close()
        self.order_dialog = dialog
        dialog.finished.connect(lambda _code: self._order_dialog_closed(dialog))
        dialog.show()
        dialog.activateWindow()
        return dialog

    def _order_dialog_closed(self, dialog: QtOrderExceptionDialog) -> None:
        if self.order_dialog is dialog:
            self.order_dialog = None
        self.inbox.focus_list()

    def _request_order_refund(self, order: Order, amount_fen: int, reason: str) -> None:
        staff, dialog = self.staff, self.order_dialog
        if staff is None or dialog is None:
            return

        def done(_order: Order) -> None:
            dialog.accept()
            message = self.tr("已申请退款 {0} / Refund requested {1}")
            self.inbox.show_message(message.format(format_fen(amount_fen), order.order_no), error=False)

        self._run(
            lambda: self.desk.request_order_refund(order, amount_fen, reason, staff),
            done,
            dialog.show_refusal,
        )

    def _rebind_order(self, order: Order, nozzle_number: int) -> None:
        staff, dialog = self.staff, self.order_dialog
        if staff is None or dialog is None:
            return

        def done(rebound: Order) -> None:
            dialog.accept()
            message = self.tr("订单 {0} 已改绑到 {1}号油枪 / Order {0} moved to nozzle {1}")
            self.inbox.show_message(message.format(order.order_no, rebound.nozzle_number), error=False)

        self._run(lambda: self.desk.rebind_order(order, nozzle_number, staff), done, dialog.show_refusal)

    def refresh_pickups(self) -> None:
        self._run(
            self._backend.pickups_awaiting, self.inbox.set_pickups, lambda e: log.info("pickups: %s", e.code)
        )

    # -- managers: void and refund ---------------------------------------------------------------------

    def void_selected(self) -> None:
        item, staff = self.inbox.current_item(), self.staff
        if staff is None or item is None or item.transaction is None or not may(staff.role, Permission.VOID):
            return
        reason, ok = QInputDialog.getText(self._window, self.tr("作废 Void"), self.tr("作废原因 Reason"))
        if not ok:
            return
        transaction = item.transaction

        def voided(_result: object) -> None:
            self.inbox.show_message(self.tr("已作废 Voided"), error=False)

        self._run(lambda: self.desk.void(transaction, reason, staff), voided, self._lock_refused)

    def open_refund(self) -> QtRefundDialog | None:
        if not self._may(Permission.REFUND):
            return None
        dialog = QtRefundDialog(self._refund, self._window)
        self.refund_dialog = dialog
        self._run(lambda: self._local_sales.recent_sales(), dialog.show_sales, dialog.show_refusal)
        dialog.show()
        return dialog

    def _refund(self, sale: LocalSale, amount_fen: int, reason: str) -> None:
        staff, dialog = self.staff, self.refund_dialog
        if staff is None or dialog is None:
            return

        def done(refund: QueuedRefund) -> None:
            dialog.show_done(refund)
            self._run(lambda: self._local_sales.recent_sales(), dialog.show_sales, dialog.show_refusal)

        self._run(lambda: self.desk.refund(sale, amount_fen, reason, staff), done, dialog.show_refusal)
