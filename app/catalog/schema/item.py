"""A service item (事项), one catalog file: its parties, materials, dated amounts and sources, and the item itself.

Validating a :class:`ServiceItem` runs the cross-field checks of :mod:`app.catalog.schema.checks` too, unless the
validation context says ``{"cross_checks": False}`` (the loader runs them itself to report every issue with its
line).  :func:`canonical_json` is the form a catalog version is stored, published and hashed in.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import Annotated, Literal, Self

from pydantic import Field, StrictBool, StrictInt, StrictStr, StringConstraints, ValidationInfo, model_validator

from app import limits
from app.catalog.schema.checks import Loc, check_item
from app.catalog.schema.fields import CatalogModel, Condition, FieldDef, Key, LocalText, NonEmptyStr, RequiredSpec
from app.catalog.schema.rule_names import RuleName
from app.catalog.schema.vocabulary import (
    CODE_PATTERN,
    ROLE_ZH,
    Category,
    Department,
    FormLayout,
    Kind,
    LegalNature,
    MaterialForm,
    MaterialHandling,
    MaterialUnit,
    Residence,
    Status,
)
from app.domain import PartyRole

#: The roles that may sign on the counter's pad (catalog ``signatures``).
Signer = Literal[PartyRole.APPLICANT, PartyRole.SPOUSE, PartyRole.AGENT, PartyRole.GUARDIAN]


class PartySpec(CatalogModel):
    """A role the item takes, how many such parties, and the role's own fields (shown as a table for several)."""

    role: PartyRole
    min: Annotated[StrictInt, Field(ge=0, le=limits.PARTY_PER_ROLE_MAX)] = 0
    max: Annotated[StrictInt, Field(ge=1, le=limits.PARTY_PER_ROLE_MAX)] | None = None
    label: LocalText | None = None
    fields: Annotated[tuple[FieldDef, ...], Field(max_length=limits.FIELDS_MAX)] = ()

    def display_zh(self) -> str:
        """Return the Chinese name of the role in this item (e.g. 丧事承办人 instead of 申请人)."""
        return self.label.zh if self.label else ROLE_ZH[self.role]


class Material(CatalogModel):
    """A material the applicant brings.  The 补正 notice cites its name and its standard (documents.md §2)."""

    key: Key
    name: LocalText
    form: MaterialForm
    count: Annotated[StrictInt, Field(ge=1, le=limits.MATERIAL_COUNT_MAX)] = 1
    standard: LocalText
    required: RequiredSpec = True
    per_party: PartyRole | None = None
    note: LocalText | None = None
    #: 份, 张 (photos) or 本 (booklets): how the receipt counts it.
    unit: MaterialUnit = MaterialUnit.COPIES
    #: What the present tick records (None: follows ``form``; see :meth:`handled`).
    handling: MaterialHandling | None = None
    #: May be checked in the electronic licence library (电子证照核验) instead of on paper.
    e_license: StrictBool = False

    def handled(self) -> MaterialHandling:
        """What the counter does with it when it is there: the file's ``handling``, else what the form implies."""
        if self.handling is not None:
            return self.handling
        if self.form is MaterialForm.ORIGINAL_AND_COPY:
            return MaterialHandling.COPY
        return MaterialHandling.KEEP


class DatedAmount(CatalogModel):
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


class Citation(CatalogModel):
    """A source: a title and a URL and/or a document number (文号); ``third_party`` marks reposts."""

    title: NonEmptyStr
    url: Annotated[StrictStr, StringConstraints(pattern=r"^https?://\S+$")] | None = None
    doc_no: NonEmptyStr | None = None
    third_party: StrictBool = False
    note: NonEmptyStr | None = None


class LegalBasis(CatalogModel):
    """The rule a decision on the item rests on (政策依据), as a notice cites it.

    ``article`` only where the article's text was found; ``verified`` false means the citation comes from a
    third-party repost and was not checked against an official text (docs/legal-basis.md).  A notice without a
    citable basis says "根据有关规定", never a wrong law.
    """

    title: NonEmptyStr  # 《…》 without the brackets: 社会救助暂行办法
    doc_no: NonEmptyStr | None = None  # 国务院令第649号
    article: NonEmptyStr | None = None  # 第十一条
    url: Annotated[StrictStr, StringConstraints(pattern=r"^https?://\S+$")] | None = None
    verified: StrictBool = False
    note: NonEmptyStr | None = None


