"""``python -m pos_backend``: serve the reference backend, optionally with the station simulator."""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import threading
from pathlib import Path

import platformdirs

from pos_backend.server import start_backend

log = logging.getLogger("pos_backend")


def default_db_url() -> str:
    data_dir = Path(platformdirs.user_data_dir("pos-backend"))
    data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{data_dir / 'backend.sqlite3'}"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m pos_backend", description=__doc__)
    parser.add_argument(
        "--db", default=None, help="SQLAlchemy URL (default: a SQLite file in the user data dir)"
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    parser.add_argument("--no-seed", action="store_true", help="do not create the demo station")
    parser.add_argument("--simulate", action="store_true", help="run the station simulator")
    parser.add_argument("--sim-seed", type=int, default=7)
    parser.add_argument("--sim-speed", type=float, default=1.0)
    parser.add_argument("--sim-hz", type=float, default=1.0, help="fuelling progress events per second")
    parser.add_argument(
        "--ready-file", type=Path, help="write {url, port, pid, activation_code} once serving"
    )
    parser.add_argument("--sim-busy", action="store_true", help="rush hour: nozzles nearly always fuelling")
    parser.add_argument("--issue-activation-code", action="store_true")
    parser.add_argument("--exit-with-stdin", action="store_true", help="stop when standard input closes")
    return parser.parse_args(argv)


def write_ready_file(path: Path, content: dict[str, object]) -> None:
    """Atomically: a reader never sees a half-written file."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(content), encoding="utf-8")
    os.replace(tmp, path)


def _watch_stdin(stop: threading.Event) -> None:
    # Reading until EOF: the parent closing our stdin (or dying, even by SIGKILL) ends it.
    while sys.stdin.buffer.read(4096):
        pass
    stop.set()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    backend = start_backend(
        args.db or default_db_url(), host=args.host, port=args.port, seed=not args.no_seed
    )
    try:
        if args.simulate:
            backend.start_simulator(
                seed=args.sim_seed, speed=args.sim_speed, progress_hz=args.sim_hz, busy=args.sim_busy
            )
        ready: dict[str, object] = {"url": backend.url, "port": backend.port, "pid": os.getpid()}
        if args.issue_activation_code:  # training mode: also hand over codes the demo camera can show
            ready["activation_code"] = backend.issue_activation_code()
            # More training tills (`pos demo` run again) join this backend with these.
            ready["spare_activation_codes"] = [backend.issue_activation_code() for _ in range(3)]
            ready["demo_writeoff_codes"] = backend.open_writeoff_codes()
        if args.ready_file:
            write_ready_file(args.ready_file, ready)
        log.info("serving on %s", backend.url)
        if args.exit_with_stdin:
            threading.Thread(target=_watch_stdin, args=(stop,), name="stdin-watch", daemon=True).start()
        while not stop.wait(0.5):
            pass
    finally:
        log.info("shutting down")
        backend.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
