"""The station's ordered event stream: appended in the same transaction as the change it describes."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from pos_backend import write_behind
from pos_backend.clock import to_wire, utc_now
from pos_backend.db import EVENTS_WRITTEN
from pos_backend.errors import ApiError
from pos_backend.models import Base, Event

log = logging.getLogger(__name__)

RETAINED_EVENTS = 50_000


_EVENTS = Base.metadata.tables["events"]


def append_event(session: Session, station_id: str, event_type: str, data: dict[str, Any]) -> None:
    """Written when the transaction commits (write_behind), seq in the order of appending."""
    session.info[EVENTS_WRITTEN] = True  # Database.write() wakes long-polls only after such commits
    row = {"station_id": station_id, "type": event_type, "at": utc_now(), "data": json.dumps(data)}
    write_behind.append(session, _EVENTS, row)


@dataclass(frozen=True)
class EventPage:
    events: list[dict[str, Any]]
    last_seq: int


def last_seq(session: Session) -> int:
    return session.scalar(select(func.max(Event.seq))) or 0


def read_events(session: Session, station_id: str, after: int, limit: int) -> EventPage:
    """Events after ``after``, oldest first; ``410 events_gap`` when the till must take a snapshot."""
    oldest, newest = session.execute(select(func.min(Event.seq), func.max(Event.seq))).one()
    newest = newest or 0
    if after > newest or (oldest is not None and after < oldest - 1):
        raise ApiError(
            410,
            "events_gap",
            "事件已过期或服务器已重建，请重新获取快照 / Events no longer available: take a snapshot",
            {"after": after, "oldest_seq": oldest, "last_seq": newest},
        )
    rows = session.scalars(
        select(Event)
        .where(Event.station_id == station_id, Event.seq > after)
        .order_by(Event.seq)
        .limit(limit)
    ).all()
    events = [
        {"seq": row.seq, "type": row.type, "at": to_wire(row.at), "data": json.loads(row.data)}
        for row in rows
    ]
    return EventPage(events, rows[-1].seq if rows else after)


def prune_events(session: Session, keep: int = RETAINED_EVENTS) -> int:
    write_behind.write_held(session)  # events appended earlier in this transaction count too
    newest = last_seq(session)
    if newest <= keep:
        return 0
    result = session.execute(delete(Event).where(Event.seq <= newest - keep))
    removed = int(getattr(result, "rowcount", 0) or 0)
    if removed:
        log.info("pruned %d old events", removed)
    return removed
