"""Fuel grades (油品): gasoline 92# 95# 98#, diesel 0# and the winter diesels -10# -20#."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pos.domain.checks import require_int, require_member, require_text
from pos.domain.wire import WireObject


class GradeCode(StrEnum):
    G92 = "92"
    G95 = "95"
    G98 = "98"
    D0 = "0"
    D_MINUS_10 = "-10"  # winter diesel, northern stations
    D_MINUS_20 = "-20"

    @property
    def is_diesel(self) -> bool:
        return self in _DIESELS

    @property
    def display_name(self) -> str:
        """The name printed on pumps and receipts: ``92#汽油``, ``0#柴油``."""
        return f"{self.value}#{'柴油' if self.is_diesel else '汽油'}"


_DIESELS = frozenset({GradeCode.D0, GradeCode.D_MINUS_10, GradeCode.D_MINUS_20})


@dataclass(frozen=True, slots=True)
class Grade:
    """A grade as the station sells it today: code, display name and retail price per litre in fen."""

    code: GradeCode
    name: str
    price_fen: int

    def __post_init__(self) -> None:
        require_member("grade code", self.code, GradeCode)
        require_text("grade name", self.name, max_length=40)
        require_int("grade price_fen", self.price_fen, minimum=1)

    @classmethod
    def standard(cls, code: GradeCode, price_fen: int) -> Grade:
        """The grade under its usual display name (``Grade.standard(GradeCode.G92, 742)``)."""
        return cls(code, code.display_name, price_fen)

    @property
    def is_diesel(self) -> bool:
        return self.code.is_diesel

    def with_price(self, price_fen: int) -> Grade:
        """The same grade after a price adjustment (调价)."""
        return Grade(self.code, self.name, price_fen)

    @classmethod
    def from_wire(cls, raw: object) -> Grade:
        """Build from the contract's ``{"code": "92", "name": "92#汽油", "price_fen": 742}``."""
        obj = WireObject(raw, "grade")
        return cls(obj.choice("code", GradeCode), obj.text("name"), obj.integer("price_fen"))

    def to_wire(self) -> dict[str, Any]:
        return {"code": self.code.value, "name": self.name, "price_fen": self.price_fen}
