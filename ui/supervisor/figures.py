"""今日概况 / 统计 (and a clerk's 我的统计): the figures of a period, for this workstation or the whole center.

The period is one day (today by default) or a range; the scope 本窗口 reads the workstation's own store
(``services.reports.day_summary`` on the database worker), 全中心 asks the central server
(``services.reports.center_figures`` on the network pool) and says when the center's figures were fetched
("中心数据截至 HH:MM"); offline it shows the last fetched copy, marked as old, with the reason.  A clerk's page has
no scope switch and no exports: the core gives a clerk their own figures only, whatever the screen asks.

Every section of :class:`app.reports.figures.Summary` is a table (by item, by first decision, 补正 return visits,
by clerk, by hour, 办理时长, ratings, 差评, deadlines, 更正/作废), with the sync state of the workstation (what
waits, how long, what the server refused and why) or of the center (each workstation's last upload, the silent ones
marked, and which closed the day); three charts (by hour, by item, ratings).  Exports (PDF, XLSX, CSV) go through
the daily report (:mod:`app.reports.report`), drawn or written on the renderer thread; a PDF is then shown as written
(:mod:`ui.supervisor.report_view`).  The period's ratings and 差评 follow-ups are exported as CSV or JSON
(app/reports/ratings_export.py), with the full phone numbers only when 「完整电话号码」 is ticked (a supervisor's,
audited in the core).

objectNames: ``figures`` (the page), ``figures_first``, ``figures_last``, ``figures_scope``, ``figures_refresh``,
``figures_header``, ``figures_problem``, ``figures_totals``, ``export_pdf``, ``export_xlsx``, ``export_csv``,
``export_full_ids``, ``export_ratings_csv``, ``export_ratings_json``, ``export_full_phones``;
the sections ``sec_<name>`` (tables ``sec_<name>_table``); the charts ``chart_hours``,
``chart_items``, ``chart_ratings``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from PySide6.QtCore import QDate, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.domain import RatingLevel
from app.errors import YimenError
from app.localtime import local_date
from app.reports import figures
from app.reports import report as daily
from app.security.permissions import Permission, allows
from ui.context import UiContext
from ui.i18n import render
from ui.supervisor import names
from ui.supervisor.charts import BarChart
from ui.supervisor.report_view import ReportView, show_report
from ui.supervisor.tables import ALERT_MARK, Line, Section
from ui.widgets import ERROR, WARNING, FlowLayout, MessageLabel

WORKSTATION = "workstation"
CENTER = "center"
#: A date changed by typing is read once the typing pauses this long.
DATE_PAUSE_MS = 600


def qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def pydate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def day_edit(day: dt.date, name: str, parent: QWidget) -> QDateEdit:
    """A date field (``yyyy-MM-dd``, with a calendar) showing ``day``, named ``name``."""
    edit = QDateEdit(qdate(day), parent)
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def pause_timer(parent: QObject, edits: Sequence[QDateEdit], slot: Callable[[], None]) -> QTimer:
    """Call ``slot`` once the typing in ``edits`` pauses (:data:`DATE_PAUSE_MS`), not at every digit."""
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(DATE_PAUSE_MS)
    timer.timeout.connect(slot)
    for edit in edits:
        edit.dateChanged.connect(lambda _d: timer.start())
    return timer


@dataclass(frozen=True)
class Shown:
    """What the page shows now: the scope, the period and the core's answer (a ``WorkstationSummary`` or a
    ``CenterView``)."""

    scope: str
    first: dt.date
    last: dt.date
    answer: Any


class FiguresPage(QWidget):
    """The figures of a period, with the period, the scope, the charts, the tables and the exports.

    Signals:
        loaded(object): figures were shown (the :class:`Shown`).
        exported(str): an export was written (its path).
    """

    loaded = Signal(object)
    exported = Signal(str)

    def __init__(self, context: UiContext, parent: QWidget | None = None, *, own_only: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("figures")
        self.context = context
        self.services = context.services
        self.user = context.user
        # A clerk's page: their own figures, no scope switch, no exports (the core enforces it all the same).
        self.own_only = own_only or not allows(self.user.role, Permission.ALL_FIGURES)
        self.shown: Shown | None = None
        self.report_view: ReportView | None = None
        self._seq = 0
        today = self.today()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        # The controls flow on to a second line where the window is narrow (1366×768 at 150 %), in groups that stay
        # whole: the period, the scope, the query, the exports.
        controls = QWidget(self)
        controls.setObjectName("figures_controls")
        bar = FlowLayout(controls, spacing=10)
        period_group, period_row = _group(controls)
        period = QLabel(self.tr("期间(&D)"), period_group)
        self.first = day_edit(today, "figures_first", period_group)
        period.setBuddy(self.first)
        self.last = day_edit(today, "figures_last", period_group)
        self.first.dateChanged.connect(self._first_changed)
        for widget in (period, self.first, QLabel(self.tr("至"), period_group), self.last):
            period_row.addWidget(widget)
        bar.addWidget(period_group)
        scope_group, scope_row = _group(controls)
        scope_label = QLabel(self.tr("范围(&S)"), scope_group)
        self.scope = QComboBox(scope_group)
        self.scope.setObjectName("figures_scope")
        self.scope.addItem(self.tr("本窗口"), WORKSTATION)
        self.scope.addItem(self.tr("全中心"), CENTER)
        scope_label.setBuddy(self.scope)
        scope_row.addWidget(scope_label)
        scope_row.addWidget(self.scope)
        bar.addWidget(scope_group)
        self.refresh = QPushButton(self.tr("查询(&Q)"), controls)
        self.refresh.setObjectName("figures_refresh")
        self.refresh.setAutoDefault(True)
        self.refresh.clicked.connect(self.load)
        bar.addWidget(self.refresh)
        export_group, export_row = _group(controls)
        self.export_pdf = QPushButton(self.tr("导出 PDF"), export_group)
        self.export_pdf.setObjectName("export_pdf")
        self.export_xlsx = QPushButton(self.tr("导出 XLSX"), export_group)
        self.export_xlsx.setObjectName("export_xlsx")
        self.export_csv = QPushButton(self.tr("导出 CSV"), export_group)
        self.export_csv.setObjectName("export_csv")
        self.full_ids = QCheckBox(self.tr("完整证件号码"), export_group)
        self.full_ids.setObjectName("export_full_ids")
        self.full_ids.setToolTip(self.tr("导出的清单中显示完整证件号码（会记入审计日志）；不勾选时只显示脱敏号码"))
        for button, kind in ((self.export_pdf, "pdf"), (self.export_xlsx, "xlsx"), (self.export_csv, "csv")):
            button.setAutoDefault(True)
            button.clicked.connect(lambda _=False, k=kind: self.export(k))
            export_row.addWidget(button)
        export_row.addWidget(self.full_ids)
        bar.addWidget(export_group)
        # The period's ratings and 差评 follow-ups of this workstation (docs/ratings-export.md), CSV or JSON.
        ratings_group, ratings_row = _group(controls)
        self.export_ratings_csv = QPushButton(self.tr("导出评价 CSV"), ratings_group)
        self.export_ratings_csv.setObjectName("export_ratings_csv")
        self.export_ratings_json = QPushButton(self.tr("导出评价 JSON"), ratings_group)
        self.export_ratings_json.setObjectName("export_ratings_json")
        self.full_phones = QCheckBox(self.tr("完整电话号码"), ratings_group)
        self.full_phones.setObjectName("export_full_phones")
        self.full_phones.setToolTip(
            self.tr("导出的评价中显示群众留下的完整电话号码（会记入审计日志）；不勾选时只显示脱敏号码")
        )
        for button, kind in ((self.export_ratings_csv, "csv"), (self.export_ratings_json, "json")):
            button.setAutoDefault(True)
            button.setToolTip(self.tr("导出本工位所选期间的群众评价，以及期间内有回访整改记录的差评"))
            button.clicked.connect(lambda _=False, k=kind: self.export_ratings(k))
            ratings_row.addWidget(button)
        ratings_row.addWidget(self.full_phones)
        bar.addWidget(ratings_group)
        # A clerk: no scope switch, no exports (the core refuses them all the same).
        scope_group.setVisible(not self.own_only)
        export_group.setVisible(not self.own_only)
        ratings_group.setVisible(not self.own_only)
        self.full_ids.setVisible(not self.own_only and allows(self.user.role, Permission.FULL_ID_EXPORT))
        self.full_phones.setVisible(not self.own_only and allows(self.user.role, Permission.FULL_ID_EXPORT))
        layout.addWidget(controls)
        self.header = QLabel(self)
        self.header.setObjectName("figures_header")
        self.header.setProperty("role", "heading")
        self.header.setWordWrap(True)
        layout.addWidget(self.header)
        self.problem = MessageLabel("figures_problem", self, auto_hide=True)
        self.problem.setObjectName("figures_problem")
        layout.addWidget(self.problem)
        self.totals = QLabel(self)
        self.totals.setObjectName("figures_totals")
        self.totals.setWordWrap(True)
        self.totals.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.totals)
        self.scroller = QScrollArea(self)
        self.scroller.setObjectName("figures_scroller")
        self.scroller.setWidgetResizable(True)
        body = QWidget(self.scroller)
        body.setObjectName("figures_body")
        grid = QGridLayout(body)
        grid.setContentsMargins(0, 0, 0, 0)
        self.chart_hours = BarChart("chart_hours", self.tr("按时段受理量"), body)
        self.chart_items = BarChart("chart_items", self.tr("按事项受理量"), body, horizontal=True)
        self.chart_ratings = BarChart("chart_ratings", self.tr("群众评价"), body, horizontal=True)
        charts = QHBoxLayout()
        charts.addWidget(self.chart_hours, 3)
        charts.addWidget(self.chart_items, 3)
        charts.addWidget(self.chart_ratings, 3)
        grid.addLayout(charts, 0, 0, 1, 2)
        self.sections: dict[str, Section] = {}
        specs: list[tuple[str, str, list[str]]] = [
            ("items", self.tr("按事项"), [self.tr("事项"), self.tr("件数")]),
            ("decisions", self.tr("按首次决定"), [self.tr("决定"), self.tr("件数")]),
            ("returns", self.tr("补正再次来办"), [self.tr("结果"), self.tr("次数")]),
            ("clerks", self.tr("按经办人"), [self.tr("经办人"), self.tr("件数")]),
            ("hours", self.tr("按时段"), [self.tr("时段"), self.tr("件数")]),
            (
                "durations",
                self.tr("办理时长（叫号至决定）"),
                [self.tr("事项"), self.tr("件数"), self.tr("中位数"), self.tr("最长")],
            ),
            ("ratings", self.tr("群众评价"), [self.tr("评价"), self.tr("次数")]),
            (
                "bad",
                self.tr("差评及回访"),
                [
                    self.tr("办件编号"),
                    self.tr("评价"),
                    self.tr("经办人"),
                    self.tr("评价时间"),
                    self.tr("实名/匿名"),
                    self.tr("状态"),
                    self.tr("回访期限"),
                    self.tr("整改期限"),
                    self.tr("提醒"),
                ],
            ),
            (
                "deadlines",
                self.tr("办结期限"),
                [self.tr("办件编号"), self.tr("事项"), self.tr("经办人"), self.tr("承诺办结日"), self.tr("情况")],
            ),
            (
                "changes",
                self.tr("更正与作废"),
                [
                    self.tr("办件编号"),
                    self.tr("类别"),
                    self.tr("时间"),
                    self.tr("经办人"),
                    self.tr("批准人"),
                    self.tr("原因"),
                    self.tr("提醒"),
                ],
            ),
            (
                "sync",
                self.tr("上传情况"),
                [
                    self.tr("办件编号"),
                    self.tr("内容"),
                    self.tr("记录时间"),
                    self.tr("已等待"),
                    self.tr("状态"),
                    self.tr("原因"),
                ],
            ),
            (
                "workstations",
                self.tr("各窗口"),
                [self.tr("窗口"), self.tr("受理件数"), self.tr("最近成功上传"), self.tr("上传状态"), self.tr("日结")],
            ),
        ]
        wide = {"bad", "deadlines", "changes", "sync", "workstations", "durations"}
        row, column = 1, 0
        for key, title, headers in specs:
            section = Section(title, f"sec_{key}", headers, body, max_rows=12 if key == "hours" else 8)
            self.sections[key] = section
            if key in wide:
                if column:
                    row, column = row + 1, 0
                grid.addWidget(section, row, 0, 1, 2)
                row += 1
            else:
                grid.addWidget(section, row, column)
                row, column = (row, 1) if column == 0 else (row + 1, 0)
        grid.setRowStretch(row + 1, 1)
        self.scroller.setWidget(body)
        layout.addWidget(self.scroller, 1)
        self.sections["workstations"].hide()
        if self.own_only:
            self.sections["clerks"].hide()
        self.scope.currentIndexChanged.connect(lambda _i: self.load())
        self._date_timer = pause_timer(self, (self.first, self.last), self.load)

    # ------------------------------------------------------------------------------------------------ loading
    def today(self) -> dt.date:
        return local_date(self.services.intake.clock())

    def _first_changed(self, value: QDate) -> None:
        if self.last.date() < value:
            self.last.setDate(value)

    def period(self) -> tuple[dt.date, dt.date]:
        first, last = pydate(self.first.date()), pydate(self.last.date())
        return (first, last) if first <= last else (last, first)

    def current_scope(self) -> str:
        return WORKSTATION if self.own_only else str(self.scope.currentData())

    def load(self) -> None:
        """Read the figures of the chosen period and scope (off the GUI thread)."""
        self._date_timer.stop()
        first, last = self.period()
        scope = self.current_scope()
        self._seq += 1
        seq = self._seq
        user, reports = self.user, self.services.reports
        self.header.setText(self.tr("正在读取……"))

        def done(answer: Any) -> None:
            if seq == self._seq:
                self.show_figures(Shown(scope, first, last, answer))

        if scope == CENTER:
            self.context.runner.run_net(
                lambda: reports.center_figures(user, first, last),
                done,
                self._failed,
                owner=self,
                name="center_figures",
            )
        else:
            self.context.runner.run_db(
                lambda: reports.day_summary(user, first, last), done, self._failed, owner=self, name="day_summary"
            )

    def _failed(self, error: YimenError) -> None:
        self.header.setText(self.tr("统计未能读取"))
        self.problem.show_text(render(error.message), ERROR)
        self.context.bridge.failure(error)

    # ------------------------------------------------------------------------------------------------ showing
    def show_figures(self, shown: Shown) -> None:
        """Show what the core answered."""
        self.shown = shown
        self.problem.clear_text()
        period = (
            shown.first.isoformat()
            if shown.first == shown.last
            else self.tr("{first} 至 {last}").format(first=shown.first.isoformat(), last=shown.last.isoformat())
        )
        summary: figures.Summary | None
        if shown.scope == CENTER:
            view = shown.answer
            center = view.figures
            summary = center.summary if center is not None else None
            if center is None:
                self.header.setText(self.tr("全中心 · {period} · 尚未取得中心数据").format(period=period))
            else:
                moment = view.fetched_at or center.generated_at
                self.header.setText(
                    self.tr("全中心 · {period} · 中心数据截至 {time}").format(
                        period=period, time=names.local_time(moment, "%H:%M")
                    )
                )
            if view.stale or view.problem is not None:
                reason = render(view.problem) if view.problem is not None else ""
                text = self.tr("中心数据可能不是最新的（显示的是 {time} 取得的数据）。{reason}").format(
                    time=names.local_time(view.fetched_at, "%m-%d %H:%M"), reason=reason
                )
                self.problem.show_text(text.strip(), WARNING)
            self._show_workstations(center)
            self.sections["sync"].hide()
        else:
            ws = shown.answer
            summary = ws.summary
            clerk = self.user.display_name if ws.clerk_only == self.user.username else ws.clerk_only
            who = self.tr("本人（{name}）").format(name=clerk) if ws.clerk_only else self.tr("本窗口")
            self.header.setText(
                self.tr("{center} {window}（{code}）· {who} · {period} · 生成于 {time}").format(
                    center=ws.center_name,
                    window=ws.window_name,
                    code=ws.workstation_code,
                    who=who,
                    period=period,
                    time=names.local_time(ws.generated_at, "%H:%M"),
                )
            )
            self.sections["workstations"].hide()
            self._show_sync(ws.sync)
        self._show_summary(summary)
        self.loaded.emit(shown)

    def _deadlines_note(self, s: figures.Summary) -> str:
        """What the deadline list leaves out: it holds at most figures.DEADLINE_LIST_MAX cases of each kind."""
        if s.overdue_total <= len(s.overdue) and s.due_soon_total <= len(s.due_soon):
            return ""
        return self.tr(
            "到期的办件较多，下表只列出最早到期的一部分：超期未办结共 {overdue} 件（列出 {listed_overdue} 件），"
            "三个工作日内到期共 {soon} 件（列出 {listed_soon} 件）。"
        ).format(
            overdue=s.overdue_total,
            listed_overdue=len(s.overdue),
            soon=s.due_soon_total,
            listed_soon=len(s.due_soon),
        )

    def _show_summary(self, summary: figures.Summary | None) -> None:
        s = summary or figures.Summary(first=self.period()[0], last=self.period()[1])
        bad = sum(1 for b in s.bad_ratings)
        self.totals.setText(
            self.tr(
                "收件 {n} 件（不含作废），另作废 {voided} 件 · 评价 {rated} 次，满意率 {rate}，评价率 {share} · "
                "差评 {bad} 件 · 超期未办结 {overdue} 件，三个工作日内到期 {soon} 件"
            ).format(
                n=s.applications,
                voided=s.voided,
                rated=sum(t.count for t in s.ratings if t.key != RatingLevel.UNRATED.value),
                rate=names.percent(s.satisfaction_rate),
                share=names.percent(s.rated_share),
                bad=bad,
                overdue=s.overdue_total,
                soon=s.due_soon_total,
            )
        )
        tally = lambda rows: [Line((t.label, str(t.count)), data=t) for t in rows]  # noqa: E731
        self.sections["items"].set_lines(tally(s.by_item))
        self.sections["decisions"].set_lines(tally(s.by_decision))
        self.sections["returns"].set_lines(tally(s.return_visits))
        self.sections["clerks"].set_lines(tally(s.by_clerk))
        self.sections["hours"].set_lines(
            [
                Line((f"{t.key}:00–{int(t.key) + 1:02d}:00" if t.key.isdigit() else t.label, str(t.count)))
                for t in s.by_hour
            ]
        )
        self.sections["durations"].set_lines(
            [
                Line(
                    (
                        d.item_name,
                        str(d.count),
                        names.duration_text(d.median_seconds),
                        names.duration_text(d.longest_seconds),
                    )
                )
                for d in s.durations
            ]
        )
        self.sections["ratings"].set_lines(
            [
                Line((names.level_name(t.key), str(t.count)), alert=RatingLevel(t.key).is_bad and t.count > 0)
                for t in s.ratings
                if t.key in RatingLevel._value2member_map_
            ],
            note=self.tr("满意率 {rate}（非常满意、满意、基本满意占已评价的比例）· 评价率 {share}").format(
                rate=names.percent(s.satisfaction_rate), share=names.percent(s.rated_share)
            ),
        )
        clerks = {t.key: t.label for t in s.by_clerk}
        self.sections["bad"].set_lines(
            [
                Line(
                    (
                        b.acceptance_no,
                        names.level_name(b.level),
                        clerks.get(b.clerk, b.clerk),
                        names.local_time(b.rated_at),
                        names.named_name(b.named),
                        names.state_name(b.state, b.named),
                        names.contact_due_text(b.contact_due, b.named),
                        names.day_text(b.rectify_due),
                        ALERT_MARK + " " + self.tr("已超期限") if b.overdue else "",
                    ),
                    alert=b.overdue,
                )
                for b in s.bad_ratings
            ]
        )
        deadlines = [
            Line(
                (
                    d.acceptance_no,
                    d.item_name,
                    clerks.get(d.clerk, d.clerk),
                    d.due.isoformat(),
                    ALERT_MARK + " " + self.tr("已逾期"),
                ),
                alert=True,
            )
            for d in s.overdue
        ] + [
            Line(
                (
                    d.acceptance_no,
                    d.item_name,
                    clerks.get(d.clerk, d.clerk),
                    d.due.isoformat(),
                    self.tr("三个工作日内到期"),
                )
            )
            for d in s.due_soon
        ]
        self.sections["deadlines"].set_lines(deadlines, self._deadlines_note(s))
        self.sections["changes"].set_lines(
            [
                Line(
                    (
                        c.acceptance_no,
                        names.change_name(c.kind),
                        names.local_time(c.at),
                        clerks.get(c.clerk, c.clerk),
                        c.approved_by,
                        c.reason,
                        ALERT_MARK + " " + self.tr("日结后更改") if c.closed_day else "",
                    ),
                    alert=c.closed_day,
                    tip=c.reason,
                )
                for c in s.changes
            ]
        )
        self.chart_hours.set_values([(t.key, t.count) for t in s.by_hour])
        self.chart_items.set_values([(_short(t.label), t.count) for t in s.by_item[:8]][::-1])
        levels = [t for t in s.ratings if t.key in RatingLevel._value2member_map_]
        # Horizontal bars list from the bottom: the best level goes on top.  (The title first: set after the bars, it
        # left the category labels at the width of the old layout, elided to "…".)
        levels.reverse()
        self.chart_ratings.set_title(
            self.tr("群众评价 · 满意率 {rate}").format(rate=names.percent(s.satisfaction_rate))
        )
        self.chart_ratings.set_values(
            [(names.level_name(t.key), t.count) for t in levels],
            alerts=[i for i, t in enumerate(levels) if RatingLevel(t.key).is_bad],
        )

    def _show_sync(self, sync: Any) -> None:
        lines = [
            Line(
                (
                    q.acceptance_no or "—",
                    names.event_name(q.event_type),
                    names.local_time(q.created_at),
                    names.duration_text(q.age_seconds),
                    ALERT_MARK + " " + self.tr("被拒收"),
                    q.reason,
                ),
                alert=True,
                tip=q.reason,
            )
            for q in sync.quarantined
        ] + [
            Line(
                (
                    u.acceptance_no or "—",
                    names.event_name(u.event_type),
                    names.local_time(u.created_at),
                    names.duration_text(u.age_seconds),
                    self.tr("待上传"),
                    "",
                )
            )
            for u in sync.unsynced
        ]
        last = (
            self.tr("最近一次成功上传：{time}").format(time=names.local_time(sync.last_success_at, "%Y-%m-%d %H:%M"))
            if sync.last_success_at is not None
            else self.tr("本窗口还没有成功上传过。")
        )
        section = self.sections["sync"]
        section.show()
        section.empty.setText(self.tr("全部已上传。"))
        section.set_lines(lines, note=last)

    def _show_workstations(self, center: Any) -> None:
        section = self.sections["workstations"]
        section.show()
        if center is None:
            section.set_lines([])
            return
        limit = self.services.deployment.silent_sync_minutes
        now = self.services.intake.clock()
        first, last = center.summary.first, center.summary.last
        lines = []
        # Silent is judged on the last successful upload (an event of the window stored by the server), not on the
        # last push the server answered: a window whose every push is refused still answers.
        for w in daily.workstation_lines(center.workstations, now=now, silent_minutes=limit, first=first, last=last):
            if w.last_accepted_at is None:
                state = ALERT_MARK + " " + self.tr("从未成功上传")
            elif w.silent:
                state = ALERT_MARK + " " + self.tr("超过 {n} 分钟未成功上传").format(n=limit)
            else:
                state = self.tr("正常")
            if w.reaching:
                state += self.tr("（{time} 仍连接服务器，数据未被接收）").format(time=names.local_time(w.last_push_at))
            if w.several_days:
                closed = (
                    self.tr("已日结 {days}").format(days="、".join(f"{d:%m-%d}" for d in w.closed_days))
                    if w.closed_days
                    else self.tr("未日结")
                )
            elif w.closed_at is not None:
                closed = self.tr("已日结 {time}（{who}）").format(
                    time=names.local_time(w.closed_at), who=w.closed_by or ""
                )
            else:
                closed = self.tr("未日结")
            lines.append(
                Line(
                    (w.workstation_code, str(w.applications), names.local_time(w.last_accepted_at), state, closed),
                    alert=w.silent,
                    tip=w.close_reason,
                )
            )
        section.set_lines(lines)

    # ------------------------------------------------------------------------------------------------ exports
    def export(self, kind: str) -> None:
        """Ask where to save, then write the shown figures as a PDF, XLSX or CSV daily report."""
        if self.shown is None:
            self.context.bridge.warning(self.tr("请先查询统计数据，再导出。"))
            return
        first, last = self.shown.first, self.shown.last
        scope = "center" if self.shown.scope == CENTER else self.services.deployment.workstation_code
        suggested = f"日报-{scope}-{first.isoformat()}" + ("" if first == last else f"-{last.isoformat()}")
        filters = {"pdf": "PDF (*.pdf)", "xlsx": "Excel (*.xlsx)", "csv": "CSV (*.csv)"}
        path, _ = QFileDialog.getSaveFileName(self, self.tr("导出日报"), f"{suggested}.{kind}", filters[kind])
        if path:
            self.export_to(Path(path), kind, self.show_pdf if kind == "pdf" else None)

    def show_pdf(self, path: Path) -> ReportView:
        """Show an exported PDF as it was written."""
        self.report_view = show_report(self, self.report_view, path, self._report_view_closed)
        return self.report_view

    def _report_view_closed(self, _result: int) -> None:
        self.report_view = None

    def export_to(self, path: Path, kind: str, on_done: Callable[[Path], object] | None = None) -> None:
        """Write the shown figures to ``path`` (no dialog; the file dialog's answer and tests come here)."""
        from ui.supervisor import exporting

        assert self.shown is not None
        shown, full = self.shown, self.full_ids.isChecked() and self.full_ids.isVisible()

        def written(result: Path) -> None:
            self.context.bridge.info(self.tr("已导出：{name}").format(name=result.name))
            self.exported.emit(str(result))
            if on_done is not None:
                on_done(result)

        self.context.runner.run_render(
            lambda: exporting.write(self.context, shown, path, kind, full_ids=full),
            written,
            owner=self,
            name=f"export_{kind}",
        )

    def export_ratings(self, kind: str) -> None:
        """Ask where to save, then write the period's ratings and 差评 follow-ups as CSV or JSON."""
        first, last = self.period()
        suggested = f"评价-{self.services.deployment.workstation_code}-{first.isoformat()}"
        suggested += "" if first == last else f"-{last.isoformat()}"
        filters = {"csv": "CSV (*.csv)", "json": "JSON (*.json)"}
        path, _ = QFileDialog.getSaveFileName(self, self.tr("导出群众评价"), f"{suggested}.{kind}", filters[kind])
        if path:
            self.export_ratings_to(Path(path), kind)

    def export_ratings_to(self, path: Path, kind: str) -> None:
        """Write the period's ratings to ``path`` (no dialog; the file dialog's answer and tests come here).  The
        core checks the permission (full phone numbers: FULL_ID_EXPORT) and audits the export."""
        first, last = self.period()
        full = self.full_phones.isChecked() and self.full_phones.isVisible()
        context = self.context

        def written(result: Path) -> None:
            self.context.bridge.info(self.tr("已导出：{name}").format(name=result.name))
            self.exported.emit(str(result))

        self.context.runner.run_render(
            lambda: write_ratings(context, first, last, path, kind, full_phones=full),
            written,
            owner=self,
            name=f"export_ratings_{kind}",
        )


def write_ratings(
    context: UiContext, first: dt.date, last: dt.date, path: Path, kind: str, *, full_phones: bool = False
) -> Path:
    """The ratings export (app/reports/ratings_export.py, audited there) written owner-only to ``path``."""
    from app.reports.ratings_export import export_ratings
    from ui.supervisor.exporting import write_owner_only

    fmt: Literal["csv", "json"] = "json" if kind == "json" else "csv"
    data, _ = export_ratings(context.services, context.user, first, last, fmt, full_phones=full_phones)
    return write_owner_only(path, data)


def _group(parent: QWidget) -> tuple[QWidget, QHBoxLayout]:
    """A row of controls that stays whole when the bar flows on to its next line."""
    group = QWidget(parent)
    row = QHBoxLayout(group)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(6)
    return group, row


def _short(label: str, width: int = 9) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"
