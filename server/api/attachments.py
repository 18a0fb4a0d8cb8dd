"""Materials' files (电子材料), uploaded in chunks apart from the events (docs/sync-protocol.md "Attachments"):

- ``GET /attachments/{sha256}/upload?application=…``: what the server holds of a case's file (``received``);
- ``PUT /attachments/{sha256}/upload?application=…&size=…&type=…&offset=…``: the next chunk;
- ``GET /attachments/{sha256}?application=…``: the file, for a device of the case's own center (404 otherwise);
- ``GET /backoffice/applications/{受理编号}/attachments`` and ``…/attachments/{sha256}``: the back office's view.

Included by server/api/documents.py's router."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from app.sync.protocol import ErrorBody
from server.api.deps import CurrentDevice, CurrentOperator, ReadSessionDep, SessionDep
from server.api.errors import ERRORS, error_response
from server.services import attachments as service
from server.services.common import ServiceError

router = APIRouter(tags=["sync"])
backoffice = APIRouter(prefix="/backoffice", tags=["backoffice"])

Sha = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
Application = Annotated[str, Query(max_length=36, description="材料所属申请的 id（application_id）")]


class UploadState(BaseModel):
    """What the server holds of a case's file: go on from ``received``."""

    received: int
    size: int | None
    complete: bool


class CaseFile(BaseModel):
    sha256: str
    media_type: str
    size: int


@router.get("/attachments/{sha256}/upload", response_model=UploadState, responses=ERRORS)
def upload_state(sha256: Sha, application: Application, me: CurrentDevice, session: ReadSessionDep) -> Any:
    return service.status(session, me, sha256, application)


@router.put(
    "/attachments/{sha256}/upload",
    response_model=UploadState,
    responses={
        **ERRORS,
        409: {"model": ErrorBody, "description": "续传位置不符（attachment_offset）或声明的大小、类型不符"},
        413: {"model": ErrorBody, "description": "该办件的材料文件合计超过上限（attachment_quota）"},
        422: {"model": ErrorBody, "description": "参数不正确，或内容与 SHA-256 不符（digest_mismatch，已丢弃）"},
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
        }
    },
)
async def put_upload(
    sha256: Sha,
    request: Request,
    me: CurrentDevice,
    session: SessionDep,
    application: Application,
    size: Annotated[int, Query(ge=1, le=service.MAX_FILE_BYTES)],
    offset: Annotated[int, Query(ge=0, le=service.MAX_FILE_BYTES)],
    media_type: Annotated[str, Query(alias="type", max_length=40)],
) -> Any:
    data = await request.body()
    if len(data) > service.MAX_CHUNK_BYTES:
        raise ServiceError(413, "too_large", "请求体过大，请分块上传。")
    answer = await run_in_threadpool(
        lambda: service.put_chunk(
            session,
            me,
            sha256=sha256,
            application=application,
            size=size,
            media_type=media_type,
            offset=offset,
            data=data,
        )
    )
    if "refused" in answer:  # the reset is committed with this answer
        return error_response(422, answer["refused"], answer["message"])
    return answer


@router.get(
    "/attachments/{sha256}",
    responses={
        **ERRORS,
        200: {"content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}},
        404: {"model": ErrorBody, "description": "本中心该办件没有这份材料文件（其他中心的，答复相同）"},
    },
    response_class=Response,
)
def get_attachment(sha256: str, me: CurrentDevice, session: ReadSessionDep, application: Application = "") -> Response:
    data = service.own_attachment(session, me, sha256, application)
    return Response(data, media_type="application/octet-stream", headers=_headers(sha256))


@backoffice.get(
    "/applications/{acceptance_no}/attachments",
    response_model=list[CaseFile],
    responses={**ERRORS, 404: {"model": ErrorBody}},
)
def list_case_files(
    acceptance_no: Annotated[str, Field(max_length=40)], operator: CurrentOperator, session: ReadSessionDep
) -> Any:
    return service.case_files(session, operator, acceptance_no)


@backoffice.get(
    "/applications/{acceptance_no}/attachments/{sha256}",
    responses={
        **ERRORS,
        200: {"content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}},
        404: {"model": ErrorBody},
    },
    response_class=Response,
)
def get_case_file(
    acceptance_no: Annotated[str, Field(max_length=40)], sha256: str, operator: CurrentOperator, session: ReadSessionDep
) -> Response:
    data, media_type = service.operator_attachment(session, operator, acceptance_no, sha256)
    return Response(data, media_type=media_type, headers=_headers(sha256))


def _headers(sha256: str) -> dict[str, str]:
    return {"ETag": f'"{sha256}"', "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"}
