"""The citizen's progress page, ``GET /q/{受理编号}?c={查询码}``, outside ``/api/v1``: the receipt's QR code points
to it and only it is published to the internet (docs/operations.md).  Rate-limited per address, with its own
budget.

Any path or query under ``/q`` gets a page, never a 500 nor JSON: the number and the code are taken as plain
text, whatever they hold, and anything that is not a known number with its code gets the same 404 page
(``server/api/errors.py`` answers the paths no route matches the same way).
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from server.api.deps import PROGRESS_RATE_LIMITED, ReadSessionDep
from server.api.errors import PROGRESS_PAGES, not_found_page, page, shown
from server.services.backoffice import STATUS_LABELS
from server.services.progress import Progress, progress

router = APIRouter(prefix=PROGRESS_PAGES, tags=["public"])

SHANGHAI = ZoneInfo("Asia/Shanghai")

_PAGE: dict[str, Any] = {"text/html": {"schema": {"type": "string"}}}
#: The refusals the page documents (OpenAPI): both are pages too.
_REFUSALS: dict[int | str, dict[str, Any]] = {
    404: {"description": "未找到该申请：编号未知、查询码不对或格式无效，答复完全相同", "content": _PAGE},
    429: {"description": "请求过于频繁（Retry-After 给出秒数）", "content": _PAGE},
}


@router.get("/{acceptance_no}", response_class=HTMLResponse, responses=_REFUSALS, dependencies=[PROGRESS_RATE_LIMITED])
def progress_page(acceptance_no: str, session: ReadSessionDep, c: str = "") -> HTMLResponse:
    found = progress(session, acceptance_no, c)
    return not_found_page() if found is None else _progress_page(found)


def _progress_page(found: Progress) -> HTMLResponse:
    local = found.status_at.astimezone(SHANGHAI)
    body = (
        "<dl>"
        f"<dt>{'受理编号' if found.accepted else '办件编号'}</dt><dd>{shown(found.acceptance_no)}</dd>"
        f"<dt>办理事项</dt><dd>{shown(found.item_name)}</dd>"
        f"<dt>当前状态</dt><dd class='status'>{shown(STATUS_LABELS[found.status])}</dd>"
        f"<dt>更新日期</dt><dd>{local:%Y年%m月%d日}</dd>"
        "</dl>"
    )
    return page(200, "办理进度", body)
