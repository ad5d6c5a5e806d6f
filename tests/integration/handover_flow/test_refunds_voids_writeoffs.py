"""A shift with a cash sale, a cash refund, a void and two write-offs of different kinds: the cash expected
and the report's lines (who, why, amounts, methods, kinds) are the same from the backend's figures online
and from the till's own records offline, and the Z report closed offline carries them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select

from pos.domain.codes import WriteOffKind
from pos.domain.receipt import ReceiptHeader, ShiftReportKind
from pos.domain.shift_report import shift_report
from pos.domain.shift_totals import ShiftTotals
from pos.domain.wire import format_rfc3339
from pos.services.handover import HandoverDraft
from pos.services.ports_writeoff import NewWriteOff
from pos.services.sales import SaleLine, SalesRecorder, Tender
from pos.services.settlement import SettlementDesk
from pos.services.writeoff import redeem_path
from pos.sync.client import BackendClient
from pos.sync.counter import CounterJournal, CounterRoutes
from pos.sync.outbox import StoreOutbox
from pos.sync.shift_extras import StoreVoidJournal
from pos.sync.store import LocalStore
from pos.sync.writeoff_journal import StoreWriteOffJournal
from pos_backend.clock import utc_now
from pos_backend.forecourt import authorize, end_fill, report_progress, set_nozzle_state, start_fill
from pos_backend.models import Nozzle, WriteoffCode
from pos_backend.seed import STATION_ID
from pos_backend.server import RunningBackend
from tests.integration.handover_flow.conftest import Till, view_of
from tests.integration.handover_flow.test_handover_service import FLOAT_FEN, MANAGER, hand_over_offline
from tests.support import RestartableBackend

SALE_FEN = 20_000
REFUND_FEN = 5_000


@dataclass(frozen=True)
class Redeemed:
    code: str
    kind: WriteOffKind
    value_fen: int


def make_payable(backend: RunningBackend, nozzle_number: int, volume_ml: int = 30_150) -> str:
    """One whole fill on a nozzle through the forecourt logic; the payable transaction's id."""
    with backend.db.write() as session:
        nozzle = session.get(Nozzle, (STATION_ID, nozzle_number))
        assert nozzle is not None
        now = utc_now()
        if nozzle.state == "payable":
            set_nozzle_state(session, nozzle, "calling", now)
        authorize(session, nozzle, now)
        start_fill(session, nozzle, now)
        report_progress(session, nozzle, volume_ml, now)
        return end_fill(session, nozzle, now).id


def issued_codes(backend: RunningBackend) -> list[str]:
    """One live code of each of two kinds."""
    with backend.db.read() as session:
        rows = session.execute(
            select(WriteoffCode.code, WriteoffCode.kind).where(
                WriteoffCode.station_id == STATION_ID,
                WriteoffCode.state == "issued",
                WriteoffCode.expires_at > utc_now(),
            )
        ).all()
    first: dict[str, str] = {}
    for code, kind in rows:
        first.setdefault(kind, code)
    assert len(first) >= 2
    return [first[kind] for kind in sorted(first)[:2]]


def redeem_with(client: BackendClient, store: LocalStore, code: str) -> Redeemed:
    """Redeemed as the write-off desk does it: the local record and its outbox record in one write."""
    info = client.get_json(f"/writeoffs/{code}")
    at = datetime.now(UTC)
    record = NewWriteOff(
        str(uuid.uuid4()), code, WriteOffKind(info["kind"]), info["title"], info["value_fen"], at,
        MANAGER.staff_no, MANAGER.name, False,
    )  # fmt: skip
    body = {
        "staff_no": MANAGER.staff_no,
        "redeemed_at": format_rfc3339(at),
        "offline": False,
        "reservation": None,
    }
    StoreWriteOffJournal(store).record(record, redeem_path(code), body)
    return Redeemed(code, record.kind, record.value_fen)


