"""The first snapshot fetched by a child process (pos.sync.prefetch), against the real backend."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from pos.services.ports import EventBatch, StationSnapshot
from pos.sync.client import BackendClient
from pos.sync.follower import EventFollower
from pos.sync.prefetch import SnapshotPrefetch
from pos_backend.simulator import Simulator
from tests.support import free_port


def test_the_child_brings_the_same_snapshot_the_client_would(client: BackendClient) -> None:
    prefetch = SnapshotPrefetch.start(client)
    assert prefetch is not None
    fetched = prefetch.take()
    assert fetched is not None
    direct = client.snapshot()
    assert fetched.station == direct.station
    assert {n.number for n in fetched.nozzles} == {n.number for n in direct.nozzles}
    assert fetched.seq <= direct.seq
    assert prefetch.take() is None  # once only


def test_a_backend_that_is_not_there_gives_nothing_and_no_error() -> None:
    client = BackendClient(f"http://127.0.0.1:{free_port()}", device_token="t", connect_timeout=1)
    prefetch = SnapshotPrefetch.start(client)
    assert prefetch is not None
    assert prefetch.take() is None


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
    prefetch = SnapshotPrefetch.start(BackendClient(garbage_server, device_token="t"))
    assert prefetch is not None
    assert prefetch.take() is None


def test_the_follower_starts_from_the_prefetched_snapshot_and_misses_no_event(
    client: BackendClient, simulator: Simulator
) -> None:
    prefetch = SnapshotPrefetch.start(client)
    assert prefetch is not None
    snapshots: list[StationSnapshot] = []
    batches: list[EventBatch] = []
    taken: list[StationSnapshot | None] = []

    def first_snapshot() -> StationSnapshot | None:
        taken.append(prefetch.take())
        return taken[-1]

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
