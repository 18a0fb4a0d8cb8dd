"""Workstations: two-phase enrollment, ``POST /enrollments`` (a one-time code for a pending credential; anyone may
try, rate-limited) then ``POST /enrollments/confirm`` (with that credential, once the workstation saved it); the
one-phase ``POST /enroll`` of earlier workstation versions; ``GET /device`` (who the credential belongs to) and
``GET /device/audit-head`` (the audit chain head the server holds for this device, docs/sync-protocol.md)."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Depends

from app.sync import protocol
from app.sync.protocol import ErrorBody
from server.api.deps import DEVICE_AUTH, ENROLL_RATE_LIMITED, Credentials, CurrentDevice, ReadSessionDep, SessionDep
from server.api.errors import ERRORS
from server.services import audit_heads, devices

log = logging.getLogger("yimen.server")

router = APIRouter(tags=["devices"])


@router.post(
    "/enroll",
    response_model=protocol.EnrollResponse,
    responses={**ERRORS, 429: {"model": ErrorBody}},
    dependencies=[ENROLL_RATE_LIMITED],
)
def enroll(body: protocol.EnrollRequest, session: SessionDep) -> protocol.EnrollResponse:
    answer = devices.enroll(session, body)
    log.info("device enrolled (one-phase): center %s workstation %s", body.center_code, body.workstation_code)
    return answer


@router.post(
    "/enrollments",
    response_model=protocol.PendingEnrollment,
    responses={**ERRORS, 429: {"model": ErrorBody}},
    dependencies=[ENROLL_RATE_LIMITED],
)
def claim(body: protocol.EnrollRequest, session: SessionDep) -> protocol.PendingEnrollment:
    answer = devices.claim(session, body)
    log.info("enrollment claimed: center %s workstation %s", body.center_code, body.workstation_code)
    return answer


@router.post("/enrollments/confirm", response_model=protocol.EnrollConfirmation, responses=ERRORS)
def confirm(
    credentials: Annotated[Credentials, Depends(DEVICE_AUTH)], session: SessionDep
) -> protocol.EnrollConfirmation:
    answer = devices.confirm(session, credentials.credentials if credentials is not None else None)
    log.info("enrollment confirmed: center %s workstation %s", answer.center_code, answer.workstation_code)
    return answer


@router.get("/device", responses=ERRORS)
def whoami(me: CurrentDevice) -> dict[str, str]:
    return {"device_id": str(me.id), "center_code": me.center_code, "workstation_code": me.workstation_code}


@router.get("/device/audit-head", response_model=protocol.AuditHeadHeld, responses=ERRORS)
def audit_head(me: CurrentDevice, session: ReadSessionDep) -> protocol.AuditHeadHeld:
    """The highest audit chain head the server accepted from this very device (its own record only)."""
    return audit_heads.held(session, me)
