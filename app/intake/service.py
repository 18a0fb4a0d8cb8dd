"""Intake use cases: check a draft, decide (受理 / 补正 / 不予受理), the 补正 return visit, 更正 and 作废.

Each user action is one ``BEGIN IMMEDIATE`` transaction that writes the record, its audit event and its outbox
entry together (ARCHITECTURE.md invariant 1); nothing is ever deleted.  Decisions follow 行政许可法 Art. 32:
accept when everything is there; otherwise tell the applicant *everything* that is missing at once; or refuse with
a reason and the appeal rights (the notice text is the documents issue's).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, bindparam, or_, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, aliased

from app import idnumber, people
from app.catalog import rules as catalog_rules
from app.catalog.registry import Catalog, CatalogEntry, version_by_id
from app.catalog.schema import ServiceItem
from app.config import Deployment
from app.errors import NotAllowedError, NotFoundError, ValidationError, storage_error_from
from app.i18n import msg
from app.intake import numbering
from app.intake.model import (
    ApplicationDraft,
    ApplicationSummary,
    CenterInfo,
    DecisionInput,
    DecisionResult,
    DraftCheck,
    Issue,
    MaterialInput,
    MaterialLine,
    MaterialView,
    PartyInput,
    PartyView,
)
from app.security import audit
from app.security.accounts import SessionUser
from app.sync import outbox, protocol
from app.workdays import WorkCalendar
from db.engine import Database
from db.models import (
    Application,
    ApplicationMaterial,
    ApplicationParty,
    AppState,
    Center,
    Decision,
    DecisionRecord,
    MaterialStatus,
    PartyRole,
    Person,
    SyncState,
    User,
    Workstation,
)
from db.types import utcnow

SHANGHAI = ZoneInfo("Asia/Shanghai")
MIN_REASON_LENGTH = 4
OPEN_STATES = (AppState.ACCEPTED.value, AppState.AWAITING_SUPPLEMENT.value)
IDENTITY_FIELDS = ("name", "id_number", "phone")
DUPLICATES_SHOWN = 5

# The application list's columns in one statement (no ORM objects: lists and history are hot paths).
_APPLICANT = aliased(ApplicationParty, name="applicant")
_APPLICANT_PERSON = aliased(Person, name="applicant_person")
_SUMMARY_SELECT = (
    select(
        Application.id,
        Application.acceptance_no,
        Application.item_code,
        Application.state,
        Application.decision,
        Application.decided_at,
        Application.received_at,
        Application.sync_state,
        Application.sync_error,
        Application.server_status,
        Application.server_status_at,
        Application.promised_date,
        Application.promised_estimated,
        Application.notice_no,
        _APPLICANT.name.label("applicant_name"),
        _APPLICANT_PERSON.id_number,
        User.display_name.label("clerk_name"),
    )
    .join(_APPLICANT, and_(_APPLICANT.application_id == Application.id, _APPLICANT.role == PartyRole.APPLICANT.value))
    .join(_APPLICANT_PERSON, _APPLICANT_PERSON.id == _APPLICANT.person_id)
    .join(User, User.id == Application.clerk_id)
)
# An applicant's history, built once: executing the same statement object skips SQLAlchemy's per-call cache-key
# and result-map adaptation, which cost more than the query itself (docs/performance.md).
_HISTORY_SELECT = (
    _SUMMARY_SELECT.where(
        Application.id.in_(
            select(ApplicationParty.application_id).where(
                ApplicationParty.person_id
                == select(Person.id).where(Person.id_number == bindparam("id_number")).scalar_subquery()
            )
        )
    )
    .order_by(Application.received_at.desc())
    .limit(bindparam("limit"))
)


def local_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone(SHANGHAI).date()


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
        self._ids: tuple[uuid.UUID, uuid.UUID] | None = None
        self._versions: dict[uuid.UUID, CatalogEntry] = {e.version_id: e for e in catalog.entries.values()}

    # ------------------------------------------------------------------ checking

    def _entry(self, code: str, *, for_new: bool) -> CatalogEntry:
        entry = self.catalog.entry(code)
        if entry is None:
            raise NotFoundError(msg("intake", "找不到事项“{code}”，请重新选择事项。").bind(code=code))
        if for_new and not entry.active:
            raise NotAllowedError(
                msg("intake", "事项“{name}”已退出，不能再受理新的申请。").bind(name=entry.item.name.zh),
            )
        return entry

    def check(self, draft: ApplicationDraft) -> DraftCheck:
        """Validate a draft without saving: problems beside fields, the material checklist, duplicates."""
        entry = self._entry(draft.item_code, for_new=True)
        today = local_date(self.clock())
        issues, facts = self._check_parties(draft.parties, today)
        ctx = catalog_rules.RuleContext(item=entry.item, values=draft.values, parties=facts, on=today)
        for problem in catalog_rules.validate_form(ctx):
            issues.append(
                Issue(
                    problem.message,
                    problem.severity,
                    field=problem.field,
                    party_index=problem.party_index,
                )
            )
        lines = self._material_lines(ctx, draft.parties)
        duplicates = self._duplicates(draft)
        return DraftCheck(issues, lines, duplicates)

    def _check_parties(
        self, parties: Sequence[PartyInput], today: dt.date
    ) -> tuple[list[Issue], list[catalog_rules.PartyFacts]]:
        issues: list[Issue] = []
        facts: list[catalog_rules.PartyFacts] = []
        seen_ids: dict[str, int] = {}
        if not any(p.role == PartyRole.APPLICANT for p in parties):
            issues.append(Issue(msg("intake", "请填写申请人。"), field="applicant"))
        for index, party in enumerate(parties):
            name = party.name
            try:
                name = people.validate_name(party.name)
            except ValidationError as exc:
                issues.append(Issue(exc.message, field="name", party_index=index))
            birth: dt.date | None = None
            sex: str | None = None
            normalized: str | None = None
            if party.id_number and party.id_number.strip():
                check = idnumber.check_id(party.id_number, today=today)
                if not check.valid:
                    assert check.error is not None
                    issues.append(Issue(check.error, field="id_number", party_index=index))
                else:
                    normalized, birth = check.normalized, check.birth_date
                    sex = check.sex.value if check.sex else None
                    if check.warnings and not party.confirmed_id:
                        for warning in check.warnings:
                            issues.append(Issue(warning, "warning", field="id_number", party_index=index))
                    if normalized in seen_ids:
                        issues.append(
                            Issue(
                                msg("intake", "身份证号与第 {n} 位当事人重复。").bind(n=seen_ids[normalized] + 1),
                                field="id_number",
                                party_index=index,
                            )
                        )
                    seen_ids.setdefault(normalized, index)
            elif party.role in (PartyRole.APPLICANT, PartyRole.AGENT, PartyRole.GUARDIAN, PartyRole.SPOUSE):
                issues.append(
                    Issue(msg("intake", "请填写证件号码。"), field="id_number", party_index=index),
                )
            if party.phone and party.phone.strip():
                try:
                    people.validate_phone(party.phone)
                except ValidationError as exc:
                    issues.append(Issue(exc.message, field="phone", party_index=index))
            facts.append(
                catalog_rules.PartyFacts(
                    role=party.role.value,
                    name=name,
                    id_number=normalized,
                    birth_date=birth,
                    sex=sex,
                    disability_category=None,
                    disability_grade=None,
                    values=party.values,
                )
            )
        return issues, facts

    def _material_lines(self, ctx: catalog_rules.RuleContext, parties: Sequence[PartyInput]) -> list[MaterialLine]:
        lines = []
        for need in catalog_rules.required_materials(ctx):
            party_name = parties[need.party_index].name if need.party_index is not None else None
            material = need.material
            lines.append(
                MaterialLine(
                    key=material.key,
                    name=material.name.zh,
                    form=material.form.value,
                    count=material.count,
                    required=need.required,
                    standard=material.standard.zh,
                    party_index=need.party_index,
                    party_name=party_name,
                )
            )
        return lines

    def _duplicates(self, draft: ApplicationDraft) -> list[ApplicationSummary]:
        applicant = next((p for p in draft.parties if p.role == PartyRole.APPLICANT), None)
        if applicant is None or not applicant.id_number:
            return []
        check = idnumber.check_id(applicant.id_number)
        if not check.valid:
            return []
        where = and_(
            _APPLICANT_PERSON.id_number == check.normalized,
            Application.item_code == draft.item_code,
            Application.state.in_(OPEN_STATES),
        )
        # A few are enough to warn; an applicant with many open cases must not slow every save.
        return self._summaries(where, limit=DUPLICATES_SHOWN)

    # ------------------------------------------------------------------ deciding

    def decide(self, draft: ApplicationDraft, decision: DecisionInput, user: SessionUser) -> DecisionResult:
        """Store a new application with its first decision, audit event and outbox entry in one transaction.

        Raises:
            ValidationError: the draft does not meet what this decision needs (the message says what).
            StorageError: the database could not store it (nothing was stored).
        """
        entry = self._entry(draft.item_code, for_new=True)
        checked = self.check(draft)
        self._require_for_decision(draft, decision, checked)
        try:
            with self.db.write() as session:
                application = self._store_new(session, entry, draft, decision, checked, user)
                event = self._taken_event(session, application, entry, user)
                entry_row = outbox.append(session, event)
                audit.record(
                    session,
                    action=f"application.{decision.decision.value}",
                    entity_type="application",
                    entity_id=application.id,
                    workstation_code=self.deployment.workstation_code,
                    user_id=user.id,
                    details={
                        "acceptance_no": application.acceptance_no,
                        "item": entry.code,
                        "item_version": entry.item.version,
                        "notice_no": application.notice_no,
                        "outbox_event": str(entry_row.id),
                    },
                )
                return self._result(session, application, entry_row.id)
        except OperationalError as exc:
            raise storage_error_from(exc) from exc

    def _require_for_decision(self, draft: ApplicationDraft, decision: DecisionInput, checked: DraftCheck) -> None:
        # Who the parties are must be right for every decision (a notice names them); the rest of the form must be
        # complete only to accept.
        identity_errors = [
            i
            for i in checked.errors
            if i.field == "applicant" or (i.party_index is not None and i.field in IDENTITY_FIELDS)
        ]
        if identity_errors:
            raise _issue_error(identity_errors[0])
        missing = _missing_required(checked.materials, draft.materials)
        kind = decision.decision
        if kind is Decision.ACCEPT:
            if checked.errors:
                # The parties come first on the screen, so their problems are named first.
                first = min(checked.errors, key=lambda i: (i.party_index is None, i.party_index or 0))
                raise _issue_error(first)
            if checked.warnings and not draft.acknowledged_warnings:
                warning = checked.warnings[0]
                raise ValidationError(
                    msg("intake", "有需要确认的提示：{text}。请核实后勾选“已核实”再受理。").bind(text=warning.message),
                    field=warning.field,
                    party_index=warning.party_index,
                )
            if missing:
                raise ValidationError(
                    msg(
                        "intake", "材料不齐，不能受理：缺少“{name}”。请选择“一次性补正告知”，列出全部缺少的材料。"
                    ).bind(name=missing[0].name),
                    field="materials",
                )
        elif kind is Decision.SUPPLEMENT:
            if not missing:
                raise ValidationError(
                    msg("intake", "没有标记为缺少或不合格的必需材料，无需补正；材料齐全请直接受理。"),
                    field="materials",
                )
            for tick in draft.materials:
                if tick.status is MaterialStatus.DEFECTIVE and not (tick.note and tick.note.strip()):
                    raise ValidationError(
                        msg("intake", "请写明不合格材料的问题，补正告知书要逐项说明原因。"),
                        field="materials",
                        party_index=tick.party_index,
                        material_key=tick.key,
                    )
        elif kind is Decision.REFUSE:
            _require_refusal_reason(decision)
        if checked.duplicates and not draft.acknowledged_duplicate:
            raise ValidationError(
                msg("intake", "该申请人已有同一事项的在办申请（{no}），请核实后确认继续。").bind(
                    no=checked.duplicates[0].acceptance_no
                ),
                field="duplicate",
            )

    def _upsert_person(self, session: Session, party: PartyInput, today: dt.date) -> Person:
        name = people.validate_name(party.name)
        phone = people.validate_phone(party.phone) if party.phone and party.phone.strip() else None
        normalized: str | None = None
        check = None
        if party.id_number and party.id_number.strip():
            check = idnumber.check_id(party.id_number, today=today)
            normalized = check.normalized if check.valid else None
        person = session.scalar(select(Person).where(Person.id_number == normalized)) if normalized else None
        if person is None:
            person = Person(id_number=normalized, name=name, name_key=people.name_search_key(name))
            session.add(person)
        person.name = name
        person.name_key = people.name_search_key(name)
        if check is not None and check.valid:
            person.id_kind = check.kind.value if check.kind else None
            person.sex = check.sex.value if check.sex else None
            person.birth_date = check.birth_date
        if phone:
            person.phone = phone
        session.flush()
        return person

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
        today = local_date(now)
        center_id, workstation_id = self._location_ids(session)
        application = Application(
            id=uuid.uuid4(),
            acceptance_no=numbering.acceptance_no(
                session,
                center_code=self.deployment.center_code,
                workstation_code=self.deployment.workstation_code,
                local_date=today,
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
        )
        session.add(application)
        # Ids are made here (not at flush) and rows are attached through the relationships, so the whole
        # application is written by one flush and read back from memory, not from the database.
        for position, party in enumerate(draft.parties):
            person = self._upsert_person(session, party, today)
            application.parties.append(
                ApplicationParty(
                    id=uuid.uuid4(),
                    person_id=person.id,
                    role=party.role.value,
                    position=position,
                    name=person.name,
                    values=self._clean_party_values(entry.item, party),
                )
            )
        ticks = {(t.key, t.party_index): t for t in draft.materials}
        for position, line in enumerate(checked.materials):
            tick = ticks.get((line.key, line.party_index))
            status = tick.status if tick else (MaterialStatus.MISSING if line.required else MaterialStatus.NOT_NEEDED)
            application.materials.append(
                ApplicationMaterial(
                    id=uuid.uuid4(),
                    party_id=application.parties[line.party_index].id if line.party_index is not None else None,
                    position=position,
                    material_key=line.key,
                    name=line.name,
                    form=line.form,
                    count=line.count,
                    required=line.required,
                    status=status.value,
                    note=(tick.note or "").strip() or None if tick else None,
                    received_at=now if status is MaterialStatus.RECEIVED else None,
                )
            )
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
        if kind is Decision.ACCEPT:
            application.state = AppState.ACCEPTED.value
            application.accepted_at = now
            days = item.promised_days
            application.promised_days = days
            if days:
                # Counting starts the working day after acceptance (rules.md §4; 行政许可法 Art. 82).
                result = self.calendar.add_workdays(local_date(now), days)
                application.promised_date = application.due_date = result.date
                application.promised_estimated = application.due_estimated = result.estimated
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
        )
        application.decisions.append(record)
        # Every decision owes its documents (docs/documents.md); the same transaction records the debt.
        application.documents_due = f"decision:{record.id}"
        return record

    def _clean_values(self, item: ServiceItem, values: dict[str, Any]) -> dict[str, Any]:
        cleaned: dict[str, Any] = {}
        for fdef in item.fields:
            if fdef.key in values:
                value, _ = catalog_rules.validate_value(fdef, values[fdef.key])
                cleaned[fdef.key] = value
        return _jsonable(cleaned)

    def _clean_party_values(self, item: ServiceItem, party: PartyInput) -> dict[str, Any]:
        """A party's own values (e.g. a household member's income) coerced by its role's fields (money → fen)."""
        spec = item.party(party.role.value)
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
                audit.record(
                    session,
                    action="application.deadline_recomputed",
                    entity_type="application",
                    entity_id=application.id,
                    workstation_code=self.deployment.workstation_code,
                    user_id=None,
                    details={
                        "acceptance_no": application.acceptance_no,
                        "from": application.due_date.isoformat() if application.due_date else None,
                        "to": result.date.isoformat(),
                        "estimated": result.estimated,
                    },
                )
                application.due_date, application.due_estimated = result.date, result.estimated
                changed += 1
        return changed

    # ------------------------------------------------------------------ 补正 return visit

    def supplement_return(
        self, acceptance_no: str, brought: Iterable[MaterialInput], decision: DecisionInput, user: SessionUser
    ) -> DecisionResult:
        """The applicant comes back with materials: tick what was brought, then accept or refuse.

        Only materials the notice listed can be required (行政许可法 Art. 32: everything at once); the promised
        date counts from the day the materials are complete.
        """
        number = numbering.normalize_acceptance_no(acceptance_no)
        brought = list(brought)
        try:
            with self.db.write() as session:
                application = self._get(session, number)
                if application.state != AppState.AWAITING_SUPPLEMENT.value:
                    raise NotAllowedError(
                        msg("intake", "申请 {no} 不在待补正状态，不能办理补正。").bind(no=application.acceptance_no)
                    )
                entry = self._version(session, application.catalog_version_id)
                now = self.clock()
                listed = {m.id: m for m in application.materials if _is_outstanding(m)}
                by_key = {(m.material_key, _party_position(application, m.party_id)): m for m in listed.values()}
                for tick in brought:
                    material = by_key.get((tick.key, tick.party_index))
                    if material is None:
                        raise ValidationError(
                            msg("intake", "“{key}”不在补正告知书所列材料中，不能要求补交。").bind(key=tick.key),
                            field="materials",
                        )
                    material.status = tick.status.value
                    material.note = (tick.note or "").strip() or None
                    if tick.status is MaterialStatus.RECEIVED:
                        material.received_at = now
                session.flush()
                still_missing = [m for m in listed.values() if _is_outstanding(m)]
                if decision.decision is Decision.ACCEPT and still_missing:
                    raise ValidationError(
                        msg("intake", "补正告知书所列材料尚缺“{name}”，材料齐全后才能受理。").bind(
                            name=still_missing[0].name
                        ),
                        field="materials",
                    )
                if decision.decision is Decision.SUPPLEMENT:
                    raise ValidationError(
                        msg("intake", "一次性告知只能出具一次；请记录已交材料，或受理、不予受理。"),
                        field="decision",
                    )
                _require_refusal_reason(decision)
                self._apply_decision(session, application, entry.item, decision, user, now)
                application.sync_state = SyncState.PENDING.value
                body = protocol.MaterialsSupplemented(
                    acceptance_no=application.acceptance_no,
                    received_keys=[t.key for t in brought if t.status is MaterialStatus.RECEIVED],
                    materials=self._material_data(session, application),
                    decision=self._decision_data(application, user),
                )
                entry_row = outbox.append(session, self._event(application, body, now))
                audit.record(
                    session,
                    action=f"application.supplement_return.{decision.decision.value}",
                    entity_type="application",
                    entity_id=application.id,
                    workstation_code=self.deployment.workstation_code,
                    user_id=user.id,
                    details={"acceptance_no": application.acceptance_no, "outbox_event": str(entry_row.id)},
                )
                return self._result(session, application, entry_row.id)
        except OperationalError as exc:
            raise storage_error_from(exc) from exc

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
        self._require_reason(reason)
        self._require_supervisor(approver)
        number = numbering.normalize_acceptance_no(acceptance_no)
        with self.db.write() as session:
            application = self._get(session, number)
            if application.state == AppState.VOIDED.value:
                raise NotAllowedError(msg("intake", "申请 {no} 已作废，不能更正。").bind(no=application.acceptance_no))
            entry = self._version(session, application.catalog_version_id)
            ctx = catalog_rules.RuleContext(
                item=entry.item,
                values=values,
                parties=self._facts_of(session, application),
                on=local_date(self.clock()),
            )
            errors = [p for p in catalog_rules.validate_form(ctx) if p.severity == "error"]
            if errors:
                raise ValidationError(errors[0].message, field=errors[0].field)
            before = dict(application.form_values)
            application.form_values = self._clean_values(entry.item, values)
            application.sync_state = SyncState.PENDING.value
            now = self.clock()
            body = protocol.ApplicationCorrected(
                acceptance_no=application.acceptance_no,
                reason=reason.strip(),
                approved_by=approver.username,
                values=application.form_values,
                parties=self._party_data(session, application),
            )
            entry_row = outbox.append(session, self._event(application, body, now))
            # A corrected record's receipt and form are reissued; the earlier ones are kept, marked replaced.
            application.documents_due = f"correction:{entry_row.id}"
            changed = sorted(
                k for k in set(before) | set(application.form_values) if before.get(k) != application.form_values.get(k)
            )
            audit.record(
                session,
                action="application.corrected",
                entity_type="application",
                entity_id=application.id,
                workstation_code=self.deployment.workstation_code,
                user_id=user.id,
                details={
                    "acceptance_no": application.acceptance_no,
                    "approved_by": approver.username,
                    "reason": reason.strip(),
                    "changed_fields": changed,
                    "outbox_event": str(entry_row.id),
                },
            )
            session.flush()
            return self._result(session, application, entry_row.id)

    def void(self, acceptance_no: str, *, reason: str, approver: SessionUser, user: SessionUser) -> DecisionResult:
        """Void a record (作废) with a reason and a supervisor's approval; it stays readable, never deleted."""
        self._require_reason(reason)
        self._require_supervisor(approver)
        number = numbering.normalize_acceptance_no(acceptance_no)
        with self.db.write() as session:
            application = self._get(session, number)
            if application.state == AppState.VOIDED.value:
                raise NotAllowedError(msg("intake", "申请 {no} 已经作废。").bind(no=application.acceptance_no))
            application.state = AppState.VOIDED.value
            application.void_reason = reason.strip()
            application.documents_due = None  # a voided record is handed nothing more
            application.sync_state = SyncState.PENDING.value
            now = self.clock()
            body = protocol.ApplicationVoided(
                acceptance_no=application.acceptance_no, reason=reason.strip(), approved_by=approver.username
            )
            entry_row = outbox.append(session, self._event(application, body, now))
            audit.record(
                session,
                action="application.voided",
                entity_type="application",
                entity_id=application.id,
                workstation_code=self.deployment.workstation_code,
                user_id=user.id,
                details={
                    "acceptance_no": application.acceptance_no,
                    "approved_by": approver.username,
                    "reason": reason.strip(),
                    "outbox_event": str(entry_row.id),
                },
            )
            session.flush()
            return self._result(session, application, entry_row.id)

    @staticmethod
    def _require_reason(reason: str) -> None:
        if len(reason.strip()) < MIN_REASON_LENGTH:
            raise ValidationError(
                msg("intake", "请写明原因（至少 {n} 个字）。").bind(n=MIN_REASON_LENGTH), field="approval_reason"
            )

    @staticmethod
    def _require_supervisor(approver: SessionUser) -> None:
        if not approver.is_supervisor:
            raise NotAllowedError(msg("intake", "更正和作废需要值班长批准。"))

    # ------------------------------------------------------------------ reading

    def _summaries(self, where: Any, *, limit: int) -> list[ApplicationSummary]:
        """One statement on a plain connection: the list's columns, the applicant's name and ID, the clerk's name."""
        with self.db.read_connection() as conn:
            rows = conn.execute(
                _SUMMARY_SELECT.where(where).order_by(Application.received_at.desc()).limit(limit)
            ).all()
        return self._rows_to_summaries(rows)

    def _rows_to_summaries(self, rows: Sequence[Any]) -> list[ApplicationSummary]:
        summaries = []
        for row in rows:
            entry = self.catalog.entry(row.item_code)
            summaries.append(
                ApplicationSummary(
                    id=row.id,
                    acceptance_no=row.acceptance_no,
                    item_code=row.item_code,
                    item_name=entry.item.name.zh if entry else row.item_code,
                    state=row.state,
                    decision=row.decision,
                    decided_at=row.decided_at,
                    received_at=row.received_at,
                    applicant_name=row.applicant_name,
                    applicant_id_masked=idnumber.mask_id(row.id_number) if row.id_number else "",
                    clerk_name=row.clerk_name,
                    sync_state=row.sync_state,
                    promised_date=row.promised_date,
                    promised_estimated=row.promised_estimated,
                    notice_no=row.notice_no,
                    sync_error=row.sync_error,
                    server_status=row.server_status,
                    server_status_at=row.server_status_at,
                )
            )
        return summaries

    def list_day(self, day: dt.date | None = None, *, limit: int = 500) -> list[ApplicationSummary]:
        """The applications received on ``day`` (local date; today by default), newest first."""
        day = day or local_date(self.clock())
        start = dt.datetime.combine(day, dt.time(), SHANGHAI)
        end = start + dt.timedelta(days=1)
        return self._summaries(and_(Application.received_at >= start, Application.received_at < end), limit=limit)

    def search(self, query: str, *, limit: int = 200) -> list[ApplicationSummary]:
        """Find applications by 受理编号 (with or without hyphens), ID number, or part of a name."""
        text = query.strip()
        if not text:
            return []
        conditions: list[ColumnElement[bool]] = []
        number = numbering.normalize_acceptance_no(text)
        conditions.append(Application.acceptance_no == number)
        if len(number) >= 6:
            conditions.append(Application.acceptance_no.like(f"%{_escape_like(number)}%", escape="\\"))
        check = idnumber.check_id(text)
        key = people.name_search_key(text)
        person_conditions: list[ColumnElement[bool]] = (
            [Person.name_key.like(f"%{_escape_like(key)}%", escape="\\")] if key else []
        )
        if check.valid:
            person_conditions.append(Person.id_number == check.normalized)
        if person_conditions:
            party_apps = (
                select(ApplicationParty.application_id)
                .join(Person, Person.id == ApplicationParty.person_id)
                .where(or_(*person_conditions))
            )
            conditions.append(Application.id.in_(party_apps))
        return self._summaries(or_(*conditions), limit=limit)

    def history(self, id_number: str, *, limit: int = 100) -> list[ApplicationSummary]:
        """An applicant's earlier applications (as any party), newest first."""
        check = idnumber.check_id(id_number)
        if not check.valid:
            return []
        with self.db.read_connection() as conn:
            rows = conn.execute(_HISTORY_SELECT, {"id_number": check.normalized, "limit": limit}).all()
        return self._rows_to_summaries(rows)

    def load(self, acceptance_no: str) -> DecisionResult:
        """Everything about one stored application (for the return visit, reprints and the documents)."""
        number = numbering.normalize_acceptance_no(acceptance_no)
        with self.db.read() as session:
            application = self._get(session, number)
            return self._result(session, application, None)

    def _get(self, session: Session, number: str) -> Application:
        application = session.scalar(select(Application).where(Application.acceptance_no == number))
        if application is None:
            raise NotFoundError(msg("intake", "找不到受理编号为 {no} 的申请，请核对编号。").bind(no=number))
        return application

    # ------------------------------------------------------------------ building results and events

    @staticmethod
    def _parties_with_persons(session: Session, application: Application) -> list[tuple[ApplicationParty, Person]]:
        pairs = []
        for party in application.parties:
            person = session.get(Person, party.person_id)
            assert person is not None
            pairs.append((party, person))
        return pairs

    def _facts_of(self, session: Session, application: Application) -> list[catalog_rules.PartyFacts]:
        return [
            catalog_rules.PartyFacts(
                role=party.role,
                name=party.name,
                id_number=person.id_number,
                birth_date=person.birth_date,
                sex=person.sex,
                values=party.values,
            )
            for party, person in self._parties_with_persons(session, application)
        ]

    def _party_views(self, session: Session, application: Application) -> list[PartyView]:
        return [
            PartyView(
                role=party.role,
                name=party.name,
                id_number=person.id_number,
                id_masked=idnumber.mask_id(person.id_number) if person.id_number else None,
                sex=person.sex,
                birth_date=person.birth_date,
                phone_masked=people.mask_phone(person.phone) if person.phone else None,
                values=dict(party.values),
                phone=person.phone,
            )
            for party, person in self._parties_with_persons(session, application)
        ]

    def _party_data(self, session: Session, application: Application) -> list[protocol.PartyData]:
        return [
            protocol.PartyData(
                party_id=party.id,
                role=party.role,
                name=party.name,
                id_number=person.id_number,
                id_kind=person.id_kind,
                sex=person.sex if person.sex in ("M", "F") else None,
                birth_date=person.birth_date,
                phone=person.phone,
                values=dict(party.values),
            )
            for party, person in self._parties_with_persons(session, application)
        ]

    def _material_data(self, session: Session, application: Application) -> list[protocol.MaterialData]:
        return [
            protocol.MaterialData(
                key=m.material_key,
                name=m.name,
                form=m.form,
                count=m.count,
                required=m.required,
                status=m.status,
                party_id=m.party_id,
                note=m.note,
            )
            for m in application.materials
        ]

    def _decision_data(self, application: Application, user: SessionUser) -> protocol.DecisionData:
        missing = [] if application.decision != Decision.SUPPLEMENT.value else application.decisions[-1].missing
        return protocol.DecisionData(
            decision=application.decision,
            decided_at=application.decided_at,
            clerk_username=user.username,
            clerk_staff_no=user.staff_no,
            notice_no=application.notice_no if application.decision != Decision.ACCEPT.value else None,
            reason=application.refusal_reason,
            promised_date=application.promised_date,
            promised_estimated=application.promised_estimated,
            missing_keys=list(missing),
        )

    def _event(self, application: Application, body: protocol.Body, now: dt.datetime) -> protocol.Event:
        return protocol.new_event(
            occurred_at=now,
            center_code=self.deployment.center_code,
            workstation_code=self.deployment.workstation_code,
            application_id=application.id,
            body=body,
        )

    def _taken_event(
        self, session: Session, application: Application, entry: CatalogEntry, user: SessionUser
    ) -> protocol.Event:
        body = protocol.ApplicationTaken(
            acceptance_no=application.acceptance_no,
            query_code=application.query_code,
            item=protocol.CatalogRef(
                code=entry.code, version=entry.item.version, sha256=entry.sha256, name=entry.item.name.zh
            ),
            received_at=application.received_at,
            queue_ticket=application.queue_ticket,
            called_at=application.called_at,
            values=dict(application.form_values),
            parties=self._party_data(session, application),
            materials=self._material_data(session, application),
            decision=self._decision_data(application, user),
        )
        return self._event(application, body, application.decided_at)

    def _result(self, session: Session, application: Application, event_id: uuid.UUID | None) -> DecisionResult:
        entry = self._version(session, application.catalog_version_id)
        center = session.get(Center, application.center_id)
        workstation = session.get(Workstation, application.workstation_id)
        clerk = session.get(User, application.clerk_id)
        assert center is not None and workstation is not None and clerk is not None
        positions = {p.id: p.name for p in application.parties}
        return DecisionResult(
            application_id=application.id,
            acceptance_no=application.acceptance_no,
            query_code=application.query_code,
            decision=Decision(application.decision),
            state=application.state,
            notice_no=application.notice_no,
            item_code=entry.code,
            item_name=entry.item.name.zh,
            item_name_en=entry.item.name.en,
            item_kind=entry.item.kind,
            item_version=entry.item.version,
            item_sha256=entry.sha256,
            department=entry.item.department,
            center=CenterInfo(
                code=center.code,
                name=center.name,
                short_name=center.short_name,
                district=center.district,
                address=self.deployment.center_address,
                phone=self.deployment.center_phone,
                workstation_code=workstation.code,
                window_name=workstation.window_name,
            ),
            clerk_name=clerk.display_name,
            clerk_staff_no=clerk.staff_no,
            received_at=application.received_at,
            decided_at=application.decided_at,
            accepted_at=application.accepted_at,
            queue_ticket=application.queue_ticket,
            parties=self._party_views(session, application),
            values=dict(application.form_values),
            materials=[
                MaterialView(
                    key=m.material_key,
                    name=m.name,
                    form=m.form,
                    count=m.count,
                    required=m.required,
                    status=m.status,
                    party_name=positions.get(m.party_id) if m.party_id else None,
                    party_index=_party_position(application, m.party_id),
                    note=m.note,
                )
                for m in application.materials
            ],
            refusal_reason=application.refusal_reason,
            promised_days=application.promised_days,
            promised_date=application.promised_date,
            promised_estimated=application.promised_estimated,
            promised_provisional=entry.item.time_limit_placeholder,
            outbox_event_id=event_id,
            decision_id=application.decisions[-1].id if application.decisions else None,
            documents_due=application.documents_due,
            item=entry.item,
            sync_state=application.sync_state,
            sync_error=application.sync_error,
            server_status=application.server_status,
            server_status_at=application.server_status_at,
            server_note=application.server_note,
        )


