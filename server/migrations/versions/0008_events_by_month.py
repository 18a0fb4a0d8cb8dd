"""Storage at city scale (docs/operations.md "Storage at city scale"): on PostgreSQL the events table becomes
partitioned by the Beijing month of ``received_at``, and an unpartitioned dedup gate ``event_store.event_ids``
(event id, SHA-256, when received) keeps each event id once across every partition.  On SQLite nothing changes.

PostgreSQL's unique keys on a partitioned table must include the partition key, so the primary key of ``events``
becomes ``(event_id, received_at)``, and the uniqueness of the event id alone moves to the gate: a ``BEFORE INSERT``
row trigger inserts the id into ``event_ids`` with ``ON CONFLICT DO NOTHING`` and skips the event row when the id is
already there (a second transaction inserting the same id waits on the first one's uncommitted gate row, then finds
it, exactly as it waited on the primary key before).  So the ingest's ``INSERT … ON CONFLICT DO NOTHING RETURNING
event_id`` keeps its meaning: it returns only the events this transaction stored.  An ``AFTER DELETE`` trigger frees
the id of an event deleted again (the ingest takes back, in the same transaction, what the city's view refused); a
``BEFORE UPDATE`` trigger keeps an event's id and SHA-256 fixed and points the gate at a changed ``received_at`` first,
so that an update moving a row into another month (a delete and an insert to PostgreSQL) keeps it; ``TRUNCATE events``
(tests and benchmarks; never in production) empties the gate too.

The partitions, the gate and the triggers' functions live in the schema ``event_store``; ``events`` itself stays
where it was.  Partitions are made for every month present, the current one and the next three, plus a default
partition; ``yimen-server admin partitions`` makes the later ones (server/services/partitions.py).

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from alembic import op
from sqlalchemy import text

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "event_store"
AHEAD = 3
#: Beijing time has no daylight saving: a month starts at 00:00 +08:00.
BEIJING = dt.timezone(dt.timedelta(hours=8))

_FUNCTIONS = f"""
CREATE FUNCTION {SCHEMA}.take_event_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('yimen.moving_events', true) = 'on' THEN
        RETURN NEW;  -- rows moved between partitions (server/services/partitions.py) keep their gate entry
    END IF;
    INSERT INTO {SCHEMA}.event_ids (event_id, sha256, received_at)
        VALUES (NEW.event_id, NEW.sha256, NEW.received_at)
        ON CONFLICT (event_id) DO NOTHING;
    IF FOUND THEN
        RETURN NEW;
    END IF;
    -- An UPDATE of received_at that moves the row to another month is a DELETE and an INSERT: move_event_id
    -- pointed the gate at the new moment first.  Any other taken id is not stored again (the ingest answers
    -- duplicate or conflict).
    IF EXISTS (SELECT 1 FROM {SCHEMA}.event_ids WHERE event_id = NEW.event_id
               AND received_at = NEW.received_at AND sha256 = NEW.sha256) THEN
        RETURN NEW;
    END IF;
    RETURN NULL;
END
$$;
CREATE FUNCTION {SCHEMA}.move_event_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.event_id <> OLD.event_id OR NEW.sha256 <> OLD.sha256 THEN
        RAISE EXCEPTION 'an event''s id and SHA-256 never change';
    END IF;
    IF NEW.received_at <> OLD.received_at THEN
        UPDATE {SCHEMA}.event_ids SET received_at = NEW.received_at WHERE event_id = OLD.event_id;
    END IF;
    RETURN NEW;
END
$$;
CREATE FUNCTION {SCHEMA}.empty_event_ids() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- The events are gone, all of them: so are their ids (tests and benchmarks).  DELETE, not TRUNCATE: the same
    -- statement may be truncating the gate itself ("TRUNCATE events, event_store.event_ids").
    DELETE FROM {SCHEMA}.event_ids;
    RETURN NULL;
END
$$;
CREATE FUNCTION {SCHEMA}.free_event_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('yimen.moving_events', true) = 'on' THEN
        RETURN OLD;
    END IF;
    DELETE FROM {SCHEMA}.event_ids WHERE event_id = OLD.event_id AND received_at = OLD.received_at;
    RETURN OLD;
