"""Counting the drawer at handover: pieces by denomination, expected against counted, the variance.

A variance (counted less expected) beyond ``CASH_VARIANCE_LIMIT_FEN`` either way needs a manager's
approval with a reason before the shift may close; within it the count is accepted as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from pos.domain.checks import require_int
from pos.domain.errors import InvalidValue, PosError
from pos.domain.money import format_fen
from pos.domain.refund import Approval, require_manager

CASH_VARIANCE_LIMIT_FEN = 1_000  # ¥10: assumption, a station setting would override it

# Renminbi in circulation at a till, in fen: 100, 50, 20, 10, 5, 1 yuan and 5 and 1 jiao.
DENOMINATIONS: dict[int, str] = {
    10_000: "100元",
    5_000: "50元",
    2_000: "20元",
    1_000: "10元",
    500: "5元",
    100: "1元",
    50: "5角",
    10: "1角",
}


@dataclass(frozen=True, slots=True)
class CashCount:
    """How many pieces of each denomination are in the drawer (denominations absent count 0)."""

    pieces: Mapping[int, int] = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self) -> None:
        for value, count in self.pieces.items():
            if value not in DENOMINATIONS:
                raise InvalidValue(f"{value} fen is not a denomination counted at the till")
            require_int(f"pieces of {DENOMINATIONS[value]}", count)
        object.__setattr__(self, "pieces", MappingProxyType(dict(self.pieces)))

    @property
    def total_fen(self) -> int:
        return sum(value * count for value, count in self.pieces.items())

    def lines(self) -> list[tuple[str, int, int]]:
        """``(label, pieces, fen)`` for every denomination, largest first, for the screen and the report."""
        return [
            (label, self.pieces.get(v, 0), v * self.pieces.get(v, 0)) for v, label in DENOMINATIONS.items()
        ]


@dataclass(frozen=True, slots=True)
class CashReconciliation:
    expected_fen: int
    count: CashCount
    approval: Approval | None = None  # a manager's reason, required beyond the limit

    def __post_init__(self) -> None:
        require_int("cash expected_fen", self.expected_fen, minimum=-(10**12))
        if self.approval is not None:
            require_manager(self.approval, "现金差异 cash variance")
        if self.needs_reason and self.approval is None:
            variance = format_fen(self.variance_fen)
            raise PosError(
                "variance_needs_reason",
                "现金差异需店长说明 / Cash variance needs a manager's reason",
                f"差异 {variance} 超过 {format_fen(CASH_VARIANCE_LIMIT_FEN)} / variance {variance} is "
                f"beyond {format_fen(CASH_VARIANCE_LIMIT_FEN)}: a manager must give the reason.",
                {"variance_fen": self.variance_fen, "limit_fen": CASH_VARIANCE_LIMIT_FEN},
            )

    @property
    def counted_fen(self) -> int:
        return self.count.total_fen

    @property
    def variance_fen(self) -> int:
        """Counted less expected: negative when cash is missing."""
        return self.counted_fen - self.expected_fen

    @property
    def needs_reason(self) -> bool:
        return abs(self.variance_fen) > CASH_VARIANCE_LIMIT_FEN
