"""The list of records the backend has not accepted yet: unsent ones in order, rejected ones on top.

A rejected record is highlighted: the backend refused it (its reason is shown) and a manager must look at
it, but it holds nothing else back.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import tzinfo
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pos.domain.money import format_fen
from pos.services.ports_outbox import OutboxEntry, OutboxReader, OutboxState
from pos.ui.translations import QT_TRANSLATE_NOOP

# Bilingual sources, translated where shown (QtOutboxDialog.tr).
COLUMNS = (
    QT_TRANSLATE_NOOP("QtOutboxDialog", "时间 Time"),
    QT_TRANSLATE_NOOP("QtOutboxDialog", "内容 What"),
    QT_TRANSLATE_NOOP("QtOutboxDialog", "员工 Staff"),
    QT_TRANSLATE_NOOP("QtOutboxDialog", "状态 State"),
    QT_TRANSLATE_NOOP("QtOutboxDialog", "次数 Attempts"),
    QT_TRANSLATE_NOOP("QtOutboxDialog", "原因 Reason"),
)
STATE_LABELS = {
    OutboxState.PENDING: QT_TRANSLATE_NOOP("QtOutboxDialog", "待上传 Pending"),
    OutboxState.SENT: QT_TRANSLATE_NOOP("QtOutboxDialog", "发送中 Sent"),
    OutboxState.ACKED: QT_TRANSLATE_NOOP("QtOutboxDialog", "已确认 Acknowledged"),
    OutboxState.REJECTED: QT_TRANSLATE_NOOP("QtOutboxDialog", "被拒 Rejected"),
}
REJECTED_BACKGROUND = QColor("#FDE2E2")


def describe(entry: OutboxEntry) -> str:
    """What the record does, in the staff's words: ``销售 ¥200.00 3号油枪 92#汽油``."""
    if entry.path.endswith("/sales"):
        return _describe_sale(entry.body)
    return f"{entry.method} {entry.path}"


def _describe_sale(body: Mapping[str, Any]) -> str:
    total = body.get("total_fen")
    lines = body.get("lines") or []
    first = lines[0].get("description", "") if lines and isinstance(lines[0], Mapping) else ""
    more = f" 等{len(lines)}项" if len(lines) > 1 else ""
    amount = format_fen(total) if isinstance(total, int) else "?"
    return f"销售 {amount} {first}{more}".strip()


def reason_text(entry: OutboxEntry) -> str:
    if entry.state == OutboxState.REJECTED:
        message = entry.rejection_message or ""
        return f"{entry.rejection_code}: {message}" if entry.rejection_code else (entry.last_error or "")
    return entry.last_error or ""


class QtOutboxDialog(QDialog):
    """Reads the outbox when opened and on 刷新 Refresh; never writes to it."""

    def __init__(
        self, reader: OutboxReader, zone: tzinfo | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._reader = reader
        self._zone = zone
        self.setWindowTitle(self.tr("未上传记录 Unsent records"))
        self.resize(900, 420)
        self.summary = QLabel()
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr(column) for column in COLUMNS])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        refresh = QPushButton(self.tr("刷新 Refresh"))
        buttons.addButton(refresh, QDialogButtonBox.ButtonRole.ActionRole)
        refresh.clicked.connect(self.refresh)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.refresh()

    def refresh(self) -> None:
        entries = list(self._reader.unsent_and_rejected())
        rejected = sum(1 for e in entries if e.state == OutboxState.REJECTED)
        unsent = len(entries) - rejected
        summary = self.tr("{0} 条未上传 unsent · {1} 条被拒 rejected").format(unsent, rejected)
        if rejected:
            summary += self.tr("（被拒记录请店长处理 / a manager must review rejected records）")
        self.summary.setText(summary)
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            self._fill_row(row, entry)
        self.table.resizeColumnsToContents()

    def _fill_row(self, row: int, entry: OutboxEntry) -> None:
        cells = (
            entry.created_at.astimezone(self._zone).strftime("%m-%d %H:%M:%S"),
            describe(entry),
            entry.staff_no or "",
            self.tr(STATE_LABELS[entry.state]),
            str(entry.attempts),
            reason_text(entry),
        )
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, entry.id)
            if entry.state == OutboxState.REJECTED:
                item.setBackground(QBrush(REJECTED_BACKGROUND))
                item.setForeground(QBrush(QColor("#8B0000")))
            self.table.setItem(row, column, item)
