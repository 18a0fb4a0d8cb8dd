"""The citizens' signatures taken on the counter's pad (issue 17): stored with the case, synced, printed.

A signature is the pad's vector strokes (points with their time and pressure) and the PNG drawn from them, kept in
the ``signatures`` table with the PNG's SHA-256 (client migration 0016).  It is bound to the case's content at the
moment of signing: :func:`app.security.audit.content_digest` of the form values and parties, so a later 更正 shows
that the signature predates it (the digests differ; :attr:`SignatureView.predates_change`).  Whether a 更正 asks
for a new signature is the item's catalog flag ``resign_after_correction``; which signers an item wants, its
``signatures`` (the applicant by default).

The signatures of a new case are taken before its decision (the documents drawn after the decision print them) and
stored in the decision's own transaction (:func:`store_new`, called by ``IntakeService.decide``); a signature taken
later (signed again after a 更正, or redone) is one transaction of its own (:meth:`SignatureService.record`).  A
redone signature supersedes the current one of the same signer (``superseded_at``); nothing is deleted.  Every
signature is a ``signature.recorded`` event (strokes and the PNG, base64, with its SHA-256) and an audit event
through :class:`app.changes.ChangeWriter`; the audit details name the signer and the PNG's hash, never the image.
Qt-free: the pad (ui/intake/signature.py) draws the PNG.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import limits
from app.catalog.schema import ServiceItem
from app.changes import ChangeWriter
from app.config import Deployment
from app.domain import Decision
from app.errors import NotFoundError, ValidationError
from app.i18n import msg
from app.intake import numbering
from app.security import audit
from app.security.accounts import SessionUser
from app.security.permissions import Permission, require
from app.sync import protocol
from db.engine import Database
from db.models import Application, Signature, User
from db.types import utcnow

if TYPE_CHECKING:
    from app.intake.model import ApplicationDraft

#: Who may sign, in the order the pad asks (the catalog's ``signatures`` names a subset).
SIGNERS = ("applicant", "spouse", "agent", "guardian")
#: Who signs a 签收 line (the receipt's, a notice's: "申请人（或代理人）签收"): an agent who came for the applicant,
#: else the applicant, else a guardian signing for a ward.
RECEIPT_SIGNERS = ("agent", "applicant", "guardian")

#: [[[x, y, t_ms, pressure], ...], ...]
Strokes = Sequence[Sequence[tuple[float, float, int, float]]]


@dataclass(frozen=True)
class SignatureCapture:
    """What the pad gives: the signer (and the party's position on the case), the strokes and the PNG."""

    signer: str
    party_position: int | None
    strokes: tuple[tuple[tuple[float, float, int, float], ...], ...]
    png: bytes
    signed_at: dt.datetime

    @property
    def png_sha256(self) -> str:
        return hashlib.sha256(self.png).hexdigest()


@dataclass(frozen=True)
class SignatureView:
    """A signature on record, as the documents and the record view need it."""

    id: uuid.UUID
    signer: str
    party_position: int | None
    png: bytes | None  # None once pruned (the hash stays)
    png_sha256: str
    signed_at: dt.datetime
    superseded: bool = False
    #: The case's content changed since the signature was taken (a 更正 after it).
    predates_change: bool = False


@dataclass(frozen=True)
class Signer:
    """One signature a case asks for: the role, the party's position in the draft and its name (for the pad)."""

    signer: str
    party_position: int
    name: str


def needed_signers(item: ServiceItem, draft: ApplicationDraft, decision: Decision = Decision.ACCEPT) -> list[Signer]:
    """Who signs this case on the pad, in the catalog's order: each role of the item's ``signatures`` that a party
    of the draft takes (the first such party; an agent only when one came).

    A decision that accepts prints the receipt's 签收 line and the form's signature lines: all of them sign. A
    补正 or 不予受理 prints a notice whose only line is its 签收 (documents.md §2: the applicant signs the 补正告知书
    and its list): the one of them who signs for receipt (:data:`RECEIPT_SIGNERS`), nobody else."""
    wanted: list[Signer] = []
    for role in item.signatures:
        position = next((i for i, p in enumerate(draft.parties) if p.role == role), None)
        if position is not None:
            wanted.append(Signer(role.value, position, draft.parties[position].name.strip()))
    if decision.accepts:
        return wanted
    receiving = next((role for role in RECEIPT_SIGNERS if any(w.signer == role for w in wanted)), None)
    return [w for w in wanted if w.signer == receiving][:1]


def check_capture(capture: SignatureCapture) -> None:
    """Refuse what cannot be stored or sent (an empty pad, a PNG or strokes beyond the protocol's bounds).

    Raises:
        ValidationError: the sentence for the clerk.
    """
    points = sum(len(stroke) for stroke in capture.strokes)
    if capture.signer not in SIGNERS:
        raise ValidationError(msg("signatures", "签名人身份无效，请重新签名。"))
    if not capture.strokes or points == 0:
        raise ValidationError(msg("signatures", "签名板上没有笔迹，请签名后再确认。"))
    too_big = (
        len(capture.png) > limits.SIGNATURE_PNG_BYTES_MAX
        or len(capture.strokes) > limits.SIGNATURE_STROKES_MAX
        or points > limits.SIGNATURE_POINTS_MAX
    )
    if too_big:
        raise ValidationError(msg("signatures", "签名笔迹过多，请清除后重新签名。"))
    if not capture.png.startswith(protocol.PNG_MAGIC):
        raise ValidationError(msg("signatures", "签名图像无效，请清除后重新签名。"))


def _strokes_json(strokes: Strokes) -> list[list[list[float | int]]]:
    return [[[float(x), float(y), int(t), float(p)] for x, y, t, p in stroke] for stroke in strokes]


def store(
    session: Session,
    writer: ChangeWriter,
    application: Application,
    capture: SignatureCapture,
    *,
    user_id: uuid.UUID | None,
    clerk_username: str,
    at: dt.datetime,
    earlier: Sequence[Signature] | None = None,
) -> Signature:
    """Store one signature of ``application`` in the caller's transaction: supersede the current one of the same
    signer, add the row bound to the case's content digest now, queue its event and audit it.  ``earlier``: the
    case's signatures when the caller knows them (a new case: the ones stored just before), else they are read."""
    check_capture(capture)
    current = [
        row
        for row in (
            session.scalars(select(Signature).where(Signature.application_id == application.id)).all()
            if earlier is None
            else earlier
        )
        if row.signer == capture.signer and row.superseded_at is None
    ]
    replaced = [row for row in current if row.party_position == capture.party_position]
    for row in replaced:
        row.superseded_at = at
    strokes = _strokes_json(capture.strokes)
    row = Signature(
        id=uuid.uuid4(),
        application_id=application.id,
        signer=capture.signer,
        party_position=capture.party_position,
        strokes=strokes,
        png=capture.png,
        png_sha256=capture.png_sha256,
        content_digest=audit.content_digest(session, application),
        signed_at=capture.signed_at,
        taken_by=user_id,
    )
    session.add(row)
    body = protocol.SignatureRecorded(
        acceptance_no=application.acceptance_no,
        signature_id=row.id,
        signer=capture.signer,  # checked against SIGNERS above
        party_position=capture.party_position,
        signed_at=capture.signed_at,
        strokes=strokes,
        png=base64.b64encode(capture.png),  # Base64Bytes: validated as base64, held as the bytes
        png_sha256=row.png_sha256,
        supersedes=replaced[-1].id if replaced else None,
        clerk_username=clerk_username,
    )
    writer.write(
        session,
        application,
        body,
        action="signature.recorded",
        user_id=user_id,
        at=at,
        details={
            "signature": str(row.id),
            "signer": capture.signer,
            "png_sha256": row.png_sha256,
            **({"supersedes": str(replaced[-1].id)} if replaced else {}),
        },
    )
    return row


def store_new(
    session: Session,
    writer: ChangeWriter,
    application: Application,
    captures: Iterable[SignatureCapture],
    *,
    user_id: uuid.UUID | None,
    clerk_username: str,
    at: dt.datetime,
) -> tuple[SignatureView, ...]:
    """The signatures taken before a new case's decision, stored in its transaction after its taken event (the
    server knows the case before its signatures).  Returns them for the documents, without a read."""
    rows: list[Signature] = []
    for capture in captures:
        rows.append(
            store(
                session,
                writer,
                application,
                capture,
                user_id=user_id,
                clerk_username=clerk_username,
                at=at,
                earlier=list(rows),
            )
        )
    return tuple(_view(row, row.content_digest) for row in rows if row.superseded_at is None)


def _view(row: Signature, digest_now: str | None) -> SignatureView:
    return SignatureView(
        id=row.id,
        signer=row.signer,
        party_position=row.party_position,
        png=row.png,
        png_sha256=row.png_sha256,
        signed_at=row.signed_at,
        superseded=row.superseded_at is not None,
        predates_change=digest_now is not None and row.content_digest != digest_now,
    )


def of_application(session: Session, application: Application, *, all_: bool = False) -> tuple[SignatureView, ...]:
    """The case's current signatures (every one with ``all_``, superseded included), oldest first, each marked when
    the case's content changed after it."""
    query = select(Signature).where(Signature.application_id == application.id)
    if not all_:
        query = query.where(Signature.superseded_at.is_(None))
    rows = session.scalars(query.order_by(Signature.signed_at, Signature.superseded_at.is_(None))).all()
    if not rows:
        return ()
    digest_now = audit.content_digest(session, application)
    return tuple(_view(row, digest_now) for row in rows)


def row_from_event(session: Session, application: Application, body: protocol.SignatureRecorded) -> Signature:
    """Recovery (app/sync/rebuild.py): the signature of a synced event, bound to the rebuilt case's content as
    the events so far left it (the same point in its history as at the counter, under this store's key)."""
    if body.supersedes is not None:
        earlier = session.get(Signature, body.supersedes)
        if earlier is not None and earlier.superseded_at is None:
            earlier.superseded_at = body.signed_at
    row = Signature(
        id=body.signature_id,
        application_id=application.id,
        signer=body.signer,
        party_position=body.party_position,
        strokes=[[list(point) for point in stroke] for stroke in body.strokes],
        png=body.png,
        png_sha256=body.png_sha256,
        content_digest=audit.content_digest(session, application),
        signed_at=body.signed_at,
        taken_by=None,
    )
    session.add(row)
    return row


class SignatureService:
    """``services.signatures``: a signature taken after the decision (again after a 更正, or redone), and the
    case's signatures for the record view."""

    def __init__(self, db: Database, deployment: Deployment, clock: Callable[[], dt.datetime] = utcnow) -> None:
        self.db = db
        self.clock = clock
        self.changes = ChangeWriter(deployment.center_code, deployment.workstation_code)

    def record(self, acceptance_no: str, capture: SignatureCapture, user: SessionUser) -> tuple[SignatureView, ...]:
        """Store ``capture`` for the case (superseding the signer's current one); returns the current signatures.

        Raises:
            NotAllowedError: the account may not take applications.
            ValidationError: an empty or oversized signature.
            NotFoundError: no such application.
        """
        require(user, Permission.TAKE)
        check_capture(capture)
        number = numbering.normalize_acceptance_no(acceptance_no)
        with self.db.write() as session:
            application = _application(session, number)
            clerk = session.get(User, user.id)
            username = clerk.username if clerk is not None else user.username
            at = self.clock()
            store(session, self.changes, application, capture, user_id=user.id, clerk_username=username, at=at)
            return of_application(session, application)

    def of(self, acceptance_no: str, *, all_: bool = False) -> tuple[SignatureView, ...]:
        """The case's signatures (current ones, or all with ``all_``)."""
        number = numbering.normalize_acceptance_no(acceptance_no)
        with self.db.read() as session:
            return of_application(session, _application(session, number), all_=all_)


def _application(session: Session, number: str) -> Application:
    application = session.scalar(select(Application).where(Application.acceptance_no == number))
    if application is None:
        raise NotFoundError(msg("signatures", "找不到办件编号为 {no} 的申请，请核对编号。").bind(no=number))
    return application
