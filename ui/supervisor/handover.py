"""材料交接: the day's 材料交接单 at the window — the open cases with the paper they keep, ticked to go (all by default)
and shown one 承办部门 at a time (a list goes to one 部门), printed for the 移交人 / 接收人 signatures, then recorded
(「登记交接」: the 接收人 and the 部门 confirmed; ``DayCloseService.record_handover``); the day's recorded lists with
their number, printed again with the number, 部门, 移交人 and time so the signed paper and the record match.

The cases with nothing kept (originals handed back, 电子证照) are named apart: no paper of theirs leaves the centre
and nothing is recorded for them.  The lists come from app/reports/handover.py; the PDF from app/documents/handover.py,
written owner-only where the supervisor chooses and shown as written (:class:`ui.supervisor.report_view.ReportView`),
like the daily report; every written list is audited (``report.handover_exported``, via ``window``).

Clerks have this page too, in their 我的统计 tab (Permission.HANDOVER is the clerk's and the supervisor's: the window
that kept the paper hands it over; docs/supervisor.md "材料交接单").

objectNames: ``handover`` (the page), ``handover_day``, ``handover_refresh``, ``handover_department``,
``handover_cases`` (a tree: one checkable row per case), ``handover_totals``, ``handover_no_paper``,
``handover_print``, ``handover_record``, ``handover_lists`` (the recorded lists), ``handover_reprint``,
``handover_message``; the dialog ``handover_dialog``, ``handover_dialog_department``, ``handover_dialog_receiver``,
``handover_dialog_submit``, ``handover_dialog_cancel``, ``handover_dialog.message``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.errors import ValidationError, YimenError
from app.localtime import local_date
from app.reports.dayclose import HandoverView
from app.reports.handover import HandoverCase, HandoverList, audit_handover, handover_list, recorded_list
from app.security.permissions import Permission, allows
from ui.context import UiContext
from ui.i18n import render
from ui.supervisor import names
from ui.supervisor.figures import day_edit, pause_timer, pydate
from ui.supervisor.report_view import ReportView, show_report
from ui.widgets import ERROR, OK, MessageLabel, open_dialog, submit_cancel


def department_name(context: UiContext, short: str) -> str:
    """The 承办部门's full name as the deployment names it (``[departments.<部门>].name``), else the catalog's."""
    found = context.services.deployment.departments.get(short)
    return found.name if found is not None and found.name else short


def materials_text(case: HandoverCase) -> str:
    """``户口簿 2本、一寸照片 2张`` (the paper that goes, with its count)."""
    return "、".join(
        f"{m.name}{'（' + m.party_name + '）' if m.party_name else ''} {m.count}{m.unit}" for m in case.handed
    )


def write_handover(context: UiContext, handover: HandoverList, path: Path) -> Path:
    """Render ``handover`` and write it owner-only to ``path`` (renderer thread); audited: it names applicants."""
    from app.documents.fonts import load_fonts
    from app.documents.handover import render_handover
    from ui.supervisor.exporting import write_owner_only

    pdf, _ = render_handover(handover, load_fonts())
    write_owner_only(path, pdf)
    audit_handover(context.services, handover, context.user, via="window")
    return path


@dataclass(frozen=True)
class ListRow:
    """A recorded 材料交接单 as the page lists it."""

    number: str
    department: str
    handed_by_name: str
    receiver: str | None
    handed_at: dt.datetime
    cases: int

    @classmethod
    def of_view(cls, view: HandoverView) -> ListRow:
        return cls(
            view.number,
            view.department,
            view.handed_by_name or view.handed_by,
            view.receiver,
            view.handed_at,
            len(view.acceptance_nos),
        )

    @classmethod
    def of_list(cls, handover: HandoverList) -> ListRow:
        record = handover.record
        assert record is not None
        return cls(
            record.number,
            record.department,
            record.handed_by_name,
            record.receiver,
            record.handed_at,
            len(handover.cases),
        )


class HandoverPage(QWidget):
    """The day's open cases to hand over, their printing and recording, and the day's recorded lists.

    Signals:
        loaded(object): the day's lists were read (the ``HandoverList``).
        written(str): a 材料交接单 PDF was written (its path).
        recorded(object): a list was recorded (the ``HandoverView``).
        dialog_opened(object): the 登记交接 dialog was opened (tests drive it).
    """

    loaded = Signal(object)
    written = Signal(str)
    recorded = Signal(object)
    dialog_opened = Signal(object)

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("handover")
        self.context = context
        self.open_list: HandoverList | None = None
        self.lists: list[ListRow] = []
        self.dialog: RecordDialog | None = None
        self.report_view: ReportView | None = None
        self._seq = 0
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        # The page scrolls rather than making the tab taller than the intake form at a small screen's minimum.
        scroller = QScrollArea(self)
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget(scroller)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        scroller.setWidget(body)
        outer.addWidget(scroller)
        bar = QHBoxLayout()
        label = QLabel(self.tr("日期(&D)"), self)
        self.day = day_edit(local_date(context.services.intake.clock()), "handover_day", self)
        label.setBuddy(self.day)
        self.refresh = QPushButton(self.tr("刷新(&F)"), self)
        self.refresh.setObjectName("handover_refresh")
        self.refresh.setAutoDefault(True)
        self.refresh.clicked.connect(self.load)
        dept_label = QLabel(self.tr("承办部门(&B)"), self)
        self.department = QComboBox(self)
        self.department.setObjectName("handover_department")
        self.department.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        dept_label.setBuddy(self.department)
        self.department.currentIndexChanged.connect(lambda _i: self._show_cases())
        bar.addWidget(label)
        bar.addWidget(self.day)
        bar.addWidget(self.refresh)
        bar.addSpacing(12)
        bar.addWidget(dept_label)
        bar.addWidget(self.department)
        bar.addStretch(1)
        layout.addLayout(bar)
        heading = QLabel(self.tr("待移交的办件（勾选要随本单移交的办件）"), self)
        heading.setProperty("role", "heading")
        layout.addWidget(heading)
        self.cases = QTreeWidget(self)
        self.cases.setObjectName("handover_cases")
        self.cases.setRootIsDecorated(False)
        self.cases.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.cases.setHeaderLabels(
            [self.tr("办件编号"), self.tr("事项"), self.tr("申请人"), self.tr("移交的材料"), self.tr("说明")]
        )
        header = self.cases.header()
        header.setStretchLastSection(False)
        for column in (0, 1, 2, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.cases.itemChanged.connect(lambda _item, _column: self._update_totals())
        layout.addWidget(self.cases, 2)
        self.totals = QLabel(self)
        self.totals.setObjectName("handover_totals")
        self.totals.setWordWrap(True)
        layout.addWidget(self.totals)
        self.no_paper = QLabel(self)
        self.no_paper.setObjectName("handover_no_paper")
        self.no_paper.setProperty("role", "hint")
        self.no_paper.setWordWrap(True)
        layout.addWidget(self.no_paper)
        buttons = QHBoxLayout()
        self.print_button = QPushButton(self.tr("预览并打印交接单(&P)…"), self)
        self.print_button.setObjectName("handover_print")
        self.print_button.setAutoDefault(True)
        self.print_button.clicked.connect(self.print_open)
        self.record_button = QPushButton(self.tr("登记交接(&R)…"), self)
        self.record_button.setObjectName("handover_record")
        self.record_button.setAutoDefault(True)
        self.record_button.clicked.connect(self.open_record)
        self.record_button.setVisible(allows(context.user.role, Permission.HANDOVER))
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.record_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.message = MessageLabel("handover_message", self, auto_hide=True)
        self.message.setObjectName("handover_message")
        layout.addWidget(self.message)
        recorded_heading = QLabel(self.tr("已登记的交接单（本日登记的，及移交本日材料的）"), self)
        recorded_heading.setProperty("role", "heading")
        layout.addWidget(recorded_heading)
        self.recorded_lists = QTreeWidget(self)
        self.recorded_lists.setObjectName("handover_lists")
        self.recorded_lists.setRootIsDecorated(False)
        self.recorded_lists.setHeaderLabels(
            [
                self.tr("交接单编号"),
                self.tr("接收部门"),
                self.tr("移交人"),
                self.tr("接收人"),
                self.tr("时间"),
                self.tr("件数"),
            ]
        )
        self.recorded_lists.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.recorded_lists.itemActivated.connect(lambda _item, _column: self.print_recorded())
        self.recorded_lists.currentItemChanged.connect(lambda _now, _before: self._update_buttons())
        layout.addWidget(self.recorded_lists, 1)
        again = QHBoxLayout()
        self.reprint = QPushButton(self.tr("重新打印所选交接单(&E)…"), self)
        self.reprint.setObjectName("handover_reprint")
        self.reprint.setAutoDefault(True)
        self.reprint.clicked.connect(self.print_recorded)
        again.addWidget(self.reprint)
        again.addStretch(1)
        layout.addLayout(again)
        self._day_timer = pause_timer(self, (self.day,), self.load)
        self._update_buttons()

    # ------------------------------------------------------------------------------------------------ reading
    def selected_day(self) -> dt.date:
        return pydate(self.day.date())

    def set_day(self, day: dt.date) -> None:
        self.day.setDate(QDate(day.year, day.month, day.day))

    def load(self) -> None:
        """Read the chosen day's open list and recorded lists (database pool)."""
        self._day_timer.stop()
        day, user, services = self.selected_day(), self.context.user, self.context.services
        self._seq += 1
        seq = self._seq

        def read() -> tuple[HandoverList, list[ListRow]]:
            open_list = handover_list(services.intake, day, by=user)
            rows = [ListRow.of_view(v) for v in services.day_close.handovers(day)]
            # The lists that took this day's paper, recorded on a later day, are printed again from here too.
            seen = {r.number for r in rows}
            for number in dict.fromkeys(c.handover_no for c in open_list.handed_over if c.handover_no):
                if number not in seen:
                    rows.append(ListRow.of_list(recorded_list(services.intake, number, by=user)))
            return open_list, rows

        def done(result: tuple[HandoverList, list[ListRow]]) -> None:
            if seq == self._seq:
                self.show_lists(*result)

        self.context.runner.run_db(read, done, self._failed, owner=self, name="handover_load")

    def _failed(self, error: YimenError) -> None:
        self.message.show_text(render(error.message), ERROR)
        self.context.bridge.failure(error)

    def show_lists(self, open_list: HandoverList, lists: list[ListRow]) -> None:
        self.open_list = open_list
        self.lists = lists
        chosen = self.department.currentData()
        departments = open_list.departments
        self.department.blockSignals(True)
        self.department.clear()
        for short in departments:
            count = sum(1 for c in open_list.cases if c.department == short)
            self.department.addItem(
                self.tr("{name}（{n} 件）").format(name=department_name(self.context, short), n=count), short
            )
        if chosen in departments:
            self.department.setCurrentIndex(departments.index(chosen))
        self.department.setEnabled(len(departments) > 1)
        self.department.blockSignals(False)
        self._show_cases()
        if open_list.no_paper:
            self.no_paper.setText(
                self.tr("无纸质材料移交（原件已退还或电子证照核验，无需登记）：{numbers}").format(
                    numbers="、".join(c.acceptance_no for c in open_list.no_paper)
                )
            )
            self.no_paper.show()
        else:
            self.no_paper.hide()
        self.recorded_lists.clear()
        day = open_list.day
        for view in lists:
            same_day = local_date(view.handed_at) == day
            item = QTreeWidgetItem(
                [
                    view.number,
                    view.department,
                    view.handed_by_name,
                    view.receiver or "—",
                    names.local_time(view.handed_at, "%H:%M" if same_day else "%m-%d %H:%M"),
                    str(view.cases),
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, view.number)
            self.recorded_lists.addTopLevelItem(item)
        last = self.recorded_lists.topLevelItem(len(lists) - 1) if lists else None
        if last is not None:
            self.recorded_lists.setCurrentItem(last)
        self._update_buttons()
        self.loaded.emit(open_list)

    def _show_cases(self) -> None:
        self.cases.blockSignals(True)
        self.cases.clear()
        short = self.department.currentData()
        for case in self.open_list.cases if self.open_list is not None else ():
            if case.department != short:
                continue
            how = self.tr("补交材料") if case.brought_later else ""
            if case.owed:
                how = "；".join(filter(None, [how, self.tr("待补交 {n} 项").format(n=len(case.owed))]))
            item = QTreeWidgetItem([case.acceptance_no, case.item_name, case.applicant_name, materials_text(case), how])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Checked)
            item.setData(0, Qt.ItemDataRole.UserRole, case.acceptance_no)
            item.setToolTip(3, materials_text(case))
            self.cases.addTopLevelItem(item)
        first = self.cases.topLevelItem(0)
        if first is not None:
            self.cases.setCurrentItem(first)
        self.cases.blockSignals(False)
        self._update_totals()

    def ticked(self) -> list[str]:
        """The acceptance numbers ticked to go, in the list's order."""
        out = []
        for index in range(self.cases.topLevelItemCount()):
            item = self.cases.topLevelItem(index)
            if item is not None and item.checkState(0) == Qt.CheckState.Checked:
                out.append(str(item.data(0, Qt.ItemDataRole.UserRole)))
        return out

    def chosen_list(self) -> HandoverList | None:
        """The open list narrowed to the ticked cases of the chosen 部门 (what is printed and recorded)."""
        if self.open_list is None:
            return None
        ticked = set(self.ticked())
        return replace(self.open_list, cases=tuple(c for c in self.open_list.cases if c.acceptance_no in ticked))

    def _update_totals(self) -> None:
        from app.documents.handover import totals_text

        chosen = self.chosen_list()
        if chosen is None:
            self.totals.setText("")
        elif not self.open_list or not self.open_list.cases:
            self.totals.setText(self.tr("本日没有需要移交后台的纸质材料。"))
        else:
            self.totals.setText(self.tr("本单{totals}。").format(totals=totals_text(chosen)))
        self._update_buttons()

    def _update_buttons(self) -> None:
        has = bool(self.ticked())
        self.print_button.setEnabled(has)
        self.record_button.setEnabled(has)
        self.reprint.setEnabled(self.recorded_lists.currentItem() is not None)

    # ------------------------------------------------------------------------------------------------ printing
    def _ask_path(self, suggested: str) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("保存材料交接单"), f"{suggested}.pdf", "PDF (*.pdf)")
        return Path(path) if path else None

    def print_open(self) -> None:
        """Ask where to save, then write and show the list of the ticked cases (not yet recorded: （未登记）)."""
        chosen = self.chosen_list()
        if chosen is None or not chosen.cases:
            return
        path = self._ask_path(
            f"材料交接单-{self.context.services.deployment.workstation_code}-{chosen.day.isoformat()}"
        )
        if path is not None:
            self.write_open_to(path)

    def write_open_to(self, path: Path) -> None:
        """Write the ticked cases' list to ``path`` and show it (no dialog; the file dialog's answer and tests)."""
        chosen = self.chosen_list()
        if chosen is None:
            return
        short = self.department.currentData()
        chosen = replace(chosen, department=department_name(self.context, short) if short else None)
        context = self.context
        self.context.runner.run_render(
            lambda: write_handover(context, chosen, path), self._written, self._failed, owner=self, name="handover_pdf"
        )

    def print_recorded(self) -> None:
        """Ask where to save, then write and show the selected recorded list with its number."""
        item = self.recorded_lists.currentItem()
        if item is None:
            return
        number = str(item.data(0, Qt.ItemDataRole.UserRole))
        path = self._ask_path(f"材料交接单-{number}")
        if path is not None:
            self.write_recorded_to(number, path)

    def write_recorded_to(self, number: str, path: Path) -> None:
        """Write the recorded list ``number`` to ``path`` and show it (no dialog)."""
        context, user = self.context, self.context.user

        def write() -> Path:
            return write_handover(context, recorded_list(context.services.intake, number, by=user), path)

        self.context.runner.run_render(write, self._written, self._failed, owner=self, name="handover_reprint")

    def _written(self, path: Path) -> None:
        self.context.bridge.info(self.tr("已保存材料交接单：{name}").format(name=path.name))
        self.written.emit(str(path))
        self.show_pdf(path)

    def show_pdf(self, path: Path) -> ReportView:
        title = self.tr("材料交接单 — {name}").format(name=path.name)
        self.report_view = show_report(self, self.report_view, path, self._report_view_closed, title)
        return self.report_view

    def _report_view_closed(self, _result: int) -> None:
        self.report_view = None

    # ------------------------------------------------------------------------------------------------ recording
    def open_record(self) -> RecordDialog | None:
        """Ask for the 接收人 and confirm the 部门, then record the ticked cases as handed over."""
        numbers = self.ticked()
        if not numbers:
            return None
        short = self.department.currentData()
        dialog = RecordDialog(self.context, numbers, department_name(self.context, short) if short else "", self)
        dialog.done_recording.connect(self._recorded)
        self.dialog = dialog
        open_dialog(dialog, self._dialog_finished)
        self.dialog_opened.emit(dialog)
        return dialog

    def _dialog_finished(self, _result: int) -> None:
        self.dialog = None

    def _recorded(self, view: HandoverView) -> None:
        self.message.show_text(
            self.tr("已登记交接单 {number}（{n} 件），请打印带编号的交接单签字。").format(
                number=view.number, n=len(view.acceptance_nos)
            ),
            OK,
        )
        self.recorded.emit(view)
        self.load()

    def focus_start(self) -> None:
        self.day.setFocus()


