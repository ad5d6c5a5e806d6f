"""A small fault-injecting HTTP proxy on loopback, between the till's client and the real backend.

It reads each request from the till (HTTP/1.1, keep-alive, ``Content-Length`` bodies as ``requests``
sends them), picks a fault from a seeded schedule, and then forwards it upstream on a fresh connection with
``http.client`` (so chunked answers are decoded for us) or answers by itself. Faults, and whether the
backend saw the request (what matters for exactly-once):

==============  =========================================================================  ============
fault           what the till gets                                                          upstream?
==============  =========================================================================  ============
pass            the backend's answer                                                       yes
delay           the backend's answer, after ``delay_seconds``                               yes
stall           nothing for ``stall_seconds`` (past the client's read timeout), then the   yes, late
                request is forwarded anyway: the backend applies what the till gave up on
drop_request    the connection closed before anything was forwarded                        no
drop_response   the backend's status line and half of its body, then the connection closed  yes
truncate        a complete answer whose body is cut in half (``Content-Length`` matches)     yes
garbage         200 with bytes that are not JSON                                           yes
schema          200 with the backend's JSON, its last list item replaced by a string            yes
status_500      500 from the proxy itself                                                  no
status_502      502 from the proxy after the backend applied the request                   yes
status_503      503 from the proxy itself                                                  no
fake_ok         201 ``{"status": "ok"}`` from the proxy itself (a captive portal, a misrouted    no
                gateway): JSON, but not the route's answer
==============  =========================================================================  ============

Bounded: at most ``max_connections`` client connections at once, socket timeouts everywhere, and the proxy
stops by itself after ``lifetime_seconds`` even if a test forgets to stop it.
"""

from __future__ import annotations

import http.client
import json
import logging
import random
import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, BinaryIO

log = logging.getLogger(__name__)

FAULTS = (
    "pass",
    "delay",
    "stall",
    "drop_request",
    "drop_response",
    "truncate",
    "garbage",
    "schema",
    "status_500",
    "status_502",
    "status_503",
    "fake_ok",
)
_HOP_BY_HOP = frozenset({"connection", "keep-alive", "transfer-encoding", "content-length"})
_MAX_HEADER_BYTES = 64 * 1024
_MAX_BODY_BYTES = 8 * 1024 * 1024
_REASONS = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}


class FaultSchedule:
    """Picks the fault of the n-th request: seeded weights, for requests whose path ``applies``."""

    def __init__(
        self,
        weights: Mapping[str, float],
        seed: int,
        applies: Callable[[str, str], bool] = lambda _method, _path: True,
    ) -> None:
        unknown = set(weights) - set(FAULTS)
        if unknown:
            raise ValueError(f"unknown faults {sorted(unknown)}")
        self._names = list(weights)
        self._weights = [weights[name] for name in self._names]
        self._rng = random.Random(seed)
        self._applies = applies
        self._lock = threading.Lock()

    def next_fault(self, method: str, path: str) -> str:
        if not self._applies(method, path):
            return "pass"
        with self._lock:  # one seeded sequence, whatever thread asks
            return self._rng.choices(self._names, self._weights)[0]


