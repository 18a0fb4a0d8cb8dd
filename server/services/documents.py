"""The issued documents' bytes (receipts, notices, forms), content-addressed by their SHA-256: the server holds the
very PDF the citizen was handed (docs/documents.md), and hands it back to a workstation of the same center for a
补打 after the workstation pruned its own copy (docs/sync-protocol.md "Documents read back")."""

from __future__ import annotations

import hashlib
import json
import re
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.sync import protocol
from server.services.common import ServiceError, insert
from server.store.models import Blob, Device, StoredEvent, utcnow

_SHA256 = re.compile(r"[0-9a-f]{64}")
#: One answer for everything that is not a document of the device's own center (no oracle: an unknown hash, a
#: malformed one, another center's document and a hash no event of that application names all read alike).
NO_DOCUMENT = "中心服务器上没有本中心的该文书（请核对后重试；如需补打，可联系信息员）。"


def store_blob(session: Session, device: Device, sha256: str, data: bytes) -> bool:
    """Keep an issued document's bytes, content-addressed; True when new."""
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ServiceError(422, "digest_mismatch", "文书内容与其 SHA-256 不符（传输中损坏），请重试。")
    stmt = (
        insert(session, Blob.__table__)
        .values(sha256=sha256, size=len(data), center_code=device.center_code, received_at=utcnow(), data=data)
        .on_conflict_do_nothing()
        .returning(Blob.sha256)
    )
    return session.execute(stmt).first() is not None


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
    """The stored bytes of ``sha256``; a 404 saying ``missing`` when there are none (or no hash was named)."""
    data = None if sha256 is None else session.scalar(select(Blob.data).where(Blob.sha256 == sha256))
    if data is None:
        raise ServiceError(404, "not_found", missing)
    return bytes(data)
