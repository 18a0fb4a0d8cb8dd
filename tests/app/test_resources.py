"""app.resources: one resolver for the checkout and the frozen bundle (docs/bundle.md)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from app import resources

REPO = Path(__file__).resolve().parents[2]


def test_from_the_checkout() -> None:
    assert not hasattr(sys, "_MEIPASS")
    assert resources.root() == REPO
    assert resources.resource_path("demo", "deployment.toml").is_file()
    assert resources.docs_path("guide-clerk.md").is_file()


def test_frozen_everything_below_meipass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """PyInstaller sets sys._MEIPASS to the bundle's _internal folder; the spec puts resources/ and docs/ there."""
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources.root() == tmp_path
    assert resources.resources_dir() == tmp_path / "resources"
    font = resources.resource_path("fonts", "YimenSerif-Regular.ttf")
    assert font == tmp_path / "resources" / "fonts" / "YimenSerif-Regular.ttf"
    assert resources.docs_path("screenshots", "intake.png") == tmp_path / "docs/screenshots/intake.png"
