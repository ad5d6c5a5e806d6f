"""``python -m pos_backend``: serve the reference backend, optionally with the station simulator."""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

import platformdirs

from pos_backend.db import OutdatedSchema
from pos_backend.server import RunningBackend, start_backend

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
    parser.add_argument(
        "--replace-outdated",
        action="store_true",
        help="training data: move a SQLite file made by an older version aside and start a fresh one",
    )
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


def start_replacing_outdated(db_url: str, replace: bool, **options: Any) -> RunningBackend:
    """``start_backend``; with ``replace``, a SQLite file an older version made is kept beside as
    ``NAME.outdated-YYYYmmdd-HHMMSS`` and a fresh one is created (the demo's training database)."""
    try:
        return start_backend(db_url, **options)
    except OutdatedSchema as outdated:
        path = sqlite_file(db_url)
        if not replace or path is None:
            raise
        kept = path.with_name(f"{path.name}.outdated-{time.strftime('%Y%m%d-%H%M%S')}")
        for suffix in ("", "-wal", "-shm"):  # WAL and shared-memory files belong to the old file
            old = path.with_name(path.name + suffix)
            if old.exists():
                old.rename(kept.with_name(kept.name + suffix))
        log.warning("%s; kept it as %s and started a fresh one", outdated, kept)
        return start_backend(db_url, **options)


def sqlite_file(db_url: str) -> Path | None:
    prefix = "sqlite:///"
    return Path(db_url.removeprefix(prefix)) if db_url.startswith(prefix) and db_url != prefix else None


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    backend = start_replacing_outdated(
        args.db or default_db_url(),
        args.replace_outdated,
        host=args.host,
        port=args.port,
        seed=not args.no_seed,
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
