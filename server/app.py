"""The FastAPI application: ``create_app(settings)`` builds everything (no engine exists at import time)."""

import html
import logging
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import ValidationError as PydanticValidationError
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from app.sync import protocol
from app.sync.protocol import API_PREFIX, ErrorBody
from server.services import backoffice, devices, documents, ingest, operators, progress
from server.services.common import ServiceError
from server.services.feed import pull
from server.settings import ServerSettings
from server.store.db import create_store_engine
from server.store.models import Device

log = logging.getLogger("yimen.server")

ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "缺少或无效的凭证"},
    403: {"model": ErrorBody, "description": "凭证已吊销，或无权访问"},
    413: {"model": ErrorBody, "description": "请求体过大"},
    422: {"model": ErrorBody, "description": "请求格式无效"},
}


def _error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(ErrorBody(code=code, message=message).model_dump(), status_code=status, headers=headers)


class RateLimiter:
    """A small token bucket per client address for the endpoints anyone can reach (enrollment, progress page).
    Per process: behind a load balancer the balancer's own limit is the outer fence (docs/operations.md)."""

    def __init__(self, per_minute: int) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(per_minute)
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            if len(self._buckets) > 100_000:
                self._buckets.clear()
            if tokens < 1:
                self._buckets[key] = (tokens, now)
                return False
            self._buckets[key] = (tokens - 1, now)
            return True


