"""The material checklist offers what really happens at the counter, by keyboard: the present tick records the
material's handling (收取, 原件核验（已退还）, 原件核验、收取复印件 with the copies kept), 电子证照核验 only for an
e-licence material, 缺少 and 不合格 (with its note); photos are counted in 张.  On a small test catalog
(tests/app/data/catalog-owed) that has every handling, and read back from the real store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.domain import MaterialStatus
from tests.ui.ui_testkit import Keyboard, applicant, choose_item, decide_and_skip_printing, valid_id, wait_materials

OWED_CATALOG = Path(__file__).parent.parent / "app" / "data" / "catalog-owed"
APPLICANT_ID = valid_id("31010419850615002")


@pytest.fixture
def services(services_factory: Any) -> Any:
    return services_factory(catalog_dir=OWED_CATALOG)


def choices(row: Any) -> list[str]:
    return [row.status.itemText(i) for i in range(row.status.count())]


def start_case(qtbot: Any, keyboard: Keyboard, window: Any) -> list[Any]:
    choose_item(keyboard, "测试事项")
    applicant(keyboard, "张三", APPLICANT_ID)
    keyboard.tab_to("urgency")
    keyboard.type("2")  # 一般
    return wait_materials(qtbot, window, 5)


def test_each_line_offers_what_happens_to_its_paper(qtbot: Any, keyboard: Keyboard, window: Any) -> None:
    rows = {row.line.key: row for row in start_case(qtbot, keyboard, window)}
    assert choices(rows["applicant_id_card"]) == ["1  原件核验（已退还）", "2  缺少", "3  不合格"]
    assert choices(rows["household_register"]) == ["1  原件核验、收取复印件", "2  缺少", "3  不合格", "4  电子证照核验"]
    assert choices(rows["income_proof"]) == ["1  收取", "2  缺少", "3  不合格"]
    # Only an original handed back with copies kept has a copies box; photos are counted in 张.
    assert rows["household_register"].copies is not None and rows["applicant_id_card"].copies is None
    assert rows["photos"].copies is None
    assert "原件 2 张" in rows["photos"].label.text()


def test_the_keyboard_records_handling_copies_and_the_e_licence(qtbot: Any, keyboard: Keyboard, window: Any) -> None:
    rows = {row.line.key: row for row in start_case(qtbot, keyboard, window)}
    hukou = rows["household_register"]
    keyboard.tab_to(hukou.status.objectName())
    keyboard.type("1")
    assert hukou.status.status() is MaterialStatus.COPY_KEPT
    assert hukou.copies is not None and hukou.copies.isEnabled() and hukou.copies.value() == 1
    keyboard.type("+")
    keyboard.type("+")
    keyboard.type("-")
    assert hukou.copies.value() == 2
    assert hukou.tick().count == 2
    keyboard.type("4")
    assert hukou.status.status() is MaterialStatus.E_VERIFIED
    assert not hukou.copies.isEnabled() and hukou.tick().count is None
    # Space toggles between the line's own present status and 缺少.
    keyboard.press(Qt.Key.Key_Space)
    assert hukou.status.status() is MaterialStatus.COPY_KEPT
    keyboard.press(Qt.Key.Key_Space)
    assert hukou.status.status() is MaterialStatus.MISSING
    # A line without the e-licence has no fourth choice: 4 changes nothing.
    card = rows["applicant_id_card"]
    keyboard.tab_to(card.status.objectName())
    keyboard.type("1")
    keyboard.type("4")
    assert card.status.status() is MaterialStatus.ORIGINAL_CHECKED
    # 不合格 takes the cursor into the note.
    keyboard.tab_to(rows["income_proof"].status.objectName())
    keyboard.type("3")
    assert keyboard.focus_name() == "material.income_proof.note"


def test_an_accepted_case_stores_what_happened_and_the_record_says_so(
    qtbot: Any, keyboard: Keyboard, services: Any, window: Any
) -> None:
    rows = {row.line.key: row for row in start_case(qtbot, keyboard, window)}
    keyboard.tab_to(rows["applicant_id_card"].status.objectName())
    keyboard.type("1")  # checked, handed back
    keyboard.tab()
    keyboard.type("1")  # 户口簿: original back, copies kept
    keyboard.type("+")
    keyboard.tab()
    keyboard.type("1")  # photos kept
    keyboard.tab()
    keyboard.type("1")  # income proof kept
    result = decide_and_skip_printing(qtbot, keyboard, window, Qt.Key.Key_1)
    stored = {m.key: m for m in services.intake.load(result.acceptance_no).materials}
    assert stored["applicant_id_card"].status == MaterialStatus.ORIGINAL_CHECKED.value
    assert stored["household_register"].status == MaterialStatus.COPY_KEPT.value
    assert stored["household_register"].count == 2
    assert stored["photos"].status == MaterialStatus.RECEIVED.value and stored["photos"].unit == "张"
    kept = {m.key for m in services.intake.load(result.acceptance_no).kept_materials}
    assert kept == {"household_register", "photos", "income_proof"}

    record = window.pages["applications"].open_record(result.acceptance_no)
    qtbot.waitUntil(lambda: record.record is not None)
    assert f"受理编号\n{result.acceptance_no}" in record.details.toPlainText()  # accepted: its 受理编号
    lines = record.details.toPlainText().splitlines()
    shown = dict(zip(lines[lines.index("材料") + 1 :: 2], lines[lines.index("材料") + 2 :: 2], strict=True))
    assert shown["申请人居民身份证"] == "原件核验（已退还）"
    assert shown["户口簿"] == "原件核验（已退还），收取复印件 2 份"
    assert shown["一寸照片"] == "收取 原件 2 张"
    assert shown["收入证明"] == "收取 原件 1 份"
    record.close()
