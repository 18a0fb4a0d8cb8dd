"""The named rule ``marriage_precheck``: the marriage pre-check, both parties of legal marriage age.

Registered in :mod:`app.catalog.rules.registration`; what an item naming it must declare is
``RULE_NEEDS[RuleName.MARRIAGE_PRECHECK]`` in :mod:`app.catalog.schema.rule_names`.
"""

from __future__ import annotations

from datetime import date
from types import MappingProxyType

from app.catalog.rules.case import Form, Problem
from app.catalog.rules.dates import format_date
from app.catalog.rules.eligibility.common import missing_birth, under_age
from app.domain import PartyRole
from app.i18n import msg

#: 民法典 Art. 1047: 结婚年龄，男不得早于二十二周岁，女不得早于二十周岁 (rules.md §5).
MARRIAGE_AGE = MappingProxyType({"M": 22, "F": 20})


def check(form: Form) -> list[Problem]:
    """Marriage pre-check: both parties of legal marriage age on the appointment (or pre-check) date.

    Source: rules.md §5 — 民法典 Art. 1047 (man ≥ 22, woman ≥ 20); 婚姻登记条例 (国务院令第804号, in force
    2025-05-10): registration is refused if a party is under age.  Divorce (``business_type: divorce``) has no age
    check.  The age is taken on ``appointment_date`` when the clerk books one, else on the pre-check date.  The
    parties' sex comes from the ID number; when unknown the clerk checks by hand (warning).
    """
    if form.values.get("business_type") != "marriage":
        return []
    day = form.values.get("appointment_date")
    on = day if isinstance(day, date) else form.ctx.on
    problems: list[Problem] = []
    if isinstance(day, date) and day < form.ctx.on:
        problems.append(
            Problem(
                "appointment_date",
                msg("catalog", "预约登记日期不能早于今天（{today}）").bind(today=format_date(form.ctx.on)),
                "error",
            )
        )
    for role in (PartyRole.APPLICANT, PartyRole.SPOUSE):
        for index, party in form.parties(role):
            years = MARRIAGE_AGE.get(party.sex or "")
            if years is None:
                problems.append(
                    Problem(
                        None,
                        msg("catalog", "未能确定{name}的性别，请人工核对法定婚龄（男二十二周岁、女二十周岁）").bind(
                            name=party.name
                        ),
                        "warning",
                        index,
                    )
                )
                continue
            if party.birth_date is None:
                problems.append(missing_birth(index, party, msg("catalog", "结婚登记")))
                continue
            reason = (
                msg("catalog", "民法典第一千零四十七条规定男不得早于二十二周岁结婚")
                if party.sex == "M"
                else msg("catalog", "民法典第一千零四十七条规定女不得早于二十周岁结婚")
            )
            under = under_age(index, party, years, on, reason, "error")
            if under is not None:
                problems.append(under)
    return problems
