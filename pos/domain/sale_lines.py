"""What a counter sale is made of: at most one fuel line and any number of shop goods lines.

The fuel line comes either from a payable pump transaction (paid at the till) or from a mini-program order
(prepaid online: the till collects nothing for it, it only completes the order). Its amount is the pump's
own figure, never recomputed from price and volume: the pump's display is what the customer agreed to.
"""

from __future__ import annotations

from dataclasses import dataclass

from pos.domain.checks import optional_text, require_int, require_member, require_text
from pos.domain.errors import InvalidValue
from pos.domain.grade import GradeCode
from pos.domain.order import Order, OrderState
from pos.domain.transaction import PumpTransaction

MAX_GOODS_QUANTITY = 999  # a typo guard: nobody buys a thousand bottles of water at the counter


@dataclass(frozen=True, slots=True)
class FuelItem:
    """Fuel drawn from one nozzle; ``order_id`` set means it was prepaid in the mini program."""

    nozzle_number: int
    grade: GradeCode
    volume_ml: int
    unit_price_fen: int
    amount_fen: int
    transaction_id: str | None = None
    order_id: str | None = None

    def __post_init__(self) -> None:
        require_int("fuel nozzle_number", self.nozzle_number, minimum=1)
        require_member("fuel grade", self.grade, GradeCode)
        require_int("fuel volume_ml", self.volume_ml, minimum=1)
        require_int("fuel unit_price_fen", self.unit_price_fen, minimum=1)
        require_int("fuel amount_fen", self.amount_fen, minimum=1)
        optional_text("fuel transaction_id", self.transaction_id, max_length=100)
        optional_text("fuel order_id", self.order_id, max_length=100)

    @classmethod
    def from_transaction(cls, fill: PumpTransaction) -> FuelItem:
        """A payable (or locked) pump transaction, to be paid at the till."""
        if fill.order_id is not None:
            raise InvalidValue(
                f"transaction {fill.id} was prepaid by order {fill.order_id}: use FuelItem.from_order"
            )
        return cls(
            fill.nozzle_number, fill.grade, fill.volume_ml, fill.unit_price_fen, fill.amount_fen, fill.id
        )

    @classmethod
    def from_order(cls, order: Order, fill: PumpTransaction) -> FuelItem:
        """The fill a mini-program order paid for; it cannot have run over the prepaid amount."""
        if fill.order_id != order.id:
            raise InvalidValue(f"transaction {fill.id} does not belong to order {order.id}")
        if order.state not in (OrderState.FUELLING, OrderState.COMPLETED):
            raise InvalidValue(f"order {order.order_no} is {order.state.value}: nothing was fuelled for it")
        if fill.amount_fen > order.prepaid_fen:
            raise InvalidValue(
                f"fill {fill.amount_fen} fen exceeds order {order.order_no} prepaid {order.prepaid_fen} fen"
            )
        return cls(
            fill.nozzle_number,
            fill.grade,
            fill.volume_ml,
            fill.unit_price_fen,
            fill.amount_fen,
            fill.id,
            order.id,
        )

    @property
    def is_prepaid(self) -> bool:
        return self.order_id is not None

    @property
    def description(self) -> str:
        """``3号油枪 92#汽油``: what the sale body and the shift report call this line."""
        return f"{self.nozzle_number}号油枪 {self.grade.display_name}"


@dataclass(frozen=True, slots=True)
class GoodsItem:
    """Shop goods: a quantity of one article at its listed (pre-tier) unit price."""

    sku: str
    name: str
    quantity: int
    unit_price_fen: int

    def __post_init__(self) -> None:
        require_text("goods sku", self.sku, max_length=64)
        require_text("goods name", self.name, max_length=60)
        require_int("goods quantity", self.quantity, minimum=1)
        if self.quantity > MAX_GOODS_QUANTITY:
            raise InvalidValue(f"goods quantity {self.quantity} is above {MAX_GOODS_QUANTITY}")
        require_int("goods unit_price_fen", self.unit_price_fen, minimum=1)

    @property
    def amount_fen(self) -> int:
        return self.quantity * self.unit_price_fen

    @property
    def description(self) -> str:
        return self.name if self.quantity == 1 else f"{self.name} ×{self.quantity}"
