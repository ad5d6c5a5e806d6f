"""Keyboard wedge: a scanner's burst goes to the write-off flow from any focused field; typing does not."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from pos.ui.wedge_filter import QtWedgeFilter


@pytest.fixture
def field(qtbot: QtBot) -> Iterator[QLineEdit]:
    window = QWidget()
    layout = QVBoxLayout(window)
    edit = QLineEdit()
    layout.addWidget(edit)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitActive(window):
        window.activateWindow()
    edit.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is edit)
    yield edit


@pytest.fixture
def routed(qtbot: QtBot) -> Iterator[tuple[QtWedgeFilter, list[str]]]:
    scans: list[str] = []
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    wedge = QtWedgeFilter(scans.append)
    wedge.install(app)
    yield wedge, scans
    wedge.remove(app)


def test_a_fast_burst_with_enter_is_routed_and_never_typed(
    qtbot: QtBot, field: QLineEdit, routed: tuple[QtWedgeFilter, list[str]]
) -> None:
    wedge, scans = routed
    qtbot.keyClicks(field, "abc")  # typed by hand earlier... but as fast as a burst: held, then replayed
    qtbot.waitUntil(lambda: field.text() == "abc", timeout=1000)
    with qtbot.waitSignal(wedge.scanned, timeout=1000) as signal:
        qtbot.keyClicks(field, "123456")  # a scanner: microseconds apart
        qtbot.keyClick(field, Qt.Key.Key_Return)
    assert signal.args == ["123456"]
    assert scans == ["123456"]
    qtbot.wait(80)  # longer than any hold: nothing is replayed late into the field
    assert field.text() == "abc"


def test_a_qr_payload_burst_is_routed_whole(
    qtbot: QtBot, field: QLineEdit, routed: tuple[QtWedgeFilter, list[str]]
) -> None:
    _, scans = routed
    qtbot.keyClicks(field, "SP1:W:P:123456:ABCD")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert scans == ["SP1:W:P:123456:ABCD"]
    assert field.text() == ""


def test_a_slow_typist_keeps_every_digit_in_order(
    qtbot: QtBot, field: QLineEdit, routed: tuple[QtWedgeFilter, list[str]]
) -> None:
    _, scans = routed
    returns: list[str] = []
    field.returnPressed.connect(lambda: returns.append(field.text()))
    for digit in "654321":
        qtbot.keyClick(field, digit)
        qtbot.wait(70)  # a quick person: 70 ms a key, still well above a scanner's 40 ms gap
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert field.text() == "654321"
    assert returns == ["654321"]  # Enter reached the field too
    assert scans == []


def test_a_short_fast_run_with_enter_is_typing_not_a_scan(
    qtbot: QtBot, field: QLineEdit, routed: tuple[QtWedgeFilter, list[str]]
) -> None:
    _, scans = routed
    qtbot.keyClicks(field, "12")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert field.text() == "12" and scans == []
