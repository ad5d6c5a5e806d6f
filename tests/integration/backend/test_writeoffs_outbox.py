"""Write-offs from the outbox: redeemed through /batch, offline conflicts kept for review, the day list."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pos_backend.clock import utc_now
from pos_backend.server import RunningBackend
from tests.integration.backend.conftest import TillClient
from tests.integration.backend.writeoff_util import (
    WO,
    error_code,
    issued_codes,
    redeem,
    redeem_body,
    signed_in_till,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _batch(till: TillClient, items: list[tuple[str, str, dict[str, Any]]]) -> list[dict[str, Any]]:
    requests = [
        {"idempotency_key": key, "method": "POST", "path": f"{WO}/{code}/redeem", "body": body}
        for key, code, body in items
    ]
    response = till.post("/api/v1/batch", {"requests": requests}, staff=False)
    assert response.status_code == 200, response.text
    results: list[dict[str, Any]] = response.json()["results"]
    return results


def test_redemption_through_batch(backend: RunningBackend, till: TillClient) -> None:
    first, second = issued_codes(backend, "pickup", 2)
    body = redeem_body("1001", offline=True)
    results = _batch(
        till,
        [
            ("ob-1", first, body),
            ("ob-2", first, redeem_body("1001", offline=True)),  # the same code again, another record
            ("ob-3", "12a456", body),
            ("ob-4", second, {"staff_no": "1001"}),
        ],
    )
    assert [r["status"] for r in results] == [200, 409, 422, 422]
    assert results[0]["body"]["state"] == "redeemed" and results[0]["body"]["redeemed"]["offline"] is True
    assert results[1]["body"]["error"]["code"] == "code_already_redeemed"
    # the first record sent alone later (its batch answer was lost): the stored success, not a conflict
    alone = till.post(f"{WO}/{first}/redeem", body, key="ob-1", staff=False)
    assert alone.status_code == 200 and alone.json() == results[0]["body"]
    assert alone.headers.get("Idempotent-Replayed") == "true"
    assert till.get(f"{WO}/{second}").json()["state"] == "issued"


def test_offline_conflict_is_answered_409_and_kept_for_review(
    backend: RunningBackend, till: TillClient, other_till: TillClient
) -> None:
    [code] = issued_codes(backend, "service")
    assert redeem(till, code, "1001").status_code == 200
    served_at = utc_now() - timedelta(minutes=3)
    late = redeem(other_till, code, "2001", at=served_at, offline=True)
    assert (late.status_code, error_code(late)) == (409, "code_already_redeemed")
    online = redeem(other_till, code, "2001")  # refused online: staff saw it, nothing to review
    assert online.status_code == 409

    review = other_till.get(f"{WO}/conflicts")
    assert review.status_code == 401  # a staff action: the till's GET helper sends no session
    response = other_till.http.get(
        f"{other_till.base}{WO}/conflicts", headers=other_till.headers(staff=True), timeout=10
    )
    assert response.status_code == 200, response.text
    [conflict] = response.json()["conflicts"]
    assert (conflict["code"], conflict["reason"], conflict["staff_no"]) == (
        code,
        "code_already_redeemed",
        "2001",
    )
    assert conflict["till_id"] == other_till.till_id and conflict["first"]["till_id"] == till.till_id
    cashier = till.http.get(f"{till.base}{WO}/conflicts", headers=till.headers(staff=True), timeout=10)
    assert (cashier.status_code, error_code(cashier)) == (403, "role_forbidden")


def _day(till: TillClient, **params: str) -> dict[str, Any]:
    response = till.get(WO, **params)
    assert response.status_code == 200, response.text
    day: dict[str, Any] = response.json()
    return day


def test_todays_list_with_totals_per_kind(backend: RunningBackend, till: TillClient) -> None:
    attendant = signed_in_till(backend, "加油岛1", "3001", "3333")
    today = utc_now().astimezone(SHANGHAI).date()
    before = _day(till, date=today.isoformat())
    [coupon], [pickup] = issued_codes(backend, "coupon"), issued_codes(backend, "pickup")
    coupon_value = till.get(f"{WO}/{coupon}").json()["value_fen"]
    pickup_value = till.get(f"{WO}/{pickup}").json()["value_fen"]
    assert redeem(till, coupon, "1001").status_code == 200
    assert redeem(attendant, pickup, "3001").status_code == 200

    after = _day(till)  # default: the station's today
    assert after["date"] == today.isoformat()
    assert [w["code"] for w in after["writeoffs"][-2:]] == [coupon, pickup]
    for kind, value in (("coupon", coupon_value), ("pickup", pickup_value)):
        assert after["totals"][kind]["count"] == before["totals"][kind]["count"] + 1
        assert after["totals"][kind]["value_fen"] == before["totals"][kind]["value_fen"] + value
    assert after["totals"]["service"] == before["totals"]["service"]

    mine = _day(till, till_id=attendant.till_id)
    assert [(w["code"], w["staff_no"], w["till_name"]) for w in mine["writeoffs"]] == [
        (pickup, "3001", "加油岛1")
    ]
    yesterday = _day(till, date=(today - timedelta(days=1)).isoformat())
    assert coupon not in {w["code"] for w in yesterday["writeoffs"]}
