"""What a scanned or typed text means to this station: a write-off code, a member code, or nothing.

``parse_scan(text)`` never raises. Every input ends as exactly one of:

* ``WriteOffPayload(kind, code)``: a six-digit write-off code; ``kind`` is coupon, pickup or service when
  the text says so, or ``None`` when it does not (a bare code: the backend lookup tells what it is).
* ``MemberPayload(kind, value)``: a member card number or a member token, routed to the member panel.
* ``Unrecognised(reason, why)``: "not a code this station can redeem"; ``why`` is a short machine word
  for the log (never shown to staff, never holding the input itself).

Accepted forms
--------------
1. **Bare six-digit code**, as typed by staff or sent by a keyboard-wedge scanner reading the Code128 on
   the customer's phone: ``123456``. Surrounding whitespace (including the ideographic space U+3000 and a
   scanner's CR/LF) is trimmed. Full-width digits ``１２３４５６`` are *normalised* to ASCII: a Chinese
   input method in full-width mode produces them when staff type the code, and refusing would only make
   staff retype the same digits. No other Unicode digit (Arabic-Indic, superscripts, circled...) is
   accepted, so ``str.isdigit`` is never used.
2. **Member card number**: 10 to 19 ASCII digits (after the same trimming and normalisation).
3. **Our compact QR format, version 1** ("SP1" = station-pos v1)::

       SP1:W:<T>:<code>:<CHK>      write-off; T = C (coupon), P (pickup), S (service); code = 6 digits
       SP1:M:<ref>:<CHK>           member; ref = 10-19 digits (card number) or 8-32 of [0-9A-Z] (token)

   Every character is in the QR alphanumeric set (0-9, A-Z, space, ``$%*+-./:``), so the mini program's
   QR stays at version 1 or 2 (21x21 or 25x25 modules): big modules that cheap webcams read from a phone
   screen. ``CHK`` is four Crockford base-32 characters holding the low 20 bits of the CRC-32 (zlib) of
   everything before the last colon, e.g. ``SP1:W:P:123456``. It is not a signature (anyone can compute
   it; the backend decides what a code is worth); it catches typos and mangled reads: a random change
   slips through with probability 2**-20, and the unit tests check that every single-character change of
   the type letter or the code is caught. The format is read case-insensitively (a wedge scanner with
   Caps Lock on sends lower case), so member tokens are case-insensitive by definition. An unknown
   version (``SP2:...``) is refused, not guessed at.
4. **A URL carrying the code** (``http`` or ``https``, any host and path): query parameter ``wo`` with
   the six digits and an optional ``t`` (C/P/S or coupon/pickup/service), e.g.
   ``https://m.example.com/wo?wo=123456&t=P``; or parameter ``c`` holding a whole SP1 text, e.g.
   ``https://m.example.com/s?c=SP1:W:C:654321:XXXX``. A URL whose parameters disagree is refused.

Anything longer than ``MAX_SCAN_LENGTH`` characters is refused before any parsing.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import parse_qs, urlsplit

from pos.domain.errors import InvalidValue

MAX_SCAN_LENGTH = 1024
NOT_REDEEMABLE = "不是本站可核销的码 / not a code this station can redeem"
QR_PREFIX = "SP1"

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_SIX_DIGITS = re.compile(r"[0-9]{6}", re.ASCII)
_CARD_NUMBER = re.compile(r"[0-9]{10,19}", re.ASCII)
_MEMBER_TOKEN = re.compile(r"[0-9A-Z]{8,32}", re.ASCII)
_CHECK = re.compile(r"[0-9A-Z]{4}", re.ASCII)


class WriteOffKind(StrEnum):
    COUPON = "coupon"
    PICKUP = "pickup"
    SERVICE = "service"


class MemberRefKind(StrEnum):
    CARD = "card"
    TOKEN = "token"


_KIND_LETTER = {WriteOffKind.COUPON: "C", WriteOffKind.PICKUP: "P", WriteOffKind.SERVICE: "S"}
_LETTER_KIND = {letter: kind for kind, letter in _KIND_LETTER.items()}
_WORD_KIND = {kind.value: kind for kind in WriteOffKind}


@dataclass(frozen=True, slots=True)
class WriteOffPayload:
    """A six-digit write-off code; ``kind`` is None when the text did not say (a bare code)."""

    code: str
    kind: WriteOffKind | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.code, str) or not _SIX_DIGITS.fullmatch(self.code):
            raise InvalidValue(f"a write-off code is six ASCII digits, got {self.code!r}", {"field": "code"})
        if self.kind is not None and not isinstance(self.kind, WriteOffKind):
            raise InvalidValue(f"kind must be a WriteOffKind or None, got {self.kind!r}", {"field": "kind"})


@dataclass(frozen=True, slots=True)
class MemberPayload:
    """A member card number (10-19 digits) or a member token (8-32 of 0-9, A-Z).

    ``repr`` hides the value: a card number is personal data and payloads end up in log lines.
    """

    kind: MemberRefKind
    value: str

    def __post_init__(self) -> None:
        if not isinstance(self.kind, MemberRefKind):
            raise InvalidValue(f"kind must be a MemberRefKind, got {self.kind!r}", {"field": "kind"})
        pattern = _CARD_NUMBER if self.kind is MemberRefKind.CARD else _MEMBER_TOKEN
        if not isinstance(self.value, str) or not pattern.fullmatch(self.value):
            raise InvalidValue(f"not a valid member {self.kind.value}", {"field": "value"})

    def __repr__(self) -> str:
        return f"MemberPayload(kind={self.kind.value}, value=…{self.value[-4:]})"


@dataclass(frozen=True, slots=True)
class Unrecognised:
    """Not something this station can redeem. ``reason`` is for staff, ``why`` for the log."""

    why: str
    reason: str = NOT_REDEEMABLE


ScanPayload = WriteOffPayload | MemberPayload | Unrecognised


def parse_scan(text: object) -> ScanPayload:
    """Read a scanned or typed text. Never raises, whatever ``text`` is."""
    try:
        return _parse(text)
    except Exception:  # a bug here must cost one unreadable scan, not the scanner thread
        return Unrecognised("internal_error")


def build_qr_payload(payload: WriteOffPayload | MemberPayload) -> str:
    """Our SP1 text for ``payload`` (what the mini program puts in its QR code; tests and the simulator)."""
    if isinstance(payload, WriteOffPayload):
        if payload.kind is None:
            raise InvalidValue("an SP1 write-off QR must say its kind", {"field": "kind"})
        body = f"{QR_PREFIX}:W:{_KIND_LETTER[payload.kind]}:{payload.code}"
    else:
        body = f"{QR_PREFIX}:M:{payload.value}"
    return f"{body}:{sp1_check(body)}"


def sp1_check(body: str) -> str:
    """Four Crockford base-32 characters: the low 20 bits of CRC-32 over ``body`` (ASCII)."""
    value = zlib.crc32(body.encode("ascii")) & 0xFFFFF
    return "".join(_CROCKFORD[(value >> shift) & 0x1F] for shift in (15, 10, 5, 0))


def _parse(text: object) -> ScanPayload:
    if not isinstance(text, str):
        return Unrecognised("not_text")
    if len(text) > MAX_SCAN_LENGTH:
        return Unrecognised("too_long")
    cleaned = text.strip()
    if not cleaned:
        return Unrecognised("empty")
    digits = cleaned.translate(_FULL_WIDTH_DIGITS)
    if _SIX_DIGITS.fullmatch(digits):
        return WriteOffPayload(digits)
    if _CARD_NUMBER.fullmatch(digits):
        return MemberPayload(MemberRefKind.CARD, digits)
    if cleaned[:4].upper() == f"{QR_PREFIX}:":
        return _parse_sp1(cleaned)
    if cleaned[:7].lower() == "http://" or cleaned[:8].lower() == "https://":
        return _parse_url(cleaned)
    return Unrecognised("unknown_form")


def _parse_sp1(text: str) -> ScanPayload:
    if not text.isascii():
        return Unrecognised("sp1_not_ascii")
    upper = text.upper()
    body, _, check = upper.rpartition(":")
    if not _CHECK.fullmatch(check):
        return Unrecognised("sp1_bad_check_format")
    if sp1_check(body) != check:
        return Unrecognised("sp1_check_mismatch")
    fields = body.split(":")
    if fields[1:2] == ["W"] and len(fields) == 4:
        return _sp1_write_off(fields[2], fields[3])
    if fields[1:2] == ["M"] and len(fields) == 3:
        return _sp1_member(fields[2])
    return Unrecognised("sp1_unknown_layout")


def _sp1_write_off(letter: str, code: str) -> ScanPayload:
    kind = _LETTER_KIND.get(letter)
    if kind is None or not _SIX_DIGITS.fullmatch(code):
        return Unrecognised("sp1_bad_write_off")
    return WriteOffPayload(code, kind)


def _sp1_member(ref: str) -> ScanPayload:
    if _CARD_NUMBER.fullmatch(ref):
        return MemberPayload(MemberRefKind.CARD, ref)
    if _MEMBER_TOKEN.fullmatch(ref):
        return MemberPayload(MemberRefKind.TOKEN, ref)
    return Unrecognised("sp1_bad_member")


def _parse_url(text: str) -> ScanPayload:
    try:
        query = parse_qs(urlsplit(text).query, keep_blank_values=True, strict_parsing=False)
    except ValueError:  # e.g. a malformed IPv6 host
        return Unrecognised("url_malformed")
    carried = query.get("c", [])
    bare = query.get("wo", [])
    if len(carried) + len(bare) != 1:
        return Unrecognised("url_no_single_code")
    if carried:
        if "t" in query:
            return Unrecognised("url_conflicting_params")
        inner = carried[0].strip()
        return _parse_sp1(inner) if inner[:4].upper() == f"{QR_PREFIX}:" else Unrecognised("url_bad_c")
    return _url_write_off(bare[0].strip(), query.get("t", []))


def _url_write_off(code: str, kinds: list[str]) -> ScanPayload:
    if not _SIX_DIGITS.fullmatch(code):
        return Unrecognised("url_bad_code")
    if not kinds:
        return WriteOffPayload(code)
    if len(kinds) != 1:
        return Unrecognised("url_conflicting_params")
    word = kinds[0].strip()
    kind = _LETTER_KIND.get(word.upper()) or _WORD_KIND.get(word.lower())
    return WriteOffPayload(code, kind) if kind is not None else Unrecognised("url_bad_kind")
