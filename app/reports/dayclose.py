"""Reconciliation, the day close (日结) and the 材料交接单 recorded as handed over (docs/supervisor.md
"Reconciliation and day close").

A day of this workstation is the set of applications whose 办件编号 carries it (``{centre}-{ws}-{YYYYMMDD}-…``),
purged ones included (``purged_applications``).  The reconciliation checks

* the **sequence**: per numbering series (docs/numbering.md "Series") the numbers run gapless from …0001 to the
  highest known, here or on the server; a missing number is a gap, a later series a *series change* (a restore or
  recovery), never a gap;
* the **server**: application by application, the events this store made (every outbox entry of the application,
  whatever its state: an "acknowledged" flag alone proves nothing) against the events the server holds
  (``GET /device/reconciliation``).  Each difference is listed: events not sent yet (explained), refused by the
  server (with its reason), acknowledged but missing there (unexplained), an application the server has and this
  store does not (本机没有), more events on the server than were made here.

The close re-checks the supervisor's password, reconciles, and writes :class:`db.models.DayClose` and the
``day.closed`` event in one transaction; anything open (unsynced, refused, a gap, a difference, the server not
reached) needs a written reason.  A closed day is read-only for clerks (enforced in app/intake/service.py).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import limits
from app.changes import ChangeWriter
from app.config import Deployment
from app.domain import AppState, MaterialStatus
from app.errors import NotAllowedError, NotFoundError, SyncError, ValidationError
from app.i18n import Message, msg
from app.intake import numbering
from app.localtime import local_date, utc_bounds
from app.security import audit
from app.security.accounts import AccountService, SessionUser
from app.security.permissions import Actor, Permission, allows, require
from app.store import Store
from app.sync import protocol
from app.sync.stored_message import load_message
from app.texts import text_problem
from db.models import (
    Application,
    ApplicationMaterial,
    DayClose,
    Handover,
    HandoverCase,
    OutboxEntry,
    OutboxState,
    PurgedApplication,
    User,
)
from db.types import utcnow

log = logging.getLogger("yimen.dayclose")

#: What fetches the server's side of a day (``SyncClient.reconciliation`` through the sync credential).
ServerDay = Callable[[dt.date], protocol.Reconciliation]

_KEPT = tuple(s.value for s in MaterialStatus if s.kept)


# ---------------------------------------------------------------------------------------------------- results


class DifferenceKind(StrEnum):
    NOT_SENT = "not_sent"  # events not uploaded yet: explained, they go with the next sync
    REFUSED = "refused"  # events the server refused (quarantined here), with its reason
    NOT_ON_SERVER = "not_on_server"  # 服务器上没有: acknowledged here, the server holds nothing of the application
    MISSING_ON_SERVER = "missing_on_server"  # acknowledged here, fewer events on the server: unexplained
    UNKNOWN_HERE = "unknown_here"  # 本机没有: the server holds an application of the day this store does not know
    MORE_ON_SERVER = "more_on_server"  # the server holds more events of it than this store made


#: Differences a sync explains by itself; every other one needs looking into.
EXPLAINED = frozenset({DifferenceKind.NOT_SENT})


@dataclass(frozen=True)
class Difference:
    acceptance_no: str
    kind: DifferenceKind
    #: How many events it concerns (for UNKNOWN_HERE: the events the server holds).
    events: int
    local_events: int
    server_events: int
    #: The server's reasons for refused events.
    reasons: tuple[str, ...] = ()

    @property
    def explained(self) -> bool:
        return self.kind in EXPLAINED

    @property
    def message(self) -> Message:
        n = self.events
        if self.kind is DifferenceKind.NOT_SENT:
            return msg("dayclose", "{n} 个事件尚未上传（下次同步时上传）。").bind(n=n)
        if self.kind is DifferenceKind.REFUSED:
            return msg("dayclose", "{n} 个事件被中心服务器拒收：{reason}").bind(n=n, reason="；".join(self.reasons))
        if self.kind is DifferenceKind.NOT_ON_SERVER:
            return msg("dayclose", "服务器上没有这件申请，而本机记录 {n} 个事件已上传并确认。").bind(n=n)
        if self.kind is DifferenceKind.MISSING_ON_SERVER:
            return msg(
                "dayclose", "本机已上传并确认的事件中有 {n} 个服务器上没有（服务器 {server} 个，本机 {local} 个）。"
            ).bind(n=n, server=self.server_events, local=self.local_events)
        if self.kind is DifferenceKind.UNKNOWN_HERE:
            return msg("dayclose", "本机没有这件申请，服务器上有（{n} 个事件）。").bind(n=n)
        return msg("dayclose", "服务器上的事件比本机多 {n} 个（服务器 {server} 个，本机 {local} 个）。").bind(
            n=n, server=self.server_events, local=self.local_events
        )


@dataclass(frozen=True)
class Gap:
    """Numbers of a series missing here between …0001 and the highest known number."""

    series: int
    first: str
    last: str
    count: int
    #: How many of them the server holds (the records this store lost are still there).
    on_server: int = 0


@dataclass(frozen=True)
class SeriesCheck:
    """The day's numbers of one numbering series."""

    series: int
    mark: str  # "" for the first series, else its letter
    first: str | None  # the lowest number held here
    last: str | None  # the highest number held here
    count: int  # numbers held here, purged ones included
    highest: int  # the highest sequence known, here or on the server
    gaps: tuple[Gap, ...] = ()
    #: The day went on in this series after an earlier one (a restore or recovery): shown, not a gap.
    changed_from: int | None = None


