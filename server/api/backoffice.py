"""The back office's actions (后台协同办理), with an operator credential:
``POST /backoffice/applications/{受理编号}/status`` moves an application of a center the operator was granted along
the transition table; the operator is recorded as the actor and the access logged."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from pydantic import Field

from app.sync.protocol import ErrorBody
from server.api.deps import CurrentOperator, SessionDep
from server.api.errors import ERRORS
from server.api.schemas import TransitionRequest, TransitionResponse
from server.services.backoffice import change_status
from server.services.operators import VIA_API

router = APIRouter(prefix="/backoffice", tags=["backoffice"])


@router.post(
    "/applications/{acceptance_no}/status",
    response_model=TransitionResponse,
    responses={**ERRORS, 404: {"model": ErrorBody}, 409: {"model": ErrorBody}},
)
def set_status(
    acceptance_no: Annotated[str, Field(max_length=40)],
    body: TransitionRequest,
    operator: CurrentOperator,
    session: SessionDep,
) -> TransitionResponse:
    change = change_status(
        session, operator=operator, acceptance_no=acceptance_no, to=body.status, note=body.note, via=VIA_API
    )
    return TransitionResponse(acceptance_no=change.acceptance_no, status=change.status, changed_at=change.changed_at)
