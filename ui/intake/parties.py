"""The parties of a case (申请人, 配偶, 家庭成员, 代理人, 监护人, 逝者), generated from the item's ``parties``.

A role taking at most one person is a :class:`PartyPanel` (a group of labelled inputs); a role that may take
several (household members) is a :class:`PartyTable` with one row per person, rows added and removed by keyboard
(the add button is in the tab order; ``Ctrl+=`` adds, ``Ctrl+-`` removes the row holding the cursor).

objectNames (tests and the core's issues address inputs by them):

* one-person roles: ``<role>.name``, ``<role>.id_number``, ``<role>.id_confirmed`` (the 已核实 box, shown for ID
  warnings), ``<role>.phone`` and ``<role>.<field key>`` — e.g. ``applicant.id_number``, ``spouse.name``,
  ``applicant.hukou_shanghai``;
* table rows, counted from 0: ``<role>.<row>.name``, ``<role>.<row>.id_number``, ``<role>.<row>.<field key>`` —
  e.g. ``household_member.0.relation``; rows below a removed row are renamed so names stay 0, 1, 2 …;
* every input's message label is its objectName plus ``.message``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import idnumber
from app.catalog import rules
from app.catalog.schema import ROLE_EN, ROLE_ZH, PartySpec
from app.domain import PartyRole
from app.intake.model import PartyInput
from ui.fields import FieldEditor, FieldGrid, describe_id, describe_name, describe_phone
from ui.i18n import ENGLISH, current_language, local_text
from ui.widgets import ERROR, OK, WARNING, MessageLabel, discard

if TYPE_CHECKING:
    from ui.intake.reader import CardFill

ADD_ROW_KEYS = "Ctrl+="
REMOVE_ROW_KEYS = "Ctrl+-"


def role_title(spec: PartySpec) -> str:
    """The role's name in this item, in the current language (e.g. 共同生活的家庭成员)."""
    if spec.label is not None:
        return local_text(spec.label)
    return ROLE_EN[spec.role] if current_language() == ENGLISH else ROLE_ZH[spec.role]


def is_table(spec: PartySpec) -> bool:
    """Whether the role takes several people (shown as a table)."""
    return spec.max is None or spec.max > 1


