"""The counter window: the intake form (F2), today's applications and the search (F3), and a status bar that
always says where the clerk is, who is logged in, that the workstation is offline, and whether the catalog had
problems (Services.notes: never hidden).

objectNames: ``main_window``, ``tabs``, ``toast``, ``workstation``, ``clerk``, ``sync_state``, ``catalog_notes``.
"""

from __future__ import annotations

import functools

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QPushButton, QTabWidget, QVBoxLayout, QWidget

from app.bootstrap import Services
from app.intake.model import DecisionResult
from app.security.accounts import SessionUser
from ui.applications import ApplicationsView
from ui.documents import PRINT_KEYS, DocumentDesk
from ui.i18n import render
from ui.intake import IntakePanel
from ui.messages import MessageBridge, MessageDisplay
from ui.record import RecordDialog
from ui.tasks import TaskRunner

INTAKE_KEYS = "F2"
LIST_KEYS = "F3"


class MainWindow(QMainWindow):
    """The counter's main window.

    Signals:
        decided(object): a decision was stored, at the form or at a return visit (the ``DecisionResult``); its
            documents are drawn and previewed (``ui.documents.DocumentDesk``).
        record_opened(object): a record dialog was opened (the ``RecordDialog``; tests drive it).
    """

    decided = Signal(object)
    record_opened = Signal(object)

    def __init__(
        self,
        services: Services,
        runner: TaskRunner,
        bridge: MessageBridge,
        user: SessionUser,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("main_window")
        self.services = services
        self.runner = runner
        self.bridge = bridge
        self.user = user
        deployment = services.deployment
        self.setWindowTitle(
            self.tr("一门式社区事务受理台 — {center} {window}").format(
                center=deployment.center_name, window=deployment.window_name
            )
        )
        self.resize(1360, 860)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(8, 6, 8, 4)
        self.toast = QLabel(central)
        self.toast.setObjectName("toast")
        layout.addWidget(self.toast)
        self.tabs = QTabWidget(central)
        self.tabs.setObjectName("tabs")
        self.intake = IntakePanel(services, runner, bridge, user, self.tabs)
        self.applications = ApplicationsView(services, runner, self.tabs)
        self.tabs.addTab(self.intake, self.tr("受理 ({keys})").format(keys=INTAKE_KEYS))
        self.tabs.addTab(self.applications, self.tr("今日/查询 ({keys})").format(keys=LIST_KEYS))
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self._build_status_bar()
        self.display = MessageDisplay(bridge, self, self.statusBar(), self.toast)
        for keys, index in ((INTAKE_KEYS, 0), (LIST_KEYS, 1)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(functools.partial(self.show_tab, index))
        self.desk = DocumentDesk(services, runner, bridge, user, self)
        self.intake.decided.connect(self._decided)
        self.applications.opened.connect(self.open_record)
        self.applications.print_requested.connect(self.desk.reprint)
        print_shortcut = QShortcut(QKeySequence(PRINT_KEYS), self.applications)
        print_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        print_shortcut.activated.connect(self.applications.request_print)
        runner.failed.connect(bridge.failure)
        runner.busy_changed.connect(self._busy_changed)
        self.applications.show_today()
        self.desk.heal()

    def _build_status_bar(self) -> None:
        deployment = self.services.deployment
        bar = self.statusBar()
        workstation = QLabel(
            f"{deployment.center_name} · {deployment.window_name}（{deployment.workstation_code}）", bar
        )
        workstation.setObjectName("workstation")
        clerk = QLabel(
            self.tr("经办人：{name}（{staff}）").format(name=self.user.display_name, staff=self.user.staff_no)
        )
        clerk.setObjectName("clerk")
        sync = QLabel(self.tr("离线"), bar)
        sync.setObjectName("sync_state")
        sync.setToolTip(self.tr("尚未连接中心服务器：记录保存在本机，联网后上传。"))
        bar.addPermanentWidget(workstation)
        bar.addPermanentWidget(clerk)
        bar.addPermanentWidget(sync)
        notes = self.services.notes
        self.notes_button: QPushButton | None = None
        if notes:
            button = QPushButton(self.tr("事项目录有 {n} 个问题").format(n=len(notes)), bar)
            button.setObjectName("catalog_notes")
            button.setToolTip("\n".join(render(n) for n in notes))
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(self.show_catalog_notes)
            bar.addPermanentWidget(button)
            self.notes_button = button

    def show_catalog_notes(self) -> None:
        """List the catalog's problems (for IT; the counter keeps working with the last good versions)."""
        text = "\n\n".join(render(n) for n in self.services.notes)
        box = QMessageBox(
            QMessageBox.Icon.Warning, self.tr("事项目录的问题"), text, QMessageBox.StandardButton.Ok, self
        )
        box.setObjectName("catalog_notes_dialog")
        box.setInformativeText(self.tr("受理不受影响：有问题的事项文件仍使用上一个正确的版本。请通知信息员修正。"))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def show_tab(self, index: int) -> None:
        """Switch to the intake form (0) or the list (1) and put the cursor where work starts."""
        self.tabs.setCurrentIndex(index)
        if index == 0:
            self.intake.queue_ticket.setFocus()
        else:
            self.applications.search.setFocus()
            self.applications.search.selectAll()

    def open_record(self, acceptance_no: str) -> RecordDialog:
        """Open one record (non-blocking)."""
        dialog = RecordDialog(self.services, self.runner, self.bridge, self.user, acceptance_no, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.changed.connect(self._record_changed)
        dialog.decided.connect(self._record_decided)
        dialog.open()
        self.record_opened.emit(dialog)
        return dialog

    def _decided(self, result: DecisionResult) -> None:
        self.applications.refresh()
        self.decided.emit(result)
        self.desk.issue_for(result)

    def _record_decided(self, result: DecisionResult) -> None:
        self.decided.emit(result)
        self.desk.issue_for(result)

    def _record_changed(self, result: DecisionResult) -> None:
        self.applications.refresh()
        # A correction reissues the receipt and the form (nothing is owed after a void); a return visit's decision
        # comes through _record_decided.
        if (result.documents_due or "").startswith("correction:"):
            self.desk.issue_for(result)

    def _busy_changed(self, busy: bool) -> None:
        if busy:
            self.setCursor(Qt.CursorShape.BusyCursor)
        else:
            self.unsetCursor()
