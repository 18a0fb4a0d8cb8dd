"""Where sync stands, in the window's status bar: the worker (:class:`~ui.sync.controller.SyncController`), its line
(在线 / 离线 / 未注册 / 凭证已吊销, the queue, the last sync), a clock warning, 注册本工位…, and the upload queue (F5 or
a click on the line) and the enrollment dialog opened from there (ARCHITECTURE.md invariant 9).

:class:`SyncStatusArea` listens to the window's events: each stored change (``events.changed``) and each document
stored or handed out (``events.documents_changed``) nudges the worker to push at once; a round or a retry that
changed stored records tells ``events.synced``, and the views read them again.

The update notice (``sync_update``): the client versions the server publishes (docs/sync-protocol.md "Client
versions") tell a supervisor's or an admin's window that an update is due ("有新版本 0.2.0，请联系信息员升级"); below
the server's minimum every window, a clerk's too, shows it red — sync has stopped until IT installs the new version.

objectNames: ``sync_state`` (the line; a click opens the panel), ``sync_clock``, ``sync_update``, ``enroll``.
"""

from __future__ import annotations

import datetime as dt
import functools
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QMouseEvent, QShortcut
from PySide6.QtWidgets import QLabel, QMainWindow, QPushButton, QWidget
from shiboken6 import Shiboken

from app.domain import Role
from app.errors import ClientTooOldError, DeviceRevokedError, NotEnrolledError, SyncBusyError, YimenError
from app.sync.service import SyncStatus
from app.sync.worker import PULL_INTERVAL
from app.version import version
from ui.context import UiContext
from ui.i18n import render
from ui.sync.controller import SyncController, SyncRound
from ui.sync.enroll import EnrollDialog
from ui.sync.panel import SyncPanel
from ui.widgets import ERROR, NEUTRAL, WARNING

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Opens the upload queue (F2 受理, F3 查询, F4 叫号 are taken; F5 is the next key and means "refresh" to most people).
SYNC_KEYS = "F5"
#: Who is told that an update is due (everyone is told when this build is below the server's minimum).
UPDATE_ROLES = frozenset({Role.SUPERVISOR, Role.ADMIN})


def short_time(when: dt.datetime, *, now: dt.datetime | None = None) -> str:
    """``HH:MM`` in Shanghai time; with the date in front when it is not today."""
    local = when.astimezone(SHANGHAI)
    today = (now or dt.datetime.now(dt.UTC)).astimezone(SHANGHAI).date()
    return local.strftime("%H:%M") if local.date() == today else local.strftime("%m-%d %H:%M")


class SyncStateLabel(QLabel):
    """The status bar's sync line: 在线 / 离线 / 未注册 / 凭证已吊销 / 须升级 (this version is below the server's
    minimum), the queue and the last successful sync.

    Its tooltip is the last error's sentence.  A click opens the upload queue.

    Signals:
        clicked(): the label was clicked.
    """

    clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sync_state")
        self.setText(self.tr("离线"))
        self.setToolTip(self.tr("尚未连接中心服务器：记录保存在本机，联网后上传。"))
        self.setProperty("severity", NEUTRAL)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def show_status(self, status: SyncStatus, error: YimenError | None = None) -> None:
        """Show where sync stands (``error``: what ended the last round, when it failed)."""
        if not status.configured:
            self.setText(self.tr("离线"))
            self.setToolTip(self.tr("本工位未配置中心服务器：记录保存在本机。"))
            self._set_severity(NEUTRAL)
            return
        state, severity = self._state(status, error)
        parts = [state, self.tr("待上传 {n}").format(n=status.pending)]
        busy = _busy(status, error)
        if busy:
            parts.append(self.tr("中心服务器繁忙，稍后自动上传"))
        if status.quarantined:
            parts.append(self.tr("被拒收 {n}").format(n=status.quarantined))
            severity = ERROR
        if status.last_success_at is not None:
            parts.append(self.tr("上次同步 {time}").format(time=short_time(status.last_success_at)))
        self.setText(" · ".join(parts))
        problem = render(error.message) if error is not None else status.last_error
        if busy:  # a calm note, not a problem: everything waits in the outbox and goes up by itself
            problem = self.tr("中心服务器繁忙，本工位的记录已保存在本机，稍后自动上传，无需操作。")
        lines = [problem] if problem else []
        lines.append(self.tr("点击或按 {keys} 查看上传队列。").format(keys=SYNC_KEYS))
        self.setToolTip("\n".join(lines))
        self._set_severity(severity)

    def _state(self, status: SyncStatus, error: YimenError | None) -> tuple[str, str]:
        if status.revoked or isinstance(error, DeviceRevokedError):
            return self.tr("凭证已吊销"), ERROR
        if isinstance(error, ClientTooOldError) or (status.update is not None and status.update.required):
            return self.tr("须升级"), ERROR
        if not status.enrolled or isinstance(error, NotEnrolledError):
            return self.tr("未注册"), WARNING
        if _busy(status, error):  # the server answered: online, only asked to come back later
            return self.tr("在线"), NEUTRAL
        if error is None and status.last_error is None and status.last_success_at is not None:
            return self.tr("在线"), NEUTRAL
        return self.tr("离线"), WARNING

    def _set_severity(self, severity: str) -> None:
        self.setProperty("severity", severity)
        self.style().unpolish(self)
        self.style().polish(self)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self.clicked.emit()
        super().mouseReleaseEvent(event)


