"""The 材料交接单 as plain data: which paper of which case goes from this window to the back office on a day.

A case is on the list of day D when

* it was accepted on D (受理, 容缺受理 or 先行救助, the acceptance after a 补正 return visit included): every line
  whose paper stays in the file (:attr:`MaterialStatus.kept`: 原件收取, 复印件收取, with its count and unit);
* or it was accepted earlier as 容缺受理 / 先行救助 and owed materials were brought on D: only the paper brought
  that day (the rest went with the earlier list).

Originals checked and handed back (原件核验（已退还）) and certificates checked electronically (电子证照核验) travel
with nobody: each case names them apart as not handed over, so the back office knows they were seen.  Refused, 补正,
voided and answered (查询) cases hand nothing over.  The store is one workstation's, so the list is that window's.

A case already on a 材料交接单 recorded as handed over (app/reports/dayclose.py ``record_handover``; a case is on one
recorded list only) leaves ``cases`` for ``handed_over``, so the list printed for a day shows only what is still to
go.  The one exception: owed paper brought after the case's list was recorded stays in ``cases``, marked with that
list's number (``handover_no``): it travels with the list it belongs to.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import aliased

from app.catalog.schema import FormLayout
from app.domain import AppState, Decision, MaterialStatus
from app.intake.model import CenterInfo, DecisionResult, MaterialView
from app.intake.service import IntakeService
from app.localtime import SHANGHAI, local_date
from app.security.permissions import Actor, Permission, require
from db.models import Application, ApplicationMaterial, ApplicationParty, Handover
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
class HandoverList:
    day: dt.date
    center: CenterInfo
    #: The cases whose paper of the day is still to be handed over.
    cases: tuple[HandoverCase, ...]
    #: The day's cases already on a recorded list (``handover_no``): not printed again.
    handed_over: tuple[HandoverCase, ...] = ()

    @property
    def copies(self) -> dict[str, int]:
        """Copies handed over per unit over all cases."""
        return _per_unit(m for case in self.cases for m in case.handed)

    @property
    def material_lines(self) -> int:
        return sum(len(case.handed) for case in self.cases)


def _per_unit(materials: Iterable[MaterialView]) -> dict[str, int]:
    out: dict[str, int] = {}
    for m in materials:
        out[m.unit] = out.get(m.unit, 0) + m.count
    return out


def handover_list(intake: IntakeService, day: dt.date | None = None, *, by: Actor) -> HandoverList:
    """The 材料交接单 of ``day`` (local date; today by default) for this workstation.

    Raises:
        NotAllowedError: ``by`` may not read records.
    """
    require(by, Permission.READ_RECORDS)
    day = day or local_date(intake.clock())
    start = dt.datetime.combine(day, dt.time(), SHANGHAI)
    end = start + dt.timedelta(days=1)
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
        numbers = conn.execute(
            select(Application.acceptance_no, Application.accepted_at)
            .where(where)
            .order_by(Application.accepted_at, Application.acceptance_no)
        ).all()
        # When each line's paper came (party lines by their party's position): for cases accepted earlier.
        arrivals = conn.execute(
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
        # The recorded lists the day's cases are on, and when each was handed over.
        recorded = {
            r.acceptance_no: (r.number, r.handed_at)
            for r in conn.execute(
                select(Application.acceptance_no, Handover.number, Handover.handed_at)
                .join(RecordedCase, RecordedCase.application_id == Application.id)
                .join(Handover, Handover.id == RecordedCase.handover_id)
                .where(where)
            )
        }
    arrived = {(r.acceptance_no, r.material_key, r.position): r.received_at for r in arrivals}
    cases = [
        _case(intake.load(row.acceptance_no), lambda no, key, party: arrived.get((no, key, party)), start, end)
        for row in numbers
    ]
    center = cases[0].center if cases else _center(intake)
    still: list[HandoverCase] = []
    handed: list[HandoverCase] = []
    for case in cases:
        on = recorded.get(case.acceptance_no)
        if on is None:
            still.append(case)
            continue
        number, handed_at = on
        marked = replace(case, handover_no=number)
        # Paper brought after the case's list was recorded has not gone with it.
        (still if case.brought_later and _aware(handed_at) < start else handed).append(marked)
    return HandoverList(day=day, center=center, cases=tuple(still), handed_over=tuple(handed))


def _aware(moment: dt.datetime) -> dt.datetime:
    # A plain connection reads the stored UTC moment without its zone.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _case(
    result: DecisionResult,
    arrival: Callable[[str, str, int | None], dt.datetime | None],
    start: dt.datetime,
    end: dt.datetime,
) -> HandoverCase:
    """One case as it stood at the end of the day: paper that came later is not on this day's list."""
    accepted_at = result.accepted_at or result.decided_at
    later = not start <= accepted_at < end

    def came(m: MaterialView) -> dt.datetime | None:
        return arrival(result.acceptance_no, m.key, m.party_index)

    def on_day(m: MaterialView) -> bool:
        at = came(m)
        return at is not None and at < end and (not later or at >= start)

    def after_day(m: MaterialView) -> bool:
        at = came(m)
        return at is not None and at >= end

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
