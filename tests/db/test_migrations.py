"""Migrations: the migrated schema equals the models; upgrades keep data, back up first (never without a backup),
refuse newer schemas."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from db.engine import Database, export_copy, prepare_data_dir, raw_connect, verify_copy
from db.migrate import (
    ForeignKeyViolationError,
    MigrationFailedError,
    NoBackupError,
    SchemaTooNewError,
    alembic_config,
    current_revision,
    head_revision,
    upgrade,
)
from db.models import Base

BACKUP_KEY = bytes(range(32))


def _revisions() -> list[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return [r.revision for r in reversed(list(script.walk_revisions()))]


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Database]:
    db = Database(prepare_data_dir(tmp_path / "data"), os.urandom(32))
    yield db
    db.dispose()


class Backups:
    """A backup function as migrate.upgrade takes it: an encrypted, verified copy (export_copy) per call."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.calls: list[str] = []

    def __call__(self, revision: str) -> Path:
        self.calls.append(revision)
        target = self.db.path.parent / "backups" / f"before-{revision}.ybak"
        export_copy(self.db.path, self.db.key, target, BACKUP_KEY)
        return target


def downgrade_to(engine: Any, revision: str) -> None:
    """Alembic's downgrade as db/migrate.py runs an upgrade: foreign keys off (both sides of a reference change in
    one transaction, migration 0018), one transaction, the keys checked at the end."""
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        raw.execute("PRAGMA foreign_keys = OFF")  # ignored inside a transaction: on the raw connection first
        try:
            conn.begin()
            command.downgrade(alembic_config(conn), revision)
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
            conn.commit()
        finally:
            raw.execute("PRAGMA foreign_keys = ON")


def _first_revision_with_rows(db: Database) -> str:
    first = _revisions()[0]
    upgrade(db.engine, db.path, target=first)
    raw = raw_connect(db.path, db.key)
    raw.executescript(ROWS)
    raw.commit()
    raw.close()
    return first


