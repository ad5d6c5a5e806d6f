"""BackendClient against a real loopback HTTP server that misbehaves in the ways networks do."""

from __future__ import annotations

import json
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from pos.domain.errors import PosError
from pos.sync.client import BackendClient
from tests.unit.services.factories import grade_wire, nozzle_wire, order_wire, transaction_wire

Handler = Callable[["RecordingHandler"], None]


class RecordingHandler(BaseHTTPRequestHandler):
    routes: dict[tuple[str, str], Handler]
    seen: list[tuple[str, str, dict[str, str], bytes]]

    def _dispatch(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path = self.path.split("?")[0]
        self.seen.append((self.command, self.path, dict(self.headers), body))
        route = self.routes.get((self.command, path))
        if route is None:
            self.send_json(
                404, {"error": {"code": "not_found", "message": "没有 / Not found", "detail": None}}
            )
        else:
            route(self)

    do_GET = do_POST = do_DELETE = _dispatch

    def send_json(self, status: int, body: Any) -> None:
        self.send_raw(status, json.dumps(body).encode())

    def send_raw(self, status: int, payload: bytes, content_length: int | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload) if content_length is None else content_length))
        self.end_headers()
        self.wfile.write(payload)
        self.wfile.flush()

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass


class FakeBackend:
    def __init__(self) -> None:
        # A subclass per server, so routes and records never leak between tests.
        handler: type[RecordingHandler] = type("Handler", (RecordingHandler,), {"routes": {}, "seen": []})
        self.handler = handler
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)
        self._thread.start()

    def route(self, method: str, path: str, handler: Handler) -> None:
        self.handler.routes[(method, "/api/v1" + path)] = handler

    @property
    def seen(self) -> list[tuple[str, str, dict[str, str], bytes]]:
        return self.handler.seen

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def backend() -> Iterator[FakeBackend]:
    server = FakeBackend()
    yield server
    server.close()


@pytest.fixture
def client(backend: FakeBackend) -> Iterator[BackendClient]:
    client = BackendClient(
        backend.url, connect_timeout=1, read_timeout=0.5, backoff_seconds=0.01, device_token="tok-secret"
    )
    yield client
    client.close()


def snapshot_body() -> dict[str, Any]:
    return {
        "station": {"id": "S1", "name": "中石化演示站", "timezone": "Asia/Shanghai"},
        "seq": 7,
        "server_time": "2026-11-21T06:00:00.000+00:00",
        "grades": [grade_wire("92"), grade_wire("95")],
        "pumps": [{"number": 1, "nozzles": [nozzle_wire(1), nozzle_wire(2, "fuelling", 1000, 742)]}],
        "transactions": [transaction_wire("t1", 1)],
        "orders": [order_wire("o1", 2)],
    }


def error_of(call: Callable[[], object]) -> PosError:
    with pytest.raises(PosError) as caught:
        call()
    return caught.value


def test_a_valid_snapshot_parses_into_domain_objects(backend: FakeBackend, client: BackendClient) -> None:
    backend.route("GET", "/station/snapshot", lambda h: h.send_json(200, snapshot_body()))
    snap = client.snapshot()
    assert snap.seq == 7
    assert [n.number for n in snap.nozzles] == [1, 2]
    assert snap.transactions[0].id == "t1" and snap.orders[0].order_no == "XSo1"
    _, _, headers, _ = backend.seen[0]
    assert headers["Authorization"] == "Bearer tok-secret"
    assert "tok-secret" not in repr(client)


def test_garbage_body_is_bad_response(backend: FakeBackend, client: BackendClient) -> None:
    backend.route("GET", "/station/snapshot", lambda h: h.send_raw(200, b"<html>proxy login</html>"))
    assert error_of(client.snapshot).code == "bad_response"


def snapshot_named(name: str, **extra: object) -> bytes:
    """A valid snapshot body (extra fields are ignored by the contract: only their JSON matters)."""
    body: dict[str, Any] = {**snapshot_body(), **extra}
    body["station"]["name"] = name
    return json.dumps(body).encode()  # ensure_ascii: the name travels as \\u escapes, NaN as NaN


