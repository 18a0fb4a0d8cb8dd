"""What every service shares: :class:`ServiceError`, the credential hash and dialect-aware bulk inserts."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


class ServiceError(Exception):
    """An expected refusal: an HTTP status, a stable code and one Chinese sentence that says what to do."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def token_hash(token: str) -> str:
    """Credentials are 256-bit random strings: an unsalted SHA-256 is enough to make a stolen table useless."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def insert(session: Session, table: Any) -> Any:
    """INSERT for the session's dialect, with ON CONFLICT DO NOTHING available (PostgreSQL and SQLite)."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


_PG_TYPES = {
    "Uuid": "uuid",
    "String": "text",
    "Text": "text",
    "Integer": "integer",
    "BigInteger": "bigint",
    "LargeBinary": "bytea",
    "Boolean": "boolean",
    "UTCDateTime": "timestamptz",
    "Date": "date",
}


def insert_rows(session: Session, table: Any, rows: list[dict[str, Any]], returning: str | None = None) -> list[Any]:
    """``INSERT … ON CONFLICT DO NOTHING [RETURNING]`` of many rows.  On PostgreSQL one statement whatever the
    number of rows, the columns passed as arrays (``INSERT … SELECT * FROM unnest(…)``): psycopg neither builds
    nor parses a statement with thousands of placeholders (docs/performance.md).  Elsewhere SQLAlchemy's
    executemany."""
    if not rows:
        return []
    if session.get_bind().dialect.name != "postgresql":
        stmt = insert(session, table).on_conflict_do_nothing()
        if returning is None:
            session.execute(stmt, rows)
            return []
        return list(session.execute(stmt.returning(table.c[returning]), rows).scalars())
    columns = list(rows[0])
    arrays = ", ".join(f"%b::{_PG_TYPES[type(table.c[name].type).__name__]}[]" for name in columns)
    sql = f"INSERT INTO {table.name} ({', '.join(columns)}) SELECT * FROM unnest({arrays}) ON CONFLICT DO NOTHING"
    if returning is not None:
        sql += f" RETURNING {returning}"
    params = [[row[name] for row in rows] for name in columns]
    # psycopg directly, parameters in binary (%b): its text dumper escapes every bytea array element with regular
    # expressions.
    driver = session.connection().connection.driver_connection
    with driver.cursor(binary=True) as cursor:  # type: ignore[union-attr]
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()] if returning is not None else []
