"""Receipt documents to ESC/POS bytes for one printer profile (or to a picture of the paper).

The stream starts with ESC @ and FS & (Chinese mode), so every text byte is GB18030: ASCII prints half
width, two-byte codes print from the printer's Chinese font. Text was sanitized and fitted to the width
by the layout, so encoding cannot fail and never falls back to ``?``. With ``profile.as_image`` the whole
receipt is drawn with a local Chinese font and sent as one raster image instead.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable, Sequence
from pathlib import Path

import qrcode  # type: ignore[import-untyped]
from PIL import Image

from pos.domain.receipt import ReceiptDocument
from pos.hardware.printing import commands as cmd
from pos.hardware.printing.canvas import PaperCanvas, code128_image, qr_image
from pos.hardware.printing.commands import Align
from pos.hardware.printing.layout import layout_document
from pos.hardware.printing.profile import PrinterProfile
from pos.hardware.printing.sheet import BarcodeOp, FeedOp, LogoOp, Op, QrOp, RawLineOp, TextOp
from pos.hardware.printing.text import ENCODING

log = logging.getLogger(__name__)

MAX_QR_MODULE_DOTS = 6


def render(document: ReceiptDocument, profile: PrinterProfile) -> bytes:
    """The bytes that print ``document``, end with a cut, and open the drawer on a cash sale."""
    ops = layout_document(document, profile.columns)
    return encode_ops(ops, profile, open_drawer=getattr(document, "opens_drawer", False))


def render_preview(document: ReceiptDocument, profile: PrinterProfile) -> Image.Image:
    """What the receipt looks like on paper, for the screen (no printer needed)."""
    return draw_ops(layout_document(document, profile.columns), profile, margin=16)


def encode_ops(ops: Sequence[Op], profile: PrinterProfile, open_drawer: bool = False) -> bytes:
    out = bytearray(cmd.INIT)
    if open_drawer:  # first, so the drawer opens while the receipt prints
        out += cmd.drawer_kick(profile.drawer_pin)
    if profile.as_image:
        out += cmd.raster_image(draw_ops(ops, profile))
    else:
        out += cmd.CHINESE_ON
        out += _TextEncoder(profile).encode(ops)
    out += cmd.feed(profile.feed_before_cut)
    if profile.cut:
        out += cmd.cut()
    return bytes(out)


class _TextEncoder:
    """Emits style commands only when the style changes, to keep the stream short."""

    def __init__(self, profile: PrinterProfile) -> None:
        self.profile = profile
        self.align = Align.LEFT
        self.bold = False
        self.size = (1, 1)

    def encode(self, ops: Iterable[Op]) -> bytes:
        return b"".join(self._op(op) for op in ops)

    def _style(self, where: Align, bold: bool = False, size: tuple[int, int] = (1, 1)) -> bytes:
        out = b""
        if where != self.align:
            out += cmd.align(where)
            self.align = where
        if bold != self.bold:
            out += cmd.bold(bold)
            self.bold = bold
        if size != self.size:
            out += cmd.char_size(*size)
            self.size = size
        return out

    def _op(self, op: Op) -> bytes:
        if isinstance(op, TextOp):
            style = self._style(op.align, op.bold, (op.width_mult, op.height_mult))
            return style + op.text.encode(ENCODING) + cmd.LF
        if isinstance(op, RawLineOp):
            return self._style(Align.LEFT) + op.text.encode(ENCODING) + cmd.LF
        if isinstance(op, FeedOp):
            return cmd.feed(op.lines)
        if isinstance(op, QrOp):
            data = op.data.encode("utf-8")
            if not self.profile.native_qr:
                picture = qr_image(data, qr_module_dots(data, self.profile.width_dots))
                return self._style(Align.CENTER) + cmd.raster_image(picture)
            module = qr_module_dots(data, self.profile.width_dots)
            return self._style(Align.CENTER) + cmd.qr_code(data, module) + cmd.LF
        if isinstance(op, BarcodeOp):
            return self._style(Align.CENTER) + cmd.code128(op.data) + cmd.LF
        logo = load_logo(self.profile.logo_path, self.profile.width_dots)
        return self._style(Align.CENTER) + cmd.raster_image(logo) if logo else b""


def draw_ops(ops: Sequence[Op], profile: PrinterProfile, margin: int = 0) -> Image.Image:
    """The receipt as one black-and-white strip, ``profile.width_dots`` wide."""
    paper = PaperCanvas(profile.width_dots)
    for op in ops:
        if isinstance(op, TextOp):
            paper.text(op.text, op.align, op.width_mult, op.height_mult, op.bold)
        elif isinstance(op, RawLineOp):
            paper.text(op.text)
        elif isinstance(op, FeedOp):
            paper.feed_lines(op.lines)
        elif isinstance(op, QrOp):
            data = op.data.encode("utf-8")
            paper.image(qr_image(data, qr_module_dots(data, profile.width_dots)), Align.CENTER)
        elif isinstance(op, BarcodeOp):
            paper.image(code128_image(op.data), Align.CENTER)
        elif isinstance(op, LogoOp):
            logo = load_logo(profile.logo_path, profile.width_dots)
            if logo:
                paper.image(logo, Align.CENTER)
    strip = paper.to_image(margin)
    # Thresholded, not dithered: dithering anti-aliased glyph edges speckles small Chinese characters.
    return strip.convert("1", dither=Image.Dither.NONE) if margin == 0 else strip


@functools.lru_cache(maxsize=64)
def qr_module_dots(data: bytes, width_dots: int) -> int:
    """The largest module size (at most 6 dots) at which the QR code fits the paper."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    code.add_data(data)
    code.make(fit=True)
    modules = int(code.modules_count) + 4
    return max(1, min(MAX_QR_MODULE_DOTS, width_dots // modules))


@functools.lru_cache(maxsize=4)
def load_logo(path: Path | None, width_dots: int) -> Image.Image | None:
    """The logo, at most half the paper wide, dithered to black and white; None when there is none.

    A missing or broken logo is logged and skipped: it must never stop a sale's receipt.
    """
    if path is None:
        return None
    try:
        with Image.open(path) as source:
            logo = source.convert("L")
    except OSError as error:
        log.warning("receipt logo %s unusable, printing without it: %s", path, error)
        return None
    limit = width_dots // 2
    if logo.width > limit:
        logo = logo.resize((limit, max(1, logo.height * limit // logo.width)), Image.Resampling.LANCZOS)
    return logo.convert("1")
