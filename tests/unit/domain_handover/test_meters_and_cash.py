from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from pos.domain.cash_count import CASH_VARIANCE_LIMIT_FEN, CashCount, CashReconciliation
from pos.domain.errors import InvalidValue, PosError
from pos.domain.grade import GradeCode
from pos.domain.meters import MeterReading, MeterSnapshot, in_window, reconcile
from pos.domain.refund import Approval
from pos.domain.transaction import PumpTransaction, TransactionState
from tests.unit.domain.factories import T0, nozzle, transaction

CUT_1, CUT_2 = T0, T0 + timedelta(hours=8)
G92 = GradeCode.G92


def snapshot(cut: datetime, volume_ml: int, amount_fen: int = 0, in_flight_ml: int = 0) -> MeterSnapshot:
    return MeterSnapshot(cut, (MeterReading(3, G92, volume_ml, amount_fen, in_flight_ml),))


def fill(fill_id: str, started_min: int, ended_min: int, volume_ml: int = 40_000) -> PumpTransaction:
    return transaction(
        id=fill_id,
        started_at=T0 + timedelta(minutes=started_min),
        ended_at=T0 + timedelta(minutes=ended_min),
        volume_ml=volume_ml,
        amount_fen=volume_ml * 742 // 1000,
        state=TransactionState.CLEARED,
    )


@pytest.mark.parametrize(
    ("moment_min", "inside"),
    [(0, False), (1, True), (480, True), (481, False), (-5, False)],
)
def test_a_fill_belongs_to_the_shift_in_which_it_ends(moment_min: int, inside: bool) -> None:
    assert in_window(T0 + timedelta(minutes=moment_min), CUT_1, CUT_2) is inside


def test_a_fill_spanning_the_cut_counts_once_in_the_shift_where_it_ends() -> None:
    spanning = fill("span", 478, 482)
    before = reconcile(snapshot(CUT_1 - timedelta(hours=8), 0), snapshot(CUT_1, 0), [spanning])
    morning = reconcile(snapshot(CUT_1, 0), snapshot(CUT_2, 0), [spanning])
    evening = reconcile(snapshot(CUT_2, 0), snapshot(CUT_2 + timedelta(hours=8), 40_000), [spanning])
    assert (before[0].fills, morning[0].fills, evening[0].fills) == (0, 0, 1)
    assert evening[0].difference_ml == 0


