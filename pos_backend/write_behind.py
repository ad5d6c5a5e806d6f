"""What a write transaction appends, held and written in bulk just before it commits.

Rows of the append-only tables (sales, events, audit entries, idempotency records) are held and written
with one multi-row INSERT per table; a counter (``counters.reserve``) is read and locked by its first
take in the transaction, later takes are counted here and the last value is written with one UPDATE. A
batch of a hundred sales then costs a handful of statements instead of several hundred.

What may see held rows: nothing in a write transaction reads events, audit entries or idempotency
records back. Sales are read back (a refund of a sale sent in the same batch), so ``Ledger`` writes the
held rows before any change that is not ``appends_only``, and ``sales`` looks at the held rows first.

A SAVEPOINT that rolls back drops what was held inside it, as the database drops what was written inside
it. A session that holds nothing (not one of ``Database.write()``'s) writes each row at once.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, bindparam, event, insert, update
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker

from pos_backend.models import Base

_HELD = "write_behind.held"  # session.info: _Held while a write transaction is open
_COUNTERS = Base.metadata.tables["counters"]
_SET_COUNTER = (
    update(_COUNTERS).where(_COUNTERS.c.name == bindparam("counter")).values(value=bindparam("last"))
)


@dataclass(frozen=True)
class _Mark:
    rows: int
    counters: dict[str, int]
    unwritten: frozenset[str]


@dataclass
class _Held:
    rows: list[tuple[Table, dict[str, Any]]] = field(default_factory=list)
    counters: dict[str, int] = field(default_factory=dict)  # counter -> last value taken, row locked
    unwritten: set[str] = field(default_factory=set)  # counters whose last value is only here
    memo: dict[str, Any] = field(default_factory=dict)  # see memo()
    marks: weakref.WeakKeyDictionary[SessionTransaction, _Mark] = field(
        default_factory=weakref.WeakKeyDictionary
    )


def track_savepoints(factory: sessionmaker[Session]) -> None:
    """Make the sessions of ``factory`` drop what a rolled-back SAVEPOINT held."""
    event.listen(factory, "after_transaction_create", _on_transaction_create)
    event.listen(factory, "after_soft_rollback", _on_rollback)


def hold(session: Session) -> None:
    """From now on this session holds appended rows and counter values until ``write_held``."""
    session.info[_HELD] = _Held()


def _held(session: Session) -> _Held | None:
    held: _Held | None = session.info.get(_HELD)
    return held


def append(session: Session, table: Table, row: dict[str, Any]) -> None:
    held = _held(session)
    if held is None:
        session.execute(insert(table), row)
    else:
        held.rows.append((table, row))


def held_rows(session: Session, table: Table) -> Iterator[dict[str, Any]]:
    held = _held(session)
    return iter(()) if held is None else (row for held_table, row in held.rows if held_table is table)


def counter_taken(session: Session, name: str) -> int | None:
    """The last value of counter ``name`` taken in this transaction (its row is locked), if any."""
    held = _held(session)
    return None if held is None else held.counters.get(name)


def note_counter(session: Session, name: str, last: int, written: bool) -> None:
    held = _held(session)
    if held is not None:
        held.counters[name] = last
        if written:
            held.unwritten.discard(name)
        else:
            held.unwritten.add(name)


def memo(session: Session) -> dict[str, Any]:
    """Facts read from the database for this transaction (e.g. which sale ids are recorded), valid
    while nothing held has been written or undone: emptied by ``write_held`` and by any rollback."""
    held = _held(session)
    return {} if held is None else held.memo


def write_held(session: Session) -> None:
    """Write what is held: each table's rows in the order appended (events keep their order).

    Never inside a SAVEPOINT: undoing it would undo rows appended before it began. What is held is
    forgotten only once written, so a failed write fails the commit too."""
    held = _held(session)
    if held is None or not (held.rows or held.unwritten):
        return
    if session.in_nested_transaction():
        raise RuntimeError("held rows must be written outside any SAVEPOINT")
    by_table: dict[Table, list[dict[str, Any]]] = {}
    for table, row in held.rows:
        by_table.setdefault(table, []).append(row)
    for table, rows in by_table.items():
        session.execute(insert(table), rows)
    for name in sorted(held.unwritten):
        session.execute(_SET_COUNTER, {"counter": name, "last": held.counters[name]})
    held.rows.clear()
    held.unwritten.clear()
    held.memo.clear()


def _on_transaction_create(session: Session, transaction: SessionTransaction) -> None:
    held = _held(session)
    if held is not None and transaction.nested:
        held.marks[transaction] = _Mark(len(held.rows), dict(held.counters), frozenset(held.unwritten))


def _on_rollback(session: Session, previous: SessionTransaction) -> None:
    held = _held(session)
    if held is None:
        return
    mark = held.marks.get(previous) if previous.nested else _Mark(0, {}, frozenset())
    if mark is not None:
        del held.rows[mark.rows :]
        held.counters = dict(mark.counters)
        held.unwritten = set(mark.unwritten)
    held.memo.clear()
