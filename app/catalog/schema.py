"""The service-item (事项) schema: pydantic v2 models of one catalog file, and its cross-field checks.

One YAML file describes one item; ``docs/catalog.md`` and ``resources/catalog/README.md`` describe the format for
the people who write the files.  This module is the contract shared by the counter and the server (which imports
it alone, see the import-linter contracts in ``pyproject.toml``): it imports nothing of ours except
:mod:`app.i18n`, and does no I/O.

Two layers of checks:

* the models themselves (``extra="forbid"``, patterns, ranges, closed lists) — pydantic reports these with a
  location such as ``("fields", 3, "type")``;
* :func:`check_item`, the cross-field checks (unique keys, ``when`` referring to an earlier field, a material's
  ``per_party`` naming a declared role, promised ≤ legal days, amounts in date order, what each named rule needs).
  They return located :class:`ItemIssue` values so the loader can point at the YAML line.  Validating a model
  directly (``ServiceItem.model_validate`` / :meth:`ServiceItem.from_canonical_json`) runs them too and fails with
  the first issue; the loader asks to skip them (validation context ``{"cross_checks": False}``) and runs them
  itself to report every issue with its line.

The names of the cross-field rules live here (:class:`RuleName`, :data:`RULE_NEEDS`) so that a file naming an
unknown rule is a load error even on the server; their code is in :mod:`app.catalog.rules`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Literal, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    StringConstraints,
    Tag,
    ValidationInfo,
    model_validator,
)

from app.i18n import Message, msg

#: The format version this code reads (the ``schema:`` key of every file).
SCHEMA_VERSION = 1

#: ``code``: 2–4 capital letters (the department, e.g. MZ 民政, CL 残联, YB 医保, TY 退役军人事务), then 1–3
#: segments of 2–6 capitals or digits, e.g. ``MZ-SHJZ-001``.  Stable for the life of the item.
CODE_PATTERN = r"^[A-Z]{2,4}(-[A-Z0-9]{2,6}){1,3}$"
#: Keys of fields, materials, amounts: snake_case ASCII; a field key becomes the Qt objectName of its widget.
KEY_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"
#: Stored values of choices: language-neutral snake_case ASCII (the labels carry the languages).
CHOICE_VALUE_PATTERN = r"^[a-z0-9][a-z0-9_]{0,39}$"

#: The key of the party-level bool field that records "户籍在本市" when ``residence_required`` is set.
HUKOU_FIELD = "hukou_shanghai"
#: The phrase a placeholder time-limit source must contain (catalog-items.md: no Shanghai time limit was found).
PLACEHOLDER_MARK = "待确认"

NonEmptyStr = Annotated[StrictStr, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Key = Annotated[StrictStr, StringConstraints(pattern=KEY_PATTERN)]
ChoiceValue = Annotated[StrictStr, StringConstraints(pattern=CHOICE_VALUE_PATTERN)]
#: A value a condition compares with: text (a choice value), an integer or a bool.
ScalarValue = StrictStr | StrictInt | StrictBool


class _Model(BaseModel):
    """Base of every catalog model: unknown keys are errors, instances are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_by_alias=True, validate_by_name=True)


# ---------------------------------------------------------------------------------------------------- closed lists


class Category(StrEnum):
    """The closed list of item categories, in the order the counter shows them (see :data:`CATEGORY_ORDER`)."""

    SOCIAL_ASSISTANCE = "社会救助"
    MEDICAL_SECURITY = "医疗保障"
    DISABILITY = "残疾人服务"
    ELDERLY = "养老服务"
    FUNERAL = "殡葬"
    ENTITLED_GROUPS = "优抚"
    MARRIAGE = "婚姻"


#: Display order of categories: the order of the starter catalog in domain/README.md.
CATEGORY_ORDER: tuple[Category, ...] = tuple(Category)

CATEGORY_EN: Mapping[Category, str] = {
    Category.SOCIAL_ASSISTANCE: "Social assistance",
    Category.MEDICAL_SECURITY: "Medical security",
    Category.DISABILITY: "Services for disabled people",
    Category.ELDERLY: "Elderly care",
    Category.FUNERAL: "Funeral services",
    Category.ENTITLED_GROUPS: "Entitled groups (military)",
    Category.MARRIAGE: "Marriage",
}


class Department(StrEnum):
    """Departments that decide items taken at the counter (一门式: 前台一口受理, 后台协同办理)."""

    CIVIL_AFFAIRS = "民政"
    DISABLED_PERSONS_FEDERATION = "残联"
    MEDICAL_SECURITY = "医保"
    VETERANS_AFFAIRS = "退役军人事务"
    HUMAN_RESOURCES = "人社"
    HEALTH = "卫健"


