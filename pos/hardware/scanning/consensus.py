"""Accept a code only after repeated identical reads, then hold it back while it stays in view.

A single decode of a blurred phone screen can be wrong (a Code128 misread passes its own mod-103 check
now and then), and a code held in front of the camera for five seconds must not be redeemed fifteen
times. So a text is *accepted* once it has been read in ``required_reads`` distinct frames within
``window_s`` seconds; after that it is *cooling down*: the same text is not accepted again until it has
gone unseen for ``cooldown_s`` seconds. Every sighting during the cool-down extends it, so a code that
never leaves the scan box is accepted exactly once. Other texts are not blocked by the cool-down.

Time is passed in by the caller (monotonic seconds), which keeps this class pure and testable.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

from pos.domain.errors import InvalidValue


class ConsensusValidator:
    def __init__(self, required_reads: int = 2, window_s: float = 1.5, cooldown_s: float = 3.0) -> None:
        if required_reads < 1 or window_s <= 0 or cooldown_s < 0:
            raise InvalidValue(
                f"consensus needs reads >= 1, window > 0, cool-down >= 0; got "
                f"{required_reads}, {window_s}, {cooldown_s}"
            )
        self.required_reads = required_reads
        self.window_s = window_s
        self.cooldown_s = cooldown_s
        self._reads: deque[tuple[float, str]] = deque()
        self._cooling: dict[str, float] = {}  # text -> when it was last seen while cooling

    def offer(self, texts: Iterable[str], t: float) -> list[str]:
        """Record the texts decoded from one frame taken at ``t``; return the texts accepted now."""
        self._forget_before(t)
        accepted: list[str] = []
        for text in dict.fromkeys(texts):  # one vote per frame, order kept
            if text in self._cooling:
                self._cooling[text] = t
                continue
            self._reads.append((t, text))
            if sum(1 for _, seen in self._reads if seen == text) >= self.required_reads:
                accepted.append(text)
                self._cooling[text] = t
                self._reads = deque(read for read in self._reads if read[1] != text)
        return accepted

    def is_cooling(self, text: str, t: float) -> bool:
        seen = self._cooling.get(text)
        return seen is not None and t - seen < self.cooldown_s

    def reset(self) -> None:
        """Forget everything (the camera was reopened, or the dialog closed)."""
        self._reads.clear()
        self._cooling.clear()

    def _forget_before(self, t: float) -> None:
        while self._reads and t - self._reads[0][0] > self.window_s:
            self._reads.popleft()
        for text in [text for text, seen in self._cooling.items() if t - seen >= self.cooldown_s]:
            del self._cooling[text]
