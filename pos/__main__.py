"""Command line of the cashier app: ``pos`` runs the till, ``pos demo`` a training till, ``pos pair`` and
``pos unpair`` keep or remove this till's device token in the OS keyring.

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
        help="pair this till with a one-time activation code (the token goes to the OS keyring)",
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
    pair = commands.add_parser("pair", help="pair this till with a backend; the token goes to the OS keyring")
    pair.add_argument("--backend", required=True, metavar="URL", help="the backend, e.g. https://pos.example")
    pair.add_argument("--code", required=True, metavar="CODE", help="one-time six-digit activation code")
    pair.add_argument("--till-name", metavar="NAME", help="this till's name (default: from the settings)")
    commands.add_parser("unpair", help="remove this till's device token from the OS keyring")
    doctor = commands.add_parser(
        "doctor", help="diagnostics for support staff; --print-test prints a test page"
    )
    doctor.add_argument("--print-test", action="store_true", help="print the receipt printer test page")
    doctor.add_argument(
        "--printer-host", metavar="HOST", help="a network printer to use instead of the settings"
    )
    doctor.add_argument("--printer-port", type=int, default=9100, metavar="PORT")
    return parser


def run_till(activation_code: str | None) -> int:
    from pos.settings import load_settings
    from pos.sync.credentials import pair_till, stored_client

    settings = load_settings()
    client = (
        stored_client(settings)
        if activation_code is None
        else pair_till(settings, settings.backend_url, activation_code, settings.till_name)
    )
    prefetch = None
    if client is not None:  # the first snapshot comes from a child while this process loads Qt
        from pos.sync.prefetch import SnapshotPrefetch

        prefetch = SnapshotPrefetch.start(client)
    from pos.app import pair_with_dialog, run_gui

    if client is None:
        client = pair_with_dialog(settings)
        if client is None:
            print("This till is not paired: run `pos pair --backend URL --code CODE`.", file=sys.stderr)
            return 2
        settings = load_settings()  # pairing wrote the backend URL and till name
    try:
        return run_gui(settings, client, staff=None, prefetch=prefetch)
    finally:
        client.close()


def run_pair(backend_url: str, code: str, till_name: str | None) -> int:
    from pos.settings import load_settings
    from pos.sync.credentials import pair_till

    settings = load_settings()
    client = pair_till(settings, backend_url, code.strip(), till_name or settings.till_name)
    client.close()
    print(f"已配对 Paired with {backend_url}; the device token is in the OS keyring.")
    return 0


def run_unpair() -> int:
    from pos.settings import load_settings
    from pos.sync.credentials import unpair_till

    settings = load_settings()
    removed = unpair_till(settings)
    print(
        f"已解除配对 Unpaired from {settings.backend_url}."
        if removed
        else f"No device token was stored for {settings.backend_url}."
    )
    return 0


def run_doctor(print_test: bool, printer_host: str | None, printer_port: int) -> int:
    from pos.doctor import run_doctor as diagnose
    from pos.settings import load_settings

    settings = load_settings()
    if printer_host:
        settings = settings.replace(
            printer_transport="network", printer_host=printer_host, printer_port=printer_port
        )
    return diagnose(settings, print_test)


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
        if args.command == "pair":
            return run_pair(args.backend, args.code, args.till_name)
        if args.command == "unpair":
            return run_unpair()
        if args.command == "doctor":
            return run_doctor(args.print_test, args.printer_host, args.printer_port)
        return run_till(args.activation_code)
    except PosError as error:
        print(f"{error.title}\n{error.message}", file=sys.stderr)
        tail = error.detail.get("stderr_tail")
        if tail:
            print(f"--- backend output (last lines) ---\n{tail}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
