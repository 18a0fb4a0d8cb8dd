"""Workstations: two-phase enrollment, ``POST /enrollments`` (a one-time code for a pending credential; anyone may
try, rate-limited) then ``POST /enrollments/confirm`` (with that credential, once the workstation saved it); the
one-phase ``POST /enroll`` of earlier workstation versions; ``GET /device`` (who the credential belongs to) and
``GET /device/audit-head`` (the audit chain head the server holds for this device, docs/sync-protocol.md); and what
a workstation that lost its store recovers with (docs/sync-protocol.md "Recovery"): ``GET /device/records`` (its own
workstation's events, paged), ``GET /device/records/{event_id}/document`` (the PDF one of them names) and
``POST /device/audit-head/reset`` (its new audit chain's head, the old one kept on the server).  The records are
served only within ``records_window_hours`` of the device's confirmed enrollment and before its reset (a 403
``records_window_closed`` otherwise; server/services/records.py)."""

from __future__ import annotations

import logging
import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from app.sync import protocol
from app.sync.protocol import ErrorBody
from server.api.deps import (
    CLIENT_VERSION_CHECKED,
    DEVICE_AUTH,
    ENROLL_RATE_LIMITED,
    Credentials,
    CurrentDevice,
    ReadSessionDep,
    SessionDep,
    runtime,
)
from server.api.errors import ERRORS
from server.services import audit_heads, devices, records

log = logging.getLogger("yimen.server")

router = APIRouter(tags=["devices"])

#: The records endpoints' 403: revoked, or outside the recovery window.
RECORDS_REFUSED = {
    "model": ErrorBody,
    "description": "凭证已吊销；或本工位注册确认已超过时限（默认 24 小时）、已重置过审计链：须用新的注册码重新注册",
}


@router.post(
    "/enroll",
    response_model=protocol.EnrollResponse,
    responses={**ERRORS, 429: {"model": ErrorBody}},
    dependencies=[ENROLL_RATE_LIMITED, CLIENT_VERSION_CHECKED],
)
def enroll(body: protocol.EnrollRequest, session: SessionDep) -> protocol.EnrollResponse:
    answer = devices.enroll(session, body)
    log.info("device enrolled (one-phase): center %s workstation %s", body.center_code, body.workstation_code)
    return answer


@router.post(
    "/enrollments",
    response_model=protocol.PendingEnrollment,
    responses={**ERRORS, 429: {"model": ErrorBody}},
    dependencies=[ENROLL_RATE_LIMITED, CLIENT_VERSION_CHECKED],
)
def claim(body: protocol.EnrollRequest, session: SessionDep) -> protocol.PendingEnrollment:
    answer = devices.claim(session, body)
    log.info("enrollment claimed: center %s workstation %s", body.center_code, body.workstation_code)
    return answer


@router.post(
    "/enrollments/confirm",
    response_model=protocol.EnrollConfirmation,
    response_model_exclude_none=True,
    responses=ERRORS,
    dependencies=[CLIENT_VERSION_CHECKED],
)
def confirm(
    credentials: Annotated[Credentials, Depends(DEVICE_AUTH)],
    session: SessionDep,
    numbers: Annotated[
        bool, Query(description="连同本中心本工位代码在服务器上已有的申请数和最高编号批次一起答复")
    ] = False,
) -> protocol.EnrollConfirmation:
    answer = devices.confirm(session, credentials.credentials if credentials is not None else None)
    log.info("enrollment confirmed: center %s workstation %s", answer.center_code, answer.workstation_code)
    if numbers:  # only when asked: earlier workstations refuse a key they do not know
        held = records.numbers(session, answer.center_code, answer.workstation_code)
        answer = answer.model_copy(update={"numbers": held})
    return answer


@router.get("/device", responses=ERRORS)
def whoami(me: CurrentDevice) -> dict[str, str]:
    return {"device_id": str(me.id), "center_code": me.center_code, "workstation_code": me.workstation_code}


@router.get("/device/audit-head", response_model=protocol.AuditHeadHeld, responses=ERRORS)
def audit_head(me: CurrentDevice, session: ReadSessionDep) -> protocol.AuditHeadHeld:
    """The highest audit chain head the server accepted from this very device (its own record only)."""
    return audit_heads.held(session, me)


@router.post(
    "/device/audit-head/reset",
    response_model=protocol.AuditHeadHeld,
    responses={**ERRORS, 409: {"model": ErrorBody, "description": "本凭证已重置过一次"}},
)
def reset_audit_head(body: protocol.AuditHeadReset, me: CurrentDevice, session: SessionDep) -> protocol.AuditHeadHeld:
    """A recovered store's new audit chain replaces this device's head; the old one is kept on the server for good.
    Once per credential."""
    return audit_heads.reset(session, me, body)


@router.get("/device/records", response_model=protocol.RecordsPage, responses={**ERRORS, 403: RECORDS_REFUSED})
def read_records(
    request: Request,
    me: CurrentDevice,
    session: ReadSessionDep,
    cursor: Annotated[
        str,
        Query(max_length=protocol.RECORDS_CURSOR_MAX, pattern=records.CURSOR_PATTERN, description="上一页的 cursor"),
    ] = "",
    limit: Annotated[int, Query(ge=1, le=protocol.RECORDS_PAGE_MAX)] = 200,
) -> protocol.RecordsPage:
    """This workstation's own events (its center and workstation code, whichever of its devices pushed them), as
    stored, in the order received; only within the recovery window of a fresh enrollment."""
    records.check_window(session, me, runtime(request).settings.records_window_hours)
    return records.records(session, me, cursor, limit)


@router.get(
    "/device/records/{event_id}/document",
    responses={
        **ERRORS,
        403: RECORDS_REFUSED,
        200: {"content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}},
        404: {"model": ErrorBody, "description": "本工位没有该文书"},
    },
    response_class=Response,
)
def read_record_document(request: Request, event_id: uuid.UUID, me: CurrentDevice, session: ReadSessionDep) -> Response:
    """The PDF a ``document.issued`` event of this workstation names (anything else: the same 404); only within the
    recovery window, as the records."""
    records.check_window(session, me, runtime(request).settings.records_window_hours)
    return Response(records.document(session, me, event_id), media_type="application/pdf")
