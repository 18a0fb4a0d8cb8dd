"""The 低保 household rule (where it is accepted, marital status, who signs the 核对授权书), the marriage
pre-check's parties and scope, and the 特困 incapacity rule: with the shipped items, at their boundaries."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date

import pytest

from app.catalog.rules import PartyFacts, Problem, RuleContext, required_materials, validate_form
from app.catalog.schema import ServiceItem

ON = date(2026, 11, 23)
_W = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def make_id(born: date, sex: str = "M", region: str = "310104", seq: int = 1) -> str:
    """A valid 18-character number (GB 11643-1999, rules.md §1); the sequence's last digit gives the sex."""
    order = seq * 2 + (1 if sex == "M" else 0)
    body = f"{region}{born:%Y%m%d}{order:03d}"
    return body + "10X98765432"[sum(int(a) * w for a, w in zip(body, _W, strict=True)) % 11]


def party(role: str, name: str, born: date | None = None, sex: str | None = None, **values: object) -> PartyFacts:
    id_number = make_id(born, sex or "M", seq=len(name)) if born is not None else None
    return PartyFacts(role, name, values.pop("id_number", id_number), born, sex, None, None, values)  # type: ignore[arg-type]


def check(
    item: ServiceItem, values: Mapping[str, object], parties: Sequence[PartyFacts], on: date = ON
) -> list[Problem]:
    return validate_form(RuleContext(item, values, parties, on))


def errors(problems: list[Problem]) -> list[str]:
    return [p.message.render() for p in problems if p.severity == "error"]


def warnings(problems: list[Problem]) -> list[str]:
    return [p.message.render() for p in problems if p.severity == "warning"]


# ---------------------------------------------------------------------------------------------------- 低保

DIBAO = {"reason": "失业", "assets_summary": "无", "hukou_at_this_center": True}


def applicant(marital_status: str = "married", born: date = date(1985, 6, 15), **values: object) -> PartyFacts:
    base: dict[str, object] = {
        "hukou_shanghai": True,
        "hukou_address": "上海市徐汇区某路 1 号",
        "marital_status": marital_status,
        "monthly_income": "0",
    }
    base.update(values)
    return party("applicant", "张三", born, "M", **base)


def member(name: str, relation: str, born: date | None, sex: str = "F", **values: object) -> PartyFacts:
    return party("household_member", name, born, sex, relation=relation, monthly_income="0", **values)


def guardian(name: str, born: date = date(1980, 1, 1)) -> PartyFacts:
    return party("guardian", name, born, "F")


def test_dibao_at_the_hukou_center_passes(items: dict[str, ServiceItem]) -> None:
    parties = [applicant(), member("李四", "spouse", date(1986, 1, 1))]
    assert check(items["MZ-SHJZ-001"], DIBAO, parties) == []


def test_dibao_hukou_elsewhere_is_a_warning_to_confirm(items: dict[str, ServiceItem]) -> None:
    parties = [applicant(), member("李四", "spouse", date(1986, 1, 1))]
    problems = check(items["MZ-SHJZ-001"], {**DIBAO, "hukou_at_this_center": False}, parties)
    assert errors(problems) == []
    assert [(p.field, p.severity) for p in problems] == [("hukou_at_this_center", "warning")]
    assert "户籍地的街道办事处" in warnings(problems)[0] and "全市通办" in warnings(problems)[0]
    # Not silently accepted: the clerk must say where the 户籍 is.
    unanswered = check(items["MZ-SHJZ-001"], {k: v for k, v in DIBAO.items() if k != "hukou_at_this_center"}, parties)
    assert [p.field for p in unanswered if p.severity == "error"] == ["hukou_at_this_center"]


@pytest.mark.parametrize("status", ["unmarried", "divorced", "widowed"])
def test_dibao_unmarried_applicant_with_a_spouse_is_refused(items: dict[str, ServiceItem], status: str) -> None:
    parties = [applicant(status), member("李四", "spouse", date(1986, 1, 1))]
    problems = check(items["MZ-SHJZ-001"], DIBAO, parties)
    label = {"unmarried": "未婚", "divorced": "离婚", "widowed": "丧偶"}[status]
    assert errors(problems) == [
        f"申请人张三的婚姻状况为“{label}”，家庭成员中却列有配偶李四：请核对申请人的婚姻状况或该成员与申请人的关系"
    ]
    assert [(p.field, p.party_index) for p in problems] == [("relation", 1)]
    # The same household with the applicant's parent instead of a spouse is fine.
    assert check(items["MZ-SHJZ-001"], DIBAO, [applicant(status), member("李四", "parent", date(1950, 1, 1))]) == []


