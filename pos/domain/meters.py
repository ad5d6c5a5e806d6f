"""Meter reconciliation (泵码核对) per nozzle between two cuts, while the pumps keep running.

Every nozzle's totalizer is read at one cut time. What a shift metered is the closing reading less the
opening one; what it sold is the sum of its fills. A fill belongs to the shift in which it ENDS: its
``ended_at`` lies in the half-open window ``(opening cut, closing cut]``, so consecutive windows count every
fill exactly once, and a fill ending exactly at a cut belongs to the shift that cut closes.

A controller that advances the totalizer while fuel flows has already counted part of a fill still
running at the cut; ``MeterReading.in_flight_ml`` says how much, and the reconciliation expects it in the
metered volume (our forecourt and simulator advance the totalizer when a fill ends, so it is 0 there).

A difference is flagged beyond a tolerance: 0.3 % of the metered volume or 0.5 L, whichever is larger.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from pos.domain.checks import require_aware, require_int, require_member
from pos.domain.errors import InvalidValue
from pos.domain.grade import GradeCode
from pos.domain.pump import Nozzle
from pos.domain.receipt import NozzleReading

METER_TOLERANCE_PER_MILLE = 3  # 0.3 % of the metered volume
METER_TOLERANCE_MIN_ML = 500  # but never less than half a litre


class Fill(Protocol):
    """What the reconciliation needs of a fill; ``PumpTransaction`` is one."""

    @property
    def nozzle_number(self) -> int: ...
    @property
    def volume_ml(self) -> int: ...
    @property
    def amount_fen(self) -> int: ...
    @property
    def ended_at(self) -> datetime: ...


def in_window(moment: datetime, start: datetime, end: datetime) -> bool:
    """``start < moment <= end``: the rule that puts a fill (or a sale) in exactly one shift."""
    return start < moment <= end


@dataclass(frozen=True, slots=True)
class MeterReading:
    nozzle_number: int
    grade: GradeCode
    volume_ml: int
    amount_fen: int
    in_flight_ml: int = 0  # volume of a fill running at the cut that this reading already counts

    def __post_init__(self) -> None:
        require_int("meter nozzle_number", self.nozzle_number, minimum=1)
        require_member("meter grade", self.grade, GradeCode)
        require_int("meter volume_ml", self.volume_ml)
        require_int("meter amount_fen", self.amount_fen)
        require_int("meter in_flight_ml", self.in_flight_ml)


@dataclass(frozen=True, slots=True)
class MeterSnapshot:
    """Every nozzle's totalizer at one cut time."""

    cut_at: datetime
    readings: tuple[MeterReading, ...]

    def __post_init__(self) -> None:
        require_aware("snapshot cut_at", self.cut_at)
        numbers = [reading.nozzle_number for reading in self.readings]
        if len(set(numbers)) != len(numbers):
            raise InvalidValue(f"a meter snapshot reads each nozzle once, got nozzles {sorted(numbers)}")

    @classmethod
    def from_nozzles(cls, nozzles: Iterable[Nozzle], cut_at: datetime) -> MeterSnapshot:
        """The totalizers as the controller reported them (it advances them when a fill ends)."""
        return cls(
            cut_at,
            tuple(
                MeterReading(n.number, n.grade, n.totalizer_volume_ml, n.totalizer_amount_fen)
                for n in sorted(nozzles, key=lambda n: n.number)
            ),
        )

    def by_nozzle(self) -> dict[int, MeterReading]:
        return {reading.nozzle_number: reading for reading in self.readings}


@dataclass(frozen=True, slots=True)
class NozzleReconciliation:
    opening: MeterReading
    closing: MeterReading
    sold_ml: int
    sold_fen: int
    fills: int

    @property
    def nozzle_number(self) -> int:
        return self.closing.nozzle_number

    @property
    def grade(self) -> GradeCode:
        return self.closing.grade

    @property
    def metered_ml(self) -> int:
        return self.closing.volume_ml - self.opening.volume_ml

    @property
    def metered_fen(self) -> int:
        return self.closing.amount_fen - self.opening.amount_fen

    @property
    def difference_ml(self) -> int:
        """Metered less sold (in-flight volume at both cuts accounted for); positive: fuel not sold."""
        expected = self.sold_ml + self.closing.in_flight_ml - self.opening.in_flight_ml
        return self.metered_ml - expected

    @property
    def tolerance_ml(self) -> int:
        return max(METER_TOLERANCE_MIN_ML, self.metered_ml * METER_TOLERANCE_PER_MILLE // 1000)

    @property
    def flagged(self) -> bool:
        return abs(self.difference_ml) > self.tolerance_ml

    def to_reading(self) -> NozzleReading:
        """The receipt's line for this nozzle on the shift report."""
        return NozzleReading(
            self.nozzle_number, self.grade.display_name, self.opening.volume_ml, self.closing.volume_ml
        )


def reconcile(
    opening: MeterSnapshot, closing: MeterSnapshot, fills: Iterable[Fill]
) -> tuple[NozzleReconciliation, ...]:
    """Per nozzle (in number order): metered against sold for the fills ending in (opening, closing]."""
    if closing.cut_at <= opening.cut_at:
        raise InvalidValue("the closing cut must come after the opening cut")
    before, after = opening.by_nozzle(), closing.by_nozzle()
    if before.keys() != after.keys():
        raise InvalidValue(f"nozzles differ between the cuts: {sorted(before)} and {sorted(after)}")
    sold: dict[int, list[int]] = {number: [0, 0, 0] for number in after}
    for fill in fills:
        if not in_window(fill.ended_at, opening.cut_at, closing.cut_at):
            continue
        if fill.nozzle_number not in sold:
            raise InvalidValue(f"a fill on nozzle {fill.nozzle_number}, which the meter snapshot lacks")
        totals = sold[fill.nozzle_number]
        totals[0] += fill.volume_ml
        totals[1] += fill.amount_fen
        totals[2] += 1
    return tuple(_nozzle(before[n], after[n], *sold[n]) for n in sorted(after))


def _nozzle(
    opening: MeterReading, closing: MeterReading, ml: int, fen: int, fills: int
) -> NozzleReconciliation:
    if closing.grade is not opening.grade:
        raise InvalidValue(f"nozzle {closing.nozzle_number} changed grade between the cuts")
    if closing.volume_ml < opening.volume_ml or closing.amount_fen < opening.amount_fen:
        raise InvalidValue(f"nozzle {closing.nozzle_number}: the totalizer went backwards between the cuts")
    return NozzleReconciliation(opening, closing, ml, fen, fills)
