"""The events table by month on PostgreSQL (docs/operations.md "Storage at city scale"): what the dedup gate costs
the ingest's insert, and how many bytes an event takes on disk.

``python -m bench.partitions [N]``: two databases on the same PostgreSQL (``YIMEN_BENCH_PG``, as bench/sync.py),
one at migration 0007 (one ``events`` table, the primary key on the event id: the baseline) and one at the head
(partitioned by month, the gate ``event_store.event_ids`` kept by a trigger).  Into each, N events (default 20,000)
with the payloads of the generated workstation store (bench/bigdb.py, 10,000 applications: its outbox's
``application.taken`` and ``application.supplemented`` events), inserted with the ingest's own statement
(``server.services.common.insert_rows``: ``INSERT … SELECT FROM unnest(…) ON CONFLICT DO NOTHING RETURNING``) in
batches of 500, one transaction each, as a push stores them; three rounds, the two databases alternating.  Then
the duplicate lookup of 500 known ids (the ingest's ``known_digests``), the size on disk of the events (heap,
TOAST, indexes) and of the gate, per event, how long migration 0008 takes to convert the baseline's N events, and
the reads that do not name ``received_at`` with a decade of months attached.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import platform
import sqlite3
import statistics
import sys
import time
import uuid
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

PG = os.environ.get("YIMEN_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
BATCH = 500


def _database(tag: str, revision: str) -> contextlib.AbstractContextManager[str]:
    from bench.sync import pg_database

    return pg_database(f"parts_{tag}", revision)


def _payloads() -> list[tuple[str, bytes, str]]:
    """(event type, payload, SHA-256) of the generated store's outbox (its plain twin)."""
    from bench import bigdb

    _config, db_path = bigdb.build(10_000)
    plain = db_path.parent.parent / bigdb.PLAIN_DIR_NAME / "yimen.sqlite3"
    with contextlib.closing(sqlite3.connect(f"file:{plain}?mode=ro", uri=True)) as conn:
        return [
            (str(t), bytes(p), bytes(s).hex())  # the hash is stored as its bytes (db.types.HexDigest)
            for t, p, s in conn.execute("SELECT event_type, payload, sha256 FROM outbox")
        ]


def _rows(payloads: list[tuple[str, bytes, str]], n: int, now: dt.datetime) -> list[dict[str, Any]]:
    device = uuid.uuid4()
    rows = []
    for i in range(n):
        event_type, payload, sha = payloads[i % len(payloads)]
        rows.append(
            {
                "event_id": uuid.uuid4(),
                "sha256": sha,
                "center_code": "310104003",
                "workstation_code": f"{i % 50:03d}",
                "application_id": uuid.uuid4(),
                "event_type": event_type,
                "schema_version": 1,
                "occurred_at": now,
                "received_at": now,
                "device_id": device,
                "payload": payload,
                "position": i % BATCH,
            }
        )
    return rows


def _empty(engine: Any) -> None:
    with engine.begin() as conn:
        gates = conn.execute(
            text("SELECT 'event_store.event_ids' WHERE to_regclass('event_store.event_ids') IS NOT NULL")
        )
        conn.execute(text(f"TRUNCATE {', '.join(['events', *gates.scalars()])}"))


def _insert_round(engine: Any, rows: list[dict[str, Any]]) -> list[float]:
    from server.services.common import insert_rows
    from server.store.models import StoredEvent

    times = []
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        began = time.perf_counter()
        with Session(engine) as session, session.begin():
            stored = insert_rows(session, StoredEvent.__table__, batch, returning="event_id")
        times.append(time.perf_counter() - began)
        assert len(stored) == len(batch)
    return times


def _lookups(engine: Any, ids: list[uuid.UUID], repeat: int = 20) -> list[float]:
    from server.services import partitions

    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        with Session(engine) as session, session.begin():
            found = partitions.known_digests(session, ids)
        times.append(time.perf_counter() - began)
        assert len(found) == len(ids)
    return times


def _sizes(engine: Any) -> dict[str, int]:
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
        leaves = (
            "SELECT relid FROM pg_partition_tree('events') WHERE isleaf UNION SELECT 'events'::regclass "
            "WHERE NOT EXISTS (SELECT 1 FROM pg_partitioned_table WHERE partrelid = 'events'::regclass)"
        )
        sized = {
            "events_heap": f"SELECT coalesce(sum(pg_relation_size(relid)), 0) FROM ({leaves}) t",
            "events_toast": (
                "SELECT coalesce(sum(pg_total_relation_size(c.reltoastrelid)), 0) FROM pg_class c "
                f"WHERE c.oid IN ({leaves}) AND c.reltoastrelid <> 0"
            ),
            "events_indexes": f"SELECT coalesce(sum(pg_indexes_size(relid)), 0) FROM ({leaves}) t",
            "gate": "SELECT coalesce(pg_total_relation_size(to_regclass('event_store.event_ids')), 0)",
            "payload": "SELECT sum(length(payload)) FROM events",
        }
        return {name: int(conn.execute(text(sql)).scalar_one()) for name, sql in sized.items()}


