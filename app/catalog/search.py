"""Finding an item at the counter: by Chinese name, code, pinyin initials or full pinyin, grouped by category.

A clerk types whatever is fastest: ``低保``, ``MZ-SHJZ``, ``zdsh`` (最低生活保障 by initials), ``cjr`` (残疾人…),
``laonian`` (full pinyin).  Matching is case-insensitive and ignores full-width forms, spaces and the dashes of a
code.  Pinyin comes from pypinyin's phrase-aware reading (重度 → zhòng, not chóng).

Ranking, best first: exact code; name starting with the query; code starting with it; name containing it; pinyin
initials starting with it; full pinyin starting with it; initials or full pinyin containing it; the English name,
the code or the category containing it.  Ties keep the catalog order (category order, then code).

Memory (issue 16): pypinyin's dictionaries take ~55 MiB of a process for the sake of a few dozen item names.
:func:`prepare` computes the keys of the catalog's names once (the counter does it on the database worker after
the services open) and then releases pypinyin; a name not prepared imports it again when first searched.
"""

from __future__ import annotations

import functools
import sys
import threading
import unicodedata
from collections.abc import Iterable

from app.catalog.schema import CATEGORY_ORDER, Category, ServiceItem, Status


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().strip()


def _code_key(text: str) -> str:
    return "".join(ch for ch in _norm(text) if ch.isalnum())


_pinyin_lock = threading.Lock()  # pypinyin is imported, used and released under it


@functools.lru_cache(maxsize=4096)
def pinyin_keys(text: str) -> tuple[str, str]:
    """Return (initials, full pinyin) of ``text`` in lower case.

    最低生活保障 → ``("zdshbz", "zuidishenghuobaozhang")``.  Text that is not Chinese is kept as it is
    (letters and digits only).
    """
    with _pinyin_lock:
        from pypinyin import Style, lazy_pinyin

        syllables = lazy_pinyin(text, style=Style.NORMAL, errors="default")
    initials: list[str] = []
    full: list[str] = []
    for syllable in syllables:
        clean = "".join(ch for ch in _norm(syllable) if ch.isalnum())
        if not clean:
            continue
        full.append(clean)
        initials.append(clean[0] if clean.isascii() else clean)
    return "".join(initials), "".join(full)


def prepare(items: Iterable[ServiceItem]) -> None:
    """Compute the pinyin keys of ``items``' names now, then release pypinyin's dictionaries (module docstring)."""
    for item in items:
        for name in _names(item):
            pinyin_keys(name)
    release_pinyin()


def release_pinyin() -> None:
    """Forget pypinyin's modules, so that their dictionaries can be freed (the keys computed stay cached).

    The modules' dictionaries and functions refer to each other: they go at the next full collection, which the
    caller runs where it is safe (a GUI program on its GUI thread: a collection on a worker thread may destroy Qt
    objects there while the GUI thread builds widgets, and the two threads then wait on each other).
    """
    with _pinyin_lock:
        for name in [m for m in sys.modules if m == "pypinyin" or m.startswith("pypinyin.")]:
            del sys.modules[name]


def _names(item: ServiceItem) -> list[str]:
    names = [item.name.zh]
    if item.short_name is not None:
        names.append(item.short_name.zh)
    return names


def _score(item: ServiceItem, query: str) -> int | None:
    """Rank of ``item`` for the normalized ``query`` (lower is better), or None when it does not match."""
    code = _code_key(item.code)
    code_query = _code_key(query)
    names = [_norm(n) for n in _names(item)]
    if code_query and code == code_query:
        return 0
    if any(n.startswith(query) for n in names):
        return 1
    if code_query and code.startswith(code_query):
        return 2
    if any(query in n for n in names):
        return 3
    letters = "".join(ch for ch in query if ch.isalnum())
    if letters and letters.isascii():
        keys = [pinyin_keys(n) for n in _names(item)]
        if any(initials.startswith(letters) for initials, _ in keys):
            return 4
        if any(full.startswith(letters) for _, full in keys):
            return 5
        if any(letters in initials or letters in full for initials, full in keys):
            return 6
    if query in _norm(item.name.en) or (code_query and code_query in code) or query in _norm(item.category.value):
        return 7
    return None


def _catalog_order(item: ServiceItem) -> tuple[int, str]:
    return CATEGORY_ORDER.index(item.category), item.code


def search_items(items: Iterable[ServiceItem], query: str, *, include_retired: bool = False) -> list[ServiceItem]:
    """Return the items matching ``query``, best match first.

    Args:
        items: the items to search (e.g. the catalog's newest versions).
        query: what the clerk typed; empty or blank returns every item in catalog order.
        include_retired: also return retired items (for looking up old records).

    Returns:
        The matching items, ranked (see the module docstring); ties in catalog order.
    """
    pool = [i for i in items if include_retired or i.status is not Status.RETIRED]
    q = _norm(query)
    if not q:
        return sorted(pool, key=_catalog_order)
    scored = [(score, _catalog_order(i), i) for i in pool if (score := _score(i, q)) is not None]
    scored.sort(key=lambda t: (t[0], t[1]))
    return [i for _, _, i in scored]


def group_by_category(items: Iterable[ServiceItem]) -> list[tuple[Category, list[ServiceItem]]]:
    """Group items by category, categories in :data:`~app.catalog.schema.CATEGORY_ORDER`.

    Within a category the items keep the order they were given in (so a ranked search result stays ranked);
    categories without items are left out.
    """
    groups: dict[Category, list[ServiceItem]] = {}
    for item in items:
        groups.setdefault(item.category, []).append(item)
    return [(category, groups[category]) for category in CATEGORY_ORDER if category in groups]
