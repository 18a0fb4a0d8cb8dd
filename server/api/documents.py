"""``PUT /documents/{sha256}``: an issued document's PDF, uploaded before the events that name it; ``GET`` the same
path: the PDF handed back to a workstation of the center whose document it is (a 补打 after the workstation's
retention, docs/sync-protocol.md "Documents read back")."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from pydantic import Field
from starlette.concurrency import run_in_threadpool

from app.sync import protocol
from app.sync.protocol import ErrorBody
from server.api import attachments
from server.api.deps import CurrentDevice, ReadSessionDep, SessionDep
from server.api.errors import ERRORS
from server.services.common import ServiceError
from server.services.documents import own_document, store_blob

router = APIRouter(tags=["sync"])
# The materials' files (电子材料) travel beside the documents: server/api/attachments.py.
router.include_router(attachments.router)
router.include_router(attachments.backoffice)


@router.put(
    "/documents/{sha256}",
    responses={
        **ERRORS,
        503: {
            "model": ErrorBody,
            "description": "文书存储暂时不可写（storage_unavailable）：稍后重试，文书与其事件留在工作站",
        },
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
        }
    },
)
async def put_document(
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")],
    request: Request,
    me: CurrentDevice,
    session: SessionDep,
) -> dict[str, bool]:
    data = await request.body()
    if not data or len(data) > protocol.MAX_DOCUMENT_BYTES:
        raise ServiceError(413 if data else 422, "bad_document", "文书文件为空或过大。")
    return {"stored": await run_in_threadpool(store_blob, session, me, sha256, data)}


@router.get(
    "/documents/{sha256}",
    responses={
        **ERRORS,
        200: {
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            "description": "The PDF; its SHA-256 in ``ETag``",
        },
        404: {"model": ErrorBody, "description": "本中心没有该文书（未知、格式不符或其他中心的，答复相同）"},
    },
    response_class=Response,
)
def get_document(
    sha256: str,
    me: CurrentDevice,
    session: ReadSessionDep,
    application: Annotated[str, Query(description="文书所属申请的 id（application_id）")] = "",
) -> Response:
    """The PDF a ``document.issued`` event of this device's own center, about ``application``, names: what the
    workstation re-fetches for a 补打 once its own copy was pruned.  Anything else answers the same 404."""
    data = own_document(session, me, sha256, application)
    return Response(
        data,
        media_type="application/pdf",
        headers={"ETag": f'"{sha256}"', "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"},
    )
