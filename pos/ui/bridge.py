"""Moves the event follower's callbacks (a background thread) onto the GUI thread as Qt signals."""

from __future__ import annotations

import logging
import queue
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from pos.services.ports import ConnectionStatus, EventBatch, StationSnapshot
from pos.services.station_board import StationBoard

log = logging.getLogger(__name__)


class QtFollowerBridge(QObject):
    """Re-emits follower callbacks as signals on the GUI thread; the ``on_*`` methods are safe to call
    from any thread.

    The follower thread never emits a signal carrying a Python object: it queues the item and emits the
    argument-less ``_wake``, whose queued slot drains the queue on the GUI thread. (Cross-thread emission
    of ``Signal(object)`` crashed PySide6 6.12 with a refcount error on None under load.)

    Signals:
        snapshot_received(StationSnapshot): a full snapshot replaced the station state.
        events_received(EventBatch): a page of events (possibly empty: the long-poll ended quietly).
        connection_changed(ConnectionStatus): online / degraded / offline, with since-when.
    """

    snapshot_received = Signal(object)
    events_received = Signal(object)
    connection_changed = Signal(object)
    _wake = Signal()

    def __init__(self, parent: QObject | None = None, *, keep_history: bool = False) -> None:
        super().__init__(parent)
        self._pending: queue.SimpleQueue[StationSnapshot | EventBatch | ConnectionStatus] = (
            queue.SimpleQueue()
        )
        # Kept while screens are still being plugged in after the first frame, so they hear it all too.
        self._history: list[StationSnapshot | EventBatch] | None = [] if keep_history else None
        self._wake.connect(self._drain, Qt.ConnectionType.QueuedConnection)

    def connect_station(
        self,
        on_snapshot: Callable[[StationSnapshot], object] | None,
        on_events: Callable[[EventBatch], object],
    ) -> None:
        """Connect to the station signals, first hearing what was delivered before (while history is kept):
        a screen plugged in after the first frame misses no fill or order."""
        for item in self._history or ():
            if isinstance(item, EventBatch):
                on_events(item)
            elif on_snapshot is not None:
                on_snapshot(item)
        if on_snapshot is not None:
            self.snapshot_received.connect(on_snapshot)
        self.events_received.connect(on_events)

    def forget_history(self) -> None:
        """Every screen is plugged in: stop keeping what was delivered."""
        self._history = None

    def on_snapshot(self, snapshot: StationSnapshot) -> None:
        self._post(snapshot)

    def on_events(self, batch: EventBatch) -> None:
        self._post(batch)

    def on_connection(self, status: ConnectionStatus) -> None:
        self._post(status)

    def _post(self, item: StationSnapshot | EventBatch | ConnectionStatus) -> None:
        self._pending.put(item)
        self._wake.emit()

    @Slot()
    def _drain(self) -> None:
        """Deliver everything queued so far, in arrival order (one wake may find several items)."""
        while True:
            try:
                item = self._pending.get_nowait()
            except queue.Empty:
                return
            if isinstance(item, StationSnapshot):
                if self._history is not None:
                    self._history[:] = [item]  # a snapshot holds everything before it
                self.snapshot_received.emit(item)
            elif isinstance(item, EventBatch):
                if self._history is not None and item.events:
                    self._history.append(item)
                self.events_received.emit(item)
            else:
                self.connection_changed.emit(item)


class QtBoardFeeder(QObject):
    """Applies bridged data to the board on the GUI thread and ticks its staleness check."""

    def __init__(self, board: StationBoard, bridge: QtFollowerBridge, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._board = board
        self._bridge = bridge
        bridge.snapshot_received.connect(self.apply_snapshot)
        bridge.events_received.connect(self.apply_events)
        bridge.connection_changed.connect(self.apply_connection)
        self._stale_timer = QTimer(self)
        self._stale_timer.setInterval(1000)
        self._stale_timer.timeout.connect(board.check_staleness)
        self._stale_timer.start()

    def stop(self) -> None:
        """No more ticks or bridged data once the app stops: the widgets they would notify are going."""
        self._stale_timer.stop()
        self._bridge.snapshot_received.disconnect(self.apply_snapshot)
        self._bridge.events_received.disconnect(self.apply_events)
        self._bridge.connection_changed.disconnect(self.apply_connection)

    @Slot(object)
    def apply_snapshot(self, snapshot: StationSnapshot) -> None:
        self._board.apply_snapshot(snapshot)

    @Slot(object)
    def apply_events(self, batch: EventBatch) -> None:
        self._board.apply_events(batch.events)

    @Slot(object)
    def apply_connection(self, status: ConnectionStatus) -> None:
        self._board.set_connection(status)
