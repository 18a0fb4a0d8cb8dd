"""The screen lock of the counter window (the workstation sits in a public hall): idle minutes or Ctrl+L cover the
window, its shortcuts are inert, the unsaved form stays as it was; the clerk's password unlocks (the core counts
failures); a supervisor may end the locked session, which keeps the clerk's window for their next login."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from tests.conftest import add_user
from tests.storekit import connect_store
from tests.ui.ui_testkit import Keyboard, choose_item
from ui.app import CounterSessions

CTRL = Qt.KeyboardModifier.ControlModifier
NAME = "阿依古丽·买买提"
WRONG = "用户名或密码不正确，请重新输入。连续输错 5 次的账号将锁定 15 分钟，锁定期间无法登录。"


def type_draft(keyboard: Keyboard) -> None:
    choose_item(keyboard, "低保")
    assert keyboard.focus_name() == "applicant.name"
    keyboard.type(NAME)


def shown_texts(window: QWidget) -> list[str]:
    """What the window's visible line edits and labels show."""
    texts = [w.text() for w in window.findChildren(QLineEdit) if w.isVisible()]
    return texts + [w.text() for w in window.findChildren(QWidget) if w.isVisible() and hasattr(w, "text")]


def name_field(window: Any) -> QLineEdit:
    field = window.findChild(QLineEdit, "applicant.name")
    assert field is not None
    return field


def unlock(qtbot: Any, keyboard: Keyboard, window: Any, password: str) -> None:
    assert keyboard.focus_name() == "lock_password"
    with qtbot.waitSignal(window.locked_changed, timeout=5000) as changed:
        keyboard.type(password)
        keyboard.enter()
    assert changed.args == [False]


def audit_actions(services: Any, action: str) -> list[tuple[str, str]]:
    with connect_store(services.db.path) as conn:
        rows = conn.execute("SELECT entity_id, user_id FROM audit_events WHERE action = ?", (action,)).fetchall()
    conn.close()
    return rows


def test_idle_minutes_lock_the_window_which_hides_the_case_and_its_shortcuts(
    qtbot: Any, keyboard: Keyboard, services: Any, window: Any
) -> None:
    assert services.deployment.lock_minutes == 5
    assert window.idle.timer.interval() == 5 * 60_000 and window.idle.watching
    type_draft(keyboard)
    intake = window.pages["intake"]
    window.idle.timeout()  # the five minutes passed without input
    assert window.locked and not window.idle.watching
    assert not intake.isVisible() and not window.statusBar().isVisible()
    assert not any(NAME in text for text in shown_texts(window))
    assert window.lock_page.isVisible()
    assert window.lock_page.clerk.text() == "经办人：王丽（0301）"
    # Every shortcut of the window is inert: no decision, no other tab, no upload queue.
    with qtbot.assertNotEmitted(intake.decision_buttons[next(iter(intake.decision_buttons))].clicked, wait=100):
        keyboard.press(Qt.Key.Key_1, CTRL)
    keyboard.press(Qt.Key.Key_F3)
    keyboard.press(Qt.Key.Key_F5)
    assert window.tabs.currentIndex() == 0
    assert window.sync_area._panel is None
    assert [w for w in QApplication.topLevelWidgets() if w.isVisible()] == [window]

    unlock(qtbot, keyboard, window, "counter-pass-1")
    assert intake.isVisible() and window.statusBar().isVisible()
    assert name_field(window).text() == NAME  # the draft is as it was, the cursor where it was
    assert keyboard.focus_name() == "applicant.name"
    assert window.idle.watching
    keyboard.press(Qt.Key.Key_F3)  # the shortcuts work again
    assert window.tabs.currentIndex() == 1


def test_input_restarts_the_idle_count_and_zero_minutes_never_lock(qtbot: Any, keyboard: Keyboard, window: Any) -> None:
    from ui.lock import IdleWatcher

    window.idle.timer.setInterval(300)
    window.idle.start()
    for _ in range(4):
        qtbot.wait(150)
        keyboard.press(Qt.Key.Key_Right)  # input within the interval: no lock
    assert not window.locked
    qtbot.waitUntil(lambda: window.locked, timeout=3000)
    never = IdleWatcher(0, window)
    never.start()
    assert not never.watching


