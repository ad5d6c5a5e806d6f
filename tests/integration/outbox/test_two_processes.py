"""One outbox file drained by two processes at once: every record is applied once, in order."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pos.services.ports_outbox import OutboxState
from pos.services.sales import SalesRecorder
from pos.sync.client import BackendClient
from pos.sync.outbox import Outbox, StoreOutbox
from pos.sync.store import LocalStore
from tests.support import RestartableBackend, backend_sales, fuel_sale, local_sale_ids

ROOT = Path(__file__).resolve().parents[3]
RECORDS = 400


@pytest.mark.parametrize(
    ("batch_size", "lease_seconds"),
    [
        (20, 60.0),  # the normal case: the processes take turns at the head of the queue
        (20, 0.0),  # leases that expire at once: both send the same keys concurrently
    ],
)
def test_two_drainers_on_one_file_apply_each_record_once(
    backend: RestartableBackend,
    client: BackendClient,
    store: LocalStore,
    tmp_path: Path,
    batch_size: int,
    lease_seconds: float,
) -> None:
    recorder = SalesRecorder(StoreOutbox(store))
    for n in range(RECORDS):
        fuel_sale(recorder, n)
    env = {**os.environ, "POS_TEST_DEVICE_TOKEN": client._device_token or ""}
    command = [
        sys.executable, "-m", "tests.integration.outbox.drain_worker",
        str(store.path), backend.url, str(batch_size), str(lease_seconds),
    ]  # fmt: skip
    workers = [
        subprocess.Popen(command, cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    for worker in workers:
        assert worker.stdin is not None
        worker.stdin.write("go\n")
        worker.stdin.flush()
    outputs = [worker.communicate(timeout=90)[0] for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0]
    verdicts = [int(output.strip()) for output in outputs]
    assert sum(verdicts) >= RECORDS  # a verdict written twice (same answer, replayed) is harmless
    accepted = backend_sales(client)
    assert [sale["sale_id"] for sale in accepted] == local_sale_ids(store)
    with store.read() as conn:
        assert {entry.state for entry in Outbox().entries(conn)} == {OutboxState.ACKED}
