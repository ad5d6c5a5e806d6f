"""A second till process for the two-drainer test: drains one outbox file until nothing is left.

Run as ``python -m tests.integration.outbox.drain_worker DB_PATH BACKEND_URL BATCH LEASE`` with the device
token in the environment variable POS_TEST_DEVICE_TOKEN (never on a command line). Prints how many
verdicts this process wrote.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from pos.sync.client import BackendClient
from pos.sync.drainer import Backoff, DrainReport, OutboxDrainer
from pos.sync.outbox import StoreOutbox
from pos.sync.store import LocalStore


def main(db_path: str, url: str, batch_size: str, lease_seconds: str) -> int:
    store = LocalStore(Path(db_path))
    client = BackendClient(url, read_retries=0, device_token=os.environ["POS_TEST_DEVICE_TOKEN"])
    verdicts = 0

    def count(report: DrainReport) -> None:
        nonlocal verdicts
        verdicts += report.acked + report.rejected

    drainer = OutboxDrainer(
        store,
        client,
        batch_size=int(batch_size),
        lease_seconds=float(lease_seconds),
        backoff=Backoff(0.01, 0.05),
        on_report=count,
    )
    outbox = StoreOutbox(store)
    sys.stdin.readline()  # both processes start draining at the same moment
    deadline = time.monotonic() + 60
    while outbox.counts().unsent and time.monotonic() < deadline:
        if drainer.drain_until_idle() is not None:
            time.sleep(0.01)
        else:
            time.sleep(0.002)  # the other process holds the head: let it finish its batch
    print(verdicts, flush=True)
    client.close()
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:5]))
