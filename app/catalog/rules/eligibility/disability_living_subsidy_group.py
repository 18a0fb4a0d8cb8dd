"""The named rule ``disability_living_subsidy_group``: 困难残疾人生活补贴, who belongs to the groups it is paid to.

Registered in :mod:`app.catalog.rules.registration`; what an item naming it must declare is
``RULE_NEEDS[RuleName.DISABILITY_LIVING_SUBSIDY_GROUP]`` in :mod:`app.catalog.schema.rule_names`.
"""

from __future__ import annotations

from datetime import date

from app.catalog.rules.amounts import amount_on
from app.catalog.rules.case import Form, Problem
from app.catalog.rules.eligibility.common import (
    cert_in_shanghai,
    disability_of,
    disability_text,
    is_severe,
    missing_disability,
)
from app.catalog.schema import DatedAmount, ServiceItem
from app.domain import PartyRole
from app.i18n import msg


def check(form: Form) -> list[Problem]:
    """困难残疾人生活补贴: the applicant belongs to 重残无业, a 低保 family or a 低保边缘 family.

    Source: items §6 — "生活补贴 groups: 重残无业, 低保 families, 低保边缘 families (earlier called 低收入)" (2016
    launch report; amounts 沪民残福发〔2025〕5号).  The family status is a fact the clerk enters (field
    ``family_status``); "none" is an error.  A 重残无业 choice that contradicts the certificate's grade (items §8:
    grade 1–2 or 三级智力) is a warning: the back office holds the 重残无业 roster.
    """
    problems = cert_in_shanghai(form)
    status = form.values.get("family_status")
    if status == "none":
        problems.append(
            Problem(
                "family_status",
                msg("catalog", "困难残疾人生活补贴限重残无业人员、低保家庭和低保边缘家庭的残疾人"),
                "error",
            )
        )
    found = form.first(PartyRole.APPLICANT)
    if found is None:
        return problems
    index, party = found
    disability = disability_of(form, index, party)
    if disability is None:
        problems.append(missing_disability(index, party, msg("catalog", "困难残疾人生活补贴")))
    elif status == "zhongcan_wuye" and not is_severe(*disability):
        problems.append(
            Problem(
                "family_status",
                msg(
                    "catalog", "选择了“重残无业”，但{name}为{disability}残疾；重残指一级、二级或三级智力残疾，请核对"
                ).bind(name=party.name, disability=disability_text(*disability)),
                "warning",
                index,
            )
        )
    return problems


def living_subsidy_amount(item: ServiceItem, family_status: str, on: date) -> DatedAmount | None:
    """困难残疾人生活补贴: 重残无业/低保 → ``zhongcan_or_dibao``; 低保边缘 → ``dibao_edge`` (items §6)."""
    if family_status in ("zhongcan_wuye", "dibao"):
        return amount_on(item, "zhongcan_or_dibao", on)
    if family_status == "dibao_edge":
        return amount_on(item, "dibao_edge", on)
    return None
