"""The one version and how versions compare (app/version.py): ``version()`` is pyproject's, ``parse_version`` reads
the release subset of PEP 440 and orders versions as PEP 440 does, and ``update_notice`` says what the versions a
server publishes mean for this build."""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.version import UpdateNotice, is_older, parse_version, update_notice, valid_version, version

ROOT = Path(__file__).resolve().parents[2]

releases = st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=4)


def text_of(numbers: list[int]) -> str:
    return ".".join(str(n) for n in numbers)


def test_the_version_is_pyprojects() -> None:
    with (ROOT / "pyproject.toml").open("rb") as fh:
        assert version() == tomllib.load(fh)["project"]["version"]
    parse_version(version())  # a release version of the subset


@given(releases)
def test_a_release_reads_back_as_its_numbers_without_trailing_zeros(numbers: list[int]) -> None:
    parsed = parse_version(text_of(numbers))
    trimmed = list(numbers)
    while len(trimmed) > 1 and trimmed[-1] == 0:
        trimmed.pop()
    assert parsed == tuple(trimmed)
    assert parse_version("v" + text_of(numbers)) == parsed  # PEP 440's leading v
    assert parse_version(text_of(numbers) + "+build.7") == parsed  # a local label does not count
    assert parse_version(text_of([*numbers, 0, 0])) == parsed  # 1.0 is 1.0.0


@given(releases, releases)
def test_is_older_orders_as_pep_440_does(a: list[int], b: list[int]) -> None:
    x, y = text_of(a), text_of(b)
    # PEP 440 compares release segments as tuples padded with zeros to the same length.
    width = max(len(a), len(b))
    pa, pb = a + [0] * (width - len(a)), b + [0] * (width - len(b))
    assert is_older(x, y) == (pa < pb)
    assert not (is_older(x, y) and is_older(y, x))  # antisymmetric
    assert not is_older(x, x)  # irreflexive
    assert is_older(x, y) or is_older(y, x) or parse_version(x) == parse_version(y)  # total


@given(releases, releases, releases)
def test_is_older_is_transitive(a: list[int], b: list[int], c: list[int]) -> None:
    x, y, z = text_of(a), text_of(b), text_of(c)
    if is_older(x, y) and is_older(y, z):
        assert is_older(x, z)


@pytest.mark.parametrize(
    "text", ["", " ", "abc", "1.0rc1", "1.0.post1", "1.0.dev3", "1..0", ".1", "1.", "1.0-beta", "1.0+", "1" * 40]
)
def test_anything_else_is_no_release_version(text: str) -> None:
    with pytest.raises(ValueError, match="release version"):
        parse_version(text)
    assert valid_version(text) is None


def test_known_orderings() -> None:
    assert is_older("0.1.0", "0.2.0")
    assert is_older("0.9", "0.10")  # numbers, not text
    assert is_older("1.9.9", "2")
    assert not is_older("0.2.0", "0.2")
    assert parse_version("0+unknown") == (0,)  # a build without version information is older than any release
    assert valid_version(None) is None
    assert valid_version(" 0.2.0 ") == "0.2.0"


@pytest.mark.parametrize(
    ("current", "minimum", "latest", "due"),
    [
        ("0.1.0", None, None, None),
        ("0.1.0", None, "0.1.0", None),
        ("0.2.0", None, "0.1.0", None),  # a newer build than the one rolled out: nothing to say
        ("0.1.0", None, "0.2.0", UpdateNotice(required=False, version="0.2.0")),
        ("0.1.0", "0.1.0", "0.2.0", UpdateNotice(required=False, version="0.2.0")),
        ("0.1.0", "0.1.5", "0.2.0", UpdateNotice(required=True, version="0.2.0")),
        ("0.1.0", "0.1.5", None, UpdateNotice(required=True, version="0.1.5")),
        ("0.1.0", "0.3", "0.2", UpdateNotice(required=True, version="0.3")),  # a latest below the minimum: the minimum
        ("0+unknown", None, "0.1.0", UpdateNotice(required=False, version="0.1.0")),
        ("0.1.0", "garbage", "also garbage", None),  # unreadable published versions are ignored
    ],
)
def test_update_notice(current: str, minimum: str | None, latest: str | None, due: UpdateNotice | None) -> None:
    assert update_notice(current, minimum=minimum, latest=latest) == due


# ------------------------------------------------------------------------------------------------ on paper


def test_every_printed_page_carries_the_version_at_its_foot(services: Any, clerk: Any) -> None:
    """A receipt (A4 and the 80 mm roll), a 补正 notice and a 申请表, read back with pdftotext: the mark is the
    lowest text of every page, right-aligned, in the bottom margin."""
    from app.documents import render as renderer
    from app.documents.fonts import load_fonts
    from app.documents.model import DocumentKind, Paper
    from app.intake.model import Decision
    from tests import pdfkit
    from tests.app.documents.doc_testkit import take

    settings = services.documents.settings
    fonts = load_fonts()
    accepted = take(services, clerk, "MZ-SHJZ-001", Decision.ACCEPT)
    supplement = take(services, clerk, "MZ-SHJZ-002", Decision.SUPPLEMENT)
    rendered = [
        renderer.render(DocumentKind.RECEIPT, accepted, settings, fonts),
        renderer.render(
            DocumentKind.RECEIPT, accepted, dataclasses.replace(settings, receipt_paper=Paper.THERMAL80), fonts
        ),
        renderer.render(DocumentKind.SUPPLEMENT_NOTICE, supplement, settings, fonts),
        renderer.render(DocumentKind.FORM, accepted, settings, fonts),
    ]
    mark = f"一门式受理台 {version()}"
    for document in rendered:
        pages = pdfkit.pages_text(document.pdf)
        assert pages and all(mark in page for page in pages), document.kind
        width, height = pdfkit.page_size_mm(document.pdf)
        found = pdfkit.words(document.pdf)
        for page in range(1, len(pages) + 1):
            on_page = [w for w in found if w.page == page]
            version_word = next(w for w in on_page if w.text == version())
            assert version_word.y_max == max(w.y_max for w in on_page), (document.kind, page)  # the lowest text
            assert version_word.y_min * 25.4 / 72 > height - 10  # in the bottom margin, within 10 mm of the edge
            assert version_word.x_max * 25.4 / 72 > width / 2  # right-aligned
