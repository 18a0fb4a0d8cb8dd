"""The cross checks of issue 13's catalog keys: legal nature and basis, material handling and e-licences, 容缺受理
and 先行救助, a dated start without a source.  Each is a small YAML text on top of data/valid_item.yaml, loaded for
real; every problem is located at its line."""

from __future__ import annotations

import pytest

from app.catalog.loader import CatalogFileError, CatalogProblem, load_item_text
from app.catalog.schema import LegalNature, MaterialHandling, MaterialUnit

BASIS_OK = """
legal_basis:
  - title: 社会救助暂行办法
    doc_no: 国务院令第649号
"""

FIRST_AID = """
first_aid:
  materials: [bills]
  days: 10
  when: {field: kind_of_help, equals: emergency}
  basis:
    title: 国务院关于全面建立临时救助制度的通知
    doc_no: 国发〔2014〕47号
"""


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    hits = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    return hits[occurrence - 1]


def problems(text: str) -> list[CatalogProblem]:
    with pytest.raises(CatalogFileError) as info:
        load_item_text(text, path="items/x.yaml")
    return info.value.problems


def only(text: str) -> CatalogProblem:
    found = problems(text)
    assert len(found) == 1, [p.render() for p in found]
    return found[0]


# ---------------------------------------------------------------------------------------------------- legal basis


def test_a_benefit_with_its_own_basis_loads(valid_text: str) -> None:
    item = load_item_text(valid_text + "nature: 行政给付\n" + BASIS_OK, path="ok.yaml").item
    assert item.nature is LegalNature.BENEFIT
    assert item.legal_basis[0].doc_no == "国务院令第649号"
    assert item.legal_basis[0].verified is False


@pytest.mark.parametrize("nature", ["nature: 行政给付\n", "nature: 公共服务\n", ""])
def test_only_a_licence_may_cite_the_licensing_law(valid_text: str, nature: str) -> None:
    basis = "legal_basis:\n  - title: 中华人民共和国行政许可法\n    article: 第三十二条\n    doc_no: 主席令第七号\n"
    text = valid_text + nature + basis
    problem = only(text)
    assert problem.line == line_of(text, "title: 中华人民共和国行政许可法")
    assert "不能以《行政许可法》为依据" in problem.render()
    assert "legal_basis[0].title" in problem.render()
    # The same citation on a 行政许可 is right.
    assert load_item_text(valid_text + "nature: 行政许可\n" + basis, path="ok.yaml").item.legal_basis


def test_an_article_needs_a_document_number_or_a_url(valid_text: str) -> None:
    text = valid_text + "nature: 行政给付\nlegal_basis:\n  - title: 社会救助暂行办法\n    article: 第四十八条\n"
    problem = only(text)
    assert problem.line == line_of(text, "article: 第四十八条")
    assert "须写出处" in problem.render()
    with_url = text + "    url: https://example.org/law\n"
    assert load_item_text(with_url, path="ok.yaml").item.legal_basis[0].article == "第四十八条"


def test_verified_means_an_official_text_was_seen(valid_text: str) -> None:
    text = valid_text + BASIS_OK + "    verified: true\n"
    problem = only(text)
    assert problem.line == line_of(text, "verified: true")
    assert "verified: false" in problem.render()


# ------------------------------------------------------------------------------------------ 先行救助 / 容缺受理


def test_first_aid_loads_with_materials_of_the_item(valid_text: str) -> None:
    item = load_item_text(valid_text + FIRST_AID, path="ok.yaml").item
    assert item.first_aid is not None
    assert item.first_aid.materials == ("bills",)
    assert item.first_aid.when is not None and item.first_aid.when.equals == "emergency"
    assert item.tolerated is None


def test_policy_names_an_unknown_material(valid_text: str) -> None:
    text = valid_text + FIRST_AID.replace("[bills]", "[bills, id_copy]")
    problem = only(text)
    assert problem.line == line_of(text, "materials: [bills, id_copy]")
    assert "先行救助的材料“id_copy”不在本事项的材料" in problem.render()
    assert "id_card" in problem.render()  # what exists


def test_policy_names_an_optional_material(valid_text: str) -> None:
    text = valid_text + FIRST_AID.replace("[bills]", "[photo]")
    assert "不是必需材料" in only(text).render()


def test_policy_condition_refers_to_an_item_field(valid_text: str) -> None:
    text = valid_text + FIRST_AID.replace("field: kind_of_help, equals: emergency", "field: kind, equals: emergency")
    problem = only(text)
    assert problem.line == line_of(text, "field: kind, equals")
    assert "条件引用的字段“kind”不存在" in problem.render()
    text = valid_text + FIRST_AID.replace("equals: emergency}", "equals: fire}")
    assert "“fire”不是字段“kind_of_help”的选项" in only(text).render()


def test_policy_basis_must_be_findable(valid_text: str) -> None:
    text = valid_text + FIRST_AID.replace("    doc_no: 国发〔2014〕47号\n", "")
    problem = only(text)
    assert problem.line == line_of(text, "title: 国务院关于全面建立临时救助制度的通知")
    assert "须有可查的依据" in problem.render()


