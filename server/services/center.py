"""What a supervisor's workstation asks the server about its own center (docs/supervisor.md "The wire").

- :func:`center_figures`: the center's figures of a period, computed with the workstation's own
  :func:`app.reports.figures.summarize` over rows built from the server's projections (``applications``' figure
  columns, ``ratings``, ``application_changes``, ``day_closes``; the deadline lists read 200 each, their totals
  counted), and each workstation's last push, last successful sync and closes of the period.
- :func:`reconciliation`: every application of the device's workstation whose 办件编号 carries the day, with the
  events the server holds for each, and the day's close if it arrived.

The wall: the center is always the calling device's (``device.center_code``), never a parameter; the
reconciliation is the device's own workstation's.  Both are indexed reads by center and day (the figures of one
day of a center read that day's rows, at most 200 of each kind of open deadline and the open 差评; no payload is
parsed).
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, TextClause, func, select, text, tuple_
from sqlalchemy.orm import Session

from app import limits
from app.domain import AppState, Decision, RatingLevel, RatingOccasion
from app.reports import figures
from app.sync import protocol
from app.workdays import WorkCalendar, load_calendar
from server.services.common import ServiceError
from server.store.models import (
    OPEN_ACCEPTED,
    OPEN_BAD,
    OPEN_STATUSES,
    ApplicationChangeRow,
    AuditHeadRow,
    DayCloseRow,
    Device,
    RatingRow,
    ServerApplication,
    StoredEvent,
    utcnow,
)

#: The longest period of one ``GET /center/figures`` (days, both ends counted).
MAX_DAYS = 31

_STATES = {
    "accept": AppState.ACCEPTED,
    "tolerated": AppState.ACCEPTED,
    "first_aid": AppState.ACCEPTED,
    "supplement": AppState.AWAITING_SUPPLEMENT,
    "refuse": AppState.REFUSED,
    "voided": AppState.VOIDED,
    "answered": AppState.ANSWERED,
}


def check_period(first: dt.date, last: dt.date) -> None:
    """Refuse a period the figures are not asked for: reversed, longer than :data:`MAX_DAYS`, or outside the dates
    the protocol knows.

    Raises:
        ServiceError: 422 ``invalid_period`` with the reason.
    """
    for day in (first, last):
        if not limits.EARLIEST_DATE <= day <= limits.LATEST_DATE:
            raise ServiceError(
                422,
                "invalid_period",
                f"日期超出范围（{limits.EARLIEST_DATE:%Y-%m-%d} 至 {limits.LATEST_DATE:%Y-%m-%d}）。",
            )
    if last < first:
        raise ServiceError(422, "invalid_period", "结束日期早于开始日期：请把开始日期放在前面。")
    if (last - first).days + 1 > MAX_DAYS:
        raise ServiceError(422, "invalid_period", f"一次最多查询 {MAX_DAYS} 天的统计：请缩短日期范围。")


def _moment(day: dt.date) -> dt.datetime:
    """The first moment of a Shanghai day, in UTC."""
    return dt.datetime.combine(day, dt.time(0), figures.SHANGHAI).astimezone(dt.UTC)


@functools.cache
def _calendar() -> WorkCalendar:
    calendar, _problems = load_calendar()
    return calendar


def due_soon_until(today: dt.date) -> dt.date:
    return _calendar().add_workdays(today, figures.DUE_SOON_WORKDAYS).date


# ---------------------------------------------------------------------------------------------------- figures


def center_figures(
    session: Session, device: Device, first: dt.date, last: dt.date, *, now: dt.datetime | None = None
) -> protocol.CenterFigures:
    """The figures of the device's own center for the Shanghai days ``first`` … ``last``."""
    check_period(first, last)
    now = now or utcnow()
    today = figures.local_day(now)
    center = device.center_code
    start, end = _moment(first), _moment(last + dt.timedelta(days=1))
    soon = due_soon_until(today)
    cases = case_rows(session, center, start, end, today, soon)
    summary = figures.summarize(
        cases,
        rating_rows(session, center, start, end),
        change_rows(session, center, start, end),
        first=first,
        last=last,
        today=today,
        due_soon_until=soon,
        deadline_totals=deadline_totals(session, center, today, soon),
    )
    return protocol.CenterFigures(
        center_code=center,
        generated_at=now,
        summary=summary,
        workstations=workstation_days(session, center, start, end, first, last),
    )


