"""Today's write-offs at this till, with totals per kind: the lower half of the write-off screen."""

from __future__ import annotations

from datetime import tzinfo

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pos.domain.codes import WriteOffKind
from pos.domain.money import format_fen
from pos.services.ports_outbox import OutboxState
from pos.services.ports_writeoff import LocalWriteOff
from pos.services.writeoff import DaySummary

KIND_TEXT = {
    WriteOffKind.COUPON: "优惠券 Coupon",
    WriteOffKind.PICKUP: "自提 Pickup",
    WriteOffKind.SERVICE: "服务 Service",
}
COLUMNS = ("时间 Time", "核销码 Code", "类型 Kind", "名称 Title", "面值 Value", "状态 State")


def state_text(entry: LocalWriteOff) -> str:
    if entry.flagged:
        return f"⚠ 待店长复核 Flagged: {entry.rejection_code or 'refused'}"
    if entry.outbox_state is OutboxState.ACKED:
        return "已确认 Confirmed"
    return "离线待上传 Offline, queued" if entry.record.offline else "上传中 Sending"


def totals_text(summary: DaySummary) -> str:
    parts = [
        f"{KIND_TEXT[kind].split()[0]} {total.count} 笔 {format_fen(total.value_fen)}"
        for kind, total in summary.totals.items()
    ]
    flagged = f"  ·  ⚠ 待复核 {summary.flagged} 笔" if summary.flagged else ""
    return "今日合计 Today:  " + "  ·  ".join(parts) + flagged


class QtWriteOffToday(QWidget):
    """A table of the day's records (newest last) and one line of totals per kind."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(self.tr("今日核销 Today's write-offs"))
        self.title.setObjectName("sectionTitle")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("todayTable")
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(self.table.focusPolicy().NoFocus)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.totals = QLabel()
        self.totals.setObjectName("totalsLabel")
        self.totals.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.totals)
        self.summary: DaySummary | None = None

    def show_summary(self, summary: DaySummary, zone: tzinfo | None) -> None:
        self.summary = summary
        self.table.setRowCount(len(summary.records))
        for row, entry in enumerate(summary.records):
            record = entry.record
            cells = (
                f"{record.redeemed_at.astimezone(zone):%H:%M}",
                record.code,
                KIND_TEXT[record.kind],
                record.title,
                format_fen(record.value_fen),
                state_text(entry),
            )
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.totals.setText(totals_text(summary))
