"""Connectivity as a state: the follower's link and the drainer's results, with the outbox counts.

Two sources judge the link: the event follower (a long-poll that fails or works) and the outbox drainer
(its rounds reach the backend, or not). The combined state is the worse of the two; ``since`` is when the
combined state began. Listeners receive a ``Connectivity`` on every change, on whichever thread caused it
(the UI moves it to the GUI thread through its bridge).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pos.domain.errors import PosError
from pos.services.ports import ConnectionState, ConnectionStatus
from pos.services.ports_outbox import Connectivity, OutboxCounts, OutboxReader
from pos.sync.drainer import DrainReport, JsonPoster, OutboxDrainer
from pos.sync.outbox import SqlStore, StoreOutbox, utc_now

log = logging.getLogger(__name__)

ConnectivityListener = Callable[[Connectivity], None]
CONNECTING = "connecting"  # reason shown until any source has an opinion
_SEVERITY = {ConnectionState.ONLINE: 0, ConnectionState.DEGRADED: 1, ConnectionState.OFFLINE: 2}
_LINK_DOWN_CODES = frozenset({"backend_unreachable", "backend_timeout"})


class ConnectivityMonitor:
    """Thread-safe; feed it ``on_follower``, ``on_drain`` and ``refresh_counts`` from any thread."""

    def __init__(
        self,
        outbox: OutboxReader,
        *,
        offline_after_failures: int = 3,
        on_link_restored: Callable[[], None] | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._outbox = outbox
        self._offline_after = offline_after_failures
        self._on_link_restored = on_link_restored
        self._clock = clock
        self._lock = threading.RLock()
        self._listeners: list[ConnectivityListener] = []
        # Each source's latest opinion, with the order in which it arrived (a later success of one source
        # outweighs an older failure of the other: the follower does not repeat itself while backing off).
        self._follower: tuple[ConnectionStatus, int] | None = None
        self._drainer: tuple[ConnectionStatus, int] | None = None
        self._arrivals = 0
        self._drain_failures = 0
        self._counts = OutboxCounts()
        self._current = Connectivity(ConnectionState.DEGRADED, clock(), reason=CONNECTING)

    @property
    def current(self) -> Connectivity:
        with self._lock:
            return self._current

    def subscribe(self, listener: ConnectivityListener) -> None:
        with self._lock:
            self._listeners.append(listener)

    def unsubscribe(self, listener: ConnectivityListener) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    # -- sources ---------------------------------------------------------------------------------------

    def on_follower(self, status: ConnectionStatus) -> None:
        with self._lock:
            was_down = self._follower is not None and self._follower[0].state != ConnectionState.ONLINE
            self._follower = self._arrived(status)
            self._update()
        if was_down and status.state == ConnectionState.ONLINE and self._on_link_restored is not None:
            self._on_link_restored()  # the drainer may be in a long backoff: send now

    def on_drain(self, report: DrainReport) -> None:
        with self._lock:
            self._drainer = self._arrived(self._drain_status(report))
            self._counts = self._read_counts()
            self._update()

    def refresh_counts(self) -> None:
        """Re-read the outbox counts (after an enqueue, or on a timer for other processes' records)."""
        with self._lock:
            self._counts = self._read_counts()
            self._update()

    def _arrived(self, status: ConnectionStatus) -> tuple[ConnectionStatus, int]:
        self._arrivals += 1
        return status, self._arrivals

    def _drain_status(self, report: DrainReport) -> ConnectionStatus:
        error = report.error
        if error is None:
            self._drain_failures = 0
            return ConnectionStatus(ConnectionState.ONLINE, report.at)
        self._drain_failures += 1
        last = self._drainer[0] if self._drainer else None
        since = last.since if last is not None and last.state != ConnectionState.ONLINE else report.at
        link_down = error.code in _LINK_DOWN_CODES and self._drain_failures >= self._offline_after
        state = ConnectionState.OFFLINE if link_down else ConnectionState.DEGRADED
        return ConnectionStatus(state, since, error.code)

    def _read_counts(self) -> OutboxCounts:
        try:
            return self._outbox.counts()
        except PosError as error:  # a busy disk must not silence the status bar: keep the last counts
            log.warning("outbox counts unavailable: %s", error.code)
            return self._counts

    # -- combining -------------------------------------------------------------------------------------

    def _update(self) -> None:
        known = self._effective_opinions()
        previous = self._current
        if not known:
            state, since, reason = previous.state, previous.since, previous.reason
        else:
            worst = max(known, key=lambda s: _SEVERITY[s.state])
            state, reason = worst.state, worst.reason
            same = previous.state == state and previous.reason != CONNECTING
            since = previous.since if same else min(s.since for s in known if s.state == state)
        current = Connectivity(state, since, self._counts.unsent, self._counts.rejected, reason)
        if current == previous:
            return
        self._current = current
        if previous.state != state:
            log.info("connectivity %s (%s)", state.value, reason or "ok")
        for listener in list(self._listeners):
            listener(current)

    def _effective_opinions(self) -> list[ConnectionStatus]:
        """Both opinions, except a failure that a later success of the other source contradicts."""
        opinions = [o for o in (self._follower, self._drainer) if o is not None]
        return [
            status
            for status, arrived in opinions
            if status.state == ConnectionState.ONLINE
            or not any(o.state == ConnectionState.ONLINE and at > arrived for o, at in opinions)
        ]


@dataclass
class OutboxSync:
    """One till's outbox machinery: the store-bound outbox, its drainer thread and the monitor."""

    outbox: StoreOutbox
    drainer: OutboxDrainer
    monitor: ConnectivityMonitor

    def start(self) -> None:
        self.monitor.refresh_counts()
        self.drainer.start()

    def stop(self) -> None:
        self.drainer.stop()


def build_outbox_sync(store: SqlStore, client: JsonPoster, **drainer_options: Any) -> OutboxSync:
    """Wire outbox, drainer and monitor; ``client`` should be the drainer's own twin of the client."""
    outbox = StoreOutbox(store)
    drainer_box: list[OutboxDrainer] = []
    monitor = ConnectivityMonitor(outbox, on_link_restored=lambda: drainer_box[0].retry_now())
    drainer = OutboxDrainer(
        store, client, outbox=outbox.outbox, on_report=monitor.on_drain, **drainer_options
    )
    drainer_box.append(drainer)
    outbox.on_enqueued(drainer.wake)
    outbox.on_enqueued(monitor.refresh_counts)
    return OutboxSync(outbox, drainer, monitor)