@dataclass(frozen=True)
class CaseCheck:
    """One application of the day, here and on the server."""

    acceptance_no: str
    local_events: int  # every outbox entry of it, whatever its state
    sent: int  # acknowledged by the server, as this store recorded it
    pending: int
    quarantined: int
    server_events: int | None  # None: the server was not asked, or does not hold it
    purged: bool = False
    here: bool = True  # False: only the server knows it


@dataclass(frozen=True)
class DayCloseView:
    day: dt.date
    closed_at: dt.datetime
    closed_by: str
    closed_by_name: str
    reason: str | None
    figures: dict[str, Any]


@dataclass(frozen=True)
class DayReconciliation:
    day: dt.date
    center_code: str
    workstation_code: str
    generated_at: dt.datetime
    #: The day's applications held here (purged ones included).
    applications: int
    series: tuple[SeriesCheck, ...]
    cases: tuple[CaseCheck, ...]
    differences: tuple[Difference, ...]
    #: Events of the day's applications not acknowledged yet / refused by the server.
    unsynced: int
    quarantined: int
    server_reached: bool
    #: Why the server could not be asked (offline, not enrolled, refused), in Chinese.
    problem: Message | None = None
    server_generated_at: dt.datetime | None = None
    #: The day's close as the server holds it, when it arrived.
    server_closed_at: dt.datetime | None = None
    closed: DayCloseView | None = None

    @property
    def gaps(self) -> tuple[Gap, ...]:
        return tuple(g for s in self.series for g in s.gaps)

    @property
    def missing_numbers(self) -> int:
        return sum(g.count for g in self.gaps)

    @property
    def series_changes(self) -> tuple[tuple[int, int], ...]:
        return tuple((s.changed_from, s.series) for s in self.series if s.changed_from is not None)

    @property
    def unexplained(self) -> tuple[Difference, ...]:
        return tuple(d for d in self.differences if not d.explained)

    @property
    def open_items(self) -> list[Message]:
        """What is open, one sentence each: the close needs a written reason when this is not empty."""
        items: list[Message] = []
        if not self.server_reached:
            items.append(
                msg("dayclose", "未能与中心服务器核对：{problem}").bind(
                    problem=self.problem or msg("dayclose", "服务器无法连接")
                )
            )
        if self.missing_numbers:
            items.append(
                msg("dayclose", "编号不连续，缺 {n} 个号：{numbers}").bind(
                    n=self.missing_numbers,
                    numbers="、".join(g.first if g.first == g.last else f"{g.first}～{g.last}" for g in self.gaps),
                )
            )
        if self.unsynced:
            items.append(msg("dayclose", "{n} 个事件尚未上传").bind(n=self.unsynced))
        if self.quarantined:
            items.append(msg("dayclose", "{n} 个事件被中心服务器拒收").bind(n=self.quarantined))
        if self.unexplained:
            items.append(
                msg("dayclose", "{n} 件申请与服务器不一致：{numbers}").bind(
                    n=len({d.acceptance_no for d in self.unexplained}),
                    numbers="、".join(dict.fromkeys(d.acceptance_no for d in self.unexplained)),
                )
            )
        return items

    @property
    def open(self) -> bool:
        return bool(self.open_items)


