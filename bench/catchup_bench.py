"""Catch-up figure: the till offline while 50,000 station events accumulate, then reconnected.

Run: ``.venv/bin/python -m bench.catchup_bench [EVENTS]``. The reference backend serves on loopback from a
seeded SQLite file; the till's real LocalStore and StationCache take a snapshot through the real
``EventFollower``, which is then stopped (the till goes offline). The station simulator (rush-hour mode)
is stepped for the first few thousand events, then the pumps' progress reports (the backend's own
``forecourt.report_progress``) fill the log until ``EVENTS`` more events are in it. A new follower on the
same cache file is started (the till reconnects) and the clock runs until the cache holds the backend's
newest seq; the cache is then checked equal to a fresh snapshot. The follower resumes from its stored
seq (long-poll pages of 500, each applied in one transaction); should the log have been pruned past it,
it falls back to a snapshot, and the figure says which path it took.

The backend runs in this process (the simulator writes through its database object), so the figure
includes the backend's own work serving the pages on the same GIL: an upper bound for a till on its own
machine. No target in the issue; printed for the note.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

EVENTS = 50_000


class Recorded:
    """What the follower did: how many events it applied and how many snapshots it took."""

    def __init__(self) -> None:
        self.events = 0
        self.snapshots = 0


def station_view(snapshot: Any) -> dict[str, Any]:
    return {
        "seq": snapshot.seq,
        "nozzles": sorted((n.to_wire() for n in snapshot.nozzles), key=lambda n: n["number"]),
        "transactions": sorted((t.to_wire() for t in snapshot.transactions), key=lambda t: t["id"]),
        "orders": sorted((o.to_wire() for o in snapshot.orders), key=lambda o: o["id"]),
    }


def follower_for(client: Any, cache: Any, recorded: Recorded) -> Any:
    from pos.sync.follower import EventFollower

    def heard_events(batch: Any) -> None:
        recorded.events += len(batch.events)

    def heard_snapshot(_snapshot: Any) -> None:
        recorded.snapshots += 1

    return EventFollower(
        client.twin(),
        heard_snapshot,
        heard_events,
        lambda _status: None,
        poll_wait_seconds=5,
        min_backoff_seconds=0.2,
        max_backoff_seconds=1.0,
        cache=cache,
    )


def wait_for_seq(cache: Any, target: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while cache.last_seq() != target:
        if time.monotonic() > deadline:
            raise RuntimeError(f"cache at seq {cache.last_seq()}, backend at {target} after {timeout:.0f} s")
        time.sleep(0.01)


SIMULATED_EVENTS = 3_000  # the realistic mix (fills, transactions, sales, orders) from the simulator
BULK_TRANSACTION_EVENTS = 2_000


def accumulate(simulator: Any, start_seq: int, events: int) -> tuple[int, float]:
    """The forecourt moves on until ``events`` events followed ``start_seq``; returns the newest seq.

    The first few thousand come from stepping the simulator (every kind of event); the rest are pump
    display progress through the backend's own forecourt function, ``report_progress``, in large write
    transactions, since stepping the simulator 50,000 events far takes minutes.
    """
    started = time.perf_counter()
    newest = start_seq
    while newest - start_seq < min(events, SIMULATED_EVENTS):
        simulator.step(1.0)
        newest = _newest_seq(simulator._db)
    while newest - start_seq < events:
        _progress_events(
            simulator._db, simulator.station_id, min(BULK_TRANSACTION_EVENTS, events - (newest - start_seq))
        )
        newest = _newest_seq(simulator._db)
    return newest, time.perf_counter() - started


def _newest_seq(db: Any) -> int:
    from pos_backend.events import last_seq

    with db.read() as session:
        return int(last_seq(session))


def _progress_events(db: Any, station_id: str, count: int) -> None:
    """``count`` progress reports on the fuelling nozzles (or re-published nozzles when none fuels)."""
    from pos_backend.clock import utc_now
    from pos_backend.forecourt import emit_nozzle, nozzles_of_station, report_progress

    with db.write() as session:
        nozzles = nozzles_of_station(session, station_id)
        fuelling = [n for n in nozzles if n.state == "fuelling"]
        for k in range(count):
            if fuelling:
                nozzle = fuelling[k % len(fuelling)]
                report_progress(session, nozzle, nozzle.current_volume_ml + 10, utc_now())
            else:
                emit_nozzle(session, nozzles[k % len(nozzles)])


def main(events: int = EVENTS) -> None:
    from pos.sync.cache import StationCache
    from pos.sync.client import BackendClient
    from pos.sync.store import LocalStore
    from pos_backend.server import start_backend
    from pos_backend.simulator import Simulator

    with tempfile.TemporaryDirectory(prefix="pos-catchup-") as tmp:
        backend = start_backend(f"sqlite:///{tmp}/backend.sqlite3")
        client = BackendClient(backend.url, read_retries=0, read_timeout=30.0)
        client.pair(backend.issue_activation_code(), "bench")
        store = LocalStore(Path(tmp) / "till" / "till.sqlite3")
        cache = StationCache(store)
        try:
            online = follower_for(client, cache, Recorded())
            online.start()
            wait_for_seq(cache, client.snapshot().seq, 30)
            online.stop(timeout=10)  # the till goes offline
            offline_seq = cache.last_seq()
            assert offline_seq is not None
            simulator = Simulator(backend.db, seed=5, busy=True)
            target, generated_s = accumulate(simulator, offline_seq, events)
            accumulated = target - offline_seq
            print(f"{accumulated:,} events accumulated while offline (generated in {generated_s:.1f} s)")

            recorded = Recorded()
            started = time.perf_counter()
            follower = follower_for(client, cache, recorded)
            follower.start()  # the till reconnects
            wait_for_seq(cache, target, 170)
            elapsed = time.perf_counter() - started
            follower.stop(timeout=10)
            cached = cache.load()
            snapshot = client.snapshot()
            if cached is None or station_view(cached.snapshot) != station_view(snapshot):
                raise RuntimeError("the cache caught up to the seq but does not equal the backend's snapshot")
        finally:
            store.close()
            client.close()
            backend.stop()
    path = f"{recorded.events:,} events applied" + (
        f", {recorded.snapshots} snapshot(s)" if recorded.snapshots else ""
    )
    print(
        f"catch-up: {elapsed:.2f} s from reconnect to a cache equal to the backend's snapshot "
        f"({path}; {recorded.events / elapsed:,.0f} events/s)"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else EVENTS)
