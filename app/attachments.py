"""Materials' files (电子材料, issue 17; docs/devices.md "Materials"): scans and PDFs attached to a case's checklist
lines, kept inside the encrypted store (``attachment_blobs``, addressed by SHA-256, so the store's key encrypts
them like every other row).

- :meth:`AttachmentStore.add` takes a file's bytes: the type is read from the content (JPEG, PNG or PDF; the name
  is never trusted), the size is checked, an image is decoded whole (a damaged file is refused), turned upright
  by its EXIF orientation and downscaled to :attr:`AttachmentLimits.max_side` pixels on its long side (Pillow, no
  Qt), a PDF is parsed and its pages counted.  The result is stored once per distinct SHA-256.
- :meth:`rotate` and :meth:`delete_page` make a new file (a new SHA-256) from a stored one before the case is saved;
  the draft then names the new one.  The old one, named by no case, goes with the orphans.
- :func:`link` (called by the decision's save, app/intake/service.py) writes a case's ``attachments`` rows from
  the SHA-256 lists its draft's material lines carry.
- :func:`remove_orphans`: files no case names, older than :data:`ORPHAN_AGE` (a draft abandoned), are deleted by
  the housekeeping (app/pruning.py).  The bytes of a named file are pruned after the retention only once the
  server confirmed it holds them (``uploaded_at``, app/pruning.py).

Qt-free.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, exists, select, update
from sqlalchemy.orm import Session

from app.errors import ValidationError
from app.i18n import msg
from app.sync import protocol
from db.models import Application, Attachment, AttachmentBlob, AttachmentData

if TYPE_CHECKING:
    from app.changes import ChangeWriter
    from db.engine import Database

JPEG, PNG, PDF = "image/jpeg", "image/png", "application/pdf"
MEDIA_TYPES = (JPEG, PNG, PDF)
#: A file no case names is deleted this long after it was attached (a draft abandoned, a page rotated).
ORPHAN_AGE = dt.timedelta(days=1)
#: The key of ``Session.info`` that holds the rows :func:`link` wrote, for :func:`queue_added`.
_LINKED = "yimen_attachments_linked"
#: Small decoded copies of the latest images kept for their thumbnails (~0.4 MB each for an A4 scan).
SMALL_KEPT = 32
#: Decoded pixels above which an image is refused before it is decoded (a decompression bomb, a wrong scan mode).
MAX_PIXELS = 120_000_000

WRONG_TYPE = msg("attachments", "只能附加 JPEG、PNG 图片或 PDF 文件：请在扫描软件中另存为这几种格式后再附加。")
TOO_LARGE = msg("attachments", "文件过大（{size} MB，上限 {limit} MB）：请降低扫描分辨率或分成几个文件后再附加。")
UNREADABLE = msg("attachments", "文件无法读取（已损坏或不完整）：请重新扫描或重新导出后再附加。")
TOO_MANY_PIXELS = msg("attachments", "图片像素过多：请降低扫描分辨率后再附加。")
NOT_FOUND = msg("attachments", "附件已不在本机（可能已被清理）：请重新附加该材料。")
LAST_PAGE = msg("attachments", "不能删除唯一的一页：如不需要该文件，请删除整个附件。")


@dataclass(frozen=True)
class AttachmentLimits:
    """What a file may be (docs/devices.md "Materials")."""

    #: The largest file taken, in bytes (after downscaling an image, the stored size counts).
    max_bytes: int = 20 * 1024 * 1024
    #: An image's long side, in pixels, after downscaling (A4 at 300 dpi: 3508).
    max_side: int = 3508
    #: The JPEG quality of a downscaled or rotated photo.
    jpeg_quality: int = 85


@dataclass(frozen=True)
class StoredFile:
    """A file kept in the store, as the draft names it."""

    sha256: str
    media_type: str
    size: int
    pages: int


def sniff(data: bytes) -> str | None:
    """The media type the content says (JPEG, PNG or PDF), None for anything else."""
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    # A PDF may have a few bytes before its header (PDF 32000-1 §7.5.2 tolerates them in practice).
    if b"%PDF-" in data[:1024]:
        return PDF
    return None


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}"


def prepare(data: bytes, limits: AttachmentLimits | None = None) -> tuple[bytes, str, int]:
    """The bytes to keep for a file, its media type and its pages.

    Raises:
        ValidationError: a wrong type, a file too large, an unreadable file (the Chinese messages above).
    """
    kept, kind, pages, _small = _prepare(data, limits or AttachmentLimits())
    return kept, kind, pages


def _prepare(data: bytes, limits: AttachmentLimits) -> tuple[bytes, str, int, Any]:
    """:func:`prepare`, with an image's small decoded copy (None for a PDF): the thumbnail is made from it."""
    kind = sniff(data)
    if kind is None:
        raise ValidationError(WRONG_TYPE, field="attachment")
    if kind == PDF:
        if len(data) > limits.max_bytes:
            raise ValidationError(TOO_LARGE.bind(size=_mb(len(data)), limit=_mb(limits.max_bytes)), field="attachment")
        return data, kind, pdf_pages(data), None
    out, small = _image(data, kind, limits)
    if len(out) > limits.max_bytes:
        raise ValidationError(TOO_LARGE.bind(size=_mb(len(out)), limit=_mb(limits.max_bytes)), field="attachment")
    return out, kind, 1, small


