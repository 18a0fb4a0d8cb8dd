"""差评回访: the 差评 with their follow-up state and both deadlines (overdue rows red and marked 逾期 in words), and the
dialog that records a step — the contact (now, by the supervisor, reached or not), the verification (属实/不属实),
the measure (立行立改/限期整改/解释说明) and the outcome, which closes it.  The phone number to call is shown only
on demand (``RatingService.phone_for_call``, audited in the core); the list shows it masked.

objectNames: ``followups`` (the page), ``followups_table``, ``followups_closed``, ``followups_refresh``,
``followups_open``, ``followups_status``; the dialog ``followup_dialog``, ``followup_summary``,
``followup_deadlines``, ``followup_steps``, ``followup_phone``, ``followup_show_phone``, ``followup_step``,
``followup_value``, ``followup_note``, ``followup_submit``, ``followup_close``, ``followup.message``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain import FollowUpStep, Measure, Verification
from app.errors import ValidationError, YimenError
from app.i18n import QT_TRANSLATE_NOOP
from app.ratings import FollowUpCase, FollowUpInput, FollowUpView
from ui.context import UiContext
from ui.i18n import render, translate
from ui.supervisor import names
from ui.supervisor.tables import ALERT_MARK, Line, LinesModel, table_view
from ui.widgets import ERROR, NEUTRAL, OK, ChoiceBox, MessageLabel, open_dialog

SUBMIT_KEYS = "Ctrl+Return"


def overdue_mark(case: FollowUpCase) -> str:
    """「⚠ 回访逾期、整改逾期」, or empty: the overdue state in words, besides the row's colour."""
    marks = []
    if case.contact_overdue:
        marks.append(translate(names.CONTEXT, QT_TRANSLATE_NOOP("supervisor", "回访逾期")))
    if case.rectify_overdue:
        marks.append(translate(names.CONTEXT, QT_TRANSLATE_NOOP("supervisor", "整改逾期")))
    return f"{ALERT_MARK} " + "、".join(marks) if marks else ""


