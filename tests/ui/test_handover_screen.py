"""pytest-qt: a manager runs the handover from the blockers list to the Z report printed on a virtual
printer on loopback, against the real backend; a cashier cannot open the screen at all."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from pos.app_handover import HandoverWiring, install_handover
from pos.domain.cash_count import CashCount
from pos.domain.money import format_fen
from pos.domain.pump import NozzleState
from pos.hardware.printing.print_queue import PrintQueue
from pos.hardware.printing.virtual import VirtualPrinter
from pos.services.ports import StaffMember
from pos.services.sales import SaleLine, SalesRecorder, Tender
from pos.services.station_board import StationBoard
from pos.sync.client import BackendClient
from pos.sync.drainer import OutboxDrainer
from pos.sync.outbox import StoreOutbox
from pos.sync.store import LocalStore
from pos.ui.handover_screen import HandoverTargets
from pos.ui.main_window import MainWindow
from pos_backend.clock import utc_now
from pos_backend.forecourt import authorize, end_fill, report_progress, set_nozzle_state, start_fill
from pos_backend.models import Nozzle
from pos_backend.seed import STATION_ID
from pos_backend.server import RunningBackend, start_backend

MANAGER = StaffMember("2001", "张伟", "manager")
CASHIER = StaffMember("1001", "王芳", "cashier")


def make_payable(backend: RunningBackend, nozzle_number: int, volume_ml: int) -> str:
    """One whole fill through the forecourt logic; returns the payable transaction id."""
    with backend.db.write() as session:
        nozzle = session.get(Nozzle, (STATION_ID, nozzle_number))
        assert nozzle is not None
        now = utc_now()
        if nozzle.state == NozzleState.PAYABLE:
            set_nozzle_state(session, nozzle, NozzleState.CALLING, now)
        authorize(session, nozzle, now)
        start_fill(session, nozzle, now)
        report_progress(session, nozzle, volume_ml, now)
        return end_fill(session, nozzle, now).id


@dataclass
class Station:
    backend: RunningBackend
    client: BackendClient
    store: LocalStore
    board: StationBoard
    printer: VirtualPrinter
    queue: PrintQueue


@pytest.fixture
def station(tmp_path: Path) -> Iterator[Station]:
    backend = start_backend(f"sqlite:///{tmp_path}/b.db")
    client = BackendClient(backend.url, read_retries=0, connect_timeout=1.0, read_timeout=20.0)
    client.pair(backend.issue_activation_code(), "前台1")
    client.sign_in("2001", "8888")
    store = LocalStore(tmp_path / "till.sqlite3")
    printer = VirtualPrinter(draw=False).start()
    queue = PrintQueue(printer.settings(), tmp_path / "spool").start()
    yield Station(backend, client, store, StationBoard(), printer, queue)
    queue.stop()
    printer.stop()
    store.close()
    client.close()
    backend.stop()


def wire_screen(
    station: Station, window: MainWindow, staff: StaffMember, targets: HandoverTargets
) -> HandoverWiring:
    drainer = OutboxDrainer(station.store, station.client.twin(with_staff=False))
    return install_handover(
        window, station.board, station.store, station.client, lambda: staff, ("till-1", "前台1"),
        printer=station.queue, targets=targets, upload_now=drainer.drain_until_idle,
    )  # fmt: skip


def count_of(fen: int) -> CashCount:
    pieces = {}
    for value in (10_000, 5_000, 2_000, 1_000, 500, 100, 50, 10):
        pieces[value], fen = divmod(fen, value)
    return CashCount(pieces)


def test_manager_runs_the_handover_from_blockers_to_the_printed_z_report(
    qtbot: QtBot, station: Station
) -> None:
    client = station.client
    client._write("POST", "/shifts/open", {"opening_float_fen": 50_000})
    payable = make_payable(station.backend, nozzle_number=3, volume_ml=20_000)
    station.board.apply_snapshot(client.snapshot())
    window = MainWindow(station.board, "前台1", MANAGER)
    qtbot.addWidget(window)
    went: list[str] = []
    wiring = wire_screen(station, window, MANAGER, HandoverTargets(transaction=went.append))
    screen = wiring.screen

    window.findChild(type(window.menuBar().actions()[0].menu().actions()[0]), "handoverAction").trigger()
    qtbot.waitUntil(
        lambda: screen.isVisible() and screen.check is not None and not screen.busy, timeout=10_000
    )
    assert [b.target_id for b in screen.check.blockers] == [payable] and not screen.check.may_close
    qtbot.mouseClick(screen.blockers.buttons[0], Qt.MouseButton.LeftButton)
    assert went == [payable]  # the inbox would settle it: here the sale is made as the inbox would
    client.lock_transaction(payable)
    recorder = SalesRecorder(StoreOutbox(station.store))
    amount = 20_000 * 742 // 1000
    line = SaleLine("fuel", "3号油枪 92#汽油", amount, quantity_ml=20_000)
    recorder.record("1001", [line], [Tender("cash", amount)], transaction_id=payable)
    assert OutboxDrainer(station.store, client.twin(with_staff=False)).drain_until_idle() is None
    station.board.apply_snapshot(client.snapshot())
    qtbot.keyClick(screen, Qt.Key.Key_F5)
    qtbot.waitUntil(
        lambda: not screen.busy and screen.check is not None and screen.check.may_close, timeout=10_000
    )

    qtbot.mouseClick(screen.cut_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.draft is not None and not screen.busy, timeout=10_000)
    assert screen.meters.rowCount() == 8 and screen.meters.flagged_rows() == []
    expected = 50_000 + amount
    assert screen.draft.figures.totals.cash_expected_fen == expected
    screen.cash.set_count(count_of(expected))
    assert "0.00" in screen.cash.variance.text()

    for side, (staff_no, pin) in (("outgoing", ("1001", "1111")), ("incoming", ("1002", "2222"))):
        widget = getattr(screen, side)
        qtbot.keyClicks(widget.staff_no, staff_no)
        qtbot.keyClicks(widget.pin, pin)
        qtbot.keyClick(widget.pin, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda s=side: s in screen.signed and not screen.busy, timeout=10_000)
    assert screen.z_button.isEnabled()
    qtbot.mouseClick(screen.z_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.closed is not None, timeout=15_000)
    assert screen.closed.uploaded

    receipt = station.printer.wait_for(1, timeout=10)[0]
    text = "\n".join(receipt.lines)
    assert "班结报表 Z" in text and "应有现金" in text and format_fen(expected).lstrip("¥") in text
    assert "待上传" not in text
    current = client.get_json("/shifts/current")["shift"]
    assert current["opened_by"] == "1002" and current["opening_float_fen"] == 50_000
    wiring.history.open_screen()
    qtbot.waitUntil(lambda: len(wiring.history.shifts) >= 2, timeout=10_000)
    history = wiring.history
    closed_row = next(i for i, r in enumerate(history.shifts) if r.shift.id == screen.closed.shift.id)
    history.table.selectRow(closed_row)
    qtbot.waitUntil(lambda: "Z report" in history.reports.toPlainText(), timeout=10_000)
    assert history.shifts[closed_row].summary["cash_counted_fen"] == expected
    wiring.stop()


def test_a_cashier_cannot_open_the_handover(qtbot: QtBot, station: Station) -> None:
    window = MainWindow(station.board, "前台1", CASHIER)
    qtbot.addWidget(window)
    wiring = wire_screen(station, window, CASHIER, HandoverTargets())
    action = window.findChild(type(window.menuBar().actions()[0].menu().actions()[0]), "handoverAction")
    assert action is not None and not action.isVisible() and not action.isEnabled()
    window.show()
    qtbot.keyClick(window, Qt.Key.Key_F9)
    action.trigger()
    QApplication.processEvents()
    assert not wiring.screen.isVisible()
    window.set_staff(MANAGER)
    assert action.isVisible()
    wiring.stop()
