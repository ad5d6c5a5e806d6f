"""Qt Linguist files for the till's two UI languages, made from the bilingual source strings.

The UI writes each string once, Chinese and English together ("收款 Tender", "已收款，找零 {0} / Paid,
change {0}"). This tool runs pyside6-lupdate over pos/ui and pos/app*.py, fills every message of
resources/translations/pos_zh_CN.ts with the Chinese half and of pos_en.ts with the English half
(placeholders kept; a string with no second language kept whole), and compiles both with pyside6-lrelease
into pos/ui/translations/, where the app loads them as package data.

    python tools/i18n.py           # regenerate the .ts and .qm files (commit them)
    python tools/i18n.py --check   # exit 1 when a file is out of date (CI)
"""

from __future__ import annotations

import argparse
import filecmp
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TS_DIR = ROOT / "resources" / "translations"
QM_DIR = ROOT / "pos" / "ui" / "translations"
LANGUAGES = ("zh_CN", "en")
TS_HEADER = '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
# Every string once more under one shared context: lupdate names a context after the class (or the variable,
# "window.tr") it sees, Qt after the object's class at run time; the app's translator falls back to this one.
ANY_CONTEXT = "pos.any"  # keep in step with pos.ui.translations.ANY_CONTEXT

# Chinese characters and full-width punctuation count as the Chinese half.
CJK = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
CJK_RUN = re.compile(f"[{CJK}]+")
LATIN_WORD = re.compile(r"[A-Za-z]")
PLACEHOLDER = re.compile(r"\{\d*\}")
# A key hint such as "(Esc)" or "(Ctrl+Q)" names a key in either language: both halves keep it.
KEY_HINT = re.compile(r"^\((?:(?:Ctrl|Alt|Shift)\+\w+|Esc|Enter|Tab|F\d{1,2})\)$")
# A short label glued to the Chinese word after it ("6 位", "X 报表", "F3 会员") belongs to the Chinese half.
SHORT_LABEL = re.compile(r"^[A-Z0-9]{1,3}$")
# " / " splits "中文 / English" when the right side holds no Chinese at all.
SLASH = " / "


def source_files(root: Path = ROOT) -> list[Path]:
    return sorted([*(root / "pos" / "ui").glob("*.py"), *(root / "pos").glob("app*.py")])


# -- splitting a bilingual string ------------------------------------------------------------------------


def _tokens(text: str) -> list[tuple[str, str]]:
    """``(gap before, token)`` pairs: words split at every change between Chinese and other script, and
    brackets on their own, so each token is wholly one language or neutral."""
    tokens: list[tuple[str, str]] = []
    for match in re.finditer(r"(\s*)(\S+)", text):
        gap, chunk = match.group(1), match.group(2)
        if KEY_HINT.match(chunk):
            tokens.append((gap, chunk))
            continue
        pieces = [p for p in re.split(f"([{CJK}]+|[()])", chunk) if p]
        for index, piece in enumerate(pieces):
            tokens.append((gap if index == 0 else "", piece))
    return tokens


def _kind(token: str) -> str:
    if CJK_RUN.search(token) and not re.fullmatch(r"[（）：，、。；！？\u3000]+", token):
        return "zh"
    if KEY_HINT.match(token) or PLACEHOLDER.search(token) or not LATIN_WORD.search(token):
        return "neutral"
    return "en"


def _kinds(tokens: list[tuple[str, str]]) -> list[str]:
    kinds = [_kind(token) for _gap, token in tokens]
    for index in range(len(tokens) - 1):
        if SHORT_LABEL.match(tokens[index][1]) and kinds[index + 1] == "zh":
            kinds[index] = "zh"
    for index in range(1, len(tokens)):
        gap, token = tokens[index]
        if kinds[index] != "neutral" or PLACEHOLDER.search(token) or token in "()":
            continue
        before = kinds[index - 1]
        after = kinds[index + 1] if index + 1 < len(tokens) else None
        if before == "zh" and not gap:  # punctuation glued to Chinese: "正在查询…"
            kinds[index] = "zh"
        elif before == after and before in ("zh", "en"):  # between two words of one language: "Close + Z"
            kinds[index] = before
    return kinds


def _join(tokens: list[tuple[str, str]], kinds: list[str], keep: str) -> str:
    out = ""
    for (gap, token), kind in zip(tokens, kinds, strict=True):
        if kind not in (keep, "neutral"):
            continue
        if out and not out.endswith("(") and token != ")":
            out += gap
        out += token
    return _tidy(out)


def _tidy(text: str) -> str:
    text = re.sub(r"\(\s*\)", "", text)
    text = re.sub(r" +([：，、。])", r"\1", text)
    text = re.sub(r"\s{2,}", " ", text).strip()
    return text.strip("/·- ").strip() if text.strip("/·- ") else ""


