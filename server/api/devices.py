"""Workstations: ``POST /enroll`` (a one-time code for a credential; anyone may try, rate-limited) and
``GET /device`` (who the credential belongs to)."""

from __future__ import annotations

import logging

from fastapi import APIRouter

from app.sync import protocol
from app.sync.protocol import ErrorBody
from server.api.deps import RATE_LIMITED, CurrentDevice, SessionDep
from server.api.errors import ERRORS
from server.services import devices

log = logging.getLogger("yimen.server")

router = APIRouter(tags=["devices"])


@router.post(
    "/enroll",
    response_model=protocol.EnrollResponse,
    responses={**ERRORS, 429: {"model": ErrorBody}},
    dependencies=[RATE_LIMITED],
)
def enroll(body: protocol.EnrollRequest, session: SessionDep) -> protocol.EnrollResponse:
    answer = devices.enroll(session, body)
    log.info("device enrolled: center %s workstation %s", body.center_code, body.workstation_code)
    return answer


@router.get("/device", responses=ERRORS)
def whoami(me: CurrentDevice) -> dict[str, str]:
    return {"device_id": str(me.id), "center_code": me.center_code, "workstation_code": me.workstation_code}
