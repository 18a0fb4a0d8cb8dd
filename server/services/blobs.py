"""The retention of the documents' bytes (docs/operations.md "Documents' bytes"): the archive carries them, the
archive authority confirms the transfer (移交) of a month, and only then may the bytes leave the server — never
while an event still in ``events`` (not archived) names them.

- :func:`carry` (called by ``admin archive`` for each month): the PDFs that the month's ``document.issued`` events
  name are written beside the month's events in the archive folder, ``documents-YYYY-MM/<sha256>.pdf`` (each
  written whole and read back), and their rows marked with the month (``archived_month``).
- :func:`confirm_transfer` (``admin documents-transferred YYYY-MM --reference …``): the archive's confirmation.
- :func:`prune` (``admin documents-prune [--dry-run]``): the bytes of every blob carried by a transferred month's
  archive and named by no event still in ``events`` are dropped; the row stays, with its SHA-256, size, center and
  the moment (``dropped_at``).  A blob no archive carries (never named by a stored event, or whose events are
  still attached) is kept.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Engine, and_, cast, exists, func, literal_column, select, text, update
from sqlalchemy.orm import Session
from sqlalchemy.types import Text

from app.sync import protocol
from server.services.common import ServiceError, insert
from server.services.documents import named_sha256, read_blob, session_info
from server.store import blob_files
from server.store.models import Blob, DocumentTransfer, StoredEvent, utcnow

log = logging.getLogger(__name__)

BEIJING = dt.timezone(dt.timedelta(hours=8))
BATCH = 500
ISSUED = protocol.EventType.DOCUMENT_ISSUED.value
TOO_RECENT = "只能确认已结束的月份的移交（最晚为 {latest}）：请核对月份。"


@dataclass
class Carried:
    """The documents one archived month carries."""

    folder: Path
    count: int
    missing: list[str]


def carry(engine: Engine, table: str, month: dt.date, directory: Path, blob_dir: Path | None) -> Carried:
    """Write the PDFs the ``document.issued`` events of ``table`` (a detached month of ``events``) name into
    ``directory/documents-YYYY-MM/`` and mark their rows with the month.  A PDF the server no longer has (dropped
    earlier, a file lost) is listed in ``missing``.

    Raises:
        blob_files.BlobFileError: a file could not be written whole (the caller attaches the month again).
    """
    folder = directory / f"documents-{month:%Y-%m}"
    with engine.connect() as conn:
        payloads = conn.execute(
            text(f"SELECT payload FROM {table} WHERE event_type = :issued"), {"issued": ISSUED}
        ).scalars()
        named = sorted({sha for sha in (named_sha256(bytes(p)) for p in payloads) if sha is not None})
        conn.rollback()
    missing: list[str] = []
    with Session(engine, info=session_info(blob_dir)) as session:
        for sha256 in named:
            data = read_blob(session, sha256)
            if data is None:
                missing.append(sha256)
                continue
            blob_files.write_file(folder / f"{sha256}.pdf", sha256, data)
        session.rollback()
    absent = set(missing)
    carried = [sha for sha in named if sha not in absent]
    month_text = f"{month:%Y-%m}"
    with engine.begin() as conn:
        for start in range(0, len(carried), BATCH):
            conn.execute(
                update(Blob).where(Blob.sha256.in_(carried[start : start + BATCH])).values(archived_month=month_text)
            )
    return Carried(folder=folder, count=len(carried), missing=missing)


def move_out(engine: Engine, blob_dir: Path, *, batch: int = 100) -> int:
    """Move the bytes still kept in the table into the blob folder, ``batch`` at a time, each batch committed on its
    own (``admin documents-move``: while the instances serve, which read either place); how many were moved.  The
    same as migration 0009's move, for a store too large to move inside the migration's one transaction.  A row
    whose bytes do not match its SHA-256 keeps them and is logged."""
    last, moved = "", 0
    while True:
        with engine.begin() as conn:
            rows = conn.execute(
                select(Blob.sha256, Blob.data)
                .where(Blob.data.is_not(None), Blob.sha256 > last)
                .order_by(Blob.sha256)
                .limit(batch)
            ).all()
            if not rows:
                return moved
            done = []
            for sha256, held in rows:
                data = bytes(held or b"")
                if hashlib.sha256(data).hexdigest() != sha256:
                    log.error("blob %s… does not match its SHA-256: left in the table", sha256[:12])
                    continue
                blob_files.write(blob_dir, sha256, data)
                done.append(sha256)
            if done:
                conn.execute(update(Blob).where(Blob.sha256.in_(done), Blob.data.is_not(None)).values(data=None))
        moved += len(done)
        last = rows[-1].sha256


def confirm_transfer(session: Session, month: dt.date, reference: str, now: dt.datetime | None = None) -> bool:
    """Record that the archive confirmed the transfer of ``month``; False when it was already recorded.

    Raises:
        ServiceError: the month has not ended yet.
    """
    now = now or utcnow()
    latest = (now.astimezone(BEIJING).date().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    if month > latest:
        raise ServiceError(422, "too_recent", TOO_RECENT.format(latest=f"{latest:%Y-%m}"))
    stmt = (
        insert(session, DocumentTransfer.__table__)
        .values(month=f"{month:%Y-%m}", confirmed_at=now, reference=reference.strip()[:200])
        .on_conflict_do_nothing()
        .returning(DocumentTransfer.month)
    )
    return session.execute(stmt).first() is not None


def transfers(session: Session) -> list[DocumentTransfer]:
    return list(session.scalars(select(DocumentTransfer).order_by(DocumentTransfer.month)))


@dataclass
class Pruned:
    """What one run of the retention did (or, with ``dry_run``, would do)."""

    eligible: int
    kept_referenced: int
    dropped: int
    bytes: int


def prune(engine: Engine, *, blob_dir: Path | None, dry_run: bool = False, now: dt.datetime | None = None) -> Pruned:
    """Drop the bytes of every blob whose archive's month was transferred and that no event in ``events`` names.

    One scan of the stored ``document.issued`` events decides which blobs are still named (an anti-join on the
    SHA-256 their payload names); each batch is dropped in its own transaction, checked again against the events
    received since the scan began.  The files of the blob folder are deleted after their rows committed (a file
    without a live row is garbage; a row never points to nothing)."""
    started = now or utcnow()
    carried = and_(
        Blob.dropped_at.is_(None),
        Blob.archived_month.in_(select(DocumentTransfer.month)),
    )
    with engine.connect() as conn:
        eligible = int(conn.scalar(select(func.count()).select_from(Blob).where(carried)) or 0)
        unnamed = conn.execute(
            select(Blob.sha256, Blob.size, Blob.data.is_(None).label("in_file"))
            .where(carried, ~_named_by_event(conn.dialect.name))
            .order_by(Blob.sha256)
        ).all()
        conn.rollback()
    done = Pruned(eligible=eligible, kept_referenced=eligible - len(unnamed), dropped=0, bytes=0)
    if dry_run:
        done.dropped, done.bytes = len(unnamed), sum(row.size for row in unnamed)
        return done
    for start in range(0, len(unnamed), BATCH):
        batch = {row.sha256: row for row in unnamed[start : start + BATCH]}
        with engine.begin() as conn:
            dropped = (
                conn.execute(
                    update(Blob)
                    .where(
                        Blob.sha256.in_(list(batch)),
                        carried,
                        ~_named_by_event(conn.dialect.name, since=started),
                    )
                    .values(data=None, dropped_at=utcnow())
                    .returning(Blob.sha256)
                )
                .scalars()
                .all()
            )
        for sha256 in dropped:
            if batch[sha256].in_file and blob_dir is not None:
                blob_files.remove(blob_dir, sha256)
        done.dropped += len(dropped)
        done.bytes += sum(batch[sha].size for sha in dropped)
        done.kept_referenced += len(batch) - len(dropped)
    log.info("documents pruned: %d of %d eligible (%d bytes)", done.dropped, done.eligible, done.bytes)
    return done


def _named_by_event(dialect: str, since: dt.datetime | None = None) -> ColumnElement[bool]:
    """``EXISTS`` a stored ``document.issued`` event whose payload names the blob (received ``since``, when given)."""
    named: ColumnElement[Any]
    if dialect == "postgresql":
        named = literal_column("(convert_from(events.payload, 'UTF8')::jsonb -> 'body' ->> 'sha256')")
    else:
        named = func.json_extract(cast(StoredEvent.payload, Text), "$.body.sha256")
    query = select(StoredEvent.event_id).where(StoredEvent.event_type == ISSUED, named == Blob.sha256)
    if since is not None:
        query = query.where(StoredEvent.received_at >= since)
    return exists(query)


def describe(done: Pruned) -> str:
    """One JSON line for scripts: what the run found and dropped."""
    return json.dumps(dataclasses.asdict(done))
