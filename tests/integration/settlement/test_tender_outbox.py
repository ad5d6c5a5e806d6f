"""A sale tendered while the backend answers 500 is queued, sent later, accepted once; a manager's refund."""

from __future__ import annotations

from typing import Any

import pytest

from pos.domain.tender import Tender, TenderMethod
from pos.services.ports import StaffMember
from pos.services.settlement import draft_sale
from pos_backend import sales as backend_sales_module
from pos_backend.api import sales as sales_api
from pos_backend.server import RunningBackend

from .conftest import backend_sales, make_payable, outbox_states

WANG = StaffMember("1001", "王芳", "cashier")
ZHANG = StaffMember("2001", "张伟", "manager")


def fail_once(monkeypatch: pytest.MonkeyPatch, where: str) -> list[int]:
    """``before``: the backend fails before recording (rolled back); ``after``: it recorded the sale and
    then failed to answer, the worst case for charging twice."""
    calls: list[int] = []
    if where == "before":
        real_record = backend_sales_module.record_sale

        def record(*args: Any, **kwargs: Any) -> Any:
            calls.append(1)
            if len(calls) == 1:
                raise RuntimeError("database hiccup")
            return real_record(*args, **kwargs)

        monkeypatch.setattr(backend_sales_module, "record_sale", record)
    else:
        real_submit = sales_api.submit_sale

        def submit(*args: Any, **kwargs: Any) -> Any:
            outcome = real_submit(*args, **kwargs)
            calls.append(1)
            if len(calls) == 1:
                raise RuntimeError("lost the answer")
            return outcome

        monkeypatch.setattr(sales_api, "submit_sale", submit)
    return calls


@pytest.mark.parametrize("where", ["before", "after"])
def test_a_500_during_tender_queues_the_sale_and_it_is_accepted_once(
    backend: RunningBackend, till_factory: Any, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    till = till_factory("前台1")
    till.drainer.use_batch = where == "before"  # the "after" fault sits on POST /sales itself
    calls = fail_once(monkeypatch, where)
    transaction_id = make_payable(backend, nozzle_number=2)
    settling = till.desk.select(transaction_id, WANG)
    settled = till.desk.settle(settling, draft_sale(settling, None, settling.transaction.ended_at),
                               [Tender(TenderMethod.CASH, 50_000)])  # fmt: skip
    failure = till.drainer.drain_until_idle()
    assert failure is not None and failure.code == "backend_error"
    assert outbox_states(till.store) == [("/api/v1/sales", "pending")]  # kept, not lost
    assert till.drainer.drain_until_idle() is None
    assert outbox_states(till.store) == [("/api/v1/sales", "acked")]
    assert len(calls) == 2
    recorded = [s for s in backend_sales(till.client) if s["transaction_id"] == transaction_id]
    assert [s["sale_id"] for s in recorded] == [settled.sale.sale_id]  # once, never twice


def test_a_manager_refunds_a_completed_sale_with_a_reason(backend: RunningBackend, till_factory: Any) -> None:
    till = till_factory("前台1")
    transaction_id = make_payable(backend, nozzle_number=4, volume_ml=20_000)
    settling = till.desk.select(transaction_id, WANG)
    sale = draft_sale(settling, None, settling.transaction.ended_at)
    till.desk.settle(settling, sale, [Tender(TenderMethod.CARD, 5_000), Tender(TenderMethod.CASH, 20_000)])
    assert till.drainer.drain_until_idle() is None
    [local] = till.journal.recent_sales()
    refund = till.desk.refund(local, 6_000, "油品质量投诉", ZHANG)
    assert till.drainer.drain_until_idle() is None
    with till.store.read() as conn:
        status, body = conn.exec_driver_sql(
            "SELECT response_status, response_body FROM outbox WHERE path LIKE '%/refund'"
        ).one()
    assert status == 201
    assert '"reason":"油品质量投诉"' in body and f'"refund_id":"{refund.refund_id}"' in body
    [after] = till.journal.recent_sales()
    assert after.refundable_fen == local.total_fen - 6_000
    assert [(p.method.value, p.amount_fen) for p in refund.parts] == [("cash", 6_000)]