_READS = {
    "center's last stored event": (
        "SELECT max(received_at) FROM events WHERE center_code = '310104003' AND workstation_code = '007'"
    ),
    "a workstation's records page (500)": (
        "SELECT event_id, sha256, event_type, payload, received_at, position FROM events "
        "WHERE center_code = '310104003' AND workstation_code = '007' ORDER BY received_at, position, event_id "
        "LIMIT 501"
    ),
    "500 known ids in events": "SELECT event_id, sha256 FROM events WHERE event_id = ANY(:ids)",
    "500 known ids in the gate": "SELECT event_id, sha256 FROM event_store.event_ids WHERE event_id = ANY(:ids)",
}


def _time_reads(engine: Any, ids: list[uuid.UUID], repeat: int = 30) -> dict[str, float]:
    """Median wall time of each read (planning included: it grows with the number of partitions)."""
    medians = {}
    with engine.connect() as conn:
        for name, sql in _READS.items():
            times = []
            for _ in range(repeat):
                began = time.perf_counter()
                conn.execute(text(sql), {"ids": ids}).all()
                times.append(time.perf_counter() - began)
            medians[name] = statistics.median(times)
        conn.rollback()
    return medians


def _many_months(engine: Any, n: int) -> None:
    """The reads that do not name ``received_at`` with the partitions of now (current month + 3 + default) and
    with 120 more months (a decade online), the same N events in the current month."""
    from server.services import partitions

    with engine.connect() as conn:
        ids = list(conn.execute(text("SELECT event_id FROM events LIMIT 500")).scalars())
        before = len(partitions.attached_months(conn))
        conn.rollback()
    few = _time_reads(engine, ids)
    current = partitions.month_of(partitions.utcnow())
    for back in range(1, 121):
        partitions._month_made(engine, partitions.add_months(current, -back))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE events"))
    many = _time_reads(engine, ids)
    for name in _READS:
        print(
            f"{name}: {few[name] * 1000:.2f} ms with {before} monthly partitions, "
            f"{many[name] * 1000:.2f} ms with {before + 120}"
        )


def _ms(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(values) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms"


def main(n: int = 20_000, rounds: int = 3) -> None:
    payloads = _payloads()
    machine = platform.processor() or platform.machine()
    print(f"{platform.node()} · {machine} · {os.cpu_count()} CPUs · Python {platform.python_version()}")
    print(
        f"{len(payloads)} payloads from the generated store, {n} events per round, batches of {BATCH}, {rounds} rounds"
    )
    now = dt.datetime.now(dt.UTC)
    results: dict[str, dict[str, list[float]]] = {"0007 (one table)": {}, "head (by month + gate)": {}}
    with _database("plain", "0007") as plain_url, _database("parts", "head") as parts_url:
        engines = {
            "0007 (one table)": create_engine(plain_url),
            "head (by month + gate)": create_engine(parts_url),
        }
        sizes = {}
        try:
            for round_no in range(rounds):
                for label, engine in engines.items():
                    _empty(engine)
                    rows = _rows(payloads, n, now)
                    began = time.perf_counter()
                    batches = _insert_round(engine, rows)
                    total = time.perf_counter() - began
                    results[label].setdefault("batch", []).extend(batches)
                    results[label].setdefault("total", []).append(total)
                    results[label].setdefault("lookup", []).extend(
                        _lookups(engine, [r["event_id"] for r in rows[:BATCH]])
                    )
                    print(f"round {round_no + 1} {label}: {total:.2f} s ({n / total:,.0f} events/s)")
            for label, engine in engines.items():
                sizes[label] = _sizes(engine)
            # Migration 0008 on the baseline's last round (N events): how long the conversion holds the table.
            from alembic import command

            from server import migrate

            began = time.perf_counter()
            with engines["0007 (one table)"].begin() as conn:
                command.upgrade(migrate._config(conn), "0008")
            print(f"migration 0008 of {n} events: {time.perf_counter() - began:.2f} s")
            _many_months(engines["head (by month + gate)"], n)
        finally:
            for engine in engines.values():
                engine.dispose()
    for label, figures in results.items():
        print(
            f"{label}: round {statistics.median(figures['total']):.2f} s median; batch of {BATCH}: "
            f"{_ms(figures['batch'])}; lookup of {BATCH} known ids: {_ms(figures['lookup'])}"
        )
        size = sizes[label]
        per = {name: value / n for name, value in size.items()}
        print(
            f"  per event on disk: heap {per['events_heap']:.0f} B, TOAST {per['events_toast']:.0f} B, "
            f"indexes {per['events_indexes']:.0f} B, gate {per['gate']:.0f} B; total "
            f"{sum(v for k, v in per.items() if k != 'payload'):.0f} B for {per['payload']:.0f} B of payload"
        )


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:2]))
