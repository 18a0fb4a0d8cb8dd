"""The pure figures (app.reports.figures.summarize) over hand-built rows: every figure of docs/supervisor.md
"Figures", with the edge cases (an empty day, one case, an even count's median, a rating across midnight UTC, a
clerk's own figures, voided cases, deadlines)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from app.domain import AppState, Decision, RatingLevel, RatingOccasion
from app.reports.figures import (
    CaseRow,
    ChangeRow,
    DeadlineCase,
    RatingRow,
    Summary,
    Tally,
    median_seconds,
    summarize,
)

DAY = dt.date(2026, 11, 23)  # a Monday
SH = dt.timezone(dt.timedelta(hours=8))


def at(hour: int, minute: int = 0, day: dt.date = DAY) -> dt.datetime:
    """A moment given in Shanghai local time, stored as UTC (as both sides keep it)."""
    return dt.datetime.combine(day, dt.time(hour, minute), SH).astimezone(dt.UTC)


def case(
    no: str,
    *,
    item: str = "TEST_ITEM",
    clerk: str = "wangli",
    received: dt.datetime | None = None,
    called: dt.datetime | None = None,
    minutes: float = 10,
    decision: Decision = Decision.ACCEPT,
    state: AppState = AppState.ACCEPTED,
    **more: object,
) -> CaseRow:
    received = received or at(9)
    return CaseRow(
        acceptance_no=no,
        item_code=item,
        item_name={"TEST_ITEM": "测试事项", "OTHER": "另一事项"}.get(item, item),
        workstation_code="003",
        clerk=clerk,
        clerk_name={"wangli": "王丽", "lisi": "李四"}.get(clerk, ""),
        received_at=received,
        called_at=called,
        decided_at=received + dt.timedelta(minutes=minutes),
        decision=decision,
        state=state.value,
        **more,  # type: ignore[arg-type]
    )


def rating(
    no: str, level: RatingLevel, *, when: dt.datetime | None = None, clerk: str = "wangli", **more: object
) -> RatingRow:
    return RatingRow(
        acceptance_no=no,
        rating_id=f"r-{no}-{level.value}",
        clerk=clerk,
        level=level,
        occasion=RatingOccasion.DECISION,
        rated_at=when or at(9, 30),
        **more,  # type: ignore[arg-type]
    )


def run(
    cases: list[CaseRow] | None = None,
    ratings: list[RatingRow] | None = None,
    changes: list[ChangeRow] | None = None,
    *,
    first: dt.date = DAY,
    last: dt.date | None = None,
    today: dt.date = DAY,
    clerk: str | None = None,
) -> Summary:
    return summarize(
        cases or [],
        ratings or [],
        changes or [],
        first=first,
        last=last or first,
        today=today,
        due_soon_until=today + dt.timedelta(days=3),
        clerk=clerk,
    )


def counts(tallies: list[Tally]) -> dict[str, int]:
    return {t.key: t.count for t in tallies}


def test_an_empty_day_has_zeros_and_no_rates() -> None:
    summary = run()
    assert summary.applications == 0 and summary.voided == 0
    assert summary.by_item == [] and summary.by_decision == [] and summary.by_clerk == []
    assert summary.durations == [] and summary.bad_ratings == [] and summary.changes == []
    assert summary.rated_share is None and summary.satisfaction_rate is None
    # The opening hours keep their bars and every level its line, at zero, so a chart's axis never jumps.
    assert [t.key for t in summary.by_hour] == [f"{h:02d}" for h in range(8, 19)]
    assert all(t.count == 0 for t in summary.by_hour)
    assert [t.key for t in summary.ratings] == [level.value for level in RatingLevel]
    assert [t.label for t in summary.ratings][-1] == "未评价"


def test_one_case() -> None:
    summary = run([case("A1", received=at(10, 5), minutes=7)], [rating("A1", RatingLevel.SATISFIED)])
    assert summary.applications == 1
    assert summary.by_item == [Tally("TEST_ITEM", "测试事项", 1)]
    assert summary.by_decision == [Tally("accept", "受理", 1)]
    assert summary.by_clerk == [Tally("wangli", "王丽", 1)]
    assert counts(summary.by_hour)["10"] == 1 and sum(counts(summary.by_hour).values()) == 1
    (duration,) = summary.durations
    assert (duration.count, duration.median_seconds, duration.longest_seconds) == (1, 420, 420)
    assert summary.rated_share == 1.0 and summary.satisfaction_rate == 1.0


def test_median_of_an_even_count_is_the_mean_of_the_middle_two_rounded_down() -> None:
    assert median_seconds([60, 10, 30, 21]) == 25  # (21 + 30) // 2
    assert median_seconds([5, 1, 3]) == 3
    cases = [case(f"A{i}", received=at(9, i), minutes=m) for i, m in enumerate([4, 1, 3, 10])]
    (duration,) = run(cases).durations
    assert (duration.count, duration.median_seconds, duration.longest_seconds) == (4, 210, 600)


def test_handling_time_runs_from_the_call_when_there_is_one() -> None:
    called = case("A1", received=at(9, 10), called=at(9, 0), minutes=5)  # called 09:00, decided 09:15
    plain = case("A2", received=at(9, 10), minutes=5)
    early = case("A3", received=at(9, 10), called=at(9, 20), minutes=5)  # a queue clock ahead: no negative time
    (duration,) = run([called, plain, early]).durations
    assert (duration.median_seconds, duration.longest_seconds) == (300, 900)
    only_early = run([early]).durations[0]
    assert only_early.longest_seconds == 0


def test_decisions_return_visits_and_ordering() -> None:
    cases = [
        case("A1"),
        case("A2", decision=Decision.SUPPLEMENT, state=AppState.AWAITING_SUPPLEMENT),
        case("A3", decision=Decision.SUPPLEMENT, return_visits=(Decision.ACCEPT,), return_visit_at=(at(15),)),
        case("A4", decision=Decision.SUPPLEMENT, return_visits=(Decision.REFUSE,), return_visit_at=(at(16),)),
        case("A5", decision=Decision.REFUSE, state=AppState.REFUSED),
        case("A6", decision=Decision.TOLERATED, item="OTHER"),
        case("A7", decision=Decision.FIRST_AID, item="OTHER"),
        case("A8", state=AppState.ANSWERED, item="OTHER"),  # an inquiry's 受理 is an answer
        case("A9", decision=Decision.SUPPLEMENT, clerk="lisi"),
    ]
    summary = run(cases)
    assert [(t.key, t.count) for t in summary.by_decision] == [
        ("supplement", 4),
        ("accept", 1),
        ("answered", 1),
        ("first_aid", 1),
        ("refuse", 1),
        ("tolerated", 1),
    ]
    assert {t.key: t.label for t in summary.by_decision}["answered"] == "查询已答复"
    assert [(t.key, t.count) for t in summary.return_visits] == [("accept", 1), ("refuse", 1)]
    # counts descending, then the key
    assert [(t.key, t.count) for t in summary.by_item] == [("TEST_ITEM", 6), ("OTHER", 3)]
    assert [(t.key, t.label, t.count) for t in summary.by_clerk] == [("wangli", "王丽", 8), ("lisi", "李四", 1)]
    assert summary.applications == 9


def test_a_return_visit_on_a_later_day_counts_on_that_day_only() -> None:
    monday = case(
        "A1",
        decision=Decision.SUPPLEMENT,
        return_visits=(Decision.ACCEPT,),
        return_visit_at=(at(11, day=DAY + dt.timedelta(days=2)),),
    )
    on_monday = run([monday])
    assert on_monday.applications == 1 and on_monday.return_visits == []
    wednesday = run([monday], first=DAY + dt.timedelta(days=2))
    assert wednesday.applications == 0  # received on Monday
    assert counts(wednesday.return_visits) == {"accept": 1}
    week = run([monday], last=DAY + dt.timedelta(days=6))
    assert week.applications == 1 and counts(week.return_visits) == {"accept": 1}
    # The visit could be rated: a rating of it on Wednesday is one of one.
    rated = run([monday], [rating("A1", RatingLevel.VERY_SATISFIED, when=at(11, 5, DAY + dt.timedelta(days=2)))])
    assert rated.rated_share == 0.0  # Monday's one visit (the 补正) was not rated on Monday …
    wednesday_rated = run(
        [monday],
        [rating("A1", RatingLevel.VERY_SATISFIED, when=at(11, 5, DAY + dt.timedelta(days=2)))],
        first=DAY + dt.timedelta(days=2),
    )
    assert wednesday_rated.rated_share == 1.0  # … but of Wednesday


def test_hours_are_shanghai_local_and_outside_hours_keep_their_own() -> None:
    cases = [
        case("A1", received=at(8, 30)),
        case("A2", received=at(12, 59)),
        case("A3", received=at(7, 45)),  # before opening: still counted, under 07
        case("A4", received=at(19, 10)),  # after closing, under 19
    ]
    hours = run(cases).by_hour
    assert [t.key for t in hours] == ["07", *(f"{h:02d}" for h in range(8, 19)), "19"]
    assert counts(hours) == {**{f"{h:02d}": 0 for h in range(8, 19)}, "07": 1, "08": 1, "12": 1, "19": 1}
    assert hours[1].label == "08 时"


def test_a_case_at_half_past_midnight_in_shanghai_is_of_that_shanghai_day() -> None:
    # 00:30 on the 24th in Shanghai is 16:30 UTC on the 23rd.
    late = case("A1", received=at(0, 30, DAY + dt.timedelta(days=1)))
    assert late.received_at.date() == DAY
    assert run([late]).applications == 0
    assert run([late], first=DAY + dt.timedelta(days=1)).applications == 1


def test_a_rating_across_midnight_utc_counts_on_its_shanghai_day() -> None:
    # Rated at 07:30 in Shanghai on the 24th: 23:30 UTC on the 23rd.  Its day is the 24th.
    tuesday = DAY + dt.timedelta(days=1)
    early = rating("A1", RatingLevel.VERY_SATISFIED, when=at(7, 30, tuesday))
    assert early.rated_at.astimezone(dt.UTC).date() == DAY
    # And one at 23:50 in Shanghai on the 23rd (15:50 UTC the same date) stays on the 23rd.
    late = rating("A2", RatingLevel.DISSATISFIED, when=at(23, 50))
    monday = run([case("A1"), case("A2")], [early, late])
    assert counts(monday.ratings)["very_satisfied"] == 0
    assert counts(monday.ratings)["dissatisfied"] == 1
    on_tuesday = run([], [early, late], first=tuesday)
    assert counts(on_tuesday.ratings)["very_satisfied"] == 1
    assert counts(on_tuesday.ratings)["dissatisfied"] == 0


def test_rated_share_and_satisfaction_rate() -> None:
    cases = [case(f"A{i}") for i in range(5)]
    ratings = [
        rating("A0", RatingLevel.VERY_SATISFIED),
        rating("A1", RatingLevel.BASICALLY_SATISFIED),
        rating("A2", RatingLevel.VERY_DISSATISFIED, contact_due=DAY + dt.timedelta(days=1)),
        rating("A3", RatingLevel.UNRATED),
    ]
    summary = run(cases, ratings)
    assert counts(summary.ratings) == {
        "very_satisfied": 1,
        "satisfied": 0,
        "basically_satisfied": 1,
        "dissatisfied": 0,
        "very_dissatisfied": 1,
        "unrated": 1,
    }
    assert summary.rated_share == pytest.approx(3 / 5)  # 未评价 is not a rating; A4 was not asked
    assert summary.satisfaction_rate == pytest.approx(2 / 3)
    only_unrated = run(cases, [rating("A3", RatingLevel.UNRATED)])
    assert only_unrated.rated_share == 0.0 and only_unrated.satisfaction_rate is None


def test_bad_ratings_state_and_overdue() -> None:
    earlier = DAY - dt.timedelta(days=7)
    ratings = [
        # open, named, call-back due yesterday: overdue
        rating("B1", RatingLevel.DISSATISFIED, contact_due=DAY - dt.timedelta(days=1), rectify_due=DAY, named=True),
        # open, anonymous (nobody to call), 整改 not due yet: on time
        rating("B0", RatingLevel.DISSATISFIED, contact_due=DAY - dt.timedelta(days=1), rectify_due=DAY),
        # contacted, 整改 due tomorrow: on time
        rating(
            "B2",
            RatingLevel.VERY_DISSATISFIED,
            contact_due=DAY - dt.timedelta(days=1),
            rectify_due=DAY + dt.timedelta(days=1),
            contacted=True,
        ),
        # contacted, 整改 due yesterday: overdue
        rating("B3", RatingLevel.DISSATISFIED, rectify_due=DAY - dt.timedelta(days=1), contacted=True),
        # closed: never overdue
        rating("B4", RatingLevel.DISSATISFIED, contact_due=earlier, rectify_due=earlier, contacted=True, closed=True),
        # last week's, still open: listed; last week's closed: not
        rating(
            "B5",
            RatingLevel.DISSATISFIED,
            when=at(9, day=earlier),
            contact_due=earlier + dt.timedelta(days=1),
            named=True,
        ),
        rating("B6", RatingLevel.DISSATISFIED, when=at(10, day=earlier), closed=True, contacted=True),
        # a good rating is no 差评
        rating("B7", RatingLevel.SATISFIED),
    ]
    bad = run([], ratings).bad_ratings
    assert [(b.acceptance_no, b.state, b.overdue) for b in bad] == [
        ("B5", "open", True),
        ("B0", "open", False),
        ("B1", "open", True),
        ("B2", "contacted", False),
        ("B3", "contacted", True),
        ("B4", "closed", False),
    ]
    # Due today is not overdue yet.
    today_due = run([], [rating("B8", RatingLevel.DISSATISFIED, contact_due=DAY, rectify_due=DAY)]).bad_ratings
    assert today_due[0].overdue is False


def test_deadlines_overdue_and_due_soon() -> None:
    long_ago = at(9, day=DAY - dt.timedelta(days=30))
    cases = [
        case("D1", received=long_ago, promised_date=DAY - dt.timedelta(days=1)),  # overdue
        case("D2", received=long_ago, promised_date=DAY),  # due today: soon, not overdue
        case("D3", received=long_ago, promised_date=DAY + dt.timedelta(days=3)),  # the last day of "soon"
        case("D4", received=long_ago, promised_date=DAY + dt.timedelta(days=4)),  # later
        case("D5", received=long_ago, promised_date=DAY - dt.timedelta(days=9), closed=True),  # done: not listed
        case(
            "D6",
            received=long_ago,
            promised_date=DAY - dt.timedelta(days=5),
            state=AppState.VOIDED,
            closed=True,
        ),
        case("D7", received=long_ago, promised_date=DAY - dt.timedelta(days=2), clerk="lisi"),  # overdue, first
    ]
    summary = run(cases)
    assert summary.overdue == [
        DeadlineCase("D7", "测试事项", "lisi", DAY - dt.timedelta(days=2)),
        DeadlineCase("D1", "测试事项", "wangli", DAY - dt.timedelta(days=1)),
    ]
    assert [d.acceptance_no for d in summary.due_soon] == ["D2", "D3"]
    assert summary.applications == 0  # none received today: the deadlines are of any day
    assert [d.acceptance_no for d in run(cases, clerk="lisi").overdue] == ["D7"]


def test_voided_cases_count_only_as_voided() -> None:
    cases = [
        case("V1"),
        case("V2", state=AppState.VOIDED, promised_date=DAY - dt.timedelta(days=1), closed=True),
        case("V3", state=AppState.VOIDED, item="OTHER", decision=Decision.REFUSE, closed=True),
    ]
    summary = run(cases, [rating("V2", RatingLevel.VERY_SATISFIED)])
    assert (summary.applications, summary.voided) == (1, 2)
    assert counts(summary.by_item) == {"TEST_ITEM": 1}
    assert counts(summary.by_decision) == {"accept": 1}
    assert counts(summary.by_clerk) == {"wangli": 1}
    assert sum(t.count for t in summary.by_hour) == 1
    assert [d.count for d in summary.durations] == [1]
    assert summary.overdue == []
    # The voided case's visit happened and its rating counts: 1 rated of 3 visits.
    assert summary.rated_share == pytest.approx(1 / 3)
    assert counts(summary.ratings)["very_satisfied"] == 1


def test_a_clerk_gets_only_their_own() -> None:
    cases = [case("A1"), case("A2", clerk="lisi"), case("A3", clerk="lisi", item="OTHER")]
    ratings = [
        rating("A1", RatingLevel.SATISFIED),
        rating("A2", RatingLevel.DISSATISFIED, clerk="lisi"),
        rating("A3", RatingLevel.UNRATED, clerk="lisi"),
    ]
    changes = [
        ChangeRow("A1", "corrected", at(11), "wangli", "zhangmin", "姓名录入有误，更正为𠮷"),
        ChangeRow("A2", "voided", at(12), "lisi", "zhangmin", "重复录入的申请"),
    ]
    mine = run(cases, ratings, changes, clerk="lisi")
    assert mine.applications == 2
    assert counts(mine.by_clerk) == {"lisi": 2}
    assert counts(mine.by_item) == {"TEST_ITEM": 1, "OTHER": 1}
    assert counts(mine.ratings)["satisfied"] == 0 and counts(mine.ratings)["dissatisfied"] == 1
    assert mine.rated_share == pytest.approx(1 / 2)
    assert mine.satisfaction_rate == 0.0
    assert [b.acceptance_no for b in mine.bad_ratings] == ["A2"]
    assert [c.acceptance_no for c in mine.changes] == ["A2"]
    everyone = run(cases, ratings, changes)
    assert everyone.applications == 3 and len(everyone.changes) == 2
    assert run(cases, ratings, changes, clerk="nobody") == run(clerk="nobody")


def test_changes_of_the_period_in_order() -> None:
    earlier = DAY - dt.timedelta(days=1)
    changes = [
        ChangeRow("C2", "voided", at(16), "wangli", "zhangmin", "重复录入"),
        ChangeRow("C1", "corrected", at(9), "wangli", "zhangmin", "门牌号录错", closed_day=True),
        ChangeRow("C0", "corrected", at(16, day=earlier), "wangli", "zhangmin", "昨天的更正"),
        # 00:10 on the next day in Shanghai (16:10 UTC today): not of today
        ChangeRow("C3", "voided", at(0, 10, DAY + dt.timedelta(days=1)), "wangli", "zhangmin", "次日作废"),
    ]
    summary = run([], [], changes)
    assert [(c.acceptance_no, c.closed_day) for c in summary.changes] == [("C1", True), ("C2", False)]
    assert [c.acceptance_no for c in run([], [], changes, first=earlier, last=DAY).changes] == ["C0", "C1", "C2"]


def test_the_summary_is_the_same_whatever_the_order_of_the_rows() -> None:
    cases = [case(f"A{i}", clerk=("wangli", "lisi")[i % 2], minutes=i + 1) for i in range(6)]
    ratings = [rating(f"A{i}", (RatingLevel.SATISFIED, RatingLevel.DISSATISFIED)[i % 2]) for i in range(6)]
    forward = run(cases, ratings)
    backward = run(list(reversed(cases)), list(reversed(ratings)))
    assert forward == backward
    assert dataclasses.asdict(forward)["applications"] == 6
