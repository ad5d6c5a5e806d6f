"""Tills with the real write-off flow against a real backend on loopback, and a virtual receipt printer.

Each till: its own paired client and staff session, LocalStore, outbox drainer (not started: tests drain
when they choose), print queue to one VirtualPrinter, WriteOffDesk, and the Qt screen on a task runner.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from pos.domain.receipt import ReceiptHeader
from pos.hardware.printing.print_queue import PrintQueue
from pos.hardware.printing.virtual import VirtualPrinter
from pos.services.ports import StaffMember
from pos.services.writeoff import OfflinePolicy, WriteOffDesk
from pos.sync.client import BackendClient
from pos.sync.connectivity import OutboxSync, build_outbox_sync
from pos.sync.store import LocalStore
from pos.sync.writeoff_journal import StoreWriteOffJournal
from pos.sync.writeoff_routes import WriteOffRoutesClient
from pos.ui.tasks import QtTaskRunner
from pos.ui.writeoff_screen import QtWriteOffScreen
from pos_backend.clock import utc_now
from pos_backend.models import WriteoffCode
from tests.support import RestartableBackend as SharedRestartableBackend
from tests.support import copied_db_url

SHANGHAI = ZoneInfo("Asia/Shanghai")
STATION_NAME = "测试加油站"


class RestartableBackend(SharedRestartableBackend):
    """The shared restartable backend, plus the write-off codes still open in its database."""

    def open_codes(self, kind: str, count: int = 1) -> list[str]:
        assert self.running is not None
        with self.running.db.read() as session:
            codes = session.scalars(
                select(WriteoffCode.code)
                .where(WriteoffCode.kind == kind, WriteoffCode.state == "issued")
                .where(WriteoffCode.expires_at > utc_now())
                .order_by(WriteoffCode.code)
                .limit(count)
            ).all()
        assert len(codes) == count
        return list(codes)


@pytest.fixture
def backend(tmp_path: Path, seeded_template: Path) -> Iterator[RestartableBackend]:
    db_url = copied_db_url(seeded_template, tmp_path)
    restartable = RestartableBackend(db_url)
    restartable.start()
    yield restartable
    restartable.stop()


@pytest.fixture
def printer(tmp_path: Path) -> Iterator[VirtualPrinter]:
    with VirtualPrinter(tmp_path / "printed", draw=False) as virtual:
        yield virtual


@dataclass
class Till:
    name: str
    staff: StaffMember
    client: BackendClient
    store: LocalStore
    sync: OutboxSync
    journal: StoreWriteOffJournal
    queue: PrintQueue
    desk: WriteOffDesk
    runner: QtTaskRunner
    screen: QtWriteOffScreen

    def close(self) -> None:
        self.runner.shutdown()
        self.sync.stop()
        self.queue.stop()
        self.store.close()
        self.client.close()


def build_till(
    backend: RestartableBackend,
    printer: VirtualPrinter,
    tmp_path: Path,
    qtbot: QtBot,
    name: str,
    staff: tuple[str, str],
    policy: OfflinePolicy | None = None,
) -> Till:
    assert backend.running is not None
    client = BackendClient(backend.url, read_retries=0, connect_timeout=1.0, read_timeout=5.0)
    client.pair(backend.running.issue_activation_code(), name)
    session = client.sign_in(*staff)
    store = LocalStore(tmp_path / f"{name}.sqlite3")
    sync = build_outbox_sync(store, client.twin(with_staff=False))
    journal = StoreWriteOffJournal(store, sync.outbox.outbox, on_recorded=[sync.drainer.wake])
    queue = PrintQueue(printer.settings(), tmp_path / f"spool-{name}", retry_initial=0.2).start()

    def header(who: StaffMember, at: datetime) -> ReceiptHeader:
        return ReceiptHeader(STATION_NAME, name, who.name, at, SHANGHAI)

    desk = WriteOffDesk(WriteOffRoutesClient(client.twin()), journal, queue, header, policy, till_name=name)
    runner = QtTaskRunner()
    screen = QtWriteOffScreen(desk, runner, lambda: session.staff, lambda: SHANGHAI)
    qtbot.addWidget(screen)
    return Till(name, session.staff, client, store, sync, journal, queue, desk, runner, screen)


TillFactory = Callable[..., Till]


@pytest.fixture
def make_till(
    backend: RestartableBackend, printer: VirtualPrinter, tmp_path: Path, qtbot: QtBot
) -> Iterator[TillFactory]:
    tills: list[Till] = []

    def make(name: str, staff: tuple[str, str], policy: OfflinePolicy | None = None) -> Till:
        till = build_till(backend, printer, tmp_path, qtbot, name, staff, policy)
        tills.append(till)
        return till

    yield make
    for till in tills:
        till.close()
