"""The store's page caches stay small (issue 16, the counter over a day): every pooled connection keeps its own cache
of the store's pages, and the counter's threads hold several at once; each is bounded at db.engine.CACHE_KIB
(SQLCipher's own default would let each grow to 8,000 KiB)."""

from __future__ import annotations

import ctypes
import os
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
import sqlcipher3
import sqlcipher3._sqlite3
from sqlalchemy import text

from db.engine import CACHE_KIB, Database, prepare_data_dir

MIB = 1024 * 1024


def sqlite_memory() -> int:
    """Bytes the SQLite library inside sqlcipher3 has allocated now (page caches, statements, schemas)."""
    library = ctypes.CDLL(sqlcipher3._sqlite3.__file__)
    library.sqlite3_memory_used.restype = ctypes.c_int64
    return int(library.sqlite3_memory_used())


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    path = prepare_data_dir(tmp_path / "data")
    db = Database(path, os.urandom(32))
    yield db
    db.dispose()


def test_each_connection_has_the_bounded_cache(database: Database) -> None:
    with database.read_connection() as first, database.read_connection() as second:
        for conn in (first, second):
            assert conn.execute(text("PRAGMA cache_size")).scalar_one() == -CACHE_KIB


def test_three_connections_reading_40_mb_keep_three_small_caches(database: Database) -> None:
    with database.write() as session:
        session.execute(text("CREATE TABLE blob (id INTEGER PRIMARY KEY, data BLOB)"))
        for n in range(40):
            session.execute(text("INSERT INTO blob (id, data) VALUES (:n, :data)"), {"n": n, "data": os.urandom(MIB)})
    before = sqlite_memory()
    with ExitStack() as held:  # three connections out of the pool at once, as the counter's threads hold them
        connections = [held.enter_context(database.read_connection()) for _ in range(3)]
        for conn in connections:
            read = conn.execute(text("SELECT sum(length(hex(data))) FROM blob")).scalar_one()
            assert read == 2 * 40 * MIB  # every page of every blob read
        grown = sqlite_memory() - before
    # Each cache holds at most CACHE_KIB (2,000 KiB) of pages, plus SQLite's bookkeeping; 8,000 KiB each: ~24 MB.
    assert grown < 8 * MIB