def pdf_pages(data: bytes) -> int:
    """A PDF's page count; ValidationError (unreadable) when it cannot be parsed or has no page."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        count = len(PdfReader(io.BytesIO(data), strict=False).pages)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError, RecursionError):
        raise ValidationError(UNREADABLE, field="attachment") from None
    if count < 1:
        raise ValidationError(UNREADABLE, field="attachment")
    return count


def _open_image(data: bytes) -> Any:
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        if image.width * image.height > MAX_PIXELS:
            raise ValidationError(TOO_MANY_PIXELS, field="attachment")
        image.load()
        upright = ImageOps.exif_transpose(image)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(UNREADABLE, field="attachment") from None
    return upright if upright is not None else image


def _encode(image: Any, kind: str, limits: AttachmentLimits) -> bytes:
    out = io.BytesIO()
    if kind == JPEG:
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=limits.jpeg_quality, optimize=True)
    else:
        image.save(out, "PNG", optimize=False, compress_level=6)
    return out.getvalue()


def _image(data: bytes, kind: str, limits: AttachmentLimits) -> tuple[bytes, Any]:
    """The bytes to keep and a small decoded copy (a JPEG at 1/8 of its size: what a thumbnail needs)."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        image: Any = Image.open(io.BytesIO(data))
        if image.width * image.height > MAX_PIXELS:
            raise ValidationError(TOO_MANY_PIXELS, field="attachment")
        turned = image.getexif().get(0x0112, 1) not in (None, 1)  # read before the EXIF is dropped by a turn
        if max(image.size) <= limits.max_side and not turned:
            if len(data) > limits.max_bytes:
                raise ValidationError(
                    TOO_LARGE.bind(size=_mb(len(data)), limit=_mb(limits.max_bytes)), field="attachment"
                )
            # Kept byte for byte; decoded only to prove it decodes.  A JPEG at 1/8 of its size (its DCT scaling):
            # every byte of it is still read, so a file cut short or damaged is found, in a fraction of the time.
            if kind == JPEG:
                image.draft(image.mode, (max(1, image.width // 8), max(1, image.height // 8)))
            image.load()
            return data, image
        image.load()
        image = ImageOps.exif_transpose(image) or image
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(UNREADABLE, field="attachment") from None
    if max(image.size) > limits.max_side:
        image.thumbnail((limits.max_side, limits.max_side), Image.Resampling.LANCZOS)
    return _encode(image, kind, limits), image


def rotated(data: bytes, media_type: str, degrees: int, limits: AttachmentLimits, page: int | None = None) -> bytes:
    """The file turned clockwise by ``degrees`` (a multiple of 90): an image re-encoded, a PDF's pages (or page
    ``page``, 0-based) given a /Rotate."""
    if degrees % 90:
        raise ValueError(f"rotation by {degrees}°")
    if media_type == PDF:
        from pypdf import PdfReader, PdfWriter

        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
        for index, each in enumerate(writer.pages):
            if page is None or index == page:
                each.rotate(degrees % 360)
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()
    image = _open_image(data)
    # PIL rotates counter-clockwise.
    return _encode(image.rotate(-(degrees % 360), expand=True), media_type, limits)


def without_page(data: bytes, page: int) -> bytes:
    """A PDF without its page ``page`` (0-based)."""
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(io.BytesIO(data))
    if len(reader.pages) <= 1:
        raise ValidationError(LAST_PAGE, field="attachment")
    writer = PdfWriter()
    for index, each in enumerate(reader.pages):
        if index != page:
            writer.add_page(each)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def stored_bytes(db: Database, sha256: str) -> bytes | None:
    """A file's bytes, None when they are not (or no longer) on this workstation (pruned, or never fetched back)."""
    with db.read() as session:
        data = session.scalar(select(AttachmentData.data).where(AttachmentData.sha256 == sha256))
    return None if data is None else bytes(data)


def thumbnail_png(data: bytes | Any, side: int = 160) -> bytes:
    """A PNG of an image (its bytes, or a decoded Pillow image) at most ``side`` pixels on its long side (a PDF's
    first page is drawn by the UI, QtPdf)."""
    from PIL import Image

    if isinstance(data, bytes):
        image: Any = Image.open(io.BytesIO(data))
        image.draft("RGB", (side, side))  # a JPEG is decoded at 1/2 … 1/8 of its size: fast for a big scan
    else:
        image = data.copy()
    image = image.convert("RGB")
    image.thumbnail((side, side), Image.Resampling.BILINEAR)
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=1)
    return out.getvalue()


class AttachmentStore:
    """The store's files: add, read, rotate, delete a page (module docstring)."""

    def __init__(self, db: Database, limits: AttachmentLimits | None = None, clock: Any = None) -> None:
        self.db = db
        self.limits = limits or AttachmentLimits()
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
        #: The small decoded copies of the images added lately (their thumbnails), at most SMALL_KEPT.
        self._small: dict[str, Any] = {}

    def add(self, data: bytes) -> StoredFile:
        """Check, prepare and keep a file (the same bytes twice are kept once).

        Raises:
            ValidationError: a wrong type, a file too large, an unreadable file.
        """
        kept, media_type, pages, small = _prepare(data, self.limits)
        stored = self._keep(kept, media_type, pages)
        if small is not None:  # the thumbnail comes from the decode that checked the file, not a second one
            self._small[stored.sha256] = small
            while len(self._small) > SMALL_KEPT:
                self._small.pop(next(iter(self._small)))
        return stored

    def thumbnail(self, sha256: str, side: int = 160) -> bytes:
        """A PNG of a stored image at most ``side`` pixels on its long side."""
        small = self._small.get(sha256)
        if small is not None and max(small.size) >= side:
            return thumbnail_png(small, side)
        return thumbnail_png(self.read(sha256), side)

    def _keep(self, data: bytes, media_type: str, pages: int) -> StoredFile:
        sha = hashlib.sha256(data).hexdigest()
        now = self.clock()
        with self.db.write() as session:
            row = session.get(AttachmentBlob, sha)
            if row is None:
                session.add(
                    AttachmentBlob(sha256=sha, media_type=media_type, size=len(data), pages=pages, created_at=now)
                )
                session.flush()
                session.add(AttachmentData(sha256=sha, data=data))
            else:
                # Attached again: a fresh start for the orphans' clock; the bytes come back if they were pruned.
                row.created_at = now
                if session.get(AttachmentData, sha) is None:
                    session.add(AttachmentData(sha256=sha, data=data))
                    row.pruned_at = None
        return StoredFile(sha, media_type, len(data), pages)

    def info(self, sha256: str) -> StoredFile:
        with self.db.read() as session:
            row = session.execute(
                select(AttachmentBlob.media_type, AttachmentBlob.size, AttachmentBlob.pages).where(
                    AttachmentBlob.sha256 == sha256
                )
            ).first()
        if row is None:
            raise ValidationError(NOT_FOUND, field="attachment")
        return StoredFile(sha256, row.media_type, row.size, row.pages)

    def read(self, sha256: str) -> bytes:
        """The file's bytes; ValidationError when they are not (or no longer) here."""
        data = stored_bytes(self.db, sha256)
        if data is None:
            raise ValidationError(NOT_FOUND, field="attachment")
        return data

    def rotate(self, sha256: str, degrees: int, page: int | None = None) -> StoredFile:
        """A new file: the stored one turned clockwise by ``degrees``."""
        current = self.info(sha256)
        data = rotated(self.read(sha256), current.media_type, degrees, self.limits, page)
        return self._keep(data, current.media_type, current.pages)

    def delete_page(self, sha256: str, page: int) -> StoredFile:
        """A new file: the stored PDF without page ``page`` (0-based).  An image has one page: the draft drops the
        whole file instead."""
        current = self.info(sha256)
        if current.media_type != PDF:
            raise ValidationError(LAST_PAGE, field="attachment")
        return self._keep(without_page(self.read(sha256), page), PDF, current.pages - 1)

    def for_case(self, application_id: uuid.UUID) -> list[Attachment]:
        """A case's attachment rows, line by line in the order attached."""
        with self.db.read() as session:
            rows = session.scalars(
                select(Attachment)
                .where(Attachment.application_id == application_id)
                .order_by(Attachment.material_key, Attachment.party_position, Attachment.position)
            ).all()
            session.expunge_all()
        return list(rows)


@dataclass(frozen=True)
class LineFiles:
    """The files a checklist line names at the decision's save."""

    material_key: str
    party_position: int | None
    sha256s: Sequence[str]


def link(
    session: Session,
    application_id: uuid.UUID,
    lines: Iterable[LineFiles],
    user_id: uuid.UUID | None,
    now: dt.datetime,
) -> list[Attachment]:
    """Write the case's attachment rows (inside the decision's transaction).

    Raises:
        ValidationError: a file the draft names is not in the store (removed meanwhile).
    """
    wanted = {sha for line in lines for sha in line.sha256s}
    if not wanted:
        return []
    blobs = {
        row.sha256: row
        for row in session.execute(
            select(AttachmentBlob.sha256, AttachmentBlob.media_type, AttachmentBlob.size, AttachmentBlob.pages).where(
                AttachmentBlob.sha256.in_(wanted), exists().where(AttachmentData.sha256 == AttachmentBlob.sha256)
            )
        )
    }
    # A file the server holds for another case is sent for this one too (app/sync/attachments.py).
    session.execute(
        update(AttachmentBlob)
        .where(AttachmentBlob.sha256.in_(wanted), AttachmentBlob.uploaded_at.is_not(None))
        .values(uploaded_at=None)
    )
    made: list[Attachment] = []
    for line in lines:
        for position, sha in enumerate(dict.fromkeys(line.sha256s)):
            blob = blobs.get(sha)
            if blob is None:
                raise ValidationError(NOT_FOUND, field="materials", material_key=line.material_key)
            row = Attachment(
                id=uuid.uuid4(),
                application_id=application_id,
                material_key=line.material_key,
                party_position=line.party_position,
                position=position,
                sha256=sha,
                media_type=blob.media_type,
                size=blob.size,
                pages=blob.pages,
                created_at=now,
                created_by=user_id,
            )
            session.add(row)
            made.append(row)
    session.info.setdefault(_LINKED, []).extend(made)
    return made


def queue_added(
    session: Session, writer: ChangeWriter, application: Application, *, user_id: uuid.UUID | None, at: dt.datetime
) -> int:
    """Queue one ``attachment.added`` event per file :func:`link` wrote for ``application`` in this transaction
    (after the case's taken event: the server knows the case first); how many."""
    linked = [row for row in session.info.pop(_LINKED, []) if row.application_id == application.id]
    for row in linked:
        body = protocol.AttachmentAdded(
            acceptance_no=application.acceptance_no,
            attachment_id=row.id,
            material_key=row.material_key,
            party_position=row.party_position,
            position=row.position,
            sha256=row.sha256,
            size=row.size,
            media_type=row.media_type,
            pages=row.pages,
        )
        writer.write(
            session,
            application,
            body,
            action="attachment.added",
            user_id=user_id,
            at=at,
            details={"material_key": row.material_key, "sha256": row.sha256, "size": row.size},
        )
    return len(linked)


def remove_orphans(db: Database, now: dt.datetime, *, dry_run: bool = False) -> tuple[int, int]:
    """Delete the files no case names that were attached more than :data:`ORPHAN_AGE` ago; (count, bytes)."""
    cutoff = now - ORPHAN_AGE
    orphan = (AttachmentBlob.created_at < cutoff) & ~exists().where(Attachment.sha256 == AttachmentBlob.sha256)
    with db.read() as session:
        rows = session.execute(select(AttachmentBlob.sha256, AttachmentBlob.size).where(orphan)).all()
    if dry_run or not rows:
        return len(rows), sum(r.size for r in rows)
    with db.write() as session:
        shas = [r.sha256 for r in rows]
        session.execute(
            delete(AttachmentData).where(
                AttachmentData.sha256.in_(
                    select(AttachmentBlob.sha256).where(AttachmentBlob.sha256.in_(shas), orphan).scalar_subquery()
                )
            )
        )
        gone = session.execute(
            delete(AttachmentBlob)
            .where(AttachmentBlob.sha256.in_([r.sha256 for r in rows]), orphan)
            .returning(AttachmentBlob.size)
        ).all()
    return len(gone), sum(int(r[0]) for r in gone)
