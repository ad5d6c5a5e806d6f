"""The FastAPI application, its housekeeping, and a backend running in a thread (tests, the till's child)."""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import TYPE_CHECKING

import uvicorn
from fastapi import FastAPI

from pos_backend import seed as seeding
from pos_backend.api import router
from pos_backend.api.deps import BackendContext
from pos_backend.clock import utc_now
from pos_backend.db import Database
from pos_backend.errors import install_error_handlers
from pos_backend.events import prune_events
from pos_backend.idempotency import purge_records
from pos_backend.transactions import expire_locks

if TYPE_CHECKING:
    from pos_backend.simulator import Simulator

log = logging.getLogger(__name__)
HOUSEKEEPING_INTERVAL = 1.0  # seconds between lock-expiry sweeps
PRUNE_EVERY = 60  # sweeps between event/idempotency pruning
STOP_GRACE_SECONDS = 3  # in-flight requests get this long to finish when the backend stops


class Housekeeper:
    """Releases expired locks (publishing it), prunes old events and idempotency records."""

    def __init__(self, db: Database, interval: float = HOUSEKEEPING_INTERVAL) -> None:
        self._db = db
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="backend-housekeeping", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def sweep(self, prune: bool) -> None:
        now = utc_now()
        with self._db.write() as session:
            expire_locks(session, now)
            if prune:
                prune_events(session)
                purge_records(session, now)

    def _run(self) -> None:
        rounds = 0
        while not self._stop.wait(self._interval):
            try:
                self.sweep(prune=rounds % PRUNE_EVERY == 0)
            except Exception:  # keep sweeping: a failed round is retried next interval
                log.exception("housekeeping round failed")
            rounds += 1


def create_app(db_url: str, *, lock_ttl_seconds: float = 120.0, database: Database | None = None) -> FastAPI:
    """The v1 API over ``db_url`` (schema created if missing; seeding is separate, see seed.seed)."""
    db = database or Database(db_url)
    db.create_schema()
    housekeeper = Housekeeper(db)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        housekeeper.start()
        try:
            yield
        finally:
            housekeeper.stop()

    app = FastAPI(
        title="Station POS reference backend",
        version="1",
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/v1/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.ctx = BackendContext(db=db, lock_ttl=timedelta(seconds=lock_ttl_seconds))
    install_error_handlers(app)
    app.include_router(router)
    return app


class RunningBackend:
    """A backend serving on loopback from a background thread."""

    def __init__(self, db: Database, server: uvicorn.Server, sock: socket.socket, host: str) -> None:
        self.db = db
        self.port: int = sock.getsockname()[1]
        self.url = f"http://{host}:{self.port}"
        self._server = server
        self._socket = sock
        self._simulators: list[Simulator] = []
        self._thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, name="backend", daemon=True
        )

    def _start(self, timeout: float = 15.0) -> None:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the backend did not start")
            time.sleep(0.02)

    def issue_activation_code(self) -> str:
        return seeding.issue_activation_code(self.db)

    def open_writeoff_codes(self, limit: int = 6) -> list[tuple[str, str]]:
        """(code, kind) of some codes still to be redeemed: training mode shows them to the camera."""
        from sqlalchemy import select

        from pos_backend.models import WriteoffCode

        with self.db.read() as session:
            rows = session.execute(
                select(WriteoffCode.code, WriteoffCode.kind)
                .where(WriteoffCode.state == "issued", WriteoffCode.kind.in_(("pickup", "service")))
                .order_by(WriteoffCode.code)
                .limit(limit)
            )
            return [(code, kind) for code, kind in rows]

    def start_simulator(
        self, seed: int = 7, speed: float = 1.0, progress_hz: float = 1.0, busy: bool = False
    ) -> Simulator:
        from pos_backend.simulator import Simulator  # the simulator is optional: imported when used

        simulator = Simulator(self.db, seed=seed, speed=speed, progress_hz=progress_hz, busy=busy)
        simulator.start()
        self._simulators.append(simulator)
        return simulator

    def stop(self) -> None:
        for simulator in self._simulators:
            simulator.stop()
        self.db.notifier.close()  # long-polls answer at once, so the graceful shutdown is quick
        self._server.should_exit = True
        self._thread.join(timeout=STOP_GRACE_SECONDS + 2)
        if self._thread.is_alive():  # a request still running: stop without waiting for it
            self._server.force_exit = True
            self._thread.join(timeout=5)
        self._socket.close()
        self.db.dispose()


def start_backend(
    db_url: str, host: str = "127.0.0.1", port: int = 0, seed: bool = True, *, lock_ttl_seconds: float = 120.0
) -> RunningBackend:
    """Serve the API on ``host:port`` (0: a free port) in a thread; returns once it answers.

    A fixed port can be reused right after ``stop()`` of the previous backend on it (SO_REUSEADDR: the
    old connections left in TIME_WAIT do not block the bind), so tests can restart a backend under
    tills that keep its address.
    """
    db = Database(db_url)
    try:
        if seed:
            seeding.seed(db)
    except BaseException:
        db.dispose()  # the caller may move the file aside and start again
        raise
    app = create_app(db_url, lock_ttl_seconds=lock_ttl_seconds, database=db)
    # proto IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY on accepted sockets only when the listener says
    # so, and without it every answer waits ~40 ms for the till's delayed ACK (headers and body are
    # written separately, Nagle holds the second write).
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    config = uvicorn.Config(
        app, log_level="warning", access_log=False, timeout_graceful_shutdown=STOP_GRACE_SECONDS
    )
    backend = RunningBackend(db, uvicorn.Server(config), sock, host)
    backend._start()
    return backend
