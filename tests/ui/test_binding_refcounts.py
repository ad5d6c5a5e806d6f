"""Guard for the PySide6 pin in pyproject.toml.

PySide6 6.12.0 on Python 3.11 drops a reference to ``None`` on every void call (``update()``,
``setPen()``) and to ``True`` on every signal emission; a live forecourt repaints enough for CPython to
abort with "none_dealloc" within minutes. Hence ``PySide6-Essentials<6.12``: this test fails if a binding
with that defect is ever installed again.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget


class _Probe(QObject):
    pinged = Signal()


def test_void_calls_and_signals_keep_singleton_refcounts(qtbot: object) -> None:
    probe, widget = _Probe(), QWidget()
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(200):
        widget.update()
        probe.setObjectName("probe")
        probe.pinged.emit()
    assert sys.getrefcount(None) >= none_before - 20
    assert sys.getrefcount(True) >= true_before - 20
