"""The "演示 Demo" menu of a training till: stop and start the embedded backend to show offline work,
and record a sample sale (the till has no checkout screen yet) so the unsent count has something to show.

Stopping and starting the child process takes seconds (graceful shutdown, boot), so it runs on a worker
thread; the result comes back to the GUI thread through a queue and an argument-free signal.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu

from pos.domain.errors import PosError
from pos.services.sales import RecordedSale, SaleLine, SalesRecorder, Tender

log = logging.getLogger(__name__)


class BackendControl(Protocol):
    """The demo backend child (pos.demo.BackendProcess): same port and database across restarts."""

    def stop(self) -> None: ...

    def start(self) -> object: ...


def record_demo_sale(recorder: SalesRecorder, staff_no: str) -> RecordedSale:
    """¥200.00 of 92# on nozzle 3, paid in cash: queued in the outbox like any real sale."""
    line = SaleLine("fuel", "3号油枪 92#汽油", 20_000, quantity_ml=26_954)
    return recorder.record(staff_no, [line], [Tender("cash", 20_000)])


class QtDemoMenu(QObject):
    """Adds the menu to ``window`` and keeps its two actions in step with the backend's state.

    Signals:
        backend_changed(bool): the backend is now running (True) or stopped (False).
    """

    backend_changed = Signal(bool)
    _wake = Signal()

    def __init__(
        self,
        window: QMainWindow,
        control: BackendControl,
        record_sale: Callable[[], object] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent or window)
        self._control = control
        self._record_sale = record_sale
        self._done: queue.SimpleQueue[tuple[bool, str]] = queue.SimpleQueue()
        self._wake.connect(self._finished, Qt.ConnectionType.QueuedConnection)
        self.menu = QMenu(self.tr("演示 Demo"), window)
        self.menu.setObjectName("demoMenu")
        self.stop_action = QAction(self.tr("停止后台 Stop backend"), self.menu)
        self.start_action = QAction(self.tr("启动后台 Start backend"), self.menu)
        self.stop_action.triggered.connect(self.stop_backend)
        self.start_action.triggered.connect(self.start_backend)
        self.menu.addAction(self.stop_action)
        self.menu.addAction(self.start_action)
        self.sale_action = QAction(self.tr("记录演示销售 Record a demo sale (¥200.00)"), self.menu)
        self.sale_action.triggered.connect(self.record_sale)
        self.sale_action.setVisible(record_sale is not None)
        self.menu.addSeparator()
        self.menu.addAction(self.sale_action)
        window.menuBar().addMenu(self.menu)
        self.running = True
        self._show(busy=False)

    @Slot()
    def stop_backend(self) -> None:
        self._run(self._control.stop, running_after=False)

    @Slot()
    def start_backend(self) -> None:
        self._run(self._control.start, running_after=True)

    @Slot()
    def record_sale(self) -> None:
        if self._record_sale is not None:
            self._record_sale()  # one local SQLite transaction: quick enough for the GUI thread

    def _run(self, call: Callable[[], object], running_after: bool) -> None:
        self._show(busy=True)

        def work() -> None:
            error = ""
            try:
                call()
            except PosError as failure:  # e.g. the backend did not come back: say so in the menu
                log.warning("demo backend control failed: %s", failure.code)
                error = failure.message
            self._done.put((running_after and not error, error))
            self._wake.emit()

        threading.Thread(target=work, name="demo-backend-control", daemon=True).start()

    @Slot()
    def _finished(self) -> None:
        while True:
            try:
                running, error = self._done.get_nowait()
            except queue.Empty:
                return
            self.running = running
            self.menu.setToolTip(error)
            self._show(busy=False)
            self.backend_changed.emit(running)

    def _show(self, busy: bool) -> None:
        self.stop_action.setEnabled(not busy and self.running)
        self.start_action.setEnabled(not busy and not self.running)