@pytest.mark.parametrize(
    "payload",
    [
        snapshot_named("中石化\ud800"),  # a lone surrogate escape: no till could store that text
        snapshot_named("中石化").replace(b"\\u4e2d", b"\xff\xfe"),  # bytes that are not UTF-8
        snapshot_named("中石化", note=float("nan")),  # NaN is not JSON
    ],
)
def test_json_the_till_could_not_keep_is_bad_response(
    backend: FakeBackend, client: BackendClient, payload: bytes
) -> None:
    """Each is a valid snapshot but for that one value; json.loads took all three."""
    backend.route("GET", "/station/snapshot", lambda h: h.send_raw(200, payload))
    assert error_of(client.snapshot).code == "bad_response"


def test_a_snapshot_with_chinese_text_and_surrogate_pairs_reads_back(
    backend: FakeBackend, client: BackendClient
) -> None:
    body = snapshot_body()
    body["station"]["name"] = "中石化 ⛽ 😀站"  # the emoji travels as a surrogate pair escape
    backend.route("GET", "/station/snapshot", lambda h: h.send_json(200, body))
    assert client.snapshot().station.name == "中石化 ⛽ 😀站"


def test_json_that_breaks_the_contract_is_bad_response(backend: FakeBackend, client: BackendClient) -> None:
    body = snapshot_body()
    body["pumps"][0]["nozzles"][0]["current_volume_ml"] = "12.5"
    backend.route("GET", "/station/snapshot", lambda h: h.send_json(200, body))
    error = error_of(client.snapshot)
    assert error.code == "bad_response"
    assert "nozzles[0]" in error.message


def test_a_json_list_instead_of_an_object_is_bad_response(
    backend: FakeBackend, client: BackendClient
) -> None:
    backend.route("GET", "/station/snapshot", lambda h: h.send_json(200, [1, 2]))
    assert error_of(client.snapshot).code == "bad_response"


def test_server_error_is_backend_error_after_bounded_retries(
    backend: FakeBackend, client: BackendClient
) -> None:
    body = {"error": {"code": "internal_error", "message": "内部错误 / Internal error", "detail": None}}
    backend.route("GET", "/station/snapshot", lambda h: h.send_json(500, body))
    error = error_of(client.snapshot)
    assert error.code == "backend_error"
    assert error.detail["status"] == 500 and error.detail["backend_code"] == "internal_error"
    assert len(backend.seen) == 1 + client.read_retries


def test_a_read_recovers_when_a_retry_succeeds(backend: FakeBackend, client: BackendClient) -> None:
    answers: Iterator[Handler] = iter(
        [lambda h: h.send_raw(503, b"busy"), lambda h: h.send_json(200, snapshot_body())]
    )
    backend.route("GET", "/station/snapshot", lambda h: next(answers)(h))
    assert client.snapshot().seq == 7
    assert len(backend.seen) == 2


def test_truncated_body_is_bad_response(backend: FakeBackend, client: BackendClient) -> None:
    payload = json.dumps(snapshot_body()).encode()

    def truncated(h: RecordingHandler) -> None:
        h.send_raw(200, payload[:40], content_length=len(payload))
        h.close_connection = True

    backend.route("GET", "/station/snapshot", truncated)
    assert error_of(client.snapshot).code == "bad_response"


def test_slow_response_is_backend_timeout(backend: FakeBackend, client: BackendClient) -> None:
    def slow(h: RecordingHandler) -> None:
        time.sleep(1.0)
        h.send_json(200, snapshot_body())

    backend.route("GET", "/station/snapshot", slow)
    client.read_retries = 0
    started = time.monotonic()
    assert error_of(client.snapshot).code == "backend_timeout"
    assert time.monotonic() - started < 0.95


def test_long_poll_waits_longer_than_the_normal_read_timeout(
    backend: FakeBackend, client: BackendClient
) -> None:
    def long_poll(h: RecordingHandler) -> None:
        time.sleep(0.8)  # longer than read_timeout (0.5), within wait + margin
        h.send_json(200, {"events": [], "last_seq": 7})

    backend.route("GET", "/station/events", long_poll)
    batch = client.events_after(7, wait_seconds=1)
    assert batch.events == [] and batch.last_seq == 7
    assert "after=7" in backend.seen[0][1] and "wait=1" in backend.seen[0][1]