class RecordDialog(QDialog):
    """登记交接: the cases going, the 部门 receiving them (confirmed), the 接收人's name.

    Signals:
        done_recording(object): the list was recorded (the ``HandoverView``).
    """

    done_recording = Signal(object)

    def __init__(self, context: UiContext, numbers: list[str], department: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("handover_dialog")
        self.context = context
        self.numbers = numbers
        self.setWindowTitle(self.tr("登记交接"))
        self.resize(520, 260)
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr("以下 {n} 件办件的纸质材料登记为已移交，登记后不再出现在待移交清单中：\n{numbers}").format(
                n=len(numbers), numbers="、".join(numbers)
            ),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.department = QLineEdit(department, self)
        self.department.setObjectName("handover_dialog_department")
        self.department.setMaxLength(100)
        self.receiver = QLineEdit(self)
        self.receiver.setObjectName("handover_dialog_receiver")
        self.receiver.setMaxLength(100)
        self.receiver.setPlaceholderText(self.tr("接收人姓名（可不填，以签字为准）"))
        form.addRow(self.tr("接收部门(&B)"), self.department)
        form.addRow(self.tr("接收人(&N)"), self.receiver)
        form.addRow(self.tr("移交人"), QLabel(context.user.display_name, self))
        layout.addLayout(form)
        self.message = MessageLabel("handover_dialog", self, auto_hide=True)
        layout.addWidget(self.message)
        buttons, self.submit = submit_cancel(
            self, "handover_dialog", self.tr("确认登记"), self.tr("取消"), self.record, default=True
        )
        layout.addLayout(buttons)
        self.receiver.setFocus()

    def record(self) -> None:
        if not self.submit.isEnabled():
            return
        self.message.clear_text()
        service, user = self.context.services.day_close, self.context.user
        numbers, department, receiver = list(self.numbers), self.department.text(), self.receiver.text()
        self.submit.setEnabled(False)
        self.context.runner.run_db(
            lambda: service.record_handover(user, numbers, department, receiver),
            self._done,
            self._failed,
            owner=self,
            name="record_handover",
        )

    def _done(self, view: HandoverView) -> None:
        self.done_recording.emit(view)
        self.accept()

    def _failed(self, error: YimenError) -> None:
        self.submit.setEnabled(True)
        self.message.show_text(render(error.message), ERROR)
        if isinstance(error, ValidationError) and error.field == "department":
            self.department.setFocus()
        else:
            self.receiver.setFocus()
