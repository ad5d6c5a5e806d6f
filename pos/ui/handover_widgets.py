"""The handover screen's parts: blockers list, meter table, totals tables, cash count, sign-off panel.

Each is a plain view over domain values: the screen (pos.ui.handover_screen) feeds them and reads them.
Money only through ``format_fen``; volumes shown in litres with three decimals (ml are integers).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pos.domain.cash_count import DENOMINATIONS, CashCount
from pos.domain.handover import Blocker, TargetKind
from pos.domain.meters import NozzleReconciliation
from pos.domain.money import format_fen
from pos.domain.shift_report import short_ref
from pos.domain.shift_totals import ShiftTotals

FLAG_BRUSH = QBrush(QColor("#FDE2E1"))
FLAG_TEXT = QBrush(QColor("#B71C1C"))
BUTTON_HEIGHT = 48


def litres(ml: int) -> str:
    sign = "-" if ml < 0 else ""
    ml = abs(ml)
    return f"{sign}{ml // 1000:,}.{ml % 1000:03d}"


def big_button(text: str, name: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.setMinimumHeight(BUTTON_HEIGHT)
    button.setAutoDefault(False)
    return button


ROW_HEIGHT = 26  # compact rows: the whole handover fits a 1280x800 till


def read_only_table(headers: Sequence[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _cell(text: str, numeric: bool = True) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if numeric:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def fill_rows(
    table: QTableWidget, rows: Sequence[Sequence[str]], figures: Collection[int] | None = None
) -> None:
    """Rows of text; the ``figures`` columns (default: all but the first) are right-aligned."""
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.setItem(r, c, _cell(text, numeric=c > 0 if figures is None else c in figures))
    table.resizeColumnsToContents()


def fit_to_rows(table: QTableWidget, least: int = 2) -> None:
    """As tall as its rows (at least ``least``), so short tables leave room for the rest of the screen."""
    table.setFixedHeight(fitted_height(table, least))
    table.horizontalHeader().resizeSections()  # stretch again: new rows do not re-apply the modes


def spread_columns(table: QTableWidget, wide: Collection[int]) -> None:
    """The ``wide`` columns take the spare width, the others fit their contents; no ``wide``: all share."""
    header = table.horizontalHeader()
    for column in range(table.columnCount()):
        fits = wide and column not in wide
        mode = QHeaderView.ResizeMode.ResizeToContents if fits else QHeaderView.ResizeMode.Stretch
        header.setSectionResizeMode(column, mode)


def fitted_height(table: QTableWidget, least: int = 2) -> int:
    rows = max(least, table.rowCount())
    height = table.horizontalHeader().height() + 2 * table.frameWidth()
    height += sum(table.rowHeight(r) for r in range(table.rowCount()))
    height += (rows - table.rowCount()) * table.verticalHeader().defaultSectionSize()
    if table.horizontalScrollBar().isVisible():
        height += table.horizontalScrollBar().height()
    return height


class QtBlockersList(QWidget):
    """One row per blocker: what it is, and a button that goes to it (pumps have nowhere to go)."""

    def __init__(self, go_to: Callable[[Blocker], None], can_go: Callable[[TargetKind], bool]) -> None:
        super().__init__()
        self.setObjectName("blockersList")
        self._go_to = go_to
        self._can_go = can_go
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.buttons: list[QPushButton] = []

    def show_blockers(self, blockers: Sequence[Blocker]) -> None:
        while self._layout.count():
            item = self._layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.buttons = []
        if not blockers:
            done = QLabel(self.tr("✓ 没有待处理事项 / Nothing blocks the handover"))
            done.setObjectName("noBlockers")
            self._layout.addWidget(done)
        for blocker in blockers:
            self._layout.addWidget(self._row(blocker))

    def _row(self, blocker: Blocker) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 2, 0, 2)
        colour = "#B71C1C" if blocker.blocks_close else "#8A6D00"
        dot = f'<span style="color:{colour}">●</span>'
        label = QLabel(f"{dot} {blocker.message_zh}<br/><small>{blocker.message_en}</small>")
        label.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(label, 1)
        button = big_button(self.tr("去处理 Go"), f"blockerGo_{blocker.kind.value}")
        button.setEnabled(self._can_go(blocker.target_kind))
        button.clicked.connect(lambda _=False, b=blocker: self._go_to(b))
        layout.addWidget(button)
        self.buttons.append(button)
        return row


class QtMeterTable(QTableWidget):
    """Per nozzle: opening, closing, metered, sold, difference (litres); flagged rows in red."""

    HEADERS = (
        "油枪 Nozzle",
        "油品 Grade",
        "起码 Opening",
        "止码 Closing",
        "计量 Metered",
        "销售 Sold",
        "差异 Diff",
    )

    def __init__(self) -> None:
        super().__init__(0, len(self.HEADERS))
        self.setObjectName("meterTable")
        self.setHorizontalHeaderLabels(list(self.HEADERS))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setStretchLastSection(True)

    def show_meters(self, meters: Sequence[NozzleReconciliation]) -> None:
        self.setRowCount(len(meters))
        for row, meter in enumerate(meters):
            values = (
                str(meter.nozzle_number),
                meter.grade.display_name,
                litres(meter.opening.volume_ml),
                litres(meter.closing.volume_ml),
                litres(meter.metered_ml),
                litres(meter.sold_ml),
                litres(meter.difference_ml),
            )
            for column, text in enumerate(values):
                item = _cell(text, numeric=column > 1)
                if meter.flagged:
                    item.setBackground(FLAG_BRUSH)
                    item.setForeground(FLAG_TEXT)
                    item.setToolTip(self.tr("差异超出允许范围 / Difference beyond tolerance"))
                self.setItem(row, column, item)
        self.resizeColumnsToContents()

    def flagged_rows(self) -> list[int]:
        items = [(r, self.item(r, 0)) for r in range(self.rowCount())]
        return [r for r, item in items if item is not None and item.background() == FLAG_BRUSH]


def method_rows(totals: ShiftTotals) -> list[list[str]]:
    return [
        [
            m.method.label,
            str(m.sales),
            format_fen(m.taken_fen),
            format_fen(m.refunded_fen),
            format_fen(m.net_fen),
        ]
        for m in totals.methods
    ]


def grade_rows(totals: ShiftTotals) -> list[list[str]]:
    return [
        [g.grade.display_name, str(g.fills), litres(g.volume_ml), format_fen(g.amount_fen)]
        for g in totals.grades
    ]


_WRITE_OFF_NAMES = {"coupon": "核销 优惠券", "pickup": "核销 自提", "service": "核销 服务"}


def adjustment_rows(totals: ShiftTotals) -> list[list[str]]:
    """Write-offs by kind (count and value), then each void and refund with who and why."""
    rows = [
        [_WRITE_OFF_NAMES[w.kind.value], f"{w.count} 笔", format_fen(w.value_fen), ""]
        for w in totals.write_offs
    ]
    for void in totals.voids:
        what = f"作废 {short_ref(void.sale_id)}"
        cashier = f"收银员 {void.cashier_no}" if void.cashier_no else ""
        rows.append([what, cashier, format_fen(void.amount_fen), void.approval.describe()])
    for refund in totals.refunds:
        what = f"退款 {short_ref(refund.sale_id)}"
        parts = " + ".join(f"{p.method.label} {format_fen(p.amount_fen)}" for p in refund.parts)
        rows.append([what, parts, format_fen(refund.amount_fen), refund.approval.describe()])
    return rows


class QtCashCount(QWidget):
    """Pieces per denomination; expected, counted and variance; the manager's reason for a variance."""

    def __init__(self, on_change: Callable[[], None]) -> None:
        super().__init__()
        self.setObjectName("cashCount")
        grid = QGridLayout(self)
        self.spins: dict[int, QSpinBox] = {}
        for index, (value, label) in enumerate(DENOMINATIONS.items()):
            spin = QSpinBox()
            spin.setObjectName(f"pieces_{value}")
            spin.setRange(0, 100_000)
            spin.setMinimumHeight(40)
            spin.setButtonSymbols(QSpinBox.ButtonSymbols.NoButtons)  # typed in: arrows are too small to tap
            spin.setAlignment(Qt.AlignmentFlag.AlignRight)
            spin.valueChanged.connect(on_change)
            self.spins[value] = spin
            grid.addWidget(QLabel(label), 0, index)  # one row of denominations, 100 yuan to 1 jiao
            grid.addWidget(spin, 1, index)
        self.expected = QLabel()
        self.counted = QLabel()
        self.variance = QLabel()
        self.variance.setObjectName("varianceLabel")
        # expected and counted side by side, the variance under them: fits half a 1280-pixel screen
        for row, column, figure in ((2, 0, self.expected), (2, 4, self.counted), (3, 0, self.variance)):
            figure.setStyleSheet("font-size: 18px; font-weight: bold;")
            grid.addWidget(figure, row, column, 1, 4)
        self.reason = QLineEdit()
        self.reason.setObjectName("varianceReason")
        self.reason.setPlaceholderText(self.tr("差异说明 (店长) / Manager's reason for the variance"))
        self.reason.setMinimumHeight(36)
        grid.addWidget(self.reason, 3, 4, 1, 4)

    def count(self) -> CashCount:
        return CashCount({value: spin.value() for value, spin in self.spins.items() if spin.value()})

    def set_count(self, count: CashCount) -> None:
        for value, spin in self.spins.items():
            spin.setValue(count.pieces.get(value, 0))

    def show_figures(self, expected_fen: int | None) -> None:
        counted = self.count().total_fen
        self.counted.setText(self.tr("实点 Counted {0}").format(format_fen(counted)))
        if expected_fen is None:
            self.expected.setText(self.tr("应有 Expected —"))
            self.variance.setText("")
            return
        variance = counted - expected_fen
        self.expected.setText(self.tr("应有 Expected {0}").format(format_fen(expected_fen)))
        colour = "#1E9448" if variance == 0 else "#B71C1C"
        self.variance.setStyleSheet(f"font-size: 18px; font-weight: bold; color: {colour};")
        self.variance.setText(self.tr("差异 Variance {0}").format(format_fen(variance)))