def test_ctrl_l_locks_at_once_and_a_wrong_password_shows_the_cores_sentence(
    qtbot: Any, keyboard: Keyboard, services: Any, window: Any
) -> None:
    type_draft(keyboard)
    keyboard.press(Qt.Key.Key_L, CTRL)
    assert window.locked and keyboard.focus_name() == "lock_password"
    with qtbot.waitSignal(window.lock_page.refused, timeout=5000) as refused:
        keyboard.type("not-my-password")
        keyboard.enter()
    assert refused.args == [WRONG]
    assert window.lock_page.message.text() == WRONG
    assert window.locked and window.lock_page.password.text() == ""
    assert len(audit_actions(services, "login.failed")) == 1  # counted by the core, towards the lock-out
    unlock(qtbot, keyboard, window, "counter-pass-1")
    assert name_field(window).text() == NAME


def test_the_close_button_of_a_locked_window_neither_ends_the_session_nor_loses_the_draft(
    qtbot: Any, keyboard: Keyboard, window: Any
) -> None:
    type_draft(keyboard)
    keyboard.press(Qt.Key.Key_L, CTRL)
    assert window.locked
    assert window.close() is False  # what the title bar's close button asks: refused while locked
    assert window.isVisible() and window.locked
    unlock(qtbot, keyboard, window, "counter-pass-1")
    assert name_field(window).text() == NAME
    keyboard.press(Qt.Key.Key_L, CTRL)
    window.allow_close()  # the program ending closes it, locked or not
    assert window.close() is True and not window.isVisible()


def test_a_background_failure_while_locked_waits_for_the_clerk_instead_of_standing_above_the_lock(
    qtbot: Any, keyboard: Keyboard, window: Any
) -> None:
    from app.errors import StorageFullError
    from app.i18n import msg

    opened: list[Any] = []
    window.display.dialog_opened.connect(opened.append)
    keyboard.press(Qt.Key.Key_L, CTRL)
    window.context.bridge.failure(StorageFullError(msg("errors", "磁盘空间已满，记录没有保存。")))
    assert opened == [] and window.locked  # nothing above the lock page
    unlock(qtbot, keyboard, window, "counter-pass-1")
    assert len(opened) == 1 and opened[0].text() == "磁盘空间已满，记录没有保存。"
    opened[0].close()


def test_a_supervisor_ends_the_session_and_the_clerk_finds_the_draft_at_the_next_login(
    qtbot: Any, keyboard: Keyboard, services: Any, runner: Any, clerk: Any, supervisor: Any
) -> None:
    sessions = CounterSessions(services, runner)
    window = sessions.open(clerk)
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.waitUntil(lambda: runner.idle)
    window.show_tab(0)
    type_draft(keyboard)
    keyboard.press(Qt.Key.Key_L, CTRL)
    page = window.lock_page

    # Another clerk's credentials end nothing.
    add_user(services, "lina")
    page.supervisor.setText("lina")
    page.supervisor_password.setText("counter-pass-1")
    with qtbot.waitSignal(page.refused, timeout=5000) as refused:
        page.end_button.click()
    assert refused.args == ["“王丽”不是值班长账号，不能批准此操作。"]
    assert window.locked and window.isVisible()

    page.supervisor.setText("zhangmin")
    page.supervisor_password.setText("supervisor-pass-1")
    with qtbot.waitSignal(sessions.logged_out, timeout=5000):
        page.end_button.click()
    assert not window.isVisible() and window.locked  # kept, hidden, still covered
    assert sessions.windows["wangli"] is window
    rows = audit_actions(services, "session.ended_by_supervisor")
    ended = [(e.replace("-", ""), u) for e, u in rows]
    assert ended == [(clerk.id.hex, supervisor.id.bytes)]  # the user: the stored 16 bytes

    # The supervisor logging in gets a window of their own, never the clerk's.
    own = sessions.open(supervisor)
    qtbot.addWidget(own)
    assert own is not window and own.context.user.username == "zhangmin"
    assert own.findChild(QLineEdit, "applicant.name").text() == ""
    own.close()

    # The same clerk logging in again: the same window, unlocked, the draft as it was.
    again = sessions.open(clerk)
    assert again is window and window.isVisible() and not window.locked
    assert name_field(window).text() == NAME
    assert window.idle.watching
    sessions.close_all()


