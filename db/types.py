"""Column types shared by the models (STYLE.md §10)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

from sqlalchemy import CHAR, BigInteger, Dialect, Integer, LargeBinary, String, TypeDecorator
from sqlalchemy.orm import mapped_column
from sqlalchemy.types import DateTime


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware timestamp stored as UTC.

    SQLite hands back naive datetimes even with ``timezone=True``; this type refuses naive input (a naive time
    is a bug: we cannot know its zone) and restores UTC on the way out (ARCHITECTURE.md invariant 5).
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        assert isinstance(value, dt.datetime)
        return value.replace(tzinfo=dt.UTC)


class UUIDBytes(TypeDecorator[uuid.UUID]):
    """A UUID: a ``uuid.UUID`` in Python, its 16 bytes in the store, half the 32 hex characters SQLAlchemy's ``Uuid``
    writes on SQLite (every key and reference of every row, and of every index over them: docs/performance.md "A
    store that stays small (issue 16)", migration 0018).

    The columns keep the type they were declared with, ``CHAR(32)``: SQLite stores a BLOB as it is in a column of
    any declared type, and a table cannot change a column's type without being rebuilt.  On the way out a 32-digit
    text (a row written by hand, or before migration 0018) is read as well.
    """

    impl = CHAR(32)
    cache_ok = True

    def process_bind_param(self, value: uuid.UUID | str | None, dialect: Dialect) -> bytes | None:
        if value is None:
            return None
        return (value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))).bytes

    def process_result_value(self, value: Any, dialect: Dialect) -> uuid.UUID | None:
        if value is None:
            return None
        if isinstance(value, str):
            return uuid.UUID(value)
        return uuid.UUID(bytes=bytes(value))


class HexDigest(TypeDecorator[str]):
    """A SHA-256 or HMAC-SHA-256: lowercase hex in Python, its 32 bytes in the store (half the 64 characters of
    text, on rows kept for good: docs/performance.md "A store that stays small (issue 16)").

    A value that is not hex is refused on the way in.  On the way out a stored text (a row written by hand, outside
    the application) is handed back as it is, so a check that compares it finds it different instead of failing.
    """

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> bytes | None:
        if value is None:
            return None
        return bytes.fromhex(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        if value is None or isinstance(value, str):
            return value
        return bytes(value).hex()


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# Annotated column kinds: the UUID key made at the edge, UTC timestamps, money in integer fen.
UUIDPk = Annotated[uuid.UUID, mapped_column(primary_key=True, default=uuid.uuid4)]
UTCTime = Annotated[dt.datetime, mapped_column(UTCDateTime())]
Fen = Annotated[int, mapped_column(BigInteger)]
Str20 = Annotated[str, mapped_column(String(20))]
Str40 = Annotated[str, mapped_column(String(40))]
Str100 = Annotated[str, mapped_column(String(100))]
Str200 = Annotated[str, mapped_column(String(200))]
Int = Annotated[int, mapped_column(Integer)]
