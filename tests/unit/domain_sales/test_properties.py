"""Property tests: whatever the fill, goods, member, coupons and split, the sums hold to the fen."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from pos.domain.coupon import Coupon
from pos.domain.errors import PosError
from pos.domain.grade import GradeCode
from pos.domain.member import InsufficientBalance, Member, Tier
from pos.domain.money import Money, allocate
from pos.domain.pricing import AppliedCoupon, price_sale
from pos.domain.sale import SaleState
from pos.domain.sale_lines import FuelItem, GoodsItem
from pos.domain.tender import Tender, TenderMethod, TenderRefused, settle
from tests.unit.domain.factories import T0, member
from tests.unit.domain_sales.helpers import NOW, draft, manager

FAST = settings(max_examples=200, deadline=None)
NON_CASH = [TenderMethod.CARD, TenderMethod.WECHAT, TenderMethod.ALIPAY, TenderMethod.WALLET]

grades = st.sampled_from(list(GradeCode))
fuels = st.builds(
    FuelItem,
    nozzle_number=st.integers(1, 16),
    grade=grades,
    volume_ml=st.integers(1, 200_000),
    unit_price_fen=st.integers(600, 950),
    amount_fen=st.integers(1, 200_000),
    transaction_id=st.just("tx-1"),
)
goods_items = st.builds(
    GoodsItem,
    sku=st.sampled_from(["a", "b", "c"]),
    name=st.just("商品"),
    quantity=st.integers(1, 12),
    unit_price_fen=st.integers(1, 20_000),
)
tiers = st.sampled_from(list(Tier))


@st.composite
def coupons(draw: st.DrawFn) -> Coupon:
    threshold = draw(st.integers(1, 100_000))
    return Coupon(
        id=f"c-{draw(st.integers(0, 3))}",
        title="满减",
        threshold_fen=threshold,
        reduction_fen=draw(st.integers(1, threshold)),
        grades=frozenset(draw(st.sets(grades, max_size=2))),
        valid_from=T0,
        valid_until=T0 + timedelta(days=draw(st.integers(0, 2)), hours=1),
    )


def buyer(tier: Tier) -> Member:
    return member(tier=tier, tier_expires_at=None if tier is Tier.REGULAR else T0 + timedelta(days=90))


@FAST
@given(
    fuel=st.none() | fuels,
    goods=st.lists(goods_items, max_size=4),
    tier=tiers,
    chosen=st.lists(st.tuples(coupons(), st.booleans()), max_size=3),
)
def test_discounts_never_exceed_the_amount(
    fuel: FuelItem | None, goods: list[GoodsItem], tier: Tier, chosen: list[tuple[Coupon, bool]]
) -> None:
    applied = [AppliedCoupon(coupon, stackable) for coupon, stackable in chosen]
    try:
        pricing = price_sale(fuel, goods, buyer(tier), applied, NOW)
    except PosError:
        return
    assert 0 <= pricing.discount_fen <= pricing.subtotal_fen
    fuel_fen = 0 if fuel is None else fuel.amount_fen
    coupon_fen = sum(s.amount_fen for s in pricing.savings if s.coupon_id)
    assert coupon_fen <= fuel_fen  # coupons only ever take off fuel
    assert pricing.due_at_till_fen >= 0


@st.composite
def splits(draw: st.DrawFn) -> tuple[int, list[Tender]]:
    """An amount due and a split of it over random methods; cash (if any) may give more than its share."""
    due = draw(st.integers(1, 10**7))
    methods = draw(st.lists(st.sampled_from([TenderMethod.CASH, *NON_CASH]), min_size=1, max_size=5))
    shares = allocate(
        Money(due), draw(st.lists(st.integers(1, 100), min_size=len(methods), max_size=len(methods)))
    )
    tenders = []
    for method, share in zip(methods, shares, strict=True):
        extra = draw(st.integers(0, 10_000)) if method is TenderMethod.CASH else 0
        if share.fen + extra:
            tenders.append(Tender(method, share.fen + extra))
    return due, tenders


@FAST
@given(split=splits())
def test_splits_sum_exactly_and_change_comes_only_from_cash(split: tuple[int, list[Tender]]) -> None:
    due, tenders = split
    settlement = settle(due, tenders, wallet_balance_fen=10**8)
    assert settlement.paid_fen - settlement.change_fen == due
    assert 0 <= settlement.change_fen <= settlement.cash_fen
    assert sum(settlement.net_by_method().values()) == due
    assert all(fen > 0 for fen in settlement.net_by_method().values())


@FAST
@given(
    due=st.integers(0, 10**6),
    amounts=st.lists(st.tuples(st.sampled_from(list(TenderMethod)[:5]), st.integers(1, 10**6)), max_size=4),
)
def test_any_tenders_either_settle_exactly_or_are_refused(
    due: int, amounts: list[tuple[TenderMethod, int]]
) -> None:
    tenders = [Tender(method, fen) for method, fen in amounts]
    try:
        settlement = settle(due, tenders, wallet_balance_fen=500_000)
    except (TenderRefused, InsufficientBalance):
        paid = sum(fen for _, fen in amounts)
        non_cash = sum(fen for method, fen in amounts if method is not TenderMethod.CASH)
        wallet = sum(fen for method, fen in amounts if method is TenderMethod.WALLET)
        assert paid < due or non_cash > due or wallet > 500_000
        return
    assert settlement.paid_fen - settlement.change_fen == due
    assert 0 <= settlement.change_fen <= settlement.cash_fen


@FAST
@given(
    fuel=fuels,
    goods=st.lists(goods_items, max_size=3),
    split=st.lists(st.integers(1, 100), min_size=1, max_size=4),
    methods=st.lists(st.sampled_from([TenderMethod.CASH, *NON_CASH]), min_size=4, max_size=4),
    refunds=st.lists(st.integers(1, 300_000), max_size=5),
)
def test_refunds_never_exceed_what_was_paid(
    fuel: FuelItem, goods: list[GoodsItem], split: list[int], methods: list[TenderMethod], refunds: list[int]
) -> None:
    sale = draft(member=member(wallet_fen=10**8)).with_fuel(fuel)
    for item in goods:
        sale = sale.add_goods(item)
    sale = sale.begin_tender()
    for method, share in zip(methods, allocate(Money(sale.due_fen), split), strict=False):
        if share.fen:
            sale = sale.add_tender(Tender(method, share.fen))
    sale = sale.complete(NOW)
    paid_by_method = sale.taken_by_method()
    for number, wanted in enumerate(refunds):
        if sale.state is SaleState.REFUNDED:
            break
        try:
            sale = sale.refund(f"r-{number}", wanted, manager())
        except PosError as refused:
            assert refused.code == "refund_exceeds_paid"
            assert wanted > sale.refundable_fen
    assert sale.refunded_fen <= sale.due_fen
    given_back: dict[TenderMethod, int] = {}
    for refund in sale.refunds:
        for part in refund.parts:
            given_back[part.method] = given_back.get(part.method, 0) + part.amount_fen
    assert all(fen <= paid_by_method[method] for method, fen in given_back.items())
    assert sale.points_kept <= sale.points_earned
