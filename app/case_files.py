"""A saved case's materials' files (电子材料) as the record view shows them (ui/records/files.py), read on the
database worker: each file of each checklist line with its type, pages and size, whether its bytes are on this
workstation, and what its thumbnail needs — a small PNG of an image made here (Pillow, off the GUI thread), a PDF's
bytes (its first page is drawn by the UI, QtPdf).

A file's bytes may be gone from this workstation while the case stays: pruned after the retention once the server
held them (``pruned_at``, app/pruning.py), or not fetched back when the store was rebuilt from the server
(app/sync/rebuild.py ``fetch_attachments``).  Both are said, never an error: the original is on the central server.

Qt-free.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import exists, select

from app.attachments import PDF, stored_bytes, thumbnail_png
from db.models import Attachment, AttachmentBlob, AttachmentData

if TYPE_CHECKING:
    from db.engine import Database

#: The thumbnails' long side in the record view, in pixels.
THUMB_SIDE = 64
#: A PDF larger than this gets no first-page thumbnail in the list (its icon says PDF): the list reads no more.
PDF_THUMB_MAX_BYTES = 8 * 1024 * 1024


class FileState(StrEnum):
    HERE = "here"
    #: Pruned after the retention: the server holds it (app/pruning.py prunes nothing else).
    PRUNED = "pruned"
    #: Not on this workstation for another reason (a rebuilt store that could not fetch it back).
    ABSENT = "absent"


@dataclass(frozen=True)
class CaseFile:
    """One file of one checklist line of a case."""

    material_key: str
    party_position: int | None
    position: int
    sha256: str
    media_type: str
    size: int
    pages: int
    state: FileState
    #: A PNG of an image at most :data:`THUMB_SIDE` on its long side (None: a PDF, or a file not here).
    thumbnail: bytes | None = None
    #: A PDF's bytes for its first page's thumbnail (None: an image, a file not here, or too large for the list).
    pdf: bytes | None = None

    @property
    def is_pdf(self) -> bool:
        return self.media_type == PDF


def case_files(db: Database, application_id: uuid.UUID, side: int = THUMB_SIDE) -> list[CaseFile]:
    """The case's files, line by line in the order attached (the material key, the party, the position)."""
    with db.read() as session:
        rows = session.execute(
            select(
                Attachment.material_key,
                Attachment.party_position,
                Attachment.position,
                Attachment.sha256,
                Attachment.media_type,
                Attachment.size,
                Attachment.pages,
                AttachmentBlob.pruned_at,
                exists().where(AttachmentData.sha256 == Attachment.sha256).label("here"),
            )
            .join(AttachmentBlob, AttachmentBlob.sha256 == Attachment.sha256)
            .where(Attachment.application_id == application_id)
            .order_by(Attachment.material_key, Attachment.party_position, Attachment.position)
        ).all()
    found: list[CaseFile] = []
    for row in rows:
        thumb: bytes | None = None
        pdf: bytes | None = None
        if not row.here:
            state = FileState.PRUNED if row.pruned_at is not None else FileState.ABSENT
        else:
            state = FileState.HERE
            if row.media_type != PDF:
                data = stored_bytes(db, row.sha256)
                thumb = _thumbnail(data, side) if data is not None else None
            elif row.size <= PDF_THUMB_MAX_BYTES:
                pdf = stored_bytes(db, row.sha256)
        found.append(
            CaseFile(
                material_key=row.material_key,
                party_position=row.party_position,
                position=row.position,
                sha256=row.sha256,
                media_type=row.media_type,
                size=row.size,
                pages=row.pages,
                state=state,
                thumbnail=thumb,
                pdf=pdf,
            )
        )
    return found


def _thumbnail(data: bytes, side: int) -> bytes | None:
    try:
        return thumbnail_png(data, side)
    except (OSError, ValueError, SyntaxError):  # a damaged image: the list shows its type, the full view says so
        return None
