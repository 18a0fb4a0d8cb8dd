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
3. data files for years the library does not cover;
4. otherwise an estimate: Monday to Friday are working days.  Every result that passed through an estimated day
   says so (``WorkdayResult.estimated``), and the UI shows it as 估算.

The file format, the override rule and the "previous December" rule are documented in
``resources/calendar/README.md`` and ``docs/workdays.md``.  This module is Qt-free and database-free.
"""

from __future__ import annotations

import enum
import functools
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final, NamedTuple, TypeAlias

import chinese_calendar

from app.errors import ConfigError, ValidationError, YimenError
from app.i18n import Message, msg
from app.resources import resource_path

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
    "workdays_add_command",
]

_Date: TypeAlias = date

#: The largest number of working days a promise may span (about 14 years): anything larger is a typing error.
MAX_WORKDAYS: Final = 3650

#: Longest run of days one ``start``/``end`` entry of a data file may cover.  The longest holiday period so far
#: is 9 days (春节 2026); a longer range is almost certainly a typing error in a date.
_MAX_RANGE_DAYS: Final = 31

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


# --------------------------------------------------------------------------------------------- data files
@dataclass(frozen=True, eq=False)
class CalendarYear:
    """One calendar year entered from the State Council's notice.

    Attributes:
        year: the year the notice is for.
        source: the notice's 文号 and title, copied from the notice (国务院办公厅关于××年部分节假日安排的通知).
        entered: the date IT entered the data.
        holidays: rest days (date → holiday name).  May include weekend days of a holiday period and days in
            December of the previous year, when the notice names them (the 2019 notice did).
        makeup_workdays: weekend days that are working days (date → holiday name).  Same rule for December.
        override: replace the library's data for this year (only for a correction of the library).
        entered_by: who entered the data (free text, optional).
        note: free text, optional.
        path: the file the data came from, or None when built in code.
    """

    year: int
    source: str
    entered: _Date
    holidays: Mapping[_Date, str]
    makeup_workdays: Mapping[_Date, str]
    override: bool = False
    entered_by: str = ""
    note: str = ""
    path: Path | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "holidays", MappingProxyType(dict(self.holidays)))
        object.__setattr__(self, "makeup_workdays", MappingProxyType(dict(self.makeup_workdays)))

    @property
    def label(self) -> str:
        """A short description for logs and the about box: file, notice and entry date."""
        where = self.path.name if self.path is not None else str(self.year)
        return f"{where}：{self.source}（录入 {self.entered.isoformat()}）"


class CalendarDataError(ConfigError):
    """A calendar data file (or the folder) cannot be used.

    Attributes:
        path: the file or folder.
        line: the line of the problem (1-based), when known.
    """

    def __init__(self, message: Message, *, path: Path, line: int | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.line = line


def calendar_data_dir() -> Path:
    """Return the calendar data folder shipped with the application (``resources/calendar``)."""
    return resource_path("calendar")


_FILE_NAME: Final = re.compile(r"(\d{4})\.toml", re.IGNORECASE)
_ISO_DATE: Final = re.compile(r"\d{4}-\d{2}-\d{2}")
_TOML_LINE: Final = re.compile(r"at line (\d+)")
_TOP_KEYS: Final = ("year", "source", "entered", "entered_by", "override", "note", "holidays", "makeup_workdays")
_ENTRY_KEYS: Final = ("name", "date", "start", "end", "note")


def _problem(path: Path, line: int | None, problem: Message) -> CalendarDataError:
    if line is None:
        message = msg(
            "workdays", "日历数据文件“{file}”有误：{problem}该文件未被采用，请按日历文件夹中 README.md 的格式改正。"
        ).bind(file=str(path), problem=problem)
    else:
        message = msg(
            "workdays",
            "日历数据文件“{file}”第{line}行有误：{problem}该文件未被采用，请按日历文件夹中 README.md 的格式改正。",
        ).bind(file=str(path), line=line, problem=problem)
    return CalendarDataError(message, path=path, line=line)


class _FileParser:
    """Validate one data file, collecting every problem with the best line number it can find."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()
        self.problems: list[CalendarDataError] = []

    # ---- line lookup: tomllib gives no positions for values, so search the text for the key or the value.
    def key_line(self, key: str, first: int = 1, last: int | None = None) -> int | None:
        pattern = re.compile(rf'^\s*"?{re.escape(key)}"?\s*=')
        return self._search(pattern, first, last)

    def table_line(self, key: str) -> int | None:
        return self._search(re.compile(rf'^\s*\[\[?\s*"?{re.escape(key)}"?\s*\]'), 1, None)

    def value_line(self, needle: str, first: int = 1, last: int | None = None) -> int | None:
        return self._search(re.compile(re.escape(needle)), first, last)

    def _search(self, pattern: re.Pattern[str], first: int, last: int | None) -> int | None:
        stop = len(self.lines) if last is None else min(last, len(self.lines))
        for number in range(first, stop + 1):
            if pattern.search(self.lines[number - 1]):
                return number
        return None

    def entry_blocks(self, table: str, count: int) -> list[tuple[int, int | None]]:
        """Return (first line, last line) of each ``[[table]]`` entry, or whole-file ranges if not found."""
        header = re.compile(rf"^\s*\[\[\s*{re.escape(table)}\s*\]\]")
        starts = [number for number, line in enumerate(self.lines, 1) if header.search(line)]
        if len(starts) != count:  # inline arrays or an unusual layout: search the whole file
            first = self.key_line(table) or 1
            return [(first, None)] * count
        blocks: list[tuple[int, int | None]] = []
        for start in starts:
            # An entry ends before the next table header (a line starting with "[").
            following = (
                number for number, line in enumerate(self.lines, 1) if number > start and line.lstrip().startswith("[")
            )
            next_header = next(following, None)
            blocks.append((start, None if next_header is None else next_header - 1))
        return blocks

    def add(self, line: int | None, problem: Message) -> None:
        self.problems.append(_problem(self.path, line, problem))

    # ---- the file
    def parse(self, data: Mapping[str, Any]) -> CalendarYear | None:
        name_match = _FILE_NAME.fullmatch(self.path.name)
        file_year = int(name_match.group(1)) if name_match else None
        if name_match is None:
            self.add(None, msg("workdays", "文件名应为四位年份加 .toml，例如 2027.toml。"))

        for key in data:
            if key not in _TOP_KEYS:
                self.add(
                    self.key_line(key) or self.table_line(key),
                    msg("workdays", "有无法识别的项“{key}”（可用的项：{keys}）。").bind(
                        key=key, keys="、".join(_TOP_KEYS)
                    ),
                )

        year = self._year(data, file_year)
        source = self._source(data)
        entered = self._entered(data)
        entered_by = self._optional_text(data, "entered_by")
        note = self._optional_text(data, "note")
        override = data.get("override", False)
        if not isinstance(override, bool):
            self.add(self.key_line("override"), msg("workdays", "“override”只能是 true 或 false（不加引号）。"))
            override = False

        seen: dict[date, str] = {}  # date -> the table it was first written in
        holidays = self._entries(data, "holidays", year, seen, required=True)
        makeup = self._entries(data, "makeup_workdays", year, seen, required=False)

        if self.problems or year is None or source is None or entered is None:
            return None
        return CalendarYear(
            year=year,
            source=source,
            entered=entered,
            holidays=holidays,
            makeup_workdays=makeup,
            override=override,
            entered_by=entered_by,
            note=note,
            path=self.path,
        )

    def _year(self, data: Mapping[str, Any], file_year: int | None) -> int | None:
        if "year" not in data:
            self.add(None, msg("workdays", "缺少“year”（年份），例如 year = 2027。"))
            return None
        value = data["year"]
        line = self.key_line("year")
        if isinstance(value, bool) or not isinstance(value, int) or not 1949 < value < 3000:
            self.add(line, msg("workdays", "“year”应为四位年份数字（不加引号），例如 year = 2027。"))
            return None
        if file_year is not None and value != file_year:
            self.add(
                line,
                msg("workdays", "year = {year} 与文件名“{name}”不一致。").bind(year=value, name=self.path.name),
            )
            return None
        return value

    def _source(self, data: Mapping[str, Any]) -> str | None:
        if "source" not in data:
            self.add(None, msg("workdays", "缺少“source”：请写明国务院办公厅通知的文号和标题。"))
            return None
        value = data["source"]
        if not isinstance(value, str) or not value.strip():
            self.add(
                self.key_line("source"),
                msg("workdays", "“source”应为文字：国务院办公厅通知的文号和标题，写在英文引号内。"),
            )
            return None
        return value.strip()

    def _optional_text(self, data: Mapping[str, Any], key: str) -> str:
        value = data.get(key, "")
        if not isinstance(value, str):
            self.add(self.key_line(key), msg("workdays", "“{key}”应为文字，写在英文引号内。").bind(key=key))
            return ""
        return value.strip()

    def _entered(self, data: Mapping[str, Any]) -> date | None:
        if "entered" not in data:
            self.add(None, msg("workdays", "缺少“entered”（录入日期），例如 entered = 2026-11-20。"))
            return None
        value = _as_date(data["entered"])
        if value is None:
            self.add(
                self.key_line("entered"),
                msg("workdays", "“entered”应为录入日期，例如 entered = 2026-11-20。"),
            )
        return value

    def _entries(
        self,
        data: Mapping[str, Any],
        table: str,
        year: int | None,
        seen: dict[date, str],
        *,
        required: bool,
    ) -> dict[date, str]:
        raw = data.get(table)
        if raw is None:
            if required:
                self.add(
                    None,
                    msg("workdays", "没有任何放假日期：每年的通知至少有元旦、春节等假期，请逐段写成 [[holidays]]。"),
                )
            return {}
        if not isinstance(raw, list) or not all(isinstance(entry, dict) for entry in raw):
            self.add(
                self.key_line(table) or self.value_line(f"[{table}]"),
                msg("workdays", "“{table}”应写成若干个 [[{table}]] 段。").bind(table=table),
            )
            return {}
        if required and not raw:
            self.add(
                self.key_line(table),
                msg("workdays", "没有任何放假日期：每年的通知至少有元旦、春节等假期，请逐段写成 [[holidays]]。"),
            )
        result: dict[date, str] = {}
        for index, (entry, (first, last)) in enumerate(zip(raw, self.entry_blocks(table, len(raw)), strict=True), 1):
            for day, name in self._entry(entry, table, index, year, first, last):
                line = self.value_line(day.isoformat(), first, last) or first
                if day in seen:
                    if seen[day] == table:
                        self.add(line, msg("workdays", "{day} 重复出现。").bind(day=day.isoformat()))
                    else:
                        self.add(line, msg("workdays", "{day} 同时被写成放假和上班。").bind(day=day.isoformat()))
                    continue
                seen[day] = table
                result[day] = name
        return result

    def _entry(
        self, entry: Mapping[str, Any], table: str, index: int, year: int | None, first: int, last: int | None
    ) -> list[tuple[date, str]]:
        where = f"[[{table}]]"
        ok = True
        for key in entry:
            if key not in _ENTRY_KEYS:
                self.add(
                    self.key_line(key, first, last) or first,
                    msg("workdays", "第{index}个 {where} 有无法识别的项“{key}”（可用的项：{keys}）。").bind(
                        index=index, where=where, key=key, keys="、".join(_ENTRY_KEYS)
                    ),
                )
                ok = False
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            self.add(
                self.key_line("name", first, last) or first,
                msg("workdays", '第{index}个 {where} 缺少名称 name，例如 name = "春节"。').bind(
                    index=index, where=where
                ),
            )
            ok = False

        days = self._entry_days(entry, table, index, where, first, last)
        if days is None or not ok or not isinstance(name, str):
            return []
        good: list[tuple[date, str]] = []
        for day in days:
            line = self.value_line(day.isoformat(), first, last) or first
            if year is not None and not (day.year == year or (day.year == year - 1 and day.month == 12)):
                self.add(
                    line,
                    msg(
                        "workdays",
                        "日期 {day} 不属于{year}年（只能写{year}年的日期，或通知中写到的上一年12月的日期）。",
                    ).bind(day=day.isoformat(), year=year),
                )
                continue
            if table == "makeup_workdays" and day.weekday() < 5:
                self.add(
                    line,
                    msg(
                        "workdays", "调休上班日 {day} 是星期{weekday}，不是周末：调休上班日只会是星期六或星期日。"
                    ).bind(day=day.isoformat(), weekday=_WEEKDAY_NAMES[day.weekday()]),
                )
                continue
            good.append((day, name.strip()))
        return good

    def _entry_days(
        self, entry: Mapping[str, Any], table: str, index: int, where: str, first: int, last: int | None
    ) -> list[date] | None:
        has_date = "date" in entry
        has_range = "start" in entry or "end" in entry
        if table == "makeup_workdays" and has_range:
            self.add(
                self.key_line("start", first, last) or self.key_line("end", first, last) or first,
                msg("workdays", "调休上班日请逐日写成 date = 日期，每个 [[makeup_workdays]] 一天。"),
            )
            return None
        if has_date == has_range or (has_range and not ("start" in entry and "end" in entry)):
            self.add(
                first,
                msg(
                    "workdays",
                    "第{index}个 {where} 应写 date（一天），或写 start 和 end（连续几天，含首尾），二者选一。",
                ).bind(index=index, where=where),
            )
            return None
        values: dict[str, date] = {}
        for key in ("date",) if has_date else ("start", "end"):
            value = _as_date(entry[key])
            if value is None:
                self.add(
                    self.key_line(key, first, last) or first,
                    msg("workdays", "“{key}”应为日期，例如 {key} = 2027-01-01。").bind(key=key),
                )
                return None
            values[key] = value
        if has_date:
            return [values["date"]]
        start, end = values["start"], values["end"]
        if start > end:
            self.add(
                self.key_line("start", first, last) or first,
                msg("workdays", "开始日期 {start} 晚于结束日期 {end}。").bind(
                    start=start.isoformat(), end=end.isoformat()
                ),
            )
            return None
        span = (end - start).days + 1
        if span > _MAX_RANGE_DAYS:
            self.add(
                self.key_line("start", first, last) or first,
                msg("workdays", "{start} 至 {end} 共{span}天，超过{limit}天，请检查日期。").bind(
                    start=start.isoformat(), end=end.isoformat(), span=span, limit=_MAX_RANGE_DAYS
                ),
            )
            return None
        return [start + timedelta(days=offset) for offset in range(span)]


