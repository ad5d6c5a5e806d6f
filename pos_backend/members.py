"""Members for the tills: look-up by phone, phone suffix or card, and the change feed by version."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from pos_backend.counters import MEMBER_VERSION, next_value
from pos_backend.models import Member
from pos_backend.wire import member_json

SEARCH_LIMIT = 20  # enough to pick the right one among members sharing a phone suffix


def touch(member: Member, session: Session, now: datetime) -> None:
    """Record that the member or one of its coupons changed: a new backend-wide version."""
    member.version = next_value(session, MEMBER_VERSION)
    member.updated_at = now


def member_by_wire_id(session: Session, member_id: str) -> Member | None:
    """Ids are strings on the wire; anything that is not one of ours is simply not found."""
    if not member_id.isascii() or not member_id.isdigit():
        return None
    return session.get(Member, int(member_id))


@dataclass(frozen=True)
class MemberQuery:
    phone: str | None = None
    phone_suffix: str | None = None
    card_no: str | None = None


def search(session: Session, query: MemberQuery) -> list[dict[str, Any]]:
    statement = select(Member).options(selectinload(Member.coupons)).order_by(Member.id).limit(SEARCH_LIMIT)
    if query.phone is not None:
        statement = statement.where(Member.phone == query.phone)
    elif query.phone_suffix is not None:
        suffix = query.phone_suffix
        statement = statement.where(Member.phone_suffix4 == suffix[-4:])  # the index narrows it down
        if len(suffix) > 4:
            statement = statement.where(Member.phone.endswith(suffix, autoescape=True))
    elif query.card_no is not None:
        statement = statement.where(Member.card_no == query.card_no)
    else:
        raise ValueError("a member query needs a phone, a phone suffix or a card number")
    return [member_json(m) for m in session.scalars(statement)]


@dataclass(frozen=True)
class ChangesPage:
    members: list[dict[str, Any]]
    last_version: int
    more: bool


def changes(session: Session, after: int, limit: int) -> ChangesPage:
    """Members whose version is above ``after``, oldest change first, one page at a time."""
    rows = list(
        session.scalars(
            select(Member)
            .options(selectinload(Member.coupons))
            .where(Member.version > after)
            .order_by(Member.version)
            .limit(limit + 1)
        )
    )
    page = rows[:limit]
    last = page[-1].version if page else after
    return ChangesPage([member_json(m) for m in page], last, len(rows) > limit)
