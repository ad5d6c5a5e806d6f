"""Settling at the counter (结算): lock a payable fill, take the money, record the sale through the outbox.

Use cases, each checked against the role matrix before anything leaves the till:

* ``select``: lock a payable pump transaction to this till and staff member (a direct call: the answer is
  needed now, so it fails clearly when the backend cannot be reached; a fill locked by nobody cannot be
  settled safely offline, two tills could take money for it).
* ``cancel``: release the lock (best effort: an unreachable backend lets the lock run out by itself).
* ``settle``: complete the domain ``Sale`` and queue ``POST /sales`` in the same local transaction as the
  till's own record (``SaleJournal``). The backend settles the fill from the sale's ``transaction_id``, so
  no separate clear call is made: a sale recorded while the backend answers 500 or is away is sent later,
  exactly once, under its idempotency key. A lock that ran out while tendering is taken again first; if
  another till has taken it meanwhile the sale is refused naming that till.
* ``renew``: extend the lock while the tender screen is open (the UI's timer calls it every
  ``renewal_interval``): a renewal the link did not carry is tried again at the next tick, one refused
  because another till holds the fill is reported at once (``lock_lost``).
* ``complete_order``: acknowledge a finished mini-program order (direct call).
* ``request_order_refund`` / ``rebind_order``: the mini-program order exceptions. An under-run asks the
  mini program to give back what was not fuelled (``under_run_fen`` prefills it); a wrong nozzle binds
  the order to the nozzle the customer is at (direct calls: the backend decides, the till shows why not).
* ``void``: a manager abandons a locked sale with a reason (direct call).
* ``refund``: a manager gives back part or all of a completed sale with a reason (queued in the outbox).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from pos.domain.errors import InvalidValue, PosError
from pos.domain.member import Member
from pos.domain.money import format_fen
from pos.domain.order import Order, OrderException
from pos.domain.refund import RefundPart, plan_refund
from pos.domain.roles import Permission, require
from pos.domain.sale import Sale, SaleState
from pos.domain.sale_lines import FuelItem
from pos.domain.tender import Tender, TenderMethod
from pos.domain.transaction import PumpTransaction, TransactionState
from pos.services.counter_ports import CounterBackend, LocalSale, RefundJournal, VoidResult
from pos.services.handover_ports import LocalVoid, VoidJournal
from pos.services.ports import StaffMember
from pos.services.ports_outbox import OutboxEntry, SaleJournal

log = logging.getLogger(__name__)

LINK_DOWN_CODES = frozenset({"backend_unreachable", "backend_timeout", "backend_error"})
REFUND_PATH = "/api/v1/sales/{sale_id}/refund"
MAX_REASON_LENGTH = 200
RENEWALS_PER_LOCK = 3  # renew every third of the lock's time: two renewals may fail before it runs out
MIN_RENEWAL_INTERVAL = timedelta(seconds=1)  # a skewed clock or a tiny TTL never makes the till spin
# The expiry is on the backend's clock and the grant time on the till's: a backend running minutes ahead
# would stretch the pace past the lock itself. Capped at a third of the reference backend's 120 s TTL.
MAX_RENEWAL_INTERVAL = timedelta(seconds=40)


class OrderCounterBackend(CounterBackend, Protocol):
    """The counter's direct calls plus the two mini-program order exceptions."""

    def request_order_refund(self, order_id: str, amount_fen: int, reason: str) -> Order: ...

    def rebind_order(self, order_id: str, nozzle_number: int) -> Order: ...


def under_run_fen(order: Order, fill: PumpTransaction | None) -> int:
    """What the mini program should give back: prepaid less what the fill took (all of it when no fill
    is known to this till; the backend checks against its own record of the fill)."""
    fuelled = fill.amount_fen if fill is not None and fill.id == order.transaction_id else 0
    return max(order.prepaid_fen - fuelled, 0)


def _utc_now() -> datetime:
    return datetime.now(UTC)


def lock_needs_backend(cause: PosError) -> PosError:
    return PosError(
        "lock_needs_backend",
        "无法锁定挂单 / Cannot lock the sale",
        "后台连接中断，恢复后再结算此挂单 / The backend is unreachable: settle this fill once it is back.",
        {"cause": cause.code},
    )