def _as_date(value: object) -> date | None:
    """Return ``value`` as a date: a TOML date (``2027-01-01``) or the same text in quotes; else None."""
    if isinstance(value, datetime):  # a TOML date-time: a date was meant, but we do not guess the day
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _parse_file(path: Path) -> tuple[CalendarYear | None, list[CalendarDataError]]:
    try:
        # utf-8-sig: Windows Notepad may save a byte-order mark, which tomllib refuses.
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        problem = msg("workdays", "文件不是 UTF-8 编码：请用记事本“另存为”并选择 UTF-8 编码。")
        return None, [_problem(path, None, problem)]
    except OSError as exc:
        problem = msg("workdays", "文件无法读取（{detail}）。").bind(detail=exc.strerror or type(exc).__name__)
        return None, [_problem(path, None, problem)]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        detail = str(exc)
        found = _TOML_LINE.search(detail)
        line = int(found.group(1)) if found else max(1, len(text.splitlines()))
        problem = msg("workdays", "不是有效的 TOML 格式（{detail}）。").bind(detail=detail)
        return None, [_problem(path, line, problem)]
    parser = _FileParser(path, text)
    year = parser.parse(data)
    return year, parser.problems


def load_year_file(path: Path) -> CalendarYear:
    """Load and check one calendar data file.

    Args:
        path: a ``YYYY.toml`` file in the format of ``resources/calendar/README.md``.

    Returns:
        The year's data.

    Raises:
        CalendarDataError: (a ConfigError) for the first problem found, naming the file and the line.
    """
    year, problems = _parse_file(path)
    if problems:
        raise problems[0]
    assert year is not None  # no problems means a year
    return year