def test_first_aid_is_for_social_assistance_only(valid_text: str) -> None:
    text = valid_text.replace("category: 社会救助", "category: 殡葬") + FIRST_AID
    problem = only(text)
    assert problem.line == line_of(text, "materials: [bills]")
    assert "先行救助只适用于社会救助类事项" in problem.render()


def test_tolerated_is_for_applications_only(valid_text: str) -> None:
    tolerated = FIRST_AID.replace("first_aid:", "tolerated:").replace(
        "  when: {field: kind_of_help, equals: emergency}\n", ""
    )
    text = valid_text.replace("kind: application", "kind: consultation") + tolerated
    assert "容缺受理只适用于受理类事项" in only(text).render()
    assert load_item_text(valid_text + tolerated, path="ok.yaml").item.tolerated is not None


def test_policy_days_have_a_chinese_name(valid_text: str) -> None:
    text = valid_text + FIRST_AID.replace("days: 10", "days: 十")
    problem = only(text)
    assert problem.line == line_of(text, "days: 十")
    assert "补齐期限（工作日）应为整数" in problem.render()


# ---------------------------------------------------------------------------------------------------- materials


def id_card(extra: str, form: str = "original") -> str:
    return f"  - key: id_card\n    name: {{zh: 身份证, en: ID card}}\n    form: {form}\n{extra}"


def test_handling_unit_and_e_licence_load(valid_text: str) -> None:
    text = valid_text.replace(id_card(""), id_card("    handling: return\n    e_license: true\n"))
    text = text.replace(
        "    standard: {zh: 2 寸照片, en: 2-inch photo}\n",
        "    standard: {zh: 2 寸照片, en: 2-inch photo}\n    unit: 张\n",
    )
    item = load_item_text(text, path="ok.yaml").item
    card = item.materials[0]
    assert (card.handled(), card.e_license) == (MaterialHandling.RETURN, True)
    assert item.materials[2].unit is MaterialUnit.SHEETS
    assert item.materials[1].handled() is MaterialHandling.COPY  # original_and_copy without a handling


def test_e_licence_on_a_paper_the_centre_keeps(valid_text: str) -> None:
    text = valid_text.replace(id_card(""), id_card("    e_license: true\n"))
    problem = only(text)
    assert problem.line == line_of(text, "e_license: true")
    assert "不能用电子证照代替" in problem.render()


def test_e_licence_on_an_electronic_material(valid_text: str) -> None:
    text = valid_text.replace(id_card(""), id_card("    e_license: true\n", form="electronic"))
    assert "不必再标 e_license" in only(text).render()


@pytest.mark.parametrize("mark", ["【本地暂定，待确认】", "（格式未找到）", "示例"])
def test_a_printed_standard_carries_no_authors_remark(valid_text: str, mark: str) -> None:
    text = valid_text.replace("standard: {zh: 有效身份证原件,", f"standard: {{zh: {mark}有效身份证原件,")
    problem = only(text)
    assert problem.line == line_of(text, mark)
    assert "材料的 note 中" in problem.render()
    noted = valid_text.replace(
        "    standard: {zh: 有效身份证原件, en: Valid ID card}\n",
        f"    standard: {{zh: 有效身份证原件, en: Valid ID card}}\n    note: {{zh: {mark}, en: to confirm}}\n",
    )
    assert load_item_text(noted, path="ok.yaml").item.materials[0].note is not None


def test_a_copy_is_not_handed_back(valid_text: str) -> None:
    text = valid_text.replace(id_card(""), id_card("    handling: return\n", form="copy"))
    problem = only(text)
    assert problem.line == line_of(text, "handling: return")
    assert "复印件（form: copy）由中心收取" in problem.render()


# ---------------------------------------------------------------------------------------------------- kinds and dates


def test_an_inquiry_promises_no_date(valid_text: str) -> None:
    text = valid_text.replace("kind: application", "kind: inquiry")
    found = problems(text)
    assert [p.line for p in found] == [line_of(text, "promised_days: 10"), line_of(text, "legal_days: 20")]
    assert "不承诺办结日" in found[0].render()
    answered = text.replace("promised_days: 10\n", "").replace("legal_days: 20\n", "")
    assert load_item_text(answered, path="ok.yaml").item.promised_days is None


def test_a_placeholder_start_date_says_so(valid_text: str) -> None:
    text = valid_text.replace(
        "effective_from: 2025-01-01", "effective_from: 2025-01-01\neffective_from_placeholder: true"
    )
    problem = only(text)
    assert "effective_from_source" in problem.render() and "待确认" in problem.render()
    marked = text.replace(
        "effective_from_placeholder: true",
        "effective_from_placeholder: true\neffective_from_source: 未找到公开依据，待确认",
    )
    assert load_item_text(marked, path="ok.yaml").item.effective_from_placeholder is True


def test_a_misspelt_basis_key_lists_the_keys_of_a_basis(valid_text: str) -> None:
    text = valid_text + BASIS_OK + "    artcle: 第四十八条\n"
    problem = only(text)
    assert problem.line == line_of(text, "artcle")
    rendered = problem.render()
    assert "不认识的键“artcle”" in rendered
    assert all(key in rendered for key in ("title", "doc_no", "article", "url", "verified", "note"))
