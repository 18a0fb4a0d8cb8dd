"""The one resource resolver, for the source tree and the frozen bundle alike (STYLE.md §19)."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    """Return the folder holding catalog, fonts, translations and demo data."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root is not None:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """Return the path of a resource below :func:`resources_dir`."""
    return resources_dir().joinpath(*parts)


def docs_path(*parts: str) -> Path:
    """Return the path of a shipped guide below ``docs/`` (the clerk's guide F1 opens, with its screenshots)."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    root = Path(frozen_root) if frozen_root is not None else Path(__file__).resolve().parent.parent
    return root.joinpath("docs", *parts)
