"""Apply a mutating request once per (scope, Idempotency-Key); answer repeats with the stored response.

The record is written in the same transaction as the change. Refusals (4xx) are stored too, so a retry
gets the same answer the first attempt got. Records that carry a secret (pairing, sign-in answers hold
a token) are purged after a few minutes; the others after a day.

A ``Ledger`` applies any number of requests of one scope inside one open write transaction, each in its
own SAVEPOINT: ``POST /batch`` applies many in one transaction, a route of its own applies one.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import bindparam, delete, or_, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from pos_backend import write_behind
from pos_backend.clock import utc_now
from pos_backend.db import Database
from pos_backend.errors import ApiError
from pos_backend.models import Base, IdempotencyRecord

log = logging.getLogger(__name__)

SECRET_RECORD_LIFETIME = timedelta(minutes=10)
RECORD_LIFETIME = timedelta(hours=24)
PAIRING_SCOPE = "pairing"
RACE_ATTEMPTS = 3
RETRYABLE_SQLSTATES = frozenset({"40P01", "40001"})  # deadlock detected, serialization failure
_RECORDS = Base.metadata.tables["idempotency_records"]
_RECORDS_OF_KEYS = select(_RECORDS.c.key, _RECORDS.c.request_hash, _RECORDS.c.status, _RECORDS.c.body).where(
    _RECORDS.c.scope == bindparam("scope"), _RECORDS.c.key.in_(bindparam("keys", expanding=True))
)
T = TypeVar("T")


@dataclass(frozen=True)
class Outcome:
    status: int
    body: dict[str, Any] | None
    replayed: bool = False


Action = Callable[[Session], tuple[int, dict[str, Any] | None]]


@dataclass(frozen=True)
class Mutation:
    """A request ready to apply: the hash it is recorded under and the change it makes.

    ``appends_only``: the change reads no row held by write_behind (except through ``sales``) and only
    appends rows and takes counter values, so the rows held before it need not be written first."""

    req_hash: str
    action: Action
    holds_secret: bool = False
    appends_only: bool = False


def request_hash(method: str, path: str, payload: dict[str, Any] | None) -> str:
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{method.upper()} {path}\n{canonical}".encode()).hexdigest()


def till_scope(till_id: str) -> str:
    return f"till:{till_id}"


@dataclass(frozen=True)
class _Record:
    req_hash: str
    status: int
    body: dict[str, Any] | None


class Ledger:
    """The idempotency records of one scope, inside one open write transaction.

    The records of every key the caller will apply are read up front in one query. Each request then
    runs in its own SAVEPOINT: a refusal (ApiError) undoes only that request's change and is stored as
    its answer; an unexpected error undoes that request and leaves the transaction with the ones
    before it. A record is held with the transaction's other appended rows (write_behind) and written
    just before the commit, in the same transaction as the change it answers for.
    """

    def __init__(self, session: Session, scope: str, keys: Iterable[str]) -> None:
        self.session = session
        self.scope = scope
        self._known = self._read(set(keys))

    def apply(self, key: str, mutation: Mutation) -> Outcome:
        """Apply ``mutation`` once per key, or answer with what its first application answered."""
        record = self._known.get(key)
        if record is None:
            return self._apply(key, mutation)
        if record.req_hash != mutation.req_hash:
            raise ApiError(
                422,
                "idempotency_key_reused",
                "该请求编号已用于另一个请求 / This Idempotency-Key was used for a different request",
            )
        return Outcome(record.status, record.body, replayed=True)

    def _read(self, keys: set[str]) -> dict[str, _Record]:
        if not keys:
            return {}
        rows = self.session.execute(_RECORDS_OF_KEYS, {"scope": self.scope, "keys": sorted(keys)})
        return {
            key: _Record(req_hash, status, None if body is None else json.loads(body))
            for key, req_hash, status, body in rows
        }

    def _apply(self, key: str, mutation: Mutation) -> Outcome:
        if not mutation.appends_only:  # it may read what the requests before it appended
            write_behind.write_held(self.session)
        try:
            with self.session.begin_nested():  # the change and its record, or neither
                status, body = mutation.action(self.session)
                self._hold_record(key, mutation, status, body)
        except ApiError as refusal:  # the change is undone; its refusal is the stored answer
            status, body = refusal.status, refusal.body()
            self._hold_record(key, mutation, status, body)
        self._known[key] = _Record(mutation.req_hash, status, body)
        return Outcome(status, body)

    def _hold_record(self, key: str, mutation: Mutation, status: int, body: dict[str, Any] | None) -> None:
        row = {
            "scope": self.scope,
            "key": key,
            "request_hash": mutation.req_hash,
            "status": status,
            "body": None if body is None else json.dumps(body, ensure_ascii=False),
            "created_at": utc_now(),
            "holds_secret": mutation.holds_secret,
        }
        write_behind.append(self.session, _RECORDS, row)


def in_write_transaction(db: Database, work: Callable[[Session], T]) -> T:
    """``work`` in a write transaction of its own, run again in a fresh one when a concurrent writer won
    a race for a unique value.

    Two requests with one key at once: on SQLite the second transaction waits for the write lock and
    then finds the record. On PostgreSQL both may run; the unique (scope, key) constraint (or another
    unique value, such as a sale_id under another key) fails the later transaction, which is rolled
    back whole, and the retry reads the winner's committed record and answers from it.
    """
    for attempt in range(1, RACE_ATTEMPTS + 1):
        try:
            with db.write() as session:
                return work(session)
        except IntegrityError:
            if attempt == RACE_ATTEMPTS:
                raise
            log.info("a write lost a race (attempt %d); answering from the winner", attempt)
        except OperationalError as error:
            # PostgreSQL ends one of two transactions that wait for each other's rows (deadlock, 40P01;
            # serialization, 40001): nothing of it was kept, and run again it goes through.
            if getattr(error.orig, "sqlstate", None) not in RETRYABLE_SQLSTATES or attempt == RACE_ATTEMPTS:
                raise
            log.info("a write was chosen as a deadlock victim (attempt %d); running it again", attempt)
    raise AssertionError("unreachable")


def run_once(
    db: Database, scope: str, key: str, req_hash: str, action: Action, holds_secret: bool = False
) -> Outcome:
    """Apply ``action`` once per (scope, key) in a write transaction of its own."""
    return run_mutation(db, scope, key, Mutation(req_hash, action, holds_secret))


def run_mutation(db: Database, scope: str, key: str, mutation: Mutation) -> Outcome:
    return in_write_transaction(db, lambda session: Ledger(session, scope, [key]).apply(key, mutation))


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
