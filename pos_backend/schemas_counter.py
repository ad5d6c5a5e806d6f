"""Bodies and answers of the counter routes (verifiers, audit, voids, refunds, orders, pickups, shifts)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from pos.domain.errors import InvalidValue
from pos.domain.wire import parse_rfc3339
from pos_backend.errors import ApiError
from pos_backend.schemas import OrderOut, TransactionOut
from pos_backend.schemas_sales import Fen, Id, Rfc3339

Reason = Annotated[str, Field(min_length=1, max_length=200)]
StaffNo = Annotated[str, Field(min_length=1, max_length=16)]
Positive = Annotated[int, Field(strict=True, ge=1, le=10**12)]


def parse_time_query(name: str, text: str) -> datetime:
    try:
        return parse_rfc3339(text)
    except InvalidValue:
        raise ApiError(
            422,
            "validation_failed",
            "时间格式错误 / Time must be RFC 3339 with an offset",
            {"errors": [{"loc": ["query", name], "msg": "RFC 3339 with offset", "type": "datetime"}]},
        ) from None


class VerifierOut(BaseModel):
    scheme: str
    n: int
    r: int
    p: int
    dklen: int
    salt: str
    hash: str


class StaffVerifierOut(BaseModel):
    staff_no: str
    name: str
    role: str
    verifier: VerifierOut | None


class VerifiersOut(BaseModel):
    staff: list[StaffVerifierOut]


class AuditEntryOut(BaseModel):
    id: str
    at: str
    till_id: str | None
    staff_no: str | None
    action: str
    subject: str | None
    idempotency_key: str | None
    detail: dict[str, Any] | None


class AuditPage(BaseModel):
    entries: list[AuditEntryOut]


class DiagnosticsOut(BaseModel):
    database: str
    server_time: str
    last_seq: int
    tills: int
    shift_state: str | None


class VoidIn(BaseModel):
    reason: Reason


class VoidOut(BaseModel):
    transaction: TransactionOut
    voided_by: str
    reason: str
    cashier_no: str | None
    at: str


class RefundTender(BaseModel):
    method: Literal["cash", "card", "wechat", "alipay", "wallet"]
    amount_fen: Positive


class RefundIn(BaseModel):
    refund_id: Id
    staff_no: StaffNo
    reason: Reason
    amount_fen: Positive
    # how the money goes back; omitted: the tenders that paid, the last-tendered method first
    tenders: list[RefundTender] | None = Field(default=None, min_length=1, max_length=5)


class RefundPartOut(BaseModel):
    method: str
    amount_fen: int


class RefundOut(BaseModel):
    refund_id: str
    sale_id: str
    amount_fen: int
    parts: list[RefundPartOut]
    wallet_restored_fen: int
    coupons_restored: list[str]
    points_taken_back: int
    refunded_total_fen: int
    refundable_fen: int
    staff_no: str
    reason: str
    at: str


class OrderRefundRequestIn(BaseModel):
    amount_fen: Positive
    reason: Reason


class RebindIn(BaseModel):
    nozzle_number: Annotated[int, Field(strict=True, ge=1, le=999)]


class OrderAckOut(BaseModel):
    till_id: str
    staff_no: str
    at: str


class OrderRefundOut(BaseModel):
    amount_fen: int
    reason: str
    staff_no: str
    at: str


class CounterOrderOut(OrderOut):
    acknowledged: OrderAckOut | None = None
    refund_request: OrderRefundOut | None = None


class PickupItemOut(BaseModel):
    sku: str
    name: str
    quantity: int
    unit_price_fen: int


class PickupOut(BaseModel):
    id: str
    order_no: str
    member_id: str
    state: str
    total_fen: int
    created_at: str
    items: list[PickupItemOut]


class PickupsOut(BaseModel):
    pickups: list[PickupOut]


class ShiftOpenIn(BaseModel):
    opening_float_fen: Fen


class ShiftCloseIn(BaseModel):
    staff_no: StaffNo  # the manager running the handover (checked against the role matrix)
    cut_at: Rfc3339
    counted: dict[str, Annotated[int, Field(strict=True, ge=0, le=100_000)]]  # fen value -> pieces
    variance_reason: Reason | None = None
    outgoing_staff_no: StaffNo
    incoming_staff_no: StaffNo
    next_opening_float_fen: Fen


class ShiftOut(BaseModel):
    id: str
    number: int
    state: str
    opened_at: str
    opened_by: str
    opening_float_fen: int
    cut_at: str | None
    closed_at: str | None
    closed_by: str | None
    outgoing_staff_no: str | None
    incoming_staff_no: str | None
    counted_fen: int | None
    expected_fen: int | None
    variance_fen: int | None
    variance_reason: str | None
    next_shift_id: str | None


class CurrentShiftOut(BaseModel):
    shift: ShiftOut | None


class ShiftsOut(BaseModel):
    shifts: list[ShiftOut]


class MeterOut(BaseModel):
    nozzle_number: int
    grade: str
    opening_volume_ml: int
    opening_amount_fen: int
    closing_volume_ml: int
    closing_amount_fen: int
    metered_ml: int
    metered_fen: int
    sold_ml: int
    sold_fen: int
    fills: int
    difference_ml: int
    tolerance_ml: int
    flagged: bool


class CutOut(BaseModel):
    shift: ShiftOut
    cut_at: str
    meters: list[MeterOut]
    transactions: list[TransactionOut]
    sales: list[dict[str, Any]]
    orders: list[OrderOut]


class ShiftClosedOut(BaseModel):
    shift: ShiftOut
    next_shift: ShiftOut
