"""The 材料交接单 as plain data: which paper of which case goes from this window to the back office on a day.

A case is on the list of day D when

* it was accepted on D (受理, 容缺受理 or 先行救助, the acceptance after a 补正 return visit included): every line
  whose paper stays in the file (:attr:`MaterialStatus.kept`: 原件收取, 复印件收取, with its count and unit);
* or it was accepted earlier as 容缺受理 / 先行救助 and owed materials were brought on D: only the paper brought
  that day (the rest went with the earlier list).

Originals checked and handed back (原件核验（已退还）) and certificates checked electronically (电子证照核验) travel
with nobody: each case names them apart as not handed over, so the back office knows they were seen.  Refused, 补正,
voided and answered (查询) cases hand nothing over.  The store is one workstation's, so the list is that window's.

A 材料交接单 recorded as handed over (app/reports/dayclose.py ``record_handover``) covers, for each of its cases, the
case's kept paper received up to the moment it was recorded and not covered by an earlier list of the case: each
paper line goes with one list only.  A case whose paper of the day is all on recorded lists leaves ``cases`` for
``handed_over`` (with the number of its list, ``handover_no``), so the list printed for a day shows only what is
still to go.  Owed paper brought after the case's list was recorded is on no list yet: it stays in ``cases`` of the
day it was brought and goes with a list of its own.  A case accepted with nothing kept (originals handed back,
certificates checked electronically) has no paper leaving the centre: it is named apart (``no_paper``, 无纸质材料移交)
and needs no recording.

``handover_list`` reads a day, or a chosen set of applications (every kept paper of theirs not yet on a list);
``recorded_list`` reads one recorded list back, for printing it again with its number, 部门, 移交人 and time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, or_, select
from sqlalchemy.orm import aliased

from app.catalog.schema import FormLayout
from app.domain import AppState, Decision, MaterialStatus
from app.errors import NotFoundError, ValidationError
from app.i18n import msg
from app.intake import numbering
from app.intake.model import CenterInfo, DecisionResult, MaterialView
from app.intake.service import IntakeService
from app.localtime import local_date, utc_bounds
from app.reports.exports import audit_export
from app.security.permissions import Actor, Permission, require
from db.models import Application, ApplicationMaterial, ApplicationParty, Handover, User
from db.models import HandoverCase as RecordedCase

_KEPT = tuple(s.value for s in MaterialStatus if s.kept)
_NOT_HANDED = (MaterialStatus.ORIGINAL_CHECKED.value, MaterialStatus.E_VERIFIED.value)


@dataclass(frozen=True)
class HandoverCase:
    """One case of the list: what is handed over, and what was seen but stays with the applicant."""

    acceptance_no: str
    item_name: str
    department: str
    decision: str
    accepted_at: dt.datetime
    applicant_name: str
    applicant_id_masked: str
    #: Paper handed over (原件收取, 复印件收取), in checklist order.
    handed: tuple[MaterialView, ...]
    #: Seen but not handed over (原件核验（已退还）, 电子证照核验).
    not_handed: tuple[MaterialView, ...]
    #: Still owed by a 容缺受理 / 先行救助 case (comes later, on the list of the day it is brought).
    owed: tuple[MaterialView, ...]
    center: CenterInfo
    #: 申请人, or 当事人 for the two parties of a marriage pre-check (the applicant line names the first).
    party_label: str = "申请人"
    #: Owed materials brought on the day, for a case accepted earlier (only they are handed over).
    brought_later: bool = False
    #: The recorded 材料交接单 the case is on (its number), if any.
    handover_no: str | None = None

    @property
    def copies(self) -> dict[str, int]:
        """Copies handed over per unit (份, 张, 本)."""
        return _per_unit(self.handed)


@dataclass(frozen=True)
class RecordedList:
    """What the record of a 材料交接单 says: its number, the 部门 it went to, who handed it over and when."""

    number: str
    department: str
    receiver: str | None
    handed_at: dt.datetime
    handed_by_name: str


@dataclass(frozen=True)
class HandoverList:
    day: dt.date
    center: CenterInfo
    #: The cases whose paper is still to be handed over (or, for a recorded list, the paper it covers).
    cases: tuple[HandoverCase, ...]
    #: The cases whose paper is all on recorded lists (``handover_no``): not printed again.
    handed_over: tuple[HandoverCase, ...] = ()
    #: Accepted cases with nothing kept (无纸质材料移交): no paper leaves the centre, nothing to record.
    no_paper: tuple[HandoverCase, ...] = ()
    #: The record, when this is a recorded list read back (``recorded_list``); None for the list still to go.
    record: RecordedList | None = None
    #: Read for a chosen set of applications rather than a day.
    chosen: bool = False
    #: The 部门 the list is meant for before it is recorded (its full name, as the window chose it), if known.
    department: str | None = None

    @property
    def copies(self) -> dict[str, int]:
        """Copies handed over per unit over all cases."""
        return _per_unit(m for case in self.cases for m in case.handed)

    @property
    def material_lines(self) -> int:
        return sum(len(case.handed) for case in self.cases)

    @property
    def departments(self) -> tuple[str, ...]:
        """The 承办部门 of the cases still to go, in order of first appearance (a list goes to one 部门)."""
        return tuple(dict.fromkeys(case.department for case in self.cases))


def audit_handover(
    services: Any, handover: HandoverList, by: Actor | None, *, via: str, os_account: str | None = None
) -> None:
    """Audit a written 材料交接单 (``report.handover_exported``): it names applicants."""
    audit_export(
        services,
        by,
        "report.handover_exported",
        {
            "day": handover.day.isoformat(),
            "cases": len(handover.cases),
            "number": handover.record.number if handover.record else None,
        },
        via=via,
        os_account=os_account,
    )


def _per_unit(materials: Iterable[MaterialView]) -> dict[str, int]:
    out: dict[str, int] = {}
    for m in materials:
        out[m.unit] = out.get(m.unit, 0) + m.count
    return out


#: The recorded lists of a case, oldest first: (handed_at, number).
_Lists = list[tuple[dt.datetime, str]]


def _covering(lists: _Lists, received: dt.datetime) -> str | None:
    """The recorded list a paper line went with: the first recorded at or after it was received."""
    for handed_at, number in lists:
        if handed_at >= received:
            return number
    return None


def handover_list(
    intake: IntakeService,
    day: dt.date | None = None,
    *,
    by: Actor,
    acceptance_nos: Sequence[str] | None = None,
) -> HandoverList:
    """The 材料交接单 of ``day`` (local date; today by default) for this workstation, or of the chosen
    ``acceptance_nos`` (every kept paper of theirs not yet on a recorded list, whenever it came).

    Raises:
        NotAllowedError: ``by`` may not read records.
        NotFoundError: a chosen number this store does not know.
        ValidationError: a chosen case that is not accepted (it has no paper for the back office).
    """
    require(by, Permission.READ_RECORDS)
    day = day or local_date(intake.clock())
    start, end = utc_bounds(day, day)
    window: tuple[dt.datetime, dt.datetime] | None = (start, end)
    where: ColumnElement[bool]
    if acceptance_nos is not None:
        numbers_wanted = list(dict.fromkeys(numbering.normalize_acceptance_no(n) for n in acceptance_nos if n.strip()))
        where = Application.acceptance_no.in_(numbers_wanted)
        window = None
    else:
        line = aliased(ApplicationMaterial, name="line")
        brought_today = and_(
            line.application_id == Application.id,
            line.received_at >= start,
            line.received_at < end,
            line.status.in_(_KEPT),
        )
        where = and_(
            Application.state == AppState.ACCEPTED.value,
            or_(
                and_(Application.accepted_at >= start, Application.accepted_at < end),
                and_(Application.accepted_at < start, select(line.id).where(brought_today).exists()),
            ),
        )
    with intake.db.read_connection() as conn:
        rows = conn.execute(
            select(Application.acceptance_no, Application.accepted_at, Application.state)
            .where(where)
            .order_by(Application.accepted_at, Application.acceptance_no)
        ).all()
        arrived = _arrivals(conn, where)
        lists = _lists(conn, where)
    if acceptance_nos is not None:
        known = {r.acceptance_no: r.state for r in rows}
        for number in numbers_wanted:
            if number not in known:
                raise NotFoundError(msg("dayclose", "找不到办件编号为 {no} 的办件，请核对编号。").bind(no=number))
            if known[number] != AppState.ACCEPTED.value:
                raise ValidationError(
                    msg("dayclose", "办件 {no} 不是已受理的办件，没有要移交后台的材料。").bind(no=number),
                    field="cases",
                )
    still: list[HandoverCase] = []
    handed: list[HandoverCase] = []
    apart: list[HandoverCase] = []
    center: CenterInfo | None = None
    for row in rows:
        result = intake.load(row.acceptance_no)
        center = center or result.center
        on = lists.get(row.acceptance_no, [])

        def arrival(m: MaterialView, no: str = row.acceptance_no) -> dt.datetime | None:
            return arrived.get((no, m.key, m.party_index))

        case = _case(result, arrival, window)
        went = {m: _covering(on, at) if (at := arrival(m)) is not None else None for m in case.handed}
        if not case.handed:
            if not case.brought_later:
                apart.append(case)
            continue
        to_go = tuple(m for m in case.handed if went[m] is None)
        if to_go:
            still.append(replace(case, handed=to_go))
        else:
            handed.append(replace(case, handover_no=went[case.handed[-1]]))
    return HandoverList(
        day=day,
        center=center or _center(intake),
        cases=tuple(still),
        handed_over=tuple(handed),
        no_paper=tuple(apart),
        chosen=acceptance_nos is not None,
    )


def recorded_list(intake: IntakeService, number: str, *, by: Actor) -> HandoverList:
    """A recorded 材料交接单 read back (``number``): its cases with the paper it covered, and its record.

    Raises:
        NotAllowedError: ``by`` may not read records.
        NotFoundError: no list of that number in this store.
    """
    require(by, Permission.READ_RECORDS)
    with intake.db.read_connection() as conn:
        head = conn.execute(
            select(
                Handover.id,
                Handover.number,
                Handover.department,
                Handover.receiver,
                Handover.handed_at,
                User.display_name,
            )
            .outerjoin(User, User.id == Handover.handed_by)
            .where(Handover.number == number.strip())
        ).first()
        if head is None:
            raise NotFoundError(msg("dayclose", "找不到编号为 {no} 的交接单。").bind(no=number))
        on_list = select(RecordedCase.application_id).where(RecordedCase.handover_id == head.id)
        where = Application.id.in_(on_list)
        numbers = (
            conn.execute(
                select(Application.acceptance_no)
                .where(where)
                .order_by(Application.accepted_at, Application.acceptance_no)
            )
            .scalars()
            .all()
        )
        arrived = _arrivals(conn, where)
        lists = _lists(conn, where)
    cases: list[HandoverCase] = []
    center: CenterInfo | None = None
    for no in numbers:
        result = intake.load(no)
        center = center or result.center
        on = lists.get(no, [])

        def arrival(m: MaterialView, no: str = no) -> dt.datetime | None:
            return arrived.get((no, m.key, m.party_index))

        case = _case(result, arrival, None)
        mine = tuple(m for m in case.handed if (at := arrival(m)) is not None and _covering(on, at) == head.number)
        earlier = any(n != head.number for _, n in on[: [n for _, n in on].index(head.number)])
        cases.append(replace(case, handed=mine, owed=(), brought_later=earlier, handover_no=head.number))
    handed_at = _aware(head.handed_at)
    record = RecordedList(
        number=head.number,
        department=head.department,
        receiver=head.receiver,
        handed_at=handed_at,
        handed_by_name=head.display_name or "",
    )
    return HandoverList(day=local_date(handed_at), center=center or _center(intake), cases=tuple(cases), record=record)


def _arrivals(conn: Connection, where: ColumnElement[bool]) -> dict[tuple[str, str, int | None], dt.datetime]:
    """When each kept line's paper came (party lines by their party's position)."""
    rows = conn.execute(
        select(
            Application.acceptance_no,
            ApplicationMaterial.material_key,
            ApplicationParty.position,
            ApplicationMaterial.received_at,
        )
        .join(Application, Application.id == ApplicationMaterial.application_id)
        .outerjoin(ApplicationParty, ApplicationParty.id == ApplicationMaterial.party_id)
        .where(where)
    ).all()
    return {
        (r.acceptance_no, r.material_key, r.position): _aware(r.received_at) for r in rows if r.received_at is not None
    }


def _lists(conn: Connection, where: ColumnElement[bool]) -> dict[str, _Lists]:
    """The recorded lists each case is on, oldest first."""
    out: dict[str, _Lists] = {}
    for r in conn.execute(
        select(Application.acceptance_no, Handover.number, Handover.handed_at)
        .join(RecordedCase, RecordedCase.application_id == Application.id)
        .join(Handover, Handover.id == RecordedCase.handover_id)
        .where(where)
        .order_by(Handover.handed_at, Handover.number)
    ):
        out.setdefault(r.acceptance_no, []).append((_aware(r.handed_at), r.number))
    return out


def _aware(moment: dt.datetime) -> dt.datetime:
    # A plain connection reads the stored UTC moment without its zone.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _case(
    result: DecisionResult,
    arrival: Callable[[MaterialView], dt.datetime | None],
    window: tuple[dt.datetime, dt.datetime] | None,
) -> HandoverCase:
    """One case as it stood at the end of the day (paper that came later is not on this day's list), or as it
    stands now when ``window`` is None (every paper received)."""
    accepted_at = result.accepted_at or result.decided_at
    start, end = window if window is not None else (None, None)
    later = start is not None and end is not None and not start <= accepted_at < end

    def on_day(m: MaterialView) -> bool:
        at = arrival(m)
        if at is None:
            return False
        if start is None or end is None:
            return True
        return at < end and (not later or at >= start)

    def after_day(m: MaterialView) -> bool:
        at = arrival(m)
        return at is not None and end is not None and at >= end

    item = result.item
    owing = result.decision in (Decision.TOLERATED, Decision.FIRST_AID)
    owed = [m for m in result.materials if m in result.owed_materials or (owing and m.required and after_day(m))]
    return HandoverCase(
        acceptance_no=result.acceptance_no,
        item_name=result.item_name,
        department=result.department,
        decision=result.decision.value,
        accepted_at=accepted_at,
        applicant_name=result.applicant.name,
        applicant_id_masked=result.applicant.id_masked or "",
        handed=tuple(m for m in result.materials if m.kept and on_day(m)),
        not_handed=tuple(m for m in result.materials if m.status in _NOT_HANDED and on_day(m)),
        owed=tuple(owed),
        center=result.center,
        party_label="当事人" if item is not None and item.form_layout is FormLayout.SIDE_BY_SIDE else "申请人",
        brought_later=later,
    )


def _center(intake: IntakeService) -> CenterInfo:
    """The centre and window as the deployment names them (a day without cases has no record to read them from)."""
    d = intake.deployment
    return CenterInfo(
        code=d.center_code,
        name=d.center_name,
        short_name=d.center_short_name,
        district=d.district,
        address=d.center_address,
        phone=d.center_phone,
        workstation_code=d.workstation_code,
        window_name=d.window_name,
    )
