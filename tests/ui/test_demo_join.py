"""A second `pos demo` joins the training backend the first one runs, as another till (前台2)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import requests


def test_a_second_demo_joins_the_running_backend_as_another_till(tmp_path: Path) -> None:
    env = {**os.environ, "STATION_POS_DATA_DIR": str(tmp_path / "data"), "QT_QPA_PLATFORM": "offscreen"}
    demo = [sys.executable, "-m", "pos", "demo"]
    first = subprocess.Popen(
        [*demo, "--screenshot", str(tmp_path / "one.png"), "--after", "60", "--sim-speed", "5"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        ready_file = tmp_path / "data" / "demo" / "backend.ready.json"
        deadline = time.monotonic() + 60
        while not ready_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        ready = json.loads(ready_file.read_text(encoding="utf-8"))
        second = subprocess.run(
            [*demo, "--screenshot", str(tmp_path / "two.png"), "--after", "2"],
            env=env, capture_output=True, text=True, timeout=90,
        )  # fmt: skip
        assert second.returncode == 0, second.stderr[-2000:]
        assert (tmp_path / "two.png").read_bytes()[:4] == b"\x89PNG"
        assert "started backend" not in second.stderr  # it joined; it did not start a second backend
        assert "前台2" in second.stderr and "1002" in second.stderr
        assert requests.get(f"{ready['url']}/api/v1/health", timeout=5).ok  # the first one's backend lives on
    finally:
        first.terminate()
        first.wait(timeout=30)
