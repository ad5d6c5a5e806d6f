"""The real backend on loopback over a throwaway copy of a seeded SQLite file, a paired till client that
talks to it directly (for pairing and for checking the backend's own records), and the till's LocalStore.
The fault proxy sits between a second client and the backend; see ``proxy.py``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pos.sync.client import BackendClient
from pos.sync.store import LocalStore
from pos_backend.server import RunningBackend, start_backend
from tests.support import copied_db_url


@pytest.fixture
def backend(tmp_path: Path, seeded_template: Path) -> Iterator[RunningBackend]:
    db_url = copied_db_url(seeded_template, tmp_path)
    running = start_backend(db_url)
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
