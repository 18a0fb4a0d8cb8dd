"""Citizen ID numbers (公民身份号码), and the 18-character numbers of other documents built the same way.

Rules come from `domain notes rules.md` (cited below as rules.md §N):

* §1: GB 11643-1999 structure: 6-digit address code + 8-digit birth date + 3-digit sequence (odd = male) + an
  ISO 7064 MOD 11-2 check character.  The checksum and the birth date come from python-stdnum's
  ``stdnum.cn.ric`` (``calc_check_digit``, ``get_birth_date``).  Its ``validate()`` is deliberately *not*
  used: it rejects region codes that were not in use in the birth year, and real people carry such numbers
  (numbers are assigned at registration, not at birth), so an unknown or anachronistic region is a *warning*
  the clerk can override, never a rejection.  stdnum accepts birth dates in the future; we reject them.
* §1: 15-digit numbers of GB 11643-1989 are converted by inserting ``19`` before the year and computing the
  check character; the clerk must confirm the century (centenarians' old numbers).
* §1: 港澳台居民居住证 use the address codes 810000/820000/830000; the 外国人永久居留身份证 of 2023 has 18
  characters starting with ``9``.  Both use the same MOD 11-2 check.
* §8: IDs are shown masked 3 + 4 (``310***********0018``).

:func:`check_id` never raises: it returns a result with a Chinese :class:`~app.i18n.Message` for the clerk.
:func:`upgrade_15` raises :class:`~app.errors.ValidationError`.
"""

from __future__ import annotations

import calendar
import datetime
import functools
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumValidationError

from app.errors import ValidationError
from app.i18n import Message, msg
from app.idnumber.normalize import normalize_id, show_char
from app.masking import mask_middle

ErrorPart = Literal["length", "characters", "region", "birth_date", "check_digit"]
"""Which part of an ID number is wrong.

``"region"`` is part of the vocabulary but :func:`check_id` never reports it: region problems are warnings
(rules.md §1).
"""

_DIGITS = frozenset("0123456789")

# Ages above this are almost always a typo in the year (or a 15-digit number of a centenarian converted with
# the wrong century); the number stays valid, the clerk confirms.
_PLAUSIBLE_MAX_AGE = 120


class IdKind(StrEnum):
    """Which document an 18-character number belongs to (rules.md §1, "Same algorithm, other documents")."""

    RESIDENT = "resident"
    HMT_RESIDENCE_PERMIT = "hmt_residence_permit"
    FOREIGN_PERMANENT = "foreign_permanent"

    @property
    def label(self) -> Message:
        """The document's Chinese name."""
        return _KIND_LABELS[self]


_KIND_LABELS: dict[IdKind, Message] = {
    IdKind.RESIDENT: msg("idnumber", "居民身份证"),
    IdKind.HMT_RESIDENCE_PERMIT: msg("idnumber", "港澳台居民居住证"),
    IdKind.FOREIGN_PERMANENT: msg("idnumber", "外国人永久居留身份证"),
}


class Sex(StrEnum):
    """Sex from the 17th character (the last sequence digit): odd = male, even = female (GB 11643-1999)."""

    M = "M"
    F = "F"

    @property
    def label(self) -> Message:
        """男 or 女."""
        return _SEX_LABELS[self]


_SEX_LABELS: dict[Sex, Message] = {Sex.M: msg("idnumber", "男"), Sex.F: msg("idnumber", "女")}


class IdWarning(StrEnum):
    """Machine-readable kind of each warning in :attr:`IdCheck.warnings` (same order)."""

    REGION_UNKNOWN = "region_unknown"
    """The address code is not in stdnum's table of region codes."""
    REGION_NOT_IN_USE = "region_not_in_use"
    """The address code exists but was not in use in the birth year."""
    CONVERTED_FROM_15 = "converted_from_15"
    """A 15-digit number was converted with ``19`` as the century: the clerk confirms against the card."""
    IMPLAUSIBLE_AGE = "implausible_age"
    """The birth date gives an age above 120 years."""


