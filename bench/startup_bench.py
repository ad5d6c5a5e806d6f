"""Start-up: process start to the main window shown and filled with the first snapshot, as a ratio to a
bare PySide6 QMainWindow shown by the same Python. Runs alternate, in one run. Target: at most 2.0x.

    python -m bench.startup_bench [ROUNDS]
"""

from __future__ import annotations

import compileall
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.backend_child import backend_child, paired_token

TARGET_RATIO = 2.0


def timed_start(mode: str, stdin_text: str = "") -> float:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QT_LOGGING_RULES="*.warning=false")
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "bench.startup_probe", mode],
        input=stdin_text,
        text=True,
        env=env,
        capture_output=True,
        timeout=60,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{mode} start-up failed: {done.stderr[-2000:]}")
    return elapsed


def compile_bytecode() -> None:
    """An installed till runs from bytecode (pip and PyInstaller compile it); a checkout run with
    PYTHONDONTWRITEBYTECODE would recompile every module on each start and measure that instead."""
    root = Path(__file__).resolve().parent.parent
    for package in ("pos", "bench"):
        compileall.compile_dir(root / package, quiet=1)


def main(rounds: int = 10) -> None:
    compile_bytecode()
    with backend_child() as backend:
        url = str(backend["url"])
        token = paired_token(url, str(backend["activation_code"]))
        timed_start("bare"), timed_start("app", f"{url} {token}\n")  # warm the OS file cache once
        bare_times, app_times, ready_times = [], [], []
        for _ in range(rounds):
            bare_times.append(timed_start("bare"))
            app_times.append(timed_start("app", f"{url} {token}\n"))
            ready_times.append(timed_start("ready", f"{url} {token}\n"))
    bare_median, app_median = statistics.median(bare_times), statistics.median(app_times)
    ready_median = statistics.median(ready_times)
    ratio = app_median / bare_median
    print(f"start-up, {rounds} alternating rounds (offscreen, backend on loopback, snapshot included)")
    verdict = "OK" if ratio <= TARGET_RATIO else "OVER"
    print(f"  bare QMainWindow: median {bare_median * 1000:7.1f} ms (min {min(bare_times) * 1000:.1f})")
    print(f"  till filled     : median {app_median * 1000:7.1f} ms (min {min(app_times) * 1000:.1f})")
    print(f"  ratio           : {ratio:.2f}x (target <= {TARGET_RATIO}x) {verdict}")
    print(
        f"  features ready  : median {ready_median * 1000:7.1f} ms (store, outbox, screens and sign-in, "
        f"plugged in after the first frame; not part of the ratio)"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
