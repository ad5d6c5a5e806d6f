"""Pricing a counter sale: member tier prices and full-reduction coupons, each saving kept as its own line.

Rules (issue 4, DOMAIN.md):

* **One rounding rule.** A rate discount is rounded half up to the fen (``money.rate_discount``), applied
  once per discount: the tier discount is computed once on the goods subtotal, not per article, so a
  sale never loses or gains a fen to per-line rounding. Coupons are whole fen and need no rounding.
* **Tier prices** apply to shop goods (diamond 8.8折, gold 9.2折, silver 9.5折; ``Tier.mall_rate_per_mille``).
  **Fuel is sold at the pump price** by default: the pump's amount is what the customer saw, and the launch
  rules give members their fuel saving through coupons. A station that discounts fuel by tier says so in
  ``PricingRules.fuel_rate_by_tier``; that discount comes before coupons, which then test their minimum
  against the discounted fuel amount.
* **Coupons** are fuel coupons: they apply to fuel paid at the till (never to a mini-program order, which
  was priced and paid online), limited by grade, minimum amount and validity (``Coupon.applies_to``).
  One coupon per sale unless every coupon in the sale is stackable by its rule; a further stackable coupon
  must reach its own minimum on what the coupons before it left, so coupons never exceed the fuel amount.
* The **best coupon** for a member is the applicable one taking the most off; on a tie the one expiring
  first (use it before it is lost), then the lowest id, so the suggestion is stable.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from pos.domain.checks import optional_text, require_aware, require_int, require_text
from pos.domain.coupon import Coupon, RefusalCode
from pos.domain.errors import InvalidValue, PosError
from pos.domain.member import Member, Tier
from pos.domain.money import PER_MILLE, Money, rate_discount
from pos.domain.sale_lines import FuelItem, GoodsItem
from pos.domain.wire import format_rfc3339

# The PosError code for each reason Coupon.applies_to gives.
_REFUSAL_CODES = {
    RefusalCode.USED: "coupon_already_used",
    RefusalCode.VOID: "coupon_void",
    RefusalCode.NOT_YET_VALID: "coupon_not_yet_valid",
    RefusalCode.EXPIRED: "coupon_expired",
    RefusalCode.WRONG_GRADE: "coupon_grade_mismatch",
    RefusalCode.BELOW_THRESHOLD: "coupon_below_minimum",
}
COUPON_NOT_STACKABLE = "coupon_not_stackable"
COUPON_NO_FUEL = "coupon_no_fuel"  # no fuel paid at the till in this sale (goods only, or prepaid order)


class SavingKind(StrEnum):
    COUPON = "coupon"
    TIER = "tier"


@dataclass(frozen=True, slots=True)
class Saving:
    """One saving as the receipt and the sale body show it; a positive amount in fen."""

    kind: SavingKind
    label: str  # 满200减15, 黄金会员 9.2折
    amount_fen: int
    coupon_id: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.kind, SavingKind):
            raise InvalidValue(f"saving kind must be a SavingKind, got {self.kind!r}")
        require_text("saving label", self.label, max_length=80)
        require_int("saving amount_fen", self.amount_fen, minimum=1)
        optional_text("saving coupon_id", self.coupon_id, max_length=100)
        if (self.kind is SavingKind.COUPON) != (self.coupon_id is not None):
            raise InvalidValue("a coupon saving names its coupon, and only a coupon saving does")


@dataclass(frozen=True, slots=True)
class CouponUse:
    """Where and when a coupon was already spent, as the backend reports it (for the refusal message)."""

    where: str  # 城东站 前台2
    at: datetime

    def __post_init__(self) -> None:
        require_text("coupon use where", self.where, max_length=100)
        require_aware("coupon use at", self.at)


class CouponRefused(PosError):
    """A coupon that cannot be used on this sale; ``code`` is one of the ``coupon_*`` codes above."""

    def __init__(
        self, code: str, coupon: Coupon, message: str, detail: Mapping[str, Any] | None = None
    ) -> None:
        super().__init__(
            code,
            "优惠券不可用 / Coupon cannot be used",
            f"{coupon.title}: {message}",
            {"coupon_id": coupon.id, **(detail or {})},
        )

    @classmethod
    def already_used(cls, coupon: Coupon, use: CouponUse) -> CouponRefused:
        """Used at another till: the message says where and when (times as the station shows them)."""
        when = f"{use.at:%Y-%m-%d %H:%M}"
        return cls(
            "coupon_already_used",
            coupon,
            f"已于 {when} 在 {use.where} 使用 / already used at {use.where} on {when}",
            {"used_where": use.where, "used_at": format_rfc3339(use.at)},
        )


@dataclass(frozen=True, slots=True)
class AppliedCoupon:
    """A coupon chosen for the sale. ``stackable`` is the coupon rule's word (Coupon has no such field)."""

    coupon: Coupon
    stackable: bool = False


@dataclass(frozen=True, slots=True)
class PricingRules:
    """Station pricing choices. Default: tier prices on goods only, fuel at the pump price."""

    fuel_rate_by_tier: Mapping[Tier, int] = field(default_factory=lambda: MappingProxyType({}))

    def fuel_rate(self, tier: Tier) -> int:
        return self.fuel_rate_by_tier.get(tier, PER_MILLE)


DEFAULT_RULES = PricingRules()


