"""A shift's totals (班结汇总) from its sales, voids, refunds and write-offs.

Each event counts in the shift whose window ``(start, end]`` holds the moment it happened: a sale when it
completed, a void when it was approved, a refund when it was given (a refund of yesterday's sale leaves
today's drawer), a write-off when it was redeemed. The window's ends are the shift's cuts, so the totals
of consecutive shifts add up to the day's with nothing counted twice (the meters use the same rule).

Cash expected in the drawer = opening float + cash taken - change given - cash refunded. Voids move no
money (the sale was abandoned before completion: the fill stays owed); they are listed with who and why.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from pos.domain.checks import require_aware, require_int
from pos.domain.codes import WriteOffKind
from pos.domain.errors import InvalidValue
from pos.domain.grade import GradeCode
from pos.domain.meters import in_window
from pos.domain.pricing import SavingKind
from pos.domain.refund import Approval, RefundPart
from pos.domain.sale import Sale, SaleState
from pos.domain.tender import TenderMethod
from pos.domain.writeoff import WriteOffCode


@dataclass(frozen=True, slots=True)
class ShiftWindow:
    """The shift's span: after its opening cut, up to and including its closing cut (or now, for X)."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        require_aware("window start", self.start)
        require_aware("window end", self.end)
        if self.end <= self.start:
            raise InvalidValue("a shift window ends after it starts")

    def __contains__(self, moment: datetime) -> bool:
        return in_window(moment, self.start, self.end)


@dataclass(frozen=True, slots=True)
class MethodTotal:
    method: TenderMethod
    sales: int
    taken_fen: int  # cash net of change
    refunded_fen: int

    @property
    def net_fen(self) -> int:
        return self.taken_fen - self.refunded_fen


@dataclass(frozen=True, slots=True)
class GradeSales:
    grade: GradeCode
    fills: int
    volume_ml: int
    amount_fen: int  # the pumps' amounts, before discounts


@dataclass(frozen=True, slots=True)
class WriteOffTotal:
    """Redemptions of one kind in the shift and the value they stood for (coupon off, goods, service)."""

    kind: WriteOffKind
    count: int
    value_fen: int


@dataclass(frozen=True, slots=True)
class VoidEntry:
    sale_id: str  # the sale, or the pump transaction whose sale was abandoned
    cashier_no: str
    amount_fen: int
    approval: Approval


@dataclass(frozen=True, slots=True)
class RefundEntry:
    sale_id: str
    refund_id: str
    parts: tuple[RefundPart, ...]
    approval: Approval

    @property
    def amount_fen(self) -> int:
        return sum(part.amount_fen for part in self.parts)

    @property
    def cash_fen(self) -> int:
        return sum(part.amount_fen for part in self.parts if part.method is TenderMethod.CASH)


@dataclass(frozen=True, slots=True)
class ShiftTotals:
    window: ShiftWindow
    opening_float_fen: int
    sales: int
    orders: int  # sales completing a mini-program order
    methods: tuple[MethodTotal, ...]
    grades: tuple[GradeSales, ...]
    coupons_used: int
    coupon_fen: int
    tier_fen: int
    write_offs: tuple[WriteOffTotal, ...]
    voids: tuple[VoidEntry, ...]
    refunds: tuple[RefundEntry, ...]
    points_issued: int
    cash_taken_fen: int  # gross cash tendered
    change_fen: int

    @property
    def cash_refunded_fen(self) -> int:
        return sum(refund.cash_fen for refund in self.refunds)

    @property
    def cash_expected_fen(self) -> int:
        return self.opening_float_fen + self.cash_taken_fen - self.change_fen - self.cash_refunded_fen

    @property
    def takings_fen(self) -> int:
        """All money taken, every method, net of change and refunds."""
        return sum(method.net_fen for method in self.methods)

    @property
    def write_off_count(self) -> int:
        return sum(total.count for total in self.write_offs)

    @property
    def write_off_fen(self) -> int:
        return sum(total.value_fen for total in self.write_offs)