def lock_expired(transaction_id: str, cause: PosError) -> PosError:
    """The lock ran out while tendering and another till took the fill: its message names who."""
    return PosError(
        "lock_expired",
        "锁定已过期 / Lock expired",
        f"锁定已过期，{cause.message}",
        {"transaction_id": transaction_id, **cause.detail},
    )


def lock_lost(transaction_id: str, cause: PosError) -> PosError:
    """A renewal found the fill held by another till (ours ran out unrenewed): its message names who."""
    return PosError(
        "lock_lost",
        "锁定已失效 / Lock lost",
        f"{cause.message}\n请勿收款，按 Esc 返回 / Do not take the money: press Esc to go back.",
        {"transaction_id": transaction_id, **cause.detail},
    )


@dataclass(frozen=True, slots=True)
class Settling:
    """A fill this till holds for the sale being tendered.

    ``granted_at`` is when this till heard the lock granted (its own clock), so the renewal pace follows
    the backend's own TTL; ``lost`` marks a lock a renewal was refused: settling asks the backend again.
    """

    transaction: PumpTransaction
    staff: StaffMember
    granted_at: datetime | None = None
    lost: bool = False

    @property
    def lock_expires_at(self) -> datetime | None:
        return self.transaction.lock_expires_at

    def mark_lost(self) -> Settling:
        return replace(self, lost=True)


def renewal_interval(settling: Settling) -> timedelta | None:
    """How often to renew while tendering: a third of the time the backend granted, as this till saw it
    (the same clock the settle-time check compares with); None when there is no lock to renew."""
    expires, granted = settling.lock_expires_at, settling.granted_at
    if expires is None or granted is None:
        return None
    return min(max((expires - granted) / RENEWALS_PER_LOCK, MIN_RENEWAL_INTERVAL), MAX_RENEWAL_INTERVAL)


@dataclass(frozen=True, slots=True)
class SettledSale:
    sale: Sale
    outbox_entry: OutboxEntry

    @property
    def change_fen(self) -> int:
        return self.sale.change_fen

    @property
    def opens_drawer(self) -> bool:
        return self.sale.settlement.opens_drawer


@dataclass(frozen=True, slots=True)
class QueuedRefund:
    refund_id: str
    parts: tuple[RefundPart, ...]
    outbox_entry: OutboxEntry

    @property
    def amount_fen(self) -> int:
        return sum(part.amount_fen for part in self.parts)


def draft_sale(
    settling: Settling, member: Member | None, now: datetime, new_id: Callable[[], str] | None = None
) -> Sale:
    """The draft sale for a locked fill, with the member attached when there is one."""
    sale_id = (new_id or (lambda: str(uuid.uuid4())))()
    sale = Sale.start(sale_id, settling.staff.staff_no, now).with_fuel(
        FuelItem.from_transaction(settling.transaction)
    )
    return sale.attach_member(member) if member is not None else sale


def checkout(sale: Sale, tenders: Sequence[Tender], now: datetime) -> Sale:
    """Tender ``sale`` with ``tenders`` and complete it; TenderRefused / InsufficientBalance when they do
    not settle it. Pure: the UI calls it to refuse at once, the desk again before recording."""
    if not tenders:
        raise InvalidValue("请选择付款方式 / choose how the customer pays")
    tendering = sale if sale.state is SaleState.TENDERING else sale.begin_tender()
    for tender in tenders:
        tendering = tendering.add_tender(tender)
    return tendering.complete(now)


