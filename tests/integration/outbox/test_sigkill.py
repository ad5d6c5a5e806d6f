"""The till killed with SIGKILL at random moments while it sells and drains, 50 times over one outbox
file: every sale it reported as recorded reaches the backend exactly once, in order, and nothing else does."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from pos.services.ports_outbox import OutboxState
from pos.sync.client import BackendClient
from pos.sync.drainer import OutboxDrainer
from pos.sync.outbox import Outbox
from pos.sync.store import LocalStore
from tests.support import RestartableBackend, backend_sales, local_sale_ids

ROOT = Path(__file__).resolve().parents[3]
KILLS = 50

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX only"),
]


def run_until_killed(command: list[str], env: dict[str, str], rng: random.Random) -> list[str]:
    """Start a till, let it work for a random moment, SIGKILL it; the sale ids it reported."""
    worker = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    assert worker.stdout is not None
    assert worker.stdout.readline() == "ready\n"
    try:
        worker.wait(rng.uniform(0.0, 0.4))
    except subprocess.TimeoutExpired:
        worker.send_signal(signal.SIGKILL)
    output, _ = worker.communicate(timeout=10)  # reaped: no zombie passes for a live lease owner
    assert worker.returncode == -signal.SIGKILL
    complete = output.split("\n")[:-1]  # a line cut by the kill was never reported
    return [line.removeprefix("sold ") for line in complete if line.startswith("sold ")]


def test_fifty_kills_lose_and_double_nothing(
    backend: RestartableBackend, client: BackendClient, store: LocalStore
) -> None:
    rng = random.Random(20261121)
    env = {**os.environ, "POS_TEST_DEVICE_TOKEN": client._device_token or ""}
    command = [sys.executable, "-m", "tests.integration.outbox.till_worker", str(store.path), backend.url]
    reported: list[str] = []
    for _ in range(KILLS):
        reported += run_until_killed(command, env, rng)
    assert len(reported) > KILLS  # the tills did sell between kills
    assert OutboxDrainer(store, client.twin()).drain_until_idle() is None  # the next start drains the rest
    local = local_sale_ids(store)
    assert set(reported) <= set(local)  # every reported sale was durably recorded
    accepted = [sale["sale_id"] for sale in backend_sales(client)]
    assert accepted == local  # each once, in the order sold, and nothing the till does not know
    with store.read() as conn:
        entries = list(Outbox().entries(conn))
    assert len(entries) == len(local)
    assert {entry.state for entry in entries} == {OutboxState.ACKED}
