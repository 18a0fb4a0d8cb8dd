"""Error answers: every refusal to a program is an :class:`~app.sync.protocol.ErrorBody` (a stable code and one
Chinese sentence), never a traceback or FastAPI's own ``detail``; a person's browser (the progress pages under
``/q``, or any request that asks for ``text/html``) gets a small Chinese page instead.

The pages' HTML is built here too (:func:`page`, :func:`shown`), so that whatever a page shows is escaped and has
its bidirectional controls neutralised in one place.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any

from fastapi import Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException

from app.sync.protocol import ErrorBody
from server.api.ratelimit import RateLimitedError
from server.services.common import ServiceError

#: The citizens' pages live under this path (the only one published to the internet): whatever goes wrong there is
#: answered with a page, never with JSON.
PROGRESS_PAGES = "/q"

#: The error answers every authenticated endpoint documents (OpenAPI ``responses``).
ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "缺少或无效的凭证"},
    403: {"model": ErrorBody, "description": "凭证已吊销，或无权访问"},
    413: {"model": ErrorBody, "description": "请求体过大"},
    422: {"model": ErrorBody, "description": "请求格式无效"},
    426: {"model": ErrorBody, "description": "工作站程序版本低于服务器要求的最低版本（client_too_old），须安装新版本"},
}


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(ErrorBody(code=code, message=message).model_dump(), status_code=status, headers=headers)


def invalid_request(where: str) -> ServiceError:
    """A request that does not match its schema (``where``: the dotted location of the first problem)."""
    return ServiceError(422, "invalid_request", f"请求格式无效（{where}）。请升级工作站程序或联系信息员。")


#: The push refused by admission control (server/api/admission.py): documented on ``POST /events`` by create_app.
SERVER_BUSY = "server_busy"
BUSY_RESPONSE: dict[str, Any] = {
    "description": "中心服务器繁忙（server_busy）：请求体未读取，按 Retry-After 的秒数之后重发同一批",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}},
    "headers": {"Retry-After": {"description": "至少等待的秒数", "schema": {"type": "integer", "minimum": 1}}},
}


def busy_response(retry_after: int) -> JSONResponse:
    """503 with ``Retry-After``: too many pushes in flight; nothing of the request was read."""
    return error_response(
        503,
        SERVER_BUSY,
        f"中心服务器繁忙，请求未处理，请 {retry_after} 秒后重试（工作站会自动重试，记录不会丢失）。",
        {"Retry-After": str(retry_after)},
    )


async def service_error_handler(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ServiceError)
    return error_response(exc.status, exc.code, exc.message)


async def validation_error_handler(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    first = exc.errors()[0] if exc.errors() else {}
    refusal = invalid_request(".".join(str(p) for p in first.get("loc", ())))
    return error_response(refusal.status, refusal.code, refusal.message)


async def rate_limited_handler(request: Request, exc: Exception) -> Response:
    """429 with ``Retry-After``: a page for a person's browser, the JSON error body for a program."""
    assert isinstance(exc, RateLimitedError)
    headers = {"Retry-After": str(exc.retry_after)}
    if wants_page(request):
        return page(429, "请求过于频繁", f"<p>请求过于频繁。请 {exc.retry_after} 秒后再试。</p>", headers)
    return error_response(429, "rate_limited", "请求过于频繁，请稍后再试。", headers)


async def http_error_handler(request: Request, exc: Exception) -> Response:
    """Starlette's own refusals (no such route, method not allowed): under ``/q`` a page — for 404 the very page of
    an unknown number, so that no path tells anything apart — elsewhere FastAPI's usual answer."""
    assert isinstance(exc, HTTPException)
    if not _under_progress_pages(request):
        return await http_exception_handler(request, exc)
    if exc.status_code == 404:
        return not_found_page()
    return page(
        exc.status_code, "无法处理该请求", "<p>无法处理该请求。请扫描受理回执上的二维码查询办理进度。</p>", exc.headers
    )


# ------------------------------------------------------------------------------------------------ pages


def wants_page(request: Request) -> bool:
    """A person's browser: a progress page, or a request whose ``Accept`` names HTML."""
    return _under_progress_pages(request) or "text/html" in request.headers.get("accept", "").lower()


def _under_progress_pages(request: Request) -> bool:
    path = request.url.path
    return path == PROGRESS_PAGES or path.startswith(PROGRESS_PAGES + "/")


#: Characters that reorder the text around them (embeddings, overrides, isolates, marks): in a name that came from
#: a device they could make a page show something else than it says (docs/operations.md).
_BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def shown(value: str) -> str:
    """``value`` for a page's HTML: escaped, and every bidirectional control replaced by U+FFFD (visible, inert)."""
    return html.escape(_BIDI_CONTROLS.sub("\ufffd", value))


def page(status: int, title: str, body_html: str, headers: Mapping[str, str] | None = None) -> HTMLResponse:
    """A small Chinese page; ``title`` is plain text, ``body_html`` already built with :func:`shown`."""
    text = (
        "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width,initial-scale=1'><meta name='robots' content='noindex'>"
        f"<title>{shown(title)} · 社区事务受理服务中心</title>"
        "<style>body{font-family:sans-serif;max-width:30em;margin:2em auto;padding:0 1em;line-height:1.6}"
        "dt{color:#555;font-size:.9em}dd{margin:0 0 .8em 0;font-size:1.1em}.status{font-weight:bold}</style>"
        f"</head><body><h1>{shown(title)}</h1>{body_html}</body></html>"
    )
    return HTMLResponse(text, status_code=status, headers={**_PAGE_HEADERS, **(headers or {})})


#: The pages load nothing and run nothing.
_PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    "X-Content-Type-Options": "nosniff",
}


def not_found_page() -> HTMLResponse:
    """The one answer for an unknown number, a wrong or missing code and any malformed path under ``/q``."""
    return page(
        404,
        "未找到该申请",
        "<p>未找到该申请。请核对回执或告知书上的办件编号和查询码；刚受理的申请可能需要稍后才能查到。</p>",
    )
