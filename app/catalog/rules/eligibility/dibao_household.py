"""The named rule ``dibao_household``: 最低生活保障, the household as the 居民经济状况核对 needs it.

Registered in :mod:`app.catalog.rules.registration`; what an item naming it must declare is
``RULE_NEEDS[RuleName.DIBAO_HOUSEHOLD]`` in :mod:`app.catalog.schema.rule_names`.
"""

from __future__ import annotations

from app.catalog.rules.case import Form, Problem
from app.domain import PartyRole
from app.i18n import msg


def check(form: Form) -> list[Problem]:
    """最低生活保障: the household as the 居民经济状况核对 needs it.

    Source: items §1 — the application is by family (household members listed); every member authorises the
    居民经济状况核对 (the 授权书 is a per-member material, see the item file), and the check centre queries funds,
    property and tax, which needs each member's identity.  So a member without an ID number is a warning (e.g.
    a newborn without a card: the clerk checks the 户口簿), and a person listed twice is an error.  The
    applicant's Shanghai 户籍 is checked by ``residence_required``.
    """
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for role in (PartyRole.APPLICANT, PartyRole.HOUSEHOLD_MEMBER):
        for index, party in form.parties(role):
            if not party.id_number:
                if role is PartyRole.HOUSEHOLD_MEMBER:
                    problems.append(
                        Problem(
                            None,
                            msg(
                                "catalog",
                                "家庭成员{name}没有录入身份号码：居民经济状况核对需要每位家庭成员的身份信息和授权，请核对",
                            ).bind(name=party.name),
                            "warning",
                            index,
                        )
                    )
                continue
            if party.id_number in seen:
                problems.append(
                    Problem(
                        None,
                        msg("catalog", "{name}在家庭成员中重复列出（身份号码相同），请删除重复的一行").bind(
                            name=party.name
                        ),
                        "error",
                        index,
                    )
                )
            seen.setdefault(party.id_number, index)
    return problems
