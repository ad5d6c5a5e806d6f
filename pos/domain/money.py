"""Money as integer fen (1 yuan = 100 fen). Formatting happens only at the edge."""

from __future__ import annotations

from dataclasses import dataclass
from typing import SupportsIndex

from pos.domain.errors import InvalidValue

FEN_PER_YUAN = 100


@dataclass(frozen=True, order=True, slots=True)
class Money:
    """A non-negative amount in fen. Differences that may go negative use plain ``int`` fen."""

    fen: int

    def __post_init__(self) -> None:
        if isinstance(self.fen, bool) or not isinstance(self.fen, int):
            raise InvalidValue(f"money must be whole fen, got {self.fen!r}")
        if self.fen < 0:
            raise InvalidValue(f"money cannot be negative: {self.fen} fen")

    @classmethod
    def yuan(cls, whole: int, fen: int = 0) -> Money:
        return cls(whole * FEN_PER_YUAN + fen)

    @classmethod
    def parse(cls, text: str) -> Money:
        """Parse what a cashier types: ``200``, ``200.5``, ``¥1,234.50``. At most two decimals."""
        cleaned = text.strip().lstrip("¥￥").replace(",", "").strip()
        whole, _, frac = cleaned.partition(".")
        if not whole.isdigit() and not (whole == "" and frac.isdigit()):
            raise InvalidValue(f"not an amount: {text!r}")
        if frac and (not frac.isdigit() or len(frac) > 2):
            raise InvalidValue(f"amounts have at most two decimals (fen): {text!r}")
        return cls(int(whole or "0") * FEN_PER_YUAN + int(frac.ljust(2, "0") or "0"))

    def __add__(self, other: Money) -> Money:
        return Money(self.fen + other.fen)

    def __sub__(self, other: Money) -> Money:
        return Money(self.fen - other.fen)

    def __mul__(self, times: SupportsIndex) -> Money:
        return Money(self.fen * int(times))

    def __bool__(self) -> bool:
        return self.fen != 0

    def __str__(self) -> str:
        return format_fen(self.fen)


ZERO = Money(0)


def format_fen(fen: int, symbol: str = "¥") -> str:
    """``123450`` -> ``¥1,234.50``; negative amounts (variances, refunds) as ``-¥15.00``."""
    sign = "-" if fen < 0 else ""
    whole, part = divmod(abs(fen), FEN_PER_YUAN)
    return f"{sign}{symbol}{whole:,}.{part:02d}"


def amount_for_volume(unit_price_fen: int, volume_ml: int) -> int:
    """Amount in fen for a volume at a price per litre, rounded half up to the fen (the pump's rule)."""
    if unit_price_fen < 0 or volume_ml < 0:
        raise InvalidValue("price and volume cannot be negative")
    return (unit_price_fen * volume_ml + 500) // 1000
