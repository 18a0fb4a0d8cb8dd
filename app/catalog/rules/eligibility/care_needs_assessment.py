"""The named rule ``care_needs_assessment``: 老年照护统一需求评估, aged 60 or over and insured.

Registered in :mod:`app.catalog.rules.registration`; what an item naming it must declare is
``RULE_NEEDS[RuleName.CARE_NEEDS_ASSESSMENT]`` in :mod:`app.catalog.schema.rule_names`.
"""

from __future__ import annotations

from app.catalog.rules.case import Form, Problem
from app.catalog.rules.eligibility.common import missing_birth, under_age
from app.catalog.schema import HUKOU_FIELD
from app.domain import PartyRole
from app.i18n import msg


def check(form: Form) -> list[Problem]:
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
    found = form.first(PartyRole.APPLICANT)
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
        problems.append(missing_birth(index, party, msg("catalog", "老年照护统一需求评估")))
    else:
        under = under_age(
            index, party, 60, form.ctx.on, msg("catalog", "老年照护统一需求评估限年满 60 周岁的老人"), "error"
        )
        if under is not None:
            problems.append(under)
    return problems
