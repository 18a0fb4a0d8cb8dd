"""``PUT /documents/{sha256}``: an issued document's PDF, uploaded before the events that name it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from pydantic import Field
from starlette.concurrency import run_in_threadpool

from app.sync import protocol
from server.api.deps import CurrentDevice, SessionDep
from server.api.errors import ERRORS
from server.services.common import ServiceError
from server.services.documents import store_blob

router = APIRouter(tags=["sync"])


@router.put(
    "/documents/{sha256}",
    responses=ERRORS,
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
