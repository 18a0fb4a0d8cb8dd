"""Catalog item versions published centrally (事项准入/变更/退出): canonical JSON in, a feed entry for every center out
(ARCHITECTURE.md invariant 7)."""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.catalog.schema import ServiceItem
from app.sync import protocol
from server.services import feed
from server.services.common import ServiceError, insert
from server.store.models import CatalogVersionRow, utcnow


def publish_catalog(session: Session, canonical: str) -> int | None:
    """Publish one catalog item version (its canonical JSON); None when that exact version was already there."""
    item = ServiceItem.from_canonical_json(canonical)
    if item.canonical_json() != canonical:
        raise ServiceError(422, "not_canonical", "事项文件不是规范 JSON（请用 yimen catalog export 生成）。")
    sha = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    now = utcnow()
    stmt = (
        insert(session, CatalogVersionRow.__table__)
        .values(sha256=sha, item_code=item.code, version=item.version, canonical_json=canonical, published_at=now)
        .on_conflict_do_nothing()
        .returning(CatalogVersionRow.sha256)
    )
    if session.execute(stmt).first() is None:
        existing = session.scalar(select(CatalogVersionRow.sha256).where(CatalogVersionRow.sha256 == sha))
        if existing is None:
            raise ServiceError(409, "version_taken", f"事项 {item.code} 的第 {item.version} 版已发布为不同内容。")
        return None
    change = protocol.CatalogChange(
        item_code=item.code, version=item.version, sha256=sha, canonical_json=canonical, changed_at=now
    )
    return feed.append(session, None, change, now)
