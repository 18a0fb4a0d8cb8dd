"""Middleware: a body limit enforced while the body is read, ``Cache-Control: no-store`` on every answer, and the
client versions the server wants on every answer of the API."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import Request, Response

from app.sync import protocol
from server.api.errors import error_response
from server.settings import ServerSettings


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
            await _too_large()(scope, receive, send)
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
            await _too_large()(scope, receive, send)


def _too_large() -> Response:
    return error_response(413, "too_large", "请求体过大，请分批上传。")


class _TooLargeError(Exception):
    pass


async def no_store(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    """Answers carry credentials' effects and citizens' statuses: no cache keeps them."""
    response = await call_next(request)
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def published_versions(
    settings: ServerSettings,
) -> Callable[[Request, Callable[[Request], Awaitable[Response]]], Awaitable[Response]]:
    """The minimum and latest client versions, as headers on every answer under the API prefix (refusals included):
    a workstation hears them with whatever it asked, and no answer's schema changes (docs/sync-protocol.md "Client
    versions")."""
    headers = {
        name: value
        for name, value in (
            (protocol.MIN_CLIENT_VERSION_HEADER, settings.min_client_version),
            (protocol.LATEST_CLIENT_VERSION_HEADER, settings.latest_client_version),
        )
        if value is not None
    }
    if settings.push_framing_v2:  # the push framing this server reads beyond version 1 (server/api/sync.py)
        headers[protocol.PUSH_FRAMING_HEADER] = protocol.PUSH_FRAMING_V2

    async def add(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        if headers and request.url.path.startswith(protocol.API_PREFIX + "/"):
            response.headers.update(headers)
        return response

    return add
