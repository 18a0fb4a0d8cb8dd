"""The one version of Yimen: ``[project] version`` in pyproject.toml, which a release tag (``v0.2.0``) must match
(``make installers`` refuses a tag that differs; docs/installing.md).

From the source tree it is read from pyproject.toml itself (an editable install's metadata would lag behind a bump
until reinstalled); installed or frozen, from the package metadata (the PyInstaller spec copies it into the bundle).
"""

from __future__ import annotations

import functools
import importlib.metadata
import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

DISTRIBUTION = "yimen"
#: What a build without any version information reports (never a release).
UNKNOWN = "0+unknown"


@functools.cache
def version() -> str:
    """This build's version, e.g. ``0.1.0``."""
    if not getattr(sys, "frozen", False):
        pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
        try:
            with pyproject.open("rb") as fh:
                text = tomllib.load(fh).get("project", {}).get("version")
        except (OSError, tomllib.TOMLDecodeError):
            text = None
        if isinstance(text, str) and text:
            return text
    try:
        return importlib.metadata.version(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        return UNKNOWN


# ------------------------------------------------------------------------------------------------ comparing versions
# A subset of PEP 440 (https://peps.python.org/pep-0440/): the release segment only, ``N(.N)*``, with PEP 440's
# leading ``v`` and a local label (``+…``) tolerated and ignored.  Pre-, post- and development releases are not
# ours: a release tag is ``vX.Y.Z``.  As PEP 440 says, trailing zeros do not count: ``1.0`` equals ``1.0.0``.

#: The longest version text accepted (a header, a setting, a column).
VERSION_MAX = 32

_RELEASE = re.compile(r"[vV]?(?P<release>[0-9]+(?:\.[0-9]+)*)(?:\+[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*)?")


def parse_version(text: str) -> tuple[int, ...]:
    """The release numbers of ``text`` without trailing zeros (``"0.10.0"`` → ``(0, 10)``, ``"1"`` → ``(1,)``).

    Raises:
        ValueError: ``text`` is no release version of this subset (``"1.0rc1"``, ``"abc"``, ``""``, too long).
    """
    stripped = text.strip()
    found = _RELEASE.fullmatch(stripped) if len(stripped) <= VERSION_MAX else None
    if found is None:
        raise ValueError(f"not a release version (N.N.N): {text[:VERSION_MAX]!r}")
    numbers = [int(part) for part in found["release"].split(".")]
    while len(numbers) > 1 and numbers[-1] == 0:
        numbers.pop()
    return tuple(numbers)


def is_older(version_text: str, than: str) -> bool:
    """Whether ``version_text`` is an earlier release than ``than`` (both as :func:`parse_version` reads them).

    Raises:
        ValueError: either is no release version.
    """
    return parse_version(version_text) < parse_version(than)


def valid_version(text: str | None) -> str | None:
    """``text`` stripped when it is a release version, else None (an absent or unreadable version)."""
    if text is None:
        return None
    try:
        parse_version(text)
    except ValueError:
        return None
    return text.strip()


@dataclass(frozen=True)
class UpdateNotice:
    """An update the server's published versions make due for this build (docs/sync-protocol.md "Client versions").

    Attributes:
        required: this build is older than the server's minimum: the server refuses it until IT installs a newer one.
        version: the version to install (the latest published, else the minimum).
    """

    required: bool
    version: str


def update_notice(current: str, *, minimum: str | None, latest: str | None) -> UpdateNotice | None:
    """What the published ``minimum`` and ``latest`` mean for ``current``: None when no update is due.  A published
    version that is not readable is ignored (the server validates its settings, so that is only an old answer)."""
    minimum, latest = valid_version(minimum), valid_version(latest)
    mine = valid_version(current)
    if mine is None:
        mine = "0"
    target = latest if latest is not None and (minimum is None or not is_older(latest, minimum)) else minimum
    if target is None or not is_older(mine, target):
        return None
    return UpdateNotice(required=minimum is not None and is_older(mine, minimum), version=target)
