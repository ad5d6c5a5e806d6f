"""Pairing, sign-in, auth refusals and the error body, over real HTTP."""

from __future__ import annotations

import http.client
import json
from typing import Any

import pytest
import requests

from pos_backend.server import RunningBackend
from tests.integration.backend.conftest import TillClient, new_key, pair_till


def assert_error(response: requests.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "detail"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return dict(body["error"])


def pair(backend: RunningBackend, code: str, key: str, name: str = "前台1") -> requests.Response:
    body = {"activation_code": code, "till_name": name}
    return requests.post(
        backend.url + "/api/v1/tills/pair", json=body, headers={"Idempotency-Key": key}, timeout=10
    )


def test_health_and_openapi_need_no_token(backend: RunningBackend) -> None:
    health = requests.get(backend.url + "/api/v1/health", timeout=10)
    assert health.status_code == 200 and health.json()["status"] == "ok"
    assert "+00:00" in health.json()["time"]
    spec = requests.get(backend.url + "/api/v1/openapi.json", timeout=10).json()
    assert "/api/v1/transactions/{txn_id}/lock" in spec["paths"]


def test_activation_code_works_once(backend: RunningBackend) -> None:
    code = backend.issue_activation_code()
    first = pair(backend, code, "pair-1")
    assert first.status_code == 201
    paired = first.json()
    assert paired["station_id"] == "S001" and paired["station_name"] == "中石化示范加油站"
    assert paired["till_name"] == "前台1" and len(paired["device_token"]) >= 32
    # the same request repeated (lost answer) gets the same answer, not a second till
    assert pair(backend, code, "pair-1").json() == paired
    assert_error(pair(backend, code, "pair-2"), 404, "activation_code_invalid")
    assert_error(
        pair(backend, "000000" if code != "000000" else "111111", "pair-3"), 404, "activation_code_invalid"
    )


def test_wrong_pin_and_unknown_staff_are_one_refusal(till: TillClient) -> None:
    wrong_pin = till.post("/api/v1/staff/sessions", {"staff_no": "1001", "pin": "0000"}, staff=False)
    unknown = till.post("/api/v1/staff/sessions", {"staff_no": "7777", "pin": "1111"}, staff=False)
    first = assert_error(wrong_pin, 401, "pin_invalid")
    second = assert_error(unknown, 401, "pin_invalid")
    assert first["message"] == second["message"]


def test_sign_in_returns_staff_and_sign_out_ends_session(till: TillClient) -> None:
    response = till.post("/api/v1/staff/sessions", {"staff_no": "3001", "pin": "3333"}, staff=False)
    assert response.status_code == 201
    assert response.json()["staff"] == {"staff_no": "3001", "name": "刘洋", "role": "attendant"}
    till.staff_session = response.json()["session_token"]
    signed_out = till.http.delete(
        till.base + "/api/v1/staff/sessions/current", headers=till.headers(new_key(), staff=True), timeout=10
    )
    assert signed_out.status_code == 204
    assert_error(till.post("/api/v1/transactions/x/lock"), 401, "staff_session_invalid")


def test_device_token_missing_or_unknown(backend: RunningBackend) -> None:
    url = backend.url + "/api/v1/station/snapshot"
    assert_error(requests.get(url, timeout=10), 401, "device_token_required")
    invalid = requests.get(url, headers={"Authorization": "Bearer not-a-token"}, timeout=10)
    assert_error(invalid, 401, "device_token_invalid")


def test_staff_session_missing(till: TillClient) -> None:
    till.staff_session = None
    assert_error(till.post("/api/v1/transactions/x/lock"), 401, "staff_session_required")


def test_session_of_another_till_is_refused(backend: RunningBackend, till: TillClient) -> None:
    stranger = pair_till(backend, "前台9")
    stranger.staff_session = till.staff_session
    assert_error(stranger.post("/api/v1/transactions/x/lock"), 401, "staff_session_invalid")


def test_missing_idempotency_key(till: TillClient) -> None:
    response = till.http.post(
        till.base + "/api/v1/staff/sessions",
        json={"staff_no": "1001", "pin": "1111"},
        headers=till.headers(),
        timeout=10,
    )
    assert_error(response, 400, "idempotency_key_required")


def test_malformed_json_is_400(backend: RunningBackend, till: TillClient) -> None:
    headers = {**till.headers(new_key()), "Content-Type": "application/json"}
    for raw in (b"{not json", b'{"staff_no": "1001", "pin": ', b"\xff\xfe"):
        response = till.http.post(till.base + "/api/v1/staff/sessions", data=raw, headers=headers, timeout=10)
        assert_error(response, 400, "malformed_json")
    pairing = requests.post(
        backend.url + "/api/v1/tills/pair",
        data=b"[[[",
        headers={"Idempotency-Key": new_key(), "Content-Type": "application/json"},
        timeout=10,
    )
    assert_error(pairing, 400, "malformed_json")


def test_missing_and_ill_typed_fields_are_422(backend: RunningBackend, till: TillClient) -> None:
    for body in ({}, {"staff_no": "1001"}, {"staff_no": 1001, "pin": ["1111"]}, [1, 2], "text", None):
        response = till.post("/api/v1/staff/sessions", body, staff=False)
        error = assert_error(response, 422, "validation_failed")
        assert error["detail"]["errors"], body
    missing = pair(backend, "", new_key())
    assert (
        assert_error(missing, 422, "validation_failed")["detail"]["errors"][0]["loc"][-1] == "activation_code"
    )


def test_unknown_route_and_method(till: TillClient) -> None:
    assert_error(till.get("/api/v1/nothing-here"), 404, "not_found")
    assert_error(till.post("/api/v1/transactions/no-such-id/lock"), 404, "not_found")
    wrong_method = till.http.put(till.base + "/api/v1/station/snapshot", headers=till.headers(), timeout=10)
    assert wrong_method.status_code == 405
    assert wrong_method.json()["error"]["code"] == "method_not_allowed"


def test_overlong_idempotency_key(till: TillClient) -> None:
    response = till.post(
        "/api/v1/staff/sessions", {"staff_no": "1001", "pin": "1111"}, key="k" * 101, staff=False
    )
    assert_error(response, 422, "validation_failed")


def test_an_unexpected_failure_answers_500_and_keeps_the_connection(
    till: TillClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A till reuses its pooled connection for the next request (the outbox retrying): the failure must
    be an answer on that connection, not a dropped connection."""
    from pos_backend.api import station

    def broken(*_args: Any) -> Any:
        raise RuntimeError("database hiccup")

    monkeypatch.setattr(station, "nozzles_of_station", broken)
    host, port = till.base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    headers = {"Authorization": f"Bearer {till.token}"}
    conn.request("GET", "/api/v1/station/snapshot", headers=headers)
    failed = conn.getresponse()
    assert failed.status == 500
    assert json.loads(failed.read())["error"]["code"] == "internal_error"
    # http.client reconnects by itself after "Connection: close": check the server did not ask for it
    assert not failed.will_close
    socket_before = conn.sock
    monkeypatch.undo()
    conn.request("GET", "/api/v1/station/snapshot", headers=headers)  # the same connection
    assert conn.sock is socket_before
    answered = conn.getresponse()
    assert answered.status == 200 and "station" in json.loads(answered.read())
    conn.close()
