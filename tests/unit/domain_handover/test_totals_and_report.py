from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from pos.domain.cash_count import CashCount, CashReconciliation
from pos.domain.codes import WriteOffKind
from pos.domain.errors import InvalidValue
from pos.domain.grade import GradeCode
from pos.domain.meters import MeterReading, MeterSnapshot, reconcile
from pos.domain.receipt import ReceiptHeader, ShiftReportKind, TenderKind
from pos.domain.sale import Sale
from pos.domain.shift_report import PENDING_UPLOAD, shift_report
from pos.domain.shift_totals import ShiftTotals, ShiftWindow, shift_totals
from pos.domain.tender import Tender, TenderMethod
from pos.domain.writeoff import WriteOffCode, WriteOffState
from tests.unit.domain.factories import T0, member, redemption, write_off
from tests.unit.domain_sales.helpers import coupon, draft, fuel, manager, prepaid_fuel, water

WINDOW = ShiftWindow(T0, T0 + timedelta(hours=8))
CASH, CARD, WALLET = TenderMethod.CASH, TenderMethod.CARD, TenderMethod.WALLET
FLOAT = 50_000


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def settled(sale: Sale, minutes: int, *tenders: Tender) -> Sale:
    sale = sale.begin_tender()
    for tender in tenders:
        sale = sale.add_tender(tender)
    return sale.complete(at(minutes))


def redeemed(code: str, kind: WriteOffKind, minutes: int) -> WriteOffCode:
    return write_off(
        code=code, kind=kind, state=WriteOffState.REDEEMED, redemption=redemption(at=at(minutes))
    )


def day() -> tuple[list[Sale], list[WriteOffCode]]:
    cash_sale = draft(sale_id="s1").with_fuel(fuel(29_680)).attach_member(member()).apply_coupon(coupon())
    card_sale = (
        draft(sale_id="s2").with_fuel(fuel(31_560, GradeCode.G95, volume_ml=40_000)).add_goods(water(2))
    )
    yesterday = draft(sale_id="s5", created_at=at(-30)).with_fuel(fuel(10_000))
    refund_approval = manager("油品不符 / wrong grade")
    sales = [
        settled(cash_sale, 70, Tender(CASH, 30_000)),  # due 28,180, change 1,820
        settled(card_sale, 90, Tender(CARD, 32_160)),
        settled(draft(sale_id="s3").with_fuel(prepaid_fuel(19_950)), 100),
        draft(sale_id="s4").with_fuel(fuel(5_000)).void(manager("顾客离开 / customer left")),
        settled(yesterday, -10, Tender(CASH, 10_000)).refund("r-1", 4_000, refund_approval),
        settled(draft(sale_id="s6").with_fuel(fuel(9_000)), 481, Tender(CASH, 9_000)),  # next shift
    ]
    codes = [
        redeemed("000001", WriteOffKind.COUPON, 30),
        redeemed("000002", WriteOffKind.PICKUP, 40),
        redeemed("000003", WriteOffKind.PICKUP, 50),
        redeemed("000004", WriteOffKind.PICKUP, 500),  # next shift
        write_off(code="000005"),  # issued, never redeemed
    ]
    return sales, codes


def totals() -> ShiftTotals:
    sales, codes = day()
    values = {"000001": 1_500, "000002": 3_900, "000003": 12_800, "000004": 100}
    return shift_totals(WINDOW, FLOAT, sales, codes, values)


def test_totals_per_payment_method_net_of_change_and_refunds() -> None:
    result = totals()
    assert [(m.method, m.sales, m.taken_fen, m.refunded_fen) for m in result.methods] == [
        (CASH, 1, 28_180, 4_000),
        (CARD, 1, 32_160, 0),
        (TenderMethod.MINI_PROGRAM, 1, 19_950, 0),
    ]
    assert result.takings_fen == 28_180 - 4_000 + 32_160 + 19_950
    assert (result.sales, result.orders) == (3, 1)


