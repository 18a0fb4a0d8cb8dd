"""The building blocks of an item: the model base, texts in two languages, and form fields.

A form field (:class:`FieldDef`) has a type, a label, constraints on its value (:class:`Constraints`, with the
choices of a ``choice`` field) and a ``when`` condition (:class:`Condition`, also the condition of a material's
``required``).  Which constraints fit which type, and what a condition may refer to, is checked in
:mod:`app.catalog.schema.checks`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

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
)

from app import limits
from app.catalog.schema.vocabulary import CHOICE_VALUE_PATTERN, KEY_PATTERN, FieldType

# Catalog texts reach documents and events: no control characters but tabs and line breaks (app/limits.py).
NonEmptyStr = Annotated[
    StrictStr,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=limits.TEXT_MAX, pattern=limits.TEXT_PATTERN),
]
Key = Annotated[StrictStr, StringConstraints(pattern=KEY_PATTERN)]
ChoiceValue = Annotated[StrictStr, StringConstraints(pattern=CHOICE_VALUE_PATTERN)]
#: A value a condition compares with: text (a choice value), an integer or a bool.
ScalarValue = StrictStr | StrictInt | StrictBool


class CatalogModel(BaseModel):
    """Base of every catalog model: unknown keys are errors, instances are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_by_alias=True, validate_by_name=True)


class LocalText(CatalogModel):
    """A text in Chinese (shown at the counter and printed) and English (the translation)."""

    zh: NonEmptyStr
    en: NonEmptyStr


class Choice(CatalogModel):
    """One option of a ``choice``/``multichoice`` field; ``value`` is what is stored."""

    value: ChoiceValue
    zh: NonEmptyStr
    en: NonEmptyStr


class Constraints(CatalogModel):
    """Limits on a field's value.  Which keys fit which type is checked by :func:`check_item`."""

    min: StrictInt | None = None
    max: StrictInt | None = None
    min_length: Annotated[StrictInt, Field(ge=0)] | None = None
    max_length: Annotated[StrictInt, Field(ge=1)] | None = None
    pattern: NonEmptyStr | None = None
    choices: Annotated[tuple[Choice, ...], Field(max_length=limits.CHOICES_MAX)] | None = None


class Condition(CatalogModel):
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


class FieldDef(CatalogModel):
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
