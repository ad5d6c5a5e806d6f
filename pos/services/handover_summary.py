"""What local history keeps of a handover: a JSON-able summary of the figures (for drill-down and charts)
and the text lines of each printed X/Z report (so a report can be read again without the printer)."""

from __future__ import annotations

from typing import Any

from pos.domain.cash_count import CashReconciliation
from pos.domain.meters import MeterSnapshot
from pos.domain.money import format_fen
from pos.domain.receipt import ShiftReport, ShiftReportKind
from pos.services.handover_figures import HandoverFigures

REPORT_TITLES = {ShiftReportKind.X: "X 报表 (中班) / X report", ShiftReportKind.Z: "Z 报表 (班结) / Z report"}


def summary_of(
    figures: HandoverFigures, cash: CashReconciliation | None, closing: MeterSnapshot
) -> dict[str, Any]:
    totals = figures.totals
    return {
        "sales": totals.sales,
        "takings_fen": totals.takings_fen,
        "methods": [[m.method.value, m.sales, m.net_fen] for m in totals.methods],
        "grades": [[g.grade.value, g.fills, g.volume_ml, g.amount_fen] for g in totals.grades],
        "meters": [
            [
                m.nozzle_number,
                m.grade.value,
                m.opening.volume_ml,
                m.closing.volume_ml,
                m.sold_ml,
                m.difference_ml,
                m.flagged,
            ]
            for m in figures.meters
        ],
        "hours": [list(pair) for pair in figures.sales_by_hour],
        "write_offs": [[w.kind.value, w.count, w.value_fen] for w in totals.write_offs],
        "voids": [[v.sale_id, v.amount_fen, v.approval.describe()] for v in totals.voids],
        "refunds": [[r.sale_id, r.amount_fen, r.cash_fen, r.approval.describe()] for r in totals.refunds],
        "cash_expected_fen": totals.cash_expected_fen,
        "cash_counted_fen": None if cash is None else cash.counted_fen,
        "variance_fen": None if cash is None else cash.variance_fen,
        "closing_cut_at": closing.cut_at.isoformat(),
    }


def report_lines(report: ShiftReport) -> list[str]:
    """The report as plain lines: title, shift, grades, tenders, cash, then its footer."""
    lines = [REPORT_TITLES[report.kind], f"班次 Shift {report.shift_no}"]
    lines += [
        f"{g.grade} {g.fills}笔 {g.volume_ml / 1000:.3f}L {format_fen(g.amount_fen)}" for g in report.grades
    ]
    lines += [f"{t.kind.value} {format_fen(t.amount_fen)}" for t in report.tenders]
    lines.append(f"应有现金 Cash expected {format_fen(report.cash_expected_fen)}")
    if report.cash_counted_fen is not None:
        lines.append(f"实点现金 Cash counted {format_fen(report.cash_counted_fen)}")
    return [*lines, *report.footer]
