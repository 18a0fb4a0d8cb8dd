"""Switching the counter to English shows English labels: the UI's own strings from the committed ``.ts`` (built to a
``.qm`` here, as ``make translations`` does), the core's messages, and the catalog's English names."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from PySide6.QtWidgets import QApplication, QLabel

from app.i18n import msg
from tests.ui.ui_testkit import Keyboard, choose_item
from ui.i18n import CHINESE, ENGLISH, choose_language, current_language, install_translators, remove_translators, render

TS_FILE = Path(__file__).resolve().parents[2] / "resources" / "translations" / "yimen_en.ts"


def qt_tool(name: str) -> str:
    tool = Path(sys.executable).with_name(name)
    found = str(tool) if tool.exists() else shutil.which(name)
    assert found, f"{name} (PySide6-Essentials) is needed for the translations"
    return found


def lrelease() -> str:
    return qt_tool("pyside6-lrelease")


def messages_of(ts_file: Path) -> dict[tuple[str, str], str | None]:
    """(context, source) → the finished translation, or None when unfinished."""
    found: dict[tuple[str, str], str | None] = {}
    for context in ElementTree.parse(ts_file).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            done = translation is not None and translation.get("type") is None and bool(translation.text)
            found[(name, message.findtext("source", ""))] = (
                translation.text if done and translation is not None else None
            )
    return found


def test_every_ui_string_has_an_english_translation(tmp_path: Path) -> None:
    ui_folder = TS_FILE.parents[2] / "ui"
    fresh = tmp_path / "ui.ts"
    sources = sorted(str(p) for p in ui_folder.rglob("*.py"))
    subprocess.run(
        [qt_tool("pyside6-lupdate"), "-locations", "none", *sources, "-ts", str(fresh)], check=True, capture_output=True
    )
    wanted = set(messages_of(fresh))
    committed = messages_of(TS_FILE)
    assert len(wanted) > 100
    missing = sorted(key for key in wanted if committed.get(key) is None)
    assert not missing, f"update resources/translations/yimen_en.ts (see its README): {missing}"


def test_no_translated_string_is_built_inside_an_f_string() -> None:
    """lupdate reads ``self.tr("…")`` calls as written; one inside an f-string (``f"{self.tr('…')}"``) is never
    extracted, so its English would silently be missing although the completeness test passes.  (A call on a
    variable, ``translate("materials", label)``, is fine: its texts are marked where they are defined.)"""
    import ast

    hidden = []
    for path in sorted((TS_FILE.parents[2] / "ui").rglob("*.py")) + sorted((TS_FILE.parents[2] / "app").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr):
                for call in ast.walk(node):
                    if isinstance(call, ast.Call):
                        name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
                        text = call.args[0 if name == "tr" else 1] if len(call.args) > (name != "tr") else None
                        literal = isinstance(text, ast.Constant) and isinstance(text.value, str)
                        if name in {"tr", "translate", "msg", "QT_TRANSLATE_NOOP"} and literal:
                            hidden.append(f"{path.relative_to(TS_FILE.parents[2])}:{call.lineno}")
    assert not hidden, f"build these strings outside the f-string so lupdate finds them: {hidden}"


@pytest.fixture
def english(qapp: QApplication, tmp_path: Path) -> Iterator[None]:
    subprocess.run(
        [lrelease(), "-silent", str(TS_FILE), "-qm", str(tmp_path / "yimen_en.qm")], check=True, capture_output=True
    )
    translators = install_translators(qapp, ENGLISH, folder=tmp_path)
    assert translators, "yimen_en.qm did not load"
    yield
    remove_translators(qapp, translators)
    assert current_language() == CHINESE


def test_login_dialog_in_english(english: None, show: Any, services: Any, runner: Any) -> None:
    from ui.login import LoginDialog

    dialog = LoginDialog(services.deployment, runner, services)
    show(dialog)
    assert dialog.windowTitle() == "Log in — Yimen community affairs counter"
    assert dialog.button.text() == "Log in"
    labels = {w.text() for w in dialog.findChildren(QLabel)}
    assert {"User name", "Password"} <= labels


def test_main_window_in_english(english: None, keyboard: Keyboard, window: Any) -> None:
    assert window.tabs.tabText(0) == "Intake (F2)"
    assert window.tabs.tabText(1) == "Today/Search (F3)"
    assert window.statusBar().findChild(object, "sync_state").text() == "Not enrolled · To upload: 0"
    choose_item(keyboard, "dibao")  # pinyin finds 低保
    intake = window.pages["intake"]
    assert intake.item is not None and intake.item.code == "MZ-SHJZ-001"
    assert [b.text() for b in intake.decision_buttons.values() if b.isVisibleTo(window)] == [
        "Accept (Ctrl+1)",
        "One-time notice of missing materials (Ctrl+2)",
        "Refuse (Ctrl+3)",
    ]
    # catalog data carries its own English
    assert intake.applicant.title() == "Applicant"
    assert "Registered residence in Shanghai" in intake.applicant.grid.editors["hukou_shanghai"].label.text()
    assert window.findChild(object, "party.household_member").title() == "Household members living together"
    keyboard.tab_to("applicant.id_number")
    keyboard.type("310101198001010019")
    assert intake.applicant.identity.id_message.text() == (
        "The check character (18th) should be “8”, not “9”: a character was mistyped; check digit by digit."
    )


def test_core_messages_are_translated_with_their_arguments(english: None) -> None:
    message = msg("intake", "不予受理必须写明理由（至少 {n} 个字）。").bind(n=4)
    assert render(message) == "A refusal needs a reason (at least 4 characters)."


def test_language_choice() -> None:
    assert choose_language("zh_CN", env={}) == CHINESE
    assert choose_language("zh_CN", env={"YIMEN_LANG": "en"}) == ENGLISH
    assert choose_language("en", env={}) == ENGLISH
    assert choose_language("fr", env={}) == CHINESE
