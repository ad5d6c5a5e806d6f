"""The event follower through the fault proxy while the simulator moves the forecourt: every spoiled answer
(garbage, truncated, cut off, schema-violating, 5xx) is an error for that call and nothing of it reaches the
cache; in the end the cache equals a fresh snapshot and every event was applied once, in order."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from pos.services.ports import ConnectionState, ConnectionStatus, EventBatch, StationSnapshot
from pos.sync.cache import StationCache
from pos.sync.client import BackendClient
from pos.sync.follower import EventFollower
from pos.sync.store import LocalStore
from pos_backend.server import RunningBackend
from pos_backend.simulator import Simulator
from tests.integration.faults.conftest import proxied
from tests.integration.faults.proxy import FaultProxy, FaultSchedule

SPOILING = {
    "pass": 30,
    "delay": 5,
    "drop_request": 5,
    "drop_response": 6,
    "truncate": 6,
    "garbage": 6,
    "schema": 8,
    "status_500": 4,
    "status_502": 4,
    "status_503": 4,
}
SPOILED_BODIES = {"drop_response", "truncate", "garbage", "schema"}


class RecordingCache(StationCache):
    """The real cache, remembering which seqs each apply_batch call applied and each snapshot's seq."""

    def __init__(self, store: LocalStore) -> None:
        super().__init__(store)
        self.applied: list[int] = []
        self.snapshots: list[int] = []

    def apply_batch(self, batch: EventBatch) -> list[int]:
        applied = super().apply_batch(batch)
        self.applied.extend(applied)
        return applied

    def replace_snapshot(self, snapshot: StationSnapshot) -> None:
        super().replace_snapshot(snapshot)
        self.snapshots.append(snapshot.seq)


def wait_until(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)


def station_view(snapshot: StationSnapshot) -> dict[str, Any]:
    """The parts of a snapshot that events change, as comparable wire dicts."""
    return {
        "seq": snapshot.seq,
        "nozzles": sorted((n.to_wire() for n in snapshot.nozzles), key=lambda n: n["number"]),
        "transactions": sorted((t.to_wire() for t in snapshot.transactions), key=lambda t: t["id"]),
        "orders": sorted((o.to_wire() for o in snapshot.orders), key=lambda o: o["id"]),
    }


def every_event_seq(client: BackendClient, after: int) -> list[int]:
    seqs: list[int] = []
    while True:
        batch = client.events_after(after, 0)
        if not batch.events:
            return seqs
        seqs.extend(event.seq for event in batch.events)
        after = batch.last_seq


def follower_calls(method: str, path: str) -> bool:
    return path in ("/api/v1/station/events", "/api/v1/station/snapshot")


def spoiled_event_answers(proxy: FaultProxy) -> Counter[str]:
    with proxy.log.lock:
        return Counter(fault for _m, path, fault in proxy.log.entries if path.endswith("/events"))


def enough_spoiled(proxy: FaultProxy) -> bool:
    seen = spoiled_event_answers(proxy)
    return sum(seen[f] for f in SPOILED_BODIES) >= 10 and all(seen[f] > 0 for f in SPOILED_BODIES)


def test_spoiled_answers_never_reach_the_cache(
    backend: RunningBackend, client: BackendClient, store: LocalStore
) -> None:
    simulator = Simulator(backend.db, seed=11)
    cache = RecordingCache(store)
    states: list[ConnectionStatus] = []
    schedule = FaultSchedule(SPOILING, seed=7, applies=follower_calls)
    with FaultProxy(backend.port, schedule, delay_seconds=0.1, lifetime_seconds=60) as proxy:
        follower = EventFollower(
            proxied(client, proxy.url, read_timeout=5.0),
            lambda _snapshot: None,
            lambda _batch: None,
            states.append,
            poll_wait_seconds=0.3,  # short polls: many calls, so many faults, within seconds
            min_backoff_seconds=0.02,
            max_backoff_seconds=0.05,
            cache=cache,
        )
        follower.start()
        try:
            wait_until(lambda: cache.snapshots != [])
            for step in range(400):  # the forecourt moves while the follower fights the faults
                simulator.step(2)
                time.sleep(0.05)
                if step >= 40 and enough_spoiled(proxy):  # bounded by the step count, not the clock
                    break
            target = client.snapshot().seq
            wait_until(lambda: cache.last_seq() == target)
        finally:
            follower.stop(timeout=5)
    seen = spoiled_event_answers(proxy)

    cached = cache.load()
    assert cached is not None
    assert station_view(cached.snapshot) == station_view(client.snapshot())
    # once each and in order from the snapshot the follower started from (a second snapshot, after an
    # events gap, would restart the count; there is none here)
    assert len(cache.snapshots) == 1
    assert cache.applied == every_event_seq(client, cache.snapshots[0])
    assert len(cache.applied) > 50
    # the schedule really bit the event stream, and the follower noticed
    assert sum(seen[f] for f in SPOILED_BODIES) >= 10, seen
    assert all(seen[f] > 0 for f in SPOILED_BODIES), seen
    assert any(s.state is not ConnectionState.ONLINE for s in states)
