"""The drainer's rounds against a scripted backend: batches, fallback, verdicts, failures, backoff."""

from __future__ import annotations

import random
import threading
from typing import Any

from pos.services.ports_outbox import OutboxState
from pos.sync.drainer import Backoff, DrainReport, OutboxDrainer
from pos.sync.outbox import Outbox
from pos.sync.store import LocalStore
from tests.unit.outbox.conftest import FakeClock, ScriptedPoster, batch_ok, enqueue, raising


def states(store: LocalStore, outbox: Outbox) -> list[str]:
    with store.read() as conn:
        return [entry.state.value for entry in outbox.entries(conn)]


def drainer(store: LocalStore, poster: ScriptedPoster, outbox: Outbox, **kwargs: Any) -> OutboxDrainer:
    return OutboxDrainer(store, poster, outbox=outbox, owner="till-1", **kwargs)


def test_a_round_sends_one_batch_in_id_order_and_acks_each_record(store: LocalStore, outbox: Outbox) -> None:
    enqueue(store, outbox, 250)
    poster = ScriptedPoster(batch_ok, batch_ok, batch_ok)
    assert drainer(store, poster, outbox).drain_until_idle() is None
    assert [len(call[1]["requests"]) for call in poster.calls] == [100, 100, 50]
    sent = [item["body"]["n"] for call in poster.calls for item in call[1]["requests"]]
    assert sent == list(range(250))
    assert states(store, outbox) == ["acked"] * 250


def test_a_4xx_item_is_rejected_and_the_batch_goes_on(store: LocalStore, outbox: Outbox) -> None:
    enqueue(store, outbox, 3)

    def middle_refused(path: str, payload: dict[str, Any], key: str) -> dict[str, Any]:
        body = batch_ok(path, payload, key)
        body["results"][1] = {
            "idempotency_key": payload["requests"][1]["idempotency_key"],
            "status": 409,
            "body": {"error": {"code": "transaction_cleared", "message": "已结算 / already settled"}},
        }
        return body

    report = drainer(store, ScriptedPoster(middle_refused), outbox).drain_once()
    assert report is not None and (report.acked, report.rejected, report.error) == (2, 1, None)
    assert states(store, outbox) == ["acked", "rejected", "acked"]
    with store.read() as conn:
        rejected = outbox.unsent_and_rejected(conn)[0]
    assert rejected.rejection_code == "transaction_cleared"
    assert rejected.last_error == "transaction_cleared: 已结算 / already settled"


def test_a_5xx_item_stops_the_round_and_keeps_the_rest_in_order(store: LocalStore, outbox: Outbox) -> None:
    enqueue(store, outbox, 4)

    def fails_at_third(path: str, payload: dict[str, Any], key: str) -> dict[str, Any]:
        body = batch_ok(path, payload, key)
        failed = {"idempotency_key": payload["requests"][2]["idempotency_key"], "status": 500, "body": None}
        body["results"] = [*body["results"][:2], failed]
        return body

    report = drainer(store, ScriptedPoster(fails_at_third), outbox).drain_once()
    assert report is not None and report.error is not None and report.error.code == "backend_error"
    assert states(store, outbox) == ["acked", "acked", "pending", "pending"]
    with store.read() as conn:
        attempts = [e.attempts for e in outbox.entries(conn)]
    assert attempts == [1, 1, 1, 0]  # the fourth never left the till


def test_no_answer_leaves_every_record_pending_with_the_error(store: LocalStore, outbox: Outbox) -> None:
    enqueue(store, outbox, 2)
    poster = ScriptedPoster(raising("backend_unreachable"), batch_ok)
    first = drainer(store, poster, outbox)
    assert first.drain_until_idle() is not None
    with store.read() as conn:
        entries = list(outbox.entries(conn))
    assert [e.state for e in entries] == [OutboxState.PENDING] * 2
    assert entries[0].last_error is not None and entries[0].last_error.startswith("backend_unreachable")
    assert first.drain_until_idle() is None  # next round: the same keys go again
    assert poster.calls[0][1] == poster.calls[1][1]
    assert states(store, outbox) == ["acked", "acked"]


def test_a_malformed_batch_answer_is_no_verdict(store: LocalStore, outbox: Outbox) -> None:
    enqueue(store, outbox, 2)
    report = drainer(store, ScriptedPoster(lambda *_: {"results": "oops"}), outbox).drain_once()
    assert report is not None and report.error is not None and report.error.code == "bad_response"
    assert states(store, outbox) == ["pending", "pending"]


def test_without_a_batch_route_records_go_one_by_one_with_their_own_keys(
    store: LocalStore, outbox: Outbox
) -> None:
    enqueue(store, outbox, 3)
    poster = ScriptedPoster(
        raising("not_found", 404),
        lambda path, payload, key: {"sale_id": payload["n"]},
        raising("sale_duplicate", 409),
        raising("backend_timeout"),
    )
    worker = drainer(store, poster, outbox)
    report = worker.drain_once()
    assert not worker.use_batch
    assert [call[0] for call in poster.calls] == ["/batch", "/sales", "/sales", "/sales"]
    with store.read() as conn:
        entries = list(outbox.entries(conn))
    assert [call[2] for call in poster.calls[1:]] == [e.idempotency_key for e in entries]
    assert [e.state for e in entries] == [OutboxState.ACKED, OutboxState.REJECTED, OutboxState.PENDING]
    assert entries[1].rejection_code == "sale_duplicate"
    assert report is not None and report.error is not None and report.error.code == "backend_timeout"


def test_an_auth_refusal_is_not_a_verdict_on_the_record(store: LocalStore, outbox: Outbox) -> None:
    enqueue(store, outbox, 1)
    drainer(store, ScriptedPoster(raising("device_token_invalid", 401)), outbox).drain_once()
    assert states(store, outbox) == ["pending"]


def test_backoff_doubles_with_jitter_up_to_the_cap_and_resets() -> None:
    backoff = Backoff(1.0, 30.0, random.Random(3))
    delays = [backoff.next_delay() for _ in range(8)]
    ceilings = [1, 2, 4, 8, 16, 30, 30, 30]
    assert all(c / 2 <= d <= c for d, c in zip(delays, ceilings, strict=True))
    backoff.reset()
    assert 0.5 <= backoff.next_delay() <= 1.0


def test_the_thread_wakes_on_enqueue_and_reports(store: LocalStore, clock: FakeClock) -> None:
    outbox = Outbox(clock)
    reports: list[DrainReport] = []
    done = threading.Event()

    def on_report(report: DrainReport) -> None:
        reports.append(report)
        done.set()

    worker = drainer(store, ScriptedPoster(batch_ok), outbox, idle_seconds=60, on_report=on_report)
    worker.start()
    try:
        enqueue(store, outbox, 2)
        worker.wake()
        assert done.wait(5), "an enqueue must not wait for the idle timer"
    finally:
        worker.stop()
    assert reports[0].acked == 2


def test_retry_now_ends_a_backoff_wait(store: LocalStore, outbox: Outbox) -> None:
    enqueue(store, outbox, 1)
    acked = threading.Event()
    backoff = Backoff(60.0, 60.0)  # without retry_now the second round would come a minute later
    worker = drainer(
        store,
        ScriptedPoster(raising("backend_unreachable"), batch_ok),
        outbox,
        backoff=backoff,
        on_report=lambda report: acked.set() if report.acked else None,
    )
    worker.start()
    try:
        for _ in range(500):  # until the first round has failed and the worker waits
            if backoff.failures:
                break
            threading.Event().wait(0.01)
        worker.retry_now()
        assert acked.wait(5)
    finally:
        worker.stop()