class BodyLimit:
    """ASGI middleware: refuse bodies over the limit with 413 before they are read into memory."""

    def __init__(self, app: Any, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await _error(413, "too_large", "请求体过大，请分批上传。")(scope, receive, send)
            return
        seen = 0

        async def limited() -> Any:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLargeError
            return message

        try:
            await self.app(scope, limited, send)
        except _TooLargeError:
            await _error(413, "too_large", "请求体过大，请分批上传。")(scope, receive, send)


class _TooLargeError(Exception):
    pass


#: Devices and back-office operators authenticate with ``Authorization: Bearer <credential>``.
DEVICE_AUTH = HTTPBearer(auto_error=False, scheme_name="device", description="工位凭证（yimen enroll 取得）")
OPERATOR_AUTH = HTTPBearer(auto_error=False, scheme_name="operator", description="后台协同办理凭证")
Credentials = HTTPAuthorizationCredentials | None


def _bearer(credentials: Credentials) -> str | None:
    return credentials.credentials if credentials is not None else None


def create_app(settings: ServerSettings) -> FastAPI:
    engine = create_store_engine(settings.database_url, pool_size=settings.pool_size)
    sessions = sessionmaker(engine, expire_on_commit=False)
    readers = sessionmaker(engine.execution_options(yimen_readonly=True), expire_on_commit=False)
    limiter = RateLimiter(settings.public_rate_per_minute)

    app = FastAPI(
        title="一门式社区事务受理台 中心服务器",
        version="1",
        description="Workstation enrollment, event push, feed pull, back office and the citizen progress page "
        "(docs/sync-protocol.md).",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.engine = engine

    def openapi() -> dict[str, Any]:
        # PushRequest is read by hand in the push endpoint: add it (and what it refers to) to the schemas.
        if app.openapi_schema is None:
            from fastapi.openapi.utils import get_openapi

            document = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
            extra = protocol.PushRequest.model_json_schema(ref_template="#/components/schemas/{model}")
            schemas = document.setdefault("components", {}).setdefault("schemas", {})
            schemas.update(extra.pop("$defs", {}))
            schemas["PushRequest"] = extra
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)

    @contextmanager
    def transaction() -> Iterator[Session]:
        with sessions.begin() as session:
            yield session

    @contextmanager
    def reading() -> Iterator[Session]:
        with readers.begin() as session:
            yield session

    @app.exception_handler(ServiceError)
    async def _service_error(_request: Request, exc: ServiceError) -> JSONResponse:
        return _error(exc.status, exc.code, exc.message)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        return _error(422, "invalid_request", f"请求格式无效（{where}）。请升级工作站程序或联系信息员。")

    @app.middleware("http")
    async def _no_store(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    def device(credentials: Annotated[Credentials, Depends(DEVICE_AUTH)]) -> Device:
        with reading() as session:
            found = devices.authenticate_device(session, _bearer(credentials))
            session.expunge(found)
            return found

    def public(request: Request) -> None:
        client = request.client.host if request.client else "?"
        if not limiter.allow(client):
            raise ServiceError(429, "rate_limited", "请求过于频繁，请一分钟后再试。")

    # ------------------------------------------------------------------------------------------------ health

    @app.get(f"{API_PREFIX}/health", tags=["health"])
    def health() -> dict[str, str]:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return {"status": "ok"}

    # ------------------------------------------------------------------------------------------------ enrollment

    @app.post(
        f"{API_PREFIX}/enroll",
        response_model=protocol.EnrollResponse,
        tags=["devices"],
        responses={**ERRORS, 429: {"model": ErrorBody}},
        dependencies=[Depends(public)],
    )
    def enroll(body: protocol.EnrollRequest) -> protocol.EnrollResponse:
        with transaction() as session:
            answer = devices.enroll(session, body)
        log.info("device enrolled: center %s workstation %s", body.center_code, body.workstation_code)
        return answer

    @app.get(f"{API_PREFIX}/device", tags=["devices"], responses=ERRORS)
    def whoami(me: Annotated[Device, Depends(device)]) -> dict[str, str]:
        return {"device_id": str(me.id), "center_code": me.center_code, "workstation_code": me.workstation_code}

    # ------------------------------------------------------------------------------------------------ push

    @app.post(
        f"{API_PREFIX}/events",
        response_model=protocol.PushResponse,
        tags=["sync"],
        responses=ERRORS,
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PushRequest"}}},
            }
        },
    )
    async def push(request: Request, me: Annotated[Device, Depends(device)]) -> Response:
        # The body is parsed by pydantic's Rust JSON parser in one go and the answer serialized once: FastAPI's
        # own path (json.loads, validate, validate the response again, encode) costs more than storing the events.
        from starlette.concurrency import run_in_threadpool

        raw = await request.body()
        try:
            body = protocol.PushRequest.model_validate_json(raw)
        except PydanticValidationError as exc:
            errors = exc.errors()
            where = ".".join(str(p) for p in errors[0]["loc"]) if errors else ""
            raise ServiceError(
                422, "invalid_request", f"请求格式无效（body.{where}）。请升级工作站程序或联系信息员。"
            ) from None

        def store() -> bytes:
            with transaction() as session:
                results = ingest.push(session, session.merge(me, load=False), body.events)
            return protocol.PushResponse.model_construct(results=results).model_dump_json().encode("utf-8")

        return Response(await run_in_threadpool(store), media_type="application/json")

    @app.put(
        f"{API_PREFIX}/documents/{{sha256}}",
        tags=["sync"],
        responses=ERRORS,
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
            }
        },
    )
    async def put_document(
        sha256: Annotated[str, protocol.Field(pattern=r"^[0-9a-f]{64}$")],
        request: Request,
        me: Annotated[Device, Depends(device)],
    ) -> dict[str, bool]:
        data = await request.body()
        if not data or len(data) > protocol.MAX_DOCUMENT_BYTES:
            raise ServiceError(413 if data else 422, "bad_document", "文书文件为空或过大。")
        from starlette.concurrency import run_in_threadpool

        def store() -> bool:
            with transaction() as session:
                return documents.store_blob(session, me, sha256, data)

        return {"stored": await run_in_threadpool(store)}

    # ------------------------------------------------------------------------------------------------ pull

    @app.get(f"{API_PREFIX}/feed", response_model=protocol.PullResponse, tags=["sync"], responses=ERRORS)
    def feed(
        me: Annotated[Device, Depends(device)],
        cursor: Annotated[int, Query(ge=0, le=2**62)] = 0,
        limit: Annotated[int, Query(ge=1, le=1000)] = 500,
    ) -> protocol.PullResponse:
        with reading() as session:
            return pull(session, me, cursor, limit)

    # ------------------------------------------------------------------------------------------------ back office

    @app.post(
        f"{API_PREFIX}/backoffice/applications/{{acceptance_no}}/status",
        response_model=protocol.TransitionResponse,
        tags=["backoffice"],
        responses={**ERRORS, 404: {"model": ErrorBody}, 409: {"model": ErrorBody}},
    )
    def set_status(
        acceptance_no: Annotated[str, protocol.Field(max_length=40)],
        body: protocol.TransitionRequest,
        credentials: Annotated[Credentials, Depends(OPERATOR_AUTH)],
    ) -> protocol.TransitionResponse:
        with transaction() as session:
            operator = operators.authenticate_operator(session, _bearer(credentials))
            return backoffice.transition(
                session,
                acceptance_no=acceptance_no,
                to=body.status,
                note=body.note,
                by=operator.name,
                centers=operator.centers,
            )

    # ------------------------------------------------------------------------------------------------ citizens

    @app.get("/q/{acceptance_no}", response_class=HTMLResponse, tags=["public"], dependencies=[Depends(public)])
    def progress_page(
        acceptance_no: Annotated[str, protocol.Field(max_length=60)],
        c: Annotated[str, Query(max_length=20)] = "",
    ) -> HTMLResponse:
        with reading() as session:
            found = progress.progress(session, acceptance_no, c)
        return HTMLResponse(_progress_html(found), status_code=200 if found else 404)

    return app


def _progress_html(found: progress.Progress | None) -> str:
    if found is None:
        title = "未找到该申请"
        body = "<p>未找到该申请。请核对受理回执上的受理编号和查询码；刚受理的申请可能需要稍后才能查到。</p>"
    else:
        from zoneinfo import ZoneInfo

        local = found.status_at.astimezone(ZoneInfo("Asia/Shanghai"))
        title = "办理进度"
        body = (
            "<dl>"
            f"<dt>受理编号</dt><dd>{html.escape(found.acceptance_no)}</dd>"
            f"<dt>办理事项</dt><dd>{html.escape(found.item_name)}</dd>"
            f"<dt>当前状态</dt><dd class='status'>{html.escape(protocol.STATUS_LABELS[found.status])}</dd>"
            f"<dt>更新日期</dt><dd>{local:%Y年%m月%d日}</dd>"
            "</dl>"
        )
    return (
        "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width,initial-scale=1'>"
        f"<title>{title} · 社区事务受理服务中心</title>"
        "<style>body{font-family:sans-serif;max-width:30em;margin:2em auto;padding:0 1em;line-height:1.6}"
        "dt{color:#555;font-size:.9em}dd{margin:0 0 .8em 0;font-size:1.1em}.status{font-weight:bold}</style>"
        f"</head><body><h1>{title}</h1>{body}</body></html>"
    )
