"""Members on the till: the backend's search and change feed, and the member cache that keeps a copy.

``MemberRoutes`` wraps ``GET /members/search`` and ``GET /members/changes`` over the generic client.
``MemberCache`` keeps one row per member (looked up by phone, last four digits or card number) and the
change cursor; each page of changes is stored with its cursor in one transaction, so a crash mid-sync
resumes from the last stored page. ``MemberCacheSync`` pulls the feed at start-up and every few minutes
on its own thread (and its own client: requests sessions are not shared between threads).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import orjson
from sqlalchemy import Connection

from pos.domain.coupon import Coupon
from pos.domain.errors import PosError
from pos.domain.member import Member
from pos.domain.wire import format_rfc3339, parse_rfc3339
from pos.services.ports import MEMBER_SEARCH_LIMIT, MemberQuery, MemberQueryKind, MemberRecord
from pos.sync import wire
from pos.sync.store import LocalStore

if TYPE_CHECKING:  # requests loads only where the client is built
    from pos.sync.client import BackendClient

log = logging.getLogger(__name__)

CHANGES_PAGE_LIMIT = 1000
_COLUMNS = {
    MemberQueryKind.PHONE: "phone",
    MemberQueryKind.PHONE_SUFFIX: "phone_suffix4",
    MemberQueryKind.CARD_NO: "card_no",
}
_SYNCED_AT_SQL = "SELECT members_synced_at FROM sync_state WHERE id = 1"
# The rows and, beside each, the sync time (an uncorrelated subquery: SQLite evaluates it once). The
# columns are the three fixed names above, never text from the user.
SEARCH_SQL = {  # public: the lookup bench runs the very same statement raw
    kind: f"SELECT json, ({_SYNCED_AT_SQL}) FROM members WHERE {column} = ? ORDER BY card_no LIMIT ?"
    for kind, column in _COLUMNS.items()
}


def _utc_now() -> datetime:
    return datetime.now(UTC)


# -- wire ------------------------------------------------------------------------------------------------


def parse_member_record(obj: Any, where: str) -> MemberRecord:
    member = wire.from_wire(Member.from_wire, obj, where)  # refuses anything but an object first
    no_coupons = obj.get("coupons") == []  # most members: nothing to parse, no list to build
    return MemberRecord(  # member, coupons, version, updated_at: by position, this runs per cached row
        member,
        () if no_coupons else tuple(wire.parse_list(Coupon.from_wire, obj, "coupons", where)),
        wire.field(obj, "version", int, where),
        wire.timestamp(obj, "updated_at", where),
    )


def record_to_wire(record: MemberRecord) -> dict[str, Any]:
    return {
        **record.member.to_wire(),
        "coupons": [coupon.to_wire() for coupon in record.coupons],
        "version": record.version,
        "updated_at": format_rfc3339(record.updated_at),
    }


@dataclass(frozen=True, slots=True)
class MemberChanges:
    members: Sequence[MemberRecord]
    last_version: int
    more: bool


def parse_member_changes(body: Any) -> MemberChanges:
    items = wire.field(body, "members", list, "member changes")
    return MemberChanges(
        members=[parse_member_record(item, f"members[{i}]") for i, item in enumerate(items)],
        last_version=wire.field(body, "last_version", int, "member changes"),
        more=wire.field(body, "more", bool, "member changes"),
    )


class MemberRoutes:
    """The backend's member routes; every answer is parsed whole before anyone sees it."""

    def __init__(self, client: BackendClient) -> None:
        self._client = client

    def search_members(self, query: MemberQuery) -> Sequence[MemberRecord]:
        body = self._client.get_json("/members/search", {query.kind.value: query.value})
        items = wire.field(body, "members", list, "member search")
        return [parse_member_record(item, f"members[{i}]") for i, item in enumerate(items)]

    def member_changes(self, after_version: int, limit: int = CHANGES_PAGE_LIMIT) -> MemberChanges:
        body = self._client.get_json("/members/changes", {"after": after_version, "limit": limit})
        return parse_member_changes(body)


# -- the cache -------------------------------------------------------------------------------------------


