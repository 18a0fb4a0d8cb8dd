"""The counter window: the intake form (F2), today's applications and the search (F3), and a status bar that
always says where the clerk is, who is logged in, where sync stands (a click or F5 opens the upload queue), and
whether the catalog had problems (Services.notes: never hidden).

When the deployment has a central server the window runs the background sync (:class:`ui.sync.SyncController`):
each stored decision, 补正, 更正 or 作废 nudges it to push at once, and every round refreshes the status bar and,
when records changed, the list and any open record.

objectNames: ``main_window``, ``tabs``, ``toast``, ``workstation``, ``clerk``, ``sync_state``, ``sync_clock``,
``enroll``, ``catalog_notes``.
"""

from __future__ import annotations

import functools

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QPushButton, QTabWidget, QVBoxLayout, QWidget
from shiboken6 import Shiboken

from app.bootstrap import Services
from app.errors import YimenError
from app.intake.model import DebtOrigin, DecisionResult
from app.security.accounts import SessionUser
from app.sync.service import SyncStatus
from app.sync.worker import PULL_INTERVAL
from ui.documents.desk import PRINT_KEYS, DocumentDesk, DocumentPreview
from ui.i18n import render
from ui.intake.panel import IntakePanel
from ui.messages import MessageBridge, MessageDisplay
from ui.records.applications import ApplicationsView
from ui.records.record import RecordDialog
from ui.sync.controller import SYNC_KEYS, EnrollDialog, SyncController, SyncPanel, SyncRound, SyncStateLabel
from ui.tasks import TaskRunner

INTAKE_KEYS = "F2"
LIST_KEYS = "F3"


