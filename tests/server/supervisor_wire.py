"""The supervisor's events built by hand for the server tests (ratings, follow-up steps, day closes, handovers), and
a 受理 event with the moments and people the center's figures read."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from app.sync import protocol
from tests.server import wire

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
DAY = dt.date(2026, 11, 23)


def at(hour: int, minute: int = 0, day: dt.date = DAY) -> dt.datetime:
    """A Shanghai moment of ``day``."""
    return dt.datetime.combine(day, dt.time(hour, minute), SHANGHAI)


def taken(
    number: str,
    *,
    center: str = "310104003",
    workstation: str = "003",
    kind: str = "accept",
    clerk: str = "wangli",
    received: dt.datetime | None = None,
    called: dt.datetime | None = None,
    decided: dt.datetime | None = None,
    promised: dt.date | None = None,
    item: tuple[str, str] = ("MZ-SHJZ-002", "临时救助申请"),
) -> protocol.Event:
    """A 受理 event whose moments, clerk, item and promised date are the test's."""
    base = wire.taken(number, center=center, workstation=workstation, kind=kind)
    body = base.body
    assert isinstance(body, protocol.ApplicationTaken)
    received = received or at(10)
    decision = body.decision.model_copy(
        update={"decided_at": decided or received + dt.timedelta(minutes=20), "clerk_username": clerk}
    )
    if promised is not None:
        decision = decision.model_copy(update={"promised_date": promised})
    new = body.model_copy(
        update={
            "received_at": received,
            "called_at": called,
            "decision": decision,
            "item": body.item.model_copy(update={"code": item[0], "name": item[1]}),
        }
    )
    return base.model_copy(update={"body": new, "occurred_at": received})


def supplemented(previous: protocol.Event, kind: str = "accept", decided: dt.datetime | None = None) -> protocol.Event:
    event = wire.supplemented(previous, kind)
    body = event.body
    assert isinstance(body, protocol.MaterialsSupplemented)
    decision = body.decision.model_copy(update={"decided_at": decided or at(11)})
    return event.model_copy(update={"body": body.model_copy(update={"decision": decision})})


def _follow(previous: protocol.Event, body: protocol.Body, occurred: dt.datetime | None = None) -> protocol.Event:
    return protocol.new_event(
        occurred_at=occurred or wire.NOW,
        center_code=previous.center_code,
        workstation_code=previous.workstation_code,
        application_id=previous.application_id,
        body=body,
    )


def rating(
    previous: protocol.Event,
    level: str = "satisfied",
    *,
    rated: dt.datetime | None = None,
    phone: str | None = None,
    occasion: str = "decision",
    rating_id: uuid.UUID | None = None,
    clerk: str = "wangli",
) -> protocol.Event:
    bad = level in ("dissatisfied", "very_dissatisfied")
    data: dict[str, Any] = {
        "acceptance_no": previous.body.acceptance_no,  # type: ignore[union-attr]
        "rating_id": rating_id or uuid.uuid4(),
        "occasion": occasion,
        "level": level,
        "rated_at": rated or at(10, 30),
        "clerk_username": clerk,
    }
    if bad:
        data |= {
            "reasons": ["long_wait", "attitude"],
            "comment": "等了很久·𠮷",
            "phone": phone,
            "contact_due": DAY + dt.timedelta(days=1),
            "rectify_due": DAY + dt.timedelta(days=7),
        }
    return _follow(previous, protocol.RatingRecorded(**data), data["rated_at"])


def follow_up(rated: protocol.Event, step: str, **values: Any) -> protocol.Event:
    body = rated.body
    assert isinstance(body, protocol.RatingRecorded)
    defaults: dict[str, Any] = {
        "contact": {"reached": True},
        "verification": {"verification": "true"},
        "measure": {"measure": "immediate"},
        "outcome": {"note": "已向群众道歉并说明"},
    }[step]
    step_body = protocol.RatingFollowedUp(
        acceptance_no=body.acceptance_no,
        rating_id=body.rating_id,
        follow_up_id=uuid.uuid4(),
        step=step,  # type: ignore[arg-type]
        at=values.pop("when", at(15)),
        by="zhaomin",
        **(defaults | values),
    )
    return _follow(rated, step_body)


def day_closed(
    *,
    center: str = "310104003",
    workstation: str = "003",
    day: dt.date = DAY,
    numbers: list[str] | None = None,
    closed: dt.datetime | None = None,
    applications: int = 2,
    reason: str | None = None,
    unsynced: int = 0,
) -> protocol.Event:
    body = protocol.DayClosed(
        day=day,
        closed_at=closed or at(17, 30, day),
        closed_by="zhaomin",
        applications=applications,
        numbers=numbers or [],
        unsynced=unsynced,
        reason=reason,
    )
    return protocol.new_event(
        occurred_at=closed or at(17, 30, day),
        center_code=center,
        workstation_code=workstation,
        application_id=protocol.NO_APPLICATION,
        body=body,
    )


def handover(
    numbers: list[str], *, center: str = "310104003", workstation: str = "003", handover_id: uuid.UUID | None = None
) -> protocol.Event:
    body = protocol.HandoverRecorded(
        handover_id=handover_id or uuid.uuid4(),
        number=f"交接〔2026〕{workstation}-0001号",
        department="民政科",
        receiver="李·𠮷祥",
        handed_at=at(17),
        handed_by="zhaomin",
        acceptance_nos=numbers,
    )
    return protocol.new_event(
        occurred_at=at(17),
        center_code=center,
        workstation_code=workstation,
        application_id=protocol.NO_APPLICATION,
        body=body,
    )
