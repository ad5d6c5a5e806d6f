"""Start a seeded reference backend in a child process for a benchmark, and pair a till against it.

The backend runs in its own process so its work never shares the GIL with the till being measured.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

READY_TIMEOUT_SECONDS = 60.0


@contextmanager
def backend_child(*extra_args: str, module: str = "pos_backend") -> Iterator[dict[str, object]]:
    """Yield the ready file's content ({"url", "port", "activation_code", ...}); the child exits with us."""
    with tempfile.TemporaryDirectory(prefix="pos-bench-") as tmp:
        ready = Path(tmp) / "ready.json"
        command = [
            sys.executable,
            "-m",
            module,
            "--db",
            f"sqlite:///{tmp}/backend.db",
            "--port",
            "0",
            "--ready-file",
            str(ready),
            "--issue-activation-code",
            "--exit-with-stdin",
            *extra_args,
        ]
        child = subprocess.Popen(command, stdin=subprocess.PIPE, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + READY_TIMEOUT_SECONDS
            while not ready.exists():
                if child.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"backend child did not start ({command})")
                time.sleep(0.05)
            info: dict[str, object] = json.loads(ready.read_text())
            info["stdin"] = child.stdin
            yield info
        finally:
            if child.stdin:
                child.stdin.close()
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()


def paired_token(url: str, activation_code: str, till_name: str = "bench") -> str:
    from pos.sync.client import BackendClient

    client = BackendClient(url)
    pairing = client.pair(activation_code, till_name)
    client.close()
    return pairing.device_token


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]
