"""核销 Write-off screen (F4): six-digit entry, what the code is, confirm, and today's list.

Every step runs on the ``writeoff`` lane of the task runner (lookup and reserve are network calls, the
confirm a local transaction plus a print job), so the GUI thread never waits. Refusals stay on the screen
as an inline banner: "核销码 123456 已于 11-21 14:02 在 前台2 (李强) 核销". Enter looks the code up, or
confirms the code on screen; Esc gives the code back, or closes the screen.

Signals:
    candidate_shown(Candidate): a code is on screen, waiting for the confirm.
    refused(PosError): the banner shows why a code cannot be redeemed (or why a step failed).
    redeemed(Redeemed): recorded, queued for the backend, slip queued for printing.
    today_shown(DaySummary): today's list was refreshed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import tzinfo
from typing import Any

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QKeyEvent, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos.domain.codes import WriteOffKind
from pos.domain.errors import PosError
from pos.domain.money import format_fen
from pos.services.ports import StaffMember
from pos.services.ports_writeoff import CodeInfo, CodeRefused
from pos.services.writeoff import Candidate, DaySummary, Redeemed, WriteOffDesk, redeemed_line
from pos.ui.tasks import Operation, QtTaskRunner
from pos.ui.writeoff_today import KIND_TEXT, QtWriteOffToday

log = logging.getLogger(__name__)
LANE = "writeoff"
STYLE_SHEET = """
QDialog { background: #F6F7F9; }
QLineEdit#codeEdit { font-size: 44px; font-weight: bold; letter-spacing: 8px; padding: 4px 12px;
    min-height: 72px; }
