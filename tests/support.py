"""Helpers shared by the integration tests that run the real backend on loopback against a till.

Fixtures stay in each package's conftest (they differ in what they pair and sign in); what they are built
from lives here once: a seeded database template, a backend that can stop and start on the same port and
file, and the sale helpers that compare the till's records with the backend's own.
"""

from __future__ import annotations

import shutil
import socket
import threading
from pathlib import Path
from typing import Any

from pos.services.sales import SaleLine, SalesRecorder, Tender
from pos.sync.client import BackendClient
from pos.sync.store import LocalStore
from pos_backend.db import Database
from pos_backend.seed import seed
from pos_backend.server import RunningBackend, start_backend
from pos_backend.simulator import Simulator


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def make_seeded_template(directory: Path) -> Path:
    """A seeded SQLite file, checkpointed so a plain file copy carries everything (seeding is slow)."""
    path = directory / "seeded.sqlite3"
    db = Database(f"sqlite:///{path}")
    seed(db)
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    return path


def copied_db_url(template: Path, directory: Path) -> str:
    """A throwaway copy of ``template`` for one test (seeding it again is a no-op)."""
    target = directory / "backend.sqlite3"
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"


class RestartableBackend:
    """The reference backend in a thread; ``stop()`` and ``start()`` keep its port and database."""

    def __init__(self, db_url: str) -> None:
        self.db_url = db_url
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.running: RunningBackend | None = None

    def start(self) -> RunningBackend:
        self.running = start_backend(self.db_url, port=self.port)
        return self.running

    def stop(self) -> None:
        running, self.running = self.running, None
        if running is not None:
            running.stop()


def fuel_sale(recorder: SalesRecorder, n: int, staff_no: str = "1001") -> str:
    """One ordinary sale; the amount encodes ``n`` so a reordering shows in the backend's records."""
    amount = 10_000 + n
    line = SaleLine("fuel", f"{n % 8 + 1}号油枪 92#汽油", amount, quantity_ml=amount * 1000 // 742)
    return recorder.record(staff_no, [line], [Tender("wechat", amount)]).sale.sale_id


def backend_sales(client: BackendClient) -> list[dict[str, Any]]:
    """Every sale the backend accepted, in its accepted order."""
    sales: list[dict[str, Any]] = []
    after = 0
    while True:
        page = client.get_json("/sales", {"after_seq": after, "limit": 1000})
        sales.extend(page["sales"])
        if not page["sales"]:
            return sales
        after = page["last_seq"]


def local_sale_ids(store: LocalStore) -> list[str]:
    with store.read() as conn:
        rows = conn.exec_driver_sql("SELECT sale_id FROM sales_local ORDER BY outbox_id").all()
    return [row[0] for row in rows]


class Fuelling:
    """Steps the simulator from a thread, so fills keep ending while a test cuts or hands over the shift."""

    def __init__(self, simulator: Simulator) -> None:
        self.simulator = simulator
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.simulator.step(5.0)

    def __enter__(self) -> Fuelling:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    def wait_until(self, sim_seconds: float) -> None:
        pause = threading.Event()
        while self.simulator.sim_time < sim_seconds and self._thread.is_alive():
            pause.wait(0.02)
        assert self.simulator.sim_time >= sim_seconds
