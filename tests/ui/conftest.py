"""The counter's UI tests share one in-process backend per test (a copy of a seeded template) and a
cashier's till on it. A module that needs another backend (a child process, as `pos demo` runs it)
defines its own ``backend`` fixture, which pytest prefers to this one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from pos_backend.server import RunningBackend

from .counter_support import CounterTill, build_till, paired_client, seeded_copy, start_in_process_backend


@pytest.fixture
def backend(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningBackend]:
    running = start_in_process_backend(
        seeded_copy(tmp_path_factory.getbasetemp(), tmp_path / "backend.sqlite3")
    )
    yield running
    running.stop()


@pytest.fixture
def till(tmp_path: Path, qtbot: QtBot, backend: RunningBackend) -> Iterator[CounterTill]:
    """前台1 with cashier 1001 signed in."""
    client = paired_client(backend.url, "前台1", backend.issue_activation_code)
    session = client.sign_in("1001", "1111")
    built = build_till(tmp_path, qtbot, client, session.staff)
    yield built
    built.app.stop()
    client.close()