class MainWindow(QMainWindow):
    """The counter's main window.

    Signals:
        decided(object): a decision was stored, at the form or at a return visit (the ``DecisionResult``); its
            documents are drawn and previewed (``ui.documents.DocumentDesk``).
        record_opened(object): a record dialog was opened (the ``RecordDialog``; tests drive it).
        sync_status_shown(object): the status bar shows a new sync status (the ``SyncStatus``).
        sync_changed(): a sync round changed stored records (their sync or back-office status); views reload.
        sync_panel_opened(object): the upload queue was opened (the ``SyncPanel``).
        enroll_opened(object): the enrollment dialog was opened (the ``EnrollDialog``).
    """

    decided = Signal(object)
    record_opened = Signal(object)
    sync_status_shown = Signal(object)
    sync_changed = Signal()
    sync_panel_opened = Signal(object)
    enroll_opened = Signal(object)

    def __init__(
        self,
        services: Services,
        runner: TaskRunner,
        bridge: MessageBridge,
        user: SessionUser,
        parent: QWidget | None = None,
        *,
        pull_interval: float = PULL_INTERVAL,
    ) -> None:
        """Build the window.

        Args:
            pull_interval: seconds between the background sync's pulls (tests make it short).
        """
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
        self.sync = SyncController(services.sync, self, pull_interval=pull_interval)
        self.sync_status: SyncStatus | None = None
        self._clock_warned = False
        self._panel: SyncPanel | None = None
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
        sync_shortcut = QShortcut(QKeySequence(SYNC_KEYS), self)
        sync_shortcut.activated.connect(self.open_sync_panel)
        self.desk.issued.connect(self._documents_issued)
        self.desk.preview_opened.connect(self._preview_opened)
        self.sync.round_finished.connect(self._sync_round)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.sync.stop)
        runner.failed.connect(bridge.failure)
        runner.busy_changed.connect(self._busy_changed)
        self.applications.show_today()
        self.desk.heal()
        # The sync worker starts once it is known there is a server.  SyncService.status() reads the OS keyring,
        # which can wait on the OS (a locked Secret Service): on the network pool, never holding up a save.
        runner.run_net(services.sync.status, self._start_sync, owner=self, name="sync.status")

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
        self.sync_label = SyncStateLabel(bar)
        self.sync_label.clicked.connect(self.open_sync_panel)
        self.clock_label = QLabel(self.tr("本机时钟不准"), bar)
        self.clock_label.setObjectName("sync_clock")
        self.clock_label.setProperty("severity", "error")
        self.clock_label.hide()
        self.enroll_button = QPushButton(self.tr("注册本工位…"), bar)
        self.enroll_button.setObjectName("enroll")
        self.enroll_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.enroll_button.clicked.connect(self._enroll_clicked)
        self.enroll_button.hide()
        bar.addPermanentWidget(workstation)
        bar.addPermanentWidget(clerk)
        bar.addPermanentWidget(self.sync_label)
        bar.addPermanentWidget(self.clock_label)
        bar.addPermanentWidget(self.enroll_button)
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
        self.sync_changed.connect(dialog.refresh_sync)
        dialog.open()
        self.record_opened.emit(dialog)
        return dialog

    def _decided(self, result: DecisionResult) -> None:
        self.sync.nudge()
        self.applications.refresh()
        self.decided.emit(result)
        self.desk.issue_for(result)

    def _record_decided(self, result: DecisionResult) -> None:
        self.sync.nudge()
        self.decided.emit(result)
        self.desk.issue_for(result)

    def _record_changed(self, result: DecisionResult) -> None:
        self.sync.nudge()
        self.applications.refresh()
        # A correction reissues the receipt and the form (nothing is owed after a void); a return visit's decision
        # comes through _record_decided.
        if result.documents_due.owes(DebtOrigin.CORRECTION):
            self.desk.issue_for(result)

    # ------------------------------------------------------------------ sync

    def _start_sync(self, status: SyncStatus) -> None:
        self.show_sync_status(status)
        if status.configured:
            self.sync.start()

    def show_sync_status(self, status: SyncStatus, error: YimenError | None = None) -> None:
        """Show where sync stands in the status bar; a clock warning once as a message too."""
        self.sync_status = status
        self.sync_label.show_status(status, error)
        self.enroll_button.setVisible(status.configured and (not status.enrolled or status.revoked))
        warnings = [render(w) for w in status.warnings]
        self.clock_label.setVisible(bool(warnings))
        self.clock_label.setToolTip("\n".join(warnings))
        if warnings and not self._clock_warned:
            for text in warnings:
                self.bridge.warning(text)
        self._clock_warned = bool(warnings)
        self.sync_status_shown.emit(status)

    def refresh_sync_status(self) -> None:
        """Read where sync stands again (after the queue or the enrollment changed) and show it."""
        self.runner.run_net(self.services.sync.status, self.show_sync_status, owner=self, name="sync.status")

    def _sync_round(self, round_: SyncRound) -> None:
        previous = self.sync_status
        self.show_sync_status(round_.status, round_.error)
        counts = (round_.status.pending, round_.status.quarantined)
        if round_.changed_records or (previous is not None and (previous.pending, previous.quarantined) != counts):
            self.applications.reload()
            self.sync_changed.emit()

    def _documents_issued(self, _documents: object) -> None:
        self.sync.nudge()

    def _preview_opened(self, preview: DocumentPreview) -> None:
        # A handed-out copy (printed, saved, 补打) is an event of its own: push it too.
        preview.handed_out.connect(self._documents_issued)

    def open_sync_panel(self) -> SyncPanel:
        """Show the upload queue (non-blocking; one at a time)."""
        if self._panel is not None and Shiboken.isValid(self._panel) and self._panel.isVisible():
            self._panel.raise_()
            self._panel.activateWindow()
            return self._panel
        panel = SyncPanel(self.services, self.runner, self.bridge, self.sync, self)
        panel.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        panel.retried.connect(self._queue_changed)
        panel.enroll_requested.connect(functools.partial(self.open_enrollment, panel))
        self._panel = panel
        panel.open()
        self.sync_panel_opened.emit(panel)
        return panel

    def _queue_changed(self, _count: int) -> None:
        self.refresh_sync_status()
        self.applications.reload()
        self.sync_changed.emit()

    def _enroll_clicked(self) -> None:
        self.open_enrollment()

    def open_enrollment(self, parent: QWidget | None = None) -> EnrollDialog:
        """Ask for the one-time code and enroll this workstation (non-blocking; above ``parent`` when given)."""
        dialog = EnrollDialog(self.services, self.runner, parent or self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.enrolled.connect(self._enrolled)
        dialog.open()
        self.enroll_opened.emit(dialog)
        return dialog

    def _enrolled(self) -> None:
        self.bridge.info(self.tr("本工位已在中心服务器注册，开始上传记录。"))
        self.sync.start()
        self.sync.sync_now()
        self.refresh_sync_status()
        if self._panel is not None and Shiboken.isValid(self._panel):
            self._panel.reload()

    def closeEvent(self, event: QCloseEvent) -> None:
        # The sync thread ends with the window (a round in progress finishes first): nothing is left running.
        self.sync.stop()
        super().closeEvent(event)

    def _busy_changed(self, busy: bool) -> None:
        if busy:
            self.setCursor(Qt.CursorShape.BusyCursor)
        else:
            self.unsetCursor()