def test_events_parse_and_unknown_types_are_kept_without_payload(
    backend: FakeBackend, client: BackendClient
) -> None:
    good = {"seq": 8, "type": "nozzle.updated", "at": "2026-11-21T06:00:01+00:00", "data": nozzle_wire(1)}
    backend.route("GET", "/station/events", lambda h: h.send_json(200, {"events": [good], "last_seq": 8}))
    assert client.events_after(7, 0).events[0].seq == 8
    newer = {**good, "type": "pump.recalibrated", "data": {"anything": 1}}
    backend.route("GET", "/station/events", lambda h: h.send_json(200, {"events": [newer], "last_seq": 8}))
    kept = client.events_after(7, 0).events[0]
    assert (kept.seq, kept.type, kept.payload) == (8, "pump.recalibrated", None)
    broken = {**good, "data": {"number": "three"}}
    backend.route("GET", "/station/events", lambda h: h.send_json(200, {"events": [broken], "last_seq": 8}))
    assert error_of(lambda: client.events_after(7, 0)).code == "bad_response"


def test_events_gap_keeps_the_backend_code(backend: FakeBackend, client: BackendClient) -> None:
    body = {"error": {"code": "events_gap", "message": "请重新同步 / Resync", "detail": {"oldest": 50}}}
    backend.route("GET", "/station/events", lambda h: h.send_json(410, body))
    error = error_of(lambda: client.events_after(3, 0))
    assert error.code == "events_gap"
    assert error.detail == {"oldest": 50, "status": 410}


def test_mutations_carry_a_fresh_idempotency_key_and_backend_codes_pass_through(
    backend: FakeBackend, client: BackendClient
) -> None:
    locked = {
        "error": {
            "code": "transaction_locked",
            "message": "已被前台2锁定 / Locked by till 2",
            "detail": {"locked_by": {"till_name": "前台2"}},
        }
    }
    backend.route("POST", "/transactions/t1/lock", lambda h: h.send_json(409, locked))
    first = error_of(lambda: client.lock_transaction("t1"))
    error_of(lambda: client.lock_transaction("t1"))
    assert first.code == "transaction_locked"
    assert first.title == "已被前台2锁定"
    assert first.detail["locked_by"] == {"till_name": "前台2"}
    keys = [headers["Idempotency-Key"] for _, _, headers, _ in backend.seen]
    assert len(backend.seen) == 2  # writes are never retried by the client itself
    assert keys[0] != keys[1] and all(uuid.UUID(key) for key in keys)


def test_an_error_status_without_an_error_object_is_bad_response(
    backend: FakeBackend, client: BackendClient
) -> None:
    backend.route("POST", "/staff/sessions", lambda h: h.send_raw(401, b"Unauthorized"))
    assert error_of(lambda: client.sign_in("1001", "1111")).code == "bad_response"


def test_pairing_keeps_the_token_for_later_calls(backend: FakeBackend) -> None:
    pairing = {
        "till_id": 3,
        "till_name": "前台1",
        "station_id": "S1",
        "station_name": "演示站",
        "device_token": "new-token",
    }
    backend.route("POST", "/tills/pair", lambda h: h.send_json(201, pairing))
    backend.route("GET", "/health", lambda h: h.send_json(200, {"status": "ok", "time": "x"}))
    client = BackendClient(backend.url, read_timeout=1)
    result = client.pair("123456", "前台1")
    client.health()
    assert result.till_id == "3" and "new-token" not in repr(result)
    assert json.loads(backend.seen[0][3]) == {"activation_code": "123456", "till_name": "前台1"}
    assert "Authorization" not in backend.seen[0][2]
    assert backend.seen[1][2]["Authorization"] == "Bearer new-token"


def test_nobody_listening_is_backend_unreachable() -> None:
    with socket.socket() as probe:  # a port that was free a moment ago and has no listener now
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = BackendClient(
        f"http://127.0.0.1:{port}", connect_timeout=0.5, read_retries=1, backoff_seconds=0.01
    )
    assert error_of(client.snapshot).code == "backend_unreachable"
