"""Live latency: from a nozzle change committed in the backend to its tile repainted on the till.

Eight nozzles fuel at once and each reports progress at 5 Hz (bench.latency_driver, its own process).
The till runs in this process through its real composition root, offscreen; every tile paint is matched
to the backend's commit time of the figures it shows. Target: p95 under 250 ms on loopback.

    python -m bench.live_latency_bench [CHANGES]
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import IO, cast

from bench.backend_child import backend_child, paired_token, percentile

TARGET_P95_MS = 250.0


def main(changes: int = 600) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer

    from pos.app import build_station_app, qt_application
    from pos.settings import Settings
    from pos.sync.client import BackendClient
    from pos.ui.nozzle_tile import QtNozzleTile

    latencies_ms: list[float] = []
    seen: set[tuple[int, int]] = set()
    original_paint = QtNozzleTile.paintEvent

    def timed_paint(tile: QtNozzleTile, event: object) -> None:
        original_paint(tile, event)  # type: ignore[arg-type]
        nozzle = station.board.nozzles.get(tile.view.number)
        if nozzle is None or not measuring or nozzle.current_volume_ml in (0, None):
            return
        if nozzle.current_volume_ml != tile.view.volume_ml:
            return
        key = (nozzle.number, nozzle.current_volume_ml)
        if key not in seen:
            seen.add(key)
            latencies_ms.append((time.time() - nozzle.updated_at.timestamp()) * 1000)

    QtNozzleTile.paintEvent = timed_paint  # type: ignore[method-assign]
    measuring = False
    with backend_child(module="bench.latency_driver") as backend:
        url = str(backend["url"])
        token = paired_token(url, str(backend["activation_code"]))
        qt = qt_application()
        data_dir = Path(tempfile.mkdtemp(prefix="pos-bench-till-"))  # never the real till's cache
        settings = Settings(backend_url=url, poll_wait_seconds=25, data_dir=data_dir)
        station = build_station_app(settings, BackendClient(url, device_token=token), None)
        station.start()
        deadline = time.monotonic() + 20
        while station.board.last_seq is None and time.monotonic() < deadline:
            qt.processEvents()
            time.sleep(0.01)
        measuring = True
        stdin = cast(IO[bytes], backend["stdin"])
        stdin.write(f"go {changes}\n".encode())
        stdin.flush()
        QTimer.singleShot(int((changes / 40 + 2) * 1000), qt.quit)
        qt.exec()
        station.stop()
    report(changes, latencies_ms)


def report(changes: int, latencies_ms: list[float]) -> None:
    if not latencies_ms:
        raise RuntimeError("no tile repaint was matched to a backend change")
    p50, p95 = statistics.median(latencies_ms), percentile(latencies_ms, 0.95)
    verdict = "OK" if p95 < TARGET_P95_MS else "OVER"
    matched = len(latencies_ms)
    print(f"live latency, 8 nozzles x 5 Hz, {changes} changes committed, {matched} repaints matched")
    print(f"  commit -> tile repainted: p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {max(latencies_ms):.1f} ms")
    print(f"  target p95 < {TARGET_P95_MS:.0f} ms: {verdict}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 600)
