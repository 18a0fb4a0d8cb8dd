"""Today's applications and the search over all of them (办件编号, name or ID number).

ID numbers are shown masked (``310***********0018``, rules.md §8): the core's summaries carry only the masked
number.  Each row shows its decision (``labels.decision_label``), where it stands with the server
(``labels.sync_label``, with the server's reason as the tooltip of a refusal) and the back office's status
(``labels.server_status_label``, 办理状态).  Enter (or a double click) on a row opens the record.  After a sync round
the list is read again in place (:meth:`ApplicationsView.reload`), keeping the selected row.  While the list is
hidden (the clerk is at the form) a change or a sync round does not read it at once: it is read when the tab is
shown, or once the counter's tasks are done (the database worker and the renderer idle), so the reload never runs
beside a decision's documents on the way to the preview (docs/performance.md).  Ctrl+P asks for the
selected row's documents (the window's ``events.print_requested``: the documents feature opens the preview).

Importing :mod:`ui.records` registers this list as the window's 今日/查询 tab (F3).

objectNames: ``list_search``, ``list_today``, ``application_list`` (the table), ``list_status``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain import AppState
from app.intake import labels
from app.intake.model import ApplicationSummary
from ui.context import UiContext
from ui.i18n import render
from ui.records.record import RecordDialog
from ui.tabs import TabPage
from ui.widgets import RowsTableModel

SHANGHAI = ZoneInfo("Asia/Shanghai")
PRINT_KEYS = "Ctrl+P"


class ApplicationsModel(RowsTableModel):
    """Application summaries as table rows."""

    COLUMNS = ("acceptance_no", "time", "applicant", "id", "item", "state", "sync", "server_status", "clerk")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[ApplicationSummary] = []
        self._headers = [
            self.tr("办件编号"),
            self.tr("时间"),
            self.tr("申请人"),
            self.tr("证件号码"),
            self.tr("事项"),
            self.tr("受理结果"),
            self.tr("上传"),
            self.tr("办理进度"),
            self.tr("经办人"),
        ]

    def _role(self, row: ApplicationSummary, column: str, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and column == "state" and row.state == AppState.VOIDED.value:
            return QBrush(QColor("#8a8a8a"))
        if role == Qt.ItemDataRole.ForegroundRole and column == "sync" and row.sync_state == "rejected":
            return QBrush(QColor("#c62828"))
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        return None

    def _tooltip(self, row: ApplicationSummary, column: str) -> str | None:
        if column == "state" and row.notice_no:
            return self.tr("文书编号 {no}").format(no=row.notice_no)
        if column == "sync" and row.sync_error:
            return row.sync_error
        if column == "server_status" and row.server_status_at is not None:
            return self.tr("中心更新于 {time}").format(
                time=row.server_status_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
            )
        return None

    def _text(self, row: ApplicationSummary, column: str) -> str:
        if column == "acceptance_no":
            return row.acceptance_no
        if column == "time":
            local = row.received_at.astimezone(SHANGHAI)
            return local.strftime("%m-%d %H:%M")
        if column == "applicant":
            return row.applicant_name
        if column == "id":
            return row.applicant_id_masked
        if column == "item":
            return row.item_name
        if column == "state":
            return render(labels.decision_label(row.decision, row.state))
        if column == "sync":
            return render(labels.sync_label(row.sync_state))
        if column == "server_status":
            return render(labels.server_status_label(row.server_status))
        return row.clerk_name


class ApplicationsView(TabPage):
    """The list of today's applications, with a search box (the 今日/查询 tab); a row opens its record.

    Signals:
        opened(str): the clerk opened a row (its 办件编号).
        loaded(int): the list was (re)loaded (the number of rows).
        print_requested(str): the clerk asked to print or reprint the selected row's documents (Ctrl+P); the
            window's ``events.print_requested`` passes it on.
        record_opened(object): a record dialog was opened (the ``RecordDialog``; tests drive it).
    """

    opened = Signal(str)
    loaded = Signal(int)
    print_requested = Signal(str)
    record_opened = Signal(object)

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("applications")
        self.context = context
        self.services = context.services
        self.runner = context.runner
        self._seq = 0
        self._shown: tuple[Callable[[], list[ApplicationSummary]], Callable[[int], str]] | None = None
        # What a hidden list still owes: "refresh" after a change, "reload" after a sync round (None: up to date).
        self._stale: str | None = None
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        label = QLabel(self.tr("查询"), self)
        self.search = QLineEdit(self)
        self.search.setObjectName("list_search")
        self.search.setPlaceholderText(self.tr("办件编号、姓名或证件号码；回车查询，清空后回车显示今日"))
        self.search.setClearButtonEnabled(True)
        label.setBuddy(self.search)
        self.today_button = QPushButton(self.tr("今日全部"), self)
        self.today_button.setObjectName("list_today")
        self.today_button.setAutoDefault(True)
        self.overdue_button = QPushButton(self.tr("逾期未补交"), self)
        self.overdue_button.setObjectName("list_overdue")
        self.overdue_button.setAutoDefault(True)
        self.overdue_button.setToolTip(self.tr("容缺受理、先行救助的办件中，补交期限已过仍缺材料的"))
        self.print_button = QPushButton(self.tr("打印文书 (Ctrl+P)"), self)
        self.print_button.setObjectName("list_print")
        self.print_button.setToolTip(self.tr("打印所选申请的回执、通知书或申请表；已交付过的按补打办理"))
        bar.addWidget(label)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.today_button)
        bar.addWidget(self.overdue_button)
        bar.addWidget(self.print_button)
        layout.addLayout(bar)
        self.model = ApplicationsModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("application_list")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        self.status = QLabel(self)
        self.status.setObjectName("list_status")
        self.status.setProperty("role", "hint")
        layout.addWidget(self.status)
        self.search.installEventFilter(self)
        self.today_button.clicked.connect(self.show_today)
        self.overdue_button.clicked.connect(self.show_overdue)
        self.print_button.clicked.connect(self.request_print)
        self.table.activated.connect(self._activated)
        print_shortcut = QShortcut(QKeySequence(PRINT_KEYS), self)
        print_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        print_shortcut.activated.connect(self.request_print)
        self.opened.connect(self.open_record)
        events = context.events
        self.print_requested.connect(events.print_requested)
        events.changed.connect(self._record_changed)
        events.synced.connect(self._synced)
        self.runner.busy_changed.connect(self._runner_busy)
        self.show_today()

    def focus_start(self) -> None:
        """The cursor goes into the search box, its text selected: typing replaces the last query."""
        self.search.setFocus()
        self.search.selectAll()

    def open_record(self, acceptance_no: str) -> RecordDialog:
        """Open one record above the window (non-blocking)."""
        dialog = RecordDialog(self.context, acceptance_no, self.window())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.record_opened.emit(dialog)
        return dialog

    def _record_changed(self, _result: object) -> None:
        if self.isVisible():
            self.refresh()
            return
        self._stale = "refresh"
        # Read once the change's own tasks (its documents, the rating) are done; if it started none, right after.
        QTimer.singleShot(0, self._catch_up_if_idle)

    def _catch_up_if_idle(self) -> None:
        if self.runner.idle:
            self._catch_up()

    def _synced(self) -> None:
        if self.isVisible() or self.runner.idle:  # nothing of the clerk's in flight: read it now
            self.reload()
        elif self._stale is None:
            self._stale = "reload"

    def _runner_busy(self, busy: bool) -> None:
        if not busy:
            self._catch_up()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self._catch_up()

    def _catch_up(self) -> None:
        stale, self._stale = self._stale, None
        if stale == "refresh":
            self.refresh()
        elif stale == "reload":
            self.reload()

    def refresh(self) -> None:
        """Reload what is shown (the search, or today's list)."""
        query = self.search.text().strip()
        if query:
            self.run_search(query)
        else:
            self.show_today()

    def show_today(self) -> None:
        """Show today's applications."""
        self.search.clear()
        intake = self.services.intake
        user = self.context.user
        self._load(lambda: intake.list_day(by=user), lambda n: self.tr("今日收件 {n} 件").format(n=n))

    def show_overdue(self) -> None:
        """Show the 容缺受理 / 先行救助 cases whose date for the owed materials has passed (to chase them)."""
        self.search.clear()
        intake = self.services.intake
        user = self.context.user
        self._load(lambda: intake.overdue_owed(by=user), lambda n: self.tr("逾期未补交 {n} 件").format(n=n))

    def run_search(self, query: str) -> None:
        """Find applications by 受理编号, name or ID number."""
        intake = self.services.intake
        user = self.context.user
        self._load(lambda: intake.search(query, by=user), lambda n: self.tr("查询“{q}”：{n} 件").format(q=query, n=n))

    def reload(self) -> None:
        """Read what is shown again (sync changed the rows' states), keeping the selected row.

        Unlike :meth:`refresh` it runs the last query, not what is being typed in the search box.
        """
        if self._shown is None:
            return
        index = self.table.currentIndex()
        keep = self.model.rows[index.row()].acceptance_no if 0 <= index.row() < len(self.model.rows) else None
        func, summary = self._shown
        self._load(func, summary, keep=keep)

    def _load(
        self, func: Callable[[], list[ApplicationSummary]], summary: Callable[[int], str], *, keep: str | None = None
    ) -> None:
        self._seq += 1
        seq = self._seq
        self._shown = (func, summary)
        self.runner.run_db(func, functools.partial(self._loaded, seq, summary, keep), owner=self, name="list")

    def _loaded(
        self, seq: int, summary: Callable[[int], str], keep: str | None, rows: list[ApplicationSummary]
    ) -> None:
        if seq != self._seq:
            return
        self.model.set_rows(rows)
        self.status.setText(summary(len(rows)))
        numbers = [r.acceptance_no for r in rows]
        if keep in numbers:
            self.table.selectRow(numbers.index(keep))
        elif rows:
            self.table.selectRow(0)
        self.loaded.emit(len(rows))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.refresh()
                return True
            if event.key() == Qt.Key.Key_Down and self.model.rows:
                self.table.setFocus(Qt.FocusReason.TabFocusReason)
                self.table.selectRow(0)
                return True
        return super().eventFilter(watched, event)

    def request_print(self) -> None:
        """Ask for the documents of the selected row (the main window opens the preview)."""
        index = self.table.currentIndex()
        if index.isValid() and index.row() < len(self.model.rows):
            self.print_requested.emit(self.model.rows[index.row()].acceptance_no)
        else:
            self.status.setText(self.tr("请先在列表中选择一件申请。"))

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.opened.emit(self.model.rows[index.row()].acceptance_no)
