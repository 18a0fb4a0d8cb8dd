"""Pictures of the rater for the guides (``docs/screenshots/rating-*.png``), offscreen, without a database.

Run ``QT_QPA_PLATFORM=offscreen python -m ui.rating.screenshots [FOLDER] [--lang en]``: the rater as a window on the
counter's screen (1366×768, a 差评 being given) and on the citizen's own screen (1920×1080: as it opens, and a named
差评 with its phone number), touched the way a citizen does (clicks on the buttons, typing in the fields).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from app.domain import BadRatingReason, RatingLevel, RatingOccasion
from ui.i18n import install_translators
from ui.rating.rater import Prompt, Rater
from ui.style import apply_style

DEFAULT_FOLDER = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
COUNTER_SCREEN = QSize(1366, 768)  # the counter's screen, less a taskbar of 40 px
CITIZEN_SCREEN = QSize(1920, 1080)
PROMPT = Prompt(
    acceptance_no="310104003-003-20261123-0001",
    occasion=RatingOccasion.DECISION,
    item_name="临时救助",
    clerk_name="王丽",
    clerk_staff_no="0301",
)


def touch(button: QPushButton) -> None:
    """A finger on ``button``."""
    QTest.mouseClick(button, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, button.rect().center())


def type_into(widget: QWidget, text: str) -> None:
    """Type ``text`` into ``widget``, one key event a character (Chinese included)."""
    for ch in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier)


def _shown(rater: Rater, size: QSize) -> Rater:
    rater.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    rater.resize(size)
    rater.show()
    QApplication.processEvents()
    return rater


def _save(rater: Rater, folder: Path, name: str) -> Path:
    QApplication.processEvents()
    path = folder / name
    if not rater.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    rater.dismiss()
    rater.deleteLater()
    return path


def render_all(folder: Path) -> list[Path]:
    """Draw the rater's pictures into ``folder``; the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []

    window = Rater(PROMPT, full_screen=False)
    _shown(window, window.window_size(COUNTER_SCREEN - QSize(0, 40)))
    touch(window.level_buttons[RatingLevel.DISSATISFIED])
    touch(window.reason_buttons[BadRatingReason.LONG_WAIT])
    touch(window.reason_buttons[BadRatingReason.UNCLEAR_GUIDE])
    type_into(window.comment.viewport(), "取号后等了一个多小时。")
    written.append(_save(window, folder, "rating-window.png"))

    citizen = _shown(Rater(PROMPT, full_screen=True), CITIZEN_SCREEN)
    written.append(_save(citizen, folder, "rating-citizen-screen.png"))

    citizen = _shown(Rater(PROMPT, full_screen=True), CITIZEN_SCREEN)
    touch(citizen.level_buttons[RatingLevel.VERY_DISSATISFIED])
    touch(citizen.reason_buttons[BadRatingReason.REPEAT_VISITS])
    touch(citizen.named_button)
    QTest.keyClicks(citizen.phone, "139 1234 5678")
    type_into(citizen.comment.viewport(), "第三次来才办成，希望一次告知清楚。")
    written.append(_save(citizen, folder, "rating-citizen-screen-bad.png"))

    citizen = _shown(Rater(PROMPT, full_screen=True), CITIZEN_SCREEN)
    touch(citizen.level_buttons[RatingLevel.VERY_SATISFIED])
    citizen.thank()
    written.append(_save(citizen, folder, "rating-citizen-thanks.png"))
    return written


def main(argv: list[str] | None = None) -> int:
    """Draw the pictures; print nothing, return 0."""
    parser = argparse.ArgumentParser(prog="python -m ui.rating.screenshots", description=__doc__)
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--lang", default="zh_CN", choices=["zh_CN", "en"])
    options = parser.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    apply_style(app)
    install_translators(app, options.lang)
    render_all(options.folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
