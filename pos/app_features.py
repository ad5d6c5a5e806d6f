"""Everything behind the till's first frame: the local store and outbox, members, receipts, write-offs,
the counter and the handover.

``pos.app`` shows the window and starts following the forecourt first; these steps then plug the rest in,
in order (each step may use what the earlier ones built). Loading them means loading the database layer,
the printer and the screens, which is most of the start-up; a running till runs them just after its first
frame, one step per turn of the event loop, so live tiles keep moving while the screens are built.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import tzinfo
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PySide6.QtCore import QCoreApplication, Qt

from pos.app_handover import install_in_station_app
from pos.domain.roles import Permission
from pos.printer_setup import receipt_queue
from pos.services.members import MemberLookup
from pos.services.station_board import StationBoard
from pos.sync.cache import StationCache, bind_to_backend
from pos.sync.connectivity import build_outbox_sync
from pos.sync.members import MemberCache, MemberCacheSync, MemberRoutes
from pos.sync.store import LocalStore
from pos.ui.counter_wiring import install_counter
from pos.ui.receipts_dialog import QtReceiptsDialog
from pos.ui.status_bar import QtOutboxStatus, station_zone_source
from pos.ui.tasks import QtTaskRunner
from pos.ui.writeoff_wiring import install_from_settings

if TYPE_CHECKING:
    from pos.app import StationApp

log = logging.getLogger(__name__)
translate = QCoreApplication.translate  # in the window's context: lupdate and the running app agree
CACHE_FILE = "cache.sqlite3"
MEMBER_SYNC_INTERVAL_SECONDS = 300.0
NOTICE_SHOWN_MS = 60_000


def prime_board_from_cache(board: StationBoard, cache: StationCache) -> bool:
    """Show the last known station at once, marked stale until the backend answers."""
    cached = cache.load()
    if cached is None:
        return False
    board.apply_snapshot(cached.snapshot)
    board.last_contact = None  # cached, not heard now: the staleness check flips every tile to stale
    board.check_staleness()
    log.info("board filled from the cache at seq %d", cached.snapshot.seq)
    return True


def station_labels(board: StationBoard) -> tuple[str, tzinfo | None]:
    """The station's name and zone for slips and times (what the board last heard)."""
    station = board.station
    try:
        return (station.name if station else ""), (ZoneInfo(station.timezone) if station else None)
    except (ZoneInfoNotFoundError, ValueError):
        return (station.name if station else ""), None


def open_store(app: StationApp) -> None:
    """The cache file: the follower writes into it from now on (what it already delivered first)."""
    store, notice = LocalStore.open_or_rebuild(app.cache_path or app.settings.data_dir / CACHE_FILE)
    app.store = store
    bind_to_backend(store, app.client.base_url)
    station_cache = StationCache(store)
    if app.board.last_seq is None:  # the backend has not answered yet: show the last known forecourt
        prime_board_from_cache(app.board, station_cache)
    app.follower.attach_cache(station_cache)
    if notice is not None:
        app.window.statusBar().showMessage(notice.message, NOTICE_SHOWN_MS)


def install_outbox(app: StationApp) -> None:
    sync = build_outbox_sync(app.require_store(), app.client.twin())
    app.outbox_sync = sync
    app.forward_connection(sync.monitor.on_follower)
    app.outbox_status = QtOutboxStatus(sync.monitor, sync.outbox, station_zone_source(app.board), app.window)
    app.window.add_connectivity_widget(app.outbox_status.label)


def install_members(app: StationApp) -> None:
    member_cache = MemberCache(app.require_store())
    app.member_sync = MemberCacheSync(
        member_cache, MemberRoutes(app.client.twin()), interval_seconds=MEMBER_SYNC_INTERVAL_SECONDS
    )
    lookup_client = app.client.twin()
    lookup_client.read_retries = 0  # the cashier waits: fall back to the cache at the first failure
    app.member_lookup = MemberLookup(MemberRoutes(lookup_client), member_cache)
    app.window.add_member_lookup(app.open_member_lookup)


def install_receipts(app: StationApp) -> None:
    app.printer = receipt_queue(app.settings)  # one queue per printer: receipts, slips and reports in order
    if app.printer is None:
        return
    window = app.window
    receipts = QtReceiptsDialog(app.printer, QtTaskRunner(window), window)
    window.add_screen_action(
        translate("MainWindow", "小票 Receipts"), translate("MainWindow", "小票与重打 Receipts and reprint"),
        Qt.Key.Key_F6,
        receipts.open_list, Permission.WRITE_OFF, "receiptsAction",
    )  # fmt: skip


def install_writeoff(app: StationApp) -> None:
    window, board = app.window, app.board
    app.writeoff = install_from_settings(
        app.settings, window, app.client, app.require_store(), app.require_outbox(),
        lambda: window.staff, lambda: station_labels(board), app.printer,
    )  # fmt: skip


def install_counter_screens(app: StationApp) -> None:
    settings = app.settings
    app.counter = install_counter(
        app.window, app.client, app.require_store(), app.require_outbox(), app.board, app.bridge,
        settings.till_name, speak_orders=settings.announce_orders_aloud,
        idle_minutes=settings.idle_lock_minutes, printer=app.printer,
    )  # fmt: skip


def install_handover(app: StationApp) -> None:
    app.handover = install_in_station_app(app, app.settings, app.client)


FEATURE_STEPS: tuple[Callable[[StationApp], None], ...] = (
    open_store,
    install_outbox,
    install_members,
    install_receipts,
    install_writeoff,
    install_counter_screens,
    install_handover,
)
