"""The outbox against the real backend on loopback: outages, lost answers and refusals lose and double
nothing; the backend's own records are the judge."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from pos.domain.errors import PosError
from pos.services.ports_outbox import Connectivity, OutboxEntry, OutboxState
from pos.services.sales import SalesRecorder
from pos.sync.client import BackendClient
from pos.sync.connectivity import OutboxSync, build_outbox_sync
from pos.sync.drainer import Backoff, OutboxDrainer
from pos.sync.outbox import Outbox, StoreOutbox
from pos.sync.store import LocalStore
from tests.support import RestartableBackend, backend_sales, fuel_sale, local_sale_ids


def wait_until(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)


def quick_sync(store: LocalStore, client: BackendClient) -> OutboxSync:
    return build_outbox_sync(
        store, client.twin(), idle_seconds=0.2, backoff=Backoff(0.05, 0.4), batch_read_timeout=10.0
    )


def test_a_burst_of_1000_sales_across_an_outage_is_applied_once_in_order(
    backend: RestartableBackend, client: BackendClient, store: LocalStore
) -> None:
    sync = quick_sync(store, client)
    recorder = SalesRecorder(sync.outbox)
    sync.start()
    try:
        for n in range(1000):
            if n == 300:
                backend.stop()  # mid-burst: the till keeps selling
            if n == 700:
                wait_until(lambda: sync.monitor.current.state.value == "offline", timeout=20)
                assert sync.monitor.current.unsent > 0
                backend.start()
            fuel_sale(recorder, n)
        wait_until(lambda: sync.outbox.counts().unsent == 0)
    finally:
        sync.stop()
    counts = sync.outbox.counts()
    assert (counts.acked, counts.rejected) == (1000, 0)
    accepted = backend_sales(client)
    assert [sale["sale_id"] for sale in accepted] == local_sale_ids(store)
    assert [sale["total_fen"] for sale in accepted] == [10_000 + n for n in range(1000)]
    assert sync.monitor.current.state.value == "online" and sync.monitor.current.unsent == 0


class LosesAnswers:
    """Forwards each post to the backend, then drops every other answer as a cut connection would."""

    def __init__(self, client: BackendClient) -> None:
        self.client = client
        self.calls = 0

    def post_json(
        self, path: str, payload: dict[str, Any], idempotency_key: str, read_timeout: float | None = None
    ) -> Any:
        self.calls += 1
        answer = self.client.post_json(path, payload, idempotency_key, read_timeout)
        if self.calls % 2 == 1:
            raise PosError("backend_unreachable", "t", "connection reset after the backend applied it")
        return answer


def test_an_answer_lost_after_the_backend_applied_it_is_resent_and_replayed(
    client: BackendClient, store: LocalStore
) -> None:
    recorder = SalesRecorder(_journal(store))
    for n in range(30):
        fuel_sale(recorder, n)
    poster = LosesAnswers(client.twin())
    drainer = OutboxDrainer(store, poster, batch_size=7, backoff=Backoff(0.01, 0.02))
    for _ in range(20):
        if drainer.drain_until_idle() is None:
            break
    assert poster.calls > 5
    assert [sale["sale_id"] for sale in backend_sales(client)] == local_sale_ids(store)
    with store.read() as conn:
        entries = list(Outbox().entries(conn))
    assert {e.state for e in entries} == {OutboxState.ACKED}
    assert all(e.response_body and e.response_body["sale_id"] for e in entries)


def test_a_refused_record_is_listed_and_blocks_nothing(client: BackendClient, store: LocalStore) -> None:
    journal = _journal(store)
    recorder = SalesRecorder(journal)
    fuel_sale(recorder, 1)
    fuel_sale(recorder, 2, staff_no="3001")  # an attendant may not sell: 403 role_forbidden
    fuel_sale(recorder, 3)
    assert OutboxDrainer(store, client.twin()).drain_until_idle() is None
    [rejected] = [e for e in journal.unsent_and_rejected() if e.state == OutboxState.REJECTED]
    assert rejected.rejection_code == "role_forbidden" and rejected.response_status == 403
    assert rejected.body["staff_no"] == "3001"
    accepted = backend_sales(client)
    assert [sale["total_fen"] for sale in accepted] == [10_001, 10_003]
    assert journal.counts().unsent == 0 and journal.counts().rejected == 1


def test_the_same_record_enqueued_twice_is_refused_as_a_duplicate(
    client: BackendClient, store: LocalStore
) -> None:
    journal = _journal(store)
    sale_id = fuel_sale(SalesRecorder(journal), 5)
    [entry] = journal.unsent_and_rejected()
    with store.write() as conn:  # a buggy caller queues the same sale again under a new key
        Outbox().enqueue(conn, "POST", entry.path, entry.body, entry.staff_no)
    OutboxDrainer(store, client.twin()).drain_until_idle()
    states = [e.state for e in _all(store)]
    assert states == [OutboxState.ACKED, OutboxState.REJECTED]
    assert _all(store)[1].rejection_code == "sale_duplicate"
    assert [sale["sale_id"] for sale in backend_sales(client)] == [sale_id]


def test_monitor_reports_offline_then_online_while_draining(
    backend: RestartableBackend, client: BackendClient, store: LocalStore
) -> None:
    sync = quick_sync(store, client)
    seen: list[tuple[str, int]] = []
    lock = threading.Lock()

    def remember(connectivity: Connectivity) -> None:
        with lock:
            seen.append((connectivity.state.value, connectivity.unsent))

    sync.monitor.subscribe(remember)
    backend.stop()
    sync.start()
    try:
        recorder = SalesRecorder(sync.outbox)
        for n in range(3):
            fuel_sale(recorder, n)
        wait_until(lambda: sync.monitor.current.state.value == "offline", timeout=20)
        assert sync.monitor.current.unsent == 3
        backend.start()
        wait_until(lambda: sync.monitor.current.unsent == 0, timeout=20)
    finally:
        sync.stop()
    assert ("offline", 3) in seen and seen[-1] == ("online", 0)


def _journal(store: LocalStore) -> StoreOutbox:
    return StoreOutbox(store)


def _all(store: LocalStore) -> list[OutboxEntry]:
    with store.read() as conn:
        return list(Outbox().entries(conn))
