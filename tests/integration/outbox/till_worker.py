"""A till process for the SIGKILL test: sells and drains at once until it is killed.

``python -m tests.integration.outbox.till_worker DB_PATH BACKEND_URL`` with the device token in
POS_TEST_DEVICE_TOKEN. Prints ``ready`` once started, then ``sold <sale_id>`` after each sale committed:
from that line on the sale counts as accepted by the till, and must reach the backend exactly once.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from pos.services.sales import SaleLine, SalesRecorder, Tender
from pos.sync.client import BackendClient
from pos.sync.drainer import Backoff, OutboxDrainer
from pos.sync.outbox import StoreOutbox
from pos.sync.store import LocalStore


def main(db_path: str, url: str) -> int:
    store = LocalStore(Path(db_path))
    client = BackendClient(url, read_retries=0, device_token=os.environ["POS_TEST_DEVICE_TOKEN"])
    outbox = StoreOutbox(store)
    drainer = OutboxDrainer(store, client, batch_size=10, idle_seconds=0.05, backoff=Backoff(0.01, 0.05))
    outbox.on_enqueued(drainer.wake)
    drainer.start()
    recorder = SalesRecorder(outbox)
    print("ready", flush=True)
    n = 0
    while True:
        n += 1
        amount = 1_000 + n
        line = SaleLine("goods", "农夫山泉 550ml", amount)
        sale = recorder.record("1001", [line], [Tender("cash", amount)])
        print(f"sold {sale.sale.sale_id}", flush=True)
        time.sleep(0.002)


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
