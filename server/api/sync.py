"""What a workstation's sync round calls: ``POST /events`` (push a batch) and ``GET /feed`` (pull what changed)."""

from __future__ import annotations

from typing import Annotated

import pydantic
from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from app.sync import protocol
from app.sync.protocol import ErrorBody
from server.api import deps
from server.api.deps import CurrentDevice, ReadSessionDep, SessionDep, runtime
from server.api.errors import ERRORS, invalid_request
from server.services import ingest
from server.services import resend as resends
from server.services.common import ServiceError
from server.services.feed import pull

router = APIRouter(tags=["sync"])


@router.post(
    "/events",
    response_model=protocol.PushResponse,
    responses={
        **ERRORS,
        415: {"model": ErrorBody, "description": "本服务器不接受该推送格式（版本 2 未开启）：工作站改用版本 1 重发"},
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": 'Version 1: a PushRequest as JSON. Version 2 (docs/sync-protocol.md "Push framing, '
            'version 2"), only to a server whose answers carry X-Yimen-Push-Framing: 2: the line '
            "`YIMEN-EVENTS 2 <count>`, then per event the line `<event_id> <sha256> <length>` (lowercase hex), "
            "exactly `length` bytes of the event's canonical JSON, and a line feed.",
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/PushRequest"}},
                protocol.PUSH_V2_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}},
            },
        }
    },
)
async def push(request: Request, me: CurrentDevice, session: SessionDep) -> Response:
    # The body is read by hand, in either framing, and the answer serialized once: FastAPI's own path (json.loads,
    # validate, validate the response again, encode) costs more than storing the events.  PushRequest therefore is
    # no parameter here; create_app adds its schema to the OpenAPI document.
    raw = await request.body()

    def store() -> bytes:
        # The body is read off the event loop too: parsing 500 events takes tens of milliseconds, during which the
        # loop would answer no feed poll (the morning rush, docs/performance.md).
        events = _framed(request, raw)
        results = ingest.push(session, session.merge(me, load=False), events)
        return protocol.PushResponse.model_construct(results=results).model_dump_json().encode("utf-8")

    return Response(await run_in_threadpool(store), media_type="application/json")


def _framed(request: Request, raw: bytes) -> list[protocol.FramedEvent]:
    """The pushed events as bytes with their SHA-256: version 2 sliced out of the body as they are, version 1 (any
    other Content-Type, as before) parsed as JSON and its payload texts encoded back to the workstation's bytes."""
    media = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media == protocol.PUSH_V2_MEDIA_TYPE:
        if not runtime(request).settings.push_framing_v2:
            raise ServiceError(415, "framing_unsupported", "本服务器未开启推送格式版本 2，请用版本 1 重发。")
        try:
            return protocol.read_frames(raw)
        except protocol.FramingError as exc:
            raise ServiceError(422, "invalid_frame", f"推送格式无效：{exc}。请升级工作站程序或联系信息员。") from None
    try:
        body = protocol.PushRequest.model_validate_json(raw)
    except pydantic.ValidationError as exc:
        errors = exc.errors()
        where = ".".join(str(p) for p in errors[0]["loc"]) if errors else ""
        raise invalid_request(f"body.{where}") from None
    return [protocol.framed(p) for p in body.events]


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