_CASE_COLUMNS = (
    ServerApplication.id,
    ServerApplication.acceptance_no,
    ServerApplication.item_code,
    ServerApplication.item_name,
    ServerApplication.workstation_code,
    ServerApplication.clerk_username,
    ServerApplication.received_at,
    ServerApplication.called_at,
    ServerApplication.first_decided_at,
    ServerApplication.first_decision,
    ServerApplication.counter_at,
    ServerApplication.counter_state,
    ServerApplication.status,
    ServerApplication.return_visits,
    ServerApplication.promised_date,
)


def case_rows(
    session: Session, center: str, start: dt.datetime, end: dt.datetime, today: dt.date, due_soon: dt.date
) -> list[figures.CaseRow]:
    """The center's cases the period's figures need: those received in it, those received earlier with a 补正
    return visit in it, and the open accepted cases due by ``due_soon`` (any day's: the deadlines), at most
    :data:`figures.DEADLINE_LIST_MAX` late ones and as many due soon, the earliest due first (what
    ``figures.summarize`` lists).  Indexed reads (``ix_applications_center_received``, ``…_center_returned``,
    ``…_open_promised``)."""
    app = ServerApplication
    rows: dict[uuid.UUID, figures.CaseRow] = {}
    received = select(*_CASE_COLUMNS).where(app.center_code == center, app.received_at >= start, app.received_at < end)
    for row in session.execute(received):
        rows[row.id] = _case(row)
    # Return visits of the period on cases received before it.  The index finds the cases whose latest visit is at
    # or after the period's start: for a day long past, every case returned since (thousands).  So their visits are
    # read first as text, and only the cases with a visit in the period are read whole.
    returned = select(app.id, app.return_visits).where(
        app.center_code == center,
        app.last_return_at.is_not(None),
        app.last_return_at >= start,
        app.received_at < end,
    )
    wanted = [
        app_id for app_id, visits in session.execute(returned) if app_id not in rows and _visit_in(visits, start, end)
    ]
    for i in range(0, len(wanted), 1000):
        for row in session.execute(select(*_CASE_COLUMNS).where(app.id.in_(wanted[i : i + 1000]))):
            rows[row.id] = _case(row)
    # The deadlines: the open accepted cases due soon, of any day.  A back office that never reports back leaves
    # every accepted case open (thousands): each list reads its DEADLINE_LIST_MAX earliest-due cases and the totals
    # are counted, all on the partial ix_applications_open_promised.  One not read above was received outside the
    # period and made no return visit in it, so the figures read only its deadline: a light row.
    owed = select(
        app.id,
        app.acceptance_no,
        app.item_code,
        app.item_name,
        app.workstation_code,
        app.clerk_username,
        app.received_at,
        app.promised_date,
    ).where(*_owed(center, due_soon))
    accepted, state = Decision.ACCEPT, AppState.ACCEPTED.value
    for late in (True, False):
        kind = app.promised_date < today if late else app.promised_date >= today
        query = owed.where(kind).order_by(app.promised_date, app.acceptance_no).limit(figures.DEADLINE_LIST_MAX)
        for due in session.execute(query):
            if due.id not in rows:
                rows[due.id] = figures.CaseRow(
                    acceptance_no=due.acceptance_no,
                    item_code=due.item_code,
                    item_name=due.item_name,
                    workstation_code=due.workstation_code,
                    clerk=due.clerk_username,
                    clerk_name="",
                    received_at=due.received_at,
                    called_at=None,
                    decided_at=due.received_at,
                    decision=accepted,
                    state=state,
                    promised_date=due.promised_date,
                )
    return sorted(rows.values(), key=lambda c: c.acceptance_no)


