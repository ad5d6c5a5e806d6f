"""Charts a manager would rather look at than read, painted with QPainter (no chart library needed):
sales by hour, sales by grade, and metered against sold volume per nozzle.

Fed with the handover summary (``pos.services.handover_summary.summary_of``), the same dict local history
keeps, so a past shift draws exactly as it did at its close.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QHBoxLayout, QWidget

from pos.domain.grade import GradeCode
from pos.domain.money import format_fen

PALETTE = (QColor("#1565C0"), QColor("#F9A825"), QColor("#2E7D32"), QColor("#AD1457"))
FLAG = QColor("#C62828")
Series = Sequence[tuple[str, Sequence[int]]]  # (category label, one value per series)


class QtBarChart(QWidget):
    """Grouped vertical bars with a title, category labels and a legend; values are integers."""

    def __init__(self, title: str, legend: Sequence[str], fmt: Callable[[int], str], name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.title = title
        self.legend = tuple(legend)
        self._fmt = fmt
        self.data: list[tuple[str, tuple[int, ...]]] = []
        self.flagged: set[int] = set()  # category indexes drawn with a red label
        self.setMinimumSize(190, 180)  # three side by side in half a 1280-pixel screen

    def set_data(self, data: Series, flagged: set[int] | None = None) -> None:
        self.data = [(label, tuple(values)) for label, values in data]
        self.flagged = flagged or set()
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#FFFFFF"))
        painter.setPen(QColor("#1F2933"))
        painter.drawText(QRectF(8, 4, self.width() - 16, 22), Qt.AlignmentFlag.AlignLeft, self.title)
        self._legend(painter)
        if self.data:
            self._bars(painter)
        else:
            painter.drawText(QRectF(self.rect()), Qt.AlignmentFlag.AlignCenter, "—")
        painter.end()

    def _legend(self, painter: QPainter) -> None:
        x = self.width() - 8.0
        for index in reversed(range(len(self.legend))):
            text = self.legend[index]
            width = painter.fontMetrics().horizontalAdvance(text) + 22
            x -= width
            painter.fillRect(QRectF(x, 29, 12, 12), PALETTE[index % len(PALETTE)])
            painter.setPen(QColor("#1F2933"))
            painter.drawText(QRectF(x + 16, 24, width, 22), Qt.AlignmentFlag.AlignLeft, text)

    def _bars(self, painter: QPainter) -> None:
        top, bottom, left = 62.0, self.height() - 28.0, 8.0
        plot_w, plot_h = self.width() - 2 * left, bottom - top
        peak = max((v for _, values in self.data for v in values), default=0) or 1
        slot = plot_w / len(self.data)
        series = max(len(values) for _, values in self.data)
        bar_w = max(2.0, slot * 0.8 / series)
        painter.setPen(QPen(QColor("#C9CED4")))
        painter.drawLine(int(left), int(bottom), int(left + plot_w), int(bottom))
        for index, (label, values) in enumerate(self.data):
            x0 = left + index * slot + slot * 0.1
            for s, value in enumerate(values):
                height = plot_h * max(0, value) / peak
                painter.fillRect(
                    QRectF(x0 + s * bar_w, bottom - height, bar_w - 1, height), PALETTE[s % len(PALETTE)]
                )
            painter.setPen(FLAG if index in self.flagged else QColor("#1F2933"))
            painter.drawText(
                QRectF(left + index * slot, bottom + 2, slot, 22), Qt.AlignmentFlag.AlignCenter, label
            )
        painter.setPen(QColor("#52606D"))
        painter.drawText(QRectF(left, top - 16, plot_w, 16), Qt.AlignmentFlag.AlignLeft, self._fmt(peak))


def _litres(ml: int) -> str:
    return f"{ml / 1000:,.1f} L"


def _grade_name(code: str) -> str:
    try:
        return GradeCode(code).display_name
    except ValueError:
        return code


class QtShiftCharts(QWidget):
    """The three charts of one shift side by side."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("shiftCharts")
        layout = QHBoxLayout(self)
        self.by_hour = QtBarChart(
            self.tr("每小时销售 Sales by hour"), [self.tr("金额 Amount")], format_fen, "chartByHour"
        )
        self.by_grade = QtBarChart(
            self.tr("油品销售 By grade"), [self.tr("升 Litres")], _litres, "chartByGrade"
        )
        self.meters = QtBarChart(
            self.tr("计量与销售 Metered vs sold"),
            [self.tr("计量 Metered"), self.tr("销售 Sold")],
            _litres,
            "chartMeters",
        )
        for chart in (self.by_hour, self.by_grade, self.meters):
            layout.addWidget(chart)

    def show_summary(self, summary: Mapping[str, Any]) -> None:
        self.by_hour.set_data([(f"{hour:02d}", (fen,)) for hour, fen in summary.get("hours", ())])
        self.by_grade.set_data([(_grade_name(g), (ml,)) for g, _fills, ml, _fen in summary.get("grades", ())])
        meters = list(summary.get("meters", ()))
        self.meters.set_data(
            [(str(n), (closing - opening, sold)) for n, _g, opening, closing, sold, _d, _f in meters],
            {i for i, row in enumerate(meters) if row[6]},
        )
