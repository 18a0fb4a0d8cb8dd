"""The material checklist of a case: the lines :meth:`IntakeService.check` expands from the catalog (one per party
for per-party materials), each ticked 已收到 / 缺少 / 不合格, with a note (required for 不合格: the 补正 notice
states what is wrong with each material).

Keyboard: Tab goes from status to status; Space toggles 已收到/缺少; digits 1, 2, 3 choose 已收到, 缺少,
不合格; choosing 不合格 moves the cursor into the note.

objectNames: the status box is ``material.<key>`` (``material.<key>.<party index>`` for a per-party line, e.g.
``material.check_authorisation_member.1``); its note ``<that>.note``; its message ``<that>.message``.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox, QGridLayout, QGroupBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.catalog.schema import ServiceItem
from app.domain import MaterialStatus
from app.intake.model import MaterialInput, MaterialLine
from ui.i18n import local_text, translate
from ui.material_names import STATUS_NAMES, copies_text
from ui.widgets import ERROR, MessageLabel, discard

STATUS_ORDER = (MaterialStatus.RECEIVED, MaterialStatus.MISSING, MaterialStatus.DEFECTIVE)


def line_name(line: MaterialLine) -> str:
    """The line's object name stem: ``material.<key>`` or ``material.<key>.<party index>``."""
    if line.party_index is None:
        return f"material.{line.key}"
    return f"material.{line.key}.{line.party_index}"


class MaterialStatusBox(QComboBox):
    """已收到 / 缺少 / 不合格, chosen by Space (toggle received/missing) or the digits 1–3."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        for number, status in enumerate(STATUS_ORDER, start=1):
            self.addItem(f"{number}  {translate('materials', STATUS_NAMES[status])}", status.value)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.currentIndexChanged.connect(self._colour)
        self.set_status(MaterialStatus.MISSING)
        self._colour()

    def _colour(self, *_args: object) -> None:
        # The style sheet colours the box by status, so a glance down the list shows what is still missing.
        self.setProperty("status", self.currentData())
        self.style().unpolish(self)
        self.style().polish(self)

    def status(self) -> MaterialStatus:
        """The chosen status."""
        return MaterialStatus(self.currentData())

    def set_status(self, status: MaterialStatus) -> None:
        """Choose ``status``."""
        self.setCurrentIndex(STATUS_ORDER.index(status))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Space toggles 已收到/缺少; 1, 2, 3 choose."""
        key = event.key()
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            super().keyPressEvent(event)
            return
        if key == Qt.Key.Key_Space:
            received = self.status() is MaterialStatus.RECEIVED
            self.set_status(MaterialStatus.MISSING if received else MaterialStatus.RECEIVED)
            return
        if Qt.Key.Key_1 <= key <= Qt.Key.Key_3:
            self.setCurrentIndex(key - Qt.Key.Key_1)
            return
        super().keyPressEvent(event)


class MaterialRow:
    """One line of the checklist: status, name (with form, count and standard), note, message."""

    def __init__(self, line: MaterialLine, item: ServiceItem | None, parent: QWidget) -> None:
        self.line = line
        name = line_name(line)
        self.status = MaterialStatusBox(name, parent)
        material = next((m for m in item.materials if m.key == line.key), None) if item else None
        title = local_text(material.name) if material is not None else line.name
        if line.party_name:
            title = f"{title}（{line.party_name}）"
        details = copies_text(line.form, line.count)
        if not line.required:
            details += QCoreApplication.translate("materials", "（可选）")
        self.label = QLabel(f"{title}  <span style='color:#5f6b7a'>{details}</span>", parent)
        self.label.setObjectName(f"{name}.label")
        self.label.setWordWrap(True)
        standard = local_text(material.standard) if material is not None else (line.standard or "")
        self.label.setToolTip(standard)
        self.status.setToolTip(standard)
        self.note = QLineEdit(parent)
        self.note.setObjectName(f"{name}.note")
        self.note.setPlaceholderText(QCoreApplication.translate("materials", "说明（不合格时必填）"))
        self.note.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.message = MessageLabel(name, parent)
        self.status.currentIndexChanged.connect(self._status_changed)

    @property
    def ident(self) -> tuple[str, int | None]:
        """The line's identity across checks."""
        return self.line.key, self.line.party_index

    def widgets(self) -> list[QWidget]:
        """Every widget of the row."""
        return [self.status, self.label, self.note, self.message]

    def tick(self) -> MaterialInput | None:
        """The clerk's tick for the core (None for an optional line not brought)."""
        status = self.status.status()
        if not self.line.required and status is MaterialStatus.MISSING:
            return None
        return MaterialInput(
            key=self.line.key,
            status=status,
            party_index=self.line.party_index,
            note=self.note.text().strip() or None,
        )

    def _status_changed(self, _index: int) -> None:
        defective = self.status.status() is MaterialStatus.DEFECTIVE
        self.note.setFocusPolicy(Qt.FocusPolicy.StrongFocus if defective else Qt.FocusPolicy.ClickFocus)
        self.message.clear_text()
        if defective and self.status.hasFocus():
            self.note.setFocus(Qt.FocusReason.TabFocusReason)


