"""Issue, keep and hand out the documents of applications (docs/documents.md).

The three steps run where they belong: :meth:`DocumentService.due` and :meth:`DocumentService.store` on the
database worker, :meth:`DocumentService.render` and :meth:`DocumentService.copy_for_handout` on the renderer thread
(ReportLab is not thread-safe), so a decision is committed before anything is drawn and no font or printer problem
can touch it.  Storing is one transaction with the audit event and the outbox event ``document.issued``; storing
the same document twice stores it once (``issue_key`` is unique).  :meth:`DocumentService.issue` does all three on
the calling thread, for the command line and for the start-up that draws what a crash left undrawn.

A 补打 after the workstation's retention (the PDF pruned, app/pruning.py) takes the original bytes from the server
(:meth:`DocumentService.fetch`, on the GUI's network pool) and checks their SHA-256; offline it draws the document
again from the stored record and the catalog version it was taken under, and the copy says on paper that it was
re-rendered (:meth:`DocumentService.copy_for_handout`, docs/documents.md "补打 after the retention").

ReportLab and pypdf are imported where they are used, not with this module: every ``open_services`` (the GUI's
database worker, each command line call) builds this service, and those imports cost about 0.3 s.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.changes import ChangeWriter
from app.config import Deployment
from app.documents.model import (
    NOTICE_KINDS,
    DocumentKind,
    DocumentSettings,
    Paper,
    RenderedDocument,
    StoredDocument,
    documents_for,
)
from app.errors import NotFoundError, ValidationError, YimenError
from app.i18n import Message, msg
from app.intake import numbering
from app.intake.model import DebtOrigin, DecisionResult, DocumentDebt, DocumentsDue, DocumentsOnRecord
from app.intake.queries import purged_notice
from app.intake.service import IntakeService, documents_on_record
from app.security import audit
from app.security.accounts import SessionUser
from app.security.permissions import Permission, require
from app.sync import protocol
from app.texts import text_problem
from db.engine import Database
from db.models import Application, AuditEvent, DocumentRecord
from db.types import utcnow

log = logging.getLogger("yimen.documents")

MIN_REASON_LENGTH = 4
WHICH = {"receipt": (DocumentKind.RECEIPT,), "notice": NOTICE_KINDS, "form": (DocumentKind.FORM,)}


class CopySource(StrEnum):
    """Where the bytes of a copy handed out came from."""

    STORED = "stored"  # kept on this workstation
    SERVER = "server"  # the original from the server, its SHA-256 checked against the stored one
    IDENTICAL = "identical"  # drawn again and byte for byte the original (the same SHA-256): it is the original
    RERENDERED = "rerendered"  # drawn again from the stored record, and marked so on paper


@dataclass(frozen=True)
class HandoutCopy:
    """The bytes to print or save, and where they came from."""

    data: bytes
    source: CopySource

    @property
    def rerendered(self) -> bool:
        return self.source is CopySource.RERENDERED


@dataclass(frozen=True)
class RedrawBasis:
    """What a pruned document could be drawn again from (read on the database worker): the record as stored, or
    why it cannot be (``refusal``)."""

    result: DecisionResult | None
    refusal: Message | None = None


class OriginalMismatchError(YimenError):
    """The server answered bytes other than the document's stored SHA-256: never printed."""

    code = "document_mismatch"


class OriginalUnavailableError(YimenError):
    """The original is neither kept nor fetched, and the record no longer draws the same document."""

    code = "document_unavailable"


MISMATCH = msg(
    "documents",
    "中心服务器返回的文书与本机存档的校验值（SHA-256）不符，已拒绝，没有打印。请通知信息员检查中心服务器。",
)
CHANGED_SINCE = msg(
    "documents",
    "该文书的原件已超过本机保存期限，且未能从中心服务器取回；该申请在此文书生成后又有变更，无法依据现有记录重新生成"
    "与原件内容一致的文书。请在能连接中心服务器时再补打，或联系信息员。",
)


