"""Column counting, visible replacement and wrapping, including a property test over any Unicode text."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from pos.domain.receipt import ItemLine
from pos.hardware.printing import samples
from pos.hardware.printing.interpreter import EscPosInterpreter, PrintedReceipt
from pos.hardware.printing.profile import PrinterProfile
from pos.hardware.printing.render import render
from pos.hardware.printing.text import REPLACEMENT, sanitize, text_width, two_columns, wrap


def test_chinese_and_full_width_take_two_columns() -> None:
    assert text_width("95#汽油") == 3 + 4
    assert text_width("，。：￥") == 8
    assert text_width(sanitize("¥15")) == 4  # ¥ prints as the full-width ￥


def test_unprintable_characters_are_replaced_one_for_one() -> None:
    assert sanitize("a\x00b\u200bc😀") == f"a{REPLACEMENT}b{REPLACEMENT}c{REPLACEMENT}"
    assert sanitize("Café") == "Café"  # é is in GB18030's two-byte range
    assert "?" not in sanitize("\x07\ufffe\U0010ffff")


def test_two_columns_put_the_amount_on_the_right_edge() -> None:
    assert two_columns("优惠 满200减15", "-￥15.00", 32) == ["优惠 满200减15          -￥15.00"]
    long = two_columns("超长的商品名称" * 4, "￥1.00", 32)
    assert all(text_width(line) <= 32 for line in long)
    assert long[-1].endswith("￥1.00") and text_width(long[-1]) == 32


def test_wrap_never_splits_a_wide_character() -> None:
    assert wrap("a中文字", 4) == ["a中", "文字"]


def _receipt_with_label(label: str, paper_mm: int) -> PrintedReceipt:
    goods = ItemLine(label if label.strip() else "空", 1234, detail=label if label.strip() else None)
    sale = samples.fuel_sale()
    document = type(sale)(
        sale.header,
        sale.sale_no,
        sale.fuel,
        sale.tenders,
        goods=[goods],
        discounts=sale.discounts,
        footer=(label,) if label.strip() else (),
    )
    got: list[PrintedReceipt] = []
    EscPosInterpreter(on_receipt=got.append, draw=False).feed(render(document, PrinterProfile(paper_mm)))
    return got[0]


@settings(max_examples=150, deadline=None)
@given(label=st.text(min_size=1, max_size=80), paper_mm=st.sampled_from([58, 80]))
def test_any_text_renders_within_the_width_and_visibly(label: str, paper_mm: int) -> None:
    columns = PrinterProfile(paper_mm).columns
    receipt = _receipt_with_label(label, paper_mm)
    assert all(text_width(line) <= columns for line in receipt.lines)
    printed = "".join(receipt.lines)
    expected = sanitize(label)
    assert len(expected) == len(unicodedata.normalize("NFC", label))  # nothing dropped
    if label.strip():
        assert expected.strip() in printed or all(
            part in printed for part in wrap(expected, columns) if part.strip()
        )
    if "?" not in label:
        assert "?" not in printed and "\ufffd" not in printed
