"""The outbox: every change meant for the backend, written in the same SQLite transaction as the local change.

A record moves ``pending → sent → acked | rejected``. ``sent`` is written when a drainer claims the record
(with a lease) just before putting it on the wire; it means "the answer is not known yet", so a record left
``sent`` by a crash is claimed again once its lease runs out and resent with the same idempotency key, and
the backend answers the repeat from its stored result. Verdicts (acked, rejected) are written only after
the answer arrived, which is why a killed process never loses a record.

The drainer claims only the head of the queue, in id order, so two processes draining one file take turns
instead of sending records out of order. The DDL belongs to the local store's migrations.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import Connection, Row, bindparam, text

from pos.services.ports_outbox import OutboxCounts, OutboxEntry, OutboxState

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
_COLUMNS = (
    "id, idempotency_key, method, path, body, staff_no, created_at, state, attempts, last_attempt_at, "
    "last_error, response_status, response_body, acked_at"
)
# The drainer's statements, parsed once rather than on every call: a round runs them for up to 100 records.
_HEAD = text(
    "SELECT id, lease_owner, lease_until FROM outbox WHERE state IN ('pending', 'sent') "
    "ORDER BY id LIMIT :limit"
)
_LEASE = text(
    "UPDATE outbox SET lease_owner = :owner, lease_until = :until, state = 'sent', "
    "attempts = attempts + 1, last_attempt_at = :now WHERE id IN :ids "
    "AND (lease_until IS NULL OR lease_until < :now OR lease_owner = :owner "
    "OR lease_owner IN :dead)"
).bindparams(bindparam("ids", expanding=True), bindparam("dead", expanding=True))
_ENTRIES = text(f"SELECT {_COLUMNS} FROM outbox WHERE id IN :ids ORDER BY id").bindparams(
    bindparam("ids", expanding=True)
)
# Any owner's verdict stands: the backend answers every repeat of a key with the same result.
_VERDICT = text(
    "UPDATE outbox SET state = :state, response_status = :status, response_body = :body, "
    "last_error = :reason, acked_at = :now, lease_owner = NULL, lease_until = NULL "
    "WHERE id = :id AND state IN ('pending', 'sent')"
)
# Guarded by the lease: a slow owner must not undo a verdict another drainer already wrote.
_RELEASE = text(
    "UPDATE outbox SET state = 'pending', lease_owner = NULL, lease_until = NULL, "
    "last_error = COALESCE(:error, last_error), attempts = attempts - :refund "
    "WHERE id = :id AND state = 'sent' AND lease_owner = :owner"
)


def utc_now() -> datetime:
    return datetime.now(UTC)


def stamp(moment: datetime) -> str:
    """Fixed-width UTC text, so that stored times compare correctly as strings (lease_until < now)."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _parse_time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _dumps(body: Mapping[str, Any]) -> str:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def new_owner() -> str:
    """A drainer's lease name: ``<pid>-<random>``, so a crashed owner can be recognised."""
    return f"{os.getpid()}-{uuid.uuid4().hex[:8]}"


def owner_process_alive(owner: str) -> bool:
    """False only when ``owner`` names a process of this machine that no longer exists.

    The outbox file is local to the till, so every lease owner is a process on this machine. Windows has
    no harmless signal 0 (os.kill terminates there): leases simply run out instead.
    """
    pid_text = owner.partition("-")[0]
    if os.name != "posix" or not pid_text.isdigit() or int(pid_text) == os.getpid():
        return True
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, under another user
        return True
    return True


class SqlStore(Protocol):
    """What the outbox needs of the local store (pos.sync.store.LocalStore)."""

    def write(self) -> AbstractContextManager[Connection]: ...

    def read(self) -> AbstractContextManager[Connection]: ...


@dataclass(frozen=True, slots=True)
class Verdict:
    """The backend's answer on one record: ``ACKED`` (2xx), or ``REJECTED`` (4xx) with its reason."""

    record_id: int
    state: OutboxState
    status: int
    body: Mapping[str, Any] | None
    reason: str | None = None


