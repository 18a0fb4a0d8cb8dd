"""The shipped catalog (resources/catalog/items): loads cleanly, covers the starter catalog, cites its facts."""

from __future__ import annotations

import hashlib
import json
import re

from app.catalog.loader import CatalogLoad, validate_paths
from app.catalog.schema import (
    PLACEHOLDER_MARK,
    Category,
    Department,
    Kind,
    LegalNature,
    MaterialForm,
    MaterialHandling,
    MaterialUnit,
    ServiceItem,
    Status,
)
from app.domain import PartyRole
from app.resources import resource_path

EXPECTED = {
    "MZ-SHJZ-001": "最低生活保障",
    "MZ-SHJZ-002": "临时救助",
    "MZ-SHJZ-003": "支出型贫困家庭生活救助",
    "MZ-SHJZ-004": "特困人员救助供养",
    "YB-YLJZ-001": "医疗救助",
    "CL-CJFW-001": "困难残疾人生活补贴",
    "CL-CJFW-002": "重度残疾人护理补贴",
    "CL-CJFW-003": "重残无业人员生活补助",
    "CL-CJZ-001": "残疾人证",
    "MZ-YLFW-001": "老年综合津贴",
    "MZ-YLFW-002": "老年照护统一需求评估",
    "MZ-YLFW-003": "康复辅具社区租赁",
    "MZ-BZ-001": "基本殡葬服务补贴",
    "MZ-BZ-002": "节地生态安葬奖补",
    "TY-YF-001": "定期抚恤金",
    "MZ-HY-001": "婚姻登记",
}


def test_every_shipped_file_loads_without_problems(shipped: CatalogLoad) -> None:
    assert [p.render() for p in shipped.problems] == []
    assert shipped.files == len(list(resource_path("catalog", "items").glob("*.yaml")))
    assert len(shipped.items) == shipped.files


def test_the_starter_catalog_is_there(items: dict[str, ServiceItem]) -> None:
    active = [i for i in items.values() if i.status is Status.ACTIVE]
    assert len(active) >= 16
    for code, name in EXPECTED.items():
        assert name in items[code].name.zh, code


def test_file_names_are_the_codes(shipped: CatalogLoad) -> None:
    for code, loaded in shipped.items.items():
        assert loaded.path.endswith(f"{code}.yaml")


def test_canonical_json_round_trips(shipped: CatalogLoad) -> None:
    for loaded in shipped.items.values():
        again = ServiceItem.from_canonical_json(loaded.canonical_json)
        assert again == loaded.item
        assert again.canonical_json() == loaded.canonical_json
        assert ServiceItem.model_validate(json.loads(loaded.canonical_json)) == loaded.item
        assert loaded.sha256 == hashlib.sha256(loaded.canonical_json.encode("utf-8")).hexdigest()


def test_application_items_have_a_time_limit_and_its_source(items: dict[str, ServiceItem]) -> None:
    for item in items.values():
        if item.kind is Kind.APPLICATION:
            assert item.promised_days is not None, item.code
            assert item.time_limit_source, item.code
        if item.time_limit_placeholder:
            assert item.time_limit_source is not None
            assert "未找到上海公开依据" in item.time_limit_source, item.code
            assert PLACEHOLDER_MARK in item.time_limit_source, item.code


def test_every_item_says_what_was_not_found_and_cites_sources(items: dict[str, ServiceItem]) -> None:
    for item in items.values():
        assert item.notes is not None and "未找到" in item.notes, item.code
        assert item.sources, item.code
        for amount in item.amounts:
            assert amount.source, (item.code, amount.name)


def test_agents_bring_a_power_of_attorney(items: dict[str, ServiceItem]) -> None:
    for item in items.values():
        if item.party(PartyRole.AGENT) is not None:
            keys = {m.key for m in item.materials if m.per_party is PartyRole.AGENT}
            assert "power_of_attorney" in keys, item.code


def test_marriage_is_a_precheck_without_household_register(items: dict[str, ServiceItem]) -> None:
    marriage = items["MZ-HY-001"]
    assert marriage.kind is Kind.PRECHECK
    assert marriage.party(PartyRole.AGENT) is None  # both parties appear in person
    assert not any("户口" in m.name.zh or "户口" in m.standard.zh for m in marriage.materials)


def test_places_outside_the_centres_are_consultations(items: dict[str, ServiceItem]) -> None:
    assert items["MZ-BZ-002"].kind is Kind.CONSULTATION  # registered at the cemetery
    assert items["MZ-YLFW-003"].kind is Kind.CONSULTATION  # whether centres take it: NOT FOUND


def test_funeral_subsidy_checks_the_deceased(items: dict[str, ServiceItem]) -> None:
    funeral = items["MZ-BZ-001"]
    assert funeral.residence_party is PartyRole.DECEASED
    assert [a.fen for a in funeral.amounts if a.name == "cap"] == [98000]


def test_validate_paths_on_the_shipped_folder() -> None:
    lines, code = validate_paths([resource_path("catalog", "items")])
    assert code == 0
    assert any(re.fullmatch(r"✓ MZ-SHJZ-001\.yaml：MZ-SHJZ-001 最低生活保障申请 v\d+", line) for line in lines)
    assert lines[-1].endswith("0 个有问题")


# ---------------------------------------------------------------------------------------------------- issue 13


