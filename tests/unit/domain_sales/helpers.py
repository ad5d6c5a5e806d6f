"""Small builders for the sales tests: a coupon, goods, a fuel line, a manager's approval."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from pos.domain.coupon import Coupon
from pos.domain.grade import GradeCode
from pos.domain.order import OrderState
from pos.domain.refund import Approval
from pos.domain.sale import Sale
from pos.domain.sale_lines import FuelItem, GoodsItem
from tests.unit.domain.factories import T0, order, transaction

NOW = T0 + timedelta(hours=1)


def coupon(**changes: Any) -> Coupon:
    fields: dict[str, Any] = {
        "id": "c-1",
        "title": "满200减15",
        "threshold_fen": 20_000,
        "reduction_fen": 1_500,
        "grades": frozenset(),
        "valid_from": T0,
        "valid_until": T0 + timedelta(days=30),
    }
    return Coupon(**{**fields, **changes})


def fuel(amount_fen: int = 29_680, grade: GradeCode = GradeCode.G92, **changes: Any) -> FuelItem:
    return FuelItem.from_transaction(transaction(amount_fen=amount_fen, grade=grade, **changes))


def prepaid_fuel(amount_fen: int = 19_950, prepaid_fen: int = 20_000) -> FuelItem:
    the_order = order(state=OrderState.COMPLETED, prepaid_fen=prepaid_fen, transaction_id="tx-9")
    fill = transaction(id="tx-9", order_id=the_order.id, amount_fen=amount_fen, grade=the_order.grade)
    return FuelItem.from_order(the_order, fill)


def water(quantity: int = 1, unit_price_fen: int = 300) -> GoodsItem:
    return GoodsItem("sku-water", "农夫山泉 550ml", quantity, unit_price_fen)


def manager(reason: str = "顾客要求 / customer asked", role: str = "manager") -> Approval:
    return Approval("2001", "赵店长", role, reason, NOW + timedelta(minutes=5))


def draft(**changes: Any) -> Sale:
    fields: dict[str, Any] = {"sale_id": "sale-1", "staff_no": "1001", "created_at": NOW}
    return Sale(**{**fields, **changes})