@dataclass(frozen=True)
class DocumentPlan:
    """The documents the record still owes: ``(kind, issue key)`` pairs, and the debts they settle."""

    debts: tuple[DocumentDebt, ...]
    items: tuple[tuple[DocumentKind, str], ...]

    @property
    def kinds(self) -> list[DocumentKind]:
        return [kind for kind, _ in self.items]


def check_reason(reason: str | None) -> str:
    """A 补打 reason: at least four characters, and never an ID number (the audit trail must not hold one)."""
    text = (reason or "").strip()
    if len(text) < MIN_REASON_LENGTH:
        raise ValidationError(
            msg("documents", "补打须写明原因（至少 {n} 个字），如“申请人遗失回执”。").bind(n=MIN_REASON_LENGTH),
            field="reprint_reason",
        )
    problem = text_problem(text)
    if problem is not None:
        raise ValidationError(problem, field="reprint_reason")
    if audit.holds_id_number(text):
        raise ValidationError(msg("documents", "补打原因中请不要写证件号码。"), field="reprint_reason")
    return text


class DocumentService:
    """The documents of one workstation's applications."""

    def __init__(
        self,
        db: Database,
        deployment: Deployment,
        intake: IntakeService,
        settings: DocumentSettings,
        clock: Callable[[], dt.datetime] = utcnow,
        fetch_original: Callable[[str, str], bytes] | None = None,
    ) -> None:
        """``fetch_original(sha256, application_id)``: a pruned document's PDF from the server (the sync service's
        :meth:`~app.sync.service.SyncService.fetch_document`); None: never asked (the copy is drawn again)."""
        self.db = db
        self.fetch_original = fetch_original
        self.deployment = deployment
        self.intake = intake
        self.settings = settings
        self.clock = clock
        self.changes = ChangeWriter(deployment.center_code, deployment.workstation_code)

    # ------------------------------------------------------------------ planning (database worker)

    def due(self, result: DecisionResult) -> DocumentPlan | None:
        """What the record's changes still owe, oldest debt first (None when nothing is due), from the documents
        stored now.

        Each document kind is drawn once, from the record as it is now: a 更正 made before its decision's
        documents were stored owes no reissue of what was never issued, and the decision's documents show it.
        """
        if not result.documents_due.debts:
            return None
        with self.db.read() as session:
            on_record = documents_on_record(session, result.application_id)
        return _plan(result, on_record)

    def plan(self, result: DecisionResult) -> DocumentPlan | None:
        """:meth:`due` from the documents the change's own transaction saw (``result.documents_on_record``): no
        read of the store, so any thread may call it (the counter starts the render at once).  Storing the same
        issue key twice is impossible anyway (:meth:`store` keeps the one stored).

        Raises:
            ValueError: the result was not read with its documents (call :meth:`due` on the database worker).
        """
        if result.documents_on_record is None:
            raise ValueError("the result carries no documents on record: use due()")
        if not result.documents_due.debts:
            return None
        return _plan(result, result.documents_on_record)

    # ------------------------------------------------------------------ rendering (renderer thread)

    def render(self, result: DecisionResult, plan: DocumentPlan) -> list[RenderedDocument]:
        """Draw the planned documents.

        Raises:
            ConfigError: the document fonts are missing (the message says to reinstall).
        """
        from app.documents import render as renderer
        from app.documents.fonts import load_fonts

        fonts = load_fonts()
        return [renderer.render(kind, result, self.settings, fonts) for kind in plan.kinds]

    # ------------------------------------------------------------------ storing (database worker)

    def store(
        self,
        result: DecisionResult,
        plan: DocumentPlan,
        rendered: Sequence[RenderedDocument],
        user: SessionUser | None,
    ) -> list[StoredDocument]:
        """Keep the rendered documents with the application: one transaction with audit and outbox events."""
        if len(rendered) != len(plan.items):
            raise ValueError("one rendered document per planned kind")
        with self.db.write() as session:
            application = session.get(Application, result.application_id)
            if application is None:
                raise NotFoundError(msg("documents", "找不到该申请，文书未保存。"))
            stored = []
            now = self.clock()
            for (kind, key), document in zip(plan.items, rendered, strict=True):
                if document.kind is not kind:
                    raise ValueError(f"rendered {document.kind} for planned {kind}")
                record = session.scalar(select(DocumentRecord).where(DocumentRecord.issue_key == key))
                if record is None:
                    record = self._store_one(session, application, result, kind, key, document, user, now)
                stored.append(_view(record, application.acceptance_no))
            # Settle what this plan drew; a debt added since it was planned (a 更正 meanwhile) stays owed.
            application.documents_due = DocumentsDue.parse(application.documents_due).settling(plan.debts).stored()
            return stored

    def _store_one(
        self,
        session: Session,
        application: Application,
        result: DecisionResult,
        kind: DocumentKind,
        key: str,
        document: RenderedDocument,
        user: SessionUser | None,
        now: dt.datetime,
    ) -> DocumentRecord:
        last = session.scalar(
            select(func.max(DocumentRecord.seq)).where(
                DocumentRecord.application_id == application.id, DocumentRecord.kind == kind.value
            )
        )
        replaced = session.scalars(
            select(DocumentRecord).where(
                DocumentRecord.application_id == application.id,
                DocumentRecord.kind == kind.value,
                DocumentRecord.superseded_at.is_(None),
            )
        ).all()
        for old in replaced:
            old.superseded_at = now
        digest = protocol.digest(document.pdf)
        decision_id = result.decision_id if key.startswith(str(result.decision_id)) else None
        record = DocumentRecord(
            id=uuid.uuid4(),
            application_id=application.id,
            decision_id=decision_id,
            issue_key=key,
            kind=kind.value,
            seq=(last or 0) + 1,
            number=document.number,
            paper=document.paper.value,
            sha256=digest,
            size=len(document.pdf),
            page_count=document.page_count,
            pdf=document.pdf,
            created_at=now,
            created_by=user.id if user else None,
            handed_out=0,
        )
        session.add(record)
        session.flush()
        body = protocol.DocumentIssued(
            acceptance_no=application.acceptance_no,
            document_id=record.id,
            kind=kind.value,
            seq=record.seq,
            number=record.number,
            paper=document.paper.value,
            sha256=digest,
            size=record.size,
            page_count=record.page_count,
            replaces=[old.id for old in replaced],
        )
        self.changes.write(
            session,
            application,
            body,
            action="document.issued",
            user_id=user.id if user else None,
            at=now,
            details={
                "document": str(record.id),
                "kind": kind.value,
                "seq": record.seq,
                "replaces": [str(old.id) for old in replaced],
            },
        )
        return record

    # ------------------------------------------------------------------ all at once (command line, start-up)

    def issue(self, result: DecisionResult, user: SessionUser | None) -> list[StoredDocument]:
        """Plan, render and store on the calling thread (not the GUI: it has its renderer thread)."""
        plan = self.due(result)
        if plan is None or not plan.items:
            if plan is not None:
                self.store(result, plan, [], user)  # clears the tag
            return []
        return self.store(result, plan, self.render(result, plan), user)

    def due_numbers(self, *, limit: int = 500) -> list[str]:
        """办件编号 of the applications whose documents a crash left undrawn (partial index: cheap at start-up)."""
        with self.db.read_connection() as conn:
            rows = conn.execute(
                select(Application.acceptance_no)
                .where(Application.documents_due.is_not(None))
                .order_by(Application.decided_at)
                .limit(limit)
            ).all()
        return [row.acceptance_no for row in rows]

    def heal(self) -> int:
        """Draw and store every owed document on the calling thread; returns how many were stored."""
        count = 0
        for number in self.due_numbers():
            result = self.intake.load(number)
            stored = self.issue(result, None)
            count += len(stored)
            if stored:
                log.info("issued %d owed document(s) of %s", len(stored), number)
        return count

    # ------------------------------------------------------------------ reading

    def documents(self, acceptance_no: str) -> list[StoredDocument]:
        """Every document of an application, newest first (the PDF bytes not loaded: see :meth:`document`)."""
        number = numbering.normalize_acceptance_no(acceptance_no)
        with self.db.read() as session:
            application_id = session.scalar(select(Application.id).where(Application.acceptance_no == number))
            if application_id is None:
                raise NotFoundError(
                    purged_notice(session, number)
                    or msg("documents", "找不到办件编号为 {no} 的申请，请核对编号。").bind(no=number)
                )
            rows = session.execute(
                select(*_LIST_COLUMNS)
                .where(DocumentRecord.application_id == application_id)
                .order_by(DocumentRecord.created_at.desc(), DocumentRecord.seq.desc())
            ).all()
        views = [_row_view(row, number, b"") for row in rows]
        # Newest first; within one issue the citizen's paper (receipt or notice) before the form.
        order = {kind: i for i, kind in enumerate(DocumentKind)}
        return sorted(views, key=lambda d: (-d.created_at.timestamp(), order[d.kind], -d.seq))

    def document(self, document_id: uuid.UUID | str) -> StoredDocument:
        """One stored document with its bytes."""
        ident = document_id if isinstance(document_id, uuid.UUID) else uuid.UUID(str(document_id))
        with self.db.read() as session:
            record = session.get(DocumentRecord, ident)
            if record is None:
                raise NotFoundError(msg("documents", "找不到该文书。"))
            number = session.scalar(select(Application.acceptance_no).where(Application.id == record.application_id))
            assert number is not None
            return _view(record, number)

    def current(self, acceptance_no: str, which: str) -> StoredDocument:
        """The current receipt, notice or form of an application (``which`` in ``receipt|notice|form``).

        Raises:
            NotFoundError: the application has no such document (the message names what it has).
        """
        kinds = {k.value for k in WHICH[which]}
        every = self.documents(acceptance_no)
        found = [d for d in every if d.kind.value in kinds and not d.superseded]
        if not found:
            names = "、".join(sorted({d.kind.zh_title for d in every})) or "无"
            label = {"receipt": "受理回执", "notice": "通知书或告知单", "form": "申请表"}[which]
            raise NotFoundError(
                msg("documents", "申请 {no} 没有{label}（已有文书：{have}）。").bind(
                    no=numbering.normalize_acceptance_no(acceptance_no), label=label, have=names
                )
            )
        return self.document(found[0].id)

    # ------------------------------------------------------------------ handing out

    def redraw_basis(self, document: StoredDocument) -> RedrawBasis | None:
        """What ``document`` could be drawn again from if its original cannot be had (database worker); None when
        its PDF is kept here.  Only a current document of a record unchanged since it was drawn: no decision,
        return visit, 更正, 作废 or recomputed deadline (an ``application.*`` audit event) after it, so the record
        and its catalog version (the one it was taken under) still say what the citizen's paper said.  Read in the
        application's audit trail, in its own order."""
        if document.pdf is not None:
            return None
        if document.superseded:
            return RedrawBasis(None, CHANGED_SINCE)
        with self.db.read() as session:
            # In the audit chain's order (its own seq: the audit clock is not the documents' clock).
            trail = session.execute(
                select(AuditEvent.seq, AuditEvent.action, AuditEvent.details)
                .where(AuditEvent.entity_type == "application", AuditEvent.entity_id == document.application_id)
                .order_by(AuditEvent.seq)
            ).all()
        drawn = [r.seq for r in trail if r.action == "document.issued" and r.details.get("document") == document.id]
        issued = drawn[0] if drawn else None
        later = issued is None or any(row.seq > issued and row.action.startswith("application.") for row in trail)
        if later:  # or no trail of its drawing (a recovered store): the record cannot vouch for the paper
            return RedrawBasis(None, CHANGED_SINCE)
        try:
            return RedrawBasis(self.intake.load(document.acceptance_no))
        except YimenError as exc:  # purged meanwhile, …: said when no original can be had either
            return RedrawBasis(None, exc.message)

    def fetch(self, document: StoredDocument) -> bytes | None:
        """A pruned document's original from the server, its SHA-256 checked (the GUI's network pool: it waits on
        the server); None when its PDF is kept here or the server cannot give it (offline, not enrolled, revoked,
        busy, not there): the copy is then drawn again.

        Raises:
            OriginalMismatchError: the server answered other bytes (nothing is printed).
        """
        if document.pdf is not None or self.fetch_original is None:
            return None
        try:
            data = self.fetch_original(document.sha256, document.application_id)
        except YimenError as exc:
            log.info("original %s not fetched from the server (%s): drawn again", document.kind.value, exc.code)
            return None
        if protocol.digest(data) != document.sha256:
            log.warning("the server answered other bytes for a %s: refused", document.kind.value)
            raise OriginalMismatchError(MISMATCH)
        return data

    def copy_for_handout(
        self,
        document: StoredDocument,
        *,
        reprint: bool,
        basis: RedrawBasis | None = None,
        fetched: bytes | None = None,
        ask_server: bool = True,
    ) -> HandoutCopy:
        """The bytes to print or save (renderer thread): the original — kept here, or else from the server with
        its SHA-256 checked (``fetched``: what :meth:`fetch` already got; ``ask_server`` False: it was asked
        already) — and for a 补打 stamped so.  Without either, the document drawn again from ``basis``
        (:meth:`redraw_basis`, read on the database worker; read here when not given) and marked re-rendered.

        Raises:
            OriginalMismatchError: the server answered other bytes (nothing is printed).
            OriginalUnavailableError: no original, and the record has changed since (the message says what to do).
        """
        from app.documents.fonts import load_fonts
        from app.documents.reprint import stamp_reprint

        if fetched is None and ask_server:
            fetched = self.fetch(document)
        original = self._original(document, fetched)
        if original is None:
            original = self._redraw(document, basis if basis is not None else self.redraw_basis(document))
        if not reprint:
            return original
        return HandoutCopy(stamp_reprint(original.data, self.clock(), load_fonts()), original.source)

    def _original(self, document: StoredDocument, fetched: bytes | None) -> HandoutCopy | None:
        if document.pdf is not None:
            return HandoutCopy(document.pdf, CopySource.STORED)
        if fetched is not None:
            if protocol.digest(fetched) != document.sha256:  # checked by fetch(); again here, whoever passed it
                raise OriginalMismatchError(MISMATCH)
            return HandoutCopy(fetched, CopySource.SERVER)
        return None

    def _redraw(self, document: StoredDocument, basis: RedrawBasis | None) -> HandoutCopy:
        from app.documents import render as renderer
        from app.documents.fonts import load_fonts
        from app.documents.reprint import stamp_rerendered

        if basis is None or basis.result is None:
            raise OriginalUnavailableError(basis.refusal if basis and basis.refusal else CHANGED_SINCE)
        fonts = load_fonts()
        drawn = renderer.render(document.kind, basis.result, self.settings, fonts)
        if drawn.kind is not document.kind or drawn.number != document.number:
            raise OriginalUnavailableError(CHANGED_SINCE)
        if protocol.digest(drawn.pdf) == document.sha256:
            return HandoutCopy(drawn.pdf, CopySource.IDENTICAL)
        return HandoutCopy(stamp_rerendered(drawn.pdf, fonts), CopySource.RERENDERED)

    def record_handout(
        self,
        document_id: uuid.UUID | str,
        user: SessionUser | None,
        *,
        action: str,
        reprint: bool,
        reason: str | None = None,
        printer: str | None = None,
        via: str = "counter",
        source: CopySource = CopySource.STORED,
    ) -> StoredDocument:
        """Record that a copy was printed or saved: audited; a 补打 also goes to the server with its reason.
        ``source``: where the copy's bytes came from (:meth:`copy_for_handout`): a re-rendered copy is said so in
        the audit event and in ``document.reprinted`` (``rerendered``).

        Raises:
            ValidationError: a 补打 without a proper reason.
        """
        if action not in ("print", "save", "export"):
            raise ValueError(action)
        if user is not None:  # None: the command line, run by someone with the machine's own access (audited)
            require(user, Permission.HAND_OUT)
        text = check_reason(reason) if reprint else None
        ident = document_id if isinstance(document_id, uuid.UUID) else uuid.UUID(str(document_id))
        with self.db.write() as session:
            record = session.get(DocumentRecord, ident)
            if record is None:
                raise NotFoundError(msg("documents", "找不到该文书。"))
            application = session.get(Application, record.application_id)
            assert application is not None
            now = self.clock()
            record.handed_out += 1
            record.last_handed_out_at = now
            details: dict[str, object] = {
                "document": str(record.id),
                "kind": record.kind,
                "seq": record.seq,
                "action": action,
                "copy": record.handed_out,
                "via": via,
            }
            if printer:
                details["printer"] = printer[:80]
            if source is not CopySource.STORED:
                details["source"] = source.value
            if reprint:
                assert text is not None
                details["reason"] = text
                body = protocol.DocumentReprinted(
                    acceptance_no=application.acceptance_no,
                    document_id=record.id,
                    action=action,
                    reason=text,
                    by=user.username if user else None,
                    rerendered=True if source is CopySource.RERENDERED else None,
                )
                self.changes.write(
                    session,
                    application,
                    body,
                    action="document.reprinted",
                    user_id=user.id if user else None,
                    at=now,
                    details=details,
                )
            else:
                self.changes.audit(
                    session,
                    application,
                    action=f"document.{'printed' if action == 'print' else 'saved'}",
                    user_id=user.id if user else None,
                    details=details,
                )
            return _view(record, application.acceptance_no)