QLineEdit#valueEdit { font-size: 28px; min-height: 56px; }
QPushButton { font-size: 18px; min-height: 56px; padding: 0 18px; }
QPushButton#confirmButton { background: #1E9448; color: white; font-weight: bold; font-size: 22px; }
QPushButton#confirmButton:disabled { background: #A9CDB5; }
QPushButton:checked { background: #1F2933; color: white; }
QLabel#banner { font-size: 20px; padding: 10px; border-radius: 6px; }
QLabel#banner[tone="error"] { background: #FDECEA; color: #B71C1C; border: 1px solid #E57373; }
QLabel#banner[tone="ok"] { background: #E7F5EC; color: #14612F; border: 1px solid #81C995; }
QLabel#banner[tone="info"] { background: #EEF2F7; color: #1F2933; }
QLabel#kindLabel { font-size: 18px; color: #52606D; }
QLabel#titleLabel { font-size: 30px; font-weight: bold; color: #1F2933; }
QLabel#detailLabel { font-size: 18px; color: #1F2933; }
QLabel#sectionTitle { font-size: 17px; font-weight: bold; color: #1F2933; }
QLabel#totalsLabel { font-size: 17px; font-weight: bold; }
QTableWidget { font-size: 15px; }
"""


def coupon_lines(info: CodeInfo, zone: tzinfo | None) -> list[str]:
    cond = info.conditions
    if cond is None:
        return []
    grades = "、".join(cond.grades) if cond.grades else "任意油品 any grade"
    lines = [f"满 {format_fen(cond.threshold_fen)} 减 {format_fen(cond.reduction_fen)}，限 {grades}"]
    if cond.valid_until is not None:
        lines.append(f"有效期至 valid until {cond.valid_until.astimezone(zone):%Y-%m-%d %H:%M}")
    return lines


def detail_lines(info: CodeInfo, zone: tzinfo | None) -> list[str]:
    """What staff check before confirming: conditions, items and quantities, value, member."""
    lines = [info.description]
    if info.kind is WriteOffKind.COUPON:
        lines += coupon_lines(info, zone)
    if info.order_no:
        lines.append(f"订单号 Order {info.order_no}")
    lines += [f"  • {item.name} × {item.quantity} {item.unit}" for item in info.items]
    lines.append(f"面值 Value {format_fen(info.value_fen)}")
    if info.member_name:
        lines.append(f"会员 Member {info.member_name} {info.member_phone_masked or ''}".rstrip())
    return lines


def refusal_text(error: PosError, zone: tzinfo | None, code: str = "") -> str:
    if isinstance(error, CodeRefused) and error.redeemed is not None:
        prefix = f"核销码 {code} " if code else ""
        return f"{prefix}{redeemed_line(error.redeemed, zone)}"
    return f"{error.title}：{error.message}"


class QtWriteOffScreen(QDialog):
    candidate_shown = Signal(object)
    refused = Signal(object)
    redeemed = Signal(object)
    today_shown = Signal(object)

    def __init__(
        self,
        desk: WriteOffDesk,
        runner: QtTaskRunner,
        staff: Callable[[], StaffMember | None],
        zone: Callable[[], tzinfo | None],
        open_camera: Callable[[], object] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._desk = desk
        self._runner = runner
        self._staff = staff
        self._zone = zone
        self._open_camera = open_camera
        self.candidate: Candidate | None = None
        self._busy = False
        self.setObjectName("writeOffScreen")
        self.setWindowTitle(self.tr("核销 Write-off"))
        self.setStyleSheet(STYLE_SHEET)
        self.resize(900, 760)
        self._build()
        self._show_candidate_panel(None)

    # -- building --------------------------------------------------------------------------------------

    def _button(self, text: str, name: str, slot: Callable[[], Any]) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setAutoDefault(False)  # Enter is ours (look up or confirm), not the dialog's default button
        button.clicked.connect(slot)
        return button

    def _build(self) -> None:
        self.code_edit = QLineEdit()
        self.code_edit.setObjectName("codeEdit")
        self.code_edit.setPlaceholderText(self.tr("6位核销码"))
        self.code_edit.setMaxLength(6)
        self.code_edit.setValidator(QRegularExpressionValidator(QRegularExpression("[0-9０-９]{0,6}")))
        self.look_up_button = self._button(self.tr("查询 Look up"), "lookUpButton", self.look_up)
        self.camera_button = self._button(self.tr("扫码 Camera"), "cameraButton", self._camera)
        self.camera_button.setVisible(self._open_camera is not None)
        entry = QHBoxLayout()
        entry.addWidget(self.code_edit, 1)
        entry.addWidget(self.look_up_button)
        entry.addWidget(self.camera_button)
        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.kind_label = QLabel()
        self.kind_label.setObjectName("kindLabel")
        self.title_label = QLabel()
        self.title_label.setObjectName("titleLabel")
        self.title_label.setWordWrap(True)
        self.detail_label = QLabel()
        self.detail_label.setObjectName("detailLabel")
        self.detail_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(entry)
        layout.addWidget(self.banner)
        layout.addWidget(self.kind_label)
        layout.addWidget(self.title_label)
        layout.addWidget(self.detail_label)
        layout.addWidget(self._build_offline_panel())
        layout.addLayout(self._build_actions())
        self.today = QtWriteOffToday()
        layout.addWidget(self.today, 1)

    def _build_offline_panel(self) -> QWidget:
        self.offline_panel = QWidget()
        self.value_edit = QLineEdit()
        self.value_edit.setObjectName("valueEdit")
        self.value_edit.setPlaceholderText(self.tr("面值（元）Value in yuan"))
        self.value_edit.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{1,5}(\.\d{1,2})?")))
        self.kind_buttons = QButtonGroup(self)
        row = QHBoxLayout(self.offline_panel)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.value_edit, 1)
        for kind in WriteOffKind:
            button = QPushButton(KIND_TEXT[kind])
            button.setCheckable(True)
            button.setAutoDefault(False)
            button.setProperty("kind", kind.value)
            self.kind_buttons.addButton(button)
            row.addWidget(button)
        return self.offline_panel

    def _build_actions(self) -> QHBoxLayout:
        self.confirm_button = self._button(self.tr("确认核销 Confirm (Enter)"), "confirmButton", self.confirm)
        self.cancel_button = self._button(self.tr("取消 Cancel (Esc)"), "cancelButton", self.cancel)
        row = QHBoxLayout()
        row.addWidget(self.confirm_button, 2)
        row.addWidget(self.cancel_button, 1)
        return row

    # -- opening ---------------------------------------------------------------------------------------

    def open_screen(self) -> None:
        """F4: show, focus the code entry, refresh today's list."""
        self.show()
        self.raise_()
        self.activateWindow()
        self.code_edit.setFocus()
        self.refresh_today()

    def open_code(self, text: str) -> None:
        """A scan (wedge or camera) arrived: show the screen and look the code up at once."""
        self.open_screen()
        if self.candidate is not None and self.candidate.code != text:
            self.cancel()
        self.code_edit.setText(text if len(text) <= 6 else "")
        self._look_up_text(text)

    # -- steps -----------------------------------------------------------------------------------------

    def look_up(self) -> None:
        self._look_up_text(self.code_edit.text())

    def _look_up_text(self, text: str) -> None:
        staff = self._staff()
        if staff is None or self._busy:
            return
        self._set_busy(True, self.tr("正在查询… Looking up"))
        self._run(lambda: self._desk.open(text, staff), self._show_candidate)

    def confirm(self) -> None:
        staff, candidate = self._staff(), self.candidate
        if staff is None or candidate is None or self._busy:
            return
        value, kind = self._offline_inputs(candidate)
        self._set_busy(True, self.tr("正在核销… Redeeming"))
        self._run(lambda: self._desk.confirm(candidate, staff, value, kind), self._show_redeemed)

    def cancel(self) -> None:
        candidate, self.candidate = self.candidate, None
        self._show_candidate_panel(None)
        self._say("", "info")
        if candidate is not None and candidate.reserved:
            self._runner.run(
                Operation(lambda: self._desk.cancel(candidate), lambda _: None, self._refuse, LANE)
            )
        self.code_edit.clear()
        self.code_edit.setFocus()

    def refresh_today(self) -> None:
        zone = self._zone()
        self._runner.run(Operation(lambda: self._desk.today(zone), self._show_today, self._refuse, LANE))

    def _run(self, work: Callable[[], Any], on_done: Callable[[Any], None]) -> None:
        self._runner.run(Operation(work, on_done, self._refuse, LANE))

    def _offline_inputs(self, candidate: Candidate) -> tuple[int | None, WriteOffKind | None]:
        if not candidate.offline or candidate.info is not None:
            return None, None
        text = self.value_edit.text().strip()
        yuan, _, jiao = text.partition(".")
        value = int(yuan) * 100 + int(jiao.ljust(2, "0")) if yuan.isdigit() else None
        checked = self.kind_buttons.checkedButton()
        kind = WriteOffKind(checked.property("kind")) if checked else candidate.kind_hint
        return value, kind

    # -- outcomes (GUI thread) -------------------------------------------------------------------------

    def _show_candidate(self, candidate: Candidate) -> None:
        self._set_busy(False)
        self.candidate = candidate
        self.code_edit.setText(candidate.code)
        self._show_candidate_panel(candidate)
        if candidate.offline:
            limit = format_fen(candidate.offline_limit_fen)
            self._say(self.tr("离线核销：后台无法连接，限额 {0} / Offline, up to {0}").format(limit), "info")
        else:
            self._say(self.tr("请核对后按 Enter 确认 / Check, then Enter to confirm"), "info")
        self.candidate_shown.emit(candidate)

    def _show_candidate_panel(self, candidate: Candidate | None) -> None:
        info = candidate.info if candidate else None
        kind = info.kind if info else (candidate.kind_hint if candidate else None)
        self.kind_label.setText(KIND_TEXT[kind] if kind else "")
        self.title_label.setText(info.title if info else (candidate.code if candidate else ""))
        self.detail_label.setText("\n".join(detail_lines(info, self._zone())) if info else "")
        needs_inputs = candidate is not None and candidate.offline and info is None
        self.offline_panel.setVisible(needs_inputs)
        if needs_inputs:
            self.value_edit.clear()
            for button in self.kind_buttons.buttons():
                button.setChecked(bool(kind) and button.property("kind") == getattr(kind, "value", None))
        self.confirm_button.setEnabled(candidate is not None)
        self.cancel_button.setEnabled(candidate is not None)

    def _show_redeemed(self, done: Redeemed) -> None:
        self._set_busy(False)
        self.candidate = None
        self._show_candidate_panel(None)
        record = done.local.record
        text = self.tr("核销成功 Redeemed：{0} {1}").format(record.code, record.title)
        if done.print_error is not None:
            text += f"（{done.print_error.title}）"
        self._say(text, "ok")
        self.code_edit.clear()
        self.code_edit.setFocus()
        self.redeemed.emit(done)
        self.refresh_today()

    def _show_today(self, summary: DaySummary) -> None:
        self.today.show_summary(summary, self._zone())
        self.today_shown.emit(summary)

    def _refuse(self, error: PosError) -> None:
        self._set_busy(False)
        if error.code != "invalid_value" and self.candidate is None:
            self._show_candidate_panel(None)
        self._say(refusal_text(error, self._zone(), self.code_edit.text()), "error")
        self.refused.emit(error)

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self._busy = busy
        self.look_up_button.setEnabled(not busy)
        if busy:
            self.confirm_button.setEnabled(False)
            self._say(text, "info")
        else:
            self.confirm_button.setEnabled(self.candidate is not None)

    def _say(self, text: str, tone: str) -> None:
        self.banner.setText(text)
        self.banner.setVisible(bool(text))
        self.banner.setProperty("tone", tone)
        self.banner.style().unpolish(self.banner)
        self.banner.style().polish(self.banner)

    def _camera(self) -> None:
        if self._open_camera is not None:
            self._open_camera()

    # -- keys ------------------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.confirm() if self.candidate is not None else self.look_up()
            return
        if key == Qt.Key.Key_Escape and self.candidate is not None:
            self.cancel()
            return
        super().keyPressEvent(event)