@dataclass(frozen=True)
class IdCheck:
    """The result of :func:`check_id`.

    Derived fields (``kind``, ``birth_date``, ``sex``, ``age``, ``region``) are set only when ``valid``.

    Attributes:
        input: the text as given.
        valid: True when length, characters, birth date and check character are right (warnings allowed).
        normalized: the number after :func:`normalize_id` (and after the 15 → 18 conversion when it applied).
        kind: which document the number belongs to.
        birth_date: the birth date encoded in the number.
        sex: from the 17th character.
        age: full years on the day of the check.
        region: the address code's region name from stdnum's table (``"上海市黄浦区"``), or a description of
            the residence permit's region, or the 永居证's province of application (``"上海市（永居证受理地）"``);
            only the province when the rest of the code is unknown; None when the province is unknown too.
        warnings: sentences for the clerk; the number is still valid.
        warning_kinds: what each warning is about, in the same order as ``warnings``.
        error: why the number is invalid, naming the wrong part.
        error_part: which part is wrong.
        converted_from_15: the input was a 15-digit number of GB 11643-1989.
    """

    input: str
    valid: bool
    normalized: str
    kind: IdKind | None = None
    birth_date: datetime.date | None = None
    sex: Sex | None = None
    age: int | None = None
    region: str | None = None
    warnings: tuple[Message, ...] = ()
    warning_kinds: tuple[IdWarning, ...] = ()
    error: Message | None = None
    error_part: ErrorPart | None = None
    converted_from_15: bool = False

    def to_json(self) -> dict[str, Any]:
        """Return the JSON object ``yimen id check`` prints for this number (messages rendered in Chinese)."""
        return {
            "input": self.input,
            "valid": self.valid,
            "normalized": self.normalized,
            "kind": self.kind.value if self.kind is not None else None,
            "birth_date": self.birth_date.isoformat() if self.birth_date is not None else None,
            "sex": self.sex.value if self.sex is not None else None,
            "region": self.region,
            "warnings": [w.render() for w in self.warnings],
            "error": self.error.render() if self.error is not None else None,
        }


# ------------------------------------------------------------------------------------------- message text


def _quoted(text: str, limit: int = 40) -> str:
    """User input as it can be quoted in a message: invisible characters as U+XXXX, at most ``limit`` shown."""
    shown = "".join(ch if ch.isprintable() else f"U+{ord(ch):04X}" for ch in text[:limit])
    return shown + ("…" if len(text) > limit else "")


def _format_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# ------------------------------------------------------------------------------------------- region data


@dataclass(frozen=True)
class _CountyName:
    start: int | None
    end: int | None
    name: str


_SPAN_RE = re.compile(r"^\[(\d*)-(\d*)\](.*)$")


@functools.lru_cache(maxsize=4096)
def _region_entries(code: str) -> tuple[str | None, tuple[_CountyName, ...]]:
    """Look a 6-digit address code up in stdnum's ``cn/loc`` table (rules.md §1, "Libraries").

    Returns:
        The province name (None when even the first two digits are unknown) and the names the code has had,
        each with the years it was in use (``[1992-]浦东新区`` → start 1992, open end).
    """
    province: str | None = None
    counties: list[_CountyName] = []
    for _part, props in numdb.get("cn/loc").info(code):
        if "province" in props:
            province = str(props["province"])
        if "county" in props:
            for entry in str(props["county"]).split(","):
                match = _SPAN_RE.match(entry)
                if match is None:
                    counties.append(_CountyName(None, None, entry))
                else:
                    start, end, name = match.groups()
                    counties.append(_CountyName(int(start) if start else None, int(end) if end else None, name))
    return province, tuple(counties)


def _join_region(province: str, county: str) -> str:
    return county if county.startswith(province) else province + county


def _span_text(county: _CountyName) -> str:
    if county.start is not None and county.end is not None:
        return f"{county.start}–{county.end} 年"
    if county.start is not None:
        return f"{county.start} 年起"
    return f"{county.end} 年以前"


def _in_use(county: _CountyName, year: int) -> bool:
    return (county.start is None or year >= county.start) and (county.end is None or year <= county.end)


