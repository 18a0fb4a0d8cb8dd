"""What the clerk sees beside the fields while typing: ID number checks (rules.md test vectors), names with rare
characters and the middle dot, generated fields with ``when`` conditions, household rows added and removed."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.ui.ui_testkit import Keyboard, choose_item

CTRL = Qt.KeyboardModifier.ControlModifier


def message(window: Any, name: str) -> str:
    label = window.pages["intake"].findChild(object, f"{name}.message")
    assert label is not None, name
    return str(label.text())


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("310101198001010019", "校验码（第 18 位）应为“8”，现在是“9”：号码中有输错的字符，请逐位核对。"),
        ("310101198002300017", "出生日期"),
        ("31010119800101001", "身份号码应为 18 位（旧版为 15 位），现在是 17 位。"),
        ("310101209901010014", "晚于今天"),
    ],
)
def test_wrong_id_number_is_explained_beside_the_field(
    qtbot: Any, keyboard: Keyboard, window: Any, typed: str, expected: str
) -> None:
    keyboard.tab_to("applicant.id_number")
    keyboard.type(typed)
    text = message(window, "applicant.id_number")
    assert expected in text
    label = window.pages["intake"].findChild(object, "applicant.id_number.message")
    assert label.severity == "error" and label.isVisible()


def test_valid_id_number_shows_what_it_encodes(keyboard: Keyboard, window: Any) -> None:
    keyboard.tab_to("applicant.id_number")
    keyboard.type("11010519491231002x")  # lower-case x: valid after normalising
    text = message(window, "applicant.id_number")
    assert text.startswith("出生 1949-12-31 · 女 · ")
    # The region the number encodes is where it was issued, not the 户籍: labelled so.
    assert text.endswith(" · 发证地 北京市朝阳区"), text
    assert not window.pages["intake"].applicant.identity.id_confirm.isVisible()


def test_id_warning_needs_an_explicit_confirmation(keyboard: Keyboard, window: Any) -> None:
    keyboard.tab_to("applicant.id_number")
    keyboard.type("990101198001010014")  # unknown region 99: valid, with a warning
    identity = window.pages["intake"].applicant.identity
    assert identity.id_message.severity == "warning"
    assert identity.id_confirm.isVisible() and not identity.id_confirm.isChecked()
    keyboard.tab()
    assert keyboard.focus_name() == "applicant.id_confirmed"
    keyboard.press(Qt.Key.Key_Space)
    assert identity.id_confirm.isChecked()


@pytest.mark.parametrize("name", ["张𠮷", "阿依古丽·买买提", "王䶮", "李堃"])
def test_rare_characters_and_the_middle_dot_are_accepted(keyboard: Keyboard, window: Any, name: str) -> None:
    assert keyboard.focus_name() == "queue_ticket"
    keyboard.tab_to("applicant.name")
    keyboard.type(name)
    assert window.pages["intake"].applicant.identity.name_edit.text() == name
    assert message(window, "applicant.name") == ""


def test_name_look_alike_dot_is_shown_as_stored(keyboard: Keyboard, window: Any) -> None:
    keyboard.tab_to("applicant.name")
    keyboard.type("阿依古丽.买买提")  # a full stop between 汉字 is stored as the middle dot
    assert message(window, "applicant.name") == "将登记为：阿依古丽·买买提"


def test_name_with_a_digit_is_refused_beside_the_field(keyboard: Keyboard, window: Any) -> None:
    keyboard.tab_to("applicant.name")
    keyboard.type("张3")
    assert message(window, "applicant.name") == "姓名中不能有数字“3”。"


def test_when_condition_shows_a_field_live(keyboard: Keyboard, window: Any) -> None:
    choose_item(keyboard, "临时救助")
    grid = window.pages["intake"].fields_grid
    assert not grid.editors["expense_amount"].shown
    keyboard.tab_to("assistance_type")
    keyboard.type("2")  # 支出型
    assert grid.editors["expense_amount"].shown
    keyboard.tab()
    assert keyboard.focus_name() == "situation"
    keyboard.tab()
    assert keyboard.focus_name() == "expense_amount"
    keyboard.type("-5")
    assert message(window, "expense_amount") == "金额不能为负数。"


def test_household_rows_are_added_and_removed_by_keyboard(qtbot: Any, keyboard: Keyboard, window: Any) -> None:
    choose_item(keyboard, "低保")
    table = window.pages["intake"].others[0]
    keyboard.tab_to("household_member.add")
    keyboard.enter()
    keyboard.type("甲")
    keyboard.press(Qt.Key.Key_Equal, CTRL)
    assert keyboard.focus_name() == "household_member.1.name"
    keyboard.type("乙")
    keyboard.press(Qt.Key.Key_Equal, CTRL)
    keyboard.type("丙")
    assert [r.identity.name_edit.text() for r in table.rows] == ["甲", "乙", "丙"]
    # remove the middle row: the one below moves up and is renamed
    keyboard.press(Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    keyboard.tab_to("household_member.1.name")
    keyboard.press(Qt.Key.Key_Minus, CTRL)
    assert [r.identity.name_edit.text() for r in table.rows] == ["甲", "丙"]
    assert keyboard.focus_name() == "household_member.1.name"
    assert keyboard.focus().text() == "丙"
    # the checklist follows: one authorisation per member
    qtbot.waitUntil(
        lambda: (
            [r.status.objectName() for r in window.pages["intake"].materials.rows if "member" in r.line.key]
            == ["material.check_authorisation_member.1", "material.check_authorisation_member.2"]
        )
    )
