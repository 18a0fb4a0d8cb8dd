"""Sync at the counter: the background worker's rounds as Qt signals, the status bar's sync label, the upload queue
panel and the enrollment dialog (ARCHITECTURE.md invariants 8 and 9; docs/sync-protocol.md).

The worker (:class:`app.sync.worker.SyncWorker`) is a plain thread of the core: it pushes right after a save
(:meth:`SyncController.nudge`), pulls periodically and backs off while the server cannot be reached.  Its listener
runs on that thread; :class:`SyncController` posts each round to the GUI thread through a queued signal, so no widget
is touched off the GUI thread and no network call runs on it.  Putting quarantined events back is database work (the
runner's database worker); enrolling waits on the server, and reading the status waits on the OS keyring (both on
the runner's network pool).

objectNames: ``sync_state`` (the status bar's label; a click opens the panel); ``sync_panel``,
``sync_panel_summary``, ``sync_queue``, ``sync_retry``, ``sync_enroll``, ``sync_close``; ``enroll_dialog``,
``enroll_place``, ``enroll_code``, ``enroll_code.message``, ``enroll_submit``, ``enroll_cancel``.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import threading
import uuid
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QMouseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.bootstrap import Services
from app.errors import DeviceRevokedError, NotEnrolledError, YimenError
from app.i18n import QT_TRANSLATE_NOOP
from app.intake import labels
from app.sync.credentials import Credential
from app.sync.service import QueueRow, SyncReport, SyncService, SyncStatus
from app.sync.worker import PULL_INTERVAL, SyncWorker
from ui.i18n import render, translate
from ui.messages import MessageBridge
from ui.tasks import TaskRunner
from ui.widgets import ERROR, NEUTRAL, WARNING, MessageLabel, RowsTableModel

log = logging.getLogger("yimen.ui.sync")

SHANGHAI = ZoneInfo("Asia/Shanghai")
#: Opens the upload queue (F2 受理, F3 查询, F4 叫号 are taken; F5 is the next key and means "refresh" to most people).
SYNC_KEYS = "F5"
QUEUE_LIMIT = 500

# The outbox's event types as the queue names them (app.sync.protocol.EventType values).
EVENT_NAMES = {
    "application.taken": QT_TRANSLATE_NOOP("sync", "受理登记"),
    "application.supplemented": QT_TRANSLATE_NOOP("sync", "补正收件"),
    "application.corrected": QT_TRANSLATE_NOOP("sync", "更正"),
    "application.voided": QT_TRANSLATE_NOOP("sync", "作废"),
    "document.issued": QT_TRANSLATE_NOOP("sync", "出具文书"),
    "document.reprinted": QT_TRANSLATE_NOOP("sync", "补打文书"),
}
QUARANTINED = "quarantined"


def event_name(event_type: str) -> str:
    """An outbox event's type in the clerk's words (the raw type when it is one this UI does not know)."""
    name = EVENT_NAMES.get(event_type)
    return translate("sync", name) if name else event_type


def short_time(when: dt.datetime, *, now: dt.datetime | None = None) -> str:
    """``HH:MM`` in Shanghai time; with the date in front when it is not today."""
    local = when.astimezone(SHANGHAI)
    today = (now or dt.datetime.now(dt.UTC)).astimezone(SHANGHAI).date()
    return local.strftime("%H:%M") if local.date() == today else local.strftime("%m-%d %H:%M")


@dataclass(frozen=True)
class SyncRound:
    """One round of the background worker, as its listener reported it.

    Attributes:
        status: where sync stands after the round.
        error: the expected failure that ended the round (None when it went through).
        report: what was pushed and pulled (None when the round failed).
    """

    status: SyncStatus
    error: YimenError | None
    report: SyncReport | None

    @property
    def changed_records(self) -> bool:
        """The round changed what the list shows: something was acknowledged, quarantined or pulled down."""
        report = self.report
        return report is not None and bool(report.push.sent or report.push.quarantined or report.pull.applied)


class _Gate:
    """Whether the worker's listener may still post to the controller (shared with the stop hook, which may run
    while the controller's C++ side is being deleted, so it holds no reference to the controller)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.closed = False


def _stop_worker(worker: SyncWorker | None, gate: _Gate, *_signal_args: object) -> None:
    with gate.lock:
        gate.closed = True
    if worker is not None and worker.running:
        if _join(worker):
            log.info("sync worker stopped")
        else:
            log.info("sync worker still finishing a round; it stops on its own (nothing more is shown)")


def _join(worker: SyncWorker) -> bool:
    """Stop ``worker``, waiting up to its timeout for a round in progress; True when its thread has ended."""
    worker.stop()
    return not worker.running


