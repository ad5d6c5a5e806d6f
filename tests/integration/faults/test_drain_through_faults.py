"""The outbox drained through the fault proxy: delays, stalls past the read timeout, connections dropped
before and after the backend applied a batch, truncated and garbage answers, 500/502/503. The backend's
own records (``GET /api/v1/sales``, read directly) must hold every sale exactly once, in order."""

from __future__ import annotations

from collections import Counter

import pytest

from pos.domain.errors import PosError
from pos.services.ports_outbox import OutboxEntry, OutboxState
from pos.services.sales import SalesRecorder
from pos.sync.client import BackendClient
from pos.sync.drainer import Backoff, OutboxDrainer
from pos.sync.outbox import Outbox, StoreOutbox
from pos.sync.store import LocalStore
from pos_backend.server import RunningBackend
from tests.integration.faults.conftest import proxied
from tests.integration.faults.proxy import FaultProxy, FaultSchedule
from tests.support import backend_sales, fuel_sale, local_sale_ids

SALES = 300
READ_TIMEOUT = 1.0
MIXED = {
    "pass": 30,
    "delay": 8,
    "stall": 2,
    "drop_request": 8,
    "drop_response": 10,
    "truncate": 8,
    "garbage": 6,
    "schema": 6,
    "status_500": 6,
    "status_502": 8,
    "status_503": 6,
}
# Faults that reach the backend but lose its answer: the till must resend and be replayed, not doubled.
APPLIED_THEN_LOST = {"stall", "drop_response", "truncate", "garbage", "schema", "status_502"}


def outbox_posts(method: str, path: str) -> bool:
    return method == "POST"


@pytest.mark.parametrize(("use_batch", "batch_size", "seed"), [(True, 7, 3), (False, 1, 5)])
def test_sales_drained_through_faults_arrive_once_and_in_order(
    backend: RunningBackend,
    client: BackendClient,
    store: LocalStore,
    use_batch: bool,
    batch_size: int,
    seed: int,
) -> None:
    recorder = SalesRecorder(StoreOutbox(store))
    schedule = FaultSchedule(MIXED, seed, applies=outbox_posts)
    with FaultProxy(backend.port, schedule, stall_seconds=READ_TIMEOUT + 0.5, lifetime_seconds=90) as proxy:
        till = proxied(client, proxy.url, READ_TIMEOUT)
        drainer = OutboxDrainer(store, till, batch_size=batch_size, backoff=Backoff(0.01, 0.02))
        drainer.use_batch = use_batch
        errors: Counter[str] = Counter()
        for n in range(SALES):
            fuel_sale(recorder, n)
            if n % 10 == 9:  # the till sells while it drains
                _drain_round(drainer, errors)
        for _ in range(2000):
            if StoreOutbox(store).counts().unsent == 0:
                break
            _drain_round(drainer, errors)
        till.close()
    seen = Counter(proxy.log.faults())

    assert StoreOutbox(store).counts().unsent == 0
    entries = _entries(store)
    assert len(entries) == SALES and {e.state for e in entries} == {OutboxState.ACKED}
    accepted = backend_sales(client)
    assert [sale["sale_id"] for sale in accepted] == local_sale_ids(store)  # once each, in order
    assert [sale["total_fen"] for sale in accepted] == [10_000 + n for n in range(SALES)]
    bodies = [e.response_body for e in entries]
    assert [b.get("sale_id") for b in bodies if b] == local_sale_ids(store)
    # the schedule really bit: every kind of fault happened, and failures were seen and survived
    assert set(seen) == set(MIXED), seen
    assert sum(seen[f] for f in APPLIED_THEN_LOST) >= 10
    assert errors["bad_response"] > 0 and errors["backend_error"] > 0 and errors["backend_unreachable"] > 0


def _drain_round(drainer: OutboxDrainer, errors: Counter[str]) -> None:
    try:
        error = drainer.drain_until_idle()
    except PosError as unexpected:  # the drainer must turn every fault into a report, never raise
        raise AssertionError(f"drain raised {unexpected.code}") from unexpected
    if error is not None:
        errors[error.code] += 1


def test_a_2xx_that_is_not_the_backends_answer_is_not_taken_as_an_ack(
    backend: RunningBackend, client: BackendClient, store: LocalStore
) -> None:
    """A middlebox (captive portal, misrouted gateway) answering 201 with some other JSON, the request never
    having reached the backend: acking it would lose the sale for good."""
    sale_id = fuel_sale(SalesRecorder(StoreOutbox(store)), 1)
    with FaultProxy(backend.port, FaultSchedule({"fake_ok": 1}, 1), lifetime_seconds=30) as proxy:
        till = proxied(client, proxy.url, READ_TIMEOUT)
        drainer = OutboxDrainer(store, till, backoff=Backoff(0.01, 0.02))
        drainer.use_batch = False
        drainer.drain_once()
        till.close()
    assert backend_sales(client) == []  # the proxy kept the request to itself
    [entry] = _entries(store)
    assert entry.state is not OutboxState.ACKED, f"sale {sale_id} marked acked but never reached the backend"
    drainer = OutboxDrainer(store, client, backoff=Backoff(0.01, 0.02))  # the link straight again
    drainer.use_batch = False
    drainer.drain_until_idle()
    assert [sale["sale_id"] for sale in backend_sales(client)] == [sale_id]
    assert _entries(store)[0].state is OutboxState.ACKED


def _entries(store: LocalStore) -> list[OutboxEntry]:
    with store.read() as conn:
        return list(Outbox().entries(conn))