class AcceptWithMaterialsOwed(CatalogModel):
    """容缺受理 or 先行救助 allowed for an item: which materials may still be missing, by when, and the recorded
    basis that allows it (off unless an item declares it).

    ``days`` is the working days the applicant has to bring the materials (容缺受理's 承诺书 deadline); for 先行救助
    it is how long the papers may follow.  ``when`` limits it to a case (先行救助: 急难型 only).
    """

    materials: Annotated[tuple[Key, ...], Field(min_length=1, max_length=limits.CATALOG_MATERIALS_MAX)]
    days: Annotated[StrictInt, Field(ge=1, le=365)]
    basis: LegalBasis
    when: Condition | None = None


class ItemName(LocalText):
    """An item's name: the Chinese one travels with every application and is shown by the server (the citizen's
    progress page, the back office), so it fits the server's column (app/limits.py)."""

    zh: Annotated[StrictStr, StringConstraints(strip_whitespace=True, min_length=1, max_length=limits.ITEM_NAME_MAX)]


# ---------------------------------------------------------------------------------------------------- the item


class ServiceItem(CatalogModel):
    """A service item (事项), one catalog file.

    ``version`` is bumped on every change (事项变更); the SHA-256 of :func:`canonical_json` identifies the exact
    definition a record was taken under.
    """

    schema_version: Literal[1] = Field(alias="schema")
    code: Annotated[StrictStr, StringConstraints(pattern=CODE_PATTERN, max_length=limits.ITEM_CODE_MAX)]
    version: Annotated[StrictInt, Field(ge=1, le=limits.INT32_MAX)]
    status: Status
    effective_from: date
    #: Where ``effective_from`` comes from; ``effective_from_placeholder: true`` marks a date without a public
    #: source (the source then says "待确认"), as ``time_limit_placeholder`` does for time limits.
    effective_from_source: NonEmptyStr | None = None
    effective_from_placeholder: StrictBool = False
    retired_from: date | None = None
    name: ItemName
    short_name: LocalText | None = None
    category: Category
    department: Department
    co_departments: tuple[Department, ...] = ()
    kind: Kind
    #: 全市通办; ``null`` where no public list says (catalog-items.md: "Which items are on the list: NOT FOUND").
    citywide: StrictBool | None
    residence_required: Residence | None = None
    residence_party: PartyRole = PartyRole.APPLICANT
    promised_days: Annotated[StrictInt, Field(ge=0, le=365)] | None = None
    legal_days: Annotated[StrictInt, Field(ge=0, le=365)] | None = None
    time_limit_source: NonEmptyStr | None = None
    time_limit_placeholder: StrictBool = False
    parties: Annotated[tuple[PartySpec, ...], Field(min_length=1)]
    fields: Annotated[tuple[FieldDef, ...], Field(max_length=limits.FIELDS_MAX)] = ()
    materials: Annotated[tuple[Material, ...], Field(max_length=limits.CATALOG_MATERIALS_MAX)] = ()
    rules: tuple[RuleName, ...] = ()
    amounts: tuple[DatedAmount, ...] = ()
    sources: Annotated[tuple[Citation, ...], Field(min_length=1)]
    notes: NonEmptyStr | None = None
    form_layout: FormLayout = FormLayout.STANDARD
    #: 行政许可 / 行政给付 / …: only a 行政许可 may cite 行政许可法 on its notices (None: not recorded).
    nature: LegalNature | None = None
    #: What the item's decisions rest on (政策依据), first the one notices cite; empty: "根据有关规定".
    legal_basis: tuple[LegalBasis, ...] = ()
    #: 复议机关 and court for this item's refusals; None: the 承办部门's or the deployment's (docs/legal-basis.md).
    review_body: NonEmptyStr | None = None
    court: NonEmptyStr | None = None
    #: 容缺受理 (local practice; basis: the local document that allows it) and 先行救助 (社会救助暂行办法's
    #: emergency procedure): both off unless declared.
    tolerated: AcceptWithMaterialsOwed | None = None
    first_aid: AcceptWithMaterialsOwed | None = None
    #: Who signs on the counter's signature pad before the decision (app/signatures.py), among the parties the case
    #: has: the applicant by default; spouse, agent or guardian where the item takes them.  Empty: nobody signs on
    #: screen (the paper's 签收 line is signed with a pen).
    signatures: Annotated[tuple[Signer, ...], Field(max_length=4)] = (PartyRole.APPLICANT,)
    #: Whether a 更正 asks for the signatures again: the record shows that the ones on file predate it either way.
    resign_after_correction: StrictBool = False
    #: Whether the ID card's chip photo is kept with the case, as a file of the party's ID-card line
    #: (``<role>_id_card``): only where the item's rules need the photo (docs/privacy.md "The card's photo").  No item
    #: of the shipped catalog sets it: none of their sources asks for the chip's photo.
    keep_id_photo: StrictBool = False

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

    def party(self, role: PartyRole | str) -> PartySpec | None:
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


def _loc_text(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out or "(根)"
