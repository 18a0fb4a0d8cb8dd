"""Migration 0013: a case may be on a second 材料交接单 (owed paper brought after its first list was recorded); the
lists recorded before it keep their rows, and a case is still once on the same list."""

from __future__ import annotations

import pytest

from db.engine import Database, raw_connect
from db.migrate import head_revision, upgrade
from tests.db.test_migrations import Backups, _first_revision_with_rows, fresh  # noqa: F401 - the fixture

HANDOVER = """
    INSERT INTO handovers (id, number, department, receiver, handed_at, handed_by)
        VALUES ('h1', '示范交〔2026〕310104003-003-1号', '区民政局', '李·娜', '2026-12-15 08:00:00', 'u1');
    INSERT INTO handover_cases (id, handover_id, application_id) VALUES ('hc1', 'h1', 'a1');
"""


def test_existing_lists_are_kept_and_a_case_may_go_on_a_later_list(fresh: Database) -> None:  # noqa: F811
    _first_revision_with_rows(fresh)
    backups = Backups(fresh)
    upgrade(fresh.engine, fresh.path, backup=backups, target="0012")
    raw = raw_connect(fresh.path, fresh.key)
    raw.executescript(HANDOVER)
    raw.commit()
    try:
        with pytest.raises(Exception, match="UNIQUE constraint failed: handover_cases.application_id"):
            raw.execute("INSERT INTO handover_cases (id, handover_id, application_id) VALUES ('x', 'h1', 'a1')")
    finally:
        raw.close()
    report = upgrade(fresh.engine, fresh.path, backup=backups)
    assert report.to_revision == head_revision() and report.from_revision == "0012"
    check = raw_connect(fresh.path, fresh.key)
    try:
        assert check.execute("SELECT id, handover_id, application_id FROM handover_cases").fetchall() == [
            ("hc1", "h1", "a1")
        ]
        assert check.execute("SELECT number, receiver FROM handovers").fetchall() == [
            ("示范交〔2026〕310104003-003-1号", "李·娜")
        ]
        check.execute(
            "INSERT INTO handovers (id, number, department, receiver, handed_at, handed_by) "
            "VALUES ('h2', '示范交〔2026〕310104003-003-2号', '区民政局', NULL, '2026-12-16 08:00:00', 'u1')"
        )
        check.execute("INSERT INTO handover_cases (id, handover_id, application_id) VALUES ('hc2', 'h2', 'a1')")
        with pytest.raises(Exception, match="UNIQUE constraint failed"):  # a case is once on a list
            check.execute("INSERT INTO handover_cases (id, handover_id, application_id) VALUES ('hc3', 'h2', 'a1')")
        assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        check.close()