class Kind(StrEnum):
    """How the counter handles the item."""

    APPLICATION = "application"  # normal 受理: receipt, promised date, hand-over to the back office
    PRECHECK = "precheck"  # 材料预审 and booking only (marriage: district offices register, not the centers)
    CONSULTATION = "consultation"  # information and referral; nothing is decided here


class FormLayout(StrEnum):
    """How the 申请表 is laid out.  ``standard`` is generated from the item's parties, fields and materials; an
    item whose official form needs a layout of its own names one (app/documents/forms.py draws each)."""

    STANDARD = "standard"
    SIDE_BY_SIDE = "side_by_side"  # two parties in two columns (婚姻登记: 当事人双方, as the official 声明书)


class Status(StrEnum):
    """事项准入/退出: a retired item cannot be chosen for new cases but stays loadable for old records."""

    ACTIVE = "active"
    RETIRED = "retired"


class Role(StrEnum):
    """The roles a party can take in a case."""

    APPLICANT = "applicant"
    SPOUSE = "spouse"
    HOUSEHOLD_MEMBER = "household_member"
    AGENT = "agent"
    GUARDIAN = "guardian"
    DECEASED = "deceased"


ROLE_ZH: Mapping[Role, str] = {
    Role.APPLICANT: "申请人",
    Role.SPOUSE: "配偶",
    Role.HOUSEHOLD_MEMBER: "家庭成员",
    Role.AGENT: "代理人",
    Role.GUARDIAN: "监护人",
    Role.DECEASED: "逝者",
}
ROLE_EN: Mapping[Role, str] = {
    Role.APPLICANT: "Applicant",
    Role.SPOUSE: "Spouse",
    Role.HOUSEHOLD_MEMBER: "Household member",
    Role.AGENT: "Agent",
    Role.GUARDIAN: "Guardian",
    Role.DECEASED: "Deceased",
}


class FieldType(StrEnum):
    """Form field types.  ``money`` values are integer fen (分); ``date`` values are ``datetime.date``."""

    TEXT = "text"
    MULTILINE = "multiline"
    INT = "int"
    MONEY = "money"
    DATE = "date"
    CHOICE = "choice"
    MULTICHOICE = "multichoice"
    BOOL = "bool"
    ID_NUMBER = "id_number"
    PHONE = "phone"
    DISABILITY_CERT = "disability_cert"
    ADDRESS = "address"


#: Types whose constraints may give ``min_length``/``max_length``/``pattern``.
TEXT_TYPES = frozenset({FieldType.TEXT, FieldType.MULTILINE, FieldType.ADDRESS})
#: Types whose constraints may give ``min``/``max`` (a number; for ``multichoice``, how many may be ticked).
RANGE_TYPES = frozenset({FieldType.INT, FieldType.MONEY, FieldType.MULTICHOICE})
#: Types that need ``choices``.
CHOICE_TYPES = frozenset({FieldType.CHOICE, FieldType.MULTICHOICE})


class MaterialForm(StrEnum):
    """原件 / 复印件 / 原件和复印件 / 电子材料 (the 一网通办 guides list each material this way)."""

    ORIGINAL = "original"
    COPY = "copy"
    ORIGINAL_AND_COPY = "original_and_copy"
    ELECTRONIC = "electronic"


MATERIAL_FORM_ZH: Mapping[MaterialForm, str] = {
    MaterialForm.ORIGINAL: "原件",
    MaterialForm.COPY: "复印件",
    MaterialForm.ORIGINAL_AND_COPY: "原件和复印件",
    MaterialForm.ELECTRONIC: "电子材料",
}


class Residence(StrEnum):
    """A registered-residence (户籍) requirement.  Always an entered, checked fact (ARCHITECTURE.md invariant 5)."""

    SHANGHAI_HUKOU = "shanghai_hukou"


class RuleName(StrEnum):
    """The named cross-field rules; each is implemented and documented with its source in app.catalog.rules."""

    DIBAO_HOUSEHOLD = "dibao_household"
    DISABILITY_LIVING_SUBSIDY_GROUP = "disability_living_subsidy_group"
    NURSING_SUBSIDY_GRADE = "nursing_subsidy_grade"
    SEVERE_DISABILITY_UNEMPLOYED = "severe_disability_unemployed"
    ELDERLY_ALLOWANCE = "elderly_allowance"
    CARE_NEEDS_ASSESSMENT = "care_needs_assessment"
    BASIC_FUNERAL_SUBSIDY = "basic_funeral_subsidy"
    MARRIAGE_PRECHECK = "marriage_precheck"


# ---------------------------------------------------------------------------------------------------- building blocks