def test_every_item_has_a_nature_and_only_a_licence_cites_the_licensing_law(items: dict[str, ServiceItem]) -> None:
    for item in items.values():
        assert item.nature is not None, item.code
        bases = [*item.legal_basis, *(p.basis for p in (item.tolerated, item.first_aid) if p is not None)]
        if item.nature is not LegalNature.LICENSING:
            assert not any("行政许可法" in b.title for b in bases), item.code


def test_every_article_cited_names_where_it_comes_from(items: dict[str, ServiceItem]) -> None:
    """A notice quotes an article only when the catalog says where it was read (文号 or URL); an official text seen
    is a URL; a citation not checked against one says why in its note."""
    for item in items.values():
        bases = [*item.legal_basis, *(p.basis for p in (item.tolerated, item.first_aid) if p is not None)]
        for basis in bases:
            if basis.article is not None:
                assert basis.doc_no or basis.url, (item.code, basis.title)
            if basis.verified:
                assert basis.url, (item.code, basis.title)
            else:
                assert basis.note, (item.code, basis.title)


def test_superseded_documents_are_not_cited(items: dict[str, ServiceItem]) -> None:
    superseded = "沪民救发〔2002〕82号"  # replaced by the 2021 notice (mzj.sh.gov.cn, 2021-07-26)
    for item in items.values():
        for basis in item.legal_basis:
            assert superseded not in f"{basis.title}{basis.doc_no or ''}", item.code
        for source in item.sources:
            if superseded in (source.doc_no or ""):
                assert "取代" in f"{source.title}{source.note or ''}", item.code


def test_every_start_date_names_its_source_or_says_it_has_none(items: dict[str, ServiceItem]) -> None:
    for item in items.values():
        assert item.effective_from_source, item.code
        if item.effective_from_placeholder:
            assert PLACEHOLDER_MARK in item.effective_from_source, item.code
            assert "未找到" in item.effective_from_source, item.code
    assert items["CL-CJFW-001"].effective_from_placeholder is False  # 2025-07-01: 沪民残福发〔2025〕5号
    assert items["MZ-SHJZ-002"].effective_from_placeholder is True


def test_originals_shown_are_handed_back_and_units_fit(items: dict[str, ServiceItem]) -> None:
    """An ID card or a certificate the citizen keeps is checked and returned (or copied); photos count in 张, a
    household register handed over in 本 and its copies in 份 (issue 13: the receipt listed the ID card as kept)."""
    for item in items.values():
        for m in item.materials:
            where = (item.code, m.key)
            if m.name.zh.endswith("居民身份证") or m.key in ("disability_cert", "household_register"):
                assert m.handled() in (MaterialHandling.RETURN, MaterialHandling.COPY), where
            if "照片" in m.name.zh:
                assert m.unit is MaterialUnit.SHEETS, where
                if item.kind is Kind.APPLICATION:  # a pre-check keeps nothing
                    assert m.handled() is MaterialHandling.KEEP, where
            if "户口簿" in m.name.zh:
                # The unit counts what the centre keeps: the booklet itself, or the copies of it (份).
                copied = m.handled() is MaterialHandling.COPY
                assert m.unit is (MaterialUnit.COPIES if copied else MaterialUnit.BOOKLETS), where
            if m.key in ("power_of_attorney", "application_form"):
                assert m.handled() is MaterialHandling.KEEP, where
            if m.e_license:
                assert m.form is not MaterialForm.ELECTRONIC, where


def test_severe_disability_allowance_is_handled_like_dibao(items: dict[str, ServiceItem]) -> None:
    item = items["CL-CJFW-003"]
    assert item.department is Department.CIVIL_AFFAIRS
    assert Department.DISABLED_PERSONS_FEDERATION in item.co_departments
    assert [b.title for b in item.legal_basis] == ["关于对重残无业人员给予生活补助的通知"]
    assert item.legal_basis[0].doc_no is None  # 文号 NOT FOUND: never the superseded one


def test_survivor_pension_cites_the_2024_regulation_without_an_article(items: dict[str, ServiceItem]) -> None:
    item = items["TY-YF-001"]
    assert [(b.title, b.article, b.doc_no) for b in item.legal_basis] == [("军人抚恤优待条例", None, None)]
    shown = [f.help.zh for f in item.fields if f.help] + [f.label.zh for f in item.fields]
    assert not any("第十六条" in text or "2011" in text for text in shown)


def test_first_aid_only_for_emergency_temporary_assistance(items: dict[str, ServiceItem]) -> None:
    with_first_aid = {code for code, item in items.items() if item.first_aid is not None}
    assert with_first_aid == {"MZ-SHJZ-002"}
    policy = items["MZ-SHJZ-002"].first_aid
    assert policy is not None and policy.when is not None
    assert (policy.when.field, policy.when.equals) == ("assistance_type", "emergency")
    assert policy.materials == ("applicant_id_card",)
    assert policy.basis.doc_no == "国发〔2014〕47号" and policy.basis.article is None
    for item in items.values():
        if item.first_aid is not None:
            assert item.category is Category.SOCIAL_ASSISTANCE


def test_no_item_turns_on_tolerated_acceptance_without_a_local_document(items: dict[str, ServiceItem]) -> None:
    """容缺受理 is local practice: no Shanghai document allowing it for these items was found
    (docs/legal-basis.md), so no shipped item turns it on."""
    assert [code for code, item in items.items() if item.tolerated is not None] == []
