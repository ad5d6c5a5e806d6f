"""``pos demo``: a training till against a local reference backend with the forecourt simulator.

Starts ``python -m pos_backend`` as a child process (SQLite under the user data dir), waits for its ready
file, pairs this till with the activation code it issued, signs in the demo cashier and opens the window.
The child is stopped when the app exits; it also exits by itself if we die, since its stdin closes.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any

from pos.domain.errors import PosError

if TYPE_CHECKING:
    from pos.hardware.printing.virtual import VirtualPrinter
    from pos.settings import Settings

JOINING_TILL_NAME = "前台2"
JOINING_STAFF_NO, JOINING_STAFF_PIN = "1002", "2222"  # 李强, cashier

log = logging.getLogger(__name__)

DEMO_STAFF_NO = "1001"  # 王芳, cashier, seeded by the reference backend
DEMO_STAFF_PIN = "1111"  # the seed's published training PIN, not a secret
READY_TIMEOUT_SECONDS = 30.0
STDERR_TAIL_LINES = 20


@dataclass(frozen=True, slots=True)
class BackendReady:
    url: str
    port: int
    pid: int
    activation_code: str
    demo_writeoff_codes: tuple[tuple[str, str], ...] = ()  # (code, kind) the demo camera can show


def _start_failed(message: str, stderr_tail: str) -> PosError:
    return PosError(
        "demo_backend_failed",
        "演示后台未能启动 / Demo backend did not start",
        message,
        {"stderr_tail": stderr_tail},
    )


def free_port(host: str = "127.0.0.1") -> int:
    """A port nobody listens on right now (the backend binds it with SO_REUSEADDR, also on restarts)."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


