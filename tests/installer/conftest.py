"""The client's PyInstaller bundle, built once per test run (installer/bundle.py) and shared by the tests that read it.

``YIMEN_TEST_BUNDLE`` names an already built bundle folder (``…/yimen``) to use instead of building one, e.g. while
working on the tests or to check the bundle CI built.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from installer.bundle import Bundle, build_bundle, executable, host_arch

BUNDLE_ENV = "YIMEN_TEST_BUNDLE"


@pytest.fixture(scope="session")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Bundle:
    """The built bundle: its folder, architecture and build time (0 when reused from ``YIMEN_TEST_BUNDLE``)."""
    given = os.environ.get(BUNDLE_ENV)
    if given:
        folder = Path(given).resolve()
        assert executable(folder).is_file(), f"{BUNDLE_ENV}={given} is no built bundle (no {executable(folder).name})"
        return Bundle(folder=folder, arch=host_arch(), seconds=0.0)
    return build_bundle(tmp_path_factory.mktemp("bundle"))
