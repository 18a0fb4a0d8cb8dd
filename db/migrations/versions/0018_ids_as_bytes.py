"""A store that stays small, continued (issue 16; docs/performance.md "A store that stays small (issue 16)"): every
id is kept as its 16 bytes instead of 32 hex characters (``db.types.UUIDBytes``), in every row and every index over
it — some fifty ids and twenty index entries a case.

Each column declared ``CHAR(32)`` (SQLAlchemy's ``Uuid`` on SQLite, since 0001) is converted in place, one
statement per table: SQLite keeps a BLOB as it is whatever a column's declared type, so no table is rebuilt and the
declared types stay.  A value that is not 32 hex digits (a row written by hand) is left as it is.  Foreign keys
stay consistent: both sides of every reference are converted in the same transaction (db/migrate.py checks them at
the end).  An existing store's rows shrink in place; the file gives the space back after one full ``VACUUM``
(``yimen prune --vacuum``), a new store from the start.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TO_BYTES = "CASE WHEN typeof({c}) = 'text' AND length({c}) = 32 AND unhex({c}) IS NOT NULL THEN unhex({c}) ELSE {c} END"
TO_HEX = "CASE WHEN typeof({c}) = 'blob' AND length({c}) = 16 THEN lower(hex({c})) ELSE {c} END"


def _id_columns() -> dict[str, list[str]]:
    """Every table's columns declared ``CHAR(32)``."""
    bind = op.get_bind()
    tables = bind.execute(
        sa.text("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    ).scalars()
    found: dict[str, list[str]] = {}
    for table in list(tables):
        columns = [row[1] for row in bind.execute(sa.text(f'PRAGMA table_info("{table}")')) if row[2] == "CHAR(32)"]
        if columns:
            found[table] = columns
    return found


def _convert(expression: str) -> None:
    for table, columns in _id_columns().items():
        quoted = [f'"{c}"' for c in columns]
        values = ", ".join(f"{c} = {expression.format(c=c)}" for c in quoted)
        op.execute(f'UPDATE "{table}" SET {values}')


def upgrade() -> None:
    _convert(TO_BYTES)


def downgrade() -> None:
    _convert(TO_HEX)
