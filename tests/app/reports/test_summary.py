"""The workstation's summary and the center's figures (app/reports/summary.py, ``services.reports``) on real stores:
a day built through the real use cases (decisions, a 补正 and its return visit, a voided and a corrected case
approved by a supervisor, ratings through ``services.ratings``), the summary checked against the records; a clerk's
own figures; a deadline across the National Day holiday; the queries on their indexes; the center's figures from a
real central server, then offline from the cache."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Any

import pytest
from sqlalchemy import event, select, update

from app.domain import BadRatingReason, Decision, RatingLevel, RatingOccasion, Role
from app.errors import NotAllowedError, ValidationError
from app.intake.model import DecisionInput
from app.ratings import RatingInput
from app.reports import figures
from app.reports.summary import CenterView, WorkstationSummary
from app.security.permissions import MACHINE
from db.models import Application, OutboxEntry
from tests.app.documents.doc_testkit import bring_missing, take
from tests.app.reports.reportkit import shanghai, taken_with_call
from tests.app.sync.synckit import Workstation
from tests.conftest import add_user
from tests.storekit import connect_store

ITEM = "MZ-SHJZ-002"  # 临时救助
DAY = dt.date(2026, 11, 23)  # the clock fixture's Monday


def counts(tallies: list[figures.Tally]) -> dict[str, int]:
    return {t.key: t.count for t in tallies if t.count}


class Day:
    """The fixture day: five cases of two clerks, a 补正 and its return visit, a 作废 and a 更正, five ratings."""

    def __init__(self, services: Any, clock: Any) -> None:
        self.services = services
        self.wangli = add_user(services, "wangli")
        self.lisi = add_user(services, "lisi")
        self.zhangmin = add_user(services, "zhangmin", supervisor=True)
        ratings = services.ratings
        clock.now = shanghai(DAY, 10)
        self.a = taken_with_call(services, self.wangli, shanghai(DAY, 9, 50))
        ratings.record(
            self.a.acceptance_no, RatingOccasion.DECISION, RatingInput(RatingLevel.VERY_SATISFIED), self.wangli
        )
        clock.now = shanghai(DAY, 10, 20)
        self.b = take(services, self.wangli, ITEM, Decision.SUPPLEMENT)
        bad = RatingInput(
            RatingLevel.DISSATISFIED, (BadRatingReason.REPEAT_VISITS,), "材料清单没说清楚。", "13800138000"
        )
        self.bad = ratings.record(self.b.acceptance_no, RatingOccasion.DECISION, bad, self.wangli)
        clock.now = shanghai(DAY, 10, 40)
        self.c = take(services, self.lisi, ITEM, Decision.REFUSE)
        ratings.skip(self.c.acceptance_no, RatingOccasion.DECISION, self.lisi)
        clock.now = shanghai(DAY, 11)
        self.d = take(services, self.lisi, ITEM)
        ratings.record(self.d.acceptance_no, RatingOccasion.DECISION, RatingInput(RatingLevel.SATISFIED), self.lisi)
        clock.now = shanghai(DAY, 11, 20)
        self.e = take(services, self.wangli, ITEM)  # not rated: the citizen was not asked
        clock.now = shanghai(DAY, 14)
        services.intake.supplement_return(
            self.b.acceptance_no,
            bring_missing(services, self.b.acceptance_no),
            DecisionInput(Decision.ACCEPT),
            self.wangli,
        )
        ratings.record(
            self.b.acceptance_no, RatingOccasion.RETURN_VISIT, RatingInput(RatingLevel.VERY_SATISFIED), self.wangli
        )
        clock.now = shanghai(DAY, 15)
        services.intake.void(self.d.acceptance_no, reason="重复录入的申请", approver=self.zhangmin, user=self.lisi)
        clock.now = shanghai(DAY, 15, 30)
        values = dict(services.intake.load(self.e.acceptance_no).values)
        services.intake.correct(
            self.e.acceptance_no,
            values=values,
            reason="申请人联系地址录入有误",
            approver=self.zhangmin,
            user=self.wangli,
        )
        clock.now = shanghai(DAY, 17)


@pytest.fixture
def day(services: Any, clock: Any) -> Day:
    return Day(services, clock)


def test_the_day_summary_agrees_with_the_records(services: Any, day: Day) -> None:
    result = services.reports.day_summary(day.zhangmin, DAY)
    assert isinstance(result, WorkstationSummary)
    s = result.summary
    assert (s.first, s.last, result.clerk_only) == (DAY, DAY, None)
    assert (result.workstation_code, result.center_name) == (
        services.deployment.workstation_code,
        services.deployment.center_name,
    )
    # The store itself, counted independently: five applications received today, one of them voided since.
    with connect_store(services.db.path) as conn:
        states = dict(conn.execute("SELECT acceptance_no, state FROM applications").fetchall())
    assert len(states) == 5 and list(states.values()).count("voided") == 1
    assert (s.applications, s.voided) == (4, 1)
    item_name = services.catalog.entry(ITEM).item.name.zh
    assert [(t.key, t.label, t.count) for t in s.by_item] == [(ITEM, item_name, 4)]
    assert counts(s.by_decision) == {"accept": 2, "supplement": 1, "refuse": 1}
    assert counts(s.return_visits) == {"accept": 1}
    assert [(t.key, t.count) for t in s.by_clerk] == [("wangli", 3), ("lisi", 1)]
    assert counts(s.by_hour) == {"10": 3, "11": 1}  # the voided 11:00 case is not counted
    (duration,) = s.durations
    # A was called at 09:50 and decided at 10:00; the others were decided the moment they were opened.
    assert (duration.count, duration.median_seconds, duration.longest_seconds) == (4, 0, 600)
    assert counts(s.ratings) == {"very_satisfied": 2, "satisfied": 1, "dissatisfied": 1, "unrated": 1}
    # Six visits (five decisions, voided one included, and the return visit), four rated (未评价 is not a rating).
    assert s.rated_share == pytest.approx(4 / 6)
    assert s.satisfaction_rate == pytest.approx(3 / 4)
    (bad,) = s.bad_ratings
    assert (bad.acceptance_no, bad.clerk, bad.level, bad.named, bad.state, bad.overdue) == (
        day.b.acceptance_no,
        "wangli",
        RatingLevel.DISSATISFIED,
        True,
        "open",
        False,
    )
    assert bad.rating_id == str(day.bad.id) and bad.contact_due == dt.date(2026, 11, 24)
    assert [(c.acceptance_no, c.kind, c.clerk, c.approved_by, c.reason, c.closed_day) for c in s.changes] == [
        (day.d.acceptance_no, "voided", "lisi", "zhangmin", "重复录入的申请", False),
        (day.e.acceptance_no, "corrected", "wangli", "zhangmin", "申请人联系地址录入有误", False),
    ]
    assert s.overdue == [] and s.due_soon == []  # 20 working days ahead
    # Nothing is enrolled: every event waits, with its age; nothing was refused.
    with connect_store(services.db.path) as conn:
        pending = conn.execute("SELECT count(*) FROM outbox WHERE state = 'pending'").fetchone()[0]
    assert len(result.sync.unsynced) == pending > 10 and result.sync.quarantined == []
    first = result.sync.unsynced[0]
    assert first.acceptance_no == day.a.acceptance_no and first.event_type == "application.taken"
    assert first.age_seconds == 7 * 3600  # taken at 10:00, summarized at 17:00
    assert result.sync.last_success_at is None
    # The day before and the day after hold none of it.
    for other in (DAY - dt.timedelta(days=1), DAY + dt.timedelta(days=1)):
        empty = services.reports.day_summary(day.zhangmin, other).summary
        assert empty.applications == 0 and empty.changes == [] and empty.rated_share is None
        assert sum(t.count for t in empty.ratings) == 0
        # The 差评 is on the next day's list while its follow-up is open (and on no list of the day before).
        assert [b.acceptance_no for b in empty.bad_ratings] == ([day.b.acceptance_no] if other > DAY else [])
    week = services.reports.day_summary(day.zhangmin, DAY - dt.timedelta(days=3), DAY + dt.timedelta(days=3))
    assert week.summary.applications == 4 and week.summary.rated_share == pytest.approx(4 / 6)


def test_a_return_visit_on_a_later_day_counts_on_that_day(services: Any, day: Day, clock: Any) -> None:
    waiting = take(services, day.wangli, ITEM, Decision.SUPPLEMENT)
    clock.now = shanghai(DAY + dt.timedelta(days=2), 9, 30)
    services.intake.supplement_return(
        waiting.acceptance_no, bring_missing(services, waiting.acceptance_no), DecisionInput(Decision.ACCEPT), day.lisi
    )
    wednesday = services.reports.day_summary(day.zhangmin, DAY + dt.timedelta(days=2)).summary
    assert wednesday.applications == 0 and counts(wednesday.return_visits) == {"accept": 1}
    assert wednesday.rated_share == 0.0  # one visit, not rated
    monday = services.reports.day_summary(day.zhangmin, DAY).summary
    assert monday.applications == 5 and counts(monday.return_visits) == {"accept": 1}  # the fixture's own


def test_a_clerk_gets_only_their_own_figures_whatever_they_ask(services: Any, day: Day) -> None:
    for asked in (None, "wangli", "zhangmin", ""):
        mine = services.reports.day_summary(day.lisi, DAY, clerk=asked)
        assert mine.clerk_only == "lisi"
        s = mine.summary
        assert (s.applications, s.voided) == (1, 1)
        assert counts(s.by_clerk) == {"lisi": 1} and counts(s.by_decision) == {"refuse": 1}
        assert counts(s.ratings) == {"satisfied": 1, "unrated": 1}
        assert s.bad_ratings == []  # wangli's 差评 is not lisi's business
        assert [c.acceptance_no for c in s.changes] == [day.d.acceptance_no]
        # Only the events of lisi's own cases.
        assert {e.acceptance_no for e in mine.sync.unsynced} == {day.c.acceptance_no, day.d.acceptance_no}
    # A supervisor may look at one clerk, and at everyone; IT's admin (and the command line) at everyone.
    theirs = services.reports.day_summary(day.zhangmin, DAY, clerk="wangli")
    assert theirs.clerk_only == "wangli" and theirs.summary.applications == 3
    assert [b.acceptance_no for b in theirs.summary.bad_ratings] == [day.b.acceptance_no]
    assert services.reports.day_summary(MACHINE, DAY).summary.applications == 4
    admin = dataclasses.replace(day.zhangmin, username="it", role=Role.ADMIN)
    assert services.reports.day_summary(admin, DAY).clerk_only is None
    # A clerk may not ask the server for the center's figures either.
    with pytest.raises(NotAllowedError, match="只能查看本人"):
        services.reports.center_figures(day.lisi, DAY)


def test_an_account_on_a_temporary_password_sees_nothing(services: Any, day: Day) -> None:
    with pytest.raises(NotAllowedError, match="临时密码"):
        services.reports.day_summary(dataclasses.replace(day.lisi, must_change_password=True), DAY)
    with pytest.raises(NotAllowedError, match="临时密码"):
        services.reports.day_summary(dataclasses.replace(day.zhangmin, must_change_password=True), DAY)


def test_a_period_must_make_sense(services: Any, day: Day) -> None:
    with pytest.raises(ValidationError, match="结束日期不能早于开始日期"):
        services.reports.day_summary(day.zhangmin, DAY, DAY - dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="最长 366 天"):
        services.reports.day_summary(day.zhangmin, DAY - dt.timedelta(days=400), DAY)


def test_a_change_of_a_day_already_closed_says_so(services: Any, day: Day, clock: Any) -> None:
    # The day closed through the real use case (the supervisor's password again; the store is not enrolled, so the
    # server cannot be asked and the close needs a reason).
    clock.now = shanghai(DAY, 18)
    closed = services.day_close.close(day.zhangmin, DAY, "supervisor-pass-1", "未连接中心服务器，先行日结。")
    assert closed.closed_at == shanghai(DAY, 18) and services.day_close.closed(DAY) == closed
    clock.now = shanghai(DAY + dt.timedelta(days=1), 9)
    services.intake.correct(
        day.a.acceptance_no,
        values=dict(services.intake.load(day.a.acceptance_no).values),
        reason="次日发现门牌号录入有误",
        approver=day.zhangmin,
        user=day.zhangmin,
    )
    tuesday = services.reports.day_summary(day.zhangmin, DAY + dt.timedelta(days=1)).summary
    (change,) = tuesday.changes
    assert (change.acceptance_no, change.kind, change.closed_day, change.clerk) == (
        day.a.acceptance_no,
        "corrected",
        True,
        "zhangmin",
    )
    # Monday's own changes were made before its close.
    assert [c.closed_day for c in services.reports.day_summary(day.zhangmin, DAY).summary.changes] == [False, False]


def test_a_deadline_across_the_national_day_holiday(services: Any, clock: Any) -> None:
    clerk = add_user(services, "wangli")
    supervisor = add_user(services, "zhangmin", supervisor=True)
    clock.now = shanghai(dt.date(2026, 9, 29), 10)
    case = take(services, clerk, ITEM)
    # 20 working days from Tuesday 29 September skip the Golden Week (1–7 October) and count its 调休 Saturday.
    assert case.promised_date == dt.date(2026, 11, 2)

    def deadlines(on: dt.date) -> tuple[list[str], list[str]]:
        clock.now = shanghai(on, 9)
        s = services.reports.day_summary(supervisor, on).summary
        return [d.acceptance_no for d in s.overdue], [d.acceptance_no for d in s.due_soon]

    # 28 calendar days later (20 days of a plain calendar) nothing is late, nor due within 3 working days.
    assert deadlines(dt.date(2026, 10, 27)) == ([], [])
    assert deadlines(dt.date(2026, 10, 29)) == ([], [case.acceptance_no])  # Thu: Fri, Mon 2 Nov, Tue
    assert deadlines(dt.date(2026, 11, 2)) == ([], [case.acceptance_no])  # due today: not late yet
    assert deadlines(dt.date(2026, 11, 3)) == ([case.acceptance_no], [])
    (late,) = services.reports.day_summary(supervisor, dt.date(2026, 11, 3)).summary.overdue
    assert (late.due, late.clerk, late.item_name) == (dt.date(2026, 11, 2), "wangli", case.item_name)
    # The back office finished it: it waits on the center no more.
    with services.db.write() as session:
        session.execute(
            update(Application).where(Application.acceptance_no == case.acceptance_no).values(server_status="completed")
        )
    assert deadlines(dt.date(2026, 11, 3)) == ([], [])


def test_the_summary_reads_the_period_through_indexes(services: Any, day: Day) -> None:
    """No statement of a day's summary scans applications, decisions, ratings, audit events or the outbox: each
    reads the period's rows through an index (the benchmark runs it over a million applications)."""
    statements: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append((statement, parameters))

    engine = services.db.engine
    event.listen(engine, "before_cursor_execute", capture)
    try:
        services.reports.day_summary(day.zhangmin, DAY)
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    assert len(statements) >= 6
    big = ("applications", "decisions", "ratings", "rating_follow_ups", "audit_events", "outbox")
    plans: list[str] = []
    late_lists: list[list[str]] = []
    with engine.connect() as conn:
        for statement, parameters in statements:
            rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
            plans.extend(str(row[-1]) for row in rows)
            if re.search(r"due_date < \?", statement) and "ORDER BY" in statement:
                late_lists.append([str(row[-1]) for row in rows])
    # The overdue list, earliest due first like the server's, is read in the index's own order: no sort.
    (late_plan,) = late_lists
    assert any("ix_applications_open_due" in p for p in late_plan) and not any("TEMP B-TREE" in p for p in late_plan)
    scans = [p for p in plans if re.match(r"SCAN (\w+)", p) and re.match(r"SCAN (\w+)", p).group(1) in big]  # type: ignore[union-attr]
    assert scans == [], scans
    used = " ".join(plans)
    for index in (
        "ix_applications_received_at",
        "ix_decisions_decided_at",
        "ix_applications_open_due",
        "ix_ratings_rated_at",
        "ix_ratings_open_bad",
        "ix_outbox_changes_created_at",
    ):
        assert index in used, (index, plans)


