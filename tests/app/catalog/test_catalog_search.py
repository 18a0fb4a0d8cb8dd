"""Search by Chinese name, code and pinyin; grouping by category."""

from __future__ import annotations

from app.catalog.loader import LoadedItem
from app.catalog.schema import CATEGORY_ORDER, Category, ServiceItem, Status
from app.catalog.search import group_by_category, pinyin_keys, search_items


def codes(found: list[ServiceItem]) -> list[str]:
    return [i.code for i in found]


def test_pinyin_keys() -> None:
    assert pinyin_keys("最低生活保障") == ("zdshbz", "zuidishenghuobaozhang")
    assert pinyin_keys("重度残疾人护理补贴")[0] == "zdcjrhlbt"  # 重度 read zhòng


def test_pinyin_initials(items: dict[str, ServiceItem]) -> None:
    assert codes(search_items(items.values(), "zdsh"))[0] == "MZ-SHJZ-001"
    assert codes(search_items(items.values(), "ZDSH"))[0] == "MZ-SHJZ-001"
    found = codes(search_items(items.values(), "cjr"))
    assert {"CL-CJFW-001", "CL-CJFW-002", "CL-CJZ-001"} <= set(found)
    # Names or short names starting with the initials come first (残疾人证, 残疾人生活补贴, 残疾人护理补贴).
    assert sorted(found[:3]) == ["CL-CJFW-001", "CL-CJFW-002", "CL-CJZ-001"]
    assert codes(search_items(items.values(), "lnzh"))[0] == "MZ-YLFW-001"


def test_full_pinyin(items: dict[str, ServiceItem]) -> None:
    assert set(codes(search_items(items.values(), "laonian"))) == {"MZ-YLFW-001", "MZ-YLFW-002", "MZ-YLFW-004"}


def test_chinese_substring(items: dict[str, ServiceItem]) -> None:
    assert codes(search_items(items.values(), "低保"))[0] == "MZ-SHJZ-001"  # short name 低保
    assert codes(search_items(items.values(), "婚姻")) == ["MZ-HY-001"]
    assert set(codes(search_items(items.values(), "殡葬"))) == {"MZ-BZ-001", "MZ-BZ-002"}


def test_code(items: dict[str, ServiceItem]) -> None:
    assert codes(search_items(items.values(), "MZ-SHJZ-001")) == ["MZ-SHJZ-001"]
    assert codes(search_items(items.values(), "mzshjz001")) == ["MZ-SHJZ-001"]
    assert codes(search_items(items.values(), "cl-cjfw"))[:3] == ["CL-CJFW-001", "CL-CJFW-002", "CL-CJFW-003"]


def test_no_match_and_empty_query(items: dict[str, ServiceItem]) -> None:
    assert search_items(items.values(), "qqqqzz") == []
    everything = search_items(items.values(), "  ")
    assert len(everything) == len(items)
    assert [CATEGORY_ORDER.index(i.category) for i in everything] == sorted(
        CATEGORY_ORDER.index(i.category) for i in everything
    )


def test_retired_items_only_when_asked(valid_item: LoadedItem) -> None:
    retired = valid_item.item.model_copy(update={"status": Status.RETIRED})
    assert search_items([retired], "测试") == []
    assert search_items([retired], "测试", include_retired=True) == [retired]
    assert search_items([retired], "", include_retired=True) == [retired]


def test_group_by_category_keeps_the_order(items: dict[str, ServiceItem]) -> None:
    found = search_items(items.values(), "cjr")
    groups = group_by_category(found)
    assert [c for c, _ in groups] == [c for c in CATEGORY_ORDER if any(i.category is c for i in found)]
    flat = [i for _, group in groups for i in group]
    assert sorted(codes(flat)) == sorted(codes(found))
    everything = group_by_category(search_items(items.values(), ""))
    assert [c for c, _ in everything] == list(CATEGORY_ORDER)
    assert everything[0][0] is Category.SOCIAL_ASSISTANCE
    assert group_by_category([]) == []
