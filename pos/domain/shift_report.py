"""The X (interim) and Z (shift close) reports as ``receipt.ShiftReport`` documents for the printer.

The receipt document holds grades, tenders, meter readings and the cash figures; everything else a
manager reads on paper (savings, voids and refunds with who and why, write-offs by type, points, flagged
meters, the variance reason, "pending upload") goes into its footer lines, one fact per line.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from pos.domain.cash_count import CashReconciliation
from pos.domain.errors import InvalidValue
from pos.domain.meters import NozzleReconciliation
from pos.domain.money import format_fen
from pos.domain.receipt import GradeTotal, ReceiptHeader, ShiftReport, ShiftReportKind, TenderLine
from pos.domain.sale_receipt import PREPAID_REFERENCE, TENDER_KINDS
from pos.domain.shift_totals import ShiftTotals
from pos.domain.tender import TenderMethod

PENDING_UPLOAD = "待上传 / pending upload"
_LINE_LIMIT = 120
_WRITE_OFF_LABELS = {"coupon": "优惠券", "pickup": "自提", "service": "服务"}


def _litres(ml: int) -> str:
    return f"{ml // 1000}.{ml % 1000:03d}L"


def _tender_lines(totals: ShiftTotals) -> list[TenderLine]:
    lines = []
    for method in totals.methods:
        if method.net_fen > 0:
            reference = PREPAID_REFERENCE if method.method is TenderMethod.MINI_PROGRAM else None
            lines.append(TenderLine(TENDER_KINDS[method.method], method.net_fen, reference))
    return lines


def short_ref(identifier: str) -> str:
    """A UUID cut to its last 8 characters: enough to find the record, short enough for 58 mm paper."""
    return identifier if len(identifier) <= 12 else identifier[-8:]


def _write_off_lines(totals: ShiftTotals) -> list[str]:
    return [
        f"核销 {_WRITE_OFF_LABELS[w.kind.value]}: {w.count}笔 {format_fen(w.value_fen)}"
        for w in totals.write_offs
    ]


def _void_and_refund_lines(totals: ShiftTotals) -> list[str]:
    """One line per void and per refund: what, how much, who approved it and why (cut to fit a page)."""
    lines = []
    for void in totals.voids:
        cashier = f" 收银员{void.cashier_no}" if void.cashier_no else ""
        what = f"作废 {short_ref(void.sale_id)} {format_fen(void.amount_fen)}{cashier}"
        lines.append(f"{what} {void.approval.describe()}"[:_LINE_LIMIT])
    for refund in totals.refunds:
        parts = "+".join(f"{p.method.label}{format_fen(p.amount_fen)}" for p in refund.parts)
        what = f"退款 {short_ref(refund.sale_id)} {format_fen(refund.amount_fen)} ({parts})"
        lines.append(f"{what} {refund.approval.describe()}"[:_LINE_LIMIT])
    if totals.refunds:
        lines.append(f"现金退款合计 {format_fen(totals.cash_refunded_fen)}")
    return lines


def _footer(
    totals: ShiftTotals,
    meters: Sequence[NozzleReconciliation],
    cash: CashReconciliation | None,
    pending_upload: bool,
) -> list[str]:
    lines = [f"{m.method.label}: {format_fen(m.net_fen)} ({m.sales}笔)" for m in totals.methods]
    coupons, tier = format_fen(totals.coupon_fen), format_fen(totals.tier_fen)
    lines.append(f"优惠券 {totals.coupons_used} 张 {coupons} / 会员折扣 {tier}")
    lines += _write_off_lines(totals)
    lines += _void_and_refund_lines(totals)
    lines.append(f"积分发放 {totals.points_issued}")
    for meter in meters:
        if meter.flagged:
            lines.append(
                f"泵码差异 {meter.nozzle_number}号油枪 {_litres(abs(meter.difference_ml))} 超出允许范围"
            )
    if cash is not None:
        lines.append(f"现金差异 {format_fen(cash.variance_fen)}")
        if cash.approval is not None:
            lines.append(f"差异说明 {cash.approval.describe()}"[:_LINE_LIMIT])
    if pending_upload:
        lines.append(PENDING_UPLOAD)
    return lines


def shift_report(
    kind: ShiftReportKind,
    header: ReceiptHeader,
    shift_no: str,
    totals: ShiftTotals,
    meters: Sequence[NozzleReconciliation] = (),
    cash: CashReconciliation | None = None,
    pending_upload: bool = False,
) -> ShiftReport:
    """X: a snapshot up to the window's end, no count; Z: the close at the window's end, with the count."""
    if kind is ShiftReportKind.Z and cash is None:
        raise InvalidValue("a Z report needs the cash count")
    if cash is not None and cash.expected_fen != totals.cash_expected_fen:
        raise InvalidValue("the cash count was made against another expected amount")
    closed_at: datetime | None = totals.window.end if kind is ShiftReportKind.Z else None
    return ShiftReport(
        header=header,
        kind=kind,
        shift_no=shift_no,
        opened_at=totals.window.start,
        grades=[GradeTotal(g.grade.display_name, g.fills, g.volume_ml, g.amount_fen) for g in totals.grades],
        tenders=_tender_lines(totals),
        readings=[meter.to_reading() for meter in meters],
        closed_at=closed_at,
        write_offs=totals.write_off_count,
        orders=totals.orders,
        cash_expected_fen=totals.cash_expected_fen,
        cash_counted_fen=None if cash is None else cash.counted_fen,
        footer=_footer(totals, meters, cash, pending_upload),
    )