def load_extra_years(folder: Path) -> tuple[list[CalendarYear], list[CalendarDataError]]:
    """Load every ``*.toml`` file of a calendar data folder, keeping the good ones.

    A broken file is left out and reported; the others are used, so one typing error never stops the counter.
    Other files (README.md, backups such as ``2027.toml.bak``) and hidden files are ignored.  A folder that does
    not exist holds no years (that is the normal case).

    Args:
        folder: the folder to read.

    Returns:
        The years in file-name order, and one CalendarDataError per problem (several for one file are possible).
    """
    if not folder.exists():
        return [], []
    try:
        paths = sorted(
            entry
            for entry in folder.iterdir()
            if entry.suffix.lower() == ".toml" and not entry.name.startswith((".", "~")) and entry.is_file()
        )
    except OSError as exc:
        message = msg(
            "workdays", "日历数据文件夹“{folder}”无法读取（{detail}），其中的年份未被采用；请检查该文件夹的权限。"
        ).bind(folder=str(folder), detail=exc.strerror or type(exc).__name__)
        return [], [CalendarDataError(message, path=folder)]
    years: list[CalendarYear] = []
    problems: list[CalendarDataError] = []
    by_year: dict[int, CalendarYear] = {}
    for path in paths:
        year, file_problems = _parse_file(path)
        problems.extend(file_problems)
        if year is None:
            continue
        if year.year in by_year:  # 2027.toml and 2027.TOML on a case-sensitive file system
            other = by_year[year.year].path
            problem = msg("workdays", "与“{other}”是同一年份，请只保留一个文件。").bind(other=str(other))
            problems.append(_problem(path, None, problem))
            continue
        by_year[year.year] = year
        years.append(year)
    return years, problems


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


