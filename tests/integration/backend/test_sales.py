"""POST /sales and GET /sales over real HTTP: rules, staff, settling fills, duplicates."""

from __future__ import annotations

from datetime import timedelta

from pos_backend.clock import utc_now
from pos_backend.models import PumpTransaction
from pos_backend.server import RunningBackend
from tests.integration.backend.conftest import TillClient, make_payable
from tests.integration.backend.sales_util import post_sale, recorded_sales, sale_body
from tests.integration.backend.test_auth_and_errors import assert_error
from tests.integration.backend.test_transactions import events_about


def test_sale_is_recorded_once_and_listed_as_sent(backend: RunningBackend, till: TillClient) -> None:
    body = sale_body(tenders=[{"method": "cash", "amount_fen": 30_000}], change_fen=30_000 - 22_370)
    first = post_sale(till, body, key="sale-1")
    assert first.status_code == 201, first.text
    accepted = first.json()
    assert accepted["sale_id"] == body["sale_id"] and accepted["points_earned"] == 0
    assert accepted["accepted_seq"] >= 1 and "+00:00" in accepted["accepted_at"]
    again = post_sale(till, body, key="sale-1")
    assert (again.status_code, again.json()) == (201, accepted)
    assert again.headers.get("Idempotent-Replayed") == "true"
    [listed] = recorded_sales(till, till_id=till.till_id)
    assert listed == {
        **body,
        "accepted_seq": accepted["accepted_seq"],
        "accepted_at": accepted["accepted_at"],
        "till_id": till.till_id,
    }
    assert recorded_sales(till, after_seq=accepted["accepted_seq"]) == []
    events = till.get("/api/v1/station/events", after=0, limit=1000).json()["events"]
    recorded = [e for e in events if e["type"] == "sale.recorded"]
    assert [e["data"]["sale_id"] for e in recorded] == [body["sale_id"]]


def test_sales_that_do_not_add_up_are_refused(backend: RunningBackend, till: TillClient) -> None:
    wrong_total = {**sale_body(), "total_fen": 100}
    short_tender = sale_body(tenders=[{"method": "card", "amount_fen": 20_000}])
    change_by_card = sale_body(tenders=[{"method": "card", "amount_fen": 23_000}], change_fen=630)
    change_over_cash = sale_body(
        tenders=[{"method": "card", "amount_fen": 22_800}, {"method": "cash", "amount_fen": 200}],
        change_fen=630,
    )
    wallet_no_member = sale_body(tenders=[{"method": "wallet", "amount_fen": 22_370}])
    too_much_off = {
        **sale_body(1_000, discounts=[{"kind": "tier", "description": "会员价", "amount_fen": 2_000}]),
        "total_fen": 0,
        "tenders": [{"method": "cash", "amount_fen": 0}],
    }
    cases = [
        (wrong_total, "total_mismatch"),
        (short_tender, "tender_mismatch"),
        (change_by_card, "change_without_cash"),
        (change_over_cash, "change_without_cash"),
        (wallet_no_member, "wallet_without_member"),
        (too_much_off, "discount_too_large"),
    ]
    for body, error_type in cases:
        error = assert_error(post_sale(till, body), 422, "sale_invalid")
        assert error_type in {e["type"] for e in error["detail"]["errors"]}, (error_type, error)
    fractional = sale_body()
    fractional["lines"][0]["amount_fen"] = 22_370.5
    assert_error(post_sale(till, fractional), 422, "validation_failed")
    assert recorded_sales(till) == []


def test_sale_needs_a_real_selling_staff_member(backend: RunningBackend, till: TillClient) -> None:
    assert_error(post_sale(till, sale_body(staff_no="7777")), 422, "staff_unknown")
    assert_error(post_sale(till, sale_body(staff_no="3001")), 403, "role_forbidden")  # attendant
    # no staff session needed (outbox replays outlive sessions); a live one sent along must match
    assert post_sale(till, sale_body(staff_no="2001")).status_code == 201
    assert_error(post_sale(till, sale_body(staff_no="1002"), staff=True), 403, "staff_mismatch")
    assert post_sale(till, sale_body(staff_no="1001"), staff=True).status_code == 201
    assert len(recorded_sales(till)) == 2


def test_same_sale_under_another_key_is_a_duplicate(backend: RunningBackend, till: TillClient) -> None:
    body = sale_body()
    seq = post_sale(till, body, key="dup-1").json()["accepted_seq"]
    error = assert_error(post_sale(till, body, key="dup-2"), 409, "sale_duplicate")
    assert error["detail"] == {"sale_id": body["sale_id"], "accepted_seq": seq}
    assert len(recorded_sales(till)) == 1


def test_sale_settles_a_payable_fill(backend: RunningBackend, till: TillClient) -> None:
    txn_id = make_payable(backend, nozzle_number=1)
    answer = post_sale(till, sale_body(transaction_id=txn_id))
    assert answer.status_code == 201, answer.text
    assert [e["data"]["state"] for e in events_about(till, txn_id)] == ["payable", "cleared"]
    snapshot = till.get("/api/v1/station/snapshot").json()
    assert snapshot["transactions"] == [] and snapshot["pumps"][0]["nozzles"][0]["state"] == "idle"
    again = post_sale(till, sale_body(transaction_id=txn_id))
    assert_error(again, 409, "transaction_cleared")
    assert_error(post_sale(till, sale_body(transaction_id="no-such-fill")), 404, "not_found")


def _expire_lock(backend: RunningBackend, txn_id: str) -> None:
    with backend.db.write() as session:
        txn = session.get(PumpTransaction, txn_id)
        assert txn is not None and txn.state == "locked"
        txn.lock_expires_at = utc_now() - timedelta(seconds=1)


def test_sale_settles_a_fill_locked_by_this_till_even_after_the_lock_ran_out(
    backend: RunningBackend, till: TillClient, other_till: TillClient
) -> None:
    live_mine = make_payable(backend, nozzle_number=1)
    expired_mine = make_payable(backend, nozzle_number=3)
    for txn_id in (live_mine, expired_mine):
        assert till.post(f"/api/v1/transactions/{txn_id}/lock").status_code == 200
    _expire_lock(backend, expired_mine)
    for txn_id in (live_mine, expired_mine):
        response = post_sale(till, sale_body(transaction_id=txn_id))
        assert response.status_code == 201, response.text
        assert events_about(till, txn_id)[-1]["data"]["state"] == "cleared"


def test_fill_held_by_another_till_is_refused_until_its_lock_runs_out(
    backend: RunningBackend, till: TillClient, other_till: TillClient
) -> None:
    txn_id = make_payable(backend, nozzle_number=5)
    assert other_till.post(f"/api/v1/transactions/{txn_id}/lock").status_code == 200
    body = sale_body(transaction_id=txn_id)
    error = assert_error(post_sale(till, body, key="held-1"), 409, "transaction_locked")
    assert error["detail"]["locked_by"]["till_id"] == other_till.till_id
    assert recorded_sales(till) == []  # the refusal left nothing behind
    # the refusal is the stored answer of that key; a fresh attempt after the lock expired succeeds
    _expire_lock(backend, txn_id)
    assert_error(post_sale(till, body, key="held-1"), 409, "transaction_locked")
    assert post_sale(till, body, key="held-2").status_code == 201
    assert events_about(till, txn_id)[-1]["data"]["state"] == "cleared"
