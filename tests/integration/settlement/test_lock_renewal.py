"""Renewing a till's lock over loopback against a backend with a short lock TTL: renewed, the fill stays
this till's past its TTL; left to run out, another till takes it and the next renewal names that till."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from pos.domain.errors import PosError
from pos.domain.tender import Tender, TenderMethod
from pos.services.ports import StaffMember
from pos.services.settlement import Settling, draft_sale, renewal_interval
from pos_backend.clock import utc_now
from pos_backend.server import RunningBackend, start_backend

from .conftest import Till, backend_sales, make_payable, outbox_states

LOCK_TTL_SECONDS = 3.0
WAIT_SECONDS = 30.0
WANG = StaffMember("1001", "王芳", "cashier")
LI = StaffMember("1002", "李强", "cashier")


@pytest.fixture
def backend(backend_url: str) -> Iterator[RunningBackend]:
    running = start_backend(backend_url, lock_ttl_seconds=LOCK_TTL_SECONDS)
    yield running
    running.stop()


def sell_for_cash(till: Till, settling: Settling) -> None:
    sale = draft_sale(settling, None, utc_now())
    till.desk.settle(settling, sale, [Tender(TenderMethod.CASH, settling.transaction.amount_fen)])


def test_a_renewed_lock_outlives_its_ttl_and_settles(backend: RunningBackend, till_factory: Any) -> None:
    front1, front2 = till_factory("前台1"), till_factory("前台2", ("1002", "2222"))
    transaction_id = make_payable(backend, nozzle_number=3)
    settling = front1.desk.select(transaction_id, WANG)
    first_expiry = settling.lock_expires_at
    interval = renewal_interval(settling)
    assert first_expiry is not None and interval is not None
    assert interval <= timedelta(seconds=LOCK_TTL_SECONDS)  # paced by the backend's TTL, not 120 s
    while utc_now() <= first_expiry + timedelta(seconds=1):  # the tender screen's timer, by hand
        time.sleep(interval.total_seconds())
        renewed = front1.desk.renew(settling)
        assert renewed is not None and renewed.lock_expires_at is not None
        assert settling.lock_expires_at is not None and renewed.lock_expires_at > settling.lock_expires_at
        settling = renewed

    with pytest.raises(PosError) as refused:
        front2.desk.select(transaction_id, LI)
    assert refused.value.code == "transaction_locked" and "前台1" in refused.value.message
    sell_for_cash(front1, settling)
    assert front1.drainer.drain_until_idle() is None
    assert outbox_states(front1.store) == [("/api/v1/sales", "acked")]
    assert [s["transaction_id"] for s in backend_sales(front1.client)].count(transaction_id) == 1


def take_when_free(till: Till, transaction_id: str, staff: StaffMember) -> Settling:
    """The other till pressing Enter on the row until the first till's lock has run out."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        try:
            return till.desk.select(transaction_id, staff)
        except PosError as error:
            if error.code != "transaction_locked" or time.monotonic() > deadline:
                raise
        time.sleep(0.2)


def test_a_lock_left_to_run_out_is_lost_and_the_sale_refused(
    backend: RunningBackend, till_factory: Any
) -> None:
    front1, front2 = till_factory("前台1"), till_factory("前台2", ("1002", "2222"))
    transaction_id = make_payable(backend, nozzle_number=5)
    settling = front1.desk.select(transaction_id, WANG)
    take_when_free(front2, transaction_id, LI)  # front1's renewals did not get through

    with pytest.raises(PosError) as lost:
        front1.desk.renew(settling)
    assert lost.value.code == "lock_lost"
    assert "前台2" in lost.value.message and "李强" in lost.value.message
    with pytest.raises(PosError) as refused:
        sell_for_cash(front1, settling.mark_lost())
    assert refused.value.code == "lock_expired" and outbox_states(front1.store) == []
