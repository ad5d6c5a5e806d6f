"""The handover screen (交班 / 班结), opened with F9 by a manager.

Top to bottom, in the order the manager works: the blockers (each with a button that goes to it), the cut
(meters per nozzle while the pumps keep running), the totals per payment method and grade, the cash count,
the two PIN sign-offs, then the X and Z reports. Every backend, database and printer call runs on the
screen's own task lane (``handover``), so the GUI thread never waits; errors appear in the banner.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from pos.domain.cash_count import CashReconciliation
from pos.domain.errors import PosError
from pos.domain.handover import Blocker, HandoverCheck, OutboxCounts, TargetKind
from pos.domain.money import format_fen
from pos.services.handover import ClosedHandover, ForecourtView, HandoverDraft, HandoverService, SignOff
from pos.services.handover_ports import LocalShift
from pos.services.handover_summary import summary_of
from pos.services.ports import StaffMember
from pos.services.station_board import StationBoard
from pos.ui.charts import QtShiftCharts
from pos.ui.handover_widgets import (
    BUTTON_HEIGHT,
    QtBlockersList,
    QtCashCount,
    QtMeterTable,
    QtSignOff,
    adjustment_rows,
    big_button,
    fill_rows,
    fit_to_rows,
    fitted_height,
    grade_rows,
    method_rows,
    read_only_table,
    spread_columns,
)
from pos.ui.tasks import Operation, QtTaskRunner

LANE = "handover"
DEFAULT_FLOAT_FEN = 50_000
TAB_FRAME = 8  # the tab pane's frame around the meter table: all nozzles show without scrolling


@dataclass(frozen=True)
class HandoverTargets:
    """Where a blocker's button goes; the composition root passes these in (None: nowhere yet)."""

    transaction: Callable[[str], None] | None = None  # focus the settlement inbox on this fill
    order: Callable[[str], None] | None = None
    outbox: Callable[[], None] | None = None  # open the unsent-records dialog


def station_zone(board: StationBoard) -> tzinfo | None:
    try:
        return ZoneInfo(board.station.timezone) if board.station else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


def view_from_board(board: StationBoard) -> ForecourtView:
    """A frozen copy of what the handover needs, taken on the GUI thread that owns the board."""
    return ForecourtView(
        tuple(board.transactions.values()),
        tuple(board.orders.values()),
        tuple(board.nozzles.values()),
        board.station.name if board.station else "",
        station_zone(board),
    )


