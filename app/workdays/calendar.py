"""Working days on the official calendar and the promised completion date (承诺办结日期).

Time limits of administrative procedures are counted in working days: 行政许可法 Art. 82 says the periods of the
law are working days, statutory holidays (法定节假日) excluded, and Art. 42 sets 20 working days for a decision
(+10 with approval).  Most items our centres take are 行政给付, not licences, but they follow the same rule.
Counting starts the day after acceptance (a local rule seen in practice, see domain notes rules.md §4): the
acceptance day itself never counts, and an application accepted on a Saturday or during a holiday counts from
the next working day, because our centres open at weekends.

The official calendar is the State Council General Office's yearly notice on holiday arrangements
(国务院办公厅关于××年部分节假日安排的通知), which moves rest days around: 调休 make-up working days fall on
weekends, and weekdays inside a holiday period are rest days.  Sources, in order of authority:

1. data files IT adds for a year, marked ``override = true`` (they replace the library for that year);
2. the ``chinesecalendar`` package (``import chinese_calendar``; 1.11.0 covers 2004–2026 and raises
   ``NotImplementedError`` for any other year, which we catch here and never let escape);
3. data files for years the library does not cover (read by :mod:`app.workdays.calendar_file`);
4. otherwise an estimate: Monday to Friday are working days.  Every result that passed through an estimated day
   says so (``WorkdayResult.estimated``), and the UI shows it as 估算.

See ``docs/workdays.md``.  This module is Qt-free and database-free.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Final, NamedTuple, TypeAlias

import chinese_calendar

from app.errors import ValidationError
from app.i18n import Message, msg
from app.workdays.calendar_file import CalendarDataError, CalendarYear, calendar_data_dir, load_extra_years

_Date: TypeAlias = date

#: The largest number of working days a promise may span (about 14 years): anything larger is a typing error.
MAX_WORKDAYS: Final = 3650

_ONE_DAY: Final = timedelta(days=1)
_WEEKDAY_NAMES: Final = "一二三四五六日"


# --------------------------------------------------------------------------------------------- the library
def _library_years() -> range:
    """Return the years ``chinese_calendar`` has data for (the same bounds its own ``_validate_date`` checks)."""
    years = {day.year for day in chinese_calendar.holidays}
    if not years:  # pragma: no cover - an empty library is not a calendar
        return range(0)
    return range(min(years), max(years) + 1)


_LIBRARY_YEARS: Final = _library_years()
_LIBRARY_VERSION: Final[str] = str(getattr(chinese_calendar, "__version__", "?"))


def _library_name(raw: object) -> str | None:
    """Return the Chinese name of a library holiday (the library stores the English name)."""
    if raw is None:
        return None
    try:
        return str(chinese_calendar.Holiday(raw).chinese)
    except ValueError:
        return str(raw)


# --------------------------------------------------------------------------------------------- day status
class DayKind(enum.StrEnum):
    """What kind of day a date is on the official calendar."""

    WORKDAY = "workday"
    """An ordinary Monday to Friday working day."""
    MAKEUP_WORKDAY = "makeup_workday"
    """A weekend day that is a working day (调休上班)."""
    WEEKEND = "weekend"
    """An ordinary Saturday or Sunday."""
    HOLIDAY = "holiday"
    """A rest day of a holiday period (法定节假日, or a weekday given in exchange: 调休放假)."""


class DaySource(enum.StrEnum):
    """Where the status of a day comes from."""

    LIBRARY = "library"
    """The ``chinesecalendar`` package."""
    DATA_FILE = "data_file"
    """A calendar data file IT added (see ``resources/calendar/README.md``)."""
    ESTIMATE = "estimate"
    """Nobody knows yet: Monday to Friday are counted as working days."""


@dataclass(frozen=True, slots=True)
class DayStatus:
    """The status of one day.

    Attributes:
        day: the date.
        kind: workday, make-up workday, weekend or holiday.
        source: library, data file, or estimate.
        name: the holiday's name (such as 国庆节) for holidays and make-up days, when the source gives one.
        data: the data file the status comes from, for ``DaySource.DATA_FILE``.
    """

    day: _Date
    kind: DayKind
    source: DaySource
    name: str | None = None
    data: CalendarYear | None = field(default=None, repr=False)

    @property
    def is_workday(self) -> bool:
        """True for working days (ordinary or make-up), known or estimated."""
        return self.kind in (DayKind.WORKDAY, DayKind.MAKEUP_WORKDAY)

    @property
    def known(self) -> bool:
        """True when an official source covers the day, False when it is an estimate."""
        return self.source is not DaySource.ESTIMATE


# --------------------------------------------------------------------------------------------- results
@dataclass(frozen=True, slots=True)
class WorkdayResult:
    """The N-th working day after a start date.

    Attributes:
        start: the acceptance date (never counted itself).
        n: the number of working days.
        date: the N-th working day after ``start``: the promised completion date.
        estimated: True iff a day counted or skipped on the way (``start`` excluded, ``date`` included) lies
            outside the official calendar and was estimated as Monday to Friday.  Show it as 估算.
        estimated_years: the years of those estimated days, in order.
    """

    start: _Date
    n: int
    date: _Date
    estimated: bool
    estimated_years: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class WorkdayCount:
    """The number of working days in a span of dates.

    Attributes:
        count: working days in ``(after, through]``.
        estimated: True iff a day of the span was estimated.
    """

    count: int
    estimated: bool


class Promise(NamedTuple):
    """A promised completion date as stored, for :meth:`WorkCalendar.recompute`."""

    start: date
    n: int
    old_date: date
    old_estimated: bool


@dataclass(frozen=True, slots=True)
class Recomputed:
    """A stored promise and what the current calendar gives for it.

    Attributes:
        promise: the stored promise.
        result: the result on the current calendar.
    """

    promise: Promise
    result: WorkdayResult

    @property
    def date_changed(self) -> bool:
        """True when the completion date moved."""
        return self.result.date != self.promise.old_date

    @property
    def changed(self) -> bool:
        """True when the completion date or the estimate flag changed."""
        return self.date_changed or self.result.estimated != self.promise.old_estimated


# --------------------------------------------------------------------------------------------- the calendar
class WorkCalendar:
    """The official working-day calendar: ``chinesecalendar`` plus data files, with a weekday estimate beyond.

    A WorkCalendar never changes after it is built, so :meth:`add_workdays` is deterministic for a given
    calendar: after IT adds a year, build a new calendar and recompute (see :meth:`recompute`).

    Precedence for a day (see ``docs/workdays.md``):

    1. an entry for December of the previous year in the next year's data file (the notice for year Y sometimes
       names days at the end of Y-1, e.g. 2018-12-29 as a make-up day for 元旦 2019), unless the library governs
       that year and has an entry of its own for the day and the file does not say ``override = true``;
    2. the data file for the day's year, if one is applied (the library lacks the year, or the file overrides);
    3. the library, for the years it covers;
    4. the estimate: Monday to Friday are working days.

    A data file for a year the library covers, without ``override = true``, is ignored (see
    :attr:`ignored_years`): the library's data is the reviewed one.

    Args:
        extra_years: years from data files (at most one per year).
        library_through: use the library's data only up to this year (tests pin the library's coverage so they
            keep their meaning when a newer chinesecalendar adds a year); None uses all of it.

    Raises:
        ValueError: two extra years for the same year.
    """

    def __init__(self, extra_years: Iterable[CalendarYear] = (), *, library_through: int | None = None) -> None:
        last = _LIBRARY_YEARS.stop - 1
        if library_through is not None:
            last = min(last, library_through)
        self._library_years = range(_LIBRARY_YEARS.start, max(last + 1, _LIBRARY_YEARS.start))
        self._years: dict[int, CalendarYear] = {}
        self._ignored: dict[int, CalendarYear] = {}
        seen: set[int] = set()
        for data in extra_years:
            if data.year in seen:
                raise ValueError(f"two calendar data sets for {data.year}")
            seen.add(data.year)
            if data.year in self._library_years and not data.override:
                self._ignored[data.year] = data
            else:
                self._years[data.year] = data
        # Entries of a year's file that fall in December of the previous year.
        self._december: dict[date, tuple[DayKind, str, CalendarYear]] = {}
        for data in self._years.values():
            for day, name in data.holidays.items():
                if day.year != data.year:
                    self._december[day] = (DayKind.HOLIDAY, name, data)
            for day, name in data.makeup_workdays.items():
                if day.year != data.year:
                    self._december[day] = (DayKind.MAKEUP_WORKDAY, name, data)

    # ---- coverage
    @property
    def library_version(self) -> str:
        """The installed chinesecalendar version."""
        return _LIBRARY_VERSION

    @property
    def library_years(self) -> range:
        """The years this calendar takes from the library."""
        return self._library_years

    @property
    def extra_years(self) -> tuple[CalendarYear, ...]:
        """The data files in use, by year."""
        return tuple(self._years[year] for year in sorted(self._years))

    @property
    def ignored_years(self) -> tuple[CalendarYear, ...]:
        """Data files left unused because the library covers their year and they do not say ``override``."""
        return tuple(self._ignored[year] for year in sorted(self._ignored))

    def covered_years(self) -> frozenset[int]:
        """Return every year the official calendar covers (library or data file)."""
        return frozenset(self._library_years) | frozenset(self._years)

    def covered_through(self) -> int | None:
        """Return the last year of the unbroken run of covered years (for "日历数据覆盖至2026年").

        A data file for a later year after a gap does not extend the run: the gap is still estimated.
        """
        covered = self.covered_years()
        if not covered:
            return None
        year = min(self._library_years) if self._library_years else min(covered)
        while year + 1 in covered:
            year += 1
        return year

    def coverage_message(self) -> Message:
        """Return the sentence for the status bar or the about box."""
        last = self.covered_through()
        if last is None:
            return msg("workdays", "没有日历数据：所有期限都按周一至周五估算。")
        return msg("workdays", "日历数据覆盖至{year}年").bind(year=last)

    def covers(self, day: date) -> bool:
        """Return True when the official calendar knows ``day`` (it is not an estimate)."""
        return self.day_status(day).known

    # ---- days
    def day_status(self, day: date) -> DayStatus:
        """Return the status of ``day``: workday or rest, and whether it is known or estimated.

        Raises:
            TypeError: ``day`` is a datetime (convert it to the local date in Asia/Shanghai first: the date of a
                UTC timestamp is the wrong day for acceptances before 08:00).
        """
        _check_date(day)
        december = self._december.get(day)
        data = self._years.get(day.year)
        library_governs = data is None and day.year in self._library_years
        if december is not None:
            kind, name, source = december
            library_has_own = day in chinese_calendar.holidays or day in chinese_calendar.workdays
            if not (library_governs and library_has_own and not source.override):
                return DayStatus(day, kind, DaySource.DATA_FILE, name, source)
        if data is not None:
            return _data_status(day, data)
        if library_governs:
            status = _library_status(day)
            if status is not None:
                return status
        # Nobody knows this day yet: Monday to Friday count as working days (rules.md §7).
        return DayStatus(day, _weekday_kind(day), DaySource.ESTIMATE)

    def is_workday(self, day: date) -> bool:
        """Return True when ``day`` is a working day, known or estimated (see :meth:`day_status` for which)."""
        return self.day_status(day).is_workday

    # ---- counting
    def add_workdays(self, start: date, n: int) -> WorkdayResult:
        """Return the N-th working day after ``start``: the promised completion date.

        ``start`` never counts, whatever it is; counting starts the next day and skips rest days (行政许可法
        Art. 82: working days without statutory holidays; counting from the day after acceptance, rules.md §4).
        So an application accepted on a Saturday or during a holiday counts from the next working day.

        Note: ``chinese_calendar.find_workday(n, start)`` agrees when ``start`` is a working day, but counts the
        first working day on or after a rest day as its day 0, one working day more than our rule.

        Args:
            start: the acceptance date (local date in Asia/Shanghai).
            n: the number of working days, 1 to MAX_WORKDAYS.

        Returns:
            The date and whether it is an estimate.

        Raises:
            ValidationError: ``n`` is out of range, or the result would be past the end of the calendar.
            TypeError: ``n`` is not an int, or ``start`` is a datetime.
        """
        _check_date(start)
        _check_n(n)
        day = start
        counted = 0
        estimated_years: set[int] = set()
        while counted < n:
            day = _next_day(day)
            status = self.day_status(day)
            if not status.known:
                estimated_years.add(day.year)
            if status.is_workday:
                counted += 1
        return WorkdayResult(
            start=start,
            n=n,
            date=day,
            estimated=bool(estimated_years),
            estimated_years=tuple(sorted(estimated_years)),
        )

    def workdays_between(self, after: date, through: date) -> WorkdayCount:
        """Count the working days in ``(after, through]``, e.g. the working days a case has been waiting.

        Returns a count of 0 when ``through`` is not after ``after``.  The count ``n`` of ``add_workdays(after,
        n)`` satisfies ``workdays_between(after, result.date).count == n``.
        """
        _check_date(after)
        _check_date(through)
        count = 0
        estimated = False
        day = after
        while day < through:
            day = _next_day(day)
            status = self.day_status(day)
            estimated = estimated or not status.known
            if status.is_workday:
                count += 1
        return WorkdayCount(count, estimated)

    def recompute(self, promises: Iterable[tuple[date, int, date, bool]]) -> list[Recomputed]:
        """Recompute stored promises on this calendar (after IT adds a year, or the library is upgraded).

        The application layer passes the promises still marked estimated (or all open ones) and decides what to
        do with each changed one; this function only computes.

        Args:
            promises: ``(start, n, old_date, old_estimated)`` tuples or :class:`Promise` values.

        Returns:
            One :class:`Recomputed` per promise, in the same order; ``.changed`` tells which moved.
        """
        results: list[Recomputed] = []
        for item in promises:
            promise = Promise(*item)
            results.append(Recomputed(promise, self.add_workdays(promise.start, promise.n)))
        return results


def _weekday_kind(day: date) -> DayKind:
    return DayKind.WORKDAY if day.weekday() < 5 else DayKind.WEEKEND


def _data_status(day: date, data: CalendarYear) -> DayStatus:
    if day in data.holidays:
        return DayStatus(day, DayKind.HOLIDAY, DaySource.DATA_FILE, data.holidays[day], data)
    if day in data.makeup_workdays:
        return DayStatus(day, DayKind.MAKEUP_WORKDAY, DaySource.DATA_FILE, data.makeup_workdays[day], data)
    return DayStatus(day, _weekday_kind(day), DaySource.DATA_FILE, None, data)


# Cached: the library's data never changes in a process, and each of its calls scans all its keys to check the
# year.  Only days of the library's years come here, so the cache holds at most one entry per day of its range.
@functools.cache
def _library_status(day: date) -> DayStatus | None:
    """Return the library's status of ``day``, or None when the library has no data for its year."""
    try:
        workday = bool(chinese_calendar.is_workday(day))
        _, raw_name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:  # "no available data for year …": the caller estimates instead
        return None
    name = _library_name(raw_name)
    if workday:
        kind = DayKind.MAKEUP_WORKDAY if day.weekday() >= 5 else DayKind.WORKDAY
    else:
        kind = DayKind.HOLIDAY if name is not None else DayKind.WEEKEND
    return DayStatus(day, kind, DaySource.LIBRARY, name)


