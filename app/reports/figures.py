"""The supervisor's figures as plain data, computed from plain rows: no database, no Qt, no files.

Both the workstation (``app.reports.summary``, over its own store) and the central server (its center summary, over
every workstation's events) build these rows and call :func:`summarize`, so a figure is computed once, the same way,
on both sides (docs/supervisor.md "Figures").  Imports only the shared vocabulary (an import-linter contract).

Days are Shanghai calendar days; moments are aware datetimes.  Deadline windows (what "due within 3 working days"
means) need the working-day calendar, which the caller applies: it passes ``due_soon_until``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from app.domain import Decision, RatingLevel, RatingOccasion

SHANGHAI = dt.timezone(dt.timedelta(hours=8))  # China has kept UTC+8 all year since 1991: no zone database needed


@dataclass(frozen=True)
class CaseRow:
    """One application received on a day of the period, as either side knows it."""

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
    changes: list[ChangeRow] = field(default_factory=list)


def local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(SHANGHAI).date()
