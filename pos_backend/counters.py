"""Backend-wide increasing counters: the sale sequence and the member version.

A value is taken with ``UPDATE counters SET value = value + n``: the row stays locked until the taking
transaction commits, so values are handed out and become visible in the same order (on PostgreSQL with
several backend processes too; on SQLite writes are serialised anyway). A reader paging by "value > N"
therefore never skips a value that commits late.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pos_backend.models import Counter

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


def reserve(session: Session, name: str, count: int = 1) -> int:
    """Take ``count`` consecutive values; returns the first of them."""
    session.execute(
        update(Counter)
        .where(Counter.name == name)
        .values(value=Counter.value + count)
        .execution_options(synchronize_session=False)
    )
    last = session.scalar(select(Counter.value).where(Counter.name == name))
    if last is None:
        raise RuntimeError(f"counter {name!r} missing: create_schema() was not run")
    return int(last) - count + 1


def next_value(session: Session, name: str) -> int:
    return reserve(session, name, 1)
