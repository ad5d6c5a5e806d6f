"""Shift JSON (docs/api-v1.md, "Shifts") to the handover's plain data and back, checked at the boundary:
a malformed answer becomes ``bad_response``, never a KeyError above the sync layer."""

from __future__ import annotations

from typing import Any

from pos.domain.codes import WriteOffKind
from pos.domain.errors import InvalidValue
from pos.domain.grade import GradeCode
from pos.domain.meters import MeterReading, MeterSnapshot
from pos.domain.refund import MANAGER_ROLE, Approval, RefundPart
from pos.domain.shift import ShiftState
from pos.domain.shift_totals import RefundEntry, VoidEntry
from pos.domain.tender import TenderMethod
from pos.domain.transaction import PumpTransaction
from pos.domain.wire import format_rfc3339, parse_rfc3339
from pos.services.handover_figures import RedeemedCode, ShiftExtras
from pos.services.handover_ports import CutAnswer, FillRecord, ShiftInfo
from pos.sync.wire import bad_response

_OPTIONAL_TEXT = ("closed_by", "outgoing_staff_no", "incoming_staff_no", "variance_reason", "next_shift_id")


def _time(raw: Any) -> Any:
    return None if raw is None else parse_rfc3339(raw)


def shift_from_wire(raw: Any) -> ShiftInfo:
    try:
        return ShiftInfo(
            id=str(raw["id"]),
            number=int(raw["number"]),
            state=ShiftState(raw["state"]),
            opened_at=parse_rfc3339(raw["opened_at"]),
            opened_by=str(raw["opened_by"]),
            opening_float_fen=int(raw["opening_float_fen"]),
            cut_at=_time(raw.get("cut_at")),
            closed_at=_time(raw.get("closed_at")),
            counted_fen=raw.get("counted_fen"),
            expected_fen=raw.get("expected_fen"),
            **{name: raw.get(name) for name in _OPTIONAL_TEXT},
        )
    except (KeyError, TypeError, ValueError, InvalidValue) as exc:
        raise bad_response(f"shift: {exc}") from None


def shift_to_wire(shift: ShiftInfo) -> dict[str, Any]:
    return {
        "id": shift.id,
        "number": shift.number,
        "state": shift.state.value,
        "opened_at": format_rfc3339(shift.opened_at),
        "opened_by": shift.opened_by,
        "opening_float_fen": shift.opening_float_fen,
        "cut_at": None if shift.cut_at is None else format_rfc3339(shift.cut_at),
        "closed_at": None if shift.closed_at is None else format_rfc3339(shift.closed_at),
        "counted_fen": shift.counted_fen,
        "expected_fen": shift.expected_fen,
        **{name: getattr(shift, name) for name in _OPTIONAL_TEXT},
    }


def meters_from_wire(raw: Any, shift: ShiftInfo, closing_at: Any) -> tuple[MeterSnapshot, MeterSnapshot]:
    """The report/cut ``meters`` list as (opening at the shift's open, closing at ``closing_at``)."""
    try:
        opening, closing = [], []
        for meter in raw:
            grade = GradeCode(meter["grade"])
            number = int(meter["nozzle_number"])
            opening.append(
                MeterReading(number, grade, meter["opening_volume_ml"], meter["opening_amount_fen"])
            )
            closing.append(
                MeterReading(number, grade, meter["closing_volume_ml"], meter["closing_amount_fen"])
            )
        return MeterSnapshot(shift.opened_at, tuple(opening)), MeterSnapshot(closing_at, tuple(closing))
    except (KeyError, TypeError, ValueError, InvalidValue) as exc:
        raise bad_response(f"meters: {exc}") from None


def fill_from_wire(raw: Any) -> FillRecord:
    try:
        fill = PumpTransaction.from_wire(raw)
    except (InvalidValue, KeyError, TypeError, ValueError) as exc:
        raise bad_response(f"transaction: {exc}") from None
    return FillRecord(
        fill.id, fill.nozzle_number, fill.grade, fill.volume_ml, fill.amount_fen, fill.ended_at, fill.order_id
    )


def cut_from_wire(body: Any) -> CutAnswer:
    if not isinstance(body, dict):
        raise bad_response("cut answer is not an object")
    shift = shift_from_wire(body.get("shift"))
    try:
        cut_at = parse_rfc3339(body["cut_at"])
        sales = [dict(sale) for sale in body["sales"]]
    except (KeyError, TypeError, ValueError, InvalidValue) as exc:
        raise bad_response(f"cut: {exc}") from None
    opening, closing = meters_from_wire(body.get("meters"), shift, cut_at)
    fills = [fill_from_wire(raw) for raw in body.get("transactions") or ()]
    return CutAnswer(shift, cut_at, opening, closing, fills, sales)


def _approval(raw: Any) -> Approval:
    staff_no = str(raw["staff_no"])
    name = raw.get("staff_name") or staff_no
    return Approval(
        staff_no, str(name), MANAGER_ROLE, str(raw.get("reason") or "-"), parse_rfc3339(raw["at"])
    )


def _void(raw: Any) -> VoidEntry:
    cashier = raw.get("cashier_no") or ""
    return VoidEntry(str(raw["transaction_id"]), str(cashier), int(raw["amount_fen"]), _approval(raw))


def _refund(raw: Any) -> RefundEntry:
    parts = tuple(RefundPart(TenderMethod(p["method"]), int(p["amount_fen"])) for p in raw["parts"])
    return RefundEntry(str(raw["sale_id"]), str(raw["refund_id"]), parts, _approval(raw))


def _redeemed(raw: Any) -> RedeemedCode:
    return RedeemedCode(
        str(raw["code"]), WriteOffKind(raw["kind"]), int(raw["value_fen"]), parse_rfc3339(raw["redeemed_at"])
    )


def extras_from_wire(report: Any, days: list[Any]) -> ShiftExtras:
    """Voids and refunds of a shift report, write-offs of ``GET /writeoffs`` day lists (each code once)."""
    try:
        voids = tuple(_void(raw) for raw in report["voids"])
        refunds = tuple(_refund(raw) for raw in report["refunds"])
        redeemed = {w.code: w for day in days for w in map(_redeemed, day["writeoffs"])}
    except (KeyError, TypeError, ValueError, InvalidValue) as exc:
        raise bad_response(f"shift extras: {exc}") from None
    return ShiftExtras(voids, refunds, tuple(sorted(redeemed.values(), key=lambda w: (w.at, w.code))))
