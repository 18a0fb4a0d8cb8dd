"""The named rules, registered: each :class:`~app.catalog.schema.RuleName` and the code that checks it.

Adding a rule: its name and what it reads in :mod:`app.catalog.schema.rule_names` (the catalog format names it),
its module in :mod:`app.catalog.rules.eligibility` (a ``check`` function whose docstring cites the source), and
one line in :data:`RULES` below.  A name without code stops the import, so it cannot ship.
"""

from __future__ import annotations

from collections.abc import Mapping

from app.catalog.rules.case import RuleCheck
from app.catalog.rules.eligibility import (
    basic_funeral_subsidy,
    care_needs_assessment,
    dibao_household,
    disability_living_subsidy_group,
    elderly_allowance,
    marriage_precheck,
    nursing_subsidy_grade,
    severe_disability_unemployed,
    tekun_work_incapacity,
)
from app.catalog.schema import RuleName

RULES: Mapping[RuleName, RuleCheck] = {
    RuleName.DIBAO_HOUSEHOLD: dibao_household.check,
    RuleName.DISABILITY_LIVING_SUBSIDY_GROUP: disability_living_subsidy_group.check,
    RuleName.NURSING_SUBSIDY_GRADE: nursing_subsidy_grade.check,
    RuleName.SEVERE_DISABILITY_UNEMPLOYED: severe_disability_unemployed.check,
    RuleName.ELDERLY_ALLOWANCE: elderly_allowance.check,
    RuleName.CARE_NEEDS_ASSESSMENT: care_needs_assessment.check,
    RuleName.BASIC_FUNERAL_SUBSIDY: basic_funeral_subsidy.check,
    RuleName.MARRIAGE_PRECHECK: marriage_precheck.check,
    RuleName.TEKUN_WORK_INCAPACITY: tekun_work_incapacity.check,
}

if set(RULES) != set(RuleName):  # pragma: no cover - a programming error caught at import
    raise RuntimeError(f"rules without code: {sorted(set(RuleName) - set(RULES))}")


def rule_doc(name: RuleName) -> str:
    """The documentation (with sources) of a named rule, for ``yimen catalog rules`` and the design note."""
    return (RULES[name].__doc__ or "").strip()
