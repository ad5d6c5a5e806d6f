"""Receipt figures: render time of a 40-line receipt, and throughput to the virtual printer.

Run: ``.venv/bin/python -m bench.receipt_bench``. A thermal printer prints about 250 mm/s, i.e. roughly
one 40-line receipt per second; both figures should be far above that.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from pos.domain.receipt import FuelSaleReceipt
from pos.hardware.printing import samples
from pos.hardware.printing.print_queue import PrintQueue
from pos.hardware.printing.profile import PrinterProfile
from pos.hardware.printing.render import render
from pos.hardware.printing.virtual import VirtualPrinter

PRINTER_RECEIPTS_PER_SECOND = 1.0  # what the paper itself allows, for comparison


def forty_line_receipt() -> FuelSaleReceipt:
    """A cash sale with 14 goods lines and their details: about 40 printed text lines."""
    return samples.fuel_sale(goods_lines=14)


def render_median_ms(runs: int = 300) -> tuple[float, int, int]:
    document = forty_line_receipt()
    profile = PrinterProfile(paper_mm=80)
    render(document, profile)  # warm caches (QR sizing, codecs)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        data = render(document, profile)
        timings.append(time.perf_counter() - started)
    lines = data.count(b"\n")
    return statistics.median(timings) * 1000, lines, len(data)


def throughput(count: int, draw: bool) -> float:
    """Receipts per second through the queue and python-escpos's Network transport."""
    with tempfile.TemporaryDirectory() as spool, VirtualPrinter(draw=draw) as printer:
        queue = PrintQueue(printer.settings(), Path(spool)).start()
        document = forty_line_receipt()
        started = time.perf_counter()
        for _ in range(count):
            queue.print_document(document)
        printer.wait_for(count, timeout=120)
        elapsed = time.perf_counter() - started
        queue.stop()
    return count / elapsed


def main() -> None:
    median_ms, lines, size = render_median_ms()
    print(f"render 40-line receipt to bytes: median {median_ms:.2f} ms ({lines} lines, {size} bytes)")
    print(f"print throughput to virtual printer (text only):  {throughput(100, draw=False):7.1f} receipts/s")
    print(f"print throughput to virtual printer (with PNGs):  {throughput(30, draw=True):7.1f} receipts/s")
    print(f"baseline: a thermal printer prints about {PRINTER_RECEIPTS_PER_SECOND:.0f} such receipt/s")


if __name__ == "__main__":
    main()
