"""Schema upgrades that never risk data (ARCHITECTURE.md invariants 2 and 10, STYLE.md §11).

Before any migration the caller's backup is written and verified (app/backups.py); a database written by a
newer Yimen is refused untouched; batch migrations run with foreign keys off (set outside the transaction, where
SQLite honours it) and end with ``PRAGMA foreign_key_check`` inside the same transaction, so a violation rolls
everything back.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import OperationalError

if TYPE_CHECKING:
    from alembic.config import Config

# Alembic is imported only when a migration is needed: a workstation whose schema is current starts ~0.2 s
# faster (docs/performance.md).  tests/db/test_migrations.py proves this is the migration scripts' head.
HEAD_REVISION = "0018"

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class SchemaTooNewError(Exception):
    """The file carries a schema revision this code does not know (written by a newer Yimen)."""

    def __init__(self, revision: str) -> None:
        super().__init__(revision)
        self.revision = revision


class NoBackupError(Exception):
    """An existing store was to be migrated without a backup function: refused, nothing changed."""


class ForeignKeyViolationError(Exception):
    """A migration left rows that break a foreign key; the migration was rolled back."""


class MigrationFailedError(Exception):
    """A migration raised; its transaction was rolled back.

    Attributes:
        from_revision: the file's revision before (a new database: None).
        target: the revision the migration was to reach.
        backup: the backup written before it (None for a new database).
        unchanged: the file reads as before: the same revision and the same schema (False: something was committed
            behind the migration's transaction, and the caller puts the backup back).
    """

    def __init__(self, from_revision: str | None, target: str, backup: Path | None, *, unchanged: bool) -> None:
        super().__init__(f"migration {from_revision} -> {target} failed (unchanged: {unchanged})")
        self.from_revision = from_revision
        self.target = target
        self.backup = backup
        self.unchanged = unchanged


@dataclass(frozen=True)
class MigrationReport:
    from_revision: str | None
    to_revision: str
    backup: Path | None


def load_alembic() -> None:
    """Import Alembic (once), without pygments.

    Alembic imports mako for its script templates, and mako imports pygments, when it is installed, to colour a
    template's errors; nothing here renders a template. Measured over a counter's day on a new store (bench/day.py,
    docs/performance.md "The counter over a day"): 4 MiB of the counter's memory. While Alembic is imported, an
    import of pygments fails as if it were not installed (mako expects that); afterwards it is importable again."""
    if "alembic" in sys.modules:
        return
    blocked = "pygments" not in sys.modules
    if blocked:
        sys.modules["pygments"] = None  # type: ignore[assignment]  # Python's own "import refused" marker
    try:
        import alembic  # noqa: F401  (its package imports mako)
    finally:
        if blocked:
            sys.modules.pop("pygments", None)  # the marker: nothing could import it meanwhile


def alembic_config(connection: Connection | None = None) -> Config:
    load_alembic()
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    load_alembic()
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision stored in the file (None for a new, empty database), read without loading Alembic."""
    with engine.connect() as conn:
        try:
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).fetchall()
        except OperationalError:  # no such table: a new database
            return None
    return rows[0][0] if rows else None


def schema_of(engine: Engine) -> tuple[str | None, list[tuple[str, str, str | None]]]:
    """The file's revision and its schema (every table, index, trigger and view with its SQL): what a migration
    changes, compared before and after a failed one."""
    revision = current_revision(engine)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT type, name, sql FROM sqlite_master ORDER BY type, name")).fetchall()
    return revision, [(r[0], r[1], r[2]) for r in rows]


