"""The first start of a counter with no account (ui/firstrun.py; docs/operations-workstation.md "First run"): the
one-time code typed and the workstation enrolled with a real central server over TLS (its credential in the machine
vault), a wrong code said in Chinese with the code ready to be typed over, the first admin created with the rules of
``yimen user add`` (a short or mismatched password refused), then the login window and the counter.  Enrollment can
be skipped (the counter works offline); a deployment without a server asks only for the admin; a store that has
accounts never shows the window.

Pictures of each step go to ``$YIMEN_SCREENSHOT_DIR`` when it is set (``docs/screenshots/firstrun-*.png``), else to
the test's folder.
"""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from sqlalchemy import select

from app.domain import Role
from app.errors import NotAllowedError, YimenError
from db.models import User
from tests.app.documents.doc_testkit import take
from tests.conftest import add_user, write_deployment
from tests.serverkit import ServerThread, count, enrollment_code, free_port, make_tls
from tests.ui.test_i18n import english
from tests.ui.test_startup import Script, close_main_window, login_dialog, main_window, quiet_start, run
from ui.firstrun import FirstRunWindow
from ui.tasks import TaskRunner

__all__ = ["english", "quiet_start"]  # the start-up and language tests' fixtures, used here too

WRONG_CODE = "中心服务器拒绝了本工位：注册码无效、已使用、已过期，或不属于本中心和工位。请向信息员申请新的注册码。"
SHORT = "密码至少需要 8 个字符。"
MISMATCH = "两次输入的密码不一致，请重新输入。"
ADMIN_PASSWORD = "it-admin-pass-9"


@pytest.fixture
def tls_central(store_url: str, tmp_path: Path) -> Iterator[tuple[ServerThread, Path]]:
    """The real central server over TLS (a production workstation refuses plain http), with its CA file."""
    tls = make_tls(tmp_path / "tls")
    server = ServerThread(store_url, tls=tls)
    yield server, tls.ca_file
    # The connection of the refused enrollment (the wrong code) is left to the garbage collector by the sync client
    # (a cycle through the exception's traceback holds it); uvicorn's TLS shutdown would wait for it for 15 s.
    gc.collect()
    server.stop()


@pytest.fixture
def pictures(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("YIMEN_SCREENSHOT_DIR") or tmp_path / "pictures")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def grab(widget: QWidget, folder: Path, name: str) -> None:
    path = folder / f"firstrun-{name}.png"
    assert widget.grab().save(str(path))
    image = QImage(str(path))
    assert image.width() >= 400 and image.height() >= 250, (name, image.size())


def first_run_window() -> FirstRunWindow | None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, FirstRunWindow) and widget.isVisible():
            return widget
    return None


def on_page(name: str) -> bool:
    """The first-run window is on screen, active, on the page of step ``name`` (``enroll``, ``admin``)."""
    window = first_run_window()
    return (
        window is not None
        and QApplication.activeWindow() is window
        and window.pages.currentWidget() is (window.enroll_page if name == "enroll" else window.admin_page)
    )


def child(window: QWidget, name: str) -> Any:
    found = window.findChild(QWidget, name)
    assert found is not None, name
    return found


def type_into(widget: QWidget, text: str) -> None:
    """Keys for ASCII; Chinese as an input method commits it (QTest types ASCII only)."""
    if text.isascii():
        QTest.keyClicks(widget, text)
        return
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def enter(widget: QWidget) -> None:
    QTest.keyClick(widget, Qt.Key.Key_Return)


def focused(window: QWidget, name: str) -> bool:
    return QApplication.focusWidget() is window.findChild(QWidget, name)


def fill_admin(window: FirstRunWindow, password: str, repeat: str) -> None:
    """The admin's fields typed as IT does: Enter moves on, Enter in the last one creates."""
    for name, text in (("admin_username", "xinxiyuan"), ("admin_name", "信息员·李堃"), ("admin_staff_no", "9001")):
        field = child(window, name)
        field.clear()
        type_into(field, text)
        enter(field)
    assert focused(window, "admin_password")
    type_into(child(window, "admin_password"), password)
    enter(child(window, "admin_password"))
    assert focused(window, "admin_repeat")
    type_into(child(window, "admin_repeat"), repeat)
    enter(child(window, "admin_repeat"))


