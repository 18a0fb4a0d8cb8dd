"""The supervisor's events on the push path (docs/supervisor.md "The wire"): what :mod:`server.services.ingest` checks
of them beyond the rules every event obeys, and the projections it writes once an event is stored.

- ``rating.recorded`` and ``rating.followed_up`` name their application: they first pass the checks of any change
  to an application (only the workstation that took it; its own 办件编号).  Then a rating id is recorded once; a
  follow-up step names a 差评 of that very application that the server holds (or that comes earlier in the batch),
  and a step id is recorded once.
- ``day.closed`` and ``handover.recorded`` concern the sending workstation (its codes were checked against the
  device): a close's 办件编号 are this workstation's numbers of that day; every case on a 材料交接单 is an
  application this workstation took that the server holds (or that is taken earlier in the batch).  An unknown
  number and another workstation's get the same answer.

The projections (``ratings``, ``rating_follow_ups``, ``application_changes``, ``day_closes``, ``handovers``,
``handover_cases``) are inserted with ``ON CONFLICT DO NOTHING``: only the process that inserted an event applies
it, so the same event twice stores nothing twice.  No phone number is projected: a rating keeps whether it was
named (实名); the number stays in the event as sent (docs/sync-protocol.md "The supervisor's events").
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from app.domain import RatingLevel
from app.sync import protocol
from server.services.common import insert_rows
from server.store.models import (
    ApplicationChangeRow,
    DayCloseRow,
    Device,
    HandoverCaseRow,
    HandoverRow,
    RatingFollowUpRow,
    RatingRow,
    ServerApplication,
    UTCDateTime,
)

RATING_TWICE = "该评价已记录（同一评价编号已有评价事件），不予重复接收"
NO_SUCH_RATING = "服务器上没有该申请的这条评价（须先上传评价事件）"
NOT_BAD = "只有差评（不满意、非常不满意）才有整改回访，不予接收"
STEP_TWICE = "该回访步骤已记录（同一步骤编号已有事件），不予重复接收"
HANDOVER_TWICE = "该交接单已记录（同一交接单编号已有事件），不予重复接收"


@dataclass
class Known:
    """What the server holds that the batch's supervisor events name, loaded in a few indexed lookups (none when
    the batch has no such events), and what the batch itself adds as its events pass."""

    #: rating id → (its application, its level)
    ratings: dict[uuid.UUID, tuple[uuid.UUID, str]] = field(default_factory=dict)
    follow_ups: set[uuid.UUID] = field(default_factory=set)
    handovers: set[uuid.UUID] = field(default_factory=set)
    #: 办件编号 of this workstation's applications held by the server, among those the batch's handovers name.
    numbers: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, session: Session, device: Device, bodies: Iterable[protocol.Body]) -> Known:
        rating_ids: set[uuid.UUID] = set()
        step_ids: set[uuid.UUID] = set()
        handover_ids: set[uuid.UUID] = set()
        numbers: set[str] = set()
        for body in bodies:
            if isinstance(body, protocol.RatingRecorded | protocol.RatingFollowedUp):
                rating_ids.add(body.rating_id)
            if isinstance(body, protocol.RatingFollowedUp):
                step_ids.add(body.follow_up_id)
            elif isinstance(body, protocol.HandoverRecorded):
                handover_ids.add(body.handover_id)
                numbers.update(body.acceptance_nos)
        known = cls()
        if rating_ids:
            rated = select(RatingRow.rating_id, RatingRow.application_id, RatingRow.level)
            for rating_id, app_id, level in session.execute(rated.where(RatingRow.rating_id.in_(rating_ids))):
                known.ratings[rating_id] = (app_id, level)
        if step_ids:
            steps = select(RatingFollowUpRow.follow_up_id).where(RatingFollowUpRow.follow_up_id.in_(step_ids))
            known.follow_ups.update(session.scalars(steps))
        if handover_ids:
            handed = select(HandoverRow.handover_id).where(HandoverRow.handover_id.in_(handover_ids))
            known.handovers.update(session.scalars(handed))
        if numbers:
            held = select(ServerApplication.acceptance_no).where(
                ServerApplication.acceptance_no.in_(numbers),
                ServerApplication.center_code == device.center_code,
                ServerApplication.workstation_code == device.workstation_code,
            )
            known.numbers.update(session.scalars(held))
        return known

    def claim(self, body: protocol.Body, app_id: uuid.UUID | None = None) -> None:
        """An event of the batch passed: later events of the batch see what it records."""
        if isinstance(body, protocol.RatingRecorded):
            assert app_id is not None
            self.ratings[body.rating_id] = (app_id, body.level)
        elif isinstance(body, protocol.RatingFollowedUp):
            self.follow_ups.add(body.follow_up_id)
        elif isinstance(body, protocol.HandoverRecorded):
            self.handovers.add(body.handover_id)


def check_rating_event(
    body: protocol.RatingRecorded | protocol.RatingFollowedUp, app_id: uuid.UUID, known: Known
) -> str | None:
    """The reason to refuse a rating or a follow-up step that passed the application's checks, or None."""
    if isinstance(body, protocol.RatingRecorded):
        return RATING_TWICE if body.rating_id in known.ratings else None
    held = known.ratings.get(body.rating_id)
    if held is None or held[0] != app_id:
        return NO_SUCH_RATING
    if not RatingLevel(held[1]).is_bad:
        return NOT_BAD
    return STEP_TWICE if body.follow_up_id in known.follow_ups else None


