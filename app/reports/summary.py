"""The supervisor's figures at the workstation (``services.reports``): the day's summary from this workstation's
store, and the center's figures fetched from the central server (docs/supervisor.md "Figures").

:class:`ReportService` reads the rows of the period from the store with a few indexed statements on one plain
connection (one day's summary of a store of a million applications in about 50 ms: docs/supervisor.md) and
hands them to the pure :func:`app.reports.figures.summarize`, the same function the server runs over the whole
center.  What each row holds:

- the applications received in the period (``applications.received_at``), the applications with a 补正 return visit
  decided in the period (``decisions.decided_at``), and the open accepted cases whose deadline falls by
  ``due_soon_until`` (the partial index ``ix_applications_open_due``), at most :data:`DEADLINE_ROWS` of each list,
  with their true numbers counted on the same index (``Summary.overdue_total`` / ``due_soon_total``);
- the ratings made in the period and the 差评 still open from before (``ratings``, ``rating_follow_ups``);
- the 更正 and 作废 of the period from the audit trail (``application.corrected`` / ``application.voided``: who
  entered it, who approved it and why), flagged when the application's day had been closed (日结) before.

A clerk (OWN_FIGURES without ALL_FIGURES) gets their own figures whatever they ask: the clerk is forced here, not
hidden by a screen.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, false, func, select, text
from sqlalchemy.engine import Connection

from app.config import Deployment
from app.domain import AppState, Decision, FollowUpStep, RatingLevel, RatingOccasion
from app.errors import CredentialStoreError, NotAllowedError, SyncError, ValidationError
from app.i18n import Message, msg
from app.localtime import SHANGHAI, local_date, utc_bounds
from app.reports import figures
from app.security.permissions import Actor, Permission, allows, require
from app.sync import protocol
from app.sync.stored_message import load_message
from db.engine import Database
from db.models import (
    CHANGE_EVENTS_WHERE,
    OPEN_BAD_WHERE,
    OPEN_DUE_WHERE,
    Application,
    AuditEvent,
    DayClose,
    DecisionRecord,
    OutboxEntry,
    OutboxState,
    Rating,
    RatingFollowUp,
    SyncMeta,
    User,
)
from db.types import utcnow

log = logging.getLogger("yimen.reports")

#: The longest period a summary covers (a year and a day: a leap year's report).
MAX_DAYS = 366
#: The open accepted cases read for each deadline list, earliest due first (the most overdue, as the server lists
#: them and as ``figures.summarize`` keeps them), this many at most of each.  A store whose back office never
#: reported back (no ``server_status``) holds every accepted case as open; the summary then lists these and counts
#: them all in SQL
#: (``Summary.overdue_total`` / ``due_soon_total``).
DEADLINE_ROWS = figures.DEADLINE_LIST_MAX
#: The sync_meta key of the center's figures last fetched from the server.
META_CENTER_FIGURES = "center_figures"

#: The back office's statuses that end a case (``protocol.ServerStatus``): it is no longer waiting on the center.
_DONE_STATUSES = ("completed", "denied", "voided", "not_accepted")
_CHANGE_ACTIONS = {"application.corrected": "corrected", "application.voided": "voided"}
_CHANGE_EVENTS = {
    protocol.EventType.APPLICATION_CORRECTED.value: "corrected",
    protocol.EventType.APPLICATION_VOIDED.value: "voided",
}


# ---------------------------------------------------------------------------------------------------- what goes out


@dataclass(frozen=True)
class UnsyncedEvent:
    """An event of the outbox the server has not acknowledged yet."""

    acceptance_no: str | None  # None: an event of the workstation (a day close, a handover)
    event_type: str
    created_at: dt.datetime
    age_seconds: int


@dataclass(frozen=True)
class QuarantinedEvent:
    """An event the server refused: it waits for IT (``yimen sync --retry``) with the server's reason."""

    acceptance_no: str | None
    event_type: str
    created_at: dt.datetime
    age_seconds: int
    reason: str