def test_dibao_two_spouses_and_a_missing_spouse(items: dict[str, ServiceItem]) -> None:
    item = items["MZ-SHJZ-001"]
    two = check(
        item,
        DIBAO,
        [applicant(), member("李四", "spouse", date(1986, 1, 1)), member("王五", "spouse", date(1987, 1, 1))],
    )
    assert errors(two) == ["家庭成员中列有 2 名配偶：只能有一名配偶，请核对与申请人的关系"]
    alone = check(item, DIBAO, [applicant()])
    assert errors(alone) == [] and len(warnings(alone)) == 1 and "已婚" in warnings(alone)[0]


def test_dibao_a_minor_member_needs_a_guardian_who_signs(items: dict[str, ServiceItem]) -> None:
    item = items["MZ-SHJZ-001"]
    child = member("张小", "minor_child", date(2011, 5, 1))  # 15
    without = check(item, DIBAO, [applicant("divorced"), child])
    assert errors(without) == [
        "张小未满 18 周岁（15 周岁），不能本人签署居民经济状况核对授权书：请在“代签监护人”一栏填写代签的监护人姓名；"
        "监护人不是申请人或家庭成员的，请添加为监护人"
    ]
    assert [(p.field, p.party_index) for p in without] == [("signer", 1)]
    # The applicant (the child's parent) signs: named, not entered a second time.
    signed = member("张小", "minor_child", date(2011, 5, 1), signer="张三")
    assert check(item, DIBAO, [applicant("divorced"), signed]) == []
    # A guardian outside the household is added as a guardian and named.
    by_guardian = member("张小", "minor_child", date(2011, 5, 1), signer="王芳")
    assert check(item, DIBAO, [applicant("divorced"), by_guardian, guardian("王芳")]) == []
    # A name that is nobody in the case does not sign.
    stranger = check(item, DIBAO, [applicant("divorced"), by_guardian])
    assert errors(stranger) == ["张小的代签监护人“王芳”不在本次申请中：请把该监护人添加为监护人，或核对填写的姓名"]
    # A guardian nobody names is a warning.
    idle = check(item, DIBAO, [applicant("divorced"), signed, guardian("王芳")])
    assert errors(idle) == [] and warnings(idle) == [
        "监护人王芳没有被填为任何未成年人的代签监护人：请在未成年人的“代签监护人”一栏填写，或删除此监护人"
    ]
    # One guardian may sign for two children.
    younger = member("张幼", "minor_child", date(2016, 1, 1), signer="王芳")
    assert check(item, DIBAO, [applicant("divorced"), by_guardian, younger, guardian("王芳")]) == []


@pytest.mark.parametrize(("born", "minor"), [(date(2008, 11, 24), True), (date(2008, 11, 23), False)])
def test_dibao_eighteen_on_the_birthday(items: dict[str, ServiceItem], born: date, minor: bool) -> None:
    """17 the day before the 18th birthday needs a guardian; on the birthday the member signs themselves."""
    problems = check(items["MZ-SHJZ-001"], DIBAO, [applicant("widowed"), member("张小", "minor_child", born)])
    assert bool(errors(problems)) is minor
    if minor:
        assert "（17 周岁）" in errors(problems)[0]


def test_dibao_a_minor_applicant_and_a_minor_signer(items: dict[str, ServiceItem]) -> None:
    item = items["MZ-SHJZ-001"]
    orphan = applicant("unmarried", born=date(2010, 3, 1))
    assert [p.party_index for p in check(item, DIBAO, [orphan]) if p.severity == "error"] == [0]
    signed = applicant("unmarried", born=date(2010, 3, 1), signer="王芳")
    assert check(item, DIBAO, [signed, guardian("王芳")]) == []
    young = check(item, DIBAO, [signed, guardian("王芳", born=date(2009, 1, 1))])
    assert errors(young) == ["张三的代签监护人王芳未满 18 周岁，不能代签核对授权书：请由成年的监护人签字"]
    # An older sibling of 17 in the household cannot sign either.
    sibling = member("张大", "other_supporter", date(2009, 1, 1), signer="张三")
    by_sibling = applicant("unmarried", born=date(2010, 3, 1), signer="张大")
    assert len(errors(check(item, DIBAO, [by_sibling, sibling]))) == 2