class Identity(QObject):
    """A party's name, ID number (with its 已核实 box) and phone, checked as the clerk types.

    Signals:
        edited(): the name, number, box or phone changed.
        id_checked(object): the ID number was checked (an ``IdCheck``; None when the field was emptied).
    """

    edited = Signal()
    id_checked = Signal(object)

    def __init__(self, prefix: str, parent: QWidget, *, with_phone: bool, required: bool = True) -> None:
        super().__init__(parent)
        mark = ' <span style="color:#c62828">*</span>' if required else ""
        self.name_label = QLabel(self.tr("姓名") + mark, parent)
        self.name_edit = QLineEdit(parent)
        self.name_edit.setMaxLength(100)
        self.name_message = MessageLabel("", parent)
        self.id_label = QLabel(self.tr("证件号码"), parent)
        self.id_holder = QWidget(parent)
        self.id_edit = QLineEdit(self.id_holder)
        self.id_edit.setMaxLength(24)
        self.id_edit.setPlaceholderText(self.tr("18 位身份号码"))
        self.id_confirm = QCheckBox(self.tr("已核实"), self.id_holder)
        self.id_confirm.setToolTip(self.tr("已与证件原件核对，确认号码无误"))
        self.id_confirm.hide()
        row = QHBoxLayout(self.id_holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.id_edit, 1)
        row.addWidget(self.id_confirm)
        self.id_message = MessageLabel("", parent)
        self.phone_label: QLabel | None = None
        self.phone_edit: QLineEdit | None = None
        self.phone_message: MessageLabel | None = None
        if with_phone:
            self.phone_label = QLabel(self.tr("联系电话"), parent)
            self.phone_edit = QLineEdit(parent)
            self.phone_edit.setMaxLength(30)
            self.phone_edit.setPlaceholderText(self.tr("手机或带区号的固定电话"))
            self.phone_message = MessageLabel("", parent)
            self.phone_edit.textEdited.connect(self._phone_edited)
        for label, buddy in ((self.name_label, self.name_edit), (self.id_label, self.id_edit)):
            label.setBuddy(buddy)
        self._check: idnumber.IdCheck | None = None
        # A card read into this party (ui/intake/reader.py): what it filled, and the line that says so.
        self.card_fill: CardFill | None = None
        self.card_label: MessageLabel | None = None
        self.rename(prefix)
        self.name_edit.textEdited.connect(self._name_edited)
        self.id_edit.textChanged.connect(self._id_edited)
        self.id_confirm.toggled.connect(self.edited)

    def rename(self, prefix: str) -> None:
        """Set the objectNames from ``prefix`` (``applicant`` or ``household_member.2``)."""
        self.name_edit.setObjectName(f"{prefix}.name")
        self.name_message.setObjectName(f"{prefix}.name.message")
        self.id_edit.setObjectName(f"{prefix}.id_number")
        self.id_confirm.setObjectName(f"{prefix}.id_confirmed")
        self.id_message.setObjectName(f"{prefix}.id_number.message")
        if self.phone_edit is not None and self.phone_message is not None:
            self.phone_edit.setObjectName(f"{prefix}.phone")
            self.phone_message.setObjectName(f"{prefix}.phone.message")

    def leading_rows(self) -> list[tuple[QWidget, QWidget, QWidget]]:
        """(label, input, message) rows for a :class:`~ui.fields.FieldGrid`."""
        rows: list[tuple[QWidget, QWidget, QWidget]] = [
            (self.name_label, self.name_edit, self.name_message),
            (self.id_label, self.id_holder, self.id_message),
        ]
        if self.phone_label is not None and self.phone_edit is not None and self.phone_message is not None:
            rows.append((self.phone_label, self.phone_edit, self.phone_message))
        return rows

    @property
    def check(self) -> idnumber.IdCheck | None:
        """The last check of the ID number (None when empty)."""
        return self._check

    def is_empty(self) -> bool:
        """Nothing typed in name, number or phone."""
        texts = [self.name_edit.text(), self.id_edit.text()]
        if self.phone_edit is not None:
            texts.append(self.phone_edit.text())
        return not any(t.strip() for t in texts)

    def party_input(self, role: PartyRole, values: dict[str, object]) -> PartyInput:
        """The party as the core takes it."""
        phone = self.phone_edit.text().strip() if self.phone_edit is not None else ""
        return PartyInput(
            role=role,
            name=self.name_edit.text(),
            id_number=self.id_edit.text().strip() or None,
            phone=phone or None,
            values=values,
            confirmed_id=self.id_confirm.isChecked(),
            card=self.card_fill.marks() if self.card_fill is not None else None,
        )

    def set_identity(self, name: str, id_number: str, phone: str) -> None:
        """Fill in name, number and phone (carried over when the clerk changes the item)."""
        if not name and not id_number:
            self.forget_card()
        self.name_edit.setText(name)
        self.id_edit.setText(id_number)
        if self.phone_edit is not None:
            self.phone_edit.setText(phone)
        self._name_edited(name)
        if self.phone_edit is not None:
            self._phone_edited(phone)

    def name_edited_from_card(self) -> None:
        """A card put the name in (no key was typed): its hint as for a typed name."""
        self._name_edited(self.name_edit.text())

    def adopt_card(self, other: Identity) -> None:
        """Keep the card marks of ``other`` (the applicant carried into a new item's form): name and number."""
        fill = other.card_fill
        if fill is None:
            return
        kept: dict[str, QWidget] = {"name": self.name_edit, "id_number": self.id_edit}
        inputs = {k: (kept[k], text) for k, (_w, text) in fill.inputs.items() if k in kept}
        self.card_fill = dataclasses.replace(fill, inputs=inputs)

    def forget_card(self) -> None:
        """No card marks any more (the form was emptied for the next applicant)."""
        self.card_fill = None
        for widget in (self.name_edit, self.id_edit):
            widget.setStyleSheet("")
            widget.setProperty("card", None)
            widget.setToolTip("")
        if self.card_label is not None:
            self.card_label.clear_text()

    def focus_widgets(self) -> list[QWidget]:
        """The inputs in tab order."""
        widgets: list[QWidget] = [self.name_edit, self.id_edit, self.id_confirm]
        if self.phone_edit is not None:
            widgets.append(self.phone_edit)
        return widgets

    def widget_for(self, field: str) -> tuple[QWidget, MessageLabel] | None:
        """The input and message label of ``name``, ``id_number`` or ``phone``."""
        if field == "name":
            return self.name_edit, self.name_message
        if field == "id_number":
            return (self.id_confirm if self.id_confirm.isVisible() else self.id_edit), self.id_message
        if field == "phone" and self.phone_edit is not None and self.phone_message is not None:
            return self.phone_edit, self.phone_message
        return None

    def clear_messages(self) -> None:
        """Forget issues shown by a check; the live hints of what is typed stay (nothing is emitted)."""
        self.name_message.show_text(*describe_name(self.name_edit.text()))
        if self._check is not None:
            self.id_message.show_text(*describe_id(self._check))
        else:
            self.id_message.clear_text()
        if self.phone_edit is not None and self.phone_message is not None:
            self.phone_message.show_text(*describe_phone(self.phone_edit.text()))

    def _name_edited(self, text: str) -> None:
        self.name_message.show_text(*describe_name(text))
        self.edited.emit()

    def _phone_edited(self, text: str) -> None:
        if self.phone_message is not None:
            self.phone_message.show_text(*describe_phone(text))
        self.edited.emit()

    def _id_edited(self, text: str) -> None:
        check = idnumber.check_id(text) if text.strip() else None
        self._check = check
        if check is None:
            self.id_message.clear_text()
        else:
            self.id_message.show_text(*describe_id(check))
        needs_confirm = check is not None and check.valid and bool(check.warnings)
        if not needs_confirm:
            self.id_confirm.setChecked(False)
        self.id_confirm.setVisible(needs_confirm)
        self.id_checked.emit(check)
        self.edited.emit()