@dataclass
class ProxyLog:
    """Which fault each request got, in arrival order: tests check that the schedule really bit."""

    entries: list[tuple[str, str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, method: str, path: str, fault: str) -> None:
        with self.lock:
            self.entries.append((method, path, fault))

    def faults(self) -> list[str]:
        with self.lock:
            return [fault for _m, _p, fault in self.entries]


@dataclass(frozen=True)
class Request:
    method: str
    target: str
    headers: list[tuple[str, str]]
    body: bytes


class FaultProxy:
    """``with FaultProxy(port, schedule) as proxy:`` then point the client at ``proxy.url``."""

    def __init__(
        self,
        upstream_port: int,
        schedule: FaultSchedule,
        *,
        delay_seconds: float = 0.2,
        stall_seconds: float = 2.5,
        socket_timeout: float = 30.0,
        max_connections: int = 32,
        lifetime_seconds: float = 120.0,
    ) -> None:
        self.upstream_port = upstream_port
        self.schedule = schedule
        self.delay_seconds = delay_seconds
        self.stall_seconds = stall_seconds
        self.socket_timeout = socket_timeout
        self.log = ProxyLog()
        self._slots = threading.BoundedSemaphore(max_connections)
        self._deadline = time.monotonic() + lifetime_seconds
        self._stop = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)  # so the accept loop sees stop() and the deadline
        self.port = int(self._listener.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._accept_loop, name="fault-proxy", daemon=True)

    def __enter__(self) -> FaultProxy:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    @property
    def stopping(self) -> bool:
        return self._stop.is_set() or time.monotonic() > self._deadline

    # -- connections -----------------------------------------------------------------------------------

    def _accept_loop(self) -> None:
        try:
            while not self.stopping:
                try:
                    conn, _addr = self._listener.accept()
                except TimeoutError:
                    continue
                if not self._slots.acquire(timeout=self.socket_timeout):
                    conn.close()  # over the bound: the till sees a dropped connection
                    continue
                threading.Thread(
                    target=self._serve, args=(conn,), name="fault-proxy-conn", daemon=True
                ).start()
        finally:
            self._listener.close()

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(self.socket_timeout)
        reader = conn.makefile("rb")
        try:
            while not self.stopping:
                request = read_request(reader)
                if request is None or not self._handle(conn, request):
                    return
        except (OSError, ValueError) as exc:  # the till went away, or sent what we do not parse
            log.debug("fault proxy connection ended: %s", type(exc).__name__)
        finally:
            reader.close()
            conn.close()
            self._slots.release()

    def _handle(self, conn: socket.socket, request: Request) -> bool:
        """Answer one request as the schedule says; False when the connection must be closed."""
        path = request.target.partition("?")[0]
        fault = self.schedule.next_fault(request.method, path)
        self.log.add(request.method, path, fault)
        if fault == "drop_request":
            return False
        if fault in ("status_500", "status_503"):
            conn.sendall(response_bytes(int(fault[-3:]), b'{"detail":"injected"}'))
            return True
        if fault == "fake_ok":
            conn.sendall(response_bytes(201, b'{"status": "ok"}'))
            return True
        if fault == "stall":
            time.sleep(self.stall_seconds)  # the till times out and resends; we still forward this one
        if fault == "delay":
            time.sleep(self.delay_seconds)
        status, headers, body = self._forward(request)
        return self._answer(conn, fault, status, headers, body)

    def _answer(
        self, conn: socket.socket, fault: str, status: int, headers: list[tuple[str, str]], body: bytes
    ) -> bool:
        if fault == "drop_response":
            whole = response_bytes(status, body, headers)
            conn.sendall(whole[: len(whole) - max(1, len(body) // 2)])
            return False
        if fault == "truncate":
            body = body[: len(body) // 2]
        elif fault == "garbage":
            status, body = 200, b"\x00<html>not json\xff" + bytes(range(32, 96))
        elif fault == "schema":
            status, body = 200, spoil_json(body)
        elif fault == "status_502":
            status, body = 502, b"<html>bad gateway</html>"
        conn.sendall(response_bytes(status, body, headers))
        return True

    def _forward(self, request: Request) -> tuple[int, list[tuple[str, str]], bytes]:
        upstream = http.client.HTTPConnection("127.0.0.1", self.upstream_port, timeout=self.socket_timeout)
        try:
            headers = {k: v for k, v in request.headers if k.lower() not in _HOP_BY_HOP}
            upstream.request(request.method, request.target, body=request.body or None, headers=headers)
            response = upstream.getresponse()
            body = response.read()
            kept = [(k, v) for k, v in response.getheaders() if k.lower() not in _HOP_BY_HOP]
            return response.status, kept, body
        finally:
            upstream.close()


def read_request(reader: BinaryIO) -> Request | None:
    """One request from a buffered socket file; None at a clean end of the connection."""
    readline = reader.readline
    start = readline(_MAX_HEADER_BYTES)
    if not start:
        return None
    method, target, _version = start.decode("latin-1").rstrip("\r\n").split(" ", 2)
    headers: list[tuple[str, str]] = []
    total = 0
    while True:
        line = readline(_MAX_HEADER_BYTES)
        total += len(line)
        if not line or total > _MAX_HEADER_BYTES:
            raise ValueError("request headers cut off or too long")
        if line in (b"\r\n", b"\n"):
            break
        name, _, value = line.decode("latin-1").partition(":")
        headers.append((name.strip(), value.strip()))
    length = int(next((v for k, v in headers if k.lower() == "content-length"), "0"))
    if length > _MAX_BODY_BYTES:
        raise ValueError("request body too large")
    body = reader.read(length) if length else b""
    if len(body) != length:
        raise ValueError("request body cut off")
    return Request(method, target, headers, body)


def response_bytes(status: int, body: bytes, headers: list[tuple[str, str]] | None = None) -> bytes:
    reason = _REASONS.get(status, http.client.responses.get(status, "Status"))
    lines = [f"HTTP/1.1 {status} {reason}"]
    lines += [f"{k}: {v}" for k, v in headers or [("Content-Type", "application/json")]]
    lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def spoil_json(body: bytes) -> bytes:
    """The answer with the last item of its first non-empty list replaced by a string: the good items
    before it must not be applied. A body without such a list becomes an object the contract lacks."""
    try:
        decoded: Any = json.loads(body)
    except ValueError:
        decoded = None
    if isinstance(decoded, dict):
        for value in decoded.values():
            if isinstance(value, list) and value:
                value[-1] = "surprise"
                return json.dumps(decoded).encode()
    return b'{"surprise": [1, 2, 3]}'
