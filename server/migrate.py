"""Migrations of the server's store, safe when two run at once, and the check that refuses an unmigrated store.

On PostgreSQL an advisory lock (``pg_advisory_xact_lock``) is taken inside the migration's transaction: a second
``yimen-server migrate`` waits for the first and then finds nothing to do.  On SQLite the whole migration runs in one
``BEGIN IMMEDIATE`` transaction, which serializes the same way.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
#: A fixed key for pg_advisory_xact_lock: "yimen-server migrate".
ADVISORY_KEY = 0x59494D454E


class NotMigratedError(Exception):
    """The store is missing, behind or ahead of this server's migrations."""

    def __init__(self, current: str | None, head: str) -> None:
        super().__init__(current, head)
        self.current = current
        self.head = head


def _config(connection: Connection | None = None, blob_dir: Path | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    #: Where migration 0009 moves the documents' bytes (None: they stay in the table).
    config.attributes["blob_dir"] = blob_dir
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, *, blob_dir: Path | None = None) -> tuple[str | None, str]:
    """Bring the store to the head revision; returns (before, after).  ``blob_dir``: the server's
    ``YIMEN_SERVER_BLOB_DIR``, where the documents' bytes kept in the table are moved (migration 0009)."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_KEY})
        before = MigrationContext.configure(conn).get_current_revision()
        command.upgrade(_config(conn, blob_dir), "head")
        after = MigrationContext.configure(conn).get_current_revision()
    assert after is not None
    return before, after


def require_current(engine: Engine) -> None:
    """Raise NotMigratedError unless the store is exactly at this server's head revision."""
    current = current_revision(engine)
    head = head_revision()
    if current != head:
        raise NotMigratedError(current, head)
