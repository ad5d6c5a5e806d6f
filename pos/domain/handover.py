"""What stands between the station and a shift handover (交班), in the order staff should deal with it.

1. fills locked by this till (a sale in this cashier's hands: finish or release it),
2. payable fills not settled (including ones another till holds, and locks that lapsed),
3. mini-program orders not completed (paid, bound or fuelling),
4. pumps offline whose meter reading is stale (the cut would use an old totalizer),
5. outbox records rejected by the backend, then 6. outbox records not yet acknowledged.

The first four block the close. The outbox kinds do not: the handover completes locally and the report
is marked "pending upload" until the backend has acknowledged everything.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from pos.domain.checks import require_aware, require_int, require_member, require_text
from pos.domain.money import format_fen
from pos.domain.order import Order
from pos.domain.pump import Nozzle, NozzleState
from pos.domain.transaction import PumpTransaction

STALE_METER_AFTER = timedelta(minutes=5)  # an offline pump's last totalizer older than this is stale


class BlockerKind(StrEnum):
    LOCKED_HERE = "locked_here"
    PAYABLE = "payable"
    OPEN_ORDER = "open_order"
    STALE_PUMP = "stale_pump"
    OUTBOX_REJECTED = "outbox_rejected"
    OUTBOX_PENDING = "outbox_pending"

    @property
    def blocks_close(self) -> bool:
        return self not in (BlockerKind.OUTBOX_REJECTED, BlockerKind.OUTBOX_PENDING)


class TargetKind(StrEnum):
    """Where the blocker's button goes."""

    TRANSACTION = "transaction"
    ORDER = "order"
    PUMP = "pump"
    OUTBOX = "outbox"


@dataclass(frozen=True, slots=True)
class Blocker:
    kind: BlockerKind
    message_zh: str
    message_en: str
    target_kind: TargetKind
    target_id: str

    def __post_init__(self) -> None:
        require_member("blocker kind", self.kind, BlockerKind)
        require_text("blocker message_zh", self.message_zh)
        require_text("blocker message_en", self.message_en)
        require_member("blocker target_kind", self.target_kind, TargetKind)
        require_text("blocker target_id", self.target_id, max_length=100)

    @property
    def blocks_close(self) -> bool:
        return self.kind.blocks_close


@dataclass(frozen=True, slots=True)
class OutboxCounts:
    unacked: int  # pending or sent, not yet acknowledged
    rejected: int

    def __post_init__(self) -> None:
        require_int("outbox unacked", self.unacked)
        require_int("outbox rejected", self.rejected)


@dataclass(frozen=True, slots=True)
class HandoverCheck:
    blockers: tuple[Blocker, ...]

    @property
    def may_close(self) -> bool:
        return not any(blocker.blocks_close for blocker in self.blockers)

    @property
    def pending_upload(self) -> bool:
        """The report must say "待上传 / pending upload": the backend has not acknowledged everything."""
        return any(not blocker.blocks_close for blocker in self.blockers)


def _fill_blocker(fill: PumpTransaction, till_id: str, now: datetime) -> Blocker:
    holder = fill.holder_at(now)
    what = f"{fill.nozzle_number}号油枪 {fill.grade.display_name} {format_fen(fill.amount_fen)}"
    what_en = f"nozzle {fill.nozzle_number} {fill.grade.value}# {format_fen(fill.amount_fen)}"
    if holder is not None and holder.till_id == till_id:
        kind, zh, en = BlockerKind.LOCKED_HERE, f"本机正在结算 {what}", f"This till holds {what_en}"
    elif holder is not None:
        kind = BlockerKind.PAYABLE
        zh, en = f"{what} 被 {holder.describe()} 锁定未结", f"{what_en} held unpaid by {holder.describe()}"
    else:
        kind, zh, en = BlockerKind.PAYABLE, f"{what} 待支付", f"{what_en} is unpaid"
    return Blocker(kind, zh, en, TargetKind.TRANSACTION, fill.id)


def _order_blocker(order: Order) -> Blocker:
    prepaid = format_fen(order.prepaid_fen)
    zh = f"小程序订单 {order.order_no} {order.state.label} ({order.nozzle_number}号油枪 {prepaid})"
    en = f"Mini-program order {order.order_no} is {order.state.value} (nozzle {order.nozzle_number})"
    return Blocker(BlockerKind.OPEN_ORDER, zh, en, TargetKind.ORDER, order.id)


def _stale_pump_blockers(nozzles: Iterable[Nozzle], now: datetime, stale_after: timedelta) -> list[Blocker]:
    stale: dict[int, list[Nozzle]] = {}
    for nozzle in nozzles:
        if nozzle.state is NozzleState.OFFLINE and now - nozzle.totalizer_read_at > stale_after:
            stale.setdefault(nozzle.pump_number, []).append(nozzle)
    blockers = []
    for pump in sorted(stale):
        numbers = "、".join(str(n.number) for n in sorted(stale[pump], key=lambda n: n.number))
        oldest = min(n.totalizer_read_at for n in stale[pump])
        minutes = int((now - oldest).total_seconds() // 60)
        zh = f"{pump}号加油机离线，泵码已 {minutes} 分钟未更新 (油枪 {numbers})"
        en = f"Pump {pump} is offline; its meter reading is {minutes} min old (nozzles {numbers})"
        blockers.append(Blocker(BlockerKind.STALE_PUMP, zh, en, TargetKind.PUMP, str(pump)))
    return blockers


def _outbox_blockers(outbox: OutboxCounts) -> list[Blocker]:
    blockers = []
    if outbox.rejected:
        zh = f"{outbox.rejected} 条记录被后台拒收，需店长处理"
        en = f"{outbox.rejected} record(s) rejected by the backend need a manager"
        blockers.append(Blocker(BlockerKind.OUTBOX_REJECTED, zh, en, TargetKind.OUTBOX, "rejected"))
    if outbox.unacked:
        zh = f"{outbox.unacked} 条记录待上传 (可交班，报表标注待上传)"
        en = f"{outbox.unacked} record(s) not yet uploaded (handover allowed, report marked pending upload)"
        blockers.append(Blocker(BlockerKind.OUTBOX_PENDING, zh, en, TargetKind.OUTBOX, "pending"))
    return blockers


def handover_check(
    transactions: Iterable[PumpTransaction],
    orders: Iterable[Order],
    nozzles: Iterable[Nozzle],
    outbox: OutboxCounts,
    till_id: str,
    now: datetime,
    stale_after: timedelta = STALE_METER_AFTER,
) -> HandoverCheck:
    """Every blocker of the station's handover, ordered by kind (the list above), then oldest first."""
    require_aware("now", now)
    open_fills = sorted((t for t in transactions if t.is_open), key=lambda t: (t.ended_at, t.id))
    fill_blockers = [_fill_blocker(fill, till_id, now) for fill in open_fills]
    open_orders = sorted((o for o in orders if o.is_open), key=lambda o: (o.created_at, o.id))
    blockers = [
        *(b for b in fill_blockers if b.kind is BlockerKind.LOCKED_HERE),
        *(b for b in fill_blockers if b.kind is BlockerKind.PAYABLE),
        *(_order_blocker(order) for order in open_orders),
        *_stale_pump_blockers(nozzles, now, stale_after),
        *_outbox_blockers(outbox),
    ]
    return HandoverCheck(tuple(blockers))
