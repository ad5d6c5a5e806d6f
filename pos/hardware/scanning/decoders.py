"""The decoder port and its adapters: zxing-cpp, pyzbar, and the chain we ship.

A decoder takes a grayscale region of interest (a 2-D ``uint8`` numpy array) and returns what it read:
text, symbology and the symbol's corners in the region's pixel coordinates. Adapters never raise for an
image: a library error is logged and counts as "nothing read".

Why the chain is zxing-cpp first, pyzbar only on an empty result: zxing-cpp is several times faster and
reads far more of the degraded QR frames a webcam sees; pyzbar still reads some hard Code128 frames that
zxing-cpp misses. Calling pyzbar only when zxing-cpp found nothing keeps the common case at zxing speed.
Figures: ``python -m bench.decode_bench``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import zxingcpp

from pos.domain.codes import Unrecognised, parse_scan

logger = logging.getLogger(__name__)

QR = "QRCode"
CODE128 = "Code128"

Point = tuple[int, int]


@dataclass(frozen=True, slots=True)
class DecodedSymbol:
    text: str
    format: str  # QR or CODE128 (names as above, the same whichever library read it)
    corners: tuple[Point, ...]  # clockwise from top-left, in the decoded image's pixels
    decoder: str  # which adapter read it: "zxing-cpp" or "pyzbar"

    def shifted(self, dx: int, dy: int, scale: float = 1.0) -> DecodedSymbol:
        """The same symbol with corners mapped back from a cropped (and scaled) image to the frame."""
        corners = tuple((round(x * scale) + dx, round(y * scale) + dy) for x, y in self.corners)
        return DecodedSymbol(self.text, self.format, corners, self.decoder)


class Decoder(Protocol):
    name: str

    def decode(self, gray: np.ndarray) -> list[DecodedSymbol]: ...


def _bytes_to_text(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


class ZxingDecoder:
    """zxing-cpp, restricted to QR and Code128 (fewer formats: faster, and no stray EAN misreads)."""

    name = "zxing-cpp"

    def __init__(self, formats: str = "QRCode,Code128", try_rotate: bool = True) -> None:
        # Phone screens show dark modules on a light background: no inverted search (it doubles the work).
        self._formats = zxingcpp.barcode_formats_from_str(formats)
        self._try_rotate = try_rotate

    def decode(self, gray: np.ndarray) -> list[DecodedSymbol]:
        try:
            results = zxingcpp.read_barcodes(
                gray,
                formats=self._formats,
                try_rotate=self._try_rotate,
                try_invert=False,
            )
        except Exception:  # a library failure costs this frame only
            logger.exception("zxing-cpp failed on a %s frame", gray.shape)
            return []
        return [self._symbol(result) for result in results if result.valid and result.text]

    def _symbol(self, result: Any) -> DecodedSymbol:
        pos = result.position
        corners = tuple(
            (int(p.x), int(p.y)) for p in (pos.top_left, pos.top_right, pos.bottom_right, pos.bottom_left)
        )
        name = result.format.name
        return DecodedSymbol(result.text, QR if name == "QRCode" else name, corners, self.name)


class PyzbarDecoder:
    """pyzbar (libzbar0), QR and Code128 only. Imported lazily: a till without libzbar still scans."""

    name = "pyzbar"

    def __init__(self) -> None:
        from pyzbar import pyzbar

        self._pyzbar = pyzbar
        self._symbols = [pyzbar.ZBarSymbol.QRCODE, pyzbar.ZBarSymbol.CODE128]

    def decode(self, gray: np.ndarray) -> list[DecodedSymbol]:
        try:
            results = self._pyzbar.decode(np.ascontiguousarray(gray), symbols=self._symbols)
        except Exception:
            logger.exception("pyzbar failed on a %s frame", gray.shape)
            return []
        return [self._symbol(result) for result in results if result.data]

    def _symbol(self, result: Any) -> DecodedSymbol:
        corners = tuple((int(p.x), int(p.y)) for p in result.polygon)
        kind = QR if result.type == "QRCODE" else CODE128
        return DecodedSymbol(_bytes_to_text(result.data), kind, corners, self.name)


class ChainDecoder:
    """Try each decoder in order; stop at the first that reads something wanted.

    ``is_wanted`` (default: anything) lets a junk read, such as a fragment of a barcode read as "8311",
    fall through to the next decoder instead of ending the chain.
    """

    def __init__(self, decoders: Sequence[Decoder], is_wanted: Callable[[str], bool] | None = None) -> None:
        self._decoders = list(decoders)
        self._is_wanted = is_wanted or (lambda _text: True)
        self.name = "chain"

    def decode(self, gray: np.ndarray) -> list[DecodedSymbol]:
        first: list[DecodedSymbol] = []
        for decoder in self._decoders:
            symbols = decoder.decode(gray)
            if any(self._is_wanted(symbol.text) for symbol in symbols):
                return symbols
            first = first or symbols
        return first  # nothing wanted: still show what was seen (the preview draws it)


def is_redeemable(text: str) -> bool:
    """A text this station can act on (a write-off or member code), by the domain's parser."""
    return not isinstance(parse_scan(text), Unrecognised)


def default_decoder() -> Decoder:
    """The chain we ship; see ``bench.decode_bench`` for what each stage reads and costs.

    1. zxing-cpp, QR and Code128, on the scan box as it is, without its 90-degree retry (stage 2 turns
       any askew barcode upright, so the retry only costs): reads almost everything, fast;
    2. only when the box shows 1-D bars (``bars.find_bars``, a fraction of a millisecond): the barcode
       cut out upright and averaged along its bars, read by zxing-cpp (Code128) then pyzbar. That reads
       the askew codes no straight scan line crosses and most of the noisy ones, at a few percent of the
       cost of decoding the whole box again;
    3. bars near the axes that the strip did not read: pyzbar on the box downscaled to 640 px, which
       still reads some blurred Code128 that every crop misses.
    Stage 2 runs only on frames where stage 1 read nothing redeemable; an empty counter or an unreadable
    QR code stops at the gate, not in pyzbar.
    """
    from pos.hardware.scanning.transforms import Downscaled, OnBars

    strip: list[Decoder] = [ZxingDecoder("Code128", try_rotate=False)]
    whole: Decoder | None = None
    try:
        strip.append(PyzbarDecoder())
        whole = Downscaled(PyzbarDecoder(), 640)
    except Exception:  # ImportError, or libzbar missing on this till: scan with zxing-cpp only
        logger.warning("pyzbar unavailable; scanning with zxing-cpp only", exc_info=True)
    fallback = OnBars(ChainDecoder(strip, is_redeemable), whole, is_redeemable)
    # Stage 1 scans horizontal lines only: a barcode turned to vertical (or any angle) is stage 2's, upright.
    return ChainDecoder([ZxingDecoder(try_rotate=False), fallback], is_redeemable)
