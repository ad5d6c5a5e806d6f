"""The first snapshot fetched by a forked child (pos.sync.prefetch), against the real backend.

The fork happens only in a process without threads, as a till is when it starts; pytest's process has
the backend's server thread, so each prefetch runs in a fresh interpreter, as `pos` runs it.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from pos.services.ports import EventBatch, StationSnapshot
from pos.sync.client import BackendClient
from pos.sync.follower import EventFollower
from pos.sync.prefetch import SnapshotPrefetch
from pos_backend.simulator import Simulator
from tests.support import free_port

PREFETCH_IN_A_FRESH_PROCESS = """
import json, sys
from pos.sync.client import BackendClient
from pos.sync.prefetch import SnapshotPrefetch
url, token = sys.stdin.readline().split()
prefetch = SnapshotPrefetch.start(BackendClient(url, device_token=token, connect_timeout=1))
if prefetch is None:
    print(json.dumps({"started": False}))
else:
    snapshot = prefetch.take()
    seen = None if snapshot is None else {
        "seq": snapshot.seq, "station": snapshot.station.id,
        "nozzles": sorted(n.number for n in snapshot.nozzles),
    }
    print(json.dumps({"started": True, "snapshot": seen, "again": prefetch.take() is not None}))
"""


def run_fresh(script: str, stdin: str) -> subprocess.CompletedProcess[str]:
    """``script`` in a fresh, single-threaded interpreter (as `pos` starts), fed ``stdin``."""
    done = subprocess.run(
        [sys.executable, "-c", script],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": os.getcwd()},
    )
    assert done.returncode == 0, done.stderr
    return done


def prefetch_in_a_fresh_process(url: str, token: str = "token") -> dict[str, Any]:
    done = run_fresh(PREFETCH_IN_A_FRESH_PROCESS, f"{url} {token}\n")
    result: dict[str, Any] = json.loads(done.stdout)
    assert result["started"], "a fresh single-threaded process on Linux forks"
    return result


def test_the_child_brings_the_same_snapshot_the_client_would(client: BackendClient) -> None:
    token = client._device_token  # handed to the fresh process
    assert token is not None
    result = prefetch_in_a_fresh_process(client.base_url, token)
    direct = client.snapshot()
    fetched = result["snapshot"]
    assert fetched is not None
    assert fetched["station"] == direct.station.id
    assert fetched["nozzles"] == sorted(n.number for n in direct.nozzles)
    assert fetched["seq"] <= direct.seq
    assert result["again"] is False  # once only


def test_a_backend_that_is_not_there_gives_nothing_and_no_error() -> None:
    assert prefetch_in_a_fresh_process(f"http://127.0.0.1:{free_port()}")["snapshot"] is None


def test_a_wrong_token_gives_nothing(client: BackendClient) -> None:
    assert prefetch_in_a_fresh_process(client.base_url, "not-a-device-token")["snapshot"] is None


def test_no_fork_once_threads_exist(client: BackendClient) -> None:
    assert threading.active_count() > 1  # the backend fixture serves from a thread of this process
    assert SnapshotPrefetch.start(client) is None


@pytest.fixture
def garbage_server() -> Iterator[str]:
    """Answers every request with a 200 whose body is not the contract."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            with conn:
                conn.recv(65536)
                body = b'{"seq": "not a number", "nozzles": 7}'
                conn.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                    + str(len(body)).encode()
                    + b"\r\nConnection: close\r\n\r\n"
                    + body
                )

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    thread.join(2)
    listener.close()


def test_a_garbage_answer_is_refused_like_the_clients_own(garbage_server: str) -> None:
    assert prefetch_in_a_fresh_process(garbage_server)["snapshot"] is None


def test_the_follower_starts_from_a_snapshot_handed_to_it_and_misses_no_event(
    client: BackendClient, simulator: Simulator
) -> None:
    early = client.snapshot()  # what the child would have handed over
    snapshots: list[StationSnapshot] = []
    batches: list[EventBatch] = []
    taken: list[StationSnapshot | None] = []

    def first_snapshot() -> StationSnapshot | None:
        taken.append(early)
        return early

    follower = EventFollower(
        client.twin(), snapshots.append, batches.append, lambda _s: None,
        poll_wait_seconds=1, first_snapshot=first_snapshot,
    )  # fmt: skip
    follower.start()
    try:
        deadline = time.monotonic() + 20
        while not snapshots and time.monotonic() < deadline:
            time.sleep(0.01)
        simulator.step(30)
        newest = client.snapshot().seq
        while (max((b.last_seq for b in batches), default=0) < newest) and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        follower.stop(timeout=5)
    assert len(taken) == 1 and taken[0] is not None
    assert snapshots == [taken[0]]  # the child's: the follower did not ask again
    seqs = [event.seq for batch in batches for event in batch.events]
    assert seqs == sorted(seqs) and seqs[0] == snapshots[0].seq + 1 and seqs[-1] == newest
    assert len(seqs) == len(set(seqs)) == newest - snapshots[0].seq


CANCEL_WHILE_TAKING = """
import os, sys, threading, time
from pos.sync.client import BackendClient
from pos.sync.prefetch import SnapshotPrefetch
url = sys.stdin.readline().strip()
prefetch = SnapshotPrefetch.start(BackendClient(url, device_token="t", read_timeout=30))
taken = []
taker = threading.Thread(target=lambda: taken.append(prefetch.take()))
taker.start()
time.sleep(0.5)  # the child waits on a backend that never answers
prefetch.cancel()
taker.join(5)
print(not taker.is_alive(), taken == [None])  # joined within 5 s of a 30 s read timeout
"""


def test_cancel_stops_a_child_that_take_is_waiting_for() -> None:
    silent = socket.create_server(("127.0.0.1", 0))  # accepts, never answers
    try:
        done = run_fresh(CANCEL_WHILE_TAKING, f"http://127.0.0.1:{silent.getsockname()[1]}\n")
    finally:
        silent.close()
    assert done.stdout.split() == ["True", "True"]
