"""The real backend on loopback over a throwaway copy of a seeded SQLite file, a paired till client that
talks to it directly (for pairing and for checking the backend's own records), and the till's LocalStore.
The fault proxy sits between a second client and the backend; see ``proxy.py``."""

from __future__ import annotations

import shutil
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


@pytest.fixture(scope="session")
def seeded_faults_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("faults-template") / "seeded.sqlite3"
    db = Database(f"sqlite:///{path}")
    seed(db)
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    return path


@pytest.fixture
def backend(tmp_path: Path, seeded_faults_template: Path) -> Iterator[RunningBackend]:
    target = tmp_path / "backend.sqlite3"
    shutil.copyfile(seeded_faults_template, target)
    running = start_backend(f"sqlite:///{target}")
    yield running
    running.stop()


@pytest.fixture
def client(backend: RunningBackend) -> Iterator[BackendClient]:
    """Paired, straight to the backend: the judge of what the backend really holds."""
    paired = BackendClient(backend.url, read_retries=0, connect_timeout=1.0, read_timeout=10.0)
    paired.pair(backend.issue_activation_code(), "前台1")
    yield paired
    paired.close()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[LocalStore]:
    local = LocalStore(tmp_path / "till" / "till.sqlite3")
    yield local
    local.close()


def proxied(client: BackendClient, proxy_url: str, read_timeout: float) -> BackendClient:
    """A client with the paired till's token that goes through the proxy, retrying nothing itself."""
    return BackendClient(
        proxy_url,
        read_retries=0,
        connect_timeout=1.0,
        read_timeout=read_timeout,
        device_token=client._device_token,
    )


def fuel_sale(recorder: SalesRecorder, n: int, staff_no: str = "1001") -> str:
    """One ordinary sale; the amount encodes ``n`` so a reordering shows in the backend's records."""
    amount = 10_000 + n
    line = SaleLine("fuel", f"{n % 8 + 1}号油枪 92#汽油", amount, quantity_ml=amount * 1000 // 742)
    return recorder.record(staff_no, [line], [Tender("wechat", amount)]).sale.sale_id


def backend_sales(client: BackendClient) -> list[dict[str, Any]]:
    """Every sale the backend accepted, in its accepted order (``GET /api/v1/sales``)."""
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
