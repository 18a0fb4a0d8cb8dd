"""One field's value: what a widget gives, coerced to the stored type of the field and checked.

:func:`validate_value` coerces what a widget gives (a line edit's text, a spin box's int, a date) into the stored
value of a field type and checks the field's constraints.  It never raises.  One coercer per field type
(``_COERCERS``); ID numbers, disability certificates and phone numbers are checked by :mod:`app.idnumber` and
:mod:`app.people`.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from app import limits
from app.catalog.schema import FieldDef, FieldType, LocalText
from app.errors import ValidationError
from app.i18n import Message, msg
from app.idnumber import check_disability_cert, check_id
from app.money import MAX_FEN, format_fen, parse_yuan, yuan_to_fen
from app.people import validate_phone

log = logging.getLogger("yimen.catalog")

_BOOL_TRUE = frozenset({"true", "yes", "y", "1", "是", "对", "有", "√", "✓", "t"})
_BOOL_FALSE = frozenset({"false", "no", "n", "0", "否", "不是", "无", "没有", "×", "✗", "f"})
_INT_RE = re.compile(r"^[+-]?\d{1,15}$")
_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_DATE8_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SPLIT_RE = re.compile(r"[,，、;；\s]+")
#: Dates outside this range are typing mistakes for every date a counter form asks for (the years an event carries).
_MIN_YEAR, _MAX_YEAR = limits.EARLIEST_DATE.year, limits.LATEST_DATE.year


def _is_empty(raw: object) -> bool:
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    if isinstance(raw, list | tuple | set | frozenset):
        return len(raw) == 0
    return False


def _text(f: FieldDef, raw: object) -> tuple[object | None, Message | None]:
    if not isinstance(raw, str):
        return None, msg("catalog", "“{label}”应为文字").bind(label=f.label)
    if f.type is FieldType.MULTILINE:
        text = raw.replace("\r\n", "\n").replace("\r", "\n").strip()
        allowed = "\n\t"
    else:
        text = raw.strip()
        allowed = ""
        if "\n" in text or "\r" in text:
            return None, msg("catalog", "“{label}”只能填一行，不能换行").bind(label=f.label)
    if any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in text):
        return None, msg("catalog", "“{label}”含有不可见的控制字符，请重新输入").bind(label=f.label)
    if len(text) > limits.FORM_TEXT_MAX:  # a field's own max_length is checked with its constraints
        return None, msg("catalog", "“{label}”过长：最多 {n} 个字，请精简").bind(label=f.label, n=limits.FORM_TEXT_MAX)
    return text, None


def _int(f: FieldDef, raw: object) -> tuple[object | None, Message | None]:
    bad = msg("catalog", "“{label}”应为整数").bind(label=f.label)
    if isinstance(raw, bool):
        return None, bad
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, float | Decimal):
        if not _finite(raw) or raw != int(raw):
            return None, bad
        value = int(raw)
    elif isinstance(raw, str):
        text = unicodedata.normalize("NFKC", raw).strip().replace(",", "")
        if not _INT_RE.match(text):
            return None, bad
        value = int(text)
    else:
        return None, bad
    if abs(value) >= 10**15:
        return None, msg("catalog", "“{label}”的数值太大").bind(label=f.label)
    return value, None


def _finite(value: float | Decimal) -> bool:
    if isinstance(value, Decimal):
        return value.is_finite()
    return value == value and value not in (float("inf"), float("-inf"))


def _money(f: FieldDef, raw: object) -> tuple[object | None, Message | None]:
    """Money: an ``int`` is already fen; a ``str``, ``Decimal`` or ``float`` is yuan as a person typed it."""
    bad = msg("catalog", "“{label}”应为金额（元，最多两位小数），如 1234.50").bind(label=f.label)
    negative_ok = f.constraints.min is not None and f.constraints.min < 0
    if isinstance(raw, bool):
        return None, bad
    if isinstance(raw, int):
        fen = raw
    elif isinstance(raw, str):
        try:
            fen = parse_yuan(raw, allow_negative=negative_ok, field=f.key)
        except ValidationError as exc:
            return None, exc.message
    elif isinstance(raw, Decimal | float):
        if not _finite(raw):
            return None, bad
        yuan = Decimal(repr(raw)) if isinstance(raw, float) else raw
        if abs(yuan) > MAX_FEN // 100:
            return None, bad
        try:
            fen = yuan_to_fen(yuan)
        except (ValueError, InvalidOperation):
            return None, bad
    else:
        return None, bad
    if abs(fen) > MAX_FEN:
        return None, msg("catalog", "“{label}”的金额太大").bind(label=f.label)
    return fen, None


def _date(f: FieldDef, raw: object) -> tuple[object | None, Message | None]:
    bad = msg("catalog", "“{label}”应为日期，如 2025-07-01").bind(label=f.label)
    if isinstance(raw, datetime):
        day = raw.date()
    elif isinstance(raw, date):
        day = raw
    elif isinstance(raw, str):
        text = unicodedata.normalize("NFKC", raw).strip()
        match = _DATE_RE.match(text) or _DATE8_RE.match(text)
        if match is None:
            return None, bad
        year, month, dom = (int(g) for g in match.groups())
        try:
            day = date(year, month, dom)
        except ValueError:
            return None, msg("catalog", "“{label}”的日期 {value} 不存在").bind(label=f.label, value=text)
    else:
        return None, bad
    if not _MIN_YEAR <= day.year <= _MAX_YEAR:
        return None, msg("catalog", "“{label}”的年份 {year} 不合理，请核对").bind(label=f.label, year=day.year)
    return day, None


def _choice_value(f: FieldDef, raw: object) -> str | None:
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    for choice in f.constraints.choices or ():
        if text in (choice.value, choice.zh):
            return choice.value
    return None


def _choice(f: FieldDef, raw: object) -> tuple[object | None, Message | None]:
    value = _choice_value(f, raw)
    if value is None:
        return None, _bad_choice(f)
    return value, None


def _bad_choice(f: FieldDef) -> Message:
    choices = f.constraints.choices or ()
    labels: object = (
        LocalText(zh="、".join(c.zh for c in choices), en=", ".join(c.en for c in choices)) if choices else ""
    )
    return msg("catalog", "“{label}”应从这些选项中选择：{choices}").bind(label=f.label, choices=labels)


def _multichoice(f: FieldDef, raw: object) -> tuple[object | None, Message | None]:
    if isinstance(raw, str):
        parts: list[object] = [p for p in _SPLIT_RE.split(raw.strip()) if p]
    elif isinstance(raw, list | tuple | set | frozenset):
        parts = list(raw)
    else:
        return None, _bad_choice(f)
    chosen: set[str] = set()
    for part in parts:
        value = _choice_value(f, part)
        if value is None:
            return None, _bad_choice(f)
        chosen.add(value)
    return tuple(v for v in f.choice_values() if v in chosen), None


def _bool(f: FieldDef, raw: object) -> tuple[object | None, Message | None]:
    if isinstance(raw, bool):
        return raw, None
    if isinstance(raw, int) and raw in (0, 1):
        return bool(raw), None
    if isinstance(raw, str):
        text = raw.strip().lower()
        if text in _BOOL_TRUE:
            return True, None
        if text in _BOOL_FALSE:
            return False, None
    return None, msg("catalog", "“{label}”应选择“是”或“否”").bind(label=f.label)


def _id_number(f: FieldDef, raw: object) -> tuple[object | None, Message | None]:
    if not isinstance(raw, str):
        return None, msg("catalog", "“{label}”应为身份号码").bind(label=f.label)
    result = check_id(raw)
    if not result.valid:
        return None, result.error or msg("catalog", "“{label}”不是有效的身份号码").bind(label=f.label)
    return result.normalized, None


def _phone(f: FieldDef, raw: object) -> tuple[object | None, Message | None]:
    if not isinstance(raw, str):
        return None, msg("catalog", "“{label}”应为电话号码").bind(label=f.label)
    try:
        return validate_phone(raw), None
    except ValidationError as exc:
        return None, exc.message


def _disability_cert(f: FieldDef, raw: object) -> tuple[object | None, Message | None]:
    if not isinstance(raw, str):
        return None, msg("catalog", "“{label}”应为残疾人证号").bind(label=f.label)
    result = check_disability_cert(raw)
    if not result.valid:
        return None, result.error or msg("catalog", "“{label}”不是有效的残疾人证号").bind(label=f.label)
    return result.normalized, None


_Coercer = Callable[[FieldDef, object], tuple[object | None, Message | None]]
_COERCERS: Mapping[FieldType, _Coercer] = {
    FieldType.TEXT: _text,
    FieldType.MULTILINE: _text,
    FieldType.ADDRESS: _text,
    FieldType.INT: _int,
    FieldType.MONEY: _money,
    FieldType.DATE: _date,
    FieldType.CHOICE: _choice,
    FieldType.MULTICHOICE: _multichoice,
    FieldType.BOOL: _bool,
    FieldType.ID_NUMBER: _id_number,
    FieldType.PHONE: _phone,
    FieldType.DISABILITY_CERT: _disability_cert,
}


def _constraint_problem(f: FieldDef, value: object) -> Message | None:
    c = f.constraints
    label = f.label
    if isinstance(value, str):
        if c.min_length is not None and len(value) < c.min_length:
            return msg("catalog", "“{label}”至少要 {count} 个字").bind(label=label, count=c.min_length)
        if c.max_length is not None and len(value) > c.max_length:
            return msg("catalog", "“{label}”最多 {count} 个字，现在是 {actual} 个").bind(
                label=label, count=c.max_length, actual=len(value)
            )
        if c.pattern is not None and re.fullmatch(c.pattern, value) is None:
            hint: object = f.help if f.help else c.pattern
            return msg("catalog", "“{label}”的格式不对：{hint}").bind(label=label, hint=hint)
    elif isinstance(value, tuple):  # multichoice: min/max count ticked
        if c.min is not None and len(value) < c.min:
            return msg("catalog", "“{label}”至少选 {count} 项").bind(label=label, count=c.min)
        if c.max is not None and len(value) > c.max:
            return msg("catalog", "“{label}”最多选 {count} 项").bind(label=label, count=c.max)
    elif isinstance(value, int) and not isinstance(value, bool):
        money = f.type is FieldType.MONEY
        if c.min is not None and value < c.min:
            if money:
                return msg("catalog", "“{label}”不能少于 {amount} 元").bind(label=label, amount=format_fen(c.min))
            return msg("catalog", "“{label}”不能小于 {min}").bind(label=label, min=c.min)
        if c.max is not None and value > c.max:
            if money:
                return msg("catalog", "“{label}”不能多于 {amount} 元").bind(label=label, amount=format_fen(c.max))
            return msg("catalog", "“{label}”不能大于 {max}").bind(label=label, max=c.max)
    return None


def validate_value(field: FieldDef, raw: object) -> tuple[object | None, Message | None]:
    """Coerce a raw value to the field's stored type and check its constraints.  Never raises.

    Stored types: text types → ``str`` (trimmed); ``int`` → ``int``; ``money`` → ``int`` fen (an ``int`` input is
    taken as fen, a ``str``/``Decimal``/``float`` as yuan); ``date`` → ``date`` (``2025-07-01``, ``2025/7/1``,
    ``2025年7月1日``, ``20250701``); ``choice`` → the choice value (the value or its Chinese label is accepted);
    ``multichoice`` → a tuple of values in declaration order; ``bool`` → ``bool``; ``id_number``,
    ``disability_cert`` → the normalized number; ``phone`` → what :func:`app.people.validate_phone` returns.
    Coercing a stored value again returns it unchanged.

    Args:
        field: the field definition.
        raw: what the widget gives; None, blank text or an empty list mean "no value".

    Returns:
        ``(value, None)`` when valid (``(None, None)`` for no value: whether one is required is
        :func:`validate_form`'s business), or ``(None, message)``.
    """
    try:
        if _is_empty(raw):
            return None, None
        value, problem = _COERCERS[field.type](field, raw)
        if problem is not None:
            return None, problem
        if _is_empty(value):
            return None, None
        problem = _constraint_problem(field, value)
        if problem is not None:
            return None, problem
        return value, None
    except Exception:  # a bug in a checker must not crash the form: log it, show a neutral sentence
        log.exception("validate_value failed for field %s", field.key)
        return None, msg("catalog", "“{label}”的值无法识别，请重新输入").bind(label=field.label)