def test_dibao_guardian_brings_their_id_card(items: dict[str, ServiceItem]) -> None:
    item = items["MZ-SHJZ-001"]
    child = member("张小", "minor_child", date(2011, 5, 1), signer="王芳")
    parties = [applicant("divorced"), child, guardian("王芳")]
    needs = required_materials(RuleContext(item, DIBAO, parties, ON))
    assert ("guardian_id_card", 2) in [(n.key, n.party_index) for n in needs]
    signed = next(m for m in item.materials if m.key == "check_authorisation_member")
    assert "监护人代签" in signed.standard.zh


# ---------------------------------------------------------------------------------------------------- marriage

MARRIAGE = {"business_type": "marriage"}


def couple(
    man_sex: str = "M", woman_sex: str = "F", man_region: str = "310104", woman_region: str = "310104"
) -> list[PartyFacts]:
    born_a, born_b = date(1995, 3, 1), date(1997, 8, 1)
    return [
        PartyFacts("applicant", "张三", make_id(born_a, man_sex, man_region), born_a, man_sex),
        PartyFacts("spouse", "李四", make_id(born_b, woman_sex, woman_region, seq=2), born_b, woman_sex),
    ]


def test_marriage_a_man_and_a_woman(items: dict[str, ServiceItem]) -> None:
    assert check(items["MZ-HY-001"], MARRIAGE, couple()) == []
    assert check(items["MZ-HY-001"], MARRIAGE, list(reversed(couple()))) == []  # either may be the first party


@pytest.mark.parametrize(("sex", "shown"), [("F", "女"), ("M", "男")])
def test_marriage_two_women_or_two_men_are_refused(items: dict[str, ServiceItem], sex: str, shown: str) -> None:
    problems = check(items["MZ-HY-001"], MARRIAGE, couple(sex, sex))
    assert errors(problems) == [
        f"结婚登记须由男女双方申请（民法典第一千零四十九条），张三和李四的身份号码显示性别均为{shown}："
        "请核对身份号码，不能预约结婚登记"
    ]
    assert [p.party_index for p in problems] == [1]


@pytest.mark.parametrize(
    ("region", "kind"),
    [("810000", "港澳台居民居住证"), ("820000", "港澳台居民居住证"), ("830000", "港澳台居民居住证")],
)
def test_marriage_a_party_with_a_hmt_permit_is_out_of_scope(
    items: dict[str, ServiceItem], region: str, kind: str
) -> None:
    for business in ("marriage", "divorce"):
        problems = check(items["MZ-HY-001"], {"business_type": business}, couple(woman_region=region))
        assert len(errors(problems)) == 1, business
        assert errors(problems)[0].startswith(f"李四持{kind}：本事项只为持居民身份证的内地居民预审")
        assert "所需材料不同" in errors(problems)[0] and "婚姻登记机关" in errors(problems)[0]
        assert [p.party_index for p in problems] == [1]


def test_marriage_a_foreign_permanent_resident_or_no_number_is_out_of_scope(items: dict[str, ServiceItem]) -> None:
    item = items["MZ-HY-001"]
    foreign = couple()
    foreign[0] = replace(foreign[0], id_number="931840198507040010", birth_date=date(1985, 7, 4))
    assert errors(check(item, MARRIAGE, foreign))[0].startswith("张三持外国人永久居留身份证：")
    passport = couple()
    passport[1] = replace(passport[1], id_number=None)
    assert errors(check(item, MARRIAGE, passport))[0].startswith("李四没有录入居民身份证号码")


@pytest.mark.parametrize(("offset", "refused"), [(0, False), (1, False), (-1, True)])
def test_marriage_appointment_today_is_accepted_yesterday_refused(
    items: dict[str, ServiceItem], offset: int, refused: bool
) -> None:
    day = date.fromordinal(ON.toordinal() + offset)
    problems = check(items["MZ-HY-001"], {**MARRIAGE, "appointment_date": day.isoformat()}, couple())
    assert bool(errors(problems)) is refused
    if refused:
        assert errors(problems) == ["预约登记日期不能早于今天（2026年11月23日）"]


