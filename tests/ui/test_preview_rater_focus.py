"""The keyboard reaches 打印 when the citizen's rater opens after a preview that is still storing its documents.

The preview opens with the rendered documents while their store commits (docs/performance.md "Preview latency"), so
the rater (ui/rating) can open after it — before or after the platform has made the preview the active window.
The rater takes no keyboard and gives the activation back; the window that gets it back must be the preview (the
counter window under it is blocked by the window-modal preview: keys sent there go nowhere).  Real widgets, the real
rating desk and document desk, the database worker held (real threads) in front of the store while the rater opens.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.domain import RatingOccasion
from tests.conftest import write_deployment
from tests.ui.ui_testkit import Keyboard, applicant, choose_item, set_materials, valid_id
from ui.rating.rater import Prompt

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def services(services_factory: Any, tmp_path: Path) -> Any:
    return services_factory(config=write_deployment(tmp_path, mode="demo"))  # the file printer


def printed_files(services: Any) -> list[Path]:
    return sorted((services.db.path.parent / "printed").glob("*.pdf"))


@pytest.mark.parametrize("when", ["before the preview is active", "after the preview is active"])
def test_the_rater_opening_after_a_storing_preview_leaves_the_keyboard_on_print(
    qtbot: Any, keyboard: Keyboard, window: Any, services: Any, when: str
) -> None:
    window.rating.thanks_ms = 0
    choose_item(keyboard, "临时救助")
    applicant(keyboard, "阿依古丽·买买提", valid_id("31010119800101001"))
    keyboard.tab_to("assistance_type")
    keyboard.type("1")
    keyboard.tab_to("situation")
    keyboard.type("家中失火，衣物被褥损毁")
    set_materials(qtbot, keyboard, window, ["1"])
    gate = threading.Event()
    previews: list[Any] = []

    def opened(preview: Any) -> None:
        # The store is submitted right after this: hold the worker in front of it, so the preview stays storing.
        previews.append(preview)
        window.context.runner.run_db(gate.wait, name="test.hold", urgent=True)
        if when == "before the preview is active":
            open_rater(preview)  # what a ratings.awaiting answered right after the preview opened does

    def open_rater(preview: Any) -> None:
        number = preview.copies[0].document.acceptance_no
        prompt = Prompt(number, RatingOccasion.DECISION, "临时救助", "王丽", "0301")
        window.rating.open(prompt)  # the desk's own answer for this visit later keeps this rater

    window.desk.preview_opened.connect(opened)
    try:
        keyboard.press(Qt.Key.Key_1, CTRL)
        qtbot.waitUntil(lambda: bool(previews), timeout=20_000)
        preview = previews[0]
        if when == "after the preview is active":
            qtbot.waitUntil(lambda: QApplication.activeWindow() is preview)
            open_rater(preview)
        rater = window.rating.rater
        assert rater is not None and rater.isVisible()
        qtbot.waitUntil(lambda: preview.shown_pages() == 1)
        assert preview.storing and not preview.print_button.isEnabled()
    finally:
        gate.set()
        window.desk.preview_opened.disconnect(opened)

    qtbot.waitUntil(lambda: not preview.storing, timeout=20_000)
    # The window events settle (the rater's activation, the hand-back), then the clerk's keyboard is on 打印.
    qtbot.waitUntil(lambda: QApplication.activeWindow() is preview)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is preview.print_button)
    assert window.rating.rater is rater and rater.isVisible()  # the citizen still rates
    assert printed_files(services) == []
    with qtbot.waitSignal(preview.finished, timeout=30_000):
        keyboard.enter()
    assert len(printed_files(services)) == 2  # the receipt and the form


def test_the_rater_gives_the_keyboard_back_to_the_dialog_over_the_counter_not_to_the_window_it_blocks(
    qtbot: Any, window: Any
) -> None:
    from PySide6.QtWidgets import QDialog, QLineEdit, QVBoxLayout

    window.rating.thanks_ms = 0
    dialog = QDialog(window)  # window-modal over the counter, like the documents preview
    field = QLineEdit(dialog)
    QVBoxLayout(dialog).addWidget(field)
    dialog.open()
    field.setFocus()
    # Opened before the platform made the dialog active: the active window is still the counter window.
    assert QApplication.activeWindow() is not dialog
    window.rating.open(Prompt("A-1", RatingOccasion.DECISION, "临时救助", "王丽", "0301"))
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    assert QApplication.focusWidget() is field
    assert window.rating.rater is not None and window.rating.rater.isVisible()
    dialog.reject()
