"""Backend-wide increasing counters: the sale sequence and the member version.

A transaction's first value is taken with ``UPDATE counters SET value = value + n RETURNING value``: the
row stays locked until the taking transaction commits, so values are handed out and become visible in the
same order (on PostgreSQL with several backend processes too; on SQLite writes are serialised anyway). A
reader paging by "value > N" therefore never skips a value that commits late. Since nobody else can take
a value meanwhile, the transaction's later values are counted in memory and the last one written just
before the commit (write_behind).
"""

from __future__ import annotations

from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pos_backend import write_behind
from pos_backend.models import Base, Counter

SALE_SEQ = "sale_seq"
MEMBER_VERSION = "member_version"
ALL_COUNTERS = (SALE_SEQ, MEMBER_VERSION)


def ensure_counters(session: Session) -> None:
    """Create the missing counter rows at zero (a no-op once they exist)."""
    existing = set(session.scalars(select(Counter.name)))
    for name in ALL_COUNTERS:
        if name not in existing:
            try:
                with session.begin_nested():
                    session.add(Counter(name=name, value=0))
            except IntegrityError:  # another backend process created it at the same moment
                pass


_TABLE = Base.metadata.tables["counters"]
_TAKE = (
    update(_TABLE)
    .where(_TABLE.c.name == bindparam("counter"))
    .values(value=_TABLE.c.value + bindparam("count"))
    .returning(_TABLE.c.value)
)


def reserve(session: Session, name: str, count: int = 1) -> int:
    """Take ``count`` consecutive values; returns the first of them."""
    taken = write_behind.counter_taken(session, name)
    if taken is not None:
        last = taken + count
        write_behind.note_counter(session, name, last, written=False)
        return last - count + 1
    updated = session.scalar(_TAKE, {"counter": name, "count": count})
    if updated is None:
        raise RuntimeError(f"counter {name!r} missing: create_schema() was not run")
    write_behind.note_counter(session, name, int(updated), written=True)
    return int(updated) - count + 1


def next_value(session: Session, name: str) -> int:
    return reserve(session, name, 1)
