"""UI fixtures: offscreen Qt, the counter window over a fresh real database (one SQLite file per test, from the
shared ``services`` fixture), a clerk's keyboard and a recorder of the message bridge."""

# ruff: noqa: E402 - the platform must be chosen before Qt is imported
from __future__ import annotations

import os

# Before any QApplication exists (STACK.md): the tests run headless.
os.environ["QT_QPA_PLATFORM"] = "offscreen"

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QWidget

from ui.memory import collect_on_gui_thread
from ui.messages import MessageBridge
from ui.style import apply_style
from ui.tasks import TaskRunner


@pytest.fixture(scope="session", autouse=True)
def _qt_style(qapp: QApplication) -> None:
    apply_style(qapp)
    collect_on_gui_thread(qapp)  # as the counter does: no collection on a worker thread


# The helper classes live in ui_testkit.py, which test modules import too; tests/ui is on sys.path only once the
# test modules are collected, so the fixtures import it when they run.


@pytest.fixture
def keyboard(qtbot: Any) -> Any:
    from tests.ui.ui_testkit import Keyboard

    return Keyboard(qtbot)


@pytest.fixture
def runner(services: Any) -> Iterator[TaskRunner]:
    task_runner = TaskRunner()
    yield task_runner
    task_runner.shutdown()


@pytest.fixture
def bridge() -> MessageBridge:
    return MessageBridge()


@pytest.fixture
def messages(bridge: MessageBridge) -> Any:
    from tests.ui.ui_testkit import MessageRecorder

    return MessageRecorder(bridge)


@pytest.fixture
def show(qtbot: Any) -> Callable[[QWidget], None]:
    """Show a top-level widget, make it the active window and wait until it is on screen."""

    def show_widget(widget: QWidget) -> None:
        qtbot.addWidget(widget)
        widget.show()
        widget.activateWindow()
        qtbot.waitExposed(widget)
        qtbot.waitUntil(lambda: QApplication.activeWindow() is widget)

    return show_widget


@pytest.fixture
def make_window(
    qtbot: Any, services: Any, runner: TaskRunner, bridge: MessageBridge, show: Callable[[QWidget], None]
) -> Callable[[Any], Any]:
    """Build the main window for a logged-in user, shown and active, with today's list loaded."""
    from ui.context import UiContext
    from ui.main_window import MainWindow

    def make(user: Any) -> MainWindow:
        window = MainWindow(UiContext(services, runner, bridge, user))
        show(window)
        qtbot.waitUntil(lambda: runner.idle)
        window.show_tab(0)
        return window

    return make


@pytest.fixture
def window(make_window: Callable[[Any], Any], clerk: Any) -> Any:
    return make_window(clerk)