def _distance(county: _CountyName, year: int) -> int:
    if county.start is not None and year < county.start:
        return county.start - year
    if county.end is not None and year > county.end:
        return year - county.end
    return 0


def _resident_region(code: str, year: int) -> tuple[str | None, list[tuple[IdWarning, Message]]]:
    """Region name and warnings for a 居民身份证 address code (rules.md §1: warn, never reject)."""
    province, counties = _region_entries(code)
    if province is None:
        return None, [
            (
                IdWarning.REGION_UNKNOWN,
                msg(
                    "idnumber", "地址码（前 6 位）{code} 不在行政区划代码表中。请与证件核对；核对无误可以继续办理。"
                ).bind(code=code),
            )
        ]
    if not counties:
        return province, [
            (
                IdWarning.REGION_UNKNOWN,
                msg(
                    "idnumber",
                    "地址码（前 6 位）{code} 不在行政区划代码表中（{province}下没有这个代码）。"
                    "请与证件核对；核对无误可以继续办理。",
                ).bind(code=code, province=province),
            )
        ]
    for county in counties:
        if _in_use(county, year):
            return _join_region(province, county.name), []
    # None of the code's names was in use in the birth year: name the closest one.  Numbers are assigned at
    # registration, so a code introduced after the birth (浦东新区 310115, 1992-) is common on real cards.
    nearest = min(counties, key=lambda c: _distance(c, year))
    region = _join_region(province, nearest.name)
    return region, [
        (
            IdWarning.REGION_NOT_IN_USE,
            msg(
                "idnumber",
                "地址码 {code}（{region}）的使用年份为 {span}，出生年份 {year} 年不在其中。"
                "号码按户籍登记时的地址编制，登记晚于出生时会出现这种情况；请与证件核对，核对无误可以继续办理。",
            ).bind(code=code, region=region, span=_span_text(nearest), year=year),
        )
    ]


# 港澳台居民居住证 address codes (rules.md §1): the region is the document's context, not a county.
_HMT_REGIONS: dict[str, str] = {
    "81": "香港特别行政区（港澳居民居住证）",
    "82": "澳门特别行政区（港澳居民居住证）",
    "83": "台湾地区（台湾居民居住证）",
}


def _hmt_region(code: str) -> tuple[str | None, list[tuple[IdWarning, Message]]]:
    region = _HMT_REGIONS[code[:2]]
    if code[2:] == "0000":
        return region, []
    return region, [
        (
            IdWarning.REGION_UNKNOWN,
            msg(
                "idnumber", "居住证的地址码应为 {expected}，这个号码是 {code}。请与证件核对；核对无误可以继续办理。"
            ).bind(expected=code[:2] + "0000", code=code),
        )
    ]


def _foreign_province(number18: str) -> str | None:
    """The 受理地 province of a 外国人永久居留身份证 number, None when the number is not one.

    The 2023 number is ``9`` + the 2-digit province code of the place of application + a 3-digit nationality
    code + birth date + sequence + check (as announced by 国家移民管理局 in 2023; rules.md §1 marks the inner
    layout unverified).  Only the province code is used: a ``9`` followed by a mainland province code (11-65)
    is a 永居证; any other ``9…`` number (the test vector ``990101198001010014``) is treated as a 居民身份证
    with an unknown region, which is a warning, not a rejection.
    """
    if not number18.startswith("9") or number18[1] not in "123456":
        return None
    province, _counties = _region_entries(number18[1:3] + "0000")
    return province


def _kind_of(number18: str) -> IdKind:
    if _foreign_province(number18) is not None:
        return IdKind.FOREIGN_PERMANENT
    if number18[:2] in _HMT_REGIONS:
        return IdKind.HMT_RESIDENCE_PERMIT
    return IdKind.RESIDENT


# ------------------------------------------------------------------------------------------- checks


def _check_digit(number18: str) -> str:
    """The MOD 11-2 check character for the first 17 digits (stdnum's ``calc_check_digit``)."""
    return str(ric.calc_check_digit(number18))


