"""Stopping the backend under connected tills and starting it again on the same port and database."""

from __future__ import annotations

import threading
import time
from typing import Any

import requests

from pos_backend.server import RunningBackend, start_backend
from tests.integration.backend.conftest import TillClient, pair_till
from tests.integration.backend.sales_util import recorded_sales, sale_body

BURST = 40
PAUSE = 0.02  # between sales: the burst is still running when the backend stops


class SaleBurst(threading.Thread):
    """A till sending sales one after another, resending each (same key) until the backend takes it."""

    def __init__(self, till: TillClient) -> None:
        super().__init__(name="sale-burst", daemon=True)
        self.till = till
        self.sent: list[str] = []
        self.resends = 0
        self.accepted = threading.Semaphore(0)

    def run(self) -> None:
        for index in range(BURST):
            body = sale_body(1_000 + index)
            while not self._deliver(f"burst-{index}", body):
                self.resends += 1
                time.sleep(0.05)
            self.sent.append(body["sale_id"])
            self.accepted.release()
            time.sleep(PAUSE)

    def _deliver(self, key: str, body: dict[str, Any]) -> bool:
        try:
            response = self.till.http.post(
                self.till.base + "/api/v1/sales", json=body, headers=self.till.headers(key), timeout=5
            )
        except requests.ConnectionError:
            return False
        return response.status_code == 201


def test_stop_answers_waiting_long_polls_and_does_not_hang(db_url: str) -> None:
    backend = start_backend(db_url)
    till = pair_till(backend, "前台1")
    after = till.get("/api/v1/station/events", after=0, limit=1000).json()["last_seq"]
    answers: list[requests.Response] = []
    poller = threading.Thread(
        target=lambda: answers.append(till.get("/api/v1/station/events", after=after, wait=25)), daemon=True
    )
    poller.start()
    time.sleep(0.3)  # the poll is waiting now: nothing happens at the station
    started = time.monotonic()
    backend.stop()
    assert time.monotonic() - started < 1.5
    poller.join(timeout=5)
    [answer] = answers
    assert (answer.status_code, answer.json()) == (200, {"events": [], "last_seq": after})


def test_restart_on_the_same_port_mid_burst(db_url: str) -> None:
    first: RunningBackend = start_backend(db_url)
    port = first.port
    till = pair_till(first, "前台1")
    burst = SaleBurst(till)
    burst.start()
    for _ in range(BURST // 4):
        assert burst.accepted.acquire(timeout=10)
    first.stop()
    time.sleep(0.2)  # the till keeps trying meanwhile
    second = start_backend(db_url, port=port)
    try:
        assert second.url == first.url
        burst.join(timeout=30)
        assert not burst.is_alive() and burst.resends > 0
        recorded = [s["sale_id"] for s in recorded_sales(till)]
        assert recorded == burst.sent  # every sale once, in the order the till sent them
    finally:
        second.stop()