def split_bilingual(source: str) -> tuple[str, str]:
    """``(zh_CN, en)`` for one source string; the whole string twice when it holds one language only."""
    trailing = source[len(source.rstrip()) :]
    if SLASH in source:
        left, _, right = source.rpartition(SLASH)
        if CJK_RUN.search(left) and LATIN_WORD.search(right) and not CJK_RUN.search(right):
            return left.strip() + trailing, right.strip() + trailing
    tokens = _tokens(source)
    kinds = _kinds(tokens)
    if "zh" not in kinds or "en" not in kinds:
        return source, source
    zh, en = _join(tokens, kinds, "zh"), _join(tokens, kinds, "en")
    if not zh or not en:
        return source, source
    return zh + trailing, en + trailing


# -- the Linguist files ----------------------------------------------------------------------------------


def _tool(name: str) -> str:
    beside_python = Path(sys.executable).parent / name
    found = str(beside_python) if beside_python.exists() else shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found: install PySide6 (it ships with PySide6-Essentials)")
    return found


def run_lupdate(ts_file: Path, language: str) -> None:
    files = [str(path) for path in source_files()]
    command = [_tool("pyside6-lupdate"), *files, "-locations", "none", "-no-obsolete"]
    command += ["-target-language", language, "-ts", str(ts_file)]
    subprocess.run(command, check=True, capture_output=True, cwd=ROOT)


def fill_translations(ts_file: Path, language: str) -> int:
    """Write each message's translation from its source; returns how many messages the file holds."""
    tree = ET.parse(ts_file)
    half = 0 if language.startswith("zh") else 1
    messages = tree.getroot().iter("message")
    count = 0
    for message in messages:
        source = message.findtext("source") or ""
        translation = message.find("translation")
        if translation is None:
            translation = ET.SubElement(message, "translation")
        translation.attrib.pop("type", None)
        translation.text = split_bilingual(source)[half]
        count += 1
    _add_shared_context(tree.getroot(), half)
    ET.indent(tree, space="    ")
    body = ET.tostring(tree.getroot(), encoding="unicode")
    ts_file.write_text(TS_HEADER + body + "\n", encoding="utf-8")
    return count


def _add_shared_context(root: ET.Element, half: int) -> None:
    sources = sorted({message.findtext("source") or "" for message in root.iter("message")})
    context = ET.SubElement(root, "context")
    ET.SubElement(context, "name").text = ANY_CONTEXT
    for source in sources:
        message = ET.SubElement(context, "message")
        ET.SubElement(message, "source").text = source
        ET.SubElement(message, "translation").text = split_bilingual(source)[half]


def run_lrelease(ts_file: Path, qm_file: Path) -> None:
    command = [_tool("pyside6-lrelease"), "-silent", str(ts_file), "-qm", str(qm_file)]
    subprocess.run(command, check=True, capture_output=True, cwd=ROOT)


def build(ts_dir: Path, qm_dir: Path) -> None:
    ts_dir.mkdir(parents=True, exist_ok=True)
    qm_dir.mkdir(parents=True, exist_ok=True)
    for language in LANGUAGES:
        ts_file = ts_dir / f"pos_{language}.ts"
        ts_file.unlink(missing_ok=True)  # regenerated whole: every translation comes from its source
        run_lupdate(ts_file, language)
        count = fill_translations(ts_file, language)
        run_lrelease(ts_file, qm_dir / f"pos_{language}.qm")
        print(f"{ts_file.name}: {count} messages")


def check() -> int:
    """Regenerate into a scratch directory and compare with what is committed."""
    with tempfile.TemporaryDirectory() as scratch:
        ts_dir, qm_dir = Path(scratch) / "ts", Path(scratch) / "qm"
        build(ts_dir, qm_dir)
        stale = [
            str(committed.relative_to(ROOT))
            for language in LANGUAGES
            for fresh, committed in (
                (ts_dir / f"pos_{language}.ts", TS_DIR / f"pos_{language}.ts"),
                (qm_dir / f"pos_{language}.qm", QM_DIR / f"pos_{language}.qm"),
            )
            if not committed.exists() or not filecmp.cmp(fresh, committed, shallow=False)
        ]
    if stale:
        print("out of date (run python tools/i18n.py):", ", ".join(stale), file=sys.stderr)
        return 1
    print("translations up to date")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="fail when the committed files are stale")
    args = parser.parse_args(argv)
    if args.check:
        return check()
    build(TS_DIR, QM_DIR)
    return 0


if __name__ == "__main__":
    sys.exit(main())
