"""The role matrix over every route, sign-in lockout, offline verifiers, and the audit log."""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from pos.domain.wire import parse_rfc3339
from pos_backend.clock import to_wire, utc_now
from pos_backend.models import Staff, WriteoffCode
from pos_backend.models_counter import StaffLockout
from pos_backend.roles import OUTBOX_ROUTES, ROLES, ROUTE_PERMISSIONS, may
from pos_backend.server import RunningBackend, create_app
from pos_backend.staff_auth import LOCKOUT, MAX_FAILED_PINS, VERIFIER_MAXMEM
from tests.integration.backend.conftest import TillClient, new_key, pair_till
from tests.integration.backend.counter_util import STAFF_BY_ROLE, error_code, till_for
from tests.integration.backend.sales_util import sale_body


def _app_routes(db_url: str) -> set[tuple[str, str]]:
    paths = create_app(db_url).openapi()["paths"]
    return {(method.upper(), path) for path, ops in paths.items() for method in ops}


def _send(client: TillClient, method: str, path: str, body: Any) -> Any:
    url = client.base + re.sub(r"\{\w+\}", "x1", path)
    headers = client.headers(new_key(), staff=True)
    return client.http.request(method, url, json=body, headers=headers, timeout=10)


def _outbox_body(backend: RunningBackend, path: str, staff_no: str) -> dict[str, Any]:
    now = to_wire(utc_now())
    if path == "/api/v1/sales":
        return sale_body(1_000, staff_no=staff_no)
    if path.endswith("/refund"):
        return {"refund_id": uuid.uuid4().hex, "staff_no": staff_no, "reason": "r", "amount_fen": 100}
    if path.endswith("/close"):
        return {
            "staff_no": staff_no,
            "cut_at": now,
            "counted": {},
            "outgoing_staff_no": "1001",
            "incoming_staff_no": "1002",
            "next_opening_float_fen": 0,
        }
    return {"staff_no": staff_no, "redeemed_at": now}


def _with_code(backend: RunningBackend, path: str) -> str:
    """Write-off paths take a real code: the code's form is checked before the role."""
    if "{code}" not in path:
        return path
    with backend.db.read() as session:
        code = session.scalar(select(WriteoffCode.code).where(WriteoffCode.state != "redeemed"))
    assert code is not None
    return path.replace("{code}", code)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_every_route_follows_the_role_matrix(backend: RunningBackend, db_url: str) -> None:
    routes = _app_routes(db_url)
    unlisted = sorted(routes - set(ROUTE_PERMISSIONS))
    assert not unlisted, f"routes missing from roles.ROUTE_PERMISSIONS: {unlisted}"
    tills = {role: till_for(backend, role) for role in ROLES}
    checked = 0
    for (method, path), permission in sorted(ROUTE_PERMISSIONS.items(), key=str):
        if permission is None or (method, path) not in routes:
            continue
        for role in ROLES:
            client = tills[role]
            target = _with_code(backend, path)
            if (method, path) in OUTBOX_ROUTES:
                body = _outbox_body(backend, path, STAFF_BY_ROLE[role][0])
                response = _send(client, method, target, body)
            else:
                response = _send(client, method, target, None if method == "GET" else {})
            forbidden = response.status_code == 403 and error_code(response) == "role_forbidden"
            assert forbidden != may(role, permission), (method, path, role, response.text)
            checked += 1
    assert checked >= 4 * 20


def test_five_wrong_pins_lock_the_staff_number(backend: RunningBackend) -> None:
    client = pair_till(backend, "前台1")
    attempt = {"staff_no": "1002", "pin": "0000"}
    codes = []
    for _ in range(MAX_FAILED_PINS):
        response = client.post("/api/v1/staff/sessions", attempt, staff=False)
        codes.append((response.status_code, error_code(response)))
    assert codes[:-1] == [(401, "pin_invalid")] * (MAX_FAILED_PINS - 1)
    assert codes[-1] == (423, "staff_locked_out")
    # even the right PIN is refused until the lockout ends, and the answer says when that is
    right = client.post("/api/v1/staff/sessions", {"staff_no": "1002", "pin": "2222"}, staff=False)
    assert right.status_code == 423 and error_code(right) == "staff_locked_out"
    until = right.json()["error"]["detail"]["locked_until"]
    remaining = parse_rfc3339(until) - utc_now()
    assert LOCKOUT - timedelta(minutes=1) < remaining <= LOCKOUT
    # another staff number is not affected
    assert client.post("/api/v1/staff/sessions", {"staff_no": "1001", "pin": "1111"}, staff=False).ok


