"""``python -m pos_backend`` as the cashier app starts it: ready file, activation code, exit with stdin."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import func, select

from pos_backend.db import Database
from pos_backend.models import Member, Station
from pos_backend.server import RunningBackend
from tests.integration.backend.conftest import TillClient, new_key


def spawn(db_path: Path, ready: Path) -> subprocess.Popen[bytes]:
    options = (
        f"--port 0 --simulate --sim-speed 20 --ready-file {ready} --issue-activation-code --exit-with-stdin"
    )
    command = [sys.executable, "-m", "pos_backend", "--db", f"sqlite:///{db_path}", *options.split()]
    return subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def wait_ready(process: subprocess.Popen[bytes], ready: Path) -> dict[str, Any]:
    deadline = time.monotonic() + 30
    while not ready.exists():
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        assert time.monotonic() < deadline, "no ready file"
        time.sleep(0.05)
    return dict(json.loads(ready.read_text()))


def stop_by_stdin(process: subprocess.Popen[bytes]) -> int:
    assert process.stdin is not None
    process.stdin.close()
    return process.wait(timeout=15)


def test_child_backend_serves_and_dies_with_stdin(tmp_path: Path) -> None:
    db_path, ready = tmp_path / "child.sqlite3", tmp_path / "ready.json"
    process = spawn(db_path, ready)
    try:
        info = wait_ready(process, ready)
        assert info["pid"] == process.pid and info["url"].endswith(f":{info['port']}")
        assert len(info["activation_code"]) == 6 and info["activation_code"].isdigit()
        paired = requests.post(
            info["url"] + "/api/v1/tills/pair",
            json={"activation_code": info["activation_code"], "till_name": "前台1"},
            headers={"Idempotency-Key": new_key()},
            timeout=10,
        )
        assert paired.status_code == 201
        till = TillClient(info["url"], paired.json()["device_token"], paired.json()["till_id"], "前台1")
        page = till.get("/api/v1/station/events", after=0, wait=10).json()
        assert page["events"], "the simulator publishes events"
    finally:
        assert stop_by_stdin(process) == 0
    # the second start on the same database does not seed again
    ready.unlink()
    process = spawn(db_path, ready)
    try:
        wait_ready(process, ready)
    finally:
        assert stop_by_stdin(process) == 0
    db = Database(f"sqlite:///{db_path}")
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Station)) == 1
        assert session.scalar(select(func.count()).select_from(Member)) == 300
    db.dispose()


def test_real_time_simulator_publishes_until_stopped(backend: RunningBackend, till: TillClient) -> None:
    simulator = backend.start_simulator(seed=1, speed=30.0, progress_hz=2.0)
    page = till.get("/api/v1/station/events", after=0, wait=10).json()
    assert page["events"]
    simulator.stop()
    settled = till.get("/api/v1/station/events", after=0, limit=1000).json()["last_seq"]
    time.sleep(0.3)
    assert till.get("/api/v1/station/events", after=settled).json()["events"] == []
