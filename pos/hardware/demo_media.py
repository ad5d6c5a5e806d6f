"""Media the till makes for itself: the scan beep (a WAV written with the stdlib) and the demo camera clip.

The demo has no webcam: a short video of a phone showing write-off QR codes stands in for one, read
through the same ``VideoCapture`` path as a camera. It is drawn with ``bench.frames`` (QR modules and the
MJPG writer), which needs the test extras (qrcode); without them the demo simply has no camera clip.
"""

from __future__ import annotations

import logging
import math
import struct
import sys
import wave
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import cv2
import numpy as np

from pos.domain.codes import WriteOffKind, WriteOffPayload, build_qr_payload

log = logging.getLogger(__name__)
SAMPLE_RATE = 22_050
_REPO_ROOT = Path(__file__).resolve().parents[2]


def write_beep(
    path: Path, frequency_hz: float = 1760.0, duration_s: float = 0.12, volume: float = 0.5
) -> Path:
    """A short sine tone with a soft attack and release (no click), 16-bit mono PCM."""
    path.parent.mkdir(parents=True, exist_ok=True)
    count = int(SAMPLE_RATE * duration_s)
    ramp = max(1, int(SAMPLE_RATE * 0.01))
    frames = bytearray()
    for n in range(count):
        envelope = min(1.0, n / ramp, (count - n) / ramp)
        sample = volume * envelope * math.sin(2 * math.pi * frequency_hz * n / SAMPLE_RATE)
        frames += struct.pack("<h", int(sample * 32767))
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(bytes(frames))
    return path


def _bench_frames() -> ModuleType | None:
    try:
        if str(_REPO_ROOT) not in sys.path and (_REPO_ROOT / "bench" / "frames.py").is_file():
            sys.path.append(str(_REPO_ROOT))
        import bench.frames as frames

        return frames
    except ImportError:
        return None


def _qr_frame(frames: ModuleType, text: str, size: tuple[int, int], seed: int) -> np.ndarray:
    """A phone-sized QR on a counter-coloured background, with a little sensor noise."""
    width, height = size
    rng = np.random.default_rng(seed)
    image = np.full((height, width, 3), (96, 120, 140), np.uint8)
    modules = frames.qr_modules(text)
    side = int(min(width, height) * 0.55)
    qr = cv2.resize(
        np.where(modules, 20, 240).astype(np.uint8), (side, side), interpolation=cv2.INTER_NEAREST
    )
    top, left = (height - side) // 2, (width - side) // 2
    image[top : top + side, left : left + side] = cv2.cvtColor(qr, cv2.COLOR_GRAY2BGR)
    noise = rng.normal(0, 4, image.shape)
    return np.clip(image + noise, 0, 255).astype(np.uint8)


def write_demo_clip(
    path: Path,
    codes: Sequence[tuple[str, WriteOffKind]],
    size: tuple[int, int] = (640, 480),
    fps: float = 10.0,
    seconds_per_code: float = 3.0,
    gap_seconds: float = 1.0,
) -> Path | None:
    """A video showing each code's SP1 QR for a few seconds, with empty counter between; None when the
    frame helpers are not installed."""
    frames = _bench_frames()
    if frames is None or not codes:
        log.info("no demo camera clip: bench.frames or codes missing")
        return None
    blank = np.full((size[1], size[0], 3), (96, 120, 140), np.uint8)
    clip = []
    for index, (code, kind) in enumerate(codes):
        clip += [frames.Frame(blank, None)] * int(gap_seconds * fps)
        text = build_qr_payload(WriteOffPayload(code, kind))
        clip += [
            frames.Frame(_qr_frame(frames, text, size, index * 100 + n), text)
            for n in range(int(seconds_per_code * fps))
        ]
    path.parent.mkdir(parents=True, exist_ok=True)
    frames.write_video(path, clip, fps)
    return path
