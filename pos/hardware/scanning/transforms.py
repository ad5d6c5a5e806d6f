"""Decoder wrappers that change the image before decoding and map the symbol corners back.

* ``Downscaled``: shrink a large region before a slow decoder (pyzbar's time grows with the pixel count,
  and a 1280x720 scan box has more pixels than a phone-screen code needs).
* ``OnBars``: decode only the 1-D barcode found in the image, turned upright. zxing-cpp and pyzbar find
  1-D barcodes with horizontal (and, with try_rotate, vertical) scan lines only; a Code128 on a phone
  held 30 degrees askew crosses no scan line from end to end, so neither reads it. Turning it back does,
  and the small upright strip is cheap to decode (see ``bars``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import cv2
import numpy as np

from pos.hardware.scanning.bars import find_bars, straighten
from pos.hardware.scanning.decoders import DecodedSymbol, Decoder

logger = logging.getLogger(__name__)


def downscale(gray: np.ndarray, max_side: int) -> tuple[np.ndarray, float]:
    """The image with its longer side at most ``max_side``, and the factor back to the input's pixels."""
    longer = max(gray.shape[:2])
    if longer <= max_side:
        return gray, 1.0
    factor = max_side / longer
    return cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA), 1.0 / factor


class Downscaled:
    def __init__(self, inner: Decoder, max_side: int) -> None:
        self._inner = inner
        self._max_side = max_side
        self.name = inner.name

    def decode(self, gray: np.ndarray) -> list[DecodedSymbol]:
        small, back = downscale(gray, self._max_side)
        return [symbol.shifted(0, 0, back) for symbol in self._inner.decode(small)]


def _mapped(symbol: DecodedSymbol, matrix: np.ndarray) -> DecodedSymbol:
    points = np.array(symbol.corners, dtype=np.float64).reshape(-1, 2)
    mapped = points @ matrix[:, :2].T + matrix[:, 2]
    corners = tuple((round(x), round(y)) for x, y in mapped)
    return DecodedSymbol(symbol.text, symbol.format, corners, symbol.decoder)


class OnBars:
    """Decode the 1-D barcode ``bars.find_bars`` sees, cut out upright and smoothed along the bars.

    No bar texture in the box (an empty counter, a QR code) costs one cheap look and no decode. When the
    strip reads nothing wanted and the bars run near the image axes, ``whole`` (the slow decoder on the
    whole box) gets a last try: pyzbar reads a few blurred codes on the box it misses on a crop, and it
    cannot read askew bars at all, so it is not asked to.
    """

    def __init__(
        self,
        strip: Decoder,
        whole: Decoder | None = None,
        is_wanted: Callable[[str], bool] | None = None,
        whole_max_tilt: float = 12.0,
    ) -> None:
        self._strip = strip
        self._whole = whole
        self._is_wanted = is_wanted or (lambda _text: True)
        self._whole_max_tilt = whole_max_tilt
        self.name = strip.name

    def decode(self, gray: np.ndarray) -> list[DecodedSymbol]:
        region = find_bars(gray)
        if region is None:
            return []
        image, back = straighten(gray, region)
        symbols = self._strip.decode(image)
        if len({symbol.text for symbol in symbols}) > 1:
            # One strip holds one barcode: two texts mean a decoder guessed (zbar does, on blur).
            logger.debug("%d different reads from one barcode strip; dropped", len(symbols))
            symbols = []
        if any(self._is_wanted(symbol.text) for symbol in symbols) or not self._near_axis(region.angle):
            return [_mapped(symbol, back) for symbol in symbols]
        return self._whole.decode(gray) if self._whole is not None else []

    def _near_axis(self, angle: float) -> bool:
        off_axis = abs((angle + 45.0) % 90.0 - 45.0)
        return off_axis <= self._whole_max_tilt
