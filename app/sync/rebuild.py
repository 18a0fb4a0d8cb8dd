"""Rebuild a workstation's records from its own events, as the server stores them (docs/sync-protocol.md "Recovery").

The projection of protocol events into the workstation's tables — the way back of app/intake/projections.py, which
makes the events from the records.  Each event is applied as the use case that wrote it changed the record
(app/intake/service.py, app/documents/service.py):

- ``application.taken``: the application with its parties (their people found again by ID number, as at the counter),
  materials and first decision, under the catalog version it was taken with;
- ``application.supplemented``: the materials as the return visit left them, and its decision;
- ``application.corrected``: the corrected values; ``application.voided``: 已作废 with its reason;
- ``document.issued``: the document with the very PDF the citizen was handed (fetched from the server and checked
  against the event's SHA-256), the ones it replaces marked replaced; ``document.reprinted``: one more copy handed
  out;
- ``rating.recorded``: the citizen's rating of the decision it followed (the first, or the return visit's) with its
  deadlines as they were fixed; ``rating.followed_up``: one step of a 差评's follow-up, the outcome closing it
  (app/ratings.py);
- ``signature.recorded``: the citizen's signature with its PNG (checked against its SHA-256 by the wire format),
  bound to the case's content as the events before it left it, superseding the one it names;
- ``day.closed`` and ``handover.recorded``, which concern the workstation: the 日结 and the 材料交接单 with its
  cases;
- ``attachment.added``: a material's file on its checklist line (app/attachments.py), marked as held by the server;
  its bytes are fetched afterwards, file by file, by :func:`fetch_attachments` (each checked against its SHA-256; a
  file that does not come, or comes wrong, is counted and the rebuild goes on: the server still holds it).

What the events do not carry is made so that nothing is issued or printed twice: a recovered document counts as
handed out once already (the next copy is a 补打); nothing is owed (``documents_due``), nothing waits in the outbox
and every application is 已上传.  The clerks named by the events become accounts that cannot log in
(:data:`RECOVERED_PASSWORD`): accounts live only on the workstation, and IT creates them again under the same user
names (app/security/accounts.py).

An event arriving before its application's ``application.taken`` (events of one pushed batch stored before the
server kept their place in it) waits for it.  Every page is checked: its bytes against their SHA-256, its center
and workstation against this workstation's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pydantic
from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from app import signatures
from app.catalog import registry
from app.catalog.schema import ServiceItem
from app.changes import ChangeWriter
from app.config import Deployment
from app.domain import AppState, Decision, MaterialStatus, RatingOccasion, Role, SyncState
from app.errors import StorageError, SyncError
from app.i18n import msg
from app.intake.service import upsert_person
from app.ratings import follow_up_row, rated_decision, rating_row
from app.security import audit
from app.security.accounts import RECOVERED_PASSWORD
from app.sync import protocol
from db.models import (
    Application,
    ApplicationMaterial,
    ApplicationParty,
    Attachment,
    AttachmentBlob,
    AttachmentData,
    CatalogVersion,
    Center,
    DayClose,
    DecisionRecord,
    DocumentRecord,
    Handover,
    HandoverCase,
    Rating,
    User,
    Workstation,
)

if TYPE_CHECKING:
    from db.engine import Database

log = logging.getLogger("yimen.sync.rebuild")

_STATE = {
    Decision.ACCEPT.value: AppState.ACCEPTED.value,
    Decision.SUPPLEMENT.value: AppState.AWAITING_SUPPLEMENT.value,
    Decision.REFUSE.value: AppState.REFUSED.value,
    Decision.TOLERATED.value: AppState.ACCEPTED.value,
    Decision.FIRST_AID.value: AppState.ACCEPTED.value,
}


@dataclass
class Rebuilt:
    """What the rebuild made, for the report and the ``store.recovered`` audit event (counts only)."""

    applications: int = 0
    events: int = 0
    documents: int = 0
    #: The highest numbering series among the recovered 受理编号 (0: none recovered).
    highest_series: int = 0
    accounts: list[str] = field(default_factory=list)
    #: Cases past the retention period, purged again at once (app/retention.py): their numbers stay.
    purged: int = 0
    #: Materials' files fetched back from the server whole (:func:`fetch_attachments`).
    files: int = 0
    #: Files the server did not give (not there, refused, unreachable): the case names them, the bytes stay there.
    files_missing: int = 0
    #: Files whose bytes did not match their SHA-256: not kept.
    files_wrong: int = 0


class Rebuilder:
    """Applies pages of this workstation's events to a new store, one page per transaction."""

    def __init__(self, deployment: Deployment, fetch_document: Callable[[uuid.UUID], bytes]) -> None:
        self.deployment = deployment
        self.fetch_document = fetch_document
        self.rebuilt = Rebuilt()
        self._users: dict[str, uuid.UUID] = {}
        self._items: dict[str, tuple[uuid.UUID, ServiceItem]] = {}
        self._waiting: dict[uuid.UUID, list[protocol.Event]] = {}
        self._location: tuple[uuid.UUID, uuid.UUID] | None = None

    # ------------------------------------------------------------------ pages

    def apply_page(self, session: Session, page: protocol.RecordsPage) -> None:
        """Store the page's catalog versions, then apply its events in order.

        Raises:
            StorageError: the page holds an event that is damaged, not this workstation's, or names a catalog version
                this workstation cannot find (the store being built is thrown away; nothing else changed).
        """
        for change in page.catalog:
            registry.store_published(session, change.canonical_json, change.sha256)
        for pushed in page.events:
            self._apply(session, self._parsed(pushed))
        session.flush()

    def finish(self) -> Rebuilt:
        """Raises StorageError when an event's application never came (the server's store is not whole)."""
        if self._waiting:
            raise StorageError(
                msg(
                    "recovery",
                    "中心服务器上有 {n} 个事件找不到其申请的受理事件，无法完整恢复。"
                    "请联系中心服务器的运维人员；本机数据未做任何改动。",
                ).bind(n=sum(len(v) for v in self._waiting.values()))
            )
        return self.rebuilt

    def _parsed(self, pushed: protocol.PushedEvent) -> protocol.Event:
        raw = pushed.payload.encode("utf-8")
        if protocol.digest(raw) != pushed.sha256:
            raise StorageError(
                msg("recovery", "中心服务器发回的事件 {id} 与其 SHA-256 不符，恢复已停止；本机数据未做任何改动。").bind(
                    id=pushed.event_id
                )
            )
        try:
            event = protocol.parse(raw)
        except pydantic.ValidationError:
            raise StorageError(
                msg(
                    "recovery",
                    "中心服务器发回的事件 {id} 本程序无法识别（可能需要升级本程序），恢复已停止；"
                    "本机数据未做任何改动。",
                ).bind(id=pushed.event_id)
            ) from None
        if (event.center_code, event.workstation_code) != (
            self.deployment.center_code,
            self.deployment.workstation_code,
        ):
            raise StorageError(
                msg(
                    "recovery", "中心服务器发回了不属于本中心本工位的事件 {id}，恢复已停止；本机数据未做任何改动。"
                ).bind(id=pushed.event_id)
            )
        return event

    # ------------------------------------------------------------------ events

    def _apply(self, session: Session, event: protocol.Event) -> None:
        body = event.body
        if isinstance(body, protocol.AuditHead):
            return  # never stored with the events
        self.rebuilt.events += 1
        if isinstance(body, protocol.DayClosed):
            self._day_closed(session, body)
            return
        if isinstance(body, protocol.HandoverRecorded):
            self._handover(session, body)
            return
        if isinstance(body, protocol.ApplicationTaken):
            self._taken(session, event, body)
            for later in self._waiting.pop(event.application_id, []):
                self._change(session, later)
            return
        self._change(session, event)

    def _change(self, session: Session, event: protocol.Event) -> None:
        application = session.get(Application, event.application_id)
        if application is None:
            self._waiting.setdefault(event.application_id, []).append(event)
            return
        body = event.body
        if isinstance(body, protocol.MaterialsSupplemented):
            self._supplemented(session, application, body)
        elif isinstance(body, protocol.MaterialsBrought):
            self._materials(application, body.materials, body.brought_at)
        elif isinstance(body, protocol.ApplicationCorrected):
            application.form_values = dict(body.values)
            by_id = {party.id: party for party in application.parties}
            for given in body.parties:
                party = by_id.get(given.party_id)
                if party is not None:
                    party.name = given.name
                    party.values = dict(given.values)
        elif isinstance(body, protocol.ApplicationVoided):
            application.state = AppState.VOIDED.value
            application.void_reason = body.reason
        elif isinstance(body, protocol.DocumentIssued):
            self._document(session, application, event, body)
        elif isinstance(body, protocol.DocumentReprinted):
            record = session.get(DocumentRecord, body.document_id)
            if record is not None:
                record.handed_out += 1
                record.last_handed_out_at = event.occurred_at
        elif isinstance(body, protocol.RatingRecorded):
            self._rating(session, application, body)
        elif isinstance(body, protocol.RatingFollowedUp):
            self._followed_up(session, body)
        elif isinstance(body, protocol.SignatureRecorded):
            session.flush()  # the changes applied so far have their rows: the content digest reads them
            signatures.row_from_event(session, application, body)
        elif isinstance(body, protocol.AttachmentAdded):
            self._attachment(session, application, event, body)
        application.updated_at = max(application.updated_at, event.occurred_at)

    def _taken(self, session: Session, event: protocol.Event, body: protocol.ApplicationTaken) -> None:
        version_id, item = self._item(session, body.item)
        center_id, workstation_id = self._where(session)
        decided = body.decision
        application = Application(
            id=event.application_id,
            acceptance_no=body.acceptance_no,
            query_code=body.query_code,
            item_code=body.item.code,
            catalog_version_id=version_id,
            center_id=center_id,
            workstation_id=workstation_id,
            clerk_id=self._user(session, decided.clerk_username, decided.clerk_staff_no),
            state=_STATE[decided.decision],
            decision=decided.decision,
            queue_ticket=body.queue_ticket,
            called_at=body.called_at,
            received_at=body.received_at,
            decided_at=decided.decided_at,
            form_values=dict(body.values),
            sync_state=SyncState.SYNCED.value,
            created_at=body.received_at,
            updated_at=event.occurred_at,
        )
        session.add(application)
        for position, given in enumerate(body.parties):
            application.parties.append(
                ApplicationParty(
                    id=given.party_id,
                    person_id=upsert_person(session, given).id,
                    role=given.role,
                    position=position,
                    name=given.name,
                    values=dict(given.values),
                )
            )
        for position, material in enumerate(body.materials):
            received = MaterialStatus(material.status).present
            application.materials.append(
                ApplicationMaterial(
                    id=uuid.uuid4(),
                    party_id=material.party_id,
                    position=position,
                    material_key=material.key,
                    name=material.name,
                    form=material.form,
                    count=material.count,
                    required=material.required,
                    status=material.status,
                    note=material.note,
                    received_at=decided.decided_at if received else None,
                )
            )
        self._decide(session, application, item, decided)
        self.rebuilt.applications += 1
        self.rebuilt.highest_series = max(self.rebuilt.highest_series, protocol.series_of(body.acceptance_no))

    def _supplemented(self, session: Session, application: Application, body: protocol.MaterialsSupplemented) -> None:
        self._materials(application, body.materials, body.decision.decided_at)
        _, item = self._item_of(session, application)
        self._decide(session, application, item, body.decision)

    def _materials(self, application: Application, materials: list[protocol.MaterialData], now: dt.datetime) -> None:
        """A return visit's material lines as the event names them (new lines added, the others updated)."""
        by_key = {(m.material_key, m.party_id): m for m in application.materials}
        for given in materials:
            material = by_key.get((given.key, given.party_id))
            if material is None:
                material = ApplicationMaterial(
                    id=uuid.uuid4(),
                    party_id=given.party_id,
                    position=len(application.materials),
                    material_key=given.key,
                    name=given.name,
                    form=given.form,
                    count=given.count,
                    required=given.required,
                )
                application.materials.append(material)
            if MaterialStatus(given.status).present and not MaterialStatus(material.status or "missing").present:
                material.received_at = now
            material.status = given.status
            material.note = given.note
            material.count = given.count

    def _decide(
        self, session: Session, application: Application, item: ServiceItem, decided: protocol.DecisionData
    ) -> None:
        kind = decided.decision
        application.decision = kind
        application.decided_at = decided.decided_at
        application.state = AppState.ANSWERED.value if decided.answered else _STATE[kind]
        if Decision(kind).accepts and not decided.answered:
            application.accepted_at = decided.decided_at
            application.owed_by = decided.owed_by
            application.promised_days = item.promised_days
            if decided.promised_date is not None:
                application.promised_date = application.due_date = decided.promised_date
                application.promised_estimated = application.due_estimated = decided.promised_estimated
        if decided.notice_no is not None:
            application.notice_no = decided.notice_no
        if kind == Decision.REFUSE.value:
            application.refusal_reason = decided.reason
        application.decisions.append(
            DecisionRecord(
                id=uuid.uuid4(),
                decision=kind,
                decided_at=decided.decided_at,
                clerk_id=self._user(session, decided.clerk_username, decided.clerk_staff_no),
                notice_no=decided.notice_no,
                reason=decided.reason if kind == Decision.REFUSE.value else None,
                missing=list(decided.missing_keys),
                ground=decided.ground,
                basis=decided.basis,
                competent_office=decided.competent_office,
            )
        )

    def _document(
        self, session: Session, application: Application, event: protocol.Event, body: protocol.DocumentIssued
    ) -> None:
        pdf = self.fetch_document(event.event_id)
        if protocol.digest(pdf) != body.sha256:
            raise StorageError(
                msg(
                    "recovery", "中心服务器发回的文书 {number} 与其 SHA-256 不符，恢复已停止；本机数据未做任何改动。"
                ).bind(number=body.number)
            )
        for replaced in body.replaces:
            old = session.get(DocumentRecord, replaced)
            if old is not None and old.superseded_at is None:
                old.superseded_at = event.occurred_at
        session.flush()  # the decision just appended has its id
        session.add(
            DocumentRecord(
                id=body.document_id,
                application_id=application.id,
                decision_id=application.decisions[-1].id if application.decisions else None,
                issue_key=f"recovered:{body.document_id}",
                kind=body.kind,
                seq=body.seq,
                number=body.number,
                paper=body.paper,
                sha256=body.sha256,
                size=len(pdf),
                page_count=body.page_count,
                pdf=pdf,
                created_at=event.occurred_at,
                created_by=None,
                handed_out=1,  # it was handed over when issued: the next copy is a 补打
            )
        )
        self.rebuilt.documents += 1

    def _attachment(
        self, session: Session, application: Application, event: protocol.Event, body: protocol.AttachmentAdded
    ) -> None:
        """A file on a checklist line, without its bytes yet (:func:`fetch_attachments`).  The server accepted the
        event only once it held the file whole for the case: the file counts as uploaded, nothing is sent again."""
        if session.get(AttachmentBlob, body.sha256) is None:
            session.add(
                AttachmentBlob(
                    sha256=body.sha256,
                    media_type=body.media_type,
                    size=body.size,
                    pages=body.pages,
                    created_at=event.occurred_at,
                    uploaded_at=event.occurred_at,
                )
            )
            session.flush()  # the file's row before the line naming it
        if session.get(Attachment, body.attachment_id) is None:
            session.add(
                Attachment(
                    id=body.attachment_id,
                    application_id=application.id,
                    material_key=body.material_key,
                    party_position=body.party_position,
                    position=body.position,
                    sha256=body.sha256,
                    media_type=body.media_type,
                    size=body.size,
                    pages=body.pages,
                    created_at=event.occurred_at,
                    created_by=None,
                )
            )

    def _rating(self, session: Session, application: Application, body: protocol.RatingRecorded) -> None:
        """The rating of the decision it followed: the first one, or the return visit's (the latest so far)."""
        session.flush()  # the decisions appended so far have their rows
        rated = rated_decision(application.decisions, RatingOccasion(body.occasion)) or application.decisions[-1]
        session.add(rating_row(body, application.id, rated))

    def _followed_up(self, session: Session, body: protocol.RatingFollowedUp) -> None:
        session.flush()
        rating = session.get(Rating, body.rating_id)
        if rating is None:
            raise StorageError(
                msg(
                    "recovery",
                    "中心服务器上有差评回访记录找不到其评价（办件 {no}），无法完整恢复。"
                    "请联系中心服务器的运维人员；本机数据未做任何改动。",
                ).bind(no=body.acceptance_no)
            )
        follow_up_row(rating, body, self._user(session, body.by, ""))

    def _day_closed(self, session: Session, body: protocol.DayClosed) -> None:
        if session.scalar(select(DayClose.id).where(DayClose.day == body.day)) is not None:
            return
        session.add(
            DayClose(
                id=uuid.uuid4(),
                day=body.day,
                closed_at=body.closed_at,
                closed_by=self._user(session, body.closed_by, ""),
                # What the event carries (app/reports/dayclose.py keeps more at the close: series, gaps, each
                # difference); ``recovered`` says the rest stayed on the lost store.
                figures={
                    "applications": body.applications,
                    "numbers": list(body.numbers),
                    "unsynced": body.unsynced,
                    "quarantined": body.quarantined,
                    "difference_count": body.differences,
                    "recovered": True,
                },
                reason=body.reason,
            )
        )

    def _handover(self, session: Session, body: protocol.HandoverRecorded) -> None:
        """A 材料交接单 with the cases on it that came back (a case once on a list)."""
        session.flush()
        if session.get(Handover, body.handover_id) is not None:
            return
        session.add(
            Handover(
                id=body.handover_id,
                number=body.number,
                department=body.department,
                receiver=body.receiver,
                handed_at=body.handed_at,
                handed_by=self._user(session, body.handed_by, ""),
            )
        )
        session.flush()  # the list's row before the rows naming it
        for number in body.acceptance_nos:
            application_id = session.scalar(select(Application.id).where(Application.acceptance_no == number))
            listed = select(HandoverCase.id).where(
                HandoverCase.application_id == application_id, HandoverCase.handover_id == body.handover_id
            )
            if application_id is not None and session.scalar(listed) is None:
                session.add(HandoverCase(id=uuid.uuid4(), handover_id=body.handover_id, application_id=application_id))

    # ------------------------------------------------------------------ what the events name

    def _item(self, session: Session, ref: protocol.CatalogRef) -> tuple[uuid.UUID, ServiceItem]:
        found = self._items.get(ref.sha256)
        if found is not None:
            return found
        version_id = session.scalar(select(CatalogVersion.id).where(CatalogVersion.sha256 == ref.sha256))
        if version_id is None:
            raise StorageError(
                msg(
                    "recovery",
                    "申请所用的事项“{name}”（{code} 第 {version} 版）在本机和中心服务器上都没有，无法重建。"
                    "请安装包含该事项版本的程序后再恢复；本机数据未做任何改动。",
                ).bind(name=ref.name or ref.code, code=ref.code, version=ref.version)
            )
        found = (version_id, registry.version_by_id(session, version_id).item)
        self._items[ref.sha256] = found
        return found

    def _item_of(self, session: Session, application: Application) -> tuple[uuid.UUID, ServiceItem]:
        for version_id, item in self._items.values():
            if version_id == application.catalog_version_id:
                return version_id, item
        return application.catalog_version_id, registry.version_by_id(session, application.catalog_version_id).item

    def _where(self, session: Session) -> tuple[uuid.UUID, uuid.UUID]:
        if self._location is None:
            center_id = session.scalar(select(Center.id).where(Center.code == self.deployment.center_code))
            workstation_id = session.scalar(
                select(Workstation.id).where(
                    Workstation.center_id == center_id, Workstation.code == self.deployment.workstation_code
                )
            )
            assert center_id is not None and workstation_id is not None, "register the workstation first"
            self._location = (center_id, workstation_id)
        return self._location

    def _user(self, session: Session, username: str, staff_no: str) -> uuid.UUID:
        """The account a clerk named by the events has here: an existing one, or one that cannot log in."""
        name = username.strip().lower() or "unknown"
        found = self._users.get(name)
        if found is not None:
            return found
        found = session.scalar(select(User.id).where(User.username == name))
        if found is None:
            user = User(
                id=uuid.uuid4(),
                username=name,
                display_name=name,
                staff_no=staff_no,
                role=Role.CLERK.value,
                password_hash=RECOVERED_PASSWORD,
                active=False,
                must_change_password=True,
            )
            session.add(user)
            found = user.id
            self.rebuilt.accounts.append(name)
        self._users[name] = found
        return found

    # ------------------------------------------------------------------ the new audit chain

    def audit(self, session: Session, *, store_id: str, series: int, details: dict[str, object]) -> None:
        """Start the recovered store's audit chain: ``store.recovered`` (counts and codes, no personal data), then one
        ``application.recovered`` per application, carrying the keyed digests of its data as rebuilt (so ``yimen
        audit verify`` finds every record explained)."""
        audit.record(
            session,
            action="store.recovered",
            entity_type="store",
            entity_id=store_id,
            workstation_code=self.deployment.workstation_code,
            user_id=None,
            details={
                "source": "server",
                "series": series,
                "applications": self.rebuilt.applications,
                "events": self.rebuilt.events,
                "documents": self.rebuilt.documents,
                **details,
            },
        )
        writer = ChangeWriter(self.deployment.center_code, self.deployment.workstation_code)
        for application in _in_order(session):
            writer.audit(session, application, action="application.recovered", user_id=None)


