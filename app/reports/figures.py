"""The supervisor's figures as plain data, computed from plain rows: no database, no Qt, no files.

Both the workstation (``app.reports.summary``, over its own store) and the central server (its center summary, over
every workstation's events) build these rows and call :func:`summarize`, so a figure is computed once, the same way,
on both sides (docs/supervisor.md "Figures").  Imports only the shared vocabulary (an import-linter contract).

Days are Shanghai calendar days; moments are aware datetimes.  Deadline windows (what "due within 3 working days"
means) need the working-day calendar, which the caller applies: it passes ``due_soon_until``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from app.domain import AppState, Decision, RatingLevel, RatingOccasion

SHANGHAI = dt.timezone(dt.timedelta(hours=8))  # China has kept UTC+8 all year since 1991: no zone database needed
#: The key of an inquiry's first decision (its 受理 is an answer on the spot) in ``Summary.by_decision``.
ANSWERED = "answered"


@dataclass(frozen=True)
class CaseRow:
    """One application as either side knows it: received on a day of the period, or earlier when it matters to the
    period (a 补正 return visit made in it; an open accepted case, for the deadlines)."""

    acceptance_no: str
    item_code: str
    item_name: str
    workstation_code: str
    clerk: str  # the username of the clerk who took it
    clerk_name: str  # their display name ("" where unknown, e.g. on the server)
    received_at: dt.datetime
    called_at: dt.datetime | None  # the clerk's 叫号, when the queue system gave it
    decided_at: dt.datetime  # the first decision
    decision: Decision  # the first decision
    state: str  # app.domain.AppState value now
    #: The 补正 return visits' outcomes, in order (the decision each ended with).
    return_visits: tuple[Decision, ...] = ()
    #: When each return visit was decided, in the same order (a visit without its moment counts on the day the
    #: case was received).
    return_visit_at: tuple[dt.datetime, ...] = ()
    #: The deadline tracked (the printed promise, or its recomputation once the calendar year is known).
    promised_date: dt.date | None = None
    closed: bool = False  # no longer waiting on the centre (refused, voided, answered, or done by the back office)


@dataclass(frozen=True)
class RatingRow:
    acceptance_no: str
    rating_id: str
    clerk: str
    level: RatingLevel
    occasion: RatingOccasion
    rated_at: dt.datetime
    named: bool = False  # 实名: the citizen left a phone number
    contact_due: dt.date | None = None
    rectify_due: dt.date | None = None
    contacted: bool = False  # a contact step recorded (reached or not)
    closed: bool = False  # the outcome recorded


@dataclass(frozen=True)
class ChangeRow:
    """A 更正 or 作废 made in the period (of an application of any day)."""

    acceptance_no: str
    kind: str  # "corrected" | "voided"
    at: dt.datetime
    clerk: str
    approved_by: str
    reason: str
    closed_day: bool = False  # the application's day was already closed (日结) when it changed
    #: Display names where the side knows them (the workstation does; the server knows usernames only).
    clerk_name: str = ""
    approved_by_name: str = ""


@dataclass(frozen=True)
class Tally:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class Duration:
    """办理时长 of an item: from the clerk's 叫号 (or, without one, the moment the case was opened) to the decision."""

    item_code: str
    item_name: str
    count: int
    median_seconds: int
    longest_seconds: int


@dataclass(frozen=True)
class BadRating:
    acceptance_no: str
    rating_id: str
    clerk: str
    level: RatingLevel
    rated_at: dt.datetime
    named: bool
    state: str  # "open" (no contact yet) | "contacted" | "closed"
    contact_due: dt.date | None
    rectify_due: dt.date | None
    overdue: bool  # a deadline passed with its step not done


@dataclass(frozen=True)
class DeadlineCase:
    acceptance_no: str
    item_name: str
    clerk: str
    due: dt.date


@dataclass(frozen=True)
class Summary:
    """The figures of a period (one day by default): docs/supervisor.md says what each means."""

    first: dt.date
    last: dt.date
    applications: int = 0
    voided: int = 0
    by_item: list[Tally] = field(default_factory=list)
    by_decision: list[Tally] = field(default_factory=list)  # first decisions
    return_visits: list[Tally] = field(default_factory=list)  # 补正 return visits by outcome
    by_clerk: list[Tally] = field(default_factory=list)
    by_hour: list[Tally] = field(default_factory=list)  # "08" … "18", local time of receipt
    durations: list[Duration] = field(default_factory=list)
    ratings: list[Tally] = field(default_factory=list)  # per level, 未评价 included
    rated_share: float | None = None  # rated visits (未评价 excluded) of the decisions that could be rated
    satisfaction_rate: float | None = None  # 非常满意 + 满意 + 基本满意 of the rated visits
    bad_ratings: list[BadRating] = field(default_factory=list)
    overdue: list[DeadlineCase] = field(default_factory=list)  # open cases past their promised date
    due_soon: list[DeadlineCase] = field(default_factory=list)  # open cases due by ``due_soon_until``
    #: How many open cases are overdue and due soon in all: the lists above hold at most DEADLINE_LIST_MAX each.
    overdue_total: int = 0
    due_soon_total: int = 0
    changes: list[ChangeRow] = field(default_factory=list)


