"""The words of the catalog format: its version, key patterns and closed lists (categories, roles, field types …).

Plain constants and enums, no pydantic: what a catalog file may say, with the Chinese and English labels the counter
shows.  The rule names are in :mod:`app.catalog.schema.rule_names`, next to what each rule needs.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from app import limits
from app.domain import PartyRole

#: The format version this code reads (the ``schema:`` key of every file).
SCHEMA_VERSION = 1

#: ``code``: 2–4 capital letters (the department, e.g. MZ 民政, CL 残联, YB 医保, TY 退役军人事务), then 1–3
#: segments of 2–6 capitals or digits, e.g. ``MZ-SHJZ-001``.  Stable for the life of the item.
CODE_PATTERN = r"^[A-Z]{2,4}(-[A-Z0-9]{2,6}){1,3}$"
#: Keys of fields, materials, amounts: snake_case ASCII; a field key becomes the Qt objectName of its widget.
KEY_PATTERN = rf"^[a-z][a-z0-9_]{{0,{limits.KEY_MAX - 1}}}$"
#: Stored values of choices: language-neutral snake_case ASCII (the labels carry the languages).
CHOICE_VALUE_PATTERN = r"^[a-z0-9][a-z0-9_]{0,39}$"

#: The key of the party-level bool field that records "户籍在本市" when ``residence_required`` is set.
HUKOU_FIELD = "hukou_shanghai"
#: The phrase a placeholder time-limit source must contain (catalog-items.md: no Shanghai time limit was found).
PLACEHOLDER_MARK = "待确认"


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
    INQUIRY = "inquiry"  # 查询: answered on the spot with an answer slip (答复单); no 受理, no promised date


class FormLayout(StrEnum):
    """How the 申请表 is laid out.  ``standard`` is generated from the item's parties, fields and materials; an
    item whose official form needs a layout of its own names one (app/documents/forms.py draws each)."""

    STANDARD = "standard"
    SIDE_BY_SIDE = "side_by_side"  # two parties in two columns (婚姻登记: 当事人双方, as the official 声明书)


class Status(StrEnum):
    """事项准入/退出: a retired item cannot be chosen for new cases but stays loadable for old records."""

    ACTIVE = "active"
    RETIRED = "retired"


ROLE_ZH: Mapping[PartyRole, str] = {
    PartyRole.APPLICANT: "申请人",
    PartyRole.SPOUSE: "配偶",
    PartyRole.HOUSEHOLD_MEMBER: "家庭成员",
    PartyRole.AGENT: "代理人",
    PartyRole.GUARDIAN: "监护人",
    PartyRole.DECEASED: "逝者",
}
ROLE_EN: Mapping[PartyRole, str] = {
    PartyRole.APPLICANT: "Applicant",
    PartyRole.SPOUSE: "Spouse",
    PartyRole.HOUSEHOLD_MEMBER: "Household member",
    PartyRole.AGENT: "Agent",
    PartyRole.GUARDIAN: "Guardian",
    PartyRole.DECEASED: "Deceased",
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


class MaterialHandling(StrEnum):
    """What the counter does with a material that is there (what its present tick records; docs/catalog.md).

    Omitted in a file, it follows the form: 原件 → keep, 复印件 → keep, 原件和复印件 → copy, 电子材料 → keep.
    """

    KEEP = "keep"  # 收取: the paper stays in the file (a signed form, a 委托书, photos, copies)
    RETURN = "return"  # 原件核验（已退还）: an ID card or certificate is looked at and handed back
    COPY = "copy"  # 原件核验（已退还），复印件收取: the original goes back, the copies stay


class MaterialUnit(StrEnum):
    """How a material is counted on the receipt: 份 (documents), 张 (photos), 本 (booklets such as 户口簿)."""

    COPIES = "份"
    SHEETS = "张"
    BOOKLETS = "本"


class LegalNature(StrEnum):
    """What kind of government act an item is: it decides which law a notice may cite (issue: never cite the
    行政许可法 for a benefit).  ``行政许可`` alone cites 行政许可法 Art. 32; the others cite their own basis."""

    LICENSING = "行政许可"
    BENEFIT = "行政给付"
    CONFIRMATION = "行政确认"
    PUBLIC_SERVICE = "公共服务"
    OTHER = "其他行政权力"


class Residence(StrEnum):
    """A registered-residence (户籍) requirement.  Always an entered, checked fact (ARCHITECTURE.md invariant 5)."""

    SHANGHAI_HUKOU = "shanghai_hukou"