class LocalText(_Model):
    """A text in Chinese (shown at the counter and printed) and English (the translation)."""

    zh: NonEmptyStr
    en: NonEmptyStr


class Choice(_Model):
    """One option of a ``choice``/``multichoice`` field; ``value`` is what is stored."""

    value: ChoiceValue
    zh: NonEmptyStr
    en: NonEmptyStr


class Constraints(_Model):
    """Limits on a field's value.  Which keys fit which type is checked by :func:`check_item`."""

    min: StrictInt | None = None
    max: StrictInt | None = None
    min_length: Annotated[StrictInt, Field(ge=0)] | None = None
    max_length: Annotated[StrictInt, Field(ge=1)] | None = None
    pattern: NonEmptyStr | None = None
    choices: tuple[Choice, ...] | None = None


class Condition(_Model):
    """The tiny condition language of ``when`` and of a material's ``required``.

    Exactly one of ``equals``, ``in`` and ``truthy`` is given:

    * ``{field: k, equals: v}`` — the value of field ``k`` is ``v`` (for a multichoice: ``v`` is ticked);
    * ``{field: k, in: [v1, v2]}`` — the value is one of them (multichoice: any of them is ticked);
    * ``{field: k, truthy: true}`` — the field has a value that is not empty, zero or false
      (``truthy: false``: the opposite).
    """

    field: Key
    equals: ScalarValue | None = None
    in_: Annotated[tuple[StrictStr | StrictInt, ...], Field(min_length=1)] | None = Field(default=None, alias="in")
    truthy: StrictBool | None = None


def _required_tag(value: Any) -> str:
    return "condition" if isinstance(value, Mapping | Condition) else "bool"


#: ``required`` of a material: ``true``, ``false`` or a condition.
RequiredSpec = Annotated[
    Annotated[StrictBool, Tag("bool")] | Annotated[Condition, Tag("condition")],
    Discriminator(_required_tag),
]
#: Tags pydantic puts into error locations for :data:`RequiredSpec`; the loader skips them.
UNION_TAGS = frozenset({"bool", "condition"})


class FieldDef(_Model):
    """One form field (an item-level field, or a party-level column such as the member table's 与申请人关系).

    ``required`` applies only while the field is shown (its ``when`` holds).  For a ``bool`` field it means "must be
    answered (是 or 否)", not "must be ticked".
    """

    key: Key
    type: FieldType
    label: LocalText
    required: StrictBool = False
    constraints: Constraints = Constraints()
    help: LocalText | None = None
    when: Condition | None = None

    def choice_values(self) -> tuple[str, ...]:
        """Return the stored values of the choices (empty for other types)."""
        return tuple(c.value for c in self.constraints.choices or ())


class PartySpec(_Model):
    """A role the item takes, how many such parties, and the role's own fields (shown as a table for several)."""

    role: Role
    min: Annotated[StrictInt, Field(ge=0, le=50)] = 0
    max: Annotated[StrictInt, Field(ge=1, le=50)] | None = None
    label: LocalText | None = None
    fields: tuple[FieldDef, ...] = ()

    def display_zh(self) -> str:
        """Return the Chinese name of the role in this item (e.g. 丧事承办人 instead of 申请人)."""
        return self.label.zh if self.label else ROLE_ZH[self.role]


class Material(_Model):
    """A material the applicant brings.  The 补正 notice cites its name and its standard (documents.md §2)."""

    key: Key
    name: LocalText
    form: MaterialForm
    count: Annotated[StrictInt, Field(ge=1, le=99)] = 1
    standard: LocalText
    required: RequiredSpec = True
    per_party: Role | None = None
    note: LocalText | None = None


class DatedAmount(_Model):
    """A money figure in force from a date: the only place money lives (never in code).

    Entries with the same ``name`` form one series, listed in date order.  ``age_min``/``age_max`` mark an age
    band (老年综合津贴).
    """

    name: Key
    label: LocalText | None = None
    effective_from: date
    fen: Annotated[StrictInt, Field(ge=0, le=10**12)]
    unit: NonEmptyStr
    source: NonEmptyStr
    age_min: Annotated[StrictInt, Field(ge=0, le=150)] | None = None
    age_max: Annotated[StrictInt, Field(ge=0, le=150)] | None = None
    note: NonEmptyStr | None = None


class Citation(_Model):
    """A source: a title and a URL and/or a document number (文号); ``third_party`` marks reposts."""

    title: NonEmptyStr
    url: Annotated[StrictStr, StringConstraints(pattern=r"^https?://\S+$")] | None = None
    doc_no: NonEmptyStr | None = None
    third_party: StrictBool = False
    note: NonEmptyStr | None = None


# ---------------------------------------------------------------------------------------------------- the item