def _date_problem(digits: str) -> Message:
    """Explain why the 8 birth-date digits ``YYYYMMDD`` are not a date."""
    year, month, day = int(digits[:4]), int(digits[4:6]), int(digits[6:])
    if year == 0:
        return msg("idnumber", "出生日期（第 7–14 位）{digits} 有误：年份不能是 0000。").bind(digits=digits)
    if not 1 <= month <= 12:
        return msg("idnumber", "出生日期（第 7–14 位）{digits} 有误：没有 {month} 月。").bind(
            digits=digits, month=digits[4:6]
        )
    if month == 2 and day == 29:
        return msg("idnumber", "出生日期（第 7–14 位）{digits} 有误：{year} 年不是闰年，2 月没有 29 日。").bind(
            digits=digits, year=year
        )
    return msg("idnumber", "出生日期（第 7–14 位）{digits} 有误：{month} 月没有 {day} 日（该月共 {days} 天）。").bind(
        digits=digits, month=month, day=digits[6:], days=calendar.monthrange(year, month)[1]
    )


def _invalid(raw: str, normalized: str, part: ErrorPart, error: Message, *, converted: bool = False) -> IdCheck:
    return IdCheck(
        input=raw, valid=False, normalized=normalized, error=error, error_part=part, converted_from_15=converted
    )


def _age(birth: datetime.date, today: datetime.date) -> int:
    """Full years on ``today`` (a 29 February birthday is reached on 1 March in common years)."""
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def _first_non_digit(text: str) -> int | None:
    for index, ch in enumerate(text):
        if ch not in _DIGITS:
            return index
    return None


def check_id(raw: str, *, today: datetime.date | None = None) -> IdCheck:
    """Check an ID number and derive what it encodes.  Never raises.

    Order of the checks (the first failure is reported): length (18, or 15 for GB 11643-1989 numbers),
    characters (17 digits + a digit or ``X``), birth date (a real date, not after ``today``), check character.
    The birth date is checked before the check character because it names the wrong part more precisely.

    Args:
        raw: what the clerk typed, pasted or the card reader returned.
        today: the day of the check (for future birth dates and the age); defaults to today.

    Returns:
        The result, with Chinese messages for the error and the warnings.
    """
    if today is None:
        today = datetime.date.today()
    number = normalize_id(raw)
    converted = False

    if len(number) == 15:
        # GB 11643-1989 (rules.md §1): 6 address + YYMMDD + 3 sequence, digits only.
        bad = _first_non_digit(number)
        if bad is not None:
            return _invalid(
                raw,
                number,
                "characters",
                msg("idnumber", "15 位旧号码只能由数字组成，第 {position} 位是“{char}”。").bind(
                    position=bad + 1, char=show_char(number[bad])
                ),
            )
        number = upgrade_15(number)
        converted = True
    elif len(number) != 18:
        if not number:
            return _invalid(raw, number, "length", msg("idnumber", "请输入身份号码。"))
        return _invalid(
            raw,
            number,
            "length",
            msg("idnumber", "身份号码应为 18 位（旧版为 15 位），现在是 {count} 位。").bind(count=len(number)),
        )

    bad = _first_non_digit(number[:17])
    if bad is not None:
        return _invalid(
            raw,
            number,
            "characters",
            msg("idnumber", "第 {position} 位“{char}”不是数字：身份号码的前 17 位只能是数字。").bind(
                position=bad + 1, char=show_char(number[bad])
            ),
        )
    if number[17] not in _DIGITS and number[17] != "X":
        return _invalid(
            raw,
            number,
            "characters",
            msg("idnumber", "第 18 位（校验码）只能是数字或 X，现在是“{char}”。").bind(char=show_char(number[17])),
        )

    try:
        birth: datetime.date = ric.get_birth_date(number)
    except StdnumValidationError:
        return _invalid(raw, number, "birth_date", _date_problem(number[6:14]), converted=converted)
    if birth > today:
        # stdnum accepts future dates (rules.md §1, test vector 310101209901010014); we do not.
        return _invalid(
            raw,
            number,
            "birth_date",
            msg("idnumber", "出生日期（第 7–14 位）{date}晚于今天（{today}），号码有误。").bind(
                date=_format_date(birth), today=_format_date(today)
            ),
            converted=converted,
        )

    expected = _check_digit(number)
    if number[17] != expected:
        return _invalid(
            raw,
            number,
            "check_digit",
            msg(
                "idnumber", "校验码（第 18 位）应为“{expected}”，现在是“{actual}”：号码中有输错的字符，请逐位核对。"
            ).bind(expected=expected, actual=number[17]),
        )

    kind = IdKind.RESIDENT if converted else _kind_of(number)
    warnings: list[tuple[IdWarning, Message]] = []
    if converted:
        warnings.append(
            (
                IdWarning.CONVERTED_FROM_15,
                msg(
                    "idnumber",
                    "这是 15 位旧号码，已按 {year} 年出生转换为 18 位号码 {number}。请与证件核对出生年份："
                    "1989 年版号码中百岁老人的出生年份可能不是 19 开头，需要人工确认。",
                ).bind(year=birth.year, number=number),
            )
        )
    code = number[:6]
    region: str | None
    if kind is IdKind.RESIDENT:
        region, region_warnings = _resident_region(code, birth.year)
        warnings.extend(region_warnings)
    elif kind is IdKind.HMT_RESIDENCE_PERMIT:
        region, region_warnings = _hmt_region(code)
        warnings.extend(region_warnings)
    else:
        # 外国人永久居留身份证: the region is the province where the card was applied for.
        region = f"{_foreign_province(number)}（永居证受理地）"
    age = _age(birth, today)
    if age > _PLAUSIBLE_MAX_AGE:
        warnings.append(
            (
                IdWarning.IMPLAUSIBLE_AGE,
                msg("idnumber", "按号码中的出生日期（{date}）计算，年龄为 {age} 岁。请与证件核对出生日期。").bind(
                    date=_format_date(birth), age=age
                ),
            )
        )
    return IdCheck(
        input=raw,
        valid=True,
        normalized=number,
        kind=kind,
        birth_date=birth,
        sex=Sex.M if int(number[16]) % 2 else Sex.F,
        age=age,
        region=region,
        warnings=tuple(m for _, m in warnings),
        warning_kinds=tuple(k for k, _ in warnings),
        converted_from_15=converted,
    )


