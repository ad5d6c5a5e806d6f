"""The UI in one language at a time: the Linguist catalogues cover every tr() string, and the whole till's
menus read Chinese-only under zh_CN and English-only under en."""

from __future__ import annotations

import ast
import importlib.util
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from pos.ui.translations import catalogue_path, install_translators, remove_translators, supported_language
from pos_backend.server import RunningBackend
from tests.ui.languages import CJK, speaking

from .counter_support import build_till, paired_client

ROOT = Path(__file__).resolve().parents[2]
TS_DIR = ROOT / "resources" / "translations"
LATIN = re.compile(r"[A-Za-z]")


def load_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("i18n_tool", ROOT / "tools" / "i18n.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def tr_strings(path: Path) -> set[str]:
    """Every literal passed to ``something.tr(...)`` in ``path``."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "tr"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.add(node.args[0].value)
    return found


def translations(language: str) -> dict[str, str]:
    root = ET.parse(TS_DIR / f"pos_{language}.ts").getroot()
    done: dict[str, str] = {}
    for message in root.iter("message"):
        translation = message.find("translation")
        if translation is not None and translation.get("type") != "unfinished" and translation.text:
            done[message.findtext("source") or ""] = translation.text
    return done


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_every_tr_string_in_the_ui_has_a_translation(language: str) -> None:
    done = translations(language)
    sources = [*ROOT.joinpath("pos", "ui").rglob("*.py"), *ROOT.joinpath("pos").glob("app*.py")]
    missing = sorted({text for path in sources for text in tr_strings(path)} - done.keys())
    assert not missing, f"run python tools/i18n.py: {missing[:10]}"
    assert catalogue_path(language).is_file()


@pytest.mark.parametrize(
    ("source", "zh", "en"),
    [
        ("收款 Tender", "收款", "Tender"),
        ("离线 Offline since {0}", "离线 {0}", "Offline since {0}"),
        ("已收款，找零 {0} / Paid, change {0}", "已收款，找零 {0}", "Paid, change {0}"),
        ("交班 / 班结 Shift handover", "交班 / 班结", "Shift handover"),
        ("确认收款 Confirm (Enter)", "确认收款 (Enter)", "Confirm (Enter)"),
        ("退款原因 Reason (必填 required)", "退款原因 (必填)", "Reason (required)"),
        ("班结并打印 Z 报表 Close + Z report", "班结并打印 Z 报表", "Close + Z report"),
        ("正在查询… Looking up", "正在查询…", "Looking up"),
        ("截点 Cut {0} · {1} · {2} 笔 sales", "截点 {0} · {1} · {2} 笔", "Cut {0} · {1} · {2} sales"),
        ("面值（元）Value in yuan", "面值（元）", "Value in yuan"),
        ("{0}号油枪 {1}", "{0}号油枪 {1}", "{0}号油枪 {1}"),  # one language only: kept whole
        ("已重打 Reprint queued: ", "已重打 ", "Reprint queued: "),
    ],
)
def test_a_bilingual_string_splits_at_the_script_boundary(source: str, zh: str, en: str) -> None:
    assert load_tool().split_bilingual(source) == (zh, en)


def test_language_names_fall_back_to_the_default() -> None:
    assert supported_language("en_US") == "en"
    assert supported_language("zh") == "zh_CN"
    assert supported_language("fr_FR") == "zh_CN"


def menu_texts(menus: list[QMenu]) -> list[str]:
    texts: list[str] = []
    for menu in menus:
        texts.append(menu.title())
        texts.extend(action.text() for action in menu.actions() if not action.isSeparator())
    return [text for text in texts if text]


@pytest.mark.parametrize(("language", "foreign"), [("zh_CN", LATIN), ("en", CJK)])
def test_the_menus_speak_one_language(
    qtbot: QtBot,
    qapp: QApplication,
    tmp_path: Path,
    backend: RunningBackend,
    language: str,
    foreign: re.Pattern[str],
) -> None:
    installed = install_translators(qapp, language)
    client = paired_client(backend.url, "前台1", backend.issue_activation_code)
    till = None
    try:
        till = build_till(tmp_path, qtbot, client, client.sign_in("1002", "2222").staff)
        menus = [a.menu() for a in till.app.window.menuBar().actions() if isinstance(a.menu(), QMenu)]
        texts = menu_texts([m for m in menus if m is not None])
        assert len(texts) >= 8
        assert [text for text in texts if foreign.search(text)] == []
    finally:
        if till is not None:
            till.app.stop()
        client.close()
        remove_translators(qapp, installed)


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_every_nozzle_state_has_a_label_in_each_language(qapp: QApplication, language: str) -> None:
    """The labels are marked with QT_TRANSLATE_NOOP and looked up at paint time: a label the extraction
    missed showed as an empty header."""
    from PySide6.QtCore import QCoreApplication

    from pos.ui.nozzle_tile import STATE_STYLES

    with speaking(qapp, language):
        labels = [QCoreApplication.translate("QtNozzleTile", style.label) for style in STATE_STYLES.values()]
    assert all(labels), labels
    foreign = LATIN if language == "zh_CN" else CJK
    assert [label for label in labels if foreign.search(label)] == []  # one language at a time


def test_a_string_missing_from_the_catalogue_shows_its_source(qapp: QApplication) -> None:
    from PySide6.QtCore import QCoreApplication

    with speaking(qapp, "en"):
        assert (
            QCoreApplication.translate("Nowhere", "目录里没有 / Not catalogued")
            == "目录里没有 / Not catalogued"
        )