@dataclass(frozen=True)
class HandoverView:
    id: uuid.UUID
    number: str
    department: str
    receiver: str | None
    handed_at: dt.datetime
    handed_by: str
    handed_by_name: str
    acceptance_nos: tuple[str, ...]


# ---------------------------------------------------------------------------------------------------- helpers


def sequence_of(acceptance_no: str) -> int:
    """The running number of a 办件编号 within its series (``…-A0007`` → 7)."""
    tail = acceptance_no.rsplit("-", 1)[-1]
    return int(tail.lstrip(protocol.SERIES_LETTERS))


def number_in(prefix: str, series: int, seq: int) -> str:
    return f"{prefix}{numbering.series_letter(series)}{seq:04d}"


def _numbers_of_day(session: Session, prefix: str) -> tuple[list[str], set[str]]:
    """The day's numbers held here, and which of them were purged.  A range on the unique index, not a LIKE."""
    upper = prefix + "\uffff"
    held = list(
        session.scalars(
            select(Application.acceptance_no).where(
                Application.acceptance_no >= prefix, Application.acceptance_no < upper
            )
        )
    )
    purged = set(
        session.scalars(
            select(PurgedApplication.acceptance_no).where(
                PurgedApplication.acceptance_no >= prefix, PurgedApplication.acceptance_no < upper
            )
        )
    )
    return held, purged


def _ranges(series: int, missing: list[int], prefix: str, server: set[str]) -> tuple[Gap, ...]:
    gaps: list[Gap] = []
    run: list[int] = []
    for seq in missing:
        if run and seq != run[-1] + 1:
            gaps.append(_gap(series, run, prefix, server))
            run = []
        run.append(seq)
    if run:
        gaps.append(_gap(series, run, prefix, server))
    return tuple(gaps)


def _gap(series: int, run: list[int], prefix: str, server: set[str]) -> Gap:
    numbers = [number_in(prefix, series, s) for s in run]
    return Gap(series, numbers[0], numbers[-1], len(numbers), sum(1 for n in numbers if n in server))


def sequence_checks(prefix: str, held: Iterable[str], server: Iterable[str] = ()) -> tuple[SeriesCheck, ...]:
    """The sequence check of a day's numbers (``held`` here, ``server`` known there), one entry per series."""
    on_server = set(server)
    by_series: dict[int, set[int]] = {}
    known: dict[int, set[int]] = {}
    for number in held:
        by_series.setdefault(protocol.series_of(number), set()).add(sequence_of(number))
    for number in on_server:
        known.setdefault(protocol.series_of(number), set()).add(sequence_of(number))
    checks: list[SeriesCheck] = []
    previous: int | None = None
    for series in sorted(set(by_series) | set(known)):
        mine = by_series.get(series, set())
        highest = max(mine | known.get(series, set()))
        missing = [s for s in range(1, highest + 1) if s not in mine]
        checks.append(
            SeriesCheck(
                series=series,
                mark=numbering.series_letter(series),
                first=number_in(prefix, series, min(mine)) if mine else None,
                last=number_in(prefix, series, max(mine)) if mine else None,
                count=len(mine),
                highest=highest,
                gaps=_ranges(series, missing, prefix, on_server),
                changed_from=previous,
            )
        )
        previous = series
    return tuple(checks)


