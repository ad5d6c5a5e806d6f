"""Two tills (two client instances, two local stores) competing for one payable fill over loopback."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from pos.domain.errors import PosError
from pos.domain.tender import Tender, TenderMethod
from pos.services.ports import StaffMember
from pos.services.settlement import Settling, draft_sale
from pos_backend.server import RunningBackend

from .conftest import Till, backend_sales, make_payable, outbox_states

WANG = StaffMember("1001", "王芳", "cashier")
LI = StaffMember("1002", "李强", "cashier")


def race(tills: list[tuple[Till, StaffMember]], transaction_id: str) -> list[Any]:
    """Both tills press Enter on the same row at the same moment."""
    barrier = threading.Barrier(len(tills))
    outcomes: list[Any] = [None] * len(tills)

    def go(index: int, till: Till, staff: StaffMember) -> None:
        barrier.wait()
        try:
            outcomes[index] = till.desk.select(transaction_id, staff)
        except PosError as error:
            outcomes[index] = error

    threads = [threading.Thread(target=go, args=(i, t, s)) for i, (t, s) in enumerate(tills)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    return outcomes


def cash_sale(till: Till, settling: Settling, given_fen: int) -> None:
    sale = draft_sale(settling, None, settling.transaction.ended_at)
    till.desk.settle(settling, sale, [Tender(TenderMethod.CASH, given_fen)])


def test_exactly_one_till_settles_a_fill_both_try_to_lock(backend: RunningBackend, till_factory: Any) -> None:
    front1, front2 = till_factory("前台1", ("1001", "1111")), till_factory("前台2", ("1002", "2222"))
    transaction_id = make_payable(backend, nozzle_number=3)
    outcomes = race([(front1, WANG), (front2, LI)], transaction_id)
    winners = [o for o in outcomes if isinstance(o, Settling)]
    losers = [o for o in outcomes if isinstance(o, PosError)]
    assert len(winners) == 1 and len(losers) == 1
    assert losers[0].code == "transaction_locked"
    winner_till = front1 if isinstance(outcomes[0], Settling) else front2
    loser_till, loser_staff = (front2, LI) if winner_till is front1 else (front1, WANG)
    holder = winners[0].transaction.locked_by
    assert holder is not None and holder.till_name in losers[0].message  # the loser hears who holds it

    cash_sale(winner_till, winners[0], 30_000)
    assert winner_till.drainer.drain_until_idle() is None
    with pytest.raises(PosError) as again:
        loser_till.desk.select(transaction_id, loser_staff)
    assert again.value.code == "transaction_cleared"
    settled = [s for s in backend_sales(front1.client) if s["transaction_id"] == transaction_id]
    assert len(settled) == 1 and settled[0]["tenders"] == [{"method": "cash", "amount_fen": 30_000}]


def test_two_tills_recording_the_same_fill_offline_one_is_refused(
    backend: RunningBackend, till_factory: Any
) -> None:
    """No lock (each till thought itself alone): the backend accepts the first sale, refuses the second."""
    front1, front2 = till_factory("前台1"), till_factory("前台2", ("1002", "2222"))
    transaction_id = make_payable(backend, nozzle_number=5)
    fill = next(t for t in front1.client.snapshot().transactions if t.id == transaction_id)
    cash_sale(front1, Settling(fill, WANG), fill.amount_fen)
    cash_sale(front2, Settling(fill, LI), fill.amount_fen)
    front1.drainer.drain_until_idle()
    front2.drainer.drain_until_idle()
    assert outbox_states(front1.store) == [("/api/v1/sales", "acked")]
    assert outbox_states(front2.store) == [("/api/v1/sales", "rejected")]
    with front2.store.read() as conn:
        reason = conn.exec_driver_sql("SELECT response_body FROM outbox").scalar_one()
    assert "transaction_cleared" in reason
    assert len([s for s in backend_sales(front1.client) if s["transaction_id"] == transaction_id]) == 1
