"""The password reset at the counter (账号 → 重置密码): a supervisor gives a clerk a temporary password in their own
session, by keyboard, confirmed with their own password; the clerk must change it at the next login; the audit
trail names both.  A clerk is not offered it, a supervisor is offered clerks only, and every refusal of the core is
shown beside the input it concerns."""

from __future__ import annotations

import json
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMenuBar

from app.domain import Role
from app.errors import NotAllowedError
from app.security.accounts import AccountSummary
from tests.conftest import add_user
from tests.storekit import connect_store
from tests.ui.ui_testkit import Keyboard
from ui.accounts import ResetPasswordDialog
from ui.context import UiContext

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
WRONG = "用户名或密码不正确，请重新输入。连续输错 5 次的账号将锁定 15 分钟，锁定期间无法登录。"


@pytest.fixture
def staff(services: Any) -> dict[str, Any]:
    """IT's admin (the store's first account), two clerks (lina locked out) and two supervisors."""
    people = {"it": add_user(services, "it", admin=True)}
    people["wangli"] = add_user(services, "wangli")
    people["lina"] = add_user(services, "lina")
    people["zhangmin"] = add_user(services, "zhangmin", supervisor=True)
    people["lisi"] = add_user(services, "lisi", supervisor=True)
    for attempt in range(services.deployment.max_failed_logins):
        try:
            services.accounts.login("lina", f"wrong-{attempt}")
        except Exception:  # noqa: BLE001, S110 - the failures are the point
            pass
    return people


def open_dialog(qtbot: Any, keyboard: Keyboard, window: Any) -> ResetPasswordDialog:
    """Ctrl+Shift+R in the window; wait until the list is read and the cursor is in it."""
    keyboard.press(Qt.Key.Key_R, CTRL_SHIFT)
    qtbot.waitUntil(lambda: window.reset_dialog is not None)
    dialog = window.reset_dialog
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    qtbot.waitUntil(lambda: window.context.runner.idle and bool(dialog.model.rows))
    qtbot.waitUntil(lambda: keyboard.focus_name() == "reset_accounts")
    return dialog


def listed(dialog: ResetPasswordDialog) -> list[list[str]]:
    """What the list shows, cell by cell."""
    model = dialog.model
    return [
        [model.data(model.index(row, column)) for column in range(model.columnCount())]
        for row in range(model.rowCount())
    ]


def audit(services: Any, action: str) -> list[tuple[str, str | None, dict[str, Any]]]:
    with connect_store(services.db.path) as conn:
        rows = conn.execute(
            "SELECT entity_id, user_id, details FROM audit_events WHERE action = ? ORDER BY seq", (action,)
        ).fetchall()
    conn.close()
    return [
        (entity.replace("-", ""), bytes(user).hex() if user else None, json.loads(details))  # user: 16 bytes stored
        for entity, user, details in rows
    ]