class QtHandoverScreen(QDialog):
    def __init__(
        self,
        service: HandoverService,
        runner: QtTaskRunner,
        board: StationBoard,
        staff: Callable[[], StaffMember | None],
        targets: HandoverTargets,
        open_history: Callable[[], object] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("handoverScreen")
        self.setWindowTitle(self.tr("交班 / 班结 Shift handover"))
        self._service, self._runner, self._board = service, runner, board
        self._staff, self._targets, self._open_history = staff, targets, open_history
        self.shift: LocalShift | None = None
        self.check: HandoverCheck | None = None
        self.draft: HandoverDraft | None = None
        self.signed: dict[str, StaffMember] = {}
        self.closed: ClosedHandover | None = None
        self.busy = False
        self._build()
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, self.refresh)

    # -- layout ----------------------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        self.banner = QLabel()
        self.banner.setObjectName("handoverBanner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        outer.addWidget(self.banner)
        self.shift_label = QLabel()
        self.shift_label.setObjectName("shiftLabel")
        self.shift_label.setStyleSheet("font-size: 20px; font-weight: bold;")
        outer.addWidget(self.shift_label)
        # Two columns, so a 1280x800 till shows the whole handover: what the pumps say on the left, what
        # the money says (totals, the count, the signatures) on the right.
        body = QWidget()
        columns = QHBoxLayout(body)
        pumps, money = QVBoxLayout(), QVBoxLayout()
        pumps.addWidget(self._blockers_box())
        pumps.addWidget(self._meters_box())
        pumps.addStretch(1)
        money.addWidget(self._totals_box())
        money.addWidget(self._cash_box())
        money.addWidget(self._signoff_box())
        money.addStretch(1)
        columns.addLayout(pumps, 1)
        columns.addLayout(money, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)
        outer.addLayout(self._action_row())
        self.resize(1280, 800)
        self._update_actions()

    def _blockers_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("1. 待处理 Blockers"))
        layout = QVBoxLayout(box)
        self.blockers = QtBlockersList(self._go_to, self._can_go)
        layout.addWidget(self.blockers)
        return box

    def _meters_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("2. 泵码与油品 Meters and grades"))
        layout = QVBoxLayout(box)
        self.cut_button = big_button(self.tr("截点 读泵码 Take the cut"), "cutButton")
        self.cut_button.clicked.connect(self.take_cut)
        self.cut_label = QLabel(self.tr("尚未截点 / No cut taken yet"))
        row = QHBoxLayout()
        row.addWidget(self.cut_button)
        row.addWidget(self.cut_label, 1)
        layout.addLayout(row)
        self.meters = QtMeterTable()
        self.meters.setMinimumHeight(200)
        self.charts = QtShiftCharts()
        self.charts.setMinimumHeight(190)
        self.meter_tabs = QTabWidget()  # the table to check, the pictures to look at: one click apart
        self.meter_tabs.addTab(self.meters, self.tr("泵码表 Meters"))
        self.meter_tabs.addTab(self.charts, self.tr("图表 Charts"))
        layout.addWidget(self.meter_tabs)
        self.grades = read_only_table(
            [self.tr("油品 Grade"), self.tr("笔数 Fills"), self.tr("升 Litres"), self.tr("金额 Amount")],
            "gradeTotals",
        )
        layout.addWidget(self.grades)
        return box

    def _totals_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("3. 汇总 Totals"))
        layout = QVBoxLayout(box)
        self.methods = read_only_table(
            [self.tr("支付方式 Method"), self.tr("笔数 Sales"), self.tr("收款 Taken"),
             self.tr("退款 Refunded"), self.tr("净额 Net")],
            "methodTotals",
        )  # fmt: skip
        self.adjustments = read_only_table(
            [self.tr("核销/作废/退款 Item"), self.tr("笔数/方式 Detail"), self.tr("金额 Amount"),
             self.tr("经办 Who: why")],
            "adjustments",
        )  # fmt: skip
        layout.addWidget(self.methods)
        layout.addWidget(self.adjustments)
        for table in (self.methods, self.grades):
            spread_columns(table, ())
        spread_columns(self.meters, (6,))  # readings fit their digits; the difference column takes the rest
        spread_columns(self.adjustments, (3,))  # who and why take the width the figures leave
        return box

    def _cash_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("4. 现金清点 Cash count"))
        layout = QVBoxLayout(box)
        self.cash = QtCashCount(self._cash_changed)
        layout.addWidget(self.cash)
        self.cash.show_figures(None)
        return box

    def _signoff_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("5. 交接签字 Sign-off"))
        layout = QVBoxLayout(box)
        self.outgoing = QtSignOff(
            self.tr("交班人 Outgoing"), "outgoing", lambda n, p: self._verify("outgoing", n, p)
        )
        self.incoming = QtSignOff(
            self.tr("接班人 Incoming"), "incoming", lambda n, p: self._verify("incoming", n, p)
        )
        layout.addWidget(self.outgoing)
        layout.addWidget(self.incoming)
        return box

    def _action_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        # the next shift's float sits by the close button: it is the last thing set before closing
        row.addWidget(QLabel(self.tr("下一班备用金 Next float (元)")))
        self.next_float = QSpinBox()
        self.next_float.setObjectName("nextFloat")
        self.next_float.setRange(0, 100_000)
        self.next_float.setValue(DEFAULT_FLOAT_FEN // 100)
        self.next_float.setMinimumHeight(BUTTON_HEIGHT)
        self.next_float.setMaximumWidth(140)
        row.addWidget(self.next_float)
        self.open_button = big_button(self.tr("开班 Open shift"), "openShiftButton")
        self.open_button.clicked.connect(self.open_shift)
        self.x_button = big_button(self.tr("X 报表 X report"), "xReportButton")
        self.x_button.clicked.connect(self.print_x)
        self.z_button = big_button(self.tr("班结并打印 Z 报表 Close + Z report"), "zReportButton")
        self.z_button.clicked.connect(self.close_shift)
        self.z_button.setStyleSheet("font-weight: bold;")
        self.history_button = big_button(self.tr("历史 History"), "historyButton")
        self.history_button.clicked.connect(lambda: self._open_history and self._open_history())
        for button in (self.open_button, self.x_button, self.z_button, self.history_button):
            row.addWidget(button)
        return row

    # -- state -----------------------------------------------------------------------------------------

    def open_screen(self) -> None:
        self.show()
        self.raise_()
        self.activateWindow()
        self.refresh()

    def _run(self, work: Callable[[], Any], on_done: Callable[[Any], None]) -> None:
        self.busy = True
        self._update_actions()

        def done(result: Any) -> None:
            self.busy = False
            on_done(result)
            self._update_actions()

        self._runner.run(Operation(work, done, self._failed, LANE))

    def _failed(self, error: PosError) -> None:
        self.busy = False
        self.show_banner(f"{error.title} — {error.message}", error=True)
        self._update_actions()

    def show_banner(self, text: str, error: bool = False) -> None:
        colour = "#FDE2E1; color: #B71C1C" if error else "#E3F4E8; color: #1E5631"
        self.banner.setStyleSheet(f"background: {colour}; padding: 8px; font-size: 15px;")
        self.banner.setText(text)
        self.banner.show()

    def refresh(self) -> None:
        self._run(lambda: (self._service.current_shift(), self._service.outbox_counts()), self._shift_loaded)

    def _shift_loaded(self, result: tuple[LocalShift | None, OutboxCounts]) -> None:
        self.shift, counts = result
        if self.shift is None:
            self.shift_label.setText(self.tr("当前没有班次 / No shift is open"))
        else:
            s = self.shift.shift
            opened = s.opened_at.astimezone(station_zone(self._board)).strftime("%m-%d %H:%M")
            self.shift_label.setText(
                self.tr("第 {0} 班 · {1} 开班 · {2} / Shift {0}").format(s.number, opened, s.state.label)
            )
        self.check = self._service.check(view_from_board(self._board), counts)
        self.blockers.show_blockers(self.check.blockers)

    def _update_actions(self) -> None:
        idle, has_shift = not self.busy, self.shift is not None and self.closed is None
        may_close = self.check is not None and self.check.may_close
        signed = {"outgoing", "incoming"} <= self.signed.keys()
        self.open_button.setVisible(self.shift is None)
        self.open_button.setEnabled(idle)
        self.cut_button.setEnabled(idle and has_shift)
        self.x_button.setEnabled(idle and has_shift)
        self.z_button.setEnabled(
            idle and self.draft is not None and may_close and signed and self.closed is None
        )
        for side in (self.outgoing, self.incoming):
            side.confirm.setEnabled(idle and self.draft is not None)

    # -- blockers --------------------------------------------------------------------------------------

    def _can_go(self, kind: TargetKind) -> bool:
        t = self._targets
        return {
            TargetKind.TRANSACTION: t.transaction is not None,
            TargetKind.ORDER: t.order is not None,
            TargetKind.OUTBOX: t.outbox is not None,
            TargetKind.PUMP: False,  # nothing to open at the till: the pump needs a technician
        }[kind]

    def _go_to(self, blocker: Blocker) -> None:
        t = self._targets
        if blocker.target_kind is TargetKind.TRANSACTION and t.transaction:
            t.transaction(blocker.target_id)
        elif blocker.target_kind is TargetKind.ORDER and t.order:
            t.order(blocker.target_id)
        elif blocker.target_kind is TargetKind.OUTBOX and t.outbox:
            t.outbox()

    # -- actions ---------------------------------------------------------------------------------------

    def _manager(self) -> StaffMember | None:
        staff = self._staff()
        if staff is None:
            self.show_banner(self.tr("请先登录 / Sign in first"), error=True)
        return staff

    def open_shift(self) -> None:
        fen = self.next_float.value() * 100
        self._run(lambda: self._service.open_shift(fen), lambda _: self.refresh())

    def take_cut(self) -> None:
        view = view_from_board(self._board)
        self._run(lambda: self._service.cut(view), self._cut_taken)

    def _cut_taken(self, draft: HandoverDraft) -> None:
        self.show_draft(draft)
        self.refresh()  # blockers again: the cut may have settled some

    def show_draft(self, draft: HandoverDraft) -> None:
        """Render a cut: meters, totals, charts and the expected cash."""
        self.draft = draft
        totals = draft.figures.totals
        at = draft.cut_at.astimezone(station_zone(self._board)).strftime("%H:%M:%S")
        where = (
            self.tr("离线截点 (待上传) / offline cut, pending upload")
            if draft.offline
            else self.tr("后台截点 / backend cut")
        )
        self.cut_label.setText(self.tr("截点 Cut {0} · {1} · {2} 笔 sales").format(at, where, totals.sales))
        self.meters.show_meters(draft.figures.meters)
        fill_rows(self.methods, method_rows(totals))
        fill_rows(self.grades, grade_rows(totals))
        fill_rows(self.adjustments, adjustment_rows(totals), figures=(1, 2))
        for table in (self.methods, self.grades, self.adjustments):
            fit_to_rows(table)
        self.meters.horizontalHeader().resizeSections()
        tab_bar = self.meter_tabs.tabBar().sizeHint().height()
        self.meter_tabs.setFixedHeight(tab_bar + TAB_FRAME + fitted_height(self.meters))
        self.charts.show_summary(summary_of(draft.figures, None, draft.closing))
        self._cash_changed()

    def _cash_changed(self) -> None:
        self.cash.show_figures(None if self.draft is None else self.draft.figures.totals.cash_expected_fen)

    def _verify(self, side: str, staff_no: str, pin: str) -> None:
        widget = self.outgoing if side == "outgoing" else self.incoming
        widget.pin.clear()

        def verified(staff: StaffMember) -> None:
            self.signed[side] = staff
            widget.show_signed(f"✓ {staff.name} ({staff.staff_no})", ok=True)

        def refused(error: PosError) -> None:
            self.signed.pop(side, None)
            widget.show_signed(error.title, ok=False)
            self._failed(error)

        self.busy = True
        self._update_actions()
        self._runner.run(
            Operation(lambda: self._service.verify(staff_no, pin), self._after(verified), refused, LANE)
        )

    def _after(self, then: Callable[[Any], None]) -> Callable[[Any], None]:
        def done(result: Any) -> None:
            self.busy = False
            then(result)
            self._update_actions()

        return done

    def print_x(self) -> None:
        manager = self._manager()
        if manager is None:
            return
        view, draft = view_from_board(self._board), self.draft
        self._run(
            lambda: self._service.x_report(view, manager, draft),
            lambda _: self.show_banner(self.tr("X 报表已打印 / X report printed")),
        )

    def close_shift(self) -> None:
        manager, draft = self._manager(), self.draft
        if manager is None or draft is None:
            return
        try:
            cash: CashReconciliation = self._service.cash(
                draft, self.cash.count(), self.cash.reason.text(), manager
            )
        except PosError as refused:  # variance beyond the limit without a reason: say so here
            self._failed(refused)
            self.cash.reason.setFocus()
            return
        signoff = SignOff(self.signed["outgoing"], self.signed["incoming"])
        fen, view = self.next_float.value() * 100, view_from_board(self._board)
        self._run(lambda: self._service.close(draft, cash, signoff, manager, fen, view), self._closed)

    def _closed(self, closed: ClosedHandover) -> None:
        self.closed = closed
        self.shift_label.setText(
            self.tr("第 {0} 班 · {1} / Shift {0}").format(closed.shift.number, closed.shift.state.label)
        )
        upload = self.tr("已上传 uploaded") if closed.uploaded else self.tr("待上传 pending upload")
        self.show_banner(
            self.tr(
                "第 {0} 班已班结，Z 报表已打印 ({1})；下一班已开，备用金 {2} / Shift closed, Z report printed"
            ).format(closed.shift.number, upload, format_fen(closed.next_shift.opening_float_fen))
        )
