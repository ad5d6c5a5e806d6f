"""Finding a font with Chinese glyphs, for receipts rendered as images and for the virtual printer."""

from __future__ import annotations

import functools
import glob
import logging
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from PIL import ImageFont

from pos.domain.errors import PosError

log = logging.getLogger(__name__)

FONT_ENV = "STATION_POS_RECEIPT_FONT"  # a path to a .ttf/.ttc/.otf that has Chinese glyphs
_CANDIDATE_GLOBS = (
    "/usr/share/fonts/**/NotoSansCJK*-Regular.ttc",
    "/usr/share/fonts/**/NotoSansCJK*.otf",
    "/usr/share/fonts/**/wqy-*.ttc",
    "/usr/share/fonts/**/*[Ss]ource*[Hh]an*[Ss]ans*",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simsun.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/STHeiti Light.ttc",
)


@dataclass(frozen=True, slots=True)
class FontRef:
    path: Path
    index: int = 0  # face within a .ttc collection


def _fc_match() -> FontRef | None:
    if shutil.which("fc-match") is None:
        return None
    try:
        found = subprocess.run(
            ["fc-match", "-f", "%{file}\n%{index}", "Noto Sans CJK SC:lang=zh-cn"],
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout.split("\n")
    except (OSError, subprocess.SubprocessError):
        return None
    if len(found) == 2 and found[0] and found[1].isdigit():
        return FontRef(Path(found[0]), int(found[1]))
    return None


def _simplified_face(path: Path) -> FontRef:
    """In a CJK collection, the face named SC (simplified Chinese) draws the glyph forms used in China."""
    for index in range(10):
        try:
            family, _style = ImageFont.truetype(str(path), 24, index=index).getname()
        except OSError:
            break
        if family and ("SC" in family.split() or "Simplified" in family):
            return FontRef(path, index)
    return FontRef(path, 0)


def _has_chinese(ref: FontRef) -> bool:
    try:
        font = ImageFont.truetype(str(ref.path), 24, index=ref.index)
    except OSError:
        return False
    return font.getmask("中").getbbox() is not None


@functools.lru_cache(maxsize=1)
def find_cjk_font() -> FontRef:
    """The first font that draws Chinese: the override, fontconfig's choice, then known locations."""
    override = os.environ.get(FONT_ENV)
    candidates: list[FontRef] = [_simplified_face(Path(override))] if override else []
    matched = _fc_match()
    if matched:
        candidates.append(matched)
    for pattern in _CANDIDATE_GLOBS:
        candidates += [_simplified_face(Path(p)) for p in sorted(glob.glob(pattern, recursive=True))]
    for ref in candidates:
        if ref.path.is_file() and _has_chinese(ref):
            log.debug("receipt font %s (face %d)", ref.path, ref.index)
            return ref
    raise PosError(
        "receipt_font_missing",
        "找不到中文字体 / No Chinese font",
        f"Install a Chinese font (e.g. fonts-noto-cjk) or set {FONT_ENV} to a font file with Chinese glyphs.",
    )


@functools.lru_cache(maxsize=8)
def load_font(size: int) -> ImageFont.FreeTypeFont:
    ref = find_cjk_font()
    return ImageFont.truetype(str(ref.path), size, index=ref.index)
