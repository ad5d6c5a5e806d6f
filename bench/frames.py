"""Webcam-like test frames: a phone showing a write-off code, held in front of a cheap camera.

Shared by the scanning tests and ``bench.decode_bench``. Everything is seeded, so the same arguments give
the same pixels on every run and machine (OpenCV's resize/warp/JPEG are deterministic for fixed input).

A *clip* is what a webcam sees while a customer holds up a phone: ``lead_in`` frames of the background,
then the phone with the code, shaking a little from frame to frame with fresh sensor noise each frame.
Conditions degrade the whole clip the way the field does: rotated phone, phone tilted away (perspective),
out of focus, dark-room noise, dimmed screen with glare, heavy JPEG from a USB 2 camera.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import qrcode  # type: ignore[import-untyped]
from barcode.charsets import code128 as code128_charset  # type: ignore[import-untyped]
from qrcode.constants import ERROR_CORRECT_M  # type: ignore[import-untyped]

from pos.domain.codes import WriteOffKind, WriteOffPayload, build_qr_payload

SIZES: dict[str, tuple[int, int]] = {"640x480": (640, 480), "1280x720": (1280, 720)}
CONDITIONS = ("clean", "rotated", "warped", "blurred", "noisy", "low_contrast", "jpeg")
SYMBOLOGIES = ("qr", "code128")
_START_C = 105
_SCREEN_TINT = np.array([1.0, 0.98, 0.94], dtype=np.float32)  # a phone screen is slightly blue


@dataclass(frozen=True, slots=True)
class Frame:
    image: np.ndarray  # BGR uint8
    truth: str | None  # the text the code carries; None on lead-in frames (no code in view)


@dataclass(frozen=True, slots=True)
class ClipSpec:
    symbology: str
    condition: str
    size: str
    frames: int  # frames with the code visible
    lead_in: int = 0
    seed: int = 0


def qr_modules(text: str) -> np.ndarray:
    """Dark modules as True, with the standard four-module quiet zone."""
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=1, border=4)
    qr.add_data(text)
    qr.make(fit=True)
    matrix: np.ndarray = np.array(qr.get_matrix(), dtype=bool)
    return matrix


def code128_modules(digits: str) -> np.ndarray:
    """One row of Code128 bars (True = bar) with a ten-module quiet zone each side.

    Encoded here in code set C (digit pairs) with python-barcode's public pattern table only: its own
    encoder drops a leading "99" (it takes it for a code-set switch), so "998311" would come out "8311".
    """
    if len(digits) % 2 or not digits.isascii() or not digits.isdigit():
        raise ValueError(f"code set C needs an even number of digits, got {digits!r}")
    values = [_START_C] + [int(digits[i : i + 2]) for i in range(0, len(digits), 2)]
    check = (values[0] + sum(i * v for i, v in enumerate(values[1:], start=1))) % 103
    pattern = "".join(code128_charset.CODES[v] for v in [*values, check]) + code128_charset.STOP + "11"
    return np.array([False] * 10 + [c == "1" for c in pattern] + [False] * 10, dtype=bool)


def truth_for(symbology: str, rng: np.random.Generator) -> str:
    code = f"{int(rng.integers(0, 1_000_000)):06d}"
    if symbology == "code128":
        return code
    kind = list(WriteOffKind)[int(rng.integers(0, len(WriteOffKind)))]
    return build_qr_payload(WriteOffPayload(code, kind))


def _screen(symbology: str, truth: str, rng: np.random.Generator) -> np.ndarray:
    """The phone screen as grayscale: the code, dark on a white app page, as the mini program shows it."""
    if symbology == "qr":
        modules = qr_modules(truth)
        code = np.kron(~modules, np.ones((10, 10), dtype=bool))
    else:
        row = code128_modules(truth)
        code = np.repeat(np.repeat(~row[None, :], 110, axis=0), 4, axis=1)
    pixels = np.where(code, 238, 22).astype(np.uint8)
    pad_y, pad_x = (int(code.shape[0] * 0.35), int(code.shape[1] * 0.06))
    page = cv2.copyMakeBorder(pixels, pad_y, pad_y, pad_x, pad_x, cv2.BORDER_CONSTANT, value=238)
    cv2.rectangle(page, (0, 0), (page.shape[1], pad_y // 3), 200, -1)  # the app's title bar
    return page


def _phone(screen: np.ndarray) -> np.ndarray:
    bezel = max(6, screen.shape[1] // 25)
    return cv2.copyMakeBorder(screen, bezel * 2, bezel * 2, bezel, bezel, cv2.BORDER_CONSTANT, value=15)


def _background(width: int, height: int, rng: np.random.Generator) -> np.ndarray:
    """A counter and wall: smooth shading with a few objects, in colour."""
    coarse = rng.uniform(60, 190, size=(6, 8, 3)).astype(np.float32)
    image = cv2.resize(coarse, (width, height), interpolation=cv2.INTER_CUBIC)
    for _ in range(4):
        x, y = int(rng.integers(0, width)), int(rng.integers(0, height))
        w, h = int(rng.integers(width // 10, width // 3)), int(rng.integers(height // 10, height // 3))
        color = tuple(float(c) for c in rng.uniform(20, 230, size=3))
        cv2.rectangle(image, (x, y), (x + w, y + h), color, -1)
    return np.clip(image, 0, 255).astype(np.uint8)


@dataclass(frozen=True, slots=True)
class _Pose:
    cx: float
    cy: float
    scale: float  # phone width in frame pixels
    angle: float  # degrees, in-plane rotation
    tilt: float  # 0 = facing the camera; 0.3 = far edge 30 % shorter


def _pose_for(spec: ClipSpec, phone: np.ndarray, width: int, height: int, rng: np.random.Generator) -> _Pose:
    aspect = phone.shape[0] / phone.shape[1]
    target = 0.34 if spec.symbology == "qr" else 0.52  # share of the frame width the phone covers
    scale = min(width * target * rng.uniform(0.9, 1.05), height * 0.8 / aspect)
    angle = rng.uniform(-4, 4)
    if spec.condition == "rotated":
        angle = rng.choice([-1, 1]) * rng.uniform(15, 35)
    tilt = rng.uniform(0.25, 0.35) if spec.condition == "warped" else rng.uniform(0.0, 0.05)
    return _Pose(width / 2 + rng.uniform(-0.05, 0.05) * width, height / 2, scale, angle, tilt)


def _quad(pose: _Pose, aspect: float) -> np.ndarray:
    half_w, half_h = pose.scale / 2, pose.scale * aspect / 2
    near, far = 1.0 + pose.tilt / 2, 1.0 - pose.tilt / 2  # tilt about the vertical axis
    corners = np.array(
        [[-half_w, -half_h * far], [half_w, -half_h * near], [half_w, half_h * near], [-half_w, half_h * far]]
    )
    theta = np.deg2rad(pose.angle)
    rotation = np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
    quad: np.ndarray = (corners @ rotation.T + [pose.cx, pose.cy]).astype(np.float32)
    return quad


def _composite(background: np.ndarray, phone: np.ndarray, quad: np.ndarray) -> np.ndarray:
    """The phone warped onto the background; blending only inside the phone's bounding box (speed)."""
    frame_h, frame_w = background.shape[:2]
    x, y, w, h = cv2.boundingRect(quad)
    x0, y0, x1, y1 = max(x, 0), max(y, 0), min(x + w, frame_w), min(y + h, frame_h)
    out = background.copy()
    if x1 <= x0 or y1 <= y0:
        return out
    ph, pw = phone.shape[:2]
    source = np.array([[0, 0], [pw, 0], [pw, ph], [0, ph]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(source, (quad - [x0, y0]).astype(np.float32))
    size = (x1 - x0, y1 - y0)
    warped = cv2.warpPerspective(phone, matrix, size, flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.full((ph, pw), 255, np.uint8), matrix, size, flags=cv2.INTER_AREA)
    alpha = (mask.astype(np.float32) / 255.0)[..., None]
    tinted = cv2.cvtColor(warped, cv2.COLOR_GRAY2BGR).astype(np.float32) * _SCREEN_TINT
    region = out[y0:y1, x0:x1].astype(np.float32)
    out[y0:y1, x0:x1] = cv2.convertScaleAbs(region * (1 - alpha) + tinted * alpha)
    return out


class _NoiseBank:
    """Unit sensor noise: two larger-than-frame fields drawn once per clip, a random window per frame.

    Drawing fresh normals for every 1280x720x3 frame takes longer than everything else here together.
    """

    MARGIN = 48

    def __init__(self, rng: np.random.Generator, height: int, width: int) -> None:
        size = (height + self.MARGIN, width + self.MARGIN)
        self._fields = [rng.standard_normal(size=size, dtype=np.float32) for _ in range(2)]
        self._shape = (height, width)

    def sample(self, rng: np.random.Generator) -> np.ndarray:
        field = self._fields[int(rng.integers(0, len(self._fields)))]
        dy, dx = (int(v) for v in rng.integers(0, self.MARGIN, size=2))
        return field[dy : dy + self._shape[0], dx : dx + self._shape[1], None]


def _degrade(
    image: np.ndarray, condition: str, scale: float, rng: np.random.Generator, noise_bank: _NoiseBank
) -> np.ndarray:
    """Camera effects; ``scale`` is frame width / 640 so blur and noise look the same at each size."""
    out: np.ndarray = image.astype(np.float32)
    if condition == "low_contrast":  # dimmed screen in daylight, with glare across it
        glare = np.linspace(0, 70, out.shape[1], dtype=np.float32)[None, :, None]
        out = np.float32(100) + out * np.float32(0.22) + glare
    sigma = (rng.uniform(1.6, 2.6) if condition == "blurred" else 0.7) * scale
    out = cv2.GaussianBlur(out, (0, 0), sigma)
    noise = 24.0 if condition == "noisy" else 3.0
    out = out + noise_bank.sample(rng) * np.float32(noise)
    frame = cv2.convertScaleAbs(out)  # saturating cast to uint8
    if condition == "jpeg":
        quality = int(rng.integers(7, 13))
        ok, encoded = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, quality])
        decoded = cv2.imdecode(encoded, cv2.IMREAD_COLOR) if ok else None
        frame = frame if decoded is None else decoded
    return frame


