"""The upload of the materials' files (电子材料, docs/sync-protocol.md "Attachments"), apart from the events.

Each file a saved case names and the server does not hold yet (``attachment_blobs.uploaded_at`` NULL) goes case
by case in chunks of :data:`CHUNK_BYTES`: the workstation first asks what the server holds (``received``) and goes
on from there, so a cut (the network, the server stopped, this process killed) costs at most the chunk in flight.
The server answers a chunk at the wrong offset with 409 (a chunk whose answer was lost, sent again): the
workstation asks again and goes on.  It keeps the bytes whole only when they match the SHA-256; a mismatch (422)
throws them away there, and the file starts again from 0, once per round.  When every case naming a file has it
on the server, ``uploaded_at`` is set, and the pruning may clear the local bytes after the retention
(app/pruning.py).  A file linked to a new case later is sent again for that case (the server answers at once: it
holds the bytes for the center).

Qt-free; run by the sync round after the push (app/sync/service.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import BaseModel
from sqlalchemy import exists, select, update

from app.errors import SyncRefusedError
from db.models import Attachment, AttachmentBlob, AttachmentData

if TYPE_CHECKING:
    from app.sync.client import SyncClient
    from db.engine import Database

log = logging.getLogger("yimen.sync.attachments")

#: One request's bytes.
CHUNK_BYTES = 1024 * 1024


class UploadState(BaseModel):
    """The server's answer: the bytes it holds of a case's file (``received``), and whether it holds it whole."""

    received: int
    size: int | None = None
    complete: bool


@dataclass
class UploadReport:
    files: int = 0
    bytes_sent: int = 0
    #: Files whose bytes the server refused as not matching their SHA-256 (sent again next round).
    refused: int = 0


@dataclass(frozen=True)
class _Pending:
    application_id: uuid.UUID
    sha256: str
    media_type: str
    size: int


def pending(db: Database) -> list[_Pending]:
    """The (case, file) pairs whose file the server has not confirmed, oldest first."""
    with db.read() as session:
        rows = session.execute(
            select(Attachment.application_id, AttachmentBlob.sha256, AttachmentBlob.media_type, AttachmentBlob.size)
            .join(AttachmentBlob, AttachmentBlob.sha256 == Attachment.sha256)
            .where(
                AttachmentBlob.uploaded_at.is_(None),
                exists().where(AttachmentData.sha256 == AttachmentBlob.sha256),
            )
            .order_by(AttachmentBlob.created_at, Attachment.application_id)
            .distinct()
        ).all()
    return [_Pending(r[0], r[1], r[2], r[3]) for r in rows]


def upload_pending(
    db: Database,
    client: SyncClient,
    clock: Callable[[], dt.datetime],
    *,
    chunk_bytes: int = CHUNK_BYTES,
) -> UploadReport:
    """Send every file the server does not hold yet (module docstring).

    Raises:
        SyncError: the server or the network failed; what was sent stays sent, the next round goes on from there.
    """
    report = UploadReport()
    todo = pending(db)
    done_by_file: dict[str, list[bool]] = {}
    for item in todo:
        done_by_file.setdefault(item.sha256, []).append(False)
    data_cache: dict[str, bytes] = {}
    for item in todo:
        data = data_cache.get(item.sha256)
        if data is None:
            data = _read(db, item.sha256)
            if data is None:
                continue
            data_cache.clear()  # one file in memory at a time
            data_cache[item.sha256] = data
        sent, complete = _upload_one(client, item, data, chunk_bytes)
        report.bytes_sent += sent
        if not complete:
            report.refused += 1
            continue
        flags = done_by_file[item.sha256]
        flags[flags.index(False)] = True
        if all(flags):
            with db.write() as session:
                session.execute(
                    update(AttachmentBlob)
                    .where(AttachmentBlob.sha256 == item.sha256, AttachmentBlob.uploaded_at.is_(None))
                    .values(uploaded_at=clock())
                )
            report.files += 1
    if report.files:
        log.info("material files uploaded: %d (%d bytes sent)", report.files, report.bytes_sent)
    return report


def _read(db: Database, sha256: str) -> bytes | None:
    with db.read() as session:
        data = session.scalar(select(AttachmentData.data).where(AttachmentData.sha256 == sha256))
    if data is None:
        return None
    data = bytes(data)
    if hashlib.sha256(data).hexdigest() != sha256:
        log.error("material file %s… does not match its SHA-256 locally: not sent", sha256[:12])
        return None
    return data


def _upload_one(client: SyncClient, item: _Pending, data: bytes, chunk_bytes: int) -> tuple[int, bool]:
    """Send one case's file from where the server stands; (bytes sent, whole on the server)."""
    sent = 0
    state = client.attachment_state(item.sha256, item.application_id)
    offset = state.received
    restarted = False
    while not state.complete:
        piece = data[offset : offset + chunk_bytes]
        try:
            state = client.put_attachment_chunk(
                item.sha256, item.application_id, size=item.size, media_type=item.media_type, offset=offset, data=piece
            )
        except SyncRefusedError as exc:
            if exc.status == 409:  # not where the server stands (an answer lost, another process): ask again
                state = client.attachment_state(item.sha256, item.application_id)
                if state.received == offset and not state.complete:  # not the offset: a size or type refused
                    log.error("material file %s… refused by the server (its size or type)", item.sha256[:12])
                    return sent, False
                offset = state.received
                continue
            if exc.status == 422 and not restarted:  # the server threw the bytes away: once more from 0
                restarted = True
                state = client.attachment_state(item.sha256, item.application_id)
                offset = state.received
                continue
            log.error("material file %s… refused by the server (HTTP %d)", item.sha256[:12], exc.status)
            return sent, False
        sent += len(piece)
        offset = state.received
    return sent, True
