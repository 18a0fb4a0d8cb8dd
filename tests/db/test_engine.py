"""The engine factory sets up SQLite for durability (ARCHITECTURE.md invariant 2)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from db.engine import Database, online_backup, prepare_data_dir
from db.migrate import upgrade


@pytest.fixture
def database(tmp_path: Path) -> Database:
    path = prepare_data_dir(tmp_path / "data")
    db = Database(path)
    upgrade(db.engine, path)
    yield db
    db.dispose()


def test_pragmas_on_every_connection(database: Database) -> None:
    with database.read() as session:
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert session.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert session.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_write_transaction_takes_the_write_lock_at_begin(database: Database) -> None:
    """BEGIN IMMEDIATE: another writer is refused as soon as our transaction starts, before any write."""
    other = sqlite3.connect(database.path, timeout=0, isolation_level=None)
    try:
        with database.write() as session:
            session.execute(text("SELECT 1"))
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")  # free again after commit
        other.execute("ROLLBACK")
    finally:
        other.close()


def test_read_transaction_does_not_block_writers(database: Database) -> None:
    other = sqlite3.connect(database.path, timeout=0, isolation_level=None)
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


def test_online_backup_copies_committed_rows(database: Database, tmp_path: Path) -> None:
    with database.write() as session:
        session.execute(text("INSERT INTO number_counters (scope, value) VALUES ('k', 7)"))
    target = tmp_path / "backup.sqlite3"
    online_backup(database.path, target)
    copy = sqlite3.connect(target)
    try:
        assert copy.execute("SELECT value FROM number_counters WHERE scope='k'").fetchone() == (7,)
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        copy.close()
    assert oct(target.stat().st_mode & 0o777) == "0o600"
