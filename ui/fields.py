"""Inputs generated from the catalog: one :class:`FieldEditor` per ``FieldDef``, laid out by :class:`FieldGrid`.

No item has code of its own (STYLE.md §18): a field's type picks the widget, its label and ``required`` give the
label and the required mark, ``help`` becomes the tooltip and placeholder, ``when`` shows and hides the field live,
and :func:`app.catalog.rules.validate_value` gives the inline message beside it as the clerk types.

Widget types: ``text``/``address``/``int``/``money``/``date``/``phone``/``id_number``/``disability_cert`` → a line
edit; ``multiline`` → a plain-text box (Tab leaves it); ``choice`` and ``bool`` → a :class:`~ui.widgets.ChoiceBox`
(digit keys choose); ``multichoice`` → a row of check boxes.

objectNames: the input's objectName is the field key with the caller's prefix (``reason`` for an item field,
``applicant.hukou_shanghai`` for a party field); a multichoice's boxes are ``<name>.<value>``; the message label is
``<name>.message``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QWidget,
)

from app import idnumber, people
from app.catalog import rules
from app.catalog.schema import FieldDef, FieldType
from app.errors import ValidationError
from app.i18n import QT_TRANSLATE_NOOP, Message
from app.money import format_fen
from ui.i18n import local_text, render, translate
from ui.widgets import ERROR, OK, WARNING, ChoiceBox, MessageLabel

LABEL_WIDTH = 200
INPUT_WIDTH = 280

LINE_TYPES = frozenset(
    {
        FieldType.TEXT,
        FieldType.ADDRESS,
        FieldType.INT,
        FieldType.MONEY,
        FieldType.DATE,
        FieldType.PHONE,
        FieldType.ID_NUMBER,
        FieldType.DISABILITY_CERT,
    }
)


def _t(text: str) -> str:
    # The module's strings live in the "fields" context; each is marked with QT_TRANSLATE_NOOP for lupdate.
    return translate("fields", text)


_PLACEHOLDER_CHOOSE = QT_TRANSLATE_NOOP("fields", "（请选择）")
_YES = QT_TRANSLATE_NOOP("fields", "是")
_NO = QT_TRANSLATE_NOOP("fields", "否")
_DATE_HINT = QT_TRANSLATE_NOOP("fields", "如 2025-07-01")
_MONEY_HINT = QT_TRANSLATE_NOOP("fields", "金额（元）")
_ID_HINT = QT_TRANSLATE_NOOP("fields", "18 位身份号码")
_PHONE_HINT = QT_TRANSLATE_NOOP("fields", "手机或带区号的固定电话")
_CERT_HINT = QT_TRANSLATE_NOOP("fields", "20 位残疾人证号")
_CHOICE_TIP = QT_TRANSLATE_NOOP("fields", "按数字键选择，0 清除")
_BORN = QT_TRANSLATE_NOOP("fields", "出生 {date}")
_AGE = QT_TRANSLATE_NOOP("fields", "{age} 岁")
_ISSUED_IN = QT_TRANSLATE_NOOP("fields", "发证地 {region}")
_WILL_STORE = QT_TRANSLATE_NOOP("fields", "将登记为：{name}")


def format_date(day: dt.date) -> str:
    """A date as the counter shows it (``1980-01-01``)."""
    return day.isoformat()


def describe_id(check: idnumber.IdCheck) -> tuple[str, str]:
    """The text beside an ID number field and its severity.

    Valid: what the number encodes (birth date, sex, age, where it was issued) — or the warnings the clerk must
    confirm.  Invalid: the Chinese sentence naming the wrong part.
    """
    if not check.valid:
        assert check.error is not None
        return render(check.error), ERROR
    assert check.birth_date is not None and check.sex is not None
    parts = [
        _t(_BORN).format(date=format_date(check.birth_date)),
        render(check.sex.label),
        _t(_AGE).format(age=check.age),
    ]
    if check.kind is not None and check.kind is not idnumber.IdKind.RESIDENT:
        parts.append(render(check.kind.label))
    if check.region:
        # Where the number was first issued, not the 户籍: people move, the number stays.
        parts.append(_t(_ISSUED_IN).format(region=check.region))
    text = " · ".join(parts)
    if check.warnings:
        return text + "\n" + "\n".join(render(w) for w in check.warnings), WARNING
    return text, OK


def describe_name(raw: str) -> tuple[str, str]:
    """The text beside a name field: the error, or the normalized spelling when it differs from what was typed."""
    if not raw.strip():
        return "", ""
    try:
        name = people.validate_name(raw)
    except ValidationError as exc:
        return render(exc.message), ERROR
    if name != raw.strip():
        return _t(_WILL_STORE).format(name=name), OK
    return "", ""


def describe_phone(raw: str) -> tuple[str, str]:
    """The text beside a phone field: the error, or nothing."""
    if not raw.strip():
        return "", ""
    try:
        people.validate_phone(raw)
    except ValidationError as exc:
        return render(exc.message), ERROR
    return "", ""


def coerced(fdef: FieldDef, raw: object) -> object:
    """The value to hand to the core: the coerced value when valid, else the raw input (so the core reports it)."""
    value, problem = rules.validate_value(fdef, raw)
    return raw if problem is not None else value


class FieldEditor(QObject):
    """One generated input with its label and its inline message.

    Attributes:
        fdef: the catalog field.
        name: the objectName of the input (the field key with its prefix).
        label: the label (with a red ``*`` when required).
        input: the input widget (a line edit, plain-text box, choice box, or the multichoice container).
        message: the inline message beside the input.

    Signals:
        edited(str): the clerk changed the value (the field key).
    """

    edited = Signal(str)

    def __init__(self, fdef: FieldDef, name: str, parent: QWidget, *, compact: bool = False) -> None:
        """Build the input.

        Args:
            fdef: the catalog field.
            name: the input's objectName.
            parent: the widget the input, label and message belong to.
            compact: a table cell: the label is not shown (the table's header names the column).
        """
        super().__init__(parent)
        self.fdef = fdef
        self.name = name
        self.compact = compact
        self.label = QLabel(parent)
        self.label.setObjectName(f"{name}.label")
        if compact:
            self.label.hide()
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.message = MessageLabel(name, parent)
        self._boxes: list[QCheckBox] = []
        self.input = self._build(parent)
        self.label.setBuddy(self.input)
        self.retranslate()

    # ------------------------------------------------------------------ building

    def _build(self, parent: QWidget) -> QWidget:
        kind = self.fdef.type
        if kind in LINE_TYPES:
            edit = QLineEdit(parent)
            edit.setObjectName(self.name)
            edit.textEdited.connect(self._changed)
            if kind is FieldType.ADDRESS:
                edit.setMinimumWidth(320)
            if self.fdef.constraints.max_length:
                edit.setMaxLength(self.fdef.constraints.max_length)
            return edit
        if kind is FieldType.MULTILINE:
            box = QPlainTextEdit(parent)
            box.setObjectName(self.name)
            box.setTabChangesFocus(True)
            box.setFixedHeight(box.fontMetrics().lineSpacing() * 3 + 14)
            box.textChanged.connect(self._changed)
            return box
        if kind in (FieldType.CHOICE, FieldType.BOOL):
            options = self._options()
            combo = ChoiceBox(self.name, options, _t(_PLACEHOLDER_CHOOSE), parent)
            combo.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)  # never clip the choice
            combo.value_changed.connect(self._changed)
            return combo
        if kind is FieldType.MULTICHOICE:
            holder = QWidget(parent)
            holder.setObjectName(self.name)
            row = QHBoxLayout(holder)
            row.setContentsMargins(0, 0, 0, 0)
            for choice in self.fdef.constraints.choices or ():
                check = QCheckBox(local_text(choice), holder)
                check.setObjectName(f"{self.name}.{choice.value}")
                check.setProperty("choice_value", choice.value)
                check.toggled.connect(self._changed)
                row.addWidget(check)
                self._boxes.append(check)
            row.addStretch(1)
            return holder
        raise AssertionError(f"no widget for field type {kind}")  # pragma: no cover - FieldType is closed

    def _options(self) -> list[tuple[Any, str]]:
        if self.fdef.type is FieldType.BOOL:
            return [(True, _t(_YES)), (False, _t(_NO))]
        return [(c.value, local_text(c)) for c in self.fdef.constraints.choices or ()]

    def retranslate(self) -> None:
        """Set the label, tooltip and placeholder in the current language."""
        text = local_text(self.fdef.label).replace("&", "&&")
        mark = ' <span style="color:#c62828">*</span>' if self.fdef.required else ""
        self.label.setText(f"{_escape(text)}{mark}")
        help_text = local_text(self.fdef.help)
        kind = self.fdef.type
        hint = {
            FieldType.DATE: _t(_DATE_HINT),
            FieldType.MONEY: _t(_MONEY_HINT),
            FieldType.ID_NUMBER: _t(_ID_HINT),
            FieldType.PHONE: _t(_PHONE_HINT),
            FieldType.DISABILITY_CERT: _t(_CERT_HINT),
        }.get(kind, "")
        if isinstance(self.input, QLineEdit):
            self.input.setPlaceholderText(hint or (help_text if len(help_text) <= 24 else ""))
        elif isinstance(self.input, QPlainTextEdit) and help_text:
            self.input.setPlaceholderText(help_text)
        tips = [t for t in (help_text, _t(_CHOICE_TIP) if isinstance(self.input, ChoiceBox) else "") if t]
        self.input.setToolTip("\n".join(tips))
        self.label.setToolTip(help_text)

    # ------------------------------------------------------------------ values

    def raw(self) -> object:
        """What the widget holds, as :func:`app.catalog.rules.validate_value` takes it."""
        widget = self.input
        if isinstance(widget, QLineEdit):
            return widget.text()
        if isinstance(widget, QPlainTextEdit):
            return widget.toPlainText()
        if isinstance(widget, ChoiceBox):
            return widget.value()
        return [str(b.property("choice_value")) for b in self._boxes if b.isChecked()]

    def value(self) -> object:
        """The value for the core (coerced when valid)."""
        return coerced(self.fdef, self.raw())

    def set_raw(self, value: object) -> None:
        """Put a stored value back into the widget (for 更正)."""
        widget = self.input
        if isinstance(widget, QLineEdit):
            widget.setText(_show_value(self.fdef, value))
        elif isinstance(widget, QPlainTextEdit):
            widget.setPlainText("" if value is None else str(value))
        elif isinstance(widget, ChoiceBox):
            widget.set_value(value)
        else:
            chosen = set(value) if isinstance(value, list | tuple) else set()
            for box in self._boxes:
                box.setChecked(box.property("choice_value") in chosen)

    def focus_widgets(self) -> list[QWidget]:
        """The widgets that take keyboard focus, in order."""
        return list(self._boxes) if self._boxes else [self.input]

    def rename(self, name: str) -> None:
        """Give the input a new objectName (a table row moved up after a row above it was removed)."""
        self.name = name
        self.input.setObjectName(name)
        self.label.setObjectName(f"{name}.label")
        self.message.setObjectName(f"{name}.message")
        for box in self._boxes:
            box.setObjectName(f"{name}.{box.property('choice_value')}")

    def focus(self) -> None:
        """Put the cursor into this field."""
        self.focus_widgets()[0].setFocus(Qt.FocusReason.OtherFocusReason)

    def set_shown(self, shown: bool) -> None:
        """Show or hide the field (its ``when`` condition)."""
        # In a table cell the label and the message are not shown (the header and the row's summary are).
        widgets = (self.input,) if self.compact else (self.label, self.input, self.message)
        for widget in widgets:
            widget.setVisible(shown)

    @property
    def shown(self) -> bool:
        """Whether the field is shown (its ``when`` holds); independent of the window being on screen."""
        return not self.input.isHidden()

    def show_issue(self, text: str, severity: str = ERROR) -> None:
        """Show a message beside the field."""
        self.message.show_text(text, severity)

    def validate_live(self) -> None:
        """Check the value as typed and show the result beside the field."""
        raw = self.raw()
        value, problem = rules.validate_value(self.fdef, raw)
        if problem is not None:
            self.message.show_text(render(problem), ERROR)
            return
        self.message.show_text(*self._hint(value))

    def _hint(self, value: object) -> tuple[str, str]:
        kind = self.fdef.type
        if value is None:
            return "", ""
        if kind is FieldType.ID_NUMBER and isinstance(value, str):
            return describe_id(idnumber.check_id(value))
        if kind is FieldType.DISABILITY_CERT and isinstance(value, str):
            cert = idnumber.check_disability_cert(value)
            if cert.valid and cert.category is not None and cert.grade is not None:
                return f"{render(cert.category.label)} · {render(idnumber.grade_label(cert.grade))}", OK
        if kind is FieldType.DATE and isinstance(value, dt.date) and isinstance(self.raw(), str):
            if str(self.raw()).strip() != value.isoformat():
                return format_date(value), OK
        return "", ""

    def _changed(self, *_args: object) -> None:
        self.validate_live()
        self.edited.emit(self.fdef.key)


def _escape(text: str) -> str:
    return text.replace("&&", "&").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _show_value(fdef: FieldDef, value: object) -> str:
    if value is None:
        return ""
    if fdef.type is FieldType.MONEY and isinstance(value, int):
        return format_fen(value)
    return str(value)


class FieldGrid(QWidget):
    """The editors of a list of fields in a three-column grid (label, input, message); ``when`` evaluated live.

    Signals:
        edited(str): a field changed (its key).
    """

    edited = Signal(str)

    def __init__(
        self,
        fields: Sequence[FieldDef],
        prefix: str = "",
        parent: QWidget | None = None,
        *,
        leading: Sequence[tuple[QWidget, QWidget, QWidget]] = (),
    ) -> None:
        """Build the editors.

        Args:
            fields: the catalog fields, in order.
            prefix: put before each key to make the objectName (``applicant.``).
            parent: the parent widget.
            leading: rows (label, input, message) placed above the fields, aligned with them (a party's name,
                ID number and phone).
        """
        super().__init__(parent)
        self.fields = tuple(fields)
        self.editors: dict[str, FieldEditor] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(6)
        grid.setColumnStretch(2, 1)
        grid.setColumnMinimumWidth(0, LABEL_WIDTH)
        grid.setColumnMinimumWidth(1, INPUT_WIDTH)
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for row, (label, widget, message) in enumerate(leading):
            grid.addWidget(label, row, 0, right)
            grid.addWidget(widget, row, 1)
            grid.addWidget(message, row, 2)
        for row, fdef in enumerate(self.fields, start=len(leading)):
            editor = FieldEditor(fdef, f"{prefix}{fdef.key}", self)
            editor.edited.connect(self._on_edited)
            grid.addWidget(editor.label, row, 0, right)
            grid.addWidget(editor.input, row, 1)
            grid.addWidget(editor.message, row, 2)
            self.editors[fdef.key] = editor
        self.apply_conditions()

    def raw_values(self) -> dict[str, object]:
        """Every field's raw value."""
        return {key: editor.raw() for key, editor in self.editors.items()}

    def values(self) -> dict[str, object]:
        """The values of the shown fields for the core (coerced when valid; empty ones left out)."""
        out: dict[str, object] = {}
        for key, editor in self.editors.items():
            if not editor.shown:
                continue
            value = editor.value()
            if value not in (None, "", [], ()):
                out[key] = value
        return out

    def set_values(self, values: Mapping[str, object]) -> None:
        """Fill the editors from stored values (for 更正)."""
        for key, value in values.items():
            editor = self.editors.get(key)
            if editor is not None:
                editor.set_raw(value)
        self.apply_conditions()

    def apply_conditions(self) -> None:
        """Show exactly the fields whose ``when`` holds for the values entered now."""
        shown = {f.key for f in rules.visible_fields(self.fields, self.raw_values())}
        for key, editor in self.editors.items():
            editor.set_shown(key in shown)

    def focus_widgets(self) -> list[QWidget]:
        """Every input in order (hidden ones included: Qt skips them)."""
        return [w for editor in self.editors.values() for w in editor.focus_widgets()]

    def clear_messages(self) -> None:
        """Remove every inline message."""
        for editor in self.editors.values():
            editor.message.clear_text()

    def show_issues(self, issues: Iterable[tuple[str, Message, str]]) -> None:
        """Show ``(field key, message, severity)`` beside the fields they concern."""
        for key, message, severity in issues:
            editor = self.editors.get(key)
            if editor is not None:
                editor.show_issue(render(message), severity)

    def _on_edited(self, key: str) -> None:
        self.apply_conditions()
        self.edited.emit(key)
