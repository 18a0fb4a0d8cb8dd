"""One way to write a change of an application: the record, its outbox event and its audit event, together.

Every use case that changes an application — a decision, a 补正 return visit, a 更正, a 作废, a document issued
or reprinted — changes the record inside its ``write()`` transaction and then calls :meth:`ChangeWriter.write`,
which queues the protocol event (serialized once, with its SHA-256: app/sync/outbox.py), marks the record as
waiting for upload (unless it is held behind a refused event) and appends the audit event naming that outbox
entry, with the keyed digests of the record's personal data after the change (docs/security.md "Keyed audit
chain").  The three land in one transaction or not at all (ARCHITECTURE.md invariants 1 and 9).  Database failures
are translated where the session is opened (:class:`app.store.Store`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from app.domain import SyncState
from app.security import audit
from app.sync import outbox, protocol
from db.models import Application


@dataclass(frozen=True)
class ChangeWriter:
    """Writes the events of this workstation's changes (its center and workstation codes go into each)."""

    center_code: str
    workstation_code: str

    def _queue(self, session: Session, application_id: uuid.UUID, body: protocol.Body, at: dt.datetime) -> uuid.UUID:
        """Append ``body`` to the outbox as an event of this workstation; returns the entry's id."""
        event = protocol.new_event(
            occurred_at=at,
            center_code=self.center_code,
            workstation_code=self.workstation_code,
            application_id=application_id,
            body=body,
        )
        return outbox.append(session, event).id

    def write(
        self,
        session: Session,
        application: Application,
        body: protocol.Body,
        *,
        action: str,
        user_id: uuid.UUID | None,
        at: dt.datetime,
        details: dict[str, Any] | None = None,
    ) -> uuid.UUID:
        """Queue ``body`` as the application's next event and audit ``action``; returns the outbox entry's id."""
        entry_id = self._queue(session, application.id, body, at)
        # An application whose earlier event the server refused stays 被拒收: the new event waits behind that one
        # (app/sync/service.py recomputes the state after every push and retry).
        if application.sync_state != SyncState.REJECTED.value:
            application.sync_state = SyncState.PENDING.value
        self.audit(
            session,
            application,
            action=action,
            user_id=user_id,
            details={**(details or {}), "outbox_event": str(entry_id)},
        )
        return entry_id

    def write_workstation(
        self,
        session: Session,
        body: protocol.Body,
        *,
        action: str,
        user_id: uuid.UUID | None,
        at: dt.datetime,
        details: dict[str, Any] | None = None,
    ) -> uuid.UUID:
        """Queue an event that concerns the workstation, not one application (a 日结, a 材料交接单: its envelope
        names :data:`protocol.NO_APPLICATION`, the outbox row no application), and audit ``action`` with entity
        type ``workstation``; returns the outbox entry's id."""
        entry_id = self._queue(session, protocol.NO_APPLICATION, body, at)
        audit.record(
            session,
            action=action,
            entity_type="workstation",
            entity_id=self.workstation_code,
            workstation_code=self.workstation_code,
            user_id=user_id,
            details={**(details or {}), "outbox_event": str(entry_id)},
        )
        return entry_id

    def audit(
        self,
        session: Session,
        application: Application,
        *,
        action: str,
        user_id: uuid.UUID | None,
        details: dict[str, Any] | None = None,
    ) -> None:
        """Audit a change that sends nothing to the server (a print, a recomputed deadline).

        Every application event carries the keyed digests of the record's stored personal data as the change left
        it (:func:`app.security.audit.data_digests`), so a later change of those rows without an event is found by
        ``yimen audit verify``."""
        audit.record(
            session,
            action=action,
            entity_type="application",
            entity_id=application.id,
            workstation_code=self.workstation_code,
            user_id=user_id,
            details={"acceptance_no": application.acceptance_no, **(details or {})},
            data=audit.data_digests(session, application),
        )
