"""Engine, sessions and the single write lane.

SQLite has one writer at a time, so every write in this process (request threads and the simulator)
goes through ``Database.write()``, which serialises them with a lock: nobody ever meets "database is
locked". Single-use guarantees are still written as conditional ``UPDATE ... WHERE`` so they hold on
PostgreSQL too, where several backend processes may share one database.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from pos_backend.models import Base
from pos_backend.notify import CommitNotifier

log = logging.getLogger(__name__)
EVENTS_WRITTEN = "events_written"  # session.info flag: this transaction appended events


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
        connection.exec_driver_sql("BEGIN")


class Database:
    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        connect_args: dict[str, Any] = {"check_same_thread": False} if self.is_sqlite else {}
        self.engine = create_engine(url, connect_args=connect_args, pool_pre_ping=not self.is_sqlite)
        if self.is_sqlite:
            _configure_sqlite(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._write_lock = threading.RLock()
        self.notifier = CommitNotifier()

    def create_schema(self) -> None:
        Base.metadata.create_all(self.engine)

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        with self._sessions() as session, session.begin():
            yield session

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction; commits on success, rolls back on error; wakes long-polls if it
        appended events."""
        with self._write_lock, self._sessions() as session:
            with session.begin():
                yield session
            wrote_events = bool(session.info.get(EVENTS_WRITTEN))
        if wrote_events:
            self.notifier.notify()

    def dispose(self) -> None:
        self.engine.dispose()
