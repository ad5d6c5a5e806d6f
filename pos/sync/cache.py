"""The station as last known, kept in the local store so the till can show it before (or without) the
backend.

Every write is one transaction that changes the rows AND the stored ``last_seq``: after a crash the file
either has a batch and its seq, or neither, so the follower resumes exactly after the last applied event.
Rows hold the domain objects' own wire JSON; objects are parsed before they get here (wire.py), so a bad
answer from the backend never reaches the file.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection

from pos.domain.errors import PosError
from pos.domain.grade import Grade
from pos.domain.order import Order
from pos.domain.pump import Nozzle
from pos.domain.transaction import PumpTransaction
from pos.domain.wire import format_rfc3339, parse_rfc3339
from pos.services.ports import EventBatch, StationEvent, StationInfo, StationSnapshot
from pos.services.station_board import CLOSED_ORDER_STATES, OPEN_TRANSACTION_STATES
from pos.sync import wire
from pos.sync.store import LocalStore

log = logging.getLogger(__name__)

_CACHE_TABLES = ("cache_grades", "cache_nozzles", "cache_transactions", "cache_orders")
# What a cache of another backend must not lend us: its station, its seq, its members and their cursor.
# (The outbox and the till's own sales stay: they are the outbox's to deliver or to show.)
_FOREIGN_DATA_RESET = (
    *(f"DELETE FROM {table}" for table in _CACHE_TABLES),
    "DELETE FROM members",
    "DELETE FROM current_shift",
    "UPDATE sync_state SET station_json = NULL, last_seq = NULL, snapshot_at = NULL,"
    " last_contact_at = NULL, member_version = 0, members_synced_at = NULL WHERE id = 1",
)


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _dump(obj: dict[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True, slots=True)
class CachedStation:
    """The cached snapshot (its ``seq`` is the last applied event) and when the backend was last heard."""

    snapshot: StationSnapshot
    last_contact_at: datetime | None


class StationCache:
    """Reads and writes the station tables of a ``LocalStore``; safe to call from any thread."""

    def __init__(self, store: LocalStore, clock: Callable[[], datetime] = _utc_now) -> None:
        self._store = store
        self._clock = clock

    # -- the follower's side ---------------------------------------------------------------------------

    def last_seq(self) -> int | None:
        """The seq of the last event applied, or None when no snapshot was ever stored."""
        with self._store.read() as conn:
            value = conn.exec_driver_sql("SELECT last_seq FROM sync_state WHERE id = 1").scalar_one()
        return None if value is None else int(value)

    def replace_snapshot(self, snapshot: StationSnapshot) -> None:
        """Swap the whole cached station for ``snapshot`` in one transaction."""
        with self._store.write() as conn:
            for table in _CACHE_TABLES:
                conn.exec_driver_sql(f"DELETE FROM {table}")
            for grade in snapshot.grades:
                conn.exec_driver_sql(
                    "INSERT INTO cache_grades (code, json) VALUES (?, ?)",
                    (grade.code, _dump(grade.to_wire())),
                )
            for nozzle in snapshot.nozzles:
                _put_nozzle(conn, nozzle)
            for transaction in snapshot.transactions:
                _put_transaction(conn, transaction)
            for order in snapshot.orders:
                _put_order(conn, order)
            station = snapshot.station
            conn.exec_driver_sql(
                "UPDATE sync_state SET station_json = ?, last_seq = ?, snapshot_at = ?, last_contact_at = ?"
                " WHERE id = 1",
                (
                    _dump({"id": station.id, "name": station.name, "timezone": station.timezone}),
                    snapshot.seq,
                    format_rfc3339(snapshot.server_time),
                    format_rfc3339(self._clock()),
                ),
            )
        log.info("station cache replaced by snapshot at seq %d", snapshot.seq)

    def apply_batch(self, batch: EventBatch) -> list[int]:
        """Apply the events newer than the stored seq, store the new seq, note the contact; returns the
        seqs applied (an event at or below the stored seq was applied before and is skipped)."""
        applied: list[int] = []
        with self._store.write() as conn:
            stored = conn.exec_driver_sql("SELECT last_seq FROM sync_state WHERE id = 1").scalar_one()
            if stored is None:
                raise PosError(
                    "cache_no_snapshot", "本地缓存为空 / Cache empty", "events need a snapshot first"
                )
            last = int(stored)
            for event in sorted(batch.events, key=lambda e: e.seq):
                if event.seq <= last:
                    continue
                _apply_event(conn, event)
                applied.append(event.seq)
                last = event.seq
            conn.exec_driver_sql(
                "UPDATE sync_state SET last_seq = ?, last_contact_at = ? WHERE id = 1",
                (last, format_rfc3339(self._clock())),
            )
        return applied

    # -- start-up --------------------------------------------------------------------------------------

    def load(self) -> CachedStation | None:
        """The cached station, or None when there is none (or it cannot be read back, in which case the
        stored seq is dropped too: a None here always means "start from a snapshot")."""
        with self._store.read() as conn:
            state = conn.exec_driver_sql(
                "SELECT station_json, last_seq, snapshot_at, last_contact_at FROM sync_state WHERE id = 1"
            ).one()
            if state.last_seq is None or state.station_json is None:
                return None
            rows = {table: _json_rows(conn, table) for table in _CACHE_TABLES}
        try:
            return _rebuild(state, rows)
        except (PosError, ValueError, TypeError) as error:  # written by us: only an app change gets here
            log.warning("cached station unreadable, a snapshot will replace it: %s", type(error).__name__)
            self._forget_seq()
            return None

    def _forget_seq(self) -> None:
        """Without a usable cached station the follower must start from a snapshot, not resume."""
        with self._store.write() as conn:
            conn.exec_driver_sql("UPDATE sync_state SET last_seq = NULL WHERE id = 1")


def bind_to_backend(store: LocalStore, backend_url: str) -> bool:
    """Tie the cached data to ``backend_url``; when it came from another backend (the till was paired
    elsewhere), drop it so that no seq or member cursor is resumed against the wrong event log.
    Returns True when something was dropped."""
    url = backend_url.rstrip("/")
    with store.write() as conn:
        previous = conn.exec_driver_sql("SELECT backend_url FROM sync_state WHERE id = 1").scalar()
        foreign = previous is not None and previous != url
        if foreign:
            for statement in _FOREIGN_DATA_RESET:
                conn.exec_driver_sql(statement)
        conn.exec_driver_sql("UPDATE sync_state SET backend_url = ? WHERE id = 1", (url,))
    if foreign:
        log.warning("local cache came from another backend: cleared it for %s", url)
    return foreign


def _rebuild(state: Any, texts: dict[str, list[str]]) -> CachedStation:
    """Parse the cached rows back through the same checks as a backend answer (json errors are
    ValueErrors)."""
    rows = {table: [json.loads(text) for text in column] for table, column in texts.items()}
    station = json.loads(state.station_json)
    snapshot = StationSnapshot(
        station=StationInfo(
            id=wire.field(station, "id", str, "station"),
            name=wire.field(station, "name", str, "station"),
            timezone=wire.field(station, "timezone", str, "station"),
        ),
        seq=int(state.last_seq),
        server_time=parse_rfc3339(state.snapshot_at),
        grades=[wire.from_wire(Grade.from_wire, g, "cached grade") for g in rows["cache_grades"]],
        nozzles=[wire.from_wire(Nozzle.from_wire, n, "cached nozzle") for n in rows["cache_nozzles"]],
        transactions=[
            wire.from_wire(PumpTransaction.from_wire, t, "cached transaction")
            for t in rows["cache_transactions"]
        ],
        orders=[wire.from_wire(Order.from_wire, o, "cached order") for o in rows["cache_orders"]],
    )
    contact = None if state.last_contact_at is None else parse_rfc3339(state.last_contact_at)
    return CachedStation(snapshot, contact)


def _json_rows(conn: Connection, table: str) -> list[str]:
    return [text for (text,) in conn.exec_driver_sql(f"SELECT json FROM {table} ORDER BY rowid")]


def _apply_event(conn: Connection, event: StationEvent) -> None:
    """Store what the event changed. A type the till does not act on (no payload, e.g. sale.recorded)
    changes no row, but its seq still counts as applied."""
    payload = event.payload
    if payload is None:
        return
    if isinstance(payload, Nozzle):
        _put_nozzle(conn, payload)
    elif isinstance(payload, PumpTransaction):
        _put_transaction(conn, payload)
    elif isinstance(payload, Order):
        _put_order(conn, payload)
    elif payload is None:  # an event type the till does not keep (sale.recorded...): only its seq counts
        pass
    else:  # wire.py builds only these three (or None); anything else is a programming error
        raise TypeError(f"unexpected event payload {type(payload).__name__} in event {event.seq}")


def _put_nozzle(conn: Connection, nozzle: Nozzle) -> None:
    conn.exec_driver_sql(
        "INSERT OR REPLACE INTO cache_nozzles (number, pump_number, state, json) VALUES (?, ?, ?, ?)",
        (nozzle.number, nozzle.pump_number, str(nozzle.state), _dump(nozzle.to_wire())),
    )


def _put_transaction(conn: Connection, transaction: PumpTransaction) -> None:
    """Open (payable, locked) transactions are kept; a cleared one leaves the cache, as on the board."""
    if str(transaction.state) not in OPEN_TRANSACTION_STATES:
        conn.exec_driver_sql("DELETE FROM cache_transactions WHERE id = ?", (transaction.id,))
        return
    conn.exec_driver_sql(
        "INSERT OR REPLACE INTO cache_transactions (id, pump_number, state, json) VALUES (?, ?, ?, ?)",
        (transaction.id, transaction.pump_number, str(transaction.state), _dump(transaction.to_wire())),
    )


def _put_order(conn: Connection, order: Order) -> None:
    if str(order.state) in CLOSED_ORDER_STATES:
        conn.exec_driver_sql("DELETE FROM cache_orders WHERE id = ?", (order.id,))
        return
    conn.exec_driver_sql(
        "INSERT OR REPLACE INTO cache_orders (id, state, json) VALUES (?, ?, ?)",
        (order.id, str(order.state), _dump(order.to_wire())),
    )
