"""A real LocalStore on a temporary file, a settable clock, and a scripted stand-in for the backend."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from pos.domain.errors import PosError
from pos.sync.outbox import Outbox, StoreOutbox
from pos.sync.store import LocalStore

START = datetime(2026, 11, 21, 6, 2, tzinfo=UTC)


class FakeClock:
    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


Reply = Callable[[str, dict[str, Any], str], Any]


class ScriptedPoster:
    """Answers each post_json with the next scripted reply (a function of path, payload and key)."""

    def __init__(self, *replies: Reply) -> None:
        self.replies = list(replies)
        self.calls: list[tuple[str, dict[str, Any], str]] = []

    def post_json(
        self, path: str, payload: dict[str, Any], idempotency_key: str, read_timeout: float | None = None
    ) -> Any:
        self.calls.append((path, payload, idempotency_key))
        reply = self.replies.pop(0)
        return reply(path, payload, idempotency_key)


def batch_ok(path: str, payload: dict[str, Any], key: str) -> dict[str, Any]:
    return {
        "results": [
            {
                "idempotency_key": item["idempotency_key"],
                "status": 201,
                "body": {"sale_id": item["body"]["n"]},
            }
            for item in payload["requests"]
        ]
    }


def raising(code: str, status: int | None = None) -> Reply:
    def reply(path: str, payload: dict[str, Any], key: str) -> Any:
        detail = {"status": status} if status is not None else {}
        raise PosError(code, "title", f"{code} message", detail)

    return reply


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[LocalStore]:
    local = LocalStore(tmp_path / "till.sqlite3")
    yield local
    local.close()


@pytest.fixture
def outbox(clock: FakeClock) -> Outbox:
    return Outbox(clock)


@pytest.fixture
def bound(store: LocalStore, outbox: Outbox) -> StoreOutbox:
    return StoreOutbox(store, outbox)


def enqueue(store: LocalStore, outbox: Outbox, count: int, start: int = 0) -> list[int]:
    ids = []
    with store.write() as conn:
        for n in range(start, start + count):
            ids.append(outbox.enqueue(conn, "POST", "/api/v1/sales", {"n": n}, "1001").id)
    return ids
