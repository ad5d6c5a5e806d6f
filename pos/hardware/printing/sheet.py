"""A receipt laid out for a width, as a list of printer-neutral operations.

Every ``TextOp`` holds sanitized text that fits the line at its size, so both the ESC/POS encoder and the
image renderer can take it as it is. Building goes through ``Sheet``, which does the fitting.
"""

from __future__ import annotations

from dataclasses import dataclass

from pos.domain.money import format_fen
from pos.hardware.printing.commands import Align
from pos.hardware.printing.text import pad_left, sanitize, text_width, two_columns, wrap

YUAN = "￥"  # full-width: two bytes in GB18030, in every Chinese printer font


@dataclass(frozen=True, slots=True)
class TextOp:
    text: str
    align: Align = Align.LEFT
    width_mult: int = 1
    height_mult: int = 1
    bold: bool = False


@dataclass(frozen=True, slots=True)
class QrOp:
    data: str


@dataclass(frozen=True, slots=True)
class BarcodeOp:
    data: str  # CODE128, printable ASCII


@dataclass(frozen=True, slots=True)
class LogoOp:
    """The profile's logo image, if it has one."""


@dataclass(frozen=True, slots=True)
class FeedOp:
    lines: int


@dataclass(frozen=True, slots=True)
class RawLineOp:
    """A line sent as it is, wider than the paper if need be: the test page's rulers show where it wraps."""

    text: str


Op = TextOp | QrOp | BarcodeOp | LogoOp | FeedOp | RawLineOp


def money(fen: int) -> str:
    return format_fen(fen, symbol=YUAN)


def litres(volume_ml: int) -> str:
    """``30585`` ml -> ``30.59``: litres to two decimals, rounded half up, as the pump shows them."""
    centilitres = (volume_ml + 5) // 10
    return f"{centilitres // 100:,}.{centilitres % 100:02d}"


class Sheet:
    """Collects operations for a paper ``columns`` wide."""

    def __init__(self, columns: int) -> None:
        self.columns = columns
        self.ops: list[Op] = []

    def title(self, text: str) -> None:
        """Double width and height, bold, centred: the station name."""
        for line in wrap(sanitize(text), self.columns // 2):
            self.ops.append(TextOp(line, Align.CENTER, 2, 2, bold=True))

    def center(self, text: str, bold: bool = False) -> None:
        for line in wrap(sanitize(text), self.columns):
            self.ops.append(TextOp(line, Align.CENTER, bold=bold))

    def line(self, text: str, indent: int = 0) -> None:
        for part in wrap(sanitize(text), self.columns - indent):
            self.ops.append(TextOp(" " * indent + part))

    def pair(self, label: str, value: str, bold: bool = False, tall: bool = False) -> None:
        """Label left, value flush right; ``tall`` doubles the height (the width stays, so columns hold)."""
        for part in two_columns(sanitize(label), sanitize(value), self.columns):
            self.ops.append(TextOp(part, bold=bold, height_mult=2 if tall else 1))

    def amount(self, label: str, fen: int, bold: bool = False, tall: bool = False) -> None:
        self.pair(label, money(fen), bold, tall)

    def minus(self, label: str, fen: int) -> None:
        self.pair(label, money(-fen))

    def right(self, text: str) -> None:
        for part in wrap(sanitize(text), self.columns):
            self.ops.append(TextOp(pad_left(part, self.columns)))

    def rule(self, char: str = "-") -> None:
        self.ops.append(TextOp(char * (self.columns // text_width(char))))

    def section(self, name: str) -> None:
        """A rule with a name in it: ``------ 油品汇总 ------``."""
        label = f" {sanitize(name)} "
        if text_width(label) > self.columns:
            self.center(name)
            return
        side = max(0, (self.columns - text_width(label)) // 2)
        line = "-" * side + label
        self.ops.append(TextOp(line + "-" * max(0, self.columns - text_width(line))))

    def qr(self, data: str, caption: str) -> None:
        self.ops.append(QrOp(data))
        self.center(caption)

    def barcode(self, data: str) -> None:
        self.ops.append(BarcodeOp(data))

    def logo(self) -> None:
        self.ops.append(LogoOp())

    def raw(self, text: str) -> None:
        self.ops.append(RawLineOp(sanitize(text)))

    def feed(self, lines: int = 1) -> None:
        self.ops.append(FeedOp(lines))
