"""The retention purge of a closed case takes its material files along (app/retention.py, docs/privacy.md "Material
files"): a real store, a real server acknowledging the case and its files, the clock past the retention period."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from app.attachments import AttachmentStore
from tests.app.sync.synckit import Workstation
from tests.app.sync.test_attachment_upload import noise_png, take_with_files
from tests.storekit import connect_store

pytestmark = pytest.mark.slow

T0 = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)
DAYS = 190  # the default privacy.retention_days


def rows(ws: Workstation, statement: str) -> list[Any]:
    conn = connect_store(ws.services.db.path)
    try:
        return conn.execute(statement).fetchall()
    finally:
        conn.close()


def test_a_purged_case_takes_its_files_and_a_file_a_kept_case_names_stays(
    services_factory: Any, tmp_path: Path, central: Any, clock: Any
) -> None:
    clock.now = T0
    ws = Workstation(services_factory, tmp_path / "ws", central.url)
    ws.enroll(central.engine())
    store = AttachmentStore(ws.services.db, clock=clock)
    own, shared = store.add(noise_png(120)), store.add(noise_png(130))
    take_with_files(ws, [own.sha256, shared.sha256])
    ws.services.documents.heal()
    clock.advance(days=100)
    kept = take_with_files(ws, [shared.sha256])
    ws.services.documents.heal()
    assert ws.sync.sync_once().push.quarantined == 0
    assert rows(ws, "SELECT count(*) FROM attachment_blobs WHERE uploaded_at IS NULL") == [(0,)]

    clock.now = T0 + dt.timedelta(days=DAYS, hours=1)
    assert ws.services.purge().count == 1
    assert rows(ws, "SELECT sha256 FROM attachment_blobs") == [(shared.sha256,)]
    assert rows(ws, "SELECT sha256 FROM attachment_data") == [(shared.sha256,)]
    assert [r.sha256 for r in store.for_case(kept.application_id)] == [shared.sha256]
    assert rows(ws, "SELECT count(*) FROM attachments") == [(1,)]
