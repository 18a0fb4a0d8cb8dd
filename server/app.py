"""The FastAPI application: ``create_app(settings)`` builds everything (no engine exists at import time) and wires
the routers of ``server/api``, the error handlers and the middleware."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from sqlalchemy.orm import sessionmaker
from starlette.exceptions import HTTPException

from app.sync import protocol
from app.sync.protocol import API_PREFIX
from server.api import backoffice, center, devices, documents, health, public, sync
from server.api.admission import PUSH_PATH, PushAdmission
from server.api.deps import Runtime
from server.api.errors import (
    BUSY_RESPONSE,
    http_error_handler,
    rate_limited_handler,
    service_error_handler,
    validation_error_handler,
)
from server.api.middleware import BodyLimit, no_store, published_versions
from server.api.ratelimit import RateLimitedError, RateLimiter, RateLimits
from server.services.common import ServiceError
from server.services.documents import session_info
from server.settings import ServerSettings
from server.store.db import create_store_engine


def create_app(settings: ServerSettings) -> FastAPI:
    engine = create_store_engine(settings.database_url, pool_size=settings.pool_size)
    app = FastAPI(
        title="一门式社区事务受理台 中心服务器",
        version="1",
        description="Workstation enrollment, event push, feed pull, the center's figures and a workstation's "
        "reconciliation, back office and the citizen progress page (docs/sync-protocol.md).",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.runtime = Runtime(
        settings=settings,
        engine=engine,
        sessions=sessionmaker(engine, expire_on_commit=False, info=session_info(settings.blob_dir)),
        readers=sessionmaker(
            engine.execution_options(yimen_readonly=True),
            expire_on_commit=False,
            info=session_info(settings.blob_dir),
        ),
        rate_limits=RateLimits(
            enroll=RateLimiter(settings.enroll_rate_per_minute),
            progress=RateLimiter(settings.progress_rate_per_minute),
        ),
        trusted_proxies=settings.proxy_networks(),
    )

    api = APIRouter(prefix=API_PREFIX)
    for module in (health, devices, sync, documents, backoffice, center):
        api.include_router(module.router)
    app.include_router(api)
    app.include_router(public.router)

    app.add_exception_handler(ServiceError, service_error_handler)
    app.add_exception_handler(RequestValidationError, validation_error_handler)
    app.add_exception_handler(RateLimitedError, rate_limited_handler)
    app.add_exception_handler(HTTPException, http_error_handler)
    # Innermost first: admission control answers before anything reads the body; the body limit, no-store and the
    # published versions wrap its 503 like every other answer.
    app.add_middleware(
        PushAdmission, limit=settings.max_concurrent_pushes, queue_wait=settings.push_queue_wait_ms / 1000
    )
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    app.middleware("http")(no_store)
    app.middleware("http")(published_versions(settings))

    def openapi() -> dict[str, Any]:
        # The push endpoint reads PushRequest by hand (server/api/sync.py): add it, and what it refers to, to the
        # schemas its request body names.
        if app.openapi_schema is None:
            document = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
            extra = protocol.PushRequest.model_json_schema(ref_template="#/components/schemas/{model}")
            schemas = document.setdefault("components", {}).setdefault("schemas", {})
            schemas.update(extra.pop("$defs", {}))
            schemas["PushRequest"] = extra
            # Admission control (server/api/admission.py) answers beyond K pushes in flight.
            document["paths"][PUSH_PATH]["post"]["responses"]["503"] = BUSY_RESPONSE
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app
