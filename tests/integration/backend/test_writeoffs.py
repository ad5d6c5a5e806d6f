"""Write-off codes over HTTP: look-up of each kind, reserve, release, redeem once, roles, expiry."""

from __future__ import annotations

from datetime import timedelta

from pos_backend.clock import to_wire, utc_now
from pos_backend.models import Coupon, PickupOrder, WriteoffCode
from pos_backend.server import RunningBackend
from tests.integration.backend.conftest import TillClient
from tests.integration.backend.writeoff_util import (
    WO,
    code_in_state,
    error_code,
    issued_codes,
    redeem,
    release,
    set_code,
    signed_in_till,
)


def test_lookup_of_each_kind(backend: RunningBackend, till: TillClient) -> None:
    [coupon] = issued_codes(backend, "coupon")
    found = till.get(f"{WO}/{coupon}").json()
    assert (found["code"], found["kind"], found["state"]) == (coupon, "coupon", "issued")
    assert found["conditions"]["threshold_fen"] > found["value_fen"] > 0
    assert found["conditions"]["reduction_fen"] == found["value_fen"]
    assert found["member"]["phone_masked"].count("*") == 4 and len(found["member"]["phone_masked"]) == 11
    assert found["reserved_by"] is None and found["redeemed"] is None

    [pickup] = issued_codes(backend, "pickup")
    found = till.get(f"{WO}/{pickup}").json()
    assert found["kind"] == "pickup" and found["order_no"].startswith("SC")
    assert found["items"] and all(item["quantity"] >= 1 and item["name"] for item in found["items"])

    [service] = issued_codes(backend, "service")
    found = till.get(f"{WO}/{service}").json()
    assert found["kind"] == "service" and "洗车" in found["title"] and found["value_fen"] > 0


def test_malformed_code_is_422(backend: RunningBackend, till: TillClient) -> None:
    for bad in ("12345", "1234567", "12a456", "１２３４５６", "12 456"):  # full-width digits too
        for response in (
            till.get(f"{WO}/{bad}"),
            till.post(f"{WO}/{bad}/reserve"),
            redeem(till, bad, "1001"),
        ):
            assert response.status_code == 422, (bad, response.text)
            assert error_code(response) == "validation_failed"


def test_unknown_code_is_404(backend: RunningBackend, till: TillClient) -> None:
    with backend.db.read() as session:
        unknown = next(f"{n:06d}" for n in range(1_000_000) if session.get(WriteoffCode, f"{n:06d}") is None)
    response = till.get(f"{WO}/{unknown}")
    assert (response.status_code, error_code(response)) == (404, "code_unknown")
    assert error_code(redeem(till, unknown, "1001")) == "code_unknown"


def test_reserve_release_and_redeem(
    backend: RunningBackend, till: TillClient, other_till: TillClient
) -> None:
    [code] = issued_codes(backend, "pickup")
    held = till.post(f"{WO}/{code}/reserve")
    assert held.status_code == 200, held.text
    assert held.json()["state"] == "reserved" and held.json()["reserved_by"]["till_name"] == "前台1"

    refused = other_till.post(f"{WO}/{code}/reserve")
    assert (refused.status_code, error_code(refused)) == (409, "code_reserved")
    assert refused.json()["error"]["detail"]["reserved_by"]["till_id"] == till.till_id
    assert error_code(redeem(other_till, code, "2001")) == "code_reserved"

    released = release(till, code)
    assert released.status_code == 200 and released.json()["state"] == "issued"
    again = release(till, code)
    assert (again.status_code, error_code(again)) == (409, "code_not_reserved")

    assert other_till.post(f"{WO}/{code}/reserve").status_code == 200
    done = redeem(other_till, code, "2001")
    assert done.status_code == 200, done.text
    assert done.json()["state"] == "redeemed" and done.json()["redeemed"]["till_name"] == "前台3"
    with backend.db.read() as session:
        row = session.get(WriteoffCode, code)
        assert row is not None and row.pickup_order_id is not None
        order = session.get(PickupOrder, row.pickup_order_id)
        assert order is not None and order.state == "picked_up"


def test_lapsed_reservation_lets_another_till_redeem(
    backend: RunningBackend, till: TillClient, other_till: TillClient
) -> None:
    [code] = issued_codes(backend, "service")
    assert till.post(f"{WO}/{code}/reserve").json()["reserved_by"]["till_id"] == till.till_id
    set_code(backend, code, reserved_until=utc_now() - timedelta(seconds=1))
    assert till.get(f"{WO}/{code}").json()["state"] == "issued"
    assert redeem(other_till, code, "2001").status_code == 200


