"""Column types shared by the models (STYLE.md §10)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

from sqlalchemy import BigInteger, Dialect, Integer, String, TypeDecorator
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
