"""Pruning: a workstation store that stays small (issue 16; docs/reliability.md "Pruning").  The bytes go, the
rows stay.

Two kinds of bytes are kept only as long as they are useful, and only once the central server holds them:

- an outbox event's **payload**: only an event the server acknowledged (state ``sent``, stored or a duplicate
  there) whose ``sent_at`` is older than ``storage.payload_retention_days`` (default 30, never below
  :data:`RECOVERY_WINDOW_DAYS`: a server restored from a backup may ask for everything since a point again, and
  the payloads must still be here; docs/sync-protocol.md).  A pending, held or quarantined event is never
  touched, however old;
- an issued document's **PDF**: ``storage.document_retention_days`` (default 30) after it was issued or last
  handed out, and only when its ``document.issued`` event was acknowledged (the server refuses that event until
  it holds the PDF, server/services/ingest.py).  The event is the outbox entry of that type written in the same
  transaction (same application, same moment, app/documents/service.py); a document whose event is not
  acknowledged, or that has none (a store rebuilt from the server), keeps its PDF.

- a material's **file** (电子材料, app/attachments.py; its ``attachment_data`` row is deleted):
  ``storage.document_retention_days`` after the server confirmed it holds the same bytes (``uploaded_at``, set by
  the upload, app/sync/attachments.py); a file the server does not hold is kept, however old.  A file no case names
  (a draft abandoned, a page rotated before the save) is deleted a day after it was attached
  (:func:`app.attachments.remove_orphans`).

The payload, PDF or file becomes NULL and ``payload_pruned_at`` / ``pdf_pruned_at`` says when; the row with its SHA-256
stays, so the history, the figures and a 补打 (which fetches the original from the server and checks the hash,
app/documents) work on.  Batches of at most :data:`BATCH_SIZE` rows and :data:`BATCH_BYTES`, one
``BEGIN IMMEDIATE`` each, with one ``records.pruned`` audit event (counts only, no personal data) per
transaction: a save at the counter waits at most one batch.

The space comes back through ``auto_vacuum = INCREMENTAL`` (db/engine.py sets it on every new store and on every
copy: a backup, the encryption of a plain store): :func:`reclaim` runs ``PRAGMA incremental_vacuum`` in steps of
:data:`VACUUM_STEP_PAGES` pages, each its own short write, then empties the WAL so the file shrinks.  A store made
before that is in ``auto_vacuum = NONE``: its freed pages are reused but the file does not shrink until one full
``VACUUM`` (``yimen purge --vacuum`` / ``yimen prune --vacuum``, IT's, off hours) switches it.

Run by the running counter after the purge (app/housekeeping.py) and by IT with ``yimen prune [--dry-run]``.
Qt-free.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, and_, delete, exists, func, literal_column, or_, select, update
from sqlalchemy.orm import Session, aliased

from app import attachments
from app.security import audit
from app.sync import protocol
from db.models import AttachmentBlob, AttachmentData, DocumentRecord, OutboxEntry, OutboxState

if TYPE_CHECKING:
    from app.config import Deployment
    from db.engine import Database

log = logging.getLogger("yimen.pruning")

#: The server's recovery window (docs/sync-protocol.md): a server restored from a backup at most this old asks the
#: devices to send again what it lost, so an acknowledged payload is kept at least this long.
RECOVERY_WINDOW_DAYS = 14
DEFAULT_RETENTION_DAYS = 30
#: Rows per transaction, and the bytes one transaction clears at most (one row at least, whatever its size).
BATCH_SIZE = 300
BATCH_BYTES = 8 * 1024 * 1024
#: Pages one ``incremental_vacuum`` step frees (4 KiB each): a few milliseconds of write lock.
VACUUM_STEP_PAGES = 512
#: At most this many steps per run; the next run goes on.
VACUUM_MAX_STEPS = 4096
ACTION = audit.PRUNED
AUTO_VACUUM_MODES = {0: "none", 1: "full", 2: "incremental"}
#: How SQLAlchemy stores a DateTime on SQLite (UTC, naive: db/types.py).
_STORED_TIME = "%Y-%m-%d %H:%M:%S.%f"


@dataclass(frozen=True)
class PruneReport:
    """What a pruning run cleared (or, for a dry run, would clear)."""

    dry_run: bool
    payload_days: int
    document_days: int
    payloads: int = 0
    payload_bytes: int = 0
    documents: int = 0
    document_bytes: int = 0
    #: Events older than the payload retention that the server has not acknowledged: kept, whatever their age.
    waiting_payloads: int = 0
    #: Documents older than the document retention whose ``document.issued`` was not acknowledged: kept.
    waiting_documents: int = 0
    batches: int = 0
    #: Pages given back to the file system by the incremental vacuum afterwards.
    pages_freed: int = 0
    #: The store's ``auto_vacuum`` mode: "incremental" (the file shrinks), "none" (a store made before: one VACUUM).
    auto_vacuum: str = "incremental"
    #: Material files whose bytes were cleared (the server holds them), and files no case named, deleted.
    attachments: int = 0
    attachment_bytes: int = 0
    orphans: int = 0
    orphan_bytes: int = 0

    @property
    def bytes_cleared(self) -> int:
        return self.payload_bytes + self.document_bytes + self.attachment_bytes + self.orphan_bytes


def prune(
    db: Database,
    deployment: Deployment,
    now: dt.datetime,
    *,
    dry_run: bool = False,
    batch_size: int = BATCH_SIZE,
    vacuum: bool = True,
) -> PruneReport:
    """Clear the acknowledged payloads and PDFs past their retention (module docstring) in transactions of at most
    ``batch_size`` rows, then give the freed pages back (``vacuum``); ``dry_run`` only counts.

    Raises:
        sqlalchemy.exc.DatabaseError: the store failed; the batches committed before stay pruned.
    """
    p_days, d_days = deployment.payload_retention_days, deployment.document_retention_days
    p_cut = now - dt.timedelta(days=p_days)
    d_cut = now - dt.timedelta(days=d_days)
    mode = auto_vacuum_mode(db)
    with db.read() as session:
        waiting_p = _count(session, OutboxEntry, _old_unacknowledged_payload(p_cut))
        waiting_d = _count(session, DocumentRecord, _old_document(d_cut) & ~_acknowledged_document())
        if dry_run:
            payloads, payload_bytes = _sum(session, func.length(OutboxEntry.payload), _prunable_payload(p_cut))
            docs, doc_bytes = _sum(session, func.length(DocumentRecord.pdf), _prunable_document(d_cut))
            files, file_bytes = _sum(session, AttachmentBlob.size, _prunable_attachment(d_cut))
            orphans, orphan_bytes = attachments.remove_orphans(db, now, dry_run=True)
            return PruneReport(
                True,
                p_days,
                d_days,
                payloads,
                payload_bytes,
                docs,
                doc_bytes,
                waiting_p,
                waiting_d,
                0,
                0,
                mode,
                files,
                file_bytes,
                orphans,
                orphan_bytes,
            )
    orphans, orphan_bytes = attachments.remove_orphans(db, now)
    totals = [0, 0, 0, 0, 0, 0]  # documents, their bytes, payloads, their bytes, files, their bytes
    batches = 0
    # Documents first: the event that says the server holds a PDF is matched by its row, not its payload.
    for kind in ("documents", "payloads", "attachments"):
        while True:
            cut = p_cut if kind == "payloads" else d_cut
            with db.read() as session:
                ids = _batch(session, kind, cut, batch_size)
            if not ids:
                break
            done = _prune_batch(db, deployment, kind, ids, cut, now)
            if done is None:  # every candidate changed meanwhile (a 补打 handed it out again): the next run sees
                break
            offset = {"documents": 0, "payloads": 2, "attachments": 4}[kind]
            totals[offset] += done[0]
            totals[offset + 1] += done[1]
            batches += 1
    freed = reclaim(db) if vacuum and (batches or orphans) and mode == "incremental" else 0
    if batches:
        log.info(
            "pruned %d payload(s) (%d bytes) and %d document PDF(s) (%d bytes) in %d transaction(s); %d page(s) "
            "given back (auto_vacuum %s)",
            totals[2],
            totals[3],
            totals[0],
            totals[1],
            batches,
            freed,
            mode,
        )
    if orphans or totals[4]:
        log.info(
            "material files: %d cleared (%d bytes), %d unnamed deleted (%d bytes)",
            totals[4],
            totals[5],
            orphans,
            orphan_bytes,
        )
    return PruneReport(
        False,
        p_days,
        d_days,
        totals[2],
        totals[3],
        totals[0],
        totals[1],
        waiting_p,
        waiting_d,
        batches,
        freed,
        mode,
        totals[4],
        totals[5],
        orphans,
        orphan_bytes,
    )


def auto_vacuum_mode(db: Database) -> str:
    with db.read_connection() as conn:
        value = int(conn.exec_driver_sql("PRAGMA auto_vacuum").scalar_one())
    return AUTO_VACUUM_MODES.get(value, str(value))


def reclaim(db: Database, *, step_pages: int = VACUUM_STEP_PAGES, max_steps: int = VACUUM_MAX_STEPS) -> int:
    """Give the store's free pages back to the file system in steps of ``step_pages`` (each its own short write
    transaction, so a save waits one step at most), then empty the WAL so the file shrinks; returns the pages freed.
    A store in ``auto_vacuum = NONE`` frees nothing here (module docstring)."""
    freed = 0
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        try:
            for _ in range(max_steps):
                before = int(cursor.execute("PRAGMA freelist_count").fetchone()[0])
                if before == 0:
                    break
                # Each freed page is one result row: read them all, or the step stops after the first.
                cursor.execute(f"PRAGMA incremental_vacuum({int(step_pages)})").fetchall()
                after = int(cursor.execute("PRAGMA freelist_count").fetchone()[0])
                if after >= before:
                    break  # auto_vacuum NONE (nothing to give back this way) or the store is busy
                freed += before - after
        finally:
            cursor.close()
    finally:
        raw.close()
    if freed:
        db.empty_wal()
    return freed


# ---------------------------------------------------------------------------------------------------- selection


def _prunable_payload(cutoff: dt.datetime) -> ColumnElement[bool]:
    return and_(
        OutboxEntry.state == OutboxState.SENT.value,
        OutboxEntry.payload.is_not(None),
        OutboxEntry.sent_at.is_not(None),
        OutboxEntry.sent_at < cutoff,
    )


def _old_unacknowledged_payload(cutoff: dt.datetime) -> ColumnElement[bool]:
    return and_(
        OutboxEntry.state != OutboxState.SENT.value,
        OutboxEntry.payload.is_not(None),
        OutboxEntry.created_at < cutoff,
    )


def _old_document(cutoff: dt.datetime) -> ColumnElement[bool]:
    return and_(
        DocumentRecord.pdf.is_not(None),
        DocumentRecord.created_at < cutoff,
        or_(DocumentRecord.last_handed_out_at.is_(None), DocumentRecord.last_handed_out_at < cutoff),
    )


def _acknowledged_document() -> ColumnElement[bool]:
    """Its ``document.issued`` event (same application, same moment) is acknowledged, and no event of that type
    written with it waits: one written in the same transaction for another document of the case could be the
    one (documents of a decision are stored together)."""
    event = aliased(OutboxEntry)
    issued = and_(
        event.application_id == DocumentRecord.application_id,
        event.event_type == protocol.EventType.DOCUMENT_ISSUED.value,
        event.created_at == DocumentRecord.created_at,
    )
    return and_(
        exists().where(issued, event.state == OutboxState.SENT.value),
        ~exists().where(issued, event.state != OutboxState.SENT.value),
    )


def _prunable_document(cutoff: dt.datetime) -> ColumnElement[bool]:
    return and_(_old_document(cutoff), _acknowledged_document())


def _prunable_attachment(cutoff: dt.datetime) -> ColumnElement[bool]:
    """A material file the server confirmed it holds (``uploaded_at``), past the retention."""
    return and_(
        exists().where(AttachmentData.sha256 == AttachmentBlob.sha256),
        AttachmentBlob.uploaded_at.is_not(None),
        AttachmentBlob.uploaded_at < cutoff,
        AttachmentBlob.created_at < cutoff,
    )


def _count(session: Session, table: Any, where: ColumnElement[bool]) -> int:
    return int(session.scalar(select(func.count()).select_from(table).where(where)) or 0)


def _sum(session: Session, size: Any, where: ColumnElement[bool]) -> tuple[int, int]:
    row = session.execute(select(func.count(), func.coalesce(func.sum(size), 0)).where(where)).one()
    return int(row[0]), int(row[1])


def _batch(session: Session, kind: str, cutoff: dt.datetime, batch_size: int) -> list[Any]:
    """The oldest prunable rows: at most ``batch_size``, and at most :data:`BATCH_BYTES` (one at least)."""
    if kind == "documents":
        query = (
            select(DocumentRecord.id, func.length(DocumentRecord.pdf))
            .where(_prunable_document(cutoff))
            .order_by(DocumentRecord.created_at)
        )
    elif kind == "attachments":
        query = (
            select(AttachmentBlob.sha256, AttachmentBlob.size)
            .where(_prunable_attachment(cutoff))
            .order_by(AttachmentBlob.uploaded_at)
        )
    else:
        query = (
            select(OutboxEntry.id, func.length(OutboxEntry.payload))
            .where(_prunable_payload(cutoff))
            .order_by(OutboxEntry.seq)
        )
    chosen: list[Any] = []
    total = 0
    for row_id, nbytes in session.execute(query.limit(batch_size)):
        total += int(nbytes or 0)
        if chosen and total > BATCH_BYTES:
            break
        chosen.append(row_id)
    return chosen


def _prune_batch(
    db: Database, deployment: Deployment, kind: str, ids: Sequence[uuid.UUID], cutoff: dt.datetime, now: dt.datetime
) -> tuple[int, int] | None:
    """One transaction: the candidates that still qualify (checked again under the write lock) lose their bytes,
    and one audit event counts them.  None when none qualifies any more."""
    if kind == "documents":
        table: Any = DocumentRecord
        where = and_(DocumentRecord.id.in_(list(ids)), _prunable_document(cutoff))
        size: Any = func.length(DocumentRecord.pdf)
        blob, stamp = "pdf", "pdf_pruned_at"
    elif kind == "attachments":
        table = AttachmentBlob
        where = and_(AttachmentBlob.sha256.in_(list(ids)), _prunable_attachment(cutoff))
        size = AttachmentBlob.size
        blob, stamp = "data", "pruned_at"
    else:
        table = OutboxEntry
        where = and_(OutboxEntry.id.in_(list(ids)), _prunable_payload(cutoff))
        size = func.length(OutboxEntry.payload)
        blob, stamp = "payload", "payload_pruned_at"
    name = table.__tablename__
    with db.write() as session:
        chosen = session.execute(select(literal_column(f"{name}.rowid"), size).where(where)).all()
        if not chosen:
            return None
        if kind == "attachments":
            # The bytes are their own row (attachment_data): deleted, its pages freed; the file's row says when.
            rowids = [r[0] for r in chosen]
            shas = select(AttachmentBlob.sha256).where(literal_column("attachment_blobs.rowid").in_(rowids))
            session.execute(delete(AttachmentData).where(AttachmentData.sha256.in_(shas.scalar_subquery())))
            session.execute(
                update(AttachmentBlob).where(literal_column("attachment_blobs.rowid").in_(rowids)).values(pruned_at=now)
            )
        else:
            _rewrite(session, name, [c.name for c in table.__table__.columns], [r[0] for r in chosen], blob, stamp, now)
        count, nbytes = len(chosen), sum(int(r[1] or 0) for r in chosen)
        audit.record(
            session,
            action=ACTION,
            entity_type="workstation",
            entity_id=deployment.workstation_code,
            workstation_code=deployment.workstation_code,
            user_id=None,
            details={
                "what": kind,
                "count": count,
                "bytes": nbytes,
                "retention_days": (
                    deployment.payload_retention_days if kind == "payloads" else deployment.document_retention_days
                ),
                "cutoff": cutoff.isoformat(),
            },
        )
        return count, nbytes


def _rewrite(
    session: Session,
    table: str,
    columns: list[str],
    rowids: list[int],
    blob: str,
    stamp: str,
    now: dt.datetime,
) -> None:
    """Clear ``blob`` and set ``stamp`` of the rows ``rowids``: read them without the blob, delete them, write them
    back at the end of the table (same values, exact stored forms, same order; a new rowid, which nothing refers
    to: every key and reference is the ``id`` column).  Not an UPDATE: a row shrunk in place keeps its leaf page
    (SQLite rebalances a page after a delete, never after an update), so each pruned row would go on holding most
    of a 4 KiB page.  Not back at the same rowid either: rows inserted in the middle of a b-tree split its pages
    half full, rows appended at its end fill each page before the next (SQLite's append path).  So the pruned rows
    pack together and the emptied pages are freed for the incremental vacuum (docs/performance.md "A store that
    stays small (issue 16)")."""
    kept = [c for c in columns if c not in (blob, stamp)]
    names = ", ".join(f'"{c}"' for c in kept)
    marks = ", ".join("?" * len(rowids))
    conn = session.connection()
    rows = conn.exec_driver_sql(
        f"SELECT {names} FROM {table} WHERE rowid IN ({marks}) ORDER BY rowid", tuple(rowids)
    ).all()
    conn.exec_driver_sql(f"DELETE FROM {table} WHERE rowid IN ({marks})", tuple(rowids))
    moment = now.astimezone(dt.UTC).replace(tzinfo=None).strftime(_STORED_TIME)
    conn.exec_driver_sql(
        f'INSERT INTO {table} ({names}, "{blob}", "{stamp}") VALUES ({", ".join("?" * len(kept))}, NULL, ?)',
        [(*row, moment) for row in rows],
    )
