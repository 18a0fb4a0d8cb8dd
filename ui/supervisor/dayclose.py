"""对账与日结: a day's sequence check and its comparison with the central server, application by application, and
the close (日结) with the supervisor's password asked again at that moment — and, when anything is open (unsynced,
refused, a gap, a difference, the server not reached), a written reason.  A closed day shows who closed it and when.

Both the reconciliation and the close wait on the server (``DayCloseService.reconcile`` fetches its side), so they
run on the runner's network pool.

objectNames: ``dayclose`` (the page), ``dayclose_day``, ``dayclose_reconcile``, ``dayclose_close``,
``dayclose_state``, ``dayclose_problem``, ``dayclose_totals``, ``sec_series``, ``sec_differences``, ``sec_cases``
(tables ``…_table``), ``dayclose_open``; the dialog ``close_dialog``, ``close_open_items``, ``close_password``,
``close_reason``, ``close_submit``, ``close_cancel``, ``close_password.message``, ``close_reason.message``,
``close.message``.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.errors import AuthError, ValidationError, YimenError
from app.i18n import QT_TRANSLATE_NOOP
from app.localtime import local_date
from app.reports.dayclose import EXPLAINED, DayCloseView, DayReconciliation, DifferenceKind
from app.security.permissions import Permission, allows
from ui.context import UiContext
from ui.i18n import render, translate
from ui.supervisor import names
from ui.supervisor.figures import day_edit, pause_timer, pydate
from ui.supervisor.tables import ALERT_MARK, Line, Section
from ui.widgets import ERROR, OK, WARNING, MessageLabel, open_dialog, submit_cancel

DIFFERENCE_NAMES = {
    DifferenceKind.NOT_SENT: QT_TRANSLATE_NOOP("supervisor", "尚未上传"),
    DifferenceKind.REFUSED: QT_TRANSLATE_NOOP("supervisor", "被拒收"),
    DifferenceKind.NOT_ON_SERVER: QT_TRANSLATE_NOOP("supervisor", "服务器上没有"),
    DifferenceKind.MISSING_ON_SERVER: QT_TRANSLATE_NOOP("supervisor", "服务器上缺事件"),
    DifferenceKind.UNKNOWN_HERE: QT_TRANSLATE_NOOP("supervisor", "本机没有"),
    DifferenceKind.MORE_ON_SERVER: QT_TRANSLATE_NOOP("supervisor", "服务器上事件更多"),
}


def difference_name(kind: DifferenceKind) -> str:
    """A difference's kind in the supervisor's words; an unexplained one carries the ⚠ mark."""
    text = translate(names.CONTEXT, DIFFERENCE_NAMES.get(kind, kind.value))
    return text if kind in EXPLAINED else f"{ALERT_MARK} {text}"


def close_text(close: DayCloseView) -> str:
    """Who closed the day and when."""
    return f"{close.closed_by_name or close.closed_by} · {names.local_time(close.closed_at, '%Y-%m-%d %H:%M')}"


class DayClosePage(QWidget):
    """The day's reconciliation and its close.

    Signals:
        reconciled(object): a reconciliation was shown (the ``DayReconciliation``).
        closed(object): the day was closed (the ``DayCloseView``).
        dialog_opened(object): the close dialog was opened (tests drive it).
    """

    reconciled = Signal(object)
    closed = Signal(object)
    dialog_opened = Signal(object)

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dayclose")
        self.context = context
        self.reconciliation: DayReconciliation | None = None
        self.dialog: CloseDialog | None = None
        self._seq = 0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        bar = QHBoxLayout()
        label = QLabel(self.tr("日期(&D)"), self)
        self.day = day_edit(local_date(context.services.intake.clock()), "dayclose_day", self)
        label.setBuddy(self.day)
        self.reconcile_button = QPushButton(self.tr("对账(&R)"), self)
        self.reconcile_button.setObjectName("dayclose_reconcile")
        self.reconcile_button.setAutoDefault(True)
        self.reconcile_button.clicked.connect(self.reconcile)
        self.close_button = QPushButton(self.tr("日结(&J)…"), self)
        self.close_button.setObjectName("dayclose_close")
        self.close_button.setAutoDefault(True)
        self.close_button.setEnabled(False)
        self.close_button.clicked.connect(self.open_close)
        self.close_button.setVisible(allows(context.user.role, Permission.CLOSE_DAY))
        bar.addWidget(label)
        bar.addWidget(self.day)
        bar.addWidget(self.reconcile_button)
        bar.addWidget(self.close_button)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.state = QLabel(self)
        self.state.setObjectName("dayclose_state")
        self.state.setProperty("role", "heading")
        self.state.setWordWrap(True)
        layout.addWidget(self.state)
        self.problem = MessageLabel("dayclose_problem", self, auto_hide=True)
        self.problem.setObjectName("dayclose_problem")
        layout.addWidget(self.problem)
        self.totals = QLabel(self)
        self.totals.setObjectName("dayclose_totals")
        self.totals.setWordWrap(True)
        layout.addWidget(self.totals)
        self.open_items = MessageLabel("dayclose_open", self, auto_hide=True)
        self.open_items.setObjectName("dayclose_open")
        layout.addWidget(self.open_items)
        scroller = QScrollArea(self)
        scroller.setWidgetResizable(True)
        body = QWidget(scroller)
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        self.series = Section(
            self.tr("编号连续性"),
            "sec_series",
            [self.tr("编号系列"), self.tr("第一个"), self.tr("最后一个"), self.tr("件数"), self.tr("检查结果")],
            body,
        )
        self.differences = Section(
            self.tr("与中心服务器的差异"),
            "sec_differences",
            [self.tr("办件编号"), self.tr("差异"), self.tr("说明")],
            body,
            max_rows=12,
            empty=self.tr("没有差异。"),
        )
        self.cases = Section(
            self.tr("逐件核对"),
            "sec_cases",
            [
                self.tr("办件编号"),
                self.tr("本机事件"),
                self.tr("已上传"),
                self.tr("待上传"),
                self.tr("被拒收"),
                self.tr("服务器事件"),
            ],
            body,
            max_rows=12,
        )
        for section in (self.series, self.differences, self.cases):
            column.addWidget(section)
        column.addStretch(1)
        scroller.setWidget(body)
        layout.addWidget(scroller, 1)
        # A day typed digit by digit asks the server once, when the typing pauses.
        self._day_timer = pause_timer(self, (self.day,), self.reconcile)

    def selected_day(self) -> dt.date:
        return pydate(self.day.date())

    def set_day(self, day: dt.date) -> None:
        self.day.setDate(QDate(day.year, day.month, day.day))

    def reconcile(self) -> None:
        """Compare the chosen day with the server (network pool)."""
        self._day_timer.stop()
        day, user, service = self.selected_day(), self.context.user, self.context.services.day_close
        self._seq += 1
        seq = self._seq
        self.state.setText(self.tr("正在对账……"))
        self.close_button.setEnabled(False)

        def done(result: DayReconciliation) -> None:
            if seq == self._seq:
                self.show_reconciliation(result)

        self.context.runner.run_net(
            lambda: service.reconcile(user, day), done, self._failed, owner=self, name="reconcile"
        )

    def _failed(self, error: YimenError) -> None:
        self.state.setText(self.tr("对账未能完成"))
        self.problem.show_text(render(error.message), ERROR)
        self.context.bridge.failure(error)

    def show_reconciliation(self, rec: DayReconciliation) -> None:
        self.reconciliation = rec
        if rec.closed is not None:
            self.state.setText(
                self.tr("{day} 已日结：{who}").format(day=rec.day.isoformat(), who=close_text(rec.closed))
                + (self.tr("（原因：{reason}）").format(reason=rec.closed.reason) if rec.closed.reason else "")
            )
        else:
            self.state.setText(self.tr("{day} 未日结").format(day=rec.day.isoformat()))
        self.close_button.setEnabled(rec.closed is None)
        if rec.server_reached:
            self.problem.clear_text()
            self.differences.empty.setText(self.tr("没有差异。"))
        else:
            unchecked = self.tr("未能与中心服务器核对：{problem}").format(
                problem=render(rec.problem) if rec.problem is not None else self.tr("服务器无法连接")
            )
            self.problem.show_text(unchecked, WARNING)
            # Nothing was compared: never "no difference" when the server was not asked.
            self.differences.empty.setText(unchecked)
        server = (
            self.tr("中心数据截至 {time}").format(time=names.local_time(rec.server_generated_at, "%H:%M"))
            if rec.server_reached
            else self.tr("未与中心核对")
        )
        self.totals.setText(
            self.tr(
                "本日办件 {n} 件 · 待上传事件 {unsynced} 个 · 被拒收 {quarantined} 个 · 差异 {diff} 项 · {server}"
            ).format(
                n=rec.applications,
                unsynced=rec.unsynced,
                quarantined=rec.quarantined,
                diff=len(rec.differences),
                server=server,
            )
        )
        items = rec.open_items
        if items and rec.closed is None:
            self.open_items.show_text(
                self.tr("日结前请处理，或在日结时写明原因：") + "".join(f"\n· {render(m)}" for m in items), WARNING
            )
        elif rec.closed is None:
            self.open_items.show_text(self.tr("编号连续，与中心服务器一致，可以日结。"), OK)
        else:
            self.open_items.clear_text()
        series_lines = []
        for s in rec.series:
            mark = s.mark or self.tr("首个系列")
            checks = []
            if s.changed_from is not None:
                checks.append(self.tr("恢复后启用的新系列（接续第 {n} 系列，不是缺号）").format(n=s.changed_from))
            for g in s.gaps:
                span = g.first if g.first == g.last else f"{g.first}～{g.last}"
                held = self.tr("，服务器上有 {n} 个").format(n=g.on_server) if g.on_server else ""
                checks.append(
                    f"{ALERT_MARK} " + self.tr("缺号 {span}（{n} 个{held}）").format(span=span, n=g.count, held=held)
                )
            series_lines.append(
                Line(
                    (mark, s.first or "—", s.last or "—", str(s.count), "；".join(checks) or self.tr("连续")),
                    alert=bool(s.gaps),
                )
            )
        self.series.set_lines(series_lines)
        self.differences.set_lines(
            [
                Line(
                    (d.acceptance_no, difference_name(d.kind), render(d.message)),
                    alert=not d.explained,
                    tip=render(d.message),
                )
                for d in rec.differences
            ]
        )
        self.cases.set_lines(
            [
                Line(
                    (
                        c.acceptance_no + (self.tr("（已清除）") if c.purged else ""),
                        str(c.local_events) if c.here else "—",
                        str(c.sent),
                        str(c.pending),
                        str(c.quarantined),
                        "—" if c.server_events is None else str(c.server_events),
                    ),
                    alert=c.quarantined > 0 or not c.here,
                )
                for c in rec.cases
            ]
        )
        self.reconciled.emit(rec)

    def open_close(self) -> CloseDialog | None:
        """Ask for the password (and a reason when something is open) and close the day."""
        rec = self.reconciliation
        if rec is None or rec.closed is not None:
            return None
        dialog = CloseDialog(self.context, rec, self)
        dialog.done_closing.connect(self._closed)
        self.dialog = dialog
        open_dialog(dialog, self._dialog_finished)
        self.dialog_opened.emit(dialog)
        return dialog

    def _dialog_finished(self, _result: int) -> None:
        self.dialog = None

    def _closed(self, view: DayCloseView) -> None:
        self.context.bridge.info(self.tr("{day} 已日结。").format(day=view.day.isoformat()))
        self.closed.emit(view)
        self.reconcile()


class CloseDialog(QDialog):
    """日结: the open items, the supervisor's own password, and the reason when anything is open.

    Signals:
        done_closing(object): the day was closed (the ``DayCloseView``).
    """

    done_closing = Signal(object)

    def __init__(self, context: UiContext, rec: DayReconciliation, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("close_dialog")
        self.context = context
        self.rec = rec
        self.setWindowTitle(self.tr("日结 {day}").format(day=rec.day.isoformat()))
        self.resize(600, 380)
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "日结后，本日的办件不能再由窗口人员办理或修改；确需更正或作废的，由值班长本人录入并批准，"
                "记入办理当天的报表并标明“日结后更改”。"
            ),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.open_items = QLabel(self)
        self.open_items.setObjectName("close_open_items")
        self.open_items.setWordWrap(True)
        items = rec.open_items
        if items:
            self.open_items.setText(
                self.tr("本日还有未了结的事项：") + "\n" + "\n".join(f"· {render(m)}" for m in items)
            )
            self.open_items.setProperty("severity", "warning")
        else:
            self.open_items.setText(self.tr("编号连续，与中心服务器一致。"))
            self.open_items.setProperty("severity", "ok")
        layout.addWidget(self.open_items)
        form = QFormLayout()
        self.password = QLineEdit(self)
        self.password.setObjectName("close_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_message = MessageLabel("close_password", self, auto_hide=True)
        self.reason = QPlainTextEdit(self)
        self.reason.setObjectName("close_reason")
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(self.reason.fontMetrics().lineSpacing() * 3 + 14)
        self.reason.setPlaceholderText(
            self.tr("写明未了结事项的原因和处理安排（必填）") if items else self.tr("没有未了结事项，可不填")
        )
        self.reason_message = MessageLabel("close_reason", self, auto_hide=True)
        form.addRow(self.tr("值班长 {name} 的密码(&P)").format(name=context.user.display_name), self.password)
        form.addRow("", self.password_message)
        form.addRow(self.tr("原因(&Y)"), self.reason)
        form.addRow("", self.reason_message)
        layout.addLayout(form)
        self.message = MessageLabel("close", self, auto_hide=True)
        layout.addWidget(self.message)
        buttons, self.submit = submit_cancel(self, "close", self.tr("确认日结"), self.tr("取消"), self.close_day)
        layout.addLayout(buttons)
        # Enter in the password goes on to the reason when one is needed, instead of the dialog's default button.
        self.password.installEventFilter(self)
        self.password.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if (
            watched is self.password
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self._password_entered()
            return True
        return super().eventFilter(watched, event)

    def _password_entered(self) -> None:
        if self.rec.open_items and not self.reason.toPlainText().strip():
            self.reason.setFocus()
        else:
            self.close_day()

    def close_day(self) -> None:
        """Close the day with the typed password and reason (network pool: the close reconciles once more)."""
        if not self.submit.isEnabled():
            return
        for label in (self.password_message, self.reason_message, self.message):
            label.clear_text()
        password = self.password.text()
        if not password:
            self.password_message.show_text(self.tr("请输入您的密码确认日结。"), ERROR)
            self.password.setFocus()
            return
        reason = self.reason.toPlainText().strip() or None
        service, user, day = self.context.services.day_close, self.context.user, self.rec.day
        self.submit.setEnabled(False)
        self.context.runner.run_net(
            lambda: service.close(user, day, password, reason), self._done, self._failed, owner=self, name="close_day"
        )

    def _done(self, view: DayCloseView) -> None:
        self.done_closing.emit(view)
        self.accept()

    def _failed(self, error: YimenError) -> None:
        self.submit.setEnabled(True)
        text = render(error.message)
        if isinstance(error, AuthError):
            self.password_message.show_text(text, ERROR)
            self.password.clear()
            self.password.setFocus(Qt.FocusReason.OtherFocusReason)
        elif isinstance(error, ValidationError) and error.field == "reason":
            self.reason_message.show_text(text, ERROR)
            self.reason.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.message.show_text(text, ERROR)
            self.submit.setFocus(Qt.FocusReason.OtherFocusReason)
