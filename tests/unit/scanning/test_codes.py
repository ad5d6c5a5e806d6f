"""The payload parser: every accepted form, the refusals, and a fuzz run proving it never raises."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos.domain.codes import (
    NOT_REDEEMABLE,
    MemberPayload,
    MemberRefKind,
    Unrecognised,
    WriteOffKind,
    WriteOffPayload,
    build_qr_payload,
    parse_scan,
    sp1_check,
)
from pos.domain.errors import InvalidValue


@pytest.mark.parametrize("text", ["123456", "  123456\r\n", "\u3000123456\t", "１２３４５６", "12３456"])
def test_bare_six_digits_with_whitespace_and_full_width_digits(text: str) -> None:
    assert parse_scan(text) == WriteOffPayload("123456")


@pytest.mark.parametrize(
    "text",
    ["12345", "1234567", "12 3456", "١٢٣٤٥٦", "¹²³⁴⁵⁶", "①②③④⑤⑥", "12345x", "", "   ", "-12345", "+123456"],
)
def test_other_digit_strings_are_refused(text: str) -> None:
    result = parse_scan(text)
    assert isinstance(result, Unrecognised)
    assert result.reason == NOT_REDEEMABLE


@pytest.mark.parametrize("kind", list(WriteOffKind))
def test_sp1_write_off_round_trip(kind: WriteOffKind) -> None:
    payload = WriteOffPayload("004217", kind)
    text = build_qr_payload(payload)
    assert text.startswith("SP1:W:") and len(text) == len("SP1:W:P:004217:ABCD")
    assert parse_scan(text) == payload
    assert parse_scan(text.lower()) == payload  # a wedge scanner with Caps Lock on


def test_sp1_member_card_and_token() -> None:
    card = MemberPayload(MemberRefKind.CARD, "6225880012345678")
    token = MemberPayload(MemberRefKind.TOKEN, "K7Q2M9ZX4TAB")
    assert parse_scan(build_qr_payload(card)) == card
    assert parse_scan(build_qr_payload(token)) == token


def test_bare_member_card_number() -> None:
    assert parse_scan(" 6225880012345678 ") == MemberPayload(MemberRefKind.CARD, "6225880012345678")


def test_member_repr_hides_the_number() -> None:
    assert "62258800" not in repr(MemberPayload(MemberRefKind.CARD, "6225880012345678"))


def test_every_single_character_change_of_type_or_code_is_caught() -> None:
    for code in ("000000", "123456", "987650", "555555"):
        text = build_qr_payload(WriteOffPayload(code, WriteOffKind.PICKUP))
        for position in range(6, 14):  # the type letter, the separator and the six digits
            for replacement in "0123456789CPSX:":
                if replacement == text[position]:
                    continue
                mangled = text[:position] + replacement + text[position + 1 :]
                assert isinstance(parse_scan(mangled), Unrecognised), mangled


def test_check_is_four_crockford_characters() -> None:
    check = sp1_check("SP1:W:P:123456")
    assert len(check) == 4 and all(c in "0123456789ABCDEFGHJKMNPQRSTVWXYZ" for c in check)


@pytest.mark.parametrize(
    "text",
    [
        "SP2:W:P:123456:AAAA",  # unknown version
        "SP1:W:X:123456:AAAA",
        "SP1:W:P:12345:AAAA",
        "SP1:W:P:123456",  # no check
        "SP1:M:123:AAAA",
        "SP1:W:P:１２３４５６:AAAA",
        "SP1:",
        "SP1:::::",
    ],
)
def test_malformed_sp1_is_refused(text: str) -> None:
    assert isinstance(parse_scan(text), Unrecognised)


def test_sp1_with_a_correct_check_but_bad_fields_is_refused() -> None:
    for body in ("SP1:W:X:123456", "SP1:W:P:1234567", "SP1:M:12", "SP1:Q:123456", "SP1:W:P:123456:9"):
        assert isinstance(parse_scan(f"{body}:{sp1_check(body)}"), Unrecognised), body


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://m.example.com/wo?wo=123456&t=P", WriteOffPayload("123456", WriteOffKind.PICKUP)),
        ("http://x/?t=coupon&wo=123456", WriteOffPayload("123456", WriteOffKind.COUPON)),
        ("HTTPS://X/a/b?wo=123456", WriteOffPayload("123456")),
        ("https://x/?wo=%20123456%20&t=s", WriteOffPayload("123456", WriteOffKind.SERVICE)),
    ],
)
def test_url_with_wo_parameter(url: str, expected: WriteOffPayload) -> None:
    assert parse_scan(url) == expected


def test_url_carrying_sp1_in_c() -> None:
    payload = WriteOffPayload("654321", WriteOffKind.COUPON)
    assert parse_scan(f"https://m.example.com/s?c={build_qr_payload(payload)}") == payload


@pytest.mark.parametrize(
    "url",
    [
        "https://x/?wo=123456&wo=654321",
        "https://x/?wo=123456&c=SP1:W:P:123456:AAAA",
        "https://x/?wo=12345",
        "https://x/?wo=123456&t=Z",
        "https://x/?wo=123456&t=P&t=C",
        "https://x/?c=hello",
        "https://x/?q=1",
        "https://[::1/?wo=123456",
        "ftp://x/?wo=123456",
        "https://x/123456",
    ],
)
def test_bad_urls_are_refused(url: str) -> None:
    assert isinstance(parse_scan(url), Unrecognised)


def test_non_text_and_overlong_input() -> None:
    assert isinstance(parse_scan(None), Unrecognised)
    assert isinstance(parse_scan(123456), Unrecognised)
    assert parse_scan("1" * 5000) == Unrecognised("too_long")


def test_constructors_refuse_invalid_values() -> None:
    with pytest.raises(InvalidValue):
        WriteOffPayload("١٢٣٤٥٦")
    with pytest.raises(InvalidValue):
        MemberPayload(MemberRefKind.CARD, "12345")
    with pytest.raises(InvalidValue):
        build_qr_payload(WriteOffPayload("123456"))  # a QR must carry its kind


_near_miss = st.one_of(
    st.text(max_size=80),
    st.text(alphabet="0123456789０１２３:SPWMCSabcdef/?=&%\u3000 \n", max_size=40),
    st.builds(lambda s: "SP1:" + s, st.text(max_size=40)),
    st.builds(lambda s: "https://h/?" + s, st.text(max_size=60)),
    st.binary(max_size=40).map(lambda b: b.decode("latin-1")),
)


@settings(max_examples=1500, deadline=None)
@given(_near_miss)
def test_parse_scan_never_raises(text: str) -> None:
    result = parse_scan(text)
    assert isinstance(result, WriteOffPayload | MemberPayload | Unrecognised)
    assert result != Unrecognised("internal_error")  # the safety net in parse_scan must never be needed
    if isinstance(result, WriteOffPayload):
        assert len(result.code) == 6 and result.code.isascii() and result.code.isdigit()