def test_the_change_events_index_holds_exactly_the_events_the_figures_read() -> None:
    """The partial index's condition names the 更正 and 作废 events the summary counts, no more and no fewer."""
    from app.reports.summary import _CHANGE_EVENTS
    from db.models import CHANGE_EVENTS_WHERE

    assert (
        set(re.findall(r"'([^']+)'", CHANGE_EVENTS_WHERE))
        == set(_CHANGE_EVENTS)
        == {
            "application.corrected",
            "application.voided",
        }
    )


# ---------------------------------------------------------------------------------------------------- the center


@pytest.fixture
def station(services_factory: Any, tmp_path: Any, central: Any) -> Workstation:
    ws = Workstation(services_factory, tmp_path / "ws", central.url)
    ws.enroll(central.engine())
    return ws


@pytest.mark.allow_warning_logs  # the quarantined event is logged as a warning by the sync service
def test_the_center_figures_from_the_server_then_offline_from_the_cache(
    station: Workstation, central: Any, clock: Any
) -> None:
    services, supervisor = station.services, station.supervisor
    clock.now = shanghai(DAY, 10)
    broken, *fine = station.take(3)
    # A refused event: its payload no longer matches its SHA-256, the server quarantines it with the reason.
    with services.db.write() as session:
        entry = session.scalar(
            select(OutboxEntry).where(OutboxEntry.application_id == broken.application_id).order_by(OutboxEntry.seq)
        )
        assert entry is not None
        entry.payload = entry.payload.replace(b'"query_code":"', b'"query_code":"9', 1)
    clock.now = shanghai(DAY, 12)
    station.sync.sync_once()
    mine = services.reports.day_summary(supervisor, DAY)
    (refused,) = mine.sync.quarantined
    assert refused.acceptance_no == broken.acceptance_no and "SHA-256" in refused.reason
    assert refused.age_seconds == 2 * 3600
    assert mine.sync.last_success_at == shanghai(DAY, 12)
    # The broken case's later events wait behind it; the others are on the server.
    assert {e.acceptance_no for e in mine.sync.unsynced} <= {broken.acceptance_no}

    view = services.reports.center_figures(supervisor, DAY)
    assert isinstance(view, CenterView)
    assert view.stale is False and view.problem is None and view.fetched_at == shanghai(DAY, 12)
    assert view.figures is not None
    assert view.figures.summary.applications == 2  # the server holds the two it accepted
    assert [w.workstation_code for w in view.figures.workstations] == [station.code]

    # The server stops: the figures fetched at 12:00 are shown, marked as such, never a traceback.
    central.stop()
    clock.now = shanghai(DAY, 16)
    offline = services.reports.center_figures(supervisor, DAY)
    assert offline.stale is True and offline.fetched_at == shanghai(DAY, 12)
    assert offline.figures == view.figures
    assert offline.problem is not None
    said = offline.problem.render()
    assert "12:00 获取的中心数据" in said and "无法连接中心服务器" in said
    # Another period was never fetched: nothing to show, and why.
    other = services.reports.center_figures(supervisor, DAY - dt.timedelta(days=1))
    assert other.figures is None and other.stale is True and other.fetched_at is None
    assert other.problem is not None and "没有这一期间的中心数据" in other.problem.render()


