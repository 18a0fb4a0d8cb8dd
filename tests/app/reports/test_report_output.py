"""The reports' output (app/documents/daily_report.py, app/reports/exports.py, app/reports/ratings_export.py) on a
real day: cases taken and rated through the use cases (reportkit), the figures from ``services.reports``, the PDF
read back with poppler, the XLSX with openpyxl, the CSV with the csv module; the store counted with SQL apart."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

import openpyxl
import pytest

from app.documents.daily_report import render_daily_report
from app.domain import FollowUpStep, Verification
from app.errors import NotAllowedError, ValidationError
from app.ratings import FollowUpInput
from app.reports import figures
from app.reports import report as rep
from app.reports.exports import RECORD_HEADER, case_records, export_daily, read_csv_tables, write_csv, write_xlsx
from app.reports.ratings_export import RATING_FIELDS, STEP_FIELDS, export_ratings
from tests import pdfkit
from tests.app.reports.reportkit import MONDAY, PHONE, Day, build_day
from tests.storekit import connect_store

SHEETS = [
    "汇总",
    "按事项",
    "按决定",
    "按人员",
    "按时段",
    "办理时长",
    "评价",
    "差评",
    "期限",
    "更正作废",
    "数据上传",
    "申请明细",
]
MASKED_ID = re.compile(r"^\d{3}\*{11}[\dX]{4}$")


@pytest.fixture
def day(services: Any, clock: Any) -> Day:
    return build_day(services, clock)


def sql(services: Any, query: str, *args: Any) -> list[tuple[Any, ...]]:
    with connect_store(services.db.path) as conn:
        return conn.execute(query, args).fetchall()


def workstation_report(day: Day, user: Any = None) -> rep.DailyReport:
    services = day.services
    summary = services.reports.day_summary(user or day.supervisor, MONDAY)
    return rep.from_workstation(summary, services.day_close.closed(MONDAY))


def xlsx_tables(data: bytes) -> dict[str, list[list[str]]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return {
        sheet.title: [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        for sheet in book.worksheets
    }


def test_the_pdf_prints_every_section_of_the_days_figures(day: Day) -> None:
    report = workstation_report(day)
    s = report.summary
    assert s.applications == 4  # the fixture's four cases, through the real summary
    pdf = render_daily_report(report)
    text = pdfkit.flat(pdf)
    pages = int(pdfkit.info(pdf)["Pages"])
    for n in range(1, pages + 1):
        assert f"第{n}页共{pages}页" in text
    assert "受理窗口日报" in text and day.services.deployment.center_name in text
    assert f"工位{day.services.deployment.workstation_code}" in text and "2026年11月23日" in text
    for heading in ("总体情况", "按事项", "按首次决定", "按经办人", "按时段", "办理时长", "群众评价", "办理期限"):
        assert heading in text
    assert "数据上传" in text and "更正与作废" in text and "未日结" in text
    # The figures as the summary has them: per item, per clerk (a rare character), the rates.
    for tally in (*s.by_item, *s.by_clerk, *s.by_decision):
        assert tally.label in text
    assert "李䶮" in text and "王丽" in text
    assert f"满意率{rep.percent(s.satisfaction_rate)}" in text and f"评价率{rep.percent(s.rated_share)}" in text
    # The totals as the XLSX's 汇总 gives them, read from the same report.
    totals = {row[0]: row[1] for row in xlsx_tables(write_xlsx(report))["汇总"][1:]}
    for label in ("收件（件，不含作废）", "另作废（件）", "差评（件）", "超期未办结（件）", "评价率", "满意率"):
        assert f"{label}{totals[label]}" in text, label
    # The 差评 with its state and deadlines; the charts' captions and the hours of the day.
    assert day.bad.acceptance_no in text and "待回访" in text and "实名" in text
    assert "受理申请" not in text and "其中已作废" not in text  # voided cases are apart, not part of the count
    assert "按时段（收件时间）受理量" in text and "按事项受理量" in text and "群众评价（按等级）" in text
    assert "09时" in text and "14时" in text
    # No ID number, masked or whole, and no phone number: the summary holds none.
    assert not re.search(r"\d{17}[\dX]|\d{3}\*{6,}", text) and PHONE not in text and "13*" not in text
    for number in day.full_ids:
        assert number not in text


def test_a_closed_day_prints_who_closed_it_and_when(day: Day) -> None:
    services = day.services
    services.day_close.close(day.supervisor, MONDAY, "supervisor-pass-1", "测试：有未上传的事件。")
    report = workstation_report(day)
    assert report.closed_at is not None and report.supervisor_name == "张敏"
    text = pdfkit.flat(render_daily_report(report))
    assert "已日结：张敏，2026年11月23日17:30" in text and "未日结" not in text


def test_xlsx_and_csv_hold_the_same_tables_that_agree_with_the_summary_and_the_store(day: Day) -> None:
    services = day.services
    report = workstation_report(day)
    xlsx = export_daily(services, day.supervisor, report, "xlsx")
    csv_bytes = export_daily(services, day.supervisor, report, "csv")
    assert csv_bytes.startswith("\ufeff".encode())  # Excel opens UTF-8 Chinese only with the BOM
    book, sheets = xlsx_tables(xlsx), read_csv_tables(csv_bytes)
    assert list(book) == SHEETS and list(sheets) == SHEETS
    assert book == sheets  # cell for cell, as text
    # 申请明细: every application of the day in the store, counted apart with SQL, in the order received.
    ((stored,),) = sql(services, "SELECT count(*) FROM applications")
    details = book["申请明细"]
    assert tuple(details[0]) == RECORD_HEADER and len(details) - 1 == stored == 4
    assert [row[0] for row in details[1:]] == day.numbers
    names = {row[6] for row in details[1:]}
    assert {"阿依古丽·买买提", "张𠮷"} <= names
    assert all(MASKED_ID.match(row[7]) for row in details[1:]), [row[7] for row in details[1:]]
    assert {row[2] for row in details[1:]} == {"王丽", "李䶮"}
    for number in day.full_ids:
        assert number.encode() not in csv_bytes
    # The figures: the per-item counts add up to the summary's total and the detail lines.
    s = report.summary
    by_item = book["按事项"][1:]
    assert sum(int(row[2]) for row in by_item) == s.applications == stored
    summary_rows = dict((row[0], row[1]) for row in book["汇总"][1:])
    assert summary_rows["收件（件，不含作废）"] == str(s.applications)
    assert summary_rows["满意率"] == rep.percent(s.satisfaction_rate) and summary_rows["日结"] == "未日结"
    per_clerk = {row[1]: int(row[2]) for row in book["按人员"][1:]}
    assert per_clerk == {"王丽": 2, "李䶮": 2}
    hours = {row[0]: int(row[1]) for row in book["按时段"][1:]}
    assert {h: n for h, n in hours.items() if n} == {"09时": 2, "10时": 1, "14时": 1}
    assert sum(hours.values()) == stored
    levels = {row[1]: int(row[2]) for row in book["评价"][1:]}
    assert levels["不满意"] == 1 and levels["非常满意"] == 1 and levels["未评价"] == 1
    (bad,) = book["差评"][1:]
    assert bad[0] == day.bad.acceptance_no and bad[4] == "实名" and bad[7] == "待回访"
    # Every export is audited, without any number.
    actions = sql(services, "SELECT action, details FROM audit_events WHERE action LIKE 'report.%'")
    assert [a for a, _ in actions] == ["report.daily_exported", "report.daily_exported"]
    assert json.loads(actions[0][1])["records"] == 4 and json.loads(actions[0][1])["full_ids"] is False


def test_the_csv_is_one_section_per_table_each_with_its_header(day: Day) -> None:
    report = workstation_report(day)
    rows = list(csv.reader(io.StringIO(write_csv(report).decode("utf-8-sig"))))
    marks = [i for i, row in enumerate(rows) if len(row) == 1 and row[0].startswith("【")]
    assert [rows[i][0] for i in marks] == [f"【{name}】" for name in SHEETS]
    for i in marks[1:]:
        assert rows[i - 1] == []  # an empty line before each table
    assert rows[marks[-1] + 1] == list(RECORD_HEADER)


def test_full_id_numbers_need_a_supervisor_and_are_audited(day: Day) -> None:
    services = day.services
    report = workstation_report(day)
    for who in (day.clerk, day.admin):
        with pytest.raises(NotAllowedError, match="完整证件号码"):
            export_daily(services, who, report, "csv", full_ids=True)
    assert sql(services, "SELECT count(*) FROM audit_events WHERE action LIKE 'report.%'") == [(0,)]
    data = export_daily(services, day.supervisor, report, "xlsx", full_ids=True)
    shown = {row[7] for row in xlsx_tables(data)["申请明细"][1:]}
    assert shown <= set(day.full_ids) and len(shown) == 2  # two applicants over the four cases
    ((action, details),) = sql(services, "SELECT action, details FROM audit_events WHERE action LIKE 'report.%'")
    assert action == "report.full_ids_exported" and json.loads(details)["full_ids"] is True
    assert not any(number in details for number in day.full_ids)


def test_a_clerk_exports_only_their_own_cases(day: Day) -> None:
    services = day.services
    report = workstation_report(day, day.other)
    assert report.clerk_only == "liyan" and report.summary.applications == 2
    details = xlsx_tables(export_daily(services, day.other, report, "xlsx"))["申请明细"][1:]
    assert [row[0] for row in details] == day.numbers[2:] and {row[2] for row in details} == {"李䶮"}
    # Asking for someone else's records gives one's own, whatever is asked.
    assert [r.acceptance_no for r in case_records(services, day.other, MONDAY, clerk="wangli")] == day.numbers[2:]
    with pytest.raises(NotAllowedError):
        export_daily(
            services,
            day.other,
            rep.from_summary(report.summary, scope="center", center_name="x", generated_at=report.generated_at),
            "csv",
        )
    assert "本报表只含经办人李䶮本人办理的业务" in pdfkit.flat(render_daily_report(report))


def test_an_empty_day_prints_and_exports_without_charts_or_rows(services: Any, supervisor: Any) -> None:
    summary = services.reports.day_summary(supervisor, MONDAY)
    report = rep.from_workstation(summary)
    pdf = render_daily_report(report)
    text = pdfkit.flat(pdf)
    assert "本期没有受理记录。" in text and "本期没有差评。" in text and "收件（件，不含作废）0" in text
    assert f"共{pdfkit.info(pdf)['Pages']}页" in text
    assert "按事项受理量" not in text  # no empty chart
    book = xlsx_tables(write_xlsx(report))
    assert list(book) == SHEETS and book["申请明细"] == [list(RECORD_HEADER)]


def test_the_center_report_names_each_workstation_and_marks_the_silent_ones(day: Day) -> None:
    now = day.services.intake.clock()
    from datetime import timedelta

    from app.sync import protocol

    center = protocol.CenterFigures(
        center_code="310104003",
        generated_at=now,
        summary=figures.Summary(first=MONDAY, last=MONDAY, applications=9),
        workstations=[
            protocol.WorkstationDay(
                workstation_code="003",
                applications=4,
                last_push_at=now - timedelta(minutes=5),
                last_accepted_at=now - timedelta(minutes=5),
                closed_at=now,
                closed_by="张敏",
                closed_days=[MONDAY],
            ),
            # 004's last push was answered two minutes ago, but the server stored nothing of it for three hours:
            # its pushes are refused.  Silent is judged on the last accepted event, not on the last push answered.
            protocol.WorkstationDay(
                workstation_code="004",
                applications=5,
                last_push_at=now - timedelta(minutes=2),
                last_accepted_at=now - timedelta(hours=3),
            ),
            protocol.WorkstationDay(workstation_code="005", applications=0, last_push_at=None),
        ],
    )
    report = rep.from_center(center, center_name="测试中心", now=now, silent_minutes=60)
    assert [w.silent for w in report.workstations] == [False, True, True]
    assert [w.reaching for w in report.workstations] == [False, True, False]
    assert report.closed_at is None  # not every workstation closed
    text = pdfkit.flat(render_daily_report(report))
    assert "中心日报" in text and "全中心" in text and "从未成功上传（长时间未成功上传）" in text
    three_hours_ago = rep.datetime_text(now - timedelta(hours=3)).replace(" ", "")
    pushed = rep.local(now - timedelta(minutes=2)).strftime("%H:%M")
    assert f"{three_hours_ago}（长时间未成功上传；{pushed}仍连接服务器" in text  # the cell wraps after it
    assert "长时间未成功上传的工位：004、005" in text
    book = xlsx_tables(export_daily(day.services, day.supervisor, report, "xlsx"))
    sheet = book["数据上传"]
    assert [row[0] for row in sheet[1:]] == ["003", "004", "005"]
    assert [row[3] for row in sheet[1:]] == ["否", "是", "是"]
    local = lambda m: rep.local(m).strftime("%Y-%m-%d %H:%M")  # noqa: E731
    assert (sheet[2][2], sheet[2][8]) == (local(now - timedelta(hours=3)), local(now - timedelta(minutes=2)))
    assert (sheet[1][7], sheet[2][7], sheet[3][2]) == (MONDAY.isoformat(), "", "从未成功上传")
    # The server gives the center's figures, not its records: no 申请明细 (this store's four cases are not it).
    assert book["申请明细"] == [list(RECORD_HEADER)] and "全中心报表不含申请明细" in str(book["汇总"])
    with pytest.raises(NotAllowedError):
        export_daily(day.services, day.clerk, report, "pdf")


def test_the_center_report_of_several_days_lists_the_days_each_workstation_closed(day: Day) -> None:
    from datetime import timedelta

    from app.sync import protocol

    now = day.services.intake.clock()
    tuesday, wednesday = MONDAY + timedelta(days=1), MONDAY + timedelta(days=2)
    close = protocol.WorkstationClose(day=tuesday, closed_at=now, closed_by="张敏")
    center = protocol.CenterFigures(
        center_code="310104003",
        generated_at=now,
        summary=figures.Summary(first=MONDAY, last=wednesday, applications=9),
        workstations=[
            protocol.WorkstationDay(
                workstation_code="003",
                applications=4,
                last_push_at=now,
                last_accepted_at=now,
                closed_days=[MONDAY, tuesday],
                last_close=close,
            ),
            protocol.WorkstationDay(workstation_code="004", applications=5, last_push_at=now, last_accepted_at=now),
        ],
    )
    report = rep.from_center(center, center_name="测试中心", now=now, silent_minutes=60)
    assert [w.close_text for w in report.workstations] == ["已日结 11-23、11-24", "未日结"]
    assert not any(w.silent for w in report.workstations) and report.closed_at is None  # Wednesday is not closed
    text = pdfkit.flat(render_daily_report(report))
    assert "003" + "4" in text and "已日结11-23、11-24" in text
    sheet = xlsx_tables(export_daily(day.services, day.supervisor, report, "xlsx"))["数据上传"]
    assert [row[7] for row in sheet[1:]] == [f"{MONDAY.isoformat()}、{tuesday.isoformat()}", ""]


def test_the_ratings_export_lists_each_rating_and_the_follow_up_steps(day: Day, clock: Any) -> None:
    services = day.services
    clock.advance(minutes=10)
    services.ratings.follow_up(
        day.bad.id, FollowUpInput(FollowUpStep.CONTACT, reached=True, note="已联系，群众反映排队久。"), day.supervisor
    )
    clock.advance(minutes=10)
    services.ratings.follow_up(
        day.bad.id, FollowUpInput(FollowUpStep.VERIFICATION, verification=Verification.TRUE), day.supervisor
    )
    data, export = export_ratings(services, day.supervisor, MONDAY, MONDAY, "json")
    body = json.loads(data)
    assert body["format"] == "yimen.ratings/1" and body["phones"] == "masked" and body["count"] == 3
    ((stored,),) = sql(services, "SELECT count(*) FROM ratings")
    assert len(body["ratings"]) == stored == 3
    by_level = {r["level"]: r for r in body["ratings"]}
    assert set(by_level) == {"dissatisfied", "very_satisfied", "unrated"}
    bad = by_level["dissatisfied"]
    assert set(bad) == {*RATING_FIELDS, "follow_ups"}
    assert bad["level_name"] == "不满意" and bad["stars"] == 2 and bad["bad"] is True
    assert bad["reasons"] == ["long_wait"] and bad["reason_names"] == ["等候时间长"]
    assert bad["phone"] == "139****5678" and bad["named"] is True and bad["rated_at"].endswith("+08:00")
    assert bad["follow_up_state"] == "contacted" and bad["clerk_name"] == "王丽"
    assert [(s["step"], s["step_name"], s["by_name"]) for s in bad["follow_ups"]] == [
        ("contact", "回访联系", "张敏"),
        ("verification", "核实", "张敏"),
    ]
    assert bad["follow_ups"][1]["verification_name"] == "属实"
    assert by_level["very_satisfied"]["follow_up_state"] is None and by_level["unrated"]["stars"] == 0
    assert PHONE.encode() not in data
    # The CSV: the same ratings and steps, as two tables.
    csv_data, _ = export_ratings(services, day.supervisor, MONDAY, MONDAY, "csv")
    tables = read_csv_tables(csv_data)
    assert tables["评价"][0] == list(RATING_FIELDS) and tables["回访整改"][0] == list(STEP_FIELDS)
    assert sorted(row[0] for row in tables["评价"][1:]) == sorted(r["rating_id"] for r in body["ratings"])
    assert [row[4] for row in tables["回访整改"][1:]] == ["回访联系", "核实"]
    assert len(export.ratings) == 3
    actions = sql(services, "SELECT details FROM audit_events WHERE action = 'report.ratings_exported'")
    assert len(actions) == 2 and json.loads(actions[0][0])["ratings"] == 3


def test_full_phones_need_a_supervisor_and_a_clerk_gets_their_own_ratings(day: Day) -> None:
    services = day.services
    for who in (day.clerk, day.admin):
        with pytest.raises(NotAllowedError):
            export_ratings(services, who, MONDAY, MONDAY, "json", full_phones=True)
    data, _ = export_ratings(services, day.supervisor, MONDAY, MONDAY, "json", full_phones=True)
    body = json.loads(data)
    assert body["phones"] == "full" and PHONE in [r["phone"] for r in body["ratings"]]
    (details,) = sql(services, "SELECT details FROM audit_events WHERE action = 'report.ratings_exported'")[-1]
    assert PHONE not in details and json.loads(details)["full_phones"] is True
    own, _ = export_ratings(services, day.other, MONDAY, MONDAY, "json")
    assert {r["clerk"] for r in json.loads(own)["ratings"]} == {"liyan"}
    with pytest.raises(ValidationError, match="结束日期不能早于开始日期"):
        export_ratings(services, day.supervisor, MONDAY, MONDAY.replace(day=22), "csv")


def test_an_anonymous_bad_rating_reads_the_same_in_the_pdf_and_the_spreadsheets_as_in_the_window(day: Day) -> None:
    from app import ratings
    from app.domain import BadRatingReason, RatingLevel, RatingOccasion
    from app.ratings import RatingInput

    services = day.services
    services.ratings.record(
        day.numbers[0],
        RatingOccasion.DECISION,
        RatingInput(RatingLevel.VERY_DISSATISFIED, (BadRatingReason.ATTITUDE,)),
        day.clerk,
    )
    report = workstation_report(day)
    rows = {row[0]: row for row in xlsx_tables(write_xlsx(report))["差评"][1:]}
    anonymous, named = rows[day.numbers[0]], rows[day.bad.acceptance_no]
    # Nobody can call an anonymous one back: 待办结 and no call-back deadline, as the window says (app.ratings).
    assert (anonymous[4], anonymous[5], anonymous[7]) == ("匿名", "（匿名，不回访）", "待办结")
    assert (named[4], named[5], named[7]) == ("实名", "2026-11-24", "待回访")
    assert ratings.state_label("open", False).render() == "待办结" == rep.follow_up_state_text("open", False)
    text = pdfkit.flat(render_daily_report(report))
    assert "待办结" in text and "（匿名，不回访）" in text and "实名/匿名" in text
    data, _ = export_ratings(services, day.supervisor, MONDAY, MONDAY, "json")
    states = {r["acceptance_no"]: r["follow_up_state_name"] for r in json.loads(data)["ratings"] if r["bad"]}
    assert states == {day.numbers[0]: "待办结", day.bad.acceptance_no: "待回访"}


def test_the_deadline_counts_are_the_true_totals_when_the_lists_are_cut(
    services: Any, clock: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datetime as dt

    from app.localtime import SHANGHAI
    from app.reports import summary as summary_module
    from tests.app.documents.doc_testkit import take
    from tests.conftest import add_user

    monkeypatch.setattr(summary_module, "DEADLINE_ROWS", 2)  # as if 200 were read of 201
    clerk = add_user(services, "wangli")
    supervisor = add_user(services, "zhangmin", supervisor=True)
    for day in (28, 29, 30):  # promised 30 Oct, 2 Nov, 3 Nov: all late on 20 Nov
        clock.now = dt.datetime(2026, 9, day, 10, tzinfo=SHANGHAI).astimezone(dt.UTC)
        take(services, clerk, "MZ-SHJZ-002")
    clock.now = dt.datetime(2026, 11, 20, 9, tzinfo=SHANGHAI).astimezone(dt.UTC)
    report = rep.from_workstation(services.reports.day_summary(supervisor, dt.date(2026, 11, 20)))
    assert len(report.summary.overdue) == 2 and report.summary.overdue_total == 3
    book = xlsx_tables(write_xlsx(report))
    totals = {row[0]: row[1] for row in book["汇总"][1:]}
    assert totals["超期未办结（件）"] == "3" and len(book["期限"]) - 1 == 2
    assert totals["注意"] == "“期限”表只列出一部分：已超期 3 件（只列出最早到期的 2 件），三个工作日内到期 0 件"
    text = pdfkit.flat(render_daily_report(report))
    assert "超期未办结（件）3" in text and "已超过承诺期限未办结：3件（只列出最早到期的2件）" in text


def test_the_ratings_export_holds_an_older_bad_rating_followed_up_in_the_period(day: Day, clock: Any) -> None:
    import datetime as dt

    services = day.services
    clock.advance(days=1)  # Tuesday: the call-back of Monday's 差评
    services.ratings.follow_up(
        day.bad.id, FollowUpInput(FollowUpStep.CONTACT, reached=True, note="已联系。"), day.supervisor
    )
    tuesday = MONDAY + dt.timedelta(days=1)
    data, export = export_ratings(services, day.supervisor, tuesday, tuesday, "json")
    (record,) = json.loads(data)["ratings"]  # rated on Monday, followed up on Tuesday
    assert record["acceptance_no"] == day.bad.acceptance_no and record["rated_at"].startswith("2026-11-23")
    assert [s["step"] for s in record["follow_ups"]] == ["contact"]
    assert record["follow_up_state_name"] == "已回访，待办结"
    # A day with neither a rating nor a step holds nothing.
    wednesday = tuesday + dt.timedelta(days=1)
    assert export_ratings(services, day.supervisor, wednesday, wednesday, "json")[1].ratings == []
