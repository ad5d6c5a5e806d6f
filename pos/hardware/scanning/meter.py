"""The decode-rate meter support staff read in the camera dialog: frames read, frames decoded, decode time.

Rates are counted over a sliding window (two seconds by default) so the figure reacts within a couple of
seconds when a camera drops to 5 fps in a dark room. Thread-safe: the worker records, the UI reads.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DecodeStats:
    frames_per_s: float  # frames read from the camera
    decodes_per_s: float  # frames handed to the decoder (the rest were skipped to spare the CPU)
    last_decode_ms: float
    frames_read: int  # totals since start
    frames_decoded: int
    codes_accepted: int


class DecodeRateMeter:
    def __init__(self, window_s: float = 2.0) -> None:
        self._window_s = window_s
        self._lock = threading.Lock()
        self._reads: deque[float] = deque()
        self._decodes: deque[float] = deque()
        self._last_decode_ms = 0.0
        self._frames_read = 0
        self._frames_decoded = 0
        self._codes_accepted = 0

    def frame_read(self, t: float) -> None:
        with self._lock:
            self._frames_read += 1
            self._reads.append(t)
            self._trim(t)

    def frame_decoded(self, t: float, duration_s: float) -> None:
        with self._lock:
            self._frames_decoded += 1
            self._decodes.append(t)
            self._last_decode_ms = duration_s * 1000.0
            self._trim(t)

    def code_accepted(self) -> None:
        with self._lock:
            self._codes_accepted += 1

    def snapshot(self, now: float) -> DecodeStats:
        with self._lock:
            self._trim(now)
            return DecodeStats(
                frames_per_s=len(self._reads) / self._window_s,
                decodes_per_s=len(self._decodes) / self._window_s,
                last_decode_ms=self._last_decode_ms,
                frames_read=self._frames_read,
                frames_decoded=self._frames_decoded,
                codes_accepted=self._codes_accepted,
            )

    def _trim(self, now: float) -> None:
        for times in (self._reads, self._decodes):
            while times and now - times[0] > self._window_s:
                times.popleft()