def users(services_factory: Callable[..., Any], config: Path, data_dir: Path) -> list[tuple[str, str, str, bool]]:
    services = services_factory(config=config, data_dir=data_dir)
    try:
        with services.db.read() as session:
            return [(u.username, u.display_name, u.role, u.must_change_password) for u in session.scalars(select(User))]
    finally:
        services.close()


# ------------------------------------------------------------------------------------------------ the whole start


def test_a_first_start_enrolls_creates_the_admin_and_opens_the_login(
    qtbot: Any,
    tmp_path: Path,
    tls_central: tuple[ServerThread, Path],
    quiet_start: list[YimenError],
    machine_vault: Path,
    services_factory: Callable[..., Any],
    pictures: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    server, ca_file = tls_central
    config = write_deployment(tmp_path, server_url=server.url, ca_bundle=str(ca_file))
    data_dir = tmp_path / "data"
    script = Script(threading.Event(), timeout=60)
    seen: dict[str, Any] = {}

    def the_code_is_asked() -> None:
        window = first_run_window()
        assert window is not None and login_dialog() is None
        seen["window"] = window
        assert child(window, "firstrun_step").text() == "第 1 步（共 2 步）：在中心服务器注册本工位"
        assert focused(window, "enroll_code")
        grab(window, pictures, "1-enroll")
        type_into(child(window, "enroll_code"), "ABCD-EFGH-JKMN")
        enter(child(window, "enroll_code"))

    def wrong_code_said() -> bool:
        window = seen["window"]
        return bool(child(window, "enroll_code.message").text() == WRONG_CODE)

    def type_the_right_code() -> None:
        window = seen["window"]
        code = child(window, "enroll_code")
        assert focused(window, "enroll_code") and code.selectedText() == "ABCD-EFGH-JKMN"  # ready to be typed over
        assert window.pages.currentWidget() is window.enroll_page
        assert not (machine_vault / "device-credential.json").exists()
        grab(window, pictures, "1-enroll-wrong-code")
        seen["code"] = enrollment_code(server.engine())
        type_into(code, seen["code"])  # types over the selected wrong code
        enter(code)

    def admin_step_shown() -> bool:
        window = seen["window"]
        return bool(window.pages.currentWidget() is window.admin_page)

    def admin_typed_with_a_short_password() -> None:
        window = seen["window"]
        assert window.enrolled and not window.skipped
        assert child(window, "firstrun_step").text() == "第 2 步（共 2 步）：创建第一个系统管理员"
        assert child(window, "firstrun_enrolled").text() == "本工位已在中心服务器注册。"
        assert (machine_vault / "device-credential.json").exists()  # the credential is in the machine vault
        assert count(server.engine(), "devices", "WHERE confirmed_at IS NOT NULL") == 1
        assert focused(window, "admin_username")
        fill_admin(window, "short", "short")

    def short_refused() -> bool:
        return bool(child(seen["window"], "admin_password.message").text() == SHORT)

    def mismatch_typed() -> None:
        window = seen["window"]
        assert focused(window, "admin_password") and child(window, "admin_password").text() == ""
        fill_admin(window, ADMIN_PASSWORD, ADMIN_PASSWORD + "x")
        assert child(window, "admin_password.message").text() == MISMATCH
        assert focused(window, "admin_repeat") and child(window, "admin_repeat").text() == ""
        grab(window, pictures, "2-admin-mismatch")
        type_into(child(window, "admin_repeat"), ADMIN_PASSWORD)
        grab(window, pictures, "2-admin")
        enter(child(window, "admin_repeat"))

    def login_shown() -> None:
        assert first_run_window() is None
        dialog = login_dialog()
        assert dialog is not None and dialog.ready
        assert dialog.username.text() == "xinxiyuan"
        qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
        assert dialog.password.hasFocus()
        grab(dialog, pictures, "3-login")
        type_into(dialog.password, ADMIN_PASSWORD)
        enter(dialog.password)

    def the_counter_opens() -> None:
        window = main_window()
        assert child(window.statusBar(), "clerk").text() == "经办人：信息员·李堃（9001）"
        window.sync_area.stop()  # close_main_window deletes the window before run_gui could close it
        close_main_window(window)

    script.when("the first-run window asks for the code", lambda: on_page("enroll"), the_code_is_asked)
    script.when("the wrong code refused", wrong_code_said, type_the_right_code)
    script.when("enrolled: the admin step", admin_step_shown, admin_typed_with_a_short_password)
    script.when("the short password refused", short_refused, mismatch_typed)
    script.when("the login window", lambda: login_dialog() is not None, login_shown)
    script.when("the main window", lambda: main_window() is not None, the_counter_opens)
    script.start()
    status = run(config, data_dir)
    script.check()
    assert status == 0 and quiet_start == []
    assert users(services_factory, config, data_dir) == [("xinxiyuan", "信息员·李堃", "admin", False)]
    # The one-time code is used up on the server and kept nowhere on the workstation.
    for path in [*data_dir.rglob("*"), *machine_vault.rglob("*"), config]:
        if path.is_file():
            assert seen["code"].encode() not in path.read_bytes(), path
    assert not any(seen["code"] in r.getMessage() for r in caplog.records)


def escape_on_the_admin_step() -> None:
    window = first_run_window()
    assert window is not None
    assert child(window, "firstrun_step").text() == "创建第一个系统管理员"  # one step: no server to enroll with
    type_into(child(window, "admin_username"), "xinxiyuan")
    QTest.keyClick(window, Qt.Key.Key_Escape)


def reject_the_login(seen: list[object]) -> None:
    seen.append(first_run_window())
    dialog = login_dialog()
    assert dialog is not None
    dialog.reject()


def test_closing_the_first_run_window_creates_nothing_and_it_comes_back(
    qtbot: Any, tmp_path: Path, quiet_start: list[YimenError], services_factory: Callable[..., Any]
) -> None:
    config = write_deployment(tmp_path, server_url="")
    data_dir = tmp_path / "data"
    for _ in range(2):
        script = Script(threading.Event())
        script.when("the admin step (no server: no enrollment)", lambda: on_page("admin"), escape_on_the_admin_step)
        script.start()
        assert run(config, data_dir) == 0
        script.check()
        assert login_dialog() is None and main_window() is None
    assert users(services_factory, config, data_dir) == []


def test_a_store_that_has_accounts_never_shows_it(
    qtbot: Any, tmp_path: Path, quiet_start: list[YimenError], services: Any, clerk: Any
) -> None:
    script = Script(threading.Event())
    created: list[object] = []
    script.when(
        "the login dialog",
        lambda: (d := login_dialog()) is not None and d.ready,
        lambda: reject_the_login(created),
    )
    script.start()
    assert run(services.deployment.source, tmp_path / "data") == 0
    script.check()
    assert created == [None]


def test_a_demo_workstation_never_shows_it(qtbot: Any, tmp_path: Path, quiet_start: list[YimenError]) -> None:
    script = Script(threading.Event())
    created: list[object] = []
    script.when(
        "the login dialog with the demo accounts",
        lambda: (d := login_dialog()) is not None and d.ready,
        lambda: reject_the_login(created),
    )
    script.start()
    assert run(write_deployment(tmp_path, mode="demo"), tmp_path / "data") == 0
    script.check()
    assert created == [None]


# ------------------------------------------------------------------------------------------------ the window alone


@pytest.fixture
def empty_services(services_factory: Callable[..., Any], tmp_path: Path) -> Any:
    """A production workstation whose server does not answer (nothing listens on its port): offline."""
    return services_factory(
        config=write_deployment(tmp_path, server_url=f"https://127.0.0.1:{free_port()}"), data_dir=tmp_path / "data"
    )


def test_enrollment_can_be_skipped_and_the_counter_works_offline(
    qtbot: Any, show: Callable[[QWidget], None], empty_services: Any, runner: TaskRunner, pictures: Path
) -> None:
    window = FirstRunWindow(empty_services, runner)
    show(window)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.enroll_page)
    with qtbot.waitSignal(window.step_shown) as step:
        qtbot.mouseClick(child(window, "firstrun_skip"), Qt.MouseButton.LeftButton)
    assert step.args == ["admin"] and window.skipped and not window.enrolled
    note = child(window, "firstrun_enrolled").text()
    assert note.startswith("本工位暂未注册，可以离线受理")
    grab(window, pictures, "2-admin-offline")
    with qtbot.waitSignal(window.admin_created, timeout=10_000):
        fill_admin(window, ADMIN_PASSWORD, ADMIN_PASSWORD)
    qtbot.waitUntil(lambda: not window.isVisible())
    admin = empty_services.accounts.login("xinxiyuan", ADMIN_PASSWORD)
    assert admin.role is Role.ADMIN and not admin.must_change_password
    assert not empty_services.sync.status().enrolled
    # Offline, the admin opens accounts for the counter: the first clerk, made by the admin, takes an application,
    # which waits for upload.
    clerk = add_user(empty_services, by=admin)
    assert empty_services.accounts.login(clerk.username, "counter-pass-1").role is Role.CLERK
    take(empty_services, clerk, "MZ-SHJZ-002")
    assert empty_services.sync.status().pending >= 1


