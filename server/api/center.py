"""What a supervisor's workstation asks about its own center (docs/supervisor.md "The wire"):
``GET /center/figures?first=&last=`` (the center's figures of up to 31 days, and each workstation's last push and
close) and ``GET /device/reconciliation?day=`` (the device's workstation's applications of a day, with the events
the server holds for each).  The center and the workstation are always the calling device's: no parameter names
them."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query

from app.sync import protocol
from server.api.deps import CurrentDevice, ReadSessionDep
from server.api.errors import ERRORS
from server.services import center

router = APIRouter(tags=["center"])


@router.get("/center/figures", response_model=protocol.CenterFigures, responses=ERRORS)
def center_figures(
    me: CurrentDevice,
    session: ReadSessionDep,
    first: Annotated[dt.date, Query(description="统计期的第一天（上海日期，YYYY-MM-DD）")],
    last: Annotated[dt.date | None, Query(description="统计期的最后一天（缺省为第一天；最多 31 天）")] = None,
) -> protocol.CenterFigures:
    """The figures of the calling device's own center, computed with the workstation's own ``figures.summarize``."""
    return center.center_figures(session, me, first, last or first)


@router.get("/device/reconciliation", response_model=protocol.Reconciliation, responses=ERRORS)
def reconciliation(
    me: CurrentDevice,
    session: ReadSessionDep,
    day: Annotated[dt.date, Query(description="对账的日期（办件编号中的日期，YYYY-MM-DD）")],
) -> protocol.Reconciliation:
    """Every application of the calling device's workstation whose 办件编号 carries the day, with its events."""
    return center.reconciliation(session, me, day)