class ServiceItem(_Model):
    """A service item (事项), one catalog file.

    ``version`` is bumped on every change (事项变更); the SHA-256 of :func:`canonical_json` identifies the exact
    definition a record was taken under.
    """

    schema_version: Literal[1] = Field(alias="schema")
    code: Annotated[StrictStr, StringConstraints(pattern=CODE_PATTERN)]
    version: Annotated[StrictInt, Field(ge=1)]
    status: Status
    effective_from: date
    retired_from: date | None = None
    name: LocalText
    short_name: LocalText | None = None
    category: Category
    department: Department
    co_departments: tuple[Department, ...] = ()
    kind: Kind
    #: 全市通办; ``null`` where no public list says (catalog-items.md: "Which items are on the list: NOT FOUND").
    citywide: StrictBool | None
    residence_required: Residence | None = None
    residence_party: Role = Role.APPLICANT
    promised_days: Annotated[StrictInt, Field(ge=0, le=365)] | None = None
    legal_days: Annotated[StrictInt, Field(ge=0, le=365)] | None = None
    time_limit_source: NonEmptyStr | None = None
    time_limit_placeholder: StrictBool = False
    parties: Annotated[tuple[PartySpec, ...], Field(min_length=1)]
    fields: tuple[FieldDef, ...] = ()
    materials: tuple[Material, ...] = ()
    rules: tuple[RuleName, ...] = ()
    amounts: tuple[DatedAmount, ...] = ()
    sources: Annotated[tuple[Citation, ...], Field(min_length=1)]
    notes: NonEmptyStr | None = None
    form_layout: FormLayout = FormLayout.STANDARD

    @model_validator(mode="after")
    def _cross_checks(self, info: ValidationInfo) -> Self:
        context = info.context if isinstance(info.context, Mapping) else {}
        if context.get("cross_checks", True):
            issues = check_item(self)
            if issues:
                first = issues[0]
                raise ValueError(f"{_loc_text(first.loc)}: {first.message.render()}")
        return self

    @classmethod
    def from_canonical_json(cls, text: str | bytes) -> ServiceItem:
        """Rebuild an item from :func:`canonical_json` output (e.g. a catalog version stored in the database)."""
        return cls.model_validate_json(text)

    def canonical_json(self) -> str:
        """Return the canonical JSON of this item (see :func:`canonical_json`)."""
        return canonical_json(self)

    def is_selectable(self, on: date) -> bool:
        """Whether a new case may be taken under this item on ``on`` (active and in force)."""
        if self.status is not Status.ACTIVE or self.effective_from > on:
            return False
        return self.retired_from is None or on < self.retired_from

    def party(self, role: Role | str) -> PartySpec | None:
        """Return the declaration of ``role``, or None when the item does not take it."""
        return next((p for p in self.parties if p.role == role), None)

    def field(self, key: str) -> FieldDef | None:
        """Return the item-level field ``key``, or None."""
        return next((f for f in self.fields if f.key == key), None)


def canonical_json(item: ServiceItem) -> str:
    """Return the canonical JSON of a validated item: sorted keys, no insignificant whitespace, UTF-8 text.

    Every key is present (defaults included), keys are the YAML keys (``schema``, ``in``), dates are ISO strings.
    The SHA-256 of its UTF-8 bytes identifies the item version.
    """
    data = item.model_dump(mode="json", by_alias=True)
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


# ---------------------------------------------------------------------------------------------------- rule needs


@dataclass(frozen=True)
class FieldNeed:
    """A field a named rule reads.

    Attributes:
        key: the field key.
        type: the type it must have.
        role: None for an item-level field, else the role whose party-level field it is.
        values: for a choice field, the values the rule understands; the item's choices must be among them.
    """

    key: str
    type: FieldType
    role: Role | None = None
    values: frozenset[str] | None = None


@dataclass(frozen=True)
class RuleNeeds:
    """What an item naming a rule must declare, so that the rule never silently finds nothing to check.

    Attributes:
        roles: roles that must be declared.
        fields: fields that must be declared.
        amounts: amount series (by name) that must be present.
        age_bands: whether amounts with an age band (``age_min``) must be present.
    """

    roles: frozenset[Role] = frozenset()
    fields: tuple[FieldNeed, ...] = ()
    amounts: frozenset[str] = frozenset()
    age_bands: bool = False


#: Choice values the rules understand (the rules document their meaning and sources).
DISABILITY_FAMILY_STATUS = frozenset({"zhongcan_wuye", "dibao", "dibao_edge", "none"})
PENSION_STATUS = frozenset({"none", "below_standard", "not_below"})
ELDERLY_REQUEST_TYPES = frozenset({"inquiry", "correction", "card_change", "exception"})
CARE_INSURANCE_STATUS = frozenset({"employee", "resident", "hukou_uninsured", "none"})
FUNERAL_DECEASED_STATUS = frozenset(
    {"youfu", "dibao", "tekun", "dingqi_dingliang", "illness_poverty", "no_social_insurance_grant", "none"}
)
MARRIAGE_BUSINESS = frozenset({"marriage", "divorce"})

