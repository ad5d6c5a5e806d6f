"""Locking, clearing and idempotency of payable transactions, over real HTTP."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pos_backend.server import RunningBackend, start_backend
from tests.integration.backend.conftest import TillClient, make_payable, pair_till
from tests.integration.backend.test_auth_and_errors import assert_error


def events_about(till: TillClient, txn_id: str) -> list[dict[str, Any]]:
    events = till.get("/api/v1/station/events", after=0, limit=1000).json()["events"]
    return [e for e in events if e["type"].startswith("transaction.") and e["data"]["id"] == txn_id]


def test_lock_with_same_key_is_applied_once(backend: RunningBackend, till: TillClient) -> None:
    txn_id = make_payable(backend)
    first = till.post(f"/api/v1/transactions/{txn_id}/lock", key="lock-A")
    assert first.status_code == 200
    locked = first.json()
    assert locked["state"] == "locked"
    assert locked["locked_by"] == {
        "till_id": till.till_id,
        "till_name": "前台1",
        "staff_no": "1001",
        "staff_name": "王芳",
    }
    assert locked["lock_expires_at"] is not None
    time.sleep(0.01)
    repeat = till.post(f"/api/v1/transactions/{txn_id}/lock", key="lock-A")
    assert (repeat.status_code, repeat.json()) == (200, locked)
    assert repeat.headers.get("Idempotent-Replayed") == "true"
    assert [e["type"] for e in events_about(till, txn_id)] == ["transaction.created", "transaction.updated"]


def test_relock_with_new_key_extends(backend: RunningBackend, till: TillClient) -> None:
    txn_id = make_payable(backend)
    first = till.post(f"/api/v1/transactions/{txn_id}/lock").json()
    time.sleep(0.01)
    second = till.post(f"/api/v1/transactions/{txn_id}/lock").json()
    assert second["state"] == "locked" and second["lock_expires_at"] > first["lock_expires_at"]
    assert len(events_about(till, txn_id)) == 3


def test_clear_with_same_key_and_then_a_new_key(backend: RunningBackend, till: TillClient) -> None:
    txn_id = make_payable(backend)
    assert_error(
        till.post(f"/api/v1/transactions/{txn_id}/clear", {"sale_ref": "S-1"}), 409, "transaction_not_locked"
    )
    till.post(f"/api/v1/transactions/{txn_id}/lock")
    cleared = till.post(f"/api/v1/transactions/{txn_id}/clear", {"sale_ref": "S-1"}, key="clear-1")
    assert cleared.status_code == 200 and cleared.json()["state"] == "cleared"
    again = till.post(f"/api/v1/transactions/{txn_id}/clear", {"sale_ref": "S-1"}, key="clear-1")
    assert (again.status_code, again.json()) == (200, cleared.json())
    assert_error(
        till.post(f"/api/v1/transactions/{txn_id}/clear", {"sale_ref": "S-1"}), 409, "transaction_cleared"
    )
    assert_error(till.post(f"/api/v1/transactions/{txn_id}/lock"), 409, "transaction_cleared")
    snapshot = till.get("/api/v1/station/snapshot").json()
    assert snapshot["transactions"] == []
    nozzle_1 = snapshot["pumps"][0]["nozzles"][0]
    assert nozzle_1["state"] == "idle"  # its last unpaid fill is settled
    assert [e["data"]["state"] for e in events_about(till, txn_id)] == ["payable", "locked", "cleared"]


def test_same_key_different_request_is_refused(backend: RunningBackend, till: TillClient) -> None:
    txn_id = make_payable(backend)
    till.post(f"/api/v1/transactions/{txn_id}/lock")
    till.post(f"/api/v1/transactions/{txn_id}/clear", {"sale_ref": "S-1"}, key="clear-x")
    reused = till.post(f"/api/v1/transactions/{txn_id}/clear", {"sale_ref": "S-2"}, key="clear-x")
    assert_error(reused, 422, "idempotency_key_reused")
    other_path = till.post(f"/api/v1/transactions/{txn_id}/unlock", key="clear-x")
    assert_error(other_path, 422, "idempotency_key_reused")


def test_keys_are_per_till(backend: RunningBackend, till: TillClient, other_till: TillClient) -> None:
    first, second = make_payable(backend, 1), make_payable(backend, 3)
    assert till.post(f"/api/v1/transactions/{first}/lock", key="shared").status_code == 200
    theirs = other_till.post(f"/api/v1/transactions/{second}/lock", key="shared")
    assert theirs.status_code == 200 and theirs.json()["id"] == second


def test_another_till_cannot_take_a_locked_transaction(
    backend: RunningBackend, till: TillClient, other_till: TillClient
) -> None:
    txn_id = make_payable(backend)
    till.post(f"/api/v1/transactions/{txn_id}/lock")
    holder = {"till_id": till.till_id, "till_name": "前台1", "staff_no": "1001", "staff_name": "王芳"}
    for action in ("lock", "clear", "unlock"):
        error = assert_error(
            other_till.post(f"/api/v1/transactions/{txn_id}/{action}"), 409, "transaction_locked"
        )
        assert error["detail"]["locked_by"] == holder
    unlocked = till.post(f"/api/v1/transactions/{txn_id}/unlock")
    assert unlocked.json()["state"] == "payable" and unlocked.json()["locked_by"] is None
    taken = other_till.post(f"/api/v1/transactions/{txn_id}/lock").json()
    assert taken["locked_by"]["staff_name"] == "张伟"


def test_attendant_may_not_settle(backend: RunningBackend, till: TillClient) -> None:
    txn_id = make_payable(backend)
    till.sign_in("3001", "3333")
    assert_error(till.post(f"/api/v1/transactions/{txn_id}/lock"), 403, "role_forbidden")


@pytest.fixture
def short_lock_backend(tmp_path: Path) -> Iterator[RunningBackend]:
    running = start_backend(f"sqlite:///{tmp_path / 'short.sqlite3'}", lock_ttl_seconds=0.5)
    yield running
    running.stop()


def test_expired_lock_is_free(short_lock_backend: RunningBackend) -> None:
    backend = short_lock_backend
    first, second = pair_till(backend, "前台1"), pair_till(backend, "前台3")
    first.sign_in("1001", "1111")
    second.sign_in("1002", "2222")
    txn_id = make_payable(backend)
    first.post(f"/api/v1/transactions/{txn_id}/lock")
    time.sleep(0.6)
    assert_error(first.post(f"/api/v1/transactions/{txn_id}/clear"), 409, "transaction_not_locked")
    taken = second.post(f"/api/v1/transactions/{txn_id}/lock")
    assert taken.status_code == 200 and taken.json()["locked_by"]["till_name"] == "前台3"
    time.sleep(0.6)
    # the housekeeper publishes the release, so tills that only follow events see it free again
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        states = [e["data"]["state"] for e in events_about(first, txn_id)]
        if states[-1] == "payable" and len(states) >= 4:
            break
        time.sleep(0.1)
    assert states[0] == "payable" and states[-1] == "payable" and states.count("locked") == 2


def test_racing_tills_one_wins(backend: RunningBackend, till: TillClient, other_till: TillClient) -> None:
    txn_ids = [make_payable(backend, nozzle) for nozzle in (1, 3, 5, 7)]
    barrier = threading.Barrier(2)
    results: dict[str, list[int]] = {"前台1": [], "前台3": []}

    def grab(client: TillClient) -> None:
        barrier.wait()
        for txn_id in txn_ids:
            results[client.till_name].append(client.post(f"/api/v1/transactions/{txn_id}/lock").status_code)

    threads = [threading.Thread(target=grab, args=(client,)) for client in (till, other_till)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    for index in range(len(txn_ids)):
        assert sorted([results["前台1"][index], results["前台3"][index]]) == [200, 409]
    snapshot = till.get("/api/v1/station/snapshot").json()
    assert all(txn["state"] == "locked" for txn in snapshot["transactions"])
