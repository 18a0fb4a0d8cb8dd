"""The named rule ``marriage_precheck``: the marriage pre-check — the item's scope (内地居民 with a 居民身份证),
a man and a woman, both of legal marriage age.

Registered in :mod:`app.catalog.rules.registration`; what an item naming it must declare is
``RULE_NEEDS[RuleName.MARRIAGE_PRECHECK]`` in :mod:`app.catalog.schema.rule_names`.
"""

from __future__ import annotations

from datetime import date
from types import MappingProxyType

from app.catalog.rules.case import Form, PartyFacts, Problem
from app.catalog.rules.dates import format_date
from app.catalog.rules.eligibility.common import missing_birth, under_age
from app.domain import PartyRole
from app.i18n import msg
from app.idnumber import IdKind, Sex, check_id

#: 民法典 Art. 1047: 结婚年龄，男不得早于二十二周岁，女不得早于二十周岁 (rules.md §5).
MARRIAGE_AGE = MappingProxyType({"M": 22, "F": 20})


def check(form: Form) -> list[Problem]:
    """Marriage pre-check: 内地居民 only; for a marriage, a man and a woman, both of legal marriage age.

    Source: rules.md §5 and items §15.

    * Scope: the item pre-checks the materials of 内地居民, who register with a 居民身份证 and a signed
      declaration (婚姻登记条例, 国务院令第804号, in force 2025-05-10).  A party without a 居民身份证 number, or
      whose number is a 港澳台居民居住证 or a 外国人永久居留身份证 (rules.md §1: the same algorithm, other
      documents), is an error saying the materials differ and to ask the marriage registration office: the
      materials for 港澳台 residents, 华侨 and foreigners were not researched, so the item does not pre-check them.
      Both businesses (marriage and divorce).
    * A man and a woman: 民法典 Art. 1049 (要求结婚的男女双方应当亲自到婚姻登记机关申请结婚登记).  Two parties
      of the same sex by their ID numbers is an error; an unknown sex is a warning (the clerk checks by hand).
    * Age: 民法典 Art. 1047 (man ≥ 22, woman ≥ 20); registration is refused if a party is under age (婚姻登记条例).
      The age is taken on ``appointment_date`` when the clerk books one, else on the pre-check date.  The
      appointment may be today (the age is then taken today), never before today.

    Divorce (``business_type: divorce``) has no sex or age check.
    """
    problems = _scope(form)
    if form.values.get("business_type") != "marriage":
        return problems
    day = form.values.get("appointment_date")
    on = day if isinstance(day, date) else form.ctx.on
    if isinstance(day, date) and day < form.ctx.on:
        problems.append(
            Problem(
                "appointment_date",
                msg("catalog", "预约登记日期不能早于今天（{today}）").bind(today=format_date(form.ctx.on)),
                "error",
            )
        )
    parties = form.parties(PartyRole.APPLICANT) + form.parties(PartyRole.SPOUSE)
    problems += _man_and_woman(parties)
    for index, party in parties:
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


def _scope(form: Form) -> list[Problem]:
    """内地居民 only: each party's number must be a 居民身份证's."""
    problems: list[Problem] = []
    for role in (PartyRole.APPLICANT, PartyRole.SPOUSE):
        for index, party in form.parties(role):
            if not party.id_number:
                problems.append(
                    Problem(
                        None,
                        msg(
                            "catalog",
                            "{name}没有录入居民身份证号码：本事项只为持居民身份证的内地居民预审，请录入居民身份证号码；"
                            "持其他证件的当事人所需材料不同，请告知其向婚姻登记机关咨询",
                        ).bind(name=party.name),
                        "error",
                        index,
                    )
                )
                continue
            kind = check_id(party.id_number, today=form.ctx.on).kind
            if kind is not None and kind is not IdKind.RESIDENT:
                problems.append(
                    Problem(
                        None,
                        msg(
                            "catalog",
                            "{name}持{kind}：本事项只为持居民身份证的内地居民预审。港澳台居民、华侨和外国人办理婚姻登记"
                            "所需材料不同，本窗口不预审，请告知当事人向婚姻登记机关咨询材料和办理地点",
                        ).bind(name=party.name, kind=kind.label),
                        "error",
                        index,
                    )
                )
    return problems


def _man_and_woman(parties: list[tuple[int, PartyFacts]]) -> list[Problem]:
    """民法典 Art. 1049: 男女双方.  Two parties whose ID numbers give the same sex cannot register a marriage."""
    sexes = [party.sex for _, party in parties]
    if len(parties) != 2 or None in sexes or sexes[0] != sexes[1]:
        return []
    (_, first), (index, second) = parties
    return [
        Problem(
            None,
            msg(
                "catalog",
                "结婚登记须由男女双方申请（民法典第一千零四十九条），{first}和{second}的身份号码显示性别均为{sex}："
                "请核对身份号码，不能预约结婚登记",
            ).bind(first=first.name, second=second.name, sex=Sex(str(sexes[0])).label),
            "error",
            index,
        )
    ]
