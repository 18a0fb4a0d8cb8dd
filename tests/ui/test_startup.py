"""Start-up order: the login dialog is on screen before the services are opened (on the database worker), Enter
pressed early logs in as soon as they are ready, and an opening that fails is one clear dialog and exit status 2.

``run_gui`` runs its own event loops (the login dialog's ``exec``, then the application's), so these tests drive it
with a :class:`Script`: steps that wait, without blocking, for a condition and then act, run by a timer inside
those loops.  The opening is held at a gate (``app.bootstrap.open_services`` wrapped) so the order is certain.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QWidget

import app.bootstrap
from app.errors import SchemaTooNewError, StorageError, YimenError
from app.security.accounts import AccountService
from tests.conftest import write_deployment
from tests.storekit import connect_store
from ui import app as ui_app
from ui.login import LoginDialog
from ui.tasks import TaskRunner

REPO = Path(__file__).resolve().parents[2]
OPENING = "正在打开数据库，请稍候…"


class Script(QObject):
    """Steps run inside ``run_gui``'s event loops: each waits for its condition, then acts.

    A failing step or the deadline records the error, opens the gate and closes whatever is open, so that
    ``run_gui`` returns and the test can raise it.
    """

    def __init__(self, gate: threading.Event, timeout: float = 30.0) -> None:
        super().__init__()
        self.gate = gate
        self.steps: deque[tuple[str, Callable[[], object], Callable[[], None]]] = deque()
        self.error: BaseException | None = None
        self.deadline = time.monotonic() + timeout
        self.timer = QTimer(self)
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)

    def when(self, name: str, condition: Callable[[], object], action: Callable[[], None]) -> Script:
        self.steps.append((name, condition, action))
        return self

    def start(self) -> None:
        self.timer.start()

    def check(self) -> None:
        """After ``run_gui`` returned: raise what went wrong inside it, or fail if steps were left."""
        self.timer.stop()
        if self.error is not None:
            raise self.error
        assert not self.steps, f"run_gui returned before step {self.steps[0][0]!r}"

    def _tick(self) -> None:
        try:
            while self.steps:
                name, condition, action = self.steps[0]
                if not condition():
                    if time.monotonic() > self.deadline:
                        raise AssertionError(f"timed out waiting for step {name!r}")
                    return
                self.steps.popleft()
                action()
            self.timer.stop()
        except BaseException as exc:  # handed to the test after run_gui returned
            self.error = exc
            self.timer.stop()
            self.gate.set()
            for widget in QApplication.topLevelWidgets():
                if isinstance(widget, QDialog) and widget.isVisible():
                    widget.reject()
                elif widget.objectName() == "main_window":
                    close_main_window(widget)


class ShowRecorder(QObject):
    """Records, in order with the test's other events, when the login dialog is shown (an application-wide filter)."""

    def __init__(self, events: list[str]) -> None:
        super().__init__()
        self.events = events

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(watched, QWidget) and watched.objectName() == "login":
            self.events.append("login shown")
        return False


@pytest.fixture
def events(qapp: QApplication) -> Iterator[list[str]]:
    recorded: list[str] = []
    recorder = ShowRecorder(recorded)
    qapp.installEventFilter(recorder)
    yield recorded
    qapp.removeEventFilter(recorder)


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch, events: list[str]) -> Iterator[threading.Event]:
    """Hold the opening of the services (on the database worker) until the test opens the gate."""
    opened = threading.Event()
    real_open = app.bootstrap.open_services

    def gated_open(*args: Any, **kwargs: Any) -> Any:
        assert threading.current_thread() is not threading.main_thread(), "the services opened on the GUI thread"
        events.append("opening")
        assert opened.wait(20), "the test never opened the gate"
        services = real_open(*args, **kwargs)
        events.append("opened")
        return services

    monkeypatch.setattr(app.bootstrap, "open_services", gated_open)
    yield opened
    opened.set()


@pytest.fixture
def quiet_start(monkeypatch: pytest.MonkeyPatch) -> list[YimenError]:
    """run_gui without a log file or crash handler; the start-up error dialogs are recorded instead of shown."""
    shown: list[YimenError] = []
    monkeypatch.setattr(ui_app, "show_startup_error", shown.append)
    monkeypatch.setattr(ui_app, "setup_logging", lambda data_dir: None)
    monkeypatch.setattr(ui_app, "install_crash_handler", lambda log_file: None)
    return shown


