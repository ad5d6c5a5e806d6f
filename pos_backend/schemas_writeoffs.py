"""Bodies and answers of the write-off routes (documented in the OpenAPI document)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from pos_backend.schemas_sales import Rfc3339


class RedeemIn(BaseModel):
    """A redemption from the till's outbox: the staff member is named, the time is the till's."""

    staff_no: str = Field(min_length=1, max_length=16)
    redeemed_at: Rfc3339
    offline: bool = False  # redeemed while the backend was unreachable (station policy allowed it)
    reservation: str | None = Field(default=None, max_length=100)  # kept for the record only


class PickupItemOut(BaseModel):
    name: str
    quantity: int
    unit: str


class MemberRefOut(BaseModel):
    id: str
    name: str
    phone_masked: str


class ReservedByOut(BaseModel):
    till_id: str | None
    till_name: str | None
    until: str | None


class RedeemedOut(BaseModel):
    at: str | None
    accepted_at: str | None
    offline: bool
    till_id: str | None
    till_name: str | None
    station_id: str | None
    station_name: str | None
    staff_no: str | None
    staff_name: str | None


class WriteoffOut(BaseModel):
    code: str
    kind: str
    state: str
    title: str
    description: str
    value_fen: int
    conditions: dict[str, Any] | None
    items: list[PickupItemOut] | None
    order_no: str | None
    member: MemberRefOut | None
    valid_until: str | None
    reserved_by: ReservedByOut | None
    redeemed: RedeemedOut | None


class WriteoffLineOut(BaseModel):
    code: str
    kind: str
    title: str
    value_fen: int
    redeemed_at: str | None
    accepted_at: str | None
    offline: bool
    till_id: str
    till_name: str
    staff_no: str
    staff_name: str


class KindTotalOut(BaseModel):
    count: int
    value_fen: int


class WriteoffDayOut(BaseModel):
    date: str
    writeoffs: list[WriteoffLineOut]
    totals: dict[str, KindTotalOut]


class WriteoffConflictOut(BaseModel):
    id: str
    code: str
    reason: str
    till_id: str
    staff_no: str | None
    attempted_at: str | None
    received_at: str | None
    first: RedeemedOut | None


class WriteoffConflictsOut(BaseModel):
    conflicts: list[WriteoffConflictOut]
