"""Keep the GUI thread free: run an operation's work on a background lane, its outcome on the GUI thread.

An operation is described as data (what to run off the GUI thread, what to do with the result, what to
do with the error), as in Anki's ``run_in_background``. Each lane is one worker thread, so work on the
same resource (the backend, the local store, one printer) runs in order, and different lanes in parallel.
Outcomes travel back through a queue and an argument-free signal (see pos.ui.bridge for why).

Signals:
    _wake(): a finished operation waits in the queue; drained on the GUI thread.
"""

from __future__ import annotations

import functools
import logging
import queue
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, Qt, Signal, Slot

from pos.domain.errors import PosError

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class Operation(Generic[T]):
    """``work`` runs on ``lane``; then, on the GUI thread, ``on_done(result)`` or ``on_error(error)``.

    A library exception escaping ``work`` is a bug in an adapter (they translate at their boundary); it
    is logged and reported as an ``internal_error`` PosError rather than lost.
    """

    work: Callable[[], T]
    on_done: Callable[[T], None]
    on_error: Callable[[PosError], None]
    lane: str = "backend"


class QtTaskRunner(QObject):
    _wake = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lanes: dict[str, ThreadPoolExecutor] = {}
        self._finished: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self._wake.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._closed = False

    def run(self, operation: Operation[Any]) -> None:
        if self._closed:
            return
        lane = self._lanes.get(operation.lane)
        if lane is None:
            lane = self._lanes[operation.lane] = ThreadPoolExecutor(1, thread_name_prefix=operation.lane)
        lane.submit(self._work, operation)

    def _work(self, operation: Operation[Any]) -> None:
        outcome: Callable[[], None]
        try:
            result = operation.work()
        except PosError as refused:
            outcome = functools.partial(operation.on_error, refused)
        except Exception as exc:  # an untranslated library error: a bug, but the person still hears of it
            log.exception("operation failed on lane %s", operation.lane)
            failed = PosError("internal_error", "内部错误 / Internal error", f"{type(exc).__name__}: {exc}")
            outcome = functools.partial(operation.on_error, failed)
        else:
            outcome = functools.partial(operation.on_done, result)
        self._post(outcome)

    def _post(self, outcome: Callable[[], None]) -> None:
        self._finished.put(outcome)
        self._wake.emit()

    @Slot()
    def _deliver(self) -> None:
        while True:
            try:
                outcome = self._finished.get_nowait()
            except queue.Empty:
                return
            if not self._closed:
                outcome()

    def shutdown(self) -> None:
        """Stop taking work; outcomes still in flight are dropped (their screens are closing)."""
        self._closed = True
        for lane in self._lanes.values():
            lane.shutdown(wait=False, cancel_futures=True)