def test_totals_per_grade_discounts_points_and_write_offs() -> None:
    result = totals()
    assert [(g.grade, g.fills, g.volume_ml, g.amount_fen) for g in result.grades] == [
        (GradeCode.G92, 1, 40_000, 29_680),
        (GradeCode.G95, 2, 80_000, 31_560 + 19_950),
    ]
    assert (result.coupons_used, result.coupon_fen, result.tier_fen) == (1, 1_500, 0)
    assert result.points_issued == 281
    assert [(w.kind, w.count, w.value_fen) for w in result.write_offs] == [
        (WriteOffKind.COUPON, 1, 1_500),
        (WriteOffKind.PICKUP, 2, 3_900 + 12_800),
    ]


def test_voids_and_refunds_with_who_and_why() -> None:
    result = totals()
    assert [(v.sale_id, v.amount_fen, v.approval.reason) for v in result.voids] == [
        ("s4", 5_000, "顾客离开 / customer left")
    ]
    assert [(r.sale_id, r.amount_fen, r.cash_fen, r.approval.staff_no) for r in result.refunds] == [
        ("s5", 4_000, 4_000, "2001")
    ]


def test_cash_expected_is_float_plus_cash_less_change_less_cash_refunds() -> None:
    result = totals()
    assert (result.cash_taken_fen, result.change_fen, result.cash_refunded_fen) == (30_000, 1_820, 4_000)
    assert result.cash_expected_fen == FLOAT + 30_000 - 1_820 - 4_000


def test_z_report_from_the_totals() -> None:
    result = totals()
    opening = MeterSnapshot(T0, (MeterReading(3, GradeCode.G92, 1_000_000, 0),))
    closing = MeterSnapshot(WINDOW.end, (MeterReading(3, GradeCode.G92, 1_041_000, 0),))
    meters = reconcile(opening, closing, [])
    cash = CashReconciliation(
        result.cash_expected_fen, CashCount({10_000: 7, 100: 1, 10: 8}), manager("点错 / miscounted")
    )
    report = shift_report(
        ShiftReportKind.Z,
        ReceiptHeader("城东加油站", "前台1", "赵店长", WINDOW.end),
        "S-20261121-1",
        result,
        meters,
        cash,
        pending_upload=True,
    )
    assert report.closed_at == WINDOW.end and report.opened_at == T0
    assert report.total_fen == 29_680 + 31_560 + 19_950
    assert [(t.kind, t.amount_fen, t.reference) for t in report.tenders] == [
        (TenderKind.CASH, 24_180, None),
        (TenderKind.UNIONPAY, 32_160, None),
        (TenderKind.WECHAT, 19_950, "小程序预付"),
    ]
    assert (report.write_offs, report.orders) == (3, 1)
    assert report.cash_variance_fen == 70_180 - 74_180
    assert report.readings[0].drawn_ml == 41_000
    footer = "\n".join(report.footer)
    for expected in (
        "作废 s4",
        "顾客离开",
        "退款 s5",
        "油品不符",
        "泵码差异 3号油枪 41.000L",
        "差异说明",
        PENDING_UPLOAD,
    ):
        assert expected in footer


def test_x_report_has_no_close_and_no_count() -> None:
    report = shift_report(
        ShiftReportKind.X, ReceiptHeader("城东加油站", "前台1", "张三", WINDOW.end), "S-1", totals()
    )
    assert report.closed_at is None and report.cash_counted_fen is None
    assert PENDING_UPLOAD not in report.footer


def test_z_report_needs_a_count_made_against_these_totals() -> None:
    header = ReceiptHeader("城东加油站", "前台1", "赵店长", WINDOW.end)
    with pytest.raises(InvalidValue):
        shift_report(ShiftReportKind.Z, header, "S-1", totals())
    other = CashReconciliation(1_000, CashCount({100: 10}))
    with pytest.raises(InvalidValue):
        shift_report(ShiftReportKind.Z, header, "S-1", totals(), cash=other)


def test_a_shift_window_runs_after_its_start_up_to_its_end() -> None:
    assert T0 not in WINDOW and WINDOW.end in WINDOW
    with pytest.raises(InvalidValue):
        ShiftWindow(T0, T0)