# ---------------------------------------------------------------------- helpers


def _issue_error(issue: Issue) -> ValidationError:
    return ValidationError(
        issue.message, field=issue.field, party_index=issue.party_index, material_key=issue.material_key
    )


def _require_refusal_reason(decision: DecisionInput) -> None:
    if decision.decision is Decision.REFUSE and len((decision.reason or "").strip()) < MIN_REASON_LENGTH:
        raise ValidationError(
            msg("intake", "不予受理必须写明理由（至少 {n} 个字）。").bind(n=MIN_REASON_LENGTH), field="refusal_reason"
        )


def _is_outstanding(material: ApplicationMaterial) -> bool:
    return material.required and material.status in (MaterialStatus.MISSING.value, MaterialStatus.DEFECTIVE.value)


def _party_position(application: Application, party_id: uuid.UUID | None) -> int | None:
    if party_id is None:
        return None
    return next(p.position for p in application.parties if p.id == party_id)


def _missing_required(lines: Sequence[MaterialLine], ticks: Sequence[MaterialInput]) -> list[MaterialLine]:
    by_key = {(t.key, t.party_index): t for t in ticks}
    missing = []
    for line in lines:
        if not line.required:
            continue
        tick = by_key.get((line.key, line.party_index))
        if tick is None or tick.status is not MaterialStatus.RECEIVED:
            missing.append(line)
    return missing


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


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
