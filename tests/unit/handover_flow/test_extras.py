"""Refunds, voids and write-offs in the handover: the cash expected loses the cash refunds only, the till's
records are read back per window (refused ones left out, unsent ones on request), the backend's report is
parsed, and the desk keeps a copy of each void it obtained."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from pos.domain.codes import WriteOffKind
from pos.domain.errors import PosError
from pos.domain.refund import Approval, RefundPart
from pos.domain.shift_totals import RefundEntry, ShiftWindow, VoidEntry
from pos.domain.tender import TenderMethod
from pos.services.handover_figures import (
    FillDigest,
    RedeemedCode,
    SalesDigest,
    ShiftExtras,
    totals_from,
)
from pos.services.handover_ports import LocalVoid
from pos.services.ports_writeoff import NewWriteOff
from pos.services.settlement import SettlementDesk
from pos.sync.outbox import Outbox
from pos.sync.shift_extras import StoreVoidJournal
from pos.sync.shift_ledger import StoreShiftLedger
from pos.sync.shift_wire import extras_from_wire
from pos.sync.store import LocalStore
from pos.sync.writeoff_journal import StoreWriteOffJournal
from pos.ui.handover_widgets import adjustment_rows
from tests.unit.settlement.fakes import MANAGER, FakeBackend, FakeJournal, fill

START = datetime(2026, 11, 21, 0, 0, tzinfo=UTC)
END = START + timedelta(hours=8)
WINDOW = ShiftWindow(START, END)
CASH, CARD = TenderMethod.CASH, TenderMethod.CARD


@pytest.fixture
def store(tmp_path: Path) -> Iterator[LocalStore]:
    local = LocalStore(tmp_path / "till.sqlite3")
    yield local
    local.close()


def approval(reason: str, at: datetime) -> Approval:
    return Approval("2001", "张伟", "manager", reason, at)


def cash_sales(fen: int) -> SalesDigest:
    digest = SalesDigest(sales=1, cash_gross_fen=fen)
    digest.method_sales["cash"] += 1
    digest.method_fen["cash"] += fen
    return digest


def test_cash_refunds_leave_the_drawer_other_methods_do_not() -> None:
    inside = START + timedelta(hours=1)
    extras = ShiftExtras(
        voids=(VoidEntry("tx-1", "1001", 22_371, approval("顾客离开", inside)),),
        refunds=(
            RefundEntry(
                "s-1", "r-1", (RefundPart(CASH, 5_000), RefundPart(CARD, 1_000)), approval("多收", inside)
            ),
            RefundEntry("s-2", "r-2", (RefundPart(CASH, 700),), approval("昨天的", START)),  # previous shift
        ),
        redeemed=(
            RedeemedCode("000001", WriteOffKind.COUPON, 1_500, inside),
            RedeemedCode("000002", WriteOffKind.PICKUP, 3_900, inside),
            RedeemedCode("000003", WriteOffKind.PICKUP, 12_800, inside),
            RedeemedCode("000004", WriteOffKind.SERVICE, 2_000, END + timedelta(seconds=1)),  # next shift
        ),
    )
    totals = totals_from(WINDOW, 50_000, cash_sales(30_000), FillDigest(), extras)
    assert totals.cash_expected_fen == 50_000 + 30_000 - 5_000
    by_method = {m.method: (m.taken_fen, m.refunded_fen, m.net_fen) for m in totals.methods}
    assert by_method == {CASH: (30_000, 5_000, 25_000), CARD: (0, 1_000, -1_000)}
    assert [(w.kind, w.count, w.value_fen) for w in totals.write_offs] == [
        (WriteOffKind.COUPON, 1, 1_500),
        (WriteOffKind.PICKUP, 2, 16_700),
    ]
    assert [r.refund_id for r in totals.refunds] == ["r-1"] and len(totals.voids) == 1
    rows = adjustment_rows(totals)
    assert rows[0] == ["核销 优惠券", "1 笔", "¥15.00", ""]
    assert rows[2][:2] == ["作废 tx-1", "收银员 1001"] and rows[2][3] == "张伟(2001): 顾客离开"
    assert rows[3][1] == "现金 ¥50.00 + 银行卡 ¥10.00" and rows[3][2] == "¥60.00"


def test_backend_figures_merged_with_unsent_records_count_each_once() -> None:
    at = START + timedelta(hours=2)
    r1 = RefundEntry("s-1", "r-1", (RefundPart(CASH, 100),), approval("a", at))
    r2 = RefundEntry("s-2", "r-2", (RefundPart(CASH, 200),), approval("b", at))
    code = RedeemedCode("000001", WriteOffKind.COUPON, 1_500, at)
    other = RedeemedCode("000002", WriteOffKind.SERVICE, 2_000, at)
    merged = ShiftExtras((), (r1,), (code,)).merged_with(ShiftExtras((), (r1, r2), (code, other)))
    assert [r.refund_id for r in merged.refunds] == ["r-1", "r-2"]
    assert [w.code for w in merged.redeemed] == ["000001", "000002"]


def _refund_record(store: LocalStore, sale_id: str, at: datetime, state: str, amount: int) -> None:
    body = {"refund_id": str(uuid.uuid4()), "staff_no": "2001", "reason": "多收", "amount_fen": amount,
            "tenders": [{"method": "cash", "amount_fen": amount}]}  # fmt: skip
    with store.write() as conn:
        entry = Outbox(clock=lambda: at).enqueue(
            conn, "POST", f"/api/v1/sales/{sale_id}/refund", body, "2001"
        )
        conn.execute(text("UPDATE outbox SET state = :s WHERE id = :id"), {"s": state, "id": entry.id})


def _write_off(store: LocalStore, code: str, kind: WriteOffKind, fen: int, at: datetime) -> None:
    record = NewWriteOff(str(uuid.uuid4()), code, kind, "券", fen, at, "2001", "张伟", False)
    StoreWriteOffJournal(store).record(record, f"/api/v1/writeoffs/{code}/redeem", {"staff_no": "2001"})


def test_the_till_reads_back_its_own_refunds_voids_and_write_offs(store: LocalStore) -> None:
    inside = START + timedelta(hours=3)
    _refund_record(store, "s-1", inside, "acked", 5_000)
    _refund_record(store, "s-2", inside, "pending", 300)
    _refund_record(store, "s-3", inside, "rejected", 999)  # refused by the backend: never given
    _refund_record(store, "s-4", END + timedelta(minutes=1), "acked", 100)  # next shift
    _write_off(store, "000001", WriteOffKind.COUPON, 1_500, inside)
    _write_off(store, "000002", WriteOffKind.PICKUP, 3_900, START)  # the window's open end: before
    voids = StoreVoidJournal(store)
    voids.record_void(LocalVoid("tx-9", 22_371, "1001", "2001", "张伟", "顾客离开", inside))
    ledger = StoreShiftLedger(store)

    every = ledger.extras_between(START, END)
    assert sorted((r.sale_id, r.amount_fen) for r in every.refunds) == [("s-1", 5_000), ("s-2", 300)]
    assert {r.approval.staff_name for r in every.refunds} == {"2001"}  # no verifier cached: the number
    assert [(w.code, w.kind, w.value_fen) for w in every.redeemed] == [("000001", WriteOffKind.COUPON, 1_500)]
    assert [(v.sale_id, v.cashier_no, v.amount_fen, v.approval.reason) for v in every.voids] == [
        ("tx-9", "1001", 22_371, "顾客离开")
    ]
    unsent = ledger.extras_between(START, END, unsent_only=True)
    assert [r.sale_id for r in unsent.refunds] == ["s-2"] and not unsent.voids
    assert [w.code for w in unsent.redeemed] == ["000001"]  # its outbox record is still pending


def test_the_desk_keeps_a_copy_of_each_void(store: LocalStore) -> None:
    backend = FakeBackend({"tx-1": fill()})
    journal = FakeJournal()
    at = START + timedelta(hours=1)
    desk = SettlementDesk(backend, journal, journal, clock=lambda: at, voids=StoreVoidJournal(store))
    locked = desk.select("tx-1", MANAGER).transaction
    desk.void(locked, " 顾客离开 ", MANAGER)
    [void] = StoreShiftLedger(store).extras_between(START, END).voids
    assert (void.sale_id, void.cashier_no, void.amount_fen) == ("tx-1", "1001", locked.amount_fen)
    assert (void.approval.staff_no, void.approval.reason, void.approval.at) == (
        MANAGER.staff_no,
        "顾客离开",
        at,
    )


def test_the_backend_report_is_parsed_and_a_malformed_one_refused() -> None:
    at = "2026-11-21T09:00:00+08:00"
    report = {
        "voids": [{"transaction_id": "tx-1", "amount_fen": 100, "cashier_no": None, "staff_no": "2001",
                   "staff_name": "张伟", "reason": "顾客离开", "at": at}],
        "refunds": [{"refund_id": "r-1", "sale_id": "s-1", "amount_fen": 300, "staff_no": "2001",
                     "staff_name": None, "reason": "多收", "at": at,
                     "parts": [{"method": "cash", "amount_fen": 200},
                               {"method": "wechat", "amount_fen": 100}]}],
    }  # fmt: skip
    day = {"writeoffs": [{"code": "000001", "kind": "service", "value_fen": 2_000, "redeemed_at": at}]}
    extras = extras_from_wire(report, [day, day])  # two days asked, one redemption
    assert extras.voids[0].cashier_no == "" and extras.voids[0].approval.staff_name == "张伟"
    assert extras.refunds[0].cash_fen == 200 and extras.refunds[0].approval.staff_name == "2001"
    assert [(w.code, w.value_fen) for w in extras.redeemed] == [("000001", 2_000)]
    with pytest.raises(PosError) as refused:
        extras_from_wire({"voids": [], "refunds": [{"refund_id": "r-1"}]}, [])
    assert refused.value.code == "bad_response"
