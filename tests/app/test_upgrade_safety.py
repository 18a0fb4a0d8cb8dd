"""Upgrades never risk data (issue 15 "Upgrade"; ARCHITECTURE.md invariant 10; docs/operations-workstation.md
"Upgrades"): a real workstation's store with applications, some waiting for upload, opened by a newer build whose
migration fails midway.  The migration's one transaction is rolled back and the store reads as before; a migration
that committed something behind that transaction has the backup written just before put back.  Either way the
clerk's sentence (Chinese) says the data is unchanged and where the backup is, and the old build opens the store
again with every record.  A store written by a newer build is refused by an older one without touching its files.

The newer build is this code with a copy of db/migrations plus a broken ``0014`` (the script location and the head
constant patched): the failure itself is real, raised by SQLite or by the migration inside Alembic.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app import backups
from app.errors import SchemaTooNewError, StorageError
from app.security.vault import Vault
from db import migrate
from tests.app.documents.doc_testkit import take
from tests.conftest import REPO, add_user, write_deployment
from tests.storekit import connect_store

#: This build's schema head, and the newer build's (a test-only migration after it).
HEAD = migrate.HEAD_REVISION
NEXT = f"{int(HEAD) + 1:04d}"
DB = "yimen.sqlite3"
TABLES = ("applications", "application_parties", "application_materials", "decisions", "outbox", "audit_events")

#: A 0014 that changes the schema and the rows, then fails on a statement SQLite refuses.
FAILS_MIDWAY = """
    def upgrade() -> None:
        op.create_table("upgrade_notes", sa.Column("id", sa.Integer, primary_key=True), sa.Column("note", sa.Text))
        op.execute("INSERT INTO upgrade_notes (note) VALUES ('written by 0014')")
        with op.batch_alter_table("applications") as batch:
            batch.add_column(sa.Column("upgrade_flag", sa.Integer, nullable=True))
        op.execute("UPDATE applications SET sync_state = 'synced'")
        op.execute("DELETE FROM outbox")
        op.execute("INSERT INTO no_such_table VALUES (1)")
"""

#: A 0014 that commits part of its work behind the migration's transaction, then fails in Python.
COMMITS_THEN_FAILS = """
    def upgrade() -> None:
        op.execute("DELETE FROM outbox")
        op.create_table("half_done", sa.Column("id", sa.Integer, primary_key=True))
        op.execute("COMMIT")
        raise RuntimeError("the migration's own bug")
"""


#: A 0014 that works: a new table and a new column, the rows kept.
WORKS = """
    def upgrade() -> None:
        op.create_table("upgrade_notes", sa.Column("id", sa.Integer, primary_key=True), sa.Column("note", sa.Text))
        with op.batch_alter_table("applications") as batch:
            batch.add_column(sa.Column("upgrade_flag", sa.Integer, nullable=True))
"""


class Station:
    """One workstation over several starts: its deployment, data folder, and the records it took."""

    def __init__(self, factory: Callable[..., Any], folder: Path) -> None:
        folder.mkdir(parents=True)
        self.factory = factory
        self.config = write_deployment(folder)
        self.data = folder / "data"

    def open(self) -> Any:
        return self.factory(config=self.config, data_dir=self.data)

    def rows(self) -> dict[str, Any]:
        """What the store holds, read with the machine's key (not through the services)."""
        with connect_store(self.data / DB) as conn:
            found: dict[str, Any] = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
            found["numbers"] = conn.execute(
                "SELECT acceptance_no, sync_state FROM applications ORDER BY acceptance_no"
            ).fetchall()
            found["outbox"] = conn.execute("SELECT id, sha256, state FROM outbox ORDER BY seq").fetchall()
            found["revision"] = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
            found["tables"] = sorted(
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
            )
        conn.close()
        return found


@pytest.fixture
def station(services_factory: Callable[..., Any], tmp_path: Path) -> Station:
    """A workstation that took three applications, none uploaded (their outbox events wait)."""
    ws = Station(services_factory, tmp_path / "ws")
    services = ws.open()
    clerk = add_user(services)
    for _ in range(3):
        take(services, clerk, "MZ-SHJZ-002")
    services.close()
    return ws


def newer_build(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, upgrade_body: str) -> None:
    """This code with a 0014 migration: a copy of db/migrations with the broken script added."""
    folder = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, folder, ignore=shutil.ignore_patterns("__pycache__"))
    script = (
        '"""A test-only migration that fails."""\n\n'
        "import sqlalchemy as sa\nfrom alembic import op\n\n"
        f'revision = "{NEXT}"\ndown_revision = "{migrate.HEAD_REVISION}"\nbranch_labels = None\ndepends_on = None\n'
        + textwrap.dedent(upgrade_body)
        + "\n\ndef downgrade() -> None:\n    pass\n"
    )
    (folder / "versions" / f"{NEXT}_broken.py").write_text(script, encoding="utf-8")
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", folder)
    monkeypatch.setattr(migrate, "HEAD_REVISION", NEXT)


def backups_of(station: Station) -> list[Path]:
    return sorted((station.data / "backups").glob("*.ybak"))


