"""A shift's figures from what the till holds: sale bodies (as sent to ``POST /sales``) and ended fills.

Both are first reduced to additive digests (``SalesDigest``, ``FillDigest``): from parsed bodies here, or
by the local store in SQL for the thousands of sales a shift holds (``ShiftLedger.sales_digest``), so a
handover of 20,000 transactions never parses 20,000 JSON bodies. The domain's ``ShiftTotals`` is then
built with the rules of ``pos.domain.shift_totals`` and of the backend's report (``pos_backend.
shift_figures``), so the screen, the printed report and the backend agree: a sale counts by
``created_at`` in ``(start, end]``, a fill by ``ended_at``; cash is taken net of change; fills of
mini-program orders count as "小程序预付"; grades (litres and yuan) come from the fills, what the pumps
delivered. Refunds, voids and write-offs are not in a sale body: they come as ``ShiftExtras``, from the
backend's report online and from the till's own records offline (``ShiftLedger.extras_between``); cash
refunds come out of the cash expected.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta, tzinfo

from pos.domain.codes import WriteOffKind
from pos.domain.grade import GradeCode
from pos.domain.meters import MeterSnapshot, NozzleReconciliation, reconcile
from pos.domain.shift_totals import (
    GradeSales,
    MethodTotal,
    RefundEntry,
    ShiftTotals,
    ShiftWindow,
    VoidEntry,
    WriteOffTotal,
    write_off_totals,
)
from pos.domain.tender import TenderMethod, points_for
from pos.domain.wire import parse_rfc3339
from pos.services.handover_ports import FillRecord, SaleBody


@dataclass
class SalesDigest:
    """What the totals need of a set of sales; two digests of disjoint sales add up."""

    sales: int = 0
    method_sales: Counter[str] = field(default_factory=Counter)  # sales that used the method
    method_fen: Counter[str] = field(default_factory=Counter)  # taken, cash net of change
    cash_gross_fen: int = 0
    change_fen: int = 0
    coupons: int = 0
    coupon_fen: int = 0
    tier_fen: int = 0
    points: int = 0
    hours: Counter[int] = field(default_factory=Counter)  # hour of day (station zone) -> fen

    def __add__(self, other: SalesDigest) -> SalesDigest:
        return SalesDigest(
            self.sales + other.sales,
            self.method_sales + other.method_sales,
            self.method_fen + other.method_fen,
            self.cash_gross_fen + other.cash_gross_fen,
            self.change_fen + other.change_fen,
            self.coupons + other.coupons,
            self.coupon_fen + other.coupon_fen,
            self.tier_fen + other.tier_fen,
            self.points + other.points,
            self.hours + other.hours,
        )


@dataclass(frozen=True, slots=True)
class RedeemedCode:
    """One write-off redemption: the code, its kind, the value it stood for and when it was redeemed."""

    code: str
    kind: WriteOffKind
    value_fen: int
    at: datetime


@dataclass(frozen=True, slots=True)
class ShiftExtras:
    """What a shift did besides selling: voids and refunds with who and why, write-offs redeemed."""

    voids: tuple[VoidEntry, ...] = ()
    refunds: tuple[RefundEntry, ...] = ()
    redeemed: tuple[RedeemedCode, ...] = ()

    def in_window(self, window: ShiftWindow) -> ShiftExtras:
        return ShiftExtras(
            tuple(v for v in self.voids if v.approval.at in window),
            tuple(r for r in self.refunds if r.approval.at in window),
            tuple(w for w in self.redeemed if w.at in window),
        )

    def write_offs(self) -> tuple[WriteOffTotal, ...]:
        return write_off_totals((w.kind, w.value_fen) for w in self.redeemed)

    def merged_with(self, unsent: ShiftExtras) -> ShiftExtras:
        """The backend's figures plus the till's records it has not acknowledged yet, each once (refunds
        by ``refund_id``, write-offs by code, voids by transaction and time)."""
        refunds = {r.refund_id for r in self.refunds}
        codes = {w.code for w in self.redeemed}
        voids = {(v.sale_id, v.approval.at) for v in self.voids}
        return ShiftExtras(
            (*self.voids, *(v for v in unsent.voids if (v.sale_id, v.approval.at) not in voids)),
            (*self.refunds, *(r for r in unsent.refunds if r.refund_id not in refunds)),
            (*self.redeemed, *(w for w in unsent.redeemed if w.code not in codes)),
        )


@dataclass(frozen=True, slots=True)
class _SumFill:
    nozzle_number: int
    volume_ml: int
    amount_fen: int
    ended_at: datetime


@dataclass
class FillDigest:
    """Per nozzle: grade, fills, litres and yuan ended in the window; and the prepaid (mini-program) part."""

    nozzles: dict[int, tuple[GradeCode, int, int, int]] = field(default_factory=dict)
    prepaid_fills: int = 0
    prepaid_fen: int = 0


def digest_sales(bodies: Iterable[SaleBody], window: ShiftWindow, zone: tzinfo | None) -> SalesDigest:
    """Each sale once (by ``sale_id``) if it happened in the window."""
    digest, seen = SalesDigest(), set()
    for body in bodies:
        if body["sale_id"] in seen:
            continue
        seen.add(body["sale_id"])
        at = parse_rfc3339(body["created_at"])
        if at in window:
            _add_sale(digest, body, at, zone)
    return digest


def _add_sale(digest: SalesDigest, body: SaleBody, at: datetime, zone: tzinfo | None) -> None:
    taken: Counter[str] = Counter()
    for tender in body["tenders"]:
        taken[tender["method"]] += tender["amount_fen"]
    digest.cash_gross_fen += taken["cash"]
    change = body.get("change_fen") or 0
    taken["cash"] -= change
    for method, fen in taken.items():
        if fen:
            digest.method_sales[method] += 1
            digest.method_fen[method] += fen
    digest.sales += 1
    digest.change_fen += change
    for discount in body.get("discounts", ()):
        if discount["kind"] == "coupon":
            digest.coupons += 1
            digest.coupon_fen += discount["amount_fen"]
        elif discount["kind"] == "tier":
            digest.tier_fen += discount["amount_fen"]
    if body.get("member_id"):
        digest.points += points_for(body["total_fen"])
    digest.hours[at.astimezone(zone or UTC).hour] += body["total_fen"]


def digest_fills(fills: Iterable[FillRecord], window: ShiftWindow) -> FillDigest:
    digest = FillDigest()
    for fill in fills:
        if fill.ended_at not in window:
            continue
        _, count, ml, fen = digest.nozzles.get(fill.nozzle_number, (fill.grade, 0, 0, 0))
        digest.nozzles[fill.nozzle_number] = (
            fill.grade,
            count + 1,
            ml + fill.volume_ml,
            fen + fill.amount_fen,
        )
        if fill.order_id is not None:
            digest.prepaid_fills += 1
            digest.prepaid_fen += fill.amount_fen
    return digest


@dataclass(frozen=True, slots=True)
class HandoverFigures:
    totals: ShiftTotals
    meters: tuple[NozzleReconciliation, ...]
    sales_by_hour: tuple[tuple[int, int], ...]  # (hour of day in the station's zone, fen)

    @property
    def flagged_meters(self) -> int:
        return sum(1 for meter in self.meters if meter.flagged)


def _methods(
    sales: SalesDigest, fills: FillDigest, refunds: tuple[RefundEntry, ...]
) -> tuple[MethodTotal, ...]:
    taken, count = Counter(sales.method_fen), Counter(sales.method_sales)
    taken[TenderMethod.MINI_PROGRAM.value] += fills.prepaid_fen
    count[TenderMethod.MINI_PROGRAM.value] += fills.prepaid_fills
    refunded: Counter[str] = Counter()
    for part in (part for refund in refunds for part in refund.parts):
        refunded[part.method.value] += part.amount_fen
    return tuple(
        MethodTotal(m, count[m.value], taken[m.value], refunded[m.value])
        for m in TenderMethod
        if taken[m.value] or refunded[m.value]
    )


def _grades(fills: FillDigest) -> tuple[GradeSales, ...]:
    rows: dict[GradeCode, list[int]] = {}
    for grade, count, ml, fen in fills.nozzles.values():
        row = rows.setdefault(grade, [0, 0, 0])
        row[0], row[1], row[2] = row[0] + count, row[1] + ml, row[2] + fen
    return tuple(GradeSales(grade, *rows[grade]) for grade in GradeCode if grade in rows)


def totals_from(
    window: ShiftWindow,
    opening_float_fen: int,
    sales: SalesDigest,
    fills: FillDigest,
    extras: ShiftExtras | None = None,
) -> ShiftTotals:
    extras = (extras or ShiftExtras()).in_window(window)
    refunds = tuple(sorted(extras.refunds, key=lambda r: (r.approval.at, r.refund_id)))
    return ShiftTotals(
        window=window,
        opening_float_fen=opening_float_fen,
        sales=sales.sales,
        orders=fills.prepaid_fills,
        methods=_methods(sales, fills, refunds),
        grades=_grades(fills),
        coupons_used=sales.coupons,
        coupon_fen=sales.coupon_fen,
        tier_fen=sales.tier_fen,
        write_offs=extras.write_offs(),
        voids=tuple(sorted(extras.voids, key=lambda v: (v.approval.at, v.sale_id))),
        refunds=refunds,
        points_issued=sales.points,
        cash_taken_fen=sales.cash_gross_fen,
        change_fen=sales.change_fen,
    )


def reconcile_digest(
    opening: MeterSnapshot, closing: MeterSnapshot, fills: FillDigest
) -> tuple[NozzleReconciliation, ...]:
    """The domain's reconciliation, fed one summed fill per nozzle (ending at the cut) for speed."""
    summed = [_SumFill(n, ml, fen, closing.cut_at) for n, (_g, _c, ml, fen) in fills.nozzles.items()]
    counts: Mapping[int, int] = {n: row[1] for n, row in fills.nozzles.items()}
    return tuple(
        replace(r, fills=counts.get(r.nozzle_number, 0)) for r in reconcile(opening, closing, summed)
    )


def compute_figures(
    window: ShiftWindow,
    opening_float_fen: int,
    sales: SalesDigest,
    fills: FillDigest,
    opening: MeterSnapshot | None,
    closing: MeterSnapshot,
    extras: ShiftExtras | None = None,
) -> HandoverFigures:
    """Totals, the per-nozzle meter reconciliation (when the opening meters are known) and the hours."""
    totals = totals_from(window, opening_float_fen, sales, fills, extras)
    meters: tuple[NozzleReconciliation, ...] = ()
    if opening is not None and opening.by_nozzle().keys() == closing.by_nozzle().keys():
        meters = reconcile_digest(opening, closing, fills)
    return HandoverFigures(totals, meters, tuple(sorted(sales.hours.items())))


def utc_offset_minutes(zone: tzinfo | None, at: datetime) -> int:
    """The station's offset at ``at`` (the hours chart's clock); UTC when the zone is unknown."""
    offset = at.astimezone(zone).utcoffset() if zone is not None else None
    return int((offset or timedelta(0)).total_seconds() // 60)
