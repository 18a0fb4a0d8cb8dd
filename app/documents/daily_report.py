"""The daily report (受理窗口日报 / 中心日报, A4): the period's figures of a workstation or of the whole center.

Drawn from :class:`app.reports.report.DailyReport` with ReportLab (``yimen report daily`` runs without Qt), in
the fonts, margins and conventions of the 材料交接单 (app/documents/handover.py), its closest relative: an internal
working paper, monochrome, 五号 body.  The heading names the center, the workstation and window (or 全中心), the
period and the 日结 (who closed the day and when, or 未日结); then every section of the summary in order (totals,
by item, by first decision, 补正 return visits, by clerk, by hour, 办理时长, ratings with the 差评 and their
follow-up, deadlines, sync, 更正/作废) with three charts drawn with ``reportlab.graphics`` (volume by hour, by
item, ratings by level); "第 N 页 共 M 页" at the foot of every page.  The summary holds no ID number, so none
can appear.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether

from app.documents import fonts as fnt
from app.documents import layout as lay
from app.documents.fonts import FontSet, load_fonts
from app.reports import figures
from app.reports.report import (
    APPLICATIONS_LABEL,
    CHANGE_KIND_ZH,
    NO_CALL_BACK,
    VOIDED_LABEL,
    DailyReport,
    age_text,
    datetime_text,
    duration_text,
    event_text,
    follow_up_state_text,
    level_text,
    listed_note,
    named_text,
    percent,
)

MARGINS = (20 * lay.mm, 18 * lay.mm, 22 * lay.mm, 20 * lay.mm)  # top, right, bottom, left: a working paper
BODY_PT = 10.5  # 五号
BAR = colors.Color(0.45, 0.45, 0.45)
BAR_DARK = colors.Color(0.2, 0.2, 0.2)
HOURS = tuple(f"{h:02d}" for h in range(8, 19))  # 08 … 18: the center's opening hours, always on the chart
ITEM_LABEL_CHARS = 20
UNSYNCED_LISTED = 15  # the oldest unsynced events listed one by one; the rest counted (the XLSX lists them all)
NUMBER = -1.0  # a column width: as wide as the column's longest 受理编号


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _nice_max(top: int) -> tuple[int, int]:
    """An axis maximum above ``top`` and a step of whole numbers (at most about 6 ticks)."""
    top = max(top, 1)
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        if top / step <= 6:
            return (top // step + 1) * step, step
    step = 10 ** len(str(top))
    return (top // step + 1) * step, step


def _style_axis_labels(chart: Any, size: float) -> None:
    for labels in (chart.categoryAxis.labels, chart.valueAxis.labels):
        labels.fontName = fnt.REGULAR
        labels.fontSize = size
    chart.barLabels.fontName = fnt.REGULAR
    chart.barLabels.fontSize = size
    chart.barLabelFormat = _count_label
    chart.bars[0].fillColor = BAR
    chart.bars[0].strokeColor = BAR_DARK
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labelTextFormat = "%d"
    chart.valueAxis.strokeColor = lay.RULE
    chart.categoryAxis.strokeColor = lay.RULE


def _count_label(value: float) -> str:
    """A bar's count; nothing over an empty bar (a row of zeros reads as noise)."""
    return str(int(value)) if value else ""


def _caption(drawing: Drawing, text: str, width: float, y: float) -> None:
    drawing.add(String(width / 2, y, text, fontName=fnt.BOLD, fontSize=BODY_PT - 1, textAnchor="middle"))


def _column_chart(
    width: float, height: float, values: list[int], names: list[str], label_pt: float
) -> tuple[Drawing, VerticalBarChart]:
    """A drawing ``width`` × ``height`` and its column chart of ``values`` over ``names``, each bar labelled with its
    count; the caller adjusts the chart, adds it and captions the drawing."""
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 12 * lay.mm, 10 * lay.mm
    chart.width, chart.height = width - 16 * lay.mm, height - 20 * lay.mm
    chart.data = [values]
    chart.categoryAxis.categoryNames = names
    _style_axis_labels(chart, label_pt)
    chart.valueAxis.valueMax, chart.valueAxis.valueStep = _nice_max(max(values, default=0))
    chart.barLabels.nudge = 6
    chart.barLabels.boxTarget = "hi"
    return drawing, chart


