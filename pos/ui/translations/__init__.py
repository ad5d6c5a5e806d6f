"""The UI's compiled translations (pos_zh_CN.qm, pos_en.qm, made by tools/i18n.py) and their loader.

The source strings are bilingual ("收款 Tender"); the zh_CN catalogue keeps the Chinese half and the en
catalogue the English half, so a till always shows one language. Qt's own dialog buttons follow too when
Qt ships its catalogue for the language.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger(__name__)

DEFAULT_LANGUAGE = "zh_CN"
# tools/i18n.py files every string once more under this context (see PosTranslator)
ANY_CONTEXT = "pos.any"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Marks ``text`` for the catalogue under ``context`` (a literal: lupdate reads it, never runs it);
    the caller translates it where it is shown, with ``tr``."""
    return text


LANGUAGES = ("zh_CN", "en")
CATALOGUE_DIR = Path(__file__).resolve().parent


class PosTranslator(QTranslator):
    """Looks a string up under its class first, then under the shared context: lupdate files ``window.tr``
    in a function under "window" and a base class's strings under the base, while Qt asks for the class of
    the object at run time."""

    def translate(  # None means "not here": Qt asks the next translator, then shows the source
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        found = super().translate(context, source, disambiguation, n)
        # An empty string would be taken as the translation and show nothing.
        return found or super().translate(ANY_CONTEXT, source, disambiguation, n) or None


def supported_language(language: str) -> str:
    """``language`` as one of LANGUAGES: "en_US" -> "en", "zh" -> "zh_CN"; anything else the default."""
    wanted = language.strip().replace("-", "_")
    for known in LANGUAGES:
        if wanted.lower() == known.lower() or wanted.split("_")[0].lower() == known.split("_")[0].lower():
            return known
    log.warning("UI language %r is not translated: using %s", language, DEFAULT_LANGUAGE)
    return DEFAULT_LANGUAGE


def catalogue_path(language: str) -> Path:
    return CATALOGUE_DIR / f"pos_{supported_language(language)}.qm"


def install_translators(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Install the UI's catalogue for ``language`` (and Qt's own, when present) before any window is built.

    Returns the installed translators: the caller keeps them (a collected QTranslator stops translating)
    and may remove them again with ``remove_translators``.
    """
    chosen = supported_language(language)
    installed: list[QTranslator] = []
    ours = PosTranslator(app)
    if ours.load(str(catalogue_path(chosen))) and app.installTranslator(ours):
        installed.append(ours)
    else:
        log.error("translation catalogue %s could not be loaded", catalogue_path(chosen).name)
    qt_own = QTranslator(app)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt_own.load(QLocale(chosen), "qtbase", "_", qt_dir) and app.installTranslator(qt_own):
        installed.append(qt_own)
    QLocale.setDefault(QLocale(chosen))
    log.info("UI language %s", chosen)
    return installed


def remove_translators(app: QCoreApplication, translators: list[QTranslator]) -> None:
    for translator in translators:
        app.removeTranslator(translator)
