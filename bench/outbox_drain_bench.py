"""Outbox drain figure: 10,000 queued sales drained to the reference backend on loopback.

Run: ``.venv/bin/python -m bench.outbox_drain_bench [COUNT]``. The backend is ``python -m pos_backend`` in a
child process (bench.backend_child), so it never shares the GIL with the till. Two sets of ``COUNT`` fresh
sales (new sale ids, new keys, same shape):

* one at a time: ``BackendClient.post_json("/sales", ...)`` for each, one request per sale (run first, on
  the emptier backend, so the ratio does not flatter batching). Timed on the first ``SINGLE_SAMPLE``
  sales only, to keep the run within three minutes: the rate is flat (each request stands alone);
* batched: queued in the till's LocalStore outbox, then ``OutboxDrainer.drain_until_idle()``, the real
  claim / ``POST /batch`` / settle path with its fsyncs.

Prints records per second for both and the ratio; targets: batched >= 1,000/s and >= 10x one at a time.
"""

from __future__ import annotations

import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.backend_child import backend_child, paired_token

COUNT = 10_000
SINGLE_SAMPLE = 2_000
TARGET_PER_SECOND = 1_000.0
TARGET_RATIO = 10.0


def sale_body(n: int) -> dict[str, Any]:
    amount = 10_000 + n % 5_000
    return {
        "sale_id": str(uuid.uuid4()),
        "staff_no": "1001",
        "created_at": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "transaction_id": None,
        "order_id": None,
        "member_id": None,
        "lines": [
            {
                "kind": "fuel",
                "description": f"{n % 8 + 1}号油枪 92#汽油",
                "quantity_ml": amount * 1000 // 742,
                "amount_fen": amount,
            }
        ],
        "discounts": [],
        "tenders": [{"method": "wechat", "amount_fen": amount}],
        "total_fen": amount,
        "change_fen": 0,
    }


def one_at_a_time(url: str, token: str, count: int) -> float:
    from pos.sync.client import BackendClient

    client = BackendClient(url, device_token=token, read_retries=0)
    bodies = [sale_body(n) for n in range(count)]
    started = time.perf_counter()
    for body in bodies:
        client.post_json("/sales", body, str(uuid.uuid4()))
    elapsed = time.perf_counter() - started
    client.close()
    return elapsed


def batched(url: str, token: str, count: int, store_dir: Path) -> tuple[float, int]:
    from pos.sync.client import BackendClient
    from pos.sync.drainer import OutboxDrainer
    from pos.sync.outbox import Outbox, StoreOutbox
    from pos.sync.store import LocalStore

    store = LocalStore(store_dir / "till.sqlite3")
    outbox = Outbox()
    with store.write() as conn:  # queued long before: not part of the figure
        for n in range(count):
            outbox.enqueue(conn, "POST", "/api/v1/sales", sale_body(n), "1001")
    client = BackendClient(url, device_token=token, read_retries=0)
    drainer = OutboxDrainer(store, client, batch_read_timeout=60.0)
    started = time.perf_counter()
    error = drainer.drain_until_idle()
    elapsed = time.perf_counter() - started
    if error is not None:
        raise RuntimeError(f"drain stopped: {error.code}")
    acked = StoreOutbox(store).counts().acked
    client.close()
    store.close()
    return elapsed, acked


def main(count: int = COUNT) -> None:
    with backend_child() as backend, tempfile.TemporaryDirectory(prefix="pos-drain-") as tmp:
        url = str(backend["url"])
        token = paired_token(url, str(backend["activation_code"]))
        singles = min(count, SINGLE_SAMPLE)
        single_s = one_at_a_time(url, token, singles)
        batch_s, acked = batched(url, token, count, Path(tmp))
    if acked != count:
        raise RuntimeError(f"only {acked} of {count} records acknowledged")
    single_rate, batch_rate = singles / single_s, count / batch_s
    ratio = batch_rate / single_rate
    print(f"one at a time: {singles} sales in {single_s:.1f} s = {single_rate:,.0f}/s")
    print(
        f"outbox drain:  {count} sales in {batch_s:.1f} s = {batch_rate:,.0f}/s "
        f"(target >= {TARGET_PER_SECOND:,.0f}/s: {'ok' if batch_rate >= TARGET_PER_SECOND else 'MISSED'})"
    )
    print(
        f"ratio: {ratio:.1f}x (target >= {TARGET_RATIO:.0f}x: {'ok' if ratio >= TARGET_RATIO else 'MISSED'})"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else COUNT)
