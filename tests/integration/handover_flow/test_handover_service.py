"""The handover use case against the real backend on loopback: cuts while the simulator keeps fuelling,
an offline handover uploaded exactly once after reconnecting, and a second close of a shift refused."""

from __future__ import annotations

import itertools
from typing import Any

from sqlalchemy import select

from pos.domain.cash_count import CashCount
from pos.domain.shift_report import PENDING_UPLOAD
from pos.services.handover import HandoverDraft, SignOff
from pos.services.ports import StaffMember
from pos.services.ports_outbox import OutboxState
from pos.services.sales import SaleLine, SalesRecorder, Tender
from pos.sync.outbox import StoreOutbox
from pos.sync.store import LocalStore
from pos_backend.models import PumpTransaction as T
from pos_backend.simulator import Simulator
from tests.integration.handover_flow.conftest import Till, view_of
from tests.support import Fuelling, RestartableBackend

FLOAT_FEN = 50_000
MANAGER = StaffMember("2001", "张伟", "manager")


def count_of(fen: int) -> CashCount:
    """The drawer holding exactly ``fen``, largest pieces first."""
    pieces = {}
    for value in (10_000, 5_000, 2_000, 1_000, 500, 100, 50, 10):
        pieces[value], fen = divmod(fen, value)
    return CashCount(pieces)


def hand_over(till: Till, draft: HandoverDraft, float_fen: int = FLOAT_FEN) -> Any:
    signoff = SignOff(till.service.verify("1001", "1111"), till.service.verify("1002", "2222"))
    cash = till.service.cash(draft, count_of(draft.figures.totals.cash_expected_fen), "", MANAGER)
    view = view_of(till.client.snapshot())
    return till.service.close(draft, cash, signoff, MANAGER, float_fen, view)


def test_cuts_while_fuelling_lose_no_litre_and_count_none_twice(
    backend: RestartableBackend, till: Till
) -> None:
    assert backend.running is not None
    till.service.open_shift(FLOAT_FEN)
    simulator = Simulator(backend.running.db, seed=7, busy=True)
    drafts: list[HandoverDraft] = []
    with Fuelling(simulator) as fuelling:
        fuelling.wait_until(200.0)
        for _ in range(3):
            draft = till.service.cut(view_of(till.client.snapshot()))  # pumps keep running
            fuelling.wait_until(simulator.sim_time + 60.0)  # fills running at the cut end after it
            closed = hand_over(till, draft)
            assert closed.uploaded and not draft.offline
            drafts.append(draft)
    for draft in drafts:
        assert draft.figures.meters and all(m.difference_ml == 0 for m in draft.figures.meters)
        metered = sum(m.metered_ml for m in draft.figures.meters)
        assert metered == sum(g.volume_ml for g in draft.figures.totals.grades) > 0
    for before, after in itertools.pairwise(drafts):
        assert before.closing is not None and after.opening is not None
        assert before.closing.by_nozzle() == after.opening.by_nozzle()
    with backend.running.db.read() as session:
        for draft in drafts:  # a fill spanning the cut went to the next shift
            spanning = session.scalars(
                select(T.id).where(T.started_at <= draft.cut_at, T.ended_at > draft.cut_at)
            )
            assert not set(spanning) & set(_fill_ids(till, draft))
    first, last = drafts[0], drafts[-1]
    assert first.opening is not None
    total = sum(
        last.closing.by_nozzle()[n].volume_ml - first.opening.by_nozzle()[n].volume_ml
        for n in first.opening.by_nozzle()
    )
    assert total == sum(m.metered_ml for d in drafts for m in d.figures.meters)
    ids = [set(_fill_ids(till, d)) for d in drafts]
    assert all(not a & b for a, b in itertools.combinations(ids, 2))
    assert [doc.kind.value for doc in till.tray.documents] == ["z", "z", "z"]


def _fill_ids(till: Till, draft: HandoverDraft) -> list[str]:
    return [f.id for f in till.ledger.fills_between(draft.shift.opened_at, draft.cut_at)]


def test_offline_handover_uploads_once_after_reconnect(
    backend: RestartableBackend, till: Till, store: LocalStore
) -> None:
    shift = till.service.open_shift(FLOAT_FEN).shift
    line = SaleLine("fuel", "1号油枪 92#汽油", 20_000, quantity_ml=26_954)
    SalesRecorder(StoreOutbox(store)).record("1001", [line], [Tender("cash", 20_000)])
    view = view_of(till.client.snapshot())
    backend.stop()

    draft = till.service.cut(view)
    assert draft.offline and draft.pending_upload
    assert draft.figures.totals.cash_expected_fen == FLOAT_FEN + 20_000
    closed = hand_over_offline(till, draft, view)
    assert not closed.uploaded and PENDING_UPLOAD in closed.report.footer
    assert till.ledger.close_acknowledged(shift.id) is False

    backend.start()
    assert till.drainer.drain_until_idle() is None
    assert till.ledger.close_acknowledged(shift.id) is True
    history = till.client.get_json("/shifts", {"limit": 5})["shifts"]
    closed_remote = next(s for s in history if s["id"] == shift.id)
    assert closed_remote["state"] == "closed" and closed_remote["variance_fen"] == 0
    assert closed_remote["cut_at"] is not None
    events = till.client.get_json("/station/events", {"after": 0, "limit": 1000})["events"]
    closes = [e for e in events if e["type"] == "shift.closed" and e["data"]["id"] == shift.id]
    assert len(closes) == 1

    # the same shift closed again (a second handover of a stale screen): refused by the backend
    record = till.ledger.shift(shift.id)
    assert record is not None and record.shift.state.value == "closed"
    body = {
        "staff_no": "2001",
        "cut_at": closed_remote["cut_at"],
        "counted": {},
        "variance_reason": "again",
        "outgoing_staff_no": "1001",
        "incoming_staff_no": "1002",
        "next_opening_float_fen": 0,
    }
    again = till.ledger.close_shift(record, record, body, "2001")
    till.drainer.drain_until_idle()
    rejected = [e for e in StoreOutbox(store).unsent_and_rejected() if e.idempotency_key == again]
    assert rejected and rejected[0].state is OutboxState.REJECTED
    assert rejected[0].rejection_code == "shift_already_closed"


def hand_over_offline(till: Till, draft: HandoverDraft, view: Any) -> Any:
    """Offline the sign-off PINs are checked against the cached verifiers."""
    signoff = SignOff(till.service.verify("1001", "1111"), till.service.verify("1002", "2222"))
    cash = till.service.cash(draft, count_of(draft.figures.totals.cash_expected_fen), "", MANAGER)
    return till.service.close(draft, cash, signoff, MANAGER, FLOAT_FEN, view)
