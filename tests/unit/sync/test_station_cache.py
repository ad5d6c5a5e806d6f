"""StationCache: snapshots and event batches in the local store, each in one transaction with its seq."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pos.domain.errors import PosError
from pos.services.ports import EventBatch, StationEvent
from pos.sync import cache as cache_module
from pos.sync.cache import StationCache, bind_to_backend
from pos.sync.store import LocalStore
from tests.unit.services.factories import T0, event, nozzle_wire, order_wire, snapshot, transaction_wire


@pytest.fixture
def store(tmp_path: Path) -> Iterator[LocalStore]:
    opened = LocalStore(tmp_path / "cache.sqlite3")
    yield opened
    opened.close()


@pytest.fixture
def cache(store: LocalStore) -> StationCache:
    return StationCache(store, clock=lambda: T0)


def rows(store: LocalStore) -> dict[str, Any]:
    tables = ("cache_grades", "cache_nozzles", "cache_transactions", "cache_orders", "sync_state")
    with store.read() as conn:
        return {t: [tuple(r) for r in conn.exec_driver_sql(f"SELECT * FROM {t} ORDER BY 1")] for t in tables}


def first_snapshot() -> Any:
    return snapshot(
        5,
        [nozzle_wire(1), nozzle_wire(2, "payable")],
        [transaction_wire("t1", 2)],
        [order_wire("o1", 1)],
    )


def test_an_empty_cache_has_no_seq_and_nothing_to_load(cache: StationCache) -> None:
    assert cache.last_seq() is None
    assert cache.load() is None


def test_a_snapshot_round_trips(cache: StationCache) -> None:
    original = first_snapshot()
    cache.replace_snapshot(original)
    cached = cache.load()
    assert cached is not None
    assert cached.snapshot == original
    assert cached.last_contact_at == T0
    assert cache.last_seq() == 5


def test_events_apply_after_the_stored_seq_only(cache: StationCache, store: LocalStore) -> None:
    cache.replace_snapshot(first_snapshot())
    batch = EventBatch(
        [
            event(4, "nozzle.updated", nozzle_wire(1, "error")),  # older than the snapshot: skipped
            event(7, "transaction.updated", transaction_wire("t1", 2, state="cleared")),
            event(6, "nozzle.updated", nozzle_wire(1, "calling")),
            event(8, "order.updated", order_wire("o1", 1, state="completed")),
            event(9, "order.created", order_wire("o2", 3)),
        ],
        9,
    )
    assert cache.apply_batch(batch) == [6, 7, 8, 9]
    assert cache.apply_batch(batch) == []  # the same page again (a retried long-poll) changes nothing
    cached = cache.load()
    assert cached is not None
    assert cached.snapshot.seq == 9
    assert {n.number: str(n.state) for n in cached.snapshot.nozzles} == {1: "calling", 2: "payable"}
    assert cached.snapshot.transactions == []  # cleared leaves the cache
    assert [o.id for o in cached.snapshot.orders] == ["o2"]  # completed leaves, created arrives


def test_events_before_any_snapshot_are_refused(cache: StationCache) -> None:
    with pytest.raises(PosError) as raised:
        cache.apply_batch(EventBatch([event(1, "nozzle.updated", nozzle_wire(1))], 1))
    assert raised.value.code == "cache_no_snapshot"


def test_a_batch_that_fails_half_way_leaves_rows_and_seq_as_they_were(
    cache: StationCache, store: LocalStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache.replace_snapshot(first_snapshot())
    before = rows(store)
    real_put_order = cache_module._put_order

    def crash_on_orders(conn: Any, order: Any) -> None:
        raise OSError("power cut")

    monkeypatch.setattr(cache_module, "_put_order", crash_on_orders)
    batch = EventBatch(
        [
            event(6, "nozzle.updated", nozzle_wire(1, "calling")),
            event(7, "order.created", order_wire("o9", 1)),
        ],
        7,
    )
    with pytest.raises(OSError):
        cache.apply_batch(batch)
    assert rows(store) == before  # the nozzle row written before the crash was rolled back with it
    monkeypatch.setattr(cache_module, "_put_order", real_put_order)
    assert cache.apply_batch(batch) == [6, 7]


def test_a_snapshot_that_fails_half_way_keeps_the_old_cache_whole(
    cache: StationCache, store: LocalStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache.replace_snapshot(first_snapshot())
    before = rows(store)

    def crash(conn: Any, order: Any) -> None:
        raise OSError("disk gone")

    monkeypatch.setattr(cache_module, "_put_order", crash)
    with pytest.raises(OSError):
        cache.replace_snapshot(snapshot(50, [nozzle_wire(1, "idle")], [], [order_wire("o5", 1)]))
    assert rows(store) == before


@pytest.mark.parametrize("bad_json", ['{"number": "one"}', "{not json"])
def test_an_unreadable_cached_station_is_ignored(
    cache: StationCache, store: LocalStore, bad_json: str
) -> None:
    cache.replace_snapshot(first_snapshot())
    with store.write() as conn:
        conn.exec_driver_sql("UPDATE cache_nozzles SET json = ? WHERE number = 1", (bad_json,))
    assert cache.load() is None
    assert cache.last_seq() is None  # so the follower starts with a snapshot that rewrites it


def test_a_cache_from_another_backend_is_dropped_not_resumed(cache: StationCache, store: LocalStore) -> None:
    assert bind_to_backend(store, "http://a.example/") is False  # first use: nothing to drop
    cache.replace_snapshot(first_snapshot())
    with store.write() as conn:
        conn.exec_driver_sql(
            "INSERT INTO members VALUES ('1', 'c', '13812345678', '5678', 'n', 'gold', 3, '{}')"
        )
        conn.exec_driver_sql("UPDATE sync_state SET member_version = 3")
    assert bind_to_backend(store, "http://a.example") is False  # same backend: kept
    assert cache.last_seq() == 5

    assert bind_to_backend(store, "http://b.example") is True
    assert cache.last_seq() is None and cache.load() is None
    with store.read() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM members").scalar() == 0
        assert conn.exec_driver_sql("SELECT member_version FROM sync_state").scalar() == 0
        assert conn.exec_driver_sql("SELECT count(*) FROM cache_nozzles").scalar() == 0


def test_an_event_of_a_type_the_till_ignores_still_moves_the_seq(
    cache: StationCache, store: LocalStore
) -> None:
    cache.replace_snapshot(first_snapshot())
    before = rows(store)
    ignored = StationEvent(seq=6, type="sale.recorded", at=T0, payload=None)
    assert cache.apply_batch(EventBatch([ignored], 6)) == [6]
    after = rows(store)
    assert cache.last_seq() == 6
    assert {k: v for k, v in after.items() if k != "sync_state"} == {
        k: v for k, v in before.items() if k != "sync_state"
    }
