"""The citizen's progress page, ``GET /q/{受理编号}?c={查询码}``, outside ``/api/v1``: the receipt's QR code points
to it and only it is published to the internet (docs/operations.md).  Rate-limited per address."""

from __future__ import annotations

import html
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse
from pydantic import Field

from server.api.deps import RATE_LIMITED, ReadSessionDep
from server.services.backoffice import STATUS_LABELS
from server.services.progress import Progress, progress

router = APIRouter(tags=["public"])

SHANGHAI = ZoneInfo("Asia/Shanghai")


@router.get("/q/{acceptance_no}", response_class=HTMLResponse, dependencies=[RATE_LIMITED])
def progress_page(
    acceptance_no: Annotated[str, Field(max_length=60)],
    session: ReadSessionDep,
    c: Annotated[str, Query(max_length=20)] = "",
) -> HTMLResponse:
    found = progress(session, acceptance_no, c)
    return HTMLResponse(_progress_html(found), status_code=200 if found else 404)


def _progress_html(found: Progress | None) -> str:
    if found is None:
        title = "未找到该申请"
        body = "<p>未找到该申请。请核对受理回执上的受理编号和查询码；刚受理的申请可能需要稍后才能查到。</p>"
    else:
        local = found.status_at.astimezone(SHANGHAI)
        title = "办理进度"
        body = (
            "<dl>"
            f"<dt>受理编号</dt><dd>{html.escape(found.acceptance_no)}</dd>"
            f"<dt>办理事项</dt><dd>{html.escape(found.item_name)}</dd>"
            f"<dt>当前状态</dt><dd class='status'>{html.escape(STATUS_LABELS[found.status])}</dd>"
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
