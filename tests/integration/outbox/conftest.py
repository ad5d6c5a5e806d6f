"""A real backend on loopback that can be stopped and started again on the same port and database, a paired
till client, and the till's own LocalStore."""

from __future__ import annotations

import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pos.services.sales import SaleLine, SalesRecorder, Tender
from pos.sync.client import BackendClient
from pos.sync.store import LocalStore
from pos_backend.db import Database
from pos_backend.seed import seed
from pos_backend.server import RunningBackend, start_backend


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("outbox-template") / "seeded.sqlite3"
    db = Database(f"sqlite:///{path}")
    seed(db)
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    return path


@pytest.fixture
def backend(tmp_path: Path, seeded_template: Path) -> Iterator[RestartableBackend]:
    target = tmp_path / "backend.sqlite3"
    shutil.copyfile(seeded_template, target)
    restartable = RestartableBackend(f"sqlite:///{target}")
    restartable.start()
    yield restartable
    restartable.stop()


@pytest.fixture
def client(backend: RestartableBackend) -> Iterator[BackendClient]:
    """Paired, no staff session: outbox records name their staff in the body."""
    assert backend.running is not None
    paired = BackendClient(backend.url, read_retries=0, connect_timeout=1.0, read_timeout=10.0)
    paired.pair(backend.running.issue_activation_code(), "前台1")
    yield paired
    paired.close()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[LocalStore]:
    local = LocalStore(tmp_path / "till.sqlite3")
    yield local
    local.close()


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
