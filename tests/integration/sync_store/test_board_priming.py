"""Start-up: the board shows the cached station at once (stale), then catches up from the cached seq."""

from __future__ import annotations

import queue
import time
from pathlib import Path

from pos.app_features import prime_board_from_cache
from pos.services.ports import EventBatch, StationChange, StationSnapshot
from pos.services.station_board import StationBoard
from pos.sync.cache import StationCache
from pos.sync.client import BackendClient
from pos.sync.follower import EventFollower
from pos.sync.store import LocalStore
from pos_backend.simulator import Simulator


class Changes:
    def __init__(self) -> None:
        self.seen: list[StationChange] = []

    def station_changed(self, change: StationChange) -> None:
        self.seen.append(change)


def test_the_board_starts_from_the_cache_marked_stale_then_resumes(
    tmp_path: Path, client: BackendClient, simulator: Simulator
) -> None:
    store = LocalStore(tmp_path / "cache.sqlite3")
    cache = StationCache(store)
    simulator.step(30)
    cache.replace_snapshot(client.snapshot())  # what a previous run left behind
    cached = cache.load()
    assert cached is not None

    board, changes = StationBoard(), Changes()
    board.subscribe(changes)
    assert prime_board_from_cache(board, cache)
    assert board.is_stale and board.last_contact is None
    assert board.last_seq == cached.snapshot.seq
    assert board.nozzles == {n.number: n for n in cached.snapshot.nozzles}
    assert changes.seen[0].everything and changes.seen[-1].stale

    simulator.step(30)  # the forecourt moved on while the till was off
    delivered: queue.SimpleQueue[StationSnapshot | EventBatch] = queue.SimpleQueue()
    follower = EventFollower(
        client.twin(), delivered.put, delivered.put, lambda status: None, poll_wait_seconds=1, cache=cache
    )
    follower.start()
    target = client.snapshot()
    deadline = time.monotonic() + 10
    try:
        while board.last_seq != target.seq:  # the GUI thread's part, done here by the test
            assert time.monotonic() < deadline, "the board did not catch up"
            try:
                item = delivered.get(timeout=0.1)
            except queue.Empty:
                continue
            assert isinstance(item, EventBatch), "resumed from the cached seq: no snapshot needed"
            board.apply_events(item.events)
    finally:
        follower.stop(timeout=5)
        store.close()
    assert not board.is_stale
    assert board.nozzles == {n.number: n for n in target.nozzles}
    assert board.transactions == {t.id: t for t in target.transactions}
    assert board.orders == {o.id: o for o in target.orders}


def test_an_empty_cache_leaves_the_board_waiting_for_the_backend(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "cache.sqlite3")
    board = StationBoard()
    assert not prime_board_from_cache(board, StationCache(store))
    assert board.last_seq is None and board.nozzles == {}
    store.close()
