"""The real reference backend on loopback over a throwaway SQLite file, a paired till client, and the
till's local store in tmp_path. The simulator is built unstarted and driven with ``step`` so the events a
test sees are deterministic."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from pos.sync.client import BackendClient
from pos.sync.store import LocalStore
from pos_backend.db import Database
from pos_backend.seed import seed
from pos_backend.server import RunningBackend, start_backend
from pos_backend.simulator import Simulator


@pytest.fixture(scope="session")
def seeded_backend_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Seeded once per session; each test copies it (seeding an already seeded file is a no-op)."""
    path = tmp_path_factory.mktemp("sync-store-template") / "seeded.sqlite3"
    db = Database(f"sqlite:///{path}")
    seed(db)
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    return path


@pytest.fixture
def backend(seeded_backend_file: Path, tmp_path: Path) -> Iterator[RunningBackend]:
    target = tmp_path / "backend.sqlite3"
    shutil.copyfile(seeded_backend_file, target)
    running = start_backend(f"sqlite:///{target}")
    yield running
    running.stop()


@pytest.fixture
def simulator(backend: RunningBackend) -> Simulator:
    """Not started: ``simulator.step(seconds)`` runs the forecourt forward on the test's thread."""
    return Simulator(backend.db, seed=11)


@pytest.fixture
def client(backend: RunningBackend) -> Iterator[BackendClient]:
    paired = BackendClient(backend.url, read_retries=0, connect_timeout=1.0, read_timeout=5.0)
    paired.pair(backend.issue_activation_code(), "前台1")
    yield paired
    paired.close()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[LocalStore]:
    opened = LocalStore(tmp_path / "till" / "cache.sqlite3")
    yield opened
    opened.close()
