"""A materials problem from the core lands on the line it concerns, found by the issue's material key and party (not
by the material's name inside the text, which an English screen shows in English), and the name is in the screen's
language.  On the test catalog (tests/app/data/catalog-owed) and real widgets."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.domain import MaterialStatus
from app.intake.model import MaterialLine
from tests.ui.ui_testkit import Keyboard, applicant, choose_item, set_materials, valid_id
from ui.i18n import CHINESE, ENGLISH, current_language, install_translators, remove_translators
from ui.intake.materials import MaterialsPanel

OWED_CATALOG = Path(__file__).parent.parent / "app" / "data" / "catalog-owed"
TS_FILE = Path(__file__).resolve().parents[2] / "resources" / "translations" / "yimen_en.ts"
APPLICANT_ID = valid_id("31010419850615002")
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def services(services_factory: Any) -> Any:
    return services_factory(catalog_dir=OWED_CATALOG)


@pytest.fixture
def english(qapp: QApplication, tmp_path: Path) -> Iterator[None]:
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    subprocess.run(
        [str(lrelease), "-silent", str(TS_FILE), "-qm", str(tmp_path / "yimen_en.qm")], check=True, capture_output=True
    )
    translators = install_translators(qapp, ENGLISH, folder=tmp_path)
    assert translators, "yimen_en.qm did not load"
    yield
    remove_translators(qapp, translators)
    assert current_language() == CHINESE


def fail_to_accept(qtbot: Any, keyboard: Keyboard, window: Any) -> str:
    intake = window.pages["intake"]
    with qtbot.waitSignal(intake.decision_failed, timeout=10_000) as failed:
        keyboard.press(Qt.Key.Key_1, CTRL)
    return str(failed.args[0])


def test_an_english_screen_names_the_missing_material_in_english_at_its_line(
    english: None, qtbot: Any, keyboard: Keyboard, window: Any
) -> None:
    choose_item(keyboard, "测试事项")
    applicant(keyboard, "Zhang San", APPLICANT_ID)
    keyboard.tab_to("urgency")
    keyboard.type("2")  # Ordinary
    set_materials(qtbot, keyboard, window, ["1", "1", "1", "2", ""])  # the income proof is missing
    text = fail_to_accept(qtbot, keyboard, window)
    assert "“Proof of income” is missing" in text and "收入证明" not in text
    assert keyboard.focus_name() == "material.income_proof"
    assert "Proof of income" in window.findChild(object, "material.income_proof.message").text()


def test_a_chinese_screen_focuses_the_line_the_issue_names(qtbot: Any, keyboard: Keyboard, window: Any) -> None:
    choose_item(keyboard, "测试事项")
    applicant(keyboard, "张三", APPLICANT_ID)
    keyboard.tab_to("urgency")
    keyboard.type("2")
    set_materials(qtbot, keyboard, window, ["1", "2", "1", "1", ""])  # the household register is missing
    text = fail_to_accept(qtbot, keyboard, window)
    assert "缺少“户口簿”" in text
    assert keyboard.focus_name() == "material.household_register"
    assert window.findChild(object, "material.income_proof.message").text() == ""


def line(key: str, party_index: int | None, name: str = "核对授权书") -> MaterialLine:
    return MaterialLine(key, name, "original", 1, True, None, party_index, f"成员{party_index}")


def test_locate_picks_the_party_line_by_key_and_party_not_by_name(qtbot: Any) -> None:
    panel = MaterialsPanel()
    qtbot.addWidget(panel)
    panel.set_lines([line("photo", None, "照片"), line("auth", 1), line("auth", 2)], None)
    photo, first, second = panel.rows
    # The message names no material at all: the key and the party find the line.
    assert panel.locate("auth", 2) == (second.status, second.message)
    assert panel.locate("auth", 1) == (first.status, first.message)
    assert panel.locate("auth") == (first.status, first.message)
    # A defective line without its note: the note.
    second.status.set_status(MaterialStatus.DEFECTIVE)
    assert panel.locate("auth", 2) == (second.note, second.message)
    # An issue that names no line here: the panel's own message.
    assert panel.locate(None) == (photo.status, panel.message)
    assert panel.locate("unknown", 1) == (photo.status, panel.message)
    widget = panel.show_problem("Something about the second member's form", "auth", 2)
    assert widget is second.note
    assert second.message.text() == "Something about the second member's form" and first.message.text() == ""