def _end_session_by_supervisor(window: Any) -> None:
    window.findChild(QLineEdit, "applicant.name").setText(NAME)
    window.lock()
    window.lock_page.supervisor.setText("zhangmin")
    window.lock_page.supervisor_password.setText("supervisor-pass-1")
    window.lock_page.end_button.click()


def test_after_a_supervisor_ends_the_session_the_program_shows_the_login_again(
    services: Any, clerk: Any, supervisor: Any, tmp_path: Any, monkeypatch: Any
) -> None:
    import threading

    from tests.ui import test_startup as startup
    from ui import app as ui_app

    monkeypatch.setattr(ui_app, "show_startup_error", lambda error: None)
    monkeypatch.setattr(ui_app, "setup_logging", lambda data_dir: None)
    monkeypatch.setattr(ui_app, "install_crash_handler", lambda log_file: None)
    seen: dict[str, Any] = {}
    script = startup.Script(threading.Event())

    def log_in(username: str, password: str) -> Callable[[], None]:
        def act() -> None:
            dialog = startup.login_dialog()
            assert dialog is not None
            seen.setdefault("dialogs", []).append(dialog)
            startup.type_into(dialog.username, username)
            startup.enter(dialog.username)
            startup.type_into(dialog.password, password)
            startup.enter(dialog.password)

        return act

    def first_window() -> None:
        seen["window"] = startup.main_window()
        _end_session_by_supervisor(seen["window"])

    def kept_window_again() -> None:
        window = startup.main_window()
        assert window is seen["window"] and not window.locked
        assert window.findChild(QLineEdit, "applicant.name").text() == NAME
        startup.close_main_window(window)

    fresh_login = lambda: startup.login_dialog_is_active() and startup.main_window() is None  # noqa: E731
    script.when("login", startup.login_dialog_is_active, log_in("wangli", "counter-pass-1"))
    script.when("clerk's window", lambda: startup.main_window() is not None, first_window)
    script.when("login again", fresh_login, log_in("wangli", "counter-pass-1"))
    script.when("the same window", lambda: startup.main_window() is not None, kept_window_again)
    script.start()
    status = startup.run(services.deployment.source, tmp_path / "data")
    script.check()
    assert status == 0
    assert len(seen["dialogs"]) == 2 and seen["dialogs"][0] is not seen["dialogs"][1]


def test_closing_the_login_after_a_session_was_ended_exits(
    services: Any, clerk: Any, supervisor: Any, tmp_path: Any, monkeypatch: Any
) -> None:
    import threading

    from tests.ui import test_startup as startup
    from ui import app as ui_app

    monkeypatch.setattr(ui_app, "setup_logging", lambda data_dir: None)
    monkeypatch.setattr(ui_app, "install_crash_handler", lambda log_file: None)
    script = startup.Script(threading.Event())

    def log_in() -> None:
        dialog = startup.login_dialog()
        assert dialog is not None
        startup.type_into(dialog.username, "wangli")
        startup.enter(dialog.username)
        startup.type_into(dialog.password, "counter-pass-1")
        startup.enter(dialog.password)

    def close_login() -> None:
        dialog = startup.login_dialog()
        assert dialog is not None
        dialog.reject()

    script.when("login", startup.login_dialog_is_active, log_in)
    script.when(
        "window", lambda: startup.main_window() is not None, lambda: _end_session_by_supervisor(startup.main_window())
    )
    script.when("login again", lambda: startup.login_dialog_is_active() and startup.main_window() is None, close_login)
    script.start()
    status = startup.run(services.deployment.source, tmp_path / "data")
    script.check()
    assert status == 0
