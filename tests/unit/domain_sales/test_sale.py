from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

import pytest

from pos.domain.errors import IllegalTransition, InvalidValue, PosError
from pos.domain.pricing import CouponRefused
from pos.domain.receipt import ReceiptHeader, TenderKind
from pos.domain.sale import Sale, SaleState, can_transition
from pos.domain.sale_receipt import fuel_sale_receipt
from pos.domain.tender import Tender, TenderMethod
from pos_backend.schemas_sales import SaleIn  # the reference backend's own model of the sale body
from tests.unit.domain.factories import member
from tests.unit.domain_sales.helpers import NOW, coupon, draft, fuel, manager, prepaid_fuel, water

CASH, CARD, WECHAT, WALLET = TenderMethod.CASH, TenderMethod.CARD, TenderMethod.WECHAT, TenderMethod.WALLET
DONE = NOW + timedelta(minutes=2)
HEADER = ReceiptHeader("城东加油站", "前台1", "张三", DONE)


def paid_sale(*tenders: Tender) -> Sale:
    """29,680 fuel + 600 water, gold member (water at 9.2折 = 552), 满200减15: 28,732 due."""
    sale = draft().with_fuel(fuel(29_680)).add_goods(water(2)).attach_member(member()).apply_coupon(coupon())
    sale = sale.begin_tender()
    for tender in tenders:
        sale = sale.add_tender(tender)
    return sale.complete(DONE)


def test_a_cash_sale_with_member_and_coupon() -> None:
    sale = paid_sale(Tender(CASH, 30_000))
    assert sale.due_fen == 29_680 + 600 - 48 - 1_500
    assert sale.state is SaleState.COMPLETED
    assert sale.change_fen == 30_000 - 28_732
    assert sale.completed_at == DONE
    assert sale.settlement.opens_drawer
    assert sale.points_earned == 287


def test_sale_body_matches_the_contract() -> None:
    sale = paid_sale(Tender(WECHAT, 20_000, "4200001234567890"), Tender(CASH, 10_000))
    assert sale.to_sale_body() == {
        "sale_id": "sale-1",
        "staff_no": "1001",
        "created_at": "2026-11-21T07:00:00.000+00:00",
        "transaction_id": "tx-1",
        "order_id": None,
        "member_id": "m-1",
        "lines": [
            {"kind": "fuel", "description": "3号油枪 92#汽油", "quantity_ml": 40_000, "amount_fen": 29_680},
            {"kind": "goods", "description": "农夫山泉 550ml ×2", "quantity_ml": None, "amount_fen": 600},
        ],
        "discounts": [
            {"kind": "tier", "description": "黄金会员 9.2折", "amount_fen": 48, "coupon_id": None},
            {"kind": "coupon", "description": "满200减15", "amount_fen": 1_500, "coupon_id": "c-1"},
        ],
        "tenders": [{"method": "wechat", "amount_fen": 20_000}, {"method": "cash", "amount_fen": 10_000}],
        "total_fen": 28_732,
        "change_fen": 1_268,
    }


def test_sale_body_obeys_the_backend_sums() -> None:
    body = paid_sale(Tender(CARD, 8_000), Tender(CASH, 25_000)).to_sale_body()
    lines = sum(line["amount_fen"] for line in body["lines"])
    discounts = sum(d["amount_fen"] for d in body["discounts"])
    tendered = sum(t["amount_fen"] for t in body["tenders"])
    assert body["total_fen"] == lines - discounts == tendered - body["change_fen"]


def test_prepaid_order_with_goods_sends_only_what_the_till_took() -> None:
    sale = draft().with_fuel(prepaid_fuel(19_950)).add_goods(water()).begin_tender()
    sale = sale.add_tender(Tender(CASH, 500)).complete(DONE)
    body = sale.to_sale_body()
    assert body["order_id"] == "ord-1"
    assert body["transaction_id"] is None
    assert [line["kind"] for line in body["lines"]] == ["goods"]
    assert (body["total_fen"], body["change_fen"]) == (300, 200)
    assert sale.taken_by_method() == {TenderMethod.MINI_PROGRAM: 19_950, CASH: 300}