def check_workstation_event(
    body: protocol.DayClosed | protocol.HandoverRecorded,
    device: Device,
    known: Known,
    numbers_here: dict[str, uuid.UUID],
) -> str | None:
    """The reason to refuse a day close or a handover of the device's workstation, or None."""
    if isinstance(body, protocol.DayClosed):
        prefix = protocol.day_prefix(device.center_code, device.workstation_code, body.day)
        for number in body.numbers:
            if not number.startswith(prefix):
                return f"日结所列的办件编号 {number} 不是本工位当日的编号（须为 {prefix}序号），不予接收"
        return None
    if body.handover_id in known.handovers:
        return HANDOVER_TWICE
    seen: set[str] = set()
    for number in body.acceptance_nos:
        if number in seen:
            return f"交接单上的办件编号 {number} 重复，不予接收"
        seen.add(number)
        if number not in known.numbers and number not in numbers_here:
            # The same answer for a number nobody issued and for another workstation's or center's (no oracle).
            return f"交接单上的办件编号 {number} 不是本工位在服务器上的申请（须先上传受理事件），不予接收"
    return None


def project(session: Session, events: Sequence[protocol.Event], now: dt.datetime) -> None:
    """Write the projections of the newly stored events (each applied once: by the process that inserted it)."""
    ratings: list[dict[str, Any]] = []
    steps: list[dict[str, Any]] = []
    changes: list[dict[str, Any]] = []
    closes: list[dict[str, Any]] = []
    handovers: list[dict[str, Any]] = []
    handed: list[tuple[uuid.UUID, str]] = []
    for event in events:
        body = event.body
        codes = {"center_code": event.center_code, "workstation_code": event.workstation_code}
        if isinstance(body, protocol.RatingRecorded):
            ratings.append(
                {
                    "rating_id": body.rating_id,
                    "event_id": event.event_id,
                    "application_id": event.application_id,
                    "acceptance_no": body.acceptance_no,
                    **codes,
                    "occasion": body.occasion,
                    "level": body.level,
                    "reasons": ",".join(body.reasons),
                    "named": bool(body.phone),
                    "clerk_username": body.clerk_username,
                    "rated_at": body.rated_at,
                    "contact_due": body.contact_due,
                    "rectify_due": body.rectify_due,
                    "contacted_at": None,
                    "closed_at": None,
                }
            )
        elif isinstance(body, protocol.RatingFollowedUp):
            steps.append(
                {
                    "follow_up_id": body.follow_up_id,
                    "event_id": event.event_id,
                    "rating_id": body.rating_id,
                    **codes,
                    "step": body.step,
                    "at": body.at,
                    "by": body.by,
                    "reached": body.reached,
                    "verification": body.verification,
                    "measure": body.measure,
                    "note": body.note,
                }
            )
        elif isinstance(body, protocol.ApplicationCorrected | protocol.ApplicationVoided):
            changes.append(
                {
                    "event_id": event.event_id,
                    "application_id": event.application_id,
                    "acceptance_no": body.acceptance_no,
                    **codes,
                    "kind": "corrected" if isinstance(body, protocol.ApplicationCorrected) else "voided",
                    "at": event.occurred_at,
                    "approved_by": body.approved_by,
                    "reason": body.reason,
                }
            )
        elif isinstance(body, protocol.DayClosed):
            closes.append(
                {
                    "event_id": event.event_id,
                    **codes,
                    "day": body.day,
                    "closed_at": body.closed_at,
                    "closed_by": body.closed_by,
                    "applications": body.applications,
                    "numbers": ",".join(body.numbers),
                    "unsynced": body.unsynced,
                    "quarantined": body.quarantined,
                    "differences": body.differences,
                    "reason": body.reason,
                    "received_at": now,
                }
            )
        elif isinstance(body, protocol.HandoverRecorded):
            handovers.append(
                {
                    "handover_id": body.handover_id,
                    "event_id": event.event_id,
                    **codes,
                    "number": body.number,
                    "department": body.department,
                    "receiver": body.receiver,
                    "handed_at": body.handed_at,
                    "handed_by": body.handed_by,
                    "cases": len(body.acceptance_nos),
                }
            )
            handed.extend((body.handover_id, number) for number in body.acceptance_nos)
    insert_rows(session, RatingRow.__table__, ratings)
    insert_rows(session, RatingFollowUpRow.__table__, steps)
    insert_rows(session, ApplicationChangeRow.__table__, changes)
    insert_rows(session, DayCloseRow.__table__, closes)
    insert_rows(session, HandoverRow.__table__, handovers)
    if handed:
        wanted = {number for _, number in handed}
        query = select(ServerApplication.acceptance_no, ServerApplication.id).where(
            ServerApplication.acceptance_no.in_(wanted)
        )
        ids = {number: app_id for number, app_id in session.execute(query)}
        rows = [
            {"handover_id": handover_id, "acceptance_no": number, "application_id": ids[number]}
            for handover_id, number in handed
            if number in ids
        ]
        insert_rows(session, HandoverCaseRow.__table__, rows)
    # Where each 差评's follow-up stands: the first contact, the outcome.
    reached = [{"b_id": s["rating_id"], "b_at": s["at"]} for s in steps if s["step"] == "contact"]
    closed = [{"b_id": s["rating_id"], "b_at": s["at"]} for s in steps if s["step"] == "outcome"]
    table: Any = RatingRow.__table__
    for column, rows in (("contacted_at", reached), ("closed_at", closed)):
        if rows:
            stmt = (
                update(table)
                .where(table.c.rating_id == bindparam("b_id", type_=table.c.rating_id.type))
                .values({column: func.coalesce(table.c[column], bindparam("b_at", type_=UTCDateTime))})
            )
            session.connection().execute(stmt, rows)