def clip(spec: ClipSpec) -> Iterator[Frame]:
    """The frames of one clip, lead-in first. Same spec, same pixels."""
    width, height = SIZES[spec.size]
    key = (spec.seed, SYMBOLOGIES.index(spec.symbology), CONDITIONS.index(spec.condition), width)
    rng = np.random.default_rng(key)
    truth = truth_for(spec.symbology, rng)
    phone = _phone(_screen(spec.symbology, truth, rng))
    background = _background(width, height, rng)
    pose = _pose_for(spec, phone, width, height, rng)
    aspect = phone.shape[0] / phone.shape[1]
    noise = _NoiseBank(rng, height, width)
    for _ in range(spec.lead_in):
        yield Frame(_degrade(background, spec.condition, width / 640, rng, noise), None)
    for _ in range(spec.frames):
        shaken = _Pose(
            pose.cx + rng.normal(0, 0.006) * width,
            pose.cy + rng.normal(0, 0.006) * height,
            pose.scale * rng.uniform(0.98, 1.02),
            pose.angle + rng.normal(0, 1.0),
            pose.tilt,
        )
        image = _composite(background, phone, _quad(shaken, aspect))
        yield Frame(_degrade(image, spec.condition, width / 640, rng, noise), truth)


def write_video(path: Path, frames: list[Frame], fps: float = 15.0) -> None:
    """Write frames to an MJPG .avi (what the scanner tests read back through VideoCapture)."""
    height, width = frames[0].image.shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), fps, (width, height))
    if not writer.isOpened():
        raise OSError(f"cannot write MJPG video to {path}")
    try:
        for frame in frames:
            writer.write(frame.image)
    finally:
        writer.release()