RULE_NEEDS: Mapping[RuleName, RuleNeeds] = {
    RuleName.DIBAO_HOUSEHOLD: RuleNeeds(roles=frozenset({Role.APPLICANT, Role.HOUSEHOLD_MEMBER})),
    RuleName.DISABILITY_LIVING_SUBSIDY_GROUP: RuleNeeds(
        fields=(
            FieldNeed("family_status", FieldType.CHOICE, values=DISABILITY_FAMILY_STATUS),
            FieldNeed("cert_issued_in_shanghai", FieldType.BOOL),
        ),
    ),
    RuleName.NURSING_SUBSIDY_GRADE: RuleNeeds(
        fields=(FieldNeed("cert_issued_in_shanghai", FieldType.BOOL),),
    ),
    RuleName.SEVERE_DISABILITY_UNEMPLOYED: RuleNeeds(
        fields=(
            FieldNeed("unable_to_work_and_self_care", FieldType.BOOL),
            FieldNeed("pension_status", FieldType.CHOICE, values=PENSION_STATUS),
        ),
    ),
    RuleName.ELDERLY_ALLOWANCE: RuleNeeds(
        fields=(FieldNeed("request_type", FieldType.CHOICE, values=ELDERLY_REQUEST_TYPES),),
        age_bands=True,
    ),
    RuleName.CARE_NEEDS_ASSESSMENT: RuleNeeds(
        fields=(
            FieldNeed("insurance_status", FieldType.CHOICE, values=CARE_INSURANCE_STATUS),
            FieldNeed(HUKOU_FIELD, FieldType.BOOL, role=Role.APPLICANT),
        ),
    ),
    RuleName.BASIC_FUNERAL_SUBSIDY: RuleNeeds(
        roles=frozenset({Role.DECEASED}),
        fields=(
            FieldNeed("deceased_status", FieldType.CHOICE, values=FUNERAL_DECEASED_STATUS),
            FieldNeed("cremated_in_shanghai", FieldType.BOOL),
            FieldNeed("hukou_at_this_center", FieldType.BOOL),
        ),
        amounts=frozenset({"cap"}),
    ),
    RuleName.MARRIAGE_PRECHECK: RuleNeeds(
        roles=frozenset({Role.APPLICANT, Role.SPOUSE}),
        fields=(FieldNeed("business_type", FieldType.CHOICE, values=MARRIAGE_BUSINESS),),
    ),
}


# ---------------------------------------------------------------------------------------------------- cross-checks

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class ItemIssue:
    """A cross-field problem, located by YAML keys and list indexes (e.g. ``("fields", 3, "when", "field")``)."""

    loc: Loc
    message: Message = field(compare=False)


_Add = Callable[["ItemIssue"], None]


