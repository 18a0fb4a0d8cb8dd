"""Start-up, the background runner, catalog problems in the status bar, and the binding workaround."""

from __future__ import annotations

import logging
import shutil
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox

from app.errors import ConfigError, NotFoundError, YimenError
from app.i18n import msg
from ui import app as ui_app
from ui.messages import MessageBridge, MessageDisplay
from ui.tasks import TaskRunner

REPO = Path(__file__).resolve().parents[2]


# ---------------------------------------------------------------------- start-up


def test_missing_deployment_file_is_a_clear_message_and_exit_status_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    shown: list[YimenError] = []
    monkeypatch.setattr(ui_app, "show_startup_error", shown.append)
    monkeypatch.setattr(ui_app, "setup_logging", lambda data_dir: None)
    monkeypatch.setattr(ui_app, "install_crash_handler", lambda log_file: None)
    missing = tmp_path / "nowhere.toml"
    status = ui_app.run_gui(["--config", str(missing), "--data-dir", str(tmp_path / "data")])
    assert status == 2
    assert len(shown) == 1 and isinstance(shown[0], ConfigError)
    assert shown[0].message.render().startswith(f"找不到配置文件 {missing}。")
    assert any(r.levelno == logging.ERROR and "start-up failed" in r.getMessage() for r in caplog.records)
    caplog.clear()  # the error log is what this test expects


def test_demo_flag_on_a_production_deployment_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, deployment_file: Path
) -> None:
    shown: list[YimenError] = []
    monkeypatch.setattr(ui_app, "show_startup_error", shown.append)
    monkeypatch.setattr(ui_app, "setup_logging", lambda data_dir: None)
    monkeypatch.setattr(ui_app, "install_crash_handler", lambda log_file: None)
    status = ui_app.run_gui(["--config", str(deployment_file), "--data-dir", str(tmp_path / "data"), "--demo"])
    assert status == 2
    assert "演示数据只能在演示模式下写入" in shown[0].message.render()


# ---------------------------------------------------------------------- the runner


def test_runner_hands_results_back_on_the_gui_thread(qtbot: Any) -> None:
    runner = TaskRunner()
    seen: list[tuple[object, bool]] = []
    gui = threading.current_thread()
    worker_threads: list[threading.Thread] = []

    def work() -> int:
        worker_threads.append(threading.current_thread())
        return 42

    with qtbot.waitSignal(runner.finished):
        runner.run_db(work, lambda value: seen.append((value, threading.current_thread() is gui)))
    assert seen == [(42, True)]
    assert worker_threads[0] is not gui and worker_threads[0].name.startswith("yimen-db")
    assert runner.idle
    runner.shutdown()


def test_runner_routes_expected_failures(qtbot: Any) -> None:
    runner = TaskRunner()
    error = NotFoundError(msg("intake", "找不到受理编号为 {no} 的申请，请核对编号。").bind(no="X"))
    caught: list[YimenError] = []

    def fail() -> None:
        raise error

    with qtbot.waitSignal(runner.finished):
        runner.run_db(fail, on_error=caught.append)
    assert caught == [error]
    with qtbot.waitSignal(runner.failed) as failed:
        runner.run_db(fail)
    assert failed.args[0] is error
    runner.shutdown()


def test_runner_raises_bugs_on_the_gui_thread(qtbot: Any) -> None:
    runner = TaskRunner()

    def broken() -> None:
        raise ZeroDivisionError("bug")

    with qtbot.captureExceptions() as exceptions, qtbot.waitSignal(runner.finished):
        runner.run_db(broken)
    assert [type(e[1]) for e in exceptions] == [ZeroDivisionError]
    runner.shutdown()


def test_runner_skips_callbacks_of_a_closed_window(qtbot: Any) -> None:
    runner = TaskRunner()
    owner = QObject()
    seen: list[int] = []
    gate = threading.Event()
    runner.run_db(lambda: gate.wait(5) and 1, seen.append, owner=owner)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not _alive(owner))
    with qtbot.waitSignal(runner.finished):
        gate.set()
    assert seen == []
    runner.shutdown()


def _alive(obj: QObject) -> bool:
    from shiboken6 import Shiboken

    return bool(Shiboken.isValid(obj))


# ---------------------------------------------------------------------- messages


def test_error_messages_open_a_dialog_that_does_not_block(qtbot: Any, window: Any, bridge: MessageBridge) -> None:
    display: MessageDisplay = window.display
    with qtbot.waitSignal(display.dialog_opened) as opened:
        bridge.error("数据库出错，记录没有保存。请重试；如持续出现请通知信息员。")
    box: QMessageBox = opened.args[0]
    assert box.text() == "数据库出错，记录没有保存。请重试；如持续出现请通知信息员。"
    assert box.isVisible()
    box.close()
    bridge.info("已受理")
    assert window.toast.isVisible() and window.toast.text() == "已受理"


# ---------------------------------------------------------------------- catalog problems


@pytest.fixture
def broken_catalog_services(services_factory: Any, tmp_path: Path) -> Any:
    folder = tmp_path / "catalog"
    shutil.copytree(REPO / "resources" / "catalog" / "items", folder)
    (folder / "MZ-XX-999.yaml").write_text("schema: 1\ncode: [oops\n", encoding="utf-8")
    return services_factory(catalog_dir=folder, data_dir=tmp_path / "broken-data")


def test_catalog_problems_are_visible_in_the_status_bar(
    qtbot: Any, broken_catalog_services: Any, runner: TaskRunner, clerk: Any, show: Any
) -> None:
    from ui.context import UiContext
    from ui.main_window import MainWindow

    services = broken_catalog_services
    assert services.notes
    window = MainWindow(UiContext(services, runner, MessageBridge(), clerk))
    show(window)
    button = window.notes_button
    assert button is not None and button.isVisible()
    assert button.text() == f"事项目录有 {len(services.notes)} 个问题"
    assert "MZ-XX-999.yaml" in button.toolTip()
    button.click()
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "catalog_notes_dialog") is not None)
    box = window.findChild(QMessageBox, "catalog_notes_dialog")
    assert "MZ-XX-999.yaml" in box.text()
    box.close()


# ---------------------------------------------------------------------- the binding


def test_setters_and_emit_keep_singleton_references(qtbot: Any) -> None:
    """PySide6 6.12.0 on CPython 3.11 dropped a reference to None/True on every setter call and emit, until the
    process aborted with "none_dealloc" after a few thousand keystrokes.  pyproject.toml pins below 6.12; this
    guards the pin (on CPython >= 3.12 the singletons are immortal and the counts do not move)."""

    class Emitter(QObject):
        happened = Signal(object)

    emitter = Emitter()
    emitter.happened.connect(lambda _value: None)
    singletons = (None, True, False)
    before = [sys.getrefcount(v) for v in singletons]
    for _ in range(20_000):
        emitter.happened.emit(None)
        emitter.setObjectName("x")
    after = [sys.getrefcount(v) for v in singletons]
    for old, new in zip(before, after, strict=True):
        assert new >= old - 100, (before, after)