def hour_chart(tallies: Sequence[figures.Tally], width: float) -> Drawing:
    """Applications by hour of receipt: a bar for every hour from 08 to 18 (and any other hour that had one)."""
    counts = {t.key: t.count for t in tallies}
    hours = sorted(set(HOURS) | set(counts))
    values = [counts.get(h, 0) for h in hours]
    height = 52 * lay.mm
    drawing, chart = _column_chart(width, height, values, [f"{h}时" for h in hours], 7.5)
    chart.categoryAxis.labels.dy = -2
    drawing.add(chart)
    _caption(drawing, "按时段（收件时间）受理量", width, height - 5 * lay.mm)
    return drawing


def item_chart(tallies: Sequence[figures.Tally], width: float) -> Drawing:
    """Applications by item: a horizontal bar per item, the item's name at its left."""
    rows = list(tallies)
    bar_h = 7 * lay.mm
    height = len(rows) * bar_h + 18 * lay.mm
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    label_w = 66 * lay.mm
    chart.x, chart.y = label_w, 8 * lay.mm
    chart.width, chart.height = width - label_w - 8 * lay.mm, len(rows) * bar_h
    # Drawn top to bottom in the summary's order (most first): ReportLab draws the first category at the bottom.
    chart.data = [[t.count for t in reversed(rows)]]
    chart.categoryAxis.categoryNames = [_clip(t.label, ITEM_LABEL_CHARS) for t in reversed(rows)]
    _style_axis_labels(chart, 8)
    chart.valueAxis.valueMax, chart.valueAxis.valueStep = _nice_max(max((t.count for t in rows), default=0))
    chart.barLabels.nudge = 7
    chart.barLabels.boxTarget = "hi"
    chart.barWidth = bar_h * 0.6
    drawing.add(chart)
    _caption(drawing, "按事项受理量", width, height - 5 * lay.mm)
    return drawing


def rating_chart(tallies: Sequence[figures.Tally], width: float) -> Drawing:
    """Ratings per level, 非常满意 … 非常不满意 and 未评价 (a bar each, the 差评 darker)."""
    counts = {t.key: t.count for t in tallies}
    from app.domain import RatingLevel

    levels = list(RatingLevel)
    values = [counts.get(level.value, 0) for level in levels]
    height = 48 * lay.mm
    drawing, chart = _column_chart(width, height, values, [level_text(level) for level in levels], 8)
    for index, level in enumerate(levels):
        if level.is_bad:
            chart.bars[(0, index)].fillColor = BAR_DARK
        elif level is RatingLevel.UNRATED:
            chart.bars[(0, index)].fillColor = colors.white
    drawing.add(chart)
    _caption(drawing, "群众评价（按等级）", width, height - 5 * lay.mm)
    return drawing


# ------------------------------------------------------------------------------------------------ sections


TABLE_PAD = 2.5  # points: the tables' cell padding


class _Line(Flowable):  # type: ignore[misc]
    """One line of text in a paragraph style's face, size, leading and colour, placed as a one-line Paragraph
    places it (baseline one font size under the top), without its line breaking."""

    def __init__(self, text: str, style: ParagraphStyle, fonts: FontSet) -> None:
        super().__init__()
        self.text, self.style, self.fonts = text, style, fonts

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width, self.height = avail_width, self.style.leading
        return avail_width, self.height

    def draw(self) -> None:
        style = self.style
        baseline = self.height - style.fontSize
        lay.draw_text(self.canv, 0, baseline, self.text, self.fonts, style.fontSize, style.textColor, style.fontName)


