"""Fixtures of the catalog tests: the shipped catalog (loaded once) and the small valid test item."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.catalog.loader import CatalogLoad, LoadedItem, load_catalog_dir, load_item_text
from app.catalog.schema import ServiceItem
from app.resources import resource_path

DATA = Path(__file__).resolve().parent / "data"
SHIPPED = resource_path("catalog", "items")


@pytest.fixture(scope="session")
def shipped() -> CatalogLoad:
    """The shipped catalog, loaded once for the session."""
    return load_catalog_dir(SHIPPED)


@pytest.fixture(scope="session")
def items(shipped: CatalogLoad) -> dict[str, ServiceItem]:
    """Shipped items by code."""
    return {code: loaded.item for code, loaded in shipped.items.items()}


@pytest.fixture(scope="session")
def valid_text() -> str:
    """The text of data/valid_item.yaml."""
    return (DATA / "valid_item.yaml").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def valid_item(valid_text: str) -> LoadedItem:
    return load_item_text(valid_text, path="valid_item.yaml")
