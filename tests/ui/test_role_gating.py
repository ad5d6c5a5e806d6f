"""Screens plug into the main window through one hook that shows only what the signed-in role may use."""

from __future__ import annotations

from PySide6.QtCore import Qt

from pos.domain.roles import Permission
from pos.services.ports import StaffMember
from pos.services.station_board import StationBoard
from pos.ui.main_window import MainWindow


def staff(role: str) -> StaffMember:
    return StaffMember(staff_no="1", name="测试", role=role)


def test_actions_follow_the_role_of_whoever_is_signed_in(qtbot: object) -> None:
    window = MainWindow(StationBoard(), "前台1", staff("attendant"))
    opened: list[str] = []
    write_off = window.add_screen_action(
        "核销", "核销 Write-off", Qt.Key.Key_F4, lambda: opened.append("w"), Permission.WRITE_OFF, "w"
    )
    handover = window.add_screen_action(
        "班结", "交班 Handover", Qt.Key.Key_F9, lambda: opened.append("h"), Permission.HANDOVER, "h"
    )
    assert (write_off.isVisible(), handover.isVisible()) == (True, False)
    menus = {action.text(): action.isVisible() for action in window.menuBar().actions()}
    assert menus == {"核销": True, "班结": False}
    handover.trigger()  # a hidden, disabled action does nothing even if triggered programmatically
    write_off.trigger()
    assert opened == ["w"]

    window.set_staff(staff("manager"))
    assert (write_off.isVisible(), handover.isVisible()) == (True, True)
    window.set_staff(None)
    assert not write_off.isEnabled() and not handover.isEnabled()