def test_an_order_only_sale_completes_without_tenders_and_has_nothing_to_send() -> None:
    sale = draft().with_fuel(prepaid_fuel()).begin_tender().complete(DONE)
    assert sale.state is SaleState.COMPLETED
    assert not sale.has_till_payment
    with pytest.raises(InvalidValue):
        sale.to_sale_body()
    receipt = fuel_sale_receipt(sale, HEADER)
    assert [(t.kind, t.amount_fen, t.reference) for t in receipt.tenders] == [
        (TenderKind.WECHAT, 19_950, "小程序预付")
    ]


def test_cash_below_due_is_refused_and_the_sale_stays_tendering() -> None:
    sale = draft().with_fuel(fuel(29_680)).begin_tender().add_tender(Tender(CASH, 20_000))
    with pytest.raises(PosError) as refused:
        sale.complete(DONE)
    assert refused.value.code == "cash_insufficient"
    assert sale.state is SaleState.TENDERING
    assert sale.remaining_fen == 9_680


def test_a_split_tender_cannot_pass_the_amount_on_a_card() -> None:
    sale = draft().with_fuel(fuel(29_680)).begin_tender().add_tender(Tender(CASH, 20_000))
    with pytest.raises(PosError) as refused:
        sale.add_tender(Tender(CARD, 29_681))
    assert refused.value.code == "tender_exceeds_due"
    assert sale.add_tender(Tender(CARD, 9_680)).complete(DONE).change_fen == 0


def test_wallet_is_limited_by_the_members_balance() -> None:
    sale = draft().with_fuel(fuel(29_680)).attach_member(member(wallet_fen=10_000)).begin_tender()
    with pytest.raises(PosError) as refused:
        sale.add_tender(Tender(WALLET, 10_001))
    assert refused.value.code == "wallet_insufficient"
    done = sale.add_tender(Tender(WALLET, 10_000)).add_tender(Tender(CARD, 19_680)).complete(DONE)
    receipt = fuel_sale_receipt(done, HEADER)
    assert receipt.member is not None
    assert receipt.member.wallet_balance_fen == 0
    assert receipt.member.masked_id == "138****5678"


def test_wallet_needs_a_member() -> None:
    with pytest.raises(PosError) as refused:
        draft().with_fuel(fuel()).begin_tender().add_tender(Tender(WALLET, 100))
    assert refused.value.code == "wallet_needs_member"


def test_a_refused_coupon_leaves_the_sale_unchanged() -> None:
    sale = draft().with_fuel(fuel(15_000))
    with pytest.raises(CouponRefused):
        sale.apply_coupon(coupon())
    assert sale.coupons == ()


def test_lines_change_only_in_draft() -> None:
    tendering = draft().with_fuel(fuel()).begin_tender()
    changes: list[Callable[[Sale], Sale]] = [
        lambda s: s.add_goods(water()),
        lambda s: s.apply_coupon(coupon()),
        lambda s: s.attach_member(member()),
        lambda s: s.begin_tender(),
        lambda s: s.void(manager()).with_fuel(None),
    ]
    for change in changes:
        with pytest.raises(IllegalTransition):
            change(tendering)
    back = tendering.add_tender(Tender(CASH, 100)).back_to_draft()
    assert back.state is SaleState.DRAFT and back.tenders == ()


def test_an_empty_sale_cannot_be_paid() -> None:
    with pytest.raises(InvalidValue):
        draft().begin_tender()


def test_detaching_the_member_drops_their_coupons() -> None:
    sale = draft().with_fuel(fuel(29_680)).attach_member(member()).apply_coupon(coupon())
    assert sale.attach_member(None).coupons == ()


def test_void_before_completion_needs_a_manager_and_a_reason() -> None:
    tendering = draft().with_fuel(fuel()).begin_tender()
    with pytest.raises(PosError) as refused:
        tendering.void(manager(role="cashier"))
    assert refused.value.code == "manager_required"
    with pytest.raises(InvalidValue):
        manager(reason="  ")
    voided = tendering.void(manager("顾客离开 / customer left"))
    assert voided.state is SaleState.VOIDED
    assert voided.voided is not None and voided.voided.staff_no == "2001"
    with pytest.raises(IllegalTransition):
        paid_sale(Tender(CASH, 30_000)).void(manager())


