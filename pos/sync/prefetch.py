"""The till's first snapshot, fetched by a child process while the till loads Qt.

A starting till spends most of its first second loading code: Qt and its widgets on one side, requests
(and urllib3, ssl, charset detection) on the other. Python runs one of them at a time, so the till starts
a child interpreter that loads requests and fetches ``/station/snapshot`` with the same client, while it
loads Qt on the other core. The follower takes the snapshot from the child instead of asking again.

The child gets the backend URL and device token on its stdin (never argv or the environment, which other
users can read) and writes the snapshot body as one JSON line on its stdout. Anything else (a child that
cannot start, a failed fetch, garbage, a timeout) only means the follower fetches the snapshot itself.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pos.services.ports import StationSnapshot
    from pos.sync.client import BackendClient

log = logging.getLogger(__name__)
EXTRA_WAIT_SECONDS = 5.0  # the child's own start on a busy machine, beyond its connect and read time


class SnapshotPrefetch:
    """One child fetching one snapshot; ``take()`` waits for it once, then forgets it."""

    def __init__(self, child: subprocess.Popen[bytes], wait_seconds: float) -> None:
        self._child: subprocess.Popen[bytes] | None = child
        self._wait_seconds = wait_seconds

    @classmethod
    def start(cls, client: BackendClient) -> SnapshotPrefetch | None:
        """Start the child for ``client``'s backend; None where a child cannot be started (a frozen
        build has no ``-m``), in which case the follower simply asks itself."""
        if getattr(sys, "frozen", False):
            return None
        request = json.dumps(client.child_config()).encode() + b"\n"
        try:
            child = subprocess.Popen(
                [sys.executable, "-m", "pos.sync.prefetch"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
            assert child.stdin is not None
            child.stdin.write(request)
            child.stdin.close()
            child.stdin = None  # written and closed: communicate() must not flush it again
        except OSError as error:
            log.info("no snapshot prefetch (%s): the follower fetches it", error)
            return None
        return cls(child, client.connect_timeout + client.read_timeout + EXTRA_WAIT_SECONDS)

    def take(self) -> StationSnapshot | None:
        """The child's snapshot, parsed and checked like the client's own; None if it has none."""
        child, self._child = self._child, None
        if child is None:
            return None
        try:
            out, _ = child.communicate(timeout=self._wait_seconds)
        except subprocess.TimeoutExpired:
            self._end(child)
            log.warning("snapshot prefetch timed out: the follower fetches it")
            return None
        except (OSError, ValueError) as error:  # the pipe broke: never the follower's problem
            self._end(child)
            log.warning("snapshot prefetch lost (%s): the follower fetches it", error)
            return None
        return _parse_answer(out, child.returncode)

    @staticmethod
    def _end(child: subprocess.Popen[bytes]) -> None:
        if child.poll() is None:
            child.kill()
        child.wait()

    def cancel(self) -> None:
        child, self._child = self._child, None
        if child is not None:
            self._end(child)


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


def main() -> int:
    """The child: one line of client settings in, one line of answer out."""
    from pos.domain.errors import PosError
    from pos.sync.client import BackendClient

    try:
        client = BackendClient.from_child_config(json.loads(sys.stdin.readline()))
    except (ValueError, TypeError, KeyError):
        print(json.dumps({"error": "bad_request"}))
        return 2
    try:
        body = client.get_json("/station/snapshot")
    except PosError as error:
        print(json.dumps({"error": error.code}))
        return 1
    finally:
        client.close()
    sys.stdout.write(json.dumps({"snapshot": body}, ensure_ascii=False, separators=(",", ":")) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
