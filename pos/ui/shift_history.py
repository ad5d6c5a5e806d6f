"""Past shifts (班次历史) with drill-down: pick a shift to see its figures, charts and printed reports.

The list comes from local history, refreshed from the backend when it answers (``HandoverService.history``
runs on the handover lane); a shift whose close has not reached the backend is marked "待上传".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QPlainTextEdit, QSplitter, QVBoxLayout, QWidget

from pos.domain.errors import PosError
from pos.domain.money import format_fen
from pos.services.handover import HandoverService
from pos.services.handover_ports import LocalShift, StoredReport
from pos.ui.charts import QtShiftCharts
from pos.ui.handover_widgets import fill_rows, read_only_table
from pos.ui.tasks import Operation, QtTaskRunner

LANE = "handover"


def _when(moment: datetime | None) -> str:
    return "—" if moment is None else moment.astimezone().strftime("%m-%d %H:%M")


def _money(fen: int | None) -> str:
    return "—" if fen is None else format_fen(fen)


class QtShiftHistory(QDialog):
    def __init__(self, service: HandoverService, runner: QtTaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shiftHistory")
        self.setWindowTitle(self.tr("班次历史 Shift history"))
        self._service, self._runner = service, runner
        self.shifts: list[LocalShift] = []
        layout = QVBoxLayout(self)
        self.banner = QLabel()
        self.banner.hide()
        layout.addWidget(self.banner)
        splitter = QSplitter(Qt.Orientation.Vertical)
        self.table = read_only_table(
            [self.tr("班次 No."), self.tr("开班 Opened"), self.tr("截点 Cut"), self.tr("状态 State"),
             self.tr("实点 Counted"), self.tr("差异 Variance"), self.tr("上传 Upload")],
            "shiftHistoryTable",
        )  # fmt: skip
        self.table.itemSelectionChanged.connect(self._drill_down)
        splitter.addWidget(self.table)
        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        self.charts = QtShiftCharts()
        self.reports = QPlainTextEdit()
        self.reports.setObjectName("shiftReports")
        self.reports.setReadOnly(True)
        detail_layout.addWidget(self.charts, 2)
        detail_layout.addWidget(self.reports, 1)
        splitter.addWidget(detail)
        layout.addWidget(splitter)
        self.resize(1000, 760)

    def open_screen(self) -> None:
        self.show()
        self.raise_()
        self.refresh()

    def refresh(self) -> None:
        self._runner.run(Operation(self._service.history, self._show_shifts, self._failed, LANE))

    def _failed(self, error: PosError) -> None:
        self.banner.setStyleSheet("background: #FDE2E1; color: #B71C1C; padding: 6px;")
        self.banner.setText(f"{error.title} — {error.message}")
        self.banner.show()

    def _show_shifts(self, shifts: Sequence[LocalShift]) -> None:
        self.shifts = list(shifts)
        rows = []
        for record in self.shifts:
            s = record.shift
            upload = self.tr("待上传 pending") if record.pending_upload else "✓"
            rows.append(
                [str(s.number), _when(s.opened_at), _when(s.cut_at), s.state.label, _money(s.counted_fen),
                 _money(s.variance_fen), upload]
            )  # fmt: skip
        fill_rows(self.table, rows)
        if self.shifts:
            self.table.selectRow(0)
        self.table.setFocus()

    def _drill_down(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.shifts):
            return
        record = self.shifts[row]
        self.charts.show_summary(record.summary)
        shift_id = record.shift.id
        self._runner.run(
            Operation(lambda: self._service.reports(shift_id), self._show_reports, self._failed, LANE)
        )

    def _show_reports(self, reports: Sequence[StoredReport]) -> None:
        blocks = [f"[{r.kind.upper()}] {_when(r.printed_at)}\n" + "\n".join(r.lines) for r in reports]
        self.reports.setPlainText(
            "\n\n".join(blocks) or self.tr("本机未打印此班报表 / No report printed here")
        )
