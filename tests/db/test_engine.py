"""The engine factory sets up SQLite for durability (ARCHITECTURE.md invariant 2) inside SQLCipher: every page of
the file and of its WAL is encrypted under the store's 256-bit key, and a copy (a backup, a restore) is written
and read back under its own key (``export_copy`` / ``verify_copy``)."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlcipher3
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from db.engine import Database, WrongKeyError, export_copy, prepare_data_dir, raw_connect, verify_copy
from db.migrate import HEAD_REVISION, upgrade

# What a counter stores: a name outside the BMP, a rare CJK character, a middle dot, an ID number.
NAME = "欧阳·𠮷䶮堃"
ID_NUMBER = "310104198506150023"


def new_key() -> bytes:
    return os.urandom(32)


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    path = prepare_data_dir(tmp_path / "data")
    db = Database(path, new_key())
    upgrade(db.engine, path)  # a new, empty store: no backup needed
    yield db
    db.dispose()


def _other(database: Database) -> sqlcipher3.Connection:
    """A second connection to the store that never waits for a lock, as another process would open it."""
    conn = raw_connect(database.path, database.key)
    conn.isolation_level = None
    conn.execute("PRAGMA busy_timeout = 0")
    return conn


def _add_person(database: Database, name: str = NAME, id_number: str = ID_NUMBER) -> None:
    from db.models import Person

    with database.write() as session:
        session.add(Person(id_number=id_number, name=name, name_key="ouyang"))


def test_pragmas_on_every_connection(database: Database) -> None:
    with database.read() as session:
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert session.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert session.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
        assert session.execute(text("PRAGMA secure_delete")).scalar() == 1
        assert session.execute(text("PRAGMA cipher_version")).scalar()  # SQLCipher, not plain SQLite


def test_write_transaction_takes_the_write_lock_at_begin(database: Database) -> None:
    """BEGIN IMMEDIATE: another writer is refused as soon as our transaction starts, before any write."""
    other = _other(database)
    try:
        with database.write() as session:
            session.execute(text("SELECT 1"))
            with pytest.raises(sqlcipher3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")  # free again after commit
        other.execute("ROLLBACK")
    finally:
        other.close()


def test_read_transaction_does_not_block_writers(database: Database) -> None:
    other = _other(database)
    try:
        with database.read() as session:
            session.execute(text("SELECT count(*) FROM users")).scalar()
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
    finally:
        other.close()


def test_write_rolls_back_on_exception(database: Database) -> None:
    with pytest.raises(RuntimeError), database.write() as session:
        session.execute(text("INSERT INTO number_counters (scope, value) VALUES ('x', 1)"))
        raise RuntimeError
    with database.read() as session:
        assert session.execute(text("SELECT count(*) FROM number_counters")).scalar() == 0


def test_foreign_keys_enforced(database: Database) -> None:
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), database.write() as session:
        session.execute(
            text("INSERT INTO workstations (id, center_id, code, window_name) VALUES ('a', 'missing', '001', 'x')")
        )


def test_a_database_error_carries_no_values(database: Database) -> None:
    # The unique ID number of two persons: the error's text (logged, shown in a crash report) must not hold it.
    from sqlalchemy.exc import IntegrityError

    from db.models import Person

    with database.write() as session:
        session.add(Person(id_number="310104198506150023", name="阿依古丽·买买提", name_key="ayiguli"))
    with pytest.raises(IntegrityError) as info, database.write() as session:
        session.add(Person(id_number="310104198506150023", name="张𠮷", name_key="zhangji"))
    text = str(info.value)
    assert "310104198506150023" not in text and "张𠮷" not in text
    assert "hidden" in text


def test_utc_datetime_round_trip_and_naive_refused(database: Database) -> None:
    from db.models import User

    moment = dt.datetime(2026, 11, 23, 18, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    with database.write() as session:
        session.add(
            User(username="u", display_name="U", staff_no="1", role="clerk", password_hash="x", locked_until=moment)
        )
    with database.read() as session:
        user = session.query(User).one()
        assert user.locked_until == moment
        assert user.locked_until.tzinfo is not None
    with pytest.raises(Exception, match="naive"), database.write() as session:
        session.add(
            User(
                username="v",
                display_name="V",
                staff_no="2",
                role="clerk",
                password_hash="x",
                locked_until=dt.datetime(2026, 1, 1),
            )
        )


# -- the key ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("length", [0, 16, 31, 33, 64])
def test_a_key_that_is_not_256_bits_is_refused(tmp_path: Path, length: int) -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        Database(tmp_path / "store.sqlite3", b"k" * length)
    with pytest.raises(ValueError, match="32 bytes"):
        raw_connect(tmp_path / "store.sqlite3", b"k" * length)


def test_the_store_opens_under_its_key_only(database: Database) -> None:
    _add_person(database)
    database.dispose()
    again = Database(database.path, database.key)
    try:
        with again.read() as session:
            assert session.execute(text("SELECT name FROM persons")).scalar() == NAME
    finally:
        again.dispose()
    stranger = Database(database.path, new_key())
    try:
        with pytest.raises(DatabaseError, match="file is not a database"), stranger.read() as session:
            session.execute(text("SELECT count(*) FROM persons")).scalar()
    finally:
        stranger.dispose()


def test_plain_sqlite_reads_nothing_of_the_store_and_its_wal(database: Database) -> None:
    """Neither the file nor its WAL holds a name, an ID number, the schema or SQLite's header in the clear."""
    _add_person(database)
    reader = _other(database)  # an open reader keeps the WAL from being checkpointed away at the end
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM persons").fetchone()
        _add_person(database, "张𠮷", "11010519491231002X")
        wal = Path(f"{database.path}-wal")
        assert wal.stat().st_size > 0
        for part in (database.path, wal):
            data = part.read_bytes()
            for needle in (NAME, ID_NUMBER, "张𠮷", "11010519491231002X", "CREATE TABLE", "SQLite format 3"):
                assert needle.encode("utf-8") not in data, (part.name, needle)
        plain = sqlite3.connect(database.path)
        try:
            with pytest.raises(sqlite3.DatabaseError, match="file is not a database"):
                plain.execute("SELECT count(*) FROM sqlite_master").fetchall()
        finally:
            plain.close()
        reader.execute("ROLLBACK")
    finally:
        reader.close()


