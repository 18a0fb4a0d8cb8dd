"""Small widgets the counter's forms share: inline messages, keyboard-first choice boxes, Enter-moves-on."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLayoutItem,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QWidget,
)


def click_on_key(button: QAbstractButton, keys: str) -> QShortcut:
    """``keys`` click ``button`` at once, as a click with the mouse would, when it could be clicked (visible, enabled,
    its window not locked).

    Not ``button.setShortcut``: a button's own shortcut clicks it through ``animateClick()``, which shows it pressed
    and emits ``clicked`` 100 ms later — 100 ms of every decision's wait for its preview (docs/performance.md
    "Decision key → preview painted", change 5). The shortcut is the button's child (``objectName`` the button's +
    ``_key``); the main window's lock disables it with the window's other shortcuts.
    """
    shortcut = QShortcut(QKeySequence(keys), button)
    shortcut.setObjectName(f"{button.objectName()}_key")

    def clicked() -> None:
        if button.isVisible() and button.isEnabled():
            button.click()

    shortcut.activated.connect(clicked)
    return shortcut


#: Room a drop-down needs besides its text: padding, frame and the arrow.
CHOICE_CHROME = 44

ERROR = "error"
WARNING = "warning"
OK = "ok"
NEUTRAL = ""


ModelIndex = QModelIndex | QPersistentModelIndex


class RowsTableModel(QAbstractTableModel):
    """A read-only table of plain rows (the application list, the upload queue).

    A subclass names its columns in ``COLUMNS``, sets ``_headers`` (translated in its own context) and gives a
    cell's text in :meth:`_text`; any other role (colour, tooltip) in :meth:`_role`.
    """

    COLUMNS: tuple[str, ...] = ()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[Any] = []
        self._headers: list[str] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        """Replace the rows."""
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's default argument
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's default argument
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        return self._role(row, column, role)

    def _text(self, row: Any, column: str) -> str:
        raise NotImplementedError

    def _role(self, row: Any, column: str, role: int) -> Any:
        return None


class MessageLabel(QLabel):
    """The message beside a field: empty, a hint (``ok``), a warning or an error; the style sheet colours it.

    Its objectName is the field's objectName plus ``.message`` (e.g. ``applicant.id_number.message``).

    Signals:
        text_shown(): the text or its severity changed (a table row gathers its cells' messages in one line).
    """

    text_shown = Signal()

    def __init__(self, name: str, parent: QWidget | None = None, *, auto_hide: bool = False) -> None:
        """Make an empty message label.

        Args:
            name: the objectName of the field it belongs to.
            parent: the parent widget.
            auto_hide: take no room while empty (a message line of its own, not a column beside a field).
        """
        super().__init__(parent)
        self._auto_hide = auto_hide
        self.setObjectName(f"{name}.message")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setProperty("severity", NEUTRAL)
        self.setMinimumWidth(160)
        if auto_hide:
            self.hide()

    @property
    def severity(self) -> str:
        """The severity of the text shown (``error``, ``warning``, ``ok`` or empty)."""
        return str(self.property("severity") or "")

    def show_text(self, text: str, severity: str = ERROR) -> None:
        """Show ``text`` with ``severity`` (an empty text clears the label)."""
        self.setText(text)
        self.setProperty("severity", severity if text else NEUTRAL)
        self.style().unpolish(self)
        self.style().polish(self)
        if self._auto_hide:
            self.setVisible(bool(text))
        self.text_shown.emit()

    def clear_text(self) -> None:
        """Remove the message."""
        self.show_text("", NEUTRAL)


class ChoiceBox(QComboBox):
    """A drop-down whose first entry means "not chosen"; digit keys 1–9 pick an option without opening it.

    Chinese labels cannot be reached by typing their first letter, so the options are numbered.

    Signals:
        value_changed(object): the chosen value changed (None when nothing is chosen).
    """

    value_changed = Signal(object)

    def __init__(self, name: str, options: Sequence[tuple[Any, str]], placeholder: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName(name)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.addItem(placeholder, None)
        for number, (value, label) in enumerate(options, start=1):
            prefix = f"{number}  " if number <= 9 else ""
            self.addItem(f"{prefix}{label}", value)
        # Never narrower than the longest option: a clipped choice is a wrong choice waiting to happen.
        longest = max(self.fontMetrics().horizontalAdvance(self.itemText(i)) for i in range(self.count()))
        self.setMinimumWidth(longest + CHOICE_CHROME)
        self.currentIndexChanged.connect(self._emit_value)

    def value(self) -> Any:
        """Return the chosen value, or None."""
        return self.currentData()

    def set_value(self, value: Any) -> None:
        """Choose the option with ``value`` (None: nothing chosen)."""
        index = self.findData(value) if value is not None else 0
        self.setCurrentIndex(max(index, 0))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Digits choose the n-th option, 0 and Backspace/Delete clear the choice."""
        key = event.key()
        if Qt.Key.Key_1 <= key <= Qt.Key.Key_9 and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            index = key - Qt.Key.Key_0
            if index < self.count():
                self.setCurrentIndex(index)
            return
        if key in (Qt.Key.Key_0, Qt.Key.Key_Backspace, Qt.Key.Key_Delete) and not event.modifiers():
            self.setCurrentIndex(0)
            return
        super().keyPressEvent(event)

    def _emit_value(self, _index: int) -> None:
        self.value_changed.emit(self.value())


class EnterMovesFocus(QObject):
    """An event filter: Enter/Return in a line edit or a drop-down moves to the next input instead of submitting.

    Clerks finish a field with Enter out of habit; submitting a half-filled form would be the worst answer.
    """

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(watched, QLineEdit | QComboBox):
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers() & ~(
                Qt.KeyboardModifier.KeypadModifier
            ):
                if isinstance(watched, QComboBox) and watched.view().isVisible():
                    return False
                watched.focusNextChild()
                return True
        return False

    def watch(self, widgets: Sequence[QWidget]) -> None:
        """Install the filter on ``widgets``."""
        for widget in widgets:
            widget.installEventFilter(self)


def discard(widget: QWidget) -> None:
    """Take a widget off the screen and out of its parent now, and delete it when the event loop allows.

    Out of the parent at once, so that ``findChild`` and the focus chain never meet a widget on its way out.
    """
    widget.hide()
    widget.setParent(None)
    widget.deleteLater()


def hline_label(text: str, name: str, parent: QWidget | None = None) -> QLabel:
    """A section heading label."""
    label = QLabel(text, parent)
    label.setObjectName(name)
    label.setProperty("role", "heading")
    return label


def submit_cancel(
    dialog: QDialog,
    name: str,
    submit_text: str,
    cancel_text: str,
    submit: Callable[[], None],
    *,
    default: bool = False,
) -> tuple[QHBoxLayout, QPushButton]:
    """A dialog's row of ``submit`` and cancel buttons at the right (``<name>_submit``, ``<name>_cancel``).

    The submit button is the dialog's default with ``default``, else its auto-default; cancel never takes Enter.
    Returns the row and the submit button.
    """
    button = QPushButton(submit_text, dialog)
    button.setObjectName(f"{name}_submit")
    if default:
        button.setDefault(True)
    else:
        button.setAutoDefault(True)
    button.clicked.connect(submit)
    cancel = QPushButton(cancel_text, dialog)
    cancel.setObjectName(f"{name}_cancel")
    cancel.setAutoDefault(False)
    cancel.clicked.connect(dialog.reject)
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(button)
    row.addWidget(cancel)
    return row, button


def open_dialog(dialog: QDialog, closed: Callable[[int], None]) -> None:
    """Open ``dialog`` window-modal without blocking, deleted once it closes; ``closed`` hears its result."""
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.finished.connect(closed)
    dialog.open()


class FlowLayout(QLayout):
    """Widgets side by side, going on to the next line where the width ends (Qt's flow layout example): a row of
    buttons that a narrow window (1366×768 at 150 %) cannot hold on one line takes two, instead of widening the
    window beyond the screen.  Hidden widgets take no room."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self.setContentsMargins(0, 0, 0, 0)
        self.setSpacing(spacing)

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 - Qt's name
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt's name
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt's name
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 - Qt's name
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt's name
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt's name
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 - Qt's name
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        # One line when there is room for it.
        shown = [i.sizeHint() for i in self._items if not i.isEmpty()]
        if not shown:
            return QSize(0, 0)
        width = sum(s.width() for s in shown) + self.spacing() * (len(shown) - 1)
        return QSize(width, max(s.height() for s in shown))

    def minimumSize(self) -> QSize:  # noqa: N802 - Qt's name
        # The widest widget: the others go on the next lines.
        size = QSize(0, 0)
        for item in self._items:
            if not item.isEmpty():
                size = size.expandedTo(item.minimumSize())
        return size

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        x, y, line_height = rect.x(), rect.y(), 0
        for item in self._items:
            if item.isEmpty():
                continue
            hint = item.sizeHint()
            if x > rect.x() and x + hint.width() > rect.right() + 1:
                x, y, line_height = rect.x(), y + line_height + self.spacing(), 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self.spacing()
            line_height = max(line_height, hint.height())
        return y + line_height - rect.y()
