"""The issued documents' bytes (receipts, notices, forms), content-addressed by their SHA-256: the server holds the
very PDF the citizen was handed (docs/documents.md), and hands it back to a workstation of the same center for a
补打 after the workstation pruned its own copy (docs/sync-protocol.md "Documents read back").

Every write and every read of the bytes goes through :func:`store_blob` and :func:`blob_data`: the row of ``blobs``
always exists (SHA-256, size, center, when received), and the bytes are in its ``data`` or, with a blob folder
(``YIMEN_SERVER_BLOB_DIR``), a file of that folder written and fsynced before the row commits, so a row never
points to nothing (docs/operations.md "Documents' bytes").  The folder reaches the services as the session's
``info[BLOB_DIR]`` (:func:`session_info`)."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.sync import protocol
from server.services.common import ServiceError, insert
from server.store import blob_files
from server.store.models import Blob, Device, StoredEvent, utcnow

log = logging.getLogger(__name__)

_SHA256 = re.compile(r"[0-9a-f]{64}")
#: One answer for everything that is not a document of the device's own center (no oracle: an unknown hash, a
#: malformed one, another center's document and a hash no event of that application names all read alike).
NO_DOCUMENT = "中心服务器上没有本中心的该文书（请核对后重试；如需补打，可联系信息员）。"
#: The key of ``Session.info`` that holds the blob folder (None: the bytes stay in the table).
BLOB_DIR = "yimen_blob_dir"
NOT_WRITTEN = "中心服务器暂时无法保存文书文件（存储不可写或已满），请稍后重试；如持续出现，请联系信息员。"


def session_info(blob_dir: Path | None) -> dict[str, Any]:
    """``info`` for a sessionmaker whose sessions store and read documents with ``blob_dir``."""
    return {BLOB_DIR: blob_dir}


def blob_dir(session: Session) -> Path | None:
    """The blob folder the session's documents go to (None: the table)."""
    root = session.info.get(BLOB_DIR)
    return Path(root) if root else None


def store_blob(session: Session, device: Device, sha256: str, data: bytes) -> bool:
    """Keep an issued document's bytes, content-addressed; True when new.  With a blob folder the file is written
    whole (temp, fsync, rename, read back) before the row is inserted: the same PDF from two devices is one file
    and one row."""
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ServiceError(422, "digest_mismatch", "文书内容与其 SHA-256 不符（传输中损坏），请重试。")
    root = blob_dir(session)
    if root is not None:
        try:  # a good file already there is kept (read and checked); a damaged one is replaced
            blob_files.write(root, sha256, data)
        except blob_files.BlobFileError as exc:
            log.error("document not stored: %s", exc)
            raise ServiceError(503, "storage_unavailable", NOT_WRITTEN) from None
    stmt = (
        insert(session, Blob.__table__)
        .values(
            sha256=sha256,
            size=len(data),
            center_code=device.center_code,
            received_at=utcnow(),
            data=None if root is not None else data,
        )
        .on_conflict_do_nothing()
        .returning(Blob.sha256)
    )
    if session.execute(stmt).first() is not None:
        return True
    # The bytes the retention dropped come back when a device sends them again.
    restored = session.execute(
        update(Blob)
        .where(Blob.sha256 == sha256, Blob.dropped_at.is_not(None))
        .values(data=None if root is not None else data, dropped_at=None)
        .returning(Blob.sha256)
    ).first()
    return restored is not None


def named_sha256(payload: bytes) -> str | None:
    """The SHA-256 a stored ``document.issued`` event's bytes name (None when they name none)."""
    try:
        value = json.loads(payload)["body"]["sha256"]
    except (ValueError, KeyError, TypeError):
        return None
    return value if isinstance(value, str) else None


def own_document(session: Session, device: Device, sha256: str, application: str) -> bytes:
    """The PDF ``sha256`` when a ``document.issued`` event of the device's own center, about ``application``, names
    it.  Who uploaded the bytes first does not matter (blobs are content-addressed and two centers could upload the
    same bytes): the center's own document record does.  Anything else answers the same 404."""
    try:
        application_id = uuid.UUID(application)
    except ValueError:
        raise ServiceError(404, "not_found", NO_DOCUMENT) from None
    if not _SHA256.fullmatch(sha256):
        raise ServiceError(404, "not_found", NO_DOCUMENT)
    payloads = session.scalars(
        select(StoredEvent.payload).where(
            StoredEvent.application_id == application_id,
            StoredEvent.center_code == device.center_code,
            StoredEvent.event_type == protocol.EventType.DOCUMENT_ISSUED.value,
        )
    ).all()
    if not any(named_sha256(bytes(payload)) == sha256 for payload in payloads):
        raise ServiceError(404, "not_found", NO_DOCUMENT)
    return blob_data(session, sha256, NO_DOCUMENT)


def blob_data(session: Session, sha256: str | None, missing: str) -> bytes:
    """The stored bytes of ``sha256`` (from the table or the blob folder, checked against the SHA-256); a 404
    saying ``missing`` when there are none: no hash named, no row, bytes dropped by the retention, a file missing
    or damaged (logged)."""
    data = None if sha256 is None else read_blob(session, sha256)
    if data is None:
        raise ServiceError(404, "not_found", missing)
    return data


def read_blob(session: Session, sha256: str) -> bytes | None:
    """The bytes of ``sha256`` wherever they are kept; None when there are none."""
    row = session.execute(select(Blob.data, Blob.dropped_at).where(Blob.sha256 == sha256)).first()
    if row is None or row.dropped_at is not None:
        return None
    if row.data is not None:
        return bytes(row.data)
    root = blob_dir(session)
    if root is None:
        log.error("document %s… is in the blob folder, and YIMEN_SERVER_BLOB_DIR is not set", sha256[:12])
        return None
    try:
        data = blob_files.read(root, sha256)
    except OSError as exc:
        log.error("document %s… cannot be read from the blob folder: %s", sha256[:12], exc.strerror)
        return None
    if data is None:
        log.error("document %s… is missing from the blob folder", sha256[:12])
    return data
