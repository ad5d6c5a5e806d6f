"""Issue 6: two tills, 100 attempts each on the same code at once; exactly one redemption succeeds.

The tills talk to two backends serving one database (as two backend processes would): on SQLite the
writers meet at BEGIN IMMEDIATE, on PostgreSQL at the row lock of the conditional UPDATE.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests

from pos_backend.server import RunningBackend, start_backend
from tests.integration.backend.conftest import TillClient
from tests.integration.backend.writeoff_util import WO, issued_codes, redeem_body

ATTEMPTS_PER_TILL = 100
THREADS = 16
_local = threading.local()  # one HTTP session per worker thread (requests.Session is not thread-safe)


@pytest.fixture
def second_backend(backend: RunningBackend, db_url: str) -> Iterator[RunningBackend]:
    running = start_backend(db_url, seed=False)
    yield running
    running.stop()


def _attempt(till: TillClient, code: str, staff_no: str, index: int) -> tuple[str, int, dict[str, Any]]:
    http = getattr(_local, "http", None) or requests.Session()
    _local.http = http
    headers = till.headers(f"race-{till.till_id}-{index}")
    body = redeem_body(staff_no)
    response = http.post(f"{till.base}{WO}/{code}/redeem", json=body, headers=headers, timeout=30)
    return till.till_id, response.status_code, response.json()


def test_two_tills_a_hundred_attempts_each_one_success(
    backend: RunningBackend, second_backend: RunningBackend, till: TillClient, other_till: TillClient
) -> None:
    [code] = issued_codes(backend, "pickup")
    via_second = TillClient(second_backend.url, other_till.token, other_till.till_id, other_till.till_name)
    jobs = []
    for index in range(ATTEMPTS_PER_TILL):  # interleaved, so both tills are in flight from the start
        jobs += [(till, code, "1001", index), (via_second, code, "2001", index)]
    start = threading.Barrier(THREADS)

    def run(job: tuple[TillClient, str, str, int]) -> tuple[str, int, dict[str, Any]]:
        if job[3] < THREADS // 2:  # the first wave leaves together
            start.wait(timeout=30)
        return _attempt(*job)

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        answers = list(pool.map(run, jobs))

    successes = [(till_id, body) for till_id, status, body in answers if status == 200]
    assert len(successes) == 1, [status for _, status, _ in answers]
    [(winner, won)] = successes
    first = won["redeemed"]
    assert first["till_id"] == winner
    refusals = [body for _, status, body in answers if status != 200]
    assert len(refusals) == 2 * ATTEMPTS_PER_TILL - 1
    for body in refusals:
        assert body["error"]["code"] == "code_already_redeemed", body
        named = body["error"]["detail"]["redeemed"]
        assert named == first
    assert {till_id for till_id, _, _ in answers} == {till.till_id, other_till.till_id}
    day = till.get(WO).json()
    assert [w["code"] for w in day["writeoffs"]].count(code) == 1