def test_the_center_figures_of_a_workstation_never_enrolled(services: Any, supervisor: Any) -> None:
    view = services.reports.center_figures(supervisor, DAY)
    assert view.figures is None and view.stale is True
    assert view.problem is not None and "尚未在中心服务器注册" in view.problem.render()


def test_more_deadlines_than_listed_are_counted_in_all(
    services: Any, clock: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.reports import summary

    monkeypatch.setattr(summary, "DEADLINE_ROWS", 2)
    clerk = add_user(services, "wangli")
    supervisor = add_user(services, "zhangmin", supervisor=True)
    taken = []
    for day in (28, 29, 30):  # promised 30 Oct, 2 Nov, 3 Nov
        clock.now = shanghai(dt.date(2026, 9, day), 10)
        taken.append(take(services, clerk, ITEM))
    clock.now = shanghai(dt.date(2026, 11, 20), 9)
    result = services.reports.day_summary(supervisor, dt.date(2026, 11, 20))
    # The two most overdue of the three late cases are listed, earliest due first as the server lists them; the
    # latest is left out, and counted (in SQL).
    assert [d.acceptance_no for d in result.summary.overdue] == [t.acceptance_no for t in taken[:2]]
    assert (result.summary.overdue_total, result.summary.due_soon_total) == (3, 0)
    clock.now = shanghai(dt.date(2026, 11, 3), 9)
    on_time = services.reports.day_summary(supervisor, dt.date(2026, 11, 3))
    assert (on_time.summary.overdue_total, on_time.summary.due_soon_total) == (2, 1)
    assert [d.acceptance_no for d in on_time.summary.overdue] == [t.acceptance_no for t in taken[:2]]
    assert [d.acceptance_no for d in on_time.summary.due_soon] == [taken[2].acceptance_no]


def test_the_workstation_and_the_server_count_the_same_day_alike(station: Workstation, clock: Any) -> None:
    """The same figures function over the server's rows and over the store's: once everything is uploaded, the
    center's figures of a one-workstation center agree with the workstation's own."""
    services, clerk, supervisor = station.services, station.clerk, station.supervisor
    clock.now = shanghai(DAY, 9, 30)
    a, b, c, d = (
        station.take(2) + station.take(1, decision=Decision.SUPPLEMENT) + station.take(1, decision=Decision.REFUSE)
    )
    services.ratings.record(a.acceptance_no, RatingOccasion.DECISION, RatingInput(RatingLevel.SATISFIED), clerk)
    services.ratings.skip(d.acceptance_no, RatingOccasion.DECISION, clerk)
    clock.now = shanghai(DAY, 13, 10)
    services.intake.supplement_return(
        c.acceptance_no, bring_missing(services, c.acceptance_no), DecisionInput(Decision.ACCEPT), clerk
    )
    services.ratings.record(
        c.acceptance_no,
        RatingOccasion.RETURN_VISIT,
        RatingInput(RatingLevel.VERY_DISSATISFIED, (BadRatingReason.LONG_WAIT,)),
        clerk,
    )
    clock.now = shanghai(DAY, 15)
    services.intake.void(b.acceptance_no, reason="重复录入的申请", approver=supervisor, user=clerk)
    clock.now = shanghai(DAY, 16)
    station.sync.sync_once()
    mine = services.reports.day_summary(supervisor, DAY)
    assert mine.sync.unsynced == [] and mine.sync.quarantined == []
    view = services.reports.center_figures(supervisor, DAY)
    assert view.figures is not None and view.stale is False
    theirs, ours = view.figures.summary, mine.summary
    assert (theirs.applications, theirs.voided) == (ours.applications, ours.voided) == (3, 1)
    for name in ("by_item", "by_decision", "return_visits", "by_hour", "ratings"):
        assert counts(getattr(theirs, name)) == counts(getattr(ours, name)), name
    assert counts(theirs.by_clerk) == counts(ours.by_clerk)
    assert theirs.rated_share == ours.rated_share == pytest.approx(2 / 5)
    assert theirs.satisfaction_rate == ours.satisfaction_rate == pytest.approx(1 / 2)
    assert [(r.acceptance_no, r.state) for r in theirs.bad_ratings] == [(c.acceptance_no, "open")]
    assert [(r.acceptance_no, r.state) for r in ours.bad_ratings] == [(c.acceptance_no, "open")]
    assert [(x.acceptance_no, x.kind, x.approved_by) for x in theirs.changes] == [
        (x.acceptance_no, x.kind, x.approved_by) for x in ours.changes
    ]


def test_rare_characters_and_the_middle_dot_in_names(services: Any, supervisor: Any) -> None:
    from app.security.accounts import create_user

    with services.db.write() as session:
        clerk = create_user(
            session,
            username="maimaiti",
            display_name="买买提·𠮷堃",
            staff_no="0302",
            role=Role.CLERK,
            password="counter-pass-1",
            workstation_code="003",
        )
    taken = take(services, clerk, ITEM)
    services.intake.void(taken.acceptance_no, reason="申请人䶮要求撤回·重录", approver=supervisor, user=clerk)
    take(services, clerk, ITEM)
    s = services.reports.day_summary(supervisor, DAY).summary
    assert [(t.key, t.label, t.count) for t in s.by_clerk] == [("maimaiti", "买买提·𠮷堃", 1)]
    assert [(c.clerk, c.reason) for c in s.changes] == [("maimaiti", "申请人䶮要求撤回·重录")]
