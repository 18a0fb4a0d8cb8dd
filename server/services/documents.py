"""The issued documents' bytes (receipts, notices, forms), content-addressed by their SHA-256: the server holds the
very PDF the citizen was handed (docs/documents.md)."""

from __future__ import annotations

import hashlib

from sqlalchemy.orm import Session

from server.services.common import ServiceError, insert
from server.store.models import Blob, Device, utcnow


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
