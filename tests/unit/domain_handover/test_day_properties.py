"""A random day at a station, cut into shifts at random times, checked against naive sums.

The day is generated as plain numbers (which nozzle, when a fill ended, how it was paid, whether and when
part of it was refunded); the expected figures are summed straight from those numbers with explicit time
comparisons, independently of the domain's windows, sales and reconciliation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from pos.domain.grade import GradeCode
from pos.domain.meters import MeterReading, MeterSnapshot, reconcile
from pos.domain.refund import Approval
from pos.domain.sale import Sale
from pos.domain.sale_lines import FuelItem
from pos.domain.shift_totals import ShiftWindow, shift_totals
from pos.domain.tender import Tender, TenderMethod
from pos.domain.transaction import PumpTransaction, TransactionState
from tests.unit.domain.factories import T0, member

NOZZLE_GRADES = {1: GradeCode.G92, 2: GradeCode.G95, 3: GradeCode.G92, 4: GradeCode.D0}
PRICE = {GradeCode.G92: 742, GradeCode.G95: 789, GradeCode.D0: 701}
METHODS = [
    TenderMethod.CASH,
    TenderMethod.CARD,
    TenderMethod.WECHAT,
    TenderMethod.ALIPAY,
    TenderMethod.WALLET,
    TenderMethod.MINI_PROGRAM,
]
DAY_S = 24 * 3600
FLOAT = 50_000
BASE_TOTALIZER_ML = 5_000_000


@dataclass(frozen=True)
class PlannedFill:
    nozzle: int
    ended_s: int  # seconds after T0
    volume_ml: int
    method: TenderMethod
    settle_delay_s: int
    refund_fen: int  # 0: no refund
    refund_delay_s: int

    @property
    def amount_fen(self) -> int:
        return (self.volume_ml * PRICE[NOZZLE_GRADES[self.nozzle]] + 500) // 1000

    @property
    def settled_s(self) -> int:
        return self.ended_s + (0 if self.method is TenderMethod.MINI_PROGRAM else self.settle_delay_s)


def moment(seconds: int) -> datetime:
    return T0 + timedelta(seconds=seconds)


planned_fills = st.builds(
    PlannedFill,
    nozzle=st.sampled_from(list(NOZZLE_GRADES)),
    ended_s=st.integers(1, DAY_S),
    volume_ml=st.integers(1, 80_000),
    method=st.sampled_from(METHODS),
    settle_delay_s=st.integers(0, 900),
    refund_fen=st.integers(0, 3_000),
    refund_delay_s=st.integers(1, 7_200),
)


@st.composite
def days(draw: st.DrawFn) -> tuple[list[PlannedFill], list[int]]:
    """Fills and cut times (seconds): some cuts fall exactly on a fill's end, to test the boundary."""
    fills = draw(st.lists(planned_fills, max_size=40))
    candidates = st.integers(1, DAY_S + 3 * 3600)
    if fills:
        candidates = candidates | st.sampled_from([f.ended_s for f in fills] + [f.settled_s for f in fills])
    cuts = sorted(set(draw(st.lists(candidates, min_size=1, max_size=3))))
    return fills, [0, *cuts, DAY_S + 4 * 3600 + 7_200 + 900]


def to_transaction(number: int, fill: PlannedFill) -> PumpTransaction:
    grade = NOZZLE_GRADES[fill.nozzle]
    return PumpTransaction(
        f"tx-{number}", 1, fill.nozzle, grade, PRICE[grade], fill.volume_ml, fill.amount_fen,
        TransactionState.CLEARED, None, None, moment(fill.ended_s - 60), moment(fill.ended_s),
    )  # fmt: skip