def _parse_start(value: date | str) -> date:
    if isinstance(value, date):
        return value
    text = value.strip()
    try:
        if not _ISO_DATE.fullmatch(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(
            msg("workdays", "日期“{value}”无效，请写成 2026-09-30 的格式。").bind(value=value), field="start"
        ) from None


def _parse_n(value: int | str) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value).strip()
    if re.fullmatch(r"[+-]?\d{1,9}", text):
        return int(text)
    raise ValidationError(
        msg("workdays", "工作日数应为1至{max}之间的整数，收到的是“{value}”。").bind(max=MAX_WORKDAYS, value=str(value)),
        field="n",
    )


def workdays_add_command(
    start: date | str,
    n: int | str,
    calendar: WorkCalendar,
    problems: Sequence[YimenError] = (),
) -> tuple[str, int]:
    """Run ``yimen workdays add DATE N``: the N-th working day after DATE.

    On success (exit code 0) the text is, one item per line:

    1. the date in ISO form, e.g. ``2026-10-13`` (for scripts);
    2. ``估算`` when the date is an estimate, else an empty line;
    3. a Chinese sentence with the acceptance date, N and the promised completion date;
    4. when estimated: which years were estimated and how far the calendar data reaches;
    5. one ``注意：…`` line per problem in ``problems`` (e.g. from :func:`load_calendar`).

    On invalid input (exit code 2) the text is one Chinese sentence saying what is wrong; print it to stderr.

    Args:
        start: the acceptance date, a date or ``YYYY-MM-DD`` text.
        n: the number of working days, an int or its text.
        calendar: the calendar to use (usually from :func:`load_calendar`).
        problems: calendar data problems to mention after the result.

    Returns:
        The text to print (no trailing newline) and the exit code.
    """
    try:
        start_day = _parse_start(start)
        count = _parse_n(n)
        result = calendar.add_workdays(start_day, count)
    except ValidationError as exc:
        return exc.message.render(), 2
    lines = [
        result.date.isoformat(),
        "估算" if result.estimated else "",
        msg("workdays", "受理日期{start}，办理时限{n}个工作日，承诺办结日期{end}。")
        .bind(start=format_date_cn(result.start), n=result.n, end=format_date_cn(result.date))
        .render(),
    ]
    if result.estimated:
        covered = calendar.covered_through()
        lines.append(
            msg(
                "workdays",
                "估算：{years}年的节假日安排尚未录入，按周一至周五为工作日计算；{coverage}。补录后请重新计算。",
            )
            .bind(
                years="、".join(str(year) for year in result.estimated_years),
                coverage=calendar.coverage_message() if covered is not None else "没有日历数据",
            )
            .render()
        )
    lines.extend(msg("workdays", "注意：{problem}").bind(problem=problem.message).render() for problem in problems)
    return "\n".join(lines), 0
