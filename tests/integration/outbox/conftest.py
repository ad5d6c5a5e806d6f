"""A real backend on loopback that can be stopped and started again on the same port and database, a paired
till client, and the till's own LocalStore."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pos.sync.client import BackendClient
from pos.sync.store import LocalStore
from tests.support import (
    RestartableBackend,
    copied_db_url,
)


@pytest.fixture
def backend(tmp_path: Path, seeded_template: Path) -> Iterator[RestartableBackend]:
    db_url = copied_db_url(seeded_template, tmp_path)
    restartable = RestartableBackend(db_url)
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
