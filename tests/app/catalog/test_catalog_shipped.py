"""The shipped catalog (resources/catalog/items): loads cleanly, covers the starter catalog, cites its facts."""

from __future__ import annotations

import hashlib
import json

from app.catalog.loader import CatalogLoad, validate_paths
from app.catalog.schema import PLACEHOLDER_MARK, Kind, ServiceItem, Status
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
    assert "✓ MZ-SHJZ-001.yaml：MZ-SHJZ-001 最低生活保障申请 v1" in lines
    assert lines[-1].endswith("0 个有问题")
