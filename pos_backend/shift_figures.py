"""A shift's figures: totals per payment method and grade, discounts, write-offs, voids and refunds,
points, cash expected against counted, and the meters reconciled per nozzle (``pos.domain.meters``).

Everything counts in the window ``(opened_at, cut_at]`` (up to now for an X report of a live shift): a
sale by when it happened at the till (``created_at``), a fill by when it ended, a refund or void by when
it was approved, a write-off by when it was redeemed. Sales uploaded after the close (the till was
offline) still land in the shift they happened in, so a report asked for later includes them.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos.domain.grade import GradeCode
from pos.domain.meters import MeterReading, MeterSnapshot, NozzleReconciliation, reconcile
from pos.domain.tender import TenderMethod
from pos_backend.clock import to_wire
from pos_backend.models import PumpTransaction, Sale, WriteoffCode
from pos_backend.models_counter import SaleRefund, ShiftMeter, ShiftRow, TransactionVoid
from pos_backend.refunds import refunds_between, taken_by_method
from pos_backend.voids import voids_between

MINI_PROGRAM = TenderMethod.MINI_PROGRAM.value


def window_end(shift: ShiftRow, now: datetime) -> datetime:
    return shift.cut_at if shift.cut_at is not None else now


def sales_between(session: Session, station_id: str, start: datetime, end: datetime) -> list[Sale]:
    return list(
        session.scalars(
            select(Sale)
            .where(Sale.station_id == station_id, Sale.created_at > start, Sale.created_at <= end)
            .order_by(Sale.accepted_seq)
        )
    )


def fills_between(session: Session, station_id: str, start: datetime, end: datetime) -> list[PumpTransaction]:
    return list(
        session.scalars(
            select(PumpTransaction)
            .where(
                PumpTransaction.station_id == station_id,
                PumpTransaction.ended_at > start,
                PumpTransaction.ended_at <= end,
            )
            .order_by(PumpTransaction.ended_at, PumpTransaction.id)
        )
    )


def _cash_refunded(refunds: list[SaleRefund]) -> int:
    return sum(p["amount_fen"] for r in refunds for p in json.loads(r.parts) if p["method"] == "cash")


def cash_expected_fen(session: Session, shift: ShiftRow, end: datetime) -> int:
    """Opening float + cash taken net of change - cash refunded, in the window."""
    sales = sales_between(session, shift.station_id, shift.opened_at, end)
    cash_net = sum(taken_by_method(json.loads(s.body)).get(TenderMethod.CASH, 0) for s in sales)
    refunds = refunds_between(session, shift.station_id, shift.opened_at, end)
    return shift.opening_float_fen + cash_net - _cash_refunded(refunds)


def _methods(
    bodies: list[dict[str, Any]], fills: list[PumpTransaction], refunds: list[SaleRefund]
) -> list[dict[str, Any]]:
    taken: Counter[str] = Counter()
    count: Counter[str] = Counter()
    for body in bodies:
        for method, fen in taken_by_method(body).items():
            taken[method.value] += fen
            count[method.value] += 1
    for fill in fills:
        if fill.order_id is not None:  # prepaid in the mini program: settled when the fill ended
            taken[MINI_PROGRAM] += fill.amount_fen
            count[MINI_PROGRAM] += 1
    refunded: Counter[str] = Counter()
    for refund in refunds:
        for part in json.loads(refund.parts):
            refunded[part["method"]] += part["amount_fen"]
    return [
        {
            "method": m.value,
            "sales": count[m.value],
            "taken_fen": taken[m.value],
            "refunded_fen": refunded[m.value],
            "net_fen": taken[m.value] - refunded[m.value],
        }
        for m in TenderMethod
        if taken[m.value] or refunded[m.value]
    ]


def _grades(fills: list[PumpTransaction]) -> list[dict[str, Any]]:
    rows: dict[str, list[int]] = {}
    for fill in fills:
        row = rows.setdefault(fill.grade_code, [0, 0, 0])
        row[0], row[1], row[2] = row[0] + 1, row[1] + fill.volume_ml, row[2] + fill.amount_fen
    return [
        {"grade": code, "fills": row[0], "volume_ml": row[1], "amount_fen": row[2]}
        for code, row in sorted(rows.items())
    ]


def _discounts(bodies: list[dict[str, Any]]) -> dict[str, int]:
    found = [d for body in bodies for d in body["discounts"]]
    coupons = [d for d in found if d["kind"] == "coupon"]
    return {
        "coupons_used": len(coupons),
        "coupon_fen": sum(d["amount_fen"] for d in coupons),
        "tier_fen": sum(d["amount_fen"] for d in found if d["kind"] == "tier"),
    }


def _write_offs(session: Session, station_id: str, start: datetime, end: datetime) -> dict[str, int]:
    kinds = session.scalars(
        select(WriteoffCode.kind).where(
            WriteoffCode.station_id == station_id,
            WriteoffCode.state == "redeemed",
            WriteoffCode.redeemed_at > start,
            WriteoffCode.redeemed_at <= end,
        )
    )
    return dict(sorted(Counter(kinds).items()))


def _snapshot(rows: list[ShiftMeter], at: datetime) -> MeterSnapshot:
    return MeterSnapshot(
        at,
        tuple(
            MeterReading(m.nozzle_number, GradeCode(m.grade_code), m.volume_ml, m.amount_fen) for m in rows
        ),
    )


def meter_json(row: NozzleReconciliation) -> dict[str, Any]:
    return {
        "nozzle_number": row.nozzle_number,
        "grade": row.grade.value,
        "opening_volume_ml": row.opening.volume_ml,
        "opening_amount_fen": row.opening.amount_fen,
        "closing_volume_ml": row.closing.volume_ml,
        "closing_amount_fen": row.closing.amount_fen,
        "metered_ml": row.metered_ml,
        "metered_fen": row.metered_fen,
        "sold_ml": row.sold_ml,
        "sold_fen": row.sold_fen,
        "fills": row.fills,
        "difference_ml": row.difference_ml,
        "tolerance_ml": row.tolerance_ml,
        "flagged": row.flagged,
    }


def reconcile_meters(
    opening: list[ShiftMeter],
    closing: list[ShiftMeter],
    start: datetime,
    end: datetime,
    fills: list[PumpTransaction],
) -> list[dict[str, Any]]:
    return [meter_json(r) for r in reconcile(_snapshot(opening, start), _snapshot(closing, end), fills)]


def _void_json(v: TransactionVoid) -> dict[str, Any]:
    return {
        "transaction_id": v.transaction_id,
        "amount_fen": v.amount_fen,
        "cashier_no": v.cashier_no,
        "staff_no": v.manager_no,
        "staff_name": v.manager_name,
        "reason": v.reason,
        "at": to_wire(v.at),
    }


def _refund_json(r: SaleRefund) -> dict[str, Any]:
    return {
        "refund_id": r.refund_id,
        "sale_id": r.sale_id,
        "amount_fen": r.amount_fen,
        "parts": json.loads(r.parts),
        "staff_no": r.staff_no,
        "staff_name": r.staff_name,
        "reason": r.reason,
        "at": to_wire(r.at),
    }


def figures(
    session: Session, shift: ShiftRow, end: datetime, opening: list[ShiftMeter], closing: list[ShiftMeter]
) -> dict[str, Any]:
    """The report body of one shift up to ``end`` (its cut, or now)."""
    station, start = shift.station_id, shift.opened_at
    sales = sales_between(session, station, start, end)
    bodies = [json.loads(s.body) for s in sales]
    fills = fills_between(session, station, start, end)
    refunds = refunds_between(session, station, start, end)
    voids = voids_between(session, station, start, end)
    expected = cash_expected_fen(session, shift, end)
    return {
        "window": {"start": to_wire(start), "end": to_wire(end)},
        "sales": len(sales),
        "methods": _methods(bodies, fills, refunds),
        "grades": _grades(fills),
        "discounts": _discounts(bodies),
        "write_offs": _write_offs(session, station, start, end),
        "voids": [_void_json(v) for v in voids],
        "refunds": [_refund_json(r) for r in refunds],
        "points": {
            "issued": sum(s.points_earned for s in sales),
            "taken_back": sum(r.points_taken_back for r in refunds),
        },
        "cash": {
            "opening_float_fen": shift.opening_float_fen,
            "expected_fen": expected,
            "counted_fen": shift.counted_fen,
            "variance_fen": None if shift.counted_fen is None else shift.counted_fen - expected,
            "variance_reason": shift.variance_reason,
        },
        "meters": reconcile_meters(opening, closing, start, end, fills),
    }
