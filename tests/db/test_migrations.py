"""Migrations: the migrated schema equals the models; upgrades keep data, back up first, refuse newer schemas."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from db.engine import Database, prepare_data_dir
from db.migrate import SchemaTooNewError, alembic_config, current_revision, head_revision, upgrade
from db.models import Base


def _revisions() -> list[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return [r.revision for r in reversed(list(script.walk_revisions()))]


@pytest.fixture
def fresh(tmp_path: Path) -> Database:
    db = Database(prepare_data_dir(tmp_path / "data"))
    yield db
    db.dispose()


def test_migrated_schema_equals_models(fresh: Database) -> None:
    upgrade(fresh.engine, fresh.path)
    with fresh.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []


def test_fresh_database_needs_no_backup(fresh: Database) -> None:
    report = upgrade(fresh.engine, fresh.path)
    assert report.from_revision is None
    assert report.to_revision == head_revision()
    assert report.backup is None
    assert upgrade(fresh.engine, fresh.path).backup is None  # already current: nothing to do


def test_upgrade_from_first_migration_keeps_data_and_backs_up(fresh: Database) -> None:
    first = _revisions()[0]
    upgrade(fresh.engine, fresh.path, target=first)
    raw = sqlite3.connect(fresh.path)
    raw.executescript(
        """
        INSERT INTO centers (id, code, name, short_name, district)
            VALUES ('c1', '310104003', '示范中心', '示范', '徐汇区');
        INSERT INTO workstations (id, center_id, code, window_name) VALUES ('w1', 'c1', '003', '3号窗口');
        INSERT INTO users (id, username, display_name, staff_no, role, password_hash, active, failed_attempts,
                           created_at)
            VALUES ('u1', 'wangli', '王丽', '0301', 'clerk', 'h', 1, 0, '2026-11-23 02:00:00');
        INSERT INTO persons (id, id_number, name, name_key, created_at, updated_at)
            VALUES ('p1', '310101198001010018', '𠮷䶮·堃', '𠮷䶮·堃', '2026-11-23 02:00:00', '2026-11-23 02:00:00');
        INSERT INTO catalog_versions (id, item_code, version, sha256, status, canonical_json, source, loaded_at)
            VALUES ('v1', 'MZ-SHJZ-002', 1, 'abc', 'active', '{}', 'x.yaml', '2026-11-23 02:00:00');
        INSERT INTO applications (id, acceptance_no, query_code, item_code, catalog_version_id, center_id,
                                  workstation_id, clerk_id, state, decision, received_at, decided_at, accepted_at,
                                  promised_days, promised_date, promised_estimated, form_values, sync_state,
                                  created_at, updated_at)
            VALUES ('a1', '310104003-003-20261215-0001', 'ABC234', 'MZ-SHJZ-002', 'v1', 'c1', 'w1', 'u1',
                    'accepted', 'accept', '2026-12-15 02:00:00', '2026-12-15 02:00:00', '2026-12-15 02:00:00',
                    20, '2027-01-12', 1, '{}', 'pending', '2026-12-15 02:00:00', '2026-12-15 02:00:00');
        INSERT INTO outbox (id, seq, event_type, schema_version, payload, sha256, created_at, state, attempts)
            VALUES ('e1', 1, 'application.taken', 1, X'7B7D', 'abc', '2026-11-23 02:00:00', 'pending', 0);
        """
    )
    raw.commit()
    raw.close()
    report = upgrade(fresh.engine, fresh.path)
    assert report.from_revision == first
    assert report.to_revision == head_revision()
    if first != head_revision():
        assert report.backup is not None and report.backup.exists()
        backup = sqlite3.connect(report.backup)
        assert backup.execute("SELECT name FROM persons").fetchone() == ("𠮷䶮·堃",)
        backup.close()
    check = sqlite3.connect(fresh.path)
    try:
        assert check.execute("SELECT name FROM persons WHERE id='p1'").fetchone() == ("𠮷䶮·堃",)
        assert check.execute("SELECT payload, state FROM outbox").fetchone() == (b"{}", "pending")
        assert check.execute("SELECT username FROM users").fetchone() == ("wangli",)
        assert check.execute("SELECT promised_date, due_date, due_estimated FROM applications").fetchone() == (
            "2027-01-12",
            "2027-01-12",
            1,
        )
        assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert check.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        check.close()


def test_newer_schema_is_refused_untouched(fresh: Database) -> None:
    upgrade(fresh.engine, fresh.path)
    raw = sqlite3.connect(fresh.path)
    raw.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    raw.commit()
    raw.close()
    before = fresh.path.read_bytes()
    with pytest.raises(SchemaTooNewError) as info:
        upgrade(fresh.engine, fresh.path)
    assert info.value.revision == "9999_from_the_future"
    assert current_revision(fresh.engine) == "9999_from_the_future"
    assert not (fresh.path.parent / "backups").exists()
    assert fresh.path.read_bytes() == before


def test_head_constant_is_the_scripts_head() -> None:
    from db.migrate import HEAD_REVISION

    assert HEAD_REVISION == head_revision() == _revisions()[-1]


def test_current_database_opens_without_loading_alembic(tmp_path: Path) -> None:
    import subprocess
    import sys

    db = Database(prepare_data_dir(tmp_path / "data"))
    upgrade(db.engine, db.path)
    db.dispose()
    code = (
        "import sys; from pathlib import Path; from db.engine import Database; from db.migrate import upgrade; "
        f"db = Database(Path({str(db.path)!r})); r = upgrade(db.engine, db.path); "
        "assert r.backup is None; assert 'alembic' not in sys.modules, 'alembic imported'"
    )
    repo = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", code], cwd=repo, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