def test_a_supervisor_resets_a_clerks_password_by_keyboard_and_the_clerk_must_change_it_at_the_next_login(
    qtbot: Any, keyboard: Keyboard, services: Any, runner: Any, show: Any, staff: dict[str, Any], make_window: Any
) -> None:
    from ui.login import LoginDialog

    window = make_window(staff["zhangmin"])
    assert window.account_menu is not None and window.account_menu.title() == "账号(&A)"
    assert window.reset_action.text() == "重置密码(&R)…"
    dialog = open_dialog(qtbot, keyboard, window)
    # Clerks only: never the supervisor's own account, another supervisor or IT's admin.
    assert listed(dialog) == [
        ["王丽", "0301", "lina", "窗口人员", "已锁定"],
        ["王丽", "0301", "wangli", "窗口人员", "正常"],
    ]
    assert dialog.selected_username() == "lina"
    keyboard.press(Qt.Key.Key_Down)
    assert dialog.selected_username() == "wangli"
    keyboard.enter()
    assert keyboard.focus_name() == "reset_temporary"
    keyboard.type("temporary-1")
    keyboard.enter()
    assert keyboard.focus_name() == "reset_repeat"
    keyboard.type("temporary-1")
    keyboard.enter()
    assert keyboard.focus_name() == "reset_own_password"
    with qtbot.waitSignal(dialog.reset_done, timeout=10_000) as done:
        keyboard.type("supervisor-pass-1")
        keyboard.enter()
    assert done.args == ["wangli"]
    assert dialog.result_text.text() == (
        "已为 王丽（0301，用户名 wangli）设置临时密码。该账号下次登录时须先设置自己的密码。"
    )
    assert dialog.result_panel.isVisible() and not dialog.generated_label.isVisible() and dialog.generated is None
    assert dialog.own_password.text() == dialog.temporary.text() == ""
    qtbot.waitUntil(lambda: runner.idle and listed(dialog)[1][4] == "临时密码待修改")
    assert dialog.selected_username() == "wangli"

    # Audited: whose password, who did it; never the password.
    [(subject, by, details)] = audit(services, "user.password_reset")
    assert (subject, by) == (staff["wangli"].id.hex, staff["zhangmin"].id.hex)
    assert details["username"] == "wangli" and details["by"] == "zhangmin"
    assert "temporary-1" not in json.dumps(details)

    with qtbot.waitSignal(dialog.finished, timeout=5000):
        keyboard.press(Qt.Key.Key_Escape)
    assert window.reset_dialog is None

    # The clerk's next login, through the real login dialog, asks for a new password first.
    login = LoginDialog(services.deployment, runner, services)
    show(login)
    keyboard.type("wangli")
    keyboard.enter()
    keyboard.type("temporary-1")
    keyboard.enter()
    qtbot.waitUntil(lambda: login.new_password.isVisible())
    assert keyboard.focus_name() == "new_password" and "临时密码" in login.message.text()
    assert login.user is None
    keyboard.type("wangli-own-pass")
    keyboard.enter()
    with qtbot.waitSignal(login.logged_in, timeout=5000) as logged:
        keyboard.type("wangli-own-pass")
        keyboard.enter()
    assert logged.args[0].username == "wangli" and not logged.args[0].must_change_password


def test_a_generated_password_is_shown_once_to_be_handed_over_and_ends_the_lock_out(
    qtbot: Any, keyboard: Keyboard, services: Any, runner: Any, staff: dict[str, Any], make_window: Any
) -> None:
    window = make_window(staff["zhangmin"])
    dialog = open_dialog(qtbot, keyboard, window)
    assert dialog.selected_username() == "lina"  # locked out
    keyboard.tab()
    assert keyboard.focus_name() == "reset_generate"
    keyboard.press(Qt.Key.Key_Space)
    assert dialog.generate.isChecked() and not dialog.temporary.isEnabled() and not dialog.repeat.isEnabled()
    keyboard.enter()
    assert keyboard.focus_name() == "reset_own_password"
    with qtbot.waitSignal(dialog.reset_done, timeout=10_000):
        keyboard.type("supervisor-pass-1")
        keyboard.enter()
    generated = dialog.generated
    assert generated is not None and len(generated) == 10
    assert dialog.generated_label.isVisible() and dialog.generated_label.text() == generated
    assert dialog.handover.isVisible() and "当面交给该账号本人" in dialog.handover.text()
    assert "只显示这一次" in dialog.handover.text()
    qtbot.waitUntil(lambda: runner.idle and listed(dialog)[0][4] == "临时密码待修改")  # no longer locked
    [(_subject, _by, details)] = audit(services, "user.password_reset")
    assert generated not in json.dumps(details)
    user = services.accounts.login("lina", generated)
    assert user.must_change_password
    dialog.close()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)

    again = open_dialog(qtbot, keyboard, window)
    assert again is not dialog and not again.result_panel.isVisible() and again.generated is None
    assert again.generated_label.text() == ""


