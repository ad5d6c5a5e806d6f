"""A real backend on loopback, tills made of the real client, local store, outbox and settlement desk."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from pos.domain.pump import NozzleState
from pos.services.settlement import SettlementDesk
from pos.sync.client import BackendClient
from pos.sync.counter import CounterJournal, CounterRoutes
from pos.sync.drainer import OutboxDrainer
from pos.sync.outbox import StoreOutbox
from pos.sync.store import LocalStore
from pos_backend.clock import utc_now
from pos_backend.forecourt import authorize, end_fill, report_progress, set_nozzle_state, start_fill
from pos_backend.models import Nozzle
from pos_backend.seed import STATION_ID
from pos_backend.server import RunningBackend, start_backend


@pytest.fixture
def backend_url(tmp_path: Path, seeded_template: Path) -> str:
    target = tmp_path / "backend.sqlite3"
    shutil.copyfile(seeded_template, target)
    return f"sqlite:///{target}"


@pytest.fixture
def backend(backend_url: str) -> Iterator[RunningBackend]:
    running = start_backend(backend_url)
    yield running
    running.stop()


@dataclass
class Till:
    """One till: its own client (signed in), local store, outbox, drainer and desk."""

    client: BackendClient
    store: LocalStore
    outbox: StoreOutbox
    drainer: OutboxDrainer
    routes: CounterRoutes
    journal: CounterJournal
    desk: SettlementDesk

    def close(self) -> None:
        self.client.close()
        self.store.close()


def make_till(backend: RunningBackend, path: Path, name: str, staff: tuple[str, str] | None) -> Till:
    client = BackendClient(backend.url, read_retries=0, connect_timeout=1.0, read_timeout=10.0)
    client.pair(backend.issue_activation_code(), name)
    if staff is not None:
        client.sign_in(*staff)
    store = LocalStore(path)
    outbox = StoreOutbox(store)
    drainer = OutboxDrainer(store, client.twin(with_staff=False), outbox=outbox.outbox)
    routes = CounterRoutes(client)
    journal = CounterJournal(outbox)
    return Till(client, store, outbox, drainer, routes, journal, SettlementDesk(routes, outbox, journal))


@pytest.fixture
def till_factory(backend: RunningBackend, tmp_path: Path) -> Iterator[Any]:
    made: list[Till] = []

    def make(name: str, staff: tuple[str, str] | None = ("1001", "1111")) -> Till:
        till = make_till(backend, tmp_path / f"{name}.sqlite3", name, staff)
        made.append(till)
        return till

    yield make
    for till in made:
        till.close()


def make_payable(backend: RunningBackend, nozzle_number: int = 1, volume_ml: int = 30_150) -> str:
    """Run one whole fill on a nozzle through the forecourt logic; returns the payable transaction id."""
    with backend.db.write() as session:
        nozzle = session.get(Nozzle, (STATION_ID, nozzle_number))
        assert nozzle is not None and nozzle.state in (NozzleState.IDLE, NozzleState.PAYABLE)
        now = utc_now()
        if nozzle.state == NozzleState.PAYABLE:
            set_nozzle_state(session, nozzle, NozzleState.CALLING, now)
        authorize(session, nozzle, now)
        start_fill(session, nozzle, now)
        report_progress(session, nozzle, volume_ml, now)
        return end_fill(session, nozzle, now).id


def backend_sales(client: BackendClient) -> list[dict[str, Any]]:
    return list(client.get_json("/sales", {"after_seq": 0, "limit": 1000})["sales"])


def outbox_states(store: LocalStore) -> list[tuple[str, str]]:
    with store.read() as conn:
        return [
            (r[0], r[1]) for r in conn.exec_driver_sql("SELECT path, state FROM outbox ORDER BY id").all()
        ]