class BackendProcess:
    """The reference backend as a child process; use as a context manager."""

    def __init__(
        self,
        db_path: Path,
        work_dir: Path,
        sim_speed: float | None = None,
        stop_timeout: float = 5.0,
        port: int | None = None,
    ) -> None:
        self.db_path = db_path
        # Fixed for the process's life: the demo menu stops and restarts the backend, and the till's
        # client must find it again at the same address.
        self.port = port if port is not None else free_port()
        self.stop_timeout = stop_timeout  # grace after closing stdin, then after terminate
        self.work_dir = work_dir
        self.sim_speed = sim_speed
        self.ready_file = work_dir / "backend.ready.json"
        self.log_file = work_dir / "backend.log"
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    def command(self) -> list[str]:
        cmd = [
            sys.executable, "-m", "pos_backend",
            "--db", f"sqlite:///{self.db_path}",
            "--port", str(self.port),
            "--simulate",
            "--ready-file", str(self.ready_file),
            "--issue-activation-code",
            "--exit-with-stdin",
            "--replace-outdated",  # training data: a database an older version made is kept aside
        ]  # fmt: skip
        if self.sim_speed is not None:
            cmd += ["--sim-speed", str(self.sim_speed)]
        return cmd

    def start(self, timeout: float = READY_TIMEOUT_SECONDS) -> BackendReady:
        """Spawn the child and wait until it is ready."""
        self.spawn()
        return self.wait_ready(timeout)

    def spawn(self) -> None:
        """Start the child without waiting, so the caller can load Qt while the backend boots."""
        self.work_dir.mkdir(parents=True, exist_ok=True)
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        self.ready_file.unlink(missing_ok=True)
        # stderr to a file, not a pipe: a chatty child must never block on a full pipe.
        self._log = self.log_file.open("wb")
        self._process = subprocess.Popen(
            self.command(), stdin=subprocess.PIPE, stdout=self._log, stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )  # fmt: skip
        log.info("started backend pid %d, waiting for %s", self._process.pid, self.ready_file)

    def wait_ready(self, timeout: float = READY_TIMEOUT_SECONDS) -> BackendReady:
        try:
            return self._poll_ready(timeout)
        except PosError:
            self.stop()
            raise

    def _poll_ready(self, timeout: float) -> BackendReady:
        if self._process is None:
            raise _start_failed("the backend was not started", "")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready = self._read_ready_file()
            if ready is not None:
                return ready
            code = self._process.poll()
            if code is not None:
                raise _start_failed(
                    f"the backend exited with code {code} before it was ready", self.stderr_tail()
                )
            time.sleep(0.05)
        raise _start_failed(f"the backend was not ready within {timeout:.0f} s", self.stderr_tail())

    def _read_ready_file(self) -> BackendReady | None:
        try:
            raw: Any = json.loads(self.ready_file.read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):  # not there yet, or half written
            return None
        try:
            codes = tuple((str(code), str(kind)) for code, kind in raw.get("demo_writeoff_codes", ()))
            return BackendReady(
                str(raw["url"]), int(raw["port"]), int(raw["pid"]), str(raw["activation_code"]), codes
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise _start_failed(f"the ready file is malformed: {exc}", self.stderr_tail()) from exc

    def stderr_tail(self, lines: int = STDERR_TAIL_LINES) -> str:
        if self._log is not None:
            self._log.flush()
        try:
            text = self.log_file.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        timeout = self.stop_timeout
        process, self._process = self._process, None
        if process is not None:
            if process.stdin is not None:
                process.stdin.close()  # --exit-with-stdin: the polite way to ask
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                log.warning("backend pid %d ignored stdin close; terminating", process.pid)
                process.terminate()
                try:
                    process.wait(timeout)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> BackendProcess:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def run_demo(
    screenshot: Path | None = None, after_seconds: float = 8.0, sim_speed: float | None = None
) -> int:
    if screenshot is not None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before any QApplication exists
    from pos.settings import load_settings
    from pos.sync.client import BackendClient

    settings = load_settings()
    demo_dir = settings.demo_dir
    running = running_demo_backend(demo_dir / "backend.ready.json")
    if running is not None:
        return join_demo(settings, running, screenshot, after_seconds)
    with BackendProcess(demo_dir / "backend.db", demo_dir, sim_speed) as backend:
        backend.spawn()
        from pos.app import run_gui  # Qt loads while the backend boots

        ready = backend.wait_ready()
        client = BackendClient(
            ready.url,
            connect_timeout=settings.connect_timeout_seconds,
            read_timeout=settings.read_timeout_seconds,
        )
        # Training mode keeps the device token in memory only (client.pair does not store it): the demo
        # must run on a machine with no OS keyring, and its backend issues a new code every run anyway.
        client.pair(ready.activation_code, settings.till_name)
        session = client.sign_in(DEMO_STAFF_NO, DEMO_STAFF_PIN)
        printer = start_demo_printer(demo_dir)
        settings = settings.replace(
            printer_transport="network", printer_host="127.0.0.1", printer_port=printer.settings().port,
            camera_source=demo_camera_source(demo_dir, ready.demo_writeoff_codes, settings.camera_source),
        )  # fmt: skip
        try:
            # Its own cache file, so training data never mixes with a real till's cache.
            # backend_control: the 演示 Demo menu stops and starts this child on the same port.
            return run_gui(
                settings, client, session.staff, screenshot, after_seconds, demo_dir / "cache.sqlite3",
                backend_control=backend,
            )  # fmt: skip
        finally:
            client.close()
            printer.stop()


def running_demo_backend(ready_file: Path) -> dict[str, Any] | None:
    """The ready file of a training backend that still answers, or None (none started, or it has ended)."""
    from pos.sync.client import BackendClient

    try:
        ready: dict[str, Any] = json.loads(ready_file.read_text(encoding="utf-8"))
        probe = BackendClient(str(ready["url"]), connect_timeout=0.5, read_timeout=1.0, read_retries=0)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    try:
        probe.health()
    except PosError:
        return None
    finally:
        probe.close()
    return ready


def join_demo(
    settings: Settings, ready: dict[str, Any], screenshot: Path | None, after_seconds: float
) -> int:
    """A second training till on the backend another `pos demo` runs: it pairs with a spare code as
    前台2 and signs in cashier 1002, so both tills see each other's locks live."""
    from pos.app import run_gui
    from pos.sync.client import BackendClient

    client = BackendClient(str(ready["url"]))
    till_name = JOINING_TILL_NAME
    for code in ready.get("spare_activation_codes", []):
        try:
            client.pair(str(code), till_name)
            break
        except PosError as error:
            if error.code != "activation_code_invalid":
                raise
    else:
        raise PosError(
            "demo_full",
            "演示终端已满 / No more training tills",
            "演示后台的配对码已用完，请关闭后重开 / Restart pos demo to get new pairing codes.",
        )
    session = client.sign_in(JOINING_STAFF_NO, JOINING_STAFF_PIN)
    demo_dir = settings.demo_dir
    printer = start_demo_printer(demo_dir / "till2")
    settings = settings.replace(
        till_name=till_name, printer_transport="network", printer_host="127.0.0.1",
        printer_port=printer.settings().port,
    )  # fmt: skip
    try:
        return run_gui(
            settings, client, session.staff, screenshot, after_seconds, demo_dir / "cache-2.sqlite3"
        )
    finally:
        client.close()
        printer.stop()


def start_demo_printer(demo_dir: Path) -> VirtualPrinter:
    """Training mode prints to a virtual ESC/POS printer on loopback; each receipt also lands as a PNG in
    demo/paper/, and the 小票 Receipts screen (F6) shows them."""
    from pos.hardware.printing.virtual import VirtualPrinter

    return VirtualPrinter(demo_dir / "paper").start()


def demo_camera_source(demo_dir: Path, codes: tuple[tuple[str, str], ...], configured: str) -> str:
    """A looping clip of real open codes for the simulated camera (made once per set of codes)."""
    if not codes:
        return configured
    from pos.domain.codes import WriteOffKind
    from pos.hardware.demo_media import write_demo_clip

    clip = demo_dir / f"camera-{'-'.join(code for code, _kind in codes)}.avi"
    if not clip.exists():
        made = write_demo_clip(clip, [(code, WriteOffKind(kind)) for code, kind in codes])
        if made is None:
            return configured
    return str(clip)
