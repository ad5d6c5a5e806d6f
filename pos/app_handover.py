"""Composition of the shift handover (issue 7): adapters, service, screens, and the F9 entry.

Called by the composition root (pos.app) once the window, store and client exist. Only this module and
pos.app know the sync adapters, the printer and Qt together.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt

from pos.domain.roles import Permission
from pos.hardware.printing.print_queue import PrintQueue
from pos.services.handover import HandoverService
from pos.services.handover_ports import ReportPrinter
from pos.services.ports import StaffMember
from pos.services.station_board import StationBoard
from pos.sync.drainer import OutboxDrainer
from pos.sync.shift_ledger import StoreShiftLedger
from pos.sync.shift_routes import HttpShiftRoutes, StaffPinVerifier
from pos.sync.staff_verifiers import StaffVerifierCache
from pos.sync.store import LocalStore
from pos.ui.bridge import QtFollowerBridge
from pos.ui.handover_screen import HandoverTargets, QtHandoverScreen
from pos.ui.main_window import MainWindow
from pos.ui.shift_history import QtShiftHistory
from pos.ui.tasks import Operation, QtTaskRunner

if TYPE_CHECKING:
    from pos.hardware.printing.virtual import VirtualPrinter
    from pos.services.ports import EventBatch, StationSnapshot
    from pos.sync.client import BackendClient

log = logging.getLogger(__name__)


@dataclass
class HandoverWiring:
    service: HandoverService
    runner: QtTaskRunner
    screen: QtHandoverScreen
    history: QtShiftHistory
    printer: VirtualPrinter | None = None  # the demo's virtual printer, when this wiring started one
    queue: PrintQueue | None = None
    _stops: list[Callable[[], None]] = field(default_factory=list)

    def open(self) -> QtHandoverScreen:
        self.screen.open_screen()
        return self.screen

    def stop(self) -> None:
        self.runner.shutdown()
        for stop in reversed(self._stops):
            stop()


def virtual_report_printer(out_dir: Path) -> tuple[PrintQueue, VirtualPrinter]:
    """No receipt printer configured: a virtual one on loopback (the demo), its paper in ``out_dir``."""
    from pos.hardware.printing.virtual import VirtualPrinter  # the demo's paper, loaded only there

    printer = VirtualPrinter(out_dir / "paper").start()
    queue = PrintQueue(printer.settings(), out_dir / "spool").start()
    return queue, printer


def install_handover(
    window: MainWindow,
    board: StationBoard,
    store: LocalStore,
    client: BackendClient,
    staff: Callable[[], StaffMember | None],
    till: tuple[str, str],
    printer: ReportPrinter | None = None,
    data_dir: Path | None = None,
    targets: HandoverTargets | None = None,
    upload_now: Callable[[], object] | None = None,
    bridge: QtFollowerBridge | None = None,
    session_client: Callable[[], BackendClient] | None = None,
) -> HandoverWiring:
    """Build the handover and plug it in as F9 (managers only). ``till`` is (till id, till name)."""
    runner = QtTaskRunner(window)
    ledger = StoreShiftLedger(store)
    stops: list[Callable[[], None]] = []
    virtual, queue = None, None
    if printer is None:
        queue, virtual = virtual_report_printer((data_dir or Path(".")) / "handover-printer")
        printer = queue
        stops += [virtual.stop, queue.stop]
    service = HandoverService(
        HttpShiftRoutes(session_client or client.twin()),
        ledger,
        printer,
        StaffPinVerifier(client, StaffVerifierCache(store)),
        till_id=till[0],
        till_name=till[1],
        upload_now=upload_now,
    )
    history = QtShiftHistory(service, runner, window)
    screen = QtHandoverScreen(
        service, runner, board, staff, targets or HandoverTargets(), history.open_screen, window
    )
    wiring = HandoverWiring(service, runner, screen, history, virtual, queue, stops)
    window.add_screen_action(
        window.tr("班结 Shift"), window.tr("交班 Handover"), Qt.Key.Key_F9, wiring.open, Permission.HANDOVER,
        "handoverAction",
    )  # fmt: skip
    if bridge is not None:
        _record_fills_from(bridge, service, runner)
    return wiring


def counter_session_client(counter: object, fallback: BackendClient) -> Callable[[], BackendClient]:
    """The client the counter signed the current staff member in on (it carries their session).

    Interface assumed from the counter wiring (issue 4): ``CounterFeature.auth`` is a ``StaffAuth`` whose
    backend is ``CounterRoutes`` with a public ``client``. Without it, the main client is used.
    """

    def current() -> BackendClient:
        backend = getattr(getattr(counter, "auth", None), "_backend", None)
        found = getattr(backend, "client", None)
        return found if found is not None and hasattr(found, "twin") else fallback

    return current


def _record_fills_from(bridge: QtFollowerBridge, service: HandoverService, runner: QtTaskRunner) -> None:
    """Every fill the till hears of is kept locally, for an offline handover's sold volumes."""

    def from_events(batch: EventBatch) -> None:
        from pos.domain.transaction import PumpTransaction

        fills = [e.payload for e in batch.events if isinstance(e.payload, PumpTransaction)]
        if fills:
            runner.run(Operation(lambda: service.note_fills(fills), _ignore, _log_failure, "handover-fills"))

    def from_snapshot(snapshot: StationSnapshot) -> None:
        fills = list(snapshot.transactions)
        runner.run(Operation(lambda: service.note_fills(fills), _ignore, _log_failure, "handover-fills"))

    bridge.connect_station(from_snapshot, from_events)  # the fills heard before it was plugged in too


def _ignore(_: object) -> None:
    return None


def _log_failure(error: object) -> None:
    log.warning("could not keep the fills for the handover: %s", getattr(error, "code", error))


def install_in_station_app(app: Any, settings: Any, client: BackendClient) -> HandoverWiring:
    """F9 in the running till: the counter's session, inbox and the outbox dialog as blocker targets.

    The close is sent at once by a drainer of its own (its own lease owner, so it takes turns with the
    outbox thread rather than racing it); the till id is not known locally, so fills this till holds are
    listed as "held by <till name>" rather than "this till holds".
    """
    counter, status = app.counter, app.outbox_status

    def to_inbox(key: str) -> None:
        if counter is not None:
            counter.inbox.select_key(key)
            counter.inbox.focus_list()
            app.window.activateWindow()

    targets = HandoverTargets(
        transaction=lambda transaction_id: to_inbox(f"pump:{transaction_id}"),
        order=lambda order_id: to_inbox(f"order:{order_id}"),
        outbox=status.open_dialog if status is not None else None,
    )
    printer = app.printer
    sender = OutboxDrainer(app.store, client.twin(with_staff=False))
    return install_handover(
        app.window, app.board, app.store, client, lambda: app.window.staff, ("", settings.till_name),
        printer=printer, data_dir=settings.data_dir, targets=targets,
        upload_now=sender.drain_until_idle, bridge=app.bridge,
        session_client=counter_session_client(counter, client),
    )  # fmt: skip
