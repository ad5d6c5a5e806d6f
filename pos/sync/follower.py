"""Follows the station's event stream on a background thread and reports what it gets.

Takes a snapshot, then long-polls events after the last seq. A ``410 events_gap`` means the retained log no
longer reaches back to our seq (or the backend was rebuilt): take a new snapshot. Any other failure backs
off exponentially with jitter (1 s up to 30 s) and moves the reported connection state to degraded, then
offline. The callbacks run on the follower thread; the UI bridge moves them to the GUI thread.

With a ``cache`` the follower starts from the seq stored there (no snapshot after a restart when the log
still reaches back), and writes every snapshot and batch to the cache before it tells anyone: the cache
transaction stores the rows and the new seq together, so a crash can neither lose nor repeat an event.
A cache write that fails counts as a failed call (backoff, then the same page is fetched again).

A till starting up shows the live forecourt before its cache is open (opening it means loading the
database layer): built with ``await_cache=True`` and no cache, the follower delivers at once and holds
the snapshot and batches it delivered; ``attach_cache`` writes them, in order, and from then on the
cache is written before anyone is told, as above.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Protocol

from pos.domain.errors import PosError
from pos.services.ports import (
    ConnectionState,
    ConnectionStatus,
    EventBatch,
    StationBackend,
    StationSnapshot,
)

log = logging.getLogger(__name__)

SnapshotCallback = Callable[[StationSnapshot], None]
EventsCallback = Callable[[EventBatch], None]
ConnectionCallback = Callable[[ConnectionStatus], None]


class FollowerCache(Protocol):
    """Where the follower keeps what it applied (``pos.sync.cache.StationCache``)."""

    def last_seq(self) -> int | None: ...

    def replace_snapshot(self, snapshot: StationSnapshot) -> None: ...

    def apply_batch(self, batch: EventBatch) -> Sequence[int]: ...


class ConnectionFanOut:
    """The follower's connection reports, for listeners that may come later (the outbox monitor is built
    after the first frame): a listener added late first hears the last report. Safe from any thread."""

    def __init__(self, *listeners: ConnectionCallback) -> None:
        self._lock = threading.Lock()
        self._listeners = list(listeners)
        self._last: ConnectionStatus | None = None

    def add(self, listener: ConnectionCallback) -> None:
        with self._lock:  # delivered under the lock, so a late listener never hears reports out of order
            self._listeners.append(listener)
            if self._last is not None:
                listener(self._last)

    def __call__(self, status: ConnectionStatus) -> None:
        with self._lock:
            self._last = status
            for listener in self._listeners:
                listener(status)


# Held for a cache still opening: a few seconds of a station's events. Past this, the held copy is
# dropped and the follower takes a new snapshot once the cache comes, rather than growing without end.
MAX_HELD_EVENTS = 20_000


def _utc_now() -> datetime:
    return datetime.now(UTC)


class EventFollower:
    """One thread, one backend client (requests sessions are not shared across threads)."""

    def __init__(
        self,
        backend: StationBackend,
        on_snapshot: SnapshotCallback,
        on_events: EventsCallback,
        on_connection: ConnectionCallback,
        *,
        poll_wait_seconds: float = 5.0,
        min_backoff_seconds: float = 1.0,
        max_backoff_seconds: float = 30.0,
        offline_after_failures: int = 3,
        clock: Callable[[], datetime] = _utc_now,
        cache: FollowerCache | None = None,
        await_cache: bool = False,
        first_snapshot: Callable[[], StationSnapshot | None] | None = None,
    ) -> None:
        self._backend = backend
        self._first_snapshot = first_snapshot  # fetched by someone else already (pos.sync.prefetch)
        self._cache = cache
        self._cache_lock = threading.Lock()  # attach_cache (any thread) against the loop's writes
        self._holding = cache is None and await_cache
        self._held: list[StationSnapshot | EventBatch] = []  # what was delivered before the cache came
        self._held_events = 0
        self._resnapshot = False
        self._on_snapshot = on_snapshot
        self._on_events = on_events
        self._on_connection = on_connection
        self._poll_wait = poll_wait_seconds
        self._min_backoff = min_backoff_seconds
        self._max_backoff = max_backoff_seconds
        self._offline_after = offline_after_failures
        self._clock = clock
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._seq: int | None = None
        self._failures = 0
        self._failing_since: datetime | None = None
        self._state: ConnectionState | None = None

    # -- lifecycle -------------------------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("EventFollower already started")
        # Daemon: a long-poll in flight must never keep the process alive after the window closed.
        self._thread = threading.Thread(target=self._run, name="event-follower", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 1.0) -> None:
        """Stop delivering at once; wait briefly for the thread (an in-flight long-poll ends by itself)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    @property
    def is_running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def attach_cache(self, cache: FollowerCache) -> None:
        """The cache is open: write what was delivered before it (same order), then keep it current.
        Runs on the caller's thread; the follower's next write waits for it."""
        with self._cache_lock:
            if self._cache is not None:
                raise RuntimeError("the follower already has a cache")
            try:
                for item in self._held:
                    if isinstance(item, EventBatch):
                        cache.apply_batch(item)
                    else:
                        cache.replace_snapshot(item)
            except PosError as error:  # the loop's own writes will fail too, and back off as usual
                log.warning(
                    "cannot write the held station to the cache (%s): taking a new snapshot", error.code
                )
                self._resnapshot = True
            self._held.clear()
            self._cache, self._holding = cache, False

    def _keep(self, item: StationSnapshot | EventBatch) -> None:
        """Write ``item`` to the cache before it is delivered, or hold it for a cache still opening."""
        with self._cache_lock:
            if self._cache is None:
                if self._holding:
                    self._hold(item)
            elif isinstance(item, StationSnapshot):
                self._cache.replace_snapshot(item)
                self._resnapshot = False
            elif self._resnapshot:  # its base never reached the cache: the loop takes a new snapshot
                raise PosError(
                    "cache_no_snapshot", "本地缓存为空 / Cache empty", "events need a snapshot first"
                )
            else:
                self._cache.apply_batch(item)  # rows and seq in one transaction

    def _hold(self, item: StationSnapshot | EventBatch) -> None:
        if isinstance(item, EventBatch):
            if not self._held or not item.events:  # nothing to keep, or its base was dropped (resnapshot)
                return
            self._held_events += len(item.events)
            if self._held_events > MAX_HELD_EVENTS:
                log.warning(
                    "cache still not open after %d events: a new snapshot will fill it", MAX_HELD_EVENTS
                )
                self._held.clear()
                self._resnapshot = True
                return
        else:
            self._held.clear()
            self._held_events = 0
            self._resnapshot = False
        self._held.append(item)

    # -- the loop --------------------------------------------------------------------------------------

    def _run(self) -> None:
        log.info("event follower started")
        self._resume_from_cache()
        while not self._stop.is_set():
            try:
                self._step()
            except PosError as error:
                if self._stop.is_set():  # e.g. the backend went away because we are shutting down
                    break
                if error.code in {"events_gap", "cache_no_snapshot"}:
                    log.info(
                        "no base to resume after seq %s (%s): taking a new snapshot", self._seq, error.code
                    )
                    self._seq = None
                    continue
                self._failed(error)
                self._stop.wait(self._backoff_delay())
        log.info("event follower stopped")

    def _resume_from_cache(self) -> None:
        if self._cache is None:
            return
        try:
            self._seq = self._cache.last_seq()
        except PosError as error:  # unreadable: start from a snapshot, which rewrites the cache
            log.warning("cannot read the cached seq (%s): starting from a snapshot", error.code)
        else:
            log.info("resuming the event stream after cached seq %s", self._seq)

    def _step(self) -> None:
        if self._seq is None:
            snapshot = self._take_first_snapshot() or self._backend.snapshot()
            if self._stop.is_set():
                return
            self._keep(snapshot)
            self._seq = snapshot.seq
            self._succeeded()
            self._on_snapshot(snapshot)
            return
        batch = self._backend.events_after(self._seq, self._poll_wait)
        if self._stop.is_set():
            return
        self._keep(batch)  # before anyone hears of it
        if batch.events:
            self._seq = max(self._seq, max(event.seq for event in batch.events))
        self._succeeded()
        self._on_events(batch)

    def _take_first_snapshot(self) -> StationSnapshot | None:
        take, self._first_snapshot = self._first_snapshot, None
        if take is None:
            return None
        try:
            return take()
        except Exception:  # whatever went wrong there, the follower fetches the snapshot itself
            log.exception("the prefetched snapshot could not be taken")
            return None

    def _backoff_delay(self) -> float:
        """Exponential from the first failure, capped, with full jitter on the upper half."""
        ceiling = min(self._max_backoff, self._min_backoff * 2 ** max(0, self._failures - 1))
        return random.uniform(ceiling / 2, ceiling)

    # -- connection state ------------------------------------------------------------------------------

    def _succeeded(self) -> None:
        self._failures = 0
        self._failing_since = None
        self._report(ConnectionState.ONLINE, self._clock(), "")

    def _failed(self, error: PosError) -> None:
        self._failures += 1
        if self._failing_since is None:
            self._failing_since = self._clock()
        state = ConnectionState.OFFLINE if self._failures >= self._offline_after else ConnectionState.DEGRADED
        log.warning("backend call failed, %d in a row: %s", self._failures, error)
        self._report(state, self._failing_since, error.code)

    def _report(self, state: ConnectionState, since: datetime, reason: str) -> None:
        if state == self._state or self._stop.is_set():
            return
        self._state = state
        self._on_connection(ConnectionStatus(state, since, reason))