def test_an_upgrade_backs_up_first_migrates_and_keeps_every_record_and_waiting_event(
    station: Station, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    before = station.rows()
    newer_build(monkeypatch, tmp_path, WORKS)
    services = station.open()
    try:
        # The records wait for upload as before: the newer build sends the same events (their bytes unchanged).
        assert services.sync.status().pending == len(before["outbox"])
    finally:
        services.close()
    after = station.rows()
    assert after["revision"] == NEXT and "upgrade_notes" in after["tables"]
    assert {k: v for k, v in after.items() if k not in ("revision", "tables")} == {
        k: v for k, v in before.items() if k not in ("revision", "tables")
    }
    written = backups_of(station)
    assert len(written) == 1 and "migration" in written[0].name
    # The backup is the store as it was, at 0013: what a restore would bring back.
    info = backups.open_backup(written[0], [Vault(Path(os.environ["YIMEN_VAULT_DIR"])).identity()])
    assert info.revision == HEAD and info.reason == "migration"
    assert info.counts["applications"] == 3 and info.counts["outbox"] == len(before["outbox"])


@pytest.mark.allow_warning_logs  # the failed migration is logged as an error for support
def test_a_migration_that_fails_midway_is_rolled_back_said_and_the_old_build_opens_every_record(
    station: Station, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    before = station.rows()
    assert before["revision"] == HEAD and len(before["outbox"]) >= 3
    assert all(state == "pending" for _, state in before["numbers"])
    backups_before = backups_of(station)
    with monkeypatch.context() as patched:
        newer_build(patched, tmp_path, FAILS_MIDWAY)
        with pytest.raises(StorageError) as raised:
            station.open()
    text = raised.value.message.render()
    written = [p for p in backups_of(station) if p not in backups_before]
    assert len(written) == 1  # the backup made before migrating
    assert text == (
        f"数据库结构升级（{HEAD} → {NEXT}）失败，已全部撤销：数据库 {station.data / DB} 保持升级前的样子，"
        f"数据未做任何改动。升级前的备份在 {written[0]}。请信息员重新安装原来的版本继续使用，并把日志交给技术支持。"
    )
    assert station.rows() == before  # no new table, no column, the outbox and the sync states as they were
    assert not list(station.data.glob("replaced-*"))  # nothing needed putting back
    assert any(f"migration {HEAD} -> {NEXT} failed (OperationalError)" in r.getMessage() for r in caplog.records)
    # The old build (this code, its own migrations) opens the store again: every record, every waiting event.
    services = station.open()
    try:
        assert services.sync.status().pending == len(before["outbox"])
        assert len(services.intake.list_day(by=add_user(services, "zhaolei"))) == 3
    finally:
        services.close()
    assert station.rows() == {**before, "audit_events": station.rows()["audit_events"]}


@pytest.mark.allow_warning_logs
def test_a_migration_that_committed_part_of_its_work_has_the_backup_put_back(
    station: Station, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    before = station.rows()
    with monkeypatch.context() as patched:
        newer_build(patched, tmp_path, COMMITS_THEN_FAILS)
        with pytest.raises(StorageError) as raised:
            station.open()
    backup = backups_of(station)[-1]
    assert raised.value.message.render() == (
        f"数据库结构升级（{HEAD} → {NEXT}）失败，已用升级前的备份 {backup} 恢复数据库 {station.data / DB}，"
        "数据与升级前相同。请信息员重新安装原来的版本继续使用，并把日志交给技术支持。"
    )
    assert station.rows() == before  # the half-done table is gone, the outbox is back
    aside = list(station.data.glob("replaced-*"))
    assert len(aside) == 1 and (aside[0] / DB).exists()  # the changed file kept aside, never deleted
    services = station.open()
    try:
        assert services.sync.status().pending == len(before["outbox"])
        assert services.db.identity.series == 1  # the same store, not a restore into a new series
    finally:
        services.close()


def test_a_newer_store_is_refused_by_older_code_without_touching_its_files(station: Station) -> None:
    with connect_store(station.data / DB) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099'")
    conn.close()
    files = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in station.data.rglob("*") if ".open" not in p.parts}
    files = {p: v for p, v in files.items() if p.is_file()}
    assert station.data / DB in files
    with pytest.raises(SchemaTooNewError) as raised:
        station.open()
    text = raised.value.message.render()
    assert "由更新版本的一门式受理台创建（结构版本 0099）" in text and "数据未做任何改动" in text
    after = {
        p: (p.read_bytes(), p.stat().st_mtime_ns)
        for p in station.data.rglob("*")
        if p.is_file() and ".open" not in p.parts
    }
    assert after == files  # the store, its -wal/-shm (none appeared), the backups: byte for byte, same times
    assert not any(p.name.endswith(("-wal", "-shm")) for p in after)


def test_a_newer_store_left_with_its_wal_by_a_killed_process_is_refused_untouched(station: Station) -> None:
    """The newer build was killed: its last commit is still in the -wal.  Older code reads the revision without a
    writable connection, whose closing would checkpoint that WAL into the file."""
    script = (
        "import os, sys\n"
        f"sys.path.insert(0, {str(REPO)!r})\n"
        "from tests.storekit import connect_store\n"
        f"conn = connect_store({str(station.data / DB)!r})\n"
        "conn.execute('PRAGMA wal_autocheckpoint = 0')\n"
        "conn.execute(\"UPDATE alembic_version SET version_num = '0099'\")\n"
        "conn.commit()\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)
    wal = station.data / f"{DB}-wal"
    assert wal.stat().st_size > 0  # the newer build's commit is in the WAL only
    kept = [station.data / DB, wal]
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in kept}
    backups = sorted((station.data / "backups").glob("*")) if (station.data / "backups").exists() else []
    with pytest.raises(SchemaTooNewError) as raised:
        station.open()
    assert "结构版本 0099" in raised.value.message.render()
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in kept} == before
    assert (station.data / f"{DB}-shm").exists()  # the WAL's index stays beside it (readers write its read marks)
    after = sorted((station.data / "backups").glob("*")) if (station.data / "backups").exists() else []
    assert after == backups
