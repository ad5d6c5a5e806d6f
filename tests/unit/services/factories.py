"""Builders of wire-shaped dicts and domain objects for tests of the board, the client and the UI."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from pos.domain.grade import Grade
from pos.domain.order import Order
from pos.domain.pump import Nozzle
from pos.domain.transaction import PumpTransaction
from pos.services.ports import EventPayload, StationEvent, StationInfo, StationSnapshot

T0 = datetime(2026, 11, 21, 6, 0, tzinfo=UTC)
PRICES = {"92": 742, "95": 789, "98": 865, "0": 715}
GRADE_NAMES = {"92": "92#汽油", "95": "95#汽油", "98": "98#汽油", "0": "0#柴油"}


def at(seconds: float) -> str:
    return (T0 + timedelta(seconds=seconds)).isoformat()


def nozzle_wire(
    number: int,
    state: str = "idle",
    volume_ml: int = 0,
    amount_fen: int = 0,
    grade: str = "92",
    order_id: str | None = None,
) -> dict[str, Any]:
    return {
        "number": number,
        "pump_number": (number + 1) // 2,
        "grade": grade,
        "state": state,
        "unit_price_fen": PRICES[grade],
        "current_volume_ml": volume_ml,
        "current_amount_fen": amount_fen,
        "totalizer_volume_ml": 1_000_000,
        "totalizer_amount_fen": 7_420_000,
        "totalizer_read_at": at(0),
        "updated_at": at(1),
        "order_id": order_id,
    }


def transaction_wire(
    tx_id: str, nozzle: int, state: str = "payable", amount_fen: int = 20000
) -> dict[str, Any]:
    holder = {"till_id": "T2", "till_name": "前台2", "staff_no": "1001", "staff_name": "王芳"}
    locked = state == "locked"
    return {
        "id": tx_id,
        "pump_number": (nozzle + 1) // 2,
        "nozzle_number": nozzle,
        "grade": "92",
        "unit_price_fen": 742,
        "volume_ml": amount_fen * 1000 // 742,
        "amount_fen": amount_fen,
        "state": state,
        "locked_by": holder if locked else None,
        "lock_expires_at": at(180) if locked else None,
        "started_at": at(0),
        "ended_at": at(60),
        "order_id": None,
    }


def order_wire(order_id: str, nozzle: int, state: str = "paid", created: float = 0) -> dict[str, Any]:
    return {
        "id": order_id,
        "order_no": f"XS{order_id}",
        "nozzle_number": nozzle,
        "grade": "92",
        "prepaid_fen": 20000,
        "state": state,
        "exception": None,
        "member_id": None,
        "plate": None,
        "created_at": at(created),
        "updated_at": at(created),
        "transaction_id": None,
    }


def grade_wire(code: str) -> dict[str, Any]:
    return {"code": code, "name": GRADE_NAMES[code], "price_fen": PRICES[code]}


def snapshot(
    seq: int,
    nozzles: list[dict[str, Any]],
    transactions: Sequence[dict[str, Any]] = (),
    orders: Sequence[dict[str, Any]] = (),
) -> StationSnapshot:
    return StationSnapshot(
        station=StationInfo("S1", "中石化演示站", "Asia/Shanghai"),
        seq=seq,
        server_time=T0,
        grades=[Grade.from_wire(grade_wire(code)) for code in PRICES],
        nozzles=[Nozzle.from_wire(n) for n in nozzles],
        transactions=[PumpTransaction.from_wire(t) for t in transactions],
        orders=[Order.from_wire(o) for o in orders],
    )


def event(seq: int, kind: str, data: dict[str, Any]) -> StationEvent:
    parsers: dict[str, Callable[[object], EventPayload]] = {
        "nozzle": Nozzle.from_wire,
        "transaction": PumpTransaction.from_wire,
        "order": Order.from_wire,
    }
    payload = parsers[kind.split(".")[0]](data)
    return StationEvent(seq=seq, type=kind, at=T0 + timedelta(seconds=seq), payload=payload)
