"""Helpers of the UI tests: a clerk's keyboard, a message recorder, valid ID numbers.

pytest-qt's ``keyClicks`` cannot type Chinese with PySide6 6.12 (``QTest::keyClicks`` goes through ``asciiToKey``
and aborts on a non-ASCII character), so :meth:`Keyboard.type` sends each non-ASCII character as one key event
carrying its text — what an input method or a card reader in keyboard mode delivers.  ASCII goes through
``qtbot.keyClicks``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from ui.messages import MessageBridge

NO_MODIFIER = Qt.KeyboardModifier.NoModifier


def valid_id(body17: str) -> str:
    """An ID number with the right MOD 11-2 check character (rules.md §1)."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body17 + "10X98765432"[sum(int(a) * w for a, w in zip(body17, weights, strict=True)) % 11]


class MessageRecorder:
    """Records what the message bridge says (qutebrowser's ``message_mock``)."""

    def __init__(self, bridge: MessageBridge) -> None:
        self.messages: list[tuple[str, str]] = []
        bridge.shown.connect(self._record)

    def _record(self, level: str, text: str) -> None:
        self.messages.append((level, text))

    def texts(self, level: str | None = None) -> list[str]:
        """The texts shown (at ``level``)."""
        return [t for lv, t in self.messages if level is None or lv == level]


class Keyboard:
    """A clerk's keyboard: everything goes to the widget that has the focus."""

    def __init__(self, qtbot: Any) -> None:
        self.qtbot = qtbot

    @staticmethod
    def focus() -> QWidget:
        widget = QApplication.focusWidget()
        assert widget is not None, "nothing has the keyboard focus"
        return widget

    def focus_name(self) -> str:
        return self.focus().objectName()

    def type(self, text: str) -> None:
        """Type ``text`` into the focused widget."""
        run = ""
        for ch in text:
            if ch.isascii():
                run += ch
                continue
            if run:
                self.qtbot.keyClicks(self.focus(), run)
                run = ""
            QTest.sendKeyEvent(
                QTest.KeyAction.Click, self.focus(), Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier
            )
        if run:
            self.qtbot.keyClicks(self.focus(), run)

    def press(
        self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier, times: int = 1
    ) -> None:
        for _ in range(times):
            self.qtbot.keyClick(self.focus(), key, modifier)

    def tab(self, times: int = 1) -> None:
        self.press(Qt.Key.Key_Tab, times=times)

    def enter(self) -> None:
        self.press(Qt.Key.Key_Return)

    def tab_to(self, name: str, limit: int = 80) -> None:
        """Press Tab until the input called ``name`` has the focus (as a clerk does)."""
        for _ in range(limit):
            if self.focus_name() == name:
                return
            self.tab()
        raise AssertionError(f"Tab never reached {name!r}; stuck at {self.focus_name()!r}")

    def field(self, name: str, text: str) -> None:
        """Tab to ``name`` and type ``text``."""
        self.tab_to(name)
        self.type(text)


def log_in(qtbot: Any, keyboard: Keyboard, show: Any, services: Any, runner: Any, username: str, password: str) -> Any:
    """Log in through the dialog by keyboard; return the SessionUser."""
    from ui.login import LoginDialog

    dialog = LoginDialog(services.deployment, runner, services)
    show(dialog)
    assert keyboard.focus_name() == "username"
    keyboard.type(username)
    keyboard.enter()
    assert keyboard.focus_name() == "password"
    with qtbot.waitSignal(dialog.logged_in, timeout=5000) as blocker:
        keyboard.type(password)
        keyboard.enter()
    return blocker.args[0]


def choose_item(keyboard: Keyboard, query: str) -> None:
    """Tab to the item search, type ``query`` and take the best match."""
    keyboard.tab_to("item_search")
    keyboard.type(query)
    keyboard.enter()


def wait_materials(qtbot: Any, window: Any, count: int) -> list[Any]:
    """Wait until the checklist of the background check shows ``count`` lines."""
    panel = window.pages["intake"].materials
    qtbot.waitUntil(lambda: len(panel.rows) == count)
    return list(panel.rows)


