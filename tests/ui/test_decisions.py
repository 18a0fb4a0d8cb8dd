"""The three decisions as a clerk takes them: a marriage pre-check of two parties, a one-time 补正 notice and the
return visit that accepts it, a refusal that needs its reason, and a record voided with a supervisor's approval."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QShortcut

from app.domain import Decision
from app.security.permissions import MACHINE
from tests.ui.ui_testkit import (
    Keyboard,
    MessageRecorder,
    applicant,
    choose_item,
    decide_and_skip_printing,
    set_materials,
    valid_id,
)

CTRL = Qt.KeyboardModifier.ControlModifier
GROOM_ID = valid_id("31010419900101001")  # 1990-01-01, M
BRIDE_ID = valid_id("31010519950505002")  # 1995-05-05, F
APPLICANT_ID = valid_id("31010119800101001")
AGENT_ID = valid_id("31010619700307002")


def decide(qtbot: Any, keyboard: Keyboard, window: Any, key: Qt.Key) -> Any:
    """Press Ctrl+<key>, skip printing in the preview that follows, and return the stored DecisionResult."""
    return decide_and_skip_printing(qtbot, keyboard, window, key)


def test_marriage_precheck_of_two_parties(qtbot: Any, keyboard: Keyboard, window: Any, services: Any) -> None:
    intake = window.pages["intake"]
    choose_item(keyboard, "婚姻")
    assert intake.item is not None and intake.item.kind == "precheck"
    buttons = intake.decision_buttons
    assert [b.text() for b in buttons.values() if b.isVisibleTo(window)] == [
        "预审通过 (Ctrl+1)",
        "材料不全（一次性告知） (Ctrl+2)",
        "不符合登记条件 (Ctrl+3)",
    ]
    assert intake.applicant.title() == "当事人一方"
    assert [p.title() for p in intake.others] == ["当事人另一方"]

    applicant(keyboard, "李明", GROOM_ID)
    keyboard.tab_to("spouse.name")
    keyboard.type("王䶮")
    keyboard.enter()
    keyboard.type(BRIDE_ID)
    keyboard.enter()
    keyboard.tab_to("business_type")
    keyboard.type("1")  # 结婚登记
    # each party's ID card and declaration, and the joint photos
    set_materials(qtbot, keyboard, window, ["1", "1", "1", "1", "1"])

    result = decide(qtbot, keyboard, window, Qt.Key.Key_1)
    assert result.decision.value == "accept"
    assert intake.result.text().startswith("已预审通过：李明")
    stored = services.intake.load(result.acceptance_no)
    assert [(p.role, p.name) for p in stored.parties] == [("applicant", "李明"), ("spouse", "王䶮")]
    assert stored.values["business_type"] == "marriage"


def test_supplement_notice_lists_missing_materials_then_the_return_visit_accepts(
    qtbot: Any, keyboard: Keyboard, window: Any, services: Any, messages: MessageRecorder
) -> None:
    intake = window.pages["intake"]
    keyboard.type("B007")
    choose_item(keyboard, "临时救助")
    applicant(keyboard, "赵堃", APPLICANT_ID)
    keyboard.tab_to("agent.name")
    keyboard.type("钱多多")
    keyboard.enter()
    keyboard.type(AGENT_ID)
    keyboard.tab_to("assistance_type")
    keyboard.type("1")  # 急难型
    keyboard.tab_to("situation")
    keyboard.type("家中失火，衣物被褥损毁")
    # ID card received; power of attorney defective (with its note); the agent's ID card missing
    set_materials(qtbot, keyboard, window, ["1", "3:缺少受托人签字", "2"])

    result = decide(qtbot, keyboard, window, Qt.Key.Key_2)
    assert result.decision.value == "supplement"
    assert result.notice_no
    text = intake.result.text()
    assert f"文书编号 {result.notice_no}" in text
    assert "须补正：委托书（钱多多）、代办人居民身份证（钱多多）" in text

    # The applicant comes back: F3, find the case by its number, open it, tick what was brought, accept.
    keyboard.press(Qt.Key.Key_F3)
    assert keyboard.focus_name() == "list_search"
    keyboard.type(result.acceptance_no)
    with qtbot.waitSignal(window.pages["applications"].loaded):
        keyboard.enter()
    assert window.pages["applications"].model.rows[0].acceptance_no == result.acceptance_no
    keyboard.press(Qt.Key.Key_Down)
    with qtbot.waitSignal(window.pages["applications"].record_opened) as opened:
        keyboard.enter()
    record = opened.args[0]
    qtbot.waitUntil(lambda: record.record is not None and record.supplement.isVisible())
    assert [b.objectName() for b, _, _ in record._boxes] == ["brought.power_of_attorney.1", "brought.agent_id_card.1"]
    # The return visit's Ctrl+1 clicks at once too (no animateClick on its way to the preview).
    assert record.accept_button.shortcut().isEmpty()
    assert record.findChild(QShortcut, "supplement_accept_key").key().toString() == "Ctrl+1"
    assert keyboard.focus_name() == "brought.power_of_attorney.1"
    keyboard.press(Qt.Key.Key_Space)
    keyboard.tab()
    keyboard.press(Qt.Key.Key_Space)
    accepted = decide_and_skip_printing(qtbot, keyboard, window, Qt.Key.Key_1)
    qtbot.waitUntil(lambda: keyboard.focus().window() is record)  # back in the record after the preview
    assert accepted.acceptance_no == result.acceptance_no
    assert accepted.state == "accepted"
    assert accepted.promised_date is not None
    assert "已受理" in record.title.text()
    assert f"补正材料已收齐，已受理：受理编号 {result.acceptance_no}" in messages.texts("info")[-1]
    assert services.intake.load(result.acceptance_no).state == "accepted"


def test_refusal_needs_a_reason(qtbot: Any, keyboard: Keyboard, window: Any, services: Any) -> None:
    intake = window.pages["intake"]
    choose_item(keyboard, "临时救助")
    applicant(keyboard, "孙悦", APPLICANT_ID)

    with qtbot.waitSignal(intake.decision_failed, timeout=10_000) as failed:
        keyboard.press(Qt.Key.Key_3, CTRL)
    assert failed.args[0] == "不予受理必须写明理由（至少 4 个字）。"
    assert intake.reason_message.text() == "不予受理必须写明理由（至少 4 个字）。"
    assert intake.reason_message.isVisible()
    assert keyboard.focus_name() == "refusal_reason"
    assert services.intake.search("孙悦", by=MACHINE) == []

    keyboard.type("申请人户籍不在本市，已告知向户籍地街道申请")
    result = decide(qtbot, keyboard, window, Qt.Key.Key_3)
    assert result.decision.value == "refuse"
    assert result.refusal_reason == "申请人户籍不在本市，已告知向户籍地街道申请"
    assert intake.result.text().startswith("已出具不予受理：孙悦")


def test_the_decision_key_decides_at_once_and_only_when_its_button_could_be_clicked(
    qtbot: Any, keyboard: Keyboard, window: Any, services: Any
) -> None:
    """Ctrl+1… is the button's click without the button's own shortcut animation (animateClick emits ``clicked``
    100 ms after the key: part of every decision's wait for its preview). A key whose decision is not offered for
    the item, or pressed while the window is locked, does nothing."""
    intake = window.pages["intake"]
    choose_item(keyboard, "临时救助")
    applicant(keyboard, "孙悦", APPLICANT_ID)
    refuse = intake.decision_buttons[Decision.REFUSE]
    assert refuse.isEnabled() and refuse.shortcut().isEmpty()  # the key is its own QShortcut (ui.widgets.click_on_key)

    failed: list[str] = []
    intake.decision_failed.connect(failed.append)
    keyboard.press(Qt.Key.Key_3, CTRL)
    # Nothing has run the event loop since the key: the decision was already taken up (its buttons wait).
    assert not refuse.isEnabled()
    qtbot.waitUntil(lambda: bool(failed), timeout=10_000)
    assert failed == ["不予受理必须写明理由（至少 4 个字）。"]
    assert refuse.isEnabled()

    # 先行救助 is not offered for this item: its key is not a decision.
    first_aid = intake.decision_buttons[Decision.FIRST_AID]
    assert not first_aid.isVisibleTo(window)
    keyboard.press(Qt.Key.Key_5, CTRL)
    assert refuse.isEnabled() and failed == ["不予受理必须写明理由（至少 4 个字）。"]

    # Locked (Ctrl+L): the keys are off with the rest of the window; unlocked, they work again.
    window.lock()
    assert not any(k.isEnabled() for k in refuse.findChildren(QShortcut))
    window.unlock()
    assert all(k.isEnabled() for k in refuse.findChildren(QShortcut))
    with qtbot.waitSignal(intake.decision_failed, timeout=10_000):
        keyboard.press(Qt.Key.Key_3, CTRL)
    assert services.intake.search("孙悦", by=MACHINE) == []


def test_accept_with_missing_material_points_at_the_checklist(qtbot: Any, keyboard: Keyboard, window: Any) -> None:
    intake = window.pages["intake"]
    choose_item(keyboard, "临时救助")
    applicant(keyboard, "周瑜", APPLICANT_ID)
    keyboard.tab_to("assistance_type")
    keyboard.type("1")
    keyboard.tab_to("situation")
    keyboard.type("突发疾病住院")
    set_materials(qtbot, keyboard, window, ["2"])
    with qtbot.waitSignal(intake.decision_failed, timeout=10_000) as failed:
        keyboard.press(Qt.Key.Key_1, CTRL)
    assert "缺少“申请人居民身份证”" in failed.args[0]
    assert keyboard.focus_name() == "material.applicant_id_card"
    assert "缺少“申请人居民身份证”" in window.findChild(object, "material.applicant_id_card.message").text()


def test_void_needs_a_supervisor(
    qtbot: Any,
    keyboard: Keyboard,
    window: Any,
    services: Any,
    supervisor: Any,
    messages: MessageRecorder,
) -> None:
    choose_item(keyboard, "临时救助")
    applicant(keyboard, "吴用", APPLICANT_ID)
    keyboard.tab_to("assistance_type")
    keyboard.type("1")
    keyboard.tab_to("situation")
    keyboard.type("突发疾病住院")
    set_materials(qtbot, keyboard, window, ["1"])
    result = decide(qtbot, keyboard, window, Qt.Key.Key_1)

    keyboard.press(Qt.Key.Key_F3)
    keyboard.type("吴用")
    with qtbot.waitSignal(window.pages["applications"].loaded):
        keyboard.enter()
    keyboard.press(Qt.Key.Key_Down)
    with qtbot.waitSignal(window.pages["applications"].record_opened) as opened:
        keyboard.enter()
    record = opened.args[0]
    qtbot.waitUntil(lambda: record.void_button.isEnabled())
    keyboard.press(Qt.Key.Key_D, CTRL)
    qtbot.waitUntil(lambda: keyboard.focus_name() == "approval_reason")
    dialog = keyboard.focus().window()
    keyboard.type("录入的申请人有误，重新受理")
    keyboard.tab()
    keyboard.type("wangli")  # a clerk cannot approve
    keyboard.tab()
    keyboard.type("counter-pass-1")
    with qtbot.waitSignal(runner_finished(window), timeout=10_000):
        keyboard.enter()
    assert dialog.auth_message.text() == "“王丽”不是值班长账号，不能批准此操作。"
    assert keyboard.focus_name() == "supervisor_password"

    keyboard.press(Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    keyboard.press(Qt.Key.Key_A, CTRL)
    keyboard.type("zhangmin")
    keyboard.tab()
    keyboard.type("supervisor-pass-1")
    with qtbot.waitSignal(record.changed, timeout=10_000) as changed:
        keyboard.enter()
    assert changed.args[0].state == "voided"
    assert "已作废" in record.title.text()
    assert f"已作废：办件编号 {result.acceptance_no}" in messages.texts("info")
    assert services.intake.load(result.acceptance_no).state == "voided"
    model = window.pages["applications"].model
    qtbot.waitUntil(lambda: model.rows and model.rows[0].state == "voided")


def runner_finished(window: Any) -> Any:
    return window.context.runner.finished


def test_duplicate_applicant_needs_an_explicit_confirmation(
    qtbot: Any, keyboard: Keyboard, window: Any, services: Any, clerk: Any
) -> None:
    from app.domain import MaterialStatus, PartyRole
    from app.intake.model import ApplicationDraft, DecisionInput, MaterialInput, PartyInput

    earlier = services.intake.decide(
        ApplicationDraft(
            item_code="MZ-SHJZ-002",
            values={"assistance_type": "emergency", "situation": "家中失火"},
            parties=[PartyInput(PartyRole.APPLICANT, "郑和", APPLICANT_ID)],
            materials=[MaterialInput("applicant_id_card", MaterialStatus.RECEIVED)],
        ),
        DecisionInput(Decision.ACCEPT),
        clerk,
    )
    intake = window.pages["intake"]
    choose_item(keyboard, "临时救助")
    applicant(keyboard, "郑和", APPLICANT_ID)
    keyboard.tab_to("assistance_type")
    keyboard.type("1")
    keyboard.tab_to("situation")
    keyboard.type("家中再次失火")
    set_materials(qtbot, keyboard, window, ["1"])
    qtbot.waitUntil(lambda: intake.duplicates_label.isVisible())
    assert earlier.acceptance_no in intake.duplicates_label.text()
    assert intake.confirm_duplicate.isVisible() and not intake.confirm_duplicate.isChecked()

    with qtbot.waitSignal(intake.decision_failed, timeout=10_000) as failed:
        keyboard.press(Qt.Key.Key_1, CTRL)
    assert failed.args[0] == f"该申请人已有同一事项的在办申请（{earlier.acceptance_no}），请核实后确认继续。"
    assert keyboard.focus_name() == "confirm_duplicate"
    keyboard.press(Qt.Key.Key_Space)
    result = decide(qtbot, keyboard, window, Qt.Key.Key_1)
    assert result.acceptance_no != earlier.acceptance_no


def test_correction_of_form_values_with_a_supervisor(
    qtbot: Any, keyboard: Keyboard, window: Any, services: Any, supervisor: Any
) -> None:
    choose_item(keyboard, "临时救助")
    applicant(keyboard, "冯远", APPLICANT_ID)
    keyboard.tab_to("assistance_type")
    keyboard.type("1")
    keyboard.tab_to("situation")
    keyboard.type("突发疾病")
    set_materials(qtbot, keyboard, window, ["1"])
    result = decide(qtbot, keyboard, window, Qt.Key.Key_1)

    keyboard.press(Qt.Key.Key_F3)
    keyboard.type(result.acceptance_no)
    with qtbot.waitSignal(window.pages["applications"].loaded):
        keyboard.enter()
    keyboard.press(Qt.Key.Key_Down)
    with qtbot.waitSignal(window.pages["applications"].record_opened) as opened:
        keyboard.enter()
    record = opened.args[0]
    qtbot.waitUntil(lambda: record.correct_button.isEnabled())
    keyboard.press(Qt.Key.Key_E, CTRL)
    qtbot.waitUntil(lambda: keyboard.focus_name() == "assistance_type")
    keyboard.type("2")  # 支出型: the amount field appears
    keyboard.tab()
    assert keyboard.focus_name() == "situation"
    keyboard.press(Qt.Key.Key_End, CTRL)
    keyboard.type("，住院费用三万元")
    keyboard.tab()
    assert keyboard.focus_name() == "expense_amount"
    keyboard.type("30000")
    keyboard.tab_to("approval_reason")
    keyboard.type("救助类型录入有误")
    keyboard.tab()
    keyboard.type("zhangmin")
    keyboard.tab()
    keyboard.type("supervisor-pass-1")
    with qtbot.waitSignal(record.changed, timeout=10_000):
        keyboard.enter()
    stored = services.intake.load(result.acceptance_no)
    assert stored.values["assistance_type"] == "expenditure"
    assert stored.values["situation"] == "突发疾病，住院费用三万元"
    assert stored.values["expense_amount"] == 3_000_000
    assert "支出型" in record.details.toPlainText()


def test_accept_with_an_empty_required_field_goes_to_that_field(qtbot: Any, keyboard: Keyboard, window: Any) -> None:
    intake = window.pages["intake"]
    choose_item(keyboard, "低保")
    applicant(keyboard, "林黛玉", APPLICANT_ID)
    with qtbot.waitSignal(intake.decision_failed, timeout=10_000) as failed:
        keyboard.press(Qt.Key.Key_1, CTRL)
    assert failed.args[0] == "请选择“户籍在本市（已核验户口簿）”（是或否）"
    assert keyboard.focus_name() == "applicant.hukou_shanghai"
    assert window.findChild(object, "applicant.hukou_shanghai.message").text() == failed.args[0]
    # every other problem is shown beside its own field too
    assert window.findChild(object, "applicant.hukou_address.message").text() == "请填写“户籍地址”"
    assert window.findChild(object, "reason.message").text() == "请填写“申请理由”"