class FollowUpsPage(QWidget):
    """The 差评 list (open ones; 显示已办结 adds the closed) and its follow-up dialog.

    Signals:
        loaded(int): the list was read (its rows).
        dialog_opened(object): a follow-up dialog was opened (tests drive it).
    """

    loaded = Signal(int)
    dialog_opened = Signal(object)

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("followups")
        self.context = context
        self.cases: list[FollowUpCase] = []
        self.dialog: FollowUpDialog | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        bar = QHBoxLayout()
        self.show_closed = QCheckBox(self.tr("显示已办结(&C)"), self)
        self.show_closed.setObjectName("followups_closed")
        self.show_closed.toggled.connect(lambda _on: self.load())
        self.refresh = QPushButton(self.tr("刷新(&R)"), self)
        self.refresh.setObjectName("followups_refresh")
        self.refresh.setAutoDefault(True)
        self.refresh.clicked.connect(self.load)
        self.open_button = QPushButton(self.tr("登记回访(&O)…"), self)
        self.open_button.setObjectName("followups_open")
        self.open_button.setAutoDefault(True)
        self.open_button.clicked.connect(self.open_selected)
        hint = QLabel(self.tr("选中一行按回车登记回访、核实、整改和办理结果"), self)
        hint.setProperty("role", "hint")
        bar.addWidget(self.show_closed)
        bar.addWidget(self.refresh)
        bar.addWidget(self.open_button)
        bar.addSpacing(12)
        bar.addWidget(hint)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.model = LinesModel(
            # What needs doing first (state, overdue, deadlines); the item, often long, last where it may be cut.
            [
                self.tr("办件编号"),
                self.tr("状态"),
                self.tr("提醒"),
                self.tr("回访期限"),
                self.tr("整改期限"),
                self.tr("评价"),
                self.tr("原因"),
                self.tr("经办人"),
                self.tr("评价时间"),
                self.tr("实名/匿名"),
                self.tr("事项"),
            ],
            self,
        )
        self.table = table_view(self.model, "followups_table", self, max_rows=None)
        self.table.activated.connect(self._activated)
        layout.addWidget(self.table, 1)
        self.status = QLabel(self)
        self.status.setObjectName("followups_status")
        layout.addWidget(self.status)
        enter = QShortcut(QKeySequence(Qt.Key.Key_Return), self.table)
        enter.setContext(Qt.ShortcutContext.WidgetShortcut)
        enter.activated.connect(self.open_selected)

    def load(self) -> None:
        """Read the 差评 and their follow-ups (database worker)."""
        ratings, user, closed = self.context.services.ratings, self.context.user, self.show_closed.isChecked()
        self.context.runner.run_db(
            lambda: ratings.follow_ups(user, include_closed=closed), self._show, owner=self, name="follow_ups"
        )

    def _show(self, cases: list[FollowUpCase]) -> None:
        selected = self.selected()
        self.cases = list(cases)
        lines = []
        for case in self.cases:
            r = case.rating
            mark = overdue_mark(case)
            lines.append(
                Line(
                    (
                        r.acceptance_no,
                        names.state_name(case.state, r.named),
                        mark,
                        names.contact_due_text(r.contact_due, r.named),
                        names.day_text(r.rectify_due),
                        names.level_name(r.level),
                        names.reasons_text(r.reasons),
                        r.clerk_name or r.clerk,
                        names.local_time(r.rated_at),
                        names.named_name(r.named),
                        r.item_name,
                    ),
                    alert=bool(mark),
                    tip=r.comment or None,
                    data=case,
                )
            )
        self.model.set_rows(lines)
        overdue = sum(1 for line in lines if line.alert)
        open_cases = sum(1 for c in self.cases if c.state != "closed")
        self.status.setText(
            self.tr("未办结 {open} 件，其中逾期 {overdue} 件。").format(open=open_cases, overdue=overdue)
            if self.cases
            else self.tr("没有待回访的差评。")
        )
        if self.cases:
            row = next((i for i, c in enumerate(self.cases) if selected and c.rating.id == selected.rating.id), 0)
            self.table.selectRow(row)
        self.loaded.emit(len(lines))

    def selected(self) -> FollowUpCase | None:
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= len(self.cases):
            return None
        return self.cases[index.row()]

    def _activated(self, index: QModelIndex) -> None:
        self.table.selectRow(index.row())
        self.open_selected()

    def open_selected(self) -> FollowUpDialog | None:
        """Open the follow-up dialog of the selected 差评."""
        case = self.selected()
        if case is None:
            self.context.bridge.status(self.tr("请先选中一条差评。"))
            return None
        if self.dialog is not None:
            self.dialog.close()
        dialog = FollowUpDialog(self.context, case, self)
        dialog.recorded.connect(lambda _case: self.load())
        self.dialog = dialog
        open_dialog(dialog, self._dialog_closed)
        self.dialog_opened.emit(dialog)
        return dialog

    def _dialog_closed(self, _result: int) -> None:
        self.dialog = None
        self.table.setFocus()


