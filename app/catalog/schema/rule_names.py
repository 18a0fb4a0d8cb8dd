"""The named cross-field rules: their names, and what an item naming each must declare.

A catalog file names rules (``rules: [dibao_household]``); the name must be one of :class:`RuleName`, and the item
must declare what the rule reads (:data:`RULE_NEEDS`), so a rule never silently finds nothing to check.  Both are
part of the format, checked on the server too.  The code of each rule is a module of
:mod:`app.catalog.rules.eligibility`, registered in :mod:`app.catalog.rules.registration`.

Adding a rule: a member of :class:`RuleName` and its entry in :data:`RULE_NEEDS` here, its module in
``app/catalog/rules/eligibility/``, and one line in ``app/catalog/rules/registration.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from app.catalog.schema.vocabulary import HUKOU_FIELD, FieldType
from app.domain import PartyRole


class RuleName(StrEnum):
    """The named cross-field rules; each is implemented, with its source, in app.catalog.rules.eligibility."""

    DIBAO_HOUSEHOLD = "dibao_household"
    DISABILITY_LIVING_SUBSIDY_GROUP = "disability_living_subsidy_group"
    NURSING_SUBSIDY_GRADE = "nursing_subsidy_grade"
    SEVERE_DISABILITY_UNEMPLOYED = "severe_disability_unemployed"
    ELDERLY_ALLOWANCE = "elderly_allowance"
    CARE_NEEDS_ASSESSMENT = "care_needs_assessment"
    BASIC_FUNERAL_SUBSIDY = "basic_funeral_subsidy"
    MARRIAGE_PRECHECK = "marriage_precheck"
    TEKUN_WORK_INCAPACITY = "tekun_work_incapacity"


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
    role: PartyRole | None = None
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

    roles: frozenset[PartyRole] = frozenset()
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
TEKUN_WORK_INCAPACITY = frozenset({"aged_60", "under_16", "disability"})
MARITAL_STATUS = frozenset({"unmarried", "married", "divorced", "widowed"})
DIBAO_RELATION = frozenset({"spouse", "parent", "minor_child", "dependent_adult_child", "other_supporter"})

RULE_NEEDS: Mapping[RuleName, RuleNeeds] = {
    RuleName.DIBAO_HOUSEHOLD: RuleNeeds(
        roles=frozenset({PartyRole.APPLICANT, PartyRole.HOUSEHOLD_MEMBER, PartyRole.GUARDIAN}),
        fields=(
            FieldNeed("hukou_at_this_center", FieldType.BOOL),
            FieldNeed("marital_status", FieldType.CHOICE, role=PartyRole.APPLICANT, values=MARITAL_STATUS),
            FieldNeed("relation", FieldType.CHOICE, role=PartyRole.HOUSEHOLD_MEMBER, values=DIBAO_RELATION),
            FieldNeed("signer", FieldType.TEXT, role=PartyRole.APPLICANT),
            FieldNeed("signer", FieldType.TEXT, role=PartyRole.HOUSEHOLD_MEMBER),
        ),
    ),
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
            FieldNeed(HUKOU_FIELD, FieldType.BOOL, role=PartyRole.APPLICANT),
        ),
    ),
    RuleName.BASIC_FUNERAL_SUBSIDY: RuleNeeds(
        roles=frozenset({PartyRole.DECEASED}),
        fields=(
            FieldNeed("deceased_status", FieldType.CHOICE, values=FUNERAL_DECEASED_STATUS),
            FieldNeed("cremated_in_shanghai", FieldType.BOOL),
            FieldNeed("hukou_at_this_center", FieldType.BOOL),
        ),
        amounts=frozenset({"cap"}),
    ),
    RuleName.MARRIAGE_PRECHECK: RuleNeeds(
        roles=frozenset({PartyRole.APPLICANT, PartyRole.SPOUSE}),
        fields=(FieldNeed("business_type", FieldType.CHOICE, values=MARRIAGE_BUSINESS),),
    ),
    RuleName.TEKUN_WORK_INCAPACITY: RuleNeeds(
        roles=frozenset({PartyRole.APPLICANT, PartyRole.GUARDIAN}),
        fields=(
            FieldNeed("work_incapacity", FieldType.CHOICE, values=TEKUN_WORK_INCAPACITY),
            FieldNeed("disability_cert_no", FieldType.DISABILITY_CERT),
        ),
    ),
}
