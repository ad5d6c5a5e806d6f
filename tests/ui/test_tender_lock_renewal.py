"""The till keeps its lock on a fill while the tender screen is open, against a real backend whose locks
last three seconds: held past its TTL and settled; no renewals once the screen closes; a renewal refused
because another till took the fill shows at once; renewals with the backend stopped neither crash nor
block, and the sale follows the offline rules."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pos.domain.errors import PosError
from pos.domain.tender import TenderMethod
from pos.domain.transaction import TransactionState
from pos.services.ports_outbox import OutboxState
from pos.sync.client import BackendClient
from pos.ui.counter import LANE
from pos.ui.lock_keeper import QtLockKeeper
from pos.ui.tasks import Operation
from pos.ui.tender import QtTenderDialog
from pos_backend.clock import utc_now
from pos_backend.models import PumpTransaction
from pos_backend.server import RunningBackend, start_backend
from pos_backend.simulator import Simulator

from .counter_support import CounterTill, activate, paired_client, seeded_copy, step_until_payable
from .test_counter_keyboard import wait_for_backend_sale

LOCK_TTL_SECONDS = 3.0
WAIT_MS = 20_000
OUTBOX_WAIT_MS = 60_000  # the outbox's backoff reaches 30 s while the backend is away


@pytest.fixture
def db_url(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    return seeded_copy(tmp_path_factory.getbasetemp(), tmp_path / "backend.sqlite3")


@pytest.fixture
def backend(db_url: str) -> Iterator[RunningBackend]:
    """The counter's backend (the ``till`` fixture runs on it), its locks lasting LOCK_TTL_SECONDS."""
    running = start_backend(db_url, seed=False, lock_ttl_seconds=LOCK_TTL_SECONDS)
    yield running
    running.stop()  # a second stop after a test stopped it does nothing more


@pytest.fixture
def fill(backend: RunningBackend) -> Any:
    return step_until_payable(backend, Simulator(backend.db, seed=11), minimum_fen=20_000)


@pytest.fixture
def other_till(backend: RunningBackend) -> Iterator[BackendClient]:
    """前台2 with cashier 1002 signed in: the till that would take the fill."""
    client = paired_client(backend.url, "前台2", backend.issue_activation_code)
    client.sign_in("1002", "2222")
    yield client
    client.close()


def open_tender(qtbot: QtBot, till: CounterTill, transaction_id: str) -> tuple[QtTenderDialog, QtLockKeeper]:
    inbox, counter = till.feature.inbox, till.feature.counter
    qtbot.waitUntil(lambda: inbox.select_key(f"pump:{transaction_id}"), timeout=WAIT_MS)
    activate(qtbot, till.app.window)
    qtbot.keyClick(till.app.window, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: counter.tender is not None, timeout=WAIT_MS)
    tender, keeper = counter.tender, counter.lock_keeper
    assert tender is not None and keeper is not None and keeper.active
    activate(qtbot, tender)
    return tender, keeper


def pay_exact_cash(qtbot: QtBot, tender: QtTenderDialog) -> None:
    assert tender.method is TenderMethod.CASH and tender.given_box.text() == ""
    qtbot.keyClick(tender.given_box, Qt.Key.Key_Return)  # blank amount: exactly what is due, in cash


def backend_row(backend: RunningBackend, transaction_id: str) -> PumpTransaction:
    with backend.db.read() as session:
        row = session.get(PumpTransaction, transaction_id)
        assert row is not None
        session.expunge(row)
        return row


def lock_refused(client: BackendClient, transaction_id: str) -> PosError:
    with pytest.raises(PosError) as refused:
        client.lock_transaction(transaction_id)
    return refused.value


def test_an_open_tender_keeps_its_lock_past_the_ttl_and_settles(
    qtbot: QtBot, backend: RunningBackend, till: CounterTill, other_till: BackendClient, fill: Any
) -> None:
    tender, keeper = open_tender(qtbot, till, fill.id)
    first_expiry = keeper.settling.lock_expires_at
    assert first_expiry is not None
    past_ttl = first_expiry + timedelta(seconds=1)
    qtbot.waitUntil(lambda: utc_now() > past_ttl and keeper.renewals >= 2, timeout=WAIT_MS)

    refused = lock_refused(other_till, fill.id)
    assert refused.code == "transaction_locked" and "前台1" in refused.message
    assert keeper.failed_renewals == 0 and tender.lock_banner_text == ""
    pay_exact_cash(qtbot, tender)
    qtbot.waitUntil(lambda: tender.done_sale is not None, timeout=WAIT_MS)
    assert not keeper.active  # settled: nothing left to hold
    sale = wait_for_backend_sale(qtbot, till.client, fill.id)
    assert sale["tenders"] == [{"method": "cash", "amount_fen": fill.amount_fen}]