# -- copies: export_copy / verify_copy -------------------------------------------------------------------------


def test_export_copy_writes_a_copy_that_reads_back_under_its_own_key(database: Database, tmp_path: Path) -> None:
    with database.write() as session:
        session.execute(text("INSERT INTO number_counters (scope, value) VALUES ('k', 7)"))
    _add_person(database)
    target = tmp_path / "copies" / "backup.ybak"
    copy_key = new_key()
    counts = export_copy(database.path, database.key, target, copy_key)
    assert counts["persons"] == 1 and counts["number_counters"] == 1 and counts["alembic_version"] == 1
    assert verify_copy(target, copy_key) == counts
    assert verify_copy(target, copy_key, counts) == counts
    copy = raw_connect(target, copy_key)
    try:
        assert copy.execute("SELECT value FROM number_counters WHERE scope='k'").fetchone() == (7,)
        assert copy.execute("SELECT name, id_number FROM persons").fetchone() == (NAME, ID_NUMBER)
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == (HEAD_REVISION,)
    finally:
        copy.close()
    assert oct(target.stat().st_mode & 0o777) == "0o660"  # encrypted, shared with the group
    assert sorted(p.name for p in target.parent.iterdir()) == ["backup.ybak"]  # no .part left behind
    # The copy's key is its own: the store's key does not open it.
    with pytest.raises(WrongKeyError):
        verify_copy(target, database.key)


def test_a_copy_is_refused_under_a_wrong_key_and_by_plain_sqlite(database: Database, tmp_path: Path) -> None:
    _add_person(database)
    target = tmp_path / "backup.ybak"
    export_copy(database.path, database.key, target, new_key())
    with pytest.raises(WrongKeyError, match="not a database"):
        verify_copy(target, new_key())
    plain = sqlite3.connect(target)
    try:
        with pytest.raises(sqlite3.DatabaseError, match="file is not a database"):
            plain.execute("SELECT name FROM persons").fetchall()
    finally:
        plain.close()
    data = target.read_bytes()
    assert NAME.encode("utf-8") not in data and ID_NUMBER.encode("ascii") not in data
    assert b"SQLite format 3" not in data


