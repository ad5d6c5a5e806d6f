"""Realistic receipt documents for the test page, the benchmark, the tests and the README picture."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from pos.domain.codes import WriteOffKind
from pos.domain.receipt import (
    DiscountLine,
    FuelLine,
    FuelSaleReceipt,
    GradeTotal,
    ItemLine,
    MemberLine,
    NozzleReading,
    OrderSlip,
    QrPayload,
    ReceiptHeader,
    ShiftReport,
    ShiftReportKind,
    TenderKind,
    TenderLine,
    WriteOffSlip,
)

CHINA = timezone(timedelta(hours=8), "CST")
AT = datetime(2025, 5, 1, 6, 23, 5, tzinfo=UTC)  # 14:23:05 at the station
FOOTER = ("谢谢惠顾，欢迎再次光临！", "服务热线：400-800-1234")


def header(at: datetime = AT) -> ReceiptHeader:
    return ReceiptHeader("中油朝阳路加油站", "前台1", "张伟", at, station_tz=CHINA)


def fuel_sale(sale_no: str = "S20250501-0042", goods_lines: int = 1) -> FuelSaleReceipt:
    """95# fuel with a coupon, a drink, cash with change, a gold member and an e-invoice QR."""
    goods = [ItemLine("农夫山泉 550ml × 2", 400, None)]
    goods += [ItemLine(f"便利店商品 {n:02d} 号", 100 + n, "1 件") for n in range(1, goods_lines)]
    subtotal = 23450 + sum(item.amount_fen for item in goods)
    return FuelSaleReceipt(
        header=header(),
        sale_no=sale_no,
        fuel=[FuelLine("95#", 2, 29873, 785, 23450)],
        goods=goods,
        discounts=[DiscountLine("满200减15", 1500)],
        tenders=[TenderLine(TenderKind.CASH, ((subtotal - 1500) // 5000 + 1) * 5000)],
        member=MemberLine("138****5678", "黄金", 223, 3450, 123400),
        qr=QrPayload("https://fp.example.cn/i/S20250501-0042?c=8F3K", "扫码开具电子发票"),
        footer=FOOTER,
    )


def order_slip() -> OrderSlip:
    return OrderSlip(
        header=header(),
        order_no="MP202505010007",
        status="已完成",
        grade="92#",
        prepaid_fen=30000,
        paid_at=AT - timedelta(minutes=9),
        nozzle_no=5,
        fuelled_fen=25640,
        volume_ml=35614,
        member=MemberLine("139****0021", "白银", 256, 1280),
        qr=QrPayload("https://mp.example.cn/o/MP202505010007", "扫码查看订单"),
        footer=FOOTER[:1],
    )


def write_off(kind: WriteOffKind = WriteOffKind.PICKUP) -> WriteOffSlip:
    items = [ItemLine("金龙鱼花生油 5L", 0, "商城订单自提"), ItemLine("洗车券（标准）", 0)]
    return WriteOffSlip(
        header=header(),
        kind=kind,
        code="482913",
        title="商城自提：加油时自提" if kind is WriteOffKind.PICKUP else "满200减15 加油券",
        redeemed_at=AT,
        items=items if kind is WriteOffKind.PICKUP else (),
        value_fen=None if kind is WriteOffKind.PICKUP else 1500,
        order_no="MALL-20250430-0193" if kind is WriteOffKind.PICKUP else None,
        member=MemberLine("186****3307", "钻石"),
    )


def shift_report(kind: ShiftReportKind = ShiftReportKind.Z) -> ShiftReport:
    opened = AT - timedelta(hours=8)
    return ShiftReport(
        header=header(),
        kind=kind,
        shift_no="20250501-1",
        opened_at=opened,
        closed_at=AT if kind is ShiftReportKind.Z else None,
        grades=[
            GradeTotal("92#", 214, 6_312_450, 4_702_780),
            GradeTotal("95#", 131, 3_950_120, 3_100_840),
            GradeTotal("0#", 57, 4_210_330, 3_056_700),
        ],
        tenders=[
            TenderLine(TenderKind.WECHAT, 6_120_300),
            TenderLine(TenderKind.ALIPAY, 2_010_020),
            TenderLine(TenderKind.CASH, 1_730_000),
            TenderLine(TenderKind.WALLET, 1_000_000),
        ],
        readings=[
            NozzleReading(1, "92#", 123_456_780, 126_611_000),
            NozzleReading(2, "95#", 88_000_120, 91_950_240),
        ],
        write_offs=23,
        orders=41,
        cash_expected_fen=1_730_000,
        cash_counted_fen=1_729_500 if kind is ShiftReportKind.Z else None,
    )


def all_documents() -> list[tuple[str, object]]:
    return [
        ("fuel_sale", fuel_sale()),
        ("order_slip", order_slip()),
        ("write_off", write_off()),
        ("shift_report", shift_report()),
    ]