def test_a_wrong_own_password_is_refused_beside_it_and_nothing_changes(
    qtbot: Any, keyboard: Keyboard, services: Any, staff: dict[str, Any], make_window: Any
) -> None:
    window = make_window(staff["zhangmin"])
    dialog = open_dialog(qtbot, keyboard, window)
    keyboard.press(Qt.Key.Key_Down)
    keyboard.enter()
    for text in ("temporary-1", "temporary-1"):
        keyboard.type(text)
        keyboard.enter()
    with qtbot.waitSignal(dialog.refused, timeout=10_000) as refused:
        keyboard.type("not-my-password")
        keyboard.enter()
    assert refused.args == [WRONG]
    assert dialog.own_message.text() == WRONG and dialog.own_message.isVisible()
    assert not dialog.temporary_message.isVisible() and not dialog.accounts_message.isVisible()
    assert keyboard.focus_name() == "reset_own_password" and dialog.own_password.text() == ""
    assert not dialog.result_panel.isVisible() and dialog.submit.isEnabled()
    assert audit(services, "user.password_reset") == []
    # Counted against the supervisor, like a failed login; the clerk keeps their password.
    [(subject, _by, details)] = audit(services, "login.failed")[-1:]
    assert subject == staff["zhangmin"].id.hex and details["reason"] == "wrong_password"
    assert not services.accounts.login("wangli", "counter-pass-1").must_change_password


def test_a_short_or_mistyped_temporary_password_is_refused_beside_it(
    qtbot: Any, keyboard: Keyboard, services: Any, staff: dict[str, Any], make_window: Any
) -> None:
    window = make_window(staff["zhangmin"])
    dialog = open_dialog(qtbot, keyboard, window)
    keyboard.enter()
    keyboard.type("temporary-1")
    keyboard.enter()
    keyboard.type("temporary-2")
    keyboard.enter()
    keyboard.type("supervisor-pass-1")
    keyboard.enter()  # the dialog's own check: nothing reaches the core
    assert dialog.temporary_message.text() == "两次输入的临时密码不一致，请重新输入。"
    assert keyboard.focus_name() == "reset_repeat"
    dialog.temporary.setText("short")
    dialog.repeat.setText("short")
    with qtbot.waitSignal(dialog.refused, timeout=10_000) as refused:
        dialog.own_password.setFocus()
        keyboard.enter()
    assert refused.args == ["密码至少需要 8 个字符。"]  # the core's rule
    assert dialog.temporary_message.text() == "密码至少需要 8 个字符。"
    assert keyboard.focus_name() == "reset_temporary" and not dialog.own_message.isVisible()
    assert audit(services, "user.password_reset") == []


def test_a_supervisor_is_not_offered_supervisors_or_admins_and_the_core_refuses_them_if_forced(
    qtbot: Any, keyboard: Keyboard, services: Any, staff: dict[str, Any], make_window: Any
) -> None:
    window = make_window(staff["zhangmin"])
    dialog = open_dialog(qtbot, keyboard, window)
    assert {row[2] for row in listed(dialog)} == {"lina", "wangli"}
    # A row the list never offers, put there by hand: the core refuses, beside the list.
    forged = AccountSummary("lisi", "张敏", "0101", Role.SUPERVISOR, locked=False, temporary=False)
    dialog.model.set_rows([forged])
    dialog.table.selectRow(0)
    dialog.temporary.setText("temporary-1")
    dialog.repeat.setText("temporary-1")
    dialog.own_password.setText("supervisor-pass-1")
    with qtbot.waitSignal(dialog.refused, timeout=10_000) as refused:
        dialog.submit.click()
    assert refused.args == ["值班长只能重置窗口人员的密码；其他账号请找系统管理员。"]
    assert dialog.accounts_message.text() == refused.args[0] and keyboard.focus_name() == "reset_accounts"
    qtbot.waitUntil(lambda: {row[2] for row in listed(dialog)} == {"lina", "wangli"})  # read again
    assert audit(services, "user.password_reset") == []
    for target in ("lisi", "it"):
        with pytest.raises(NotAllowedError, match="只能重置窗口人员"):
            services.accounts.reset_password(
                target, "temporary-1", by=staff["zhangmin"], by_password="supervisor-pass-1"
            )
    assert not services.accounts.login("lisi", "supervisor-pass-1").must_change_password