def fetch_attachments(db: Database, fetch: Callable[[str, uuid.UUID], bytes], rebuilt: Rebuilt) -> None:
    """Fetch back the bytes of every file a case of the rebuilt store names and the store does not hold, one file
    per transaction (a file may be 20 MB), each checked against its SHA-256.  ``fetch(sha256, application_id)``: the
    server's answer for one case naming the file (app/sync/client.py ``fetch_attachment``); a file several cases name
    is asked for each in turn until one answers.  What does not come, or comes wrong, is counted in ``rebuilt`` and
    logged by the first characters of its hash: the rebuild goes on (the record view says the file is on the server).

    Raises:
        StorageError: the new store cannot be written (as every step of the rebuild).
    """
    with db.read() as session:
        rows = session.execute(
            select(Attachment.sha256, Attachment.application_id)
            .where(~exists().where(AttachmentData.sha256 == Attachment.sha256))
            .order_by(Attachment.created_at, Attachment.sha256)
        ).all()
    cases: dict[str, list[uuid.UUID]] = {}
    for sha, application_id in rows:
        cases.setdefault(sha, []).append(application_id)
    for sha, application_ids in cases.items():
        data = _fetched(sha, application_ids, fetch, rebuilt)
        if data is None:
            continue
        with db.write() as session:
            if session.get(AttachmentData, sha) is None:
                session.add(AttachmentData(sha256=sha, data=data))
        rebuilt.files += 1
    if rebuilt.files_missing or rebuilt.files_wrong:
        log.warning(
            "material files fetched back: %d; not given by the server: %d; not matching their SHA-256: %d",
            rebuilt.files,
            rebuilt.files_missing,
            rebuilt.files_wrong,
        )
    elif rebuilt.files:
        log.info("material files fetched back: %d", rebuilt.files)


def _fetched(
    sha: str, application_ids: list[uuid.UUID], fetch: Callable[[str, uuid.UUID], bytes], rebuilt: Rebuilt
) -> bytes | None:
    """One file's bytes from the server, checked; None (counted) when none of its cases gives them whole."""
    for application_id in dict.fromkeys(application_ids):
        try:
            data = fetch(sha, application_id)
        except SyncError as exc:
            log.warning("material file %s… not fetched back (%s)", sha[:12], type(exc).__name__)
            continue
        if hashlib.sha256(data).hexdigest() != sha:
            log.error("material file %s… fetched back does not match its SHA-256: not kept", sha[:12])
            rebuilt.files_wrong += 1
            return None
        return data
    rebuilt.files_missing += 1
    return None


def _in_order(session: Session) -> Iterable[Application]:
    ids = session.scalars(select(Application.id).order_by(Application.received_at, Application.acceptance_no)).all()
    for application_id in ids:
        application = session.get(Application, application_id)
        assert application is not None
        yield application
