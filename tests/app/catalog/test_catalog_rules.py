"""validate_form, required_materials, amounts and every named rule at its boundaries."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, timedelta

import pytest

from app.catalog import rules
from app.catalog.loader import LoadedItem
from app.catalog.rules import (
    Form,
    PartyFacts,
    Problem,
    RuleContext,
    age_on,
    amount_on,
    date_reaching_age,
    elderly_allowance_amount,
    funeral_subsidy_cap,
    living_subsidy_amount,
    nursing_subsidy_amount,
    required_materials,
    validate_form,
)
from app.catalog.rules.registration import RULES
from app.catalog.schema import RULE_NEEDS, RuleName, ServiceItem

ON = date(2026, 11, 23)

# Disability certificate numbers: a valid ID (rules.md test vectors) + category + grade.
BASE_ID = "310104198506150023"
CERT = {(c, g): f"{BASE_ID}{c}{g}" for c in range(1, 8) for g in range(1, 5)}


def person(
    role: str = "applicant",
    name: str = "张三",
    *,
    born: date | None = None,
    sex: str | None = None,
    category: int | None = None,
    grade: int | None = None,
    id_number: str | None = None,
    **values: object,
) -> PartyFacts:
    return PartyFacts(role, name, id_number, born, sex, category, grade, values)


def check(
    item: ServiceItem, values: Mapping[str, object], parties: Sequence[PartyFacts], on: date = ON
) -> list[Problem]:
    return validate_form(RuleContext(item, values, parties, on))


def errors(problems: list[Problem]) -> list[str]:
    return [p.message.render() for p in problems if p.severity == "error"]


def warnings(problems: list[Problem]) -> list[str]:
    return [p.message.render() for p in problems if p.severity == "warning"]


# ---------------------------------------------------------------------------------------------------- helpers


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (date(2004, 11, 23), date(2026, 11, 23), 22),
        (date(2004, 11, 24), date(2026, 11, 23), 21),
        (date(2004, 2, 29), date(2026, 2, 28), 21),
        (date(2004, 2, 29), date(2026, 3, 1), 22),
        (date(2004, 2, 29), date(2028, 2, 29), 24),
    ],
)
def test_age_on(born: date, on: date, age: int) -> None:
    assert age_on(born, on) == age


def test_date_reaching_age() -> None:
    assert date_reaching_age(date(2004, 11, 24), 22) == date(2026, 11, 24)
    assert date_reaching_age(date(2004, 2, 29), 22) == date(2026, 3, 1)
    assert date_reaching_age(date(2004, 2, 29), 24) == date(2028, 2, 29)


def test_every_rule_has_code_and_a_cited_source() -> None:
    assert set(RULES) == set(RuleName) == set(RULE_NEEDS)
    for name in RuleName:
        doc = rules.rule_doc(name)
        assert "Source" in doc, name


# ---------------------------------------------------------------------------------------------------- the form


def test_required_respects_when(valid_item: LoadedItem) -> None:
    item = valid_item.item
    applicant = person(hukou_shanghai=True)
    assert check(item, {"kind_of_help": "emergency"}, [applicant]) == []
    problems = check(item, {"kind_of_help": "expenditure"}, [applicant])
    assert [(p.field, p.message.render()) for p in problems] == [("expense", "请填写“支出金额”")]
    # A hidden field's value is ignored, even an invalid one.
    assert check(item, {"kind_of_help": "emergency", "expense": "abc"}, [applicant]) == []
    assert check(item, {"kind_of_help": "expenditure", "expense": "12.5"}, [applicant]) == []


def test_required_choice_and_constraints(valid_item: LoadedItem) -> None:
    item = valid_item.item
    applicant = person(hukou_shanghai=True)
    problems = check(item, {"household_size": "0", "remark": "有2个"}, [applicant])
    assert [(p.field, p.message.render()) for p in problems] == [
        ("kind_of_help", "请选择“救助类型”"),
        ("household_size", "“家庭人数”不能小于 1"),
        ("remark", "“备注”的格式不对：不能含数字"),
    ]
    problems = check(item, {"kind_of_help": "expenditure", "expense": "200000.01"}, [applicant])
    assert errors(problems) == ["“支出金额”不能多于 100,000.00 元"]


def test_party_fields_and_counts(valid_item: LoadedItem) -> None:
    item = valid_item.item
    values = {"kind_of_help": "emergency"}
    members = [person("household_member", f"成员{i}", relation="child") for i in range(4)]
    problems = check(item, values, [person(hukou_shanghai=True), *members])
    assert errors(problems) == ["最多 3 名家庭成员，现在有 4 名"]

    problems = check(item, values, [person(hukou_shanghai=True), person("household_member", "李四")])
    assert [(p.field, p.party_index, p.severity) for p in problems] == [("relation", 1, "error")]

    problems = check(item, values, [person("guardian", "王五")])
    assert errors(problems) == ["本事项不需要监护人（王五），请删除", "需要至少 1 名申请人，现在有 0 名"]


def test_residence_is_an_entered_fact(valid_item: LoadedItem) -> None:
    item = valid_item.item
    values = {"kind_of_help": "emergency"}
    problems = check(item, values, [person(hukou_shanghai=False)])
    assert [(p.field, p.party_index) for p in problems] == [("hukou_shanghai", 0)]
    assert errors(problems) == ["申请人张三不是本市户籍：“测试事项”要求本市户籍"]
    problems = check(item, values, [person()])
    assert errors(problems) == ["请选择“户籍在本市”（是或否）"]


def test_required_materials_expand_per_party(valid_item: LoadedItem) -> None:
    item = valid_item.item
    parties = [
        person(hukou_shanghai=True),
        person("household_member", "李四", relation="spouse"),
        person("household_member", "李小", relation="child", student="是"),
        person("agent", "赵六"),
    ]
    needs = required_materials(RuleContext(item, {"kind_of_help": "emergency"}, parties, ON))
    assert [(n.key, n.party_index, n.required) for n in needs] == [
        ("id_card", None, True),
        ("photo", None, False),
        ("school_proof", 2, True),
        ("authorisation", 1, True),
        ("authorisation", 2, True),
        ("power_of_attorney", 3, True),
    ]
    assert needs[3].label_zh() == "授权书（李四）"
    assert needs[3].party_name == "李四"
    assert (needs[0].name, needs[0].form, needs[0].form_zh, needs[0].count, needs[0].standard) == (
        "身份证",
        "original",
        "原件",
        1,
        "有效身份证原件",
    )
    needs = required_materials(RuleContext(item, {"kind_of_help": "expenditure"}, parties[:1], ON))
    assert [n.key for n in needs] == ["id_card", "bills", "photo"]


def test_amount_on(valid_item: LoadedItem) -> None:
    item = valid_item.item
    assert amount_on(item, "standard", date(2021, 6, 30)) is None
    first = amount_on(item, "standard", date(2021, 7, 1))
    assert first is not None and first.fen == 133000
    assert amount_on(item, "standard", date(2024, 6, 30)) == first
    latest = amount_on(item, "standard", date(2024, 7, 1))
    assert latest is not None and latest.fen == 159500
    by_unit = amount_on(item, "元/具", ON)
    assert by_unit is not None and by_unit.name == "cap"
    assert amount_on(item, "元/人/月", ON) == latest
    assert amount_on(item, "nothing", ON) is None


# ---------------------------------------------------------------------------------------------------- marriage


_W = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def resident_id(born: date, sex: str | None) -> str:
    """A valid 居民身份证 number (rules.md §1) for the birth date and sex (odd sequence: male)."""
    body = f"310104{born:%Y%m%d}00{3 if sex == 'M' else 4}"
    return body + "10X98765432"[sum(int(a) * w for a, w in zip(body, _W, strict=True)) % 11]


def with_ids(*parties: PartyFacts) -> list[PartyFacts]:
    """The parties, each with a 居民身份证 number matching its birth date (the item's scope: 内地居民)."""
    return [
        replace(p, id_number=resident_id(p.birth_date or date(1990, 1, 1), p.sex)) if p.id_number is None else p
        for p in parties
    ]


def marriage(items: dict[str, ServiceItem], values: Mapping[str, object], *parties: PartyFacts) -> list[Problem]:
    return check(items["MZ-HY-001"], values, with_ids(*parties))


def test_marriage_age_exactly_reached(items: dict[str, ServiceItem]) -> None:
    man = person(born=date(2004, 11, 23), sex="M")
    woman = person("spouse", "李四", born=date(2006, 11, 23), sex="F")
    assert marriage(items, {"business_type": "marriage"}, man, woman) == []


def test_marriage_one_day_short(items: dict[str, ServiceItem]) -> None:
    man = person(born=date(2004, 11, 24), sex="M")
    woman = person("spouse", "李四", born=date(2006, 11, 24), sex="F")
    problems = marriage(items, {"business_type": "marriage"}, man, woman)
    assert errors(problems) == [
        "张三于2026年11月24日才满 22 周岁，2026年11月23日尚未达到：民法典第一千零四十七条规定男不得早于二十二周岁结婚",
        "李四于2026年11月24日才满 20 周岁，2026年11月23日尚未达到：民法典第一千零四十七条规定女不得早于二十周岁结婚",
    ]
    assert [p.party_index for p in problems] == [0, 1]


def test_marriage_age_on_the_appointment_date(items: dict[str, ServiceItem]) -> None:
    man = person(born=date(2004, 12, 1), sex="M")
    woman = person("spouse", "李四", born=date(2000, 1, 1), sex="F")
    assert marriage(items, {"business_type": "marriage", "appointment_date": "2026-12-01"}, man, woman) == []
    assert (
        len(errors(marriage(items, {"business_type": "marriage", "appointment_date": "2026-11-30"}, man, woman))) == 1
    )
    past = marriage(items, {"business_type": "marriage", "appointment_date": "2026-11-22"}, man, woman)
    assert "预约登记日期不能早于今天（2026年11月23日）" in errors(past)


def test_marriage_leap_day_birthday(items: dict[str, ServiceItem]) -> None:
    man = person(born=date(2004, 2, 29), sex="M")
    woman = person("spouse", "李四", born=date(2000, 1, 1), sex="F")
    values = {"business_type": "marriage"}
    early = check(items["MZ-HY-001"], values, with_ids(man, woman), on=date(2026, 2, 28))
    assert errors(early)[0].startswith("张三于2026年3月1日才满 22 周岁")
    assert check(items["MZ-HY-001"], values, with_ids(man, woman), on=date(2026, 3, 1)) == []


def test_divorce_has_no_age_check_and_unknown_sex_warns(items: dict[str, ServiceItem]) -> None:
    young = person(born=date(2010, 1, 1), sex="M")
    other = person("spouse", "李四", born=date(2010, 1, 1), sex="F")
    assert marriage(items, {"business_type": "divorce"}, young, other) == []
    problems = marriage(items, {"business_type": "marriage"}, person(born=date(1990, 1, 1)), other)
    assert warnings(problems) == ["未能确定张三的性别，请人工核对法定婚龄（男二十二周岁、女二十周岁）"]


def test_marriage_needs_both_parties_and_no_household_register(items: dict[str, ServiceItem]) -> None:
    problems = marriage(items, {"business_type": "marriage"}, person(born=date(1990, 1, 1), sex="M"))
    assert "需要至少 1 名当事人另一方，现在有 0 名" in errors(problems)
    item = items["MZ-HY-001"]
    parties = [person(born=date(1990, 1, 1), sex="M"), person("spouse", "李四", born=date(1992, 1, 1), sex="F")]
    needs = required_materials(RuleContext(item, {"business_type": "marriage"}, parties, ON))
    assert [(n.key, n.party_index) for n in needs] == [
        ("applicant_id_card", 0),
        ("spouse_id_card", 1),
        ("applicant_declaration", 0),
        ("spouse_declaration", 1),
        ("joint_photos", None),
    ]
    assert not any("户口簿" in m.name.zh for m in item.materials)
    divorce = required_materials(RuleContext(item, {"business_type": "divorce"}, parties, ON))
    assert [n.key for n in divorce] == [
        "applicant_id_card",
        "spouse_id_card",
        "divorce_agreement",
        "applicant_marriage_certificate",
        "spouse_marriage_certificate",
    ]


# ---------------------------------------------------------------------------------------------------- disability


def disabled(category: int | None, grade: int | None, **kw: object) -> PartyFacts:
    return person(born=date(1985, 6, 15), category=category, grade=grade, hukou_shanghai=True, **kw)


NURSING = {"disability_cert_no": CERT[4, 2], "cert_issued_in_shanghai": True}


@pytest.mark.parametrize(
    ("category", "grade", "ok"),
    [
        (4, 1, True),
        (1, 2, True),
        (5, 3, True),  # 三级智力
        (6, 3, True),  # 三级精神
        (4, 3, False),  # 三级肢体
        (7, 3, False),  # 三级多重
        (5, 4, False),
    ],
)
def test_nursing_subsidy_grade(items: dict[str, ServiceItem], category: int, grade: int, ok: bool) -> None:
    problems = check(items["CL-CJFW-002"], NURSING, [disabled(category, grade)])
    if ok:
        assert problems == []
    else:
        assert len(errors(problems)) == 1
        assert "重度残疾人护理补贴限一级、二级残疾和三级智力、三级精神残疾" in errors(problems)[0]


def test_nursing_subsidy_reads_the_certificate_field(items: dict[str, ServiceItem]) -> None:
    item = items["CL-CJFW-002"]
    assert check(item, {**NURSING, "disability_cert_no": CERT[5, 3]}, [disabled(None, None)]) == []
    problems = check(item, {**NURSING, "disability_cert_no": CERT[4, 3]}, [disabled(None, None)])
    assert "张三为肢体三级残疾" in errors(problems)[0]
    # A certificate of someone else is not used: the clerk checks by hand.
    other = disabled(None, None, id_number="310101198001010018")
    problems = check(item, {**NURSING, "disability_cert_no": CERT[5, 3]}, [other])
    assert errors(problems) == []
    assert "无法核对“重度残疾人护理补贴”的条件" in warnings(problems)[0]


def test_nursing_subsidy_needs_a_shanghai_certificate(items: dict[str, ServiceItem]) -> None:
    problems = check(items["CL-CJFW-002"], {**NURSING, "cert_issued_in_shanghai": False}, [disabled(4, 1)])
    assert errors(problems) == ["须持有本市核发的第二代残疾人证（2016 年两项补贴实施时的口径），请核对"]


def test_nursing_subsidy_amounts(items: dict[str, ServiceItem]) -> None:
    item = items["CL-CJFW-002"]
    grade_1 = nursing_subsidy_amount(item, 4, 1, ON)
    assert grade_1 is not None and grade_1.fen == 35000
    mental_3 = nursing_subsidy_amount(item, 6, 3, ON)
    assert mental_3 is not None and mental_3.fen == 18000
    assert nursing_subsidy_amount(item, 4, 3, ON) is None
    assert nursing_subsidy_amount(item, 4, 1, date(2025, 6, 30)) is None  # before the 2025 notice


LIVING = {"disability_cert_no": CERT[4, 2], "cert_issued_in_shanghai": True}


def test_living_subsidy_group(items: dict[str, ServiceItem]) -> None:
    item = items["CL-CJFW-001"]
    assert check(item, {**LIVING, "family_status": "dibao"}, [disabled(4, 3)]) == []
    assert check(item, {**LIVING, "family_status": "dibao_edge"}, [disabled(4, 4)]) == []
    none = check(item, {**LIVING, "family_status": "none"}, [disabled(4, 2)])
    assert errors(none) == ["困难残疾人生活补贴限重残无业人员、低保家庭和低保边缘家庭的残疾人"]
    # 重残无业 with 三级肢体: a warning the clerk may override, not an error.
    mismatch = check(item, {**LIVING, "family_status": "zhongcan_wuye"}, [disabled(4, 3)])
    assert errors(mismatch) == []
    assert warnings(mismatch) == ["选择了“重残无业”，但张三为肢体三级残疾；重残指一级、二级或三级智力残疾，请核对"]
    assert check(item, {**LIVING, "family_status": "zhongcan_wuye"}, [disabled(5, 3)]) == []
    amount = living_subsidy_amount(item, "zhongcan_wuye", ON)
    assert amount is not None and amount.fen == 45000
    edge = living_subsidy_amount(item, "dibao_edge", ON)
    assert edge is not None and edge.fen == 32000


SEVERE = {"disability_cert_no": CERT[4, 1], "unable_to_work_and_self_care": True, "pension_status": "none"}


def test_severe_disability_age_16(items: dict[str, ServiceItem]) -> None:
    item = items["CL-CJFW-003"]
    sixteen = person(born=date(2010, 11, 23), category=4, grade=1, hukou_shanghai=True)
    assert check(item, SEVERE, [sixteen]) == []
    younger = person(born=date(2010, 11, 24), category=4, grade=1, hukou_shanghai=True)
    assert errors(check(item, SEVERE, [younger])) == [
        "张三于2026年11月24日才满 16 周岁，2026年11月23日尚未达到：重残无业人员生活补助限年满 16 周岁的人员"
    ]


@pytest.mark.parametrize(
    ("category", "grade", "ok"), [(4, 1, True), (2, 2, True), (5, 3, True), (6, 3, False), (4, 3, False)]
)
def test_severe_disability_grade(items: dict[str, ServiceItem], category: int, grade: int, ok: bool) -> None:
    problems = check(items["CL-CJFW-003"], SEVERE, [disabled(category, grade)])
    assert (problems == []) is ok


def test_severe_disability_work_and_pension(items: dict[str, ServiceItem]) -> None:
    item = items["CL-CJFW-003"]
    problems = check(
        item, {**SEVERE, "unable_to_work_and_self_care": False, "pension_status": "not_below"}, [disabled(4, 1)]
    )
    assert errors(problems) == ["重残无业人员生活补助限无法通过劳动获得收入、生活不能自理的重残人员"]
    assert len(warnings(problems)) == 1


# ---------------------------------------------------------------------------------------------------- elderly


ELDERLY = {"request_type": "correction", "details": "发放卡信息有误"}


def test_elderly_allowance_age_65(items: dict[str, ServiceItem]) -> None:
    item = items["MZ-YLFW-001"]
    assert check(item, ELDERLY, [person(born=date(1961, 11, 23), hukou_shanghai=True)]) == []
    younger = person(born=date(1961, 11, 24), hukou_shanghai=True)
    problems = check(item, ELDERLY, [younger])
    assert errors(problems) == [
        "张三于2026年11月24日才满 65 周岁，2026年11月23日尚未达到：老年综合津贴发给年满 65 周岁的本市户籍老人"
    ]
    not_shanghai = check(item, ELDERLY, [person(born=date(1950, 1, 1), hukou_shanghai=False)])
    assert errors(not_shanghai) == [
        "老人张三不是本市户籍：“老年综合津贴信息更正、变更发放卡及例外情形办理”要求本市户籍"
    ]


def test_elderly_allowance_inquiry_of_the_first_version_still_reads(items: dict[str, ServiceItem]) -> None:
    """Version 1 had a request type "inquiry" (now the inquiry item MZ-YLFW-004): a record taken under it is checked
    again with its own item version, where an inquiry of someone under 65 is only a warning."""
    item = items["MZ-YLFW-001"]
    assert "inquiry" not in item.field("request_type").choice_values()  # type: ignore[union-attr]
    younger = person(born=date(1961, 11, 24), hukou_shanghai=True)
    form = Form(RuleContext(item, {}, [younger], ON), {"request_type": "inquiry"}, [{"hukou_shanghai": True}])
    problems = RULES[RuleName.ELDERLY_ALLOWANCE](form)
    assert [p.severity for p in problems] == ["warning"]
    form.values["request_type"] = "correction"
    assert [p.severity for p in RULES[RuleName.ELDERLY_ALLOWANCE](form)] == ["error"]


@pytest.mark.parametrize(
    ("born", "fen"),
    [
        (date(1961, 11, 24), None),  # 64
        (date(1961, 11, 23), 7500),  # 65
        (date(1956, 11, 24), 7500),  # 69
        (date(1956, 11, 23), 15000),  # 70
        (date(1947, 11, 23), 15000),  # 79
        (date(1946, 11, 23), 18000),  # 80
        (date(1936, 11, 24), 18000),  # 89
        (date(1936, 11, 23), 35000),  # 90
        (date(1927, 11, 24), 35000),  # 99
        (date(1926, 11, 23), 60000),  # 100
        (date(1920, 1, 1), 60000),  # 106
    ],
)
def test_elderly_allowance_band(items: dict[str, ServiceItem], born: date, fen: int | None) -> None:
    amount = elderly_allowance_amount(items["MZ-YLFW-001"], born, ON)
    assert (amount.fen if amount else None) == fen


def test_elderly_allowance_band_before_the_source_date(items: dict[str, ServiceItem]) -> None:
    assert elderly_allowance_amount(items["MZ-YLFW-001"], date(1940, 1, 1), date(2016, 1, 1)) is None


def test_care_needs_assessment(items: dict[str, ServiceItem]) -> None:
    item = items["MZ-YLFW-002"]
    sixty = person(born=date(1966, 11, 23), hukou_shanghai=False)
    assert check(item, {"insurance_status": "resident"}, [sixty]) == []
    younger = person(born=date(1966, 11, 24), hukou_shanghai=True)
    assert len(errors(check(item, {"insurance_status": "employee"}, [younger]))) == 1
    uninsured = check(item, {"insurance_status": "none"}, [sixty])
    assert errors(uninsured) == ["老年照护统一需求评估限参加职工医保或城乡居民医保的老人，以及未参保的本市户籍老人"]
    contradiction = check(item, {"insurance_status": "hukou_uninsured"}, [sixty])
    assert [(p.field, p.party_index) for p in contradiction] == [("hukou_shanghai", 0)]
    assert (
        check(item, {"insurance_status": "hukou_uninsured"}, [person(born=date(1950, 1, 1), hukou_shanghai=True)]) == []
    )


# ---------------------------------------------------------------------------------------------------- funeral


FUNERAL = {
    "deceased_status": "dibao",
    "cremated_in_shanghai": True,
    "hukou_at_this_center": True,
    "claimed_fen": "950",
}


def funeral_parties(hukou: object = True) -> list[PartyFacts]:
    return [person(), person("deceased", "李老", hukou_shanghai=hukou, death_date="2026-11-20")]


def test_funeral_subsidy_eligible(items: dict[str, ServiceItem]) -> None:
    assert check(items["MZ-BZ-001"], FUNERAL, funeral_parties()) == []


def test_funeral_subsidy_other_center_is_a_warning(items: dict[str, ServiceItem]) -> None:
    problems = check(
        items["MZ-BZ-001"], {**FUNERAL, "hukou_at_this_center": False, "claimed_fen": "1200"}, funeral_parties()
    )
    assert errors(problems) == []
    assert [p.field for p in problems] == ["hukou_at_this_center", "claimed_fen"]
    assert "按实报销，最多补贴 980.00 元" in warnings(problems)[1]


def test_funeral_subsidy_errors(items: dict[str, ServiceItem]) -> None:
    item = items["MZ-BZ-001"]
    problems = check(item, FUNERAL, funeral_parties(hukou=False))
    assert [(p.field, p.party_index, p.severity) for p in problems] == [("hukou_shanghai", 1, "error")]
    assert errors(problems) == ["逝者李老不是本市户籍：“基本殡葬服务补贴申领”要求本市户籍"]
    problems = check(item, {**FUNERAL, "deceased_status": "none", "cremated_in_shanghai": False}, funeral_parties())
    assert [p.field for p in problems] == ["deceased_status", "cremated_in_shanghai"]
    assert "需要至少 1 名逝者，现在有 0 名" in errors(check(item, FUNERAL, [person()]))


def test_a_date_of_death_after_today_is_refused(items: dict[str, ServiceItem]) -> None:
    item = items["MZ-BZ-001"]
    on_the_day = [person(), person("deceased", "李老", hukou_shanghai=True, death_date=ON.isoformat())]
    assert check(item, FUNERAL, on_the_day) == []
    tomorrow = (ON + timedelta(days=1)).isoformat()
    future = [person(), person("deceased", "李老", hukou_shanghai=True, death_date=tomorrow)]
    problems = check(item, FUNERAL, future)
    assert [(p.field, p.party_index, p.severity) for p in problems] == [("death_date", 1, "error")]
    assert errors(problems) == [f"死亡日期 {tomorrow} 晚于今天（{ON.isoformat()}）：请按火化证明核对死亡日期"]


def test_funeral_subsidy_cap(items: dict[str, ServiceItem]) -> None:
    cap = funeral_subsidy_cap(items["MZ-BZ-001"], ON)
    assert cap is not None and (cap.fen, cap.unit) == (98000, "元/具")


# ---------------------------------------------------------------------------------------------------- 低保


def dibao_applicant(**values: object) -> PartyFacts:
    base: dict[str, object] = {
        "hukou_shanghai": True,
        "hukou_address": "上海市徐汇区某路 1 号",
        "marital_status": "married",
        "monthly_income": "0",
    }
    base.update(values)
    return person(id_number="310104198506150023", **base)


def member(name: str, id_number: str | None, **values: object) -> PartyFacts:
    base: dict[str, object] = {"relation": "spouse", "monthly_income": "1200"}
    base.update(values)
    return person("household_member", name, id_number=id_number, **base)


DIBAO = {"reason": "失业", "assets_summary": "无", "hukou_at_this_center": True}


def test_dibao_household(items: dict[str, ServiceItem]) -> None:
    item = items["MZ-SHJZ-001"]
    parties = [dibao_applicant(), member("李四", "310101198001010018")]
    assert check(item, DIBAO, parties) == []
    problems = check(
        item, DIBAO, [dibao_applicant(marital_status="divorced"), member("李小", None, relation="minor_child")]
    )
    assert errors(problems) == [] and len(warnings(problems)) == 1
    twice = check(item, DIBAO, [*parties, member("李四", "310101198001010018")])
    assert errors(twice) == ["李四在家庭成员中重复列出（身份号码相同），请删除重复的一行"]
    assert errors(check(item, DIBAO, [dibao_applicant(hukou_shanghai=False)])) == [
        "申请人张三不是本市户籍：“最低生活保障申请”要求本市户籍"
    ]


def test_dibao_materials_per_household_member(items: dict[str, ServiceItem]) -> None:
    item = items["MZ-SHJZ-001"]
    parties = [
        dibao_applicant(),
        member("李四", "310101198001010018"),
        member("李小", "310104198506150023", relation="dependent_adult_child", full_time_student=True),
        person("agent", "赵六"),
    ]
    needs = required_materials(RuleContext(item, DIBAO, parties, ON))
    per_party = [(n.key, n.party_index) for n in needs if n.party_index is not None]
    assert per_party == [
        ("school_proof", 2),
        ("check_authorisation_applicant", 0),
        ("check_authorisation_member", 1),
        ("check_authorisation_member", 2),
        ("power_of_attorney", 3),
        ("agent_id_card", 3),
    ]
    keys = [n.key for n in needs]
    assert "marriage_proof" in keys  # married applicant
    unmarried = required_materials(RuleContext(item, DIBAO, [dibao_applicant(marital_status="unmarried")], ON))
    assert "marriage_proof" not in [n.key for n in unmarried]
    assert not any(n.key == "power_of_attorney" for n in unmarried)  # no agent, no 委托书
