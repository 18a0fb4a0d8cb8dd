"""The one version and how versions compare (app/version.py): ``version()`` is pyproject's, ``parse_version`` reads
the release subset of PEP 440 and orders versions as PEP 440 does, and ``update_notice`` says what the versions a
server publishes mean for this build."""

from __future__ import annotations

import tomllib
from pathlib import Path

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
