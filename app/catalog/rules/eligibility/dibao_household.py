"""The named rule ``dibao_household``: 最低生活保障, the household as the 居民经济状况核对 needs it.

Registered in :mod:`app.catalog.rules.registration`; what an item naming it must declare is
``RULE_NEEDS[RuleName.DIBAO_HOUSEHOLD]`` in :mod:`app.catalog.schema.rule_names`.
"""

from __future__ import annotations

from app.catalog.rules.case import Form, PartyFacts, Problem
from app.catalog.rules.dates import age_on
from app.domain import PartyRole
from app.i18n import Bilingual, msg

#: 周岁 from which a person signs the 居民经济状况核对授权书 themselves.
ADULT_AGE = 18
#: Marital statuses under which no spouse can be a household member.
_WITHOUT_SPOUSE = frozenset({"unmarried", "divorced", "widowed"})


def check(form: Form) -> list[Problem]:
    """最低生活保障: where it is accepted, and the household as the 居民经济状况核对 needs it.

    Source: items §1 (bendibao, third-party; the 2022 materials list, third-party).

    * Where: the 街道办事处/乡镇政府 of the 户籍地 accepts.  The clerk records whether the applicant's 户籍 is in
      this centre's area (``hukou_at_this_center``), as for 基本殡葬服务补贴; when it is not, it is a warning the
      clerk must confirm: whether 低保 is on the 全市通办 list is NOT FOUND (items, cross-cutting).
    * The family: spouse, parents and minor children, adult children unable to live independently, others with a
      legal duty of support living with them.  An applicant recorded as 未婚, 离婚 or 丧偶 with a 配偶 among the
      members is an error (one of the two is wrong), as is more than one 配偶; a married applicant without a 配偶
      listed is a warning (items §1: a spouse in prison, in compulsory drug rehabilitation or a religious worker
      living apart is not a family member).
    * The 核对授权书: every member authorises the check (a per-member material), which needs each member's
      identity, so a member without an ID number is a warning (e.g. a newborn: the clerk checks the 户口簿) and a
      person listed twice is an error.  A person under 18 周岁 does not sign it: their ``signer`` field names the
      guardian who signs, who must be listed in the case — the applicant, a household member, or a ``guardian``
      party added for a guardian outside the household (the same person cannot be entered twice, so a parent who
      applies is named, not added again).  A minor without a signer, a signer not in the case or under 18: error;
      a ``guardian`` party no minor names: warning.  (The Shanghai 授权书's own wording is NOT FOUND; signing for
      a minor is the system's practice, stated in the item's notes.)

    The applicant's Shanghai 户籍 itself is checked by ``residence_required``.
    """
    problems = _where(form)
    problems += _identities(form)
    problems += _marital_status(form)
    problems += _signatures(form)
    return problems


def _where(form: Form) -> list[Problem]:
    if form.values.get("hukou_at_this_center") is not False:
        return []
    return [
        Problem(
            "hukou_at_this_center",
            msg(
                "catalog",
                "低保由申请人户籍地的街道办事处（乡镇人民政府）受理；申请人户籍不在本中心辖区，是否可以按全市通办收件"
                "尚未确认，请核实后再受理，或请申请人到户籍地社区事务受理服务中心申请",
            ),
            "warning",
        )
    ]


def _identities(form: Form) -> list[Problem]:
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


