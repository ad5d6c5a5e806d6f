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
        self._child: tuple[int, int] | None = (pid, read_fd)
        self._wait_seconds = wait_seconds

    @classmethod
    def start(cls, client: BackendClient) -> SnapshotPrefetch | None:
        """Fork the child for ``client``'s backend; None where forking is not safe here."""
        if not sys.platform.startswith("linux") or threading.active_count() > 1:
            return None
        read_fd, write_fd = os.pipe()
        try:
            pid = os.fork()
        except OSError as error:
            os.close(read_fd)
            os.close(write_fd)
            log.info("no snapshot prefetch (%s): the follower fetches it", error)
            return None
        if pid == 0:  # the child: never returns into the till's code
            os.close(read_fd)
            _child_main(client, write_fd)
        os.close(write_fd)
        return cls(pid, read_fd, client.connect_timeout + client.read_timeout + EXTRA_WAIT_SECONDS)

    def take(self) -> StationSnapshot | None:
        """The child's snapshot, parsed and checked like the client's own; None if it has none."""
        child, self._child = self._child, None
        if child is None:
            return None
        pid, read_fd = child
        try:
            out = _read_all(read_fd, time.monotonic() + self._wait_seconds)
        finally:
            os.close(read_fd)
        returncode = _reap(pid, kill=out is None)  # the pipe closed: the child is on its way out
        if out is None:
            log.warning("snapshot prefetch timed out: the follower fetches it")
            return None
        return _parse_answer(out, returncode)

    def cancel(self) -> None:
        child, self._child = self._child, None
        if child is not None:
            os.close(child[1])
            _reap(child[0], kill=True)


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


def _reap(pid: int, kill: bool) -> int:
    """The child's exit status; with ``kill``, it is stopped first (timed out, or no longer wanted)."""
    try:
        if kill:
            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    except (ChildProcessError, ProcessLookupError):  # already gone and reaped by someone else
        return -1
    return os.waitstatus_to_exitcode(status)


def _parse_answer(out: bytes, returncode: int) -> StationSnapshot | None:
    from pos.domain.errors import PosError
    from pos.sync import wire

    try:
        answer: Any = json.loads(out)
    except ValueError:
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


def _child_main(client: BackendClient, write_fd: int) -> None:
    """Fetch, write one JSON answer, leave at once: no atexit handlers, no flushing the parent's buffers."""
    code = 1
    try:
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
