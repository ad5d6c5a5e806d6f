"""MemberLookup (pos.services.members) over fake directories: backend first, cache with its age after."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest

from pos.domain.errors import InvalidValue, PosError
from pos.services.members import MemberLookup, MemberSource, parse_member_query
from pos.services.ports import MemberQuery, MemberQueryKind, MemberRecord
from tests.unit.sync.member_factories import record

NOW = datetime(2026, 11, 21, 6, 30, tzinfo=UTC)
SYNCED = NOW - timedelta(minutes=28)


class FakeBackend:
    def __init__(self, records: Sequence[MemberRecord] = (), error: str | None = None) -> None:
        self.records, self.error = list(records), error
        self.queries: list[MemberQuery] = []

    def search_members(self, query: MemberQuery) -> Sequence[MemberRecord]:
        self.queries.append(query)
        if self.error:
            raise PosError(self.error, "t", "m")
        return [r for r in self.records if _matches(r, query)]


class FakeCache(FakeBackend):
    def __init__(self, records: Sequence[MemberRecord] = (), synced: datetime | None = SYNCED) -> None:
        super().__init__(records)
        self.synced = synced
        self.remembered: list[MemberRecord] = []

    def search_members_as_of(self, query: MemberQuery) -> tuple[Sequence[MemberRecord], datetime | None]:
        return self.search_members(query), self.synced

    def members_synced_at(self) -> datetime | None:
        return self.synced

    def remember_members(self, records: Sequence[MemberRecord]) -> None:
        self.remembered.extend(records)


def _matches(rec: MemberRecord, query: MemberQuery) -> bool:
    phone = rec.member.phone
    return {
        MemberQueryKind.PHONE: phone == query.value,
        MemberQueryKind.PHONE_SUFFIX: phone.endswith(query.value),
        MemberQueryKind.CARD_NO: rec.member.card_no == query.value,
    }[query.kind]


WANG = record("1", "13812345678", 5)
LI = record("2", "13900005678", 6, name="李雷")


@pytest.mark.parametrize(
    ("typed", "kind", "value"),
    [
        ("13812345678", MemberQueryKind.PHONE, "13812345678"),
        (" 138 1234 5678 ", MemberQueryKind.PHONE, "13812345678"),
        ("5678", MemberQueryKind.PHONE_SUFFIX, "5678"),
        ("886000000110", MemberQueryKind.CARD_NO, "886000000110"),
        ("vip00123", MemberQueryKind.CARD_NO, "VIP00123"),
    ],
)
def test_what_the_cashier_types_becomes_a_query(typed: str, kind: MemberQueryKind, value: str) -> None:
    query = parse_member_query(typed)
    assert (query.kind, query.value) == (kind, value)
    assert value not in repr(query)  # a full phone number never reaches a log through repr


@pytest.mark.parametrize("typed", ["", "12", "王芳", "12345678901234567890123", "56 78 x!"])
def test_other_input_is_refused_with_a_hint(typed: str) -> None:
    with pytest.raises(InvalidValue):
        parse_member_query(typed)


def test_online_answers_come_from_the_backend_and_refresh_the_cache() -> None:
    cache = FakeCache()
    lookup = MemberLookup(FakeBackend([WANG, LI]), cache, clock=lambda: NOW)
    result = lookup.lookup("13812345678")
    assert result.source is MemberSource.BACKEND and not result.from_cache
    assert [r.member.id for r in result.records] == ["1"]
    assert result.as_of == NOW and not result.needs_choice
    assert cache.remembered == [WANG] and cache.queries == []


@pytest.mark.parametrize("code", ["backend_unreachable", "backend_timeout", "backend_error", "bad_response"])
def test_when_the_backend_cannot_answer_the_cache_does_with_its_age(code: str) -> None:
    lookup = MemberLookup(FakeBackend(error=code), FakeCache([WANG, LI]), clock=lambda: NOW)
    result = lookup.lookup("5678")
    assert result.from_cache and result.fallback_reason == code
    assert result.as_of == SYNCED and result.age(NOW) == timedelta(minutes=28)
    assert result.needs_choice and {r.member.name for r in result.records} == {"王芳", "李雷"}


def test_a_cache_never_synced_says_so() -> None:
    result = MemberLookup(None, FakeCache([], synced=None)).lookup("5678")
    assert result.from_cache and result.as_of is None and result.age(NOW) is None
    assert result.records == [] and result.fallback_reason == "no_backend"


def test_bad_input_never_reaches_the_backend() -> None:
    backend = FakeBackend([WANG])
    with pytest.raises(InvalidValue):
        MemberLookup(backend, FakeCache()).lookup("abc")
    assert backend.queries == []


def test_a_cache_that_cannot_keep_online_results_does_not_spoil_the_answer() -> None:
    class FullDisk(FakeCache):
        def remember_members(self, records: Sequence[MemberRecord]) -> None:
            raise PosError("local_store_failed", "t", "m")

    result = MemberLookup(FakeBackend([WANG]), FullDisk()).lookup("13812345678")
    assert result.source is MemberSource.BACKEND and len(result.records) == 1
