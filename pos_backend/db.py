"""Engine, sessions and the single write lane.

SQLite has one writer at a time, so every write in this process (request threads and the simulator)
goes through ``Database.write()``, which serialises them with a lock: nobody ever meets "database is
locked". A write transaction starts with ``BEGIN IMMEDIATE``, so a second process on the same file waits
(busy_timeout) at BEGIN instead of failing when it upgrades a read snapshot to a write. Single-use
guarantees are still written as conditional ``UPDATE ... WHERE`` so they hold on
PostgreSQL too, where several backend processes may share one database.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.orm import Session, sessionmaker

from pos_backend import (
    models_writeoffs,  # noqa: F401  (its tables join Base.metadata for create_all)
    write_behind,
)
from pos_backend.counters import ensure_counters
from pos_backend.models import Base
from pos_backend.notify import CommitNotifier

log = logging.getLogger(__name__)
EVENTS_WRITTEN = "events_written"  # session.info flag: this transaction appended events
_IMMEDIATE = "pos_sqlite_immediate"  # execution option: open the transaction with BEGIN IMMEDIATE


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy emit BEGIN itself (below) so reads run in real snapshot transactions too.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get(_IMMEDIATE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class OutdatedSchema(RuntimeError):
    """The database was made by an older reference backend (it has no migrations)."""


class Database:
    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        connect_args: dict[str, Any] = {"check_same_thread": False} if self.is_sqlite else {}
        self.engine = create_engine(url, connect_args=connect_args, pool_pre_ping=not self.is_sqlite)
        if self.is_sqlite:
            _configure_sqlite(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        writer = self.engine.execution_options(**{_IMMEDIATE: True}) if self.is_sqlite else self.engine
        self._write_sessions = sessionmaker(writer, expire_on_commit=False)
        write_behind.track_savepoints(self._write_sessions)
        self._write_lock = threading.RLock()
        self.notifier = CommitNotifier()

    def create_schema(self) -> None:
        Base.metadata.create_all(self.engine)
        self._refuse_outdated_schema()
        with self.write() as session:
            ensure_counters(session)

    def _refuse_outdated_schema(self) -> None:
        """create_all adds missing tables but never columns: say so plainly rather than fail per request."""
        present = {column["name"] for column in inspect(self.engine).get_columns("members")}
        missing = sorted({c.name for c in Base.metadata.tables["members"].columns} - present)
        if missing:
            raise OutdatedSchema(
                f"this database predates the member columns {missing}: the reference backend has no "
                "migrations, start it on a fresh database"
            )

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        with self._sessions() as session, session.begin():
            yield session

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction; commits on success, rolls back on error; wakes long-polls if it
        appended events. Rows of the append-only tables are written just before the commit."""
        with self._write_lock, self._write_sessions() as session:
            write_behind.hold(session)
            with session.begin():
                yield session
                self._require_open_transaction(session)
                write_behind.write_held(session)
            wrote_events = bool(session.info.get(EVENTS_WRITTEN))
        if wrote_events:
            self.notifier.notify()

    def _require_open_transaction(self, session: Session) -> None:
        """SQLite ends the whole transaction itself on some errors (disk full, I/O, out of memory); a
        caller that went on after one must not have its held rows autocommitted one by one."""
        if not self.is_sqlite:
            return
        raw = session.connection().connection.driver_connection
        if raw is not None and not raw.in_transaction:
            raise RuntimeError("SQLite rolled this write transaction back: nothing of it is kept")

    def dispose(self) -> None:
        self.engine.dispose()
