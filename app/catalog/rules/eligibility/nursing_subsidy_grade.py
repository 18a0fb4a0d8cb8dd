"""The named rule ``nursing_subsidy_grade``: 重度残疾人护理补贴, by category and grade.

Registered in :mod:`app.catalog.rules.registration`; what an item naming it must declare is
``RULE_NEEDS[RuleName.NURSING_SUBSIDY_GRADE]`` in :mod:`app.catalog.schema.rule_names`.
"""

from __future__ import annotations

from datetime import date

from app.catalog.rules.amounts import amount_on
from app.catalog.rules.case import Form, Problem
from app.catalog.rules.eligibility.common import (
    INTELLECTUAL_OR_MENTAL,
    cert_in_shanghai,
    disability_of,
    disability_text,
    missing_disability,
)
from app.catalog.schema import DatedAmount, ServiceItem
from app.domain import PartyRole
from app.i18n import msg


def check(form: Form) -> list[Problem]:
    """重度残疾人护理补贴: grade 1 or 2, or grade 3 with category 智力 or 精神.

    Source: items §6–7 — 护理补贴 groups "grade 1, grade 2, 三级智力 and 三级精神" (2016 launch report, forum
    repost zqax.net); the same groups carry the 2025 amounts of 沪民残福发〔2025〕5号 (secondary source).  Holding a
    Shanghai-issued second-generation 残疾人证 is part of the same 2016 description.
    """
    problems = cert_in_shanghai(form)
    found = form.first(PartyRole.APPLICANT)
    if found is None:
        return problems
    index, party = found
    disability = disability_of(form, index, party)
    if disability is None:
        return [*problems, missing_disability(index, party, msg("catalog", "重度残疾人护理补贴"))]
    category, grade = disability
    if grade in (1, 2) or (grade == 3 and category in INTELLECTUAL_OR_MENTAL):
        return problems
    problems.append(
        Problem(
            None,
            msg("catalog", "{name}为{disability}残疾：重度残疾人护理补贴限一级、二级残疾和三级智力、三级精神残疾").bind(
                name=party.name, disability=disability_text(category, grade)
            ),
            "error",
            index,
        )
    )
    return problems


def nursing_subsidy_amount(item: ServiceItem, category: int, grade: int, on: date) -> DatedAmount | None:
    """重度残疾人护理补贴: grade 1 → series ``grade_1``; grade 2 or 三级智力/精神 → ``grade_2_or_3`` (items §7)."""
    if grade == 1:
        return amount_on(item, "grade_1", on)
    if grade == 2 or (grade == 3 and category in INTELLECTUAL_OR_MENTAL):
        return amount_on(item, "grade_2_or_3", on)
    return None
