"""Printable text for a Chinese thermal printer: what can be printed, how many columns it takes, wrapping.

A printer in Chinese mode (FS &) prints a byte 0x20..0x7E as a half-width glyph (one column) and a
two-byte GB18030 code as a full-width glyph from its Chinese font (two columns). That is the rule used
here, rather than ``unicodedata.east_asian_width`` alone: ambiguous-width signs such as ``×`` or ``·``
encode as two bytes, so the printer draws them two columns wide. Everything else (controls, private-use
codes, the four-byte GB18030 range that printer fonts do not carry, emoji) is replaced by ``□`` — visibly,
one mark per character, never dropped and never a bare ``?``.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterator

REPLACEMENT = "□"  # U+25A1, GB18030 A1F5: in every Chinese printer font
ENCODING = "gb18030"

# Characters with a printable stand-in that keeps their meaning. ¥ (U+00A5) is outside GBK, so it would
# need a four-byte code; the full-width ￥ is the sign Chinese receipts print anyway.
_STAND_INS = {"¥": "￥", "\u00a0": " ", "\t": " ", "•": "·"}
_UNPRINTABLE_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


@functools.lru_cache(maxsize=8192)
def printable_char(ch: str) -> str:
    """``ch`` itself when the printer can print it, its stand-in, or ``REPLACEMENT``."""
    if ch in _STAND_INS:
        return _STAND_INS[ch]
    if " " <= ch <= "~":
        return ch
    category = unicodedata.category(ch)
    if category in _UNPRINTABLE_CATEGORIES:
        return REPLACEMENT
    if category == "Zs":
        return " "  # exotic spaces (thin, em...) print as a plain space: same meaning, nothing lost
    try:
        encoded = ch.encode(ENCODING)
    except UnicodeEncodeError:
        return REPLACEMENT
    return ch if len(encoded) == 2 else REPLACEMENT


def sanitize(text: str) -> str:
    """Text as the printer will print it: NFC-composed, each character printable or visibly replaced."""
    return "".join(printable_char(ch) for ch in unicodedata.normalize("NFC", text))


def char_width(ch: str) -> int:
    """Columns a sanitized character takes: 1 for ASCII, 2 for a full-width Chinese-font glyph."""
    return 1 if ch < "\x80" else 2


def text_width(text: str) -> int:
    """Columns of a sanitized string."""
    return sum(char_width(ch) for ch in text)


def wrap(text: str, width: int) -> list[str]:
    """Hard-wrap sanitized ``text`` into lines of at most ``width`` columns, keeping every character.

    Receipts are mostly Chinese, which has no spaces to break at, so lines break at the column limit.
    An empty text gives one empty line.
    """
    if width < 2:
        raise ValueError(f"cannot wrap to {width} columns: a Chinese character needs two")
    return list(_wrapped(text, width)) or [""]


def _wrapped(text: str, width: int) -> Iterator[str]:
    line: list[str] = []
    used = 0
    for ch in text:
        w = char_width(ch)
        if used + w > width:
            yield "".join(line)
            line, used = [], 0
        line.append(ch)
        used += w
    if line:
        yield "".join(line)


def pad_right(text: str, width: int) -> str:
    return text + " " * max(0, width - text_width(text))


def pad_left(text: str, width: int) -> str:
    return " " * max(0, width - text_width(text)) + text


def two_columns(label: str, value: str, width: int) -> list[str]:
    """``label`` on the left, ``value`` flush with the right edge; the label wraps if it is too long.

    Both arguments must be sanitized. When the value does not fit beside the label's last line, it gets a
    line of its own, right-aligned. No returned line is wider than ``width``.
    """
    value_lines = wrap(value, width)
    value_last = value_lines[-1]
    label_lines = wrap(label, width) if label else [""]
    gap = 1 if label_lines[-1] else 0
    if text_width(label_lines[-1]) + gap + text_width(value_last) <= width:
        last = pad_right(label_lines[-1], width - text_width(value_last)) + value_last
        return [*label_lines[:-1], last] if len(value_lines) == 1 else [*label_lines, *value_lines]
    return [*label_lines, *value_lines[:-1], pad_left(value_last, width)]
