"""The one version of Yimen: ``[project] version`` in pyproject.toml, which a release tag (``v0.2.0``) must match
(``make installers`` refuses a tag that differs; docs/installing.md).

From the source tree it is read from pyproject.toml itself (an editable install's metadata would lag behind a bump
until reinstalled); installed or frozen, from the package metadata (the PyInstaller spec copies it into the bundle).
"""

from __future__ import annotations

import functools
import importlib.metadata
import sys
import tomllib
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