def entry_from_row(row: Row[Any]) -> OutboxEntry:
    m = row._mapping
    return OutboxEntry(
        id=int(m["id"]),
        idempotency_key=m["idempotency_key"],
        method=m["method"],
        path=m["path"],
        body=json.loads(m["body"]),
        staff_no=m["staff_no"],
        created_at=datetime.fromisoformat(m["created_at"]),
        state=OutboxState(m["state"]),
        attempts=int(m["attempts"]),
        last_attempt_at=_parse_time(m["last_attempt_at"]),
        last_error=m["last_error"],
        response_status=m["response_status"],
        response_body=json.loads(m["response_body"]) if m["response_body"] else None,
        acked_at=_parse_time(m["acked_at"]),
    )


class Outbox:
    """Statements over the ``outbox`` table; each runs in the caller's connection and transaction."""

    def __init__(self, clock: Clock = utc_now, owner_alive: Callable[[str], bool] | None = None) -> None:
        self._clock = clock
        self._owner_alive = owner_alive or owner_process_alive

    # -- writing records -------------------------------------------------------------------------------

    def enqueue(
        self,
        conn: Connection,
        method: str,
        path: str,
        body: Mapping[str, Any],
        staff_no: str | None,
        *,
        idempotency_key: str | None = None,
    ) -> OutboxEntry:
        """Queue one request; call inside the ``store.write()`` transaction of the local change."""
        key = idempotency_key or str(uuid.uuid4())
        created_at = self._clock()
        result = conn.execute(
            text(
                "INSERT INTO outbox (idempotency_key, method, path, body, staff_no, created_at, state, "
                "attempts) VALUES (:key, :method, :path, :body, :staff_no, :created_at, 'pending', 0)"
            ),
            {
                "key": key,
                "method": method.upper(),
                "path": path,
                "body": _dumps(body),
                "staff_no": staff_no,
                "created_at": stamp(created_at),
            },
        )
        record_id = result.lastrowid
        if record_id is None:
            raise RuntimeError("the outbox insert returned no row id")
        log.debug("queued outbox record %d: %s %s", record_id, method, path)
        return OutboxEntry(
            record_id, key, method.upper(), path, dict(body), staff_no, created_at, OutboxState.PENDING
        )

    # -- claiming (inside BEGIN IMMEDIATE) -------------------------------------------------------------

    def claim(self, conn: Connection, owner: str, limit: int, lease_seconds: float) -> list[OutboxEntry]:
        """Lease the head of the queue to ``owner`` and mark it sent; [] when another owner holds the head.

        Only a prefix of unleased (or expired, or already ours) records is taken, so order is kept even
        with several drainers on one file.
        """
        now = self._clock()
        now_text = stamp(now)
        head = conn.execute(_HEAD, {"limit": limit}).all()
        ids: list[int] = []
        dead: set[str] = set()
        for record_id, lease_owner, lease_until in head:
            held = lease_until is not None and lease_until >= now_text and lease_owner != owner
            if held and not self._owner_alive(lease_owner):
                dead.add(lease_owner)  # a crashed till process: resend now, not when its lease ends
            elif held:
                break  # someone else is sending this one: wait for its verdict to keep the order
            ids.append(int(record_id))
        if not ids:
            return []
        conn.execute(
            _LEASE,
            {
                "owner": owner,
                "until": stamp(now + timedelta(seconds=lease_seconds)),
                "now": now_text,
                "ids": ids,
                "dead": sorted(dead),
            },
        )
        return self._entries(conn, ids)

    def _entries(self, conn: Connection, ids: Sequence[int]) -> list[OutboxEntry]:
        rows = conn.execute(_ENTRIES, {"ids": list(ids)}).all()
        return [entry_from_row(row) for row in rows]

    # -- verdicts (written only once the answer is in) -------------------------------------------------

    def mark_acked(
        self, conn: Connection, record_id: int, status: int, body: Mapping[str, Any] | None
    ) -> None:
        self.mark_verdicts(conn, [Verdict(record_id, OutboxState.ACKED, status, body)])

    def mark_rejected(
        self, conn: Connection, record_id: int, status: int, body: Mapping[str, Any] | None, reason: str
    ) -> None:
        self.mark_verdicts(conn, [Verdict(record_id, OutboxState.REJECTED, status, body, reason)])

    def mark_verdicts(self, conn: Connection, verdicts: Sequence[Verdict]) -> None:
        """Write the verdicts of a round with one statement run for each (a drained batch has a hundred)."""
        if not verdicts:
            return
        now = stamp(self._clock())
        conn.execute(
            _VERDICT,
            [
                {
                    "state": verdict.state.value,
                    "status": verdict.status,
                    "body": _dumps(verdict.body) if verdict.body is not None else None,
                    "reason": verdict.reason,
                    "now": now,
                    "id": verdict.record_id,
                }
                for verdict in verdicts
            ],
        )

    def mark_failed(self, conn: Connection, record_id: int, owner: str, error: str) -> None:
        """No verdict (5xx, timeout, link down): back to pending for the next round."""
        self._release(conn, record_id, owner, error, attempted=True)

    def release_unattempted(self, conn: Connection, record_id: int, owner: str) -> None:
        """Claimed but never sent (an earlier record of the batch failed): give the attempt back."""
        self._release(conn, record_id, owner, None, attempted=False)

    def _release(
        self, conn: Connection, record_id: int, owner: str, error: str | None, attempted: bool
    ) -> None:
        conn.execute(
            _RELEASE, {"error": error, "refund": 0 if attempted else 1, "id": record_id, "owner": owner}
        )

    # -- reading ---------------------------------------------------------------------------------------

    def counts(self, conn: Connection) -> OutboxCounts:
        rows = conn.execute(text("SELECT state, COUNT(*) FROM outbox GROUP BY state")).all()
        by_state = {str(state): int(count) for state, count in rows}
        return OutboxCounts(
            pending=by_state.get("pending", 0),
            sent=by_state.get("sent", 0),
            acked=by_state.get("acked", 0),
            rejected=by_state.get("rejected", 0),
        )

    def unsent_and_rejected(self, conn: Connection, limit: int = 500) -> list[OutboxEntry]:
        """Rejected records first (a manager must look at them), then the queue in order."""
        rows = conn.execute(
            text(
                f"SELECT {_COLUMNS} FROM outbox WHERE state IN ('rejected', 'pending', 'sent') "
                "ORDER BY state = 'rejected' DESC, id LIMIT :limit"
            ),
            {"limit": limit},
        ).all()
        return [entry_from_row(row) for row in rows]

    def entries(self, conn: Connection, after_id: int = 0, limit: int = 10_000) -> Iterator[OutboxEntry]:
        rows = conn.execute(
            text(f"SELECT {_COLUMNS} FROM outbox WHERE id > :after ORDER BY id LIMIT :limit"),
            {"after": after_id, "limit": limit},
        )
        return (entry_from_row(row) for row in rows)


