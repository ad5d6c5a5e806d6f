"""Where each part of a receipt document goes on the paper: one layout function per document type."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from pos.domain.codes import WriteOffKind
from pos.domain.receipt import (
    FuelSaleReceipt,
    MemberLine,
    OrderSlip,
    ReceiptDocument,
    ReceiptHeader,
    ShiftReport,
    ShiftReportKind,
    TenderKind,
    TenderLine,
    WriteOffSlip,
)
from pos.hardware.printing.sheet import Op, Sheet, litres, money

TENDER_LABELS = {
    TenderKind.CASH: "现金",
    TenderKind.WECHAT: "微信支付",
    TenderKind.ALIPAY: "支付宝",
    TenderKind.UNIONPAY: "银联卡",
    TenderKind.WALLET: "会员钱包",
    TenderKind.FUEL_CARD: "加油卡",
}
WRITE_OFF_LABELS = {
    WriteOffKind.COUPON: "优惠券",
    WriteOffKind.PICKUP: "自提商品",
    WriteOffKind.SERVICE: "服务",
}
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def layout_document(document: ReceiptDocument, columns: int) -> list[Op]:
    """The operations that print ``document`` on paper ``columns`` wide."""
    sheet = Sheet(columns)
    if isinstance(document, FuelSaleReceipt):
        _fuel_sale(sheet, document)
    elif isinstance(document, OrderSlip):
        _order_slip(sheet, document)
    elif isinstance(document, WriteOffSlip):
        _write_off(sheet, document)
    elif isinstance(document, ShiftReport):
        _shift_report(sheet, document)
    else:
        raise TypeError(f"not a receipt document: {type(document).__name__}")
    return sheet.ops


def _time(header: ReceiptHeader, moment: datetime) -> str:
    return header.local(moment).strftime(TIME_FORMAT)


def _header(sheet: Sheet, header: ReceiptHeader, kind: str, number_label: str, number: str) -> None:
    sheet.logo()
    sheet.title(header.station_name)
    sheet.center(kind, bold=True)
    sheet.rule("=")
    sheet.pair(number_label, number)
    sheet.pair(f"收银台 {header.till_name}", f"员工 {header.staff_name}")
    sheet.pair("打印时间", _time(header, header.printed_at))
    sheet.rule()


def _tender_label(tender: TenderLine) -> str:
    label = TENDER_LABELS[tender.kind]
    return f"{label}(尾号{tender.reference})" if tender.reference else label


def _member(sheet: Sheet, member: MemberLine | None) -> None:
    if member is None:
        return
    sheet.rule()
    sheet.pair(f"会员 {member.masked_id}", f"{member.tier}会员")
    if member.points_earned or member.points_balance:
        sheet.pair(f"本次积分 +{member.points_earned:,}", f"积分余额 {member.points_balance:,}")
    if member.wallet_balance_fen is not None:
        sheet.amount("钱包余额", member.wallet_balance_fen)


def _footer(sheet: Sheet, lines: Sequence[str]) -> None:
    if lines:
        sheet.feed()
    for text in lines:
        sheet.center(text)


def _fuel_sale(sheet: Sheet, doc: FuelSaleReceipt) -> None:
    _header(sheet, doc.header, "加油小票 RECEIPT", "单号", doc.sale_no)
    for fuel in doc.fuel:
        sheet.amount(f"{fuel.nozzle_no}号枪 {fuel.grade}", fuel.amount_fen)
        sheet.line(f"{litres(fuel.volume_ml)}升 × {money(fuel.unit_price_fen)}/升", indent=2)
    for item in doc.goods:
        sheet.amount(item.label, item.amount_fen)
        if item.detail:
            sheet.line(item.detail, indent=2)
    sheet.rule()
    sheet.amount("小计", doc.subtotal_fen)
    for discount in doc.discounts:
        sheet.minus(f"优惠 {discount.label}", discount.amount_fen)
    sheet.amount("应收 TOTAL", doc.due_fen, bold=True, tall=True)
    sheet.rule()
    for tender in doc.tenders:
        sheet.amount(_tender_label(tender), tender.amount_fen)
    if doc.change_fen:
        sheet.amount("找零 CHANGE", doc.change_fen, bold=True)
    _member(sheet, doc.member)
    if doc.qr:
        sheet.feed()
        sheet.qr(doc.qr.data, doc.qr.caption)
    _footer(sheet, doc.footer)


def _order_slip(sheet: Sheet, doc: OrderSlip) -> None:
    _header(sheet, doc.header, "小程序订单 ORDER", "订单号", doc.order_no)
    sheet.pair("状态", doc.status, bold=True)
    nozzle = f"{doc.nozzle_no}号枪" if doc.nozzle_no else "未绑定油枪"
    sheet.pair(f"油品 {doc.grade}", nozzle)
    sheet.pair("支付时间", _time(doc.header, doc.paid_at))
    sheet.rule()
    sheet.amount("预付金额", doc.prepaid_fen)
    if doc.fuelled_fen is not None:
        volume = f" ({litres(doc.volume_ml)}升)" if doc.volume_ml is not None else ""
        sheet.amount(f"实加金额{volume}", doc.fuelled_fen)
        sheet.amount("应退金额 REFUND", doc.refund_fen, bold=True, tall=True)
    _member(sheet, doc.member)
    if doc.qr:
        sheet.feed()
        sheet.qr(doc.qr.data, doc.qr.caption)
    _footer(sheet, doc.footer)


def _write_off(sheet: Sheet, doc: WriteOffSlip) -> None:
    _header(sheet, doc.header, "核销凭证 WRITE-OFF", "核销码", doc.code)
    sheet.pair("类型", WRITE_OFF_LABELS[doc.kind])
    sheet.line(doc.title)
    if doc.value_fen is not None:
        sheet.amount("面值", doc.value_fen)
    for item in doc.items:
        sheet.amount(item.label, item.amount_fen)
        if item.detail:
            sheet.line(item.detail, indent=2)
    if doc.order_no:
        sheet.pair("订单号", doc.order_no)
    sheet.pair("核销时间", _time(doc.header, doc.redeemed_at))
    sheet.center("已核销 REDEEMED", bold=True)
    _member(sheet, doc.member)
    _footer(sheet, doc.footer)


def _shift_report(sheet: Sheet, doc: ShiftReport) -> None:
    kind = "班结报表 Z" if doc.kind is ShiftReportKind.Z else "交班报表 X (未结)"
    _header(sheet, doc.header, kind, "班次", doc.shift_no)
    sheet.pair("开班", _time(doc.header, doc.opened_at))
    sheet.pair("截止" if doc.kind is ShiftReportKind.X else "结班", _time(doc.header, doc.cut_at))
    sheet.section("油品汇总")
    for grade in doc.grades:
        sheet.amount(f"{grade.grade} {grade.fills}笔 {litres(grade.volume_ml)}升", grade.amount_fen)
    sheet.amount(f"合计 {litres(doc.total_volume_ml)}升", doc.total_fen, bold=True)
    sheet.section("支付方式")
    for tender in doc.tenders:
        sheet.amount(_tender_label(tender), tender.amount_fen)
    if doc.readings:
        sheet.section("泵码 (升)")
        for reading in doc.readings:
            sheet.pair(f"{reading.nozzle_no}号枪 {reading.grade}", f"出油 {litres(reading.drawn_ml)}")
            sheet.line(f"起 {litres(reading.start_volume_ml)}  止 {litres(reading.end_volume_ml)}", indent=2)
    sheet.section("现金")
    sheet.amount("应有现金", doc.cash_expected_fen)
    if doc.cash_counted_fen is not None:
        sheet.amount("实点现金", doc.cash_counted_fen)
        sheet.pair("差额", money(doc.cash_variance_fen or 0), bold=True)
    sheet.pair("小程序订单", f"{doc.orders}笔")
    sheet.pair("核销", f"{doc.write_offs}笔")
    sheet.feed()
    sheet.line("交班人签字：")
    sheet.line("接班人签字：")
    _footer(sheet, doc.footer)
