"""In-memory stand-ins for the counter ports, and domain objects for the settlement tests."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from pos.domain.coupon import Coupon
from pos.domain.errors import PosError
from pos.domain.grade import GradeCode
from pos.domain.member import Member, Tier
from pos.domain.order import Order
from pos.domain.transaction import LockHolder, PumpTransaction, TransactionState
from pos.services.counter_ports import CachedStaff, Pickup, VoidResult
from pos.services.ports import StaffMember, StaffSession
from pos.services.ports_outbox import OutboxEntry, OutboxState

T0 = datetime(2026, 11, 21, 6, 0, tzinfo=UTC)
CASHIER = StaffMember("1001", "王芳", "cashier")
MANAGER = StaffMember("2001", "张伟", "manager")
ATTENDANT = StaffMember("3001", "刘洋", "attendant")
HERE = LockHolder("till-1", "前台1", "1001", "王芳")
OTHER = LockHolder("till-2", "前台2", "1002", "李强")


def unreachable() -> PosError:
    return PosError("backend_unreachable", "无法连接后台", "offline")


def fill(**changes: Any) -> PumpTransaction:
    fields: dict[str, Any] = {
        "id": "tx-1",
        "pump_number": 2,
        "nozzle_number": 3,
        "grade": GradeCode.G92,
        "unit_price_fen": 742,
        "volume_ml": 30_000,
        "amount_fen": 22_260,
        "state": TransactionState.PAYABLE,
        "locked_by": None,
        "lock_expires_at": None,
        "started_at": T0,
        "ended_at": T0 + timedelta(minutes=2),
        "order_id": None,
    }
    return PumpTransaction(**{**fields, **changes})


def member(wallet_fen: int = 50_000) -> Member:
    return Member(
        id="m-1",
        card_no="886000000101",
        name="陈静",
        phone="13812345678",
        tier=Tier.GOLD,
        tier_expires_at=T0 + timedelta(days=200),
        wallet_fen=wallet_fen,
        points=100,
        plates=(),
    )


def coupon(
    coupon_id: str = "c-1", threshold: int = 20_000, reduction: int = 1_500, grades: Sequence[str] = ()
) -> Coupon:
    return Coupon(
        coupon_id,
        f"满{threshold // 100}减{reduction // 100}",
        threshold,
        reduction,
        frozenset(GradeCode(g) for g in grades),
        T0 - timedelta(days=1),
        T0 + timedelta(days=30),
    )


@dataclass
class FakeBackend:
    """The direct calls, answering from a dict of transactions; ``fail`` makes the next call raise."""

    transactions: dict[str, PumpTransaction] = field(default_factory=dict)
    holder: LockHolder = HERE
    now: datetime = T0
    fail: PosError | None = None
    calls: list[str] = field(default_factory=list)

    def _maybe_fail(self, call: str) -> None:
        self.calls.append(call)
        if self.fail is not None:
            raise self.fail

    def lock_transaction(self, transaction_id: str) -> PumpTransaction:
        self._maybe_fail(f"lock {transaction_id}")
        locked = self.transactions[transaction_id].lock(self.holder, self.now)
        self.transactions[transaction_id] = locked
        return locked

    def unlock_transaction(self, transaction_id: str) -> PumpTransaction:
        self._maybe_fail(f"unlock {transaction_id}")
        payable = self.transactions[transaction_id].unlock(self.holder)
        self.transactions[transaction_id] = payable
        return payable

    def void_transaction(self, transaction_id: str, reason: str) -> VoidResult:
        self._maybe_fail(f"void {transaction_id}")
        payable = replace(
            self.transactions[transaction_id],
            state=TransactionState.PAYABLE,
            locked_by=None,
            lock_expires_at=None,
        )
        return VoidResult(payable, reason, "1001")

    def complete_order(self, order_id: str) -> Order:
        self._maybe_fail(f"complete {order_id}")
        raise AssertionError("not used")

    def pickups_awaiting(self) -> Sequence[Pickup]:
        self._maybe_fail("pickups")
        return []


@dataclass
class FakeJournal:
    """SaleJournal and RefundJournal: keeps what would be queued, in order."""

    records: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def _entry(self, path: str, body: Mapping[str, Any], staff_no: str) -> OutboxEntry:
        self.records.append((path, dict(body)))
        return OutboxEntry(
            len(self.records), f"k{len(self.records)}", "POST", path, body, staff_no, T0, OutboxState.PENDING
        )

    def record_sale(
        self, sale_id: str, created_at: datetime, staff_no: str, body: Mapping[str, Any]
    ) -> OutboxEntry:
        return self._entry("/api/v1/sales", body, staff_no)

    def record_refund(self, sale_id: str, staff_no: str, body: Mapping[str, Any]) -> OutboxEntry:
        return self._entry(f"/api/v1/sales/{sale_id}/refund", body, staff_no)


@dataclass
class FakeDirectory:
    """StaffDirectory in memory."""

    staff: dict[str, CachedStaff] = field(default_factory=dict)

    def cached_staff(self, staff_no: str) -> CachedStaff | None:
        return self.staff.get(staff_no)

    def record_failure(self, staff_no: str, now: datetime, max_failures: int, lockout_until: datetime) -> int:
        cached = self.staff.get(staff_no)
        if cached is None:
            return 0
        count = cached.failed_count + 1
        locked = lockout_until if count >= max_failures else None
        self.staff[staff_no] = replace(cached, failed_count=0 if locked else count, locked_until=locked)
        return count

    def set_locked_until(self, staff_no: str, until: datetime | None) -> None:
        if staff_no in self.staff:
            self.staff[staff_no] = replace(self.staff[staff_no], failed_count=0, locked_until=until)

    def reset_failures(self, staff_no: str) -> None:
        self.set_locked_until(staff_no, None)


@dataclass
class FakeSignIn:
    """StaffSignInBackend: ``pins`` by staff number, or ``down`` for an unreachable backend."""

    pins: dict[str, str] = field(default_factory=dict)
    people: dict[str, StaffMember] = field(default_factory=dict)
    down: bool = False
    locked: set[str] = field(default_factory=set)

    def sign_in(self, staff_no: str, pin: str) -> StaffSession:
        if self.down:
            raise unreachable()
        if staff_no in self.locked:
            raise PosError(
                "staff_locked_out",
                "locked",
                "locked",
                {"locked_until": (T0 + timedelta(minutes=15)).isoformat()},
            )
        if self.pins.get(staff_no) != pin:
            raise PosError("pin_invalid", "wrong", "wrong")
        return StaffSession(self.people[staff_no], T0 + timedelta(hours=8), "token")

    def sign_out(self) -> None:
        if self.down:
            raise unreachable()
