"""Tell a USB keyboard-wedge scanner from a person by keystroke timing.

A wedge scanner "types" the code it read, a key every few milliseconds, and ends with Enter. People type
a key every 100-300 ms. The classifier holds back keys that might be the start of a scan and decides once
the burst ends:

* a burst of at least ``min_length`` characters, every gap under ``max_gap_s``, ended by Enter within
  ``max_gap_s`` of the last character: a **scan**; the held characters and the Enter are swallowed and
  the text goes to the write-off flow (``parse_scan``), never into the focused field;
* anything else: the held characters are handed back for **replay**, in order, and the typing reaches the
  focused field as if nothing had happened (a person does not notice a 40 ms delay).

How the Qt event filter (pos/ui) uses it, for every KeyPress with non-empty ``text()``::

    decision = classifier.feed_key(event.text(), event.timestamp() / 1000)
    replay(decision.replay)            # re-post these characters to the focus widget first
    if decision.action is WedgeAction.SCAN:   route(decision.scanned); swallow the event
    elif decision.action is WedgeAction.CONSUME: swallow the event
    else (PASS): let the event through

plus a timer every ~20 ms: ``replay(classifier.flush(now))`` so a held key from a slow typist is released
once it is clear no burst follows. Key presses with empty text (Shift, Ctrl...) are not fed at all: the
scanner presses Shift for upper-case letters and those must not break a burst. Times are seconds on any
monotonic clock, as long as it is the same clock for ``feed_key`` and ``flush``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from pos.domain.errors import InvalidValue

_ENTER = frozenset({"\r", "\n"})


class WedgeAction(StrEnum):
    CONSUME = "consume"  # held: may be part of a scan; do not deliver (yet)
    PASS = "pass"  # deliver this key normally
    SCAN = "scan"  # a scan ended with this key (Enter): swallow it, route ``scanned``


@dataclass(frozen=True, slots=True)
class WedgeDecision:
    action: WedgeAction
    scanned: str = ""  # the scanned text when action is SCAN
    replay: str = ""  # held keys that turned out to be typing: deliver them before this key


def _is_burst_char(char: str) -> bool:
    """Printable ASCII except space: digits for Code128, letters and ``:/?=&`` for QR payloads and URLs."""
    return len(char) == 1 and "!" <= char <= "~"


class WedgeClassifier:
    def __init__(self, max_gap_s: float = 0.04, min_length: int = 6, max_length: int = 512) -> None:
        if max_gap_s <= 0 or min_length < 1 or max_length < min_length:
            raise InvalidValue(f"bad wedge timing: gap {max_gap_s}, length {min_length}..{max_length}")
        self.max_gap_s = max_gap_s
        self.min_length = min_length
        self.max_length = max_length
        self._held: list[str] = []
        self._last_t = 0.0

    def feed_key(self, text: str, t: float) -> WedgeDecision:
        """One key press carrying ``text`` (usually one character) at time ``t`` in seconds."""
        replay = self._release_if_stale(t)
        if text in _ENTER:
            return self._on_enter(replay)
        if len(text) != 1 or not _is_burst_char(text) or len(self._held) >= self.max_length:
            return WedgeDecision(WedgeAction.PASS, replay=replay + self._release())
        self._held.append(text)
        self._last_t = t
        return WedgeDecision(WedgeAction.CONSUME, replay=replay)

    def flush(self, now: float) -> str:
        """Characters held longer than a scanner would pause: typing after all. Deliver them."""
        return self._release_if_stale(now)

    @property
    def holding(self) -> bool:
        return bool(self._held)

    def _on_enter(self, replay: str) -> WedgeDecision:
        if len(self._held) >= self.min_length:
            return WedgeDecision(WedgeAction.SCAN, scanned=self._release(), replay=replay)
        return WedgeDecision(WedgeAction.PASS, replay=replay + self._release())

    def _release_if_stale(self, t: float) -> str:
        if self._held and t - self._last_t > self.max_gap_s:
            return self._release()
        return ""

    def _release(self) -> str:
        text = "".join(self._held)
        self._held.clear()
        return text