@dataclass(frozen=True, slots=True)
class Pricing:
    """Subtotal, the savings in the order they were taken, and what is still to pay at the till."""

    subtotal_fen: int
    savings: tuple[Saving, ...]
    prepaid_fen: int  # the mini-program order's fuel, already paid online

    @property
    def discount_fen(self) -> int:
        return sum(saving.amount_fen for saving in self.savings)

    @property
    def total_fen(self) -> int:
        """Subtotal less savings: the sale's value, prepaid part included."""
        return self.subtotal_fen - self.discount_fen

    @property
    def due_at_till_fen(self) -> int:
        """What the cashier must collect: the total less what the mini program already took."""
        return self.total_fen - self.prepaid_fen


def rate_label(rate_per_mille: int) -> str:
    """``920`` -> ``9.2折``, ``880`` -> ``8.8折``, ``900`` -> ``9折``, ``925`` -> ``9.25折``."""
    whole, rest = divmod(rate_per_mille, 100)
    decimals = f"{rest:02d}".rstrip("0")
    return f"{whole}.{decimals}折" if decimals else f"{whole}折"


def price_sale(
    fuel: FuelItem | None,
    goods: Sequence[GoodsItem],
    member: Member | None,
    coupons: Sequence[AppliedCoupon],
    now: datetime,
    rules: PricingRules = DEFAULT_RULES,
) -> Pricing:
    """Price the sale at ``now``; CouponRefused for the first coupon that cannot be used."""
    require_aware("now", now)
    tier = Tier.REGULAR if member is None else member.effective_tier(now)
    savings: list[Saving] = []
    goods_fen = sum(item.amount_fen for item in goods)
    _add_tier_saving(savings, goods_fen, tier, tier.mall_rate_per_mille, "")
    fuel_left = 0
    if fuel is not None and not fuel.is_prepaid:
        fuel_tier = _add_tier_saving(savings, fuel.amount_fen, tier, rules.fuel_rate(tier), "油价")
        fuel_left = fuel.amount_fen - fuel_tier
    savings.extend(_coupon_savings(fuel, fuel_left, coupons, now))
    subtotal = goods_fen + (0 if fuel is None else fuel.amount_fen)
    prepaid = fuel.amount_fen if fuel is not None and fuel.is_prepaid else 0
    return Pricing(subtotal, tuple(savings), prepaid)


def _add_tier_saving(savings: list[Saving], amount_fen: int, tier: Tier, rate: int, what: str) -> int:
    taken = rate_discount(Money(amount_fen), rate).fen
    if taken:
        savings.append(Saving(SavingKind.TIER, f"{tier.label}会员{what} {rate_label(rate)}", taken))
    return taken


def _coupon_savings(
    fuel: FuelItem | None, fuel_left: int, coupons: Sequence[AppliedCoupon], now: datetime
) -> list[Saving]:
    savings: list[Saving] = []
    for index, chosen in enumerate(coupons):
        refusal = coupon_refusal(chosen, fuel, fuel_left, now, coupons[:index])
        if refusal is not None:
            raise refusal
        fuel_left -= chosen.coupon.reduction_fen
        savings.append(
            Saving(SavingKind.COUPON, chosen.coupon.title, chosen.coupon.reduction_fen, chosen.coupon.id)
        )
    return savings


def coupon_refusal(
    chosen: AppliedCoupon,
    fuel: FuelItem | None,
    fuel_left_fen: int,
    now: datetime,
    earlier: Sequence[AppliedCoupon] = (),
) -> CouponRefused | None:
    """Why ``chosen`` cannot join a sale that already holds ``earlier`` coupons (None: it can)."""
    coupon = chosen.coupon
    if any(prior.coupon.id == coupon.id for prior in earlier):
        return CouponRefused("coupon_already_used", coupon, "本单已使用 / already applied to this sale")
    if earlier and not (chosen.stackable and all(prior.stackable for prior in earlier)):
        return CouponRefused(
            COUPON_NOT_STACKABLE, coupon, "每单限用一张 / only one coupon per sale for this coupon"
        )
    if fuel is None or fuel.is_prepaid:
        return CouponRefused(
            COUPON_NO_FUEL, coupon, "本单没有在此付款的油品 / no fuel paid here in this sale"
        )
    refusal = coupon.applies_to(fuel.grade, fuel_left_fen, now)
    if refusal is None:
        return None
    return CouponRefused(
        _REFUSAL_CODES[refusal.code], coupon, refusal.message, {"reason": refusal.code.value}
    )


def best_coupon(
    coupons: Iterable[Coupon],
    fuel: FuelItem | None,
    member: Member | None,
    now: datetime,
    rules: PricingRules = DEFAULT_RULES,
) -> Coupon | None:
    """The member's coupon taking the most off this sale's fuel, or None when none applies."""
    if fuel is None or fuel.is_prepaid:
        return None
    tier = Tier.REGULAR if member is None else member.effective_tier(now)
    fuel_left = fuel.amount_fen - rate_discount(Money(fuel.amount_fen), rules.fuel_rate(tier)).fen
    ranked = sorted(coupons, key=lambda c: (-c.reduction_fen, c.valid_until, c.id))
    for coupon in ranked:
        if coupon.applies_to(fuel.grade, fuel_left, now) is None:
            return coupon
    return None
