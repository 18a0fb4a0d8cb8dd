"""The one engine factory: every connection to the local store is opened here (ARCHITECTURE.md invariant 2).

SQLite is configured for "nothing committed is lost": WAL journal, ``synchronous=FULL``, foreign keys on, a busy
timeout, and write transactions opened with ``BEGIN IMMEDIATE`` so the GUI's database worker, the sync worker and
a CLI command can share the file without a late "database is locked" inside a transaction.  Read-only work uses a
deferred ``BEGIN`` so it never waits for a writer (WAL readers see the last commit).  ``secure_delete`` is on: what
is deleted or rewritten is overwritten with zeros, so personal data purged after its retention period
(app/retention.py) leaves no copy in the file's free space.

The file is encrypted with SQLCipher 4 (``sqlcipher3``; STACK.md): every page, the WAL and the journal are
AES-256 with a per-page HMAC, under a raw 256-bit key the caller gives (the app keeps it in the machine vault,
docs/security.md).  A raw key (``x'…'``) skips SQLCipher's PBKDF2, which exists for passphrases, so opening costs
no more than plain SQLite.  Plain ``sqlite3`` reads nothing of the file, not even that it is SQLite.  A plain
database of an earlier version is encrypted in place by :func:`encrypt_in_place` (copy, verify, swap).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import URL, Connection, Engine, create_engine, event
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

BUSY_TIMEOUT_MS = 10_000
DB_FILE_NAME = "yimen.sqlite3"
KEY_BYTES = 32
SQLITE_HEADER = b"SQLite format 3\x00"
#: SQLCipher writes its own complaints (a wrong key's "hmac check failed") to stderr, where they would reach a CLI
#: user's terminal beside our message; the error itself still comes back as an exception.
QUIET = "PRAGMA cipher_log_level = NONE"
#: Every store and every copy of one frees pages back to the file system in steps (app/pruning.py).
AUTO_VACUUM = "PRAGMA auto_vacuum = INCREMENTAL"
#: The page cache of each connection, in KiB (negative: a size, not a page count).  SQLCipher's default is 8,000 KiB,
#: and the pool keeps up to five connections (the database worker, the sync's threads, the renderer's reads), each
#: filling its own cache with the same store's pages — the documents' blobs included — over a day (issue 16,
#: docs/performance.md "The counter over a day").  2,000 KiB is SQLite's own default; a lookup reads its pages from
#: the OS cache either way (docs/performance.md "SQLCipher": 0.20–0.23 ms at 2 MB, 0.17 ms at 16 or 64 MB).
CACHE_KIB = 2000


class WrongKeyError(Exception):
    """The file is not a database under this key: another machine's store, a damaged file, or not SQLite."""


def _pragma_key(key: bytes) -> str:
    if len(key) != KEY_BYTES:
        raise ValueError("a store key is 32 bytes")
    return f"\"x'{key.hex()}'\""


def raw_connect(path: Path, key: bytes | None) -> Any:
    """A DB-API connection to ``path`` with the key set (``None``: a plain SQLite file), for backups, the
    in-place encryption and tools; the app itself goes through :class:`Database`."""
    conn = sqlcipher3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    conn.execute(QUIET)
    if key is not None:
        conn.execute(f"PRAGMA key = {_pragma_key(key)}")
    return conn


def is_plain_sqlite(path: Path) -> bool:
    """Whether ``path`` starts with the plain SQLite header (an unencrypted store of an earlier version)."""
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def _on_connect(dbapi_connection: Any, connection_record: Any) -> None:
    # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite's own BEGIN is deferred and implicit).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(QUIET)
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        # Before anything writes the first page: a new store is made with incremental auto-vacuum, so the space
        # pruning frees (app/pruning.py) goes back to the disk in small steps.  Only on an empty file: on a store
        # with tables the pragma is a write transaction of page 1 (SQLite rewrites the header's incremental-vacuum
        # flag even when unchanged; SQLCipher re-encrypts the page under a fresh IV), so merely opening a store would
        # change its file, and fail on one this account may only read.  An existing store in mode NONE switches at
        # its next full VACUUM (:meth:`Database.vacuum`).
        if cursor.execute("PRAGMA page_count").fetchone()[0] == 0:
            cursor.execute(AUTO_VACUUM)
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        # Whatever is deleted or rewritten is overwritten with zeros, free pages included: no earlier copy of a
        # citizen's row lingers in free space to be read by whoever holds the key (app/retention.py purges).
        cursor.execute("PRAGMA secure_delete = ON")
    finally:
        cursor.close()