class FollowUpDialog(QDialog):
    """One 差评: what the citizen said, the steps so far, and the next step to record.

    Signals:
        recorded(object): a step was recorded (the updated ``FollowUpCase``).
        phone_shown(str): the phone number was shown (tests).
    """

    recorded = Signal(object)
    phone_shown = Signal(str)

    def __init__(self, context: UiContext, case: FollowUpCase, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("followup_dialog")
        self.context = context
        self.case = case
        self.setWindowTitle(self.tr("差评回访整改 — {no}").format(no=case.rating.acceptance_no))
        self.resize(720, 620)
        layout = QVBoxLayout(self)
        self.summary = QLabel(self)
        self.summary.setObjectName("followup_summary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary)
        self.deadlines = MessageLabel("followup_deadlines", self)
        self.deadlines.setObjectName("followup_deadlines")
        layout.addWidget(self.deadlines)
        phone_row = QHBoxLayout()
        self.phone = QLabel(self)
        self.phone.setObjectName("followup_phone")
        self.phone.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.show_phone = QPushButton(self.tr("显示完整电话(&P)"), self)
        self.show_phone.setObjectName("followup_show_phone")
        self.show_phone.setAutoDefault(False)
        self.show_phone.setToolTip(self.tr("显示完整号码以便回访（会记入审计日志）"))
        self.show_phone.clicked.connect(self.reveal_phone)
        phone_row.addWidget(self.phone)
        phone_row.addWidget(self.show_phone)
        phone_row.addStretch(1)
        layout.addLayout(phone_row)
        steps_label = QLabel(self.tr("已登记"), self)
        steps_label.setProperty("role", "heading")
        layout.addWidget(steps_label)
        self.steps = QListWidget(self)
        self.steps.setObjectName("followup_steps")
        self.steps.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.steps.setMaximumHeight(150)
        layout.addWidget(self.steps)
        form = QFormLayout()
        self.step = ChoiceBox(
            "followup_step", [(s, names.step_name(s)) for s in FollowUpStep], self.tr("（选择要登记的一步）"), self
        )
        self.value = ChoiceBox("followup_value", [], self.tr("（请选择）"), self)
        self.value_label = QLabel(self)
        self.note = QPlainTextEdit(self)
        self.note.setObjectName("followup_note")
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(self.note.fontMetrics().lineSpacing() * 4 + 14)
        self.note_label = QLabel(self.tr("说明"), self)
        form.addRow(self.tr("登记(&S)"), self.step)
        form.addRow(self.value_label, self.value)
        form.addRow(self.note_label, self.note)
        layout.addLayout(form)
        self.message = MessageLabel("followup", self)
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        self.submit = QPushButton(self.tr("登记 (Ctrl+Enter)"), self)
        self.submit.setObjectName("followup_submit")
        self.submit.setDefault(True)
        self.submit.clicked.connect(self.record)
        close = QPushButton(self.tr("关闭"), self)
        close.setObjectName("followup_close")
        close.setAutoDefault(False)
        close.clicked.connect(self.reject)
        buttons.addStretch(1)
        buttons.addWidget(self.submit)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        shortcut = QShortcut(QKeySequence(SUBMIT_KEYS), self)
        shortcut.activated.connect(self.record)
        self.step.value_changed.connect(self._step_changed)
        self.show_case(case)

    # ------------------------------------------------------------------------------------------------ showing
    def show_case(self, case: FollowUpCase) -> None:
        """Show ``case`` and choose the step that comes next."""
        self.case = case
        r = case.rating
        lines = [
            self.tr("{item} · {no} · 经办人 {clerk} · {time}").format(
                item=r.item_name, no=r.acceptance_no, clerk=r.clerk_name or r.clerk, time=names.local_time(r.rated_at)
            ),
            self.tr("评价：{level}；原因：{reasons}").format(
                level=names.level_name(r.level), reasons=names.reasons_text(r.reasons)
            ),
        ]
        if r.comment:
            lines.append(self.tr("群众意见：{text}").format(text=r.comment))
        deadlines = self.tr("回访期限 {contact}，整改期限 {rectify}。状态：{state}").format(
            contact=names.contact_due_text(r.contact_due, r.named),
            rectify=names.day_text(r.rectify_due),
            state=names.state_name(case.state, r.named),
        )
        mark = overdue_mark(case)
        self.summary.setText("\n".join(lines))
        self.deadlines.show_text(f"{deadlines} {mark}".strip(), ERROR if mark else NEUTRAL)
        if r.named:
            self.phone.setText(self.tr("回访电话：{phone}").format(phone=r.phone_masked or ""))
            self.show_phone.setVisible(True)
        else:
            self.phone.setText(self.tr("匿名评价，没有留电话：直接登记核实、整改措施和办理结果。"))
            self.show_phone.setVisible(False)
        self.steps.clear()
        for step in case.steps:
            self.steps.addItem(self._step_text(step))
        if not case.steps:
            self.steps.addItem(self.tr("（还没有登记）"))
        closed = case.state == "closed"
        for widget in (self.step, self.value, self.note, self.submit):
            widget.setEnabled(not closed)
        self.step.set_value(None if closed else self._next_step(case).value)
        self._step_changed(None)
        if closed:
            self.message.show_text(self.tr("已登记办理结果，回访整改已办结。"), OK)

    def _step_text(self, step: FollowUpView) -> str:
        detail = ""
        if step.step is FollowUpStep.CONTACT:
            detail = self.tr("已联系上") if step.reached else self.tr("未联系上")
        elif step.step is FollowUpStep.VERIFICATION and step.verification is not None:
            detail = names.verification_name(step.verification)
        elif step.step is FollowUpStep.MEASURE and step.measure is not None:
            detail = names.measure_name(step.measure)
        text = f"{names.local_time(step.at)}  {names.step_name(step.step)}"
        if detail:
            text += f"：{detail}"
        if step.note:
            text += f"；{step.note}" if detail else f"：{step.note}"
        return text + f"（{step.by_name or step.by}）"

    @staticmethod
    def _next_step(case: FollowUpCase) -> FollowUpStep:
        done = {s.step for s in case.steps}
        if case.rating.named and FollowUpStep.CONTACT not in done:
            return FollowUpStep.CONTACT
        for step in (FollowUpStep.VERIFICATION, FollowUpStep.MEASURE):
            if step not in done:
                return step
        return FollowUpStep.OUTCOME

    def current_step(self) -> FollowUpStep | None:
        """The step chosen (Qt hands the enum back as its plain value)."""
        value = self.step.value()
        return FollowUpStep(value) if value is not None else None

    def _step_changed(self, _value: Any) -> None:
        step = self.current_step()
        options: list[tuple[Any, str]] = []
        label = ""
        if step is FollowUpStep.CONTACT:
            options, label = (
                [(True, self.tr("已联系上")), (False, self.tr("未联系上（电话未接通等）"))],
                self.tr("联系结果"),
            )
        elif step is FollowUpStep.VERIFICATION:
            options, label = [(v, names.verification_name(v)) for v in Verification], self.tr("核实结果")
        elif step is FollowUpStep.MEASURE:
            options, label = [(m, names.measure_name(m)) for m in Measure], self.tr("整改措施")
        self.value.blockSignals(True)
        self.value.clear()
        self.value.addItem(self.tr("（请选择）"), None)
        for number, (value, text) in enumerate(options, start=1):
            self.value.addItem(f"{number}  {text}", value)
        self.value.blockSignals(False)
        self.value.setVisible(bool(options))
        self.value_label.setVisible(bool(options))
        self.value_label.setText(label)
        self.note_label.setText(self.tr("办理结果（必填）") if step is FollowUpStep.OUTCOME else self.tr("说明"))
        self.note.setPlaceholderText(
            self.tr("写明整改或解释的结果，以及向群众反馈的情况") if step is FollowUpStep.OUTCOME else self.tr("可不填")
        )

    # ------------------------------------------------------------------------------------------------ actions
    def reveal_phone(self) -> None:
        """Show the full number to call (the core records that it was shown)."""
        ratings, user, rating_id = self.context.services.ratings, self.context.user, self.case.rating.id

        def shown(phone: str) -> None:
            self.phone.setText(self.tr("回访电话：{phone}").format(phone=phone))
            self.show_phone.setVisible(False)
            self.phone_shown.emit(phone)

        self.context.runner.run_db(
            lambda: ratings.phone_for_call(rating_id, user), shown, self._failed, owner=self, name="phone_for_call"
        )

    def step_input(self) -> FollowUpInput | None:
        """The step as typed, or None (with the reason shown) when a choice is missing."""
        step = self.current_step()
        if step is None:
            self._refuse(self.tr("请选择要登记的一步。"), self.step)
            return None
        value = self.value.currentData()
        note = self.note.toPlainText().strip()
        if step is FollowUpStep.OUTCOME:
            return FollowUpInput(step, note=note)
        if value is None:
            return None
        if step is FollowUpStep.CONTACT:
            return FollowUpInput(step, reached=bool(value), note=note)
        if step is FollowUpStep.VERIFICATION:
            return FollowUpInput(step, verification=Verification(value), note=note)
        return FollowUpInput(step, measure=Measure(value), note=note)

    def record(self) -> None:
        """Record the step (database worker); the dialog shows the case as it now stands."""
        if not self.submit.isEnabled():
            return
        self.message.clear_text()
        step = self.step_input()
        if step is None:
            if self.current_step() is not None:
                self._refuse(self.tr("请选择{what}。").format(what=self.value_label.text()), self.value)
            return
        ratings, user, rating_id = self.context.services.ratings, self.context.user, self.case.rating.id
        self.submit.setEnabled(False)
        self.context.runner.run_db(
            lambda: ratings.follow_up(rating_id, step, user),
            self._recorded,
            self._failed,
            owner=self,
            name="follow_up",
        )

    def _recorded(self, case: FollowUpCase) -> None:
        self.submit.setEnabled(True)
        self.note.clear()
        self.show_case(case)
        if case.state != "closed":
            self.message.show_text(self.tr("已登记。"), OK)
        self.recorded.emit(case)
        self.step.setFocus()

    def _failed(self, error: YimenError) -> None:
        self.submit.setEnabled(self.case.state != "closed")
        target: QWidget = self.submit
        if isinstance(error, ValidationError) and error.field == "note":
            target = self.note
        elif isinstance(error, ValidationError) and error.field in {s.value for s in FollowUpStep}:
            target = self.value
        self._refuse(render(error.message), target)

    def _refuse(self, text: str, target: QWidget) -> None:
        self.message.show_text(text, ERROR)
        target.setFocus(Qt.FocusReason.OtherFocusReason)