class QtSignOff(QWidget):
    """Staff number and PIN for one side of the handover; Enter in the PIN field confirms."""

    def __init__(self, title: str, name: str, on_confirm: Callable[[str, str], None]) -> None:
        super().__init__()
        self.setObjectName(name)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(title))
        self.staff_no = QLineEdit()
        self.staff_no.setObjectName(f"{name}StaffNo")
        self.staff_no.setPlaceholderText(self.tr("工号 Staff no."))
        self.pin = QLineEdit()
        self.pin.setObjectName(f"{name}Pin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setPlaceholderText(self.tr("密码 PIN"))
        self.confirm = big_button(self.tr("确认 Confirm"), f"{name}Confirm")
        self.status = QLabel(self.tr("未确认 Not signed"))
        self.status.setObjectName(f"{name}Status")
        for widget in (self.staff_no, self.pin):
            widget.setMinimumHeight(40)
            layout.addWidget(widget)
        layout.addWidget(self.confirm)
        layout.addWidget(self.status, 1)
        submit = lambda: on_confirm(self.staff_no.text().strip(), self.pin.text())  # noqa: E731
        self.confirm.clicked.connect(submit)
        self.pin.returnPressed.connect(submit)

    def show_signed(self, text: str, ok: bool) -> None:
        self.pin.clear()  # the PIN is not kept once checked
        self.status.setStyleSheet(f"color: {'#1E9448' if ok else '#B71C1C'}; font-weight: bold;")
        self.status.setText(text)
