"""A virtual network receipt printer on loopback, for the demo, the tests and support.

It listens like a printer on port 9100 (any port; 0 picks a free one), takes one connection at a time,
interprets the ESC/POS it receives, answers DLE EOT, and at each cut records the receipt's decoded lines
and writes ``receipt-0001.png`` (and ``.txt``) to its output directory. Two switches imitate trouble:
``set_offline`` closes the listening socket so connections are refused (a job already connected finishes,
as with a printer switched off between jobs), and ``set_paper_out`` makes DLE EOT report paper end and
prints nothing.

Run it: ``python -m pos.hardware.printing.virtual --port 9100 --out receipts/``.
"""

from __future__ import annotations

import argparse
import logging
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path

from pos.hardware.printing.interpreter import EscPosInterpreter, PaperState, PrintedReceipt
from pos.hardware.printing.profile import PrinterProfile, PrinterSettings, TransportKind

log = logging.getLogger(__name__)


class VirtualPrinter:
    def __init__(
        self,
        out_dir: Path | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        paper_mm: int = 80,
        draw: bool = True,
        on_receipt: Callable[[PrintedReceipt], None] | None = None,
    ) -> None:
        self.out_dir = out_dir
        self.host = host
        self.port = port
        self.paper_mm = paper_mm
        self.on_receipt = on_receipt
        self.state = PaperState()
        self.receipts: list[PrintedReceipt] = []
        self.png_paths: list[Path] = []
        self.connections = 0
        self._printed = threading.Condition()
        self._interpreter = EscPosInterpreter(
            PrinterProfile(paper_mm=paper_mm).width_dots, self._receipt_done, self.state, draw
        )
        self._listener: socket.socket | None = None
        self._online = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    # lifecycle -------------------------------------------------------------------------------------
    def start(self) -> VirtualPrinter:
        if self.out_dir is not None:
            self.out_dir.mkdir(parents=True, exist_ok=True)
        self._listen()
        self._online.set()
        self._thread = threading.Thread(target=self._serve, name="virtual-printer", daemon=True)
        self._thread.start()
        log.info("virtual printer listening on %s:%d", self.host, self.port)
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._online.set()  # wake the loop if it is waiting to come back online
        self._close_listener()
        if self._thread is not None:
            self._thread.join(5)

    def __enter__(self) -> VirtualPrinter:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def settings(self, **profile_options: object) -> PrinterSettings:
        """Printer settings that reach this printer, with a profile for its paper."""
        profile = PrinterProfile(paper_mm=self.paper_mm, **profile_options)  # type: ignore[arg-type]
        return PrinterSettings(
            transport=TransportKind.NETWORK,
            host=self.host,
            port=self.port,
            timeout_seconds=2.0,
            status_timeout_seconds=1.0,
            profile=profile,
        )

    # switches --------------------------------------------------------------------------------------
    def set_offline(self, offline: bool) -> None:
        if offline:
            self._online.clear()
            self._close_listener()
        elif not self._online.is_set():
            self._listen()
            self._online.set()

    def set_paper_out(self, paper_out: bool) -> None:
        self.state.paper_out = paper_out

    # results ---------------------------------------------------------------------------------------
    def wait_for(self, count: int, timeout: float = 10.0) -> list[PrintedReceipt]:
        """The receipts printed so far, once there are at least ``count`` (or the timeout passed)."""
        with self._printed:
            self._printed.wait_for(lambda: len(self.receipts) >= count, timeout)
            return list(self.receipts)

    @property
    def discarded(self) -> int:
        """Receipts received while out of paper, and so not printed."""
        return self._interpreter.discarded

    # internals -------------------------------------------------------------------------------------
    def _listen(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((self.host, self.port))
        listener.listen(8)
        listener.settimeout(0.1)
        self.port = listener.getsockname()[1]
        self._listener = listener

    def _close_listener(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.close()

    def _serve(self) -> None:
        while not self._stopping.is_set():
            self._online.wait()
            listener = self._listener
            if listener is None:
                time.sleep(0.01)
                continue
            try:
                connection, _ = listener.accept()
            except (TimeoutError, OSError):
                continue
            with connection:
                self.connections += 1
                self._handle(connection)

    def _handle(self, connection: socket.socket) -> None:
        """Serve one client until it hangs up: a printer takes one connection at a time."""
        connection.settimeout(0.2)
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # answer DLE EOT at once
        while not self._stopping.is_set():
            try:
                chunk = connection.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                return
            if not chunk:
                return
            answers = self._interpreter.feed(chunk)
            if answers:
                connection.sendall(answers)

    def _receipt_done(self, receipt: PrintedReceipt) -> None:
        number = len(self.receipts) + 1
        if self.out_dir is not None:
            stem = self.out_dir / f"receipt-{number:04d}"
            if receipt.image is not None:
                receipt.image.save(stem.with_suffix(".png"))
                self.png_paths.append(stem.with_suffix(".png"))
            stem.with_suffix(".txt").write_text(receipt.text + "\n", encoding="utf-8")
        with self._printed:
            self.receipts.append(receipt)
            self._printed.notify_all()
        if self.on_receipt is not None:
            self.on_receipt(receipt)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="A virtual ESC/POS network printer that writes PNGs.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9100)
    parser.add_argument("--paper", type=int, choices=(58, 80), default=80, help="paper width in mm")
    parser.add_argument("--out", type=Path, default=Path("virtual-receipts"), help="where PNGs go")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    printer = VirtualPrinter(
        args.out,
        args.host,
        args.port,
        args.paper,
        on_receipt=lambda r: print(f"receipt printed: {len(r.lines)} lines", flush=True),
    )
    printer.start()
    print(
        f"virtual printer on {printer.host}:{printer.port}, writing to {args.out} (Ctrl+C to stop)",
        flush=True,
    )
    try:
        while True:
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        printer.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
