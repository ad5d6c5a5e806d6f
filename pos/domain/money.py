"""Money as integer fen (1 yuan = 100 fen). Formatting happens only at the edge."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import SupportsIndex

from pos.domain.errors import InvalidValue

FEN_PER_YUAN = 100
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．，￥", "0123456789.,¥")
# "200", "200.", "200.5", "200.50" or ".5": some digits, then at most two decimals.
_AMOUNT = re.compile(r"(?=[0-9]|\.[0-9])([0-9]*)(?:\.([0-9]{0,2}))?", re.ASCII)
PER_MILLE = 1000  # rates are integer per-mille: 880 = 8.8折 (pay 88 %), never a float


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
        """Parse what a cashier types: ``200``, ``200.5``, ``¥1,234.50``. At most two decimals.

        Full-width digits and point (an input method in full-width mode) count as ASCII ones; any other
        Unicode digit (superscripts, Arabic-Indic...) is refused, which is why ``str.isdigit`` is not used.
        """
        if not isinstance(text, str):
            raise InvalidValue(f"not an amount: {text!r}")
        cleaned = text.translate(_FULL_WIDTH).strip().lstrip("¥").replace(",", "").strip()
        match = _AMOUNT.fullmatch(cleaned)
        if match is None:
            raise InvalidValue(f"not an amount (at most two decimals): {text!r}")
        whole, frac = match.group(1) or "0", match.group(2) or ""
        return cls(int(whole) * FEN_PER_YUAN + int(frac.ljust(2, "0")))

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


def sum_money(amounts: Iterable[Money]) -> Money:
    """The total of ``amounts`` (``ZERO`` for none)."""
    return Money(sum(amount.fen for amount in amounts))


def split_evenly(total: Money, parts: int) -> tuple[Money, ...]:
    """``total`` in ``parts`` shares differing by at most one fen; the first shares take the extra fen."""
    return allocate(total, [1] * parts)


def allocate(total: Money, weights: Sequence[int]) -> tuple[Money, ...]:
    """Share ``total`` in proportion to integer ``weights`` without losing or inventing a fen.

    Largest-remainder method: every share gets the floor of its exact quota, then the fen left over go
    one each to the largest remainders, the earlier share first on a tie. The shares always sum to total.
    """
    if not weights:
        raise InvalidValue("cannot allocate over no shares")
    for weight in weights:
        if isinstance(weight, bool) or not isinstance(weight, int) or weight < 0:
            raise InvalidValue(f"allocation weights must be whole numbers >= 0, got {weight!r}")
    weight_sum = sum(weights)
    if weight_sum == 0:
        raise InvalidValue(f"allocation weights must not all be zero: {list(weights)!r}")
    floors = [total.fen * w // weight_sum for w in weights]
    remainders = [total.fen * w % weight_sum for w in weights]
    left_over = total.fen - sum(floors)
    by_remainder = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
    for index in by_remainder[:left_over]:
        floors[index] += 1
    return tuple(Money(fen) for fen in floors)


def _check_rate(rate_per_mille: int) -> None:
    if isinstance(rate_per_mille, bool) or not isinstance(rate_per_mille, int):
        raise InvalidValue(f"a rate must be whole per-mille, got {rate_per_mille!r}")
    if not 0 <= rate_per_mille <= PER_MILLE:
        raise InvalidValue(f"a rate must be between 0 and {PER_MILLE} per-mille, got {rate_per_mille}")


def apply_rate(amount: Money, rate_per_mille: int) -> Money:
    """The price after a rate discount (折扣): ``apply_rate(¥100.00, 880)`` is ¥88.00.

    Rounding rule (the one used everywhere): the exact result is rounded half up to the fen, so
    ¥0.05 at 9.5折 (4.75 fen) is 5 fen and ¥0.01 at 5折 (0.5 fen) is 1 fen.
    """
    _check_rate(rate_per_mille)
    return Money((amount.fen * rate_per_mille + PER_MILLE // 2) // PER_MILLE)


def rate_discount(amount: Money, rate_per_mille: int) -> Money:
    """How much a rate takes off: ``amount - apply_rate(amount, rate)``; never negative, never > amount."""
    return amount - apply_rate(amount, rate_per_mille)


def percent_off(amount: Money, percent: int) -> Money:
    """The discount of ``percent`` % off ``amount`` (``percent_off(¥200, 5)`` is ¥10.00).

    Same rule as ``apply_rate``: the price to pay is rounded half up and the discount is what is left.
    """
    if isinstance(percent, bool) or not isinstance(percent, int) or not 0 <= percent <= 100:
        raise InvalidValue(f"a percentage must be a whole number 0..100, got {percent!r}")
    return rate_discount(amount, PER_MILLE - percent * PER_MILLE // 100)