class SyncController(QObject):
    """Owns a window's background sync worker and hands its rounds to the GUI thread.

    The worker is started once the window knows the deployment has a server (:meth:`start`) and stopped when the
    window closes or the application quits (:meth:`stop`, which waits for the thread); a controller deleted without
    ``stop()`` stops its worker from its ``destroyed`` signal.

    Attributes:
        last: the last round delivered (None before the first).

    Signals:
        round_finished(object): a round ended (a :class:`SyncRound`), delivered on the GUI thread.
    """

    round_finished = Signal(object)
    _posted = Signal(object)  # a SyncRound, emitted on the worker thread, received (queued) on the GUI thread

    def __init__(
        self, service: SyncService, parent: QObject | None = None, *, pull_interval: float = PULL_INTERVAL
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.pull_interval = pull_interval
        self.last: SyncRound | None = None
        self._worker: SyncWorker | None = None
        self._gate = _Gate()
        self._posted.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    @property
    def running(self) -> bool:
        """True while the worker thread runs."""
        return self._worker is not None and self._worker.running

    def start(self) -> None:
        """Start the worker (its first round runs at once); a second call, or one after :meth:`stop`, does nothing."""
        if self._worker is not None or self._gate.closed:
            return
        worker = SyncWorker(self.service, self._listen, pull_interval=self.pull_interval)
        self._worker = worker
        self.destroyed.connect(functools.partial(_stop_worker, worker, self._gate))
        worker.start()
        log.info("sync worker started (pull every %g s)", self.pull_interval)

    def nudge(self) -> None:
        """A record was saved: push it now (unless the worker is backing off after a failure)."""
        if self._worker is not None:
            self._worker.nudge()

    def sync_now(self) -> None:
        """Try a round at once, whatever the backoff ("立即重试")."""
        if self._worker is not None:
            self._worker.sync_now()

    def stop(self) -> None:
        """Stop the worker and wait for its thread (a round in progress finishes first)."""
        _stop_worker(self._worker, self._gate)

    def _listen(self, status: SyncStatus, error: YimenError | None, report: SyncReport | None) -> None:
        # The worker thread: post the round, unless the controller is stopping.
        with self._gate.lock:
            if self._gate.closed:
                return
            try:
                self._posted.emit(SyncRound(status, error, report))
            except RuntimeError:  # the C++ side is already gone (deleted before its destroyed hook ran)
                self._gate.closed = True

    def _deliver(self, round_: SyncRound) -> None:
        # The GUI thread.
        self.last = round_
        self.round_finished.emit(round_)


# ---------------------------------------------------------------------------------------------------- status bar


class SyncStateLabel(QLabel):
    """The status bar's sync line: 在线 / 离线 / 未注册 / 凭证已吊销, the queue and the last successful sync.

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
        if status.quarantined:
            parts.append(self.tr("被拒收 {n}").format(n=status.quarantined))
            severity = ERROR
        if status.last_success_at is not None:
            parts.append(self.tr("上次同步 {time}").format(time=short_time(status.last_success_at)))
        self.setText(" · ".join(parts))
        problem = render(error.message) if error is not None else status.last_error
        lines = [problem] if problem else []
        lines.append(self.tr("点击或按 {keys} 查看上传队列。").format(keys=SYNC_KEYS))
        self.setToolTip("\n".join(lines))
        self._set_severity(severity)

    def _state(self, status: SyncStatus, error: YimenError | None) -> tuple[str, str]:
        if status.revoked or isinstance(error, DeviceRevokedError):
            return self.tr("凭证已吊销"), ERROR
        if not status.enrolled or isinstance(error, NotEnrolledError):
            return self.tr("未注册"), WARNING
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


# ---------------------------------------------------------------------------------------------------- the panel


class QueueModel(RowsTableModel):
    """The outbox events the server has not acknowledged: quarantined first, then pending, each in ``seq`` order."""

    COLUMNS = ("acceptance_no", "event", "time", "state", "attempts", "reason")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[QueueRow] = []
        self._headers = [
            self.tr("受理编号"),
            self.tr("内容"),
            self.tr("记录时间"),
            self.tr("状态"),
            self.tr("已尝试"),
            self.tr("原因"),
        ]

    def _role(self, row: QueueRow, column: str, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column == "reason" and row.last_error:
            return row.last_error
        if role == Qt.ItemDataRole.ForegroundRole and column == "state" and row.state == QUARANTINED:
            return QBrush(QColor("#c62828"))
        return None

    def _text(self, row: QueueRow, column: str) -> str:
        if column == "acceptance_no":
            return row.acceptance_no or "—"
        if column == "event":
            return event_name(row.event_type)
        if column == "time":
            return row.created_at.astimezone(SHANGHAI).strftime("%m-%d %H:%M")
        if column == "state":
            return render(labels.sync_label("rejected" if row.state == QUARANTINED else "pending"))
        if column == "attempts":
            return str(row.attempts)
        return row.last_error or ""


class SyncPanel(QDialog):
    """The upload queue: what waits for the server and what it refused (with its reason), and "立即重试".

    "立即重试" puts the selected quarantined events back in the queue (all of them when none is selected), on the
    database worker, and asks the worker for a round at once.  The panel reloads after each round that moved something.

    Signals:
        loaded(int): the queue was read (the number of rows).
        retried(int): quarantined events were put back in the queue (how many).
        enroll_requested(): the clerk asked to enroll the workstation.
    """

    loaded = Signal(int)
    retried = Signal(int)
    enroll_requested = Signal()

    def __init__(
        self,
        services: Services,
        runner: TaskRunner,
        bridge: MessageBridge,
        controller: SyncController,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("sync_panel")
        self.setWindowTitle(self.tr("上传队列"))
        self.resize(980, 520)
        self.services = services
        self.runner = runner
        self.bridge = bridge
        self.controller = controller
        self.status: SyncStatus | None = None
        layout = QVBoxLayout(self)
        self.summary = QLabel(self.tr("正在读取……"), self)
        self.summary.setObjectName("sync_panel_summary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary)
        self.model = QueueModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("sync_queue")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(QueueModel.COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        hint = QLabel(
            self.tr(
                "被拒收的记录须由信息员查明原因后再重试。“立即重试”把所选的被拒收记录（未选时为全部）重新排队，"
                "并立即连接中心服务器。"
            ),
            self,
        )
        hint.setProperty("role", "hint")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        buttons = QHBoxLayout()
        self.enroll_button = QPushButton(self.tr("注册本工位…"), self)
        self.enroll_button.setObjectName("sync_enroll")
        self.enroll_button.setAutoDefault(False)
        self.enroll_button.hide()
        self.retry_button = QPushButton(self.tr("立即重试"), self)
        self.retry_button.setObjectName("sync_retry")
        self.retry_button.setAutoDefault(True)
        self.close_button = QPushButton(self.tr("关闭 (Esc)"), self)
        self.close_button.setObjectName("sync_close")
        self.close_button.setAutoDefault(False)
        buttons.addWidget(self.enroll_button)
        buttons.addStretch(1)
        buttons.addWidget(self.retry_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self.retry_button.clicked.connect(self.retry)
        self.enroll_button.clicked.connect(self.enroll_requested)
        self.close_button.clicked.connect(self.reject)
        controller.round_finished.connect(self._round_finished)
        self.retry_button.setFocus()
        self.reload()

    def reload(self) -> None:
        """Read the status and the queue again (on the network pool: ``status()`` reads the OS keyring, which may
        wait on the OS, and must not hold up the saves queued on the database worker; the reads are WAL reads)."""
        sync = self.services.sync

        def read() -> tuple[SyncStatus, list[QueueRow]]:
            return sync.status(), sync.queue(QUEUE_LIMIT)

        self.runner.run_net(read, self._loaded, owner=self, name="sync.queue")

    def _loaded(self, found: tuple[SyncStatus, list[QueueRow]]) -> None:
        status, rows = found
        self.status = status
        selected = set(self.selected_ids())
        self.model.set_rows(rows)
        for number, row in enumerate(rows):
            if row.event_id in selected:
                self.table.selectRow(number)
        self.summary.setText(self._summary(status))
        self.enroll_button.setVisible(status.configured and (not status.enrolled or status.revoked))
        self.loaded.emit(len(rows))

    def _summary(self, status: SyncStatus) -> str:
        lines = [
            self.tr("待上传 {pending} 条，被拒收 {quarantined} 条。").format(
                pending=status.pending, quarantined=status.quarantined
            )
        ]
        if not status.configured:
            lines.append(self.tr("本工位未配置中心服务器，记录只保存在本机。"))
        if status.last_success_at is not None:
            lines.append(self.tr("上次同步成功：{time}").format(time=_full_time(status.last_success_at)))
        if status.last_attempt_at is not None:
            lines.append(self.tr("上次尝试：{time}").format(time=_full_time(status.last_attempt_at)))
        if status.last_error:
            lines.append(self.tr("最近的问题：{error}").format(error=status.last_error))
        lines.extend(render(w) for w in status.warnings)
        return "\n".join(lines)

    def selected_ids(self) -> list[uuid.UUID]:
        """The event ids of the selected rows."""
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        return [self.model.rows[r].event_id for r in sorted(rows) if r < len(self.model.rows)]

    def retry(self) -> None:
        """Put the selected (or all) quarantined events back in the queue, then sync at once."""
        chosen = {row.event_id for row in self.model.rows if row.state == QUARANTINED}
        selected = [event_id for event_id in self.selected_ids() if event_id in chosen]
        event_ids: list[uuid.UUID] | None = selected or None
        sync = self.services.sync
        self.retry_button.setEnabled(False)
        self.runner.run_db(
            lambda: sync.retry_quarantined(event_ids),
            self._retried,
            self._retry_failed,
            owner=self,
            name="sync.retry",
        )

    def _retried(self, count: int) -> None:
        self.retry_button.setEnabled(True)
        if count:
            self.bridge.info(self.tr("已将 {n} 条被拒收的记录重新排队，正在上传。").format(n=count))
        else:
            self.bridge.status(self.tr("正在连接中心服务器……"))
        self.controller.sync_now()
        self.retried.emit(count)
        self.reload()

    def _retry_failed(self, error: YimenError) -> None:
        self.retry_button.setEnabled(True)
        self.bridge.failure(error)

    def _round_finished(self, round_: SyncRound) -> None:
        # Only when something moved: a reload resets the table, and a round runs every minute.
        shown = self.status
        counts = (round_.status.pending, round_.status.quarantined)
        if round_.changed_records or shown is None or (shown.pending, shown.quarantined) != counts:
            self.reload()
        else:
            self.summary.setText(self._summary(round_.status))


def _full_time(when: dt.datetime) -> str:
    return when.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


# ---------------------------------------------------------------------------------------------------- enrollment


class EnrollDialog(QDialog):
    """Enrolls the workstation with the one-time code IT gives (the call waits on the server: network pool).

    Signals:
        enrolled(): the workstation was enrolled; its credential is in the keyring.
    """

    enrolled = Signal()

    def __init__(self, services: Services, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("enroll_dialog")
        self.setWindowTitle(self.tr("注册本工位"))
        self.services = services
        self.runner = runner
        deployment = services.deployment
        layout = QVBoxLayout(self)
        place = QLabel(
            self.tr("本工位：{center} {window}（{center_code}-{workstation}）\n中心服务器：{url}").format(
                center=deployment.center_name,
                window=deployment.window_name,
                center_code=deployment.center_code,
                workstation=deployment.workstation_code,
                url=deployment.server_url,
            ),
            self,
        )
        place.setObjectName("enroll_place")
        place.setWordWrap(True)
        layout.addWidget(place)
        prompt = QLabel(self.tr("一次性注册码（向信息员索取）"), self)
        layout.addWidget(prompt)
        self.code = QLineEdit(self)
        self.code.setObjectName("enroll_code")
        prompt.setBuddy(self.code)
        layout.addWidget(self.code)
        self.message = MessageLabel("enroll_code", self)
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        self.submit_button = QPushButton(self.tr("注册"), self)
        self.submit_button.setObjectName("enroll_submit")
        self.submit_button.setDefault(True)
        cancel = QPushButton(self.tr("取消"), self)
        cancel.setObjectName("enroll_cancel")
        cancel.setAutoDefault(False)
        buttons.addStretch(1)
        buttons.addWidget(self.submit_button)
        buttons.addWidget(cancel)
        layout.addLayout(buttons)
        self.submit_button.clicked.connect(self.submit)
        cancel.clicked.connect(self.reject)
        self.code.setFocus()

    def submit(self) -> None:
        """Send the code to the server (off the GUI thread)."""
        code = self.code.text().strip()
        if not code:
            self.message.show_text(self.tr("请输入信息员给出的注册码。"), ERROR)
            self.code.setFocus()
            return
        self.submit_button.setEnabled(False)
        self.message.show_text(self.tr("正在连接中心服务器……"), NEUTRAL)
        sync = self.services.sync
        self.runner.run_net(lambda: sync.enroll(code), self._done, self._failed, owner=self, name="sync.enroll")

    def _done(self, _credential: Credential) -> None:
        self.submit_button.setEnabled(True)
        self.enrolled.emit()
        self.accept()

    def _failed(self, error: YimenError) -> None:
        self.submit_button.setEnabled(True)
        self.message.show_text(render(error.message), ERROR)
        self.code.setFocus()
        self.code.selectAll()