def local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(SHANGHAI).date()


# ---------------------------------------------------------------------------------------------------- the figures

DECISION_LABELS: dict[str, str] = {
    Decision.ACCEPT.value: "受理",
    Decision.SUPPLEMENT.value: "一次性补正告知",
    Decision.REFUSE.value: "不予受理",
    Decision.TOLERATED.value: "容缺受理",
    Decision.FIRST_AID.value: "先行救助",
    ANSWERED: "查询已答复",
}

LEVEL_LABELS: dict[RatingLevel, str] = {
    RatingLevel.VERY_SATISFIED: "非常满意",
    RatingLevel.SATISFIED: "满意",
    RatingLevel.BASICALLY_SATISFIED: "基本满意",
    RatingLevel.DISSATISFIED: "不满意",
    RatingLevel.VERY_DISSATISFIED: "非常不满意",
    RatingLevel.UNRATED: "未评价",
}

#: The counter's opening hours: every one of them has its bar, even at zero; a case taken outside them still counts
#: under its own hour.
OPENING_HOURS = range(8, 19)


def local_hour(moment: dt.datetime) -> str:
    return f"{moment.astimezone(SHANGHAI).hour:02d}"


def decision_key(case: CaseRow) -> str:
    """The first decision as the figures count it: an inquiry's 受理 is an answer (``answered``)."""
    if case.state == AppState.ANSWERED.value and case.decision is Decision.ACCEPT:
        return ANSWERED
    return case.decision.value


