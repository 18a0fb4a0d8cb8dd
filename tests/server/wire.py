"""Protocol events built by hand for the server tests (the workstation's own events are used end to end)."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from typing import Any

from app.sync import protocol

NOW = dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC)


def decision(kind: str = "accept") -> protocol.DecisionData:
    return protocol.DecisionData(decision=kind, decided_at=NOW, clerk_username="wangli", clerk_staff_no="0301")  # type: ignore[arg-type]


def taken(
    number: str,
    *,
    center: str = "310104003",
    workstation: str = "003",
    app_id: uuid.UUID | None = None,
    kind: str = "accept",
    name: str = "𠮷乃·阿依古丽",
    id_number: str = "11010519491231002X",
) -> protocol.Event:
    body = protocol.ApplicationTaken(
        acceptance_no=number,
        query_code="123456",
        item=protocol.CatalogRef(code="MZ-SHJZ-002", version=1, sha256="0" * 64, name="临时救助申请"),
        received_at=NOW,
        parties=[
            protocol.PartyData(
                party_id=uuid.uuid4(),
                role="applicant",
                name=name,
                id_number=id_number,
                id_kind="resident",
                sex="F",
                birth_date=dt.date(1949, 12, 31),
                phone="13800000000",
            )
        ],
        materials=[],
        decision=decision(kind),
    )
    return protocol.new_event(
        occurred_at=NOW,
        center_code=center,
        workstation_code=workstation,
        application_id=app_id or uuid.uuid4(),
        body=body,
    )


def supplemented(previous: protocol.Event, kind: str = "accept") -> protocol.Event:
    body = protocol.MaterialsSupplemented(
        acceptance_no=previous.body.acceptance_no, received_keys=["a"], materials=[], decision=decision(kind)
    )
    return protocol.new_event(
        occurred_at=NOW,
        center_code=previous.center_code,
        workstation_code=previous.workstation_code,
        application_id=previous.application_id,
        body=body,
    )


def document(previous: protocol.Event, pdf: bytes) -> protocol.Event:
    body = protocol.DocumentIssued(
        acceptance_no=previous.body.acceptance_no,
        document_id=uuid.uuid4(),
        kind="receipt",
        seq=1,
        number=previous.body.acceptance_no,
        paper="a4",
        sha256=hashlib.sha256(pdf).hexdigest(),
        size=len(pdf),
        page_count=1,
    )
    return protocol.new_event(
        occurred_at=NOW,
        center_code=previous.center_code,
        workstation_code=previous.workstation_code,
        application_id=previous.application_id,
        body=body,
    )


def pushed(event: protocol.Event) -> dict[str, Any]:
    payload = protocol.serialize(event)
    return {"event_id": str(event.event_id), "sha256": protocol.digest(payload), "payload": payload.decode("utf-8")}


def _follow(previous: protocol.Event, body: protocol.Body) -> protocol.Event:
    return protocol.new_event(
        occurred_at=NOW,
        center_code=previous.center_code,
        workstation_code=previous.workstation_code,
        application_id=previous.application_id,
        body=body,
    )


def corrected(previous: protocol.Event) -> protocol.Event:
    taken = previous.body
    assert isinstance(taken, protocol.ApplicationTaken)
    body = protocol.ApplicationCorrected(
        acceptance_no=taken.acceptance_no,
        reason="身份证号录入错误",
        approved_by="zhaomin",
        values={"monthly_income_fen": 150000},
        parties=taken.parties,
    )
    return _follow(previous, body)


def voided(previous: protocol.Event) -> protocol.Event:
    body = protocol.ApplicationVoided(
        acceptance_no=previous.body.acceptance_no, reason="重复受理", approved_by="zhaomin"
    )
    return _follow(previous, body)


def reprinted(previous: protocol.Event) -> protocol.Event:
    body = protocol.DocumentReprinted(
        acceptance_no=previous.body.acceptance_no,
        document_id=uuid.uuid4(),
        action="print",
        reason="群众遗失回执",
        by="wangli",
    )
    return _follow(previous, body)


def moved(event: protocol.Event, *, center: str, workstation: str) -> protocol.Event:
    """The same change as if another center's or workstation's device wrote it (a fresh event id)."""
    return protocol.new_event(
        occurred_at=event.occurred_at,
        center_code=center,
        workstation_code=workstation,
        application_id=event.application_id,
        body=event.body,
    )
