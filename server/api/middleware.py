"""Middleware: a body limit enforced while the body is read, and ``Cache-Control: no-store`` on every answer."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import Request, Response

from server.api.errors import error_response


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
