"""The till's local SQLite store: the station cache, the member cache, the outbox and the till's own sales.

One file, WAL journal, ``synchronous=FULL`` (an acknowledged write survives a power cut: the outbox depends
on it), foreign keys on, a 10 s busy timeout. ``write()`` runs a ``BEGIN IMMEDIATE`` transaction, so two
writers queue for the lock up front instead of failing half-way; ``read()`` gives a consistent snapshot.
``query()`` runs one read-only statement on a connection the calling thread keeps, for hot read paths
(the offline member lookup) where a pooled SQLAlchemy transaction costs more than the query itself.

Opening checks the file: a corrupt file or one written by a newer version of the app raises
``CacheUnusable``; ``LocalStore.open_or_rebuild`` moves such a file aside (keeping it for support) and
starts an empty cache, since everything in the cache can be fetched again. (Unsent outbox records in a
moved file are kept in that copy, never silently dropped.)
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DatabaseError, DBAPIError, IntegrityError, OperationalError, ProgrammingError

from pos.domain.errors import PosError
from pos.sync.migrations import SCHEMA_VERSION, migrate, user_version

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 10_000
_PRAGMAS = (
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
    "PRAGMA foreign_keys = ON",
)
_SIDE_FILES = ("-wal", "-shm")


class CacheUnusable(PosError):
    """The store file cannot be used as it is: ``kind`` is ``corrupt`` or ``newer``."""

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(
            "cache_unusable",
            "本地缓存无法使用 / Local cache unusable",
            f"{reason}. 将重建本地缓存 / The local cache will be rebuilt.",
            {"kind": kind},
        )
        self.kind = kind
        self.reason = reason


@dataclass(frozen=True, slots=True)
class CacheNotice:
    """Told to staff once after a bad cache file was moved aside and an empty one started."""

    kind: str  # corrupt | newer
    reason: str
    kept_copy: Path

    @property
    def message(self) -> str:
        return (
            f"本地缓存已重建，旧文件保存为 {self.kept_copy.name} / "
            f"The local cache was rebuilt ({self.kind}); the old file was kept as {self.kept_copy.name}."
        )


def store_failed(exc: Exception) -> PosError:
    return PosError(
        "local_store_failed",
        "本地数据写入失败 / Local store failed",
        "请检查磁盘空间；如持续出现请联系技术支持 / Check free disk space; call support if it persists.",
        {"reason": type(exc).__name__},
    )


def _install_sqlite_hooks(engine: Engine, busy_timeout_ms: int) -> None:
    """Let us issue BEGIN ourselves (pysqlite's implicit one cannot be IMMEDIATE) and set the pragmas."""

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # no implicit BEGIN from the driver
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            for pragma in _PRAGMAS:
                cursor.execute(pragma)
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


class _Reader:
    """One thread's read-only connection, held in that thread's locals: closed when the thread ends (its
    locals go) or when the store closes, whichever comes first."""

    __slots__ = ("__weakref__", "conn", "lock")

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.lock = threading.Lock()  # only ever contended by close(), never closing a query mid-way

    def __del__(self) -> None:
        self.conn.close()


class LocalStore:
    """A migrated, checked SQLite file. Safe to share between threads: ``read()`` and ``write()`` take a
    connection from the pool, ``query()`` uses the calling thread's own read-only connection."""

    def __init__(self, path: Path, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
        self.path = path
        self._busy_timeout_ms = busy_timeout_ms
        self._local = threading.local()  # .reader: this thread's _Reader
        self._readers: weakref.WeakSet[_Reader] = weakref.WeakSet()  # every open one, for close()
        self._readers_lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)
        self.engine = create_engine(
            f"sqlite:///{path}",
            connect_args={"check_same_thread": False, "timeout": busy_timeout_ms / 1000},
        )
        _install_sqlite_hooks(self.engine, busy_timeout_ms)
        try:
            self._check_and_migrate()
        except BaseException:
            self.engine.dispose()
            raise

    def _check_and_migrate(self) -> None:
        try:
            with self._immediate() as conn:
                found = user_version(conn)
                if found > SCHEMA_VERSION:
                    raise CacheUnusable(
                        "newer", f"the file has schema {found}, this app knows up to {SCHEMA_VERSION}"
                    )
                verdict = conn.exec_driver_sql("PRAGMA quick_check(1)").scalar_one()
                if verdict != "ok":
                    raise CacheUnusable("corrupt", f"integrity check failed: {str(verdict)[:80]}")
                migrate(conn)
        except (OperationalError, sqlite3.OperationalError) as exc:
            # locked by another process, unreadable directory, disk full: the file may be fine, keep it
            raise store_failed(exc) from exc
        except (DBAPIError, sqlite3.DatabaseError) as exc:
            # "file is not a database", "database disk image is malformed", ...
            raise CacheUnusable("corrupt", f"SQLite refused the file ({type(exc).__name__})") from exc
        if found < SCHEMA_VERSION:
            log.info("local store %s migrated from schema %d to %d", self.path.name, found, SCHEMA_VERSION)

    @contextmanager
    def _immediate(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            conn.execution_options(sqlite_begin="IMMEDIATE")
            with conn.begin():
                yield conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A ``BEGIN IMMEDIATE`` transaction: committed when the block ends, rolled back on any error."""
        try:
            with self._immediate() as conn:
                yield conn
        except (IntegrityError, ProgrammingError):  # the caller's own mistake or constraint: theirs to see
            raise
        except DatabaseError as exc:  # locked past the busy timeout, disk full, I/O error, malformed page
            log.error("local store write failed: %s", type(exc.orig).__name__)
            raise store_failed(exc) from exc

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read transaction: every query in the block sees the same committed state."""
        with self.engine.connect() as conn, conn.begin() as transaction:
            yield conn
            transaction.rollback()

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """The rows of one read-only statement, run without a transaction of ours: SQLite runs a lone
        statement as its own read transaction, so the rows come from one committed state, and in WAL
        mode the writer never waits for it. Queries that must agree with each other belong in ``read()``.
        """
        try:
            reader = getattr(self._local, "reader", None) or self._open_reader()
            with reader.lock:
                return reader.conn.execute(sql, params).fetchall()
        except (sqlite3.IntegrityError, sqlite3.ProgrammingError):  # a mistake in the caller's SQL
            raise
        except sqlite3.DatabaseError as exc:  # locked past the busy timeout, I/O error, malformed page
            if exc.sqlite_errorcode == sqlite3.SQLITE_READONLY:  # a write sent here: the caller's mistake
                raise
            log.error("local store read failed: %s", type(exc).__name__)
            raise store_failed(exc) from exc

    def _open_reader(self) -> _Reader:
        # check_same_thread off: close(), or dropping the locals close() replaced, may close it from
        # another thread; the lock keeps that from happening mid-query.
        conn = sqlite3.connect(
            self.path,
            timeout=self._busy_timeout_ms / 1000,
            isolation_level=None,
            check_same_thread=False,
        )
        try:
            conn.execute("PRAGMA query_only = ON")  # a refused write, should a caller ever try one
        except BaseException:
            conn.close()
            raise
        reader = _Reader(conn)
        with self._readers_lock:  # never half-registered while close() runs
            self._readers.add(reader)
            self._local.reader = reader
        return reader

    def close(self) -> None:
        with self._readers_lock:
            readers, self._readers = list(self._readers), weakref.WeakSet()
            self._local = threading.local()  # every thread opens a new reader if it queries again
        for reader in readers:
            with reader.lock:
                reader.conn.close()
        self.engine.dispose()

    @classmethod
    def open_or_rebuild(
        cls, path: Path, clock: Callable[[], datetime] | None = None, busy_timeout_ms: int = BUSY_TIMEOUT_MS
    ) -> tuple[LocalStore, CacheNotice | None]:
        """Open ``path``; when it is corrupt or from a newer app, keep it aside and start empty."""
        try:
            return cls(path, busy_timeout_ms), None
        except CacheUnusable as unusable:
            now = (clock or (lambda: datetime.now(UTC)))()
            kept = move_aside(path, f"{unusable.kind}-{now.astimezone(UTC):%Y%m%dT%H%M%SZ}")
            log.warning("local store %s unusable (%s): kept as %s", path.name, unusable.reason, kept.name)
            return cls(path, busy_timeout_ms), CacheNotice(unusable.kind, unusable.reason, kept)


def move_aside(path: Path, label: str) -> Path:
    """Rename ``path`` (and its WAL/SHM files, so the copy stays readable) to ``<name>.<label>``."""
    kept = path.with_name(f"{path.name}.{label}")
    serial = 1
    while kept.exists():  # two failures within one second must not overwrite the first copy
        kept = path.with_name(f"{path.name}.{label}.{serial}")
        serial += 1
    path.replace(kept)
    for suffix in _SIDE_FILES:
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.replace(kept.with_name(kept.name + suffix))
    return kept
