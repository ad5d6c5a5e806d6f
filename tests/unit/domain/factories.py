"""Valid domain objects for tests; each test overrides only the fields it is about."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from pos.domain.codes import WriteOffKind
from pos.domain.grade import GradeCode
from pos.domain.member import Member, Tier
from pos.domain.order import Order, OrderState
from pos.domain.pump import Nozzle, NozzleState
from pos.domain.shift import Shift, ShiftState
from pos.domain.transaction import LockHolder, PumpTransaction, TransactionState
from pos.domain.writeoff import Redemption, WriteOffCode

T0 = datetime(2026, 11, 21, 6, 0, tzinfo=UTC)
TILL_1 = LockHolder("till-1", "前台1", "1001", "张三")
TILL_1_OTHER_STAFF = LockHolder("till-1", "前台1", "1003", "王五")
TILL_2 = LockHolder("till-2", "前台2", "1002", "李四")


def nozzle(**changes: Any) -> Nozzle:
    fields: dict[str, Any] = {
        "number": 3,
        "pump_number": 2,
        "grade": GradeCode.G95,
        "state": NozzleState.IDLE,
        "unit_price_fen": 789,
        "current_volume_ml": 0,
        "current_amount_fen": 0,
        "totalizer_volume_ml": 12_345_678,
        "totalizer_amount_fen": 9_740_000,
        "totalizer_read_at": T0,
        "updated_at": T0,
        "order_id": None,
    }
    return Nozzle(**{**fields, **changes})


def transaction(**changes: Any) -> PumpTransaction:
    fields: dict[str, Any] = {
        "id": "tx-1",
        "pump_number": 2,
        "nozzle_number": 3,
        "grade": GradeCode.G92,
        "unit_price_fen": 742,
        "volume_ml": 40_000,
        "amount_fen": 29_680,
        "state": TransactionState.PAYABLE,
        "locked_by": None,
        "lock_expires_at": None,
        "started_at": T0,
        "ended_at": T0 + timedelta(minutes=2),
        "order_id": None,
    }
    return PumpTransaction(**{**fields, **changes})


def order(**changes: Any) -> Order:
    fields: dict[str, Any] = {
        "id": "ord-1",
        "order_no": "MP20261121000001",
        "nozzle_number": 3,
        "grade": GradeCode.G95,
        "prepaid_fen": 30_000,
        "state": OrderState.PAID,
        "exception": None,
        "member_id": "m-1",
        "plate": "粤B12345",
        "created_at": T0,
        "updated_at": T0,
        "transaction_id": None,
    }
    return Order(**{**fields, **changes})


def member(**changes: Any) -> Member:
    fields: dict[str, Any] = {
        "id": "m-1",
        "card_no": "6200001234567890",
        "name": "陈小明",
        "phone": "13812345678",
        "tier": Tier.GOLD,
        "tier_expires_at": T0 + timedelta(days=200),
        "wallet_fen": 50_000,
        "points": 1200,
        "plates": ("粤B12345",),
    }
    return Member(**{**fields, **changes})


def write_off(**changes: Any) -> WriteOffCode:
    fields: dict[str, Any] = {
        "code": "012345",
        "kind": WriteOffKind.PICKUP,
        "subject_id": "mall-order-9",
        "issued_at": T0,
        "expires_at": T0 + timedelta(days=7),
    }
    return WriteOffCode(**{**fields, **changes})


def redemption(at: datetime = T0 + timedelta(minutes=1), **changes: Any) -> Redemption:
    fields: dict[str, Any] = {"staff_no": "1001", "staff_name": "张三", "at": at, "where": "城东站 前台1"}
    return Redemption(**{**fields, **changes})


def shift(**changes: Any) -> Shift:
    fields: dict[str, Any] = {
        "id": "shift-1",
        "station_id": "st-1",
        "opened_at": T0,
        "opened_by": "1001",
        "state": ShiftState.OPEN,
        "opening_float_fen": 50_000,
        "closed_at": None,
    }
    return Shift(**{**fields, **changes})
