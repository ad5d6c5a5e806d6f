"""The till's own write-off records over the local store: each row committed with its outbox record.

A record's fate is its outbox record's: pending or sent (not yet confirmed), acked (the backend took it),
rejected (refused after the slip was printed, e.g. redeemed on another till while this one was offline):
flagged for a manager, with the backend's reason.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, text

from pos.domain.codes import WriteOffKind
from pos.services.ports_outbox import OutboxState
from pos.services.ports_writeoff import LocalWriteOff, NewWriteOff
from pos.sync.outbox import Outbox, SqlStore, stamp

log = logging.getLogger(__name__)

_SELECT = (
    "SELECT w.record_id, w.code, w.kind, w.title, w.value_fen, w.redeemed_at, w.staff_no, w.staff_name, "
    "w.offline, w.outbox_id, o.state, o.response_body FROM writeoffs_local w "
    "JOIN outbox o ON o.id = w.outbox_id "
)


def _local_from_row(row: Row[Any]) -> LocalWriteOff:
    m = row._mapping
    record = NewWriteOff(
        record_id=m["record_id"],
        code=m["code"],
        kind=WriteOffKind(m["kind"]),
        title=m["title"],
        value_fen=int(m["value_fen"]),
        redeemed_at=datetime.fromisoformat(m["redeemed_at"]),
        staff_no=m["staff_no"],
        staff_name=m["staff_name"],
        offline=bool(m["offline"]),
    )
    answer = json.loads(m["response_body"]) if m["response_body"] else {}
    error = answer.get("error") if isinstance(answer, dict) else None
    error = error if isinstance(error, dict) else {}
    return LocalWriteOff(
        record,
        int(m["outbox_id"]),
        OutboxState(m["state"]),
        rejection_code=error.get("code"),
        rejection_message=error.get("message"),
    )


class StoreWriteOffJournal:
    """``WriteOffJournal`` over a LocalStore; ``on_recorded`` wakes the drainer and refreshes counts."""

    def __init__(
        self,
        store: SqlStore,
        outbox: Outbox | None = None,
        on_recorded: Sequence[Callable[[], None]] = (),
    ) -> None:
        self._store = store
        self._outbox = outbox or Outbox()
        self._on_recorded = list(on_recorded)

    def record(self, redemption: NewWriteOff, path: str, body: Mapping[str, Any]) -> LocalWriteOff:
        with self._store.write() as conn:
            entry = self._outbox.enqueue(conn, "POST", path, body, redemption.staff_no)
            self._insert(conn, redemption, entry.id)
        for listener in self._on_recorded:
            try:
                listener()
            except Exception:  # a failing listener must not make a committed write-off look failed
                log.exception("write-off recorded listener failed")
        return LocalWriteOff(redemption, entry.id, entry.state)

    @staticmethod
    def _insert(conn: Connection, redemption: NewWriteOff, outbox_id: int) -> None:
        conn.execute(
            text(
                "INSERT INTO writeoffs_local (record_id, code, kind, title, value_fen, redeemed_at, "
                "staff_no, staff_name, offline, outbox_id) VALUES (:record_id, :code, :kind, :title, "
                ":value_fen, :redeemed_at, :staff_no, :staff_name, :offline, :outbox_id)"
            ),
            {
                "record_id": redemption.record_id,
                "code": redemption.code,
                "kind": redemption.kind.value,
                "title": redemption.title,
                "value_fen": redemption.value_fen,
                "redeemed_at": stamp(redemption.redeemed_at),
                "staff_no": redemption.staff_no,
                "staff_name": redemption.staff_name,
                "offline": 1 if redemption.offline else 0,
                "outbox_id": outbox_id,
            },
        )

    def find_code(self, code: str) -> LocalWriteOff | None:
        """The latest record of ``code`` at this till (a flagged one may be followed by a new attempt)."""
        with self._store.read() as conn:
            row = conn.execute(
                text(_SELECT + "WHERE w.code = :code ORDER BY w.outbox_id DESC LIMIT 1"), {"code": code}
            ).first()
        return None if row is None else _local_from_row(row)

    def between(self, start: datetime, end: datetime) -> list[LocalWriteOff]:
        with self._store.read() as conn:
            rows = conn.execute(
                text(
                    _SELECT + "WHERE w.redeemed_at >= :start AND w.redeemed_at < :end ORDER BY w.redeemed_at"
                ),
                {"start": stamp(start), "end": stamp(end)},
            ).all()
        return [_local_from_row(row) for row in rows]

    def flagged(self) -> list[LocalWriteOff]:
        with self._store.read() as conn:
            rows = conn.execute(
                text(_SELECT + "WHERE o.state = :rejected ORDER BY w.redeemed_at DESC"),
                {"rejected": OutboxState.REJECTED.value},
            ).all()
        return [_local_from_row(row) for row in rows]