class _Page:
    def __init__(self, report: DailyReport, fonts: FontSet) -> None:
        self.report = report
        self.s = lay.make_styles(fonts, body_pt=BODY_PT, title_pt=18)
        self.width = lay.A4[0] - MARGINS[1] - MARGINS[3]
        self.number = 0
        self.note_style = ParagraphStyle("note", parent=self.s.small, spaceBefore=3)

    def note(self, text: str) -> Flowable:
        """A small grey line under a table or chart, clear of it."""
        return self.s.p(text, self.note_style)

    def heading(self, text: str) -> Flowable:
        self.number += 1
        return self.s.p(f"{_CN_NUMBERS[self.number - 1]}、{text}", self.s.heading)

    def table(self, header: Sequence[str], rows: Sequence[Sequence[str]], widths_mm: Sequence[float | None]) -> Any:
        """A table with a header row; a width of ``NUMBER`` fits the column's longest 受理编号 on one line."""
        s = self.s
        widths_mm = [self.number_mm([r[i] for r in rows]) if w == NUMBER else w for i, w in enumerate(widths_mm)]
        widths = lay.columns(self.width, list(widths_mm))
        cells: list[list[Any]] = [[self.cell(h, s.cell_bold, widths[i]) for i, h in enumerate(header)]]
        cells += [[self.cell(text, s.cell, widths[i]) for i, text in enumerate(row)] for row in rows]
        return lay.grid(cells, widths, header=True, pad=TABLE_PAD)

    def cell(self, text: str, style: ParagraphStyle, width: float) -> Flowable:
        """A table cell: a text that fits its column on one line is drawn as one line (most cells: a busy day's
        report has thousands, and a CJK paragraph is wrapped several times per build); others wrap as paragraphs."""
        room = width - 2 * TABLE_PAD - 1
        if "\n" not in text and fnt.string_width(text, self.s.fonts, style.fontSize, style.fontName) <= room:
            return _Line(text, style, self.s.fonts)
        return self.s.p(text, style)

    def number_mm(self, numbers: Sequence[str]) -> float:
        """The width in mm of a column holding ``numbers`` (受理编号) unbroken, padding included."""
        size = self.s.cell.fontSize
        widest = max((fnt.string_width(n, self.s.fonts, size) for n in numbers), default=0.0)
        return float(max(widest + 2 * 2.5 + 2, 24 * lay.mm) / lay.mm)

    def none(self, text: str) -> Flowable:
        return self.s.p(text, self.s.cell)

    def section(self, title: str, body: Sequence[Flowable]) -> list[Flowable]:
        """A heading kept with the first thing under it (never alone at a page's foot).  A first thing that is itself
        kept together is opened into the heading's group: ReportLab measures a KeepTogether inside another as
        taller than any page, and would start the section on a new page however much room is left."""
        body = list(body)
        first = list(body[0]._content) if body and isinstance(body[0], KeepTogether) else body[:1]
        return [KeepTogether([self.heading(title), *first]), *body[1:], lay.spacer(1.5)]


_CN_NUMBERS = "一二三四五六七八九十"


def _tally_rows(tallies: Sequence[figures.Tally], total: int | None = None) -> list[list[str]]:
    rows = []
    for t in tallies:
        share = f"{t.count / total * 100:.1f}%" if total else "—"
        rows.append([t.label or t.key, str(t.count), share])
    return rows


def _local(moment: dt.datetime | None, fmt: str = "%H:%M") -> str:
    if moment is None:
        return "—"
    return lay.local(moment).strftime(fmt)


def _when(moment: dt.datetime | None, report: DailyReport) -> str:
    """``10:05`` on a one-day report's day, else ``11月22日 10:05``."""
    if moment is None:
        return "—"
    at = lay.local(moment)
    if report.summary.first == report.summary.last == at.date():
        return f"{at:%H:%M}"
    return f"{at.month}月{at.day}日 {at:%H:%M}"


def _day(day: dt.date | None, report: DailyReport) -> str:
    """``11月24日`` in the report's year (a narrow column never wraps it), else ``2027年1月5日``; ``—`` for none."""
    if day is None:
        return "—"
    if day.year == report.summary.last.year:
        return f"{day.month}月{day.day}日"
    return lay.date_text(day)


