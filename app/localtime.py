"""Local time at the counter: moments are stored in UTC and shown, dated and counted in Asia/Shanghai
(ARCHITECTURE.md invariant 5)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local_date(moment: dt.datetime) -> dt.date:
    """The date in Shanghai of an aware moment (the day of a 受理编号, a deadline's start, a day's list)."""
    return moment.astimezone(SHANGHAI).date()


def utc_bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The UTC moments from the start of ``first`` to the end of ``last``, Shanghai days (a day's or a period's
    rows: ``start <= at < end``)."""
    start = dt.datetime.combine(first, dt.time(), SHANGHAI).astimezone(dt.UTC)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), SHANGHAI).astimezone(dt.UTC)
    return start, end
