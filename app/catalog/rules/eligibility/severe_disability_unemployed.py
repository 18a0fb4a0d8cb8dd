"""The named rule ``severe_disability_unemployed``: 重残无业人员生活补助.

Registered in :mod:`app.catalog.rules.registration`; what an item naming it must declare is
``RULE_NEEDS[RuleName.SEVERE_DISABILITY_UNEMPLOYED]`` in :mod:`app.catalog.schema.rule_names`.
"""

from __future__ import annotations

from app.catalog.rules.case import Form, Problem
from app.catalog.rules.eligibility.common import (
    disability_of,
    disability_text,
    is_severe,
    missing_birth,
    missing_disability,
    under_age,
)
from app.domain import PartyRole
from app.i18n import msg


def check(form: Form) -> list[Problem]:
    """重残无业人员生活补助: 16+ on the application date; grade 1–2 or 三级智力; cannot work or look after oneself.

    Source: items §8, https://mzj.sh.gov.cn/mz-zcjd/20210726/0dd647fc50ad41ae88a231f18ef78589.html (市民政局 2021):
    Shanghai 户籍 (``residence_required``), aged 16 or over, a 残疾人证 at grade 1 or 2 or 三级智力, unable to earn
    through work and to look after oneself; people whose pension is below the 补助 standard may also apply, those
    entitled to a pension must claim it.  A pension not below the standard is a warning (the source implies, but
    does not state, exclusion; the back office decides).
    """
    problems: list[Problem] = []
    what = msg("catalog", "重残无业人员生活补助")
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
    found = form.first(PartyRole.APPLICANT)
    if found is None:
        return problems
    index, party = found
    if party.birth_date is None:
        problems.append(missing_birth(index, party, what))
    else:
        under = under_age(
            index, party, 16, form.ctx.on, msg("catalog", "重残无业人员生活补助限年满 16 周岁的人员"), "error"
        )
        if under is not None:
            problems.append(under)
    disability = disability_of(form, index, party)
    if disability is None:
        problems.append(missing_disability(index, party, what))
    elif not is_severe(*disability):
        problems.append(
            Problem(
                None,
                msg("catalog", "{name}为{disability}残疾：重残无业人员生活补助限一级、二级残疾或三级智力残疾").bind(
                    name=party.name, disability=disability_text(*disability)
                ),
                "error",
                index,
            )
        )
    return problems
