"""Generated webcam frames written to an MJPG video and read back through the real CameraScanner worker.

Each condition is a clip: two frames of background, then a phone with a fresh code. The worker decodes
every frame (``realtime=False``) so the read rates are those of the decoders and do not depend on the
machine's speed. Floors sit a little below what was measured (see the report of issue 6 and
``python -m bench.decode_bench``); any accepted code that differs from the truth fails the test.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from bench.frames import CONDITIONS, SYMBOLOGIES, ClipSpec, Frame, clip, write_video
from pos.hardware.scanning.camera import CameraScanner, CameraSettings, ScannerState
from pos.hardware.scanning.decoders import DecodedSymbol

FRAMES_PER_CLIP = 8
LEAD_IN = 2

# Share of code frames the chain must read, per (symbology, condition); measured 100 % unless noted.
FLOORS: dict[tuple[str, str], float] = {
    **{(symbology, condition): 0.85 for symbology in SYMBOLOGIES for condition in CONDITIONS},
    # Blurred Code128 is at the edge of what any decoder reads (2-3 px modules): measured 50 % (640x480)
    # and 75 % (1280x720). Noisy Code128 now reads 100 % at both sizes (the bar gate straightens and
    # averages along the bars), so it keeps the default floor.
    ("code128", "blurred"): 0.35,
}


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.accepted: list[str] = []
        self.states: list[ScannerState] = []
        self.decoded: dict[int, list[str]] = {}

    def on_code(self, symbol: DecodedSymbol) -> None:
        with self.lock:
            self.accepted.append(symbol.text)

    def on_state(self, state: ScannerState, _detail: str) -> None:
        with self.lock:
            self.states.append(state)

    def on_decode(self, frame_no: int, symbols: list[DecodedSymbol]) -> None:
        with self.lock:
            self.decoded[frame_no] = [symbol.text for symbol in symbols]


def _clips(size: str) -> list[tuple[ClipSpec, list[Frame]]]:
    specs = [
        ClipSpec(symbology, condition, size, FRAMES_PER_CLIP, lead_in=LEAD_IN, seed=3)
        for symbology in SYMBOLOGIES
        for condition in CONDITIONS
    ]
    return [(spec, list(clip(spec))) for spec in specs]


@pytest.mark.slow
@pytest.mark.parametrize("size", ["640x480", "1280x720"])
def test_worker_reads_every_condition_above_its_floor_and_never_misreads(tmp_path: Path, size: str) -> None:
    clips = _clips(size)
    video = tmp_path / f"codes-{size}.avi"
    write_video(video, [frame for _, frames in clips for frame in frames])
    recorder = Recorder()
    settings = CameraSettings(source=str(video), realtime=False)
    scanner = CameraScanner(
        settings, recorder.on_code, on_state=recorder.on_state, on_decode=recorder.on_decode
    )

    scanner.start()
    assert scanner.wait_finished(60.0), "the worker did not reach the end of the video"

    truths = {frames[-1].truth for _, frames in clips}
    assert set(recorder.accepted) <= truths, f"misread accepted: {set(recorder.accepted) - truths}"
    assert len(recorder.accepted) == len(set(recorder.accepted)), "a code was accepted twice"
    frame_no = 0
    shortfalls = []
    for spec, frames in clips:
        reads = 0
        for frame in frames:
            frame_no += 1
            texts = recorder.decoded.get(frame_no, [])
            assert all(text == frame.truth for text in texts if frame.truth is None or len(text) >= 6)
            reads += frame.truth is not None and frame.truth in texts
        rate = reads / FRAMES_PER_CLIP
        if rate < FLOORS[(spec.symbology, spec.condition)]:
            shortfalls.append(f"{spec.symbology}/{spec.condition}: {rate:.0%}")
        if rate >= 0.5:
            assert frames[-1].truth in recorder.accepted, f"{spec.symbology}/{spec.condition} not accepted"
    assert not shortfalls, f"below the floor at {size}: {shortfalls}"
    assert recorder.states[0] is ScannerState.STARTING
    assert ScannerState.SCANNING in recorder.states and recorder.states[-1] is ScannerState.STOPPED
    assert scanner.stats().frames_decoded == frame_no


def test_image_sequence_goes_through_the_same_capture_path(tmp_path: Path) -> None:
    import cv2

    spec = ClipSpec("qr", "clean", "640x480", frames=4, lead_in=1, seed=5)
    frames = list(clip(spec))
    for i, frame in enumerate(frames):
        cv2.imwrite(str(tmp_path / f"f{i:03d}.png"), frame.image)
    recorder = Recorder()
    scanner = CameraScanner(
        CameraSettings(source=str(tmp_path / "f%03d.png"), realtime=False),
        recorder.on_code,
        recorder.on_state,
    )
    scanner.start()
    assert scanner.wait_finished(20.0)
    assert recorder.accepted == [frames[-1].truth]
