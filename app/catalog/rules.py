"""Field value validation, form validation and the named cross-field rules of the catalog.

Everything here is pure: the intake layer passes what it knows (:class:`RuleContext`) and gets problems back.

* :func:`validate_value` coerces what a widget gives (a line edit's text, a spin box's int, a date) into the stored
  value of a field type and checks the field's constraints.  It never raises.
* :func:`validate_form` checks a whole case: required fields (respecting ``when``), constraints, how many parties
  of each role, the 户籍 requirement, then every rule the item names.
* :func:`required_materials` expands the item's materials for a case: one line per party for ``per_party``
  materials, ``when`` conditions evaluated.
* :func:`amount_on` and the amount helpers pick the dated money value in force from the item's data: money never
  lives in code.

Severity: an ``"error"`` blocks acceptance (受理) — the intake layer still lets the clerk issue a 补正 or refusal
notice; a ``"warning"`` is something the clerk checks and may override.

The named rules (:class:`~app.catalog.schema.RuleName`) implement eligibility facts from
`domain notes catalog-items.md` (cited below as "items §N") and ``rules.md``.  Where the sources leave a
question open the rule warns instead of refusing, and says so.  Ages are full years (周岁) on the date: a person
reaches an age on the birthday itself, and someone born on 29 February reaches it on 1 March in common years (an
assumption to confirm; it errs on the side of the later date).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Literal

from app.catalog.schema import (
    HUKOU_FIELD,
    MATERIAL_FORM_ZH,
    ROLE_ZH,
    Condition,
    DatedAmount,
    FieldDef,
    FieldType,
    Material,
    MaterialForm,
    Residence,
    Role,
    RuleName,
    ServiceItem,
)
from app.errors import ValidationError
from app.i18n import Message, msg
from app.idnumber import check_disability_cert, check_id
from app.money import MAX_FEN, format_fen, parse_yuan, yuan_to_fen
from app.people import validate_phone

log = logging.getLogger("yimen.catalog")

Severity = Literal["error", "warning"]

_EMPTY: Mapping[str, object] = MappingProxyType({})


@dataclass(frozen=True)
class PartyFacts:
    """What intake knows about one party of a case.

    Attributes:
        role: the role's value (``"applicant"``, ``"household_member"`` …).
        name: the person's name.
        id_number: the normalized ID number, if any.
        birth_date: from the ID number (or entered for documents without one).
        sex: ``"M"`` or ``"F"`` (from the ID number).
        disability_category: 1..7 from the 残疾人证号 (rules.md §2: 1 视力 … 5 智力, 6 精神, 7 多重).
        disability_grade: 1..4 from the 残疾人证号 (1 = most severe).
        values: the party-level field values (the member table's columns), raw or already coerced.
    """

    role: str
    name: str
    id_number: str | None = None
    birth_date: date | None = None
    sex: str | None = None
    disability_category: int | None = None
    disability_grade: int | None = None
    values: Mapping[str, object] = field(default_factory=lambda: _EMPTY)


@dataclass(frozen=True)
class RuleContext:
    """A case as the rules see it.

    Attributes:
        item: the item the case is taken under.
        values: the item-level field values, raw (as the widgets give them) or already coerced.
        parties: every party, in the order the clerk entered them (``party_index`` refers to this order).
        on: the date of the application (or of the pre-check).
    """

    item: ServiceItem
    values: Mapping[str, object]
    parties: Sequence[PartyFacts]
    on: date


@dataclass(frozen=True)
class Problem:
    """One problem of a case.

    Attributes:
        field: the field key it concerns (item-level, or party-level when ``party_index`` is set), or None.
        message: the sentence for the clerk.
        severity: ``"error"`` blocks acceptance; ``"warning"`` may be overridden by the clerk.
        party_index: the index in :attr:`RuleContext.parties` of the party concerned, or None.
    """

    field: str | None
    message: Message
    severity: Severity
    party_index: int | None = None


@dataclass(frozen=True)
class MaterialNeed:
    """One line of a case's material checklist.

    Attributes:
        material: the catalog definition (name, form, count, standard).
        required: False for a material listed as optional (``required: false`` in the catalog).
        party_index: for a ``per_party`` material, which party brings it.
        party_name: that party's name.
    """

    material: Material
    required: bool = True
    party_index: int | None = None
    party_name: str | None = None

    @property
    def key(self) -> str:
        """The material key (not unique in a list when the material is per party)."""
        return self.material.key

    @property
    def name(self) -> str:
        """The material's Chinese name (without the party)."""
        return self.material.name.zh

    @property
    def form(self) -> MaterialForm:
        """原件/复印件/… as the stored value (a ``str``); :data:`MATERIAL_FORM_ZH` gives the Chinese."""
        return self.material.form

    @property
    def form_zh(self) -> str:
        """原件、复印件、原件和复印件 or 电子材料."""
        return MATERIAL_FORM_ZH[self.material.form]

    @property
    def count(self) -> int:
        """How many copies (份数)."""
        return self.material.count

    @property
    def standard(self) -> str:
        """The standard the material must meet, in Chinese (cited by the 补正 notice)."""
        return self.material.standard.zh

    def label_zh(self) -> str:
        """The Chinese line label, e.g. ``经济状况核对授权书（李四）``."""
        if self.party_name:
            return f"{self.material.name.zh}（{self.party_name}）"
        return self.material.name.zh


# ---------------------------------------------------------------------------------------------------- helpers


def age_on(birth: date, on: date) -> int:
    """Full years (周岁) on ``on``; the age is reached on the birthday (29 Feb → 1 Mar in common years)."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def date_reaching_age(birth: date, years: int) -> date:
    """The first day on which a person born on ``birth`` is ``years`` full years old."""
    try:
        return birth.replace(year=birth.year + years)
    except ValueError:  # 29 February in a common year
        return date(birth.year + years, 3, 1)


def format_date(day: date) -> str:
    """``2025年3月1日``."""
    return f"{day.year}年{day.month}月{day.day}日"


def _role_zh(role: str) -> str:
    try:
        return ROLE_ZH[Role(role)]
    except ValueError:
        return role


# ---------------------------------------------------------------------------------------------------- values

_BOOL_TRUE = frozenset({"true", "yes", "y", "1", "是", "对", "有", "√", "✓", "t"})
_BOOL_FALSE = frozenset({"false", "no", "n", "0", "否", "不是", "无", "没有", "×", "✗", "f"})
_INT_RE = re.compile(r"^[+-]?\d{1,15}$")
_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_DATE8_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SPLIT_RE = re.compile(r"[,，、;；\s]+")
#: Dates outside this range are typing mistakes for every date a counter form asks for.
_MIN_YEAR, _MAX_YEAR = 1850, 2200


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
        return None, msg("catalog", "“{label}”应为文字").bind(label=f.label.zh)
    if f.type is FieldType.MULTILINE:
        text = raw.replace("\r\n", "\n").replace("\r", "\n").strip()
        allowed = "\n\t"
    else:
        text = raw.strip()
        allowed = ""
        if "\n" in text or "\r" in text:
            return None, msg("catalog", "“{label}”只能填一行，不能换行").bind(label=f.label.zh)
    if any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in text):
        return None, msg("catalog", "“{label}”含有不可见的控制字符，请重新输入").bind(label=f.label.zh)
    return text, None


def _int(f: FieldDef, raw: object) -> tuple[object | None, Message | None]:
    bad = msg("catalog", "“{label}”应为整数").bind(label=f.label.zh)
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
        return None, msg("catalog", "“{label}”的数值太大").bind(label=f.label.zh)
    return value, None


def _finite(value: float | Decimal) -> bool:
    if isinstance(value, Decimal):
        return value.is_finite()
    return value == value and value not in (float("inf"), float("-inf"))


def _money(f: FieldDef, raw: object) -> tuple[object | None, Message | None]:
    """Money: an ``int`` is already fen; a ``str``, ``Decimal`` or ``float`` is yuan as a person typed it."""
    bad = msg("catalog", "“{label}”应为金额（元，最多两位小数），如 1234.50").bind(label=f.label.zh)
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
        return None, msg("catalog", "“{label}”的金额太大").bind(label=f.label.zh)
    return fen, None


def _date(f: FieldDef, raw: object) -> tuple[object | None, Message | None]:
    bad = msg("catalog", "“{label}”应为日期，如 2025-07-01").bind(label=f.label.zh)
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
            return None, msg("catalog", "“{label}”的日期 {value} 不存在").bind(label=f.label.zh, value=text)
    else:
        return None, bad
    if not _MIN_YEAR <= day.year <= _MAX_YEAR:
        return None, msg("catalog", "“{label}”的年份 {year} 不合理，请核对").bind(label=f.label.zh, year=day.year)
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
    labels = "、".join(c.zh for c in f.constraints.choices or ())
    return msg("catalog", "“{label}”应从这些选项中选择：{choices}").bind(label=f.label.zh, choices=labels)


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
    return None, msg("catalog", "“{label}”应选择“是”或“否”").bind(label=f.label.zh)


def _id_number(f: FieldDef, raw: object) -> tuple[object | None, Message | None]:
    if not isinstance(raw, str):
        return None, msg("catalog", "“{label}”应为身份号码").bind(label=f.label.zh)
    result = check_id(raw)
    if not result.valid:
        return None, result.error or msg("catalog", "“{label}”不是有效的身份号码").bind(label=f.label.zh)
    return result.normalized, None


def _phone(f: FieldDef, raw: object) -> tuple[object | None, Message | None]:
    if not isinstance(raw, str):
        return None, msg("catalog", "“{label}”应为电话号码").bind(label=f.label.zh)
    try:
        return validate_phone(raw), None
    except ValidationError as exc:
        return None, exc.message


def _disability_cert(f: FieldDef, raw: object) -> tuple[object | None, Message | None]:
    if not isinstance(raw, str):
        return None, msg("catalog", "“{label}”应为残疾人证号").bind(label=f.label.zh)
    result = check_disability_cert(raw)
    if not result.valid:
        return None, result.error or msg("catalog", "“{label}”不是有效的残疾人证号").bind(label=f.label.zh)
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
    label = f.label.zh
    if isinstance(value, str):
        if c.min_length is not None and len(value) < c.min_length:
            return msg("catalog", "“{label}”至少要 {count} 个字").bind(label=label, count=c.min_length)
        if c.max_length is not None and len(value) > c.max_length:
            return msg("catalog", "“{label}”最多 {count} 个字，现在是 {actual} 个").bind(
                label=label, count=c.max_length, actual=len(value)
            )
        if c.pattern is not None and re.fullmatch(c.pattern, value) is None:
            hint = f.help.zh if f.help else c.pattern
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
        return None, msg("catalog", "“{label}”的值无法识别，请重新输入").bind(label=field.label.zh)


# ---------------------------------------------------------------------------------------------------- conditions


def _truthy(value: object) -> bool:
    if value is None or value is False:
        return False
    if isinstance(value, str | list | tuple | set | frozenset):
        return len(value) > 0
    if isinstance(value, int):
        return value != 0
    return True


def _matches(value: object, expected: object) -> bool:
    if isinstance(value, tuple | list | set | frozenset):
        return expected in value
    if isinstance(value, bool) != isinstance(expected, bool):
        return False
    return value == expected


def condition_holds(cond: Condition, values: Mapping[str, object]) -> bool:
    """Evaluate a ``when`` condition against coerced values (a missing key is "no value")."""
    value = values.get(cond.field)
    if cond.truthy is not None:
        return _truthy(value) == cond.truthy
    if cond.equals is not None:
        return _matches(value, cond.equals)
    if cond.in_ is not None:
        return any(_matches(value, v) for v in cond.in_)
    return False


@dataclass
class _Evaluated:
    values: dict[str, object] = field(default_factory=dict)
    visible: set[str] = field(default_factory=set)
    problems: list[tuple[str, Message]] = field(default_factory=list)


def _evaluate(
    fields: Sequence[FieldDef], raw: Mapping[str, object], *, outer: Mapping[str, object] = _EMPTY
) -> _Evaluated:
    """Coerce fields in order; a field whose ``when`` fails is hidden and its value ignored (None)."""
    out = _Evaluated()
    for f in fields:
        env = {**outer, **out.values} if outer else out.values
        if f.when is not None and not condition_holds(f.when, env):
            out.values[f.key] = None
            continue
        out.visible.add(f.key)
        value, problem = validate_value(f, raw.get(f.key))
        if problem is not None:
            out.problems.append((f.key, problem))
        elif value is None and f.required:
            out.problems.append((f.key, _required_message(f)))
        out.values[f.key] = value
    return out


def _required_message(f: FieldDef) -> Message:
    if f.type in (FieldType.CHOICE, FieldType.MULTICHOICE):
        return msg("catalog", "请选择“{label}”").bind(label=f.label.zh)
    if f.type is FieldType.BOOL:
        return msg("catalog", "请选择“{label}”（是或否）").bind(label=f.label.zh)
    return msg("catalog", "请填写“{label}”").bind(label=f.label.zh)


def coerce_values(fields: Sequence[FieldDef], values: Mapping[str, object]) -> dict[str, object]:
    """Return every field's coerced value (None when empty, invalid or hidden by its ``when``)."""
    return _evaluate(fields, values).values


def visible_fields(fields: Sequence[FieldDef], values: Mapping[str, object]) -> list[FieldDef]:
    """The fields shown for these values (``when`` evaluated in declaration order)."""
    shown = _evaluate(fields, values).visible
    return [f for f in fields if f.key in shown]


# ---------------------------------------------------------------------------------------------------- the form


@dataclass
class _Form:
    """Coerced values of the case, handed to the named rules."""

    ctx: RuleContext
    values: dict[str, object]
    party_values: list[dict[str, object]]

    def parties(self, role: Role) -> list[tuple[int, PartyFacts]]:
        return [(i, p) for i, p in enumerate(self.ctx.parties) if p.role == role.value]

    def first(self, role: Role) -> tuple[int, PartyFacts] | None:
        found = self.parties(role)
        return found[0] if found else None


def _form(ctx: RuleContext) -> tuple[_Form, list[Problem]]:
    problems: list[Problem] = []
    item_eval = _evaluate(ctx.item.fields, ctx.values)
    problems.extend(Problem(key, m, "error") for key, m in item_eval.problems)
    party_values: list[dict[str, object]] = []
    for i, party in enumerate(ctx.parties):
        spec = ctx.item.party(party.role) if party.role in set(Role) else None
        if spec is None:
            party_values.append({})
            continue
        ev = _evaluate(spec.fields, party.values, outer=item_eval.values)
        problems.extend(Problem(key, m, "error", i) for key, m in ev.problems)
        party_values.append(ev.values)
    return _Form(ctx, item_eval.values, party_values), problems


def _party_counts(ctx: RuleContext) -> list[Problem]:
    problems: list[Problem] = []
    declared = {p.role.value for p in ctx.item.parties}
    for i, party in enumerate(ctx.parties):
        if party.role not in declared:
            problems.append(
                Problem(
                    None,
                    msg("catalog", "本事项不需要{role}（{name}），请删除").bind(
                        role=_role_zh(party.role), name=party.name
                    ),
                    "error",
                    i,
                )
            )
    for spec in ctx.item.parties:
        count = sum(1 for p in ctx.parties if p.role == spec.role.value)
        role = spec.display_zh()
        if count < spec.min:
            problems.append(
                Problem(
                    None,
                    msg("catalog", "需要至少 {min} 名{role}，现在有 {count} 名").bind(
                        min=spec.min, role=role, count=count
                    ),
                    "error",
                )
            )
        if spec.max is not None and count > spec.max:
            problems.append(
                Problem(
                    None,
                    msg("catalog", "最多 {max} 名{role}，现在有 {count} 名").bind(max=spec.max, role=role, count=count),
                    "error",
                )
            )
    return problems


def _residence(form: _Form) -> list[Problem]:
    """The 户籍 requirement: an entered, checked fact (never derived from the ID number's region code)."""
    item = form.ctx.item
    if item.residence_required is not Residence.SHANGHAI_HUKOU:
        return []
    problems: list[Problem] = []
    spec = item.party(item.residence_party)
    role = spec.display_zh() if spec else ROLE_ZH[item.residence_party]
    for i, party in form.parties(item.residence_party):
        if form.party_values[i].get(HUKOU_FIELD) is False:
            problems.append(
                Problem(
                    HUKOU_FIELD,
                    msg("catalog", "{role}{name}不是本市户籍：“{item}”要求本市户籍").bind(
                        role=role, name=party.name, item=item.name.zh
                    ),
                    "error",
                    i,
                )
            )
    return problems


def validate_form(ctx: RuleContext) -> list[Problem]:
    """Check a case: fields (``when``, required, constraints), party counts, 户籍, then every named rule.

    Returns:
        The problems; an empty list means the case may be accepted.
    """
    form, problems = _form(ctx)
    problems.extend(_party_counts(ctx))
    problems.extend(_residence(form))
    for name in ctx.item.rules:
        problems.extend(_RULES[name](form))
    return problems


def required_materials(ctx: RuleContext) -> list[MaterialNeed]:
    """The material checklist for a case, in catalog order.

    A ``per_party`` material gives one line per party of that role (none when there is no such party); a material
    whose ``required`` condition does not hold is left out; ``required: false`` gives an optional line.  Conditions
    see the item's fields and the applicant's party fields; a per-party material's condition also sees its own
    party's fields.
    """
    item_values = coerce_values(ctx.item.fields, ctx.values)
    # A material of the case (no per_party) may depend on the applicant's own fields as well.
    case_values = dict(item_values)
    applicant_spec = ctx.item.party(Role.APPLICANT)
    applicant = next((p for p in ctx.parties if p.role == Role.APPLICANT.value), None)
    if applicant_spec is not None and applicant is not None:
        case_values.update(_evaluate(applicant_spec.fields, applicant.values, outer=item_values).values)
    needs: list[MaterialNeed] = []
    for m in ctx.item.materials:
        if m.per_party is None:
            need = _need(m, case_values)
            if need is not None:
                needs.append(MaterialNeed(m, need))
            continue
        spec = ctx.item.party(m.per_party)
        for i, party in enumerate(ctx.parties):
            if party.role != m.per_party.value:
                continue
            party_values = _evaluate(spec.fields, party.values, outer=item_values).values if spec else {}
            need = _need(m, {**item_values, **party_values})
            if need is not None:
                needs.append(MaterialNeed(m, need, i, party.name))
    return needs


def _need(m: Material, values: Mapping[str, object]) -> bool | None:
    """True (required), False (optional) or None (not needed for this case)."""
    if isinstance(m.required, bool):
        return m.required
    return True if condition_holds(m.required, values) else None


# ---------------------------------------------------------------------------------------------------- amounts


def amount_on(item: ServiceItem, name_or_unit: str, on: date) -> DatedAmount | None:
    """The dated amount in force on ``on``: the latest entry of the series with ``effective_from ≤ on``.

    ``name_or_unit`` is an amount ``name``; when no series has that name, a ``unit`` (e.g. ``元/具``) is accepted if
    exactly one series uses it.  None when nothing is in force yet or nothing matches.
    """
    series = [a for a in item.amounts if a.name == name_or_unit]
    if not series:
        names = {a.name for a in item.amounts if a.unit == name_or_unit}
        if len(names) != 1:
            return None
        series = [a for a in item.amounts if a.name in names]
    in_force = [a for a in series if a.effective_from <= on]
    return max(in_force, key=lambda a: a.effective_from) if in_force else None


def age_band_amount(item: ServiceItem, age: int, on: date) -> DatedAmount | None:
    """The amount of the age band (``age_min ≤ age ≤ age_max``) in force on ``on``, or None."""
    names = [
        a.name
        for a in item.amounts
        if a.age_min is not None and a.age_min <= age and (a.age_max is None or age <= a.age_max)
    ]
    for name in dict.fromkeys(names):
        amount = amount_on(item, name, on)
        if amount is not None and amount.age_min is not None and amount.age_min <= age:
            if amount.age_max is None or age <= amount.age_max:
                return amount
    return None


def elderly_allowance_amount(item: ServiceItem, birth_date: date, on: date) -> DatedAmount | None:
    """老年综合津贴: the monthly amount of the age band on ``on`` (items §10: 65–69 75 … 100+ 600 元/月)."""
    return age_band_amount(item, age_on(birth_date, on), on)


def nursing_subsidy_amount(item: ServiceItem, category: int, grade: int, on: date) -> DatedAmount | None:
    """重度残疾人护理补贴: grade 1 → series ``grade_1``; grade 2 or 三级智力/精神 → ``grade_2_or_3`` (items §7)."""
    if grade == 1:
        return amount_on(item, "grade_1", on)
    if grade == 2 or (grade == 3 and category in _INTELLECTUAL_OR_MENTAL):
        return amount_on(item, "grade_2_or_3", on)
    return None


def living_subsidy_amount(item: ServiceItem, family_status: str, on: date) -> DatedAmount | None:
    """困难残疾人生活补贴: 重残无业/低保 → ``zhongcan_or_dibao``; 低保边缘 → ``dibao_edge`` (items §6)."""
    if family_status in ("zhongcan_wuye", "dibao"):
        return amount_on(item, "zhongcan_or_dibao", on)
    if family_status == "dibao_edge":
        return amount_on(item, "dibao_edge", on)
    return None


def funeral_subsidy_cap(item: ServiceItem, on: date) -> DatedAmount | None:
    """基本殡葬服务补贴: the cap per deceased in force (items §13: 980 元/具 in 2024)."""
    return amount_on(item, "cap", on)


# ---------------------------------------------------------------------------------------------------- named rules

#: rules.md §2: category digit 5 智力, 6 精神.
_INTELLECTUAL, _MENTAL = 5, 6
_INTELLECTUAL_OR_MENTAL = frozenset({_INTELLECTUAL, _MENTAL})
_CATEGORY_ZH = {1: "视力", 2: "听力", 3: "言语", 4: "肢体", 5: "智力", 6: "精神", 7: "多重"}
_GRADE_ZH = {1: "一级", 2: "二级", 3: "三级", 4: "四级"}


def _disability_text(category: int, grade: int) -> str:
    return f"{_CATEGORY_ZH.get(category, '?')}{_GRADE_ZH.get(grade, '?')}"


def _disability_of(form: _Form, index: int, party: PartyFacts) -> tuple[int, int] | None:
    """(category, grade) of a party: from :class:`PartyFacts`, else from a valid ``disability_cert`` field.

    The field is looked for among the party's own fields first, then (for the applicant) among the item's fields.
    A certificate that carries another person's ID number is ignored (the field check reports it elsewhere).
    """
    if party.disability_category is not None and party.disability_grade is not None:
        return party.disability_category, party.disability_grade
    item = form.ctx.item
    spec = item.party(party.role) if party.role in set(Role) else None
    candidates: list[object] = [
        form.party_values[index].get(f.key)
        for f in (spec.fields if spec else ())
        if f.type is FieldType.DISABILITY_CERT
    ]
    if party.role == Role.APPLICANT.value:
        candidates += [form.values.get(f.key) for f in item.fields if f.type is FieldType.DISABILITY_CERT]
    for value in candidates:
        if isinstance(value, str):
            check = check_disability_cert(value, id_number=party.id_number)
            if check.valid and check.category is not None and check.grade is not None:
                return int(check.category), check.grade
    return None


def _missing_disability(index: int, party: PartyFacts, what: str) -> Problem:
    return Problem(
        None,
        msg("catalog", "未能读出{name}的残疾类别和等级（请录入残疾人证号），无法核对“{what}”的条件，请人工核对").bind(
            name=party.name, what=what
        ),
        "warning",
        index,
    )


def _missing_birth(index: int, party: PartyFacts, what: str) -> Problem:
    return Problem(
        None,
        msg("catalog", "未能确定{name}的出生日期，无法核对“{what}”的年龄条件，请人工核对").bind(
            name=party.name, what=what
        ),
        "warning",
        index,
    )


def _under_age(
    index: int, party: PartyFacts, years: int, on: date, reason: Message, severity: Severity
) -> Problem | None:
    """A problem when ``party`` is younger than ``years`` on ``on``, saying when the age is reached."""
    assert party.birth_date is not None
    if age_on(party.birth_date, on) >= years:
        return None
    reached = date_reaching_age(party.birth_date, years)
    return Problem(
        None,
        msg("catalog", "{name}于{reached}才满 {years} 周岁，{on}尚未达到：{reason}").bind(
            name=party.name, reached=format_date(reached), years=years, on=format_date(on), reason=reason.render()
        ),
        severity,
        index,
    )


def _cert_in_shanghai(form: _Form) -> list[Problem]:
    if form.values.get("cert_issued_in_shanghai") is False:
        return [
            Problem(
                "cert_issued_in_shanghai",
                msg("catalog", "须持有本市核发的第二代残疾人证（2016 年两项补贴实施时的口径），请核对"),
                "error",
            )
        ]
    return []


def _rule_nursing_subsidy_grade(form: _Form) -> list[Problem]:
    """重度残疾人护理补贴: grade 1 or 2, or grade 3 with category 智力 or 精神.

    Source: items §6–7 — 护理补贴 groups "grade 1, grade 2, 三级智力 and 三级精神" (2016 launch report, forum
    repost zqax.net); the same groups carry the 2025 amounts of 沪民残福发〔2025〕5号 (secondary source).  Holding a
    Shanghai-issued second-generation 残疾人证 is part of the same 2016 description.
    """
    problems = _cert_in_shanghai(form)
    found = form.first(Role.APPLICANT)
    if found is None:
        return problems
    index, party = found
    disability = _disability_of(form, index, party)
    if disability is None:
        return [*problems, _missing_disability(index, party, "重度残疾人护理补贴")]
    category, grade = disability
    if grade in (1, 2) or (grade == 3 and category in _INTELLECTUAL_OR_MENTAL):
        return problems
    problems.append(
        Problem(
            None,
            msg("catalog", "{name}为{disability}残疾：重度残疾人护理补贴限一级、二级残疾和三级智力、三级精神残疾").bind(
                name=party.name, disability=_disability_text(category, grade)
            ),
            "error",
            index,
        )
    )
    return problems


def _is_severe(category: int, grade: int) -> bool:
    """重残 as defined for 重残无业 (items §8, mzj 2021): grade 1 or 2, or 三级智力."""
    return grade in (1, 2) or (grade == 3 and category == _INTELLECTUAL)


def _rule_disability_living_subsidy_group(form: _Form) -> list[Problem]:
    """困难残疾人生活补贴: the applicant belongs to 重残无业, a 低保 family or a 低保边缘 family.

    Source: items §6 — "生活补贴 groups: 重残无业, 低保 families, 低保边缘 families (earlier called 低收入)" (2016
    launch report; amounts 沪民残福发〔2025〕5号).  The family status is a fact the clerk enters (field
    ``family_status``); "none" is an error.  A 重残无业 choice that contradicts the certificate's grade (items §8:
    grade 1–2 or 三级智力) is a warning: the back office holds the 重残无业 roster.
    """
    problems = _cert_in_shanghai(form)
    status = form.values.get("family_status")
    if status == "none":
        problems.append(
            Problem(
                "family_status",
                msg("catalog", "困难残疾人生活补贴限重残无业人员、低保家庭和低保边缘家庭的残疾人"),
                "error",
            )
        )
    found = form.first(Role.APPLICANT)
    if found is None:
        return problems
    index, party = found
    disability = _disability_of(form, index, party)
    if disability is None:
        problems.append(_missing_disability(index, party, "困难残疾人生活补贴"))
    elif status == "zhongcan_wuye" and not _is_severe(*disability):
        problems.append(
            Problem(
                "family_status",
                msg(
                    "catalog", "选择了“重残无业”，但{name}为{disability}残疾；重残指一级、二级或三级智力残疾，请核对"
                ).bind(name=party.name, disability=_disability_text(*disability)),
                "warning",
                index,
            )
        )
    return problems


def _rule_severe_disability_unemployed(form: _Form) -> list[Problem]:
    """重残无业人员生活补助: 16+ on the application date; grade 1–2 or 三级智力; cannot work or look after oneself.

    Source: items §8, https://mzj.sh.gov.cn/mz-zcjd/20210726/0dd647fc50ad41ae88a231f18ef78589.html (市民政局 2021):
    Shanghai 户籍 (``residence_required``), aged 16 or over, a 残疾人证 at grade 1 or 2 or 三级智力, unable to earn
    through work and to look after oneself; people whose pension is below the 补助 standard may also apply, those
    entitled to a pension must claim it.  A pension not below the standard is a warning (the source implies, but
    does not state, exclusion; the back office decides).
    """
    problems: list[Problem] = []
    what = "重残无业人员生活补助"
    if form.values.get("unable_to_work_and_self_care") is False:
        problems.append(
            Problem(
                "unable_to_work_and_self_care",
                msg("catalog", "重残无业人员生活补助限无法通过劳动获得收入、生活不能自理的重残人员"),
                "error",
            )
        )
    if form.values.get("pension_status") == "not_below":
        problems.append(
            Problem(
                "pension_status",
                msg("catalog", "养老金不低于补助标准：市民政局解读只允许养老金低于补助标准的人员申请，请核实"),
                "warning",
            )
        )
    found = form.first(Role.APPLICANT)
    if found is None:
        return problems
    index, party = found
    if party.birth_date is None:
        problems.append(_missing_birth(index, party, what))
    else:
        under = _under_age(
            index, party, 16, form.ctx.on, msg("catalog", "重残无业人员生活补助限年满 16 周岁的人员"), "error"
        )
        if under is not None:
            problems.append(under)
    disability = _disability_of(form, index, party)
    if disability is None:
        problems.append(_missing_disability(index, party, what))
    elif not _is_severe(*disability):
        problems.append(
            Problem(
                None,
                msg("catalog", "{name}为{disability}残疾：重残无业人员生活补助限一级、二级残疾或三级智力残疾").bind(
                    name=party.name, disability=_disability_text(*disability)
                ),
                "error",
                index,
            )
        )
    return problems


def _rule_elderly_allowance(form: _Form) -> list[Problem]:
    """老年综合津贴: Shanghai 户籍 (``residence_required``) and aged 65 or over.

    Source: items §10 (ecns 2016; shanghaidaily; b2b-team repost).  Since 2023-05 the allowance is 免申即享
    (granted without application), so the counter handles inquiries, corrections, card changes and exceptions
    (``request_type``).  Under 65 is an error, except for an inquiry, where it is a warning.
    """
    found = form.first(Role.APPLICANT)
    if found is None:
        return []
    index, party = found
    if party.birth_date is None:
        return [_missing_birth(index, party, "老年综合津贴")]
    severity: Severity = "warning" if form.values.get("request_type") == "inquiry" else "error"
    under = _under_age(
        index, party, 65, form.ctx.on, msg("catalog", "老年综合津贴发给年满 65 周岁的本市户籍老人"), severity
    )
    return [under] if under is not None else []


def _rule_care_needs_assessment(form: _Form) -> list[Problem]:
    """老年照护统一需求评估: aged 60 or over and insured (职工医保 or 城乡居民医保), or Shanghai 户籍 without either.

    Source: items §11, 沪府办发〔2018〕2号 (english.shanghai.gov.cn bulletin).
    """
    problems: list[Problem] = []
    insurance = form.values.get("insurance_status")
    if insurance == "none":
        problems.append(
            Problem(
                "insurance_status",
                msg("catalog", "老年照护统一需求评估限参加职工医保或城乡居民医保的老人，以及未参保的本市户籍老人"),
                "error",
            )
        )
    found = form.first(Role.APPLICANT)
    if found is None:
        return problems
    index, party = found
    if insurance == "hukou_uninsured" and form.party_values[index].get(HUKOU_FIELD) is False:
        problems.append(
            Problem(
                HUKOU_FIELD,
                msg("catalog", "选择了“本市户籍、未参加医保”，但录入的户籍不在本市，请核对参保和户籍情况"),
                "error",
                index,
            )
        )
    if party.birth_date is None:
        problems.append(_missing_birth(index, party, "老年照护统一需求评估"))
    else:
        under = _under_age(
            index, party, 60, form.ctx.on, msg("catalog", "老年照护统一需求评估限年满 60 周岁的老人"), "error"
        )
        if under is not None:
            problems.append(under)
    return problems


def _rule_basic_funeral_subsidy(form: _Form) -> list[Problem]:
    """基本殡葬服务补贴: the deceased had Shanghai 户籍, was cremated in Shanghai and belonged to an eligible group.

    Source: items §13, https://mzj.sh.gov.cn/binzang-grbs/20241021/54c1aaa48f724ce0a9656ec8750ab62b.html: eligible
    groups 重点优抚对象, 低保, 特困, 定期定量, 因病支出型贫困, or no social-insurance funeral grant; cap 980 元/具,
    paid at cost; the 丧事承办人 applies at the center of the deceased's 户籍地.  Whether other centers may take it
    under 全市通办 is unresolved (items, cross-cutting), so a center other than the 户籍地 one is a warning.
    The deceased's 户籍 itself is checked by ``residence_required`` with ``residence_party: deceased``.
    """
    problems: list[Problem] = []
    if form.values.get("deceased_status") == "none":
        problems.append(
            Problem(
                "deceased_status",
                msg(
                    "catalog",
                    "基本殡葬服务补贴限重点优抚对象、低保、特困、定期定量救济、因病支出型贫困对象，"
                    "以及未享受社保丧葬费补贴的人员",
                ),
                "error",
            )
        )
    if form.values.get("cremated_in_shanghai") is False:
        problems.append(Problem("cremated_in_shanghai", msg("catalog", "基本殡葬服务补贴限在本市火化的逝者"), "error"))
    if form.values.get("hukou_at_this_center") is False:
        problems.append(
            Problem(
                "hukou_at_this_center",
                msg(
                    "catalog",
                    "市民政局指南写明在逝者户籍地的社区事务受理服务中心申请；本中心不是逝者户籍地中心，"
                    "是否可以全市通办尚未确认，请核实后再受理",
                ),
                "warning",
            )
        )
    cap = funeral_subsidy_cap(form.ctx.item, form.ctx.on)
    claimed = form.values.get("claimed_fen")
    if cap is not None and isinstance(claimed, int) and not isinstance(claimed, bool) and claimed > cap.fen:
        problems.append(
            Problem(
                "claimed_fen",
                msg("catalog", "票据金额 {claimed} 元超过补贴上限 {cap} 元/具：按实报销，最多补贴 {cap} 元").bind(
                    claimed=format_fen(claimed), cap=format_fen(cap.fen)
                ),
                "warning",
            )
        )
    return problems


#: 民法典 Art. 1047: 结婚年龄，男不得早于二十二周岁，女不得早于二十周岁 (rules.md §5).
MARRIAGE_AGE = MappingProxyType({"M": 22, "F": 20})


def _rule_marriage_precheck(form: _Form) -> list[Problem]:
    """Marriage pre-check: both parties of legal marriage age on the appointment (or pre-check) date.

    Source: rules.md §5 — 民法典 Art. 1047 (man ≥ 22, woman ≥ 20); 婚姻登记条例 (国务院令第804号, in force
    2025-05-10): registration is refused if a party is under age.  Divorce (``business_type: divorce``) has no age
    check.  The age is taken on ``appointment_date`` when the clerk books one, else on the pre-check date.  The
    parties' sex comes from the ID number; when unknown the clerk checks by hand (warning).
    """
    if form.values.get("business_type") != "marriage":
        return []
    day = form.values.get("appointment_date")
    on = day if isinstance(day, date) else form.ctx.on
    problems: list[Problem] = []
    if isinstance(day, date) and day < form.ctx.on:
        problems.append(
            Problem(
                "appointment_date",
                msg("catalog", "预约登记日期不能早于今天（{today}）").bind(today=format_date(form.ctx.on)),
                "error",
            )
        )
    for role in (Role.APPLICANT, Role.SPOUSE):
        for index, party in form.parties(role):
            years = MARRIAGE_AGE.get(party.sex or "")
            if years is None:
                problems.append(
                    Problem(
                        None,
                        msg("catalog", "未能确定{name}的性别，请人工核对法定婚龄（男二十二周岁、女二十周岁）").bind(
                            name=party.name
                        ),
                        "warning",
                        index,
                    )
                )
                continue
            if party.birth_date is None:
                problems.append(_missing_birth(index, party, "结婚登记"))
                continue
            reason = (
                msg("catalog", "民法典第一千零四十七条规定男不得早于二十二周岁结婚")
                if party.sex == "M"
                else msg("catalog", "民法典第一千零四十七条规定女不得早于二十周岁结婚")
            )
            under = _under_age(index, party, years, on, reason, "error")
            if under is not None:
                problems.append(under)
    return problems


def _rule_dibao_household(form: _Form) -> list[Problem]:
    """最低生活保障: the household as the 居民经济状况核对 needs it.

    Source: items §1 — the application is by family (household members listed); every member authorises the
    居民经济状况核对 (the 授权书 is a per-member material, see the item file), and the check centre queries funds,
    property and tax, which needs each member's identity.  So a member without an ID number is a warning (e.g.
    a newborn without a card: the clerk checks the 户口簿), and a person listed twice is an error.  The
    applicant's Shanghai 户籍 is checked by ``residence_required``.
    """
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for role in (Role.APPLICANT, Role.HOUSEHOLD_MEMBER):
        for index, party in form.parties(role):
            if not party.id_number:
                if role is Role.HOUSEHOLD_MEMBER:
                    problems.append(
                        Problem(
                            None,
                            msg(
                                "catalog",
                                "家庭成员{name}没有录入身份号码：居民经济状况核对需要每位家庭成员的身份信息和授权，请核对",
                            ).bind(name=party.name),
                            "warning",
                            index,
                        )
                    )
                continue
            if party.id_number in seen:
                problems.append(
                    Problem(
                        None,
                        msg("catalog", "{name}在家庭成员中重复列出（身份号码相同），请删除重复的一行").bind(
                            name=party.name
                        ),
                        "error",
                        index,
                    )
                )
            seen.setdefault(party.id_number, index)
    return problems


_RuleFn = Callable[[_Form], list[Problem]]
_RULES: Mapping[RuleName, _RuleFn] = {
    RuleName.DIBAO_HOUSEHOLD: _rule_dibao_household,
    RuleName.DISABILITY_LIVING_SUBSIDY_GROUP: _rule_disability_living_subsidy_group,
    RuleName.NURSING_SUBSIDY_GRADE: _rule_nursing_subsidy_grade,
    RuleName.SEVERE_DISABILITY_UNEMPLOYED: _rule_severe_disability_unemployed,
    RuleName.ELDERLY_ALLOWANCE: _rule_elderly_allowance,
    RuleName.CARE_NEEDS_ASSESSMENT: _rule_care_needs_assessment,
    RuleName.BASIC_FUNERAL_SUBSIDY: _rule_basic_funeral_subsidy,
    RuleName.MARRIAGE_PRECHECK: _rule_marriage_precheck,
}

if set(_RULES) != set(RuleName):  # pragma: no cover - a programming error caught at import
    raise RuntimeError(f"rules without code: {sorted(set(RuleName) - set(_RULES))}")


def rule_doc(name: RuleName) -> str:
    """The documentation (with sources) of a named rule, for ``yimen catalog rules`` and the design note."""
    return (_RULES[name].__doc__ or "").strip()
