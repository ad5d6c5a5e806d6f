"""The new-order chime (a two-tone WAV made with the stdlib) and the spoken announcement (语音播报).

``write_chime`` renders the sound with ``wave`` so the repository carries no binary of unknown origin:
``resources/sounds/new_order.wav`` is its output (``python -m pos.ui.chime`` writes it again). QtAnnouncer
plays it with QSoundEffect and, when enabled and a speech engine exists, speaks the order
("3号油枪 小程序订单 200元"). No audio device, no engine: it stays silent and says so once in the log.
"""

from __future__ import annotations

import logging
import math
import struct
import wave
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, QUrl

log = logging.getLogger(__name__)

SAMPLE_RATE = 22_050
CHIME_TONES = ((880.0, 0.18), (1318.5, 0.32))  # A5 then E6: a rising "ding-dong"
VOLUME = 0.45
SOUND_FILE = Path(__file__).resolve().parents[2] / "resources" / "sounds" / "new_order.wav"


def chime_samples() -> list[int]:
    """16-bit mono samples: each tone with a short attack and an exponential decay (no clicks)."""
    samples: list[int] = []
    for frequency, seconds in CHIME_TONES:
        count = int(SAMPLE_RATE * seconds)
        for index in range(count):
            t = index / SAMPLE_RATE
            envelope = min(1.0, index / 200) * math.exp(-4.0 * t / seconds)
            value = VOLUME * envelope * math.sin(2 * math.pi * frequency * t)
            samples.append(int(value * 32767))
    return samples


def write_chime(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        samples = chime_samples()
        out.writeframes(struct.pack(f"<{len(samples)}h", *samples))
    return path


def announcement_text(nozzle_number: int, prepaid_yuan: str) -> str:
    """What is spoken for a new mini-program order: ``3号油枪 小程序订单 200元``."""
    return f"{nozzle_number}号油枪 小程序订单 {prepaid_yuan}元"


WARM_UP_DELAY_MS = 1500


class QtAnnouncer(QObject):
    """Plays the chime and optionally speaks; every failure degrades to silence, never to an error."""

    def __init__(self, speak: bool = False, sound_file: Path = SOUND_FILE, parent: QObject | None = None):
        super().__init__(parent)
        self.speak_enabled = speak
        self.played = 0  # chimes started (tests and the bench read it)
        self.spoken: list[str] = []
        self._sound_file = sound_file
        self._effect: object | None = None
        self._speech: object | None = None
        # QtMultimedia brings up its FFmpeg and audio backends on first use (~100 ms): do that just after
        # the window is up rather than on the start-up path; announce() loads it itself if still needed.
        QTimer.singleShot(WARM_UP_DELAY_MS, self._ensure_effect)

    def _ensure_effect(self) -> object | None:
        if self._effect is None:
            self._effect = self._load_effect(self._sound_file) or False
        return self._effect or None

    def _load_effect(self, sound_file: Path) -> object | None:
        try:
            from PySide6.QtMultimedia import QSoundEffect
        except ImportError:
            log.info("QtMultimedia not available: new orders are announced without sound")
            return None
        if not sound_file.is_file():
            write_chime(sound_file)
        effect = QSoundEffect(self)
        effect.setSource(QUrl.fromLocalFile(str(sound_file)))
        effect.setVolume(0.8)
        return effect

    def announce(self, text: str) -> None:
        self.played += 1
        effect = self._ensure_effect()
        if effect is not None:
            effect.play()  # type: ignore[attr-defined]
        if self.speak_enabled:
            self._say(text)

    def _say(self, text: str) -> None:
        engine = self._speech_engine()
        if engine is None:
            return
        engine.say(text)  # type: ignore[attr-defined]
        self.spoken.append(text)

    def _speech_engine(self) -> object | None:
        if self._speech is None:
            self._speech = self._make_engine() or False
        return self._speech or None

    def _make_engine(self) -> object | None:
        try:
            from PySide6.QtTextToSpeech import QTextToSpeech
        except ImportError:
            log.info("QtTextToSpeech not available: the chime alone announces orders")
            return None
        engines = [name for name in QTextToSpeech.availableEngines() if name != "mock"]
        if not engines:
            log.info("no speech engine installed: the chime alone announces orders")
            return None
        engine = QTextToSpeech(engines[0], self)
        if engine.state() == QTextToSpeech.State.Error:
            log.info("speech engine %s failed to start: chime only", engines[0])
            return None
        return engine


if __name__ == "__main__":
    print(write_chime(SOUND_FILE))
