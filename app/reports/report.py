"""The daily report (日报) as plain data: what the PDF, the CSV and the XLSX print, in one shape for both scopes.

A :class:`DailyReport` holds the period's :class:`app.reports.figures.Summary` and what goes around it: the
scope (one workstation, or the whole center as the server computed it), the names printed in the heading, the
sync state (events not yet uploaded with their age, quarantined ones with the server's reason; for the center each
workstation's last upload and 日结, the silent ones marked), who closed the day and when, and a note when the
figures are an older copy.  It is built from what the summary part hands out (:func:`from_workstation` over a
``WorkstationSummary``, :func:`from_center` over a ``CenterView``) or straight from a ``Summary``
(:func:`from_summary`).  No database access, no Qt, no files: app/documents/daily_report.py draws it and
app/reports/exports.py writes it.

The Chinese names of the rating vocabulary (levels, 差评 reasons, follow-up steps) are taken from app/ratings.py
as plain strings: the reports and the ratings export are always in Chinese.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from app import ratings
from app.domain import BadRatingReason, FollowUpStep, Measure, RatingLevel, RatingOccasion, Verification
from app.reports import figures
from app.sync import protocol

if TYPE_CHECKING:
    from app.reports.dayclose import DayCloseView
    from app.reports.summary import CenterView, WorkstationSummary

Scope = Literal["workstation", "center"]

# The rating vocabulary's Chinese names, as app/ratings.py words them for the screens (one wording everywhere).
LEVEL_ZH: dict[RatingLevel, str] = {k: m.render() for k, m in ratings.LEVEL_LABELS.items()}
REASON_ZH: dict[BadRatingReason, str] = {k: m.render() for k, m in ratings.REASON_LABELS.items()}
OCCASION_ZH: dict[RatingOccasion, str] = {k: m.render() for k, m in ratings.OCCASION_LABELS.items()}
STEP_ZH: dict[FollowUpStep, str] = {k: m.render() for k, m in ratings.STEP_LABELS.items()}
VERIFICATION_ZH: dict[Verification, str] = {k: m.render() for k, m in ratings.VERIFICATION_LABELS.items()}
MEASURE_ZH: dict[Measure, str] = {k: m.render() for k, m in ratings.MEASURE_LABELS.items()}
FOLLOW_UP_STATE_ZH: dict[str, str] = {k: m.render() for k, m in ratings.STATE_LABELS.items()}
#: The count of applications and of the voided ones, worded as figures.summarize counts them: every application
#: received in the period whatever its decision (受理, 不予受理, 补正…), the voided ones apart.
APPLICATIONS_LABEL = "收件（件，不含作废）"
VOIDED_LABEL = "另作废（件）"
#: The call-back deadline of an anonymous 差评 (no phone: nobody is called), as the window prints it.
NO_CALL_BACK = ratings.NO_CALL_BACK_LABEL.render()
CHANGE_KIND_ZH = {"corrected": "更正", "voided": "作废"}
#: The sync events (app.sync.protocol.EventType) as the report names them.
EVENT_ZH = {
    "application.taken": "受理决定",
    "application.supplemented": "补正再次来办",
    "application.materials_brought": "补交材料",
    "application.corrected": "更正",
    "application.voided": "作废",
    "document.issued": "文书出具",
    "document.reprinted": "文书补打",
    "rating.recorded": "群众评价",
    "rating.followed_up": "差评回访",
    "day.closed": "日结",
    "handover.recorded": "材料交接",
    "signature.recorded": "群众签名",
}


def follow_up_state_text(state: str, named: bool) -> str:
    """A 差评's follow-up state as the window words it (``app.ratings.state_label``: an anonymous one is 待办结)."""
    return ratings.state_label(state, named).render()


def named_text(named: bool) -> str:
    """实名 / 匿名, as the window words it (``app.ratings.NAMED_LABELS``)."""
    return ratings.NAMED_LABELS[named].render()


