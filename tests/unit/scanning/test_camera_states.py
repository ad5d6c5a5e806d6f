"""The camera worker's states, recovery, throttling and prompt stop, with fake sources where needed."""

from __future__ import annotations

import threading
import time
from typing import Any

import numpy as np
import pytest

from pos.hardware.scanning import capture as capture_module
from pos.hardware.scanning.camera import CameraScanner, CameraSettings, PreviewFrame, ScannerState
from pos.hardware.scanning.capture import OpenedSource, OpenFailure
from pos.hardware.scanning.decoders import DecodedSymbol


class StateLog:
    def __init__(self) -> None:
        self.states: list[ScannerState] = []
        self.changed = threading.Condition()

    def __call__(self, state: ScannerState, _detail: str) -> None:
        with self.changed:
            self.states.append(state)
            self.changed.notify_all()

    def wait_for(self, *wanted: ScannerState, timeout_s: float = 5.0) -> bool:
        """Wait until ``wanted`` has appeared as a subsequence of the states so far."""

        def seen() -> bool:
            remaining = iter(self.states)
            return all(any(state is want for state in remaining) for want in wanted)

        with self.changed:
            return self.changed.wait_for(seen, timeout_s)


class FakeCapture:
    """Delivers ``frames`` frames, then fails ``failures`` reads, then delivers again."""

    def __init__(self, frames: int, failures: int = 0) -> None:
        self.frames, self.failures = frames, failures
        self.released = False

    def read(self) -> tuple[bool, np.ndarray | None]:
        time.sleep(0.002)
        if self.frames > 0:
            self.frames -= 1
            return True, np.full((48, 64, 3), 200, np.uint8)
        if self.failures > 0:
            self.failures -= 1
            return False, None
        return True, np.full((48, 64, 3), 200, np.uint8)

    def grab(self) -> bool:
        return self.read()[0]

    def release(self) -> None:
        self.released = True

    def set(self, *_args: Any) -> bool:
        return True


class NoDecoder:
    name = "none"

    def decode(self, gray: np.ndarray) -> list[DecodedSymbol]:
        return []


def _fast_retry(**overrides: Any) -> CameraSettings:
    return CameraSettings(retry_first_s=0.02, retry_max_s=0.05, lost_after_failures=3, **overrides)


@pytest.mark.parametrize("source", ["/nonexistent/clip.avi", 99, "-1"])
def test_missing_source_is_no_camera_not_an_exception(source: int | str) -> None:
    log = StateLog()
    scanner = CameraScanner(_fast_retry(source=source), lambda _s: None, on_state=log, decoder=NoDecoder())
    scanner.start()
    assert log.wait_for(ScannerState.STARTING, ScannerState.NO_CAMERA)
    assert scanner.stop(timeout_s=2.0)
    assert log.states[-1] is ScannerState.STOPPED


def test_stop_returns_promptly_during_a_long_backoff() -> None:
    log = StateLog()
    settings = CameraSettings(source="/nonexistent.avi", retry_first_s=30.0)
    scanner = CameraScanner(settings, lambda _s: None, on_state=log, decoder=NoDecoder())
    scanner.start()
    assert log.wait_for(ScannerState.NO_CAMERA)
    began = time.monotonic()
    assert scanner.stop(timeout_s=2.0)
    assert time.monotonic() - began < 0.5


def test_lost_camera_is_reported_and_recovered(monkeypatch: pytest.MonkeyPatch) -> None:
    captures = [FakeCapture(frames=5, failures=10), FakeCapture(frames=10**6)]
    opens = iter([OpenFailure.CAMERA_BUSY, *(OpenedSource(c, False, 0.0) for c in captures)])
    monkeypatch.setattr(capture_module, "open_source", lambda *_args: next(opens))
    log = StateLog()
    scanner = CameraScanner(_fast_retry(source=0), lambda _s: None, on_state=log, decoder=NoDecoder())
    scanner.start()
    expected = [ScannerState.CAMERA_BUSY, ScannerState.SCANNING, ScannerState.CAMERA_LOST]
    assert log.wait_for(ScannerState.STARTING, *expected, ScannerState.SCANNING)
    assert scanner.stop(timeout_s=2.0)
    assert captures[0].released and captures[1].released


def test_camera_that_opens_but_never_delivers_is_busy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        capture_module, "open_source", lambda *_args: OpenedSource(FakeCapture(0, 10**6), False, 0.0)
    )
    log = StateLog()
    scanner = CameraScanner(_fast_retry(source=0), lambda _s: None, on_state=log, decoder=NoDecoder())
    scanner.start()
    assert log.wait_for(ScannerState.CAMERA_BUSY)
    assert ScannerState.SCANNING not in log.states
    assert scanner.stop(timeout_s=2.0)


def test_slow_decoder_is_throttled_and_frames_are_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        capture_module, "open_source", lambda *_args: OpenedSource(FakeCapture(10**6), False, 0)
    )

    class SlowDecoder(NoDecoder):
        def decode(self, gray: np.ndarray) -> list[DecodedSymbol]:
            time.sleep(0.03)
            return []

    settings = _fast_retry(source=0, decode_budget=0.5, max_decodes_per_s=100.0)
    scanner = CameraScanner(settings, lambda _s: None, decoder=SlowDecoder())
    scanner.start()
    time.sleep(0.6)
    assert scanner.stop(timeout_s=2.0)
    stats = scanner.stats()
    # Half a core for 30 ms decodes: at most ~1 decode per 60 ms, while frames keep being read.
    assert 3 <= stats.frames_decoded <= 0.6 / 0.06 + 2
    assert stats.frames_read > 2 * stats.frames_decoded


def test_a_raising_callback_does_not_stop_the_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        capture_module, "open_source", lambda *_args: OpenedSource(FakeCapture(10**6), False, 0)
    )

    def broken_preview(_frame: PreviewFrame) -> None:
        raise RuntimeError("UI bug")

    log = StateLog()
    scanner = CameraScanner(
        _fast_retry(source=0, preview_fps=200.0), lambda _s: None, log, broken_preview, decoder=NoDecoder()
    )
    scanner.start()
    assert log.wait_for(ScannerState.SCANNING)
    time.sleep(0.1)
    assert scanner.state is ScannerState.SCANNING
    assert scanner.stop(timeout_s=2.0)
