"""Time helpers: every stored time is UTC, every time on the wire is RFC 3339 with an offset."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """Treat a naive datetime (as SQLite returns it) as UTC; convert an aware one to UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def to_wire(moment: datetime | None) -> str | None:
    """``2026-11-21T14:02:03.120+00:00``: millisecond precision, explicit offset."""
    if moment is None:
        return None
    return as_utc(moment).isoformat(timespec="milliseconds")