def _compare(
    number: str,
    types: dict[str, dict[str, int]],
    reasons: list[str],
    server: dict[str, int] | None,
) -> list[Difference]:
    """The differences of one application held here: per event type, what this store made against what the
    server holds.  ``types`` maps each type to its counts per outbox state."""
    local_total = sum(sum(states.values()) for states in types.values())
    server_total = sum(server.values()) if server is not None else 0
    pending = refused = lost = extra = 0
    for event_type in set(types) | set(server or {}):
        states = types.get(event_type, {})
        made = sum(states.values())
        held = (server or {}).get(event_type, 0)
        short = made - held
        if short < 0:
            extra += -short
            continue
        waiting = states.get(OutboxState.PENDING.value, 0)
        quarantined = states.get(OutboxState.QUARANTINED.value, 0)
        # Refused events never reached the server; pending ones may have (a lost answer): count what is short.
        r = min(short, quarantined)
        p = min(short - r, waiting)
        refused += r
        pending += p
        lost += short - r - p
    out: list[Difference] = []
    if pending:
        out.append(Difference(number, DifferenceKind.NOT_SENT, pending, local_total, server_total))
    if refused:
        out.append(
            Difference(
                number, DifferenceKind.REFUSED, refused, local_total, server_total, tuple(dict.fromkeys(reasons))
            )
        )
    if lost:
        kind = DifferenceKind.NOT_ON_SERVER if server is None else DifferenceKind.MISSING_ON_SERVER
        out.append(Difference(number, kind, lost, local_total, server_total))
    if extra:
        out.append(Difference(number, DifferenceKind.MORE_ON_SERVER, extra, local_total, server_total))
    return out


def _view(session: Session, row: DayClose) -> DayCloseView:
    user = session.get(User, row.closed_by)
    return DayCloseView(
        day=row.day,
        closed_at=row.closed_at,
        closed_by=user.username if user is not None else "",
        closed_by_name=user.display_name if user is not None else "",
        reason=row.reason,
        figures=dict(row.figures),
    )


# ---------------------------------------------------------------------------------------------------- the service


