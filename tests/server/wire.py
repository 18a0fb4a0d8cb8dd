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
