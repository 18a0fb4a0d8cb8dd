"""Reading applications: today's list, search, an applicant's history, open cases of the same item.

Lists and history are hot paths (docs/performance.md): one prebuilt statement on a plain read connection, no ORM
objects, the ID number masked before it leaves the core.  A case purged after the retention period
(app/retention.py) is still found by its 受理编号 and listed on its day, as a line that says so and nothing else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, or_, select
from sqlalchemy.orm import aliased

from app import idnumber, people
from app.catalog.registry import Catalog
from app.domain import AppState, MaterialStatus, PartyRole, SyncState
from app.i18n import Message, msg
from app.intake import numbering
from app.intake.model import ApplicationSummary
from app.localtime import SHANGHAI, local_date
from db.engine import Database
from db.models import Application, ApplicationMaterial, ApplicationParty, Person, PurgedApplication, User

OPEN_STATES = (AppState.ACCEPTED.value, AppState.AWAITING_SUPPLEMENT.value)
DUPLICATES_SHOWN = 5

# The application list's columns in one statement.
_APPLICANT = aliased(ApplicationParty, name="applicant")
_APPLICANT_PERSON = aliased(Person, name="applicant_person")
_SUMMARY_SELECT = (
    select(
        Application.id,
        Application.acceptance_no,
        Application.item_code,
        Application.state,
        Application.decision,
        Application.decided_at,
        Application.received_at,
        Application.sync_state,
        Application.sync_error,
        Application.server_status,
        Application.server_status_at,
        Application.promised_date,
        Application.promised_estimated,
        Application.notice_no,
        Application.owed_by,
        _APPLICANT.name.label("applicant_name"),
        _APPLICANT_PERSON.id_number,
        User.display_name.label("clerk_name"),
    )
    .join(_APPLICANT, and_(_APPLICANT.application_id == Application.id, _APPLICANT.role == PartyRole.APPLICANT.value))
    .join(_APPLICANT_PERSON, _APPLICANT_PERSON.id == _APPLICANT.person_id)
    .join(User, User.id == Application.clerk_id)
)
# An applicant's history, built once: executing the same statement object skips SQLAlchemy's per-call cache-key
# and result-map adaptation, which cost more than the query itself (docs/performance.md).
_HISTORY_SELECT = (
    _SUMMARY_SELECT.where(
        Application.id.in_(
            select(ApplicationParty.application_id).where(
                ApplicationParty.person_id
                == select(Person.id).where(Person.id_number == bindparam("id_number")).scalar_subquery()
            )
        )
    )
    .order_by(Application.received_at.desc())
    .limit(bindparam("limit"))
)


def purged_notice(reader: Any, acceptance_no: str) -> Message | None:
    """The sentence for a 受理编号 whose case was purged here after the retention period, read through ``reader``
    (a session or a connection); None when it was not."""
    number = numbering.normalize_acceptance_no(acceptance_no)
    found = reader.scalar(select(PurgedApplication.acceptance_no).where(PurgedApplication.acceptance_no == number))
    if found is None:
        return None
    return msg("intake", "申请 {no} 的个人信息已按保存期限从本机清除，请到中心系统查询。").bind(no=found)


class IntakeQueries:
    """The counter's reads over one database (any thread: each call opens its own read snapshot)."""

    def __init__(self, db: Database, catalog: Catalog, clock: Callable[[], dt.datetime]) -> None:
        self.db = db
        self.catalog = catalog
        self.clock = clock

    def list_day(self, day: dt.date | None = None, *, limit: int = 500) -> list[ApplicationSummary]:
        """The applications received on ``day`` (local date; today by default), newest first."""
        day = day or local_date(self.clock())
        start = dt.datetime.combine(day, dt.time(), SHANGHAI)
        end = start + dt.timedelta(days=1)
        return self._summaries(
            and_(Application.received_at >= start, Application.received_at < end),
            limit=limit,
            purged=and_(PurgedApplication.received_at >= start, PurgedApplication.received_at < end),
        )

    def search(self, query: str, *, limit: int = 200) -> list[ApplicationSummary]:
        """Find applications by 受理编号 (with or without hyphens), ID number, or part of a name."""
        text = query.strip()
        if not text:
            return []
        conditions: list[ColumnElement[bool]] = []
        number = numbering.normalize_acceptance_no(text)
        conditions.append(Application.acceptance_no == number)
        purged: list[ColumnElement[bool]] = [PurgedApplication.acceptance_no == number]
        if len(number) >= 6:
            conditions.append(Application.acceptance_no.like(f"%{_escape_like(number)}%", escape="\\"))
            purged.append(PurgedApplication.acceptance_no.like(f"%{_escape_like(number)}%", escape="\\"))
        check = idnumber.check_id(text)
        key = people.name_search_key(text)
        person_conditions: list[ColumnElement[bool]] = (
            [Person.name_key.like(f"%{_escape_like(key)}%", escape="\\")] if key else []
        )
        if check.valid:
            person_conditions.append(Person.id_number == check.normalized)
        if person_conditions:
            party_apps = (
                select(ApplicationParty.application_id)
                .join(Person, Person.id == ApplicationParty.person_id)
                .where(or_(*person_conditions))
            )
            conditions.append(Application.id.in_(party_apps))
        return self._summaries(or_(*conditions), limit=limit, purged=or_(*purged))

    def history(self, id_number: str, *, limit: int = 100) -> list[ApplicationSummary]:
        """An applicant's earlier applications (as any party), newest first."""
        check = idnumber.check_id(id_number)
        if not check.valid:
            return []
        with self.db.read_connection() as conn:
            rows = conn.execute(_HISTORY_SELECT, {"id_number": check.normalized, "limit": limit}).all()
        return self._rows_to_summaries(rows)

    def open_cases(self, id_number: str, item_code: str) -> list[ApplicationSummary]:
        """A few open applications of this applicant (normalized ID number) for this item: enough to warn."""
        where = and_(
            _APPLICANT_PERSON.id_number == id_number,
            Application.item_code == item_code,
            Application.state.in_(OPEN_STATES),
        )
        # An applicant with many open cases must not slow every save.
        return self._summaries(where, limit=DUPLICATES_SHOWN)

    def overdue_owed(self, day: dt.date, *, limit: int = 500) -> list[ApplicationSummary]:
        """Accepted 容缺受理 / 先行救助 cases whose ``owed_by`` is before ``day`` and that still owe a required
        material (a line still missing or defective), oldest date first."""
        owing = (
            select(ApplicationMaterial.application_id)
            .where(
                ApplicationMaterial.application_id == Application.id,
                ApplicationMaterial.required.is_(True),
                ApplicationMaterial.status.in_((MaterialStatus.MISSING.value, MaterialStatus.DEFECTIVE.value)),
            )
            .exists()
        )
        where = and_(
            Application.owed_by.is_not(None),
            Application.owed_by < day,
            Application.state == AppState.ACCEPTED.value,
            owing,
        )
        with self.db.read_connection() as conn:
            rows = conn.execute(
                _SUMMARY_SELECT.where(where).order_by(Application.owed_by, Application.received_at).limit(limit)
            ).all()
        return self._rows_to_summaries(rows)

    def _summaries(self, where: Any, *, limit: int, purged: Any = None) -> list[ApplicationSummary]:
        """One statement on a plain connection: the list's columns, the applicant's name and ID, the clerk's name;
        with ``purged``, the purged cases it selects too (in the same snapshot), newest first."""
        with self.db.read_connection() as conn:
            rows = conn.execute(
                _SUMMARY_SELECT.where(where).order_by(Application.received_at.desc()).limit(limit)
            ).all()
            gone = (
                conn.execute(
                    select(PurgedApplication).where(purged).order_by(PurgedApplication.received_at.desc()).limit(limit)
                ).all()
                if purged is not None
                else []
            )
        summaries = self._rows_to_summaries(rows)
        if not gone:
            return summaries
        summaries.extend(self._purged_summary(row) for row in gone)
        return sorted(summaries, key=lambda s: s.received_at, reverse=True)[:limit]

    def _purged_summary(self, row: Any) -> ApplicationSummary:
        entry = self.catalog.entry(row.item_code)
        return ApplicationSummary(
            id=row.id,
            acceptance_no=row.acceptance_no,
            item_code=row.item_code,
            item_name=entry.item.name.zh if entry else row.item_code,
            state=AppState.PURGED.value,
            decision=row.decision,
            decided_at=row.decided_at,
            received_at=row.received_at,
            applicant_name="",
            applicant_id_masked="",
            clerk_name="",
            sync_state=SyncState.SYNCED.value,
            promised_date=None,
            promised_estimated=False,
            notice_no=row.notice_no,
            purged=True,
        )

    def _rows_to_summaries(self, rows: Sequence[Any]) -> list[ApplicationSummary]:
        summaries = []
        for row in rows:
            entry = self.catalog.entry(row.item_code)
            summaries.append(
                ApplicationSummary(
                    id=row.id,
                    acceptance_no=row.acceptance_no,
                    item_code=row.item_code,
                    item_name=entry.item.name.zh if entry else row.item_code,
                    state=row.state,
                    decision=row.decision,
                    decided_at=row.decided_at,
                    received_at=row.received_at,
                    applicant_name=row.applicant_name,
                    applicant_id_masked=idnumber.mask_id(row.id_number) if row.id_number else "",
                    clerk_name=row.clerk_name,
                    sync_state=row.sync_state,
                    promised_date=row.promised_date,
                    promised_estimated=row.promised_estimated,
                    notice_no=row.notice_no,
                    sync_error=row.sync_error,
                    server_status=row.server_status,
                    server_status_at=row.server_status_at,
                    owed_by=row.owed_by,
                )
            )
        return summaries


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
