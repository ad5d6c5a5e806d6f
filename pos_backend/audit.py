"""The audit log: every mutation a till makes records who (staff), where (till), what (action and subject),
when, and under which Idempotency-Key, in the same transaction as the change itself.

A replayed request answers from its stored result and writes nothing, so each change is logged once.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos_backend import write_behind
from pos_backend.clock import to_wire
from pos_backend.models import Base
from pos_backend.models_counter import AuditEntry

MAX_PAGE = 1000
_ENTRIES = Base.metadata.tables["audit_entries"]  # appended rows are written at commit (write_behind)


def record(
    session: Session,
    *,
    station_id: str,
    till_id: str | None,
    staff_no: str | None,
    action: str,
    subject: str | None,
    key: str | None,
    at: datetime,
    detail: dict[str, Any] | None = None,
) -> None:
    """Append one entry; never put a PIN or a token in ``detail``."""
    row = {
        "station_id": station_id,
        "till_id": till_id,
        "staff_no": staff_no,
        "action": action,
        "subject": subject,
        "at": at,
        "idempotency_key": key,
        "detail": None if detail is None else json.dumps(detail, ensure_ascii=False),
    }
    write_behind.append(session, _ENTRIES, row)


def entry_json(entry: AuditEntry) -> dict[str, Any]:
    return {
        "id": str(entry.id),
        "at": to_wire(entry.at),
        "till_id": entry.till_id,
        "staff_no": entry.staff_no,
        "action": entry.action,
        "subject": entry.subject,
        "idempotency_key": entry.idempotency_key,
        "detail": None if entry.detail is None else json.loads(entry.detail),
    }


def entries_since(session: Session, station_id: str, since: datetime, limit: int) -> list[dict[str, Any]]:
    """The station's entries at or after ``since``, oldest first."""
    rows = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.station_id == station_id, AuditEntry.at >= since)
        .order_by(AuditEntry.at, AuditEntry.id)
        .limit(min(limit, MAX_PAGE))
    )
    return [entry_json(row) for row in rows]
