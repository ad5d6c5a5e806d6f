"""ESC/POS command bytes: the subset the renderer emits and the virtual printer understands.

Built by hand rather than through python-escpos's ``text()``, which encodes line by line with guessed code
pages and never enters the printer's Chinese mode.
"""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image

ESC = b"\x1b"
GS = b"\x1d"
FS = b"\x1c"
DLE = b"\x10"
EOT = b"\x04"
LF = b"\n"

INIT = ESC + b"@"
CHINESE_ON = FS + b"&"
CHINESE_OFF = FS + b"."

# DLE EOT n: real-time status. n=1 printer, n=2 offline cause, n=4 paper roll sensor.
STATUS_PRINTER = DLE + EOT + b"\x01"
STATUS_OFFLINE_CAUSE = DLE + EOT + b"\x02"
STATUS_PAPER = DLE + EOT + b"\x04"
# Answer bits (bits 1 and 4 of every answer are fixed to 1, hence 0x12).
STATUS_FIXED_BITS = 0x12
STATUS_OFFLINE_BIT = 0x08  # in the answer to n=1
STATUS_PAPER_STOP_BIT = 0x20  # in the answer to n=2: printing stopped for paper end
STATUS_PAPER_NEAR_END = 0x0C  # in the answer to n=4
STATUS_PAPER_END = 0x60  # in the answer to n=4

RASTER_BAND_ROWS = 256  # GS v 0 in bands: some printers refuse one very tall image


class Align(IntEnum):
    LEFT = 0
    CENTER = 1
    RIGHT = 2


def align(where: Align) -> bytes:
    return ESC + b"a" + bytes([where])


def bold(on: bool) -> bytes:
    return ESC + b"E" + (b"\x01" if on else b"\x00")


def char_size(width_mult: int, height_mult: int) -> bytes:
    """GS ! n: 1..8 times wide and tall. Printers in Chinese mode scale Chinese glyphs with it too."""
    if not (1 <= width_mult <= 8 and 1 <= height_mult <= 8):
        raise ValueError(f"character size {width_mult}x{height_mult} is outside 1..8")
    return GS + b"!" + bytes([(width_mult - 1) << 4 | (height_mult - 1)])


def feed(lines: int) -> bytes:
    """ESC d n: print what is buffered and feed ``lines`` lines."""
    return ESC + b"d" + bytes([max(0, min(lines, 255))])


def cut(partial: bool = True) -> bytes:
    return GS + b"V" + (b"\x01" if partial else b"\x00")


def drawer_kick(pin: int) -> bytes:
    """ESC p m t1 t2: a 50 ms pulse (t1=25 x 2 ms) on pin 2 (m=0) or pin 5 (m=1)."""
    return ESC + b"p" + (b"\x00" if pin == 2 else b"\x01") + b"\x19\xfa"


def _qr_function(fn: int, params: bytes) -> bytes:
    length = len(params) + 2
    return GS + b"(k" + bytes([length & 0xFF, length >> 8, 0x31, fn]) + params


def qr_code(data: bytes, module_size: int = 6) -> bytes:
    """GS ( k: choose model 2, module size, error correction M, store ``data``, print it."""
    if len(data) > 7000:
        raise ValueError("QR data too long")
    return (
        _qr_function(0x41, b"\x32\x00")  # model 2
        + _qr_function(0x43, bytes([module_size]))
        + _qr_function(0x45, b"\x31")  # level M (48=L, 49=M, 50=Q, 51=H)
        + _qr_function(0x50, b"\x30" + data)  # store
        + _qr_function(0x51, b"\x30")  # print
    )


def code128(data: str, height: int = 80, module: int = 2) -> bytes:
    """GS k m=73: a CODE128 barcode (code set B) with its text printed below (GS H 2)."""
    payload = b"{B" + data.encode("ascii")
    if len(payload) > 255:
        raise ValueError("barcode data too long")
    return (
        GS
        + b"H\x02"
        + GS
        + b"h"
        + bytes([height])
        + GS
        + b"w"
        + bytes([module])
        + (GS + b"k\x49" + bytes([len(payload)]) + payload)
    )


def raster_image(image: Image.Image) -> bytes:
    """GS v 0: a black-and-white image, in bands of at most ``RASTER_BAND_ROWS`` rows."""
    mono = image.convert("1")
    width_bytes = (mono.width + 7) // 8
    from PIL import Image  # only raster jobs need Pillow

    padded = Image.new("L", (width_bytes * 8, mono.height), 255)
    padded.paste(mono.convert("L"), (0, 0))
    # Pillow packs mode "1" rows most significant bit first; mapping dark to 1 gives ESC/POS's 1 = black.
    packed = padded.point(lambda v: 255 if v < 128 else 0, mode="1").tobytes()
    out = bytearray()
    for top in range(0, mono.height, RASTER_BAND_ROWS):
        rows = min(RASTER_BAND_ROWS, mono.height - top)
        out += GS + b"v0\x00" + bytes([width_bytes & 0xFF, width_bytes >> 8, rows & 0xFF, rows >> 8])
        out += packed[top * width_bytes : (top + rows) * width_bytes]
    return bytes(out)
