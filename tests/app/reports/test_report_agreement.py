"""The daily report's files agree with each other, with the summary and with the records, table by table.

The day is dayfixture's (built once for the module through the real use cases on three real stores and a real
central server): 作废 and 更正, a rating of every level (实名 and anonymous 差评 with their follow-ups), a case overdue
across the National Day holiday and one due soon, unsynced and quarantined events, the day closed through
``services.day_close.close`` and corrected after.  Its workstation report and its center report are rendered to PDF
(read back with ``pdftotext -raw``: the text in drawing order, so a table's row is its cells one after another), to
XLSX (openpyxl) and to CSV; each section of the PDF is compared with its XLSX table, each table with the
``Summary`` it came from, and the figures with SQL counts over the workstation's store and the server's.

The words and formats compared are taken from the XLSX cells (what the renderer printed from the Summary), not
written here, except the PDF's section headings, which name the sections to compare.
"""

from __future__ import annotations

import collections
import datetime as dt
import io
import json
import re
from typing import Any

import openpyxl
import pytest

from app.domain import RatingLevel
from app.reports import report as rep
from app.reports.exports import RECORD_HEADER, export_daily, read_csv_tables
from tests import pdfkit
from tests.app.reports.dayfixture import CENTER, CLOSE_REASON, MONDAY, OTHER, PHONE, RichDay, rich_day, shanghai

__all__ = ["rich_day"]  # the module-scoped fixture, used by name

#: The PDF's section (its heading, without the 一、 number) that prints each XLSX table.
SECTION = {
    "按事项": "按事项",
    "按决定": "按首次决定",
    "按人员": "按经办人",
    "按时段": "按时段",
    "办理时长": "办理时长",
    "评价": "群众评价",
    "差评": "群众评价",
    "期限": "办理期限",
    "数据上传": "数据上传",
    "更正作废": "更正与作废",
}
#: The 汇总 rows that are not figures.
HEAD_ROWS = {"报表", "服务中心", "范围", "统计期间", "日结", "生成时间", "仅含经办人", "注意", "申请明细"}
DAY_NO = f"-{MONDAY:%Y%m%d}-"


# ------------------------------------------------------------------------------------------------ reading back