def median_seconds(values: list[int]) -> int:
    """The median, whole seconds: of an even count, the mean of the two middle values rounded down."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) // 2


def handling_seconds(case: CaseRow) -> int:
    """办理时长: from the 叫号 (without one, the moment the case was received) to the first decision; never
    negative (a queue system's clock ahead of the workstation's counts as no wait)."""
    start = case.called_at or case.received_at
    return max(0, int((case.decided_at - start).total_seconds()))


def bad_rating_state(rating: RatingRow) -> str:
    return "closed" if rating.closed else "contacted" if rating.contacted else "open"


def bad_rating_overdue(rating: RatingRow, today: dt.date) -> bool:
    """A deadline passed with its step not done: the call-back of a named 差评 by ``contact_due`` (an anonymous one
    cannot be called back), the outcome by ``rectify_due``."""
    if rating.closed:
        return False
    if rating.named and not rating.contacted and rating.contact_due is not None and rating.contact_due < today:
        return True
    return rating.rectify_due is not None and rating.rectify_due < today


def _tallies(counts: dict[str, int], labels: dict[str, str]) -> list[Tally]:
    """Counts descending, then key: the same order every time, on both sides."""
    return [Tally(k, labels.get(k, k), n) for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def _count(keys: Iterable[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for key in keys:
        counts[key] = counts.get(key, 0) + 1
    return counts


#: The most cases each deadline list (overdue, due soon) holds; the totals say how many there are in all.
DEADLINE_LIST_MAX = 200
#: "Due soon": open accepted cases due within this many working days; both sides count ``due_soon_until`` with it.
DUE_SOON_WORKDAYS = 3


def summarize(
    cases: Iterable[CaseRow],
    ratings: Iterable[RatingRow],
    changes: Iterable[ChangeRow],
    *,
    first: dt.date,
    last: dt.date,
    today: dt.date,
    due_soon_until: dt.date,
    clerk: str | None = None,
    deadline_totals: tuple[int, int] | None = None,
) -> Summary:
    """The figures of the Shanghai days ``first`` … ``last`` (docs/supervisor.md "Figures").

    The rows may hold more than the period: a case received earlier counts only for a 补正 return visit made in
    the period and for the deadlines (open accepted cases of any day); a rating made earlier only on the 差评 list
    while its follow-up is not closed; a change made on another day not at all.  ``clerk`` keeps one clerk's
    cases, ratings and changes (the ones they took, whose service was rated, or that they entered).

    A voided application counts in ``voided`` only: not in ``applications`` nor in any figure by item, decision,
    clerk, hour, 办理时长 or deadline.  Its visits still count among the visits that could be rated (the citizen was
    served, and may have rated it), and its ratings count like any other.

    The deadline lists keep the DEADLINE_LIST_MAX earliest-due cases each.  A caller that read only some of the open
    cases (a store or a server with years of cases the back office never closed) passes their true numbers as
    ``deadline_totals`` (overdue, due soon), counted in SQL; otherwise the totals are counted over the rows.
    """

    def in_period(moment: dt.datetime) -> bool:
        return first <= local_day(moment) <= last

    if clerk is not None:
        cases = [c for c in cases if c.clerk == clerk]
        ratings = [r for r in ratings if r.clerk == clerk]
        changes = [c for c in changes if c.clerk == clerk]
    cases = list(cases)
    ratings = list(ratings)

    received = [c for c in cases if in_period(c.received_at)]
    counted = [c for c in received if c.state != AppState.VOIDED.value]
    visits = len(received)  # each case received in the period: its first decision, a visit that could be rated

    return_outcomes: list[str] = []
    for case in cases:
        for index, outcome in enumerate(case.return_visits):
            at = case.return_visit_at[index] if index < len(case.return_visit_at) else case.received_at
            if not in_period(at):
                continue
            visits += 1
            if case.state != AppState.VOIDED.value:
                return_outcomes.append(outcome.value)

    hours = {f"{h:02d}": 0 for h in OPENING_HOURS}
    for case in counted:
        hour = local_hour(case.received_at)
        hours[hour] = hours.get(hour, 0) + 1

    per_item: dict[str, list[int]] = {}
    item_names: dict[str, str] = {}
    clerk_names: dict[str, str] = {}
    for case in counted:
        per_item.setdefault(case.item_code, []).append(handling_seconds(case))
        item_names.setdefault(case.item_code, case.item_name)
        if case.clerk_name:
            clerk_names.setdefault(case.clerk, case.clerk_name)
    durations = [
        Duration(code, item_names[code], len(values), median_seconds(values), max(values))
        for code, values in sorted(per_item.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    ]

    period_ratings = [r for r in ratings if in_period(r.rated_at)]
    levels = _count(r.level.value for r in period_ratings)
    rated = [r for r in period_ratings if r.level is not RatingLevel.UNRATED]
    bad = [
        BadRating(
            acceptance_no=r.acceptance_no,
            rating_id=r.rating_id,
            clerk=r.clerk,
            level=r.level,
            rated_at=r.rated_at,
            named=r.named,
            state=bad_rating_state(r),
            contact_due=r.contact_due,
            rectify_due=r.rectify_due,
            overdue=bad_rating_overdue(r, today),
        )
        for r in ratings
        if r.level.is_bad and (in_period(r.rated_at) or not r.closed)
    ]
    bad.sort(key=lambda b: (b.rated_at, b.rating_id))

    deadlines = [
        c for c in cases if c.state == AppState.ACCEPTED.value and not c.closed and c.promised_date is not None
    ]
    deadlines.sort(key=lambda c: (c.promised_date or today, c.acceptance_no))
    seen: set[str] = set()
    overdue: list[DeadlineCase] = []
    due_soon: list[DeadlineCase] = []
    for case in deadlines:
        if case.acceptance_no in seen or case.promised_date is None:
            continue
        seen.add(case.acceptance_no)
        row = DeadlineCase(case.acceptance_no, case.item_name, case.clerk, case.promised_date)
        if case.promised_date < today:
            overdue.append(row)
        elif case.promised_date <= due_soon_until:
            due_soon.append(row)

    return Summary(
        first=first,
        last=last,
        applications=len(counted),
        voided=len(received) - len(counted),
        by_item=_tallies(_count(c.item_code for c in counted), item_names),
        by_decision=_tallies(_count(decision_key(c) for c in counted), DECISION_LABELS),
        return_visits=_tallies(_count(return_outcomes), DECISION_LABELS),
        by_clerk=_tallies(_count(c.clerk for c in counted), clerk_names),
        by_hour=[Tally(h, f"{h} 时", n) for h, n in sorted(hours.items())],
        durations=durations,
        ratings=[Tally(level.value, LEVEL_LABELS[level], levels.get(level.value, 0)) for level in RatingLevel],
        rated_share=len(rated) / visits if visits else None,
        satisfaction_rate=sum(1 for r in rated if r.level.satisfied) / len(rated) if rated else None,
        bad_ratings=bad,
        overdue=overdue[:DEADLINE_LIST_MAX],
        due_soon=due_soon[:DEADLINE_LIST_MAX],
        overdue_total=max(deadline_totals[0], len(overdue)) if deadline_totals else len(overdue),
        due_soon_total=max(deadline_totals[1], len(due_soon)) if deadline_totals else len(due_soon),
        changes=sorted((c for c in changes if in_period(c.at)), key=lambda c: (c.at, c.acceptance_no, c.kind)),
    )
