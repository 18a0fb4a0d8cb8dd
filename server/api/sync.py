"""What a workstation's sync round calls: ``POST /events`` (push a batch) and ``GET /feed`` (pull what changed)."""

from __future__ import annotations

from typing import Annotated

import pydantic
from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from app.sync import protocol
from server.api import deps
from server.api.deps import CurrentDevice, ReadSessionDep, SessionDep
from server.api.errors import ERRORS, invalid_request
from server.services import ingest
from server.services import resend as resends
from server.services.feed import pull

router = APIRouter(tags=["sync"])


@router.post(
    "/events",
    response_model=protocol.PushResponse,
    responses=ERRORS,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PushRequest"}}},
        }
    },
)
async def push(request: Request, me: CurrentDevice, session: SessionDep) -> Response:
    # The body is parsed by pydantic's Rust JSON parser in one go and the answer serialized once: FastAPI's
    # own path (json.loads, validate, validate the response again, encode) costs more than storing the events.
    # PushRequest therefore is no parameter here; create_app adds its schema to the OpenAPI document.
    raw = await request.body()
    try:
        body = protocol.PushRequest.model_validate_json(raw)
    except pydantic.ValidationError as exc:
        errors = exc.errors()
        where = ".".join(str(p) for p in errors[0]["loc"]) if errors else ""
        raise invalid_request(f"body.{where}") from None

    def store() -> bytes:
        results = ingest.push(session, session.merge(me, load=False), body.events)
        return protocol.PushResponse.model_construct(results=results).model_dump_json().encode("utf-8")

    return Response(await run_in_threadpool(store), media_type="application/json")


@router.get("/feed", response_model=protocol.PullResponse, responses=ERRORS)
def feed(
    request: Request,
    me: CurrentDevice,
    session: ReadSessionDep,
    cursor: Annotated[int, Query(ge=0, le=2**62)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 500,
    resend: Annotated[
        bool, Query(description="连同本工位尚未执行的重发请求（服务器从备份恢复后）一起答复（resend 键）")
    ] = False,
    resend_done: Annotated[
        int | None, Query(ge=1, le=2**62, description="本工位已把该重发请求所及的事件放回上传队列")
    ] = None,
) -> Response:
    # docs/sync-protocol.md "Sending again after a server restore".  The write is its own short transaction, made
    # only when a device names a request done: a plain feed poll stays a read.
    if resend_done is not None:
        with deps.runtime(request).sessions.begin() as writer:
            resends.mark_done(writer, me, resend_done)
    page = pull(session, me, cursor, limit)
    if not resend:  # only when asked: workstations of earlier versions refuse a key they do not know
        return Response(page.model_dump_json(exclude={"resend"}), media_type="application/json")
    page = page.model_copy(update={"resend": resends.pending_for(session, me)})
    return Response(page.model_dump_json(), media_type="application/json")
