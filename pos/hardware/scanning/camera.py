"""The webcam scanner: a worker thread that reads frames, decodes the scan box and reports accepted codes.

Everything the UI needs arrives through callbacks, all called **on the worker thread** (the UI bridges
them to Qt signals; a callback that raises is logged and ignored):

* ``on_code(symbol)``: a code passed the consensus validator (``symbol.text`` goes to ``parse_scan``);
* ``on_state(state, detail)``: starting, scanning, no_camera, camera_busy, camera_lost, stopped;
* ``on_preview(PreviewFrame)``: at most ``preview_fps`` times a second, the frame, the scan box and the
  symbols from the latest decode, for the live view;
* ``on_decode(frame_no, symbols)``: after every decoded frame (tests, diagnostics).

Throttling: decoding runs on this thread and may use at most ``decode_budget`` of one CPU core: after a
decode that took *d* seconds the next one waits ``d * (1/budget - 1)`` (and at least
``1/max_decodes_per_s`` between starts). Frames that arrive meanwhile are grabbed and dropped, which keeps
the camera's buffer from filling with stale frames. A file source with ``realtime=False`` is decoded
frame by frame as fast as possible (tests and the bench), and then consensus runs on media time so the
result does not depend on the machine's speed.

The worker never raises: failures become states and it retries with exponential backoff and jitter, so
a camera unplugged and plugged back in resumes by itself.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum, auto
from typing import TYPE_CHECKING, Any

from pos.hardware.scanning.consensus import ConsensusValidator
from pos.hardware.scanning.meter import DecodeRateMeter, DecodeStats

if TYPE_CHECKING:
    import numpy as np

    from pos.hardware.scanning.capture import OpenedSource
    from pos.hardware.scanning.decoders import DecodedSymbol, Decoder

# OpenCV, NumPy and the decoders load when a scanner is built, not when the till starts: most shifts
# never open the camera, and together they cost more start-up time than the whole Qt UI.


def _cv2() -> Any:
    import cv2

    return cv2


logger = logging.getLogger(__name__)

Box = tuple[int, int, int, int]


class ScannerState(StrEnum):
    STARTING = "starting"
    SCANNING = "scanning"
    NO_CAMERA = "no_camera"
    CAMERA_BUSY = "camera_busy"
    CAMERA_LOST = "camera_lost"
    STOPPED = "stopped"


class _Outcome(StrEnum):
    STOP = auto()
    END_OF_FILE = auto()
    LOST = auto()
    BUSY = auto()


@dataclass(frozen=True, slots=True)
class CameraSettings:
    source: int | str = 0  # camera index, or a video file / image-sequence pattern ("f/%04d.png")
    width: int = 1280
    height: int = 720
    scan_box: tuple[float, float, float, float] = (0.15, 0.1, 0.85, 0.9)  # x0, y0, x1, y1 as fractions
    required_reads: int = 2
    window_s: float = 1.5
    cooldown_s: float = 3.0
    decode_budget: float = 0.6  # share of one CPU core the decoder may take
    max_decodes_per_s: float = 15.0
    preview_fps: float = 15.0
    realtime: bool = True  # files: play at their frame rate; False = every frame, as fast as possible
    loop_file: bool = False
    lost_after_failures: int = 15  # consecutive failed reads before a camera counts as lost
    retry_first_s: float = 0.5
    retry_max_s: float = 10.0


@dataclass(frozen=True, slots=True)
class PreviewFrame:
    frame: np.ndarray  # BGR, full frame; the receiver owns it (the worker never touches it again)
    scan_box: Box  # x0, y0, x1, y1 in frame pixels
    symbols: tuple[DecodedSymbol, ...]  # corners in frame pixels
    stats: DecodeStats


def scan_box_pixels(shape: tuple[int, ...], fractions: tuple[float, float, float, float]) -> Box:
    """The scan box in pixels, clamped to the frame and at least 16 px each way."""
    height, width = shape[:2]
    x0, y0, x1, y1 = (min(max(f, 0.0), 1.0) for f in fractions)
    left, top = int(x0 * width), int(y0 * height)
    right, bottom = max(int(x1 * width), left + 16), max(int(y1 * height), top + 16)
    return left, top, min(right, width), min(bottom, height)


class CameraScanner:
    def __init__(
        self,
        settings: CameraSettings,
        on_code: Callable[[DecodedSymbol], None],
        on_state: Callable[[ScannerState, str], None] | None = None,
        on_preview: Callable[[PreviewFrame], None] | None = None,
        on_decode: Callable[[int, list[DecodedSymbol]], None] | None = None,
        decoder: Decoder | None = None,
    ) -> None:
        self.settings = settings
        self._callbacks: dict[str, Callable[..., None] | None] = {
            "code": on_code,
            "state": on_state,
            "preview": on_preview,
            "decode": on_decode,
        }
        if decoder is None:
            from pos.hardware.scanning.decoders import default_decoder

            decoder = default_decoder()
        self._decoder = decoder
        self._consensus = ConsensusValidator(settings.required_reads, settings.window_s, settings.cooldown_s)
        self.meter = DecodeRateMeter()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._state_lock = threading.Lock()
        self._state = ScannerState.STOPPED

    @property
    def state(self) -> ScannerState:
        with self._state_lock:
            return self._state

    def stats(self) -> DecodeStats:
        return self.meter.snapshot(time.monotonic())

    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="camera-scanner", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 1.0) -> bool:
        """Ask the worker to finish; wait at most ``timeout_s``. True when it has finished.

        A camera read that hangs in the driver (some unplugged webcams block for seconds) cannot be
        interrupted; the daemon thread then finishes on its own and the GUI is not held up.
        """
        self._stop.set()
        if self._thread is None:
            return True
        self._thread.join(timeout_s)
        return not self._thread.is_alive()

    def wait_finished(self, timeout_s: float) -> bool:
        """For file sources: wait until the file has been read to its end."""
        if self._thread is not None:
            self._thread.join(timeout_s)
        return self._thread is None or not self._thread.is_alive()

    # -- the worker thread --------------------------------------------------------------------------

    def _run(self) -> None:
        delay = self.settings.retry_first_s
        try:
            while not self._stop.is_set():
                outcome, scanned = self._attempt()
                if outcome in (_Outcome.STOP, _Outcome.END_OF_FILE):
                    break
                if scanned:
                    delay = self.settings.retry_first_s
                if outcome is _Outcome.LOST:
                    self._set_state(ScannerState.CAMERA_LOST)
                self._stop.wait(delay * random.uniform(0.8, 1.2))  # jitter: two tills do not retry in step
                delay = min(delay * 2, self.settings.retry_max_s)
        finally:
            self._set_state(ScannerState.STOPPED)

    def _attempt(self) -> tuple[_Outcome, bool]:
        """Open the source and scan until it fails or we are stopped. Returns (outcome, got any frame)."""
        from pos.hardware.scanning.capture import OpenFailure, open_source

        if self.state is ScannerState.STOPPED:  # retries keep showing why the last attempt failed
            self._set_state(ScannerState.STARTING)
        try:
            opened = open_source(self.settings.source, self.settings.width, self.settings.height)
        except Exception:
            logger.exception("opening the frame source failed")
            opened = OpenFailure.NO_CAMERA
        if isinstance(opened, OpenFailure):
            self._set_state(ScannerState(opened.value))
            return _Outcome.BUSY, False
        session = _ScanSession(self, opened)
        try:
            outcome = session.run()
        except Exception:
            logger.exception("camera scanning failed; reopening")
            outcome = _Outcome.LOST
        finally:
            opened.capture.release()
        if outcome is _Outcome.BUSY:
            self._set_state(ScannerState.CAMERA_BUSY)
        return outcome, session.frames_read > 0

    def _set_state(self, state: ScannerState, detail: str = "") -> None:
        with self._state_lock:
            if state is self._state:
                return
            self._state = state
        logger.info("camera scanner: %s", state.value)
        self._call("state", state, detail or str(self.settings.source))

    def _call(self, name: str, *args: Any) -> None:
        callback = self._callbacks[name]
        if callback is None:
            return
        try:
            callback(*args)
        except Exception:  # the UI's bug must not stop the scanner
            logger.exception("camera scanner %s callback failed", name)


class _ScanSession:
    """One opened source, read until stopped, lost, or at its end."""

    def __init__(self, scanner: CameraScanner, opened: OpenedSource) -> None:
        self.scanner = scanner
        self.settings = scanner.settings
        self.opened = opened
        self.frames_read = 0
        self._failures = 0
        self._next_decode = 0.0
        self._next_preview = 0.0
        self._last_symbols: tuple[DecodedSymbol, ...] = ()
        self._started = time.monotonic()
        self._paced = opened.is_file and self.settings.realtime

    def run(self) -> _Outcome:
        capture = self.opened.capture
        while not self.scanner._stop.is_set():
            if self._paced and self.scanner._stop.wait(self._until_next_frame()):
                break
            now = time.monotonic()
            wanted = now >= self._next_decode or self._preview_due(now) or not self._paced_device()
            ok, frame = capture.read() if wanted else (capture.grab(), None)
            if not ok:
                outcome = self._on_failed_read()
                if outcome is not None:
                    return outcome
                continue
            self._on_frame(frame, now)
        return _Outcome.STOP

    def _paced_device(self) -> bool:
        """Cameras and real-time files may drop frames; an every-frame file may not."""
        return not self.opened.is_file or self.settings.realtime

    def _preview_due(self, now: float) -> bool:
        return self.scanner._callbacks["preview"] is not None and now >= self._next_preview

    def _until_next_frame(self) -> float:
        due = self._started + self.frames_read / self.opened.fps
        return max(0.0, due - time.monotonic())

    def _on_failed_read(self) -> _Outcome | None:
        if self.opened.is_file:
            if self.settings.loop_file and self.frames_read > 0:
                self.opened.capture.set(_cv2().CAP_PROP_POS_FRAMES, 0)
                return None
            return _Outcome.END_OF_FILE
        self._failures += 1
        if self._failures >= self.settings.lost_after_failures:
            return _Outcome.LOST if self.frames_read else _Outcome.BUSY
        time.sleep(0.02)
        return None

    def _on_frame(self, frame: np.ndarray | None, now: float) -> None:
        self._failures = 0
        self.frames_read += 1
        if self.frames_read == 1:
            self.scanner._set_state(ScannerState.SCANNING)
        self.scanner.meter.frame_read(now)
        if frame is None:  # grabbed only: skipped while the decoder rests
            return
        if now >= self._next_decode or not self._paced_device():
            self._decode(frame, now)
        if self._preview_due(now):
            self._next_preview = now + 1.0 / self.settings.preview_fps
            box = scan_box_pixels(frame.shape, self.settings.scan_box)
            stats = self.scanner.meter.snapshot(now)
            self.scanner._call("preview", PreviewFrame(frame, box, self._last_symbols, stats))

    def _decode(self, frame: np.ndarray, now: float) -> None:
        x0, y0, x1, y1 = scan_box_pixels(frame.shape, self.settings.scan_box)
        cv2 = _cv2()
        gray = cv2.cvtColor(frame[y0:y1, x0:x1], cv2.COLOR_BGR2GRAY)
        began = time.perf_counter()
        symbols = [symbol.shifted(x0, y0) for symbol in self.scanner._decoder.decode(gray)]
        took = time.perf_counter() - began
        self.scanner.meter.frame_decoded(now, took)
        rest = took * (1.0 / self.settings.decode_budget - 1.0)
        self._next_decode = time.monotonic() + max(rest, 1.0 / self.settings.max_decodes_per_s - took)
        self._last_symbols = tuple(symbols)
        self.scanner._call("decode", self.frames_read, symbols)
        frame_time = self.frames_read / self.opened.fps if self.opened.is_file else now
        accepted = set(self.scanner._consensus.offer([s.text for s in symbols], frame_time))
        for symbol in symbols:
            if symbol.text in accepted:
                accepted.discard(symbol.text)
                self.scanner.meter.code_accepted()
                self.scanner._call("code", symbol)
