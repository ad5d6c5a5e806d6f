"""The real reference backend on loopback over a throwaway SQLite file, a paired till client, and the
till's local store in tmp_path. The simulator is built unstarted and driven with ``step`` so the events a
test sees are deterministic."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pos.sync.client import BackendClient
from pos.sync.store import LocalStore
from pos_backend.server import RunningBackend, start_backend
from pos_backend.simulator import Simulator
from tests.support import copied_db_url


@pytest.fixture
def backend(seeded_template: Path, tmp_path: Path) -> Iterator[RunningBackend]:
    db_url = copied_db_url(seeded_template, tmp_path)
    running = start_backend(db_url)
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
