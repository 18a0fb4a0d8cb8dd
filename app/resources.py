"""The one resource resolver, for the source tree and the frozen bundle alike (STYLE.md §19, docs/bundle.md).

Every file the running program reads from the installation (catalog, calendar files, fonts, translations, the
demo deployment, the guides F1 opens) is found here, below :func:`root`: the checkout, or the bundle's
``_internal`` folder (``sys._MEIPASS``), where installer/yimen.spec puts them at the same relative paths.  (The
Alembic scripts are the one exception: ``db`` may import nothing of ours, so db/migrate.py finds them beside
itself, which the spec mirrors.)
"""

from __future__ import annotations

import sys
from pathlib import Path


def root() -> Path:
    """The folder holding ``resources/`` and ``docs/``: the frozen bundle's ``sys._MEIPASS``, else the checkout."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root is not None:
        return Path(frozen_root)
    return Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    """Return the folder holding catalog, fonts, translations and demo data."""
    return root() / "resources"


def resource_path(*parts: str) -> Path:
    """Return the path of a resource below :func:`resources_dir`."""
    return resources_dir().joinpath(*parts)


def docs_path(*parts: str) -> Path:
    """Return the path of a shipped guide below ``docs/`` (the clerk's guide F1 opens, with its screenshots)."""
    return root().joinpath("docs", *parts)
