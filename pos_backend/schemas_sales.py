"""Bodies and answers of the outbox routes (sales, batch) and the member look-ups."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, Field

from pos.domain.errors import InvalidValue
from pos.domain.wire import parse_rfc3339

Fen = Annotated[int, Field(strict=True, ge=0, le=10**12)]
Id = Annotated[str, Field(min_length=1, max_length=64)]


def _rfc3339(text: str) -> str:
    try:
        parse_rfc3339(text)
    except InvalidValue as exc:
        raise ValueError(str(exc)) from None
    return text  # kept as sent: GET /sales gives the sale back exactly


Rfc3339 = Annotated[str, AfterValidator(_rfc3339)]


class SaleLine(BaseModel):
    kind: Literal["fuel", "goods"]
    description: str = Field(min_length=1, max_length=100)
    quantity_ml: Annotated[int, Field(strict=True, ge=0)] | None = None
    amount_fen: Fen


class SaleDiscount(BaseModel):
    kind: Literal["coupon", "tier"]
    description: str = Field(min_length=1, max_length=100)
    amount_fen: Fen
    coupon_id: Id | None = None


class SaleTender(BaseModel):
    method: Literal["cash", "card", "wechat", "alipay", "wallet"]
    amount_fen: Fen


class SaleIn(BaseModel):
    sale_id: Id
    staff_no: str = Field(min_length=1, max_length=16)
    created_at: Rfc3339
    transaction_id: Id | None = None
    order_id: Id | None = None
    member_id: Id | None = None
    lines: list[SaleLine] = Field(min_length=1, max_length=200)
    discounts: list[SaleDiscount] = Field(default_factory=list, max_length=50)
    tenders: list[SaleTender] = Field(min_length=1, max_length=20)
    total_fen: Fen
    change_fen: Fen


class SaleAccepted(BaseModel):
    sale_id: str
    accepted_at: str
    accepted_seq: int
    points_earned: int


class SaleOut(SaleIn):
    accepted_seq: int
    accepted_at: str
    till_id: str


class SalesPage(BaseModel):
    sales: list[SaleOut]
    last_seq: int


class BatchItem(BaseModel):
    idempotency_key: str = Field(min_length=1, max_length=100)
    method: str = Field(min_length=1, max_length=10)
    path: str = Field(min_length=1, max_length=200)
    body: Any = None


class BatchRequest(BaseModel):
    requests: list[BatchItem] = Field(min_length=1, max_length=200)


class BatchResult(BaseModel):
    idempotency_key: str
    status: int
    body: dict[str, Any] | None
    replayed: bool


class BatchOut(BaseModel):
    results: list[BatchResult]


class CouponOut(BaseModel):
    id: str
    title: str
    threshold_fen: int
    reduction_fen: int
    grades: list[str]
    valid_from: str
    valid_until: str
    state: str


class MemberOut(BaseModel):
    id: str
    card_no: str
    name: str
    phone: str
    tier: str
    tier_expires_at: str | None
    wallet_fen: int
    points: int
    plates: list[str]
    coupons: list[CouponOut]
    version: int
    updated_at: str


class MembersOut(BaseModel):
    members: list[MemberOut]


class MemberChangesOut(BaseModel):
    members: list[MemberOut]
    last_version: int
    more: bool