_LIST_COLUMNS = (
    DocumentRecord.id,
    DocumentRecord.application_id,
    DocumentRecord.kind,
    DocumentRecord.seq,
    DocumentRecord.number,
    DocumentRecord.paper,
    DocumentRecord.sha256,
    DocumentRecord.size,
    DocumentRecord.created_at,
    DocumentRecord.handed_out,
    DocumentRecord.superseded_at,
    DocumentRecord.pdf_pruned_at,
)


def _plan(result: DecisionResult, on_record: DocumentsOnRecord) -> DocumentPlan:
    existing = on_record.issue_keys
    planned: dict[DocumentKind, str] = {}
    for debt in result.documents_due.debts:
        if debt.origin is DebtOrigin.CORRECTION:
            # A corrected record's receipt and form are reissued (the earlier ones are kept, marked replaced).
            kinds = [k for k in (DocumentKind.RECEIPT, DocumentKind.FORM) if k.value in on_record.current]
        else:
            has_form = DocumentKind.FORM.value in on_record.kinds
            kinds = documents_for(result, first_decision=not has_form or f"{debt.ref}:form" in existing)
        for kind in kinds:
            key = f"{debt.ref}:{kind.value}"
            if key not in existing:
                planned.setdefault(kind, key)
    return DocumentPlan(result.documents_due.debts, tuple(planned.items()))


def _row_view(row: object, acceptance_no: str, pdf: bytes | None) -> StoredDocument:
    return StoredDocument(
        id=str(row.id),  # type: ignore[attr-defined]
        application_id=str(row.application_id),  # type: ignore[attr-defined]
        acceptance_no=acceptance_no,
        kind=DocumentKind(row.kind),  # type: ignore[attr-defined]
        seq=row.seq,  # type: ignore[attr-defined]
        number=row.number,  # type: ignore[attr-defined]
        paper=Paper(row.paper),  # type: ignore[attr-defined]
        sha256=row.sha256,  # type: ignore[attr-defined]
        size=row.size,  # type: ignore[attr-defined]
        created_at=row.created_at,  # type: ignore[attr-defined]
        handed_out=row.handed_out,  # type: ignore[attr-defined]
        superseded=row.superseded_at is not None,  # type: ignore[attr-defined]
        pdf=pdf,
        pruned=row.pdf_pruned_at is not None,  # type: ignore[attr-defined]
    )


def _view(record: DocumentRecord, acceptance_no: str) -> StoredDocument:
    # A pruned PDF (app/pruning.py) is None: copy_for_handout fetches it or draws it again (docs/documents.md).
    return _row_view(record, acceptance_no, record.pdf)