def test_export_copy_under_a_wrong_source_key_writes_nothing(database: Database, tmp_path: Path) -> None:
    target = tmp_path / "copies" / "backup.ybak"
    with pytest.raises(WrongKeyError):
        export_copy(database.path, new_key(), target, new_key())
    assert list(target.parent.iterdir()) == []


def test_verify_copy_finds_different_counts_and_damage(database: Database, tmp_path: Path) -> None:
    _add_person(database)
    target = tmp_path / "backup.ybak"
    key = new_key()
    counts = export_copy(database.path, database.key, target, key)
    with pytest.raises(WrongKeyError, match="row counts"):
        verify_copy(target, key, {**counts, "persons": counts["persons"] + 1})
    # A bad sector in the middle of the copy: that page's HMAC no longer matches.
    data = bytearray(target.read_bytes())
    page = 4096
    assert len(data) > 3 * page
    data[2 * page + 100 : 2 * page + 164] = os.urandom(64)
    target.write_bytes(bytes(data))
    with pytest.raises(WrongKeyError):
        verify_copy(target, key, counts)


def test_export_copy_is_one_snapshot_without_uncommitted_rows(database: Database, tmp_path: Path) -> None:
    """A copy taken while another connection holds an open write transaction has the committed rows only."""
    _add_person(database)
    writer = _other(database)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute(
            "INSERT INTO persons (id, id_number, name, name_key, created_at, updated_at) "
            "VALUES ('p2', '11010519491231002X', '张𠮷', 'zhangji', '2026-11-23 02:00:00', '2026-11-23 02:00:00')"
        )
        counts = export_copy(database.path, database.key, tmp_path / "backup.ybak", key := new_key())
        writer.execute("COMMIT")
    finally:
        writer.close()
    assert counts["persons"] == 1
    assert verify_copy(tmp_path / "backup.ybak", key)["persons"] == 1
    with database.read() as session:
        assert session.execute(text("SELECT count(*) FROM persons")).scalar() == 2


def test_export_copy_replaces_an_earlier_copy_only_when_verified(database: Database, tmp_path: Path) -> None:
    _add_person(database)
    target = tmp_path / "backup.ybak"
    first_key = new_key()
    export_copy(database.path, database.key, target, first_key)
    before = target.read_bytes()
    with pytest.raises(WrongKeyError):
        export_copy(database.path, new_key(), target, new_key())  # fails: the earlier copy stays as it was
    assert target.read_bytes() == before
    assert verify_copy(target, first_key)["persons"] == 1


@pytest.mark.parametrize("secure", [True, False])
def test_a_deleted_row_leaves_no_copy_in_free_space(database: Database, secure: bool) -> None:
    """secure_delete (db/engine.py): a deleted row, with its index entries, is overwritten with zeros, so a purge
    (app/retention.py) leaves nothing of a person in the file, even for someone holding the key; with it off (as
    SQLite has it by default) the whole row lingers in the page's free space."""
    from tests.storekit import decrypted_bytes

    _add_person(database, "司马𠮷", ID_NUMBER)
    for i in range(30):  # neighbours on the same pages, which stay in use
        _add_person(database, f"邻居{i:02d}", f"3101041985061{i:04d}X")
    with database.write() as session:
        if not secure:
            session.execute(text("PRAGMA secure_delete = OFF"))
        session.execute(text("DELETE FROM persons WHERE id_number = :n"), {"n": ID_NUMBER})
        session.execute(text("PRAGMA secure_delete = ON"))
    assert database.empty_wal()
    assert not Path(f"{database.path}-wal").stat().st_size
    left = decrypted_bytes(database.path, database.key)
    assert "邻居29".encode() in left
    assert ("司马𠮷".encode() in left, ID_NUMBER.encode() in left) == ((False, False) if secure else (True, True))
