"""The purge of closed cases from the workstation after the retention period (docs/privacy.md "Retention").

A counter workstation is not the archive: the central server holds every event and document of a case, and the
archive keeps it for the period its departments set (国办发〔2023〕26号).  The workstation keeps a case's personal
data only as long as the counter may still need it (PIPL Art. 19: the shortest time necessary), the deployment's
``privacy.retention_days`` after the case's last change, and only once nothing of it can be lost:

- the case is **closed** at the counter: accepted, refused or voided (never a 补正 case waiting for the return
  visit), and it owes no document (``documents_due`` empty);
- the server **acknowledged every event** of it: sync state 已上传, none of its outbox events pending or
  quarantined (a workstation never enrolled, or whose server never answers, purges nothing; a case recovered from
  the server, app/sync/rebuild.py, came from there);
- its **last change** (its latest decision, event, document issued, printed or saved) is older than the retention
  period.

Such a case loses its application row, parties, materials, decisions, documents (the PDFs), its ratings and their
follow-ups (a 差评 may hold the citizen's phone number), its signatures (strokes and PNG), its place on a 材料交接单,
its outbox events (which carry the full application) and every person no remaining case names.  A case with a
差评 whose follow-up is not closed stays until it is (app/ratings.py).  What stays: a row in
``purged_applications`` (its numbers, item, decision and dates, no personal data), so a search for its 受理编号
says where it is; the number counters (no number is issued again); and the audit trail, which holds no personal
data and gains one ``records.purged`` event per transaction naming the cases it removed, so ``yimen audit verify``
counts them as explained (app/security/audit.py).

Batches of :data:`BATCH_SIZE` cases, one ``BEGIN IMMEDIATE`` transaction each, so a save at the counter never
waits long.  Deleted content is overwritten with zeros (``PRAGMA secure_delete`` for the purge's transactions) and
the WAL is emptied afterwards, so nothing of a purged case stays readable in the store file, even to someone with
its key; the file does not shrink (no VACUUM: it would rewrite the whole store under an exclusive lock), its freed
pages are reused.  Sealed backups made before the purge keep the case until they are rotated out (``backup.keep``).

Run hourly by the running counter (app/housekeeping.py) and by IT with ``yimen purge [--dry-run]``.  Qt-free.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, exists, func, or_, select, text
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session

from app.config import Deployment
from app.domain import AppState, SyncState
from app.errors import storage_error_from
from app.ratings import BAD_LEVELS
from app.security import audit
from db.engine import Database
from db.models import (
    Application,
    ApplicationMaterial,
    ApplicationParty,
    Attachment,
    AttachmentBlob,
    AttachmentData,
    DecisionRecord,
    DocumentRecord,
    HandoverCase,
    OutboxEntry,
    OutboxState,
    Person,
    PurgedApplication,
    Rating,
    RatingFollowUp,
    Signature,
)

log = logging.getLogger("yimen.retention")

#: Cases per transaction, and the stored documents' bytes one transaction overwrites at most (a case with its
#: receipt and form holds ~150 KB): the store's write lock is held for one batch only, a few hundred milliseconds
#: (docs/privacy.md "Retention").
BATCH_SIZE = 200
BATCH_BYTES = 8 * 1024 * 1024
CLOSED_STATES = (AppState.ACCEPTED.value, AppState.ANSWERED.value, AppState.REFUSED.value, AppState.VOIDED.value)
ACTION = audit.PURGED


@dataclass(frozen=True)
class PurgeReport:
    """What a purge removed (or, for a dry run, would remove)."""

    dry_run: bool
    retention_days: int
    #: Cases whose last change is before this moment are past the retention period.
    cutoff: dt.datetime
    #: The 受理编号 of the cases purged (or to be purged), oldest first.
    acceptance_nos: tuple[str, ...] = ()
    persons: int = 0
    documents: int = 0
    #: Closed cases received before the cutoff that stay because the server has not acknowledged all their events.
    waiting_for_server: int = 0
    batches: int = 0
    #: Whether the WAL was emptied afterwards (False: nothing purged, or the store was busy; see Database.empty_wal).
    wal_emptied: bool = False

    @property
    def count(self) -> int:
        return len(self.acceptance_nos)


def cutoff_of(deployment: Deployment, now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(days=deployment.retention_days)


def purge_closed(
    db: Database, deployment: Deployment, now: dt.datetime, *, dry_run: bool = False, batch_size: int = BATCH_SIZE
) -> PurgeReport:
    """Remove the personal data of the cases that are closed, acknowledged by the server and past the retention
    period (module docstring), in transactions of ``batch_size`` cases; ``dry_run`` only counts them.

    Raises:
        StorageError: the store failed (through :class:`app.store.Store`); the batches committed before stay purged.
    """
    cutoff = cutoff_of(deployment, now)
    with db.read() as session:
        waiting = _waiting_for_server(session, cutoff)
        if dry_run:
            numbers = tuple(
                session.scalars(
                    select(Application.acceptance_no)
                    .where(_purgeable(cutoff))
                    .order_by(Application.received_at, Application.acceptance_no)
                )
            )
            persons, documents = _would_remove(session, cutoff)
            return PurgeReport(True, deployment.retention_days, cutoff, numbers, persons, documents, waiting)
    purged: list[str] = []
    persons = documents = batches = 0
    while True:
        with db.read() as session:
            ids = _batch(session, cutoff, batch_size)
        if not ids:
            break
        done = _purge_batch(db, deployment, ids, cutoff, now)
        if done is None:  # every candidate changed meanwhile (a print, a new event): the next round sees them
            break
        purged.extend(done[0])
        persons += done[1]
        documents += done[2]
        batches += 1
    emptied = db.empty_wal() if purged else False
    if purged:
        log.info(
            "purged %d closed case(s) past %d days (%d person(s), %d document(s), %d transaction(s)); WAL %s",
            len(purged),
            deployment.retention_days,
            persons,
            documents,
            batches,
            "emptied" if emptied else "busy, left to SQLite's checkpoints",
        )
    return PurgeReport(
        False, deployment.retention_days, cutoff, tuple(purged), persons, documents, waiting, batches, emptied
    )


def compact(db: Database) -> None:
    """Rebuild the store file (``VACUUM``): it shrinks, and whatever a version before ``secure_delete`` left in free
    space is gone.  Holds the write lock for the whole rewrite: for IT, off hours (``yimen purge --vacuum``).

    Raises:
        StorageError: the store is busy, full or failing; the file is as it was.
    """
    try:
        db.vacuum()
    except DatabaseError as exc:
        raise storage_error_from(exc) from exc


def _purgeable(cutoff: dt.datetime) -> ColumnElement[bool]:
    """A closed case, every event of it acknowledged by the server, unchanged since ``cutoff``."""
    on_this = OutboxEntry.application_id == Application.id
    return and_(
        Application.state.in_(CLOSED_STATES),
        Application.sync_state == SyncState.SYNCED.value,
        Application.documents_due.is_(None),
        Application.received_at < cutoff,  # implied by the others; lets the index on received_at narrow the scan
        Application.decided_at < cutoff,
        # Every event sent and acknowledged (a case recovered from the server, app/sync/rebuild.py, has none here).
        ~exists().where(on_this, OutboxEntry.state != OutboxState.SENT.value),
        ~exists().where(on_this, OutboxEntry.created_at >= cutoff),
        # A document issued, printed or saved since (a 补打: the citizen came back) keeps the case.
        ~exists().where(
            DocumentRecord.application_id == Application.id,
            or_(DocumentRecord.created_at >= cutoff, DocumentRecord.last_handed_out_at >= cutoff),
        ),
        # A 差评 whose follow-up is not closed keeps the case: the supervisor still needs it (app/ratings.py).
        ~exists().where(
            Rating.application_id == Application.id, Rating.level.in_(BAD_LEVELS), Rating.closed_at.is_(None)
        ),
    )


def _batch(session: Session, cutoff: dt.datetime, batch_size: int) -> list[uuid.UUID]:
    """The oldest purgeable cases: at most ``batch_size``, and at most :data:`BATCH_BYTES` of documents (one at
    least, whatever its size)."""
    size = (
        select(func.coalesce(func.sum(DocumentRecord.size), 0))
        .where(DocumentRecord.application_id == Application.id)
        .scalar_subquery()
    )
    chosen: list[uuid.UUID] = []
    total = 0
    for app_id, nbytes in session.execute(
        select(Application.id, size)
        .where(_purgeable(cutoff))
        .order_by(Application.received_at, Application.acceptance_no)
        .limit(batch_size)
    ):
        total += int(nbytes or 0)
        if chosen and total > BATCH_BYTES:
            break
        chosen.append(app_id)
    return chosen


def _waiting_for_server(session: Session, cutoff: dt.datetime) -> int:
    unsent = exists().where(OutboxEntry.application_id == Application.id, OutboxEntry.state != OutboxState.SENT.value)
    return int(
        session.scalar(
            select(func.count())
            .select_from(Application)
            .where(
                Application.state.in_(CLOSED_STATES),
                Application.received_at < cutoff,
                Application.decided_at < cutoff,
                or_(Application.sync_state != SyncState.SYNCED.value, unsent),
            )
        )
        or 0
    )


def _would_remove(session: Session, cutoff: dt.datetime) -> tuple[int, int]:
    """(persons, documents) a purge now would remove."""
    chosen = select(Application.id).where(_purgeable(cutoff))
    kept = select(ApplicationParty.person_id).where(ApplicationParty.application_id.not_in(chosen))
    persons = session.scalar(
        select(func.count(func.distinct(ApplicationParty.person_id))).where(
            ApplicationParty.application_id.in_(chosen), ApplicationParty.person_id.not_in(kept)
        )
    )
    documents = session.scalar(
        select(func.count()).select_from(DocumentRecord).where(DocumentRecord.application_id.in_(chosen))
    )
    return int(persons or 0), int(documents or 0)


def _purge_batch(
    db: Database, deployment: Deployment, ids: Sequence[uuid.UUID], cutoff: dt.datetime, now: dt.datetime
) -> tuple[list[str], int, int] | None:
    """One transaction: the candidates that still qualify (checked again under the write lock) are removed, a
    tombstone kept for each, and one audit event names them.  None when none qualifies any more."""
    with db.write() as session:
        previous = _secure_delete(session, 1)
        try:
            return _remove(session, deployment, ids, cutoff, now)
        finally:
            _secure_delete(session, previous)


def _remove(
    session: Session, deployment: Deployment, ids: Sequence[uuid.UUID], cutoff: dt.datetime, now: dt.datetime
) -> tuple[list[str], int, int] | None:
    last_event = (
        select(func.max(OutboxEntry.created_at)).where(OutboxEntry.application_id == Application.id).scalar_subquery()
    )
    last_print = (
        select(func.max(func.coalesce(DocumentRecord.last_handed_out_at, DocumentRecord.created_at)))
        .where(DocumentRecord.application_id == Application.id)
        .scalar_subquery()
    )
    rows = session.execute(
        select(
            Application.id,
            Application.acceptance_no,
            Application.item_code,
            Application.state,
            Application.decision,
            Application.notice_no,
            Application.received_at,
            Application.decided_at,
            last_event.label("last_event"),
            last_print.label("last_print"),
        )
        .where(Application.id.in_(list(ids)), _purgeable(cutoff))
        .order_by(Application.received_at, Application.acceptance_no)
    ).all()
    if not rows:
        return None
    chosen = [row.id for row in rows]
    people = set(session.scalars(select(ApplicationParty.person_id).where(ApplicationParty.application_id.in_(chosen))))
    documents = int(
        session.scalar(
            select(func.count()).select_from(DocumentRecord).where(DocumentRecord.application_id.in_(chosen))
        )
        or 0
    )
    session.add_all(
        PurgedApplication(
            id=row.id,
            acceptance_no=row.acceptance_no,
            item_code=row.item_code,
            state=row.state,
            decision=row.decision,
            notice_no=row.notice_no,
            received_at=row.received_at,
            decided_at=row.decided_at,
            last_change_at=max(t for t in (row.decided_at, _aware(row.last_event), _aware(row.last_print)) if t),
            purged_at=now,
        )
        for row in rows
    )
    # Children first (follow-ups name ratings, ratings and documents name decisions, materials name parties), then
    # the applications, then the people no remaining case names.  A rating may hold the citizen's phone number.
    rated = select(Rating.id).where(Rating.application_id.in_(chosen))
    _delete(session, delete(RatingFollowUp).where(RatingFollowUp.rating_id.in_(rated)))
    # The material files (电子材料) the cases name go with them unless another case still names them.
    files = list(session.scalars(select(Attachment.sha256).where(Attachment.application_id.in_(chosen)).distinct()))
    for table in (
        Attachment,
        Rating,
        Signature,
        HandoverCase,
        DocumentRecord,
        ApplicationMaterial,
        DecisionRecord,
        ApplicationParty,
        OutboxEntry,
    ):
        _delete(session, delete(table).where(table.application_id.in_(chosen)))
    _delete(session, delete(Application).where(Application.id.in_(chosen)))
    if files:
        unnamed = select(AttachmentBlob.sha256).where(
            AttachmentBlob.sha256.in_(files), ~exists().where(Attachment.sha256 == AttachmentBlob.sha256)
        )
        gone = list(session.scalars(unnamed))
        _delete(session, delete(AttachmentData).where(AttachmentData.sha256.in_(gone)))
        _delete(session, delete(AttachmentBlob).where(AttachmentBlob.sha256.in_(gone)))
    still_named = select(ApplicationParty.person_id).where(ApplicationParty.person_id.in_(people))
    persons = _delete(session, delete(Person).where(Person.id.in_(people), Person.id.not_in(still_named)))
    numbers = [row.acceptance_no for row in rows]
    audit.record(
        session,
        action=ACTION,
        entity_type="workstation",
        entity_id=deployment.workstation_code,
        workstation_code=deployment.workstation_code,
        user_id=None,
        details={
            "count": len(rows),
            "retention_days": deployment.retention_days,
            "cutoff": cutoff.isoformat(),
            audit.PURGED_APPLICATIONS: [{"id": str(row.id), "acceptance_no": row.acceptance_no} for row in rows],
            "persons": persons,
            "documents": documents,
        },
    )
    return numbers, persons, documents


def _delete(session: Session, statement: Any) -> int:
    result = session.execute(statement.execution_options(synchronize_session=False))
    return int(result.rowcount)  # type: ignore[attr-defined]


def _secure_delete(session: Session, value: int) -> int:
    """Set ``PRAGMA secure_delete`` on the session's connection (deleted content overwritten with zeros, freed
    pages too); returns the value it had."""
    previous = int(session.execute(text("PRAGMA secure_delete")).scalar_one())
    session.execute(text(f"PRAGMA secure_delete = {int(value)}"))
    return previous


def _aware(value: Any) -> dt.datetime | None:
    """An aggregate of a UTC column comes back as the stored text or a naive datetime: UTC, aware."""
    if value is None:
        return None
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    assert isinstance(moment, dt.datetime)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
