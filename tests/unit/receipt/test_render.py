"""Byte-level tests of the ESC/POS renderer, for every document type at both paper widths."""

from __future__ import annotations

import dataclasses
import re

import pytest

from pos.domain.receipt import ReceiptDocument, TenderKind, TenderLine
from pos.hardware.printing import commands as cmd
from pos.hardware.printing import samples
from pos.hardware.printing.interpreter import EscPosInterpreter, PrintedReceipt
from pos.hardware.printing.profile import PrinterProfile
from pos.hardware.printing.render import render
from pos.hardware.printing.text import text_width

DOCUMENTS = {name: doc for name, doc in samples.all_documents()}
AMOUNT = re.compile(r"-?￥[0-9,]+\.[0-9]{2}$")


def printed(document: object, profile: PrinterProfile) -> PrintedReceipt:
    got: list[PrintedReceipt] = []
    EscPosInterpreter(profile.width_dots, got.append, draw=False).feed(render(document, profile))  # type: ignore[arg-type]
    assert len(got) == 1, "exactly one cut per receipt"
    return got[0]


def text_spans(data: bytes) -> list[bytes]:
    """The text bytes of a stream: known commands (with their parameter bytes) cut out, split at controls."""
    body = data.split(cmd.CHINESE_ON, 1)[1]
    body = re.sub(rb"\x1d\(k..1.[^\x1d]*", b"", body, flags=re.S)  # QR blocks
    body = re.sub(rb"\x1b[aEd].|\x1d!.|\x1dV.|\x1bp...|\x1d[Hhw].|\x1dkI.[^\n]*", b"", body, flags=re.S)
    return [span for span in re.split(rb"[\x00-\x1f]", body) if span]


FUEL_SALE_58 = [
    "中油朝阳路加油站",
    "加油小票 RECEIPT",
    "================================",
    "单号              S20250501-0042",
    "收银台 前台1           员工 张伟",
    "打印时间     2025-05-01 14:23:05",
    "--------------------------------",
    "2号枪 95#               ￥234.50",
    "  29.87升 × ￥7.85/升",
    "农夫山泉 550ml × 2       ￥4.00",
    "--------------------------------",
    "小计                    ￥238.50",
    "优惠 满200减15          -￥15.00",
    "应收 TOTAL              ￥223.50",
    "--------------------------------",
    "现金                    ￥250.00",
    "找零 CHANGE              ￥26.50",
    "--------------------------------",
    "会员 138****5678        黄金会员",
    "本次积分 +223     积分余额 3,450",
    "钱包余额              ￥1,234.00",
    "扫码开具电子发票",
    "谢谢惠顾，欢迎再次光临！",
    "服务热线：400-800-1234",
]


def test_fuel_sale_on_58mm_decodes_to_the_expected_lines() -> None:
    receipt = printed(samples.fuel_sale(), PrinterProfile(paper_mm=58))
    assert [line for line in receipt.lines if line] == FUEL_SALE_58
    assert receipt.qr_payloads == ["https://fp.example.cn/i/S20250501-0042?c=8F3K"]
    assert receipt.drawer_kicked
    assert receipt.unknown_commands == []


@pytest.mark.parametrize("paper_mm", [58, 80])
@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_every_document_fits_aligns_and_never_falls_back_to_question_marks(name: str, paper_mm: int) -> None:
    profile = PrinterProfile(paper_mm=paper_mm)
    data = render(DOCUMENTS[name], profile)
    assert data.startswith(cmd.INIT) and cmd.CHINESE_ON in data[:16]
    assert data.rstrip(b"\n").endswith(cmd.cut())
    for span in text_spans(data):
        assert b"?" not in span
        span.decode("gb18030")  # strict: every text byte is valid GB18030
    receipt = printed(DOCUMENTS[name], profile)
    lines = [line for line in receipt.lines if line]
    assert lines[0] == "中油朝阳路加油站"
    for line in lines:
        assert text_width(line) <= profile.columns, line
        assert "?" not in line and "\ufffd" not in line
        if AMOUNT.search(line) and not line.startswith(" "):
            assert text_width(line) == profile.columns, f"amount not flush right: {line!r}"


def test_amounts_line_up_in_mixed_chinese_and_latin_lines() -> None:
    receipt = printed(samples.shift_report(), PrinterProfile(paper_mm=80))
    money_lines = [line for line in receipt.lines if AMOUNT.search(line)]
    assert len(money_lines) >= 8
    assert {text_width(line) for line in money_lines} == {48}
    assert "92# 214笔 6,312.45升                 ￥47,027.80" in money_lines


def test_title_is_double_size_and_total_double_height() -> None:
    data = render(samples.fuel_sale(), PrinterProfile(paper_mm=80))
    assert cmd.char_size(2, 2) + "中油朝阳路加油站".encode("gb18030") in data
    assert cmd.char_size(1, 2) + "应收 TOTAL".encode("gb18030") in data


def test_yuan_sign_and_full_width_punctuation_use_their_gb18030_codes() -> None:
    data = render(samples.fuel_sale(), PrinterProfile(paper_mm=80))
    assert "￥234.50".encode("gb18030") == b"\xa3\xa4234.50"
    assert b"\xa3\xa4234.50" in data
    assert "，".encode("gb18030") in data and "：".encode("gb18030") in data


def test_drawer_kicks_only_on_cash_sales() -> None:
    cash = render(samples.fuel_sale(), PrinterProfile())
    wechat_sale = dataclasses.replace(samples.fuel_sale(), tenders=[TenderLine(TenderKind.WECHAT, 22350)])
    assert cmd.drawer_kick(2) in cash
    assert cmd.drawer_kick(2) not in render(wechat_sale, PrinterProfile())
    assert cmd.drawer_kick(5) in render(samples.fuel_sale(), PrinterProfile(drawer_pin=5))


def test_qr_as_image_when_the_profile_has_no_native_qr() -> None:
    receipt = printed(samples.order_slip(), PrinterProfile(native_qr=False))
    data = render(samples.order_slip(), PrinterProfile(native_qr=False))
    assert b"\x1d(k" not in data and b"\x1dv0" in data
    assert receipt.qr_payloads == [] and receipt.images == 1


@pytest.mark.parametrize("paper_mm", [58, 80])
def test_as_image_sends_one_raster_and_no_text(paper_mm: int) -> None:
    document: ReceiptDocument = samples.write_off()
    profile = PrinterProfile(paper_mm=paper_mm, as_image=True)
    data = render(document, profile)
    assert cmd.CHINESE_ON not in data and "核销".encode("gb18030") not in data
    receipt = printed(document, profile)
    assert receipt.images >= 1
    assert not [line for line in receipt.lines if line]
    width_bytes = int.from_bytes(data[data.index(b"\x1dv0") + 4 : data.index(b"\x1dv0") + 6], "little")
    assert width_bytes * 8 == profile.width_dots


def test_logo_is_printed_as_a_raster_and_a_missing_logo_is_skipped(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("L", (400, 100), 0).save(logo)
    with_logo = printed(samples.fuel_sale(), PrinterProfile(logo_path=logo))
    without = printed(samples.fuel_sale(), PrinterProfile(logo_path=tmp_path / "missing.png"))
    assert with_logo.images == without.images + 1  # the QR code counts as a picture too
    assert [line for line in with_logo.lines if line] == [line for line in without.lines if line]