END
$$;
"""


def _month(day: dt.date, plus: int = 0) -> dt.date:
    index = day.year * 12 + day.month - 1 + plus
    return dt.date(index // 12, index % 12 + 1, 1)


def _bound(month: dt.date) -> str:
    return dt.datetime.combine(month, dt.time(), BEIJING).isoformat()


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "postgresql":
        return
    op.execute(f"CREATE SCHEMA {SCHEMA}")
    op.execute("ALTER TABLE events RENAME TO events_unpartitioned")
    op.execute("ALTER TABLE events_unpartitioned RENAME CONSTRAINT pk_events TO pk_events_unpartitioned")
    op.execute(
        "CREATE TABLE events (LIKE events_unpartitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS) "
        "PARTITION BY RANGE (received_at)"
    )
    present = conn.execute(
        text(
            "SELECT DISTINCT date_trunc('month', received_at AT TIME ZONE 'Asia/Shanghai')::date "
            "FROM events_unpartitioned"
        )
    ).scalars()
    today = dt.datetime.now(BEIJING).date()
    months = set(present) | {_month(today, plus) for plus in range(AHEAD + 1)}
    for month in sorted(months):
        op.execute(
            f"CREATE TABLE {SCHEMA}.events_{month:%Y_%m} PARTITION OF events "
            f"FOR VALUES FROM ('{_bound(month)}') TO ('{_bound(_month(month, 1))}')"
        )
    op.execute(f"CREATE TABLE {SCHEMA}.events_default PARTITION OF events DEFAULT")
    op.execute("INSERT INTO events SELECT * FROM events_unpartitioned")
    op.execute(
        f"CREATE TABLE {SCHEMA}.event_ids (event_id uuid PRIMARY KEY, sha256 varchar(64) NOT NULL, "
        "received_at timestamptz NOT NULL)"
    )
    op.execute(f"INSERT INTO {SCHEMA}.event_ids SELECT event_id, sha256, received_at FROM events_unpartitioned")
    op.execute("DROP TABLE events_unpartitioned")
    op.execute("ALTER TABLE events ADD CONSTRAINT pk_events PRIMARY KEY (event_id, received_at)")
    op.execute("CREATE INDEX ix_events_application_id ON events (application_id)")
    op.execute(
        "CREATE INDEX ix_events_workstation_order ON events "
        "(center_code, workstation_code, received_at, position, event_id)"
    )
    op.execute(_FUNCTIONS)
    for name, when in (("take", "BEFORE INSERT"), ("move", "BEFORE UPDATE"), ("free", "AFTER DELETE")):
        op.execute(
            f"CREATE TRIGGER {name}_event_id {when} ON events FOR EACH ROW EXECUTE FUNCTION {SCHEMA}.{name}_event_id()"
        )
    op.execute(
        f"CREATE TRIGGER empty_event_ids AFTER TRUNCATE ON events FOR EACH STATEMENT "
        f"EXECUTE FUNCTION {SCHEMA}.empty_event_ids()"
    )


def downgrade() -> None:
    """Back to one table holding the rows still attached (an archived month stays in its archive file)."""
    conn = op.get_bind()
    if conn.dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE events RENAME TO events_partitioned")
    op.execute("ALTER TABLE events_partitioned RENAME CONSTRAINT pk_events TO pk_events_partitioned")
    op.execute("ALTER INDEX ix_events_application_id RENAME TO ix_events_partitioned_application_id")
    op.execute("ALTER INDEX ix_events_workstation_order RENAME TO ix_events_partitioned_workstation_order")
    op.execute("CREATE TABLE events (LIKE events_partitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
    op.execute("INSERT INTO events SELECT * FROM events_partitioned")
    op.execute("DROP TABLE events_partitioned")
    op.execute(f"DROP SCHEMA {SCHEMA} CASCADE")
    op.execute("ALTER TABLE events ADD CONSTRAINT pk_events PRIMARY KEY (event_id)")
    op.execute("CREATE INDEX ix_events_application_id ON events (application_id)")
    op.execute(
        "CREATE INDEX ix_events_workstation_order ON events "
        "(center_code, workstation_code, received_at, position, event_id)"
    )
