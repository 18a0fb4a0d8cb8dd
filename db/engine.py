"""The one engine factory: every connection to the local store is opened here (ARCHITECTURE.md invariant 2).

SQLite is configured for "nothing committed is lost": WAL journal, ``synchronous=FULL``, foreign keys on, a busy
timeout, and write transactions opened with ``BEGIN IMMEDIATE`` so the GUI's database worker, the sync worker and
a CLI command can share the file without a late "database is locked" inside a transaction.  Read-only work uses a
deferred ``BEGIN`` so it never waits for a writer (WAL readers see the last commit).  Encryption at rest will be
added here.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

BUSY_TIMEOUT_MS = 10_000
DB_FILE_NAME = "yimen.sqlite3"


def _on_connect(dbapi_connection: Any, connection_record: Any) -> None:
    # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite's own BEGIN is deferred and implicit).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()


def _on_begin(conn: Any) -> None:
    if conn.get_execution_options().get("yimen_readonly"):
        conn.exec_driver_sql("BEGIN")
    else:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def create_sqlite_engine(path: Path) -> Engine:
    """Create the engine for the database file at ``path`` (its folder must exist)."""
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        # A database error's text must not carry the row's values (ID numbers, names, incomes) into a log, a crash
        # report or a dialog's details.
        hide_parameters=True,
    )
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


class Database:
    """The local store: one file, one engine, sessions for writing and for reading.

    Sessions are not thread-safe: each worker thread opens its own through :meth:`write` / :meth:`read`.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.engine = create_sqlite_engine(path)
        self._write = sessionmaker(self.engine, expire_on_commit=False)
        self._read_engine = self.engine.execution_options(yimen_readonly=True)
        self._read = sessionmaker(self._read_engine, expire_on_commit=False)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction (``BEGIN IMMEDIATE``): commits on success, rolls back on any exception."""
        with self._write() as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only snapshot (deferred ``BEGIN``); anything written is rolled back."""
        with self._read() as session:
            session.begin()
            try:
                yield session
            finally:
                session.rollback()

    @contextmanager
    def read_connection(self) -> Iterator[Connection]:
        """A read-only snapshot on a plain connection: for hot read paths that need no ORM objects."""
        with self._read_engine.connect() as conn:
            conn.begin()
            try:
                yield conn
            finally:
                conn.rollback()

    def dispose(self) -> None:
        self.engine.dispose()


def prepare_data_dir(folder: Path) -> Path:
    """Create the data folder with private permissions and return the database path inside it."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.name == "posix":
        # The folder holds sensitive personal data (PIPL Art. 28): owner and group only; IT's installer sets
        # the group that every OS account of the workstation belongs to.
        try:
            folder.chmod(0o770)
        except PermissionError:
            pass
    return folder / DB_FILE_NAME


def online_backup(source: Path, target: Path) -> None:
    """Copy a live database file with SQLite's online backup API (consistent even while in WAL mode)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(str(source))
    try:
        dst = sqlite3.connect(str(target))
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    if os.name == "posix":
        target.chmod(0o600)