def test_second_redemption_is_refused_naming_the_first(
    backend: RunningBackend, till: TillClient, other_till: TillClient
) -> None:
    [code] = issued_codes(backend, "coupon")
    first_at = utc_now() - timedelta(seconds=5)
    assert redeem(till, code, "1001", at=first_at).status_code == 200
    for response in (
        redeem(other_till, code, "2001"),
        redeem(till, code, "1001"),  # the same till, a fresh key: a retried confirm
        other_till.post(f"{WO}/{code}/reserve"),
    ):
        assert (response.status_code, error_code(response)) == (409, "code_already_redeemed"), response.text
        error = response.json()["error"]
        first = error["detail"]["redeemed"]
        assert (first["till_id"], first["till_name"], first["station_id"]) == (till.till_id, "前台1", "S001")
        assert (first["staff_no"], first["staff_name"], first["at"]) == ("1001", "王芳", to_wire(first_at))
        assert (
            "王芳" in error["message"]
            and "前台1" in error["message"]
            and "中石化示范加油站" in error["message"]
        )
    looked_up = other_till.get(f"{WO}/{code}").json()
    assert looked_up["state"] == "redeemed" and looked_up["redeemed"]["staff_no"] == "1001"


def test_coupon_redemption_uses_the_coupon_and_moves_the_member_on(
    backend: RunningBackend, till: TillClient
) -> None:
    [code] = issued_codes(backend, "coupon")
    member_id = till.get(f"{WO}/{code}").json()["member"]["id"]
    last = till.get("/api/v1/members/changes", after=0, limit=1000).json()
    while last["more"]:
        last = till.get("/api/v1/members/changes", after=last["last_version"], limit=1000).json()
    assert redeem(till, code, "1001").status_code == 200
    changed = till.get("/api/v1/members/changes", after=last["last_version"]).json()["members"]
    assert [m["id"] for m in changed] == [member_id]
    with backend.db.read() as session:
        row = session.get(WriteoffCode, code)
        assert row is not None and row.coupon_id is not None
        coupon = session.get(Coupon, row.coupon_id)
        assert coupon is not None and coupon.state == "used"
    assert str(row.coupon_id) in {c["id"] for c in changed[0]["coupons"] if c["state"] == "used"}
    events = till.get("/api/v1/station/events", after=0, limit=1000).json()["events"]
    redeemed = [e for e in events if e["type"] == "writeoff.redeemed"]
    assert [e["data"]["code"] for e in redeemed] == [code]
    assert redeemed[0]["data"]["redeemed"]["till_id"] == till.till_id


def test_replayed_key_returns_the_stored_success(backend: RunningBackend, till: TillClient) -> None:
    [code] = issued_codes(backend, "pickup")
    body = {"staff_no": "1001", "redeemed_at": to_wire(utc_now()), "offline": False}
    first = till.post(f"{WO}/{code}/redeem", body, key="wo-replay", staff=False)
    again = till.post(f"{WO}/{code}/redeem", body, key="wo-replay", staff=False)
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json() == first.json() and again.headers.get("Idempotent-Replayed") == "true"
    reused = till.post(f"{WO}/{code}/redeem", {**body, "staff_no": "2001"}, key="wo-replay", staff=False)
    assert (reused.status_code, error_code(reused)) == (422, "idempotency_key_reused")


def test_attendant_may_redeem_support_may_not(backend: RunningBackend) -> None:
    attendant = signed_in_till(backend, "加油岛1", "3001", "3333")
    support = signed_in_till(backend, "运维", "9001", "9999")
    first, second = issued_codes(backend, "service", 2)
    assert attendant.post(f"{WO}/{first}/reserve").status_code == 200
    assert redeem(attendant, first, "3001").status_code == 200

    forbidden = support.post(f"{WO}/{second}/reserve")
    assert (forbidden.status_code, error_code(forbidden)) == (403, "role_forbidden")
    named = redeem(support, second, "9001")
    assert (named.status_code, error_code(named)) == (403, "role_forbidden")
    unknown = redeem(support, second, "7777")
    assert (unknown.status_code, error_code(unknown)) == (422, "staff_unknown")
    assert support.get(f"{WO}/{second}").json()["state"] == "issued"


def test_expired_and_void_codes_are_refused(backend: RunningBackend, till: TillClient) -> None:
    expired = code_in_state(backend, "expired")
    assert till.get(f"{WO}/{expired}").json()["state"] == "expired"
    for response in (till.post(f"{WO}/{expired}/reserve"), redeem(till, expired, "1001")):
        assert (response.status_code, error_code(response)) == (409, "code_expired")

    lapsed, voided = issued_codes(backend, "pickup", 2)
    set_code(backend, lapsed, expires_at=utc_now() - timedelta(minutes=1))
    assert till.get(f"{WO}/{lapsed}").json()["state"] == "expired"
    assert error_code(redeem(till, lapsed, "1001")) == "code_expired"
    # redeemed offline while it was still valid: judged at the till's time
    offline = redeem(till, lapsed, "1001", at=utc_now() - timedelta(minutes=10), offline=True)
    assert offline.status_code == 200, offline.text

    set_code(backend, voided, state="void")
    response = redeem(till, voided, "1001")
    assert (response.status_code, error_code(response)) == (409, "code_void")
