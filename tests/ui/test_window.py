"""The counter window itself: its title, its fit on the screens counters have (1366×768 with a taskbar: the
decision bar and the status bar stay in view while the form scrolls), the clerk's guide on F1 (Chinese and
English), and no stale status-bar hint after a lock or a login."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QTextBrowser, QWidget

from app.resources import docs_path
from tests.ui.ui_testkit import Keyboard, choose_item
from ui.guide import GuideWindow, guide_file
from ui.i18n import install_translators, remove_translators

PRODUCT = "一门式社区事务受理台"
TASKBAR = 40


def inside(window: QWidget, widget: QWidget) -> bool:
    """Whether ``widget`` is shown whole inside the window's visible rectangle."""
    top_left = widget.mapTo(window, QPoint(0, 0))
    return (
        widget.isVisible()
        and not widget.visibleRegion().isEmpty()
        and window.rect().contains(QRect(top_left, widget.size()))
    )


def test_the_title_names_the_product_once_at_its_end(window: Any, services: Any) -> None:
    title = window.windowTitle()
    assert title.count(PRODUCT) == 1
    # Qt appends the application's display name to a title that does not end with it: ending with it, it is not
    # appended a second time.
    assert title.endswith(PRODUCT)
    assert services.deployment.center_name in title


def test_the_window_opens_to_the_screens_available_area(window: Any) -> None:
    available = window.screen().availableGeometry()
    assert window.frameGeometry().height() <= available.height() or window.height() <= available.height()
    window.fit_to_screen(QRect(0, 0, 1366, 768 - TASKBAR))
    assert window.geometry() == QRect(0, 0, 1366, 768 - TASKBAR)


@pytest.mark.parametrize(
    "size",
    [
        (1366, 768 - TASKBAR),
        (1280, 1024 - TASKBAR),
        (1024, 768 - TASKBAR),
        (911, 512),  # 1366×768 at 150 % scaling (logical pixels, no taskbar)
    ],
)
def test_at_counter_screen_sizes_the_decisions_and_the_status_bar_stay_in_view(
    qtbot: Any, keyboard: Keyboard, window: Any, size: tuple[int, int]
) -> None:
    window.fit_to_screen(QRect(0, 0, *size))
    choose_item(keyboard, "低保")  # the longest form: a household table, the item's fields, many materials
    intake = window.pages["intake"]
    qtbot.waitUntil(lambda: len(intake.materials.rows) > 3)
    qtbot.waitUntil(lambda: window.size().toTuple() == size)
    # Nothing in it asks for more than the screen: a long item name or workstation name gives way.
    hint = window.minimumSizeHint()
    assert hint.width() <= size[0] and hint.height() <= size[1], hint
    shown = [b for b in intake.decision_buttons.values() if b.isVisibleTo(window)]
    assert len(shown) == 3
    for button in shown:
        assert inside(window, button), button.objectName()
    assert inside(window, window.statusBar())
    for widget in window.sync_area.widgets():
        if widget.isVisibleTo(window):
            assert inside(window, widget)
    # The form itself scrolls: its last material line is reached by scrolling, not by a taller window.
    bar = intake.scroller.verticalScrollBar()
    assert bar.maximum() > 0
    last = intake.materials.rows[-1].status
    last.setFocus()
    intake.scroller.ensureWidgetVisible(last)
    qtbot.waitUntil(lambda: inside(window, last))


def test_f1_opens_the_clerks_guide_in_chinese(qtbot: Any, keyboard: Keyboard, window: Any) -> None:
    keyboard.press(Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: window.guide is not None and window.guide.isVisible())
    guide = window.guide
    assert isinstance(guide, GuideWindow)
    assert guide.path == docs_path("guide-clerk.md")
    text = guide.findChild(QTextBrowser, "guide_text").toPlainText()
    assert "窗口操作指南" in text and "容缺受理" in text and "补打" in text and "离线" in text
    guide.close()
    qtbot.waitUntil(lambda: window.guide is None)


def test_f1_opens_the_english_guide_when_the_window_speaks_english(qtbot: Any, keyboard: Keyboard, window: Any) -> None:
    app = QApplication.instance()
    assert app is not None
    translators = install_translators(app, "en")
    try:
        assert guide_file() == docs_path("guide-clerk.en.md")
        keyboard.press(Qt.Key.Key_F1)
        qtbot.waitUntil(lambda: window.guide is not None and window.guide.isVisible())
        text = window.guide.findChild(QTextBrowser, "guide_text").toPlainText()
        assert "Clerk's guide" in text and "窗口操作指南" not in text
        window.guide.close()
    finally:
        remove_translators(app, translators)


def test_the_guide_ships_with_its_screenshots() -> None:
    for name in ("guide-clerk.md", "guide-clerk.en.md"):
        text = docs_path(name).read_text(encoding="utf-8")
        images = [part.split(")")[0] for part in text.split("](")[1:] if part.split(")")[0].endswith(".png")]
        assert images, name
        for image in images:
            assert docs_path(image).is_file(), image


def test_a_stale_print_hint_is_gone_after_the_lock(qtbot: Any, keyboard: Keyboard, window: Any) -> None:
    window.context.bridge.status("文书已生成，按 Enter 打印，Esc 跳过。")
    assert window.statusBar().currentMessage().startswith("文书已生成")
    window.lock()
    window.context.bridge.status("文书已生成，按 Enter 打印，Esc 跳过。")  # a background task's, held by the lock
    window.unlock()
    assert window.statusBar().currentMessage() == ""


def test_documents_drawn_at_login_leave_no_print_hint(
    qtbot: Any, services: Any, clerk: Any, make_window: Any, messages: Any
) -> None:
    from app.domain import Decision, MaterialStatus, PartyRole
    from app.intake.model import ApplicationDraft, DecisionInput, MaterialInput, PartyInput

    draft = ApplicationDraft(
        item_code="MZ-SHJZ-002",
        values={"assistance_type": "emergency", "situation": "家中突发火灾"},
        parties=[PartyInput(PartyRole.APPLICANT, "张三", "310101198001010018", "13800138000")],
        materials=[MaterialInput("applicant_id_card", MaterialStatus.RECEIVED)],
    )
    services.intake.decide(draft, DecisionInput(Decision.ACCEPT), clerk)  # its documents are owed: drawn at login
    assert services.documents.due_numbers()
    window = make_window(clerk)
    qtbot.waitUntil(lambda: not services.documents.due_numbers() and window.context.runner.idle, timeout=20_000)
    assert not any("按 Enter 打印" in text or "正在生成文书" in text for text in messages.texts())
    assert "按 Enter 打印" not in window.statusBar().currentMessage()