class PartyPanel(QGroupBox):
    """One person in a role: identity rows and the role's own fields, in one aligned grid.

    Signals:
        edited(): anything in the panel changed.
        id_checked(object): the ID number was checked (an ``IdCheck`` or None).
    """

    edited = Signal()
    id_checked = Signal(object)

    def __init__(self, spec: PartySpec, parent: QWidget | None = None) -> None:
        super().__init__(role_title(spec), parent)
        self.spec = spec
        self.role = spec.role
        self.setObjectName(f"party.{spec.role.value}")
        if self.optional:
            self.setTitle(self.tr("{role}（如有）").format(role=role_title(spec)))
        self.identity = Identity(
            spec.role.value, self, with_phone=spec.role is not PartyRole.DECEASED, required=not self.optional
        )
        self.grid = FieldGrid(spec.fields, f"{spec.role.value}.", self, leading=self.identity.leading_rows())
        self.card_label = MessageLabel(f"{spec.role.value}.card", self, auto_hide=True)
        self.identity.card_label = self.card_label
        layout = QVBoxLayout(self)
        layout.addWidget(self.grid)
        layout.addWidget(self.card_label)
        self.identity.edited.connect(self.edited)
        self.identity.id_checked.connect(self.id_checked)
        self.grid.edited.connect(self.edited)

    @property
    def optional(self) -> bool:
        """The item may go without this role (min 0)."""
        return self.spec.min == 0

    def is_empty(self) -> bool:
        """Nothing entered (an optional role left empty is not a party of the case)."""
        return self.identity.is_empty() and not self.grid.values()

    def party_inputs(self) -> list[tuple[PartyInput, int | None]]:
        """The party for the core (none when an optional role is empty), with its row (None: not a table)."""
        if self.optional and self.is_empty():
            return []
        return [(self.identity.party_input(self.role, self.grid.values()), None)]

    def focus_widgets(self) -> list[QWidget]:
        """Inputs in tab order."""
        return [*self.identity.focus_widgets(), *self.grid.focus_widgets()]

    def locate(self, field: str | None, row: int | None = None) -> tuple[QWidget, MessageLabel] | None:
        """The input and message label of ``field`` (identity or role field)."""
        del row
        if field is None:
            return self.identity.name_edit, self.identity.name_message
        found = self.identity.widget_for(field)
        if found is not None:
            return found
        editor = self.grid.editors.get(field)
        if editor is not None:
            return editor.focus_widgets()[0], editor.message
        return None

    def clear_messages(self) -> None:
        """Remove issues shown beside the inputs."""
        self.identity.clear_messages()
        for editor in self.grid.editors.values():
            editor.validate_live()