def _loc_text(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out or "(根)"


def _join(values: Any) -> str:
    return "、".join(str(v) for v in values)


def check_item(item: ServiceItem) -> list[ItemIssue]:
    """Return every cross-field problem of a model-valid item (empty when the item is consistent)."""
    issues: list[ItemIssue] = []
    add = issues.append

    if item.status is Status.ACTIVE and item.retired_from is not None:
        add(ItemIssue(("retired_from",), msg("catalog", "只有已退出（status: retired）的事项才能写退出日期")))
    if item.retired_from is not None and item.retired_from <= item.effective_from:
        add(
            ItemIssue(
                ("retired_from",), msg("catalog", "退出日期应晚于生效日期 {start}").bind(start=item.effective_from)
            )
        )

    _check_time_limits(item, add)
    roles = _check_parties(item, add)
    _check_fields(item.fields, ("fields",), add)
    _check_materials(item, roles, add)
    _check_residence(item, add)
    _check_rules(item, add)
    _check_amounts(item, add)
    if item.form_layout is FormLayout.SIDE_BY_SIDE and [p.max for p in item.parties[:2]] != [1, 1]:
        add(
            ItemIssue(
                ("form_layout",),
                msg("catalog", "申请表版式 side_by_side 要求前两个当事人角色各为 1 人（max: 1），如婚姻登记的双方"),
            )
        )
    return issues


def _check_time_limits(item: ServiceItem, add: _Add) -> None:
    promised, legal = item.promised_days, item.legal_days
    if promised is not None and legal is not None and promised > legal:
        add(
            ItemIssue(
                ("promised_days",),
                msg(
                    "catalog", "承诺时限 {promised} 个工作日超过法定时限 {legal} 个工作日，承诺时限不能长于法定时限"
                ).bind(promised=promised, legal=legal),
            )
        )
    if item.kind is Kind.APPLICATION:
        if promised is None:
            add(
                ItemIssue(
                    ("promised_days",),
                    msg(
                        "catalog",
                        "受理类事项必须写承诺时限 promised_days（工作日，用于计算承诺办结日）；"
                        "找不到依据时写暂定值，并在 time_limit_source 中写明“未找到上海公开依据，暂按…，待确认”",
                    ),
                )
            )
        if item.time_limit_source is None:
            add(
                ItemIssue(
                    ("time_limit_source",),
                    msg("catalog", "受理类事项必须写时限依据 time_limit_source（文号或网址；暂定值写明“待确认”）"),
                )
            )
    if item.time_limit_placeholder and (item.time_limit_source or "").find(PLACEHOLDER_MARK) < 0:
        add(
            ItemIssue(
                ("time_limit_source",),
                msg("catalog", "时限为暂定值（time_limit_placeholder: true）时，时限依据须写明“{mark}”").bind(
                    mark=PLACEHOLDER_MARK
                ),
            )
        )


def _check_parties(item: ServiceItem, add: _Add) -> set[Role]:
    roles: set[Role] = set()
    for i, party in enumerate(item.parties):
        if party.role in roles:
            add(ItemIssue(("parties", i, "role"), msg("catalog", "角色“{role}”重复声明").bind(role=party.role.value)))
        roles.add(party.role)
        if party.max is not None and party.min > party.max:
            add(
                ItemIssue(
                    ("parties", i, "min"),
                    msg("catalog", "最少人数 {min} 大于最多人数 {max}").bind(min=party.min, max=party.max),
                )
            )
        _check_fields(party.fields, ("parties", i, "fields"), add)
        clash = {f.key for f in party.fields} & {f.key for f in item.fields}
        for j, f in enumerate(party.fields):
            if f.key in clash:
                add(
                    ItemIssue(
                        ("parties", i, "fields", j, "key"),
                        msg("catalog", "当事人字段“{key}”与事项字段重名，请换一个键名").bind(key=f.key),
                    )
                )
    applicant = item.party(Role.APPLICANT)
    if applicant is None:
        add(ItemIssue(("parties",), msg("catalog", "每个事项都要声明申请人（role: applicant），且 min 至少为 1")))
    elif applicant.min < 1:
        index = item.parties.index(applicant)
        add(ItemIssue(("parties", index, "min"), msg("catalog", "申请人的 min 至少为 1")))
    return roles


def _check_fields(fields: tuple[FieldDef, ...], where: Loc, add: _Add) -> set[str]:
    seen: dict[str, FieldDef] = {}
    for i, f in enumerate(fields):
        loc = (*where, i)
        if f.key in seen:
            add(ItemIssue((*loc, "key"), msg("catalog", "字段键名“{key}”重复").bind(key=f.key)))
        _check_constraints(f, loc, add)
        if f.when is not None:
            _check_condition(f.when, seen, (*loc, "when"), add, self_key=f.key)
        seen.setdefault(f.key, f)
    return set(seen)


def _check_constraints(f: FieldDef, loc: Loc, add: _Add) -> None:
    c = f.constraints
    cloc = (*loc, "constraints")
    kind = f.type.value
    if f.type in CHOICE_TYPES:
        if not c.choices:
            add(
                ItemIssue(
                    cloc, msg("catalog", "{type} 类型的字段必须在 constraints.choices 中列出选项").bind(type=kind)
                )
            )
        else:
            values = [ch.value for ch in c.choices]
            for j, v in enumerate(values):
                if v in values[:j]:
                    add(ItemIssue((*cloc, "choices", j, "value"), msg("catalog", "选项值“{value}”重复").bind(value=v)))
    elif c.choices is not None:
        add(ItemIssue((*cloc, "choices"), msg("catalog", "只有 choice、multichoice 类型的字段可以有选项（choices）")))
    if f.type not in RANGE_TYPES:
        for name in ("min", "max"):
            if getattr(c, name) is not None:
                add(
                    ItemIssue(
                        (*cloc, name),
                        msg("catalog", "{name} 只适用于 int、money、multichoice 类型，不适用于 {type}").bind(
                            name=name, type=kind
                        ),
                    )
                )
    if f.type not in TEXT_TYPES:
        for name in ("min_length", "max_length", "pattern"):
            if getattr(c, name) is not None:
                add(
                    ItemIssue(
                        (*cloc, name),
                        msg("catalog", "{name} 只适用于 text、multiline、address 类型，不适用于 {type}").bind(
                            name=name, type=kind
                        ),
                    )
                )
    if c.min is not None and c.max is not None and c.min > c.max:
        add(ItemIssue((*cloc, "min"), msg("catalog", "min {min} 大于 max {max}").bind(min=c.min, max=c.max)))
    if c.min_length is not None and c.max_length is not None and c.min_length > c.max_length:
        add(
            ItemIssue(
                (*cloc, "min_length"),
                msg("catalog", "min_length {min} 大于 max_length {max}").bind(min=c.min_length, max=c.max_length),
            )
        )
    if c.pattern is not None:
        try:
            re.compile(c.pattern)
        except re.error as exc:
            add(
                ItemIssue(
                    (*cloc, "pattern"),
                    msg("catalog", "正则表达式“{pattern}”无效：{error}").bind(pattern=c.pattern, error=str(exc)),
                )
            )


def _check_condition(
    cond: Condition, fields: Mapping[str, FieldDef], loc: Loc, add: _Add, *, self_key: str | None = None
) -> None:
    given = [name for name in ("equals", "in_", "truthy") if getattr(cond, name) is not None]
    if len(given) != 1:
        add(
            ItemIssue(
                loc,
                msg("catalog", "条件必须且只能写 equals、in、truthy 三者之一（现在写了 {count} 个）").bind(
                    count=len(given)
                ),
            )
        )
    if cond.field == self_key:
        add(ItemIssue((*loc, "field"), msg("catalog", "字段“{key}”的显示条件不能引用它自己").bind(key=cond.field)))
        return
    target = fields.get(cond.field)
    if target is None:
        add(
            ItemIssue(
                (*loc, "field"),
                msg("catalog", "条件引用的字段“{key}”不存在（须是在它之前声明的字段），可用：{known}").bind(
                    key=cond.field, known=_join(fields) or "（无）"
                ),
            )
        )
        return
    values: list[tuple[Loc, object]] = []
    if cond.equals is not None:
        values.append(((*loc, "equals"), cond.equals))
    for j, v in enumerate(cond.in_ or ()):
        values.append(((*loc, "in", j), v))
    for vloc, value in values:
        problem = _condition_value_problem(target, value)
        if problem is not None:
            add(ItemIssue(vloc, problem))


def _condition_value_problem(target: FieldDef, value: object) -> Message | None:
    if target.type in CHOICE_TYPES:
        choices = target.choice_values()
        if value not in choices:
            return msg(
                "catalog", "“{value}”不是字段“{key}”的选项，应为 {choices} 之一（YES/NO 之类的值要加引号）"
            ).bind(value=value, key=target.key, choices=_join(choices))
    elif target.type is FieldType.BOOL:
        if not isinstance(value, bool):
            return msg("catalog", "字段“{key}”是 bool 类型，条件值应为 true 或 false").bind(key=target.key)
    elif target.type in (FieldType.INT, FieldType.MONEY):
        if isinstance(value, bool) or not isinstance(value, int):
            return msg("catalog", "字段“{key}”是数值类型，条件值应为整数").bind(key=target.key)
    elif not isinstance(value, str):
        return msg("catalog", "字段“{key}”是文本类型，条件值应为文本（加引号）").bind(key=target.key)
    return None


def _check_materials(item: ServiceItem, roles: set[Role], add: _Add) -> None:
    item_fields = {f.key: f for f in item.fields}
    seen: set[str] = set()
    for i, m in enumerate(item.materials):
        loc: Loc = ("materials", i)
        if m.key in seen:
            add(ItemIssue((*loc, "key"), msg("catalog", "材料键名“{key}”重复").bind(key=m.key)))
        seen.add(m.key)
        available: dict[str, FieldDef] = dict(item_fields)
        applicant = item.party(Role.APPLICANT)
        if m.per_party is None and applicant is not None:
            # A material of the case may depend on the applicant's own fields (e.g. 婚姻状况).
            available.update({f.key: f for f in applicant.fields})
        if m.per_party is not None:
            party = item.party(m.per_party)
            if party is None:
                add(
                    ItemIssue(
                        (*loc, "per_party"),
                        msg("catalog", "材料所属角色“{role}”没有在 parties 中声明，已声明：{known}").bind(
                            role=m.per_party.value, known=_join(p.role.value for p in item.parties)
                        ),
                    )
                )
            else:
                available.update({f.key: f for f in party.fields})
        if isinstance(m.required, Condition):
            _check_condition(m.required, available, (*loc, "required"), add)
    if Role.AGENT in roles and not any(m.per_party is Role.AGENT for m in item.materials):
        add(
            ItemIssue(
                ("materials",),
                msg("catalog", "声明了代理人（agent）的事项须有代理人带来的材料（per_party: agent），至少是委托书"),
            )
        )


def _check_residence(item: ServiceItem, add: _Add) -> None:
    if item.residence_required is None:
        return
    party = item.party(item.residence_party)
    if party is None:
        add(
            ItemIssue(
                ("residence_party",),
                msg("catalog", "户籍核对对象“{role}”没有在 parties 中声明").bind(role=item.residence_party.value),
            )
        )
        return
    hukou = next((f for f in party.fields if f.key == HUKOU_FIELD), None)
    if hukou is None or hukou.type is not FieldType.BOOL or not hukou.required:
        add(
            ItemIssue(
                ("parties", item.parties.index(party), "fields"),
                msg(
                    "catalog",
                    "要求本市户籍的事项，{role}须有必填的 bool 字段“{key}”"
                    "（户籍是窗口录入并核验的事实，不从身份证号推断）",
                ).bind(role=party.role.value, key=HUKOU_FIELD),
            )
        )


def _check_rules(item: ServiceItem, add: _Add) -> None:
    seen: set[RuleName] = set()
    for i, name in enumerate(item.rules):
        loc: Loc = ("rules", i)
        if name in seen:
            add(ItemIssue(loc, msg("catalog", "规则“{rule}”重复").bind(rule=name.value)))
            continue
        seen.add(name)
        needs = RULE_NEEDS.get(name, RuleNeeds())
        for role in sorted(needs.roles):
            if item.party(role) is None:
                add(
                    ItemIssue(
                        loc, msg("catalog", "规则“{rule}”需要声明角色“{role}”").bind(rule=name.value, role=role.value)
                    )
                )
        for need in needs.fields:
            _check_field_need(item, name, need, loc, add)
        names = {a.name for a in item.amounts}
        for amount in sorted(needs.amounts - names):
            add(ItemIssue(loc, msg("catalog", "规则“{rule}”需要金额“{amount}”").bind(rule=name.value, amount=amount)))
        if needs.age_bands and not any(a.age_min is not None for a in item.amounts):
            add(
                ItemIssue(
                    loc, msg("catalog", "规则“{rule}”需要按年龄段的金额（age_min/age_max）").bind(rule=name.value)
                )
            )


def _check_field_need(item: ServiceItem, rule: RuleName, need: FieldNeed, loc: Loc, add: _Add) -> None:
    if need.role is None:
        found = item.field(need.key)
    else:
        party = item.party(need.role)
        found = next((f for f in party.fields if f.key == need.key), None) if party else None
    owner = "事项" if need.role is None else need.role.value
    if found is None or found.type is not need.type:
        add(
            ItemIssue(
                loc,
                msg("catalog", "规则“{rule}”需要{owner}字段“{key}”，类型 {type}").bind(
                    rule=rule.value, owner=owner, key=need.key, type=need.type.value
                ),
            )
        )
        return
    if need.values is not None:
        unknown = [v for v in found.choice_values() if v not in need.values]
        if unknown:
            add(
                ItemIssue(
                    loc,
                    msg("catalog", "规则“{rule}”不认识字段“{key}”的选项 {unknown}，可用的选项值：{known}").bind(
                        rule=rule.value, key=need.key, unknown=_join(unknown), known=_join(sorted(need.values))
                    ),
                )
            )


def _check_amounts(item: ServiceItem, add: _Add) -> None:
    last: dict[str, DatedAmount] = {}
    for i, a in enumerate(item.amounts):
        loc: Loc = ("amounts", i)
        prev = last.get(a.name)
        if prev is not None:
            if a.effective_from <= prev.effective_from:
                add(
                    ItemIssue(
                        (*loc, "effective_from"),
                        msg(
                            "catalog", "金额“{name}”的生效日期须按时间先后排列且不重复：{date} 不晚于上一条的 {prev}"
                        ).bind(name=a.name, date=a.effective_from, prev=prev.effective_from),
                    )
                )
            if a.unit != prev.unit:
                add(
                    ItemIssue(
                        (*loc, "unit"),
                        msg("catalog", "金额“{name}”的单位前后不一致：{unit} 与 {prev}").bind(
                            name=a.name, unit=a.unit, prev=prev.unit
                        ),
                    )
                )
        last[a.name] = a
        if a.age_min is not None and a.age_max is not None and a.age_min > a.age_max:
            add(
                ItemIssue(
                    (*loc, "age_min"),
                    msg("catalog", "age_min {min} 大于 age_max {max}").bind(min=a.age_min, max=a.age_max),
                )
            )
        if a.age_max is not None and a.age_min is None:
            add(ItemIssue((*loc, "age_min"), msg("catalog", "写了 age_max 就要写 age_min")))
