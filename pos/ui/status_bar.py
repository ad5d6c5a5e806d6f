"""The connectivity part of the status bar: link state, since when, unsent and rejected outbox records.

"已连接 Online", "连接不稳定 Degraded since 14:02", "离线 Offline since 14:02 · 3 条未上传 unsent" and,
in red, "· 1 条被拒 rejected" (bilingual sources: each UI language shows its own half). Being offline is
a state shown here, never an error dialog. Clicking the label opens the list of unsent and rejected
records.
"""

from __future__ import annotations

import html
import logging
import queue
from collections.abc import Callable
from datetime import tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QLabel, QWidget

from pos.services.ports import ConnectionState
from pos.services.ports_outbox import Connectivity, ConnectivitySource, OutboxReader
from pos.services.station_board import StationBoard
from pos.ui.outbox_dialog import QtOutboxDialog

log = logging.getLogger(__name__)

CONNECTING = "connecting"  # the monitor's reason before any source has spoken (pos.sync.connectivity)
STATE_COLOURS = {
    ConnectionState.ONLINE: "#1E9448",
    ConnectionState.DEGRADED: "#E8A400",
    ConnectionState.OFFLINE: "#C62828",
}
REJECTED_COLOUR = "#FF5A5A"  # readable on the dark status bar
ZoneSource = Callable[[], tzinfo | None]
# Counts are pushed on every enqueue and drain round; this re-read catches records another process wrote.
COUNTS_REFRESH_MS = 5_000


def station_zone_source(board: StationBoard) -> ZoneSource:
    """The station's time zone once the board knows the station (the till's own zone until then).

    Holds the board, not the app: a bound method of the app here would tie the app into a reference
    cycle and keep its timers running after its window closed."""

    def zone() -> tzinfo | None:
        station = board.station
        try:
            return ZoneInfo(station.timezone) if station else None
        except (ZoneInfoNotFoundError, ValueError):
            return None

    return zone


class QtConnectivityBridge(QObject):
    """Moves ``Connectivity`` values from worker threads to the GUI thread.

    Worker threads only queue the value and emit the argument-less ``_wake`` (see pos.ui.bridge for why no
    Python object crosses threads in a signal).

    Signals:
        connectivity_changed(Connectivity): the latest state and counts, on the GUI thread.
    """

    connectivity_changed = Signal(object)
    _wake = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pending: queue.SimpleQueue[Connectivity] = queue.SimpleQueue()
        self._wake.connect(self._drain, Qt.ConnectionType.QueuedConnection)

    def on_connectivity(self, connectivity: Connectivity) -> None:
        """Safe from any thread."""
        self._pending.put(connectivity)
        self._wake.emit()

    @Slot()
    def _drain(self) -> None:
        latest: Connectivity | None = None
        while True:
            try:
                latest = self._pending.get_nowait()
            except queue.Empty:
                break
        if latest is not None:  # only the newest matters to a label
            self.connectivity_changed.emit(latest)


class QtConnectivityLabel(QLabel):
    """Shows the latest ``Connectivity``; a click asks for the unsent-records list.

    Signals:
        clicked(): the user clicked the label (open the outbox dialog).
    """

    clicked = Signal()

    def __init__(self, zone: ZoneSource | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("connectivityLabel")
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(self.tr("点击查看未上传记录 / Click for unsent records"))
        self._zone = zone or (lambda: None)
        self.connectivity: Connectivity | None = None

    @Slot(object)
    def show_connectivity(self, connectivity: Connectivity) -> None:
        self.connectivity = connectivity
        state, unsent, rejected = self._texts(connectivity)
        colour = STATE_COLOURS[connectivity.state]
        parts = [f'<span style="color:{colour}">●</span> {html.escape(state)}']
        if unsent:
            parts.append(html.escape(unsent))
        text = " · ".join(parts)
        if rejected:
            shown = html.escape(f"· {rejected}")
            text += f' <span style="color:{REJECTED_COLOUR}; font-weight:bold">{shown}</span>'
        self.setText(text)
        reason = f"{connectivity.reason}\n" if connectivity.reason not in ("", CONNECTING) else ""
        self.setToolTip(reason + self.tr("点击查看未上传记录 / Click for unsent records"))

    def plain_text(self) -> str:
        """The label's words without markup: what staff read, and what tests compare."""
        if self.connectivity is None:
            return ""
        return " · ".join(text for text in self._texts(self.connectivity) if text)

    def _texts(self, connectivity: Connectivity) -> tuple[str, str, str]:
        """The link state, the unsent count and the rejected count ("" when there are none)."""
        unsent = self.tr("{0} 条未上传 unsent").format(connectivity.unsent) if connectivity.unsent else ""
        rejected = (
            self.tr("{0} 条被拒 rejected").format(connectivity.rejected) if connectivity.rejected else ""
        )
        return self._state_text(connectivity), unsent, rejected

    def _state_text(self, connectivity: Connectivity) -> str:
        if connectivity.reason == CONNECTING:
            return self.tr("正在连接 Connecting")
        if connectivity.state == ConnectionState.ONLINE:
            return self.tr("已连接 Online")
        since = connectivity.since.astimezone(self._zone()).strftime("%H:%M")
        if connectivity.state == ConnectionState.DEGRADED:
            return self.tr("连接不稳定 Degraded since {0}").format(since)
        return self.tr("离线 Offline since {0}").format(since)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mousePressEvent(event)


class QtOutboxStatus(QObject):
    """The label, its bridge from the monitor, and the unsent-records dialog it opens on a click."""

    def __init__(
        self,
        source: ConnectivitySource,
        reader: OutboxReader,
        zone: ZoneSource,
        window: QWidget,
    ) -> None:
        super().__init__(window)
        self._source = source
        self._reader = reader
        self._zone = zone
        self._window = window
        self.dialog: QtOutboxDialog | None = None
        self.label = QtConnectivityLabel(zone)
        self.bridge = QtConnectivityBridge(self.label)
        self.bridge.connectivity_changed.connect(self.label.show_connectivity)
        self.label.clicked.connect(self.open_dialog)
        self.label.show_connectivity(source.current)
        source.subscribe(self.bridge.on_connectivity)
        self._timer = QTimer(self)
        self._timer.setInterval(COUNTS_REFRESH_MS)
        self._timer.timeout.connect(source.refresh_counts)
        self._timer.start()

    @Slot()
    def open_dialog(self) -> QtOutboxDialog:
        if self.dialog is None:
            self.dialog = QtOutboxDialog(self._reader, self._zone(), self._window)
        else:
            self.dialog.refresh()
        self.dialog.show()
        self.dialog.raise_()
        return self.dialog

    def shutdown(self) -> None:
        """Stop listening before the worker threads that feed the monitor go away."""
        self._timer.stop()
        self._source.unsubscribe(self.bridge.on_connectivity)
