"""The one message bridge (STYLE.md §7, after qutebrowser's ``message.py``).

Everything the counter says to the clerk outside a field's own inline message goes through a
:class:`MessageBridge`: status-bar text, toasts (confirmations that fade), warnings and error dialogs.  Widgets
call ``bridge.info(...)`` / ``bridge.error(...)``; the main window's :class:`MessageDisplay` shows them; tests attach
a recorder to :attr:`MessageBridge.shown` and assert the exact Chinese text.

Dialogs are opened with ``QDialog.open()`` (window-modal, not blocking), so nothing here waits on a nested event
loop and a test can read what is shown.
"""

from __future__ import annotations

import logging
from enum import StrEnum

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QMessageBox, QStatusBar, QWidget

from app.errors import YimenError
from app.i18n import Message
from ui.i18n import render

log = logging.getLogger("yimen.ui")

TOAST_MS = 8000
STATUS_MS = 6000


class Level(StrEnum):
    """How loudly a message is shown."""

    STATUS = "status"  # status bar only
    INFO = "info"  # a toast: a confirmation the clerk sees but need not dismiss
    WARNING = "warning"  # a toast that stays until the next message
    ERROR = "error"  # a dialog the clerk dismisses


class MessageBridge(QObject):
    """Where widgets send messages for the clerk; the display and tests listen.

    Signals:
        shown(str, str): a message was given: its :class:`Level` value and the (translated) text.
    """

    shown = Signal(str, str)

    def status(self, text: str) -> None:
        """Show ``text`` in the status bar for a few seconds."""
        self._emit(Level.STATUS, text)

    def info(self, text: str) -> None:
        """Confirm something that went well (a toast)."""
        self._emit(Level.INFO, text)

    def warning(self, text: str) -> None:
        """Point at something the clerk should look at (a toast that stays)."""
        self._emit(Level.WARNING, text)

    def error(self, text: str) -> None:
        """Say that something failed and what to do (a dialog)."""
        self._emit(Level.ERROR, text)

    def message(self, level: Level, message: Message) -> None:
        """Translate a core message and show it at ``level``."""
        self._emit(level, render(message), message.text)

    def failure(self, exc: YimenError) -> None:
        """Show an expected failure of the core as an error dialog."""
        self._emit(Level.ERROR, render(exc.message), f"{exc.code}: {exc.message.text}")

    def _emit(self, level: Level, text: str, template: str | None = None) -> None:
        # What the clerk sees names people ("已受理：张𠮷……"): the log keeps only the level and, for the core's
        # messages, the sentence's source with its placeholders — never the filled-in names, numbers or phones.
        if template is None:
            log.info("message (%s)", level.value)
        else:
            log.info("message (%s): %s", level.value, template)
        self.shown.emit(level.value, text)


class MessageDisplay(QObject):
    """Shows a bridge's messages in a window: status bar, a toast label, error dialogs.

    Signals:
        dialog_opened(QMessageBox): an error dialog was opened (tests read and close it).
    """

    dialog_opened = Signal(QMessageBox)

    def __init__(self, bridge: MessageBridge, window: QWidget, status_bar: QStatusBar, toast: QLabel) -> None:
        super().__init__(window)
        self._window = window
        self._status_bar = status_bar
        self._toast = toast
        self._toast.hide()
        self._toast.setWordWrap(True)
        self._toast.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._hide_timer = QTimer(self)
        self._hide_timer.setSingleShot(True)
        self._hide_timer.timeout.connect(self._toast.hide)
        self._dialog: QMessageBox | None = None
        self._held: list[tuple[str, str]] | None = None
        bridge.shown.connect(self.show_message)

    def hold(self) -> None:
        """Keep messages back (the window is locked: they may name a citizen and would stand above the lock)."""
        if self._held is None:
            self._held = []

    def release(self) -> None:
        """Show what was held back, in order (the window is unlocked).  Status-bar hints are dropped: they said
        what to do at that moment ("文书已生成，按 Enter 打印"), which is stale after the lock."""
        held, self._held = self._held or [], None
        for level, text in held:
            if level != Level.STATUS.value:
                self.show_message(level, text)

    def show_message(self, level: str, text: str) -> None:
        """Show one message as its level says (or keep it while held)."""
        if self._held is not None:
            self._held.append((level, text))
            return
        kind = Level(level)
        if kind is Level.STATUS:
            self._status_bar.showMessage(text, STATUS_MS)
            return
        self._status_bar.showMessage(text, STATUS_MS)
        if kind is Level.ERROR:
            self._open_dialog(text)
            return
        self._toast.setText(text)
        self._toast.setProperty("level", kind.value)
        # Re-polish so the style sheet's [level="..."] colours follow the property.
        self._toast.style().unpolish(self._toast)
        self._toast.style().polish(self._toast)
        self._toast.show()
        if kind is Level.INFO:
            self._hide_timer.start(TOAST_MS)
        else:
            self._hide_timer.stop()

    def _open_dialog(self, text: str) -> None:
        if self._dialog is not None:
            self._dialog.close()
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("提示"), text, QMessageBox.StandardButton.Ok, self._window)
        box.setObjectName("error_dialog")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(self._forget_dialog)
        self._dialog = box
        box.open()
        self.dialog_opened.emit(box)

    def _forget_dialog(self) -> None:
        self._dialog = None
