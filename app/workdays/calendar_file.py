"""Calendar data files: one ``YYYY.toml`` per year, entered by IT from the State Council's notice.

The format (keys, the ``override`` rule, entries for December of the previous year) is documented in
``resources/calendar/README.md`` and ``docs/workdays.md``.  :func:`load_extra_years` keeps the good files of a
folder and reports every problem of the others with its file and line, so one typing error never stops the
counter; :class:`~app.workdays.calendar.WorkCalendar` decides which years it applies.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final, TypeAlias

from app.errors import ConfigError
from app.i18n import Message, msg
from app.resources import resource_path

_Date: TypeAlias = date

#: Longest run of days one ``start``/``end`` entry of a data file may cover.  The longest holiday period so far
#: is 9 days (春节 2026); a longer range is almost certainly a typing error in a date.
_MAX_RANGE_DAYS: Final = 31

_WEEKDAY_NAMES: Final = "一二三四五六日"


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
