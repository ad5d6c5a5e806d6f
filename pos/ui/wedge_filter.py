"""Keyboard-wedge scanner anywhere in the app: an event filter on the QApplication feeding WedgeClassifier.

A USB scanner types its code a key every few milliseconds and presses Enter. Whatever widget has focus,
such a burst is swallowed and handed to ``on_scan`` (the write-off flow); it never lands in the field.
A person's keys are held back at most ``max_gap_s`` (40 ms) and then replayed, in order, to the widget
that has focus, so typing is unchanged.

Only the first delivery of a key press is looked at: the one to the focus widget (or to a window when no
widget has focus). Qt also shows the application's filters the same event on its way to the window and,
if ignored, to each parent; those are let through. Keys are timed on ``time.monotonic`` when they are
handled; keys queued while the GUI thread was busy could then look like a burst, but only a run of six
or more printable keys ended by Enter within 40 ms of each other counts.

Signals:
    scanned(str): a burst was recognised (also passed to ``on_scan``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from pos.hardware.scanning.wedge import WedgeAction, WedgeClassifier

log = logging.getLogger(__name__)
FLUSH_INTERVAL_MS = 20


def key_for(char: str) -> int:
    """The Qt key code of a printable ASCII character (letters as their upper case, as Qt does)."""
    return ord(char.upper()) if char.isascii() and char.isprintable() else int(Qt.Key.Key_unknown)


class QtWedgeFilter(QObject):
    scanned = Signal(str)

    def __init__(
        self,
        on_scan: Callable[[str], None],
        classifier: WedgeClassifier | None = None,
        enabled: Callable[[], bool] = lambda: True,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._on_scan = on_scan
        self.classifier = classifier or WedgeClassifier()
        self._enabled = enabled
        self._clock = clock
        self._replaying = False
        self._flush_timer = QTimer(self)
        self._flush_timer.setInterval(FLUSH_INTERVAL_MS)
        self._flush_timer.timeout.connect(self._flush)

    def install(self, app: QApplication) -> None:
        app.installEventFilter(self)

    def remove(self, app: QApplication) -> None:
        app.removeEventFilter(self)
        self._flush_timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or self._replaying or not isinstance(event, QKeyEvent):
            return False
        if not self._first_delivery(watched) or not event.text() or not self._enabled():
            return False
        if event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
            return False  # shortcuts are never part of a scan
        decision = self.classifier.feed_key(event.text(), self._clock())
        self._replay(decision.replay)
        if decision.action is WedgeAction.CONSUME:
            self._flush_timer.start()
            return True
        self._flush_timer.stop()
        if decision.action is WedgeAction.SCAN:
            log.info("keyboard-wedge scan of %d characters", len(decision.scanned))
            self.scanned.emit(decision.scanned)
            self._on_scan(decision.scanned)
            return True
        return False

    @staticmethod
    def _first_delivery(watched: QObject) -> bool:
        focus = QApplication.focusWidget()
        if focus is not None:
            return watched is focus
        return isinstance(watched, QWidget) and watched.isWindow()

    def _flush(self) -> None:
        self._replay(self.classifier.flush(self._clock()))
        if not self.classifier.holding:
            self._flush_timer.stop()

    def _replay(self, text: str) -> None:
        """Deliver held keys to whoever has focus now, as the key presses they were."""
        if not text:
            return
        target = QApplication.focusWidget() or QApplication.activeWindow()
        if target is None:
            log.debug("no widget to replay %d held keys to", len(text))
            return
        self._replaying = True
        try:
            for char in text:
                for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                    event = QKeyEvent(kind, key_for(char), Qt.KeyboardModifier.NoModifier, char)
                    QApplication.sendEvent(target, event)
        finally:
            self._replaying = False
