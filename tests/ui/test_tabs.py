"""The main window's tabs are what the feature packages register (ui.tabs): in order, each with its shortcut, and a tab
for supervisors only is one registration that clerks never see."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from tests.ui.ui_testkit import Keyboard
from ui import tabs
from ui.context import UiContext
from ui.tabs import TabPage, TabSpec, register_tab


class Overview(TabPage):
    """A page as a later feature would register it."""

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("overview")
        self.context = context


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The registry as the window sees it; what a test registers is gone afterwards."""
    import ui.main_window  # noqa: F401 - the feature packages register their tabs on import

    monkeypatch.setattr(tabs, "_registry", dict(tabs._registry))
    yield


def test_the_window_shows_the_registered_tabs_in_order(window: Any, keyboard: Keyboard) -> None:
    assert list(window.pages) == ["intake", "applications", "my_figures"]
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == [
        "受理 (F2)",
        "今日/查询 (F3)",
        "我的统计 (F6)",
    ]
    keyboard.press(Qt.Key.Key_F3)
    assert window.tabs.currentWidget() is window.pages["applications"]
    assert keyboard.focus_name() == "list_search"
    keyboard.press(Qt.Key.Key_F2)
    assert window.tabs.currentWidget() is window.pages["intake"]
    assert keyboard.focus_name() == "queue_ticket"


def test_a_supervisor_tab_is_one_registration(
    registry: None, make_window: Any, clerk: Any, supervisor: Any, keyboard: Keyboard
) -> None:
    supervisors = frozenset({supervisor.role})
    register_tab(TabSpec(name="overview", title="值班 ({keys})", page=Overview, order=30, keys="F9", roles=supervisors))
    counter = make_window(clerk)
    assert list(counter.pages) == ["intake", "applications", "my_figures"]
    counter.close()
    window = make_window(supervisor)
    assert list(window.pages) == ["intake", "applications", "overview", "supervisor"]
    assert window.tabs.tabText(2) == "值班 (F9)"
    page = window.pages["overview"]
    assert isinstance(page, Overview) and page.context.user == supervisor
    keyboard.press(Qt.Key.Key_F9)
    assert window.tabs.currentWidget() is page


def test_two_tabs_cannot_share_a_name(registry: None) -> None:
    with pytest.raises(ValueError, match="intake"):
        register_tab(TabSpec(name="intake", title="受理", page=Overview, order=1))


def test_an_admin_account_sees_no_intake_tab(make_window: Any, services: Any) -> None:
    from tests.conftest import add_user

    window = make_window(add_user(services, "it", admin=True))
    assert list(window.pages) == ["applications", "supervisor"]