class StoreOutbox:
    """The outbox bound to a store: the read port for the UI and the sale journal for services."""

    def __init__(self, store: SqlStore, outbox: Outbox | None = None) -> None:
        self.store = store
        self.outbox = outbox or Outbox()
        self._enqueued_listeners: list[Callable[[], None]] = []

    def on_enqueued(self, listener: Callable[[], None]) -> None:
        """Called after each committed enqueue (wake the drainer, refresh the counts)."""
        self._enqueued_listeners.append(listener)

    def counts(self) -> OutboxCounts:
        with self.store.read() as conn:
            return self.outbox.counts(conn)

    def unsent_and_rejected(self, limit: int = 500) -> list[OutboxEntry]:
        with self.store.read() as conn:
            return self.outbox.unsent_and_rejected(conn, limit)

    def record_sale(
        self, sale_id: str, created_at: datetime, staff_no: str, body: Mapping[str, Any]
    ) -> OutboxEntry:
        with self.store.write() as conn:
            entry = self.outbox.enqueue(conn, "POST", "/api/v1/sales", body, staff_no)
            conn.execute(
                text(
                    "INSERT INTO sales_local (sale_id, created_at, staff_no, body, outbox_id) "
                    "VALUES (:sale_id, :created_at, :staff_no, :body, :outbox_id)"
                ),
                {
                    "sale_id": sale_id,
                    "created_at": stamp(created_at),
                    "staff_no": staff_no,
                    "body": _dumps(body),
                    "outbox_id": entry.id,
                },
            )
        self._notify_enqueued()
        return entry

    def _notify_enqueued(self) -> None:
        for listener in list(self._enqueued_listeners):
            try:
                listener()
            except Exception:  # a failing listener must not make a committed sale look failed
                log.exception("outbox enqueue listener failed")
