"""Decoder wrappers that change the image before decoding and map the symbol corners back.

* ``Downscaled``: shrink a large region before a slow decoder (pyzbar's time grows with the pixel count,
  and a 1280x720 scan box has more pixels than a phone-screen code needs).
* ``Rotated``: try the image turned by fixed angles. zxing-cpp and pyzbar find 1-D barcodes with
  horizontal (and, with try_rotate, vertical) scan lines only; a Code128 on a phone held 30 degrees
  askew crosses no scan line from end to end, so neither reads it. Turning the image back does.
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from pos.hardware.scanning.decoders import DecodedSymbol, Decoder


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


class Rotated:
    """Decode the image turned by each angle in turn (degrees, counter-clockwise); first read wins."""

    def __init__(self, inner: Decoder, angles: Sequence[float]) -> None:
        self._inner = inner
        self._angles = list(angles)
        self.name = inner.name

    def decode(self, gray: np.ndarray) -> list[DecodedSymbol]:
        height, width = gray.shape[:2]
        for angle in self._angles:
            matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
            turned = cv2.warpAffine(gray, matrix, (width, height), flags=cv2.INTER_LINEAR, borderValue=255)
            symbols = self._inner.decode(turned)
            if symbols:
                back = cv2.invertAffineTransform(matrix)
                return [_mapped(symbol, back) for symbol in symbols]
        return []


def _mapped(symbol: DecodedSymbol, matrix: np.ndarray) -> DecodedSymbol:
    points = np.array(symbol.corners, dtype=np.float64).reshape(-1, 2)
    mapped = points @ matrix[:, :2].T + matrix[:, 2]
    corners = tuple((round(x), round(y)) for x, y in mapped)
    return DecodedSymbol(symbol.text, symbol.format, corners, symbol.decoder)
