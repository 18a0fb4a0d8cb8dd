"""Tests of app.workdays: the N-th working day after acceptance on the official calendar.

Facts about 2026 come from chinesecalendar 1.11.0 (domain notes rules.md §7, STACK.md "Domain libraries"); each is
checked against the library's own ``is_workday`` before our rule is asserted.  Everything about 2027 uses the
made-up, clearly labelled fixture ``tests/app/data/calendar/2027.toml``: the real notice is not in our sources.
Calendars that reason about "2027 is not covered" pin the library with ``library_through=2026`` so the tests keep
their meaning after chinesecalendar ships 2027.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.errors import ConfigError, ValidationError
from app.workdays import (
    MAX_WORKDAYS,
    CalendarDataError,
    CalendarYear,
    DayKind,
    DaySource,
    Promise,
    WorkCalendar,
    calendar_data_dir,
    format_date_cn,
    load_calendar,
    load_extra_years,
    load_year_file,
)

D = date
DATA_DIR = Path(__file__).parent / "data" / "calendar"
FIXTURE_2027 = DATA_DIR / "2027.toml"

# Built once: hypothesis refuses function-scoped fixtures, and a WorkCalendar never changes.
LIBRARY_ONLY = WorkCalendar(library_through=2026)
WITH_2027 = WorkCalendar([load_year_file(FIXTURE_2027)], library_through=2026)
# Library up to 2010 and a made-up 2012 file: an estimated gap (2011) between known years.
GAPPY = WorkCalendar(
    [
        CalendarYear(
            year=2012,
            source="测试数据（虚构）",
            entered=D(2011, 11, 1),
            holidays={D(2012, 1, 2): "元旦", D(2011, 12, 30): "元旦"},
            makeup_workdays={D(2011, 12, 31): "元旦"},
        )
    ],
    library_through=2010,
)
CALENDARS = {"library": LIBRARY_ONLY, "with_2027": WITH_2027, "gappy": GAPPY}


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


GOOD_2027 = """\
year = 2027
source = "测试数据（虚构）"
entered = 2026-11-23

[[holidays]]
name = "元旦"
date = 2027-01-01

