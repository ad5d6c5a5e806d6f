"""Pick a font that has Chinese glyphs, so text renders even on a bare system or offscreen."""

from __future__ import annotations

import logging

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

# Preferred first: the fonts Linux distributions ship for CJK, then the Windows and macOS system ones.
CJK_FAMILY_HINTS = (
    "Noto Sans CJK SC",
    "Noto Sans CJK",
    "Source Han Sans",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "WenQuanYi",
    "Droid Sans Fallback",
    "Microsoft YaHei",
    "PingFang SC",
)
BASE_PIXEL_SIZE = 14


def find_cjk_family() -> str | None:
    families = QFontDatabase.families()
    for hint in CJK_FAMILY_HINTS:
        for family in families:
            if hint.lower() in family.lower():
                return family
    return None


def install_cjk_font(app: QApplication) -> str | None:
    """Make the first CJK family found the application font; returns its name, or None if none is
    installed (Chinese then shows as boxes: install fonts-noto-cjk or fonts-wqy-microhei)."""
    family = find_cjk_family()
    font = QFont(app.font())
    if family is None:
        log.warning("no CJK font found; Chinese text may not render")
    else:
        font.setFamilies([family, *font.families()])
    font.setPixelSize(BASE_PIXEL_SIZE)
    app.setFont(font)
    return family
