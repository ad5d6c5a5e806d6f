"""Reads an ESC/POS byte stream the way a Chinese thermal printer does, for the virtual printer and tests.

Understood: ESC @, FS & / FS . (Chinese mode: text is GB18030, otherwise code page 437), GS ! sizes,
ESC E bold, ESC a alignment, ESC d feed, ESC p drawer kick, GS ( k QR (store and print), GS v 0 raster
images, GS k barcodes, GS V cut, DLE EOT status (answered at once). Other common commands are skipped
by their length; an unknown one is noted on the receipt so a test sees it. A cut ends a receipt.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from PIL import Image

from pos.hardware.printing import commands as cmd
from pos.hardware.printing.canvas import PaperCanvas, code128_image, qr_image
from pos.hardware.printing.commands import Align
from pos.hardware.printing.text import char_width, wrap

log = logging.getLogger(__name__)

# Commands the renderer never sends but printers accept: prefix -> number of parameter bytes.
_SKIPPED = {
    b"\x1b2": 0,
    b"\x1b3": 1,
    b"\x1bt": 1,
    b"\x1bM": 1,
    b"\x1b-": 1,
    b"\x1bR": 1,
    b"\x1bJ": 1,
    b"\x1b!": 1,
    b"\x1bG": 1,
    b"\x1b{": 1,
    b"\x1c!": 1,
    b"\x1cC": 1,
    b"\x1d\x42": 1,
    b"\x1dH": 1,
    b"\x1dh": 1,
    b"\x1dw": 1,
    b"\x1df": 1,
    b"\x1dL": 2,
    b"\x1dW": 2,
    b"\x10\x14": 3,
}


# With paper out: the printer is offline (n=1), stopped for paper end (n=2), paper end detected (n=4).
_PAPER_OUT_BITS = {1: cmd.STATUS_OFFLINE_BIT, 2: cmd.STATUS_PAPER_STOP_BIT, 4: cmd.STATUS_PAPER_END}


class NeedMore(Exception):
    """The buffer ends inside a command; wait for the next chunk."""


@dataclass
class PrintedReceipt:
    """One receipt between two cuts, as the virtual printer printed it."""

    lines: list[str] = field(default_factory=list)
    qr_payloads: list[str] = field(default_factory=list)
    barcodes: list[str] = field(default_factory=list)
    images: int = 0
    drawer_kicked: bool = False
    unknown_commands: list[str] = field(default_factory=list)
    raw: bytes = b""
    image: Image.Image | None = None

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass
class PaperState:
    """What the printer reports on DLE EOT."""

    paper_out: bool = False

    def answer(self, n: int) -> bytes:
        bits = cmd.STATUS_FIXED_BITS
        if self.paper_out:
            bits |= _PAPER_OUT_BITS.get(n, 0)
        return bytes([bits])


class EscPosInterpreter:
    """Feed it bytes; it calls ``on_receipt`` at every cut and returns status answers to send back."""

    def __init__(
        self,
        paper_dots: int = 576,
        on_receipt: Callable[[PrintedReceipt], None] | None = None,
        state: PaperState | None = None,
        draw: bool = True,
    ) -> None:
        self.paper_dots = paper_dots
        self.columns = paper_dots // 12
        self.on_receipt = on_receipt
        self.state = state or PaperState()
        self.draw = draw
        self.discarded = 0  # receipts sent while out of paper
        self._cut_requested = False
        self._pending = b""
        self._reset_style()
        self._new_receipt()

    def _reset_style(self) -> None:
        self.chinese = False
        self.align = Align.LEFT
        self.bold = False
        self.size = (1, 1)
        self.qr_data = b""
        self.qr_module = 3

    def _new_receipt(self) -> None:
        self.receipt = PrintedReceipt()
        self.canvas = PaperCanvas(self.paper_dots) if self.draw else None
        self._text = bytearray()
        self._raw = bytearray()

    def feed(self, data: bytes) -> bytes:
        """Interpret ``data`` (continuing any command split across calls); return the status answers."""
        buffer = self._pending + data
        answers = bytearray()
        pos = 0
        while pos < len(buffer):
            try:
                used = self._command(buffer, pos, answers)
            except NeedMore:
                break
            self._raw += buffer[pos : pos + used]
            pos += used
            if self._cut_requested:
                self._finish_receipt()
        self._pending = buffer[pos:]
        return bytes(answers)

    def _command(self, buf: bytes, pos: int, answers: bytearray) -> int:
        byte = buf[pos]
        if byte >= 0x20:
            end = pos
            while end < len(buf) and buf[end] >= 0x20:
                end += 1
            self._text += buf[pos:end]
            return end - pos
        if byte == 0x0A:
            self._print_line()
            return 1
        if byte in (0x1B, 0x1C, 0x1D, 0x10):
            return self._escape(buf, pos, answers)
        return 1  # CR, NUL and other stray controls: printers ignore them

    def _escape(self, buf: bytes, pos: int, answers: bytearray) -> int:
        head = _take(buf, pos, 2)
        if head == b"\x10\x04":
            answers += self.state.answer(_take(buf, pos + 2, 1)[0])
            return 3
        if head == b"\x1b@":
            self._flush_text()
            self._reset_style()
            return 2
        if head == b"\x1c&" or head == b"\x1c.":
            self.chinese = head == b"\x1c&"
            return 2
        if head in (b"\x1bE", b"\x1ba", b"\x1bd", b"\x1d!"):
            self._style(head, _take(buf, pos + 2, 1)[0])
            return 3
        if head == b"\x1bp":
            _take(buf, pos + 2, 3)
            self.receipt.drawer_kicked = True
            return 5
        if head == b"\x1dV":
            return self._cut(buf, pos)
        if head == b"\x1d(":
            return self._function(buf, pos)
        if head == b"\x1dv":
            return self._raster(buf, pos)
        if head == b"\x1dk":
            return self._barcode(buf, pos)
        if head in _SKIPPED:
            _take(buf, pos + 2, _SKIPPED[head])
            return 2 + _SKIPPED[head]
        self.receipt.unknown_commands.append(head.hex())
        return 2

    def _style(self, head: bytes, n: int) -> None:
        if head == b"\x1bE":
            self.bold = bool(n & 1)
        elif head == b"\x1ba":
            self.align = Align(n % 48 if n >= 48 else min(n, 2))
        elif head == b"\x1d!":
            self.size = ((n >> 4) + 1, (n & 0x0F) + 1)
        else:  # ESC d: print what is buffered, then feed n lines
            self._flush_text()
            for _ in range(n):
                self._print_line()

    def _decode(self, raw: bytes) -> str:
        return raw.decode("gb18030" if self.chinese else "cp437", errors="replace")

    def _flush_text(self) -> None:
        if self._text:
            self._print_line()

    def _print_line(self) -> None:
        text = self._decode(bytes(self._text))
        self._text.clear()
        if self.state.paper_out:
            return
        self.receipt.lines.append(text)
        if self.canvas is None:
            return
        width, height = self.size
        # A line wider than the paper wraps on a real printer; do the same.
        fitted = text if sum(char_width(ch) for ch in text) * width <= self.columns else None
        for part in [fitted] if fitted is not None else wrap(text, max(2, self.columns // width)):
            self.canvas.text(part, self.align, width, height, self.bold)

    def _picture(self, image: Image.Image) -> None:
        self._flush_text()
        self.receipt.images += 1
        if self.canvas is not None and not self.state.paper_out:
            self.canvas.image(image, self.align)

    def _cut(self, buf: bytes, pos: int) -> int:
        mode = _take(buf, pos + 2, 1)[0]
        used = 4 if mode in (65, 66) else 3
        _take(buf, pos, used)
        self._flush_text()
        self._cut_requested = True
        return used

    def _finish_receipt(self) -> None:
        self._cut_requested = False
        finished = self.receipt
        finished.raw = bytes(self._raw)
        if self.canvas is not None:
            finished.image = self.canvas.to_image(margin=16)
        self._new_receipt()
        if self.state.paper_out:
            self.discarded += 1
        elif self.on_receipt is not None:
            self.on_receipt(finished)

    def _function(self, buf: bytes, pos: int) -> int:
        size = int.from_bytes(_take(buf, pos + 3, 2), "little")
        body = _take(buf, pos + 5, size)
        if buf[pos + 2 : pos + 3] == b"k" and len(body) >= 2 and body[0] == 0x31:
            fn, params = body[1], body[2:]
            if fn == 0x43 and params:
                self.qr_module = params[0]
            elif fn == 0x50:
                self.qr_data = params[1:]
            elif fn == 0x51:
                self.receipt.qr_payloads.append(self.qr_data.decode("utf-8", errors="replace"))
                self._picture(qr_image(self.qr_data, max(1, self.qr_module)))
        return 5 + size

    def _raster(self, buf: bytes, pos: int) -> int:
        header = _take(buf, pos + 3, 5)  # m xL xH yL yH
        width_bytes = header[1] | header[2] << 8
        rows = header[3] | header[4] << 8
        data = _take(buf, pos + 8, width_bytes * rows)
        bits = Image.frombytes("1", (width_bytes * 8, rows), data).convert("L")
        self._picture(bits.point(lambda v: 255 - v))  # ESC/POS 1 = black, Pillow 1 = white
        return 8 + width_bytes * rows

    def _barcode(self, buf: bytes, pos: int) -> int:
        kind = _take(buf, pos + 2, 1)[0]
        if kind <= 6:  # function A: data ends at NUL
            end = buf.find(b"\x00", pos + 3)
            if end < 0:
                raise NeedMore
            data, used = buf[pos + 3 : end], end + 1 - pos
        else:
            length = _take(buf, pos + 3, 1)[0]
            data, used = _take(buf, pos + 4, length), 4 + length
        text = data.decode("ascii", errors="replace")
        if kind == 73 and text[:1] == "{":
            text = text[2:]  # code set selector, not part of the data
        self.receipt.barcodes.append(text)
        try:
            self._picture(code128_image(text))
        except Exception as error:  # python-barcode refuses some data; the printer would print nothing
            log.warning("barcode %r not drawn: %s", text, error)
        return used


def _take(buf: bytes, start: int, count: int) -> bytes:
    if start + count > len(buf):
        raise NeedMore
    return buf[start : start + count]
