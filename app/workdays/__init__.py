"""Working days on the official calendar and the promised completion date (承诺办结日期).

Modules:
    calendar: :class:`WorkCalendar` (library, data files, weekday estimate; counting working days), the results,
        :func:`load_calendar`, :func:`format_date_cn`.
    calendar_file: the ``YYYY.toml`` data files IT adds for a year (:class:`CalendarYear`), checked line by line.

``yimen workdays add DATE N`` lives with the other subcommands in :mod:`app.cli`.  The public names are
importable from ``app.workdays`` itself.  See ``docs/workdays.md``.
"""

from app.workdays.calendar import (
    MAX_WORKDAYS,
    DayKind,
    DaySource,
    DayStatus,
    Promise,
    Recomputed,
    WorkCalendar,
    WorkdayCount,
    WorkdayResult,
    format_date_cn,
    load_calendar,
)
from app.workdays.calendar_file import (
    CalendarDataError,
    CalendarYear,
    calendar_data_dir,
    load_extra_years,
    load_year_file,
)

__all__ = [
    "MAX_WORKDAYS",
    "CalendarDataError",
    "CalendarYear",
    "DayKind",
    "DaySource",
    "DayStatus",
    "Promise",
    "Recomputed",
    "WorkCalendar",
    "WorkdayCount",
    "WorkdayResult",
    "calendar_data_dir",
    "format_date_cn",
    "load_calendar",
    "load_extra_years",
    "load_year_file",
]