@dataclass
class _Cell:
    holder: QWidget
    column: int


class PartyRow(QObject):
    """One person in a table role: identity cells and the role's fields as compact editors.

    Signals:
        edited(): anything in the row changed.
    """

    edited = Signal()

    def __init__(self, spec: PartySpec, index: int, parent: QWidget) -> None:
        super().__init__(parent)
        self.spec = spec
        self.number = QLabel(str(index + 1), parent)
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.number.setProperty("role", "row-number")
        self.identity = Identity(f"{spec.role.value}.{index}", parent, with_phone=False)
        self.editors = [FieldEditor(f, f"{spec.role.value}.{index}.{f.key}", parent, compact=True) for f in spec.fields]
        # The row owns its helpers (their widgets belong to the table), so removing the row frees them.
        self.identity.setParent(self)
        for editor in self.editors:
            editor.setParent(self)
        self.cells: list[QWidget] = [self.identity.name_edit, self.identity.id_holder, *(e.input for e in self.editors)]
        metrics = self.identity.name_edit.fontMetrics()
        self.identity.name_edit.setMinimumWidth(metrics.horizontalAdvance("阿依古丽·买买提") + 16)
        self.identity.id_edit.setMinimumWidth(metrics.horizontalAdvance("31010419850615002X") + 16)
        # A table cell is too narrow for a sentence: each cell keeps its message label (hidden; issues and tests
        # address it by name) and the row shows them all in one line under its inputs.
        self._messages: list[tuple[str, MessageLabel]] = [
            (self.tr("姓名"), self.identity.name_message),
            (self.tr("证件号码"), self.identity.id_message),
            *((local_text(e.fdef.label), e.message) for e in self.editors),
        ]
        self.summary = MessageLabel(f"{spec.role.value}.{index}.row", parent, auto_hide=True)
        hidden = [self.identity.name_label, self.identity.id_label, *(e.label for e in self.editors)]
        for widget in (*hidden, *(label for _, label in self._messages)):
            widget.hide()
        for _, label in self._messages:
            label.text_shown.connect(self._gather_messages)
        self.identity.edited.connect(self.edited)
        for editor in self.editors:
            editor.edited.connect(self._field_edited)
        self._apply_conditions()

    def _gather_messages(self) -> None:
        parts = [f"{title}：{label.text()}" for title, label in self._messages if label.text()]
        severities = {label.severity for _, label in self._messages if label.text()}
        severity = ERROR if ERROR in severities else WARNING if WARNING in severities else OK
        self.summary.show_text("　".join(parts), severity)

    def rename(self, index: int) -> None:
        """Renumber the row (objectNames and the shown number)."""
        self.number.setText(str(index + 1))
        self.identity.rename(f"{self.spec.role.value}.{index}")
        for editor in self.editors:
            editor.rename(f"{self.spec.role.value}.{index}.{editor.fdef.key}")
        self.summary.setObjectName(f"{self.spec.role.value}.{index}.row.message")

    def raw_values(self) -> dict[str, object]:
        """The row's field values as typed."""
        return {e.fdef.key: e.raw() for e in self.editors}

    def values(self) -> dict[str, object]:
        """The row's shown field values for the core."""
        out: dict[str, object] = {}
        for editor in self.editors:
            if editor.shown:
                value = editor.value()
                if value not in (None, "", [], ()):
                    out[editor.fdef.key] = value
        return out

    def is_empty(self) -> bool:
        """Nothing typed in the row."""
        return self.identity.is_empty() and not self.values()

    def focus_widgets(self) -> list[QWidget]:
        """Inputs in tab order."""
        return [*self.identity.focus_widgets(), *(w for e in self.editors for w in e.focus_widgets())]

    def widgets(self) -> list[QWidget]:
        """Every widget of the row (for removal), the hidden labels included."""
        hidden = [self.identity.name_label, self.identity.id_label, *(e.label for e in self.editors)]
        return [self.number, *self.cells, self.summary, *hidden, *(label for _, label in self._messages)]

    def locate(self, field: str | None) -> tuple[QWidget, MessageLabel] | None:
        """The input and message label of ``field`` in this row."""
        if field is None:
            return self.identity.name_edit, self.identity.name_message
        found = self.identity.widget_for(field)
        if found is not None:
            return found
        for editor in self.editors:
            if editor.fdef.key == field:
                return editor.focus_widgets()[0], editor.message
        return None

    def clear_messages(self) -> None:
        """Remove issues shown beside the inputs."""
        self.identity.clear_messages()
        for editor in self.editors:
            editor.validate_live()

    def _field_edited(self, _key: str) -> None:
        self._apply_conditions()
        self.edited.emit()

    def _apply_conditions(self) -> None:
        shown = {f.key for f in rules.visible_fields(self.spec.fields, self.raw_values())}
        for editor in self.editors:
            editor.set_shown(editor.fdef.key in shown)


