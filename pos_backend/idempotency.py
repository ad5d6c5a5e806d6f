"""Apply a mutating request once per (scope, Idempotency-Key); answer repeats with the stored response.

The record is written in the same transaction as the change. Refusals (4xx) are stored too, so a retry
gets the same answer the first attempt got. Records that carry a secret (pairing, sign-in answers hold
a token) are purged after a few minutes; the others after a day.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pos_backend.clock import utc_now
from pos_backend.db import Database
from pos_backend.errors import ApiError
from pos_backend.models import IdempotencyRecord

log = logging.getLogger(__name__)

SECRET_RECORD_LIFETIME = timedelta(minutes=10)
RECORD_LIFETIME = timedelta(hours=24)
PAIRING_SCOPE = "pairing"
RACE_ATTEMPTS = 3


@dataclass(frozen=True)
class Outcome:
    status: int
    body: dict[str, Any] | None
    replayed: bool = False


Action = Callable[[Session], tuple[int, dict[str, Any] | None]]


def request_hash(method: str, path: str, payload: dict[str, Any] | None) -> str:
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{method.upper()} {path}\n{canonical}".encode()).hexdigest()


def _stored(session: Session, scope: str, key: str, req_hash: str) -> Outcome | None:
    record = session.scalar(
        select(IdempotencyRecord).where(IdempotencyRecord.scope == scope, IdempotencyRecord.key == key)
    )
    if record is None:
        return None
    if record.request_hash != req_hash:
        raise ApiError(
            422,
            "idempotency_key_reused",
            "该请求编号已用于另一个请求 / This Idempotency-Key was used for a different request",
        )
    body = json.loads(record.body) if record.body is not None else None
    return Outcome(record.status, body, replayed=True)


def _apply(session: Session, action: Action) -> tuple[int, dict[str, Any] | None]:
    try:
        with session.begin_nested():  # a refusal undoes whatever the action had started
            return action(session)
    except ApiError as refusal:
        return refusal.status, refusal.body()


def run_once(
    db: Database, scope: str, key: str, req_hash: str, action: Action, holds_secret: bool = False
) -> Outcome:
    """Apply ``action`` once per (scope, key), or answer with what the first application answered.

    Two requests with one key at once: on SQLite the second waits for the write lock and then finds the
    record. On PostgreSQL both may run; the unique (scope, key) constraint fails the later commit, whose
    transaction is rolled back whole, and the retry answers from the winner's record.
    """
    for attempt in range(1, RACE_ATTEMPTS + 1):
        try:
            with db.write() as session:
                stored = _stored(session, scope, key, req_hash)
                if stored is not None:
                    return stored
                status, body = _apply(session, action)
                session.add(
                    IdempotencyRecord(
                        scope=scope,
                        key=key,
                        request_hash=req_hash,
                        status=status,
                        body=None if body is None else json.dumps(body, ensure_ascii=False),
                        created_at=utc_now(),
                        holds_secret=holds_secret,
                    )
                )
                session.flush()
            return Outcome(status, body)
        except IntegrityError:
            # a concurrent request committed first (same key, or the same unique value such as a
            # sale_id under another key): everything here was rolled back; look again
            if attempt == RACE_ATTEMPTS:
                raise
            log.info("idempotent request lost a race (attempt %d); answering from the winner", attempt)
    raise AssertionError("unreachable")


def purge_records(session: Session, now: datetime) -> None:
    session.execute(
        delete(IdempotencyRecord).where(
            or_(
                IdempotencyRecord.created_at < now - RECORD_LIFETIME,
                (IdempotencyRecord.holds_secret.is_(True))
                & (IdempotencyRecord.created_at < now - SECRET_RECORD_LIFETIME),
            )
        )
    )
