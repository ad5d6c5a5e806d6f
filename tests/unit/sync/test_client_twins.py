"""Twins of the backend client share the signed-in person: a sign-in on the counter's client is the
session the write-off and handover clients send too, and the outbox's client never sends one."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

from pos.sync.client import BackendClient

SESSION = {
    "session_token": "tok-1002",
    "expires_at": "2026-11-21T10:00:00+00:00",
    "staff": {"staff_no": "1002", "name": "李强", "role": "cashier"},
}


class Recorder(BaseHTTPRequestHandler):
    seen: ClassVar[list[str | None]] = []

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self._answer(201, SESSION)

    def do_GET(self) -> None:
        Recorder.seen.append(self.headers.get("X-Staff-Session"))
        self._answer(200, {"status": "ok", "time": "2026-11-21T09:00:00+00:00"})

    def do_DELETE(self) -> None:
        self.send_response(204)
        self.end_headers()

    def _answer(self, status: int, body: object) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Recorder.seen = []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_sign_in_and_out_on_one_twin_reach_the_others_but_not_the_outbox(url: str) -> None:
    root = BackendClient(url, device_token="device")
    counter, writeoff, outbox = root.twin(), root.twin(), root.twin(with_staff=False)
    counter.sign_in("1002", "2222")
    for client in (writeoff, outbox, root):
        client.health()
    assert Recorder.seen == ["tok-1002", None, "tok-1002"]
    counter.sign_out()
    writeoff.health()
    assert Recorder.seen[-1] is None
