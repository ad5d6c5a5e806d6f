"""A counter sale (销售单): ``draft -> tendering -> completed``, voided before completion, refunded after.

State model (``_ALLOWED`` below is the whole of it)::

    draft      -> tendering (begin_tender), voided (void)
    tendering  -> completed (complete), draft (back_to_draft: tenders dropped), voided (void)
    completed  -> partly_refunded or refunded (refund)
    partly_refunded -> partly_refunded or refunded (refund)
    voided, refunded: final

Lines, member and coupons change only in draft; tenders only while tendering. The sale is priced at
``created_at`` (tier and coupon validity), so a coupon that lapses while the customer finds their phone
still applies. Void and refund need a manager's approval with a reason (``refund.Approval``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from pos.domain.checks import optional_aware, require_aware, require_int, require_member, require_text
from pos.domain.coupon import Coupon
from pos.domain.errors import IllegalTransition, InvalidValue
from pos.domain.member import Member
from pos.domain.pricing import DEFAULT_RULES, AppliedCoupon, Pricing, PricingRules, price_sale
from pos.domain.refund import Approval, Refund, plan_refund, refunded_by_method, require_manager
from pos.domain.sale_lines import FuelItem, GoodsItem
from pos.domain.tender import (
    Settlement,
    Tender,
    TenderMethod,
    check_not_over,
    check_wallet,
    points_for,
    settle,
)
from pos.domain.wire import format_rfc3339


class SaleState(StrEnum):
    DRAFT = "draft"
    TENDERING = "tendering"
    COMPLETED = "completed"
    VOIDED = "voided"
    PARTLY_REFUNDED = "partly_refunded"
    REFUNDED = "refunded"

    @property
    def is_settled(self) -> bool:
        """Money was taken (and perhaps partly or wholly given back)."""
        return self in _SETTLED


_SETTLED = frozenset({SaleState.COMPLETED, SaleState.PARTLY_REFUNDED, SaleState.REFUNDED})
_S = SaleState
_ALLOWED: dict[SaleState, frozenset[SaleState]] = {
    _S.DRAFT: frozenset({_S.TENDERING, _S.VOIDED}),
    _S.TENDERING: frozenset({_S.COMPLETED, _S.DRAFT, _S.VOIDED}),
    _S.COMPLETED: frozenset({_S.PARTLY_REFUNDED, _S.REFUNDED}),
    _S.PARTLY_REFUNDED: frozenset({_S.PARTLY_REFUNDED, _S.REFUNDED}),
    _S.VOIDED: frozenset(),
    _S.REFUNDED: frozenset(),
}


def can_transition(current: SaleState, target: SaleState) -> bool:
    return target in _ALLOWED[current]


def check_transition(current: SaleState, target: SaleState) -> SaleState:
    if not can_transition(current, target):
        raise IllegalTransition("sale", current.value, target.value)
    return target


@dataclass(frozen=True, slots=True)
class Sale:
    sale_id: str
    staff_no: str
    created_at: datetime
    fuel: FuelItem | None = None
    goods: tuple[GoodsItem, ...] = ()
    member: Member | None = None
    coupons: tuple[AppliedCoupon, ...] = ()
    state: SaleState = SaleState.DRAFT
    tenders: tuple[Tender, ...] = ()  # till tenders; the mini-program prepayment is implied by the fuel
    change_fen: int = 0
    completed_at: datetime | None = None
    voided: Approval | None = None
    refunds: tuple[Refund, ...] = ()
    rules: PricingRules = DEFAULT_RULES
    pricing: Pricing = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        require_text("sale id", self.sale_id, max_length=64)
        require_text("sale staff_no", self.staff_no, max_length=16)
        require_aware("sale created_at", self.created_at)
        require_member("sale state", self.state, SaleState)
        require_int("sale change_fen", self.change_fen)
        optional_aware("sale completed_at", self.completed_at)
        for name in ("goods", "coupons", "tenders", "refunds"):
            if not isinstance(getattr(self, name), tuple):
                raise InvalidValue(f"sale {name} must be a tuple")
        if (self.completed_at is not None) != self.state.is_settled:
            raise InvalidValue(f"sale {self.sale_id}: completed_at is set exactly once it is completed")
        if (self.voided is not None) != (self.state is _S.VOIDED):
            raise InvalidValue(f"sale {self.sale_id}: a void approval exactly when voided")
        pricing = price_sale(self.fuel, self.goods, self.member, self.coupons, self.created_at, self.rules)
        object.__setattr__(self, "pricing", pricing)
        if self.state.is_settled:
            self._check_settled()

    def _check_settled(self) -> None:
        """A settled sale rebuilt from storage must still add up: tenders less change equal the amount due."""
        settlement = self.settlement
        if settlement.paid_fen - self.change_fen != self.due_fen or self.change_fen > settlement.cash_fen:
            raise InvalidValue(
                f"sale {self.sale_id}: tenders {settlement.paid_fen} less change {self.change_fen} "
                f"do not settle {self.due_fen} fen due"
            )
        if self.refunded_fen > self.due_fen:
            raise InvalidValue(f"sale {self.sale_id}: refunds exceed what was paid")

    @classmethod
    def start(cls, sale_id: str, staff_no: str, now: datetime, rules: PricingRules = DEFAULT_RULES) -> Sale:
        return cls(sale_id, staff_no, now, rules=rules)

    # ---- building the sale (draft only) ----

    def _edit(self, what: str, **changes: Any) -> Sale:
        if self.state is not _S.DRAFT:
            raise IllegalTransition("sale", self.state.value, what)
        return replace(self, **changes)

    def with_fuel(self, item: FuelItem | None) -> Sale:
        return self._edit("fuel changed", fuel=item)

    def add_goods(self, item: GoodsItem) -> Sale:
        return self._edit("goods added", goods=(*self.goods, item))

    def remove_goods(self, sku: str) -> Sale:
        return self._edit("goods removed", goods=tuple(g for g in self.goods if g.sku != sku))

    def attach_member(self, member: Member | None) -> Sale:
        """Attach (or, with None, detach) a member; detaching drops their coupons too."""
        return self._edit("member", member=member, coupons=self.coupons if member is not None else ())

    def apply_coupon(self, coupon: Coupon, stackable: bool = False) -> Sale:
        """Add a coupon; CouponRefused (sale unchanged) when it cannot be used on this sale."""
        return self._edit("coupon added", coupons=(*self.coupons, AppliedCoupon(coupon, stackable)))

    def remove_coupon(self, coupon_id: str) -> Sale:
        return self._edit(
            "coupon removed", coupons=tuple(c for c in self.coupons if c.coupon.id != coupon_id)
        )

    # ---- tendering ----

    @property
    def due_fen(self) -> int:
        """What the till must collect (the mini-program prepayment excluded)."""
        return self.pricing.due_at_till_fen

    @property
    def tendered_fen(self) -> int:
        return sum(t.amount_fen for t in self.tenders)

    @property
    def remaining_fen(self) -> int:
        return max(0, self.due_fen - self.tendered_fen)

    @property
    def wallet_balance_fen(self) -> int | None:
        return None if self.member is None else self.member.wallet_fen

    def begin_tender(self) -> Sale:
        if self.fuel is None and not self.goods:
            raise InvalidValue("a sale needs fuel or goods before it can be paid")
        return replace(self, state=check_transition(self.state, _S.TENDERING))

    def add_tender(self, tender: Tender) -> Sale:
        """Take one tender of a split; refused if card/QR/wallet would pass the amount or the balance."""
        if self.state is not _S.TENDERING:
            raise IllegalTransition("sale", self.state.value, "tender added")
        tenders = (*self.tenders, tender)
        check_not_over(self.due_fen, tenders)
        check_wallet(tenders, self.wallet_balance_fen)
        return replace(self, tenders=tenders)

    def back_to_draft(self) -> Sale:
        """Leave tendering (the customer wants to change something); the tenders taken so far are dropped."""
        return replace(self, state=check_transition(self.state, _S.DRAFT), tenders=())

    def complete(self, now: datetime) -> Sale:
        """Close the sale once the tenders cover the amount due exactly (TenderRefused otherwise)."""
        check_transition(self.state, _S.COMPLETED)
        settlement = settle(self.due_fen, self.tenders, self.wallet_balance_fen)
        return replace(
            self, state=_S.COMPLETED, change_fen=settlement.change_fen, completed_at=require_aware("now", now)
        )

    @property
    def settlement(self) -> Settlement:
        return Settlement(self.due_fen, self.tenders, self.change_fen)

    def taken_by_method(self) -> dict[TenderMethod, int]:
        """What each method took for this sale (cash net of change), the mini-program prepayment first."""
        taken = {TenderMethod.MINI_PROGRAM: self.pricing.prepaid_fen} if self.pricing.prepaid_fen else {}
        return {**taken, **self.settlement.net_by_method()}

    # ---- void and refund ----

    def void(self, approval: Approval) -> Sale:
        check_transition(self.state, _S.VOIDED)
        return replace(self, state=_S.VOIDED, tenders=(), voided=require_manager(approval, "作废 void"))

    @property
    def refunded_fen(self) -> int:
        return sum(refund.amount_fen for refund in self.refunds)

    @property
    def refundable_fen(self) -> int:
        return self.due_fen - self.refunded_fen if self.state.is_settled else 0

    def refund(self, refund_id: str, amount_fen: int, approval: Approval) -> Sale:
        """Give back ``amount_fen`` (part or all of what was paid at the till) to the tenders that paid it."""
        check_transition(self.state, _S.REFUNDED)
        require_manager(approval, "退款 refund")
        parts = plan_refund(self.taken_by_method(), refunded_by_method(self.refunds), amount_fen)
        refunds = (*self.refunds, Refund(refund_id, approval, parts))
        state = _S.REFUNDED if sum(r.amount_fen for r in refunds) == self.due_fen else _S.PARTLY_REFUNDED
        return replace(self, state=state, refunds=refunds)

    # ---- points and the wire ----

    @property
    def points_earned(self) -> int:
        """Points for the member: 1 per whole yuan paid at the till (none without a member)."""
        return 0 if self.member is None or not self.state.is_settled else points_for(self.due_fen)

    @property
    def points_kept(self) -> int:
        """Points the member keeps after refunds (the rule applied to what was finally paid)."""
        if self.member is None or not self.state.is_settled:
            return 0
        return points_for(self.due_fen - self.refunded_fen)

    @property
    def has_till_payment(self) -> bool:
        """False for a sale that only completes a prepaid order: nothing to send to POST /sales."""
        return bool(self.goods) or (self.fuel is not None and not self.fuel.is_prepaid)

    def to_sale_body(self) -> dict[str, Any]:
        """The JSON body of ``POST /api/v1/sales``: what was collected at the till for a completed sale.

        A prepaid order's fuel is left out of lines and tenders (the backend settled it when the fill
        ended); the body names the order in ``order_id``. total = lines - discounts = tenders - change.
        """
        if not self.state.is_settled:
            raise IllegalTransition("sale", self.state.value, "sent")
        if not self.has_till_payment:
            raise InvalidValue(f"sale {self.sale_id} took no money at the till: nothing to send")
        fuel = self.fuel
        return {
            "sale_id": self.sale_id,
            "staff_no": self.staff_no,
            "created_at": format_rfc3339(self.created_at),
            "transaction_id": None if fuel is None or fuel.is_prepaid else fuel.transaction_id,
            "order_id": None if fuel is None else fuel.order_id,
            "member_id": None if self.member is None else self.member.id,
            "lines": self._body_lines(),
            "discounts": [
                {
                    "kind": s.kind.value,
                    "description": s.label,
                    "amount_fen": s.amount_fen,
                    "coupon_id": s.coupon_id,
                }
                for s in self.pricing.savings
            ],
            "tenders": [{"method": t.method.value, "amount_fen": t.amount_fen} for t in self.tenders],
            "total_fen": self.due_fen,
            "change_fen": self.change_fen,
        }

    def _body_lines(self) -> list[dict[str, Any]]:
        lines: list[dict[str, Any]] = []
        if self.fuel is not None and not self.fuel.is_prepaid:
            fuel = self.fuel
            lines.append(
                {
                    "kind": "fuel",
                    "description": fuel.description,
                    "quantity_ml": fuel.volume_ml,
                    "amount_fen": fuel.amount_fen,
                }
            )
        for item in self.goods:
            lines.append(
                {
                    "kind": "goods",
                    "description": item.description,
                    "quantity_ml": None,
                    "amount_fen": item.amount_fen,
                }
            )
        return lines