def _busy(status: SyncStatus, error: YimenError | None) -> bool:
    """The last round found the server busy (docs/sync-protocol.md "When the server is busy"): the next one goes by
    itself once the time the server asked for has passed."""
    if error is not None:
        return isinstance(error, SyncBusyError)
    return status.busy_until is not None


class SyncStatusArea(QObject):
    """A window's sync: the worker, its widgets in the status bar, the upload queue and the enrollment dialog.

    The worker starts once it is known there is a server (:meth:`start`: ``SyncService.status()`` reads the OS
    keyring, which can wait on the OS, so on the network pool, never holding up a save) and stops with the window
    (:meth:`stop`) or when the application quits.

    Attributes:
        controller: the background worker's controller.
        status: where sync stood at the last look (None before the first).
        label: the status bar's sync line.
        clock_label: "本机时钟不准", shown while the server says this machine's clock is off.
        enroll_button: "注册本工位…", shown while the workstation is not (or no longer) enrolled.

    Signals:
        status_shown(object): a new sync status is shown (the ``SyncStatus``).
        panel_opened(object): the upload queue was opened (the ``SyncPanel``).
        enroll_opened(object): the enrollment dialog was opened (the ``EnrollDialog``).
    """

    status_shown = Signal(object)
    panel_opened = Signal(object)
    enroll_opened = Signal(object)

    def __init__(self, context: UiContext, window: QMainWindow, *, pull_interval: float = PULL_INTERVAL) -> None:
        """Make the controller and the widgets (in ``window``'s status bar; the window places them: :meth:`widgets`).

        Args:
            window: the main window: dialogs open above it, F5 works anywhere in it.
            pull_interval: seconds between the background sync's pulls (tests make it short).
        """
        super().__init__(window)
        self.context = context
        self.window = window
        self.controller = self._make_controller(pull_interval)
        self.status: SyncStatus | None = None
        self._clock_warned = False
        self._panel: SyncPanel | None = None
        bar = window.statusBar()
        self.label = SyncStateLabel(bar)
        self.label.clicked.connect(self.open_panel)
        self.clock_label = QLabel(self.tr("本机时钟不准"), bar)
        self.clock_label.setObjectName("sync_clock")
        self.clock_label.setProperty("severity", "error")
        self.clock_label.hide()
        self.update_label = QLabel(bar)
        self.update_label.setObjectName("sync_update")
        self.update_label.hide()
        self.enroll_button = QPushButton(self.tr("注册本工位…"), bar)
        self.enroll_button.setObjectName("enroll")
        self.enroll_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.enroll_button.clicked.connect(self._enroll_clicked)
        self.enroll_button.hide()
        shortcut = QShortcut(QKeySequence(SYNC_KEYS), window)
        shortcut.activated.connect(self.open_panel)
        events = context.events
        events.changed.connect(self._record_changed)
        events.documents_changed.connect(self._documents_changed)

    def _make_controller(self, pull_interval: float) -> SyncController:
        controller = SyncController(self.context.services.sync, self.window, pull_interval=pull_interval)
        controller.round_finished.connect(self._round)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(controller.stop)
        return controller

    def _documents_changed(self) -> None:
        self.controller.nudge()

    def widgets(self) -> list[QWidget]:
        """The status bar's widgets, in order."""
        return [self.label, self.clock_label, self.update_label, self.enroll_button]

    def start(self) -> None:
        """Read where sync stands (network pool) and start the worker when the deployment has a server."""
        self.context.runner.run_net(self.context.services.sync.status, self._start_sync, owner=self, name="sync.status")

    def stop(self) -> None:
        """Stop the worker and wait for its thread (a round in progress finishes first)."""
        self.controller.stop()

    def restart(self) -> None:
        """Stop the worker and start a new one (a window shown again after its session was ended and kept)."""
        old = self.controller
        old.stop()
        self.controller = self._make_controller(old.pull_interval)
        old.deleteLater()
        self.start()

    def _start_sync(self, status: SyncStatus) -> None:
        self.show_status(status)
        if status.configured:
            self.controller.start()

    def _record_changed(self, _result: object) -> None:
        self.controller.nudge()

    def show_status(self, status: SyncStatus, error: YimenError | None = None) -> None:
        """Show where sync stands in the status bar; a clock warning once as a message too."""
        self.status = status
        self.label.show_status(status, error)
        self.enroll_button.setVisible(status.configured and (not status.enrolled or status.revoked))
        warnings = [render(w) for w in status.warnings]
        self.clock_label.setVisible(bool(warnings))
        self.clock_label.setToolTip("\n".join(warnings))
        if warnings and not self._clock_warned:
            for text in warnings:
                self.context.bridge.warning(text)
        self._clock_warned = bool(warnings)
        self._show_update(status)
        self.status_shown.emit(status)

    def _show_update(self, status: SyncStatus) -> None:
        """The update notice: below the server's minimum for everyone (red), an update due for supervisors and IT."""
        due = status.update
        if due is None or not (due.required or self.context.user.role in UPDATE_ROLES):
            self.update_label.hide()
            return
        if due.required:
            self.update_label.setText(
                self.tr("本工位程序版本过旧，已停止同步，请联系信息员升级到 {version}").format(version=due.version)
            )
            self.update_label.setToolTip(
                self.tr("中心服务器要求至少 {minimum}，本机是 {current}。记录都保存在本机，升级后自动上传。").format(
                    minimum=status.client_version_min or due.version, current=version()
                )
            )
        else:
            self.update_label.setText(self.tr("有新版本 {version}，请联系信息员升级").format(version=due.version))
            self.update_label.setToolTip(self.tr("本机是 {current}。").format(current=version()))
        self.update_label.setProperty("severity", ERROR if due.required else WARNING)
        self.update_label.style().unpolish(self.update_label)
        self.update_label.style().polish(self.update_label)
        self.update_label.show()

    def refresh_status(self) -> None:
        """Read where sync stands again (after the queue or the enrollment changed) and show it."""
        self.context.runner.run_net(self.context.services.sync.status, self.show_status, owner=self, name="sync.status")

    def _round(self, round_: SyncRound) -> None:
        previous = self.status
        self.show_status(round_.status, round_.error)
        counts = (round_.status.pending, round_.status.quarantined)
        if round_.changed_records or (previous is not None and (previous.pending, previous.quarantined) != counts):
            self.context.events.synced.emit()

    # ------------------------------------------------------------------ the panel and enrollment

    def open_panel(self) -> SyncPanel:
        """Show the upload queue (non-blocking; one at a time)."""
        if self._panel is not None and Shiboken.isValid(self._panel) and self._panel.isVisible():
            self._panel.raise_()
            self._panel.activateWindow()
            return self._panel
        panel = SyncPanel(self.context, self.controller, self.window)
        panel.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        panel.retried.connect(self._queue_changed)
        panel.enroll_requested.connect(functools.partial(self.open_enrollment, panel))
        self._panel = panel
        panel.open()
        self.panel_opened.emit(panel)
        return panel

    def _queue_changed(self, _count: int) -> None:
        self.refresh_status()
        self.context.events.synced.emit()

    def _enroll_clicked(self) -> None:
        self.open_enrollment()

    def open_enrollment(self, parent: QWidget | None = None) -> EnrollDialog:
        """Ask for the one-time code and enroll this workstation (non-blocking; above ``parent`` when given)."""
        dialog = EnrollDialog(self.context, parent or self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.enrolled.connect(self._enrolled)
        dialog.open()
        self.enroll_opened.emit(dialog)
        return dialog

    def _enrolled(self) -> None:
        self.context.bridge.info(self.tr("本工位已在中心服务器注册，开始上传记录。"))
        self.controller.start()
        self.controller.sync_now()
        self.refresh_status()
        if self._panel is not None and Shiboken.isValid(self._panel):
            self._panel.reload()
