"""The English translation is complete: every string of the core and the UI that lupdate extracts (``msg()``,
``self.tr``, ``QT_TRANSLATE_NOOP``) has a finished English entry in the committed ``.ts``, and no entry is left
unfinished, so later work cannot leave English behind (resources/translations/README.md says how to update it)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from tests.ui.test_i18n import messages_of as entries
from tests.ui.test_i18n import qt_tool

ROOT = Path(__file__).resolve().parents[2]
TS_FILE = ROOT / "resources" / "translations" / "yimen_en.ts"
PLACEHOLDER = re.compile(r"\{[a-z_][a-z0-9_]*\}")


def test_no_entry_of_the_committed_file_is_unfinished() -> None:
    unfinished = sorted(key for key, text in entries(TS_FILE).items() if text is None)
    assert not unfinished, f"translate these entries of {TS_FILE.name}: {unfinished}"


def test_every_string_of_the_core_and_the_ui_is_in_the_file(tmp_path: Path) -> None:
    sources = sorted(str(p) for folder in ("app", "ui") for p in (ROOT / folder).rglob("*.py"))
    fresh = tmp_path / "fresh.ts"
    subprocess.run(
        [
            qt_tool("pyside6-lupdate"),
            "-locations",
            "none",
            "-tr-function-alias",
            "QT_TRANSLATE_NOOP+=msg",
            *sources,
            "-source-language",
            "zh_CN",
            "-target-language",
            "en",
            "-ts",
            str(fresh),
        ],
        check=True,
        capture_output=True,
    )
    wanted = set(entries(fresh))
    assert len(wanted) > 500, "lupdate found too few strings: is the msg() alias still extracted?"
    committed = entries(TS_FILE)
    missing = sorted(key for key in wanted if committed.get(key) is None)
    assert not missing, f"run lupdate and translate (resources/translations/README.md): {missing}"


def test_translations_keep_every_placeholder() -> None:
    """A translation that drops or renames ``{name}`` would show the raw text or fail to fill in the value."""
    wrong = []
    for (context, source), text in entries(TS_FILE).items():
        if text is None:
            continue
        if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text)):
            wrong.append((context, source, text))
    assert not wrong, wrong


def test_no_chinese_is_left_in_the_english_of_a_sentence() -> None:
    """English entries may quote Chinese examples (“e.g. "徐汇区"”) or legal titles, but never be Chinese prose."""
    prose = []
    for (context, source), text in entries(TS_FILE).items():
        if text is None:
            continue
        hanzi = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
        if hanzi > 0.5 * len(text.replace(" ", "")):
            prose.append((context, source, text))
    assert not prose, prose