class MaterialsPanel(QGroupBox):
    """The checklist.  Lines are replaced after each check; ticks and notes survive for lines that stay.

    Signals:
        edited(): a status or a note changed.
        rows_changed(): the lines were replaced (the tab order changes).
    """

    edited = Signal()
    rows_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("材料"), parent)
        self.setObjectName("materials")
        layout = QVBoxLayout(self)
        self.hint = QLabel(self.tr("空格：已收到/缺少　1 已收到　2 缺少　3 不合格（须写说明）"), self)
        self.hint.setProperty("role", "hint")
        layout.addWidget(self.hint)
        self.message = MessageLabel("materials", self, auto_hide=True)
        layout.addWidget(self.message)
        self._holder = QWidget(self)
        self._grid = QGridLayout(self._holder)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(10)
        self._grid.setVerticalSpacing(4)
        self._grid.setColumnStretch(1, 5)
        self._grid.setColumnMinimumWidth(2, 220)
        self._grid.setColumnStretch(2, 2)
        self._grid.setColumnStretch(3, 3)
        layout.addWidget(self._holder)
        self.empty = QLabel(self.tr("选择事项后显示材料清单。"), self)
        self.empty.setProperty("role", "hint")
        layout.addWidget(self.empty)
        self.rows: list[MaterialRow] = []
        self._item: ServiceItem | None = None

    def set_lines(self, lines: Sequence[MaterialLine], item: ServiceItem | None) -> None:
        """Show ``lines``, keeping the status and note of lines that were there before."""
        old = {row.ident: row for row in self.rows}
        same = [row.ident for row in self.rows] == [(ln.key, ln.party_index) for ln in lines]
        if same and item is self._item:
            for row, line in zip(self.rows, lines, strict=True):
                row.line = line
            return
        focus_ident = next((row.ident for row in self.rows if row.status.hasFocus()), None)
        for row in self.rows:
            for widget in row.widgets():
                self._grid.removeWidget(widget)
                discard(widget)
        self.rows = []
        self._item = item
        for r, line in enumerate(lines):
            row = MaterialRow(line, item, self._holder)
            previous = old.get((line.key, line.party_index))
            if previous is not None:
                row.status.set_status(previous.status.status())
                row.note.setText(previous.note.text())
            row.status.currentIndexChanged.connect(self._edited)
            row.note.textEdited.connect(self._edited)
            for c, widget in enumerate(row.widgets()):
                self._grid.addWidget(widget, r, c)
                widget.show()
            self.rows.append(row)
        self._holder.setVisible(bool(self.rows))
        self.empty.setVisible(not self.rows)
        self.empty.setText(
            self.tr("本事项没有需要核验的材料。") if item is not None else self.tr("选择事项后显示材料清单。")
        )
        self.rows_changed.emit()
        for row in self.rows:
            if row.ident == focus_ident:
                row.status.setFocus()

    def ticks(self) -> list[MaterialInput]:
        """Every tick for the core."""
        return [t for row in self.rows if (t := row.tick()) is not None]

    def focus_widgets(self) -> list[QWidget]:
        """Status boxes (and notes of defective lines) in tab order."""
        return [w for row in self.rows for w in (row.status, row.note)]

    def locate(self, text: str) -> tuple[QWidget, MessageLabel]:
        """Where a materials problem belongs: the first defective line without a note, the first required line not
        received, or the panel's own message."""
        for row in self.rows:
            if row.status.status() is MaterialStatus.DEFECTIVE and not row.note.text().strip():
                return row.note, row.message
        for row in self.rows:
            if row.line.required and row.status.status() is not MaterialStatus.RECEIVED and row.line.name in text:
                return row.status, row.message
        first = self.rows[0].status if self.rows else self
        return first, self.message

    def clear_messages(self) -> None:
        """Remove every message."""
        self.message.clear_text()
        for row in self.rows:
            row.message.clear_text()

    def show_problem(self, text: str) -> QWidget:
        """Show ``text`` at the line it concerns and return the widget to focus."""
        widget, label = self.locate(text)
        label.show_text(text, ERROR)
        if label is not self.message:
            self.message.show_text(text, ERROR)
        return widget

    def _edited(self, *_args: object) -> None:
        self.edited.emit()
