"""The event follower writing into the local store, against the real backend on loopback."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from pos.domain.errors import PosError
from pos.services.ports import ConnectionState, ConnectionStatus, EventBatch, StationSnapshot
from pos.sync.cache import StationCache
from pos.sync.client import BackendClient
from pos.sync.follower import EventFollower
from pos.sync.store import LocalStore
from pos_backend.simulator import Simulator


def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.01)


class RecordingCache(StationCache):
    """The real cache, remembering which seqs each apply_batch call actually applied."""

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


class Heard:
    """What the UI side would hear through the bridge."""

    def __init__(self) -> None:
        self.snapshots: list[StationSnapshot] = []
        self.batches: list[EventBatch] = []
        self.states: list[ConnectionStatus] = []


class Running:
    def __init__(self, follower: EventFollower, cache: RecordingCache, heard: Heard) -> None:
        self.follower, self.cache, self.heard = follower, cache, heard


@pytest.fixture
def follow(client: BackendClient) -> Iterator[Callable[..., Running]]:
    started: list[EventFollower] = []

    def start(store: LocalStore, backend: Any = None, min_backoff: float = 0.05) -> Running:
        cache, heard = RecordingCache(store), Heard()
        follower = EventFollower(
            backend or client.twin(),
            heard.snapshots.append,
            heard.batches.append,
            heard.states.append,
            poll_wait_seconds=1,
            min_backoff_seconds=min_backoff,
            max_backoff_seconds=min_backoff * 2,
            cache=cache,
        )
        follower.start()
        started.append(follower)
        return Running(follower, cache, heard)

    yield start
    for follower in started:
        follower.stop(timeout=5)


def newest_seq(client: BackendClient) -> int:
    return client.snapshot().seq


def cache_rows(store: LocalStore) -> dict[str, list[tuple[Any, ...]]]:
    """Every cached object and the stored seq (not the contact time, which each quiet poll moves)."""
    tables = ("cache_grades", "cache_nozzles", "cache_transactions", "cache_orders")
    with store.read() as conn:
        rows = {t: [tuple(row) for row in conn.exec_driver_sql(f"SELECT * FROM {t}")] for t in tables}
        rows["seq"] = [tuple(conn.exec_driver_sql("SELECT last_seq FROM sync_state").one())]
    return rows


def station_view(snapshot: StationSnapshot) -> dict[str, Any]:
    """The parts of a snapshot that events change, as comparable wire dicts."""
    return {
        "seq": snapshot.seq,
        "nozzles": sorted((n.to_wire() for n in snapshot.nozzles), key=lambda n: n["number"]),
        "transactions": sorted((t.to_wire() for t in snapshot.transactions), key=lambda t: t["id"]),
        "orders": sorted((o.to_wire() for o in snapshot.orders), key=lambda o: o["id"]),
    }


def test_resume_after_restart_loses_and_repeats_no_event(
    tmp_path: Path, client: BackendClient, simulator: Simulator, follow: Callable[..., Running]
) -> None:
    path = tmp_path / "till" / "cache.sqlite3"
    first_store = LocalStore(path)
    first = follow(first_store)
    wait_until(lambda: first.cache.snapshots != [])
    simulator.step(40)
    target = newest_seq(client)
    wait_until(lambda: first.cache.last_seq() == target)
    first.follower.stop(timeout=5)
    assert not first.follower.is_running
    first_store.close()

    simulator.step(40)  # the till is off while the forecourt goes on
    target = newest_seq(client)
    second_store = LocalStore(path)  # a new process would open the same file
    second = follow(second_store)
    wait_until(lambda: second.cache.last_seq() == target)

    assert second.cache.snapshots == [] and second.heard.snapshots == [], "resumed, no new snapshot"
    every_event = client.events_after(first.cache.snapshots[0], 0)
    assert every_event.last_seq == target, "the test needs every event in one page"
    applied = first.cache.applied + second.cache.applied
    assert applied == [event.seq for event in every_event.events]  # none lost, none twice, in order
    assert len(applied) > 50
    cached = second.cache.load()
    assert cached is not None
    assert station_view(cached.snapshot) == station_view(client.snapshot())
    second_store.close()


def test_events_gap_replaces_the_cache_with_a_snapshot(
    client: BackendClient, store: LocalStore, simulator: Simulator, follow: Callable[..., Running]
) -> None:
    simulator.step(10)
    StationCache(store).replace_snapshot(client.snapshot())
    with store.write() as conn:  # a cache from a backend since rebuilt: its seq is ahead of the log
        conn.exec_driver_sql("UPDATE sync_state SET last_seq = 1000000")
        conn.exec_driver_sql("INSERT INTO cache_orders (id, state, json) VALUES ('ghost', 'paid', '{}')")
    running = follow(store)
    wait_until(lambda: running.cache.snapshots != [])
    assert running.cache.snapshots[0] == newest_seq(client)
    with store.read() as conn:
        ghosts = conn.exec_driver_sql("SELECT count(*) FROM cache_orders WHERE id = 'ghost'").scalar()
    assert ghosts == 0
    assert [s.seq for s in running.heard.snapshots] == running.cache.snapshots


class GarbageOnce(BackendClient):
    """A real client whose next events answer is spoiled by ``spoil`` (once), after the follower
    has applied at least one real batch."""

    def __init__(self, base: BackendClient, spoil: Callable[[dict[str, Any]], None]) -> None:
        twin = base.twin()
        super().__init__(twin.base_url, read_retries=0, device_token=twin._device_token)
        self.spoil = spoil
        self.armed = threading.Event()
        self.spoiled = threading.Event()

    def _request(self, method: str, path: str, **kwargs: Any) -> Any:
        body = super()._request(method, path, **kwargs)
        if path == "/station/events" and self.armed.is_set() and body["events"]:
            self.armed.clear()
            self.spoil(body)
            self.spoiled.set()
        return body


def break_last_event(body: dict[str, Any]) -> None:
    body["events"][-1]["data"]["state"] = "exploded"  # not a nozzle/transaction/order state


def seq_as_text(body: dict[str, Any]) -> None:
    body["events"][0]["seq"] = str(body["events"][0]["seq"])


def drop_last_seq(body: dict[str, Any]) -> None:
    del body["last_seq"]


@pytest.mark.parametrize("spoil", [break_last_event, seq_as_text, drop_last_seq])
def test_a_garbage_answer_fails_the_call_and_leaves_the_cache_untouched(
    client: BackendClient,
    store: LocalStore,
    simulator: Simulator,
    follow: Callable[..., Running],
    spoil: Callable[[dict[str, Any]], None],
) -> None:
    garbage = GarbageOnce(client, spoil)
    running = follow(store, backend=garbage, min_backoff=1.0)
    wait_until(lambda: running.cache.snapshots != [])
    before = cache_rows(store)
    garbage.armed.set()
    simulator.step(20)  # several events: the spoiled page holds good ones before the bad one
    wait_until(garbage.spoiled.is_set)
    wait_until(lambda: any(s.state is not ConnectionState.ONLINE for s in running.heard.states))
    assert cache_rows(store) == before  # nothing of the spoiled page was written
    assert running.heard.batches == [] or all(not b.events for b in running.heard.batches)

    target = newest_seq(client)  # after the backoff the same page is fetched again, intact
    wait_until(lambda: running.cache.last_seq() == target)
    cached = running.cache.load()
    assert cached is not None
    assert station_view(cached.snapshot) == station_view(client.snapshot())


def test_a_failed_cache_write_is_retried_without_losing_the_batch(
    client: BackendClient,
    store: LocalStore,
    simulator: Simulator,
    follow: Callable[..., Running],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    running = follow(store, min_backoff=0.05)
    wait_until(lambda: running.cache.snapshots != [])
    failures = {"left": 2}
    real_apply = StationCache.apply_batch

    def flaky_apply(self: StationCache, batch: EventBatch) -> list[int]:
        if batch.events and failures["left"] > 0:
            failures["left"] -= 1
            raise PosError("local_store_failed", "disk", "full")
        return real_apply(self, batch)

    monkeypatch.setattr(StationCache, "apply_batch", flaky_apply)
    simulator.step(20)
    target = newest_seq(client)
    wait_until(lambda: running.cache.last_seq() == target)
    assert failures["left"] == 0
    cached = running.cache.load()
    assert cached is not None
    assert station_view(cached.snapshot) == station_view(client.snapshot())