class Rendered:
    """One report as its three files, read back."""

    def __init__(self, day: RichDay, report: rep.DailyReport) -> None:
        services = day.services
        self.report = report
        self.pdf = export_daily(services, day.zhangmin, report, "pdf")
        self.xlsx = export_daily(services, day.zhangmin, report, "xlsx")
        self.csv = export_daily(services, day.zhangmin, report, "csv")
        book = openpyxl.load_workbook(io.BytesIO(self.xlsx))
        self.book = {
            sheet.title: [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
            for sheet in book.worksheets
        }
        self.sheets = read_csv_tables(self.csv)
        self.lines = pdf_lines(self.pdf, report)
        self.sections = sections(self.lines)

    def rows(self, table: str) -> list[list[str]]:
        return self.book[table][1:]

    def totals(self) -> dict[str, str]:
        return {row[0]: row[1] for row in self.book["汇总"][1:]}

    def section(self, table: str) -> str:
        return self.sections[SECTION[table]]


def pdf_lines(pdf: bytes, report: rep.DailyReport) -> list[str]:
    """The PDF's lines in drawing order, spaces removed, without the page footers."""
    raw = pdfkit._run("pdftotext", "-enc", "UTF-8", "-raw", data=pdf)
    footer = "".join(f"{report.title}{report.place}{report.period_text}".split())
    lines = ["".join(line.split()) for line in raw.splitlines()]
    return [line for line in lines if line and line != footer and not re.fullmatch(r"第\d+页共\d+页", line)]


def sections(lines: list[str]) -> dict[str, str]:
    """The text of each numbered section (一、总体情况 …) as one string, the heading's number dropped."""
    out: dict[str, str] = {"": ""}
    current = ""
    for line in lines:
        heading = re.fullmatch(r"[一二三四五六七八九十]+、(.+)", line)
        if heading:
            current = heading.group(1)
            assert current not in out, f"section {current} twice"
            out[current] = ""
        else:
            out[current] += line
    return out


def md(iso: str) -> str:
    """``2026-11-02`` as a report of 2026 prints it: ``11月2日``."""
    day = dt.date.fromisoformat(iso)
    return f"{day.month}月{day.day}日"


def hhmm(cell: str) -> str:
    """``2026-11-23 17:50`` as a one-day report prints it: ``17:50``."""
    return cell[-5:]


def share(count: int | str, total: int) -> str:
    return f"{int(count) / total * 100:.1f}%"


def in_order(text: str, pieces: list[str]) -> None:
    """Each of ``pieces`` in ``text``, one after the other."""
    at = 0
    for piece in pieces:
        found = text.find(piece, at)
        assert found >= 0, f"{piece!r} not after position {at} of {text!r}"
        at = found + len(piece)


def counted(tallies: list[Any]) -> list[list[str]]:
    return [[t.key, t.label, str(t.count)] for t in tallies]


# ------------------------------------------------------------------------------------------------ table by table


def check_files_agree(r: Rendered) -> None:
    """The CSV holds the XLSX's tables cell for cell, and the PDF prints every one of them (table by table)."""
    assert r.sheets == r.book
    s = r.report.summary

    # 汇总 / 总体情况: the same figures in the same order, as the Summary has them.
    figures_rows = [row for row in r.book["汇总"][1:] if row[0] not in HEAD_ROWS]
    rated = sum(t.count for t in s.ratings if t.key != RatingLevel.UNRATED.value)
    expected = [
        str(s.applications),
        str(s.voided),
        str(rated),
        rep.percent(s.rated_share),
        rep.percent(s.satisfaction_rate),
        str(len(s.bad_ratings)),
        str(s.overdue_total),
        str(s.due_soon_total),
    ]
    assert [row[1] for row in figures_rows] == expected
    pdf_pairs = re.findall(r"(\D+?)(\d+\.\d%|\d+|—)", r.sections["总体情况"])
    assert [value for _, value in pdf_pairs] == expected, pdf_pairs
    pdf_labels = dict(pdf_pairs)
    for label, value in figures_rows:
        if label in pdf_labels:  # the labels both print are the same figure
            assert pdf_labels[label] == value, label
    assert r.totals()["日结"] == r.report.close_text
    assert f"日结：{''.join(r.report.close_text.split())}" in r.sections[""]

    # 按事项
    rows = r.rows("按事项")
    assert [row[:3] for row in rows] == counted(s.by_item)
    assert [row[3] for row in rows] == [share(row[2], s.applications) for row in rows]
    in_order(r.section("按事项"), [row[1] + row[2] + row[3] for row in rows])
    assert sum(int(row[2]) for row in rows) == s.applications

    # 按决定: the first decisions, then the 补正 return visits (each with its share in the PDF)
    rows = r.rows("按决定")
    first = [row for row in rows if row[0] == rows[0][0]]
    visits = rows[len(first) :]
    assert [row[1:] for row in first] == [[t.label, str(t.count)] for t in s.by_decision]
    assert [row[1:] for row in visits] == [[t.label, str(t.count)] for t in s.return_visits]
    visit_total = sum(t.count for t in s.return_visits)
    in_order(
        r.section("按决定"),
        [row[1] + row[2] + share(row[2], s.applications) for row in first]
        + [row[1] + row[2] + share(row[2], visit_total) for row in visits],
    )

    # 按人员
    rows = r.rows("按人员")
    assert [row[:3] for row in rows] == counted(s.by_clerk)
    in_order(r.section("按人员"), [row[1] + row[2] + row[3] for row in rows])

    # 按时段: every hour of the summary; the PDF's note names the busy ones
    rows = r.rows("按时段")
    assert rows == [[f"{t.key}时", str(t.count)] for t in sorted(s.by_hour, key=lambda t: t.key)]
    assert sum(int(n) for _, n in rows) == s.applications
    in_order(r.section("按时段"), ["".join(f"{h}{n}件" for h, n in rows if int(n))])

    # 办理时长
    rows = r.rows("办理时长")
    assert [row[:5] for row in rows] == [
        [d.item_code, d.item_name, str(d.count), str(d.median_seconds), str(d.longest_seconds)] for d in s.durations
    ]
    in_order(r.section("办理时长"), [row[1] + row[2] + row[5] + row[6] for row in rows])

    # 评价: every level, and the rates and counts of the sentence above the table
    rows = r.rows("评价")
    assert [[row[0], row[2]] for row in rows] == [[t.key, str(t.count)] for t in s.ratings]
    total = sum(t.count for t in s.ratings)
    ratings = r.section("评价")
    if total:
        in_order(ratings, [row[1] + row[2] + share(row[2], total) for row in rows])
    for figure in (f"{total}次", rep.percent(s.satisfaction_rate), rep.percent(s.rated_share)):
        assert figure in ratings
    assert f"{len(s.bad_ratings)}件" in ratings

    # 差评: each with its level, clerk, time, 实名/匿名, deadlines and state, in the same words in both files
    rows = r.rows("差评")
    assert [row[0] for row in rows] == [b.acceptance_no for b in s.bad_ratings]
    for row, bad in zip(rows, s.bad_ratings, strict=True):
        assert row[1] == rep.level_text(bad.level) and row[2] == r.report.clerk_name(bad.clerk)
        contact = md(row[5]) if bad.named else row[5]
        assert (row[5] == bad.contact_due.isoformat()) is bad.named  # type: ignore[union-attr]
        assert row[6] == (bad.rectify_due.isoformat() if bad.rectify_due else "")
        head = row[0] + row[1] + row[2] + hhmm(row[3]) + row[4] + "".join(contact.split())
        assert re.search(re.escape(head) + re.escape(md(row[6]) + row[7]), ratings), (head, ratings)
    assert len({row[4] for row in rows}) == len({b.named for b in s.bad_ratings})  # 实名 and 匿名 told apart
    assert len({row[7] for row in rows}) == len({(b.state, b.named) for b in s.bad_ratings})

    # 期限: the listed cases, and the totals the PDF prints over each list
    rows = r.rows("期限")
    listed = [(c, "overdue") for c in s.overdue] + [(c, "soon") for c in s.due_soon]
    assert [row[1:4] + [row[4]] for row in rows] == [
        [c.acceptance_no, c.item_name, r.report.clerk_name(c.clerk), c.due.isoformat()] for c, _ in listed
    ]
    deadlines = r.section("期限")
    assert [int(n) for n in re.findall(r"(\d+)件", deadlines)[:2]] == [s.overdue_total, s.due_soon_total]
    in_order(deadlines, [row[1] + row[2] + row[3] + md(row[4]) for row in rows])

    # 更正作废: the approver, the reason, and the closed day marked in both files
    rows = r.rows("更正作废")
    assert [(row[0], row[5]) for row in rows] == [(c.acceptance_no, c.reason) for c in s.changes]
    flags = {row[6] for row in rows}
    assert len(flags) == len({c.closed_day for c in s.changes})
    marked = {row[6] for row, c in zip(rows, s.changes, strict=True) if c.closed_day}
    changes = r.section("更正作废")
    for row, change in zip(rows, s.changes, strict=True):
        assert row[1] == rep.CHANGE_KIND_ZH[change.kind] and row[4] == r.report.clerk_name(change.approved_by)
        if r.report.scope == "workstation":  # the workstation knows display names: the approver is 张敏
            assert row[4] == "张敏" and change.approved_by == "zhangmin"
        mark = r"（[^）]*已日结[^）]*）" if change.closed_day else ""
        pattern = re.escape(row[0] + row[1]) + mark + re.escape(hhmm(row[2]) + row[3] + row[4] + row[5])
        assert re.search(pattern, changes), (pattern, changes)
        assert (row[6] in marked) is change.closed_day


def check_store(day: RichDay, r: Rendered) -> None:
    """The workstation report's figures against the store, counted apart with SQL."""
    s = r.report.summary
    day_cases = day.sql(
        "SELECT a.acceptance_no, a.item_code, a.state, u.username, a.received_at, a.called_at, a.decided_at"
        " FROM applications a JOIN users u ON u.id = a.clerk_id WHERE a.acceptance_no LIKE ? ORDER BY 1",
        f"%{DAY_NO}%",
    )
    kept = [c for c in day_cases if c[2] != "voided"]
    assert (len(kept), len(day_cases) - len(kept)) == (s.applications, s.voided) == (6, 1)
    totals = r.totals()
    assert [row[1] for row in r.book["汇总"][1:] if row[0] not in HEAD_ROWS][:2] == ["6", "1"]
    assert totals["日结"].startswith("已日结")
    assert {row[0]: int(row[2]) for row in r.rows("按事项")} == collections.Counter(c[1] for c in kept)
    assert {row[0]: int(row[2]) for row in r.rows("按人员")} == collections.Counter(c[3] for c in kept)
    hours = collections.Counter(f"{_local(c[4]).hour:02d}时" for c in kept)
    assert {h: int(n) for h, n in r.rows("按时段") if int(n)} == hours
    # 办理时长: the one case the queue called, ten minutes before its decision, is the longest of its item.
    ((item, called, decided),) = [(c[1], c[5], c[6]) for c in kept if c[5] is not None]
    longest = {row[0]: int(row[4]) for row in r.rows("办理时长")}
    assert longest[item] == (_utc(decided) - _utc(called)).total_seconds() == 600
    # First decisions and the return visit, from the decisions table.
    decisions = day.sql(
        "SELECT a.acceptance_no, d.decision FROM decisions d JOIN applications a ON a.id = d.application_id"
        " WHERE a.acceptance_no LIKE ? AND a.state != 'voided' ORDER BY d.decided_at",
        f"%{DAY_NO}%",
    )
    firsts: dict[str, str] = {}
    again: list[str] = []
    for number, decision in decisions:
        (again.append(decision) if number in firsts else firsts.setdefault(number, decision))
    assert collections.Counter(firsts.values()) == {t.key: t.count for t in s.by_decision}
    assert collections.Counter(again) == {t.key: t.count for t in s.return_visits} == {"accept": 1}
    assert sum(int(row[2]) for row in r.rows("按决定")) == len(firsts) + len(again) == 7
    # Ratings: one of every level, the 差评 one named (a phone kept) and one anonymous.
    levels = dict(day.sql("SELECT level, count(*) FROM ratings GROUP BY level"))
    assert levels == {level.value: 1 for level in RatingLevel}
    assert {row[0]: int(row[2]) for row in r.rows("评价")} == levels
    bad = day.sql(
        "SELECT a.acceptance_no, r.phone IS NOT NULL, r.closed_at IS NOT NULL,"
        " (SELECT count(*) FROM rating_follow_ups f WHERE f.rating_id = r.id)"
        " FROM ratings r JOIN applications a ON a.id = r.application_id"
        " WHERE r.level IN ('dissatisfied', 'very_dissatisfied') ORDER BY r.rated_at"
    )
    assert [(n, bool(named), bool(closed), steps) for n, named, closed, steps in bad] == [
        (day.cases["supplement"], True, False, 1),
        (day.cases["anonymous"], False, True, 3),
    ]
    assert [(b.acceptance_no, b.named, b.state) for b in s.bad_ratings] == [
        (day.cases["supplement"], True, "contacted"),
        (day.cases["anonymous"], False, "closed"),
    ]
    # Deadlines: the open accepted cases of other days past or near their promised dates.
    promised = dict(
        day.sql(
            "SELECT acceptance_no, promised_date FROM applications WHERE acceptance_no NOT LIKE ?"
            " AND state NOT IN ('voided', 'refused') AND promised_date IS NOT NULL",
            f"%{DAY_NO}%",
        )
    )
    assert {n: dt.date.fromisoformat(str(d)) for n, d in promised.items()} == {
        day.cases["late"]: dt.date(2026, 11, 2),  # 29 September + 20 working days, across 国庆 and its 调休
        day.cases["soon"]: s.due_soon[0].due,
    }
    assert MONDAY < s.due_soon[0].due <= MONDAY + dt.timedelta(days=3)
    assert [row[1] for row in r.rows("期限")] == [day.cases["late"], day.cases["soon"]]
    # Changes: two before the close, one after it on the closed day (its audit says which day).
    audited = day.sql(
        "SELECT action, details FROM audit_events WHERE action IN ('application.corrected', 'application.voided')"
        " ORDER BY seq"
    )
    closed_days = [json.loads(d).get("closed_day") for _, d in audited]
    assert closed_days == [None, None, MONDAY.isoformat()]
    assert [row[6] for row in r.rows("更正作废")][0] == [row[6] for row in r.rows("更正作废")][1]
    assert [c.closed_day for c in s.changes] == [False, False, True]
    ((closed_at, reason),) = day.sql("SELECT closed_at, reason FROM day_closes WHERE day = ?", MONDAY.isoformat())
    assert _utc(closed_at) == shanghai(MONDAY, 17, 30) and reason == CLOSE_REASON
    assert _utc(closed_at) < s.changes[-1].at
    # Sync: what waits and what the server refused, as the outbox holds it.
    states = dict(day.sql("SELECT state, count(*) FROM outbox GROUP BY state"))
    kinds = collections.Counter(row[0] for row in r.rows("数据上传"))
    assert sorted(kinds.values()) == sorted([states["pending"], states["quarantined"]]) == [1, 5]
    assert (len(r.report.unsynced), len(r.report.quarantined)) == (states["pending"], states["quarantined"])
    # 申请明细: the day's applications and nothing else; no whole ID number, no phone anywhere.
    details = r.rows("申请明细")
    assert tuple(r.book["申请明细"][0]) == RECORD_HEADER
    assert [row[0] for row in details] == [c[0] for c in day_cases]
    ids = [n for (n,) in day.sql("SELECT id_number FROM persons WHERE id_number IS NOT NULL")]
    for data in (r.pdf, r.xlsx, r.csv):
        assert PHONE.encode() not in data
    for number in ids:
        assert number.encode() not in r.csv and number not in "".join(r.lines)


def _utc(value: Any) -> dt.datetime:
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _local(value: Any) -> dt.datetime:
    return _utc(value).astimezone(dt.timezone(dt.timedelta(hours=8)))


# ------------------------------------------------------------------------------------------------ the tests


@pytest.fixture(scope="module")
def workstation(rich_day: RichDay) -> Rendered:
    return Rendered(rich_day, rich_day.workstation_report())


@pytest.fixture(scope="module")
def center(rich_day: RichDay) -> Rendered:
    return Rendered(rich_day, rich_day.center_report())


def test_the_workstation_reports_files_agree_table_by_table(workstation: Rendered) -> None:
    check_files_agree(workstation)


def test_the_workstation_report_agrees_with_the_store(rich_day: RichDay, workstation: Rendered) -> None:
    check_store(rich_day, workstation)


def test_the_closed_day_and_its_later_correction_are_marked(rich_day: RichDay, workstation: Rendered) -> None:
    report, close = workstation.report, rich_day.close
    assert (
        (report.closed_at, report.supervisor_name)
        == (close.closed_at, close.closed_by_name)
        == (
            shanghai(MONDAY, 17, 30),
            "张敏",
        )
    )
    header, closing = workstation.sections[""], workstation.sections["更正与作废"]
    assert "已日结" in report.close_text and "张敏" in report.close_text and "17:30" in report.close_text
    assert "".join(report.close_text.split()) in header and "".join(report.close_text.split()) in closing
    assert "未日结" not in "".join(workstation.lines)
    # The correction made after the close: marked in the PDF, flagged in the XLSX, the earlier two not.
    rows = workstation.rows("更正作废")
    assert [row[0] for row in rows] == [rich_day.cases[k] for k in ("voided", "jizhu", "called")]
    flags = [row[6] for row in rows]
    assert flags[0] == flags[1] != flags[2]
    assert re.search(re.escape(rows[2][0] + rows[2][1]) + r"（[^）]*已日结[^）]*）", closing)
    assert not re.search(re.escape(rows[0][0] + rows[0][1]) + "（", closing)


def test_the_sync_section_lists_what_waits_and_what_the_server_refused(
    rich_day: RichDay, workstation: Rendered
) -> None:
    report, rows = workstation.report, workstation.rows("数据上传")
    waiting = [row for row in rows if not row[5]]
    refused = [row for row in rows if row[5]]
    assert [row[1] for row in waiting] == [e.acceptance_no or "" for e in report.unsynced]
    assert [row[1] for row in refused] == [e.acceptance_no for e in report.quarantined] == [rich_day.cases["anonymous"]]
    assert [row[4] for row in rows] == [rep.age_text(e.age_seconds) for e in (*report.unsynced, *report.quarantined)]
    # The refused event held the case's later events back; the correction after the close waits too.
    assert {row[1] for row in waiting} == {rich_day.cases["anonymous"], rich_day.cases["called"]}
    assert "SHA-256" in refused[0][5]
    text = workstation.section("数据上传")
    assert re.search(rf"{len(waiting)}\D+{len(refused)}", text)
    for row in waiting:
        assert text.count(row[1] + row[2] + hhmm(row[3]) + row[4]) == waiting.count(row)
    for row in refused:
        assert row[1] + row[2] + hhmm(row[3]) + "".join(row[5].split()) in text
    last = rep.datetime_text(report.last_sync_at) if report.last_sync_at else ""
    assert report.last_sync_at == shanghai(MONDAY, 17, 35) and "".join(last.split()) in text


def test_the_center_reports_files_agree_table_by_table(center: Rendered) -> None:
    check_files_agree(center)


def test_the_center_report_holds_its_two_workstations_and_agrees_with_the_server(
    rich_day: RichDay, center: Rendered
) -> None:
    figures = rich_day.center.figures
    assert figures is not None and figures.center_code == CENTER and not rich_day.center.stale
    s = center.report.summary
    assert s == figures.summary
    # The server's own rows: center A's applications of the day (the refused case never arrived), not center B's.
    received = {code: n for (c, code), n in rich_day.server_received.items() if c == CENTER}
    voided = sum(n for (c, _), n in rich_day.server_voided.items() if c == CENTER)
    assert received == {"003": 6, "004": 2} and rich_day.server_received[(OTHER, "003")] == 2
    assert (s.applications, s.voided) == (sum(received.values()) - voided, voided) == (7, 1)
    levels = {t.key: t.count for t in s.ratings if t.count}
    assert levels == rich_day.server_levels  # the anonymous 差评 waits behind its refused case
    assert RatingLevel.VERY_DISSATISFIED.value not in levels
    # Each workstation's applications are counted as the total is: without the voided one, so they add up.
    counted = {code: n - rich_day.server_voided.get((CENTER, code), 0) for code, n in received.items()}
    assert sum(counted.values()) == s.applications
    rows = center.rows("数据上传")
    assert [(row[0], int(row[1])) for row in rows] == sorted(counted.items())
    assert [(w.workstation_code, w.applications) for w in figures.workstations] == sorted(counted.items())
    text = center.section("数据上传")
    for row, line in zip(rows, center.report.workstations, strict=True):
        if line.closed_at is None:
            in_order(text, [row[0] + row[1], "未日结"])
        else:
            in_order(text, [row[0] + row[1], hhmm(row[4]) + row[5], "".join(row[6].split())])
    (closed,) = [row for row in rows if row[0] == "003"]
    assert (closed[5], closed[6]) == ("zhangmin", CLOSE_REASON)
    # One of the two did not close: the center's day is not closed, in both files; no records in the XLSX.
    assert center.report.closed_at is None and center.totals()["日结"] == center.report.close_text
    assert "".join(center.report.close_text.split()) in center.sections[""]
    assert center.book["申请明细"] == [list(RECORD_HEADER)]


def test_a_clerks_own_report_agrees_and_holds_only_their_cases(rich_day: RichDay) -> None:
    services = rich_day.services
    own = services.reports.day_summary(rich_day.liyan, MONDAY)
    r = Rendered(rich_day, rep.from_workstation(own, services.day_close.closed(MONDAY)))
    check_files_agree(r)
    assert r.report.clerk_only == "liyan" and r.totals()["仅含经办人"] == "李䶮"
    day_numbers = rich_day.sql(
        "SELECT a.acceptance_no FROM applications a JOIN users u ON u.id = a.clerk_id"
        " WHERE u.username = 'liyan' AND a.acceptance_no LIKE ? ORDER BY a.received_at",
        f"%{DAY_NO}%",
    )
    assert (
        [row[0] for row in r.rows("申请明细")]
        == [n for (n,) in day_numbers]
        == [rich_day.cases[k] for k in ("refused", "jizhu", "voided")]
    )
    assert [row[:3] for row in r.rows("按人员")] == [["liyan", "李䶮", "2"]]
    assert r.rows("差评") == [] and {row[0] for row in r.rows("更正作废")} == {
        rich_day.cases["jizhu"],
        rich_day.cases["voided"],
    }
    assert r.rows("数据上传") == []  # every event of their cases reached the server
