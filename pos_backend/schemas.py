"""Request bodies (validated) and response shapes (documented in the OpenAPI document)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class PairRequest(BaseModel):
    activation_code: str = Field(min_length=1, max_length=32)
    till_name: str = Field(min_length=1, max_length=64)


class SignInRequest(BaseModel):
    staff_no: str = Field(min_length=1, max_length=16)
    pin: str = Field(min_length=1, max_length=32)


class ClearRequest(BaseModel):
    sale_ref: str | None = Field(default=None, max_length=200)


class ErrorInfo(BaseModel):
    code: str
    message: str
    detail: dict[str, object] | None


class ErrorBody(BaseModel):
    error: ErrorInfo


class Health(BaseModel):
    status: str
    time: str


class Pairing(BaseModel):
    till_id: str
    till_name: str
    station_id: str
    station_name: str
    device_token: str


class StaffOut(BaseModel):
    staff_no: str
    name: str
    role: str


class StaffSessionOut(BaseModel):
    session_token: str
    expires_at: str
    staff: StaffOut


class StationOut(BaseModel):
    id: str
    name: str
    timezone: str


class GradeOut(BaseModel):
    code: str
    name: str
    price_fen: int


class NozzleOut(BaseModel):
    number: int
    pump_number: int
    grade: str
    state: str
    unit_price_fen: int
    current_volume_ml: int
    current_amount_fen: int
    totalizer_volume_ml: int
    totalizer_amount_fen: int
    totalizer_read_at: str
    updated_at: str
    order_id: str | None


class PumpOut(BaseModel):
    number: int
    nozzles: list[NozzleOut]


class LockHolder(BaseModel):
    till_id: str
    till_name: str
    staff_no: str
    staff_name: str


class TransactionOut(BaseModel):
    id: str
    pump_number: int
    nozzle_number: int
    grade: str
    unit_price_fen: int
    volume_ml: int
    amount_fen: int
    state: str
    locked_by: LockHolder | None
    lock_expires_at: str | None
    started_at: str
    ended_at: str
    order_id: str | None


class OrderOut(BaseModel):
    id: str
    order_no: str
    nozzle_number: int
    grade: str
    prepaid_fen: int
    state: str
    exception: str | None
    member_id: str | None
    plate: str | None
    created_at: str
    updated_at: str
    transaction_id: str | None


class Snapshot(BaseModel):
    station: StationOut
    seq: int
    server_time: str
    grades: list[GradeOut]
    pumps: list[PumpOut]
    transactions: list[TransactionOut]
    orders: list[OrderOut]


class EventOut(BaseModel):
    seq: int
    type: str
    at: str
    data: dict[str, object]


class EventPageOut(BaseModel):
    events: list[EventOut]
    last_seq: int
