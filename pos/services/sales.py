"""Recording a sale: a checked body for ``POST /api/v1/sales``, kept locally and queued in one transaction.

The sale is validated here with the backend's own rules (total = lines - discounts >= 0, tenders - change =
total, change only out of cash), so a record that reaches the outbox is never refused for its arithmetic.
The backend may still refuse it for what only it knows (a transaction cleared by another till), which the
outbox shows as rejected for a manager.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pos.domain.errors import InvalidValue
from pos.services.ports_outbox import OutboxEntry, SaleJournal

LINE_KINDS = frozenset({"fuel", "goods"})
DISCOUNT_KINDS = frozenset({"coupon", "tier"})
TENDER_METHODS = frozenset({"cash", "card", "wechat", "alipay", "wallet"})


def _whole_fen(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidValue(f"{what} must be whole non-negative fen, got {value!r}")
    return value


@dataclass(frozen=True, slots=True)
class SaleLine:
    kind: str  # fuel | goods
    description: str  # "3号油枪 92#汽油", "农夫山泉 550ml"
    amount_fen: int
    quantity_ml: int | None = None  # fuel only

    def __post_init__(self) -> None:
        if self.kind not in LINE_KINDS:
            raise InvalidValue(f"unknown sale line kind {self.kind!r}")
        _whole_fen(self.amount_fen, "a line amount")
        if self.quantity_ml is not None:
            _whole_fen(self.quantity_ml, "a fuel volume (ml)")

    def to_wire(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "description": self.description,
            "quantity_ml": self.quantity_ml,
            "amount_fen": self.amount_fen,
        }


@dataclass(frozen=True, slots=True)
class SaleDiscount:
    kind: str  # coupon | tier
    description: str
    amount_fen: int
    coupon_id: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in DISCOUNT_KINDS:
            raise InvalidValue(f"unknown discount kind {self.kind!r}")
        _whole_fen(self.amount_fen, "a discount")

    def to_wire(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "description": self.description,
            "amount_fen": self.amount_fen,
            "coupon_id": self.coupon_id,
        }


@dataclass(frozen=True, slots=True)
class Tender:
    method: str  # cash | card | wechat | alipay | wallet
    amount_fen: int

    def __post_init__(self) -> None:
        if self.method not in TENDER_METHODS:
            raise InvalidValue(f"unknown tender method {self.method!r}")
        _whole_fen(self.amount_fen, "a tender")

    def to_wire(self) -> dict[str, Any]:
        return {"method": self.method, "amount_fen": self.amount_fen}


@dataclass(frozen=True, slots=True)
class Sale:
    """A settled sale as the till hands it to the backend; refuses itself when the sums do not agree."""

    sale_id: str
    staff_no: str
    created_at: datetime
    lines: Sequence[SaleLine]
    tenders: Sequence[Tender]
    discounts: Sequence[SaleDiscount] = ()
    change_fen: int = 0
    transaction_id: str | None = None
    order_id: str | None = None
    member_id: str | None = None
    total_fen: int = field(init=False)

    def __post_init__(self) -> None:
        if self.created_at.tzinfo is None:
            raise InvalidValue("a sale's time must carry its time zone")
        if not self.lines or not self.tenders:
            raise InvalidValue("a sale needs at least one line and one tender")
        _whole_fen(self.change_fen, "change")
        total = sum(line.amount_fen for line in self.lines) - sum(d.amount_fen for d in self.discounts)
        if total < 0:
            raise InvalidValue(f"discounts exceed the lines by {-total} fen")
        object.__setattr__(self, "total_fen", total)
        paid = sum(tender.amount_fen for tender in self.tenders)
        if paid - self.change_fen != total:
            raise InvalidValue(
                f"tenders {paid} minus change {self.change_fen} do not equal the total {total} fen"
            )
        cash = sum(t.amount_fen for t in self.tenders if t.method == "cash")
        if self.change_fen > cash:
            raise InvalidValue("change can only be given out of a cash tender, and at most the cash taken")

    def to_wire(self) -> dict[str, Any]:
        return {
            "sale_id": self.sale_id,
            "staff_no": self.staff_no,
            "created_at": self.created_at.isoformat(timespec="milliseconds"),
            "transaction_id": self.transaction_id,
            "order_id": self.order_id,
            "member_id": self.member_id,
            "lines": [line.to_wire() for line in self.lines],
            "discounts": [discount.to_wire() for discount in self.discounts],
            "tenders": [tender.to_wire() for tender in self.tenders],
            "total_fen": self.total_fen,
            "change_fen": self.change_fen,
        }


@dataclass(frozen=True, slots=True)
class RecordedSale:
    sale: Sale
    outbox_entry: OutboxEntry


def _utc_now() -> datetime:
    return datetime.now(UTC)


class SalesRecorder:
    """Records sales through the journal port: the local record and its outbox entry commit together."""

    def __init__(self, journal: SaleJournal, clock: Callable[[], datetime] = _utc_now) -> None:
        self._journal = journal
        self._clock = clock

    def record(
        self,
        staff_no: str,
        lines: Sequence[SaleLine],
        tenders: Sequence[Tender],
        *,
        discounts: Sequence[SaleDiscount] = (),
        change_fen: int = 0,
        transaction_id: str | None = None,
        order_id: str | None = None,
        member_id: str | None = None,
    ) -> RecordedSale:
        """Validate and record; raises ``InvalidValue`` (nothing stored) when the sums do not agree."""
        sale = Sale(
            sale_id=str(uuid.uuid4()),
            staff_no=staff_no,
            created_at=self._clock(),
            lines=tuple(lines),
            tenders=tuple(tenders),
            discounts=tuple(discounts),
            change_fen=change_fen,
            transaction_id=transaction_id,
            order_id=order_id,
            member_id=member_id,
        )
        entry = self._journal.record_sale(sale.sale_id, sale.created_at, staff_no, sale.to_wire())
        return RecordedSale(sale, entry)