def _owed(center: str, due_soon: dt.date) -> tuple[ColumnElement[bool] | TextClause, ...]:
    """The center's open accepted cases due by ``due_soon``.  The status test is the partial index's own predicate
    as literal SQL (``OPEN_ACCEPTED``), so that PostgreSQL uses ``ix_applications_open_promised`` whatever the
    plan (a generic plan of bound parameters could not prove the predicate)."""
    app = ServerApplication
    return (
        app.center_code == center,
        text(OPEN_ACCEPTED),
        app.promised_date.is_not(None),
        app.promised_date <= due_soon,
    )


def deadline_totals(session: Session, center: str, today: dt.date, due_soon: dt.date) -> tuple[int, int]:
    """How many open accepted cases of the center are late (due before ``today``) and due soon (``today`` …
    ``due_soon``), whatever the lists hold: one index-only count on ``ix_applications_open_promised``."""
    app = ServerApplication
    late = func.count().filter(app.promised_date < today)
    soon = func.count().filter(app.promised_date >= today)
    overdue, upcoming = session.execute(select(late, soon).where(*_owed(center, due_soon))).one()
    return int(overdue), int(upcoming)


def _visit_in(visits: str, start: dt.datetime, end: dt.datetime) -> bool:
    """Whether a ``return_visits`` column (``accept@<ISO moment>,`` each) holds a visit in [start, end)."""
    return any(start <= dt.datetime.fromisoformat(entry.split("@", 1)[1]) < end for entry in visits.split(",") if entry)


def _case(row: Any) -> figures.CaseRow:
    visits = [entry.split("@", 1) for entry in row.return_visits.split(",") if entry]
    state = _STATES.get(row.counter_state, AppState.ACCEPTED)
    closed = state in (AppState.REFUSED, AppState.VOIDED, AppState.ANSWERED) or (
        state is AppState.ACCEPTED and row.status not in OPEN_STATUSES
    )
    return figures.CaseRow(
        acceptance_no=row.acceptance_no,
        item_code=row.item_code,
        item_name=row.item_name,
        workstation_code=row.workstation_code,
        clerk=row.clerk_username,
        clerk_name="",
        received_at=row.received_at,
        called_at=row.called_at,
        decided_at=row.first_decided_at or row.counter_at,
        decision=Decision(row.first_decision or "accept"),
        state=state.value,
        return_visits=tuple(Decision(kind) for kind, _at in visits),
        return_visit_at=tuple(dt.datetime.fromisoformat(at) for _kind, at in visits),
        promised_date=row.promised_date,
        closed=closed,
    )


def rating_rows(session: Session, center: str, start: dt.datetime, end: dt.datetime) -> list[figures.RatingRow]:
    """The ratings made in the period, and the 差评 of any day whose follow-up is not closed."""
    queries = (
        select(RatingRow).where(RatingRow.center_code == center, RatingRow.rated_at >= start, RatingRow.rated_at < end),
        # The partial index's own predicate as literal SQL, as in _owed: ix_ratings_open_bad whatever the plan.
        select(RatingRow).where(RatingRow.center_code == center, text(OPEN_BAD)),
    )
    rows: dict[uuid.UUID, figures.RatingRow] = {}
    for query in queries:
        for rating in session.scalars(query):
            rows.setdefault(
                rating.rating_id,
                figures.RatingRow(
                    acceptance_no=rating.acceptance_no,
                    rating_id=str(rating.rating_id),
                    clerk=rating.clerk_username,
                    level=RatingLevel(rating.level),
                    occasion=RatingOccasion(rating.occasion),
                    rated_at=rating.rated_at,
                    named=rating.named,
                    contact_due=rating.contact_due,
                    rectify_due=rating.rectify_due,
                    contacted=rating.contacted_at is not None,
                    closed=rating.closed_at is not None,
                ),
            )
    return sorted(rows.values(), key=lambda r: (r.rated_at, r.rating_id))


