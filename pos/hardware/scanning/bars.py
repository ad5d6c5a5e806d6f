"""A cheap 1-D barcode finder: where the scan box has parallel bars, at what angle, and the bars cut out.

The chain's fallback decoders are slow (pyzbar is five times zxing-cpp) and, run on the whole scan box,
they cost most on the frames they cannot help: an empty counter, a QR code zxing-cpp already failed on.
This module looks for the texture a Code128 makes, cheaply, so the fallbacks run only where there is one:

* the gradient structure tensor (Sobel x/y products) averaged over a coarse grid of cells: a cell inside
  a barcode has strong gradients that all point one way (high energy, high coherence) and change sign
  every few pixels (the mean gradient is small against its RMS), while an object's edge is one step and
  a QR code's gradients point both ways;
* the largest connected group of such cells is the barcode; its summed tensor gives the bars' angle.

``straighten`` then cuts the barcode out turned upright (bars vertical, as every 1-D reader scans) and
averages along the bars, which removes sensor noise without blurring the bars: a small, clean image the
fallbacks read far faster than the whole box, and more often.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

# Tuned on bench.frames (see bench.decode_bench): every Code128 frame passes, and about 2 % of the
# empty frames (a sharp-edged object on the counter), whose strip then decodes to nothing.
ANALYSIS_SIDE = 224  # px: analysed at most this large (cost; a bar still spans a pixel or so)
CELL = 8  # px of the analysed image per grid cell
MIN_COHERENCE = 0.7  # 0 = gradients in all directions, 1 = all parallel
MIN_ENERGY = 2000.0  # mean squared Sobel response; a faint bar edge gives well above this
MIN_SIGN_CHANGES = 0.7  # 1 - |mean gradient|^2 / mean |gradient|^2: near 1 when bars alternate
MIN_CELLS = 24  # a six-digit Code128 covers about 100 cells at the smallest size we expect


@dataclass(frozen=True, slots=True)
class BarRegion:
    """A barcode in the analysed image's input pixels."""

    center: tuple[float, float]
    across: float  # extent across the bars (the code's length), px
    along: float  # extent along the bars (their height), px
    angle: float  # degrees of the direction across the bars, counter-clockwise from the x axis


def find_bars(gray: np.ndarray) -> BarRegion | None:
    """The largest patch of parallel bars in ``gray``, or None when there is none worth decoding."""
    small, back = _analysis_image(gray)
    jxx, jyy, jxy, mask = _bar_cells(small)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    if count < 2:
        return None
    biggest = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    if stats[biggest, cv2.CC_STAT_AREA] < MIN_CELLS:
        return None
    member = labels == biggest
    sxx, syy, sxy = float(jxx[member].sum()), float(jyy[member].sum()), float(jxy[member].sum())
    theta = 0.5 * math.atan2(2.0 * sxy, sxx - syy)  # gradient direction, image axes (y down)
    rows, cols = np.nonzero(member)
    xs, ys = (cols + 0.5) * CELL * back, (rows + 0.5) * CELL * back
    ux, uy = math.cos(theta), math.sin(theta)
    across, along = xs * ux + ys * uy, ys * ux - xs * uy  # cell centres in the bars' own axes
    mid_across, mid_along = (across.max() + across.min()) / 2, (along.max() + along.min()) / 2
    center = (mid_across * ux - mid_along * uy, mid_across * uy + mid_along * ux)
    cell = CELL * back
    return BarRegion(
        center=center,
        across=float(across.max() - across.min()) + cell,
        along=float(along.max() - along.min()) + cell,
        angle=-math.degrees(theta),  # counter-clockwise, as cv2.getRotationMatrix2D takes it
    )


def straighten(
    gray: np.ndarray, region: BarRegion, margin: float = 0.15, smooth_rows: int = 4
) -> tuple[np.ndarray, np.ndarray]:
    """The barcode cut out with its bars vertical, rows averaged; and the affine map back to ``gray``.

    ``margin`` (share of the length) leaves the quiet zones in; averaging ``smooth_rows`` rows into one
    keeps the image small and takes the noise out along the bars.
    """
    width = int(region.across * (1 + 2 * margin)) + 8
    height = int(region.along * 0.8) + 4  # the middle of the bars: the ends are where a tilt smears
    cx, cy = region.center
    matrix = cv2.getRotationMatrix2D((cx, cy), -region.angle, 1.0)
    matrix[0, 2] += width / 2 - cx
    matrix[1, 2] += height / 2 - cy
    upright = cv2.warpAffine(gray, matrix, (width, height), flags=cv2.INTER_LINEAR, borderValue=255)
    rows = max(height // smooth_rows, 4)
    smoothed = cv2.resize(upright, (width, rows), interpolation=cv2.INTER_AREA)
    scale_back = np.array([[1.0, 0.0, 0.0], [0.0, height / rows, 0.0], [0.0, 0.0, 1.0]])
    to_gray = np.vstack([cv2.invertAffineTransform(matrix), [0.0, 0.0, 1.0]]) @ scale_back
    return smoothed, to_gray[:2]


def _analysis_image(gray: np.ndarray) -> tuple[np.ndarray, float]:
    longer = max(gray.shape[:2])
    if longer <= ANALYSIS_SIDE:
        return gray, 1.0
    factor = ANALYSIS_SIDE / longer
    return cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA), 1.0 / factor


def _bar_cells(small: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per-cell mean tensor products and the mask (uint8) of cells that look like bars."""
    image = small.astype(np.float32)
    gx = cv2.Sobel(image, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(image, cv2.CV_32F, 0, 1, ksize=3)
    grid = (small.shape[1] // CELL, small.shape[0] // CELL)
    crop = (grid[1] * CELL, grid[0] * CELL)

    def cells(values: np.ndarray) -> np.ndarray:
        return cv2.resize(values[: crop[0], : crop[1]], grid, interpolation=cv2.INTER_AREA)

    jxx, jyy, jxy = cells(gx * gx), cells(gy * gy), cells(gx * gy)
    mean_x, mean_y = cells(gx), cells(gy)
    energy = jxx + jyy + 1e-6
    coherence = np.sqrt((jxx - jyy) ** 2 + 4 * jxy**2) / energy
    sign_changes = 1 - (mean_x**2 + mean_y**2) / energy
    bars = (coherence > MIN_COHERENCE) & (energy > MIN_ENERGY) & (sign_changes > MIN_SIGN_CHANGES)
    return jxx, jyy, jxy, bars.astype(np.uint8)