def busy_shift(backend: RestartableBackend, till: Till, store: LocalStore) -> list[Redeemed]:
    """Open a shift; sell for cash, refund part of it in cash, void a locked fill, redeem two codes."""
    assert backend.running is not None
    till.service.open_shift(FLOAT_FEN)
    outbox = StoreOutbox(store)
    line = SaleLine("fuel", "1号油枪 92#汽油", SALE_FEN, quantity_ml=26_954)
    sale_id = SalesRecorder(outbox).record("1001", [line], [Tender("cash", SALE_FEN)]).sale.sale_id
    journal = CounterJournal(outbox)
    desk = SettlementDesk(CounterRoutes(till.client), outbox, journal, voids=StoreVoidJournal(store))
    assert till.drainer.drain_until_idle() is None
    sale = next(s for s in journal.recent_sales() if s.sale_id == sale_id)
    desk.refund(sale, REFUND_FEN, "油品质量投诉", MANAGER)
    locked = till.client.lock_transaction(make_payable(backend.running, nozzle_number=3))
    desk.void(locked, "顾客未付款离开", MANAGER)
    redeemed = [redeem_with(till.client, store, code) for code in issued_codes(backend.running)]
    assert till.drainer.drain_until_idle() is None
    return redeemed


def report_of(draft: HandoverDraft) -> list[str]:
    header = ReceiptHeader("测试站", "前台1", MANAGER.name, draft.cut_at, None)
    report = shift_report(ShiftReportKind.X, header, "1", draft.figures.totals, draft.figures.meters)
    return [line for line in report.footer if line.startswith(("核销", "作废", "退款", "现金退款"))]


def check_extras(totals: ShiftTotals, redeemed: list[Redeemed]) -> None:
    assert totals.cash_expected_fen == FLOAT_FEN + SALE_FEN - REFUND_FEN
    cash = next(m for m in totals.methods if m.method.value == "cash")
    assert (cash.taken_fen, cash.refunded_fen, cash.net_fen) == (SALE_FEN, REFUND_FEN, SALE_FEN - REFUND_FEN)
    [refund] = totals.refunds
    assert (refund.amount_fen, refund.cash_fen) == (REFUND_FEN, REFUND_FEN)
    assert (refund.approval.staff_no, refund.approval.staff_name, refund.approval.reason) == (
        "2001", "张伟", "油品质量投诉",
    )  # fmt: skip
    [void] = totals.voids
    assert (void.approval.staff_name, void.approval.reason, void.cashier_no) == (
        "张伟",
        "顾客未付款离开",
        "2001",
    )
    assert void.amount_fen > 0
    expected = sorted((r.kind, 1, r.value_fen) for r in redeemed)
    assert sorted((w.kind, w.count, w.value_fen) for w in totals.write_offs) == expected


def test_online_and_offline_figures_agree_on_refunds_voids_and_write_offs(
    backend: RestartableBackend, till: Till, store: LocalStore
) -> None:
    redeemed = busy_shift(backend, till, store)
    view = view_of(till.client.snapshot())

    online = till.service.cut(view)
    assert not online.offline
    check_extras(online.figures.totals, redeemed)

    backend.stop()
    offline = till.service.cut(view)
    assert offline.offline
    check_extras(offline.figures.totals, redeemed)
    assert report_of(offline) == report_of(online)
    lines = report_of(online)
    assert any(
        line.startswith("退款 ") and "现金¥50.00" in line and "张伟(2001): 油品质量投诉" in line
        for line in lines
    )
    assert any(
        line.startswith("作废 ") and "收银员2001" in line and "顾客未付款离开" in line for line in lines
    )
    assert "现金退款合计 ¥50.00" in lines
    assert sum(line.startswith("核销 ") for line in lines) == 2

    closed = hand_over_offline(till, offline, view)
    assert closed.report.cash_expected_fen == FLOAT_FEN + SALE_FEN - REFUND_FEN
    assert set(lines) <= set(closed.report.footer)
