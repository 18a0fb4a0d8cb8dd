"""A push's batches (app/sync/service.py): bounded by the payloads' bytes as well as their number, and their answers
recorded (``_SETTLE``) in one statement for all the events of one outcome, each found by its primary key, only
events still pending changing."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import select, update

from app.sync import service
from db.engine import Database
from db.migrate import upgrade
from db.models import OutboxEntry
from tests.app.sync.synckit import Workstation
from tests.db.test_migrations import Backups, fresh  # noqa: F401 - fixture

NOW = dt.datetime(2026, 12, 7, 3, 0, tzinfo=dt.UTC)


def _entry(seq: int, state: str, application_id: uuid.UUID | None = None) -> OutboxEntry:
    return OutboxEntry(
        id=uuid.uuid4(),
        seq=seq,
        application_id=application_id,
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
                "EXPLAIN QUERY PLAN " + str(service._SETTLE.compile(dialect=conn.dialect)),
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
            service._SETTLE, {"ids": service._id_array(named), "state": "sent", "note": None, "sent": NOW}
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


def _queued(size: int) -> service._Queued:
    return service._Queued(uuid.uuid4(), 1, None, "signature.recorded", b"x" * size, "d" * 64)


def test_a_batch_of_large_events_stops_at_its_byte_budget_and_keeps_at_least_one() -> None:
    big = [_queued(3_000_000) for _ in range(5)]  # a signature's strokes can make an event megabytes long
    assert service._within_bytes(big) == big[:2]  # 6 MB; a third would pass 8 MiB
    small = [_queued(2_400) for _ in range(1000)]
    assert service._within_bytes(small) == small  # a full batch of ordinary events is 2.5 MB
    huge = [_queued(service.BATCH_BYTES + 1), _queued(10)]
    assert service._within_bytes(huge) == huge[:1]  # alone in its request, whatever its size
    assert service._within_bytes([]) == []


def test_the_next_batch_leaves_out_the_batch_in_flight_and_the_applications_held_back(
    services_factory: Any, tmp_path: Path
) -> None:
    """While a batch is in flight, the next one skips its events and every event of its applications; an
    application with a quarantined event is skipped too (app/sync/service.py ``_next_batch``)."""
    ws = Workstation(services_factory, tmp_path / "ws003", "http://127.0.0.1:9")
    ws.take(5)
    first = ws.sync._next_batch()
    assert [e.seq for e in first] == [e.seq for e in ws.outbox()]  # all five, in seq order
    in_flight, held, later = first[:2], first[2], first[3:]
    with ws.services.db.write() as session:
        session.execute(update(OutboxEntry).where(OutboxEntry.id == held.id).values(state="quarantined"))
        for entry in in_flight:  # a later event of an application in flight
            session.add(_entry(100 + entry.seq, "pending", entry.application_id))
    assert [e.id for e in ws.sync._next_batch(in_flight)] == [e.id for e in later]
    assert len(ws.sync._next_batch()) == 6  # nothing in flight: the five but the quarantined one, and the two later