def _flow(report: DailyReport, fonts: FontSet) -> list[Flowable]:
    page = _Page(report, fonts)
    s, width, summary = page.s, page.width, report.summary
    flow: list[Flowable] = [s.p(report.center_name, s.org), s.p(report.title, s.title)]
    flow.append(
        s.kept(
            [
                ("范围：", False),
                (report.place, True),
                ("　统计期间：", False),
                (report.period_text, True),
            ],
            width,
        )
    )
    flow.append(
        s.kept(
            [
                ("日结：", False),
                (report.close_text, True),
                (f"　生成时间：{datetime_text(report.generated_at)}", False),
            ],
            width,
        )
    )
    if report.clerk_only:
        flow.append(s.p(f"本报表只含经办人{report.clerk_name(report.clerk_only)}本人办理的业务。", s.body))
    if report.stale_note:
        flow.append(s.rich([("注意：", True), (report.stale_note, False)]))
    flow.append(lay.Rule(0.6, 3))

    # 一、总体情况
    rated = sum(t.count for t in summary.ratings if t.key != "unrated")
    total_rows = [
        [APPLICATIONS_LABEL, str(summary.applications), VOIDED_LABEL, str(summary.voided)],
        ["群众评价（次）", str(rated), "评价率", percent(summary.rated_share)],
        ["满意率", percent(summary.satisfaction_rate), "差评（件）", str(len(summary.bad_ratings))],
        ["超期未办结（件）", str(summary.overdue_total), "三个工作日内到期（件）", str(summary.due_soon_total)],
    ]
    cells = [[s.p(text, s.cell_bold if i % 2 == 0 else s.cell) for i, text in enumerate(row)] for row in total_rows]
    quarter = width / lay.mm / 4
    totals = lay.grid(
        cells, lay.columns(width, [quarter + 6, quarter - 6, quarter + 10, None]), label_columns=(0, 2), pad=2.5
    )
    flow += page.section("总体情况", [totals])

    # 二、按事项
    if summary.by_item:
        by_item = [
            page.table(("事项", "件数", "占比"), _tally_rows(summary.by_item, summary.applications), [None, 20, 22]),
            lay.spacer(2),
            item_chart(summary.by_item, width),
        ]
    else:
        by_item = [page.none("本期没有受理记录。")]
    flow += page.section("按事项", by_item)

    # 三、按首次决定 and 补正再次来办
    decisions: list[Flowable] = []
    if summary.by_decision:
        decisions.append(
            page.table(
                ("首次决定", "件数", "占比"), _tally_rows(summary.by_decision, summary.applications), [None, 20, 22]
            )
        )
    else:
        decisions.append(page.none("本期没有决定。"))
    decisions.append(lay.spacer(1.5))
    if summary.return_visits:
        decisions.append(s.p("补正后再次来办（按结果）：", s.cell_bold))
        visits = sum(t.count for t in summary.return_visits)
        decisions.append(
            page.table(("结果", "次数", "占比"), _tally_rows(summary.return_visits, visits), [None, 20, 22])
        )
    else:
        decisions.append(page.none("补正后再次来办：本期没有。"))
    flow += page.section("按首次决定", decisions)

    # 四、按经办人
    clerks = (
        [page.table(("经办人", "件数", "占比"), _tally_rows(summary.by_clerk, summary.applications), [None, 20, 22])]
        if summary.by_clerk
        else [page.none("本期没有受理记录。")]
    )
    flow += page.section("按经办人", clerks)

    # 五、按时段
    hours: list[Flowable] = [hour_chart(summary.by_hour, width)] if summary.applications else []
    busy = sorted((t for t in summary.by_hour if t.count), key=lambda t: t.key)
    if busy:
        hours.append(page.note("　".join(f"{t.key}时 {t.count} 件" for t in busy)))
    hours = [KeepTogether(hours)] if hours else [page.none("本期没有受理记录。")]
    flow += page.section("按时段", hours)

    # 六、办理时长
    if summary.durations:
        durations = [
            page.table(
                ("事项", "件数", "中位时长", "最长"),
                [
                    [d.item_name, str(d.count), duration_text(d.median_seconds), duration_text(d.longest_seconds)]
                    for d in summary.durations
                ],
                [None, 16, 28, 28],
            ),
            page.note("办理时长：从叫号（没有叫号的，从开始录入）到首次决定。"),
        ]
    else:
        durations = [page.none("本期没有可计算时长的决定。")]
    flow += page.section("办理时长", durations)

    # 七、群众评价
    flow += page.section("群众评价", _ratings(page, report))

    # 八、办理期限
    flow += page.section("办理期限", _deadlines(page, report))

    # 九、数据上传
    flow += page.section("数据上传", _sync(page, report))

    # 十、更正与作废
    if summary.changes:
        changes = [
            page.table(
                ("受理编号", "类别", "时间", "经办人", "批准人", "原因"),
                [
                    [
                        c.acceptance_no,
                        CHANGE_KIND_ZH.get(c.kind, c.kind) + ("（已日结日）" if c.closed_day else ""),
                        _when(c.at, report),
                        report.clerk_name(c.clerk),
                        report.clerk_name(c.approved_by),
                        c.reason,
                    ]
                    for c in summary.changes
                ],
                [NUMBER, 22, 22, 20, 20, None],
            )
        ]
    else:
        changes = [page.none("本期没有更正或作废。")]
    flow += page.section("更正与作废", changes)

    flow.append(lay.spacer(3))
    closing = [s.rich([("日结情况：", True), (report.close_text, False)])]
    if report.closed_at is None:
        closing.append(page.note("本报表的数字在日结前可能还会变化。"))
    flow.append(KeepTogether(closing))
    return flow