def to_sale(number: int, fill: PlannedFill) -> Sale:
    grade = NOZZLE_GRADES[fill.nozzle]
    prepaid = fill.method is TenderMethod.MINI_PROGRAM
    item = FuelItem(
        fill.nozzle, grade, fill.volume_ml, PRICE[grade], fill.amount_fen, f"tx-{number}",
        f"ord-{number}" if prepaid else None,
    )  # fmt: skip
    buyer = member(wallet_fen=10**7) if fill.method is TenderMethod.WALLET else None
    sale = Sale(f"s-{number}", "1001", moment(fill.ended_s), item, member=buyer).begin_tender()
    if fill.method is TenderMethod.CASH:
        sale = sale.add_tender(Tender(TenderMethod.CASH, -(-fill.amount_fen // 10_000) * 10_000))
    elif not prepaid:
        sale = sale.add_tender(Tender(fill.method, fill.amount_fen))
    sale = sale.complete(moment(fill.settled_s))
    refund = min(fill.refund_fen, sale.due_fen)
    if refund:
        approval = Approval("2001", "赵店长", "manager", "退款", moment(fill.settled_s + fill.refund_delay_s))
        sale = sale.refund(f"r-{number}", refund, approval)
    return sale


def snapshot(fills: list[PlannedFill], cut_s: int) -> MeterSnapshot:
    """The totalizers at the cut, advanced by every fill that ended by then (as the controller does)."""
    readings = []
    for number, grade in NOZZLE_GRADES.items():
        done = [f for f in fills if f.nozzle == number and f.ended_s <= cut_s]
        volume = BASE_TOTALIZER_ML + sum(f.volume_ml for f in done)
        readings.append(MeterReading(number, grade, volume, sum(f.amount_fen for f in done)))
    return MeterSnapshot(moment(cut_s), tuple(readings))


@settings(max_examples=60, deadline=None)
@given(day=days())
def test_every_fill_is_counted_once_and_meters_match_sales(day: tuple[list[PlannedFill], list[int]]) -> None:
    fills, cuts = day
    transactions = [to_transaction(n, f) for n, f in enumerate(fills)]
    counted_fills = counted_ml = 0
    for start, end in pairwise(cuts):
        result = reconcile(snapshot(fills, start), snapshot(fills, end), transactions)
        for nozzle in result:
            mine = [f for f in fills if f.nozzle == nozzle.nozzle_number and start < f.ended_s <= end]
            assert nozzle.fills == len(mine)
            assert nozzle.sold_ml == sum(f.volume_ml for f in mine) == nozzle.metered_ml
            assert nozzle.sold_fen == nozzle.metered_fen
            assert nozzle.difference_ml == 0 and not nozzle.flagged
        counted_fills += sum(n.fills for n in result)
        counted_ml += sum(n.sold_ml for n in result)
    assert counted_fills == len(fills)
    assert counted_ml == sum(f.volume_ml for f in fills)


@settings(max_examples=60, deadline=None)
@given(day=days())
def test_shift_totals_match_a_naive_sum(day: tuple[list[PlannedFill], list[int]]) -> None:
    fills, cuts = day
    sales = [to_sale(n, f) for n, f in enumerate(fills)]
    day_takings = 0
    for start, end in pairwise(cuts):
        totals = shift_totals(ShiftWindow(moment(start), moment(end)), FLOAT, sales)
        sold_here = [f for f in fills if start < f.settled_s <= end]
        refunds_here = [
            (f, min(f.refund_fen, f.amount_fen))
            for f in fills
            if f.method.at_till and f.refund_fen and start < f.settled_s + f.refund_delay_s <= end
        ]
        for method in METHODS:
            taken = sum(f.amount_fen for f in sold_here if f.method is method)
            refunded = sum(r for f, r in refunds_here if f.method is method)
            found = [m for m in totals.methods if m.method is method]
            assert ((found[0].taken_fen, found[0].refunded_fen) if found else (0, 0)) == (taken, refunded)
        cash_taken = sum(f.amount_fen for f in sold_here if f.method is TenderMethod.CASH)
        cash_refunded = sum(r for f, r in refunds_here if f.method is TenderMethod.CASH)
        assert totals.cash_expected_fen == FLOAT + cash_taken - cash_refunded
        for grade in set(NOZZLE_GRADES.values()):
            of_grade = [f for f in sold_here if NOZZLE_GRADES[f.nozzle] is grade]
            row = [(g.fills, g.volume_ml, g.amount_fen) for g in totals.grades if g.grade is grade]
            expected = (
                len(of_grade),
                sum(f.volume_ml for f in of_grade),
                sum(f.amount_fen for f in of_grade),
            )
            assert (row[0] if row else (0, 0, 0)) == expected
        assert totals.sales == len(sold_here)
        assert totals.orders == sum(1 for f in sold_here if f.method is TenderMethod.MINI_PROGRAM)
        wallet_points = sum(f.amount_fen // 100 for f in sold_here if f.method is TenderMethod.WALLET)
        assert totals.points_issued == wallet_points
        day_takings += totals.takings_fen
    all_refunds = sum(min(f.refund_fen, f.amount_fen) for f in fills if f.method.at_till)
    assert day_takings == sum(f.amount_fen for f in fills) - all_refunds
