"""The same Idempotency-Key sent twice at once is applied once, and both senders get the same answer.

The second backend serves the same database from its own engine and write lock, as a second backend
process would: on SQLite the writers meet at BEGIN IMMEDIATE, on PostgreSQL at the unique constraint.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

import pytest

from pos_backend.server import RunningBackend, start_backend
from tests.integration.backend.conftest import TillClient
from tests.integration.backend.sales_util import recorded_sales, sale_body

ROUNDS = 20
Answer = tuple[int, dict[str, Any], bool]  # status, body, replayed


@pytest.fixture
def second_backend(backend: RunningBackend, db_url: str) -> Iterator[RunningBackend]:
    running = start_backend(db_url, seed=False)
    yield running
    running.stop()


def _via_sales(till: TillClient, key: str, body: dict[str, Any]) -> Answer:
    response = till.post("/api/v1/sales", body, key=key, staff=False)
    return response.status_code, response.json(), response.headers.get("Idempotent-Replayed") == "true"


def _via_batch(till: TillClient, key: str, body: dict[str, Any]) -> Answer:
    item = {"idempotency_key": key, "method": "POST", "path": "/api/v1/sales", "body": body}
    response = till.post("/api/v1/batch", {"requests": [item]}, staff=False)
    [result] = response.json()["results"]
    return result["status"], result["body"], result["replayed"]


def _at_once(calls: list[Callable[[], Answer]]) -> list[Answer]:
    barrier = threading.Barrier(len(calls))
    answers: list[Answer | BaseException] = [RuntimeError("no answer")] * len(calls)

    def run(index: int) -> None:
        barrier.wait()
        try:
            answers[index] = calls[index]()
        except BaseException as error:  # handed to the test thread below
            answers[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    for answer in answers:
        if isinstance(answer, BaseException):
            raise answer
    return [a for a in answers if not isinstance(a, BaseException)]


def test_same_key_at_once_is_applied_once(
    backend: RunningBackend, second_backend: RunningBackend, till: TillClient
) -> None:
    twin = TillClient(second_backend.url, till.token, till.till_id, till.till_name)
    sent = []
    for round_no in range(ROUNDS):
        body = sale_body(1_000 + round_no)
        key = f"race-{round_no}"
        # even rounds: two threads on one backend; odd rounds: one on each (as two processes would)
        other = till if round_no % 2 == 0 else twin
        second_call = _via_batch if round_no % 4 < 2 else _via_sales
        answers = _at_once([partial(_via_sales, till, key, body), partial(second_call, other, key, body)])
        (status_a, body_a, replayed_a), (status_b, body_b, replayed_b) = answers
        assert (status_a, status_b) == (201, 201), answers
        assert body_a == body_b
        assert sorted([replayed_a, replayed_b]) == [False, True]
        sent.append(body["sale_id"])
    recorded = recorded_sales(till)
    assert sorted(s["sale_id"] for s in recorded) == sorted(sent)
    seqs = [s["accepted_seq"] for s in recorded]
    assert seqs == sorted(seqs) and len(set(seqs)) == ROUNDS
