"""Getting bytes to a printer through python-escpos's transports, and reading its status (DLE EOT).

python-escpos is used only as a pipe (open, ``_raw``, ``_read``, close): the bytes come from our renderer.
Every socket, USB, serial or escpos exception stops here and leaves as a ``PosError`` with a stable code:
``printer_offline``, ``printer_paper_out``, ``printer_unavailable`` or ``printer_failed``.
"""

from __future__ import annotations

import logging
import socket
from enum import StrEnum
from typing import Any

from pos.domain.errors import PosError
from pos.hardware.printing import commands as cmd
from pos.hardware.printing.profile import PrinterSettings, TransportKind

log = logging.getLogger(__name__)


class PrinterState(StrEnum):
    OK = "ok"
    PAPER_OUT = "paper_out"
    OFFLINE = "offline"
    UNKNOWN = "unknown"  # the printer (or its transport) does not answer status requests


def offline_error(settings: PrinterSettings, reason: object = "") -> PosError:
    return PosError(
        "printer_offline",
        "打印机离线 / Printer offline",
        f"Cannot reach the receipt printer at {settings.describe()}. Check that it is switched on and "
        "connected; waiting receipts print by themselves when it is back.",
        {"printer": settings.describe(), "reason": str(reason)[:200]},
    )


def paper_out_error(settings: PrinterSettings) -> PosError:
    return PosError(
        "printer_paper_out",
        "打印机缺纸 / Printer out of paper",
        "Load a new paper roll and close the cover; waiting receipts print by themselves.",
        {"printer": settings.describe()},
    )


def _unavailable(settings: PrinterSettings, reason: object) -> PosError:
    return PosError(
        "printer_unavailable",
        "打印方式不可用 / Printer connection not available",
        f"The {settings.transport.value} printer connection cannot be used on this computer ({reason}). "
        "Choose another connection in the settings.",
        {"transport": settings.transport.value},
    )


def make_printer(settings: PrinterSettings) -> Any:
    """An unopened python-escpos printer object for the configured transport."""
    try:
        from escpos import printer as escpos_printer
    except ImportError as error:  # pragma: no cover - python-escpos is a dependency
        raise _unavailable(settings, error) from error
    kind = settings.transport
    factories: dict[TransportKind, tuple[str, dict[str, Any]]] = {
        TransportKind.NETWORK: (
            "Network",
            {"host": settings.host, "port": settings.port, "timeout": settings.timeout_seconds},
        ),
        TransportKind.USB: (
            "Usb",
            {
                "idVendor": settings.usb_vendor_id,
                "idProduct": settings.usb_product_id,
                "timeout": int(settings.timeout_seconds * 1000),
            },
        ),
        TransportKind.SERIAL: (
            "Serial",
            {
                "devfile": settings.serial_device,
                "baudrate": settings.baudrate,
                "timeout": settings.status_timeout_seconds,
            },
        ),
        TransportKind.FILE: ("File", {"devfile": settings.device_path}),
        TransportKind.CUPS: ("CupsPrinter", {"printer_name": settings.printer_name}),
        TransportKind.WIN32RAW: ("Win32Raw", {"printer_name": settings.printer_name}),
    }
    class_name, arguments = factories[kind]
    printer_class = getattr(escpos_printer, class_name)
    if not printer_class.is_usable():
        raise _unavailable(settings, f"{class_name} needs a library or OS that is not present")
    return printer_class(**arguments)


def _status_byte(printer: Any, request: bytes, timeout: float) -> int | None:
    """One DLE EOT answer byte, or None when nothing comes back in time (many printers never answer).

    A connection that breaks meanwhile is not "no answer": it raises, so the job is not sent into a
    dead socket and counted as printed.
    """
    device = printer.device
    if isinstance(device, socket.socket):
        device.settimeout(timeout)
    try:
        printer._raw(request)
        answer = printer._read()
    except (NotImplementedError, TimeoutError):
        return None
    except OSError:
        raise
    except Exception as error:  # USB and serial libraries raise their own types for a timeout
        log.debug("status read failed: %r", error)
        return None
    finally:
        if isinstance(device, socket.socket):
            device.settimeout(getattr(printer, "timeout", None))  # back to the write timeout
    if isinstance(device, socket.socket) and not answer:
        raise ConnectionResetError("the printer closed the connection")
    return answer[0] if answer else None


def read_status(printer: Any, timeout: float) -> PrinterState:
    """Paper end, offline or ok from an opened printer; UNKNOWN when it does not answer."""
    paper = _status_byte(printer, cmd.STATUS_PAPER, timeout)
    if paper is None:
        return PrinterState.UNKNOWN
    if paper & cmd.STATUS_PAPER_END == cmd.STATUS_PAPER_END:
        return PrinterState.PAPER_OUT
    online = _status_byte(printer, cmd.STATUS_PRINTER, timeout)
    if online is not None and online & cmd.STATUS_OFFLINE_BIT:
        return PrinterState.OFFLINE
    return PrinterState.OK


def _open(printer: Any, settings: PrinterSettings) -> None:
    try:
        printer.open()
    except PosError:
        raise
    except Exception as error:  # DeviceNotFoundError, OSError, usb.core.USBError, serial exceptions
        raise offline_error(settings, error) from error
    if printer.device is None:
        raise offline_error(settings, "no device")
    if isinstance(printer.device, socket.socket):
        # Status requests are tiny: without this, Nagle holds each one back until the job is acknowledged.
        printer.device.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def _close(printer: Any) -> None:
    try:
        printer.close()
    except Exception as error:  # closing a dead connection must not turn a printed job into a failure
        log.debug("closing printer: %r", error)


def probe(settings: PrinterSettings) -> PrinterState:
    """Connect, ask for the status, disconnect. Raises ``printer_offline`` when it cannot connect."""
    printer = make_printer(settings)
    _open(printer, settings)
    try:
        return read_status(printer, settings.status_timeout_seconds)
    except OSError as error:
        raise offline_error(settings, error) from error
    finally:
        _close(printer)


def send(settings: PrinterSettings, data: bytes) -> PrinterState:
    """Print ``data``: check paper first where the printer answers, then send. Raises ``PosError``.

    Returns the printer's state after the job: PAPER_OUT there means the roll ended during this receipt
    (it counts as printed; staff check it and reprint if it is cut short).
    """
    printer = make_printer(settings)
    _open(printer, settings)
    try:
        state = read_status(printer, settings.status_timeout_seconds)
        if state is PrinterState.PAPER_OUT:
            raise paper_out_error(settings)
        if state is PrinterState.OFFLINE:
            raise offline_error(settings, "printer reports offline (cover open or error)")
        printer._raw(data)
        if state is PrinterState.UNKNOWN:
            return state
        # Asked after the job, the answer also tells that the printer has taken in every byte before it.
        return read_status(printer, settings.status_timeout_seconds)
    except PosError:
        raise
    except Exception as error:
        raise offline_error(settings, error) from error
    finally:
        _close(printer)
