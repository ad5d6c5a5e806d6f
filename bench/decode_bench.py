"""Decoder figures on generated webcam-like frames: pyzbar alone, zxing-cpp alone, the chain we ship.

Run: ``.venv/bin/python -m bench.decode_bench`` (about a minute on two cores; ``--frames`` to change it).

All decoders see the same grayscale scan box (the camera worker's default box) of the same frames, in one
run. A frame counts as *read* when the decoder returned the text the frame carries, as a *misread* when
it returned any other redeemable text. Empty frames (nothing in view: the normal state of a till camera)
are timed separately because a chain pays for every stage on them. The last table feeds the chain's
reads through the consensus validator (the worker's default settings, 15 fps) and counts the frames from
the first with the code in view to the one where the code is accepted.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import cv2
import numpy as np

from bench.frames import CONDITIONS, SIZES, SYMBOLOGIES, ClipSpec, Frame, clip
from pos.hardware.scanning.camera import CameraSettings, scan_box_pixels
from pos.hardware.scanning.consensus import ConsensusValidator
from pos.hardware.scanning.decoders import (
    Decoder,
    PyzbarDecoder,
    ZxingDecoder,
    default_decoder,
    is_redeemable,
)

FPS = 15.0


@dataclass
class Tally:
    read: int = 0
    misread: int = 0
    frames: int = 0
    times_ms: list[float] = field(default_factory=list)

    def add(self, texts: list[str], truth: str | None, took_ms: float) -> None:
        self.frames += 1
        self.times_ms.append(took_ms)
        self.read += truth is not None and truth in texts
        self.misread += any(text != truth and is_redeemable(text) for text in texts)

    def rate(self) -> str:
        return f"{100.0 * self.read / max(self.frames, 1):5.1f}%"

    def median(self) -> float:
        return statistics.median(self.times_ms) if self.times_ms else 0.0

    def p95(self) -> float:
        return float(np.percentile(self.times_ms, 95)) if self.times_ms else 0.0


def scan_box(frame: Frame) -> np.ndarray:
    x0, y0, x1, y1 = scan_box_pixels(frame.image.shape, CameraSettings().scan_box)
    return cv2.cvtColor(frame.image[y0:y1, x0:x1], cv2.COLOR_BGR2GRAY)


def timed(decoder: Decoder, gray: np.ndarray) -> tuple[list[str], float]:
    began = time.perf_counter()
    texts = [symbol.text for symbol in decoder.decode(gray)]
    return texts, (time.perf_counter() - began) * 1000.0


def frames_to_accept(decoder: Decoder, frames: list[Frame]) -> int | None:
    settings = CameraSettings()
    validator = ConsensusValidator(settings.required_reads, settings.window_s, settings.cooldown_s)
    first_visible = next(i for i, frame in enumerate(frames) if frame.truth is not None)
    for i, frame in enumerate(frames):
        texts = [symbol.text for symbol in decoder.decode(scan_box(frame))]
        if frame.truth in validator.offer(texts, i / FPS):
            return i - first_visible + 1
    return None


def run(frames_per_clip: int, seed: int, out: Callable[[str], None] = print) -> None:
    decoders: dict[str, Decoder] = {"pyzbar": PyzbarDecoder(), "zxing-cpp": ZxingDecoder()}
    decoders["chain"] = default_decoder()
    for size in SIZES:
        totals = {name: Tally() for name in decoders}
        empty = {name: Tally() for name in decoders}
        out(f"\n== {size}: read rate / misreads per condition ({frames_per_clip} frames each) ==")
        out(f"{'symbology':9} {'condition':13}" + "".join(f"{name:>18}" for name in decoders))
        for symbology in SYMBOLOGIES:
            for condition in CONDITIONS:
                spec = ClipSpec(symbology, condition, size, frames_per_clip, lead_in=2, seed=seed)
                row = {name: Tally() for name in decoders}
                for frame in clip(spec):
                    gray = scan_box(frame)
                    for name, decoder in decoders.items():
                        texts, took = timed(decoder, gray)
                        target = row[name] if frame.truth is not None else empty[name]
                        target.add(texts, frame.truth, took)
                for name, tally in row.items():
                    totals[name].read += tally.read
                    totals[name].misread += tally.misread
                    totals[name].frames += tally.frames
                    totals[name].times_ms += tally.times_ms
                cells = "".join(f"{row[n].rate():>13} /{row[n].misread:3d}" for n in decoders)
                out(f"{symbology:9} {condition:13}{cells}")
        report_size(size, totals, empty, out)
    report_latency(decoders["chain"], frames_per_clip, seed, out)


def report_size(
    size: str, totals: dict[str, Tally], empty: dict[str, Tally], out: Callable[[str], None]
) -> None:
    out(f"\n-- {size}: all frames with a code --")
    header = f"{'decoder':10} {'read':>7} {'misreads':>9} {'median ms':>10} {'p95 ms':>8}"
    out(f"{header} {'empty-frame median ms':>22}")
    for name, tally in totals.items():
        out(
            f"{name:10} {tally.rate():>7} {tally.misread:9d} {tally.median():10.2f} {tally.p95():8.2f}"
            f" {empty[name].median():22.2f}"
        )
    chain, pyzbar = totals["chain"], totals["pyzbar"]
    best = max(tally.read for name, tally in totals.items() if name != "chain")
    speedup = statistics.mean(pyzbar.times_ms) / max(statistics.mean(chain.times_ms), 1e-9)
    out(
        f"chain vs best single decoder: {chain.read} vs {best} frames read "
        f"({'OK' if chain.read >= best else 'WORSE'}); chain mean time {speedup:.1f}x faster than pyzbar "
        f"({'OK' if speedup >= 3 else 'BELOW 3x'}); median {pyzbar.median() / max(chain.median(), 1e-9):.1f}x"
    )


def report_latency(decoder: Decoder, frames_per_clip: int, seed: int, out: Callable[[str], None]) -> None:
    settings = CameraSettings()
    out(
        f"\n== frames from first visible to accepted (chain, {settings.required_reads} identical reads "
        f"within {settings.window_s}s, decoding every frame) =="
    )
    for size in SIZES:
        counts: list[str] = []
        for symbology in SYMBOLOGIES:
            for condition in CONDITIONS:
                frames = list(clip(ClipSpec(symbology, condition, size, frames_per_clip, 2, seed + 1)))
                taken = frames_to_accept(decoder, frames)
                counts.append(f"{symbology}/{condition}={taken if taken is not None else '-'}")
        out(f"{size}: " + " ".join(counts))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=20, help="frames with a code per clip")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    cv2.setNumThreads(1)  # time the decoders, not OpenCV's thread pool
    run(args.frames, args.seed)


if __name__ == "__main__":
    main()
