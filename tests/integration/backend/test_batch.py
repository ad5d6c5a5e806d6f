"""POST /batch: order, per-item idempotency, refusals that do not stop it, failures that do.

A batch is applied in one transaction per ``ITEMS_PER_TRANSACTION`` items, each item in its own
SAVEPOINT, with the rows it appends held until the commit (write_behind): these tests check that what a
refused or failed item appended is gone with it, and that later items see what earlier ones appended.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from pos_backend.api.batch import BATCH_ROUTES, ITEMS_PER_TRANSACTION, BatchRoute
from pos_backend.api.deps import TillAuth
from pos_backend.api.sales import sale_mutation
from pos_backend.db import Database
from pos_backend.errors import ApiError
from pos_backend.idempotency import Ledger, Mutation, Outcome, in_write_transaction, till_scope
from pos_backend.models import Till
from pos_backend.models_counter import AuditEntry
from pos_backend.schemas_sales import SaleIn
from pos_backend.server import RunningBackend
from pos_backend.simulator import Simulator
from tests.integration.backend.conftest import TillClient
from tests.integration.backend.counter_util import member_state, member_with_coupons
from tests.integration.backend.sales_util import batch, post_sale, recorded_sales, sale_body


def _statuses(results: list[dict[str, Any]]) -> list[tuple[str, int]]:
    return [(r["idempotency_key"], r["status"]) for r in results]


def test_batch_keeps_order_and_a_refused_item_does_not_stop_it(
    backend: RunningBackend, till: TillClient
) -> None:
    first, refused, third = sale_body(1_000), sale_body(staff_no="3001"), sale_body(3_000)
    items = [("b-1", first), ("b-2", refused), ("b-3", third), ("b-4", {"sale_id": "only-this"})]
    results = batch(till, items)
    assert _statuses(results) == [("b-1", 201), ("b-2", 403), ("b-3", 201), ("b-4", 422)]
    assert results[1]["body"]["error"]["code"] == "role_forbidden"
    assert results[3]["body"]["error"]["code"] == "validation_failed"
    assert not any(r["replayed"] for r in results)
    assert results[0]["body"]["accepted_seq"] < results[2]["body"]["accepted_seq"]
    assert [s["sale_id"] for s in recorded_sales(till)] == [first["sale_id"], third["sale_id"]]
    # the whole batch again (its answer was lost): every item answered from its record, nothing re-applied
    again = batch(till, items)
    assert [(r["status"], r["body"]) for r in again] == [(r["status"], r["body"]) for r in results]
    assert [r["replayed"] for r in again] == [True, True, True, False]  # a malformed item stores nothing
    assert len(recorded_sales(till)) == 2


def test_key_shared_across_batches_and_single_posts_is_applied_once(
    backend: RunningBackend, till: TillClient
) -> None:
    one, two, three = sale_body(100), sale_body(200), sale_body(300)
    alone = post_sale(till, one, key="k-1")
    assert alone.status_code == 201
    first = batch(till, [("k-1", one), ("k-2", two)])
    second = batch(till, [("k-2", two), ("k-3", three)])
    assert [r["replayed"] for r in first + second] == [True, False, True, False]
    assert first[0]["body"] == alone.json() and second[0]["body"] == first[1]["body"]
    assert [s["sale_id"] for s in recorded_sales(till)] == [one["sale_id"], two["sale_id"], three["sale_id"]]
    reused = batch(till, [("k-3", sale_body(400))])  # same key, different sale
    assert reused[0]["status"] == 422 and reused[0]["body"]["error"]["code"] == "idempotency_key_reused"


def test_unknown_route_in_a_batch_is_refused_and_the_batch_goes_on(
    backend: RunningBackend, till: TillClient
) -> None:
    results = batch(till, [("u-1", {}), ("u-2", sale_body())], path="/api/v1/nowhere")
    assert _statuses(results) == [("u-1", 404), ("u-2", 404)]
    assert till.post("/api/v1/batch", {"requests": []}).status_code == 422


def _explode(*_args: Any) -> Any:
    raise RuntimeError("database unreachable")


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_failing_item_stops_the_batch(
    backend: RunningBackend,
    till: TillClient,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setitem(BATCH_ROUTES, ("POST", "/api/v1/explode"), BatchRoute(SaleIn, _explode))
    before, after = sale_body(100), sale_body(200)
    requests = [
        {"idempotency_key": "f-1", "method": "POST", "path": "/api/v1/sales", "body": before},
        {"idempotency_key": "f-2", "method": "POST", "path": "/api/v1/explode", "body": sale_body()},
        {"idempotency_key": "f-3", "method": "POST", "path": "/api/v1/sales", "body": after},
    ]
    response = till.post("/api/v1/batch", {"requests": requests})
    results = response.json()["results"]
    assert _statuses(results) == [("f-1", 201), ("f-2", 500)]
    assert results[1]["body"]["error"]["code"] == "internal_error"
    assert [s["sale_id"] for s in recorded_sales(till)] == [before["sale_id"]]
    assert "later items not attempted" in caplog.text


def _item(key: str, body: dict[str, Any], path: str = "/api/v1/sales") -> dict[str, Any]:
    return {"idempotency_key": key, "method": "POST", "path": path, "body": body}


def _events(till: TillClient) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    while True:
        after = events[-1]["seq"] if events else 0
        page = till.get("/api/v1/station/events", after=after, limit=1000).json()["events"]
        if not page:
            return events
        events += page


def _sale_events(till: TillClient) -> list[str]:
    return [e["data"]["sale_id"] for e in _events(till) if e["type"] == "sale.recorded"]


def _audited_keys(backend: RunningBackend) -> list[str | None]:
    with backend.db.read() as session:
        return list(session.scalars(select(AuditEntry.idempotency_key).order_by(AuditEntry.id)))


def test_a_refused_item_leaves_no_trace_between_the_items_around_it(
    backend: RunningBackend, till: TillClient
) -> None:
    member_id, [coupon_id, *_] = member_with_coupons(backend, wallet_fen=5_000)
    wallet_before, points_before, _ = member_state(backend, member_id)
    # the coupon is taken before the wallet turns out too low: the refusal must undo the coupon too
    discount = {"kind": "coupon", "description": "满200减15", "amount_fen": 1_500, "coupon_id": coupon_id}
    tenders = [{"method": "wallet", "amount_fen": 28_500}]
    too_dear = sale_body(30_000, member_id=member_id, discounts=[discount], tenders=tenders)
    before, after = sale_body(1_000), sale_body(2_000)
    results = batch(till, [("m-1", before), ("m-2", too_dear), ("m-3", after)])
    assert _statuses(results) == [("m-1", 201), ("m-2", 409), ("m-3", 201)]
    assert results[1]["body"]["error"]["code"] == "wallet_insufficient"
    seqs = [results[0]["body"]["accepted_seq"], results[2]["body"]["accepted_seq"]]
    assert seqs[1] == seqs[0] + 1  # the refused sale took no number
    wallet, points, coupons = member_state(backend, member_id)
    assert (wallet, points) == (wallet_before, points_before)
    assert coupons[coupon_id] == "available"
    assert _sale_events(till) == [before["sale_id"], after["sale_id"]]
    assert [k for k in _audited_keys(backend) if k and k.startswith("m-")] == ["m-1", "m-3"]
    again = batch(till, [("m-1", before), ("m-2", too_dear), ("m-3", after)])  # the answer was lost
    assert [(r["status"], r["body"], r["replayed"]) for r in again] == [
        (r["status"], r["body"], True) for r in results
    ]
    assert len(recorded_sales(till)) == 2 and len(_sale_events(till)) == 2


def test_later_items_see_what_earlier_items_of_the_batch_recorded(
    backend: RunningBackend, till: TillClient
) -> None:
    sale = sale_body(20_000, tenders=[{"method": "cash", "amount_fen": 20_000}])
    refund = {"refund_id": uuid.uuid4().hex, "staff_no": "2001", "reason": "多收", "amount_fen": 5_000}
    requests = [
        _item("s-1", sale),
        _item("s-2", sale),  # the same sale under another key
        _item("s-3", refund, path=f"/api/v1/sales/{sale['sale_id']}/refund"),
        _item("s-4", sale),  # after the refund wrote the held rows out
    ]
    results = till.post("/api/v1/batch", {"requests": requests}, staff=False).json()["results"]
    assert _statuses(results) == [("s-1", 201), ("s-2", 409), ("s-3", 201), ("s-4", 409)]
    seq = results[0]["body"]["accepted_seq"]
    for duplicate in (results[1], results[3]):
        assert duplicate["body"]["error"]["code"] == "sale_duplicate"
        assert duplicate["body"]["error"]["detail"]["accepted_seq"] == seq
    assert results[2]["body"]["refundable_fen"] == 15_000
    assert [s["sale_id"] for s in recorded_sales(till)] == [sale["sale_id"]]


def _records_then_refuses(till: TillAuth, key: str, sale: SaleIn) -> Mutation:
    """Records the sale (rows held, a number taken, the sale noted as recorded) and is then refused."""
    recording = sale_mutation(till, key, sale)

    def action(session: Session) -> tuple[int, dict[str, Any] | None]:
        recording.action(session)
        raise ApiError(409, "refused_late", "refused after recording")

    return Mutation(recording.req_hash, action, appends_only=True)


def test_a_sale_undone_with_its_refused_item_is_no_duplicate_later_in_the_batch(
    backend: RunningBackend, till: TillClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    route = BatchRoute(SaleIn, _records_then_refuses)
    monkeypatch.setitem(BATCH_ROUTES, ("POST", "/api/v1/refuses"), route)
    first, sale = sale_body(1_000), sale_body(4_000)
    requests = [
        _item("r-1", first),
        _item("r-2", sale, path="/api/v1/refuses"),
        _item("r-3", sale),  # the refused item took the sale with it: this records it
        _item("r-4", sale),  # and this one finds it recorded
    ]
    results = till.post("/api/v1/batch", {"requests": requests}, staff=False).json()["results"]
    assert _statuses(results) == [("r-1", 201), ("r-2", 409), ("r-3", 201), ("r-4", 409)]
    assert results[3]["body"]["error"]["code"] == "sale_duplicate"
    assert results[2]["body"]["accepted_seq"] == results[0]["body"]["accepted_seq"] + 1
    assert [s["sale_id"] for s in recorded_sales(till)] == [first["sale_id"], sale["sale_id"]]


def _records_then_fails(till: TillAuth, key: str, sale: SaleIn) -> Mutation:
    """Records the sale (rows held, a number taken) and then fails, as a lost database would."""
    recording = sale_mutation(till, key, sale)

    def action(session: Session) -> tuple[int, dict[str, Any] | None]:
        recording.action(session)
        raise RuntimeError("disk full")

    return Mutation(recording.req_hash, action, appends_only=True)


def test_a_failure_keeps_every_item_before_it_across_transactions(
    backend: RunningBackend, till: TillClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(BATCH_ROUTES, ("POST", "/api/v1/fails"), BatchRoute(SaleIn, _records_then_fails))
    failing_at = ITEMS_PER_TRANSACTION + 10  # in the second transaction of the batch
    bodies = [sale_body(1_000 + n) for n in range(failing_at + 15)]
    requests = [_item(f"x-{n}", body) for n, body in enumerate(bodies)]
    requests[failing_at] = _item(f"x-{failing_at}", bodies[failing_at], path="/api/v1/fails")
    results = till.post("/api/v1/batch", {"requests": requests}, staff=False).json()["results"]
    assert [r["status"] for r in results] == [201] * failing_at + [500]
    kept = [b["sale_id"] for b in bodies[:failing_at]]
    assert [s["sale_id"] for s in recorded_sales(till)] == kept
    assert _sale_events(till) == kept
    seqs = [r["body"]["accepted_seq"] for r in results[:failing_at]]
    assert seqs == list(range(seqs[0], seqs[0] + failing_at))
    # the failed item's number went back with it: the next sale follows the last kept one
    rest = batch(till, [(f"x-{n}", b) for n, b in enumerate(bodies) if n >= failing_at])
    assert [r["status"] for r in rest] == [201] * (len(bodies) - failing_at)
    assert rest[0]["body"]["accepted_seq"] == seqs[-1] + 1
    assert len(_sale_events(till)) == len(bodies)


def test_batches_and_the_forecourt_writing_at_once_lose_nothing(
    backend: RunningBackend, till: TillClient
) -> None:
    simulator = Simulator(backend.db, seed=11, busy=True)
    stepped = threading.Thread(target=lambda: [simulator.step(1.0) for _ in range(120)])
    stepped.start()
    bodies = [sale_body(500 + n) for n in range(3 * 120)]
    answers = []
    for start in range(0, len(bodies), 120):  # each batch spans three transactions
        chunk = bodies[start : start + 120]
        answers += batch(till, [(f"c-{start + n}", body) for n, body in enumerate(chunk)])
    stepped.join(timeout=60)
    assert not stepped.is_alive()
    assert [r["status"] for r in answers] == [201] * len(bodies)
    seqs = [r["body"]["accepted_seq"] for r in answers]
    assert seqs == list(range(seqs[0], seqs[0] + len(bodies)))
    assert [s["sale_id"] for s in recorded_sales(till)] == [b["sale_id"] for b in bodies]
    events = _events(till)
    assert {e["type"] for e in events} - {"sale.recorded"}, "the forecourt wrote events meanwhile"
    assert [e["data"]["sale_id"] for e in events if e["type"] == "sale.recorded"] == [
        b["sale_id"] for b in bodies
    ]


def _disk_filling_route(appends_only: bool) -> BatchRoute:
    """A route whose change makes SQLite answer SQLITE_FULL, which rolls back the whole transaction."""

    def prepare(_till: TillAuth, key: str, _body: SaleIn) -> Mutation:
        def action(session: Session) -> tuple[int, dict[str, Any]]:
            session.execute(text("CREATE TABLE IF NOT EXISTS filler (x BLOB)"))
            pages = session.execute(text("PRAGMA page_count")).scalar()
            session.execute(text(f"PRAGMA max_page_count = {pages + 2}"))
            session.execute(text("INSERT INTO filler VALUES (zeroblob(2000000))"))
            return 201, {}

        return Mutation("full-" + key, action, appends_only=appends_only)

    return BatchRoute(SaleIn, prepare)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("appends_only", [True, False])
def test_a_disk_full_mid_batch_keeps_nothing_of_its_part_and_says_so(
    backend: RunningBackend, till: TillClient, monkeypatch: pytest.MonkeyPatch, appends_only: bool
) -> None:
    monkeypatch.setitem(BATCH_ROUTES, ("POST", "/api/v1/full"), _disk_filling_route(appends_only))
    member_id, _ = member_with_coupons(backend, wallet_fen=50_000)
    before = member_state(backend, member_id)
    paid = sale_body(10_000, member_id=member_id, tenders=[{"method": "wallet", "amount_fen": 10_000}])
    requests = [
        {"idempotency_key": "df-1", "method": "POST", "path": "/api/v1/sales", "body": paid},
        {"idempotency_key": "df-2", "method": "POST", "path": "/api/v1/full", "body": sale_body(100)},
    ]
    results = till.post("/api/v1/batch", {"requests": requests}, staff=False).json()["results"]
    assert [r["status"] for r in results] == [500]  # the part's first item: none of it was kept
    with backend.db.write() as session:  # space again
        session.execute(text("PRAGMA max_page_count = 1073741823"))
    assert member_state(backend, member_id) == before
    assert paid["sale_id"] not in {s["sale_id"] for s in recorded_sales(till)}
    retried = batch(till, [("df-1", paid)])
    assert [(r["status"], r["replayed"]) for r in retried] == [(201, False)]  # applied now, once
    assert member_state(backend, member_id)[0] == before[0] - 10_000
    assert post_sale(till, sale_body(200)).status_code == 201  # the sale numbers were not left behind


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_two_backend_processes_crossing_counter_locks_both_get_through(
    backend: RunningBackend, till: TillClient, caplog: pytest.LogCaptureFixture
) -> None:
    """A batch takes the sale number, then a member's version; a member sale sent alone on another
    backend process takes them the other way round. PostgreSQL ends one as a deadlock victim, which is
    run again rather than answered 500."""
    caplog.set_level(logging.INFO, logger="pos_backend.idempotency")
    other = Database(backend.db.url)  # a second backend process on the same database
    first_member, _ = member_with_coupons(backend)
    second_member, _ = member_with_coupons(backend)
    with backend.db.read() as session:
        station_id = session.get(Till, till.till_id).station_id  # type: ignore[union-attr]
    auth = TillAuth(till_id=till.till_id, till_name="前台1", station_id=station_id)
    bodies = [sale_body(100), sale_body(100, member_id=first_member), sale_body(100, member_id=second_member)]
    plain = sale_mutation(auth, "dl-1", SaleIn(**bodies[0]))
    member_sale = sale_mutation(auth, "dl-2", SaleIn(**bodies[1]))
    slowed = Mutation(member_sale.req_hash, lambda s: (time.sleep(1.0), member_sale.action(s))[1], False)
    alone = sale_mutation(auth, "dl-3", SaleIn(**bodies[2]))
    outcomes: dict[str, Any] = {}

    def batch_part() -> None:
        def work(session: Session) -> list[Outcome]:
            ledger = Ledger(session, till_scope(till.till_id), ["dl-1", "dl-2"])
            return [ledger.apply("dl-1", plain), ledger.apply("dl-2", slowed)]

        outcomes["batch"] = in_write_transaction(backend.db, work)

    def single() -> None:
        time.sleep(0.3)  # inside the batch's sleep: it holds the sale number, wants the member version
        work = lambda s: Ledger(s, till_scope(till.till_id), ["dl-3"]).apply("dl-3", alone)  # noqa: E731
        outcomes["single"] = in_write_transaction(other, work)

    threads = [threading.Thread(target=batch_part), threading.Thread(target=single)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    other.dispose()
    assert "chosen as a deadlock victim" in caplog.text  # the crossing happened: one of them ran again
    assert [o.status for o in outcomes["batch"]] == [201, 201]
    assert outcomes["single"].status == 201
    recorded = [s["sale_id"] for s in recorded_sales(till)]
    assert all(recorded.count(body["sale_id"]) == 1 for body in bodies)
