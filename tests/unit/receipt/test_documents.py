"""Receipt documents refuse what cannot be printed honestly: floats, naive times, full phone numbers."""

from __future__ import annotations

import dataclasses
from datetime import datetime

import pytest

from pos.domain.errors import InvalidValue
from pos.domain.receipt import (
    DiscountLine,
    FuelLine,
    FuelSaleReceipt,
    MemberLine,
    ReceiptHeader,
    ShiftReportKind,
    TenderKind,
    TenderLine,
    mask_phone,
)
from pos.hardware.printing import samples


def test_sale_totals_follow_lines_discounts_and_tenders() -> None:
    sale = samples.fuel_sale()
    assert sale.subtotal_fen == 23450 + 400
    assert sale.discount_fen == 1500
    assert sale.due_fen == 22350
    assert sale.paid_fen == 25000
    assert sale.change_fen == 2650
    assert sale.opens_drawer


def test_non_cash_sale_does_not_open_the_drawer_and_gives_no_change() -> None:
    sale = dataclasses.replace(samples.fuel_sale(), tenders=[TenderLine(TenderKind.WECHAT, 22350)])
    assert sale.change_fen == 0
    assert not sale.opens_drawer


def test_change_only_from_cash() -> None:
    with pytest.raises(InvalidValue, match="change"):
        dataclasses.replace(samples.fuel_sale(), tenders=[TenderLine(TenderKind.WECHAT, 30000)])


def test_underpaid_sale_is_refused() -> None:
    with pytest.raises(InvalidValue, match="less than"):
        dataclasses.replace(samples.fuel_sale(), tenders=[TenderLine(TenderKind.CASH, 100)])


@pytest.mark.parametrize("amount", [1.5, "100", True, -1])
def test_amounts_are_whole_non_negative_fen(amount: object) -> None:
    with pytest.raises(InvalidValue):
        FuelLine("95#", 1, 1000, 785, amount)  # type: ignore[arg-type]


def test_discount_must_be_positive_and_not_exceed_subtotal() -> None:
    with pytest.raises(InvalidValue):
        DiscountLine("满200减15", 0)
    with pytest.raises(InvalidValue, match="exceed"):
        dataclasses.replace(samples.fuel_sale(), discounts=[DiscountLine("全免", 10**7)])


def test_naive_times_are_refused() -> None:
    with pytest.raises(InvalidValue, match="timezone"):
        ReceiptHeader("站", "前台1", "张伟", datetime(2025, 5, 1, 8, 0))


def test_member_id_must_be_masked() -> None:
    with pytest.raises(InvalidValue, match="masked"):
        MemberLine("13812345678", "黄金")
    assert MemberLine(mask_phone("138 1234 5678"), "黄金").masked_id == "138****5678"


def test_sale_needs_a_line_and_a_tender() -> None:
    sale = samples.fuel_sale()
    with pytest.raises(InvalidValue):
        dataclasses.replace(sale, tenders=[])
    with pytest.raises(InvalidValue):
        FuelSaleReceipt(sale.header, "S1", fuel=[], goods=[], tenders=[TenderLine(TenderKind.CASH, 1)])


def test_sequences_are_frozen_into_tuples() -> None:
    assert isinstance(samples.fuel_sale().fuel, tuple)


def test_order_slip_refund_after_an_under_run() -> None:
    slip = samples.order_slip()
    assert slip.refund_fen == 30000 - 25640
    assert dataclasses.replace(slip, fuelled_fen=None).refund_fen == 0
    with pytest.raises(InvalidValue):
        dataclasses.replace(slip, fuelled_fen=30001)


def test_write_off_code_is_six_digits() -> None:
    with pytest.raises(InvalidValue, match="six digits"):
        dataclasses.replace(samples.write_off(), code="12345")
    with pytest.raises(InvalidValue, match="six digits"):
        dataclasses.replace(samples.write_off(), code="１２３４５６")


def test_shift_reports_x_has_no_close_and_z_has_one() -> None:
    z = samples.shift_report(ShiftReportKind.Z)
    x = samples.shift_report(ShiftReportKind.X)
    assert z.cut_at == z.closed_at
    assert x.cut_at == x.header.printed_at
    assert z.cash_variance_fen == -500
    assert x.cash_variance_fen is None
    with pytest.raises(InvalidValue):
        dataclasses.replace(x, closed_at=z.closed_at)


def test_totalizer_never_goes_backwards() -> None:
    reading = samples.shift_report().readings[0]
    assert reading.drawn_ml == 126_611_000 - 123_456_780
    with pytest.raises(InvalidValue):
        dataclasses.replace(reading, end_volume_ml=reading.start_volume_ml - 1)
