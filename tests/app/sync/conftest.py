"""Fixtures of the sync tests: an enrolled workstation against the real central server on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.app.sync.synckit import Workstation


@pytest.fixture
def ws(services_factory: Any, tmp_path: Path, central: Any) -> Workstation:
    """Workstation 003 of the test center, enrolled with the central server (``central``)."""
    station = Workstation(services_factory, tmp_path / "ws003", central.url)
    station.enroll(central.engine())
    return station