def listed_note(shown: int, total: int) -> str:
    """``（只列出最早到期的 200 件）`` when a deadline list holds fewer cases than there are, else empty: both lists
    keep the earliest due (the most overdue), as the server's and ``figures.summarize`` do."""
    return f"（只列出最早到期的 {shown} 件）" if total > shown else ""


def event_text(event_type: str) -> str:
    return EVENT_ZH.get(event_type, event_type)


def level_text(level: RatingLevel | str) -> str:
    try:
        return LEVEL_ZH[RatingLevel(level)]
    except ValueError:
        return str(level)


def percent(share: float | None) -> str:
    """``93.3%``; ``—`` when there is nothing to divide (no rated visit)."""
    return "—" if share is None else f"{share * 100:.1f}%"


def duration_text(seconds: int) -> str:
    """``1小时05分`` / ``12分30秒`` / ``45秒``."""
    seconds = max(int(seconds), 0)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}小时{minutes:02d}分"
    if minutes:
        return f"{minutes}分{secs:02d}秒"
    return f"{secs}秒"


def age_text(seconds: float) -> str:
    """How long an event has waited: ``3天2小时`` / ``2小时15分`` / ``5分钟``."""
    minutes = max(int(seconds // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days}天{hours}小时"
    if hours:
        return f"{hours}小时{mins}分"
    return f"{mins}分钟"


@dataclass(frozen=True)
class SyncLine:
    """An event of this workstation not yet accepted by the server: waiting (``reason`` None) or quarantined."""

    acceptance_no: str | None
    event_type: str
    created_at: dt.datetime
    age_seconds: float
    reason: str | None = None


@dataclass(frozen=True)
class WorkstationLine:
    """One workstation of the center (center scope): its applications, last successful upload and 日结."""

    workstation_code: str
    applications: int
    #: The latest push the server answered, whatever became of its events (``WorkstationDay.last_push_at``).
    last_push_at: dt.datetime | None
    #: The 日结 of the period's last day.
    closed_at: dt.datetime | None
    closed_by: str | None
    close_reason: str | None
    #: No successful upload (``last_accepted_at``) for longer than ``[reports] silent_sync_minutes`` (or never).
    silent: bool
    #: The last successful upload: the server last stored an event of this workstation (``last_accepted_at``).
    last_accepted_at: dt.datetime | None = None
    #: Every day of the period the workstation closed (日结), in order.
    closed_days: tuple[dt.date, ...] = ()
    #: The period has several days: the 日结 is worded by :attr:`closed_days`, not by the last day's close.
    several_days: bool = False
    #: Silent, yet a push was answered within ``silent_sync_minutes``: the window reaches the server but what it sends
    #: is not taken (refused), which is not a network fault.
    reaching: bool = False

    @property
    def last_upload_text(self) -> str:
        """The 最近成功上传 cell: ``2026年12月1日 17:30`` or ``从未成功上传``, silent ones marked."""
        text = datetime_text(self.last_accepted_at) if self.last_accepted_at else "从未成功上传"
        if self.silent:
            text += "（长时间未成功上传"
            if self.reaching and self.last_push_at is not None:
                text += f"；{local(self.last_push_at):%H:%M} 仍连接服务器，数据未被接收"
            text += "）"
        return text

    @property
    def close_text(self) -> str:
        """The 日结 cell: ``17:30 张敏（说明：…）`` (one day) or ``已日结 12-01、12-02`` (several), else ``未日结``."""
        if self.several_days:
            return closed_days_text(self.closed_days)
        if self.closed_at is None:
            return "未日结"
        text = f"{local(self.closed_at):%H:%M} {self.closed_by or ''}".strip()
        if self.close_reason:
            text += f"（说明：{self.close_reason}）"
        return text


def closed_days_text(days: Sequence[dt.date]) -> str:
    """The days of a period a workstation closed: ``已日结 12-01、12-02``, or ``未日结``."""
    if not days:
        return "未日结"
    return "已日结 " + "、".join(f"{d:%m-%d}" for d in days)


@dataclass(frozen=True)
class DailyReport:
    """Everything a daily report prints (docs/supervisor.md "Figures"; docs/documents.md "日报")."""

    summary: figures.Summary
    scope: Scope
    center_name: str
    generated_at: dt.datetime
    workstation_code: str | None = None
    window_name: str | None = None
    #: The clerk's username when the figures are one clerk's own (their name: :meth:`clerk_name`).
    clerk_only: str | None = None
    unsynced: tuple[SyncLine, ...] = ()
    quarantined: tuple[SyncLine, ...] = ()
    last_sync_at: dt.datetime | None = None
    workstations: tuple[WorkstationLine, ...] = ()
    #: Who closed the day (日结) and when; None: not closed (the report says 未日结).
    supervisor_name: str | None = None
    closed_at: dt.datetime | None = None
    #: Why the figures may be old (the center's last fetched copy), or None.
    stale_note: str | None = None
    #: username → display name, for the 差评 and deadline lines (from the summary's by-clerk tally).
    clerk_names: dict[str, str] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return "中心日报" if self.scope == "center" else "受理窗口日报"

    @property
    def place(self) -> str:
        """``第一受理窗口（工位 W01）`` or ``全中心``."""
        if self.scope == "center":
            return "全中心"
        if self.window_name and self.workstation_code:
            return f"{self.window_name}（工位 {self.workstation_code}）"
        return self.window_name or self.workstation_code or ""

    @property
    def period_text(self) -> str:
        first, last = self.summary.first, self.summary.last
        if first == last:
            return date_text(first)
        return f"{date_text(first)}至{date_text(last)}"

    @property
    def close_text(self) -> str:
        """``已日结：张敏，2026年11月23日 17:45`` or ``未日结``."""
        if self.closed_at is None:
            return "未日结"
        who = f"{self.supervisor_name}，" if self.supervisor_name else ""
        return f"已日结：{who}{datetime_text(self.closed_at)}"

    def clerk_name(self, username: str) -> str:
        return self.clerk_names.get(username) or username


def date_text(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(figures.SHANGHAI)


def datetime_text(moment: dt.datetime) -> str:
    at = local(moment)
    return f"{date_text(at.date())} {at:%H:%M}"


def _names(summary: figures.Summary) -> dict[str, str]:
    """Display names by username: the clerks of the period, and whoever entered or approved a 更正/作废 (a
    supervisor who took no case that day is named too)."""
    names = {t.key: t.label for t in summary.by_clerk if t.label}
    for change in summary.changes:
        if change.clerk and change.clerk_name:
            names.setdefault(change.clerk, change.clerk_name)
        if change.approved_by and change.approved_by_name:
            names.setdefault(change.approved_by, change.approved_by_name)
    return names


def from_summary(
    summary: figures.Summary,
    *,
    scope: Scope,
    center_name: str,
    generated_at: dt.datetime,
    workstation_code: str | None = None,
    window_name: str | None = None,
    **extra: Any,
) -> DailyReport:
    """A report straight from a ``Summary`` (the other fields of :class:`DailyReport` as keywords)."""
    names = {**_names(summary), **extra.pop("clerk_names", {})}
    return DailyReport(
        summary=summary,
        scope=scope,
        center_name=center_name,
        generated_at=generated_at,
        workstation_code=workstation_code,
        window_name=window_name,
        clerk_names=names,
        **extra,
    )


def sync_lines(events: Iterable[Any], *, quarantined: bool) -> tuple[SyncLine, ...]:
    """``SyncFigures.unsynced`` / ``.quarantined`` (app/reports/summary.py) as :class:`SyncLine`."""
    return tuple(
        SyncLine(
            acceptance_no=getattr(e, "acceptance_no", None),
            event_type=str(e.event_type),
            created_at=e.created_at,
            age_seconds=float(getattr(e, "age_seconds", 0) or 0),
            reason=str(getattr(e, "reason", "") or "") if quarantined else None,
        )
        for e in events
    )


def from_workstation(view: WorkstationSummary, close: DayCloseView | None = None) -> DailyReport:
    """The report of a ``WorkstationSummary`` (``services.reports.day_summary``), with the day's ``DayCloseView``
    (``services.day_close.closed(day)``) when the day is closed."""
    sync = view.sync
    closed_at, by = _close_of(close)
    return from_summary(
        view.summary,
        scope="workstation",
        center_name=view.center_name,
        generated_at=view.generated_at,
        workstation_code=view.workstation_code,
        window_name=view.window_name,
        clerk_only=view.clerk_only,
        unsynced=sync_lines(sync.unsynced, quarantined=False),
        quarantined=sync_lines(sync.quarantined, quarantined=True),
        last_sync_at=sync.last_success_at,
        supervisor_name=by,
        closed_at=closed_at,
    )


def _close_of(close: DayCloseView | None) -> tuple[dt.datetime | None, str | None]:
    if close is None:
        return None, None
    return close.closed_at, close.closed_by_name or close.closed_by


def workstation_lines(
    days: Sequence[Any],
    *,
    now: dt.datetime,
    silent_minutes: int,
    first: dt.date | None = None,
    last: dt.date | None = None,
) -> tuple[WorkstationLine, ...]:
    """``protocol.WorkstationDay`` rows as :class:`WorkstationLine`, silent ones marked: silent is judged on the
    last successful upload (``last_accepted_at``), never on the last push answered (its events may all have been
    refused).  ``first``/``last``: the period, worded by its closed days when it has several."""
    limit = dt.timedelta(minutes=silent_minutes)

    def silent(d: Any) -> bool:
        return bool(d.last_accepted_at is None or now - d.last_accepted_at > limit)

    return tuple(
        WorkstationLine(
            workstation_code=d.workstation_code,
            applications=d.applications,
            last_push_at=d.last_push_at,
            closed_at=d.closed_at,
            closed_by=d.closed_by,
            close_reason=d.close_reason,
            silent=silent(d),
            last_accepted_at=d.last_accepted_at,
            closed_days=tuple(d.closed_days),
            several_days=first is not None and last is not None and first != last,
            reaching=silent(d) and d.last_push_at is not None and now - d.last_push_at <= limit,
        )
        for d in sorted(days, key=lambda d: d.workstation_code)
    )


def from_center(
    view: CenterView | protocol.CenterFigures, *, center_name: str, now: dt.datetime, silent_minutes: int
) -> DailyReport:
    """The report of a ``CenterView`` (``services.reports.center_figures``) or of a ``protocol.CenterFigures``.

    Raises:
        ValueError: the view holds no figures (never fetched); the caller says why (``view.problem``).
    """
    stale_note = None
    if isinstance(view, protocol.CenterFigures):
        fig = view
    else:
        if view.figures is None:
            raise ValueError("no center figures")
        fig = view.figures
        if view.stale:
            why = view.problem.render() if view.problem is not None else ""
            when = datetime_text(view.fetched_at) if view.fetched_at else "较早"
            stale_note = f"中心数据为{when}取得的副本，可能不是最新的。{why}".strip()
    lines = workstation_lines(
        fig.workstations, now=now, silent_minutes=silent_minutes, first=fig.summary.first, last=fig.summary.last
    )
    closes = [w.closed_at for w in lines if w.closed_at is not None]
    # The center's day is closed when every workstation closed it: the latest close is printed.
    closed_at = max(closes) if lines and len(closes) == len(lines) else None
    return from_summary(
        fig.summary,
        scope="center",
        center_name=center_name,
        generated_at=fig.generated_at,
        workstations=lines,
        stale_note=stale_note,
        closed_at=closed_at,
    )
