"""The catalog as the counter sees it: files on disk reconciled with the versions stored in the database.

Every validated item version is stored (``catalog_versions``: canonical JSON + SHA-256), so
- a broken or missing file never stops the counter: the last good version from the database is used and the
  problem is reported with file and line (docs/catalog.md);
- a record keeps the exact item version it was taken under, readable after the file changes or the item is
  retired (ARCHITECTURE.md invariant 11);
- a file whose content changed without a new ``version`` is refused (a version is immutable once stored), so two
  different definitions never share one version number.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.catalog.loader import LoadedItem, load_catalog_dir
from app.catalog.schema import ServiceItem
from app.i18n import Message, msg
from db.models import CatalogVersion


@dataclass(frozen=True)
class CatalogEntry:
    """One item version known to this workstation."""

    version_id: uuid.UUID
    sha256: str
    item: ServiceItem

    @property
    def code(self) -> str:
        return self.item.code

    @property
    def active(self) -> bool:
        return self.item.status == "active"


@dataclass
class Catalog:
    """The newest stored version of every item, plus what went wrong while loading.

    Attributes:
        entries: newest version of each item code (retired items included, marked inactive).
        problems: file problems and version conflicts, for the status bar and the log.
    """

    entries: dict[str, CatalogEntry] = field(default_factory=dict)
    problems: list[Message] = field(default_factory=list)

    def active_items(self) -> list[ServiceItem]:
        return [e.item for e in self.entries.values() if e.active]

    def entry(self, code: str) -> CatalogEntry | None:
        return self.entries.get(code)

    def item_name(self, code: str) -> str:
        """An item's Chinese name; its code for an item the catalog does not hold."""
        entry = self.entries.get(code)
        return entry.item.name.zh if entry is not None else code


def _store(session: Session, loaded: LoadedItem) -> tuple[CatalogVersion | None, Message | None]:
    item = loaded.item
    existing = session.scalar(
        select(CatalogVersion).where(CatalogVersion.item_code == item.code, CatalogVersion.version == item.version)
    )
    if existing is not None:
        if existing.sha256 == loaded.sha256 or _parse(existing).canonical_json() == loaded.canonical_json:
            # Same definition (a newer Yimen may canonicalize it differently: compare under today's schema).
            return existing, None
        return None, msg(
            "catalog",
            "文件 {path}：事项 {code} 的内容已改动但版本号仍为 {version}，已继续使用数据库中的原版本。"
            "修改事项时请同时提高 version。",
        ).bind(path=loaded.path, code=item.code, version=item.version)
    newest = session.scalar(
        select(CatalogVersion)
        .where(CatalogVersion.item_code == item.code)
        .order_by(CatalogVersion.version.desc())
        .limit(1)
    )
    if newest is not None and newest.version > item.version:
        return None, msg(
            "catalog", "文件 {path}：事项 {code} 的版本 {version} 低于已使用的版本 {newest}，已忽略该文件。"
        ).bind(path=loaded.path, code=item.code, version=item.version, newest=newest.version)
    row = CatalogVersion(
        item_code=item.code,
        version=item.version,
        sha256=loaded.sha256,
        status=item.status,
        canonical_json=loaded.canonical_json,
        source=loaded.path[-300:],
    )
    session.add(row)
    session.flush()
    return row, None


def store_published(session: Session, canonical_json: str, sha256: str) -> Message | None:
    """Store a catalog version pulled from the central server (事项准入/变更/退出), checked against its SHA-256;
    it is used from the next start, like a file that changed.  Returns a problem instead of raising."""
    if hashlib.sha256(canonical_json.encode("utf-8")).hexdigest() != sha256:
        return msg("catalog", "中心服务器下发的事项版本校验失败（内容与 SHA-256 不符），已忽略。")
    try:
        item = ServiceItem.from_canonical_json(canonical_json)
    except ValueError:
        return msg("catalog", "中心服务器下发的事项版本无法识别（可能需要升级本程序），已忽略。")
    loaded = LoadedItem(item=item, path="中心服务器", canonical_json=canonical_json, sha256=sha256)
    _, problem = _store(session, loaded)
    return problem


def reconcile(session: Session, folder: Path) -> Catalog:
    """Load the catalog files in ``folder``, store new versions, and return the newest of each item.

    Runs inside the caller's write transaction.  Never raises for a bad file.
    """
    load = load_catalog_dir(folder)
    catalog = Catalog(problems=[p.as_message() for p in load.problems])
    for loaded in load.items.values():
        _, problem = _store(session, loaded)
        if problem is not None:
            catalog.problems.append(problem)
    return _with_entries(session, catalog)


def stored(session: Session) -> Catalog:
    """The newest stored version of every item, without reading files."""
    return _with_entries(session, Catalog())


def _with_entries(session: Session, catalog: Catalog) -> Catalog:
    rows = session.scalars(select(CatalogVersion).order_by(CatalogVersion.item_code, CatalogVersion.version))
    for row in rows:  # ascending versions: the newest of each code wins
        catalog.entries[row.item_code] = CatalogEntry(row.id, row.sha256, _parse(row))
    return catalog


def _parse(row: CatalogVersion) -> ServiceItem:
    return ServiceItem.model_validate_json(row.canonical_json)


def version_by_id(session: Session, version_id: uuid.UUID) -> CatalogEntry:
    """The exact item version a record was taken under (readable even when retired or superseded)."""
    row = session.get(CatalogVersion, version_id)
    if row is None:
        raise LookupError(version_id)
    return CatalogEntry(row.id, row.sha256, _parse(row))
