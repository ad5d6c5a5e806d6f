"""Member cache and lookup against the real backend: online answers, then offline ones with their age."""

from __future__ import annotations

from datetime import UTC, datetime

from pos.services.members import MemberLookup, MemberSource
from pos.sync.client import BackendClient
from pos.sync.members import MemberCache, MemberCacheSync, MemberRoutes
from pos.sync.store import LocalStore
from pos_backend.clock import utc_now
from pos_backend.members import touch
from pos_backend.models import Member as MemberRow
from pos_backend.server import RunningBackend


def first_member(client: BackendClient) -> dict[str, object]:
    body = client.get_json("/members/changes", {"after": 0, "limit": 1})
    member: dict[str, object] = body["members"][0]
    return member


def test_the_whole_feed_lands_in_the_cache_and_follows_changes(
    backend: RunningBackend, client: BackendClient, store: LocalStore
) -> None:
    cache = MemberCache(store)
    sync = MemberCacheSync(cache, MemberRoutes(client), page_limit=100)
    received = sync.sync_once()
    assert received == cache.count() >= 100  # several pages
    cursor = cache.version()
    assert sync.sync_once() == 0 and cache.version() == cursor

    wanted = first_member(client)
    with backend.db.write() as session:  # the member tops up at another station
        row = session.get(MemberRow, int(str(wanted["id"])))
        assert row is not None
        row.wallet_fen += 10_000
        touch(row, session, utc_now())
    assert sync.sync_once() == 1
    assert cache.version() > cursor
    lookup = MemberLookup(None, cache)
    (found,) = lookup.lookup(str(wanted["phone"])).records
    assert found.member.wallet_fen == int(str(wanted["wallet_fen"])) + 10_000


def test_lookup_is_online_first_then_answers_from_the_cache_with_its_age(
    backend: RunningBackend, client: BackendClient, store: LocalStore
) -> None:
    cache = MemberCache(store)
    before_sync = datetime.now(UTC)
    MemberCacheSync(cache, MemberRoutes(client)).sync_once()
    wanted = first_member(client)
    phone, card_no = str(wanted["phone"]), str(wanted["card_no"])
    lookup = MemberLookup(MemberRoutes(client), cache)

    online = lookup.lookup(phone)
    assert online.source is MemberSource.BACKEND
    assert [r.member.id for r in online.records] == [wanted["id"]]
    by_suffix = lookup.lookup(phone[-4:])
    assert wanted["id"] in [r.member.id for r in by_suffix.records]

    backend.stop()  # the link is gone
    offline = lookup.lookup(phone)
    assert offline.from_cache and offline.fallback_reason == "backend_unreachable"
    assert offline.records == online.records  # the same member, wallet, points, coupons, plates
    assert offline.as_of is not None and before_sync <= offline.as_of <= datetime.now(UTC)
    assert lookup.lookup(card_no).records == online.records
    offline_suffix = lookup.lookup(phone[-4:])
    assert offline_suffix.from_cache
    assert [r.member.id for r in offline_suffix.records] == [r.member.id for r in by_suffix.records]
