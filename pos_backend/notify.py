"""Wake long-polling clients as soon as a write commits.

Waiters are asyncio events owned by the server's event loop; writers run in other threads (request
threadpool, simulator), so they are woken with ``loop.call_soon_threadsafe``. A waiting client holds no
thread while it waits.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Iterator

log = logging.getLogger(__name__)


class CommitNotifier:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()
        self.closing = False  # the server is stopping: long-polls answer now instead of waiting

    def close(self) -> None:
        """Wake every waiter for good, so a stopping server is not held up by long-polls."""
        self.closing = True
        self.notify()

    @contextlib.contextmanager
    def waiter(self) -> Iterator[asyncio.Event]:
        """Register before reading, so a commit landing between the read and the wait is not missed."""
        entry = (asyncio.get_running_loop(), asyncio.Event())
        with self._lock:
            self._waiters.add(entry)
        try:
            yield entry[1]
        finally:
            with self._lock:
                self._waiters.discard(entry)

    def notify(self) -> None:
        with self._lock:
            waiters = list(self._waiters)
        for loop, event in waiters:
            with contextlib.suppress(RuntimeError):  # loop already closed: the server is stopping
                loop.call_soon_threadsafe(event.set)
