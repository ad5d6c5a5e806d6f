"""A reference backend whose eight nozzles all fuel at once, each reporting progress at 5 Hz.

Run as a child by bench.live_latency_bench: it serves the API, writes a ready file, and on a line
`go N` from standard input commits N progress updates, round-robin over the nozzles (8 x 5 Hz = 40
commits a second), each in its own transaction as the forecourt controller would. Exits when stdin closes.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from pos.domain.pump import NozzleState
from pos_backend.clock import utc_now
from pos_backend.forecourt import authorize, nozzles_of_station, report_progress, set_nozzle_state, start_fill
from pos_backend.server import RunningBackend, start_backend

NOZZLE_HZ = 5.0
ML_PER_UPDATE = 117  # 35 L/min at 5 updates a second


def start_all_fills(backend: RunningBackend, station_id: str) -> list[int]:
    with backend.db.write() as session:
        numbers = []
        for nozzle in nozzles_of_station(session, station_id):
            now = utc_now()
            set_nozzle_state(session, nozzle, NozzleState.CALLING, now)
            authorize(session, nozzle, now)
            start_fill(session, nozzle, now)
            numbers.append(nozzle.number)
        return numbers


def drive(backend: RunningBackend, station_id: str, numbers: list[int], changes: int) -> None:
    interval = 1.0 / (NOZZLE_HZ * len(numbers))
    volumes = dict.fromkeys(numbers, 0)
    next_at = time.perf_counter()
    for i in range(changes):
        number = numbers[i % len(numbers)]
        volumes[number] += ML_PER_UPDATE
        with backend.db.write() as session:
            nozzle = next(n for n in nozzles_of_station(session, station_id) if n.number == number)
            report_progress(session, nozzle, volumes[number], utc_now())
        next_at += interval
        time.sleep(max(0.0, next_at - time.perf_counter()))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--ready-file", type=Path, required=True)
    parser.add_argument("--issue-activation-code", action="store_true")
    parser.add_argument("--exit-with-stdin", action="store_true")
    args = parser.parse_args()
    backend = start_backend(args.db, port=args.port)
    station_id = "S001"
    numbers = start_all_fills(backend, station_id)
    ready = {"url": backend.url, "port": backend.port, "activation_code": backend.issue_activation_code()}
    tmp = args.ready_file.with_suffix(".tmp")
    tmp.write_text(json.dumps(ready))
    tmp.replace(args.ready_file)
    for line in sys.stdin:
        if line.startswith("go "):
            drive(backend, station_id, numbers, int(line.split()[1]))
    backend.stop()


if __name__ == "__main__":
    main()
