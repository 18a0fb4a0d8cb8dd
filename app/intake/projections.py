"""What a stored application looks like to its readers: the :class:`DecisionResult` the counter and the documents
use, and the protocol bodies the server receives.  Reads the session it is given; writes nothing."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from app import idnumber, people
from app.catalog.registry import CatalogEntry
from app.config import Deployment
from app.domain import AppState, Decision
from app.intake.model import (
    CenterInfo,
    DecisionResult,
    DocumentsDue,
    MaterialView,
    PartyView,
)
from app.security.accounts import SessionUser
from app.sync import protocol
from db.models import Application, ApplicationParty, Center, Person, User, Workstation


def parties_with_persons(session: Session, application: Application) -> list[tuple[ApplicationParty, Person]]:
    pairs = []
    for party in application.parties:
        person = session.get(Person, party.person_id)
        assert person is not None
        pairs.append((party, person))
    return pairs


def party_position(application: Application, party_id: uuid.UUID | None) -> int | None:
    if party_id is None:
        return None
    return next(p.position for p in application.parties if p.id == party_id)


def party_data(session: Session, application: Application) -> list[protocol.PartyData]:
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
        for party, person in parties_with_persons(session, application)
    ]


def material_data(application: Application) -> list[protocol.MaterialData]:
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


def decision_data(application: Application, user: SessionUser) -> protocol.DecisionData:
    decision = Decision(application.decision)
    latest = application.decisions[-1]
    # 补正: what the notice lists; 容缺受理 / 先行救助: what is owed.
    missing = list(latest.missing) if decision in _LISTS_MISSING else []
    return protocol.DecisionData(
        decision=decision.value,
        decided_at=application.decided_at,
        clerk_username=user.username,
        clerk_staff_no=user.staff_no,
        notice_no=application.notice_no if not decision.accepts else None,
        reason=application.refusal_reason,
        promised_date=application.promised_date,
        promised_estimated=application.promised_estimated,
        missing_keys=missing,
        ground=latest.ground,  # RefusalGround values, checked before storing
        basis=latest.basis,
        competent_office=latest.competent_office,
        owed_by=application.owed_by if decision in _LISTS_MISSING and decision.accepts else None,
        answered=application.state == AppState.ANSWERED.value,
    )


_LISTS_MISSING = (Decision.SUPPLEMENT, Decision.TOLERATED, Decision.FIRST_AID)


def taken_body(
    session: Session, application: Application, entry: CatalogEntry, user: SessionUser
) -> protocol.ApplicationTaken:
    return protocol.ApplicationTaken(
        acceptance_no=application.acceptance_no,
        query_code=application.query_code,
        item=protocol.CatalogRef(
            code=entry.code, version=entry.item.version, sha256=entry.sha256, name=entry.item.name.zh
        ),
        received_at=application.received_at,
        queue_ticket=application.queue_ticket,
        called_at=application.called_at,
        values=dict(application.form_values),
        parties=party_data(session, application),
        materials=material_data(application),
        decision=decision_data(application, user),
    )


def result(
    session: Session,
    application: Application,
    entry: CatalogEntry,
    deployment: Deployment,
    event_id: uuid.UUID | None,
) -> DecisionResult:
    """Everything about one stored application, as the counter and the documents read it."""
    center = session.get(Center, application.center_id)
    workstation = session.get(Workstation, application.workstation_id)
    clerk = session.get(User, application.clerk_id)
    assert center is not None and workstation is not None and clerk is not None
    names = {p.id: p.name for p in application.parties}
    units = {m.key: m.unit.value for m in entry.item.materials}
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
            address=deployment.center_address,
            phone=deployment.center_phone,
            workstation_code=workstation.code,
            window_name=workstation.window_name,
        ),
        clerk_name=clerk.display_name,
        clerk_staff_no=clerk.staff_no,
        received_at=application.received_at,
        decided_at=application.decided_at,
        accepted_at=application.accepted_at,
        queue_ticket=application.queue_ticket,
        parties=[
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
            for party, person in parties_with_persons(session, application)
        ],
        values=dict(application.form_values),
        materials=[
            MaterialView(
                key=m.material_key,
                name=m.name,
                form=m.form,
                count=m.count,
                required=m.required,
                status=m.status,
                party_name=names.get(m.party_id) if m.party_id else None,
                party_index=party_position(application, m.party_id),
                note=m.note,
                unit=units.get(m.material_key, "份"),
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
        documents_due=DocumentsDue.parse(application.documents_due),
        item=entry.item,
        sync_state=application.sync_state,
        sync_error=application.sync_error,
        server_status=application.server_status,
        server_status_at=application.server_status_at,
        server_note=application.server_note,
        **_decision_details(application),
    )


def _decision_details(application: Application) -> dict[str, Any]:
    """The latest decision's refusal details or 先行救助 reason, and the owed materials' date."""
    latest = application.decisions[-1] if application.decisions else None
    decision = application.decision
    refused = latest is not None and decision == Decision.REFUSE.value
    return {
        "refusal_ground": latest.ground if refused and latest else None,
        "refusal_basis": latest.basis if refused and latest else None,
        "competent_office": latest.competent_office if refused and latest else None,
        "first_aid_reason": latest.basis if latest is not None and decision == Decision.FIRST_AID.value else None,
        "owed_by": application.owed_by,
    }