@pytest.mark.parametrize(
    ("metered_ml", "sold_ml", "difference", "flagged"),
    [
        (80_000, 80_000, 0, False),
        (80_500, 80_000, 500, False),  # 0.3% of 80.5 L is 241 ml: the 0.5 L floor applies
        (80_501, 80_000, 501, True),
        (79_499, 80_000, -501, True),
        (400_000, 398_800, 1_200, False),  # 0.3% of 400 L is 1.2 L, larger than 0.5 L
        (400_000, 398_799, 1_201, True),
    ],
)
def test_meter_difference_and_tolerance(
    metered_ml: int, sold_ml: int, difference: int, flagged: bool
) -> None:
    fills = [fill("a", 10, 12, sold_ml // 2), fill("b", 20, 22, sold_ml - sold_ml // 2)]
    result = reconcile(snapshot(CUT_1, 1_000_000), snapshot(CUT_2, 1_000_000 + metered_ml), fills)
    assert result[0].metered_ml == metered_ml
    assert result[0].sold_ml == sold_ml
    assert result[0].difference_ml == difference
    assert result[0].flagged is flagged


def test_in_flight_volume_at_the_cut_is_expected_in_the_meter() -> None:
    # At the cut fill "b" is running and the controller has already counted 12 L of it.
    first = reconcile(snapshot(CUT_1, 0), snapshot(CUT_2, 52_000, in_flight_ml=12_000), [fill("a", 10, 12)])
    assert (first[0].metered_ml, first[0].sold_ml, first[0].difference_ml) == (52_000, 40_000, 0)
    # "b" ends in the next shift with 30 L: 18 L more on the meter, all 30 L sold there.
    later = CUT_2 + timedelta(hours=1)
    second = reconcile(
        snapshot(CUT_2, 52_000, in_flight_ml=12_000), snapshot(later, 70_000), [fill("b", 479, 490, 30_000)]
    )
    assert (second[0].metered_ml, second[0].sold_ml, second[0].difference_ml) == (18_000, 30_000, 0)


def test_snapshot_from_nozzles_and_to_receipt_reading() -> None:
    snap = MeterSnapshot.from_nozzles([nozzle(number=4), nozzle(number=3, grade=G92)], CUT_2)
    assert [r.nozzle_number for r in snap.readings] == [3, 4]
    result = reconcile(snapshot(CUT_1, 12_300_000), MeterSnapshot(CUT_2, snap.readings[:1]), [])
    reading = result[0].to_reading()
    assert (reading.start_volume_ml, reading.end_volume_ml, reading.drawn_ml) == (
        12_300_000,
        12_345_678,
        45_678,
    )


@pytest.mark.parametrize(
    ("opening", "closing"),
    [
        (snapshot(CUT_1, 100), snapshot(CUT_2, 99)),  # totalizer went backwards
        (snapshot(CUT_2, 100), snapshot(CUT_1, 200)),  # cuts out of order
        (snapshot(CUT_1, 100), MeterSnapshot(CUT_2, ())),  # a nozzle missing
    ],
)
def test_reconcile_refuses_inconsistent_snapshots(opening: MeterSnapshot, closing: MeterSnapshot) -> None:
    with pytest.raises(InvalidValue):
        reconcile(opening, closing, [])


def test_a_snapshot_reads_each_nozzle_once() -> None:
    reading = MeterReading(3, G92, 1, 1)
    with pytest.raises(InvalidValue):
        MeterSnapshot(CUT_1, (reading, reading))


def test_cash_count_by_denomination() -> None:
    count = CashCount({10_000: 5, 5_000: 1, 2_000: 2, 1_000: 3, 500: 1, 100: 4, 50: 3, 10: 7})
    assert count.total_fen == 50_000 + 5_000 + 4_000 + 3_000 + 500 + 400 + 150 + 70
    assert count.lines()[0] == ("100元", 5, 50_000)
    assert count.lines()[-2:] == [("5角", 3, 150), ("1角", 7, 70)]
    with pytest.raises(InvalidValue):
        CashCount({200: 1})
    with pytest.raises(InvalidValue):
        CashCount({100: -1})


def manager_reason(role: str = "manager") -> Approval:
    return Approval("2001", "赵店长", role, "找零多给 / gave too much change", CUT_2)


@pytest.mark.parametrize(
    ("expected", "counted", "approval", "code"),
    [
        (60_000, 60_000, None, None),
        (60_000, 60_000 + CASH_VARIANCE_LIMIT_FEN, None, None),
        (60_000, 60_000 - CASH_VARIANCE_LIMIT_FEN, None, None),
        (60_000, 60_000 - CASH_VARIANCE_LIMIT_FEN - 10, None, "variance_needs_reason"),
        (60_000, 60_000 + CASH_VARIANCE_LIMIT_FEN + 10, None, "variance_needs_reason"),
        (60_000, 50_000, manager_reason(), None),
        (60_000, 50_000, manager_reason("cashier"), "manager_required"),
    ],
)
def test_variance_beyond_the_limit_needs_a_managers_reason(
    expected: int, counted: int, approval: Approval | None, code: str | None
) -> None:
    count = CashCount({10: counted // 10})
    if code is None:
        result = CashReconciliation(expected, count, approval)
        assert result.variance_fen == counted - expected
        return
    with pytest.raises(PosError) as refused:
        CashReconciliation(expected, count, approval)
    assert refused.value.code == code