def _ratings(page: _Page, report: DailyReport) -> list[Flowable]:
    s, summary = page.s, report.summary
    out: list[Flowable] = []
    total = sum(t.count for t in summary.ratings)
    out.append(
        s.p(
            f"评价 {total} 次（含未评价），满意率 {percent(summary.satisfaction_rate)}，"
            f"评价率 {percent(summary.rated_share)}，差评 {len(summary.bad_ratings)} 件。",
            s.cell,
        )
    )
    if total:
        rows = [[level_text(t.key), str(t.count), f"{t.count / total * 100:.1f}%"] for t in summary.ratings]
        out.append(page.table(("评价等级", "次数", "占比"), rows, [None, 20, 22]))
        out.append(lay.spacer(1.5))
        out.append(rating_chart(summary.ratings, page.width))
    out.append(
        page.note("满意率：非常满意、满意、基本满意占已评价的比例；评价率：已评价（不含未评价）占可评价办件的比例。")
    )
    if summary.bad_ratings:
        rows = []
        for b in summary.bad_ratings:
            state = follow_up_state_text(b.state, b.named)
            if b.overdue:
                state += "（已超期）"
            rows.append(
                [
                    b.acceptance_no,
                    level_text(b.level),
                    report.clerk_name(b.clerk),
                    _when(b.rated_at, report),
                    named_text(b.named),
                    _day(b.contact_due, report) if b.named else NO_CALL_BACK,
                    _day(b.rectify_due, report),
                    state,
                ]
            )
        table = page.table(
            ("受理编号", "等级", "经办人", "评价时间", "实名/匿名", "回访期限", "整改期限", "状态"),
            rows,
            [NUMBER, 19, 13, 16, 17, 25, 19, None],
        )
        out.append(KeepTogether([s.p("差评及回访整改：", s.cell_bold), table]))
    else:
        out.append(s.p("本期没有差评。", s.cell))
    return out


def _deadline_table(page: _Page, report: DailyReport, cases: Sequence[figures.DeadlineCase], head: str) -> Any:
    return page.table(
        ("受理编号", "事项", "经办人", head),
        [[c.acceptance_no, c.item_name, report.clerk_name(c.clerk), _day(c.due, report)] for c in cases],
        [NUMBER, None, 30, 30],
    )


def _deadlines(page: _Page, report: DailyReport) -> list[Flowable]:
    s, summary = page.s, report.summary
    out: list[Flowable] = []
    for title, cases, total in (
        ("已超过承诺期限未办结", summary.overdue, summary.overdue_total),
        ("三个工作日内到期", summary.due_soon, summary.due_soon_total),
    ):
        block: list[Flowable] = [s.p(f"{title}：{total} 件{listed_note(len(cases), total)}", s.cell_bold)]
        if cases:
            block.append(_deadline_table(page, report, cases, "承诺期限"))
        out += [KeepTogether(block), lay.spacer(1)]
    if summary.overdue_total > len(summary.overdue) or summary.due_soon_total > len(summary.due_soon):
        out.append(page.note("到期的办件较多，上面只列出一部分；完整名单请在受理台查询。"))
    return out


