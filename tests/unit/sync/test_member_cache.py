"""MemberCache and MemberCacheSync: rows and cursor together, version order, paging, bad pages."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from pos.domain.errors import PosError
from pos.services.ports import MemberQuery, MemberQueryKind
from pos.sync import members as members_module
from pos.sync.members import MemberCache, MemberCacheSync, MemberChanges, parse_member_changes
from pos.sync.store import LocalStore
from tests.unit.sync.member_factories import coupon_wire, member_wire, record

SYNCED = datetime(2026, 11, 21, 6, 2, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[LocalStore]:
    opened = LocalStore(tmp_path / "cache.sqlite3")
    yield opened
    opened.close()


@pytest.fixture
def cache(store: LocalStore) -> MemberCache:
    return MemberCache(store, clock=lambda: SYNCED)


def phone(kind: MemberQueryKind, value: str) -> MemberQuery:
    return MemberQuery(kind, value)


def test_changes_are_searchable_by_phone_suffix_and_card(cache: MemberCache) -> None:
    cache.apply_changes(
        MemberChanges(
            [
                record("1", "13812345678", 3, coupons=(coupon_wire("c1"),)),
                record("2", "13900005678", 4, name="李雷"),
                record("3", "13700001111", 5),
            ],
            5,
            False,
        )
    )
    assert cache.version() == 5 and cache.count() == 3
    assert cache.members_synced_at() == SYNCED
    by_phone = cache.search_members(phone(MemberQueryKind.PHONE, "13812345678"))
    assert [r.member.id for r in by_phone] == ["1"]
    assert [c.id for c in by_phone[0].coupons] == ["c1"]
    assert by_phone[0].member.plates == ("粤B12345",)
    suffix = cache.search_members(phone(MemberQueryKind.PHONE_SUFFIX, "5678"))
    assert sorted(r.member.name for r in suffix) == ["李雷", "王芳"]
    card = cache.search_members(phone(MemberQueryKind.CARD_NO, "886000000310"))
    assert [r.member.id for r in card] == ["3"]
    assert cache.search_members(phone(MemberQueryKind.PHONE_SUFFIX, "0000")) == []


def test_a_newer_version_replaces_an_older_one_never_the_reverse(cache: MemberCache) -> None:
    cache.apply_changes(MemberChanges([record("1", "13812345678", 7, wallet_fen=100)], 7, False))
    cache.remember_members([record("1", "13812345678", 6, wallet_fen=999)])  # a stale copy
    found = cache.search_members(phone(MemberQueryKind.PHONE, "13812345678"))
    assert found[0].member.wallet_fen == 100
    cache.remember_members([record("1", "13812345678", 9, wallet_fen=50)])
    found = cache.search_members(phone(MemberQueryKind.PHONE, "13812345678"))
    assert found[0].member.wallet_fen == 50 and found[0].version == 9
    assert cache.version() == 7  # remembering search results never moves the change cursor


def test_a_changed_phone_moves_the_member_in_the_indexes(cache: MemberCache) -> None:
    cache.apply_changes(MemberChanges([record("1", "13812345678", 1)], 1, False))
    cache.apply_changes(MemberChanges([record("1", "13600002222", 2)], 2, False))
    assert cache.search_members(phone(MemberQueryKind.PHONE_SUFFIX, "5678")) == []
    assert len(cache.search_members(phone(MemberQueryKind.PHONE_SUFFIX, "2222"))) == 1


def test_a_page_that_fails_half_way_stores_neither_rows_nor_cursor(
    cache: MemberCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = {"n": 0}
    real_upsert = members_module._upsert

    def crash_on_second(conn: Any, rec: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("power cut")
        real_upsert(conn, rec)

    monkeypatch.setattr(members_module, "_upsert", crash_on_second)
    page = MemberChanges([record("1", "13812345678", 1), record("2", "13900005678", 2)], 2, False)
    with pytest.raises(OSError):
        cache.apply_changes(page)
    assert cache.count() == 0 and cache.version() == 0 and cache.members_synced_at() is None


class FeedBackend:
    """Serves /members/changes from a list of members ordered by version, ``limit`` at a time."""

    def __init__(self, members: list[dict[str, Any]], fail_at_call: int | None = None) -> None:
        self.members = members
        self.calls: list[tuple[int, int]] = []
        self.fail_at_call = fail_at_call
        self.garbage_at_call: int | None = None

    def member_changes(self, after_version: int, limit: int = 1000) -> MemberChanges:
        self.calls.append((after_version, limit))
        if self.fail_at_call == len(self.calls):
            raise PosError("backend_unreachable", "down", "down")
        newer = [m for m in self.members if m["version"] > after_version]
        page = newer[:limit]
        body: dict[str, Any] = {
            "members": page,
            "last_version": page[-1]["version"] if page else after_version,
            "more": len(newer) > limit,
        }
        if self.garbage_at_call == len(self.calls):
            body["members"][-1]["phone"] = "12345"  # not a mobile number
        return parse_member_changes(body)


def feed(count: int) -> list[dict[str, Any]]:
    return [member_wire(str(i), f"138{i:08d}", version=i * 2) for i in range(1, count + 1)]


def test_sync_pulls_every_page_and_resumes_after_a_failure(cache: MemberCache) -> None:
    backend = FeedBackend(feed(25), fail_at_call=3)
    sync = MemberCacheSync(cache, backend, page_limit=10)  # type: ignore[arg-type]
    with pytest.raises(PosError):
        sync.sync_once()
    assert cache.count() == 20 and cache.version() == 40  # two pages stored, each with its cursor
    assert sync.sync_once() == 5
    assert cache.count() == 25 and cache.version() == 50
    assert backend.calls == [(0, 10), (20, 10), (40, 10), (40, 10)]
    assert sync.sync_once() == 0  # nothing new: one call, cursor unchanged
    assert cache.version() == 50


def test_a_garbage_page_is_refused_before_anything_is_stored(cache: MemberCache) -> None:
    backend = FeedBackend(feed(5))
    backend.garbage_at_call = 1
    sync = MemberCacheSync(cache, backend, page_limit=10)  # type: ignore[arg-type]
    with pytest.raises(PosError) as raised:
        sync.sync_once()
    assert raised.value.code == "bad_response"
    assert cache.count() == 0 and cache.version() == 0


def wait_for_members(cache: MemberCache, count: int, what: str) -> None:
    """Until the worker thread has stored ``count`` members (5 s at most, then fail saying ``what``)."""
    deadline = time.monotonic() + 5
    while cache.count() < count:
        assert time.monotonic() < deadline, what
        time.sleep(0.01)


def test_the_worker_syncs_at_start_and_stops_promptly(cache: MemberCache) -> None:
    backend = FeedBackend(feed(3))
    sync = MemberCacheSync(cache, backend, interval_seconds=60)  # type: ignore[arg-type]
    sync.start()
    try:
        wait_for_members(cache, 3, "the start-up sync did not run")
    finally:
        started = time.monotonic()
        sync.stop(timeout=2)
    assert time.monotonic() - started < 1.0  # the 60 s wait is interrupted, not sat out
    assert cache.version() == 6


def test_a_search_gives_its_rows_with_the_time_of_the_last_sync(store: LocalStore) -> None:
    times = iter([SYNCED, SYNCED + timedelta(minutes=5)])
    cache = MemberCache(store, clock=lambda: next(times))
    suffix = phone(MemberQueryKind.PHONE_SUFFIX, "5678")
    assert cache.search_members_as_of(suffix) == ([], None)  # never synced
    cache.apply_changes(MemberChanges([record("1", "13812345678", 1)], 1, False))
    found, as_of = cache.search_members_as_of(suffix)
    assert [r.member.id for r in found] == ["1"] and as_of == SYNCED
    assert cache.search_members_as_of(phone(MemberQueryKind.PHONE_SUFFIX, "0000")) == ([], SYNCED)
    cache.apply_changes(MemberChanges([], 1, False))  # a sync that brought nothing still counts
    assert cache.search_members_as_of(suffix)[1] == SYNCED + timedelta(minutes=5)
    other = MemberCache(store, clock=lambda: SYNCED + timedelta(hours=1))  # e.g. the sync's own instance
    other.apply_changes(MemberChanges([], 1, False))
    assert cache.search_members_as_of(suffix)[1] == SYNCED + timedelta(hours=1)
    assert cache.members_synced_at() == SYNCED + timedelta(hours=1)


@pytest.mark.parametrize("damage", ["{", '{"id": 1}', "", '{"a":1}{}'])
def test_a_damaged_cached_row_is_skipped_and_the_others_still_answer(
    cache: MemberCache, store: LocalStore, damage: str, caplog: pytest.LogCaptureFixture
) -> None:
    twins = [record("1", "13812345678", 1), record("2", "13912345678", 2)]  # same last four digits
    cache.apply_changes(MemberChanges(twins, 2, False))
    with store.write() as conn:
        conn.exec_driver_sql("UPDATE members SET json = ? WHERE id = '1'", (damage,))
    found = cache.search_members(phone(MemberQueryKind.PHONE_SUFFIX, "5678"))
    assert [r.member.id for r in found] == ["2"]
    assert "skipping" in caplog.text and "13812345678" not in caplog.text


class BrokenOnceBackend(FeedBackend):
    """The first call fails with an error that is no PosError (a bug, or a page the cache cannot take)."""

    def member_changes(self, after_version: int, limit: int = 1000) -> MemberChanges:
        if not self.calls:
            self.calls.append((after_version, limit))
            raise UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed")
        return super().member_changes(after_version, limit)


def test_an_unexpected_error_does_not_end_the_worker(
    cache: MemberCache, caplog: pytest.LogCaptureFixture
) -> None:
    backend = BrokenOnceBackend(feed(3))
    sync = MemberCacheSync(cache, backend, interval_seconds=60, retry_seconds=0.05)  # type: ignore[arg-type]
    sync.start()
    try:
        wait_for_members(cache, 3, "the worker did not try again after the error")
    finally:
        sync.stop(timeout=2)
    assert "failed unexpectedly" in caplog.text