def test_a_refused_account_keeps_the_window_and_says_why(
    qtbot: Any, show: Callable[[QWidget], None], empty_services: Any, runner: TaskRunner
) -> None:
    window = FirstRunWindow(empty_services, runner)
    show(window)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.enroll_page)
    window.skip_enrollment()
    enter(child(window, "admin_username"))
    enter(child(window, "admin_name"))
    enter(child(window, "admin_staff_no"))
    enter(child(window, "admin_password"))
    enter(child(window, "admin_repeat"))
    assert child(window, "admin_password.message").text() == "请填写用户名。"
    assert focused(window, "admin_username")
    # Meanwhile IT made an account from the command line: the window refuses a second first admin.
    add_user(empty_services)
    with qtbot.waitSignal(window.refused, timeout=10_000) as refused:
        fill_admin(window, ADMIN_PASSWORD, ADMIN_PASSWORD)
    assert refused.args == ["本工位已有账号，第一个系统管理员已经创建。请用已有账号登录。"]
    assert window.isVisible() and window.admin is None
    with pytest.raises(NotAllowedError):
        empty_services.accounts.create_first_admin(
            username="other", display_name="他人", staff_no="9002", password=ADMIN_PASSWORD
        )


def test_a_workstation_the_installer_enrolled_is_asked_only_for_the_admin(
    qtbot: Any,
    show: Callable[[QWidget], None],
    tls_central: tuple[ServerThread, Path],
    tmp_path: Path,
    services_factory: Callable[..., Any],
    runner: TaskRunner,
) -> None:
    from app.cli import main

    server, ca_file = tls_central
    (tmp_path / "pc").mkdir()
    config = write_deployment(tmp_path / "pc", server_url=server.url, ca_bundle=str(ca_file))
    data_dir = tmp_path / "pc" / "data"
    # What the installer runs once with the code it was given, before the first start (an empty store).
    code = enrollment_code(server.engine())
    assert main(["enroll", "--code", code, "--config", str(config), "--data-dir", str(data_dir)]) == 0
    services = services_factory(config=config, data_dir=data_dir)
    window = FirstRunWindow(services, runner)
    show(window)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.admin_page)
    assert child(window, "firstrun_step").text() == "创建第一个系统管理员"
    assert not child(window, "firstrun_enrolled").isVisible()


def test_the_window_in_english(
    english: None, qtbot: Any, show: Callable[[QWidget], None], empty_services: Any, runner: TaskRunner
) -> None:
    window = FirstRunWindow(empty_services, runner)
    show(window)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.enroll_page)
    assert window.windowTitle() == "First start — Yimen community affairs counter"
    assert child(window, "firstrun_step").text() == "Step 1 of 2: enroll this workstation with the central server"
    assert child(window, "firstrun_skip").text() == "Enroll later (work offline)"
    assert child(window, "enroll_submit").text() == "Enroll"
    window.skip_enrollment()
    assert child(window, "admin_create").text() == "Create the administrator and log in"
    enter(child(window, "admin_username"))
    enter(child(window, "admin_name"))
    enter(child(window, "admin_staff_no"))
    enter(child(window, "admin_password"))
    enter(child(window, "admin_repeat"))
    assert child(window, "admin_password.message").text() == "Enter a user name."
