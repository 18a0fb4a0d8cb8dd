"""The service-item (事项) schema: pydantic v2 models of one catalog file, and its cross-field checks.

One YAML file describes one item; ``docs/catalog.md`` and ``resources/catalog/README.md`` describe the format for
the people who write the files.  This package is the contract shared by the counter and the server (which imports
it alone, see the import-linter contracts in ``pyproject.toml``): it imports nothing of ours except
:mod:`app.i18n`, and does no I/O.

Modules:
    vocabulary: the format version, key patterns and closed lists (categories, roles, field types …).
    fields: the model base, texts in two languages, form fields with their constraints and conditions.
    item: parties, materials, dated amounts, sources, :class:`ServiceItem` and :func:`canonical_json`.
    rule_names: the named rules (:class:`RuleName`) and what an item naming each must declare (:data:`RULE_NEEDS`).
    checks: :func:`check_item`, the cross-field checks.

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

Every public name is importable from ``app.catalog.schema`` itself.
"""

from app.catalog.schema.checks import ItemIssue, Loc, check_item
from app.catalog.schema.fields import (
    UNION_TAGS,
    Choice,
    ChoiceValue,
    Condition,
    Constraints,
    FieldDef,
    Key,
    LocalText,
    NonEmptyStr,
    RequiredSpec,
    ScalarValue,
)
from app.catalog.schema.item import (
    AcceptWithMaterialsOwed,
    Citation,
    DatedAmount,
    ItemName,
    LegalBasis,
    Material,
    PartySpec,
    ServiceItem,
    canonical_json,
)
from app.catalog.schema.rule_names import (
    CARE_INSURANCE_STATUS,
    DISABILITY_FAMILY_STATUS,
    ELDERLY_REQUEST_TYPES,
    FUNERAL_DECEASED_STATUS,
    MARRIAGE_BUSINESS,
    PENSION_STATUS,
    RULE_NEEDS,
    FieldNeed,
    RuleName,
    RuleNeeds,
)
from app.catalog.schema.vocabulary import (
    CATEGORY_EN,
    CATEGORY_ORDER,
    CHOICE_TYPES,
    CHOICE_VALUE_PATTERN,
    CODE_PATTERN,
    HUKOU_FIELD,
    KEY_PATTERN,
    MATERIAL_FORM_ZH,
    PLACEHOLDER_MARK,
    RANGE_TYPES,
    ROLE_EN,
    ROLE_ZH,
    SCHEMA_VERSION,
    TEXT_TYPES,
    Category,
    Department,
    FieldType,
    FormLayout,
    Kind,
    LegalNature,
    MaterialForm,
    MaterialHandling,
    MaterialUnit,
    Residence,
    Status,
)

__all__ = [
    "AcceptWithMaterialsOwed",
    "LegalBasis",
    "LegalNature",
    "MaterialHandling",
    "MaterialUnit",
    "CARE_INSURANCE_STATUS",
    "CATEGORY_EN",
    "CATEGORY_ORDER",
    "CHOICE_TYPES",
    "CHOICE_VALUE_PATTERN",
    "CODE_PATTERN",
    "DISABILITY_FAMILY_STATUS",
    "ELDERLY_REQUEST_TYPES",
    "FUNERAL_DECEASED_STATUS",
    "HUKOU_FIELD",
    "KEY_PATTERN",
    "MARRIAGE_BUSINESS",
    "MATERIAL_FORM_ZH",
    "PENSION_STATUS",
    "PLACEHOLDER_MARK",
    "RANGE_TYPES",
    "ROLE_EN",
    "ROLE_ZH",
    "RULE_NEEDS",
    "SCHEMA_VERSION",
    "TEXT_TYPES",
    "UNION_TAGS",
    "Category",
    "Choice",
    "ChoiceValue",
    "Citation",
    "Condition",
    "Constraints",
    "DatedAmount",
    "Department",
    "FieldDef",
    "FieldNeed",
    "FieldType",
    "FormLayout",
    "ItemIssue",
    "ItemName",
    "Key",
    "Kind",
    "LocalText",
    "Loc",
    "Material",
    "MaterialForm",
    "NonEmptyStr",
    "PartySpec",
    "RequiredSpec",
    "Residence",
    "RuleName",
    "RuleNeeds",
    "ScalarValue",
    "ServiceItem",
    "Status",
    "canonical_json",
    "check_item",
]