def check_not_newer(db_path: Path, key: bytes) -> None:
    """Refuse a store written by a newer version before anything opens it for writing.

    The revision is read through a read-only connection, which cannot checkpoint a leftover WAL into the file when
    it closes, as the last connection of a writable engine would: a refused store keeps its bytes and times, and its
    ``-wal`` (only an existing ``-shm``, the WAL's shared-memory index, is written by any reader; none is created).
    A file that cannot be read so (no such table, another key, damage) is left to the full opening, which says what
    is wrong.

    Raises:
        SchemaTooNewError: the file carries a revision this code does not know.
    """
    if not db_path.exists() or db_path.stat().st_size == 0:
        return
    import sqlcipher3

    from db.engine import QUIET

    # Without a -wal the file holds every commit: read it as immutable (no -wal or -shm is created).  With one, the
    # last commits may be in it: a read-only connection reads them and leaves both files in place.
    wal = Path(f"{db_path}-wal")
    query = "mode=ro" if wal.exists() else "mode=ro&immutable=1"
    conn = sqlcipher3.connect(f"{db_path.resolve().as_uri()}?{query}", uri=True, timeout=5.0)
    try:
        conn.execute(QUIET)  # a damaged file or another key is the full opening's to report, not SQLCipher's log's
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        rows = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlcipher3.DatabaseError:
        return
    finally:
        conn.close()
    if rows and rows[0][0] != HEAD_REVISION:
        _check_known(rows[0][0])


def _check_known(revision: str) -> None:
    load_alembic()
    from alembic.script import ScriptDirectory
    from alembic.util.exc import CommandError

    script = ScriptDirectory.from_config(alembic_config())
    try:
        found = script.get_revision(revision)
    except CommandError:
        found = None
    if found is None:
        raise SchemaTooNewError(revision)


def upgrade(
    engine: Engine,
    db_path: Path,
    *,
    backup: Callable[[str], Path] | None = None,
    target: str = "head",
) -> MigrationReport:
    """Bring the database at ``db_path`` (opened by ``engine``) to ``target``, backing it up first.

    ``backup(revision)`` writes the verified backup of the store before a migration and returns where it went
    (the app's is app/backups.py: encrypted and sealed to the recovery key).  Without one an existing store is
    not migrated (:class:`NoBackupError`): no migration runs without a way back.

    Raises:
        SchemaTooNewError: the file was written by a newer version; nothing was changed.
        MigrationFailedError: a migration raised (a statement SQLite refused, a bug, a full disk: its
            ``__cause__``; a broken foreign key: :class:`ForeignKeyViolationError`); it was rolled back, the backup
            kept, and whether the file reads as before is said (``unchanged``).
    """
    current = current_revision(engine)
    if target == "head" and current == HEAD_REVISION:
        return MigrationReport(current, current, None)
    if current is not None:
        _check_known(current)
    wanted = head_revision() if target == "head" else target
    if current == wanted:
        return MigrationReport(current, wanted, None)

    written: Path | None = None
    if current is not None:
        if backup is None:
            raise NoBackupError(current)
        written = backup(current)

    before = schema_of(engine)
    try:
        with engine.connect() as conn:
            # PRAGMA foreign_keys is ignored inside a transaction: set it on the raw connection first.
            raw = conn.connection.driver_connection
            assert raw is not None
            raw.execute("PRAGMA foreign_keys = OFF")
            try:
                load_alembic()
                from alembic import command

                # One transaction for every revision, opened here: Alembic leaves a transaction it finds open to its
                # owner, where on SQLite (DDL it deems not transactional) it would commit each revision on its own,
                # and a kill between two left the store half-way with the foreign keys never checked.
                conn.begin()
                command.upgrade(alembic_config(conn), target)
                violations = conn.execute(text("PRAGMA foreign_key_check")).fetchall()
                if violations:
                    conn.rollback()
                    raise ForeignKeyViolationError(repr(violations[:5]))
                conn.commit()
            finally:
                raw.execute("PRAGMA foreign_keys = ON")
    except Exception as exc:  # rolled back when the connection closed; the caller says so (the cause chained)
        raise MigrationFailedError(current, wanted, written, unchanged=_unchanged(engine, before)) from exc
    return MigrationReport(current, wanted, written)


def _unchanged(engine: Engine, before: tuple[str | None, list[tuple[str, str, str | None]]]) -> bool:
    try:
        return schema_of(engine) == before
    except Exception:
        return False
