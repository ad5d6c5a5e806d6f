"""LocalStore: pragmas, transactions, migrations, and what happens to a corrupt or newer file."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pos.domain.errors import PosError
from pos.sync.migrations import SCHEMA_VERSION
from pos.sync.store import CacheUnusable, LocalStore

NOW = datetime(2026, 11, 21, 6, 2, 3, tzinfo=UTC)
EXPECTED_TABLES = {
    "outbox",
    "sales_local",
    "cache_grades",
    "cache_nozzles",
    "cache_transactions",
    "cache_orders",
    "sync_state",
    "current_shift",
    "members",
}
OUTBOX_COLUMNS = [
    ("id", "INTEGER", 0),
    ("idempotency_key", "TEXT", 1),
    ("method", "TEXT", 1),
    ("path", "TEXT", 1),
    ("body", "TEXT", 1),
    ("staff_no", "TEXT", 0),
    ("created_at", "TEXT", 1),
    ("state", "TEXT", 1),
    ("attempts", "INTEGER", 1),
    ("last_attempt_at", "TEXT", 0),
    ("last_error", "TEXT", 0),
    ("response_status", "INTEGER", 0),
    ("response_body", "TEXT", 0),
    ("acked_at", "TEXT", 0),
    ("lease_owner", "TEXT", 0),
    ("lease_until", "TEXT", 0),
]


def tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def version_of(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "till" / "cache.sqlite3"


def test_a_new_file_gets_the_whole_schema_and_the_pragmas(path: Path) -> None:
    store = LocalStore(path)
    with store.read() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000
        outbox = [(c[1], c[2], c[3]) for c in conn.exec_driver_sql("PRAGMA table_info(outbox)")]
        indexes = {row[1] for row in conn.exec_driver_sql("PRAGMA index_list(outbox)")}
        member_indexes = {row[1] for row in conn.exec_driver_sql("PRAGMA index_list(members)")}
    store.close()
    assert tables(path) >= EXPECTED_TABLES
    assert version_of(path) == SCHEMA_VERSION
    assert outbox == OUTBOX_COLUMNS
    assert "ix_outbox_state_id" in indexes
    assert {"ix_members_phone", "ix_members_phone_suffix4", "ix_members_card_no"} <= member_indexes


def test_a_write_commits_and_a_failing_one_rolls_back(path: Path) -> None:
    store = LocalStore(path)
    with store.write() as conn:
        conn.exec_driver_sql("INSERT INTO current_shift (id, json) VALUES (1, '{\"n\": 1}')")
    with pytest.raises(RuntimeError), store.write() as conn:
        conn.exec_driver_sql("UPDATE current_shift SET json = '{\"n\": 2}'")
        raise RuntimeError("boom")
    with store.read() as conn:
        assert conn.exec_driver_sql("SELECT json FROM current_shift").scalar() == '{"n": 1}'
    store.close()


def test_write_takes_the_lock_up_front(path: Path) -> None:
    """BEGIN IMMEDIATE: a second writer waits for the first instead of failing on upgrade."""
    store = LocalStore(path)
    inside, release = threading.Event(), threading.Event()
    order: list[str] = []

    def first() -> None:
        with store.write() as conn:
            inside.set()
            release.wait(5)
            conn.exec_driver_sql("INSERT INTO current_shift (id, json) VALUES (1, '\"first\"')")
            order.append("first")

    thread = threading.Thread(target=first)
    thread.start()
    inside.wait(5)
    threading.Timer(0.2, release.set).start()
    with store.write() as conn:  # blocks until the first commits
        order.append("second")
        conn.exec_driver_sql("UPDATE current_shift SET json = '\"second\"'")
    thread.join(5)
    assert order == ["first", "second"]
    store.close()


def test_foreign_keys_are_enforced(path: Path) -> None:
    from sqlalchemy.exc import IntegrityError

    store = LocalStore(path)
    with pytest.raises(IntegrityError), store.write() as conn:
        conn.exec_driver_sql(
            "INSERT INTO sales_local (sale_id, created_at, body, outbox_id) VALUES ('s1', 't', '{}', 99)"
        )
    store.close()


def test_an_older_schema_file_is_migrated_on_open(path: Path) -> None:
    path.parent.mkdir(parents=True)
    with sqlite3.connect(path) as conn:  # v0: a file from before the schema existed
        conn.execute("CREATE TABLE notes (text TEXT)")
        conn.execute("INSERT INTO notes VALUES ('kept')")
    assert version_of(path) == 0 and "outbox" not in tables(path)
    store, notice = LocalStore.open_or_rebuild(path)
    store.close()
    assert notice is None
    assert version_of(path) == SCHEMA_VERSION
    assert EXPECTED_TABLES | {"notes"} <= tables(path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT text FROM notes").fetchall() == [("kept",)]


def test_a_migration_that_fails_leaves_the_file_at_its_old_version(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pos.sync.migrations as migrations

    def half_then_fail(conn: object) -> None:
        conn.exec_driver_sql("CREATE TABLE outbox (id INTEGER)")  # type: ignore[attr-defined]
        raise RuntimeError("power cut")

    monkeypatch.setattr(migrations, "MIGRATIONS", (half_then_fail,))
    monkeypatch.setattr("pos.sync.store.migrate", lambda conn: migrations.migrate(conn, (half_then_fail,)))
    with pytest.raises(RuntimeError):
        LocalStore(path)
    assert version_of(path) == 0 and "outbox" not in tables(path)


def test_a_corrupt_file_is_kept_aside_and_a_fresh_cache_opened(path: Path) -> None:
    path.parent.mkdir(parents=True)
    garbage = b"this is not a database " * 500
    path.write_bytes(garbage)
    with pytest.raises(CacheUnusable) as raised:
        LocalStore(path)
    assert raised.value.kind == "corrupt"

    store, notice = LocalStore.open_or_rebuild(path, clock=lambda: NOW)
    store.close()
    assert notice is not None and notice.kind == "corrupt"
    assert notice.kept_copy == path.with_name("cache.sqlite3.corrupt-20261121T060203Z")
    assert notice.kept_copy.read_bytes() == garbage
    assert notice.kept_copy.name in notice.message
    assert tables(path) >= EXPECTED_TABLES


def test_a_file_with_damaged_pages_counts_as_corrupt(path: Path) -> None:
    store = LocalStore(path)
    with store.write() as conn:
        for i in range(300):
            conn.exec_driver_sql(
                "INSERT INTO members VALUES (?, ?, ?, ?, 'n', 'regular', 1, ?)",
                (str(i), f"c{i}", f"138{i:08d}", f"{i:04d}", "x" * 200),
            )
    store.close()  # the last connection closing checkpoints the WAL into the file
    data = bytearray(path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    for offset in range(page_size * 2, len(data), page_size):  # scribble over every page after the 2nd
        data[offset : offset + 64] = b"\xff" * 64
    path.write_bytes(bytes(data))
    store, notice = LocalStore.open_or_rebuild(path, clock=lambda: NOW)
    store.close()
    assert notice is not None and notice.kind == "corrupt"


def test_a_file_from_a_newer_app_is_kept_aside(path: Path) -> None:
    LocalStore(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(CacheUnusable) as raised:
        LocalStore(path)
    assert raised.value.kind == "newer"
    store, notice = LocalStore.open_or_rebuild(path, clock=lambda: NOW)
    store.close()
    assert notice is not None and notice.kind == "newer"
    assert notice.kept_copy.name == "cache.sqlite3.newer-20261121T060203Z"
    assert version_of(notice.kept_copy) == SCHEMA_VERSION + 1
    assert version_of(path) == SCHEMA_VERSION


def test_a_second_failure_in_the_same_second_keeps_both_copies(path: Path) -> None:
    path.parent.mkdir(parents=True)
    kept = []
    for content in (b"first garbage " * 400, b"second garbage " * 400):
        path.write_bytes(content)
        for side in ("-wal", "-shm"):
            path.with_name(path.name + side).unlink(missing_ok=True)
        store, notice = LocalStore.open_or_rebuild(path, clock=lambda: NOW)
        store.close()
        assert notice is not None
        kept.append(notice.kept_copy)
    assert kept[0] != kept[1]
    assert kept[0].read_bytes().startswith(b"first") and kept[1].read_bytes().startswith(b"second")


def test_a_locked_file_is_an_error_not_a_rebuild(path: Path) -> None:
    LocalStore(path).close()
    holder = sqlite3.connect(path, timeout=0)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(PosError) as raised:
            LocalStore.open_or_rebuild(path, busy_timeout_ms=100)  # do not wait 10 s in a test
    finally:
        holder.rollback()
        holder.close()
    assert raised.value.code == "local_store_failed"
    assert not list(path.parent.glob("*.corrupt-*"))


def test_query_sees_every_commit_and_refuses_to_write(path: Path) -> None:
    store = LocalStore(path)
    with store.write() as conn:
        conn.exec_driver_sql("INSERT INTO current_shift (id, json) VALUES (1, '\"a\"')")
    assert store.query("SELECT json FROM current_shift WHERE id = ?", (1,)) == [('"a"',)]
    with store.write() as conn:  # the reader keeps no snapshot between queries
        conn.exec_driver_sql("UPDATE current_shift SET json = '\"b\"'")
    assert store.query("SELECT json FROM current_shift") == [('"b"',)]
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        store.query("UPDATE current_shift SET json = '\"c\"'")
    assert store.query("SELECT json FROM current_shift") == [('"b"',)]
    store.close()


def test_query_answers_from_the_last_commit_while_a_writer_holds_the_lock(path: Path) -> None:
    """WAL: a lookup never waits for the member sync. The short busy timeout turns a wait into a failure."""
    store = LocalStore(path, busy_timeout_ms=50)
    with store.write() as conn:
        conn.exec_driver_sql("INSERT INTO current_shift (id, json) VALUES (1, '\"old\"')")
    seen: list[object] = []
    with store.write() as conn:
        conn.exec_driver_sql("UPDATE current_shift SET json = '\"new\"'")
        thread = threading.Thread(target=lambda: seen.append(store.query("SELECT json FROM current_shift")))
        thread.start()
        thread.join(5)
    assert seen == [[('"old"',)]]
    assert store.query("SELECT json FROM current_shift") == [('"new"',)]
    store.close()


def test_a_reader_goes_with_its_thread_and_the_store_closes_the_others(path: Path) -> None:
    store = LocalStore(path)
    store.query("SELECT 1")
    inside, release = threading.Event(), threading.Event()

    def worker() -> None:
        store.query("SELECT count(*) FROM members")
        inside.set()
        release.wait(5)

    ended = threading.Thread(target=lambda: store.query("SELECT 1"))
    ended.start()
    ended.join(5)
    assert len(store._readers) == 1  # only this thread's: the ended thread's went with its locals
    alive = threading.Thread(target=worker)
    alive.start()
    inside.wait(5)
    assert len(store._readers) == 2
    store.close()  # while the worker, and its reader, are still there
    wal = path.with_name(path.name + "-wal")
    assert not wal.exists()  # only the last connection to close checkpoints and removes the WAL
    release.set()
    alive.join(5)