class DayCloseService:
    """Reconciliation, 日结 and handover lists of this workstation (``services.day_close``)."""

    def __init__(
        self,
        db: Store,
        deployment: Deployment,
        accounts: AccountService,
        server_day: ServerDay | None,
        *,
        clock: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        self.db = db
        self.deployment = deployment
        self.accounts = accounts
        self.server_day = server_day
        self.clock = clock
        self.changes = ChangeWriter(deployment.center_code, deployment.workstation_code)

    # ------------------------------------------------------------------ reconciliation

    def reconcile(self, user: Actor, day: dt.date) -> DayReconciliation:
        """The day's sequence check and its comparison with the server (CLOSE_DAY or ALL_FIGURES).

        Offline (or not enrolled), the sequence is checked against this store's numbers alone and ``problem``
        says why the server was not asked; the close then needs a reason.
        """
        if not allows(user.role, Permission.ALL_FIGURES):
            require(user, Permission.CLOSE_DAY)
        elif user.must_change_password:
            require(user, Permission.ALL_FIGURES)  # the temporary password's sentence
        server: protocol.Reconciliation | None = None
        problem: Message | None = None
        if self.server_day is None:
            problem = msg("dayclose", "本工位未配置中心服务器。")
        else:
            try:
                server = self.server_day(day)
            except SyncError as exc:
                problem = exc.message
                log.info("reconciliation of %s: the server was not asked (%s)", day, type(exc).__name__)
        return self._reconcile(day, server, problem)

    def _reconcile(
        self, day: dt.date, server: protocol.Reconciliation | None, problem: Message | None
    ) -> DayReconciliation:
        d = self.deployment
        prefix = protocol.day_prefix(d.center_code, d.workstation_code, day)
        if server is not None and (server.center_code, server.workstation_code, server.day) != (
            d.center_code,
            d.workstation_code,
            day,
        ):
            server, problem = None, msg("dayclose", "中心服务器答复的不是本工位本日的记录，未能核对。")
        with self.db.read() as session:
            held, purged = _numbers_of_day(session, prefix)
            rows = session.execute(
                select(Application.acceptance_no, OutboxEntry.event_type, OutboxEntry.state, OutboxEntry.last_error)
                .join(OutboxEntry, OutboxEntry.application_id == Application.id)
                .where(Application.acceptance_no >= prefix, Application.acceptance_no < prefix + "\uffff")
            ).all()
            closed = session.scalar(select(DayClose).where(DayClose.day == day))
            closed_view = _view(session, closed) if closed is not None else None
        made: dict[str, dict[str, dict[str, int]]] = {n: {} for n in held}
        refusals: dict[str, list[str]] = {}
        for number, event_type, state, error in rows:
            states = made[number].setdefault(event_type, {})
            states[state] = states.get(state, 0) + 1
            if state == OutboxState.QUARANTINED.value and error:
                refusals.setdefault(number, []).append(load_message(error).render())
        remote = {c.acceptance_no: c for c in server.cases} if server is not None else {}
        cases: list[CaseCheck] = []
        differences: list[Difference] = []
        unsynced = quarantined = 0
        for number in sorted(set(held) | purged):
            types = made.get(number, {})
            count = {s: sum(t.get(s, 0) for t in types.values()) for s in (o.value for o in OutboxState)}
            unsynced += count[OutboxState.PENDING.value]
            quarantined += count[OutboxState.QUARANTINED.value]
            there = remote.get(number)
            cases.append(
                CaseCheck(
                    acceptance_no=number,
                    local_events=sum(count.values()),
                    sent=count[OutboxState.SENT.value],
                    pending=count[OutboxState.PENDING.value],
                    quarantined=count[OutboxState.QUARANTINED.value],
                    server_events=there.events if there is not None else None,
                    purged=number in purged,
                )
            )
            if server is None or number in purged:
                continue  # a purged case left only after the server acknowledged every event of it
            differences.extend(
                _compare(number, types, refusals.get(number, []), dict(there.event_types) if there else None)
            )
        known_here = set(held) | purged
        for number, there in sorted(remote.items()):
            if number not in known_here:
                cases.append(CaseCheck(number, 0, 0, 0, 0, there.events, here=False))
                differences.append(Difference(number, DifferenceKind.UNKNOWN_HERE, there.events, 0, there.events))
        return DayReconciliation(
            day=day,
            center_code=d.center_code,
            workstation_code=d.workstation_code,
            generated_at=self.clock(),
            applications=len(known_here),
            series=sequence_checks(prefix, known_here, remote),
            cases=tuple(cases),
            differences=tuple(differences),
            unsynced=unsynced,
            quarantined=quarantined,
            server_reached=server is not None,
            problem=problem,
            server_generated_at=server.generated_at if server is not None else None,
            server_closed_at=server.closed_at if server is not None else None,
            closed=closed_view,
        )

    # ------------------------------------------------------------------ the close

    def closed(self, day: dt.date) -> DayCloseView | None:
        with self.db.read() as session:
            row = session.scalar(select(DayClose).where(DayClose.day == day))
            return _view(session, row) if row is not None else None

    def close(self, user: SessionUser, day: dt.date, password: str, reason: str | None) -> DayCloseView:
        """Close (日结) ``day``: the supervisor's password checked again now, the day reconciled, the close written
        with its ``day.closed`` event.

        Raises:
            NotAllowedError: not a supervisor; a future day; the day already closed.
            AuthError: a wrong password (counted towards the lock-out like a login).
            ValidationError: something is open and no reason is written (the message lists what), or the reason
                is too long or holds an ID number.
        """
        require(user, Permission.CLOSE_DAY)
        today = local_date(self.clock())
        if day > today:
            raise NotAllowedError(
                msg("dayclose", "{day} 还没有到，不能日结。只能日结今天或以前的日期。").bind(day=day.isoformat())
            )
        done = self.closed(day)
        if done is not None:
            raise NotAllowedError(_already_closed(done))
        reason = (reason or "").strip() or None
        if reason is not None:
            problem = text_problem(reason, maximum=limits.TEXT_MAX)
            if problem is not None:
                raise ValidationError(problem, field="reason")
            if audit.holds_id_number(reason):
                raise ValidationError(msg("dayclose", "日结原因中请不要写证件号码。"), field="reason")
        confirmed = self.accounts.login(user.username, password)
        if confirmed.id != user.id:
            raise NotAllowedError(msg("dayclose", "日结须由值班长本人输入自己的密码确认。"))
        require(confirmed, Permission.CLOSE_DAY)
        seen = self.reconcile(confirmed, day)
        if seen.open and reason is None:
            raise ValidationError(
                msg("dayclose", "本日还有未了结的事项：{items}。请写明原因后再日结。").bind(
                    items="；".join(m.render() for m in seen.open_items)
                ),
                field="reason",
            )
        now = self.clock()
        figures = _figures(seen)
        body = protocol.DayClosed(
            day=day,
            closed_at=now,
            closed_by=confirmed.username,
            applications=seen.applications,
            numbers=[n for s in seen.series for n in (s.first, s.last) if n is not None][
                : 2 * len(protocol.SERIES_LETTERS) + 2
            ],
            unsynced=seen.unsynced,
            quarantined=seen.quarantined,
            differences=len(seen.unexplained) + seen.missing_numbers + (0 if seen.server_reached else 1),
            reason=reason,
        )
        prefix = protocol.day_prefix(self.deployment.center_code, self.deployment.workstation_code, day)
        with self.db.write() as session:
            if session.scalar(select(DayClose).where(DayClose.day == day)) is not None:
                raise NotAllowedError(msg("dayclose", "{day} 已经日结。").bind(day=day.isoformat()))
            held, purged = _numbers_of_day(session, prefix)
            if len(set(held) | purged) != seen.applications:
                raise ValidationError(
                    msg("dayclose", "对账之后本日又有新的办件，请重新对账后再日结。"), field="reconciliation"
                )
            row = DayClose(
                id=uuid.uuid4(), day=day, closed_at=now, closed_by=confirmed.id, figures=figures, reason=reason
            )
            session.add(row)
            session.flush()
            self.changes.write_workstation(
                session,
                body,
                action="day.closed",
                user_id=confirmed.id,
                at=now,
                details={
                    "day": day.isoformat(),
                    "applications": seen.applications,
                    "open": len(seen.open_items),
                    "reason": reason,
                },
            )
            return _view(session, row)

    # ------------------------------------------------------------------ handover lists

    def record_handover(
        self, user: SessionUser, acceptance_nos: list[str], department: str, receiver: str | None
    ) -> HandoverView:
        """Record a 材料交接单 as handed to the back office: its number, the 部门, the receiver and the cases on it.

        Raises:
            NotAllowedError: the account may not record a handover.
            ValidationError: no case, too many, a case on another list already, not accepted, or with nothing kept;
                a department or receiver that is empty or too long.
            NotFoundError: a number this store does not know.
        """
        require(user, Permission.HANDOVER)
        department = department.strip()
        receiver = (receiver or "").strip() or None
        if not department:
            raise ValidationError(msg("dayclose", "请填写接收材料的部门。"), field="department")
        for value, name in ((department, "department"), (receiver, "receiver")):
            if value is None:
                continue
            problem = text_problem(value, maximum=100, one_line=True)
            if problem is not None:
                raise ValidationError(problem, field=name)
        numbers = list(dict.fromkeys(numbering.normalize_acceptance_no(n) for n in acceptance_nos if n.strip()))
        if not numbers:
            raise ValidationError(msg("dayclose", "交接单上至少要有一件办件。"), field="cases")
        if len(numbers) > protocol.MAX_HANDOVER_CASES:
            raise ValidationError(
                msg("dayclose", "一张交接单最多 {n} 件办件，请分成几张交接单。").bind(n=protocol.MAX_HANDOVER_CASES),
                field="cases",
            )
        now = self.clock()
        with self.db.write() as session:
            applications: list[Application] = []
            for number in numbers:
                application = session.scalar(select(Application).where(Application.acceptance_no == number))
                if application is None:
                    raise NotFoundError(msg("dayclose", "找不到办件编号为 {no} 的办件，请核对编号。").bind(no=number))
                if application.state != AppState.ACCEPTED.value:
                    raise ValidationError(
                        msg("dayclose", "办件 {no} 不是已受理的办件，没有要移交后台的材料。").bind(no=number),
                        field="cases",
                    )
                # A list covers the case's kept paper received up to now and not covered by an earlier list of it
                # (app/reports/handover.py): the case goes only when some paper came after its last list.
                came = session.scalar(
                    select(func.max(ApplicationMaterial.received_at)).where(
                        ApplicationMaterial.application_id == application.id,
                        ApplicationMaterial.status.in_(_KEPT),
                        ApplicationMaterial.received_at.is_not(None),
                    )
                )
                if came is None:
                    raise ValidationError(
                        msg("dayclose", "办件 {no} 没有收取任何材料（原件已退还或电子证照核验），无需交接。").bind(
                            no=number
                        ),
                        field="cases",
                    )
                last = session.execute(
                    select(Handover.number, Handover.handed_at)
                    .join(HandoverCase, HandoverCase.handover_id == Handover.id)
                    .where(HandoverCase.application_id == application.id)
                    .order_by(Handover.handed_at.desc())
                    .limit(1)
                ).first()
                if last is not None and _utc(came) <= _utc(last.handed_at):
                    raise ValidationError(
                        msg("dayclose", "办件 {no} 的材料已在交接单 {list} 上，不能再次交接。").bind(
                            no=number, list=last.number
                        ),
                        field="cases",
                    )
                applications.append(application)
            number = numbering.handover_no(
                session,
                short_name=self.deployment.center_short_name,
                center_code=self.deployment.center_code,
                workstation_code=self.deployment.workstation_code,
                local_date=local_date(now),
            )
            handover = Handover(
                id=uuid.uuid4(),
                number=number,
                department=department,
                receiver=receiver,
                handed_at=now,
                handed_by=user.id,
            )
            session.add(handover)
            session.flush()
            for application in applications:
                session.add(HandoverCase(id=uuid.uuid4(), handover_id=handover.id, application_id=application.id))
            body = protocol.HandoverRecorded(
                handover_id=handover.id,
                number=number,
                department=department,
                receiver=receiver,
                handed_at=now,
                handed_by=user.username,
                acceptance_nos=numbers,
            )
            session.flush()
            self.changes.write_workstation(
                session,
                body,
                action="handover.recorded",
                user_id=user.id,
                at=now,
                details={"number": number, "department": department, "cases": len(numbers)},
            )
            return HandoverView(
                id=handover.id,
                number=number,
                department=department,
                receiver=receiver,
                handed_at=now,
                handed_by=user.username,
                handed_by_name=user.display_name,
                acceptance_nos=tuple(numbers),
            )

    def handovers(self, day: dt.date) -> list[HandoverView]:
        """The lists recorded on ``day`` (local date), oldest first."""
        start, end = utc_bounds(day, day)
        with self.db.read() as session:
            rows = session.scalars(
                select(Handover)
                .where(Handover.handed_at >= start, Handover.handed_at < end)
                .order_by(Handover.handed_at)
            ).all()
            out = []
            for row in rows:
                who = session.get(User, row.handed_by)
                nos = session.scalars(
                    select(Application.acceptance_no)
                    .join(HandoverCase, HandoverCase.application_id == Application.id)
                    .where(HandoverCase.handover_id == row.id)
                    .order_by(Application.acceptance_no)
                ).all()
                out.append(
                    HandoverView(
                        id=row.id,
                        number=row.number,
                        department=row.department,
                        receiver=row.receiver,
                        handed_at=row.handed_at,
                        handed_by=who.username if who else "",
                        handed_by_name=who.display_name if who else "",
                        acceptance_nos=tuple(nos),
                    )
                )
            return out


def _utc(moment: dt.datetime) -> dt.datetime:
    # An aggregate may come back without its zone: the store keeps UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _already_closed(done: DayCloseView) -> Message:
    return msg("dayclose", "{day} 已于 {at} 由 {name} 日结，不能再次日结。").bind(
        day=done.day.isoformat(),
        at=done.closed_at.astimezone(dt.timezone(dt.timedelta(hours=8))).strftime("%Y-%m-%d %H:%M"),
        name=done.closed_by_name or done.closed_by,
    )


def _figures(seen: DayReconciliation) -> dict[str, Any]:
    """What the close saw, kept with it (``day_closes.figures``)."""
    return {
        "applications": seen.applications,
        "series": [
            {"series": s.series, "first": s.first, "last": s.last, "count": s.count, "highest": s.highest}
            for s in seen.series
        ],
        "gaps": [{"first": g.first, "last": g.last, "count": g.count, "on_server": g.on_server} for g in seen.gaps],
        "series_changes": [list(c) for c in seen.series_changes],
        "unsynced": seen.unsynced,
        "quarantined": seen.quarantined,
        "differences": [
            {"acceptance_no": d.acceptance_no, "kind": d.kind.value, "events": d.events} for d in seen.differences
        ],
        "server_reached": seen.server_reached,
        "server_generated_at": seen.server_generated_at.isoformat() if seen.server_generated_at else None,
    }


__all__ = [
    "CaseCheck",
    "DayCloseService",
    "DayCloseView",
    "DayReconciliation",
    "Difference",
    "DifferenceKind",
    "Gap",
    "HandoverView",
    "SeriesCheck",
]
