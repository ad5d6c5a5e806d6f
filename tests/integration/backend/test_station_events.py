"""Snapshot and the long-poll event stream, over real HTTP."""

from __future__ import annotations

import threading
import time

from pos_backend.events import prune_events
from pos_backend.server import RunningBackend
from tests.integration.backend.conftest import TillClient, make_payable
from tests.integration.backend.test_auth_and_errors import assert_error


def test_snapshot_shape(till: TillClient) -> None:
    snapshot = till.get("/api/v1/station/snapshot").json()
    assert snapshot["station"] == {"id": "S001", "name": "中石化示范加油站", "timezone": "Asia/Shanghai"}
    assert {g["code"]: g["price_fen"] for g in snapshot["grades"]} == {"92": 742, "95": 789, "0": 705}
    assert [p["number"] for p in snapshot["pumps"]] == [1, 2, 3, 4]
    nozzles = [n for pump in snapshot["pumps"] for n in pump["nozzles"]]
    assert [n["number"] for n in nozzles] == list(range(1, 9))
    assert [n["grade"] for n in nozzles] == ["92", "95"] * 3 + ["0", "0"]
    assert all(n["state"] == "idle" and n["totalizer_volume_ml"] > 1_000_000_000 for n in nozzles)
    assert snapshot["seq"] == 0 and snapshot["transactions"] == [] and snapshot["orders"] == []


def test_snapshot_seq_and_transactions_follow_changes(backend: RunningBackend, till: TillClient) -> None:
    txn_id = make_payable(backend, nozzle_number=3, volume_ml=25_000)
    snapshot = till.get("/api/v1/station/snapshot").json()
    (txn,) = snapshot["transactions"]
    assert txn["id"] == txn_id and txn["state"] == "payable" and txn["locked_by"] is None
    assert (txn["volume_ml"], txn["amount_fen"], txn["pump_number"]) == (
        25_000,
        18_550,
        2,
    )  # nozzle 3: pump 2, 92# at 7.42
    events = till.get("/api/v1/station/events", after=0).json()
    assert snapshot["seq"] == events["last_seq"] == events["events"][-1]["seq"]


def test_events_resume_after_without_loss_or_repeat(backend: RunningBackend, till: TillClient) -> None:
    for nozzle in (1, 2, 7):
        make_payable(backend, nozzle_number=nozzle)
    everything = till.get("/api/v1/station/events", after=0, limit=1000).json()["events"]
    seqs = [e["seq"] for e in everything]
    assert seqs == sorted(set(seqs)) and len(seqs) >= 15
    paged: list[int] = []
    after = 0
    while True:
        page = till.get("/api/v1/station/events", after=after, limit=4).json()
        if not page["events"]:
            break
        paged += [e["seq"] for e in page["events"]]
        after = page["last_seq"]
    assert paged == seqs
    created = [e for e in everything if e["type"] == "transaction.created"]
    assert [e["data"]["nozzle_number"] for e in created] == [1, 2, 7]


def test_long_poll_wakes_when_an_event_lands(backend: RunningBackend, till: TillClient) -> None:
    last = till.get("/api/v1/station/events", after=0).json()["last_seq"]
    timer = threading.Timer(0.3, make_payable, args=(backend, 4))
    started = time.monotonic()
    timer.start()
    page = till.get("/api/v1/station/events", after=last, wait=10).json()
    elapsed = time.monotonic() - started
    timer.join()
    assert page["events"] and page["events"][0]["seq"] == last + 1
    assert 0.25 <= elapsed < 3.0


def test_long_poll_returns_empty_after_wait(till: TillClient) -> None:
    started = time.monotonic()
    page = till.get("/api/v1/station/events", after=0, wait=1).json()
    elapsed = time.monotonic() - started
    assert page == {"events": [], "last_seq": 0}
    assert 0.9 <= elapsed < 3.0


def test_wait_out_of_range_is_422(till: TillClient) -> None:
    assert_error(till.get("/api/v1/station/events", after=0, wait=31), 422, "validation_failed")
    assert_error(till.get("/api/v1/station/events", after=-1), 422, "validation_failed")


def test_events_gap_ahead_and_behind(backend: RunningBackend, till: TillClient) -> None:
    for nozzle in (1, 3, 5):
        make_payable(backend, nozzle_number=nozzle)
    newest = till.get("/api/v1/station/events", after=0, limit=1000).json()["last_seq"]
    ahead = assert_error(till.get("/api/v1/station/events", after=newest + 1), 410, "events_gap")
    assert ahead["detail"]["last_seq"] == newest
    with backend.db.write() as session:
        prune_events(session, keep=3)
    oldest = newest - 2
    assert_error(till.get("/api/v1/station/events", after=oldest - 2), 410, "events_gap")
    resumed = till.get("/api/v1/station/events", after=oldest - 1).json()
    assert [e["seq"] for e in resumed["events"]] == [oldest, oldest + 1, newest]
