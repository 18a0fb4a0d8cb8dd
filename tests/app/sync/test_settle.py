"""Recording a push's answers (app/sync/service.py ``_SETTLE_ALL``): one statement for all the events of one
outcome, each found by its primary key, and only events still pending change."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select

from app.sync import service
from db.engine import Database
from db.migrate import upgrade
from db.models import OutboxEntry
from tests.db.test_migrations import Backups, fresh  # noqa: F401 - fixture

NOW = dt.datetime(2026, 12, 7, 3, 0, tzinfo=dt.UTC)


def _entry(seq: int, state: str) -> OutboxEntry:
    return OutboxEntry(
        id=uuid.uuid4(),
        seq=seq,
        application_id=None,
        event_type="day.closed",
        schema_version=1,
        payload=b"{}",
        sha256="c" * 64,
        created_at=NOW - dt.timedelta(minutes=5),
        state=state,
        attempts=1,
    )


def test_settling_finds_each_event_by_its_key_not_by_the_state_index(fresh: Database) -> None:  # noqa: F811
    upgrade(fresh.engine, fresh.path, backup=Backups(fresh))
    with fresh.engine.connect() as conn:
        plan = " / ".join(
            row[3]
            for row in conn.exec_driver_sql(
                "EXPLAIN QUERY PLAN " + str(service._SETTLE_ALL.compile(dialect=conn.dialect)),
                ("sent", None, None, "[]"),
            )
        )
    assert "SEARCH outbox USING INDEX sqlite_autoindex_outbox_1 (id=?)" in plan, plan
    assert "ix_outbox_state_seq" not in plan and "SCAN outbox" not in plan, plan


def test_only_pending_events_are_settled_and_each_once(fresh: Database) -> None:  # noqa: F811
    upgrade(fresh.engine, fresh.path, backup=Backups(fresh))
    entries = [
        _entry(1, "pending"),
        _entry(2, "pending"),
        _entry(3, "quarantined"),
        _entry(4, "sent"),
        _entry(5, "pending"),
    ]
    named = [e.id for e in entries[:4]]  # the fifth is not in the answer
    with fresh.write() as session:
        session.add_all(entries)
    with fresh.write() as session:
        done = session.connection().execute(
            service._SETTLE_ALL, {"ids": service._id_array(named), "state": "sent", "note": None, "sent": NOW}
        )
        assert done.rowcount == 2
    with fresh.read() as session:
        rows = {e.seq: (e.state, e.attempts, e.sent_at) for e in session.scalars(select(OutboxEntry))}
    assert [rows[seq] for seq in range(1, 6)] == [
        ("sent", 2, NOW),
        ("sent", 2, NOW),
        ("quarantined", 1, None),
        ("sent", 1, None),
        ("pending", 1, None),
    ]