def change_rows(session: Session, center: str, start: dt.datetime, end: dt.datetime) -> list[figures.ChangeRow]:
    """The 更正/作废 made in the period, each with whether its application's day (the day in its 办件编号) was
    already closed (日结) at that moment.  Who entered a change is not on the wire: ``clerk`` is empty."""
    change = ApplicationChangeRow
    found = list(
        session.scalars(select(change).where(change.center_code == center, change.at >= start, change.at < end))
    )
    # The day each changed application's 办件编号 carries (the protocol checked its form when it was stored).
    days = {c.acceptance_no: d for c in found if (d := protocol.day_of(c.acceptance_no)) is not None}
    closes = _closes_of(
        session, center, {(c.workstation_code, days[c.acceptance_no]) for c in found if c.acceptance_no in days}
    )
    return [
        figures.ChangeRow(
            acceptance_no=c.acceptance_no,
            kind=c.kind,
            at=c.at,
            clerk="",
            approved_by=c.approved_by,
            reason=c.reason,
            closed_day=c.acceptance_no in days
            and any(at <= c.at for at in closes.get((c.workstation_code, days[c.acceptance_no]), ())),
        )
        for c in found
    ]


def _closes_of(
    session: Session, center: str, wanted: Iterable[tuple[str, dt.date]]
) -> dict[tuple[str, dt.date], list[dt.datetime]]:
    """When each (workstation, day) was closed (every close of it), in one query."""
    found: dict[tuple[str, dt.date], list[dt.datetime]] = defaultdict(list)
    pairs = list(wanted)
    if pairs:
        close = DayCloseRow
        query = select(close.workstation_code, close.day, close.closed_at).where(
            close.center_code == center, tuple_(close.workstation_code, close.day).in_(pairs)
        )
        for workstation, day, closed_at in session.execute(query):
            found[(workstation, day)].append(closed_at)
    return found


def workstation_days(
    session: Session, center: str, start: dt.datetime, end: dt.datetime, first: dt.date, last: dt.date
) -> list[protocol.WorkstationDay]:
    """Each workstation code of the center (every one enrolled, and every one with applications in the period):
    its applications in the period, its devices' latest push, the last time the server stored an event of it, and
    its closes of the period (every day closed, the latest close, and the close of the period's last day)."""
    app = ServerApplication
    counted = (
        select(app.workstation_code, func.count())
        .where(
            app.center_code == center,
            app.received_at >= start,
            app.received_at < end,
            app.counter_state != "voided",  # as figures.Summary.applications: a voided case is not counted
        )
        .group_by(app.workstation_code)
    )
    counts: dict[str, int] = {code: n for code, n in session.execute(counted)}
    pushed = (
        select(Device.workstation_code, func.max(Device.last_seen_at))
        .where(Device.center_code == center, Device.confirmed_at.is_not(None))
        .group_by(Device.workstation_code)
    )
    pushes: dict[str, dt.datetime | None] = {code: at for code, at in session.execute(pushed)}
    heads = select(AuditHeadRow.workstation_code, func.max(AuditHeadRow.received_at)).where(
        AuditHeadRow.center_code == center
    )
    head_taken: dict[str, dt.datetime] = {
        code: at for code, at in session.execute(heads.group_by(AuditHeadRow.workstation_code))
    }
    # Every close of the period, in order: the latest of each day is the day's close.
    closes: dict[str, dict[dt.date, DayCloseRow]] = defaultdict(dict)
    for row in session.scalars(
        select(DayCloseRow)
        .where(DayCloseRow.center_code == center, DayCloseRow.day >= first, DayCloseRow.day <= last)
        .order_by(DayCloseRow.day, DayCloseRow.closed_at)
    ):
        closes[row.workstation_code][row.day] = row
    days = []
    for code in sorted(set(counts) | set(pushes) | set(closes)):
        closed = closes.get(code, {})
        close = closed.get(last)
        latest = closed[max(closed)] if closed else None
        days.append(
            protocol.WorkstationDay(
                workstation_code=code,
                applications=counts.get(code, 0),
                last_push_at=pushes.get(code),
                last_accepted_at=_latest(last_stored(session, center, code), head_taken.get(code)),
                closed_at=close.closed_at if close else None,
                closed_by=close.closed_by if close else None,
                close_reason=close.reason if close else None,
                closed_days=sorted(closed),
                last_close=(
                    protocol.WorkstationClose(
                        day=latest.day, closed_at=latest.closed_at, closed_by=latest.closed_by, reason=latest.reason
                    )
                    if latest
                    else None
                ),
            )
        )
    return days