def test_partial_then_full_refund_back_to_the_tenders_last_first() -> None:
    sale = paid_sale(Tender(CARD, 20_000), Tender(CASH, 10_000))  # cash net 8,732
    partly = sale.refund("r-1", 5_000, manager())
    assert partly.state is SaleState.PARTLY_REFUNDED
    assert [(p.method, p.amount_fen) for p in partly.refunds[0].parts] == [(CASH, 5_000)]
    with pytest.raises(PosError) as refused:
        partly.refund("r-2", 23_733, manager())
    assert refused.value.code == "refund_exceeds_paid"
    full = partly.refund("r-2", 23_732, manager())
    assert full.state is SaleState.REFUNDED
    assert [(p.method, p.amount_fen) for p in full.refunds[1].parts] == [(CASH, 3_732), (CARD, 20_000)]
    assert full.refundable_fen == 0
    assert full.points_kept == 0
    with pytest.raises(IllegalTransition):
        full.refund("r-3", 1, manager())


def test_refund_needs_a_manager_and_a_completed_sale() -> None:
    with pytest.raises(PosError, match="manager"):
        paid_sale(Tender(CASH, 30_000)).refund("r-1", 100, manager(role="cashier"))
    with pytest.raises(IllegalTransition):
        draft().with_fuel(fuel()).refund("r-1", 100, manager())


def test_receipt_shows_each_saving_tender_change_and_points() -> None:
    sale = paid_sale(Tender(WECHAT, 20_000, "4200001234567890"), Tender(CASH, 10_000))
    receipt = fuel_sale_receipt(sale, HEADER)
    assert [(d.label, d.amount_fen) for d in receipt.discounts] == [
        ("黄金会员 9.2折", 48),
        ("满200减15", 1_500),
    ]
    assert receipt.due_fen == sale.due_fen
    assert receipt.change_fen == sale.change_fen == 1_268
    assert [(t.kind, t.reference) for t in receipt.tenders] == [
        (TenderKind.WECHAT, "尾号7890"),
        (TenderKind.CASH, None),
    ]
    assert receipt.fuel[0].grade == "92#汽油"
    assert receipt.goods[0].detail == "2 × ¥3.00"
    assert receipt.member is not None
    assert (receipt.member.points_earned, receipt.member.points_balance) == (287, 1_200 + 287)
    with pytest.raises(IllegalTransition):
        fuel_sale_receipt(draft().with_fuel(fuel()), HEADER)


def test_a_settled_sale_that_does_not_add_up_is_refused() -> None:
    sale = paid_sale(Tender(CASH, 30_000))
    with pytest.raises(InvalidValue, match="do not settle"):
        replace(sale, change_fen=0)
    with pytest.raises(InvalidValue, match="do not settle"):
        replace(sale, tenders=(Tender(CARD, 30_000),))


@pytest.mark.parametrize(
    "sale",
    [
        paid_sale(Tender(WECHAT, 20_000, "4200001234567890"), Tender(CASH, 10_000)),
        paid_sale(Tender(CARD, 28_732)),
        draft()
        .with_fuel(prepaid_fuel())
        .add_goods(water(3))
        .begin_tender()
        .add_tender(Tender(CASH, 900))
        .complete(DONE),
        draft()
        .add_goods(water())
        .attach_member(member())
        .begin_tender()
        .add_tender(Tender(WALLET, 276))
        .complete(DONE),
    ],
    ids=["split-with-change", "card", "order-and-goods", "goods-on-wallet"],
)
def test_sale_body_is_accepted_by_the_backend_schema(sale: Sale) -> None:
    parsed = SaleIn.model_validate(sale.to_sale_body())
    assert parsed.total_fen == sale.due_fen
    assert parsed.model_dump(mode="json") == sale.to_sale_body()


ALLOWED_MOVES = {
    ("draft", "tendering"),
    ("draft", "voided"),
    ("tendering", "completed"),
    ("tendering", "draft"),
    ("tendering", "voided"),
    ("completed", "partly_refunded"),
    ("completed", "refunded"),
    ("partly_refunded", "partly_refunded"),
    ("partly_refunded", "refunded"),
}


@pytest.mark.parametrize("current", list(SaleState))
@pytest.mark.parametrize("target", list(SaleState))
def test_sale_state_model(current: SaleState, target: SaleState) -> None:
    assert can_transition(current, target) is ((current.value, target.value) in ALLOWED_MOVES)