def _sync(page: _Page, report: DailyReport) -> list[Flowable]:
    s = page.s
    out: list[Flowable] = []
    if report.scope == "center":
        if not report.workstations:
            return [page.none("中心服务器没有本中心工位的记录。")]
        # The last successful upload (the server stored the window's events), not the last push it answered.
        rows = [
            [w.workstation_code, str(w.applications), w.last_upload_text, w.close_text] for w in report.workstations
        ]
        out.append(page.table(("工位", "受理件数", "最近成功上传", "日结"), rows, [24, 20, 55, None]))
        silent = [w.workstation_code for w in report.workstations if w.silent]
        if silent:
            out.append(
                page.note(f"长时间未成功上传的工位：{'、'.join(silent)}，请联系窗口检查网络和被中心服务器拒收的数据。")
            )
        return out
    last = datetime_text(report.last_sync_at) if report.last_sync_at else "尚未成功上传"
    out.append(
        s.p(
            f"最近一次成功上传：{last}；待上传 {len(report.unsynced)} 个，被隔离 {len(report.quarantined)} 个。",
            s.cell,
        )
    )
    if report.unsynced:
        kinds: dict[str, int] = {}
        for e in report.unsynced:
            kinds[event_text(e.event_type)] = kinds.get(event_text(e.event_type), 0) + 1
        oldest = max(report.unsynced, key=lambda e: e.age_seconds)
        counted = "、".join(f"{k} {n} 个" for k, n in kinds.items())
        out.append(s.p(f"待上传：{counted}；最久的已等待 {age_text(oldest.age_seconds)}。", s.cell))
        listed = sorted(report.unsynced, key=lambda e: -e.age_seconds)[:UNSYNCED_LISTED]
        out.append(
            page.table(
                ("受理编号", "事件", "产生时间", "已等待"),
                [
                    [
                        e.acceptance_no or "（工位事件）",
                        event_text(e.event_type),
                        _when(e.created_at, report),
                        age_text(e.age_seconds),
                    ]
                    for e in listed
                ],
                [NUMBER, None, 30, 28],
            )
        )
        if len(report.unsynced) > len(listed):
            rest = len(report.unsynced) - len(listed)
            out.append(
                page.note(f"以上为等待最久的 {len(listed)} 个，另有 {rest} 个未列出（见 XLSX 导出的“数据上传”表）。")
            )
    if report.quarantined:
        out.append(lay.spacer(1))
        head = s.p("被服务器隔离的事件（需信息员处理）：", s.cell_bold)
        out.append(
            KeepTogether(
                [
                    head,
                    page.table(
                        ("受理编号", "事件", "产生时间", "原因"),
                        [
                            [
                                e.acceptance_no or "（工位事件）",
                                event_text(e.event_type),
                                _when(e.created_at, report),
                                e.reason or "",
                            ]
                            for e in report.quarantined
                        ],
                        [NUMBER, 34, 26, None],
                    ),
                ]
            )
        )
    return out


# ------------------------------------------------------------------------------------------------ building


def _page_footer(fonts: FontSet, total: int, report: DailyReport) -> Callable[[Canvas, Any], None]:
    """``第 N 页 共 M 页`` centred under the text, the report's title and period at the left."""

    def draw(canv: Canvas, doc: Any) -> None:
        size = 9
        y = MARGINS[2] - 10 * lay.mm
        text = f"第 {canv.getPageNumber()} 页 共 {total} 页"
        x = (lay.A4[0] - fnt.string_width(text, fonts, size)) / 2
        lay.draw_text(canv, x, y, text, fonts, size)
        left = f"{report.title}　{report.place}　{report.period_text}"
        lay.draw_text(canv, MARGINS[3], MARGINS[2] - 16 * lay.mm, left, fonts, 7.5, lay.GREY)

    return draw


def render_daily_report(report: DailyReport, fonts: FontSet | None = None) -> bytes:
    """The daily report as PDF bytes (A4, every page numbered 第 N 页 共 M 页)."""
    fonts = fonts or load_fonts()
    place = report.workstation_code or "center"
    meta = lay.Meta(
        title=f"{report.title} {report.summary.first.isoformat()}",
        author=report.center_name,
        subject=f"{report.place} {report.title}",
        created=report.generated_at,
        keywords=f"daily-report {report.scope} {place} {report.summary.first.isoformat()}",
    )
    _, pages = lay.build(_flow(report, fonts), meta, margins=MARGINS)
    pdf, final = lay.build(_flow(report, fonts), meta, margins=MARGINS, on_page=_page_footer(fonts, pages, report))
    if final != pages:  # cannot happen (the footer sits in the margin), but a wrong "共 M 页" must never print
        pdf, _ = lay.build(_flow(report, fonts), meta, margins=MARGINS, on_page=_page_footer(fonts, final, report))
    return pdf
