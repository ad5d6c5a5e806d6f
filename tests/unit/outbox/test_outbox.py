"""The outbox state machine over a real SQLite store: enqueue, lease, verdicts, counts and listing."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

import pytest

from pos.services.ports_outbox import OutboxState
from pos.sync.outbox import Outbox, StoreOutbox, Verdict, owner_process_alive
from pos.sync.store import LocalStore
from tests.unit.outbox.conftest import FakeClock, enqueue


def test_enqueue_inside_a_rolled_back_transaction_leaves_nothing(store: LocalStore, outbox: Outbox) -> None:
    with pytest.raises(RuntimeError), store.write() as conn:
        outbox.enqueue(conn, "POST", "/api/v1/sales", {"n": 1}, "1001")
        raise RuntimeError("the local change failed")
    with store.read() as conn:
        assert outbox.counts(conn).pending == 0


def test_each_record_gets_its_own_fresh_key(store: LocalStore, outbox: Outbox) -> None:
    enqueue(store, outbox, 3)
    with store.read() as conn:
        keys = {entry.idempotency_key for entry in outbox.entries(conn)}
    assert len(keys) == 3


def test_claim_takes_the_head_in_order_and_marks_it_sent(store: LocalStore, outbox: Outbox) -> None:
    ids = enqueue(store, outbox, 5)
    with store.write() as conn:
        claimed = outbox.claim(conn, "a", limit=3, lease_seconds=60)
    assert [r.id for r in claimed] == ids[:3]
    assert all(r.state == OutboxState.SENT and r.attempts == 1 for r in claimed)
    with store.read() as conn:
        counts = outbox.counts(conn)
    assert (counts.pending, counts.sent, counts.unsent) == (2, 3, 5)


def test_a_live_lease_on_the_head_blocks_another_owner(
    store: LocalStore, outbox: Outbox, clock: FakeClock
) -> None:
    enqueue(store, outbox, 4)
    with store.write() as conn:
        outbox.claim(conn, "a", limit=2, lease_seconds=60)
    with store.write() as conn:
        assert outbox.claim(conn, "b", limit=10, lease_seconds=60) == []  # order beats parallelism
    clock.advance(61)  # "a" died without a verdict: its lease runs out and the records are resent
    with store.write() as conn:
        again = outbox.claim(conn, "b", limit=10, lease_seconds=60)
    assert [r.attempts for r in again] == [2, 2, 1, 1]


def test_verdicts_and_failures(store: LocalStore, outbox: Outbox) -> None:
    ids = enqueue(store, outbox, 4)
    with store.write() as conn:
        outbox.claim(conn, "a", limit=4, lease_seconds=60)
        outbox.mark_acked(conn, ids[0], 201, {"sale_id": "s0"})
        outbox.mark_rejected(
            conn, ids[1], 409, {"error": {"code": "sale_duplicate", "message": "重复"}}, "dup"
        )
        outbox.mark_failed(conn, ids[2], "a", "backend_error: 500")
        outbox.release_unattempted(conn, ids[3], "a")
    with store.read() as conn:
        entries = {e.id: e for e in outbox.entries(conn)}
    assert entries[ids[0]].state == OutboxState.ACKED and entries[ids[0]].response_body == {"sale_id": "s0"}
    assert entries[ids[1]].state == OutboxState.REJECTED
    assert entries[ids[1]].rejection_code == "sale_duplicate"
    assert (entries[ids[2]].state, entries[ids[2]].attempts) == (OutboxState.PENDING, 1)
    assert entries[ids[2]].last_error == "backend_error: 500"
    assert (entries[ids[3]].state, entries[ids[3]].attempts) == (OutboxState.PENDING, 0)


def test_a_round_of_verdicts_gives_each_record_its_own_answer(store: LocalStore, outbox: Outbox) -> None:
    ids = enqueue(store, outbox, 4)
    with store.write() as conn:
        outbox.claim(conn, "a", limit=4, lease_seconds=60)
        outbox.mark_acked(conn, ids[3], 201, {"sale_id": "first"})  # a verdict already written stands
        outbox.mark_verdicts(
            conn,
            [
                Verdict(ids[0], OutboxState.ACKED, 201, {"sale_id": "s0"}),
                Verdict(ids[1], OutboxState.REJECTED, 409, {"error": {"code": "sale_duplicate"}}, "dup"),
                Verdict(ids[2], OutboxState.ACKED, 200, None),
                Verdict(ids[3], OutboxState.REJECTED, 409, {}, "late"),
            ],
        )
    with store.read() as conn:
        entries = {e.id: e for e in outbox.entries(conn)}
    answers = [(e.state, e.response_status, e.response_body, e.last_error) for e in entries.values()]
    assert answers == [
        (OutboxState.ACKED, 201, {"sale_id": "s0"}, None),
        (OutboxState.REJECTED, 409, {"error": {"code": "sale_duplicate"}}, "dup"),
        (OutboxState.ACKED, 200, None, None),
        (OutboxState.ACKED, 201, {"sale_id": "first"}, None),
    ]
    assert all(e.acked_at is not None for e in entries.values())


def test_a_late_failure_never_undoes_another_drainers_verdict(
    store: LocalStore, outbox: Outbox, clock: FakeClock
) -> None:
    [record_id] = enqueue(store, outbox, 1)
    with store.write() as conn:
        outbox.claim(conn, "slow", limit=1, lease_seconds=5)
    clock.advance(6)
    with store.write() as conn:
        outbox.claim(conn, "fast", limit=1, lease_seconds=5)
        outbox.mark_acked(conn, record_id, 201, {})
        outbox.mark_failed(conn, record_id, "slow", "timeout")  # the slow one's answer arrives too late
        outbox.mark_rejected(conn, record_id, 409, {}, "late")  # and a verdict is final as well
    with store.read() as conn:
        [entry] = outbox.entries(conn)
    assert entry.state == OutboxState.ACKED


def test_rejected_records_stop_nothing_and_are_listed_first(store: LocalStore, outbox: Outbox) -> None:
    ids = enqueue(store, outbox, 3)
    with store.write() as conn:
        outbox.claim(conn, "a", limit=1, lease_seconds=60)
        outbox.mark_rejected(conn, ids[0], 403, {"error": {"code": "role_forbidden"}}, "role_forbidden")
        claimed = outbox.claim(conn, "a", limit=10, lease_seconds=60)
    assert [r.id for r in claimed] == ids[1:]
    with store.read() as conn:
        listed = outbox.unsent_and_rejected(conn)
    assert [e.id for e in listed] == [ids[0], ids[1], ids[2]]


def test_record_sale_writes_the_sale_and_its_record_together(
    store: LocalStore, bound: StoreOutbox, clock: FakeClock
) -> None:
    woken: list[bool] = []
    bound.on_enqueued(lambda: woken.append(True))
    entry = bound.record_sale("sale-1", clock(), "1001", {"sale_id": "sale-1", "total_fen": 100})
    with store.read() as conn:
        row = conn.exec_driver_sql("SELECT sale_id, outbox_id FROM sales_local").one()
    assert tuple(row) == ("sale-1", entry.id)
    assert bound.counts().pending == 1 and woken == [True]
    assert entry.created_at == clock() and entry.path == "/api/v1/sales"


def test_a_duplicate_sale_id_rolls_back_its_outbox_record_too(bound: StoreOutbox, clock: FakeClock) -> None:
    bound.record_sale("sale-1", clock(), "1001", {"sale_id": "sale-1"})
    with pytest.raises(Exception, match="UNIQUE"):
        bound.record_sale("sale-1", clock() + timedelta(seconds=1), "1001", {"sale_id": "sale-1"})
    assert bound.counts().pending == 1


def test_a_lease_held_by_a_dead_process_is_taken_over_at_once(store: LocalStore, clock: FakeClock) -> None:
    alive = {"111-aaaa": False}
    outbox = Outbox(clock, owner_alive=lambda owner: alive.get(owner, True))
    enqueue(store, outbox, 2)
    with store.write() as conn:
        outbox.claim(conn, "111-aaaa", limit=2, lease_seconds=60)
        outbox.claim(conn, "222-bbbb", limit=2, lease_seconds=60)  # the crashed till's records, resent
        assert outbox.claim(conn, "333-cccc", limit=2, lease_seconds=60) == []  # 222 lives: wait
    with store.read() as conn:
        assert [(e.state, e.attempts) for e in outbox.entries(conn)] == [(OutboxState.SENT, 2)] * 2


def test_owner_liveness_is_read_from_the_process_table() -> None:
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True)
    dead_pid = int(finished.stdout)  # reaped by run(): no zombie answers for it
    assert owner_process_alive(f"{os.getpid()}-x") and owner_process_alive("not-a-pid")
    if os.name == "posix":
        assert not owner_process_alive(f"{dead_pid}-x")
        assert owner_process_alive("1-init")  # pid 1 always exists (maybe another user's)
