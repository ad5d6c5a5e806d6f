"""Command line of the cashier app: ``pos`` runs the till, ``pos demo`` a training till.

Heavy modules (Qt, requests) are imported inside the command that needs them so ``pos --help`` and the
start of the window stay fast.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from pos.domain.errors import PosError

log = logging.getLogger("pos")
DEMO_SIM_SPEED = 3.0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pos",
        description="加油站收银台 / Fuel station cashier desk.",
        epilog="Without a command, `pos` runs the till against the backend in the settings file.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug details")
    parser.add_argument(
        "--activation-code",
        metavar="CODE",
        help="pair this till for this run with a one-time activation code",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("run", help="run the till (the default)")
    demo = commands.add_parser("demo", help="training till against a local backend with simulated pumps")
    demo.add_argument(
        "--screenshot",
        type=Path,
        metavar="FILE",
        help="run offscreen, save the window as PNG to FILE and exit",
    )
    demo.add_argument(
        "--after",
        type=float,
        default=8.0,
        metavar="SECONDS",
        help="seconds to wait before the screenshot (default 8)",
    )
    demo.add_argument(
        "--sim-speed",
        type=float,
        default=DEMO_SIM_SPEED,
        metavar="X",
        help=f"simulator speed factor; 1 is real time (default {DEMO_SIM_SPEED:g}, a busy hour compressed)",
    )
    # `pair` (store the device token in the OS keyring) and `doctor` (diagnostics) come next.
    return parser


def run_till(activation_code: str | None) -> int:
    from pos.settings import load_settings
    from pos.sync.client import BackendClient

    settings = load_settings()
    if activation_code is None:
        print(
            "This till is not paired. Pass --activation-code CODE (from the backend), or try `pos demo`.",
            file=sys.stderr,
        )
        return 2
    client = BackendClient(
        settings.backend_url,
        connect_timeout=settings.connect_timeout_seconds,
        read_timeout=settings.read_timeout_seconds,
        verify_tls=settings.verify_tls,
    )
    client.pair(activation_code, settings.till_name)
    from pos.app import run_gui

    return run_gui(settings, client, staff=None)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        if args.command == "demo":
            from pos.demo import run_demo

            return run_demo(args.screenshot, args.after, args.sim_speed)
        return run_till(args.activation_code)
    except PosError as error:
        print(f"{error.title}\n{error.message}", file=sys.stderr)
        tail = error.detail.get("stderr_tail")
        if tail:
            print(f"--- backend output (last lines) ---\n{tail}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