def _marital_status(form: Form) -> list[Problem]:
    found = form.first(PartyRole.APPLICANT)
    if found is None:
        return []
    index, applicant = found
    status = form.party_values[index].get("marital_status")
    spouses = [
        (i, p) for i, p in form.parties(PartyRole.HOUSEHOLD_MEMBER) if form.party_values[i].get("relation") == "spouse"
    ]
    problems: list[Problem] = []
    if status in _WITHOUT_SPOUSE:
        label = _choice_label(form, "marital_status", str(status))
        problems.extend(
            Problem(
                "relation",
                msg(
                    "catalog",
                    "申请人{applicant}的婚姻状况为“{status}”，家庭成员中却列有配偶{spouse}：请核对申请人的婚姻状况"
                    "或该成员与申请人的关系",
                ).bind(applicant=applicant.name, status=label, spouse=spouse.name),
                "error",
                i,
            )
            for i, spouse in spouses
        )
    elif len({p.id_number or f"#{i}" for i, p in spouses}) > 1:  # a person listed twice is reported above
        problems.append(
            Problem(
                "relation",
                msg("catalog", "家庭成员中列有 {count} 名配偶：只能有一名配偶，请核对与申请人的关系").bind(
                    count=len(spouses)
                ),
                "error",
                spouses[1][0],
            )
        )
    elif status == "married" and not spouses:
        problems.append(
            Problem(
                "marital_status",
                msg(
                    "catalog",
                    "申请人{applicant}已婚，但家庭成员中没有配偶：配偶是共同生活的家庭成员（服刑、强制隔离戒毒等情形除外），"
                    "请补录配偶或核对婚姻状况",
                ).bind(applicant=applicant.name),
                "warning",
                index,
            )
        )
    return problems


def _signatures(form: Form) -> list[Problem]:
    """A person under 18 周岁 does not sign the 核对授权书: the adult named in their ``signer`` field signs."""
    on = form.ctx.on

    def is_minor(party: PartyFacts) -> bool:
        return party.birth_date is not None and age_on(party.birth_date, on) < ADULT_AGE

    signers: dict[str, PartyFacts] = {}
    for role in (PartyRole.APPLICANT, PartyRole.HOUSEHOLD_MEMBER, PartyRole.GUARDIAN):
        for _, party in form.parties(role):
            signers.setdefault(party.name.strip(), party)
    problems: list[Problem] = []
    named: set[str] = set()
    for role in (PartyRole.APPLICANT, PartyRole.HOUSEHOLD_MEMBER):
        for index, minor in form.parties(role):
            if not is_minor(minor):
                continue
            assert minor.birth_date is not None
            given = form.party_values[index].get("signer")
            signer_name = given.strip() if isinstance(given, str) else ""
            signer = signers.get(signer_name) if signer_name else None
            named.add(signer_name)
            if not signer_name:
                message = msg(
                    "catalog",
                    "{name}未满 18 周岁（{age} 周岁），不能本人签署居民经济状况核对授权书："
                    "请在“代签监护人”一栏填写代签的监护人姓名；监护人不是申请人或家庭成员的，请添加为监护人",
                ).bind(name=minor.name, age=age_on(minor.birth_date, on))
            elif signer is None:
                message = msg(
                    "catalog",
                    "{name}的代签监护人“{signer}”不在本次申请中：请把该监护人添加为监护人，或核对填写的姓名",
                ).bind(name=minor.name, signer=signer_name)
            elif signer is minor or is_minor(signer):
                message = msg(
                    "catalog", "{name}的代签监护人{signer}未满 18 周岁，不能代签核对授权书：请由成年的监护人签字"
                ).bind(name=minor.name, signer=signer.name)
            else:
                continue
            problems.append(Problem("signer", message, "error", index))
    for index, guardian in form.parties(PartyRole.GUARDIAN):
        if guardian.name.strip() not in named:
            problems.append(
                Problem(
                    None,
                    msg(
                        "catalog",
                        "监护人{name}没有被填为任何未成年人的代签监护人：请在未成年人的“代签监护人”一栏填写，或删除此监护人",
                    ).bind(name=guardian.name),
                    "warning",
                    index,
                )
            )
    return problems


def _choice_label(form: Form, key: str, value: str) -> Bilingual | str:
    """The label of a choice of the applicant's field ``key`` in both languages (the value when not found)."""
    spec = form.ctx.item.party(PartyRole.APPLICANT)
    field = next((f for f in (spec.fields if spec else ()) if f.key == key), None)
    for choice in (field.constraints.choices or ()) if field else ():
        if choice.value == value:
            return choice
    return value
