"""The till's first snapshot, fetched by a forked child while the till loads Qt.

A starting till spends most of its first second loading code: Qt and its widgets on one side, requests
(with urllib3, ssl and charset detection) on the other, and one interpreter runs them one after the
other. So before it loads Qt, the till forks: the child loads requests and fetches ``/station/snapshot``
with a twin of the till's client, on the other core, and writes the body down a pipe; the follower
parses it with the same checks the client applies and starts from it instead of asking again.

Forking is safe only before any thread or GUI library exists, so it happens only then, and only on
Linux (elsewhere a fork without exec is not safe once system frameworks are loaded). Anything else (no
fork, a failed fetch, garbage, a timeout) only means the follower fetches the snapshot itself.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import select
import signal
import sys
import threading
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pos.services.ports import StationSnapshot
    from pos.sync.client import BackendClient

log = logging.getLogger(__name__)
EXTRA_WAIT_SECONDS = 5.0  # the child's own start on a busy machine, beyond its connect and read time
READ_CHUNK = 1 << 16


class SnapshotPrefetch:
    """One child fetching one snapshot; ``take()`` waits for it once, then forgets it."""

    def __init__(self, pid: int, read_fd: int, wait_seconds: float) -> None:
        self._pid = pid
        self._read_fd: int | None = read_fd
        self._wait_seconds = wait_seconds
        self._lock = threading.Lock()  # take() on the follower thread, cancel() on the GUI thread
        self._reaped = False

    @classmethod
    def start(cls, client: BackendClient) -> SnapshotPrefetch | None:
        """Fork the child for ``client``'s backend; None where forking is not safe here."""
        if not sys.platform.startswith("linux") or _thread_count() > 1:
            return None
        read_fd, write_fd = os.pipe()
        # Ctrl+C between fork and the child's own handling would run the till's code in the child.
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        try:
            pid = os.fork()
        except OSError as error:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
            os.close(read_fd)
            os.close(write_fd)
            log.info("no snapshot prefetch (%s): the follower fetches it", error)
            return None
        if pid == 0:  # the child: never returns into the till's code
            os.close(read_fd)
            _child_main(client, write_fd, blocked)
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        os.close(write_fd)
        return cls(pid, read_fd, client.connect_timeout + client.read_timeout + EXTRA_WAIT_SECONDS)

    def take(self) -> StationSnapshot | None:
        """The child's snapshot, parsed and checked like the client's own; None if it has none."""
        with self._lock:
            read_fd, self._read_fd = self._read_fd, None
        if read_fd is None:
            return None
        try:
            out = _read_all(read_fd, time.monotonic() + self._wait_seconds)
        finally:
            os.close(read_fd)
        returncode = self._reap(kill=out is None)  # the pipe closed: the child is on its way out
        if out is None:
            log.warning("snapshot prefetch timed out or was cancelled: the follower fetches it")
            return None
        return _parse_answer(out, returncode)

    def cancel(self) -> None:
        """Stop the child now, even while take() waits for it (take() then returns None)."""
        with self._lock:
            read_fd, self._read_fd = self._read_fd, None
        if read_fd is not None:
            os.close(read_fd)
        self._reap(kill=True)

    def _reap(self, kill: bool) -> int:
        """The child's exit status; with ``kill``, it is stopped first. Killed only while not yet
        reaped, so the pid is still ours."""
        with self._lock:
            if self._reaped:
                return -1
            if kill:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(self._pid, signal.SIGKILL)
        try:
            _, status = os.waitpid(self._pid, 0)
        except ChildProcessError:  # reaped already (by the other of take/cancel, or the embedding app)
            return -1
        with self._lock:
            self._reaped = True
        return os.waitstatus_to_exitcode(status)


def _thread_count() -> int:
    """Every thread of the process, native ones too (a keyring backend's D-Bus thread, say), which the
    threading module does not know of."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return threading.active_count() + 1  # cannot tell: count as not alone


def _read_all(fd: int, deadline: float) -> bytes | None:
    """Everything the child writes until it closes the pipe; None past the deadline."""
    chunks: list[bytes] = []
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
            return None
        chunk = os.read(fd, READ_CHUNK)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _parse_answer(out: bytes, returncode: int) -> StationSnapshot | None:
    import orjson

    from pos.domain.errors import PosError
    from pos.sync import wire

    try:
        answer: Any = orjson.loads(out)  # as strict as the client's own (pos.sync.client)
    except orjson.JSONDecodeError:
        log.warning("snapshot prefetch gave no answer (exit %s): the follower fetches it", returncode)
        return None
    if returncode != 0 or not isinstance(answer, dict) or "snapshot" not in answer:
        code = answer.get("error") if isinstance(answer, dict) else None
        log.info("snapshot prefetch failed (%s): the follower fetches it", code)
        return None
    try:
        return wire.parse_snapshot(answer["snapshot"])
    except PosError as error:
        log.warning("prefetched snapshot refused (%s): the follower fetches it", error.code)
        return None


def _child_main(client: BackendClient, write_fd: int, signal_mask: set[int | signal.Signals]) -> None:
    """Fetch, write one JSON answer, leave at once: no atexit handlers, no flushing the parent's buffers."""
    code = 1
    try:
        for signum in (signal.SIGINT, signal.SIGTERM):  # stop at once, never in the till's handlers
            signal.signal(signum, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_SETMASK, signal_mask)
        logging.disable(logging.CRITICAL)  # the parent's handlers (its log file) are not the child's
        from pos.domain.errors import PosError

        reader = client.twin(with_staff=False)  # reads the station only
        reader.read_retries = 0  # the parent's follower retries, with its backoff
        try:
            answer: dict[str, Any] = {"snapshot": reader.get_json("/station/snapshot")}
            code = 0
        except PosError as error:
            answer = {"error": error.code}
        data = json.dumps(answer, ensure_ascii=False, separators=(",", ":")).encode()
        view = memoryview(data)
        while view:
            view = view[os.write(write_fd, view) :]
    except BaseException:  # whatever happens here must end here, in the child
        code = 1
    finally:
        os._exit(code)
