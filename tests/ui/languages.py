"""The UI in one language at a time, for tests that check what staff read in each."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtWidgets import QApplication

from pos.ui.translations import install_translators, remove_translators

CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")  # Chinese characters and punctuation


@contextmanager
def speaking(qapp: QApplication, language: str) -> Iterator[None]:
    """The app's catalogues for ``language`` installed for the block (as the till does at start-up)."""
    installed = install_translators(qapp, language)
    try:
        yield
    finally:
        remove_translators(qapp, installed)