ROWS = """
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
    first = _first_revision_with_rows(fresh)
    backups = Backups(fresh)
    report = upgrade(fresh.engine, fresh.path, backup=backups)
    assert report.from_revision == first
    assert report.to_revision == head_revision()
    if first != head_revision():
        assert backups.calls == [first]  # one backup, of the store as it was, before any migration
        assert report.backup == fresh.path.parent / "backups" / f"before-{first}.ybak"
        assert verify_copy(report.backup, BACKUP_KEY)["persons"] == 1
        backup = raw_connect(report.backup, BACKUP_KEY)
        try:
            assert backup.execute("SELECT name FROM persons").fetchone() == ("𠮷䶮·堃",)
            assert backup.execute("SELECT version_num FROM alembic_version").fetchone() == (first,)
        finally:
            backup.close()
    check = raw_connect(fresh.path, fresh.key)
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
    assert upgrade(fresh.engine, fresh.path, backup=backups).backup is None  # current now: no second backup
    assert len(backups.calls) == 1


def test_a_failed_upgrade_leaves_no_revision_behind_it_committed(fresh: Database) -> None:
    """Every revision of an upgrade is one transaction with the foreign key check that ends it: a store whose rows
    break a foreign key stays at the revision it had, schema and all, however many revisions ran before the check
    (Alembic alone commits each revision on SQLite)."""
    first = _first_revision_with_rows(fresh)
    assert len(_revisions()) > 2
    raw = raw_connect(fresh.path, fresh.key)
    raw.execute(  # written with the foreign keys off, as an old bug or a hand edit could have
        "INSERT INTO outbox (id, seq, application_id, event_type, schema_version, payload, sha256, created_at, "
        "state, attempts) VALUES ('e2', 2, 'gone', 'application.taken', 1, X'7B7D', 'abc', '2026-11-23 02:00:00', "
        "'pending', 0)"
    )
    raw.commit()
    tables_before = raw.execute("SELECT name, sql FROM sqlite_master ORDER BY name").fetchall()
    raw.close()
    with pytest.raises(MigrationFailedError) as failed:
        upgrade(fresh.engine, fresh.path, backup=Backups(fresh))
    assert isinstance(failed.value.__cause__, ForeignKeyViolationError)
    assert failed.value.unchanged is True
    assert current_revision(fresh.engine) == first
    check = raw_connect(fresh.path, fresh.key)
    try:
        assert check.execute("SELECT name, sql FROM sqlite_master ORDER BY name").fetchall() == tables_before
        assert check.execute("SELECT count(*) FROM outbox").fetchone() == (2,)
    finally:
        check.close()


def test_an_existing_store_is_not_migrated_without_a_backup(fresh: Database) -> None:
    first = _first_revision_with_rows(fresh)
    with pytest.raises(NoBackupError):
        upgrade(fresh.engine, fresh.path)
    assert current_revision(fresh.engine) == first
    assert not (fresh.path.parent / "backups").exists()
    check = raw_connect(fresh.path, fresh.key)
    try:
        assert check.execute("SELECT name FROM persons").fetchall() == [("𠮷䶮·堃",)]
    finally:
        check.close()


def test_a_failed_backup_stops_the_migration(fresh: Database) -> None:
    """No migration runs without a way back: a backup that raises leaves the store at its revision."""
    first = _first_revision_with_rows(fresh)

    def failing(revision: str) -> Path:
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space left"):
        upgrade(fresh.engine, fresh.path, backup=failing)
    assert current_revision(fresh.engine) == first


def test_a_backup_that_cannot_read_the_store_stops_the_migration(fresh: Database) -> None:
    """A backup under the wrong key of the store (another machine's key) is refused by export_copy: no migration."""
    from db.engine import WrongKeyError

    first = _first_revision_with_rows(fresh)

    def backup(revision: str) -> Path:
        target = fresh.path.parent / "backups" / f"before-{revision}.ybak"
        export_copy(fresh.path, os.urandom(32), target, BACKUP_KEY)
        return target

    with pytest.raises(WrongKeyError):
        upgrade(fresh.engine, fresh.path, backup=backup)
    assert current_revision(fresh.engine) == first
    assert list((fresh.path.parent / "backups").iterdir()) == []


def test_newer_schema_is_refused_untouched(fresh: Database) -> None:
    upgrade(fresh.engine, fresh.path)
    raw = raw_connect(fresh.path, fresh.key)
    raw.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    raw.commit()
    raw.close()
    before = fresh.path.read_bytes()
    backups = Backups(fresh)
    with pytest.raises(SchemaTooNewError) as info:
        upgrade(fresh.engine, fresh.path, backup=backups)
    assert backups.calls == []
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

    db = Database(prepare_data_dir(tmp_path / "data"), os.urandom(32))
    upgrade(db.engine, db.path)
    db.dispose()
    code = (
        "import sys; from pathlib import Path; from db.engine import Database; from db.migrate import upgrade; "
        f"db = Database(Path({str(db.path)!r}), bytes.fromhex({db.key.hex()!r})); r = upgrade(db.engine, db.path); "
        "assert r.backup is None; assert 'alembic' not in sys.modules, 'alembic imported'"
    )
    repo = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", code], cwd=repo, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def _after_migrating_a_new_store(tmp_path: Path, first: str) -> dict[str, bool]:
    """In a fresh interpreter: ``first`` (Python), then a new store migrated to the head; which modules are loaded."""
    import json
    import subprocess
    import sys

    folder = prepare_data_dir(tmp_path / "data")
    code = (
        f"{first}\n"
        "import json, os, sys\n"
        "from pathlib import Path\n"
        "from db.engine import Database\n"
        "from db.migrate import HEAD_REVISION, current_revision, upgrade\n"
        f"db = Database(Path({str(folder)!r}), os.urandom(32))\n"
        "upgrade(db.engine, db.path)\n"
        "assert current_revision(db.engine) == HEAD_REVISION\n"
        "loaded = {name: name in sys.modules for name in ('alembic', 'mako', 'pygments')}\n"
        "import pygments  # importable again afterwards\n"
        "print(json.dumps(loaded))\n"
    )
    repo = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", code], cwd=repo, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    loaded: dict[str, bool] = json.loads(result.stdout.strip().splitlines()[-1])
    return loaded


def test_a_migration_imports_alembic_and_mako_but_not_pygments(tmp_path: Path) -> None:
    assert _after_migrating_a_new_store(tmp_path, "") == {"alembic": True, "mako": True, "pygments": False}


def test_alembic_imported_as_it_is_brings_pygments(tmp_path: Path) -> None:
    # The control: what db.migrate.load_alembic keeps out (mako's optional colouring of template errors).
    assert _after_migrating_a_new_store(tmp_path, "import alembic") == {
        "alembic": True,
        "mako": True,
        "pygments": True,
    }
