"""ConnectivityMonitor: the follower's link and the drainer's rounds combined, with outbox counts."""

from __future__ import annotations

from datetime import timedelta

from pos.domain.errors import PosError
from pos.services.ports import ConnectionState, ConnectionStatus
from pos.services.ports_outbox import Connectivity, OutboxCounts
from pos.sync.connectivity import CONNECTING, ConnectivityMonitor
from pos.sync.drainer import DrainReport
from tests.unit.outbox.conftest import FakeClock


class Counts:
    def __init__(self) -> None:
        self.value = OutboxCounts()

    def counts(self) -> OutboxCounts:
        return self.value

    def unsent_and_rejected(self, limit: int = 500) -> list[object]:
        return []


def failed_round(clock: FakeClock, code: str = "backend_unreachable") -> DrainReport:
    return DrainReport(clock(), error=PosError(code, "t", "m"))


def monitor_with(
    clock: FakeClock, **kwargs: object
) -> tuple[ConnectivityMonitor, Counts, list[Connectivity]]:
    counts = Counts()
    monitor = ConnectivityMonitor(counts, clock=clock, **kwargs)  # type: ignore[arg-type]
    seen: list[Connectivity] = []
    monitor.subscribe(seen.append)
    return monitor, counts, seen


def test_starts_connecting_then_follows_the_follower(clock: FakeClock) -> None:
    monitor, _, seen = monitor_with(clock)
    assert monitor.current.reason == CONNECTING
    monitor.on_follower(ConnectionStatus(ConnectionState.ONLINE, clock()))
    clock.advance(60)
    down_at = clock()
    monitor.on_follower(ConnectionStatus(ConnectionState.OFFLINE, down_at, "backend_unreachable"))
    assert [c.state for c in seen] == [ConnectionState.ONLINE, ConnectionState.OFFLINE]
    assert seen[-1].since == down_at and seen[-1].reason == "backend_unreachable"


def test_drainer_failures_go_degraded_then_offline_and_keep_the_first_since(clock: FakeClock) -> None:
    monitor, counts, _ = monitor_with(clock)
    counts.value = OutboxCounts(pending=3)
    first = clock()
    monitor.on_drain(failed_round(clock))
    assert (monitor.current.state, monitor.current.unsent) == (ConnectionState.DEGRADED, 3)
    for _ in range(2):
        clock.advance(5)
        monitor.on_drain(failed_round(clock))
    assert monitor.current.state == ConnectionState.OFFLINE
    assert monitor.current.since == first


def test_a_5xx_is_degraded_not_offline(clock: FakeClock) -> None:
    monitor, _, _ = monitor_with(clock)
    for _ in range(5):
        monitor.on_drain(failed_round(clock, "backend_error"))
    assert monitor.current.state == ConnectionState.DEGRADED


def test_the_worse_source_wins_until_the_other_proves_the_link_works(clock: FakeClock) -> None:
    monitor, counts, _ = monitor_with(clock, offline_after_failures=1)
    monitor.on_follower(ConnectionStatus(ConnectionState.ONLINE, clock()))
    monitor.on_drain(failed_round(clock))
    assert monitor.current.state == ConnectionState.OFFLINE
    monitor.on_follower(ConnectionStatus(ConnectionState.OFFLINE, clock(), "backend_unreachable"))
    clock.advance(10)
    counts.value = OutboxCounts(acked=5, rejected=1)
    monitor.on_drain(DrainReport(clock(), acked=5))  # the drainer got through after the follower failed
    current = monitor.current
    assert (current.state, current.unsent, current.rejected) == (ConnectionState.ONLINE, 0, 1)


def test_the_link_coming_back_tells_the_drainer(clock: FakeClock) -> None:
    restored: list[bool] = []
    monitor, _, _ = monitor_with(clock, on_link_restored=lambda: restored.append(True))
    monitor.on_follower(ConnectionStatus(ConnectionState.ONLINE, clock()))
    assert restored == []  # the first contact is not a restoration
    monitor.on_follower(ConnectionStatus(ConnectionState.OFFLINE, clock()))
    monitor.on_follower(ConnectionStatus(ConnectionState.ONLINE, clock() + timedelta(seconds=9)))
    assert restored == [True]


def test_count_changes_alone_are_published(clock: FakeClock) -> None:
    monitor, counts, seen = monitor_with(clock)
    monitor.on_follower(ConnectionStatus(ConnectionState.ONLINE, clock()))
    counts.value = OutboxCounts(pending=1)
    monitor.refresh_counts()
    monitor.refresh_counts()  # nothing changed: no second notice
    assert [c.unsent for c in seen] == [0, 1]
