"""Intake use cases: decide (受理 / 补正 / 不予受理), the 补正 return visit, 更正 and 作废.

Each user action is one ``BEGIN IMMEDIATE`` transaction that changes the record and writes its outbox and audit
events through :class:`app.changes.ChangeWriter` (ARCHITECTURE.md invariant 1); nothing is ever deleted here (a
closed case leaves the workstation only through the retention purge, app/retention.py, once the server has it).
Decisions follow 行政许可法 Art. 32: accept when everything is there; otherwise tell the applicant *everything* that
is missing at once; or refuse with a reason and the appeal rights.  Checking a draft lives in
:mod:`app.intake.checks`, reading in :mod:`app.intake.queries`, the views and events of a record in
:mod:`app.intake.projections`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Callable, Iterable
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import attachments, signatures
from app.catalog import rules as catalog_rules
from app.catalog.registry import Catalog, CatalogEntry, version_by_id
from app.catalog.schema import Kind, ServiceItem
from app.changes import ChangeWriter
from app.config import Deployment
from app.domain import AppState, Decision, MaterialStatus, SyncState
from app.errors import NotAllowedError, NotFoundError, ValidationError
from app.i18n import Message, msg
from app.intake import numbering, projections
from app.intake.checks import (
    MIN_REASON_LENGTH,
    DraftChecker,
    material_note_problems,
    refusal_detail_problem,
    require_refusal_reason,
    stored_status,
    tick_problems,
)
from app.intake.model import (
    ApplicationDraft,
    ApplicationSummary,
    DebtOrigin,
    DecisionInput,
    DecisionResult,
    DocumentDebt,
    DocumentsDue,
    DocumentsOnRecord,
    DraftCheck,
    MaterialInput,
    MaterialLine,
    PartyInput,
)
from app.intake.queries import IntakeQueries, purged_notice
from app.localtime import local_date
from app.people import name_search_key
from app.security import audit
from app.security.accounts import SessionUser
from app.security.permissions import Actor, Permission, allows, require
from app.sync import protocol
from app.texts import text_problem
from app.workdays import WorkCalendar
from db.engine import Database
from db.models import (
    Application,
    ApplicationMaterial,
    ApplicationParty,
    Center,
    DayClose,
    DecisionRecord,
    DocumentRecord,
    Person,
    Workstation,
)
from db.types import utcnow


class IntakeService:
    """The counter's use cases over one database.  Thread-safe as long as each call runs on the db worker."""

    def __init__(
        self,
        db: Database,
        deployment: Deployment,
        catalog: Catalog,
        calendar: WorkCalendar,
        clock: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        self.db = db
        self.deployment = deployment
        self.catalog = catalog
        self.calendar = calendar
        self.clock = clock
        self.queries = IntakeQueries(db, catalog, clock)
        self.checker = DraftChecker(catalog, clock, self.queries.open_cases)
        self.changes = ChangeWriter(deployment.center_code, deployment.workstation_code)
        self._ids: tuple[uuid.UUID, uuid.UUID] | None = None
        self._versions: dict[uuid.UUID, CatalogEntry] = {e.version_id: e for e in catalog.entries.values()}

    # ------------------------------------------------------------------ checking and reading (delegated)

    def check(self, draft: ApplicationDraft) -> DraftCheck:
        """Validate a draft without saving: problems beside fields, the material checklist, duplicates."""
        return self.checker.check(draft)

    def list_day(self, day: dt.date | None = None, *, by: Actor, limit: int = 500) -> list[ApplicationSummary]:
        require(by, Permission.READ_RECORDS)
        return self.queries.list_day(day, limit=limit)

    def search(self, query: str, *, by: Actor, limit: int = 200) -> list[ApplicationSummary]:
        require(by, Permission.READ_RECORDS)
        return self.queries.search(query, limit=limit)

    def history(self, id_number: str, *, by: Actor, limit: int = 100) -> list[ApplicationSummary]:
        require(by, Permission.READ_RECORDS)
        return self.queries.history(id_number, limit=limit)

    def load(self, acceptance_no: str) -> DecisionResult:
        """Everything about one stored application (for the return visit, reprints and the documents)."""
        number = numbering.normalize_acceptance_no(acceptance_no)
        with self.db.read() as session:
            return self._result(session, self._get(session, number), None)

    # ------------------------------------------------------------------ deciding

    def decide(self, draft: ApplicationDraft, decision: DecisionInput, user: SessionUser) -> DecisionResult:
        """Store a new application with its first decision, audit event and outbox entry in one transaction.

        Raises:
            DraftRejectedError: the draft does not meet what this decision needs (the message says what, the issue
                where, and the check is the one the decision was judged on).
            StorageError: the database could not store it (nothing was stored).
        """
        require(user, Permission.TAKE)
        entry = self.checker.entry(draft.item_code, for_new=True)
        checked = self.checker.check(draft, entry)
        self.checker.require(draft, decision, checked, entry)
        with self.db.write() as session:
            closed = self._closed_day(session, user, [local_date(self.clock())], _NEW_ON_CLOSED_DAY)
            application = self._store_new(session, entry, draft, decision, checked, user)
            event_id = self.changes.write(
                session,
                application,
                projections.taken_body(session, application, entry, user),
                action=f"application.{decision.decision.value}",
                user_id=user.id,
                at=application.decided_at,
                details={
                    "item": entry.code,
                    "item_version": entry.item.version,
                    "notice_no": application.notice_no,
                    **_closed_detail(closed),
                    **_card_detail(draft),
                },
            )
            # The materials' files, one attachment.added each, after the taken event (docs/sync-protocol.md).
            attachments.queue_added(session, self.changes, application, user_id=user.id, at=application.decided_at)
            # The signatures taken before the decision, after its taken event: the documents print them.
            signed = signatures.store_new(
                session,
                self.changes,
                application,
                draft.signatures,
                user_id=user.id,
                clerk_username=user.username,
                at=application.decided_at,
            )
            # A new application has no documents yet: what it owes is planned without reading them.
            return self._result(session, application, event_id, on_record=DocumentsOnRecord(), signed=signed)

    def _store_new(
        self,
        session: Session,
        entry: CatalogEntry,
        draft: ApplicationDraft,
        decision: DecisionInput,
        checked: DraftCheck,
        user: SessionUser,
    ) -> Application:
        now = self.clock()
        center_id, workstation_id = self._location_ids(session)
        application = Application(
            id=uuid.uuid4(),
            acceptance_no=numbering.acceptance_no(
                session,
                center_code=self.deployment.center_code,
                workstation_code=self.deployment.workstation_code,
                local_date=local_date(now),
            ),
            query_code=numbering.query_code(),
            item_code=entry.code,
            catalog_version_id=entry.version_id,
            center_id=center_id,
            workstation_id=workstation_id,
            clerk_id=user.id,
            state=AppState.ACCEPTED.value,
            decision=decision.decision.value,
            queue_ticket=(draft.queue_ticket or "").strip() or None,
            called_at=draft.called_at,
            received_at=now,
            decided_at=now,
            form_values=self._clean_values(entry.item, draft.values),
            sync_state=SyncState.PENDING.value,
            # Empty, not unloaded: a new application's rows are never read back (no lazy SELECT once it is flushed).
            parties=[],
            materials=[],
            decisions=[],
        )
        session.add(application)
        # The session's identity map holds objects weakly: the persons are kept for the transaction, so the
        # projections' ``session.get(Person, …)`` (event body, audit digests, result) finds them without a SELECT.
        kept = session.info.setdefault(_KEPT, [])
        # Ids are made here (not at flush) and rows are attached through the relationships, so the whole
        # application is written by one flush and read back from memory, not from the database.
        for position, (party, given) in enumerate(zip(checked.parties, draft.parties, strict=True)):
            person = upsert_person(session, party)
            kept.append(person)
            application.parties.append(
                ApplicationParty(
                    id=uuid.uuid4(),
                    person_id=person.id,
                    role=party.role.value,
                    position=position,
                    name=person.name,
                    values=self._clean_party_values(entry.item, given),
                )
            )
        # A material names its party by id only (no relationship the flush could order by): the parties are written
        # first.
        session.flush()
        ticks = {(t.key, t.party_index): t for t in draft.materials}
        for position, line in enumerate(checked.materials):
            tick = ticks.get((line.key, line.party_index))
            # An unticked required line is missing (the 补正 notice lists it), never "not needed".
            status = (
                stored_status(line, tick.status)
                if tick
                else (MaterialStatus.MISSING if line.required else MaterialStatus.NOT_NEEDED)
            )
            application.materials.append(
                ApplicationMaterial(
                    id=uuid.uuid4(),
                    party_id=application.parties[line.party_index].id if line.party_index is not None else None,
                    position=position,
                    material_key=line.key,
                    name=line.name,
                    form=line.form,
                    count=_kept_count(status, tick.count if tick else None, line.count),
                    required=line.required,
                    status=status.value,
                    note=(tick.note or "").strip() or None if tick else None,
                    received_at=now if status.present else None,
                )
            )
        # The files the draft's lines carry (电子材料) become the case's attachment rows in the same transaction.
        lines = {(m.key, m.party_index) for m in checked.materials}
        files = [
            attachments.LineFiles(t.key, t.party_index, t.attachments)
            for t in draft.materials
            if t.attachments and (t.key, t.party_index) in lines
        ]
        attachments.link(session, application.id, files, user.id, now)
        self._apply_decision(session, application, entry.item, decision, user, now)
        return application

    def _apply_decision(
        self,
        session: Session,
        application: Application,
        item: ServiceItem,
        decision: DecisionInput,
        user: SessionUser,
        now: dt.datetime,
    ) -> DecisionRecord:
        kind = decision.decision
        notice: str | None = None
        missing_keys: list[str] = []
        if kind.accepts and item.kind == Kind.INQUIRY:
            # 查询: answered on the spot with an answer slip; no 受理, no promised date, closed at once.
            application.state = AppState.ANSWERED.value
        elif kind.accepts:
            application.state = AppState.ACCEPTED.value
            application.accepted_at = now
            days = item.promised_days
            application.promised_days = days
            if days:
                # Counting starts the working day after acceptance (rules.md §4; 行政许可法 Art. 82).
                result = self.calendar.add_workdays(local_date(now), days)
                application.promised_date = application.due_date = result.date
                application.promised_estimated = application.due_estimated = result.estimated
            policy = {Decision.TOLERATED: item.tolerated, Decision.FIRST_AID: item.first_aid}.get(kind)
            if policy is not None:
                # 容缺受理 / 先行救助: the missing lines are owed, due ``days`` working days after acceptance.
                missing_keys = [m.material_key for m in application.materials if _is_outstanding(m)]
                application.owed_by = self.calendar.add_workdays(local_date(now), policy.days).date
        else:
            notice = numbering.notice_no(
                session,
                kind=kind.value,
                short_name=self.deployment.center_short_name,
                center_code=self.deployment.center_code,
                workstation_code=self.deployment.workstation_code,
                local_date=local_date(now),
            )
            application.notice_no = notice
            if kind is Decision.SUPPLEMENT:
                application.state = AppState.AWAITING_SUPPLEMENT.value
                missing_keys = [m.material_key for m in application.materials if _is_outstanding(m)]
            else:
                application.state = AppState.REFUSED.value
                application.refusal_reason = (decision.reason or "").strip()
        application.decision = kind.value
        application.decided_at = now
        record = DecisionRecord(
            id=uuid.uuid4(),
            decision=kind.value,
            decided_at=now,
            clerk_id=user.id,
            notice_no=notice,
            reason=(decision.reason or "").strip() or None,
            missing=missing_keys,
            ground=decision.ground if kind is Decision.REFUSE else None,
            basis=(decision.basis or "").strip() or None if kind in (Decision.REFUSE, Decision.FIRST_AID) else None,
            competent_office=(decision.competent_office or "").strip() or None if kind is Decision.REFUSE else None,
        )
        application.decisions.append(record)
        # Every decision owes its documents (docs/documents.md); the same transaction records the debt.
        _owe(application, DocumentDebt(DebtOrigin.DECISION, record.id))
        return record

    # ------------------------------------------------------------------ 补正 return visit

    def supplement_return(
        self, acceptance_no: str, brought: Iterable[MaterialInput], decision: DecisionInput, user: SessionUser
    ) -> DecisionResult:
        """The applicant comes back with materials: tick what was brought, then accept or refuse.

        Only materials the notice listed can be required (行政许可法 Art. 32: everything at once); the promised
        date counts from the day the materials are complete.
        """
        require(user, Permission.TAKE)
        number = numbering.normalize_acceptance_no(acceptance_no)
        brought = list(brought)
        for issue in material_note_problems(brought):
            raise ValidationError(issue.message, field=issue.field, material_key=issue.material_key)
        with self.db.write() as session:
            application = self._get(session, number)
            closed = self._closed_day(session, user, [local_date(self.clock())], _VISIT_ON_CLOSED_DAY)
            if application.state != AppState.AWAITING_SUPPLEMENT.value:
                raise NotAllowedError(
                    msg("intake", "申请 {no} 不在待补正状态，不能办理补正。").bind(no=application.acceptance_no)
                )
            entry = self._version(session, application.catalog_version_id)
            now = self.clock()
            listed = [m for m in application.materials if _is_outstanding(m)]
            _record_brought(
                application,
                entry.item,
                listed,
                brought,
                now,
                msg("intake", "“{key}”不在补正告知书所列材料中，不能要求补交。"),
            )
            session.flush()
            still_missing = [m for m in listed if _is_outstanding(m)]
            if decision.decision is Decision.ACCEPT and still_missing:
                first = still_missing[0]
                catalog_name = next((m.name for m in entry.item.materials if m.key == first.material_key), None)
                raise ValidationError(
                    msg("intake", "补正告知书所列材料尚缺“{name}”，材料齐全后才能受理。").bind(
                        name=catalog_name or first.name
                    ),
                    field="materials",
                    party_index=projections.party_position(application, first.party_id),
                    material_key=first.material_key,
                )
            if decision.decision is Decision.SUPPLEMENT:
                raise ValidationError(
                    msg("intake", "一次性告知只能出具一次；请记录已交材料，或受理、不予受理。"),
                    field="decision",
                )
            if decision.decision not in (Decision.ACCEPT, Decision.REFUSE):
                raise ValidationError(
                    msg("intake", "补正后请选择受理或不予受理。"),
                    field="decision",
                )
            require_refusal_reason(decision)
            detail = refusal_detail_problem(decision)
            if detail is not None:
                raise ValidationError(detail.message, field=detail.field)
            self._apply_decision(session, application, entry.item, decision, user, now)
            body = protocol.MaterialsSupplemented(
                acceptance_no=application.acceptance_no,
                received_keys=[t.key for t in brought if t.status.present],
                materials=projections.material_data(application),
                decision=projections.decision_data(application, user),
            )
            event_id = self.changes.write(
                session,
                application,
                body,
                action=f"application.supplement_return.{decision.decision.value}",
                user_id=user.id,
                at=now,
                details=_closed_detail(closed),
            )
            return self._result(session, application, event_id)

    # ------------------------------------------------------------------ 容缺受理 / 先行救助: owed materials

    def materials_return(
        self, acceptance_no: str, brought: Iterable[MaterialInput], user: SessionUser
    ) -> DecisionResult:
        """The applicant of a 容缺受理 or 先行救助 case brings owed materials: tick what was brought.

        The case stays accepted: its 受理 date, promised date and ``owed_by`` do not change (what was promised
        stays on record); the lines brought are no longer owed.  Only owed lines can be ticked.
        """
        require(user, Permission.TAKE)
        number = numbering.normalize_acceptance_no(acceptance_no)
        brought = list(brought)
        for issue in material_note_problems(brought):
            raise ValidationError(issue.message, field=issue.field, material_key=issue.material_key)
        if not any(t.status.present for t in brought):
            raise ValidationError(msg("intake", "请勾选申请人这次带来的材料。"), field="materials")
        with self.db.write() as session:
            application = self._get(session, number)
            closed = self._closed_day(session, user, [local_date(self.clock())], _VISIT_ON_CLOSED_DAY)
            owed = [m for m in application.materials if _is_outstanding(m)]
            if (
                application.state != AppState.ACCEPTED.value
                or application.decision not in (Decision.TOLERATED.value, Decision.FIRST_AID.value)
                or not owed
            ):
                raise NotAllowedError(
                    msg("intake", "办件 {no} 没有待补交的容缺或先行救助材料。").bind(no=application.acceptance_no)
                )
            entry = self._version(session, application.catalog_version_id)
            now = self.clock()
            _record_brought(
                application,
                entry.item,
                owed,
                brought,
                now,
                msg("intake", "“{key}”不是本办件待补交的材料。"),
            )
            session.flush()
            body = protocol.MaterialsBrought(
                acceptance_no=application.acceptance_no,
                received_keys=[t.key for t in brought if t.status.present],
                materials=projections.material_data(application),
                brought_at=now,
                clerk_username=user.username,
            )
            event_id = self.changes.write(
                session,
                application,
                body,
                action="application.materials_brought",
                user_id=user.id,
                at=now,
                details={"brought": body.received_keys, **_closed_detail(closed)},
            )
            return self._result(session, application, event_id)

    def overdue_owed(self, day: dt.date | None = None, *, by: Actor, limit: int = 500) -> list[ApplicationSummary]:
        """容缺受理 / 先行救助 cases whose ``owed_by`` has passed (before ``day``, today by default) with materials
        still owed: the supervisor's list."""
        require(by, Permission.READ_RECORDS)
        return self.queries.overdue_owed(day or local_date(self.clock()), limit=limit)

    # ------------------------------------------------------------------ 更正 / 作废

    def correct(
        self,
        acceptance_no: str,
        *,
        values: dict[str, Any],
        reason: str,
        approver: SessionUser,
        user: SessionUser,
    ) -> DecisionResult:
        """Correct the form values of a record (更正) with a reason and a supervisor's approval; audited, queued."""
        _require_change(reason, approver=approver, user=user)
        number = numbering.normalize_acceptance_no(acceptance_no)
        with self.db.write() as session:
            application = self._get(session, number)
            closed = self._closed_day(session, user, self._days_of(application), _CHANGE_ON_CLOSED_DAY)
            if application.state == AppState.VOIDED.value:
                raise NotAllowedError(msg("intake", "申请 {no} 已作废，不能更正。").bind(no=application.acceptance_no))
            entry = self._version(session, application.catalog_version_id)
            ctx = catalog_rules.RuleContext(
                item=entry.item,
                values=values,
                parties=_facts_of(session, application),
                on=local_date(self.clock()),
            )
            errors = [p for p in catalog_rules.validate_form(ctx) if p.severity == "error"]
            if errors:
                raise ValidationError(errors[0].message, field=errors[0].field)
            before = dict(application.form_values)
            application.form_values = self._clean_values(entry.item, values)
            body = protocol.ApplicationCorrected(
                acceptance_no=application.acceptance_no,
                reason=reason.strip(),
                approved_by=approver.username,
                values=application.form_values,
                parties=projections.party_data(session, application),
            )
            changed = sorted(
                k for k in set(before) | set(application.form_values) if before.get(k) != application.form_values.get(k)
            )
            event_id = self.changes.write(
                session,
                application,
                body,
                action="application.corrected",
                user_id=user.id,
                at=self.clock(),
                details={
                    "approved_by": approver.username,
                    "reason": reason.strip(),
                    "changed_fields": changed,
                    **_closed_detail(closed),
                },
            )
            # A corrected record's receipt and form are reissued; the earlier ones are kept, marked replaced.  A
            # debt still open (documents of the decision not stored yet) is kept: they will show the correction.
            _owe(application, DocumentDebt(DebtOrigin.CORRECTION, event_id))
            session.flush()
            return self._result(session, application, event_id)

    def void(self, acceptance_no: str, *, reason: str, approver: SessionUser, user: SessionUser) -> DecisionResult:
        """Void a record (作废) with a reason and a supervisor's approval; it stays readable, never deleted."""
        _require_change(reason, approver=approver, user=user)
        number = numbering.normalize_acceptance_no(acceptance_no)
        with self.db.write() as session:
            application = self._get(session, number)
            closed = self._closed_day(session, user, self._days_of(application), _CHANGE_ON_CLOSED_DAY)
            if application.state == AppState.VOIDED.value:
                raise NotAllowedError(msg("intake", "申请 {no} 已经作废。").bind(no=application.acceptance_no))
            application.state = AppState.VOIDED.value
            application.void_reason = reason.strip()
            application.documents_due = None  # a voided record is handed nothing more
            body = protocol.ApplicationVoided(
                acceptance_no=application.acceptance_no, reason=reason.strip(), approved_by=approver.username
            )
            event_id = self.changes.write(
                session,
                application,
                body,
                action="application.voided",
                user_id=user.id,
                at=self.clock(),
                details={"approved_by": approver.username, "reason": reason.strip(), **_closed_detail(closed)},
            )
            session.flush()
            return self._result(session, application, event_id)

    # ------------------------------------------------------------------ closed days (日结)

    def _days_of(self, application: Application) -> list[dt.date]:
        """The days a change of ``application`` touches: the day its 办件编号 carries, and today."""
        return [
            protocol.day_of(application.acceptance_no) or local_date(application.received_at),
            local_date(self.clock()),
        ]

    def _closed_day(self, session: Session, user: Actor, days: Iterable[dt.date], refusal: Message) -> dt.date | None:
        """The first of ``days`` closed by a 日结 (docs/supervisor.md "Reconciliation and day close"): a clerk is
        refused; a supervisor may go on, and the day is returned for the change's audit details (``closed_day``),
        which the next day's summary reads."""
        wanted = sorted(set(days))
        closed = session.scalars(select(DayClose.day).where(DayClose.day.in_(wanted)).order_by(DayClose.day)).first()
        if closed is None:
            return None
        if allows(user.role, Permission.CLOSE_DAY):
            return closed
        raise NotAllowedError(refusal.bind(day=closed.isoformat()))

    # ------------------------------------------------------------------ deadlines

    def recompute_estimated_deadlines(self) -> int:
        """Recompute the tracked deadline of open accepted records whose date was estimated.

        Run at start-up: when IT has added a calendar year as data, estimated deadlines become exact.  The printed
        promise (``promised_date``) stays as it was; only ``due_date`` moves.  Returns how many changed.
        """
        changed = 0
        with self.db.write() as session:
            rows = session.scalars(
                select(Application).where(
                    Application.state == AppState.ACCEPTED.value,
                    Application.due_estimated.is_(True),
                    Application.accepted_at.is_not(None),
                    Application.promised_days.is_not(None),
                )
            ).all()
            for application in rows:
                assert application.accepted_at is not None and application.promised_days is not None
                result = self.calendar.add_workdays(local_date(application.accepted_at), application.promised_days)
                if (result.date, result.estimated) == (application.due_date, application.due_estimated):
                    continue
                self.changes.audit(
                    session,
                    application,
                    action="application.deadline_recomputed",
                    user_id=None,
                    details={
                        "from": application.due_date.isoformat() if application.due_date else None,
                        "to": result.date.isoformat(),
                        "estimated": result.estimated,
                    },
                )
                application.due_date, application.due_estimated = result.date, result.estimated
                changed += 1
        return changed

    # ------------------------------------------------------------------ helpers

    def _clean_values(self, item: ServiceItem, values: dict[str, Any]) -> dict[str, Any]:
        cleaned: dict[str, Any] = {}
        for fdef in item.fields:
            if fdef.key in values:
                value, _ = catalog_rules.validate_value(fdef, values[fdef.key])
                cleaned[fdef.key] = value
        return _jsonable(cleaned)

    def _clean_party_values(self, item: ServiceItem, party: PartyInput) -> dict[str, Any]:
        """A party's own values (e.g. a household member's income) coerced by its role's fields (money → fen)."""
        spec = item.party(party.role)
        fields = {f.key: f for f in spec.fields} if spec is not None else {}
        cleaned: dict[str, Any] = {}
        for key, raw in party.values.items():
            fdef = fields.get(key)
            cleaned[key] = catalog_rules.validate_value(fdef, raw)[0] if fdef is not None else raw
        return _jsonable(cleaned)

    def _location_ids(self, session: Session) -> tuple[uuid.UUID, uuid.UUID]:
        """This workstation's centre and workstation ids (registered at start-up; they never change in a run)."""
        if self._ids is None:
            center_id = session.scalar(select(Center.id).where(Center.code == self.deployment.center_code))
            workstation_id = session.scalar(
                select(Workstation.id).where(
                    Workstation.center_id == center_id, Workstation.code == self.deployment.workstation_code
                )
            )
            if center_id is None or workstation_id is None:
                raise NotAllowedError(msg("intake", "本机尚未登记中心和工位信息，请重新启动程序。"))
            self._ids = (center_id, workstation_id)
        return self._ids

    def _version(self, session: Session, version_id: uuid.UUID) -> CatalogEntry:
        """The catalog item version a record was taken under (versions are immutable: cached once parsed)."""
        entry = self._versions.get(version_id)
        if entry is None:
            entry = self._versions[version_id] = version_by_id(session, version_id)
        return entry

    def _get(self, session: Session, number: str) -> Application:
        application = session.scalar(select(Application).where(Application.acceptance_no == number))
        if application is None:
            raise NotFoundError(
                purged_notice(session, number)
                or msg("intake", "找不到办件编号为 {no} 的申请，请核对编号。").bind(no=number)
            )
        return application

    def _result(
        self,
        session: Session,
        application: Application,
        event_id: uuid.UUID | None,
        *,
        on_record: DocumentsOnRecord | None = None,
        signed: tuple[signatures.SignatureView, ...] | None = None,
    ) -> DecisionResult:
        entry = self._version(session, application.catalog_version_id)
        result = projections.result(session, application, entry, self.deployment, event_id)
        if signed is None:
            signed = signatures.of_application(session, application)
        if signed:
            result = dataclasses.replace(result, signatures=signed)
        if not result.documents_due:
            return result  # nothing owed: nothing to plan
        if on_record is None:
            on_record = documents_on_record(session, application.id)
        # The counter plans the documents this change owes from the result (DocumentService.plan): no second read.
        return dataclasses.replace(result, documents_on_record=on_record)


class PersonFacts(Protocol):
    """What is known of a party's person: a checked party at the counter, or a party of a synced event (recovery)."""

    @property
    def name(self) -> str: ...
    @property
    def id_number(self) -> str | None: ...
    @property
    def id_kind(self) -> str | None: ...
    @property
    def sex(self) -> str | None: ...
    @property
    def birth_date(self) -> dt.date | None: ...
    @property
    def phone(self) -> str | None: ...


def upsert_person(session: Session, party: PersonFacts) -> Person:
    """The person behind a party: found by the normalized ID number, else new; name and phone updated."""
    person = session.scalar(select(Person).where(Person.id_number == party.id_number)) if party.id_number else None
    if person is None:
        person = Person(id_number=party.id_number, name=party.name, name_key=name_search_key(party.name))
        session.add(person)
    person.name = party.name
    person.name_key = name_search_key(party.name)
    if party.id_number is not None:
        person.id_kind = party.id_kind
        person.sex = party.sex
        person.birth_date = party.birth_date
    if party.phone:
        person.phone = party.phone
    session.flush()
    return person


def _facts_of(session: Session, application: Application) -> list[catalog_rules.PartyFacts]:
    return [
        catalog_rules.PartyFacts(
            role=party.role,
            name=party.name,
            id_number=person.id_number,
            birth_date=person.birth_date,
            sex=person.sex,
            values=party.values,
        )
        for party, person in projections.parties_with_persons(session, application)
    ]


#: ``session.info`` key: objects a write transaction keeps referenced until it ends (see ``_store_new``).
_KEPT = "intake.kept"

_NEW_ON_CLOSED_DAY = msg("intake", "今天（{day}）已日结，柜员不能再办理新的申请。确需办理的，请值班长办理。")
_VISIT_ON_CLOSED_DAY = msg("intake", "今天（{day}）已日结，柜员不能再办理补正或补交材料。确需办理的，请值班长办理。")
_CHANGE_ON_CLOSED_DAY = msg(
    "intake", "{day} 已日结，柜员不能更正、作废该日的办件或在该日办理更正、作废，请值班长本人办理（仍须批准）。"
)


def _closed_detail(day: dt.date | None) -> dict[str, str]:
    """The audit details of a change a supervisor made on a closed day: which day it was."""
    return {"closed_day": day.isoformat()} if day is not None else {}


def _card_detail(draft: ApplicationDraft) -> dict[str, Any]:
    """The audit details of the parties an ID-card reader filled: which fields, which changed by hand afterwards,
    the card type and whether it had expired (never the values; app/idcard/marks.py)."""
    cards = [p.card.detail(i) for i, p in enumerate(draft.parties) if p.card is not None]
    return {"id_cards": cards} if cards else {}


def documents_on_record(session: Session, application_id: uuid.UUID) -> DocumentsOnRecord:
    """The application's stored documents, read in ``session`` (what planning its documents needs)."""
    rows = session.execute(
        select(DocumentRecord.issue_key, DocumentRecord.kind, DocumentRecord.superseded_at).where(
            DocumentRecord.application_id == application_id
        )
    ).all()
    return DocumentsOnRecord(
        issue_keys=frozenset(row.issue_key for row in rows),
        kinds=frozenset(row.kind for row in rows),
        current=frozenset(row.kind for row in rows if row.superseded_at is None),
    )


def _owe(application: Application, debt: DocumentDebt) -> None:
    application.documents_due = DocumentsDue.parse(application.documents_due).adding(debt).stored()


def _require_change(reason: str, *, approver: SessionUser, user: SessionUser) -> None:
    """A 更正 or 作废: entered by someone who may ask for it, approved by a supervisor, with a reason of at least
    four characters that names no ID number (the reason goes into the audit trail and to the server)."""
    require(user, Permission.REQUEST_CHANGE)
    require(approver, Permission.APPROVE_CHANGE)
    if len(reason.strip()) < MIN_REASON_LENGTH:
        raise ValidationError(
            msg("intake", "请写明原因（至少 {n} 个字）。").bind(n=MIN_REASON_LENGTH), field="approval_reason"
        )
    problem = text_problem(reason.strip())
    if problem is not None:
        raise ValidationError(problem, field="approval_reason")
    if audit.holds_id_number(reason):
        raise ValidationError(
            msg("intake", "原因中请不要写证件号码，写明更正或作废的事由即可。"), field="approval_reason"
        )


def _record_brought(
    application: Application,
    item: ServiceItem,
    listed: list[ApplicationMaterial],
    brought: list[MaterialInput],
    now: dt.datetime,
    not_listed: Message,
) -> None:
    """A return visit's ticks on the lines still outstanding (``listed``): checked like the first visit's and
    recorded as what the counter did with each material (:func:`stored_status`)."""
    by_key = {(m.material_key, projections.party_position(application, m.party_id)): m for m in listed}
    catalog = {m.key: m for m in item.materials}
    lines = []
    for (key, position), material in by_key.items():
        spec = catalog.get(key)
        lines.append(
            MaterialLine(
                key=key,
                name=material.name,
                form=material.form,
                count=material.count,
                required=material.required,
                standard=None,
                party_index=position,
                party_name=None,
                unit=spec.unit.value if spec else "份",
                handling=spec.handled().value if spec else "keep",
                e_license=spec.e_license if spec else False,
            )
        )
    line_of = {(line.key, line.party_index): line for line in lines}
    for tick in brought:
        if (tick.key, tick.party_index) not in by_key:
            raise ValidationError(not_listed.bind(key=tick.key), field="materials", material_key=tick.key)
    for issue in tick_problems(lines, brought, item=item):
        raise ValidationError(
            issue.message, field=issue.field, party_index=issue.party_index, material_key=issue.material_key
        )
    for tick in brought:
        material = by_key[(tick.key, tick.party_index)]
        status = stored_status(line_of[(tick.key, tick.party_index)], tick.status)
        material.status = status.value
        material.note = (tick.note or "").strip() or None
        material.count = _kept_count(status, tick.count, material.count)
        if status.present:
            material.received_at = now


def _kept_count(status: MaterialStatus, given: int | None, catalog_count: int) -> int:
    """The count stored with a line: the copies kept when the clerk says how many, else the catalog's count."""
    return given if given is not None and status.kept else catalog_count


def _is_outstanding(material: ApplicationMaterial) -> bool:
    return material.required and material.status in (MaterialStatus.MISSING.value, MaterialStatus.DEFECTIVE.value)


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    """Values as JSON can hold them: dates as ISO strings, everything else as it is."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, dt.date):
            out[key] = value.isoformat()
        elif isinstance(value, list):
            out[key] = [v.isoformat() if isinstance(v, dt.date) else v for v in value]
        else:
            out[key] = value
    return out