[[makeup_workdays]]
name = "春节"
date = 2027-02-20
"""


# ------------------------------------------------------------------------------------------- library facts
def test_library_covers_2004_to_at_least_2026() -> None:
    assert LIBRARY_ONLY.covered_years() == frozenset(range(2004, 2027))
    assert LIBRARY_ONLY.covered_through() == 2026
    assert str(LIBRARY_ONLY.coverage_message()) == "日历数据覆盖至2026年"
    unpinned = WorkCalendar().covered_through()
    assert unpinned is not None and unpinned >= 2026


def test_library_raises_for_2027_and_we_do_not() -> None:
    # The library itself (1.11) raises; pinned to 2026 our calendar estimates instead.
    if 2027 not in WorkCalendar().library_years:
        with pytest.raises(NotImplementedError):
            chinese_calendar.is_workday(D(2027, 1, 4))
    status = LIBRARY_ONLY.day_status(D(2027, 1, 4))
    assert status.source is DaySource.ESTIMATE
    assert status.is_workday and not status.known
    assert LIBRARY_ONLY.day_status(D(1999, 5, 1)).source is DaySource.ESTIMATE
    far = LIBRARY_ONLY.day_status(D(2200, 5, 3))
    assert far.kind is (DayKind.WORKDAY if D(2200, 5, 3).weekday() < 5 else DayKind.WEEKEND)


def test_national_day_2026() -> None:
    for day in days(D(2026, 10, 1), D(2026, 10, 7)):
        assert not chinese_calendar.is_workday(day)
        status = LIBRARY_ONLY.day_status(day)
        assert status.kind is DayKind.HOLIDAY and status.known and status.name == "国庆节"
    assert chinese_calendar.is_workday(D(2026, 10, 8))
    assert LIBRARY_ONLY.day_status(D(2026, 10, 8)).kind is DayKind.WORKDAY
    saturday = LIBRARY_ONLY.day_status(D(2026, 10, 10))
    assert D(2026, 10, 10).weekday() == 5 and chinese_calendar.is_workday(D(2026, 10, 10))
    assert saturday.kind is DayKind.MAKEUP_WORKDAY
    assert saturday.is_workday and saturday.known and saturday.source is DaySource.LIBRARY
    assert LIBRARY_ONLY.day_status(D(2026, 10, 11)).kind is DayKind.WEEKEND


def test_library_find_workday_counts_like_us_from_a_workday() -> None:
    # rules.md §7: find_workday(5, 2026-02-12) -> 2026-02-26.  2026-02-12 is a working Thursday, and the library
    # counts it as its day 0, so its "delta 5" is our "5th working day after".
    assert chinese_calendar.find_workday(5, D(2026, 2, 12)) == D(2026, 2, 26)
    assert chinese_calendar.is_workday(D(2026, 2, 12))
    assert LIBRARY_ONLY.add_workdays(D(2026, 2, 12), 5).date == D(2026, 2, 26)


def test_accepted_2026_09_30_with_5_working_days_is_2026_10_13() -> None:
    # Verified day by day against the library before asserting our rule.
    expected_workdays = {D(2026, 10, 8), D(2026, 10, 9), D(2026, 10, 10), D(2026, 10, 12), D(2026, 10, 13)}
    for day in days(D(2026, 10, 1), D(2026, 10, 13)):
        assert chinese_calendar.is_workday(day) == (day in expected_workdays), day
    result = LIBRARY_ONLY.add_workdays(D(2026, 9, 30), 5)
    assert result.date == D(2026, 10, 13)
    assert not result.estimated and result.estimated_years == ()
    assert [LIBRARY_ONLY.add_workdays(D(2026, 9, 30), n).date for n in range(1, 6)] == sorted(expected_workdays)


def test_accepted_on_a_holiday_counts_from_the_next_workday() -> None:
    # Accepted on 2026-10-03 (Saturday inside 国庆节): 10-08 is working day 1 under our rule.
    assert LIBRARY_ONLY.add_workdays(D(2026, 10, 3), 1).date == D(2026, 10, 8)
    assert LIBRARY_ONLY.add_workdays(D(2026, 10, 3), 5).date == D(2026, 10, 13)
    # The library counts the first working day on or after a rest day as day 0: one working day more.
    assert chinese_calendar.find_workday(5, D(2026, 10, 3)) == D(2026, 10, 14)
    assert chinese_calendar.find_workday(4, D(2026, 10, 3)) == D(2026, 10, 13)


def test_accepted_on_an_ordinary_saturday_counts_from_monday() -> None:
    saturday = D(2026, 10, 17)
    assert saturday.weekday() == 5 and not chinese_calendar.is_workday(saturday)
    assert LIBRARY_ONLY.add_workdays(saturday, 1).date == D(2026, 10, 19)
    assert LIBRARY_ONLY.add_workdays(saturday, 5).date == D(2026, 10, 23)


def test_accepted_on_a_makeup_saturday_does_not_count_that_day() -> None:
    assert LIBRARY_ONLY.add_workdays(D(2026, 10, 10), 1).date == D(2026, 10, 12)
    assert LIBRARY_ONLY.add_workdays(D(2026, 10, 9), 1).date == D(2026, 10, 10)


def test_twenty_days_promise_in_20_working_days_of_spring_festival_2026() -> None:
    # 行政许可法 Art. 42: 20 working days.  2026-02-14 and 02-28 are make-up Saturdays, 02-15..23 rest days.
    result = LIBRARY_ONLY.add_workdays(D(2026, 2, 10), 20)
    assert result.date == chinese_calendar.find_workday(20, D(2026, 2, 10))
    assert LIBRARY_ONLY.workdays_between(D(2026, 2, 10), result.date).count == 20


# ------------------------------------------------------------------------------------------- estimates
def test_promise_reaching_into_an_uncovered_year_is_estimated_weekdays_only() -> None:
    # 12-16..12-31 hold 12 working days (no 2026 December holidays in the library); 2027 counts Mon-Fri only.
    for day in days(D(2026, 12, 16), D(2026, 12, 31)):
        assert chinese_calendar.is_workday(day) == (day.weekday() < 5)
    result = LIBRARY_ONLY.add_workdays(D(2026, 12, 15), 20)
    assert result.date == D(2027, 1, 12)  # 2027-01-01 (Friday) counted as a working day: only an estimate
    assert result.estimated
    assert result.estimated_years == (2027,)


def test_promise_inside_the_covered_year_is_not_estimated() -> None:
    assert not LIBRARY_ONLY.add_workdays(D(2026, 12, 15), 12).estimated
    assert LIBRARY_ONLY.add_workdays(D(2026, 12, 15), 12).date == D(2026, 12, 31)
    assert LIBRARY_ONLY.add_workdays(D(2026, 12, 31), 1).estimated


def test_acceptance_day_in_an_uncovered_year_does_not_make_an_estimate() -> None:
    # GAPPY: 2011 is a gap, but the (made-up) 2012 notice names 2011-12-30 (Fri) a rest day and 12-31 (Sat) a
    # make-up day.  The start, Thursday 2011-12-29, is an estimated day, but it is never counted.
    assert GAPPY.day_status(D(2011, 12, 29)).source is DaySource.ESTIMATE
    assert GAPPY.day_status(D(2011, 12, 30)).kind is DayKind.HOLIDAY
    assert GAPPY.day_status(D(2011, 12, 31)).kind is DayKind.MAKEUP_WORKDAY
    result = GAPPY.add_workdays(D(2011, 12, 29), 1)
    assert result.date == D(2011, 12, 31)
    assert not result.estimated
    assert GAPPY.add_workdays(D(2011, 12, 28), 1).estimated  # 12-29 itself is counted now


def test_estimated_when_only_a_skipped_day_was_unknown() -> None:
    # 2028-12-30/31 (Saturday, Sunday) are in an uncovered year and only skipped; 2029-01-02 is counted, known.
    calendar = WorkCalendar(
        [
            CalendarYear(2029, "测试数据（虚构）", D(2028, 11, 1), {D(2029, 1, 1): "元旦"}, {}),
        ],
        library_through=2026,
    )
    result = calendar.add_workdays(D(2028, 12, 29), 1)
    assert result.date == D(2029, 1, 2)
    assert result.estimated and result.estimated_years == (2028,)
    # Starting on the uncovered Sunday and walking only known days: not an estimate.
    assert not calendar.add_workdays(D(2028, 12, 31), 1).estimated


def test_years_before_the_library_are_estimated_not_errors() -> None:
    result = LIBRARY_ONLY.add_workdays(D(2003, 12, 20), 10)
    assert result.estimated and result.estimated_years == (2003,)


# ------------------------------------------------------------------------------------------- data files
def test_fixture_2027_is_labelled_as_test_data() -> None:
    data = load_year_file(FIXTURE_2027)
    assert "测试数据" in data.source and "虚构" in data.source
    assert data.year == 2027 and data.path == FIXTURE_2027
    assert "2027.toml" in data.label


def test_extra_year_file_makes_2027_known_and_respects_its_holidays() -> None:
    result = WITH_2027.add_workdays(D(2026, 12, 15), 20)
    # 12 working days in December, then 2027-01-01 is a (test) holiday: 01-04..01-08, 01-11..01-13.
    assert result.date == D(2027, 1, 13)
    assert not result.estimated
    assert WITH_2027.covered_through() == 2027
    assert str(WITH_2027.coverage_message()) == "日历数据覆盖至2027年"
    status = WITH_2027.day_status(D(2027, 1, 1))
    assert status.kind is DayKind.HOLIDAY and status.source is DaySource.DATA_FILE and status.name == "元旦"
    assert status.data is not None and status.data.path == FIXTURE_2027


def test_extra_year_file_respects_its_makeup_days() -> None:
    assert WITH_2027.day_status(D(2027, 1, 31)).kind is DayKind.MAKEUP_WORKDAY
    # 02-06..13 test holidays, 02-14 Sunday, 02-15..19 working days 1-5, Saturday 02-20 a make-up day.
    assert WITH_2027.add_workdays(D(2027, 2, 5), 5).date == D(2027, 2, 19)
    assert WITH_2027.add_workdays(D(2027, 2, 5), 6).date == D(2027, 2, 20)
    assert WITH_2027.add_workdays(D(2027, 1, 29), 1).date == D(2027, 1, 31)
    assert LIBRARY_ONLY.add_workdays(D(2027, 1, 29), 1).date == D(2027, 2, 1)


def test_shipped_calendar_folder_has_readme_and_loads_cleanly() -> None:
    folder = calendar_data_dir()
    assert (folder / "README.md").is_file()
    years, problems = load_extra_years(folder)
    assert problems == []
    for data in years:  # real data only: the made-up fixture must never be copied there
        assert "测试数据" not in data.source


def test_readme_example_is_valid_and_matches_the_library(tmp_path: Path) -> None:
    readme = (calendar_data_dir() / "README.md").read_text(encoding="utf-8")
    example = readme.split("```toml\n", 1)[1].split("```", 1)[0]
    data = load_year_file(write(tmp_path, "2026.toml", example))
    assert not data.override
    assert WorkCalendar([data]).ignored_years == (data,)  # the library covers 2026: the example changes nothing
    forced = CalendarYear(2026, data.source, data.entered, data.holidays, data.makeup_workdays, override=True)
    calendar = WorkCalendar([forced])
    for day in days(D(2026, 1, 1), D(2026, 12, 31)):
        assert calendar.day_status(day).source is DaySource.DATA_FILE
        assert calendar.is_workday(day) == chinese_calendar.is_workday(day), day


def test_missing_folder_means_no_extra_years(tmp_path: Path) -> None:
    assert load_extra_years(tmp_path / "nowhere") == ([], [])


def test_load_calendar_defaults_to_resources(tmp_path: Path) -> None:
    calendar, problems = load_calendar(library_through=2026)
    assert problems == []
    assert 2026 in calendar.covered_years()
    write(tmp_path, "2027.toml", GOOD_2027)
    calendar, problems = load_calendar(tmp_path, library_through=2026)
    assert problems == [] and calendar.covered_through() == 2027


def test_quoted_dates_and_a_byte_order_mark_are_accepted(tmp_path: Path) -> None:
    text = GOOD_2027.replace("2027-01-01", '"2027-01-01"')
    (tmp_path / "2027.toml").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    data = load_year_file(tmp_path / "2027.toml")
    assert D(2027, 1, 1) in data.holidays


def test_a_file_for_a_library_year_is_ignored_unless_it_overrides() -> None:
    made_up = {D(2026, 10, 8): "测试假日"}
    plain = CalendarYear(2026, "测试数据（虚构）", D(2026, 1, 1), made_up, {})
    calendar = WorkCalendar([plain])
    assert calendar.ignored_years == (plain,)
    assert calendar.extra_years == ()
    assert calendar.day_status(D(2026, 10, 8)).source is DaySource.LIBRARY

    overriding = CalendarYear(2026, "测试数据（虚构）", D(2026, 1, 1), made_up, {}, override=True)
    calendar = WorkCalendar([overriding])
    assert calendar.extra_years == (overriding,)
    assert calendar.day_status(D(2026, 10, 8)).kind is DayKind.HOLIDAY
    # The file replaces the library for the whole year: the library's make-up Saturday is gone.
    assert calendar.day_status(D(2026, 10, 10)).kind is DayKind.WEEKEND
    assert calendar.day_status(D(2026, 10, 10)).source is DaySource.DATA_FILE
    # Other years still come from the library.
    assert calendar.day_status(D(2025, 10, 1)).source is DaySource.LIBRARY


def test_december_entries_of_the_next_notice() -> None:
    # The real 2019 notice made 2018-12-29 a make-up Saturday and 12-30/31 rest days; the library has them.
    assert D(2018, 12, 29) in chinese_calendar.workdays and D(2018, 12, 30) in chinese_calendar.holidays
    made_up = CalendarYear(
        2019,
        "测试数据（虚构）",
        D(2018, 12, 1),
        holidays={D(2019, 1, 1): "元旦"},
        makeup_workdays={D(2018, 12, 30): "元旦", D(2018, 12, 22): "元旦"},
    )
    calendar = WorkCalendar([made_up], library_through=2018)
    # The library governs 2018 and has its own entry for 12-30: it wins without override.
    assert calendar.day_status(D(2018, 12, 30)).source is DaySource.LIBRARY
    assert calendar.day_status(D(2018, 12, 30)).kind is DayKind.HOLIDAY
    # A December day the library says nothing special about takes the notice's entry.
    status = calendar.day_status(D(2018, 12, 22))
    assert status.kind is DayKind.MAKEUP_WORKDAY and status.source is DaySource.DATA_FILE
    # With override the file's entry wins everywhere.
    forced = CalendarYear(
        2019,
        made_up.source,
        made_up.entered,
        made_up.holidays,
        made_up.makeup_workdays,
        override=True,
    )
    calendar = WorkCalendar([forced], library_through=2018)
    assert calendar.day_status(D(2018, 12, 30)).kind is DayKind.MAKEUP_WORKDAY


def test_december_entry_in_an_uncovered_year_is_known() -> None:
    calendar = WorkCalendar(
        [CalendarYear(2028, "测试数据（虚构）", D(2027, 11, 1), {D(2027, 12, 31): "元旦"}, {})],
        library_through=2026,
    )
    assert calendar.day_status(D(2027, 12, 31)).kind is DayKind.HOLIDAY
    assert calendar.day_status(D(2027, 12, 31)).known
    assert not calendar.day_status(D(2027, 12, 30)).known
    assert calendar.covered_through() == 2026  # 2027 is still a gap


def test_two_data_sets_for_one_year_is_a_bug() -> None:
    data = load_year_file(FIXTURE_2027)
    with pytest.raises(ValueError, match="2027"):
        WorkCalendar([data, data])


BROKEN = [
    pytest.param(
        "2027.toml",
        'year = 2027\nsource = "未闭合\nentered = 2026-11-23\n',
        2,
        "TOML",
        id="syntax",
    ),
    pytest.param(
        "2027.toml",
        GOOD_2027.replace("date = 2027-02-20", "date = 2027-02-22"),
        11,
        "调休上班日 2027-02-22 是星期一",
        id="makeup-on-weekday",
    ),
    pytest.param(
        "2027.toml",
        GOOD_2027.replace("date = 2027-01-01", "date = 2026-10-01"),
        7,
        "不属于2027年",
        id="outside-year",
    ),
    pytest.param(
        "2027.toml",
        GOOD_2027.replace("[[makeup_workdays]]", "[[makeup_workday]]"),
        9,
        "无法识别的项“makeup_workday”",
        id="typo-table",
    ),
    pytest.param(
        "2027.toml",
        GOOD_2027.replace('name = "元旦"\n', 'name = "元旦"\nday = 2027-01-01\n'),
        7,
        "无法识别的项“day”",
        id="typo-entry-key",
    ),
    pytest.param("2027.toml", GOOD_2027.replace("year = 2027", "year = 2028"), 1, "与文件名", id="year-mismatch"),
    pytest.param("2027.toml", GOOD_2027.replace("year = 2027", 'year = "2027"'), 1, "四位年份", id="year-text"),
    pytest.param("2027.toml", GOOD_2027.replace('source = "测试数据（虚构）"\n', ""), None, "source", id="no-source"),
    pytest.param(
        "2027.toml",
        GOOD_2027.replace("entered = 2026-11-23", "entered = 2026-11-23T10:00:00"),
        3,
        "entered",
        id="datetime",
    ),
    pytest.param(
        "2027.toml",
        GOOD_2027.replace("date = 2027-01-01", "start = 2027-01-03\nend = 2027-01-01"),
        7,
        "晚于结束日期",
        id="reversed-range",
    ),
    pytest.param(
        "2027.toml",
        GOOD_2027.replace("date = 2027-01-01", "start = 2027-01-01\nend = 2027-03-01"),
        7,
        "超过31天",
        id="long-range",
    ),
    pytest.param(
        "2027.toml",
        GOOD_2027.replace("date = 2027-01-01", "date = 2027-02-20"),
        11,
        "同时被写成放假和上班",
        id="holiday-and-makeup",
    ),
    pytest.param(
        "2027.toml",
        GOOD_2027.replace("date = 2027-01-01", "date = 2027-01-01\nstart = 2027-01-01\nend = 2027-01-02"),
        5,
        "二者选一",
        id="date-and-range",
    ),
    pytest.param("holidays-2027.toml", GOOD_2027, None, "文件名应为四位年份", id="file-name"),
    pytest.param("2027.toml", GOOD_2027.split("[[holidays]]")[0], None, "没有任何放假日期", id="no-holidays"),
]


@pytest.mark.parametrize(("name", "text", "line", "fragment"), BROKEN)
def test_broken_file_is_reported_with_file_and_line(
    tmp_path: Path, name: str, text: str, line: int | None, fragment: str
) -> None:
    path = write(tmp_path, name, text)
    with pytest.raises(CalendarDataError) as caught:
        load_year_file(path)
    error = caught.value
    assert isinstance(error, ConfigError) and error.code == "config"
    assert error.path == path
    message = str(error)
    assert str(path) in message and fragment in message, message
    assert "该文件未被采用" in message
    if line is not None:
        assert error.line == line, message
        assert f"第{line}行" in message


def test_override_must_be_a_boolean(tmp_path: Path) -> None:
    path = write(tmp_path, "2027.toml", 'override = "yes"\n' + GOOD_2027)
    with pytest.raises(CalendarDataError) as caught:
        load_year_file(path)
    assert caught.value.line == 1 and "override" in str(caught.value)


def test_not_utf8_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "2027.toml"
    path.write_bytes(GOOD_2027.replace("测试数据", "测试").encode("gb18030"))
    with pytest.raises(CalendarDataError, match="UTF-8"):
        load_year_file(path)


def test_a_broken_file_does_not_stop_the_others(tmp_path: Path) -> None:
    write(tmp_path, "2027.toml", GOOD_2027)
    write(tmp_path, "2028.toml", "year = 2028\nsource = \n")
    write(tmp_path, "README.md", "# 说明\n")
    write(tmp_path, "2029.toml.bak", "garbage")
    years, problems = load_extra_years(tmp_path)
    assert [data.year for data in years] == [2027]
    assert len(problems) == 1 and problems[0].path == tmp_path / "2028.toml" and problems[0].line == 2
    calendar, problems = load_calendar(tmp_path, library_through=2026)
    assert len(problems) == 1
    assert calendar.covered_through() == 2027
    assert calendar.add_workdays(D(2027, 12, 31), 1).estimated  # 2028 stays an estimate


def test_every_problem_of_a_file_is_reported(tmp_path: Path) -> None:
    text = GOOD_2027.replace("date = 2027-02-20", "date = 2027-02-22").replace("year = 2027", "year = 27")
    write(tmp_path, "2027.toml", text)
    _, problems = load_extra_years(tmp_path)
    assert len(problems) == 2


# ------------------------------------------------------------------------------------------- arguments
@pytest.mark.parametrize("n", [0, -1, MAX_WORKDAYS + 1])
def test_n_out_of_range_is_a_validation_error(n: int) -> None:
    with pytest.raises(ValidationError) as caught:
        LIBRARY_ONLY.add_workdays(D(2026, 9, 30), n)
    assert caught.value.field == "n"
    assert "1至3650" in str(caught.value)


def test_n_at_the_cap_works() -> None:
    result = LIBRARY_ONLY.add_workdays(D(2026, 9, 30), MAX_WORKDAYS)
    assert result.estimated
    assert LIBRARY_ONLY.workdays_between(D(2026, 9, 30), result.date).count == MAX_WORKDAYS


def test_wrong_types_are_bugs() -> None:
    with pytest.raises(TypeError):
        LIBRARY_ONLY.add_workdays(D(2026, 9, 30), True)
    with pytest.raises(TypeError):
        LIBRARY_ONLY.add_workdays(D(2026, 9, 30), 5.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="Asia/Shanghai"):
        LIBRARY_ONLY.add_workdays(datetime(2026, 9, 30, 23, 0), 5)
    with pytest.raises(TypeError):
        LIBRARY_ONLY.day_status(datetime(2026, 9, 30, 23, 0))


def test_end_of_the_calendar_is_a_validation_error() -> None:
    with pytest.raises(ValidationError):
        LIBRARY_ONLY.add_workdays(date.max - timedelta(days=3), 10)


# ------------------------------------------------------------------------------------------- recompute
def test_recompute_after_it_adds_a_year() -> None:
    old = LIBRARY_ONLY.add_workdays(D(2026, 12, 15), 20)
    unchanged = LIBRARY_ONLY.add_workdays(D(2026, 9, 30), 5)
    promises = [
        (old.start, old.n, old.date, old.estimated),
        Promise(unchanged.start, unchanged.n, unchanged.date, unchanged.estimated),
    ]
    first, second = WITH_2027.recompute(promises)
    assert first.changed and first.date_changed
    assert first.result.date == D(2027, 1, 13) and not first.result.estimated
    assert first.promise.old_date == D(2027, 1, 12)
    assert not second.changed
    # Same calendar, same answer: recomputing on the old calendar changes nothing.
    assert not any(item.changed for item in LIBRARY_ONLY.recompute(promises[:1]))


# ------------------------------------------------------------------------------------------- text
def test_format_date_cn() -> None:
    assert format_date_cn(D(2026, 10, 11)) == "2026年10月11日（星期日）"


# ------------------------------------------------------------------------------------------- properties
starts = st.dates(min_value=D(2000, 1, 1), max_value=D(2031, 12, 31))
counts = st.integers(min_value=1, max_value=300)
calendars = st.sampled_from(sorted(CALENDARS))


@settings(max_examples=300, deadline=None)
@given(calendar_name=calendars, start=starts, n=counts)
def test_result_is_the_nth_workday_after_start(calendar_name: str, start: date, n: int) -> None:
    calendar = CALENDARS[calendar_name]
    result = calendar.add_workdays(start, n)
    assert result.start == start and result.n == n
    assert result.date > start
    assert calendar.day_status(result.date).is_workday
    between = calendar.workdays_between(start, result.date)
    assert between.count == n
    walked = days(start + timedelta(days=1), result.date)
    assert result.estimated == any(not calendar.day_status(day).known for day in walked)
    assert result.estimated == between.estimated
    assert result.estimated_years == tuple(sorted({d.year for d in walked if not calendar.covers(d)}))
    # The day before the result holds only n - 1 working days: the result is the first day reaching n.
    assert calendar.workdays_between(start, result.date - timedelta(days=1)).count == n - 1


@settings(max_examples=150, deadline=None)
@given(calendar_name=calendars, start=starts, n=st.integers(min_value=1, max_value=299))
def test_result_is_monotonic_in_n(calendar_name: str, start: date, n: int) -> None:
    calendar = CALENDARS[calendar_name]
    assert calendar.add_workdays(start, n).date < calendar.add_workdays(start, n + 1).date


@settings(max_examples=200, deadline=None)
@given(start=st.dates(min_value=D(2004, 1, 1), max_value=D(2026, 6, 30)), n=st.integers(1, 100))
def test_agrees_with_the_library_inside_its_years(start: date, n: int) -> None:
    result = LIBRARY_ONLY.add_workdays(start, n)
    if result.date.year > 2026:
        return
    assert not result.estimated
    # The library counts a working start as day 0 and the first working day on or after a rest day as day 0.
    library_n = n if chinese_calendar.is_workday(start) else n - 1
    assert result.date == chinese_calendar.find_workday(library_n, start)


@settings(max_examples=200, deadline=None)
@given(day=st.dates(min_value=D(2004, 1, 1), max_value=D(2026, 12, 31)))
def test_day_status_matches_the_library(day: date) -> None:
    status = LIBRARY_ONLY.day_status(day)
    assert status.known and status.source is DaySource.LIBRARY
    assert status.is_workday == chinese_calendar.is_workday(day)


@settings(max_examples=200, deadline=None)
@given(day=st.dates(min_value=D(2027, 1, 1), max_value=D(2100, 12, 31)))
def test_uncovered_days_are_weekday_estimates(day: date) -> None:
    status = LIBRARY_ONLY.day_status(day)
    assert not status.known
    assert status.is_workday == (day.weekday() < 5)


# ------------------------------------------------------------------------------------------- layering
def test_module_is_qt_free_and_db_free() -> None:
    code = (
        "import sys, app.workdays; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'sqlalchemy', 'ui', 'db')]; "
        "assert not bad, bad"
    )
    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root)
