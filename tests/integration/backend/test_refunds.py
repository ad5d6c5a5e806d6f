"""Refunds after completion (never above what was paid; wallet, coupons and points restored) and voids."""

from __future__ import annotations

import uuid
from typing import Any

from pos_backend.server import RunningBackend
from tests.integration.backend.conftest import TillClient, make_payable
from tests.integration.backend.counter_util import error_code, member_state, member_with_coupons, till_for
from tests.integration.backend.sales_util import batch, post_sale, sale_body


def _refund(till: TillClient, sale_id: str, amount: int, staff_no: str = "2001", **extra: Any) -> Any:
    body = {"refund_id": uuid.uuid4().hex, "staff_no": staff_no, "reason": "顾客退货", "amount_fen": amount}
    return till.post(f"/api/v1/sales/{sale_id}/refund", {**body, **extra}, staff=False)


def _member_sale(till: TillClient, member_id: str, coupon_id: str) -> dict[str, Any]:
    """¥300 of fuel less a ¥15 coupon, paid ¥100 from the wallet and ¥200 cash with ¥15 change."""
    discount = {"kind": "coupon", "description": "满200减15", "amount_fen": 1_500, "coupon_id": coupon_id}
    tenders = [{"method": "wallet", "amount_fen": 10_000}, {"method": "cash", "amount_fen": 20_000}]
    body = sale_body(30_000, member_id=member_id, discounts=[discount], tenders=tenders, change_fen=1_500)
    response = post_sale(till, body)
    assert response.status_code == 201, response.text
    assert response.json()["points_earned"] == 285
    return body


def test_refunds_never_exceed_what_was_paid_and_restore_the_member(
    backend: RunningBackend, till: TillClient
) -> None:
    member_id, coupons = member_with_coupons(backend, wallet_fen=50_000)
    coupon_id = coupons[0]
    wallet_before, points_before, _ = member_state(backend, member_id)
    sale = _member_sale(till, member_id, coupon_id)
    sale_id = sale["sale_id"]
    assert member_state(backend, member_id)[0] == wallet_before - 10_000
    too_much = _refund(till, sale_id, 28_501)
    assert too_much.status_code == 409 and error_code(too_much) == "refund_exceeds_paid"
    assert too_much.json()["error"]["detail"]["refundable_fen"] == 28_500
    not_taken = _refund(till, sale_id, 100, tenders=[{"method": "card", "amount_fen": 100}])
    assert not_taken.status_code == 409 and error_code(not_taken) == "refund_exceeds_paid"

    first = _refund(till, sale_id, 15_000)  # the last tender (cash, net of change) gives back first
    assert first.status_code == 201, first.text
    assert first.json()["parts"] == [{"method": "cash", "amount_fen": 15_000}]
    assert first.json()["points_taken_back"] == 150 and first.json()["coupons_restored"] == []
    wallet, points, states = member_state(backend, member_id)
    assert wallet == wallet_before - 10_000 and states[coupon_id] == "used"

    split = [{"method": "wallet", "amount_fen": 10_000}, {"method": "cash", "amount_fen": 3_500}]
    last = _refund(till, sale_id, 13_500, tenders=split)
    assert last.status_code == 201, last.text
    assert last.json()["wallet_restored_fen"] == 10_000 and last.json()["refundable_fen"] == 0
    assert last.json()["coupons_restored"] == [coupon_id]  # refunded in full: the coupon is back
    wallet, points_after, states = member_state(backend, member_id)
    assert wallet == wallet_before and states[coupon_id] == "available"
    assert points_after == points - 135 == points_before + 285 - 285

    nothing_left = _refund(till, sale_id, 1)
    assert nothing_left.status_code == 409 and nothing_left.json()["error"]["detail"]["refundable_fen"] == 0


def test_only_a_manager_refunds_and_a_refund_is_applied_once_through_batch(
    backend: RunningBackend, till: TillClient
) -> None:
    sale = sale_body(5_000)
    assert post_sale(till, sale).status_code == 201
    by_cashier = _refund(till, sale["sale_id"], 1_000, staff_no="1001")
    assert by_cashier.status_code == 403 and error_code(by_cashier) == "role_forbidden"
    path = f"/api/v1/sales/{sale['sale_id']}/refund"
    body = {"refund_id": "r-1", "staff_no": "2001", "reason": "多收", "amount_fen": 1_000}
    first = batch(till, [("refund-key-1", body)], path=path)
    again = batch(till, [("refund-key-1", body)], path=path)
    assert first[0]["status"] == 201 and again[0]["replayed"] and again[0]["body"] == first[0]["body"]
    other_key = batch(till, [("refund-key-2", body)], path=path)  # the same refund under another key
    assert other_key[0]["status"] == 409 and other_key[0]["body"]["error"]["code"] == "refund_duplicate"
    unknown = _refund(till, "no-such-sale", 100)
    assert unknown.status_code == 404


def test_a_manager_voids_a_locked_sale_with_a_reason(backend: RunningBackend, till: TillClient) -> None:
    txn_id = make_payable(backend, nozzle_number=2)
    manager = till_for(backend, "manager")
    unlocked = manager.post(f"/api/v1/transactions/{txn_id}/void", {"reason": "顾客离开"})
    assert unlocked.status_code == 409 and error_code(unlocked) == "transaction_not_locked"
    assert till.post(f"/api/v1/transactions/{txn_id}/lock").status_code == 200
    by_cashier = till.post(f"/api/v1/transactions/{txn_id}/void", {"reason": "x"})
    assert by_cashier.status_code == 403 and error_code(by_cashier) == "role_forbidden"
    voided = manager.post(f"/api/v1/transactions/{txn_id}/void", {"reason": "顾客离开"}, key="void-1")
    assert voided.status_code == 200, voided.text
    answer = voided.json()
    assert answer["transaction"]["state"] == "payable" and answer["transaction"]["locked_by"] is None
    assert answer["cashier_no"] == "1001" and answer["voided_by"] == "2001"
    replay = manager.post(f"/api/v1/transactions/{txn_id}/void", {"reason": "顾客离开"}, key="void-1")
    assert replay.json() == answer and replay.headers.get("Idempotent-Replayed") == "true"
    clear = till.post(f"/api/v1/transactions/{txn_id}/clear", {})  # this till no longer holds it
    assert clear.status_code == 409 and error_code(clear) == "transaction_not_locked"