def last_stored(session: Session, center: str, workstation: str) -> dt.datetime | None:
    """When the server last stored an event of the workstation code (the latest ``received_at`` of its events).  A
    push whose events were all refused stores none and leaves it as it was.  One index lookup
    (``ix_events_workstation_order`` begins with the center, the workstation and ``received_at``)."""
    query = select(func.max(StoredEvent.received_at)).where(
        StoredEvent.center_code == center, StoredEvent.workstation_code == workstation
    )
    return session.scalar(query)


def _latest(*moments: dt.datetime | None) -> dt.datetime | None:
    """The last successful sync: the latest of an event stored and an audit head taken (one pushed alone)."""
    known = [m for m in moments if m is not None]
    return max(known) if known else None


# ---------------------------------------------------------------------------------------------------- reconciliation


def reconciliation(
    session: Session, device: Device, day: dt.date, *, now: dt.datetime | None = None
) -> protocol.Reconciliation:
    """Every application of the device's workstation whose 办件编号 carries ``day``, with how many events of which
    types the server holds for each, and the day's close (the latest) if it arrived."""
    check_period(day, day)
    now = now or utcnow()
    center, workstation = device.center_code, device.workstation_code
    prefix = protocol.day_prefix(center, workstation, day)
    app = ServerApplication
    # The number's day is the day the workstation numbered the case, which is the local day it was received (or
    # the next, past midnight): a window of the received index around it, then the exact prefix.
    around = (_moment(day - dt.timedelta(days=2)), _moment(day + dt.timedelta(days=3)))
    day_numbers = select(app.id, app.acceptance_no).where(
        app.center_code == center,
        app.received_at >= around[0],
        app.received_at < around[1],
        app.workstation_code == workstation,
        app.acceptance_no.startswith(prefix, autoescape=True),
    )
    numbers: dict[uuid.UUID, str] = {app_id: number for app_id, number in session.execute(day_numbers)}
    types: dict[uuid.UUID, dict[str, int]] = defaultdict(dict)
    if numbers:
        query = (
            select(StoredEvent.application_id, StoredEvent.event_type, func.count())
            .where(StoredEvent.application_id.in_(numbers))
            .group_by(StoredEvent.application_id, StoredEvent.event_type)
        )
        for app_id, event_type, count in session.execute(query):
            types[app_id][event_type] = count
    cases = [
        protocol.ReconciledCase(
            acceptance_no=number,
            events=sum(types[app_id].values()),
            event_types=dict(sorted(types[app_id].items())),
        )
        for app_id, number in sorted(numbers.items(), key=lambda item: item[1])
    ]
    close = session.scalars(
        select(DayCloseRow)
        .where(DayCloseRow.center_code == center, DayCloseRow.workstation_code == workstation, DayCloseRow.day == day)
        .order_by(DayCloseRow.closed_at.desc())
        .limit(1)
    ).first()
    return protocol.Reconciliation(
        center_code=center,
        workstation_code=workstation,
        day=day,
        generated_at=now,
        cases=cases,
        closed_at=close.closed_at if close else None,
    )
