"""One print queue and one worker thread per printer: in order, never blocking the caller, retried.

``submit`` writes the job to the spool and returns at once; the worker sends jobs oldest first and only
moves on when one has been sent. A failure (offline, paper out) keeps the job at the head, is reported
through ``on_status`` ("打印机离线：2 张小票等待中 / Printer offline: 2 receipts waiting") and is retried
with exponential backoff and jitter. Jobs left in the spool by a previous run print when the queue starts.
``on_status`` is called on the worker thread; the UI bridge moves it to the GUI thread.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pos.domain.errors import PosError
from pos.domain.receipt import ReceiptDocument
from pos.hardware.printing import commands as cmd
from pos.hardware.printing import transport
from pos.hardware.printing.profile import PrinterSettings
from pos.hardware.printing.spool import Spool, SpoolJob
from pos.hardware.printing.transport import PrinterState

log = logging.getLogger(__name__)

Sender = Callable[[PrinterSettings, bytes], PrinterState]


@dataclass(frozen=True, slots=True)
class QueueStatus:
    """What the status bar shows about one printer."""

    waiting: int  # jobs not yet printed, including the one being tried
    error: PosError | None = None
    printer_state: PrinterState = PrinterState.UNKNOWN

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def message(self) -> str:
        if self.error is None:
            if self.printer_state is PrinterState.PAPER_OUT:
                return "打印中缺纸：请检查最后一张小票 / Paper ran out: check the last receipt"
            if self.waiting:
                return f"正在打印：{self.waiting} 张小票 / Printing: {self.waiting} receipt(s)"
            return "打印机就绪 / Printer ready"
        zh, en = {
            "printer_offline": ("打印机离线", "Printer offline"),
            "printer_paper_out": ("打印机缺纸", "Printer out of paper"),
        }.get(self.error.code, ("打印失败", "Printing failed"))
        return f"{zh}：{self.waiting} 张小票等待中 / {en}: {self.waiting} receipt(s) waiting"


def document_title(document: ReceiptDocument) -> str:
    number = getattr(document, "sale_no", None) or getattr(document, "order_no", None)
    number = number or getattr(document, "shift_no", None) or getattr(document, "code", "")
    return f"{type(document).__name__} {number}"


class PrintQueue:
    def __init__(
        self,
        settings: PrinterSettings,
        spool_dir: Path,
        on_status: Callable[[QueueStatus], None] | None = None,
        sender: Sender = transport.send,
        retry_initial: float = 1.0,
        retry_max: float = 30.0,
        history_limit: int = 50,
    ) -> None:
        self.settings = settings
        self.spool = Spool(spool_dir / settings.name, history_limit)
        self.on_status = on_status
        self._send = sender
        self._retry_initial = retry_initial
        self._retry_max = retry_max
        self._jobs: list[SpoolJob] = self.spool.pending()  # left by a previous run: they print first
        self._wake = threading.Condition()
        self._stopping = False
        self._busy = False
        self._retry_requested = False
        self._thread: threading.Thread | None = None

    def start(self) -> PrintQueue:
        self._thread = threading.Thread(target=self._run, name=f"print-{self.settings.name}", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the worker; unprinted jobs stay in the spool for the next start."""
        with self._wake:
            self._stopping = True
            self._wake.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)

    def print_document(self, document: ReceiptDocument) -> str:
        """Render and queue a receipt; returns the job id (for a later reprint)."""
        from pos.hardware.printing.render import render  # Pillow and qrcode: only once something prints

        return self.submit(render(document, self.settings.profile), document_title(document))

    def submit(self, data: bytes, title: str) -> str:
        job = self.spool.add(data, title)
        with self._wake:
            self._jobs.append(job)
            self._wake.notify_all()
        return job.job_id

    def reprint(self, job_id: str) -> str:
        """Print a receipt from the history (or still waiting) again, marked as a reprint."""
        job = self.spool.find(job_id)
        if job is None:
            raise PosError(
                "receipt_not_found",
                "找不到小票 / Receipt not found",
                "That receipt is no longer kept for reprinting.",
                {"job_id": job_id},
            )
        return self.submit(self._reprint_banner() + job.data, f"重打 {job.title}")

    def reprint_last(self) -> str | None:
        history = self.spool.history()
        return self.reprint(history[-1].job_id) if history else None

    def history(self) -> list[SpoolJob]:
        return self.spool.history()

    @property
    def waiting(self) -> int:
        with self._wake:
            return len(self._jobs)

    def retry_now(self) -> None:
        """Skip the rest of the backoff (the cashier pressed retry, or the printer came back)."""
        with self._wake:
            self._retry_requested = True
            self._wake.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        """True once every job has printed (tests, and a clean shutdown)."""
        with self._wake:
            return self._wake.wait_for(lambda: not self._jobs and not self._busy, timeout)

    def _reprint_banner(self) -> bytes:
        if self.settings.profile.as_image:
            text = b"** REPRINT **"
        else:
            text = cmd.CHINESE_ON + "** 重打小票 REPRINT **".encode("gb18030")
        return cmd.INIT + cmd.align(cmd.Align.CENTER) + text + cmd.LF

    def _next_job(self) -> SpoolJob | None:
        with self._wake:
            self._wake.wait_for(lambda: self._jobs or self._stopping)
            if self._stopping:
                return None
            self._busy = True
            return self._jobs[0]

    def _run(self) -> None:
        delay = self._retry_initial
        if self._jobs:
            self._report(QueueStatus(len(self._jobs)))
        while (job := self._next_job()) is not None:
            try:
                state = self._send(self.settings, job.data)
            except PosError as error:
                log.warning("print job %s failed (%s), %d waiting", job.job_id, error.code, self.waiting)
                self._report(QueueStatus(self.waiting, error))
                self._backoff(delay)
                delay = min(delay * 2, self._retry_max)
                continue
            self.spool.complete(job)
            delay = self._retry_initial
            with self._wake:
                self._jobs.pop(0)
                self._busy = False
                waiting = len(self._jobs)
                self._wake.notify_all()
            self._report(QueueStatus(waiting, printer_state=state))
        with self._wake:
            self._busy = False
            self._wake.notify_all()

    def _backoff(self, delay: float) -> None:
        with self._wake:
            self._busy = False
            self._wake.notify_all()
            self._wake.wait_for(
                lambda: self._stopping or self._retry_requested, delay * random.uniform(0.8, 1.2)
            )
            self._retry_requested = False

    def _report(self, status: QueueStatus) -> None:
        if self.on_status is None:
            return
        try:
            self.on_status(status)
        except Exception:  # a broken listener must not stop printing
            log.exception("print status listener failed")
