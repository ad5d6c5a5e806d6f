"""EventFollower against an in-memory backend that follows the StationBackend port."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest

from pos.domain.errors import PosError
from pos.services.ports import ConnectionState, ConnectionStatus, EventBatch, StationSnapshot
from pos.sync.follower import ConnectionFanOut, EventFollower
from tests.unit.services.factories import event, nozzle_wire, snapshot


def failure(code: str) -> PosError:
    return PosError(code, "title", "message")


class ScriptedBackend:
    """Answers snapshot/events from scripts; an exception in a script is raised to the follower."""

    def __init__(self, snapshots: list[object], pages: list[object]) -> None:
        self.snapshots = snapshots
        self.pages = pages
        self.event_calls: list[int] = []
        self.lock = threading.Lock()

    def snapshot(self) -> StationSnapshot:
        return self._next(self.snapshots)  # type: ignore[return-value]

    def events_after(self, seq: int, wait_seconds: float) -> EventBatch:
        with self.lock:
            self.event_calls.append(seq)
        if not self.pages:  # nothing scripted: behave like a quiet long-poll
            time.sleep(0.01)
            return EventBatch([], seq)
        return self._next(self.pages)  # type: ignore[return-value]

    def _next(self, script: list[object]) -> object:
        with self.lock:
            item = script.pop(0)
        if isinstance(item, Exception):
            raise item
        return item


class Collector:
    def __init__(self) -> None:
        self.snapshots: list[StationSnapshot] = []
        self.batches: list[EventBatch] = []
        self.states: list[ConnectionStatus] = []

    def wait_for(self, condition: Callable[[], bool], timeout: float = 5.0) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            assert time.monotonic() < deadline, "condition not met in time"
            time.sleep(0.005)


@pytest.fixture
def collector() -> Collector:
    return Collector()


def make_follower(backend: ScriptedBackend, collector: Collector) -> EventFollower:
    return EventFollower(
        backend,  # type: ignore[arg-type]  # the scripted backend implements only what the follower uses
        collector.snapshots.append,
        collector.batches.append,
        collector.states.append,
        poll_wait_seconds=0,
        min_backoff_seconds=0.01,
        max_backoff_seconds=0.04,
        offline_after_failures=3,
    )


@pytest.fixture
def follow(collector: Collector) -> Iterator[Callable[[ScriptedBackend], EventFollower]]:
    started: list[EventFollower] = []

    def start(backend: ScriptedBackend) -> EventFollower:
        follower = make_follower(backend, collector)
        started.append(follower)
        follower.start()
        return follower

    yield start
    for follower in started:
        follower.stop()


def page(*seqs: int) -> EventBatch:
    return EventBatch([event(s, "nozzle.updated", nozzle_wire(1)) for s in seqs], max(seqs))


def test_snapshot_then_events_from_its_seq(
    follow: Callable[..., EventFollower], collector: Collector
) -> None:
    backend = ScriptedBackend([snapshot(5, [nozzle_wire(1)])], [page(6, 7), page(8)])
    follow(backend)
    collector.wait_for(lambda: len(collector.batches) >= 3)
    assert collector.snapshots[0].seq == 5
    assert backend.event_calls[:3] == [5, 7, 8]
    assert collector.states[0].state == ConnectionState.ONLINE


def test_events_gap_takes_a_new_snapshot(follow: Callable[..., EventFollower], collector: Collector) -> None:
    backend = ScriptedBackend(
        [snapshot(5, [nozzle_wire(1)]), snapshot(40, [nozzle_wire(1)])], [failure("events_gap"), page(41)]
    )
    follow(backend)
    collector.wait_for(lambda: len(collector.snapshots) == 2 and len(collector.batches) >= 1)
    assert [s.seq for s in collector.snapshots] == [5, 40]
    assert backend.event_calls[:2] == [5, 40]
    assert [s.state for s in collector.states] == [ConnectionState.ONLINE]  # a gap is not a failure


def test_failures_degrade_then_go_offline_then_recover(
    follow: Callable[..., EventFollower], collector: Collector
) -> None:
    down = [failure("backend_unreachable") for _ in range(4)]
    backend = ScriptedBackend([*down, snapshot(5, [nozzle_wire(1)])], [])
    follow(backend)
    collector.wait_for(lambda: len(collector.states) >= 3)
    states = [s.state for s in collector.states]
    assert states[:3] == [ConnectionState.DEGRADED, ConnectionState.OFFLINE, ConnectionState.ONLINE]
    assert collector.states[0].since == collector.states[1].since  # offline since the first failure
    assert collector.states[1].reason == "backend_unreachable"
    assert collector.snapshots[0].seq == 5


def test_stop_ends_the_thread_promptly(follow: Callable[..., EventFollower], collector: Collector) -> None:
    backend = ScriptedBackend([snapshot(5, [nozzle_wire(1)])], [])
    follower = follow(backend)
    collector.wait_for(lambda: len(backend.event_calls) > 3)
    started = time.monotonic()
    follower.stop(timeout=1.0)
    assert not follower.is_running
    assert time.monotonic() - started < 0.5
    delivered = len(collector.batches)
    time.sleep(0.05)
    assert len(collector.batches) == delivered  # nothing delivered after stop


def test_backoff_grows_and_is_capped(collector: Collector) -> None:
    follower = make_follower(ScriptedBackend([], []), collector)
    delays = []
    for failures in range(1, 8):
        follower._failures = failures
        delays.append(follower._backoff_delay())
    assert all(0.005 <= d <= 0.04 for d in delays)
    assert delays[-1] >= 0.02  # capped at max_backoff, jittered within its upper half


class ListCache:
    """A FollowerCache that records what it was given, in order."""

    def __init__(self) -> None:
        self.written: list[tuple[str, int]] = []

    def last_seq(self) -> int | None:
        return None

    def replace_snapshot(self, snapshot: StationSnapshot) -> None:
        self.written.append(("snapshot", snapshot.seq))

    def apply_batch(self, batch: EventBatch) -> list[int]:
        self.written.append(("batch", batch.last_seq))
        return [e.seq for e in batch.events]


def awaiting_follower(backend: ScriptedBackend, collector: Collector) -> EventFollower:
    return EventFollower(
        backend,  # type: ignore[arg-type]
        collector.snapshots.append,
        collector.batches.append,
        collector.states.append,
        poll_wait_seconds=0,
        min_backoff_seconds=0.01,
        await_cache=True,
    )


def test_a_cache_attached_later_gets_everything_delivered_before_it(collector: Collector) -> None:
    backend = ScriptedBackend([snapshot(5, [nozzle_wire(1)])], [page(6, 7), page(8)])
    follower = awaiting_follower(backend, collector)
    follower.start()
    try:
        collector.wait_for(lambda: len(collector.batches) >= 2)  # delivered with no cache yet
        cache = ListCache()
        follower.attach_cache(cache)
        assert cache.written[:3] == [("snapshot", 5), ("batch", 7), ("batch", 8)]
        collector.wait_for(lambda: len(cache.written) > 3)  # quiet polls now go to the cache first
        assert all(kind == "batch" for kind, _ in cache.written[3:])
        with pytest.raises(RuntimeError):
            follower.attach_cache(ListCache())
    finally:
        follower.stop()


def test_too_much_held_is_dropped_for_a_new_snapshot(
    collector: Collector, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("pos.sync.follower.MAX_HELD_EVENTS", 3)
    backend = ScriptedBackend(
        [snapshot(5, [nozzle_wire(1)]), snapshot(20, [nozzle_wire(1)])], [page(6, 7), page(8, 9)]
    )
    follower = awaiting_follower(backend, collector)
    follower.start()
    try:
        collector.wait_for(lambda: len(collector.batches) >= 3)  # 4 events held: over the limit
        cache = ListCache()
        follower.attach_cache(cache)
        collector.wait_for(lambda: len(collector.snapshots) == 2)
        assert cache.written[0] == ("snapshot", 20)  # nothing stale written; the new snapshot fills it
    finally:
        follower.stop()


def test_without_await_cache_nothing_is_held(collector: Collector) -> None:
    backend = ScriptedBackend([snapshot(5, [nozzle_wire(1)])], [page(6)])
    follower = make_follower(backend, collector)
    follower.start()
    try:
        collector.wait_for(lambda: len(collector.batches) >= 1)
        cache = ListCache()
        follower.attach_cache(cache)
        assert cache.written == []
    finally:
        follower.stop()


def test_a_listener_added_late_first_hears_the_last_report() -> None:
    early: list[ConnectionState] = []
    late: list[ConnectionState] = []
    fan_out = ConnectionFanOut(lambda s: early.append(s.state))
    fan_out(ConnectionStatus(ConnectionState.DEGRADED, datetime.now(UTC), "backend_timeout"))
    fan_out(ConnectionStatus(ConnectionState.ONLINE, datetime.now(UTC)))
    fan_out.add(lambda s: late.append(s.state))
    fan_out(ConnectionStatus(ConnectionState.OFFLINE, datetime.now(UTC), "backend_unreachable"))
    assert early == [ConnectionState.DEGRADED, ConnectionState.ONLINE, ConnectionState.OFFLINE]
    assert late == [ConnectionState.ONLINE, ConnectionState.OFFLINE]
