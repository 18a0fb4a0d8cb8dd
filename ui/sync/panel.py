"""The upload queue (F5): what waits for the server and what it refused, with its reason, and "立即重试".

Putting quarantined events back is database work (the runner's database worker); reading the status waits on the
OS keyring (the runner's network pool).

objectNames: ``sync_panel``, ``sync_panel_summary``, ``sync_queue``, ``sync_retry``, ``sync_enroll``, ``sync_close``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import YimenError
from app.i18n import QT_TRANSLATE_NOOP
from app.intake import labels
from app.sync.service import QueueRow, SyncStatus
from ui.context import UiContext
from ui.i18n import render, translate
from ui.sync.controller import SyncController, SyncRound
from ui.widgets import RowsTableModel

SHANGHAI = ZoneInfo("Asia/Shanghai")
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


class QueueModel(RowsTableModel):
    """The outbox events the server has not acknowledged: quarantined first, then pending, each in ``seq`` order."""

    COLUMNS = ("acceptance_no", "event", "time", "state", "attempts", "reason")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[QueueRow] = []
        self._headers = [
            self.tr("办件编号"),
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
        context: UiContext,
        controller: SyncController,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("sync_panel")
        self.setWindowTitle(self.tr("上传队列"))
        self.resize(980, 520)
        self.context = context
        self.services = context.services
        self.runner = context.runner
        self.bridge = context.bridge
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
        sync, user = self.services.sync, self.context.user
        self.retry_button.setEnabled(False)
        self.runner.run_db(
            lambda: sync.retry_quarantined(event_ids, by=user),
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