@pytest.fixture
def logins(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The user names AccountService.login was called with (on the database worker)."""
    called: list[str] = []
    real_login = AccountService.login

    def counting_login(self: AccountService, username: str, password: str) -> Any:
        called.append(username)
        return real_login(self, username, password)

    monkeypatch.setattr(AccountService, "login", counting_login)
    return called


def login_dialog() -> LoginDialog | None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, LoginDialog) and widget.isVisible():
            return widget
    return None


def login_dialog_is_active() -> bool:
    dialog = login_dialog()
    return dialog is not None and QApplication.activeWindow() is dialog


def main_window() -> Any:
    for widget in QApplication.topLevelWidgets():
        if widget.objectName() == "main_window" and widget.isVisible():
            return widget
    return None


def close_main_window(window: QWidget) -> None:
    """End run_gui's application loop and delete its main window.

    Hidden, not closed: closing the last window inside ``exec`` (quit on last window closed) leaves the test
    session's QApplication unable to activate any later window under the offscreen platform.  Deleted: its signal
    connections would keep it alive, and active, otherwise.
    """
    window.hide()
    window.deleteLater()
    QCoreApplication.exit(0)


def type_into(widget: QWidget, text: str) -> None:
    QTest.keyClicks(widget, text)


def enter(widget: QWidget) -> None:
    QTest.keyClick(widget, Qt.Key.Key_Return)


def run(config: Path, data_dir: Path) -> int:
    return ui_app.run_gui(["--config", str(config), "--data-dir", str(data_dir)])


# ---------------------------------------------------------------------- the order


def test_login_dialog_comes_first_and_an_early_enter_logs_in_when_the_services_are_ready(
    qtbot: Any,
    tmp_path: Path,
    services: Any,
    clerk: Any,
    quiet_start: list[YimenError],
    gate: threading.Event,  # after the clerk's database is set up: from here on, openings wait for the test
    events: list[str],
    logins: list[str],
) -> None:
    config, data_dir = services.deployment.source, tmp_path / "data"  # the clerk's database
    script = Script(gate)
    seen: dict[str, Any] = {}

    def clerk_types_at_once() -> None:
        dialog = login_dialog()
        assert dialog is not None
        seen["dialog"] = dialog
        dialog.services_ready.connect(lambda: events.append("services ready"))
        dialog.logged_in.connect(lambda _user: events.append("logged in"))
        assert not dialog.ready and "opened" not in events
        assert dialog.username.hasFocus()
        type_into(dialog.username, "wangli")
        enter(dialog.username)
        assert dialog.password.hasFocus()
        type_into(dialog.password, "counter-pass-1")
        enter(dialog.password)
        assert dialog.message.text() == OPENING
        assert not dialog.button.isEnabled()
        enter(dialog.password)  # impatient: a second Enter changes nothing
        assert dialog.message.text() == OPENING
        assert logins == [] and dialog.user is None
        events.append("enter pressed")
        gate.set()

    def main_window_is_up() -> None:
        window = main_window()
        assert window.statusBar().findChild(QLabel, "clerk").text() == "经办人：王丽（0301）"
        assert "3号综合窗口（003）" in window.statusBar().findChild(QLabel, "workstation").text()
        close_main_window(window)

    script.when("login dialog shown and active", login_dialog_is_active, clerk_types_at_once)
    script.when("main window shown", lambda: main_window() is not None, main_window_is_up)
    script.start()
    status = run(config, data_dir)
    script.check()
    assert status == 0
    # The worker may start opening before or after the clerk's Enter; everything else is in this order.
    assert events[0] == "login shown"
    assert [e for e in events if e != "opening"] == [
        "login shown",
        "enter pressed",
        "opened",
        "services ready",
        "logged in",
    ]
    assert events.index("opening") < events.index("opened")
    assert logins == ["wangli"]  # once, without a second keypress
    assert seen["dialog"].user.username == "wangli"


@pytest.mark.allow_warning_logs  # bootstrap logs each catalog problem
def test_catalog_problems_found_in_the_background_reach_the_status_bar(
    qtbot: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    clerk: Any,  # in the workstation's database (tmp_path / "data")
    quiet_start: list[YimenError],
) -> None:
    folder = tmp_path / "catalog"
    shutil.copytree(REPO / "resources" / "catalog" / "items", folder)
    (folder / "MZ-XX-999.yaml").write_text("schema: 1\ncode: [oops\n", encoding="utf-8")
    monkeypatch.setattr(app.bootstrap, "catalog_folder", lambda: folder)
    script = Script(threading.Event())
    notes: list[str] = []

    def clerk_logs_in() -> None:
        dialog = login_dialog()
        assert dialog is not None
        type_into(dialog.username, "wangli")
        enter(dialog.username)
        type_into(dialog.password, "counter-pass-1")
        enter(dialog.password)

    def main_window_is_up() -> None:
        window = main_window()
        assert window.notes_button is not None
        notes.append(window.notes_button.text())
        notes.append(window.notes_button.toolTip())
        close_main_window(window)

    script.when("login dialog shown and active", login_dialog_is_active, clerk_logs_in)
    script.when("main window shown", lambda: main_window() is not None, main_window_is_up)
    script.start()
    status = run(write_deployment(tmp_path), tmp_path / "data")
    script.check()
    assert status == 0
    assert notes[0] == "事项目录有 1 个问题"
    assert "MZ-XX-999.yaml" in notes[1]


def test_enter_before_the_services_waits_and_logs_in_once_they_arrive(
    qtbot: Any, show: Callable[[QWidget], None], services: Any, runner: TaskRunner, clerk: Any, logins: list[str]
) -> None:
    dialog = LoginDialog(services.deployment, runner)
    show(dialog)
    assert dialog.windowTitle() == "登录 — 一门式社区事务受理台"
    place = dialog.findChild(QLabel, "login_place")
    assert place is not None and services.deployment.center_name in place.text()
    type_into(dialog.username, "wangli")
    enter(dialog.username)
    enter(dialog.password)
    assert dialog.message.text() == "请输入密码。"  # checked without the services
    type_into(dialog.password, "counter-pass-1")
    enter(dialog.password)
    assert dialog.message.text() == OPENING
    enter(dialog.password)
    qtbot.wait(50)
    assert logins == [] and dialog.user is None
    with qtbot.waitSignal(dialog.logged_in, timeout=5000) as logged_in:
        dialog.set_services(services)
    assert logins == ["wangli"]
    assert logged_in.args[0].username == "wangli"
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_services_ready_before_enter_log_in_at_once(
    qtbot: Any, show: Callable[[QWidget], None], services: Any, runner: TaskRunner, clerk: Any, logins: list[str]
) -> None:
    dialog = LoginDialog(services.deployment, runner)
    show(dialog)
    with qtbot.waitSignal(dialog.services_ready):
        dialog.set_services(services)
    type_into(dialog.username, "wangli")
    enter(dialog.username)
    with qtbot.waitSignal(dialog.login_failed, timeout=5000) as failed:
        type_into(dialog.password, "wrong-1")
        enter(dialog.password)
    assert failed.args[0].startswith("用户名或密码不正确，请重新输入。")
    assert logins == ["wangli"]


def test_demo_accounts_are_named_once_the_services_are_there(
    qtbot: Any, show: Callable[[QWidget], None], services_factory: Any, tmp_path: Path, runner: TaskRunner
) -> None:
    demo = services_factory(config=write_deployment(tmp_path, mode="demo"), data_dir=tmp_path / "demo-data")
    dialog = LoginDialog(demo.deployment, runner)
    show(dialog)
    hint = dialog.findChild(QLabel, "login_demo")
    assert hint is not None and not hint.isVisible()
    dialog.set_services(demo)
    assert hint.isVisible()
    assert hint.text() == "演示模式：账号 wangli、zhangmin，密码 demo1234"


# ---------------------------------------------------------------------- failures and early exits


def test_an_opening_that_fails_is_shown_and_exits_with_status_2(
    qtbot: Any,
    tmp_path: Path,
    services_factory: Any,
    quiet_start: list[YimenError],
    events: list[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    # A database written by a newer Yimen: its schema revision is unknown here.
    config = write_deployment(tmp_path)
    data_dir = tmp_path / "data"
    services_factory(config=config, data_dir=data_dir).close()
    with connect_store(data_dir / "yimen.sqlite3") as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'f00dfacef00d'")
    conn.close()
    status = run(config, data_dir)
    assert status == 2
    assert events == ["login shown"]
    assert len(quiet_start) == 1 and isinstance(quiet_start[0], SchemaTooNewError)
    text = quiet_start[0].message.render()
    assert text.startswith(f"数据库 {data_dir / 'yimen.sqlite3'} 由更新版本的一门式受理台创建（结构版本 f00dfacef00d）")
    assert login_dialog() is None
    assert any(r.getMessage() == f"start-up failed: {text}" for r in caplog.records)
    caplog.clear()  # the error log is what this test expects


def test_a_data_folder_that_cannot_be_used_is_shown_and_exits_with_status_2(
    qtbot: Any, tmp_path: Path, quiet_start: list[YimenError], caplog: pytest.LogCaptureFixture
) -> None:
    config = write_deployment(tmp_path)
    data_dir = tmp_path / "data"
    data_dir.write_text("not a folder", encoding="utf-8")
    assert run(config, data_dir) == 2
    assert len(quiet_start) == 1 and isinstance(quiet_start[0], StorageError)
    assert quiet_start[0].message.render().startswith(f"数据文件夹 {data_dir} 的位置上是一个文件，不是文件夹。")
    assert login_dialog() is None
    caplog.clear()  # the error log is what this test expects


def test_clerk_typing_when_the_opening_fails_sees_the_error(
    qtbot: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    quiet_start: list[YimenError],
    gate: threading.Event,
    deployment_file: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def full_disk(*args: Any, **kwargs: Any) -> Any:
        assert gate.wait(20)
        from app.errors import storage_error_from

        raise storage_error_from(OSError("database or disk is full"))

    monkeypatch.setattr(app.bootstrap, "open_services", full_disk)
    script = Script(gate)

    def clerk_types() -> None:
        dialog = login_dialog()
        assert dialog is not None
        type_into(dialog.username, "wangli")
        enter(dialog.username)
        type_into(dialog.password, "counter-pass-1")
        enter(dialog.password)
        assert dialog.message.text() == OPENING
        gate.set()

    script.when("login dialog shown", lambda: login_dialog() is not None, clerk_types)
    script.start()
    status = run(deployment_file, tmp_path / "data")
    script.check()
    assert status == 2
    assert [e.code for e in quiet_start] == ["storage_full"]
    assert login_dialog() is None
    caplog.clear()  # the "start-up failed" error log is expected


def test_a_bug_while_opening_goes_to_the_crash_handler_and_exits(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, quiet_start: list[YimenError], deployment_file: Path
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ZeroDivisionError("bug")

    monkeypatch.setattr(app.bootstrap, "open_services", broken)
    with qtbot.captureExceptions() as exceptions:
        status = run(deployment_file, tmp_path / "data")
    assert status == 2
    assert [type(e[1]) for e in exceptions] == [ZeroDivisionError]
    assert quiet_start == []  # the crash dialog said it; no second dialog
    assert login_dialog() is None


def test_closing_the_login_dialog_while_opening_ends_cleanly(
    qtbot: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    quiet_start: list[YimenError],
    gate: threading.Event,
    events: list[str],
    deployment_file: Path,
) -> None:
    closed: list[bool] = []
    gated_open = app.bootstrap.open_services

    def watched_open(*args: Any, **kwargs: Any) -> Any:
        services = gated_open(*args, **kwargs)
        real_close = services.close

        def close() -> None:
            closed.append(True)
            real_close()

        setattr(services, "close", close)  # noqa: B010 - this one instance, not the class
        return services

    monkeypatch.setattr(app.bootstrap, "open_services", watched_open)
    script = Script(gate)

    def clerk_closes() -> None:
        dialog = login_dialog()
        assert dialog is not None
        QTest.keyClick(dialog, Qt.Key.Key_Escape)
        gate.set()

    script.when("login dialog shown", lambda: login_dialog() is not None, clerk_closes)
    script.start()
    status = run(deployment_file, tmp_path / "data")
    script.check()
    assert status == 0
    assert quiet_start == []
    assert events == ["login shown", "opening", "opened"]
    assert closed == [True]  # the services the worker opened after all are closed again


# ---------------------------------------------------------------------- what the first window imports

HEAVY = ("sqlalchemy", "alembic", "pydantic", "yaml", "pypinyin", "argon2", "db", "app.bootstrap", "app.catalog")


def _fresh_python(code: str, *args: str) -> str:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_modules_before_the_login_window_import_no_core_services() -> None:
    code = (
        "import sys, ui.app, ui.login\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r} or m in {HEAVY!r}"
        " or m.startswith(('ui.main_window', 'ui.intake', 'ui.records', 'ui.documents', 'ui.sync'))))"
    )
    assert _fresh_python(code) == "[]", "docs/performance.md: the login window must not wait for these imports"


def test_the_main_window_needs_nothing_heavy_after_the_preload(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from app.bootstrap import open_services\n"
        "import ui.app\n"
        "open_services(Path(sys.argv[1]), Path(sys.argv[2])).close()\n"
        "ui.app.preload_modules()\n"
        "before = set(sys.modules)\n"
        "import ui.main_window, ui.messages\n"
        "new = set(sys.modules) - before\n"
        "print(sorted(m for m in new if m.split('.')[0] not in {'ui', 'app', 'PySide6', 'shiboken6'}"
        " and m.split('.')[0] not in sys.stdlib_module_names))"
    )
    found = _fresh_python(code, str(write_deployment(tmp_path)), str(tmp_path / "data"))
    assert found == "[]", f"imported on the GUI thread after login: add them to ui.app.PRELOAD_MODULES: {found}"
