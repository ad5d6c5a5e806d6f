"""The receipt printer as the settings describe it: one mapping, used by the app, the demo and `pos doctor`.

One print queue per printer (issue 5): every screen that prints (receipts, write-off slips, shift
reports) shares the queue the composition root builds here, so jobs print in order.
"""

from __future__ import annotations

from pathlib import Path

from pos.domain.errors import InvalidValue
from pos.hardware.printing.print_queue import PrintQueue
from pos.hardware.printing.profile import PrinterProfile, PrinterSettings, TransportKind
from pos.settings import Settings


def printer_settings(settings: Settings) -> PrinterSettings | None:
    """None when no printer is configured (network transport with no host)."""
    try:
        kind = TransportKind(settings.printer_transport)
    except ValueError:
        raise InvalidValue(
            f"printer_transport must be one of {', '.join(k.value for k in TransportKind)}",
            {"setting": "printer_transport"},
        ) from None
    if kind is TransportKind.NETWORK and not settings.printer_host:
        return None
    profile = PrinterProfile(paper_mm=settings.printer_paper_mm, as_image=settings.printer_as_image)
    vendor, product = _usb_ids(settings.printer_usb_ids) if kind is TransportKind.USB else (0, 0)
    device = settings.printer_device
    return PrinterSettings(
        transport=kind,
        host=settings.printer_host or "127.0.0.1",
        port=settings.printer_port,
        usb_vendor_id=vendor,
        usb_product_id=product,
        serial_device=device if kind is TransportKind.SERIAL and device else "/dev/ttyS0",
        device_path=device if kind is TransportKind.FILE and device else "/dev/usb/lp0",
        printer_name=device if kind in (TransportKind.CUPS, TransportKind.WIN32RAW) else "",
        profile=profile,
    )


def receipt_queue(settings: Settings) -> PrintQueue | None:
    """The till's one receipt print queue, started, spooling under the data directory."""
    printer = printer_settings(settings)
    if printer is None:
        return None
    return PrintQueue(printer, spool_dir(settings.data_dir)).start()


def spool_dir(data_dir: Path) -> Path:
    return data_dir / "spool"


def _usb_ids(text: str) -> tuple[int, int]:
    vendor, _, product = text.partition(":")
    try:
        return int(vendor, 16), int(product, 16)
    except ValueError:
        raise InvalidValue(
            f"printer_usb_ids must look like 04b8:0202, got {text!r}", {"setting": "printer_usb_ids"}
        ) from None
