"""The 1-D barcode finder that gates the chain's slow fallbacks, and the fallback stage built on it."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from bench.frames import code128_modules, qr_modules
from pos.hardware.scanning.bars import find_bars, straighten
from pos.hardware.scanning.decoders import DecodedSymbol, ZxingDecoder, default_decoder
from pos.hardware.scanning.transforms import OnBars


def _code128_box(digits: str, angle: float, noise: float = 0.0, seed: int = 0) -> np.ndarray:
    """A 448x384 box with a Code128 of 3 px modules, turned ``angle`` degrees, light sensor noise."""
    bars = np.repeat(np.repeat(~code128_modules(digits)[None, :], 90, axis=0), 3, axis=1)
    box = np.full((384, 448), 200, np.uint8)
    y0, x0 = (384 - bars.shape[0]) // 2, (448 - bars.shape[1]) // 2
    box[y0 : y0 + bars.shape[0], x0 : x0 + bars.shape[1]] = np.where(bars, 235, 25)
    matrix = cv2.getRotationMatrix2D((224, 192), angle, 1.0)
    box = cv2.warpAffine(box, matrix, (448, 384), flags=cv2.INTER_LINEAR, borderValue=200)
    box = cv2.GaussianBlur(box, (0, 0), 0.7)
    noisy = box + np.random.default_rng(seed).normal(0, noise, box.shape)
    return np.clip(noisy, 0, 255).astype(np.uint8)


@pytest.mark.parametrize("angle", [0.0, 25.0, -30.0, 90.0])
def test_finds_the_bars_and_their_angle(angle: float) -> None:
    region = find_bars(_code128_box("123456", angle))
    assert region is not None
    off = (region.angle - angle + 90.0) % 180.0 - 90.0  # bars have no head or tail: modulo 180
    assert abs(off) < 4.0
    assert abs(region.center[0] - 224) < 24 and abs(region.center[1] - 192) < 24
    assert region.across > 200 and region.along > 40


def test_no_bars_on_a_plain_counter_or_a_qr_code() -> None:
    rng = np.random.default_rng(1)
    counter = cv2.resize(rng.uniform(60, 190, (6, 8)).astype(np.float32), (448, 384))
    assert find_bars(counter.astype(np.uint8)) is None
    qr = np.kron(~qr_modules("WO1:ABCDEF"), np.ones((8, 8), dtype=bool))
    box = np.full((384, 448), 220, np.uint8)
    box[40 : 40 + qr.shape[0], 80 : 80 + qr.shape[1]] = np.where(qr, 235, 25)
    assert find_bars(box) is None


@pytest.mark.parametrize("angle", [30.0, -40.0, 90.0])
def test_straightened_strip_reads_where_the_box_does_not(angle: float) -> None:
    gray = _code128_box("654321", angle, noise=8.0)
    straight_lines = ZxingDecoder("Code128", try_rotate=False)
    assert straight_lines.decode(gray) == []
    region = find_bars(gray)
    assert region is not None
    strip, back = straighten(gray, region)
    assert strip.shape[0] < gray.shape[0] // 2  # smoothed along the bars: few rows left
    read = straight_lines.decode(strip)
    assert [symbol.text for symbol in read] == ["654321"]
    assert back.shape == (2, 3)


def test_chain_reads_askew_and_vertical_codes_and_maps_corners_into_the_box() -> None:
    chain = default_decoder()
    for angle in (0.0, 30.0, 90.0):
        symbols = chain.decode(_code128_box("246810", angle, noise=8.0))
        assert [symbol.text for symbol in symbols] == ["246810"]
        for x, y in symbols[0].corners:
            assert 0 <= x < 448 and 0 <= y < 384


class _Guessing:
    name = "guessing"

    def __init__(self, texts: list[str]) -> None:
        self.texts = texts
        self.calls = 0

    def decode(self, gray: np.ndarray) -> list[DecodedSymbol]:
        self.calls += 1
        return [DecodedSymbol(text, "Code128", ((0, 0),), self.name) for text in self.texts]


def test_two_different_reads_from_one_strip_are_both_dropped() -> None:
    fallback = OnBars(_Guessing(["503010", "113010"]))
    assert fallback.decode(_code128_box("503010", 30.0)) == []


def test_whole_box_decoder_runs_only_for_near_axis_bars_the_strip_missed() -> None:
    whole = _Guessing(["123456"])
    fallback = OnBars(_Guessing([]), whole)
    assert fallback.decode(_code128_box("123456", 30.0)) == []  # askew: the whole box cannot help
    assert whole.calls == 0
    assert [symbol.text for symbol in fallback.decode(_code128_box("123456", 3.0))] == ["123456"]
    assert whole.calls == 1
    assert fallback.decode(np.full((384, 448), 200, np.uint8)) == []  # no bars: nothing runs
    assert whole.calls == 1
