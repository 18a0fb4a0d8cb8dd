"""Error answers: every refusal is an :class:`~app.sync.protocol.ErrorBody` (a stable code and one Chinese sentence),
never a traceback or FastAPI's own ``detail``."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from app.sync.protocol import ErrorBody
from server.services.common import ServiceError

#: The error answers every authenticated endpoint documents (OpenAPI ``responses``).
ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "缺少或无效的凭证"},
    403: {"model": ErrorBody, "description": "凭证已吊销，或无权访问"},
    413: {"model": ErrorBody, "description": "请求体过大"},
    422: {"model": ErrorBody, "description": "请求格式无效"},
}


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(ErrorBody(code=code, message=message).model_dump(), status_code=status, headers=headers)


def invalid_request(where: str) -> ServiceError:
    """A request that does not match its schema (``where``: the dotted location of the first problem)."""
    return ServiceError(422, "invalid_request", f"请求格式无效（{where}）。请升级工作站程序或联系信息员。")


async def service_error_handler(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ServiceError)
    return error_response(exc.status, exc.code, exc.message)


async def validation_error_handler(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    first = exc.errors()[0] if exc.errors() else {}
    refusal = invalid_request(".".join(str(p) for p in first.get("loc", ())))
    return error_response(refusal.status, refusal.code, refusal.message)
