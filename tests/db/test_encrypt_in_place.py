"""A plain store of the previous version is encrypted in place (db/engine.py ``encrypt_in_place``: copy, verify,
swap): every row comes over, plain SQLite reads nothing afterwards, no byte of a name, an ID number or the schema
is left in the clear in the file, its WAL or the folder, and a failure at any step leaves the plain file as it was.

The stores are real (tests/db/legacy.py: Alembic at 0007 over the standard library's sqlite3, names with 𠮷, 䶮
and 堃); the faults are real too (a filled tmpfs, a read-only bind mount: tests/reliability/diskkit.py).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
import sqlcipher3
from sqlalchemy import text

from db.engine import (
    Database,
    WrongKeyError,
    encrypt_in_place,
    export_copy,
    is_plain_sqlite,
    raw_connect,
    verify_copy,
)
from db.migrate import head_revision, upgrade
from tests.db.legacy import (
    LEGACY_REVISION,
    Legacy,
    add_applications,
    encrypted_dump,
    files_holding,
    make_legacy_store,
    plain_connect,
    plain_dump,
)
from tests.reliability.diskkit import fill, read_only, tmpfs

KEY = bytes.fromhex("5d" * 32)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def legacy(tmp_path: Path) -> Legacy:
    store = make_legacy_store(tmp_path / "data" / "yimen.sqlite3", applications=40)
    # The test greps for what it knows is there: the plain store holds every name and ID number in the clear.
    assert files_holding(store.path.parent, store.needles()) == {"yimen.sqlite3": store.needles()}
    return store


def test_every_row_of_a_plain_store_comes_over(legacy: Legacy) -> None:
    before = plain_dump(legacy.path)
    counts = encrypt_in_place(legacy.path, KEY)
    assert counts == {table: len(rows) for table, rows in before.items()}
    assert counts["applications"] == counts["persons"] == counts["outbox"] == 40
    assert encrypted_dump(legacy.path, KEY) == before  # every value, byte for byte (the outbox's payloads too)
    assert verify_copy(legacy.path, KEY, counts) == counts
    conn = raw_connect(legacy.path, KEY)
    try:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (LEGACY_REVISION,)
        assert {r[0] for r in conn.execute("SELECT name FROM persons")} == set(legacy.names)
    finally:
        conn.close()
    assert not is_plain_sqlite(legacy.path)
    # Only the store is left: no copy, no part, no plain WAL or index.
    assert sorted(p.name for p in legacy.path.parent.iterdir()) == ["yimen.sqlite3"]


def test_plain_sqlite_cannot_open_the_encrypted_store(legacy: Legacy) -> None:
    encrypt_in_place(legacy.path, KEY)
    with contextlib.closing(sqlite3.connect(legacy.path)) as conn:
        with pytest.raises(sqlite3.DatabaseError, match="file is not a database"):
            conn.execute("SELECT count(*) FROM persons").fetchall()
    with contextlib.closing(raw_connect(legacy.path, None)) as conn:  # SQLCipher without the key: the same
        with pytest.raises(sqlcipher3.DatabaseError, match="file is not a database"):
            conn.execute("SELECT count(*) FROM sqlite_master").fetchall()
    cli = shutil.which("sqlite3")
    if cli is not None:  # the command-line shell IT would reach for
        run = subprocess.run([cli, str(legacy.path), "SELECT name FROM persons;"], capture_output=True, text=True)
        assert run.returncode != 0 and "file is not a database" in run.stderr, run
        assert run.stdout == ""


def test_no_name_or_id_number_is_left_in_the_clear(legacy: Legacy, tmp_path: Path) -> None:
    """After the encryption, the first start's migration (with its backup) and new saves that leave a WAL: no file
    in the data folder holds a name, an ID number, the schema's text or SQLite's header."""
    encrypt_in_place(legacy.path, KEY)
    db = Database(legacy.path, KEY)
    backup_key = os.urandom(32)
    try:

        def backup(revision: str) -> Path:
            target = legacy.path.parent / "backups" / f"before-{revision}.ybak"
            export_copy(legacy.path, KEY, target, backup_key)
            return target

        report = upgrade(db.engine, legacy.path, backup=backup)
        assert (report.from_revision, report.to_revision) == (LEGACY_REVISION, head_revision())
        assert report.backup is not None and verify_copy(report.backup, backup_key)["persons"] == 40
        reader = raw_connect(legacy.path, KEY)  # an open snapshot keeps the new pages in the WAL
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM persons").fetchone()
        with db.write() as session:
            session.execute(
                text(
                    "INSERT INTO persons (id, id_number, name, name_key, created_at, updated_at) "
                    "VALUES ('n1', '11010519491231002X', '欧阳·𠮷䶮', 'ouyang', '2026-12-06 02:00:00', "
                    "'2026-12-06 02:00:00')"
                )
            )
        wal = Path(f"{legacy.path}-wal")
        assert wal.stat().st_size > 0
        needles = [*legacy.needles(), "欧阳·𠮷䶮".encode(), b"11010519491231002X"]
        assert files_holding(legacy.path.parent, needles) == {}
        reader.execute("ROLLBACK")
        reader.close()
    finally:
        db.dispose()
    assert files_holding(legacy.path.parent, needles) == {}


def test_rows_a_killed_writer_left_in_the_wal_come_over(tmp_path: Path) -> None:
    """The previous version was killed with saves in its WAL only (never checkpointed): they are encrypted too and
    no plain WAL or index is left beside the store."""
    source = make_legacy_store(tmp_path / "running" / "yimen.sqlite3", applications=10)
    writer = plain_connect(source.path)
    try:
        writer.execute("PRAGMA wal_autocheckpoint = 0")
        late = add_applications(writer, 11, 5)
        # What a SIGKILL leaves: the file and its WAL as they are while the writer is still open.
        data = tmp_path / "data"
        data.mkdir()
        for suffix in ("", "-wal", "-shm"):
            shutil.copyfile(f"{source.path}{suffix}", data / f"yimen.sqlite3{suffix}")
    finally:
        writer.close()
    store = data / "yimen.sqlite3"
    assert Path(f"{store}-wal").stat().st_size > 0
    assert late[0].encode() in Path(f"{store}-wal").read_bytes()  # the late rows are in the WAL only
    assert late[0].encode() not in store.read_bytes()
    counts = encrypt_in_place(store, KEY)
    assert counts["applications"] == 15
    conn = raw_connect(store, KEY)
    try:
        assert {r[0] for r in conn.execute("SELECT id_number FROM persons")} >= set(late)
    finally:
        conn.close()
    assert sorted(p.name for p in data.iterdir()) == ["yimen.sqlite3"]
    assert files_holding(data, [*source.needles(), *(n.encode() for n in late)]) == {}


def test_a_full_disk_in_the_middle_leaves_the_plain_store_as_it_was(tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    with tmpfs(disk, "12m") as mounted:
        if not mounted:
            pytest.fail("this test needs to mount a tmpfs (run it as root, as CI does)")
        legacy = make_legacy_store(disk / "data" / "yimen.sqlite3", applications=600, batch=100)
        size = legacy.path.stat().st_size
        assert size > 1_000_000
        before, rows = digest(legacy.path), plain_dump(legacy.path)
        # Room for SQLite's index and an empty WAL, not for the encrypted copy: the export fails half-way.
        filler = fill(disk)
        os.truncate(filler, filler.stat().st_size - size // 2)
        with pytest.raises(OSError, match="full"):
            encrypt_in_place(legacy.path, KEY)
        assert digest(legacy.path) == before
        assert is_plain_sqlite(legacy.path) and plain_dump(legacy.path) == rows
        assert sorted(p.name for p in legacy.path.parent.iterdir() if not p.name.endswith(("-wal", "-shm"))) == [
            "yimen.sqlite3"
        ]
        # With room again the same store is encrypted, every row with it.
        filler.unlink()
        assert encrypt_in_place(legacy.path, KEY)["applications"] == 600
        assert encrypted_dump(legacy.path, KEY) == rows


def test_a_read_only_folder_leaves_the_plain_store_as_it_was(legacy: Legacy) -> None:
    before, rows = digest(legacy.path), plain_dump(legacy.path)
    with read_only(legacy.path.parent):
        with pytest.raises((OSError, WrongKeyError, sqlcipher3.Error)):
            encrypt_in_place(legacy.path, KEY)
        assert digest(legacy.path) == before
    assert sorted(p.name for p in legacy.path.parent.iterdir()) == ["yimen.sqlite3"]
    assert plain_dump(legacy.path) == rows
    assert encrypt_in_place(legacy.path, KEY)["applications"] == 40


def test_a_failed_encryption_is_an_error_the_caller_handles(legacy: Legacy) -> None:
    with read_only(legacy.path.parent), pytest.raises((OSError, WrongKeyError)):
        encrypt_in_place(legacy.path, KEY)


def test_a_copy_that_does_not_verify_is_removed_and_the_plain_store_kept(
    legacy: Legacy, monkeypatch: pytest.MonkeyPatch
) -> None:
    import db.engine

    before = digest(legacy.path)

    def damaged(path: Path, key: bytes, counts: dict[str, int] | None = None) -> dict[str, int]:
        assert path.name.endswith(".part") and not is_plain_sqlite(path)
        raise WrongKeyError("row counts differ from the source")

    monkeypatch.setattr(db.engine, "verify_copy", damaged)
    with pytest.raises(WrongKeyError):
        encrypt_in_place(legacy.path, KEY)
    assert digest(legacy.path) == before
    assert sorted(p.name for p in legacy.path.parent.iterdir()) == ["yimen.sqlite3"]