def shift_totals(
    window: ShiftWindow,
    opening_float_fen: int,
    sales: Iterable[Sale],
    write_offs: Iterable[WriteOffCode] = (),
    write_off_values: Mapping[str, int] | None = None,
) -> ShiftTotals:
    """Add up one shift. ``sales`` may hold any sales of the station's day: the window picks its own.
    ``write_off_values`` gives each redeemed code's value in fen (code -> fen; 0 when not given)."""
    require_int("opening float", opening_float_fen)
    sales = list(sales)
    done = [
        s for s in sales if s.state.is_settled and s.completed_at is not None and s.completed_at in window
    ]
    refunds = _refunds(sales, window)
    savings = [saving for sale in done for saving in sale.pricing.savings]
    return ShiftTotals(
        window=window,
        opening_float_fen=opening_float_fen,
        sales=len(done),
        orders=sum(1 for s in done if s.fuel is not None and s.fuel.is_prepaid),
        methods=_methods(done, refunds),
        grades=_grades(done),
        coupons_used=sum(1 for s in savings if s.kind is SavingKind.COUPON),
        coupon_fen=sum(s.amount_fen for s in savings if s.kind is SavingKind.COUPON),
        tier_fen=sum(s.amount_fen for s in savings if s.kind is SavingKind.TIER),
        write_offs=_write_offs(write_offs, window, write_off_values or {}),
        voids=tuple(
            VoidEntry(s.sale_id, s.staff_no, s.pricing.total_fen, s.voided)
            for s in sales
            if s.state is SaleState.VOIDED and s.voided is not None and s.voided.at in window
        ),
        refunds=refunds,
        points_issued=sum(s.points_earned for s in done),
        cash_taken_fen=sum(t.amount_fen for s in done for t in s.tenders if t.method is TenderMethod.CASH),
        change_fen=sum(s.change_fen for s in done),
    )


def _refunds(sales: list[Sale], window: ShiftWindow) -> tuple[RefundEntry, ...]:
    entries = []
    for sale in sales:
        for refund in sale.refunds:
            if refund.at in window:
                entries.append(RefundEntry(sale.sale_id, refund.refund_id, refund.parts, refund.approval))
    return tuple(sorted(entries, key=lambda e: (e.approval.at, e.refund_id)))


def _methods(done: list[Sale], refunds: tuple[RefundEntry, ...]) -> tuple[MethodTotal, ...]:
    taken: Counter[TenderMethod] = Counter()
    count: Counter[TenderMethod] = Counter()
    for sale in done:
        for method, fen in sale.taken_by_method().items():
            taken[method] += fen
            count[method] += 1
    refunded: Counter[TenderMethod] = Counter()
    for entry in refunds:
        for part in entry.parts:
            refunded[part.method] += part.amount_fen
    return tuple(
        MethodTotal(method, count[method], taken[method], refunded[method])
        for method in TenderMethod
        if taken[method] or refunded[method]
    )


def _grades(done: list[Sale]) -> tuple[GradeSales, ...]:
    totals: dict[GradeCode, list[int]] = {}
    for sale in done:
        if sale.fuel is not None:
            row = totals.setdefault(sale.fuel.grade, [0, 0, 0])
            row[0] += 1
            row[1] += sale.fuel.volume_ml
            row[2] += sale.fuel.amount_fen
    return tuple(GradeSales(grade, *totals[grade]) for grade in GradeCode if grade in totals)


def write_off_totals(redeemed: Iterable[tuple[WriteOffKind, int]]) -> tuple[WriteOffTotal, ...]:
    """(kind, value) per redemption, added up per kind in the order of ``WriteOffKind``."""
    counts: Counter[WriteOffKind] = Counter()
    values: Counter[WriteOffKind] = Counter()
    for kind, value_fen in redeemed:
        counts[kind] += 1
        values[kind] += value_fen
    return tuple(WriteOffTotal(kind, counts[kind], values[kind]) for kind in WriteOffKind if counts[kind])


def _write_offs(
    codes: Iterable[WriteOffCode], window: ShiftWindow, values: Mapping[str, int]
) -> tuple[WriteOffTotal, ...]:
    return write_off_totals(
        (c.kind, values.get(c.code, 0))
        for c in codes
        if c.redemption is not None and c.redemption.at in window
    )