def test_an_admin_is_offered_clerks_and_supervisors(
    qtbot: Any, keyboard: Keyboard, services: Any, staff: dict[str, Any], make_window: Any
) -> None:
    from tests.conftest import ADMIN_PASSWORD

    window = make_window(staff["it"])
    assert "intake" not in window.pages and window.reset_action is not None
    dialog = open_dialog(qtbot, keyboard, window)
    assert [(row[2], row[3]) for row in listed(dialog)] == [
        ("lina", "窗口人员"),
        ("wangli", "窗口人员"),
        ("lisi", "值班长"),
        ("zhangmin", "值班长"),
    ]
    assert dialog.own_password.parentWidget().layout().labelForField(dialog.own_password).text() == (
        "信息员（9001）的密码"
    )
    dialog.table.selectRow(3)
    dialog.generate.setChecked(True)
    dialog.own_password.setText(ADMIN_PASSWORD)
    with qtbot.waitSignal(dialog.reset_done, timeout=10_000) as done:
        dialog.submit.click()
    assert done.args == ["zhangmin"]
    assert services.accounts.login("zhangmin", dialog.generated).must_change_password


def test_a_clerk_is_not_offered_the_reset_and_the_core_refuses_a_clerk(
    qtbot: Any, keyboard: Keyboard, services: Any, runner: Any, bridge: Any, staff: dict[str, Any], make_window: Any
) -> None:
    window = make_window(staff["wangli"])
    assert window.account_menu is None and window.reset_action is None
    assert window.findChildren(QMenuBar) == [] and window.findChild(QAction, "reset_password_action") is None
    keyboard.press(Qt.Key.Key_R, CTRL_SHIFT)
    qtbot.wait(100)
    assert window.reset_dialog is None
    assert not any(isinstance(w, ResetPasswordDialog) for w in QApplication.topLevelWidgets())
    # The dialog made for a clerk anyway shows the core's refusal, not a traceback.
    dialog = ResetPasswordDialog(UiContext(services, runner, bridge, staff["wangli"]))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.accounts_message.text() != "")
    assert dialog.accounts_message.text() == "窗口人员账号不能重置密码。"
    assert dialog.model.rows == [] and not dialog.submit.isEnabled()
    with pytest.raises(NotAllowedError, match="窗口人员账号不能重置密码"):
        services.accounts.reset_password("lina", "temporary-1", by=staff["wangli"], by_password="counter-pass-1")


def test_the_lock_covers_the_dialog_hides_the_menu_and_makes_its_shortcut_inert(
    qtbot: Any, keyboard: Keyboard, services: Any, staff: dict[str, Any], make_window: Any
) -> None:
    window = make_window(staff["zhangmin"])
    dialog = open_dialog(qtbot, keyboard, window)
    dialog.temporary.setText("temporary-1")
    window.idle.timeout()  # the idle minutes passed
    assert window.locked and not dialog.isVisible() and not window.menuBar().isVisible()
    assert not window.reset_action.isEnabled()
    window.activateWindow()  # what the desktop does when the active dialog disappears
    qtbot.waitUntil(lambda: keyboard.focus_name() == "lock_password")
    keyboard.press(Qt.Key.Key_R, CTRL_SHIFT)
    assert window.reset_dialog is dialog and not dialog.isVisible()
    with qtbot.waitSignal(window.locked_changed, timeout=5000):
        keyboard.type("supervisor-pass-1")
        keyboard.enter()
    assert dialog.isVisible() and dialog.temporary.text() == "temporary-1"
    assert window.menuBar().isVisible() and window.reset_action.isEnabled()