def wait_attached(qtbot: Any, strip: Any) -> None:
    """Until the files sent to ``strip`` are kept: a line's files are read, checked and kept on the database
    worker (ui/intake/attachments.py)."""
    qtbot.waitUntil(lambda: not strip.attaching, timeout=20_000)


def set_materials(qtbot: Any, keyboard: Keyboard, window: Any, keys: list[str]) -> None:
    """Tab through the checklist typing one key per line: "1" 已收到, "2" 缺少, "3" 不合格, "" leave as is.

    A 不合格 line moves the cursor into its note: the next key string is typed there as the note.
    """
    rows = wait_materials(qtbot, window, len(keys))
    keyboard.tab_to(rows[0].status.objectName())
    for row, key in zip(rows, keys, strict=True):
        assert keyboard.focus_name() == row.status.objectName()
        status, _, note = key.partition(":")
        if status:
            keyboard.type(status)
        if note:
            assert keyboard.focus_name() == row.note.objectName()
            keyboard.type(note)
        keyboard.tab()


def applicant(keyboard: Keyboard, name: str, id_number: str, phone: str = "13800138000") -> None:
    """Type the applicant's name, ID number and phone (the cursor is in the name)."""
    assert keyboard.focus_name() == "applicant.name"
    keyboard.type(name)
    keyboard.enter()
    keyboard.type(id_number)
    keyboard.enter()
    keyboard.tab_to("applicant.phone")
    keyboard.type(phone)
    keyboard.enter()


def decide_and_skip_printing(qtbot: Any, keyboard: Keyboard, window: Any, key: Qt.Key) -> Any:
    """Press Ctrl+<key>, wait for the decision and its print preview, skip printing (Esc); return the result.

    The preview opens on its own once the documents are drawn: a clerk reads it and presses Enter or Esc.
    """
    results: list[Any] = []
    previews: list[Any] = []
    window.context.events.changed.connect(results.append)
    window.desk.preview_opened.connect(previews.append)
    try:
        keyboard.press(key, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: bool(results) and bool(previews), timeout=20_000)
    finally:
        window.context.events.changed.disconnect(results.append)
        window.desk.preview_opened.disconnect(previews.append)
    result, preview = results[0], previews[0]
    qtbot.waitUntil(lambda: keyboard.focus_name() == "preview_print")
    with qtbot.waitSignal(preview.finished, timeout=10_000):
        keyboard.press(Qt.Key.Key_Escape)
    # The cursor goes back where it was (window activation is asynchronous).
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None and QApplication.activeModalWidget() is not preview)
    return result


def open_figures_tab(qtbot: Any, keyboard: Keyboard, window: Any, tab: str = "supervisor") -> Any:
    """F6: the 值班长 tab (``supervisor``) or a clerk's 我的统计 (``my_figures``), its figures read."""
    page = window.pages[tab]
    with qtbot.waitSignal(page.figures.loaded, timeout=10_000):
        keyboard.press(Qt.Key.Key_F6)
    assert window.tabs.currentWidget() is page
    return page


#: A counter's screen and the one facing the citizen, for ``offscreen:configfile=`` (Qt's offscreen platform).
COUNTER_SCREEN = {"name": "1 counter", "x": 0, "y": 0, "width": 1366, "height": 768, "logicalDpi": 96}
CITIZEN_SCREEN = {"name": "2 citizen", "x": 1366, "y": 0, "width": 1280, "height": 800, "logicalDpi": 96}


def run_on_screens(folder: Path, screens: list[dict[str, Any]], module: str, *args: str) -> dict[str, Any]:
    """Run ``python -m module OUT *args`` on the offscreen platform with ``screens`` (the platform is fixed per
    process, so a test of several screens runs its program in a process of its own); the JSON it wrote to OUT."""
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "screens.json"
    layout = {"synchronousWindowSystemEvents": False, "windowFrameMargins": True, "screens": screens}
    config.write_text(json.dumps(layout), encoding="utf-8")
    out = folder / "report.json"
    done = subprocess.run(
        [sys.executable, "-m", module, str(out), *args],
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}"},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    report: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return report