def test_marriage_the_age_is_reached_on_an_appointment_today(items: dict[str, ServiceItem]) -> None:
    """A man turning 22 today may book today: the appointment day counts, not only tomorrow."""
    born = date(2004, 11, 23)
    parties = couple()
    parties[0] = replace(parties[0], id_number=make_id(born, "M"), birth_date=born)
    assert check(items["MZ-HY-001"], {**MARRIAGE, "appointment_date": ON.isoformat()}, parties) == []


def test_marriage_texts_printed_to_citizens_are_clean(items: dict[str, ServiceItem]) -> None:
    item = items["MZ-HY-001"]
    texts = [item.name.zh]
    texts += [p.label.zh for p in item.parties if p.label]
    texts += [t.zh for f in item.fields for t in (f.label, f.help) if t is not None]
    texts += [t.zh for m in item.materials for t in (m.name, m.standard, m.note) if t is not None]
    for text in texts:
        for bad in ("示例", "待确认", "（（", "）（", "申请人", "上海 2021"):
            assert bad not in text, (bad, text)
    assert [p.label.zh for p in item.parties if p.label] == ["当事人一方", "当事人另一方"]
    photos = next(m for m in item.materials if m.key == "joint_photos")
    assert (photos.count, photos.unit.value) == (3, "张")
    assert "2 寸" in photos.standard.zh and "免冠" in photos.standard.zh
    # Per-party materials get the party's name on the receipt: their own names carry no qualifier in brackets.
    assert not any("（" in m.name.zh for m in item.materials if m.per_party is not None)


def test_dibao_texts_printed_to_citizens_are_clean(items: dict[str, ServiceItem]) -> None:
    item = items["MZ-SHJZ-001"]
    texts = [t.zh for m in item.materials for t in (m.name, m.standard, m.note) if t is not None]
    texts += [t.zh for p in item.parties for f in p.fields for t in (f.label, f.help) if t is not None]
    for text in texts:
        for bad in ("示例", "待确认", "未找到", "（（", "）（", "（如有）"):
            assert bad not in text, (bad, text)
    # The receipt adds the party's name in brackets: a per-party material's own name has none.
    assert not any("（" in m.name.zh for m in item.materials if m.per_party is not None)
    assert {m.key: m.handled().value for m in item.materials if m.key.endswith("id_card")} == {
        "applicant_id_card": "return",
        "guardian_id_card": "return",
        "agent_id_card": "return",
    }


# ---------------------------------------------------------------------------------------------------- 特困

TEKUN = {"no_income": True, "no_supporter": True}


def tekun(
    items: dict[str, ServiceItem], ground: str, born: date, *others: PartyFacts, category: int = 0, grade: int = 0
) -> list[Problem]:
    person_id = make_id(born, "M")
    values: dict[str, object] = {**TEKUN, "work_incapacity": ground}
    if ground == "disability":
        values["disability_cert_no"] = f"{person_id}{category}{grade}"
    return check(items["MZ-SHJZ-004"], values, [PartyFacts("applicant", "张三", person_id, born, "M"), *others])


def test_tekun_names_the_rule(items: dict[str, ServiceItem]) -> None:
    item = items["MZ-SHJZ-004"]
    assert [r.value for r in item.rules] == ["tekun_work_incapacity"]
    help_text = next(f for f in item.fields if f.key == "work_incapacity").help
    assert help_text is not None and "一至三级" not in help_text.zh  # the grades are the rule, not help text


@pytest.mark.parametrize(("born", "ok"), [(date(1966, 11, 23), True), (date(1966, 11, 24), False)])
def test_tekun_aged_60_on_the_birthday(items: dict[str, ServiceItem], born: date, ok: bool) -> None:
    problems = tekun(items, "aged_60", born)
    assert (errors(problems) == []) is ok
    if not ok:
        assert errors(problems)[0].startswith("张三于2026年11月24日才满 60 周岁")


@pytest.mark.parametrize(("born", "ok"), [(date(2010, 11, 24), True), (date(2010, 11, 23), False)])
def test_tekun_under_16(items: dict[str, ServiceItem], born: date, ok: bool) -> None:
    guardian = PartyFacts("guardian", "王芳", make_id(date(1980, 1, 1), "F"), date(1980, 1, 1), "F")
    problems = tekun(items, "under_16", born, guardian)
    assert (errors(problems) == []) is ok
    if not ok:
        assert errors(problems) == ["选择了“未满 16 周岁”，但张三已满 16 周岁（16 周岁），请核对无劳动能力的情形"]


