"""Today's list (masked ID numbers, status, sync state), the search by name and 办件编号, and the login lock-out."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from app.domain import Decision, MaterialStatus, PartyRole
from app.intake.model import ApplicationDraft, DecisionInput, MaterialInput, PartyInput
from tests.ui.ui_testkit import Keyboard, log_in, valid_id


def take(services: Any, clerk: Any, name: str, id_number: str, decision: Decision = Decision.ACCEPT) -> str:
    """An application stored through the core (the list's test data)."""
    draft = ApplicationDraft(
        item_code="MZ-SHJZ-002",
        values={"assistance_type": "emergency", "situation": "家中突发火灾"},
        parties=[PartyInput(PartyRole.APPLICANT, name, id_number, "13800138000")],
        materials=[MaterialInput("applicant_id_card", MaterialStatus.RECEIVED)],
    )
    reason = "不属于本中心受理范围" if decision is Decision.REFUSE else None
    return str(services.intake.decide(draft, DecisionInput(decision, reason), clerk).acceptance_no)


def cells(window: Any, column: str) -> list[str]:
    model = window.pages["applications"].model
    index = model.COLUMNS.index(column)
    return [model.data(model.index(r, index)) for r in range(model.rowCount())]


def test_list_masks_id_numbers_and_finds_by_name_and_number(
    qtbot: Any, keyboard: Keyboard, services: Any, clerk: Any, make_window: Any
) -> None:
    first = take(services, clerk, "阿依古丽·买买提", "310101198001010018")
    second = take(services, clerk, "张𠮷", valid_id("31010419850615002"), Decision.REFUSE)
    window = make_window(clerk)
    keyboard.press(Qt.Key.Key_F3)
    assert keyboard.focus_name() == "list_search"
    qtbot.waitUntil(lambda: window.pages["applications"].model.rowCount() == 2)
    assert cells(window, "acceptance_no") == [second, first]  # newest first
    assert cells(window, "id") == ["310***********0023", "310***********0018"]
    assert cells(window, "state") == ["不予受理", "已受理"]
    assert cells(window, "sync") == ["待上传", "待上传"]
    # It counts every decision of the day (the refusal too): 今日收件, not 今日受理.
    assert window.pages["applications"].status.text() == "今日收件 2 件"
    model = window.pages["applications"].model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers[0] == "办件编号" and "受理结果" in headers and "办理进度" in headers and "受理编号" not in headers
    assert window.pages["applications"].search.placeholderText().startswith("办件编号")
    assert "310101198001010018" not in str([cells(window, c) for c in window.pages["applications"].model.COLUMNS])

    keyboard.type("阿依古丽买买提")  # without the dot: names are searched by their key
    with qtbot.waitSignal(window.pages["applications"].loaded):
        keyboard.enter()
    assert cells(window, "applicant") == ["阿依古丽·买买提"]
    assert window.pages["applications"].status.text() == "查询“阿依古丽买买提”：1 件"

    keyboard.press(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    keyboard.type("𠮷")
    with qtbot.waitSignal(window.pages["applications"].loaded):
        keyboard.enter()
    assert cells(window, "applicant") == ["张𠮷"]

    keyboard.press(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    keyboard.type(first)
    with qtbot.waitSignal(window.pages["applications"].loaded):
        keyboard.enter()
    assert cells(window, "acceptance_no") == [first]

    keyboard.press(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    keyboard.press(Qt.Key.Key_Delete)
    with qtbot.waitSignal(window.pages["applications"].loaded):
        keyboard.enter()
    assert window.pages["applications"].model.rowCount() == 2


def test_applicant_history_appears_for_a_known_id_number(
    qtbot: Any, keyboard: Keyboard, services: Any, clerk: Any, make_window: Any
) -> None:
    number = take(services, clerk, "李堃", "310101198001010018")
    window = make_window(clerk)
    keyboard.tab_to("applicant.id_number")
    keyboard.type("310101198001010018")
    history = window.pages["intake"].history
    qtbot.waitUntil(history.isVisible)
    assert history.text().startswith("既往申请 1 条：")
    assert number in history.text()


WRONG = "用户名或密码不正确，请重新输入。连续输错 {n} 次的账号将锁定 15 分钟，锁定期间无法登录。"


def test_login_locks_the_account_after_repeated_failures(
    qtbot: Any, keyboard: Keyboard, show: Any, services: Any, runner: Any, clerk: Any
) -> None:
    from ui.login import LoginDialog

    dialog = LoginDialog(services.deployment, runner, services)
    show(dialog)
    keyboard.type("wangli")
    keyboard.enter()
    attempts = services.deployment.max_failed_logins
    for attempt in range(1, attempts + 1):
        assert keyboard.focus_name() == "password"
        with qtbot.waitSignal(dialog.login_failed, timeout=5000) as failed:
            keyboard.type(f"wrong-{attempt}")
            keyboard.enter()
        assert failed.args[0] == WRONG.format(n=attempts)
    assert dialog.password.text() == ""
    # The right password does not help while locked, and the answer is the same one (nothing to probe).
    with qtbot.waitSignal(dialog.login_failed, timeout=5000) as failed:
        keyboard.type("counter-pass-1")
        keyboard.enter()
    assert failed.args[0] == WRONG.format(n=attempts)
    assert dialog.user is None


def test_empty_password_is_asked_for_without_counting(
    keyboard: Keyboard, show: Any, services: Any, runner: Any
) -> None:
    from ui.login import LoginDialog

    dialog = LoginDialog(services.deployment, runner, services)
    show(dialog)
    keyboard.type("wangli")
    keyboard.enter()
    keyboard.enter()
    assert dialog.message.text() == "请输入密码。"
    assert keyboard.focus_name() == "password"


def test_logged_in_clerk_and_workstation_are_in_the_status_bar(
    qtbot: Any, keyboard: Keyboard, show: Any, services: Any, runner: Any, clerk: Any, make_window: Any
) -> None:
    user = log_in(qtbot, keyboard, show, services, runner, "wangli", "counter-pass-1")
    window = make_window(user)
    bar = window.statusBar()
    assert bar.findChild(object, "clerk").text() == "经办人：王丽（0301）"
    # The test deployment names a server but the workstation is not enrolled (tests/ui/test_sync_ui.py enrolls).
    assert bar.findChild(object, "sync_state").text() == "未注册 · 待上传 0"
    assert "3号综合窗口（003）" in bar.findChild(object, "workstation").text()


def test_a_temporary_password_logs_in_only_after_the_clerk_sets_their_own(
    qtbot: Any, keyboard: Keyboard, show: Any, services: Any, runner: Any, clerk: Any, supervisor: Any
) -> None:
    from ui.login import LoginDialog

    services.accounts.reset_password("wangli", "temporary-1", by=supervisor, by_password="supervisor-pass-1")
    dialog = LoginDialog(services.deployment, runner, services)
    show(dialog)
    assert not dialog.new_password.isVisible()
    keyboard.type("wangli")
    keyboard.enter()
    keyboard.type("temporary-1")
    keyboard.enter()
    qtbot.waitUntil(lambda: dialog.new_password.isVisible())
    assert keyboard.focus_name() == "new_password"
    assert "临时密码" in dialog.message.text()
    assert dialog.user is None and not dialog.password.isEnabled()
    keyboard.type("my-own-password")
    keyboard.enter()
    keyboard.type("my-own-passwork")
    keyboard.enter()
    assert "不一致" in dialog.message.text() and dialog.user is None
    assert keyboard.focus_name() == "repeat_password"
    with qtbot.waitSignal(dialog.logged_in, timeout=5000) as logged:
        keyboard.type("my-own-password")
        keyboard.enter()
    assert not logged.args[0].must_change_password
    assert services.accounts.login("wangli", "my-own-password").username == "wangli"