def upgrade_15(n15: str, *, century: int = 19) -> str:
    """Convert a 15-digit GB 11643-1989 number to 18 characters (rules.md §1).

    Inserts the century before the 2-digit year and appends the MOD 11-2 check character.  This does not check
    the birth date: use :func:`check_id` for that.

    Args:
        n15: the old number (normalized with :func:`normalize_id` first).
        century: the first two digits of the birth year: 19 unless the clerk confirmed from the card that the
            holder was born in the 1800s (the 1989 standard gave centenarians special sequence codes).

    Returns:
        The 18-character number.

    Raises:
        ValidationError: the input is not 15 digits, or the century is not 18 or 19.
    """
    number = normalize_id(n15)
    if len(number) != 15 or _first_non_digit(number) is not None:
        raise ValidationError(
            msg("idnumber", "15 位旧号码应为 15 位数字，现在是“{number}”。").bind(number=_quoted(number)),
            field="id_number",
        )
    if century not in (18, 19):
        raise ValidationError(
            msg("idnumber", "15 位旧号码只能补全为 18xx 或 19xx 年出生，不能是 {century}xx 年。").bind(century=century),
            field="id_number",
        )
    body = number[:6] + str(century) + number[6:]
    return body + _check_digit(body + "0")


# ------------------------------------------------------------------------------------------- masking


def mask_id(number: str) -> str:
    """Mask an ID number for screens, lists and paper: first 3 and last 4 shown (rules.md §8).

    ``310101198001010018`` → ``310***********0018``: the birth date is hidden, the sex digit (17th) stays
    visible inside the last four.  The number is normalized first and the result has its length.  Short or
    odd input never shows more characters than it hides.  Never raises.
    """
    text = normalize_id(number)
    return mask_middle(text, 3, 4, (len(text) + 1) // 2)
