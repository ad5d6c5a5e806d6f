"""Opening a frame source with OpenCV: a camera by index, or a video file / image sequence for tests.

Both go through ``cv2.VideoCapture``, so tests and the demo exercise the same read path as a till.
Camera backends are tried in the order that works best per platform: DirectShow first on Windows (MSMF
is slow to open and often refuses MJPG), V4L2 on Linux, then whatever OpenCV picks.
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass
from enum import StrEnum

import cv2

logger = logging.getLogger(__name__)

DEFAULT_FILE_FPS = 25.0


class OpenFailure(StrEnum):
    NO_CAMERA = "no_camera"
    CAMERA_BUSY = "camera_busy"


@dataclass(slots=True)
class OpenedSource:
    capture: cv2.VideoCapture
    is_file: bool
    fps: float  # the file's frame rate (files only; cameras deliver at their own pace)


def device_index(source: int | str) -> int | None:
    """The camera index ``source`` names (``0``, ``"1"``), or None for a file path or pattern."""
    if isinstance(source, int):
        return source
    text = source.strip()
    return int(text) if text.isascii() and text.isdigit() else None


def camera_backends() -> list[int]:
    if sys.platform.startswith("win"):
        return [cv2.CAP_DSHOW, cv2.CAP_MSMF, cv2.CAP_ANY]
    if sys.platform.startswith("linux"):
        return [cv2.CAP_V4L2, cv2.CAP_ANY]
    return [cv2.CAP_ANY]  # macOS: AVFoundation is OpenCV's default there


def open_source(source: int | str, width: int, height: int) -> OpenedSource | OpenFailure:
    index = device_index(source)
    if index is None:
        return _open_file(str(source))
    return _open_camera(index, width, height)


def _open_file(path: str) -> OpenedSource | OpenFailure:
    capture = cv2.VideoCapture(path)
    if not capture.isOpened():
        capture.release()
        logger.info("frame source %s could not be opened", path)
        return OpenFailure.NO_CAMERA
    fps = capture.get(cv2.CAP_PROP_FPS)
    return OpenedSource(capture, is_file=True, fps=fps if 1.0 <= fps <= 240.0 else DEFAULT_FILE_FPS)


def _open_camera(index: int, width: int, height: int) -> OpenedSource | OpenFailure:
    if index < 0:
        return OpenFailure.NO_CAMERA
    for backend in camera_backends():
        capture = cv2.VideoCapture(index, backend)
        if capture.isOpened():
            _configure(capture, width, height)
            return OpenedSource(capture, is_file=False, fps=0.0)
        capture.release()
    # The V4L2 node exists but streaming was refused: another program holds the camera.
    if sys.platform.startswith("linux") and os.path.exists(f"/dev/video{index}"):
        return OpenFailure.CAMERA_BUSY
    return OpenFailure.NO_CAMERA


def _configure(capture: cv2.VideoCapture, width: int, height: int) -> None:
    # MJPG first: raw YUYV at 1280x720 is limited to ~10 fps on USB 2 webcams.
    capture.set(cv2.CAP_PROP_FOURCC, cv2.VideoWriter.fourcc(*"MJPG"))
    capture.set(cv2.CAP_PROP_FRAME_WIDTH, width)
    capture.set(cv2.CAP_PROP_FRAME_HEIGHT, height)
    capture.set(cv2.CAP_PROP_BUFFERSIZE, 1)  # fewer stale frames after a slow decode (not all backends)
    got = (int(capture.get(cv2.CAP_PROP_FRAME_WIDTH)), int(capture.get(cv2.CAP_PROP_FRAME_HEIGHT)))
    if got != (width, height):
        logger.info("camera gives %sx%s instead of the requested %sx%s", *got, width, height)
