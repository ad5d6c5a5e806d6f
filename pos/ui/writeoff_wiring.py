"""Plugs the write-off feature into the till: F4 screen, camera dialog, keyboard wedge, scan routing.

Called from the composition root (pos.app) with what it already built (store, outbox, client, window);
everything write-off specific is made here so that pos.app gains only a line or two.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from pos.domain.codes import MemberPayload, WriteOffPayload, parse_scan
from pos.domain.receipt import ReceiptHeader
from pos.domain.roles import Permission, may
from pos.hardware.printing.print_queue import PrintQueue
from pos.hardware.scanning import CameraSettings
from pos.services.ports import StaffMember
from pos.services.ports_writeoff import SlipPrinter
from pos.services.writeoff import OfflinePolicy, WriteOffDesk
from pos.settings import Settings
from pos.sync.client import BackendClient
from pos.sync.connectivity import OutboxSync
from pos.sync.store import LocalStore
from pos.sync.writeoff_journal import StoreWriteOffJournal
from pos.sync.writeoff_routes import WriteOffRoutesClient
from pos.ui.camera_dialog import QtCameraDialog
from pos.ui.main_window import MainWindow
from pos.ui.tasks import QtTaskRunner
from pos.ui.wedge_filter import QtWedgeFilter
from pos.ui.writeoff_screen import QtWriteOffScreen

log = logging.getLogger(__name__)
SCAN_SOUND = Path(__file__).resolve().parents[2] / "resources" / "sounds" / "scan_ok.wav"
NOTICE_MS = 8000


def route_scan(
    text: str,
    open_write_off: Callable[[str], None],
    open_member: Callable[[str], None] | None,
    say: Callable[[str], None],
) -> None:
    """A scanned text goes where it belongs: write-off codes to the flow, member codes to members."""
    payload = parse_scan(text)
    if isinstance(payload, WriteOffPayload):
        open_write_off(payload.code)
    elif isinstance(payload, MemberPayload) and open_member is not None:
        open_member(payload.value)
    elif isinstance(payload, MemberPayload):
        say("会员码：请使用会员查询 / A member code: use member lookup")
    else:
        say(payload.reason)


def camera_settings(source: str, width: int, height: int, demo_file: bool) -> CameraSettings:
    """A device index ("0") or a video file; a demo file loops so the code keeps coming round."""
    device: int | str = int(source) if source.strip().isdigit() else source
    return CameraSettings(source=device, width=width, height=height, loop_file=demo_file)


def install_from_settings(
    settings: Settings,
    window: MainWindow,
    client: BackendClient,
    store: LocalStore,
    sync: OutboxSync,
    staff: Callable[[], StaffMember | None],
    station: Callable[[], tuple[str, tzinfo | None]],
    printer: PrintQueue | None,
) -> WriteOffFeature:
    """What pos.app calls: offline policy and camera as the settings say; the app's one receipt queue."""
    source = settings.camera_source
    demo_file = not source.strip().isdigit()
    camera = camera_settings(source, settings.camera_width, settings.camera_height, demo_file)
    policy = OfflinePolicy(settings.writeoff_offline_limit_fen)
    feature = install_writeoff(
        window, client, store, sync, printer, staff, station, settings.till_name, policy, camera
    )
    feature.printer = printer
    return feature


@dataclass
class WriteOffFeature:
    desk: WriteOffDesk
    runner: QtTaskRunner
    screen: QtWriteOffScreen
    camera: QtCameraDialog
    wedge: QtWedgeFilter
    printer: PrintQueue | None = None

    def open_code(self, code: str) -> None:
        self.screen.open_code(code)

    def route(self, text: str) -> None:
        route_scan(text, self.open_code, None, lambda message: log.info("scan not routed: %s", message))

    def shutdown(self) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            self.wedge.remove(app)
        self.camera.stop()
        self.runner.shutdown()


def install_writeoff(
    window: MainWindow,
    client: BackendClient,
    store: LocalStore,
    sync: OutboxSync,
    printer: SlipPrinter | None,
    staff: Callable[[], StaffMember | None],
    station: Callable[[], tuple[str, tzinfo | None]],
    till_name: str,
    policy: OfflinePolicy,
    camera: CameraSettings,
) -> WriteOffFeature:
    """Build the flow over its adapters and plug the screen in under F4 (attendant, cashier, manager)."""
    routes_client = client.twin()
    routes_client.read_retries = 0  # staff wait at the counter: offline at the first failure
    journal = StoreWriteOffJournal(
        store, sync.outbox.outbox, [sync.drainer.wake, sync.monitor.refresh_counts]
    )

    def header(who: StaffMember, at: datetime) -> ReceiptHeader:
        name, zone = station()
        return ReceiptHeader(name or "加油站", till_name, who.name, at, zone)

    desk = WriteOffDesk(
        WriteOffRoutesClient(routes_client), journal, printer, header, policy, till_name=till_name
    )
    runner = QtTaskRunner(window)
    dialog = QtCameraDialog(camera, SCAN_SOUND, window)
    screen = QtWriteOffScreen(desk, runner, staff, lambda: station()[1], dialog.start, window)

    def may_write_off() -> bool:
        who = staff()
        return who is not None and may(who.role, Permission.WRITE_OFF)

    wedge = QtWedgeFilter(lambda text: feature.route(text), enabled=may_write_off, parent=window)
    feature = WriteOffFeature(desk, runner, screen, dialog, wedge)
    dialog.code_scanned.connect(feature.route)
    app = QApplication.instance()
    if isinstance(app, QApplication):
        wedge.install(app)
    window.add_screen_action(
        window.tr("核销 Write-off"),
        window.tr("核销 Write-off"),
        Qt.Key.Key_F4,
        screen.open_screen,
        Permission.WRITE_OFF,
        "writeOffAction",
    )
    return feature
