"""A push's batches (app/sync/service.py): bounded by the payloads' bytes as well as their number, and their answers
recorded (``_SETTLE``) in one statement for all the events of one outcome, each found by its primary key, only
events still pending changing."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import event, select, update

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


def _sized(seq: int, size: int) -> OutboxEntry:
    entry = _entry(seq, "pending")
    entry.event_type = "signature.recorded"
    entry.payload = b"x" * size
    return entry


def _seqs(ws: Workstation, busy: list[service._Queued] | None = None) -> list[int]:
    return [e.seq for e in ws.sync._next_batch(busy)]


def test_a_batch_of_large_events_stops_at_its_byte_budget_and_keeps_at_least_one(
    services_factory: Any, tmp_path: Path
) -> None:
    ws = Workstation(services_factory, tmp_path / "ws003", "http://127.0.0.1:9")
    with ws.services.db.write() as session:
        # A signature's strokes can make an event megabytes long.
        session.add_all([_sized(seq, 3_000_000) for seq in range(1, 6)])
    assert _seqs(ws) == [1, 2]  # 6 MB; a third would pass 8 MiB
    first = ws.sync._next_batch()
    assert [len(e.payload) for e in first] == [3_000_000, 3_000_000]  # the bytes themselves, whole
    assert _seqs(ws, first) == [3, 4]  # the next one, while the first is in flight
    with ws.services.db.write() as session:
        session.execute(update(OutboxEntry).where(OutboxEntry.seq <= 5).values(state="sent"))
        session.add_all([_sized(10, service.BATCH_BYTES + 1), _sized(11, 10)])
    assert _seqs(ws) == [10]  # alone in its request, whatever its size
    with ws.services.db.write() as session:
        session.execute(update(OutboxEntry).where(OutboxEntry.seq <= 11).values(state="sent"))
        session.add_all([_sized(seq, 2_400) for seq in range(100, 700)])
    # A full batch of ordinary events (1.2 MB): as many as a request holds beside the audit head.
    assert _seqs(ws) == list(range(100, 100 + service.protocol.MAX_BATCH_EVENTS - 1))
    with ws.services.db.write() as session:
        session.execute(update(OutboxEntry).values(state="sent"))
    assert _seqs(ws) == []


def test_the_next_batch_reads_the_pending_events_by_their_index(services_factory: Any, tmp_path: Path) -> None:
    """The candidates come from the index of pending events in order, never a scan of the outbox (years of sent
    events), and the busy and held lists do not change that."""
    ws = Workstation(services_factory, tmp_path / "ws003", "http://127.0.0.1:9")
    ws.take(2)
    seen: list[tuple[str, Any]] = []

    def keep(_c: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        if "length(outbox.payload)" in statement:
            seen.append((statement, parameters))

    event.listen(ws.services.db.engine, "before_cursor_execute", keep)
    try:
        first = ws.sync._next_batch()
        ws.sync._next_batch(first[:1])
    finally:
        event.remove(ws.services.db.engine, "before_cursor_execute", keep)
    assert len(seen) == 2
    for statement, parameters in seen:
        with ws.services.db.read() as session:
            rows = session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
            plan = " / ".join(row[3] for row in rows)
        assert "USING INDEX ix_outbox_state_seq" in plan or "USING INDEX ix_outbox_payload_state_seq" in plan, plan
        assert "SCAN outbox" not in plan, plan
        assert "TEMP B-TREE" not in plan, plan  # no payload copied into a sorter