def test_a_right_pin_resets_the_count_and_a_lockout_ends(backend: RunningBackend) -> None:
    client = pair_till(backend, "前台1")
    wrong, right = {"staff_no": "1002", "pin": "0000"}, {"staff_no": "1002", "pin": "2222"}
    for _ in range(MAX_FAILED_PINS - 1):
        assert client.post("/api/v1/staff/sessions", wrong, staff=False).status_code == 401
    assert client.post("/api/v1/staff/sessions", right, staff=False).status_code == 201
    for _ in range(MAX_FAILED_PINS - 1):  # counted afresh after the success
        assert client.post("/api/v1/staff/sessions", wrong, staff=False).status_code == 401
    assert client.post("/api/v1/staff/sessions", wrong, staff=False).status_code == 423
    with backend.db.write() as session:  # let the lockout run out
        staff = session.scalar(select(Staff).where(Staff.staff_no == "1002"))
        assert staff is not None
        lockout = session.get(StaffLockout, staff.id)
        assert lockout is not None and lockout.locked_until is not None
        lockout.locked_until = utc_now() - timedelta(seconds=1)
    assert client.post("/api/v1/staff/sessions", right, staff=False).status_code == 201


def test_verifiers_check_a_pin_offline_and_never_reveal_it(backend: RunningBackend) -> None:
    client = pair_till(backend, "前台1")
    response = client.get("/api/v1/staff/verifiers")
    assert response.status_code == 200
    staff = {row["staff_no"]: row for row in response.json()["staff"]}
    assert set(staff) == {no for no, _ in STAFF_BY_ROLE.values()} | {"1002"}
    with backend.db.read() as session:
        server_hashes = {s.staff_no: s.pin_hash for s in session.scalars(select(Staff))}
    text = response.text
    for staff_no, pin in [*STAFF_BY_ROLE.values(), ("1002", "2222")]:
        verifier = staff[staff_no]["verifier"]
        salt, digest = bytes.fromhex(verifier["salt"]), verifier["hash"]
        params = {k: verifier[k] for k in ("n", "r", "p")}
        computed = hashlib.scrypt(
            pin.encode(), salt=salt, dklen=verifier["dklen"], maxmem=VERIFIER_MAXMEM, **params
        )
        assert computed.hex() == digest  # the right PIN verifies offline
        wrong = hashlib.scrypt(b"0000", salt=salt, dklen=verifier["dklen"], maxmem=VERIFIER_MAXMEM, **params)
        assert wrong.hex() != digest
        _, n, r, p, server_salt, server_digest = server_hashes[staff_no].split("$")
        assert server_salt not in text and server_digest not in text  # not the server's own hash
        assert (int(n), int(r), int(p)) != (verifier["n"], verifier["r"], verifier["p"])
        assert f'"{pin}"' not in text
    assert client.http.get(client.base + "/api/v1/staff/verifiers", timeout=10).status_code == 401


def test_mutations_are_audited_with_staff_till_and_key(backend: RunningBackend, till: TillClient) -> None:
    since = to_wire(utc_now() - timedelta(seconds=1))
    sale = sale_body(2_000)
    assert till.post("/api/v1/sales", sale, key="audit-sale-1", staff=False).status_code == 201
    assert till.post("/api/v1/sales", sale, key="audit-sale-1", staff=False).status_code == 201  # replay
    manager = till_for(backend, "manager")
    response = manager.get("/api/v1/audit", since=since)  # without the staff session
    assert response.status_code == 401 and error_code(response) == "staff_session_required"
    response = manager.http.get(
        manager.base + "/api/v1/audit",
        params={"since": since},
        headers=manager.headers(staff=True),
        timeout=10,
    )
    assert response.status_code == 200, response.text
    entries = response.json()["entries"]
    sales = [e for e in entries if e["action"] == "sale.record"]
    assert len(sales) == 1  # the replay wrote nothing
    assert sales[0]["subject"] == sale["sale_id"] and sales[0]["staff_no"] == "1001"
    assert sales[0]["till_id"] == till.till_id and sales[0]["idempotency_key"] == "audit-sale-1"
    sign_ins = [e for e in entries if e["action"] == "staff.sign_in" and e["staff_no"] == "2001"]
    assert len(sign_ins) == 1 and sign_ins[0]["till_id"] == manager.till_id
    assert "2001" not in json.dumps([e["detail"] for e in entries])  # no secrets or PINs in details
    cashier = till.http.get(
        till.base + "/api/v1/audit", params={"since": since}, headers=till.headers(staff=True), timeout=10
    )
    assert cashier.status_code == 403 and error_code(cashier) == "role_forbidden"
