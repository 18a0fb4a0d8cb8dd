"""The item search releases pypinyin once the catalog's names are prepared (issue 16: ~55 MiB of a counter's
memory), and still answers every query the same; a name not prepared brings pypinyin back."""

from __future__ import annotations

import sys

from app.catalog.schema import ServiceItem
from app.catalog.search import pinyin_keys, prepare, search_items


def codes(found: list[ServiceItem]) -> list[str]:
    return [i.code for i in found]


def test_prepared_names_are_searched_by_pinyin_without_pypinyin_loaded(items: dict[str, ServiceItem]) -> None:
    before = {q: codes(search_items(items.values(), q)) for q in ("zdsh", "cjr", "laonian", "低保", "MZ-SHJZ")}
    pinyin_keys.cache_clear()
    prepare(items.values())
    assert not [m for m in sys.modules if m == "pypinyin" or m.startswith("pypinyin.")]
    after = {q: codes(search_items(items.values(), q)) for q in before}
    assert after == before
    assert "pypinyin" not in sys.modules  # every name was prepared: nothing imported it again

    assert pinyin_keys("重度残疾人") == ("zdcjr", "zhongducanjiren")  # not prepared: pypinyin comes back
    assert "pypinyin" in sys.modules
