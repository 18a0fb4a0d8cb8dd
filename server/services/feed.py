"""The feed the workstations pull: status, account and catalog changes, numbered by a serialized counter so a pull
cursor never skips an entry committed out of order (docs/sync-protocol.md, "Pull")."""

from __future__ import annotations

import datetime as dt

from pydantic import TypeAdapter
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.sync import protocol
from server.store.models import Device, FeedEntryRow

FEED_COUNTER = "feed"
#: Reads a feed entry's stored body back (built once: a TypeAdapter compiles its validator).
_CHANGE: TypeAdapter[protocol.Change] = TypeAdapter(protocol.Change)


def _next_seq(session: Session) -> int:
    """The next feed number.  The counter row stays locked until this transaction commits, so feed entries
    become visible strictly in seq order: a pull cursor never skips an entry committed out of order."""
    value = session.execute(
        text("UPDATE counters SET value = value + 1 WHERE name = :name RETURNING value"), {"name": FEED_COUNTER}
    ).scalar_one()
    return int(value)


def append(
    session: Session,
    center_code: str | None,
    change: protocol.StatusChange | protocol.AccountChange | protocol.CatalogChange,
    now: dt.datetime,
) -> int:
    """Add a change to one center's feed (``None``: every center's); returns its feed number."""
    seq = _next_seq(session)
    session.add(
        FeedEntryRow(seq=seq, center_code=center_code, kind=change.kind, body=change.model_dump_json(), created_at=now)
    )
    session.flush()
    return seq


def pull(session: Session, device: Device, cursor: int, limit: int) -> protocol.PullResponse:
    """The device's center's entries (and those for every center) after ``cursor``, in feed order."""
    rows = session.execute(
        select(FeedEntryRow.seq, FeedEntryRow.body)
        .where(
            FeedEntryRow.seq > cursor,
            (FeedEntryRow.center_code == device.center_code) | FeedEntryRow.center_code.is_(None),
        )
        .order_by(FeedEntryRow.seq)
        .limit(limit + 1)
    ).all()
    more = len(rows) > limit
    rows = rows[:limit]
    entries = [protocol.FeedEntry(seq=seq, change=_CHANGE.validate_json(body)) for seq, body in rows]
    return protocol.PullResponse(entries=entries, cursor=entries[-1].seq if entries else cursor, more=more)
