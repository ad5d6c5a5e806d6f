"""A restartable backend on loopback, a paired till with a manager signed in, its LocalStore, and the
handover service wired to them as the app wires it (the drainer sends the close at once when online)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from pos.domain.receipt import ReceiptDocument
from pos.services.handover import ForecourtView, HandoverService
from pos.services.ports import StationSnapshot
from pos.sync.client import BackendClient
from pos.sync.drainer import OutboxDrainer
from pos.sync.shift_ledger import StoreShiftLedger
from pos.sync.shift_routes import HttpShiftRoutes, StaffPinVerifier
from pos.sync.staff_verifiers import StaffVerifierCache, StaffVerifierSync
from pos.sync.store import LocalStore
from tests.support import RestartableBackend, copied_db_url


@pytest.fixture
def backend(tmp_path: Path, seeded_template: Path) -> Iterator[RestartableBackend]:
    db_url = copied_db_url(seeded_template, tmp_path)
    restartable = RestartableBackend(db_url)
    restartable.start()
    yield restartable
    restartable.stop()


@pytest.fixture
def manager_client(backend: RestartableBackend) -> Iterator[BackendClient]:
    assert backend.running is not None
    client = BackendClient(backend.url, read_retries=0, connect_timeout=1.0, read_timeout=20.0)
    client.pair(backend.running.issue_activation_code(), "前台1")
    client.sign_in("2001", "8888")
    yield client
    client.close()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[LocalStore]:
    local = LocalStore(tmp_path / "till.sqlite3")
    yield local
    local.close()


@dataclass
class PaperTray:
    """The report port as a list: what the service printed, in order."""

    documents: list[ReceiptDocument] = field(default_factory=list)

    def print_document(self, document: ReceiptDocument) -> str:
        self.documents.append(document)
        return str(len(self.documents))


@dataclass
class Till:
    service: HandoverService
    ledger: StoreShiftLedger
    drainer: OutboxDrainer
    tray: PaperTray
    client: BackendClient


@pytest.fixture
def till(manager_client: BackendClient, store: LocalStore) -> Iterator[Till]:
    verifiers = StaffVerifierCache(store)
    StaffVerifierSync(manager_client.twin(with_staff=False), verifiers).refresh()
    ledger = StoreShiftLedger(store)
    drainer = OutboxDrainer(store, manager_client.twin(with_staff=False))
    tray = PaperTray()
    service = HandoverService(
        HttpShiftRoutes(manager_client),
        ledger,
        tray,
        StaffPinVerifier(manager_client, verifiers),
        till_id="till-under-test",
        till_name="前台1",
        upload_now=drainer.drain_until_idle,
    )
    yield Till(service, ledger, drainer, tray, manager_client)


def view_of(snapshot: StationSnapshot) -> ForecourtView:
    return ForecourtView(
        tuple(snapshot.transactions),
        tuple(snapshot.orders),
        tuple(snapshot.nozzles),
        snapshot.station.name,
        None,
    )
