"""The named rule ``tekun_work_incapacity``: 特困人员救助供养, the ground of "no capacity to work".

Registered in :mod:`app.catalog.rules.registration`; what an item naming it must declare is
``RULE_NEEDS[RuleName.TEKUN_WORK_INCAPACITY]`` in :mod:`app.catalog.schema.rule_names`.
"""

from __future__ import annotations

from app.catalog.rules.case import Form, Problem
from app.catalog.rules.dates import age_on
from app.catalog.rules.eligibility.common import (
    INTELLECTUAL_OR_MENTAL,
    MULTIPLE,
    PHYSICAL,
    VISUAL,
    disability_of,
    disability_text,
    missing_birth,
    missing_disability,
    under_age,
)
from app.domain import PartyRole
from app.i18n import msg

#: 民发〔2021〕43号: 未满 16 周岁 and 60 周岁以上 count as no capacity to work.
CHILD_AGE, OLD_AGE = 16, 60
#: 周岁 from which the applicant signs the 核对授权书 themselves (as for 低保: a guardian signs for a minor).
ADULT_AGE = 18


def qualifying_disability(category: int, grade: int) -> bool:
    """民发〔2021〕43号: 智力、精神残疾一至三级; 肢体残疾一、二级; 视力残疾一级."""
    if category in INTELLECTUAL_OR_MENTAL:
        return 1 <= grade <= 3
    if category == PHYSICAL:
        return grade in (1, 2)
    if category == VISUAL:
        return grade == 1
    return False


def check(form: Form) -> list[Problem]:
    """特困人员救助供养: the ground of 无劳动能力 the clerk chose must hold for the applicant.

    Source: items §4 — 民发〔2021〕43号《特困人员认定办法》 (national; text via a third-party county page):
    "no capacity to work" means aged 60 or over; under 16; 智力 or 精神 disability of grades 1–3; 肢体 grades 1–2;
    视力 grade 1.  The ground is the field ``work_incapacity``:

    * ``aged_60``: under 60 周岁 on the application date is an error;
    * ``under_16``: 16 周岁 or over is an error;
    * ``disability``: the 残疾人证号 (category and grade, rules.md §2) must be one of the grades above; another
      category or grade is an error, except 多重 (category 7), whose grades are those of its parts: a warning to
      check the certificate.  The 办法 lets provinces add other cases; Shanghai's are NOT FOUND, so none is added.

    A birth date or disability that cannot be read is a warning (the clerk checks by hand).  As for 低保, an
    applicant under 18 周岁 does not sign the 核对授权书 and the written statement: without a ``guardian`` party
    that is an error.
    """
    found = form.first(PartyRole.APPLICANT)
    if found is None:
        return []
    index, party = found
    ground = form.values.get("work_incapacity")
    problems: list[Problem] = []
    what = msg("catalog", "特困人员无劳动能力")
    if ground in ("aged_60", "under_16") and party.birth_date is None:
        problems.append(missing_birth(index, party, what))
    elif ground == "aged_60":
        assert party.birth_date is not None
        under = under_age(
            index,
            party,
            OLD_AGE,
            form.ctx.on,
            msg("catalog", "选择了“年满 60 周岁”，但申请人未满 60 周岁，请核对无劳动能力的情形"),
            "error",
        )
        if under is not None:
            problems.append(under)
    elif ground == "under_16":
        assert party.birth_date is not None
        age = age_on(party.birth_date, form.ctx.on)
        if age >= CHILD_AGE:
            problems.append(
                Problem(
                    "work_incapacity",
                    msg(
                        "catalog", "选择了“未满 16 周岁”，但{name}已满 16 周岁（{age} 周岁），请核对无劳动能力的情形"
                    ).bind(name=party.name, age=age),
                    "error",
                    index,
                )
            )
    elif ground == "disability":
        problems += _disability(form, index)
    if (
        party.birth_date is not None
        and age_on(party.birth_date, form.ctx.on) < ADULT_AGE
        and not form.parties(PartyRole.GUARDIAN)
    ):
        problems.append(
            Problem(
                None,
                msg(
                    "catalog",
                    "{name}未满 18 周岁，不能本人签署书面声明和居民经济状况核对授权书：请添加监护人，由监护人签字",
                ).bind(name=party.name),
                "error",
                index,
            )
        )
    return problems


def _disability(form: Form, index: int) -> list[Problem]:
    party = form.ctx.parties[index]
    disability = disability_of(form, index, party)
    if disability is None:
        return [missing_disability(index, party, msg("catalog", "特困人员无劳动能力"))]
    category, grade = disability
    if qualifying_disability(category, grade):
        return []
    if category == MULTIPLE:
        return [
            Problem(
                "disability_cert_no",
                msg(
                    "catalog",
                    "{name}为{disability}残疾：请按残疾人证核对其中是否有智力、精神残疾一至三级，肢体残疾一、二级或视力残疾一级",
                ).bind(name=party.name, disability=disability_text(category, grade)),
                "warning",
                index,
            )
        ]
    return [
        Problem(
            "disability_cert_no",
            msg(
                "catalog",
                "{name}为{disability}残疾：无劳动能力的残疾限智力、精神残疾一至三级，肢体残疾一、二级和视力残疾一级"
                "（民发〔2021〕43号）",
            ).bind(name=party.name, disability=disability_text(category, grade)),
            "error",
            index,
        )
    ]