class MemberCache:
    """The members table of a ``LocalStore``: offline search, and the change cursor it was filled to.

    Searches run on the store's per-thread read connection (``LocalStore.query``): a lookup at the counter
    costs one statement, never a pooled transaction, and never waits for the sync writing beside it."""

    def __init__(self, store: LocalStore, clock: Callable[[], datetime] = _utc_now) -> None:
        self._store = store
        self._clock = clock
        self._synced_at: tuple[str, datetime] | None = None  # the last stored text and its parsed time

    def search_members(self, query: MemberQuery) -> Sequence[MemberRecord]:
        return self.search_members_as_of(query)[0]

    def search_members_as_of(self, query: MemberQuery) -> tuple[Sequence[MemberRecord], datetime | None]:
        """The matches and the cache's sync time, from one statement: the age is that of these rows."""
        rows = self._store.query(SEARCH_SQL[query.kind], (query.value, MEMBER_SEARCH_LIMIT))
        if not rows:
            return [], self.members_synced_at()
        records = []
        for text, _ in rows:
            try:  # orjson: a cached row decodes in a third of json.loads' time, with the same strictness
                records.append(parse_member_record(orjson.loads(text), "cached member"))
            except PosError as error:  # our own row, so an app change; the next sync rewrites it
                log.warning("skipping an unreadable cached member: %s", error.code)
            except orjson.JSONDecodeError:  # a damaged row: the others still answer
                log.warning("skipping a cached member that is not JSON")
        return records, self._synced_time(rows[0][1])

    def members_synced_at(self) -> datetime | None:
        rows = self._store.query(_SYNCED_AT_SQL)
        return self._synced_time(rows[0][0] if rows else None)

    def _synced_time(self, text: str | None) -> datetime | None:
        """Parsed once per stored value: the same text comes back on every lookup until the next sync."""
        if text is None:
            return None
        seen = self._synced_at  # one tuple, replaced whole: safe to read while another thread sets it
        if seen is None or seen[0] != text:
            seen = self._synced_at = (text, parse_rfc3339(text))
        return seen[1]

    def version(self) -> int:
        with self._store.read() as conn:
            return int(
                conn.exec_driver_sql("SELECT member_version FROM sync_state WHERE id = 1").scalar_one()
            )

    def count(self) -> int:
        with self._store.read() as conn:
            return int(conn.exec_driver_sql("SELECT count(*) FROM members").scalar_one())

    def apply_changes(self, changes: MemberChanges) -> None:
        """Store a page of changes and move the cursor to its last version, in one transaction."""
        with self._store.write() as conn:
            for record in changes.members:
                _upsert(conn, record)
            conn.exec_driver_sql(
                "UPDATE sync_state SET member_version = max(member_version, ?), members_synced_at = ?"
                " WHERE id = 1",
                (changes.last_version, format_rfc3339(self._clock())),
            )

    def remember_members(self, records: Sequence[MemberRecord]) -> None:
        """Keep copies found online; the cursor stays, so the change feed still delivers everything."""
        if records:
            with self._store.write() as conn:
                for record in records:
                    _upsert(conn, record)


def _upsert(conn: Connection, record: MemberRecord) -> None:
    """Insert or replace, unless the cache already holds a newer version of the member."""
    member = record.member
    conn.exec_driver_sql(
        "INSERT INTO members (id, card_no, phone, phone_suffix4, name, tier, version, json)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (id) DO UPDATE SET card_no = excluded.card_no, phone = excluded.phone,"
        " phone_suffix4 = excluded.phone_suffix4, name = excluded.name, tier = excluded.tier,"
        " version = excluded.version, json = excluded.json WHERE excluded.version >= members.version",
        (
            member.id,
            member.card_no,
            member.phone,
            member.phone[-4:],
            member.name,
            member.tier.value,
            record.version,
            json.dumps(record_to_wire(record), ensure_ascii=False, separators=(",", ":")),
        ),
    )


# -- the worker ------------------------------------------------------------------------------------------


class MemberCacheSync:
    """Pulls ``/members/changes`` into the cache now and every ``interval_seconds`` on its own thread."""

    def __init__(
        self,
        cache: MemberCache,
        routes: MemberRoutes,
        *,
        interval_seconds: float = 300.0,
        retry_seconds: float = 30.0,
        page_limit: int = CHANGES_PAGE_LIMIT,
        max_pages: int = 1000,
    ) -> None:
        self._cache = cache
        self._routes = routes
        self._interval = interval_seconds
        self._retry = min(retry_seconds, interval_seconds)  # a failed start-up sync retries sooner
        self._page_limit = page_limit
        self._max_pages = max_pages  # a backend that always says "more" must not keep us busy forever
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def sync_once(self) -> int:
        """Pull pages until the feed says no more; returns how many member rows were received."""
        received = 0
        for _ in range(self._max_pages):
            if self._stop.is_set():
                break
            after = self._cache.version()
            changes = self._routes.member_changes(after, self._page_limit)
            self._cache.apply_changes(changes)
            received += len(changes.members)
            if not changes.more or changes.last_version <= after:  # done, or a feed that stopped moving
                break
        return received

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("MemberCacheSync already started")
        self._thread = threading.Thread(target=self._run, name="member-cache-sync", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 1.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                received = self.sync_once()
            except PosError as error:  # offline or a bad page: the cache keeps what it has, try later
                log.warning("member cache sync failed: %s", error.code)
                self._stop.wait(self._retry)
                continue
            except Exception:  # a bug or a page the cache could not take must not end the thread
                log.exception("member cache sync failed unexpectedly")
                self._stop.wait(self._retry)
                continue
            log.info("member cache synced: %d changed members, cursor %d", received, self._cache.version())
            self._stop.wait(self._interval)