def _on_begin(conn: Any) -> None:
    if conn.get_execution_options().get("yimen_readonly"):
        conn.exec_driver_sql("BEGIN")
    else:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def create_sqlite_engine(path: Path, key: bytes) -> Engine:
    """Create the engine for the encrypted database file at ``path`` (its folder must exist)."""
    url = URL.create("sqlite+pysqlcipher", password=_pragma_key(key)[1:-1], database=str(path))
    engine = create_engine(
        url,
        module=sqlcipher3,
        poolclass=QueuePool,
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

    def __init__(self, path: Path, key: bytes, *, info: dict[str, Any] | None = None) -> None:
        """``info`` is handed to every session (``session.info``): the audit chain's key travels this way."""
        self.path = path
        self.key = key
        self.engine = create_sqlite_engine(path, key)
        self._write = sessionmaker(self.engine, expire_on_commit=False, info=dict(info or {}))
        self._read_engine = self.engine.execution_options(yimen_readonly=True)
        self._read = sessionmaker(self._read_engine, expire_on_commit=False, info=dict(info or {}))

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

    def empty_wal(self, wait_ms: int = 2000) -> bool:
        """Copy every committed page into the main file and truncate the WAL (``wal_checkpoint(TRUNCATE)``), so
        no earlier version of a page stays in the WAL file; True when done.

        It waits at most ``wait_ms`` for readers of older snapshots, and meanwhile holds back new writers, so it
        is only called after work that needs it (app/retention.py).  A store that is busy or failing is left as it
        was (False): SQLite's own checkpoints recycle the WAL later.
        """
        raw = self.engine.raw_connection()
        try:
            cursor = raw.cursor()
            try:
                cursor.execute(f"PRAGMA busy_timeout = {int(wait_ms)}")
                busy = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
            except sqlcipher3.DatabaseError:
                return False
            finally:
                cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                cursor.close()
        finally:
            raw.close()
        return bool(busy == 0)

    def vacuum(self) -> None:
        """Rebuild the whole file (``VACUUM``), then empty the WAL: free pages are dropped and what earlier versions
        (before ``secure_delete``) left in free space is gone.  It holds the write lock for as long as rewriting the
        store takes (seconds to minutes for gigabytes) and needs as much free disk again: IT's command, off hours.

        Raises:
            sqlalchemy.exc.OperationalError: the store is busy, full or failing (the file is as it was).
        """
        raw = self.engine.raw_connection()
        try:
            cursor = raw.cursor()
            try:
                cursor.execute(AUTO_VACUUM)  # takes effect with the rewrite: an old store switches (app/pruning.py)
                cursor.execute("VACUUM")
            except sqlcipher3.DatabaseError as exc:
                raise OperationalError("VACUUM", None, exc) from exc
            finally:
                cursor.close()
        finally:
            raw.close()
        self.empty_wal()

    def dispose(self) -> None:
        self.engine.dispose()


DATA_GROUP = "yimen"


def prepare_data_dir(folder: Path) -> Path:
    """Create the data folder with private permissions and return the database path inside it.

    On POSIX the folder is 2770 and, where the ``yimen`` group exists (the installer creates it), owned by that
    group, so every OS account of the workstation in the group shares the store (ARCHITECTURE.md invariant 3);
    :func:`share_with_group` gives the files 0660.
    """
    share_folder(folder)
    return folder / DB_FILE_NAME


def share_folder(folder: Path) -> None:
    """Create ``folder`` (and its parents) and make it 2770, group ``yimen`` where that group exists: the data
    folder and those inside it (backups, open-file tags) are shared by the workstation's OS accounts of the group
    and by nobody else (PIPL Art. 28).  A folder another account owns keeps its mode (only its owner may change
    it; the installer made it right)."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.name != "posix":
        return
    gid = _data_group()
    try:
        if gid is not None and folder.stat().st_gid != gid:
            os.chown(folder, -1, gid)
        folder.chmod(0o2770 if gid is not None else 0o770)
    except PermissionError:
        pass


def share_with_group(path: Path) -> None:
    """Give the store's files 0660 (and the ``yimen`` group where it exists); SQLite gives the -wal and -shm files
    the main file's mode when it makes them."""
    for part in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        share_file(part)


def share_file(path: Path) -> None:
    """0660 and group ``yimen`` for one file of the data folder (its content is encrypted; the group shares it)."""
    if os.name != "posix":
        return
    gid = _data_group()
    try:
        if gid is not None and path.stat().st_gid != gid:
            os.chown(path, -1, gid)
        if path.stat().st_mode & 0o777 != 0o660:
            path.chmod(0o660)
    except (FileNotFoundError, PermissionError):
        pass


def _data_group() -> int | None:
    import grp

    try:
        return grp.getgrnam(DATA_GROUP).gr_gid
    except KeyError:
        return None


def export_copy(source: Path, key: bytes | None, target: Path, target_key: bytes) -> dict[str, int]:
    """Write a consistent, compacted copy of the store at ``source`` (under ``key``; ``None``: a plain file) to
    ``target``, encrypted under
    ``target_key`` (``sqlcipher_export``: a full VACUUM on the way), and return its tables' row counts.

    The copy is read back under ``target_key`` and checked (``integrity_check``, the same row counts) before
    this returns; a failed check removes the copy and raises :class:`WrongKeyError` or ``OSError``.
    """
    share_folder(target.parent)
    partial = target.with_name(target.name + ".part")
    partial.unlink(missing_ok=True)
    src = raw_connect(source, key)
    try:
        src.execute("BEGIN")  # one snapshot for the counts and the export
        counts = _row_counts(src)
        version = src.execute("PRAGMA user_version").fetchone()[0]
        src.execute(f"ATTACH DATABASE ? AS target KEY {_pragma_key(target_key)}", (str(partial),))
        try:
            # The copy is a new file: it gets incremental auto-vacuum whatever the source had, so encrypting a
            # plain store or restoring a backup switches an old store (app/pruning.py).
            src.execute("PRAGMA target.auto_vacuum = INCREMENTAL")
            src.execute("SELECT sqlcipher_export('target')")
            src.execute(f"PRAGMA target.user_version = {int(version)}")
        finally:
            src.execute("COMMIT")
            src.execute("DETACH DATABASE target")
    except sqlcipher3.DatabaseError as exc:
        partial.unlink(missing_ok=True)
        raise _classify(exc) from exc
    finally:
        src.close()
    try:
        verify_copy(partial, target_key, counts)
        with partial.open("rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    share_file(target)  # encrypted; the group's other accounts back up, restore and prune too
    return counts


def verify_copy(path: Path, key: bytes, counts: dict[str, int] | None = None) -> dict[str, int]:
    """Open ``path`` under ``key``, run ``integrity_check`` and compare the row counts; return the counts."""
    conn = raw_connect(path, key)
    try:
        try:
            result = conn.execute("PRAGMA integrity_check").fetchall()
            found = _row_counts(conn)
        except sqlcipher3.DatabaseError as exc:
            raise _classify(exc) from exc
    finally:
        conn.close()
    if result != [("ok",)]:
        raise WrongKeyError(f"integrity_check: {result[:3]!r}")
    if counts is not None and found != counts:
        raise WrongKeyError("row counts differ from the source")
    return found


def encrypt_in_place(path: Path, key: bytes) -> dict[str, int]:
    """Encrypt a plain SQLite store of an earlier version under ``key``: copy (``sqlcipher_export``, a full
    VACUUM), verify (integrity and row counts), swap (atomic rename).  A failure at any step leaves the plain
    file as it was.  Returns the row counts.
    """
    plain = raw_connect(path, None)
    try:
        plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # every committed row into the main file first
    except sqlcipher3.DatabaseError as exc:  # a folder this account cannot write, a locked or damaged file
        raise _classify(exc) from exc
    finally:
        plain.close()
    encrypted = path.with_name(path.name + ".encrypting")
    counts = export_copy(path, None, encrypted, key)
    os.replace(encrypted, path)
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    fsync_folder(path.parent)
    return counts


def _row_counts(conn: Any) -> dict[str, int]:
    tables = [
        row[0]
        for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    ]
    return {name: int(conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]) for name in sorted(tables)}


def _classify(exc: BaseException) -> BaseException:
    text = str(exc)
    if "not a database" in text or "malformed" in text or "encrypted" in text:
        return WrongKeyError(text)
    return OSError(text)


def fsync_folder(folder: Path) -> None:
    """Make a rename or a new file in ``folder`` durable (POSIX; Windows has no directory handle to sync)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