def assert_no_renewal_after_release(qtbot: QtBot, backend: RunningBackend, keeper: Any, fill: Any) -> None:
    """Released, and still free once a renewal would have come: a renewal would have locked it again."""
    qtbot.waitUntil(lambda: backend_row(backend, fill.id).state == "payable", timeout=WAIT_MS)
    assert not keeper.active
    renewal_would_be_due = utc_now() + timedelta(seconds=LOCK_TTL_SECONDS)
    qtbot.waitUntil(lambda: utc_now() > renewal_would_be_due, timeout=WAIT_MS)
    row = backend_row(backend, fill.id)
    assert (row.state, row.locked_till_id) == ("payable", None)


def test_backing_out_stops_the_renewals(
    qtbot: QtBot, backend: RunningBackend, till: CounterTill, fill: Any
) -> None:
    tender, keeper = open_tender(qtbot, till, fill.id)
    qtbot.waitUntil(lambda: keeper.renewals >= 1, timeout=WAIT_MS)
    qtbot.keyClick(tender, Qt.Key.Key_Escape)
    assert till.feature.counter.tender is None and till.feature.counter.lock_keeper is None
    assert_no_renewal_after_release(qtbot, backend, keeper, fill)


def test_closing_the_window_releases_the_fill_and_stops_the_renewals(
    qtbot: QtBot, backend: RunningBackend, till: CounterTill, fill: Any
) -> None:
    tender, keeper = open_tender(qtbot, till, fill.id)
    tender.close()  # the window's close button, not Esc
    assert till.feature.counter.tender is None
    assert_no_renewal_after_release(qtbot, backend, keeper, fill)


def test_a_renewal_refused_for_another_till_shows_at_once(
    qtbot: QtBot, backend: RunningBackend, till: CounterTill, other_till: BackendClient, fill: Any
) -> None:
    tender, keeper = open_tender(qtbot, till, fill.id)
    link_stalls = threading.Event()  # the counter lane stuck (a slow link): renewals queue behind it
    till.feature.runner.run(Operation(lambda: link_stalls.wait(30), lambda _r: None, lambda _e: None, LANE))

    def taken_by_other_till() -> bool:
        try:
            other_till.lock_transaction(fill.id)
        except PosError as error:
            assert error.code == "transaction_locked"
            return False
        return True

    qtbot.waitUntil(taken_by_other_till, timeout=WAIT_MS)  # front 1's lock ran out unrenewed
    assert tender.lock_banner_text == ""
    link_stalls.set()
    qtbot.waitUntil(lambda: tender.lock_banner_text != "", timeout=WAIT_MS)
    assert "前台2" in tender.lock_banner_text and "李强" in tender.lock_banner_text
    assert not keeper.active and keeper.settling.lost
    assert fill.id not in till.feature.inbox.book.my_locks

    pay_exact_cash(qtbot, tender)  # refused as ever, naming the till that has it
    qtbot.waitUntil(lambda: "锁定已过期" in tender.banner_text, timeout=WAIT_MS)
    assert tender.done_sale is None and "前台2" in tender.banner_text
    assert tender.lock_banner_text != ""  # the cashier keeps being told
    assert backend_row(backend, fill.id).state == TransactionState.LOCKED.value


def test_renewals_with_the_backend_stopped_neither_crash_nor_block(
    qtbot: QtBot, backend: RunningBackend, db_url: str, till: CounterTill, fill: Any
) -> None:
    tender, keeper = open_tender(qtbot, till, fill.id)
    qtbot.waitUntil(lambda: keeper.renewals >= 1, timeout=WAIT_MS)
    backend.stop()

    qtbot.waitUntil(lambda: keeper.failed_renewals >= 2, timeout=WAIT_MS)  # logged, tried again
    expiry = keeper.settling.lock_expires_at
    assert expiry is not None and keeper.active and tender.lock_banner_text == ""
    qtbot.keyClicks(tender.given_box, "1")  # the screen still answers the keyboard
    qtbot.waitUntil(lambda: tender.given_box.text() == "1", timeout=WAIT_MS)
    tender.given_box.clear()
    qtbot.waitUntil(lambda: utc_now() > expiry, timeout=WAIT_MS)  # the lock ran out while offline

    pay_exact_cash(qtbot, tender)  # the offline rule: recorded anyway, the backend decides later
    qtbot.waitUntil(lambda: tender.done_sale is not None, timeout=WAIT_MS)
    assert tender.done_sale is not None
    assert tender.done_sale.outbox_entry.state is OutboxState.PENDING and not keeper.active

    restarted = start_backend(db_url, port=backend.port, seed=False)
    try:
        sales: list[dict[str, Any]] = []

        def accepted() -> bool:  # the outbox drains once its backoff sees the link back
            sales[:] = [s for s in backend_sales(till.client) if s["transaction_id"] == fill.id]
            return bool(sales)

        qtbot.waitUntil(accepted, timeout=OUTBOX_WAIT_MS)
        assert len(sales) == 1 and sales[0]["tenders"] == [{"method": "cash", "amount_fen": fill.amount_fen}]
    finally:
        restarted.stop()


def backend_sales(client: BackendClient) -> list[dict[str, Any]]:
    try:
        return list(client.get_json("/sales", {"after_seq": 0, "limit": 1000})["sales"])
    except PosError:
        return []  # still starting
