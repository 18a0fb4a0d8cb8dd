"""Materials' files (电子材料, issue 17; docs/sync-protocol.md "Attachments"): a device uploads each file of a case
in chunks, apart from the events, and resumes after a cut from what the server says it holds.

- :func:`status`: the bytes received of a case's file (the device goes on from there).
- :func:`put_chunk`: the chunk at ``offset`` (it must be the bytes received so far: anything else is refused with
  the count, so a chunk sent twice after a lost answer is never stored twice).  The declared size and type are the
  upload's for good (a second declaration that differs is refused); the case's files may total at most
  :data:`CASE_QUOTA_BYTES`.  When the bytes are whole they must match the SHA-256 (PostgreSQL hashes them where
  they lie): the chunks then are the file's bytes, kept as they came (not copied into ``blobs``: a second write of
  every byte would halve the upload's throughput, docs/performance.md); a mismatch throws them away and the
  upload starts again from 0 (committed, answered 422).
- Idempotent by hash: a file a device of the same center has already uploaded whole (for this case or another) is
  complete at once.  A device of another center uploads the bytes itself (it proves it holds them).
- :func:`own_attachment`: a device reads back a file of its own center's case; anything else answers the same 404.
  :func:`case_files` / :func:`operator_attachment`: the back office's view, limited to the centers granted.
"""

from __future__ import annotations

import hashlib
import logging
import re
import uuid
from typing import Any

from sqlalchemy import delete, exists, func, select, text
from sqlalchemy.orm import Session

from app.sync import protocol
from server.services import operators
from server.services.common import ServiceError, insert
from server.store.models import AttachmentChunk, AttachmentUpload, Device, Operator, ServerApplication, utcnow

log = logging.getLogger(__name__)

MEDIA_TYPES = ("image/jpeg", "image/png", "application/pdf")
#: The largest file (the workstation refuses larger ones first, app/attachments.py).
MAX_FILE_BYTES = protocol.ATTACHMENT_BYTES_MAX
#: The largest chunk a request may carry (the workstation sends 1 MiB).
MAX_CHUNK_BYTES = 8 * 1024 * 1024
#: All the files of one case together.
CASE_QUOTA_BYTES = 200 * 1024 * 1024

_SHA256 = re.compile(r"[0-9a-f]{64}")
NO_ATTACHMENT = "中心服务器上没有本中心该办件的这份材料文件（请核对后重试）。"
WRONG_DECLARATION = "材料文件的大小或类型与此前上传时声明的不符：请在本工位重新附加该材料。"
OVER_QUOTA = "该办件的材料文件合计超过上限（{limit} MB）：请减少或压缩附件后重试。"
WRONG_OFFSET = "续传位置不符（中心服务器已收到 {received} 字节）：将从该位置继续。"
TOO_LONG = "材料文件的字节数超过其声明的大小：请重新上传。"
MISMATCH = "材料文件内容与其 SHA-256 不符（传输中损坏），已丢弃，将重新上传。"
NOT_UPLOADED = "材料文件未上传（须先上传该办件的材料文件）"
BAD_REQUEST = "材料文件的上传参数不正确（SHA-256、大小或类型）。"


def held_files(session: Session, center: str, events: list[protocol.Event]) -> set[tuple[uuid.UUID, str]]:
    """The (case, SHA-256) pairs among the ``attachment.added`` events ``events`` whose file the server holds whole
    for that case, uploaded by a device of ``center``."""
    wanted = {(e.application_id, e.body.sha256) for e in events if isinstance(e.body, protocol.AttachmentAdded)}
    if not wanted:
        return set()
    rows = session.execute(
        select(AttachmentUpload.application_id, AttachmentUpload.sha256).where(
            AttachmentUpload.center_code == center,
            AttachmentUpload.application_id.in_({a for a, _ in wanted}),
            AttachmentUpload.sha256.in_({s for _, s in wanted}),
            AttachmentUpload.completed_at.is_not(None),
        )
    ).all()
    return {(r[0], r[1]) for r in rows} & wanted


def _application_id(application: str) -> uuid.UUID:
    try:
        return uuid.UUID(application)
    except ValueError:
        raise ServiceError(422, "bad_attachment", BAD_REQUEST) from None


