"""关于 (Shift+F1; 帮助 → 关于 in a supervisor's window): the pyproject version, the store's schema version, the codes
and the Qt and Python versions, copied for support with 复制, in English too; and the update notice of the status
bar: an update due is shown to supervisors and IT, not to clerks; below the server's minimum, red, to everyone."""

from __future__ import annotations

import platform
import tomllib
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QApplication

from app.sync.service import META_CLIENT_LATEST, META_CLIENT_MIN, _set_meta
from db.migrate import current_revision
from tests.conftest import add_user
from tests.ui.test_i18n import english  # noqa: F401 - the fixture: the window in English
from tests.ui.ui_testkit import Keyboard
from ui.about import AboutDialog

ROOT = Path(__file__).resolve().parents[2]


def pyproject_version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as fh:
        return str(tomllib.load(fh)["project"]["version"])


def opened_about(qtbot: Any, keyboard: Keyboard, window: Any) -> AboutDialog:
    keyboard.press(Qt.Key.Key_F1, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: window.about_dialog is not None)
    dialog: AboutDialog = window.about_dialog
    qtbot.waitUntil(lambda: dialog.facts is not None)
    return dialog


def test_shift_f1_shows_the_version_schema_and_codes_and_copies_them_for_support(
    qtbot: Any, keyboard: Keyboard, window: Any, services: Any
) -> None:
    assert window.help_menu is None and not window.menuBar().actions()  # a clerk's window keeps no menu bar
    dialog = opened_about(qtbot, keyboard, window)
    shown = dialog.text.text().splitlines()
    schema = current_revision(services.db.engine)
    assert schema
    deployment = services.deployment
    assert shown == [
        f"版本：{pyproject_version()}",
        f"数据库结构版本：{schema}",
        f"中心：{deployment.center_name}（{deployment.center_code}）",
        f"工位：{deployment.window_name}（{deployment.workstation_code}）",
        f"Qt：{qVersion()}，PySide6：{__import__('PySide6').__version__}",
        f"Python：{platform.python_version()}",
        shown[6],
    ]
    assert shown[6].startswith("操作系统：") and platform.system() in shown[6]

    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == "\n".join(shown)
    assert dialog.copy_button.text() == "已复制"
    dialog.accept()
    qtbot.waitUntil(lambda: window.about_dialog is None)


def test_a_supervisors_help_menu_opens_the_guide_and_about(
    qtbot: Any, services: Any, make_window: Any, keyboard: Keyboard
) -> None:
    window = make_window(add_user(services, "zhangmin", supervisor=True))
    assert window.help_menu is not None and window.help_menu.title() == "帮助(&H)"
    actions = {a.objectName(): a.text() for a in window.help_menu.actions()}
    assert actions == {"guide_action": "使用说明(&G)\tF1", "about_action": "关于(&A)…\tShift+F1"}
    about = next(a for a in window.help_menu.actions() if a.objectName() == "about_action")
    about.trigger()
    qtbot.waitUntil(lambda: window.about_dialog is not None and window.about_dialog.facts is not None)
    assert window.about_dialog.text.text().startswith(f"版本：{pyproject_version()}\n")
    window.about_dialog.reject()
    qtbot.waitUntil(lambda: window.about_dialog is None)
    # The lock hides the menu bar (its actions would open windows above the lock) and shows it again.
    window.lock()
    assert not window.menuBar().isVisible()
    window.unlock()
    assert window.menuBar().isVisible()


@pytest.mark.usefixtures("english")
def test_about_in_english(qtbot: Any, keyboard: Keyboard, window: Any) -> None:
    dialog = opened_about(qtbot, keyboard, window)
    assert dialog.windowTitle() == "About Yimen community affairs counter"
    lines = dialog.text.text().splitlines()
    assert lines[0] == f"Version: {pyproject_version()}"
    assert lines[1].startswith("Database schema version: ")
    assert dialog.copy_button.text() == "&Copy"


# ------------------------------------------------------------------------------------------------ the update notice


def publish(services: Any, *, minimum: str | None, latest: str | None) -> None:
    """What the sync service keeps of a server's answer (tests/server/test_client_versions.py covers the wire)."""
    with services.db.write() as session:
        _set_meta(session, META_CLIENT_MIN, minimum)
        _set_meta(session, META_CLIENT_LATEST, latest)


def notice(window: Any, services: Any) -> Any:
    window.sync_area.show_status(services.sync.status())
    return window.statusBar().findChild(object, "sync_update")


def test_an_update_due_is_shown_to_a_supervisor_and_not_to_a_clerk(
    qtbot: Any, services: Any, make_window: Any, clerk: Any
) -> None:
    publish(services, minimum=None, latest="99.2.0")
    supervisor_window = make_window(add_user(services, "zhangmin", supervisor=True))
    label = notice(supervisor_window, services)
    assert label.isVisible()
    assert label.text() == "有新版本 99.2.0，请联系信息员升级"
    assert label.property("severity") == "warning"

    clerk_window = make_window(clerk)
    assert not notice(clerk_window, services).isVisible()

    # Nothing published, or this very version: no notice.
    publish(services, minimum=None, latest=pyproject_version())
    assert not notice(supervisor_window, services).isVisible()


def test_below_the_minimum_everyone_sees_it_red(qtbot: Any, services: Any, make_window: Any, clerk: Any) -> None:
    publish(services, minimum="99.0", latest="99.2.0")
    for window in (make_window(clerk), make_window(add_user(services, "zhangmin", supervisor=True))):
        label = notice(window, services)
        assert label.isVisible()
        assert label.text() == "本工位程序版本过旧，已停止同步，请联系信息员升级到 99.2.0"
        assert label.property("severity") == "error"
        assert "99.0" in label.toolTip() and pyproject_version() in label.toolTip()
        state = window.statusBar().findChild(object, "sync_state")
        assert state.text().startswith("须升级 · ") and state.property("severity") == "error"
