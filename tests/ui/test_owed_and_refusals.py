"""The decision bar beyond the three decisions, on the test catalog (tests/app/data/catalog-owed): 容缺受理 and
先行救助 where the item declares them (先行救助 only when its case holds, with its reason), the owed materials on the
record with their date and their return visit, a refusal's ground, basis and competent office, and the one action
of an inquiry (答复并打印答复单)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.domain import Decision
from tests.ui.ui_testkit import (
    Keyboard,
    MessageRecorder,
    applicant,
    choose_item,
    decide_and_skip_printing,
    set_materials,
    valid_id,
    wait_materials,
)

CTRL = Qt.KeyboardModifier.ControlModifier
OWED_CATALOG = Path(__file__).parent.parent / "app" / "data" / "catalog-owed"
APPLICANT_ID = valid_id("31010419850615002")


@pytest.fixture
def services(services_factory: Any) -> Any:
    return services_factory(catalog_dir=OWED_CATALOG)


def visible_buttons(window: Any) -> list[str]:
    intake = window.pages["intake"]
    return [b.objectName() for b in intake.decision_buttons.values() if b.isVisibleTo(window)]


def start(qtbot: Any, keyboard: Keyboard, window: Any, urgency: str) -> None:
    choose_item(keyboard, "测试事项")
    applicant(keyboard, "张三", APPLICANT_ID)
    keyboard.tab_to("urgency")
    keyboard.type(urgency)  # 1 急难, 2 一般
    wait_materials(qtbot, window, 5)


def test_tolerated_acceptance_lists_what_is_owed_and_its_return_visit(
    qtbot: Any, keyboard: Keyboard, window: Any, services: Any, messages: MessageRecorder
) -> None:
    start(qtbot, keyboard, window, "2")
    intake = window.pages["intake"]
    assert visible_buttons(window) == ["decide_accept", "decide_tolerated", "decide_supplement", "decide_refuse"]
    tolerated = intake.decision_buttons[Decision.TOLERATED]
    assert tolerated.text() == "容缺受理 (Ctrl+4)"
    assert "收入证明" in tolerated.toolTip() and "5 个工作日" in tolerated.toolTip()
    assert "测试用容缺受理规定" in tolerated.toolTip()
    set_materials(qtbot, keyboard, window, ["1", "1", "1", "2", ""])  # income proof missing

    result = decide_and_skip_printing(qtbot, keyboard, window, Qt.Key.Key_4)
    assert result.decision is Decision.TOLERATED
    assert [m.key for m in result.owed_materials] == ["income_proof"]
    assert result.owed_by is not None
    assert f"须补交：收入证明　补交期限 {result.owed_by.isoformat()}" in intake.result.text()
    assert f"受理编号 {result.acceptance_no}" in intake.result.text()

    # The applicant brings it: the record shows what is owed and by when, a tick and Ctrl+1 record it.
    record = window.pages["applications"].open_record(result.acceptance_no)
    qtbot.waitUntil(lambda: record.record is not None and record.supplement.isVisible())
    text = record.details.toPlainText()
    assert "须补交材料\n收入证明" in text and f"补交期限\n{result.owed_by.isoformat()}" in text
    assert result.owed_by.isoformat() in record.supplement.title()
    assert record.accept_button.text() == "记录补交 (Ctrl+1)"
    assert [b.objectName() for b, _, _ in record._boxes] == ["brought.income_proof"]
    qtbot.waitUntil(lambda: keyboard.focus_name() == "brought.income_proof")
    keyboard.press(Qt.Key.Key_Space)
    with qtbot.waitSignal(record.changed, timeout=10_000) as changed:
        keyboard.press(Qt.Key.Key_1, CTRL)
    assert changed.args[0].owed_materials == []
    assert f"承诺补交的材料已收齐：受理编号 {result.acceptance_no}" in messages.texts("info")
    assert services.intake.load(result.acceptance_no).owed_materials == []
    qtbot.waitUntil(lambda: not record.supplement.isVisible())
    record.close()


def test_first_aid_is_offered_only_in_its_case_and_needs_its_reason(
    qtbot: Any, keyboard: Keyboard, window: Any
) -> None:
    start(qtbot, keyboard, window, "2")  # 一般: no 先行救助
    intake = window.pages["intake"]
    assert "decide_first_aid" not in visible_buttons(window)
    assert not intake.first_aid_reason.isVisibleTo(window)
    keyboard.tab_to("urgency")
    keyboard.type("1")  # 急难
    qtbot.waitUntil(lambda: "decide_first_aid" in visible_buttons(window))
    assert intake.first_aid_reason.isVisibleTo(window)
    assert "先行救助" in intake.decision_buttons[Decision.FIRST_AID].toolTip()
    set_materials(qtbot, keyboard, window, ["2", "1", "1", "2", ""])  # ID card and income proof follow

    with qtbot.waitSignal(intake.decision_failed, timeout=10_000) as failed:
        keyboard.press(Qt.Key.Key_5, CTRL)
    assert "先行救助必须写明理由" in failed.args[0]
    assert keyboard.focus_name() == "first_aid_reason"
    assert "先行救助必须写明理由" in intake.first_aid_message.text()
    keyboard.type("住房失火，生活无着")
    result = decide_and_skip_printing(qtbot, keyboard, window, Qt.Key.Key_5)
    assert result.decision is Decision.FIRST_AID
    assert result.first_aid_reason == "住房失火，生活无着"
    assert {m.key for m in result.owed_materials} == {"applicant_id_card", "income_proof"}


def test_a_refusal_states_its_ground_basis_and_the_competent_office(
    qtbot: Any, keyboard: Keyboard, window: Any
) -> None:
    start(qtbot, keyboard, window, "2")
    intake = window.pages["intake"]
    assert not intake.competent_office.isVisibleTo(window)  # 不符合申请条件 by default
    keyboard.tab_to("refusal_ground")
    keyboard.press(Qt.Key.Key_Up)  # 不属于本机关职权范围
    assert intake.refusal_ground.currentData() == "not_competent"
    assert intake.competent_office.isVisibleTo(window)
    keyboard.tab_to("refusal_basis")
    keyboard.type("《测试办法》第三条")
    keyboard.tab_to("refusal_reason")
    keyboard.type("本事项由户籍地街道受理")
    with qtbot.waitSignal(intake.decision_failed, timeout=10_000) as failed:
        keyboard.press(Qt.Key.Key_3, CTRL)
    assert "应向哪个机关申请" in failed.args[0]
    assert keyboard.focus_name() == "competent_office"
    keyboard.type("徐汇区民政局")
    result = decide_and_skip_printing(qtbot, keyboard, window, Qt.Key.Key_3)
    assert result.decision is Decision.REFUSE
    assert (result.refusal_ground, result.competent_office, result.refusal_basis) == (
        "not_competent",
        "徐汇区民政局",
        "《测试办法》第三条",
    )
    assert result.refusal_reason == "本事项由户籍地街道受理"
    assert f"办件编号 {result.acceptance_no}" in intake.result.text()
    assert "受理编号" not in intake.result.text()


def test_an_inquiry_offers_one_action_the_answer_slip(qtbot: Any, keyboard: Keyboard, window: Any) -> None:
    intake = window.pages["intake"]
    choose_item(keyboard, "测试查询")
    assert intake.item is not None and intake.item.kind == "inquiry"
    assert visible_buttons(window) == ["decide_accept"]
    assert intake.decision_buttons[Decision.ACCEPT].text() == "答复并打印答复单 (Ctrl+1)"
    assert not intake.refusal_reason.isEnabled()
    applicant(keyboard, "李四", APPLICANT_ID)
    keyboard.tab_to("question")
    keyboard.type("上月发放情况")
    set_materials(qtbot, keyboard, window, ["1"])
    with qtbot.waitSignal(intake.decided, timeout=20_000) as decided:
        keyboard.press(Qt.Key.Key_1, CTRL)
    result = decided.args[0]
    assert result.state == "answered" and result.promised_date is None
    assert intake.result.text().startswith("已答复：李四")
    assert f"办件编号 {result.acceptance_no}" in intake.result.text()
    qtbot.waitUntil(lambda: window.context.runner.idle, timeout=20_000)
    record = window.pages["applications"].open_record(result.acceptance_no)
    qtbot.waitUntil(lambda: record.record is not None)
    text = record.details.toPlainText()
    assert f"办件编号\n{result.acceptance_no}" in text and "受理编号" not in text  # answered, not accepted
    record.close()


def test_cases_past_their_date_for_owed_materials_are_listed(
    qtbot: Any, keyboard: Keyboard, services: Any, clerk: Any, clock: Any, make_window: Any
) -> None:
    from app.domain import MaterialStatus, PartyRole
    from app.intake.model import ApplicationDraft, DecisionInput, MaterialInput, PartyInput

    draft = ApplicationDraft(
        item_code="TS-OWED-001",
        values={"urgency": "ordinary"},
        parties=[PartyInput(PartyRole.APPLICANT, "王五", APPLICANT_ID, "13800138000")],
        materials=[
            MaterialInput("applicant_id_card", MaterialStatus.ORIGINAL_CHECKED),
            MaterialInput("household_register", MaterialStatus.COPY_KEPT),
            MaterialInput("photos", MaterialStatus.RECEIVED),
            MaterialInput("income_proof", MaterialStatus.MISSING),
        ],
    )
    owed = services.intake.decide(draft, DecisionInput(Decision.TOLERATED), clerk)
    assert owed.owed_by is not None
    clock.advance(days=(owed.owed_by - clock().date()).days + 1)  # the day after the date
    window = make_window(clerk)
    keyboard.press(Qt.Key.Key_F3)
    view = window.pages["applications"]
    with qtbot.waitSignal(view.loaded):
        view.overdue_button.click()
    assert [r.acceptance_no for r in view.model.rows] == [owed.acceptance_no]
    assert view.status.text() == "逾期未补交 1 件"
