"""The print queue with a scripted sender: order, retries, status reports, restart, reprint history."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from pos.domain.errors import PosError
from pos.hardware.printing.print_queue import PrintQueue, QueueStatus
from pos.hardware.printing.profile import PrinterSettings
from pos.hardware.printing.transport import PrinterState, offline_error, paper_out_error

SETTINGS = PrinterSettings()


class ScriptedPrinter:
    """Fails while ``failures`` holds errors, then records what it was sent."""

    def __init__(self, failures: list[PosError] | None = None, delay: float = 0.0) -> None:
        self.failures = list(failures or [])
        self.delay = delay
        self.printed: list[bytes] = []
        self.lock = threading.Lock()

    def __call__(self, settings: PrinterSettings, data: bytes) -> PrinterState:
        time.sleep(self.delay)
        with self.lock:
            if self.failures:
                raise self.failures.pop(0)
            self.printed.append(data)
        return PrinterState.OK


def make_queue(tmp_path: Path, printer: ScriptedPrinter, statuses: list[QueueStatus]) -> PrintQueue:
    return PrintQueue(SETTINGS, tmp_path, statuses.append, printer, retry_initial=0.01, retry_max=0.05)


def test_jobs_print_in_order_and_submit_does_not_wait(tmp_path: Path) -> None:
    printer = ScriptedPrinter(delay=0.05)
    queue = make_queue(tmp_path, printer, []).start()
    started = time.perf_counter()
    for n in range(5):
        queue.submit(f"job {n}".encode(), f"job {n}")
    assert time.perf_counter() - started < 0.2  # five jobs take 0.25 s to print
    assert queue.wait_idle(5)
    queue.stop()
    assert printer.printed == [f"job {n}".encode() for n in range(5)]


def test_failures_are_retried_and_reported_with_the_waiting_count(tmp_path: Path) -> None:
    printer = ScriptedPrinter([offline_error(SETTINGS), offline_error(SETTINGS), paper_out_error(SETTINGS)])
    statuses: list[QueueStatus] = []
    queue = make_queue(tmp_path, printer, statuses)
    queue.submit(b"a", "a")
    queue.submit(b"b", "b")
    queue.start()
    assert queue.wait_idle(5)
    queue.stop()
    assert printer.printed == [b"a", b"b"]
    errors = [s for s in statuses if s.error]
    assert [s.error.code for s in errors if s.error] == [
        "printer_offline",
        "printer_offline",
        "printer_paper_out",
    ]
    assert errors[0].message == "打印机离线：2 张小票等待中 / Printer offline: 2 receipt(s) waiting"
    assert errors[-1].message.startswith("打印机缺纸：2 张小票等待中")
    assert statuses[-1].ok and statuses[-1].waiting == 0


def test_queued_jobs_survive_a_restart(tmp_path: Path) -> None:
    never = ScriptedPrinter([offline_error(SETTINGS)] * 1000)
    first = make_queue(tmp_path, never, []).start()
    first.submit(b"one", "1")
    first.submit(b"two", "2")
    first.stop()
    assert never.printed == []
    printer = ScriptedPrinter()
    second = make_queue(tmp_path, printer, []).start()
    second.submit(b"three", "3")
    assert second.wait_idle(5)
    second.stop()
    assert printer.printed == [b"one", b"two", b"three"]
    assert not list((tmp_path / SETTINGS.name / "pending").iterdir())


def test_reprint_last_and_from_bounded_history(tmp_path: Path) -> None:
    printer = ScriptedPrinter()
    queue = PrintQueue(SETTINGS, tmp_path, None, printer, history_limit=3).start()
    ids = [queue.submit(f"r{n}".encode(), f"r{n}") for n in range(5)]
    assert queue.wait_idle(5)
    assert [job.data for job in queue.history()] == [b"r2", b"r3", b"r4"]
    queue.reprint_last()
    queue.reprint(ids[2])
    assert queue.wait_idle(5)
    queue.stop()
    assert printer.printed[5].endswith(b"r4") and "重打".encode("gb18030") in printer.printed[5]
    assert printer.printed[6].endswith(b"r2")
    try:
        queue.reprint(ids[0])
    except PosError as error:
        assert error.code == "receipt_not_found"
    else:
        raise AssertionError("a receipt dropped from the history cannot be reprinted")


def test_a_damaged_spool_file_does_not_block_the_queue(tmp_path: Path) -> None:
    pending = tmp_path / SETTINGS.name / "pending"
    pending.mkdir(parents=True)
    (pending / "00000001.job").write_bytes(b"not json\nxx")
    printer = ScriptedPrinter()
    queue = make_queue(tmp_path, printer, []).start()
    queue.submit(b"good", "good")
    assert queue.wait_idle(5)
    queue.stop()
    assert printer.printed == [b"good"]
    assert (pending / "00000001.damaged").exists()
