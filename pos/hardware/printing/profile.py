"""What the renderer and the transports need to know about one receipt printer, chosen in settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from pos.domain.errors import InvalidValue

# Thermal heads print 8 dots per mm; the printable width of the two paper sizes, in dots.
_DOTS_BY_PAPER = {58: 384, 80: 576}
_COLUMNS_BY_PAPER = {58: 32, 80: 48}


@dataclass(frozen=True, slots=True)
class PrinterProfile:
    """How to talk to the printer's head: paper, Chinese font or not, QR support, logo, cutter, drawer.

    ``as_image`` renders the whole receipt as one raster image, for printers without a Chinese font.
    ``native_qr`` sends the QR as GS ( k (the printer draws it); otherwise it is sent as an image.
    """

    paper_mm: int = 80
    as_image: bool = False
    native_qr: bool = True
    logo_path: Path | None = None
    cut: bool = True
    drawer_pin: int = 2  # the cash drawer's kick connector, pin 2 or 5
    feed_before_cut: int = 4  # lines, so the last printed line clears the cutter

    def __post_init__(self) -> None:
        if self.paper_mm not in _DOTS_BY_PAPER:
            raise InvalidValue(f"paper must be 58 or 80 mm, got {self.paper_mm!r}", {"field": "paper_mm"})
        if self.drawer_pin not in (2, 5):
            raise InvalidValue(f"drawer pin must be 2 or 5, got {self.drawer_pin!r}", {"field": "drawer_pin"})
        if not 0 <= self.feed_before_cut <= 10:
            raise InvalidValue("feed_before_cut must be 0 to 10 lines", {"field": "feed_before_cut"})

    @property
    def columns(self) -> int:
        """Half-width columns per line in the printer's standard font (a Chinese character takes two)."""
        return _COLUMNS_BY_PAPER[self.paper_mm]

    @property
    def width_dots(self) -> int:
        return _DOTS_BY_PAPER[self.paper_mm]


class TransportKind(StrEnum):
    NETWORK = "network"  # raw TCP, port 9100
    USB = "usb"
    SERIAL = "serial"
    FILE = "file"  # a device node such as /dev/usb/lp0, or a plain file
    CUPS = "cups"
    WIN32RAW = "win32raw"


@dataclass(frozen=True, slots=True)
class PrinterSettings:
    """One printer as configured: how to reach it (one transport's fields are used) and its profile."""

    transport: TransportKind = TransportKind.NETWORK
    host: str = "127.0.0.1"
    port: int = 9100
    usb_vendor_id: int = 0
    usb_product_id: int = 0
    serial_device: str = "/dev/ttyS0"
    baudrate: int = 9600
    device_path: str = "/dev/usb/lp0"
    printer_name: str = ""  # CUPS queue or Windows printer name
    timeout_seconds: float = 5.0  # connect and write
    status_timeout_seconds: float = 0.5  # DLE EOT: many printers never answer, so wait briefly
    profile: PrinterProfile = field(default_factory=PrinterProfile)
    name: str = "receipt"  # names the queue and its spool directory

    def __post_init__(self) -> None:
        if not isinstance(self.transport, TransportKind):
            raise InvalidValue(f"unknown printer transport {self.transport!r}", {"field": "transport"})
        if not 0 < self.port < 65536:
            raise InvalidValue(f"printer port must be 1 to 65535, got {self.port}", {"field": "port"})
        if not self.name.replace("-", "").replace("_", "").isalnum():
            raise InvalidValue(f"printer name must be letters, digits, - or _, got {self.name!r}")

    def describe(self) -> str:
        """Where the printer is, for a status line or a log (no secrets live in these settings)."""
        if self.transport is TransportKind.NETWORK:
            return f"{self.host}:{self.port}"
        if self.transport is TransportKind.USB:
            return f"USB {self.usb_vendor_id:04x}:{self.usb_product_id:04x}"
        if self.transport is TransportKind.SERIAL:
            return f"{self.serial_device}@{self.baudrate}"
        if self.transport is TransportKind.FILE:
            return self.device_path
        return f"{self.transport.value}:{self.printer_name}"
