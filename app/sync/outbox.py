"""The outbox: protocol events stored, as bytes and hash, in the same transaction as the change (invariant 1)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.sync import protocol
from db.models import OutboxEntry, OutboxState


def append(session: Session, event: protocol.Event) -> OutboxEntry:
    """Serialize ``event`` once and queue it inside the caller's transaction."""
    payload = protocol.serialize(event)
    last = session.scalar(select(func.max(OutboxEntry.seq)))
    entry = OutboxEntry(
        id=event.event_id,
        seq=(last or 0) + 1,
        # A day close or a handover concerns the workstation, not one application (protocol.WORKSTATION_BODIES).
        application_id=None if event.application_id == protocol.NO_APPLICATION else event.application_id,
        event_type=event.body.type,
        schema_version=event.schema_version,
        payload=payload,
        sha256=protocol.digest(payload),
        created_at=event.occurred_at,
        state=OutboxState.PENDING.value,
    )
    session.add(entry)
    session.flush()
    return entry


def pending_count(session: Session) -> int:
    return int(
        session.scalar(select(func.count()).select_from(OutboxEntry).where(OutboxEntry.state == OutboxState.PENDING))
        or 0
    )
