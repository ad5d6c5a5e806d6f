from __future__ import annotations

from datetime import timedelta

from pos.domain.handover import STALE_METER_AFTER, BlockerKind, OutboxCounts, TargetKind, handover_check
from pos.domain.order import OrderState
from pos.domain.pump import NozzleState
from pos.domain.transaction import LockHolder, PumpTransaction, TransactionState
from tests.unit.domain.factories import T0, TILL_1, TILL_2, nozzle, order, transaction

NOW = T0 + timedelta(hours=8)
NO_OUTBOX = OutboxCounts(0, 0)


def locked(fill_id: str, holder: LockHolder, expires_in: timedelta, ended_min: int = 470) -> PumpTransaction:
    return transaction(
        id=fill_id,
        state=TransactionState.LOCKED,
        locked_by=holder,
        lock_expires_at=NOW + expires_in,
        ended_at=T0 + timedelta(minutes=ended_min),
    )


def test_nothing_open_means_the_close_may_proceed() -> None:
    check = handover_check(
        [transaction(state=TransactionState.CLEARED, locked_by=TILL_1, lock_expires_at=NOW)],
        [order(state=OrderState.COMPLETED)],
        [nozzle(updated_at=NOW, totalizer_read_at=NOW)],
        NO_OUTBOX,
        "till-1",
        NOW,
    )
    assert check.blockers == ()
    assert check.may_close and not check.pending_upload


def test_blockers_come_in_the_order_staff_should_handle_them() -> None:
    check = handover_check(
        transactions=[
            transaction(id="tx-payable-new", ended_at=T0 + timedelta(minutes=300)),
            transaction(id="tx-payable-old", ended_at=T0 + timedelta(minutes=100)),
            locked("tx-other-till", TILL_2, timedelta(seconds=60)),
            locked("tx-here", TILL_1, timedelta(seconds=60)),
            locked("tx-here-lapsed", TILL_1, timedelta(seconds=-1), ended_min=50),
        ],
        orders=[
            order(
                id="ord-fuelling",
                state=OrderState.FUELLING,
                created_at=T0 + timedelta(minutes=5),
                updated_at=NOW,
            ),
            order(id="ord-paid", state=OrderState.PAID, created_at=T0 + timedelta(minutes=1), updated_at=NOW),
            order(id="ord-cancelled", state=OrderState.CANCELLED),
        ],
        nozzles=[
            nozzle(
                number=7, pump_number=4, state=NozzleState.OFFLINE, totalizer_read_at=NOW - timedelta(hours=1)
            ),
            nozzle(
                number=8, pump_number=4, state=NozzleState.OFFLINE, totalizer_read_at=NOW - timedelta(hours=2)
            ),
            nozzle(
                number=3, state=NozzleState.OFFLINE, totalizer_read_at=NOW - STALE_METER_AFTER
            ),  # not yet stale
            nozzle(
                number=5, state=NozzleState.IDLE, totalizer_read_at=NOW - timedelta(hours=5)
            ),  # online: re-read
        ],
        outbox=OutboxCounts(unacked=3, rejected=1),
        till_id="till-1",
        now=NOW,
    )
    assert [(b.kind, b.target_id) for b in check.blockers] == [
        (BlockerKind.LOCKED_HERE, "tx-here"),
        (BlockerKind.PAYABLE, "tx-here-lapsed"),
        (BlockerKind.PAYABLE, "tx-payable-old"),
        (BlockerKind.PAYABLE, "tx-payable-new"),
        (BlockerKind.PAYABLE, "tx-other-till"),
        (BlockerKind.OPEN_ORDER, "ord-paid"),
        (BlockerKind.OPEN_ORDER, "ord-fuelling"),
        (BlockerKind.STALE_PUMP, "4"),
        (BlockerKind.OUTBOX_REJECTED, "rejected"),
        (BlockerKind.OUTBOX_PENDING, "pending"),
    ]
    assert not check.may_close
    other = check.blockers[4]
    assert "李四" in other.message_zh and "李四" in other.message_en
    assert other.target_kind is TargetKind.TRANSACTION
    pump = check.blockers[7]
    assert pump.target_kind is TargetKind.PUMP
    assert "7、8" in pump.message_zh and "120 min" in pump.message_en


def test_unacknowledged_outbox_allows_the_close_but_marks_pending_upload() -> None:
    check = handover_check([], [], [], OutboxCounts(unacked=2, rejected=0), "till-1", NOW)
    assert [b.kind for b in check.blockers] == [BlockerKind.OUTBOX_PENDING]
    assert check.may_close
    assert check.pending_upload
    assert "2" in check.blockers[0].message_zh