@dataclass(frozen=True)
class SyncFigures:
    unsynced: list[UnsyncedEvent] = field(default_factory=list)
    quarantined: list[QuarantinedEvent] = field(default_factory=list)
    last_success_at: dt.datetime | None = None


@dataclass(frozen=True)
class WorkstationSummary:
    """The figures of this workstation for a period, with what is not yet on the server.

    ``clerk_only``: the username the figures are limited to (a clerk's own figures, or a supervisor's choice).
    How many open cases are due in all: ``summary.overdue_total`` / ``due_soon_total`` (the lists hold at most
    :data:`DEADLINE_ROWS` each)."""

    summary: figures.Summary
    sync: SyncFigures
    clerk_only: str | None
    generated_at: dt.datetime
    center_name: str
    workstation_code: str
    window_name: str


@dataclass(frozen=True)
class CenterView:
    """The center's figures as the server computed them, or the last ones fetched when it cannot be reached
    (``stale``, with ``problem`` saying why and since when); ``figures`` None when none was ever fetched for the
    period."""

    figures: protocol.CenterFigures | None
    fetched_at: dt.datetime | None
    stale: bool
    problem: Message | None = None


# ---------------------------------------------------------------------------------------------------- the service


class ReportService:
    """``services.reports``: the workstation's summary and the center's figures (docs/supervisor.md)."""

    def __init__(
        self,
        db: Database,
        deployment: Deployment,
        *,
        item_name: Callable[[str], str],
        due_soon_until: Callable[[dt.date], dt.date],
        center_figures: Callable[[dt.date, dt.date], protocol.CenterFigures],
        clock: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        """``item_name``: an item code's Chinese name (the catalog); ``due_soon_until``: the last day of "due soon"
        from a day (3 working days on the calendar); ``center_figures``: the center's figures of a period from the
        server (``SyncService.center_figures``: raises SyncError when not enrolled or not reached)."""
        self.db = db
        self.deployment = deployment
        self.item_name = item_name
        self.due_soon_until = due_soon_until
        self.center_figures_of = center_figures
        self.clock = clock

    # ------------------------------------------------------------------ the workstation

    def day_summary(
        self, user: Actor, first: dt.date, last: dt.date | None = None, *, clerk: str | None = None
    ) -> WorkstationSummary:
        """The figures of the Shanghai days ``first`` … ``last`` (one day by default) of this workstation.

        ``clerk``: one clerk's figures (a username).  An account without ALL_FIGURES always gets its own, whatever
        it asks.

        Raises:
            NotAllowedError: the account may see no figures.
            ValidationError: ``last`` before ``first``, or a period longer than a year.
            StorageError: the store cannot be read.
        """
        clerk_only = self._clerk_of(user, clerk)
        last = last or first
        _check_period(first, last)
        now = self.clock()
        today = local_date(now)
        soon = self.due_soon_until(today)
        start, end = utc_bounds(first, last)
        with self.db.read_connection() as conn:
            clerk_id = _user_id(conn, clerk_only) if clerk_only is not None else None
            if clerk_only is not None and clerk_id is None:
                cases: list[figures.CaseRow] = []
                ratings: list[figures.RatingRow] = []
                changes: list[figures.ChangeRow] = []
                totals = (0, 0)
            else:
                cases, totals = self._cases(conn, start, end, today, soon, clerk_id)
                ratings = _ratings(conn, start, end, clerk_id)
                changes = _changes(conn, start, end, clerk_id)
            sync = _sync_figures(conn, now, clerk_id, only_clerk=clerk_only is not None)
        summary = figures.summarize(
            cases,
            ratings,
            changes,
            first=first,
            last=last,
            today=today,
            due_soon_until=soon,
            clerk=clerk_only,
            deadline_totals=totals,
        )
        return WorkstationSummary(
            summary=summary,
            sync=sync,
            clerk_only=clerk_only,
            generated_at=now,
            center_name=self.deployment.center_name,
            workstation_code=self.deployment.workstation_code,
            window_name=self.deployment.window_name,
        )

    def _clerk_of(self, user: Actor, asked: str | None) -> str | None:
        if allows(user.role, Permission.ALL_FIGURES):
            require(user, Permission.ALL_FIGURES)
            return asked.strip() if asked and asked.strip() else None
        require(user, Permission.OWN_FIGURES)
        own = getattr(user, "username", None)
        if not isinstance(own, str) or not own:
            raise NotAllowedError(msg("reports", "请用本人账号登录后查看本人的业务统计。"))
        return own  # a clerk's own figures, whatever they asked for

    def _cases(
        self,
        conn: Connection,
        start: dt.datetime,
        end: dt.datetime,
        today: dt.date,
        soon: dt.date,
        clerk_id: uuid.UUID | None,
    ) -> tuple[list[figures.CaseRow], tuple[int, int]]:
        """The period's cases with their decisions, the cases with a return visit in the period, and the open
        accepted cases due by ``soon`` (at most :data:`DEADLINE_ROWS` late ones, the latest first, and as many due
        soon, the earliest first); how many are late and due soon in all (counted on ix_applications_open_due)."""
        mine = [Application.clerk_id == clerk_id] if clerk_id is not None else []
        columns = (
            Application.id,
            Application.acceptance_no,
            Application.item_code,
            Application.clerk_id,
            Application.received_at,
            Application.called_at,
            Application.decided_at,
            Application.decision,
            Application.state,
            Application.promised_date,
            Application.due_date,
            Application.server_status,
        )
        period = (Application.received_at >= start, Application.received_at < end)
        apps = {row.id: row for row in conn.execute(select(*columns).where(*period, *mine))}
        decisions: dict[uuid.UUID, list[tuple[str, dt.datetime]]] = {}
        made = select(DecisionRecord.application_id, DecisionRecord.decision, DecisionRecord.decided_at)
        for app_id, decision, decided_at in conn.execute(
            made.join(Application, Application.id == DecisionRecord.application_id)
            .where(*period, *mine)
            .order_by(DecisionRecord.decided_at)
        ):
            decisions.setdefault(app_id, []).append((decision, decided_at))
        # Return visits of the period on cases received before it: those cases, with all their decisions.
        earlier = set(
            conn.scalars(
                select(DecisionRecord.application_id).where(
                    DecisionRecord.decided_at >= start, DecisionRecord.decided_at < end
                )
            )
        ) - set(apps)
        for chunk in _chunks(sorted(earlier)):
            apps.update((row.id, row) for row in conn.execute(select(*columns).where(Application.id.in_(chunk), *mine)))
            for app_id, decision, decided_at in conn.execute(
                made.where(DecisionRecord.application_id.in_(chunk)).order_by(DecisionRecord.decided_at)
            ):
                decisions.setdefault(app_id, []).append((decision, decided_at))
        # The deadlines (ix_applications_open_due): only what the deadline lists need, no decisions.
        late = and_(text(OPEN_DUE_WHERE), Application.due_date < today, *mine)
        due = and_(text(OPEN_DUE_WHERE), Application.due_date >= today, Application.due_date <= soon, *mine)
        due_late = select(*columns).where(late).order_by(Application.due_date).limit(DEADLINE_ROWS)
        due_soon = select(*columns).where(due).order_by(Application.due_date).limit(DEADLINE_ROWS)
        for query in (due_late, due_soon):
            for row in conn.execute(query):
                apps.setdefault(row.id, row)
        totals = (
            int(conn.execute(select(func.count()).select_from(Application).where(late)).scalar_one()),
            int(conn.execute(select(func.count()).select_from(Application).where(due)).scalar_one()),
        )
        users = _users(conn)
        names: dict[str, str] = {}
        workstation = self.deployment.workstation_code
        rows = []
        for app in apps.values():
            made_on = decisions.get(app.id) or [(app.decision, app.decided_at)]
            first_decision, first_at = made_on[0]
            visits = made_on[1:] if first_decision == Decision.SUPPLEMENT.value else []
            username, display = users.get(app.clerk_id, ("", ""))
            name = names.get(app.item_code)
            if name is None:
                name = names[app.item_code] = self.item_name(app.item_code)
            rows.append(
                figures.CaseRow(
                    acceptance_no=app.acceptance_no,
                    item_code=app.item_code,
                    item_name=name,
                    workstation_code=workstation,
                    clerk=username,
                    clerk_name=display,
                    received_at=app.received_at,
                    called_at=app.called_at,
                    decided_at=first_at,
                    decision=Decision(first_decision),
                    state=app.state,
                    return_visits=tuple(Decision(d) for d, _ in visits),
                    return_visit_at=tuple(at for _, at in visits),
                    promised_date=app.due_date or app.promised_date,
                    closed=_closed(app.state, app.server_status),
                )
            )
        return rows, totals

    # ------------------------------------------------------------------ the center

    def center_figures(self, user: Actor, first: dt.date, last: dt.date | None = None) -> CenterView:
        """The center's figures of the period from the central server (ALL_FIGURES).  Fetched figures are kept
        (``sync_meta``); when the server cannot be reached or fails, the ones last fetched for the same period are
        shown, marked ``stale``, with the reason and the time they were fetched; never an exception for that.

        Raises:
            NotAllowedError: the account may not see the center's figures.
            ValidationError: ``last`` before ``first``, or a period longer than a year.
        """
        require(user, Permission.ALL_FIGURES)
        last = last or first
        _check_period(first, last)
        try:
            fetched = self.center_figures_of(first, last)
        except (SyncError, CredentialStoreError) as exc:
            log.info("center figures not fetched: %s", exc.code)
            return self._cached(first, last, exc.message)
        now = self.clock()
        cache = {
            "first": first.isoformat(),
            "last": last.isoformat(),
            "fetched_at": now.isoformat(),
            "figures": json.loads(fetched.model_dump_json()),
        }
        with self.db.write() as session:
            session.merge(SyncMeta(key=META_CENTER_FIGURES, value=json.dumps(cache, ensure_ascii=False)))
        return CenterView(figures=fetched, fetched_at=now, stale=False)

    def _cached(self, first: dt.date, last: dt.date, reason: Message) -> CenterView:
        with self.db.read_connection() as conn:
            stored = conn.scalar(select(SyncMeta.value).where(SyncMeta.key == META_CENTER_FIGURES))
        cached = _parse_cache(stored) if stored else None
        if cached is None or cached[0] != (first, last):
            return CenterView(
                figures=None,
                fetched_at=None,
                stale=True,
                problem=msg("reports", "无法取得中心数据：{reason} 本机没有这一期间的中心数据。").bind(reason=reason),
            )
        _, fetched_at, center = cached
        local = fetched_at.astimezone(SHANGHAI)
        when = local.strftime("%H:%M") if local.date() == local_date(self.clock()) else local.strftime("%Y-%m-%d %H:%M")
        return CenterView(
            figures=center,
            fetched_at=fetched_at,
            stale=True,
            problem=msg("reports", "无法取得中心数据：{reason} 显示的是 {time} 获取的中心数据。").bind(
                reason=reason, time=when
            ),
        )


# ---------------------------------------------------------------------------------------------------- reading rows


def _check_period(first: dt.date, last: dt.date) -> None:
    if last < first:
        raise ValidationError(msg("reports", "结束日期不能早于开始日期。"), field="last")
    if (last - first).days >= MAX_DAYS:
        raise ValidationError(msg("reports", "统计期间最长 {days} 天，请缩短期间。").bind(days=MAX_DAYS), field="last")


def _closed(state: str, server_status: str | None) -> bool:
    """No longer waiting on the center: refused, voided, answered, or done by the back office."""
    if state in (AppState.REFUSED.value, AppState.VOIDED.value, AppState.ANSWERED.value):
        return True
    return server_status in _DONE_STATUSES


def _users(conn: Connection) -> dict[uuid.UUID, tuple[str, str]]:
    return {
        row.id: (row.username, row.display_name)
        for row in conn.execute(select(User.id, User.username, User.display_name))
    }


def _user_id(conn: Connection, username: str) -> uuid.UUID | None:
    found: uuid.UUID | None = conn.scalar(select(User.id).where(User.username == username))
    return found


def _chunks(ids: list[uuid.UUID], size: int = 500) -> Iterable[list[uuid.UUID]]:
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def _ratings(
    conn: Connection, start: dt.datetime, end: dt.datetime, clerk_id: uuid.UUID | None
) -> list[figures.RatingRow]:
    """The ratings of the period, and the 差评 of earlier days whose follow-up is still open."""
    period = and_(Rating.rated_at >= start, Rating.rated_at < end)
    query = select(
        Rating.id,
        Rating.application_id,
        Rating.clerk_id,
        Rating.level,
        Rating.occasion,
        Rating.rated_at,
        Rating.phone.is_not(None).label("named"),
        Rating.contact_due,
        Rating.rectify_due,
        Rating.closed_at,
    )
    if clerk_id is not None:
        query = query.where(Rating.clerk_id == clerk_id)
    found = {row.id: row for row in conn.execute(query.where(period))}
    found.update({row.id: row for row in conn.execute(query.where(text(OPEN_BAD_WHERE), Rating.rated_at < start))})
    if not found:
        return []
    users = _users(conn)
    numbers: dict[uuid.UUID, str] = {}
    contacted: set[uuid.UUID] = set()
    ids = sorted(found)
    bad = sorted(r.id for r in found.values() if RatingLevel(r.level).is_bad)
    for chunk in _chunks(sorted({r.application_id for r in found.values()})):
        numbers.update(
            conn.execute(select(Application.id, Application.acceptance_no).where(Application.id.in_(chunk))).all()
        )
    for chunk in _chunks(bad):
        contacted.update(
            conn.scalars(
                select(RatingFollowUp.rating_id)
                .where(RatingFollowUp.rating_id.in_(chunk), RatingFollowUp.step == FollowUpStep.CONTACT.value)
                .distinct()
            )
        )
    return [
        figures.RatingRow(
            acceptance_no=numbers.get(row.application_id, ""),
            rating_id=str(row.id),
            clerk=users.get(row.clerk_id, ("", ""))[0],
            level=RatingLevel(row.level),
            occasion=RatingOccasion(row.occasion),
            rated_at=row.rated_at,
            named=bool(row.named),
            contact_due=row.contact_due,
            rectify_due=row.rectify_due,
            contacted=row.id in contacted,
            closed=row.closed_at is not None,
        )
        for row in (found[i] for i in ids)
    ]


def _changes(
    conn: Connection, start: dt.datetime, end: dt.datetime, clerk_id: uuid.UUID | None
) -> list[figures.ChangeRow]:
    """The 更正 and 作废 of the period: their events by the moment they were made (the outbox keeps every event,
    ``ix_outbox_changes_created_at`` holds these), who entered and who approved them and why from their audit
    events."""
    made = conn.execute(
        select(OutboxEntry.id, OutboxEntry.application_id, OutboxEntry.event_type, OutboxEntry.created_at)
        .where(
            text(CHANGE_EVENTS_WHERE),  # the partial index's own condition, literally: SQLite then uses it
            OutboxEntry.created_at >= start,
            OutboxEntry.created_at < end,
        )
        .order_by(OutboxEntry.created_at, OutboxEntry.seq)
    ).all()
    app_ids = sorted({m.application_id for m in made if m.application_id is not None})
    if not app_ids:
        return []
    audited: dict[str, Any] = {}
    received: dict[uuid.UUID, dt.datetime] = {}
    for chunk in _chunks(app_ids):
        for row in conn.execute(
            select(AuditEvent.user_id, AuditEvent.details).where(
                AuditEvent.entity_id.in_([str(i) for i in chunk]), AuditEvent.action.in_(tuple(_CHANGE_ACTIONS))
            )
        ):
            details = row.details or {}
            audited[str(details.get("outbox_event", ""))] = (row.user_id, details)
        received.update(
            conn.execute(select(Application.id, Application.received_at).where(Application.id.in_(chunk))).all()
        )
    days = {local_date(at) for at in received.values()}
    closes = dict(conn.execute(select(DayClose.day, DayClose.closed_at).where(DayClose.day.in_(days))).all())
    users = _users(conn)
    names = dict(users.values())  # username → display name, for the approver the audit names by username
    rows = []
    for change in made:
        user_id, details = audited.get(str(change.id), (None, {}))
        if clerk_id is not None and user_id != clerk_id:
            continue
        taken = received.get(change.application_id)
        closed_at = closes.get(local_date(taken)) if taken is not None else None
        rows.append(
            figures.ChangeRow(
                acceptance_no=str(details.get("acceptance_no", "")),
                kind=_CHANGE_EVENTS[change.event_type],
                at=change.created_at,
                clerk=users.get(user_id, ("", ""))[0] if user_id is not None else "",
                approved_by=str(details.get("approved_by", "")),
                reason=str(details.get("reason", "")),
                closed_day=closed_at is not None and closed_at <= change.created_at,
                clerk_name=users.get(user_id, ("", ""))[1] if user_id is not None else "",
                approved_by_name=names.get(str(details.get("approved_by", "")), ""),
            )
        )
    return rows


def _sync_figures(conn: Connection, now: dt.datetime, clerk_id: uuid.UUID | None, *, only_clerk: bool) -> SyncFigures:
    """What the server has not acknowledged: pending events with their age, quarantined ones with the reason (a
    clerk's own figures: the events of the applications they took)."""
    query = (
        select(
            OutboxEntry.state,
            OutboxEntry.event_type,
            OutboxEntry.created_at,
            OutboxEntry.last_error,
            Application.acceptance_no,
        )
        .outerjoin(Application, Application.id == OutboxEntry.application_id)
        .where(OutboxEntry.state.in_((OutboxState.PENDING.value, OutboxState.QUARANTINED.value)))
        .order_by(OutboxEntry.seq)
    )
    if only_clerk:
        query = query.where(Application.clerk_id == clerk_id) if clerk_id is not None else query.where(false())
    unsynced: list[UnsyncedEvent] = []
    quarantined: list[QuarantinedEvent] = []
    for row in conn.execute(query):
        age = max(0, int((now - row.created_at).total_seconds()))
        if row.state == OutboxState.QUARANTINED.value:
            reason = load_message(row.last_error).render() if row.last_error else ""
            quarantined.append(QuarantinedEvent(row.acceptance_no, row.event_type, row.created_at, age, reason))
        else:
            unsynced.append(UnsyncedEvent(row.acceptance_no, row.event_type, row.created_at, age))
    stored = conn.scalar(select(SyncMeta.value).where(SyncMeta.key == "last_success_at"))
    return SyncFigures(unsynced, quarantined, dt.datetime.fromisoformat(stored) if stored else None)


def _parse_cache(stored: str) -> tuple[tuple[dt.date, dt.date], dt.datetime, protocol.CenterFigures] | None:
    try:
        data = json.loads(stored)
        period = (dt.date.fromisoformat(data["first"]), dt.date.fromisoformat(data["last"]))
        fetched_at = dt.datetime.fromisoformat(data["fetched_at"])
        center = protocol.CenterFigures.model_validate(data["figures"])
    except (ValueError, KeyError, TypeError):  # pydantic's ValidationError is a ValueError
        log.info("the cached center figures cannot be read; ignored")
        return None
    return period, fetched_at, center


def due_soon_from(add_workdays: Callable[[dt.date, int], Any]) -> Callable[[dt.date], dt.date]:
    """``due_soon_until`` of the service from the calendar's ``add_workdays`` (3 working days ahead)."""

    def until(today: dt.date) -> dt.date:
        result: dt.date = add_workdays(today, figures.DUE_SOON_WORKDAYS).date
        return result

    return until