def test_tekun_a_minor_applicant_needs_a_guardian(items: dict[str, ServiceItem]) -> None:
    problems = tekun(items, "under_16", date(2012, 1, 1))
    assert errors(problems) == [
        "张三未满 18 周岁，不能本人签署书面声明和居民经济状况核对授权书：请添加监护人，由监护人签字"
    ]


@pytest.mark.parametrize(
    ("category", "grade", "ok"),
    [
        (5, 1, True),
        (5, 3, True),  # 智力三级
        (5, 4, False),
        (6, 3, True),  # 精神三级
        (6, 4, False),
        (4, 2, True),  # 肢体二级
        (4, 3, False),
        (1, 1, True),  # 视力一级
        (1, 2, False),
        (2, 1, False),  # 听力
        (3, 1, False),  # 言语
    ],
)
def test_tekun_disability_grades(items: dict[str, ServiceItem], category: int, grade: int, ok: bool) -> None:
    problems = tekun(items, "disability", date(1980, 1, 1), category=category, grade=grade)
    assert (errors(problems) == []) is ok, problems
    if not ok:
        assert "民发〔2021〕43号" in errors(problems)[0]
        assert [p.field for p in problems] == ["disability_cert_no"]


def test_tekun_multiple_disability_is_checked_by_hand(items: dict[str, ServiceItem]) -> None:
    problems = tekun(items, "disability", date(1980, 1, 1), category=7, grade=1)
    assert errors(problems) == [] and len(warnings(problems)) == 1
    assert warnings(problems)[0].startswith("张三为多重一级残疾")


# ---------------------------------------------------------------------------------------------------- 老年综合津贴 查询


def test_allowance_inquiry_is_an_inquiry_item(items: dict[str, ServiceItem]) -> None:
    inquiry = items["MZ-YLFW-004"]
    assert inquiry.kind.value == "inquiry"
    assert (inquiry.promised_days, inquiry.legal_days, inquiry.time_limit_source) == (None, None, None)
    assert not inquiry.time_limit_placeholder
    answer = inquiry.field("answer")
    assert answer is not None and answer.type.value == "multiline" and answer.required
    card = next(m for m in inquiry.materials if m.key == "applicant_id_card")
    assert card.handled().value == "return"
    # The application item no longer offers the inquiry: it has its own item now.
    request = items["MZ-YLFW-001"].field("request_type")
    assert request is not None and "inquiry" not in request.choice_values()
    assert items["MZ-YLFW-001"].version >= 2


def test_allowance_inquiry_needs_the_answer(items: dict[str, ServiceItem]) -> None:
    item = items["MZ-YLFW-004"]
    senior = PartyFacts("applicant", "张三", make_id(date(1950, 1, 1)), date(1950, 1, 1), "M")
    problems = check(item, {"question": "第三季度是否已发放"}, [senior])
    assert [(p.field, p.message.render()) for p in problems] == [("answer", "请填写“答复内容”")]
    assert check(item, {"question": "第三季度是否已发放", "answer": "已于 7 月 15 日发放到社保卡"}, [senior]) == []


@pytest.mark.parametrize("code", ["MZ-SHJZ-001", "MZ-HY-001", "MZ-SHJZ-004", "MZ-YLFW-001", "MZ-YLFW-004"])
def test_texts_shown_or_printed_carry_no_research_remarks(items: dict[str, ServiceItem], code: str) -> None:
    """Labels, help, choices and material texts reach the citizen (forms, notices, receipts): no placeholder,
    research remark, rule name or doubled bracket (issue 13); those belong in the file's notes."""
    item = items[code]
    texts = [item.name.zh, *(p.label.zh for p in item.parties if p.label)]
    fields = [*item.fields, *(f for p in item.parties for f in p.fields)]
    texts += [t.zh for f in fields for t in (f.label, f.help) if t is not None]
    texts += [c.zh for f in fields for c in f.constraints.choices or ()]
    texts += [t.zh for m in item.materials for t in (m.name, m.standard, m.note) if t is not None]
    for text in texts:
        for bad in ("示例", "待确认", "未找到", "本地暂定", "第三方", "（（", "）（", "_", "†"):
            assert bad not in text, (code, bad, text)