class PartyTable(QGroupBox):
    """Several people in one role (household members): one row each, added and removed by keyboard.

    Signals:
        edited(): anything in the table changed.
        rows_changed(): a row was added or removed (the tab order and the checklist change).
    """

    edited = Signal()
    rows_changed = Signal()

    def __init__(self, spec: PartySpec, parent: QWidget | None = None) -> None:
        super().__init__(role_title(spec), parent)
        self.spec = spec
        self.role = spec.role
        self.setObjectName(f"party.{spec.role.value}")
        self.rows: list[PartyRow] = []
        outer = QVBoxLayout(self)
        self._grid_holder = QWidget(self)
        self._grid = QGridLayout(self._grid_holder)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(8)
        self._grid.setVerticalSpacing(4)
        outer.addWidget(self._grid_holder)
        self._headers = self._header_labels()
        self.empty_label = QLabel(self.tr("（无。按“添加”录入一位成员。）"), self)
        self.empty_label.setProperty("role", "hint")
        outer.addWidget(self.empty_label)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(self.tr("添加成员 ({keys})").format(keys=ADD_ROW_KEYS), self)
        self.add_button.setObjectName(f"{spec.role.value}.add")
        self.add_button.setAutoDefault(True)
        self.remove_button = QPushButton(self.tr("删除当前成员 ({keys})").format(keys=REMOVE_ROW_KEYS), self)
        self.remove_button.setObjectName(f"{spec.role.value}.remove")
        self.remove_button.setAutoDefault(True)
        self.remove_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.message = MessageLabel(spec.role.value, self)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.message, 1)
        outer.addLayout(buttons)
        self.add_button.clicked.connect(self._add_clicked)
        self.remove_button.clicked.connect(self.remove_current_row)
        for keys, slot in ((ADD_ROW_KEYS, self._add_clicked), (REMOVE_ROW_KEYS, self.remove_current_row)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        for _ in range(spec.min):
            self.add_row()
        self._relayout()

    def _header_labels(self) -> list[QLabel]:
        titles = [
            ("#", False),
            (self.tr("姓名"), True),
            (self.tr("证件号码"), False),
            *((local_text(f.label), f.required) for f in self.spec.fields),
        ]
        labels = []
        for column, (title, required) in enumerate(titles):
            mark = ' <span style="color:#c62828">*</span>' if required else ""
            label = QLabel(f"{title}{mark}", self._grid_holder)
            label.setProperty("role", "column-header")
            label.setWordWrap(True)
            self._grid.addWidget(label, 0, column)
            labels.append(label)
        if self.spec.fields:
            for column, fdef in enumerate(self.spec.fields, start=3):
                labels[column].setToolTip(local_text(fdef.help))
        return labels

    @property
    def full(self) -> bool:
        """No more rows allowed."""
        return self.spec.max is not None and len(self.rows) >= self.spec.max

    def add_row(self) -> PartyRow:
        """Append an empty row."""
        row = PartyRow(self.spec, len(self.rows), self._grid_holder)
        row.edited.connect(self.edited)
        self.rows.append(row)
        self._relayout()
        self.rows_changed.emit()
        return row

    def remove_row(self, index: int) -> None:
        """Remove row ``index``; rows below move up and are renumbered."""
        row = self.rows.pop(index)
        for widget in row.widgets():
            self._grid.removeWidget(widget)
            discard(widget)
        row.deleteLater()
        for i, other in enumerate(self.rows):
            other.rename(i)
        self._relayout()
        self.rows_changed.emit()
        self.edited.emit()

    def remove_current_row(self) -> None:
        """Remove the row holding the keyboard focus and put the cursor in the row that takes its place."""
        index = self.focused_row()
        if index is None:
            return
        self.remove_row(index)
        if self.rows:
            self.rows[min(index, len(self.rows) - 1)].identity.name_edit.setFocus()
        else:
            self.add_button.setFocus()

    def focused_row(self) -> int | None:
        """The index of the row holding the keyboard focus."""
        focus = self.focusWidget()
        for i, row in enumerate(self.rows):
            if any(w is focus or w.isAncestorOf(focus) for w in row.cells if focus is not None):
                return i
        return None

    def _add_clicked(self) -> None:
        if self.full:
            self.message.show_text(
                self.tr("最多 {n} 名{role}。").format(n=self.spec.max, role=role_title(self.spec)), ERROR
            )
            return
        self.message.clear_text()
        row = self.add_row()
        row.identity.name_edit.setFocus()

    def _relayout(self) -> None:
        # Each person takes two grid rows: the inputs, then one line with the messages of the row.
        placed = [(row, w) for row in self.rows for w in (row.number, *row.cells, row.summary)]
        for _, widget in placed:
            self._grid.removeWidget(widget)
        columns = 3 + len(self.spec.fields)
        for r, row in enumerate(self.rows):
            top = 1 + 2 * r
            self._grid.addWidget(row.number, top, 0)
            for c, cell in enumerate(row.cells, start=1):
                self._grid.addWidget(cell, top, c)
            self._grid.addWidget(row.summary, top + 1, 1, 1, columns - 1)
        for row, widget in placed:
            if widget is not row.summary:
                widget.show()  # now, not on the next event loop turn (the cursor moves into the row at once)
        self._grid_holder.setVisible(bool(self.rows))
        self.empty_label.setVisible(not self.rows)
        self.remove_button.setEnabled(bool(self.rows))

    def party_inputs(self) -> list[tuple[PartyInput, int | None]]:
        """Each non-empty row as a party, with its row index."""
        return [
            (row.identity.party_input(self.role, row.values()), i)
            for i, row in enumerate(self.rows)
            if not row.is_empty()
        ]

    def is_empty(self) -> bool:
        """No row has anything typed."""
        return all(row.is_empty() for row in self.rows)

    def focus_widgets(self) -> list[QWidget]:
        """Inputs in tab order: row by row, then the add button."""
        return [*(w for row in self.rows for w in row.focus_widgets()), self.add_button]

    def locate(self, field: str | None, row: int | None = None) -> tuple[QWidget, MessageLabel] | None:
        """The input and message label of ``field`` in ``row`` (the table's own message without a row)."""
        if row is None or not 0 <= row < len(self.rows):
            return self.add_button, self.message
        return self.rows[row].locate(field)

    def clear_messages(self) -> None:
        """Remove issues shown beside the inputs."""
        self.message.clear_text()
        for row in self.rows:
            row.clear_messages()


def severity_of(issue_severity: str) -> str:
    """The message label severity of a core issue's severity."""
    return WARNING if issue_severity == "warning" else ERROR