class SettlementDesk:
    """The counter's use cases over the backend (direct calls) and the outbox (everything recorded)."""

    def __init__(
        self,
        backend: OrderCounterBackend,
        journal: SaleJournal,
        refunds: RefundJournal,
        clock: Callable[[], datetime] = _utc_now,
        new_id: Callable[[], str] | None = None,
        voids: VoidJournal | None = None,
    ) -> None:
        self._backend = backend
        self._journal = journal
        self._refunds = refunds
        self._voids = voids  # the till's copy of each void, for an offline shift report
        self._clock = clock
        self._new_id = new_id or (lambda: str(uuid.uuid4()))

    # -- locking ---------------------------------------------------------------------------------------

    def select(self, transaction_id: str, staff: StaffMember) -> Settling:
        """Lock the fill to this till; ``transaction_locked`` names the other till and staff member."""
        require(staff.role, Permission.SELL)
        try:
            locked = self._backend.lock_transaction(transaction_id)
        except PosError as error:
            if error.code in LINK_DOWN_CODES:
                raise lock_needs_backend(error) from error
            raise
        if locked.order_id is not None:
            self.cancel(Settling(locked, staff))
            raise InvalidValue(f"挂单 {transaction_id} 已由小程序预付 / prepaid in the mini program")
        log.info("locked transaction %s for staff %s", transaction_id, staff.staff_no)
        return Settling(locked, staff, self._clock())

    def renew(self, settling: Settling) -> Settling | None:
        """Extend the lock while the tender screen is open (the holder locking again extends it).

        None when the link is down: logged, the next tick tries again and the settle-time rules decide
        at the end. Another till holding the fill raises ``lock_lost`` naming it; any other refusal
        (settled, voided, signed out) is raised as the backend gave it.
        """
        transaction_id = settling.transaction.id
        try:
            renewed = self._backend.lock_transaction(transaction_id)
        except PosError as error:
            if error.code in LINK_DOWN_CODES:
                log.info("lock renewal of %s failed (%s): retried next tick", transaction_id, error.code)
                return None
            if error.code == "transaction_locked":
                raise lock_lost(transaction_id, error) from error
            raise
        log.debug("lock on %s renewed until %s", transaction_id, renewed.lock_expires_at)
        return Settling(renewed, settling.staff, self._clock())

    def cancel(self, settling: Settling) -> bool:
        """Release the lock; False when the backend could not be told (the lock then runs out)."""
        try:
            self._backend.unlock_transaction(settling.transaction.id)
        except PosError as error:
            log.info("unlock of %s failed (%s): it runs out", settling.transaction.id, error.code)
            return False
        return True

    def _ensure_lock(self, settling: Settling) -> Settling:
        """Take the lock again when it ran out while the customer paid, or a renewal was refused;
        offline, the backend decides, unless a renewal already found the fill lost to another till."""
        expires = settling.lock_expires_at
        if not settling.lost and (expires is None or self._clock() < expires):
            return settling
        try:
            relocked = self._backend.lock_transaction(settling.transaction.id)
        except PosError as error:
            if error.code == "transaction_locked":
                raise lock_expired(settling.transaction.id, error) from error
            if error.code in LINK_DOWN_CODES:
                if settling.lost:  # known lost: recording blind could sell the fill twice
                    raise lock_needs_backend(error) from error
                log.info("lock of %s ran out while offline: recording anyway", settling.transaction.id)
                return settling
            raise
        return Settling(relocked, settling.staff, self._clock())

    # -- settling --------------------------------------------------------------------------------------

    def settle(self, settling: Settling, sale: Sale, tenders: Sequence[Tender]) -> SettledSale:
        """Complete and record the sale (local record + outbox in one transaction)."""
        require(settling.staff.role, Permission.SELL)
        if sale.fuel is None or sale.fuel.transaction_id != settling.transaction.id:
            raise InvalidValue("the sale is not for the locked transaction")
        self._ensure_lock(settling)
        completed = checkout(sale, tenders, self._clock())
        body = completed.to_sale_body()
        entry = self._journal.record_sale(completed.sale_id, completed.created_at, completed.staff_no, body)
        log.info("sale %s recorded (outbox %d)", completed.sale_id, entry.id)
        return SettledSale(completed, entry)

    def complete_order(self, order: Order, staff: StaffMember) -> Order:
        require(staff.role, Permission.SELL)
        return self._backend.complete_order(order.id)

    def request_order_refund(self, order: Order, amount_fen: int, reason: str, staff: StaffMember) -> Order:
        """Under-run (or an order nobody will fuel): ask the mini program to refund ``amount_fen``."""
        require(staff.role, Permission.SELL)
        reason = reason.strip()
        if not reason:
            raise InvalidValue("请填写退款原因 / give a reason for the refund")
        if len(reason) > MAX_REASON_LENGTH:
            raise InvalidValue(f"退款原因过长 / the reason is longer than {MAX_REASON_LENGTH} characters")
        if amount_fen < 1:
            raise InvalidValue("退款金额须大于零 / the refund must be more than zero")
        if amount_fen > order.prepaid_fen:
            raise InvalidValue(
                f"退款超过预付金额 {format_fen(order.prepaid_fen)} / more than was prepaid",
                {"prepaid_fen": order.prepaid_fen, "wanted_fen": amount_fen},
            )
        refunded = self._backend.request_order_refund(order.id, amount_fen, reason)
        log.info("refund of %d fen requested for order %s by %s", amount_fen, order.id, staff.staff_no)
        return refunded

    def rebind_order(self, order: Order, nozzle_number: int, staff: StaffMember) -> Order:
        """Wrong nozzle: bind the order to ``nozzle_number`` (the backend refuses a busy nozzle)."""
        require(staff.role, Permission.SELL)
        if order.exception is not OrderException.WRONG_NOZZLE:
            raise InvalidValue("只有油枪不符的订单可改绑 / only a wrong-nozzle order can be rebound")
        if nozzle_number < 1:
            raise InvalidValue("请输入油枪号 / enter the nozzle number")
        rebound = self._backend.rebind_order(order.id, nozzle_number)
        log.info("order %s rebound to nozzle %d by %s", order.id, nozzle_number, staff.staff_no)
        return rebound

    def void(self, transaction: PumpTransaction, reason: str, staff: StaffMember) -> VoidResult:
        require(staff.role, Permission.VOID)
        reason = reason.strip()
        if not reason:
            raise InvalidValue("请填写作废原因 / give a reason for the void")
        if transaction.state is not TransactionState.LOCKED:
            raise InvalidValue("只能作废已锁定的挂单 / only a locked sale can be voided")
        result = self._backend.void_transaction(transaction.id, reason)
        self._keep_void(transaction, result, staff)
        return result

    def _keep_void(self, transaction: PumpTransaction, result: VoidResult, staff: StaffMember) -> None:
        """The backend committed the void: a failing local copy is logged, never reported as a failed void."""
        if self._voids is None:
            return
        void = LocalVoid(
            transaction.id,
            result.transaction.amount_fen,
            result.cashier_no,
            staff.staff_no,
            staff.name,
            result.reason,
            self._clock(),
        )
        try:
            self._voids.record_void(void)
        except Exception:
            log.exception("void of %s not kept locally", transaction.id)

    # -- refunds ---------------------------------------------------------------------------------------

    def plan_refund(self, sale: LocalSale, amount_fen: int) -> tuple[RefundPart, ...]:
        """Where the money goes back: the last-tendered method first, as the backend does it."""
        return plan_refund(taken_by_method(sale.body), refunded_by_method(sale), amount_fen)

    def refund(self, sale: LocalSale, amount_fen: int, reason: str, staff: StaffMember) -> QueuedRefund:
        require(staff.role, Permission.REFUND)
        reason = reason.strip()
        if not reason:
            raise InvalidValue("请填写退款原因 / give a reason for the refund")
        parts = self.plan_refund(sale, amount_fen)
        refund_id = self._new_id()
        body = {
            "refund_id": refund_id,
            "staff_no": staff.staff_no,
            "reason": reason,
            "amount_fen": amount_fen,
            "tenders": [{"method": p.method.value, "amount_fen": p.amount_fen} for p in parts],
        }
        entry = self._refunds.record_refund(sale.sale_id, staff.staff_no, body)
        log.info("refund %s of sale %s queued (outbox %d)", refund_id, sale.sale_id, entry.id)
        return QueuedRefund(refund_id, parts, entry)


def taken_by_method(body: Mapping[str, Any]) -> dict[TenderMethod, int]:
    """What each method took for a recorded sale body, cash net of change, in tender order."""
    taken: dict[TenderMethod, int] = {}
    for tender in body.get("tenders") or []:
        method = TenderMethod(tender["method"])
        taken[method] = taken.get(method, 0) + int(tender["amount_fen"])
    change = int(body.get("change_fen") or 0)
    if change:
        taken[TenderMethod.CASH] = taken.get(TenderMethod.CASH, 0) - change
    return {method: fen for method, fen in taken.items() if fen > 0}


def refunded_by_method(sale: LocalSale) -> dict[TenderMethod, int]:
    return {TenderMethod(method): fen for method, fen in sale.refunded_by_method.items()}