def _answer(row: AttachmentUpload | None) -> dict[str, Any]:
    if row is None:
        return {"received": 0, "size": None, "complete": False}
    return {"received": row.received, "size": row.size, "complete": row.completed_at is not None}


def _row(session: Session, center: str, application_id: uuid.UUID, sha256: str, *, lock: bool) -> Any:
    query = select(AttachmentUpload).where(
        AttachmentUpload.center_code == center,
        AttachmentUpload.application_id == application_id,
        AttachmentUpload.sha256 == sha256,
    )
    return session.scalars(query.with_for_update() if lock else query).first()


def status(session: Session, device: Device, sha256: str, application: str) -> dict[str, Any]:
    """What the server holds of the file ``sha256`` of the case ``application`` (this device's center)."""
    if not _SHA256.fullmatch(sha256):
        raise ServiceError(422, "bad_attachment", BAD_REQUEST)
    return _answer(_row(session, device.center_code, _application_id(application), sha256, lock=False))


def put_chunk(
    session: Session,
    device: Device,
    *,
    sha256: str,
    application: str,
    size: int,
    media_type: str,
    offset: int,
    data: bytes,
) -> dict[str, Any]:
    """Store the chunk at ``offset`` (module docstring); the upload's state afterwards."""
    if not _SHA256.fullmatch(sha256) or media_type not in MEDIA_TYPES or not 0 < size <= MAX_FILE_BYTES:
        raise ServiceError(422, "bad_attachment", BAD_REQUEST)
    app_id = _application_id(application)
    center = device.center_code
    row = _row(session, center, app_id, sha256, lock=True)
    if row is None:
        used = session.scalar(
            select(func.coalesce(func.sum(AttachmentUpload.size), 0)).where(
                AttachmentUpload.center_code == center, AttachmentUpload.application_id == app_id
            )
        )
        if int(used or 0) + size > CASE_QUOTA_BYTES:
            raise ServiceError(413, "attachment_quota", OVER_QUOTA.format(limit=CASE_QUOTA_BYTES // (1024 * 1024)))
        held = session.scalar(
            select(AttachmentUpload.id)
            .where(
                AttachmentUpload.center_code == center,
                AttachmentUpload.sha256 == sha256,
                AttachmentUpload.completed_at.is_not(None),
            )
            .limit(1)
        )
        whole = held is not None and _holder(session, sha256) is not None
        session.execute(
            insert(session, AttachmentUpload.__table__)
            .values(
                center_code=center,
                application_id=app_id,
                sha256=sha256,
                media_type=media_type,
                size=size,
                received=size if whole else 0,
                device_id=device.id,
                started_at=utcnow(),
                completed_at=utcnow() if whole else None,
            )
            .on_conflict_do_nothing()
        )
        row = _row(session, center, app_id, sha256, lock=True)
        assert row is not None
    if row.size != size or row.media_type != media_type:
        raise ServiceError(409, "attachment_declared", WRONG_DECLARATION)
    if row.completed_at is not None:
        return _answer(row)  # idempotent: a chunk sent again after a lost answer, or a file already held
    if offset != row.received:
        raise ServiceError(409, "attachment_offset", WRONG_OFFSET.format(received=row.received))
    if not data or len(data) > MAX_CHUNK_BYTES or offset + len(data) > size:
        raise ServiceError(422, "attachment_too_long", TOO_LONG)
    session.add(AttachmentChunk(upload_id=row.id, offset=offset, data=data))
    row.received = offset + len(data)
    if row.received == size and not _complete(session, row):
        session.flush()
        return {**_answer(row), "refused": "digest_mismatch", "message": MISMATCH}
    session.flush()
    return _answer(row)


def _complete(session: Session, row: AttachmentUpload) -> bool:
    """The last chunk is in: the bytes must match the SHA-256 (module docstring).  False (and the chunks gone, the
    upload back at 0) when they do not."""
    if session.get_bind().dialect.name == "postgresql":  # hashed where the bytes lie: nothing crosses to Python
        digest = session.execute(
            text(
                "SELECT encode(sha256(string_agg(data, ''::bytea ORDER BY \"offset\")), 'hex'), sum(length(data)) "
                "FROM attachment_chunks WHERE upload_id = :id"
            ),
            {"id": row.id},
        ).one()
        matches = digest[0] == row.sha256 and int(digest[1]) == row.size
    else:
        chunks = session.scalars(
            select(AttachmentChunk.data).where(AttachmentChunk.upload_id == row.id).order_by(AttachmentChunk.offset)
        ).all()
        data = b"".join(bytes(c) for c in chunks)
        matches = len(data) == row.size and hashlib.sha256(data).hexdigest() == row.sha256
    if not matches:
        # Thrown away, and this transaction commits it (the caller answers 422): the next try starts from 0.
        session.execute(delete(AttachmentChunk).where(AttachmentChunk.upload_id == row.id))
        row.received = 0
        return False
    if _holder(session, row.sha256) is not None:
        # Another upload (another center's) holds the same bytes already: these proved it, they are not kept twice.
        session.execute(delete(AttachmentChunk).where(AttachmentChunk.upload_id == row.id))
    row.completed_at = utcnow()
    return True


def _holder(session: Session, sha256: str) -> int | None:
    """The completed upload whose chunks hold the bytes of ``sha256`` (the first one)."""
    held = exists().where(AttachmentChunk.upload_id == AttachmentUpload.id)
    return session.scalar(
        select(AttachmentUpload.id)
        .where(AttachmentUpload.sha256 == sha256, AttachmentUpload.completed_at.is_not(None), held)
        .order_by(AttachmentUpload.id)
        .limit(1)
    )


def file_bytes(session: Session, sha256: str) -> bytes | None:
    """The bytes of a file held whole (checked against its SHA-256 again); None when there are none."""
    holder = _holder(session, sha256)
    if holder is None:
        return None
    chunks = session.scalars(
        select(AttachmentChunk.data).where(AttachmentChunk.upload_id == holder).order_by(AttachmentChunk.offset)
    ).all()
    data = b"".join(bytes(c) for c in chunks)
    if hashlib.sha256(data).hexdigest() != sha256:
        log.error("material file %s… does not match its SHA-256 on the server", sha256[:12])
        return None
    return data


def own_attachment(session: Session, device: Device, sha256: str, application: str) -> bytes:
    """The bytes of a file uploaded whole for a case of the device's own center; anything else the same 404."""
    try:
        app_id = uuid.UUID(application)
    except ValueError:
        raise ServiceError(404, "not_found", NO_ATTACHMENT) from None
    if not _SHA256.fullmatch(sha256):
        raise ServiceError(404, "not_found", NO_ATTACHMENT)
    row = _row(session, device.center_code, app_id, sha256, lock=False)
    if row is None or row.completed_at is None:
        raise ServiceError(404, "not_found", NO_ATTACHMENT)
    return _data(session, sha256)


def _data(session: Session, sha256: str) -> bytes:
    data = file_bytes(session, sha256)
    if data is None:
        raise ServiceError(404, "not_found", NO_ATTACHMENT)
    return data


def _granted(session: Session, operator: Operator, acceptance_no: str) -> ServerApplication:
    app = session.scalars(select(ServerApplication).where(ServerApplication.acceptance_no == acceptance_no)).first()
    centers = operator.centers
    if app is None or (centers != operators.ALL_CENTERS and app.center_code not in centers.split(",")):
        raise ServiceError(404, "not_found", "没有该办件，或不在您被授权的中心。")
    return app


def case_files(session: Session, operator: Operator, acceptance_no: str) -> list[dict[str, Any]]:
    """The files of a case the server holds whole (a center the operator was granted)."""
    app = _granted(session, operator, acceptance_no)
    rows = session.scalars(
        select(AttachmentUpload)
        .where(
            AttachmentUpload.application_id == app.id,
            AttachmentUpload.center_code == app.center_code,
            AttachmentUpload.completed_at.is_not(None),
        )
        .order_by(AttachmentUpload.id)
    ).all()
    return [{"sha256": r.sha256, "media_type": r.media_type, "size": r.size} for r in rows]


def operator_attachment(session: Session, operator: Operator, acceptance_no: str, sha256: str) -> tuple[bytes, str]:
    """A file of a case, for the back office: (bytes, media type)."""
    app = _granted(session, operator, acceptance_no)
    row = _row(session, app.center_code, app.id, sha256, lock=False) if _SHA256.fullmatch(sha256) else None
    if row is None or row.completed_at is None:
        raise ServiceError(404, "not_found", NO_ATTACHMENT)
    return _data(session, sha256), row.media_type
