"""Local time at the counter: moments are stored in UTC and shown, dated and counted in Asia/Shanghai
(ARCHITECTURE.md invariant 5)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local_date(moment: dt.datetime) -> dt.date:
    """The date in Shanghai of an aware moment (the day of a 受理编号, a deadline's start, a day's list)."""
    return moment.astimezone(SHANGHAI).date()