def _check_date(day: object) -> None:
    if isinstance(day, datetime) or not isinstance(day, date):
        raise TypeError(f"expected a date (the local date in Asia/Shanghai), got {type(day).__name__}")


def _check_n(n: object) -> None:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"the number of working days must be an int, got {type(n).__name__}")
    if not 1 <= n <= MAX_WORKDAYS:
        raise ValidationError(
            msg("workdays", "工作日数应为1至{max}之间的整数，收到的是{n}。").bind(max=MAX_WORKDAYS, n=n),
            field="n",
        )


def _next_day(day: date) -> date:
    try:
        return day + _ONE_DAY
    except OverflowError:
        raise ValidationError(msg("workdays", "日期超出可计算的范围。"), field="start") from None


def load_calendar(
    folder: Path | None = None, *, library_through: int | None = None
) -> tuple[WorkCalendar, list[CalendarDataError]]:
    """Build the calendar from the library and a data folder, reporting broken files instead of failing.

    Args:
        folder: the calendar data folder; None for the one shipped in ``resources/calendar``.
        library_through: see :class:`WorkCalendar`.

    Returns:
        The calendar (always usable) and the problems to show IT.
    """
    years, problems = load_extra_years(calendar_data_dir() if folder is None else folder)
    return WorkCalendar(years, library_through=library_through), problems


# --------------------------------------------------------------------------------------------- text
def format_date_cn(day: date) -> str:
    """Return ``day`` as people read it on a receipt: ``2026年10月13日（星期二）``."""
    return f"{day.year}年{day.month}月{day.day}日（星期{_WEEKDAY_NAMES[day.weekday()]}）"
