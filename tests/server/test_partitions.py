"""The events table by month on PostgreSQL (docs/operations.md "Storage at city scale"): migration 0008 up and down
on a store with rows, the dedup gate under a real race between two transactions of different months, the default
partition's rows moved into their month, old months archived with pg_dump (and COPY) and restored, and the
workstation's reads planned on the partitions' indexes.  On SQLite (``YIMEN_TEST_PG=none``) the store is not
partitioned: each test then checks that the maintenance refuses with its sentence."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import threading
import uuid
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from server import migrate
from server.services import center, partitions, records
from server.services.common import ServiceError, insert_rows
from server.store.db import create_store_engine
from server.store.models import Device, StoredEvent, utcnow
from tests.serverkit import lock_waits, server_admin, wait_until

CENTER, WORKSTATION = "310104003", "003"
NOW = dt.datetime(2026, 12, 6, 4, 0, tzinfo=dt.UTC)
BEIJING = partitions.BEIJING


def _at(year: int, month: int, day: int = 10) -> dt.datetime:
    return dt.datetime(year, month, day, 9, 0, tzinfo=BEIJING)


def _row(received_at: dt.datetime, *, event_id: uuid.UUID | None = None, position: int = 0) -> dict[str, Any]:
    return {
        "event_id": event_id or uuid.uuid4(),
        "sha256": "a" * 64,
        "center_code": CENTER,
        "workstation_code": WORKSTATION,
        "application_id": uuid.uuid4(),
        "event_type": "application.taken",
        "schema_version": 1,
        "occurred_at": received_at,
        "received_at": received_at,
        "device_id": uuid.uuid4(),
        "payload": b'{"x":1}',
        "position": position,
    }


def _insert(engine: Engine, *rows: dict[str, Any]) -> list[uuid.UUID]:
    """The ingest's own statement (``INSERT … ON CONFLICT DO NOTHING RETURNING event_id``): the ids stored."""
    with Session(engine) as session, session.begin():
        return list(insert_rows(session, StoredEvent.__table__, list(rows), returning="event_id"))


def _where(engine: Engine) -> dict[str, int]:
    """How many events each partition holds."""
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT tableoid::regclass::text, count(*) FROM events GROUP BY 1")).all()
    return {name: n for name, n in rows}


def _gate(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM event_store.event_ids")).scalar_one())


@pytest.fixture
def engine(store_url: str) -> Any:
    engine = create_store_engine(store_url)
    yield engine
    engine.dispose()


def _sqlite_refuses(engine: Engine, tmp_path: Path) -> bool:
    """On a SQLite run: the maintenance refuses with its sentence (and the test ends there)."""
    if engine.dialect.name == "postgresql":
        return False
    old = dt.date(2020, 1, 1)
    for call in (lambda: partitions.ensure(engine), lambda: partitions.archive(engine, before=old, directory=tmp_path)):
        with pytest.raises(ServiceError) as refused:
            call()
        assert refused.value.message == partitions.NOT_PARTITIONED
    return True


def test_0008_partitions_a_store_with_rows_and_goes_back_down(store_factory: Any, tmp_path: Path) -> None:
    engine = create_store_engine(store_factory.empty())
    try:
        with engine.begin() as conn:
            command.upgrade(migrate._config(conn), "0007")
        old = [_row(_at(2025, 3)), _row(_at(2025, 3, 20), position=1), _row(_at(2026, 1))]
        _insert(engine, *old)
        migrate.upgrade(engine)
        if engine.dialect.name != "postgresql":
            assert _sqlite_refuses(engine, tmp_path)
            return
        assert _where(engine) == {"event_store.events_2025_03": 2, "event_store.events_2026_01": 1}
        assert _gate(engine) == 3
        with engine.connect() as conn:
            attached = partitions.attached_months(conn)
        current = partitions.month_of(utcnow())
        assert {dt.date(2025, 3, 1), dt.date(2026, 1, 1), current, partitions.add_months(current, 3)} <= set(attached)
        # The same id again, received in another month: not stored (the gate), whatever the partition.
        again = _row(_at(2026, 2), event_id=old[0]["event_id"])
        assert _insert(engine, again) == []
        fresh = _row(_at(2025, 3, 21))
        assert _insert(engine, fresh) == [fresh["event_id"]]
        with engine.begin() as conn:
            command.downgrade(migrate._config(conn), "0007")
        with engine.connect() as conn:
            kind = conn.execute(text("SELECT relkind FROM pg_class WHERE relname = 'events'")).scalar_one()
            ids = set(conn.execute(text("SELECT event_id FROM events")).scalars())
            schema = conn.execute(text("SELECT to_regnamespace('event_store')")).scalar_one()
        assert kind == "r" and schema is None
        assert ids == {row["event_id"] for row in old} | {fresh["event_id"]}
        assert _insert(engine, _row(_at(2026, 2), event_id=fresh["event_id"])) == []  # the primary key again
        migrate.upgrade(engine)
        assert sum(_where(engine).values()) == 4 and _gate(engine) == 4
    finally:
        engine.dispose()


@pytest.mark.parametrize("first_commits", [True, False])
def test_the_same_event_id_in_two_months_at_once_is_stored_once(
    engine: Engine, tmp_path: Path, first_commits: bool
) -> None:
    """Two transactions store the same event id with ``received_at`` in different months (so different
    partitions, where no primary key meets): the second waits on the first one's uncommitted gate entry, then
    finds it (nothing stored) — or, when the first rolls back, stores it."""
    if _sqlite_refuses(engine, tmp_path):
        return
    event_id = uuid.uuid4()
    this = partitions.month_of(utcnow())
    months = (this, partitions.add_months(this, 1))  # both made by the migration
    first = Session(engine)
    first.begin()
    assert insert_rows(
        first,
        StoredEvent.__table__,
        [_row(_at(months[0].year, months[0].month), event_id=event_id)],
        returning="event_id",
    )
    second: list[list[uuid.UUID]] = []
    later = _row(_at(months[1].year, months[1].month), event_id=event_id)
    worker = threading.Thread(target=lambda: second.append(_insert(engine, later)))
    worker.start()
    wait_until(lambda: lock_waits(engine, "INSERT INTO events") > 0, "the second insert waits on the first")
    (first.commit if first_commits else first.rollback)()
    first.close()
    worker.join(30)
    assert second == [[]] if first_commits else second == [[event_id]]
    month = months[0] if first_commits else months[1]
    assert _where(engine) == {f"event_store.{partitions.table_name(month)}": 1}
    assert _gate(engine) == 1


def test_an_event_of_a_month_without_partition_lands_in_the_default_and_is_moved_out(
    engine: Engine, tmp_path: Path
) -> None:
    if _sqlite_refuses(engine, tmp_path):
        return
    stray = [_row(_at(2031, 5)), _row(_at(2031, 5, 30)), _row(_at(2019, 2))]
    assert len(_insert(engine, *stray)) == 3
    assert _where(engine) == {"event_store.events_default": 3}
    done = partitions.ensure(engine, ahead=1, now=NOW)
    assert "event_store.events_2031_05" in done.created and "event_store.events_2019_02" in done.created
    assert done.moved == 3
    assert _where(engine) == {"event_store.events_2031_05": 2, "event_store.events_2019_02": 1}
    assert _gate(engine) == 3
    # Moved, still known: the same id is not stored again, and a new one of that month goes to its partition.
    assert _insert(engine, _row(_at(2031, 5, 2), event_id=stray[0]["event_id"])) == []
    assert len(_insert(engine, _row(_at(2031, 5, 3)))) == 1
    assert _where(engine)["event_store.events_2031_05"] == 3
    assert partitions.ensure(engine, ahead=1, now=NOW).created == []  # nothing left to do
    # Shifting an event's moment into another month (as a test's "an hour passes" does) moves it, keeps it known.
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE events SET received_at = :at WHERE event_id = :id"),
            {"at": _at(2019, 2, 3), "id": stray[1]["event_id"]},
        )
    assert _where(engine) == {"event_store.events_2031_05": 2, "event_store.events_2019_02": 2}
    assert _insert(engine, _row(_at(2031, 5, 4), event_id=stray[1]["event_id"])) == []
    # Emptied (as tests and benchmarks do): the ids go with the events, and the same events can be stored again.
    with engine.begin() as conn:
        conn.execute(text("TRUNCATE events"))
    assert _gate(engine) == 0
    assert len(_insert(engine, *stray)) == 3
    with engine.begin() as conn:  # both at once, as the push benchmark empties its store
        conn.execute(text("TRUNCATE events, event_store.event_ids"))
    assert _gate(engine) == 0 and _where(engine) == {}


def _device() -> Device:
    return Device(id=uuid.uuid4(), center_code=CENTER, workstation_code=WORKSTATION)


def _archive_cli(url: str, *args: str, path: str = "/usr/bin:/bin") -> subprocess.CompletedProcess[str]:
    return server_admin(url, *args, path=path, timeout=120)


def test_archive_detaches_old_months_to_files_and_the_rest_reads_as_before(
    store_url: str, engine: Engine, tmp_path: Path
) -> None:
    if _sqlite_refuses(engine, tmp_path):
        return
    assert shutil.which("pg_dump") == "/usr/bin/pg_dump"
    old = [_row(_at(2024, 1, day), position=day) for day in (3, 4, 5)]
    older = [_row(_at(2023, 12))]
    kept = [_row(_at(2024, 3)), _row(utcnow())]
    _insert(engine, *old, *older, *kept)
    assert partitions.ensure(engine, now=NOW).moved == 5  # 2023-12, 2024-01 and 2024-03 were in the default
    archive_dir = tmp_path / "archive"
    archive_dir.mkdir()
    done = _archive_cli(store_url, "archive", "--before", "2024-02", "--to", str(archive_dir))
    assert done.returncode == 0, done.stderr
    assert "2024-01" in done.stdout and "3" in done.stdout
    assert sorted(p.name for p in archive_dir.iterdir()) == [
        "events-2023-12.dump",
        "events-2023-12.json",
        "events-2024-01.dump",
        "events-2024-01.json",
    ]
    manifest = json.loads((archive_dir / "events-2024-01.json").read_text("utf-8"))
    assert manifest["rows"] == 3 and manifest["format"] == "pg_dump custom"
    assert set(_where(engine)) == {
        "event_store.events_2024_03",
        f"event_store.{partitions.table_name(partitions.month_of(utcnow()))}",
    }
    with engine.connect() as conn:
        assert conn.execute(text("SELECT to_regclass('event_store.events_2024_01')")).scalar_one() is None
    # The remaining months read as before: the workstation's records, the center's last stored event.
    with Session(engine) as session:
        page = records.records(session, _device(), "", 100)
        assert [e.event_id for e in page.events] == [kept[0]["event_id"], kept[1]["event_id"]]
        assert center.last_stored(session, CENTER, WORKSTATION) == kept[1]["received_at"]
        # An archived event is still known: pushed again, it is a duplicate (the gate), never stored twice.
        assert partitions.known_digests(session, [old[0]["event_id"]]) == {old[0]["event_id"]: "a" * 64}
    assert _insert(engine, _row(utcnow(), event_id=old[0]["event_id"])) == []
    # Again: nothing before 2024-02 is attached any more; nothing is written, and it says so.
    again = _archive_cli(store_url, "archive", "--before", "2024-02", "--to", str(archive_dir))
    assert again.returncode == 0 and again.stdout.strip() == "2024-02 之前没有仍挂在事件表上的月份：未归档任何内容。"
    # Restored as docs/operations.md says: pg_restore, then ATTACH.
    restore = subprocess.run(
        ["pg_restore", f"--dbname={partitions._conninfo(engine)[0]}", str(archive_dir / "events-2024-01.dump")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert restore.returncode == 0, restore.stderr
    start, end = partitions.bounds(dt.date(2024, 1, 1))
    with engine.begin() as conn:
        conn.execute(
            text(
                "ALTER TABLE events ATTACH PARTITION event_store.events_2024_01 "
                f"FOR VALUES FROM ('{start.isoformat()}') TO ('{end.isoformat()}')"
            )
        )
    assert _where(engine)["event_store.events_2024_01"] == 3


def test_archive_without_pg_dump_writes_a_binary_copy_and_refuses_what_it_must(
    store_url: str, engine: Engine, tmp_path: Path
) -> None:
    if _sqlite_refuses(engine, tmp_path):
        return
    _insert(engine, _row(_at(2024, 1)), _row(_at(2024, 1, 11)))
    partitions.ensure(engine, now=NOW)
    archive_dir = tmp_path / "archive"
    refused = _archive_cli(store_url, "archive", "--before", "2024-02", "--to", str(archive_dir))
    assert refused.returncode == 1 and refused.stderr.strip() == partitions.NO_FOLDER.format(path=archive_dir)
    archive_dir.mkdir()
    this_month = partitions.month_of(utcnow())
    too_new = partitions.add_months(this_month, 1)
    refused = _archive_cli(store_url, "archive", "--before", f"{too_new:%Y-%m}", "--to", str(archive_dir))
    assert refused.returncode == 1 and refused.stderr.strip() == partitions.TOO_RECENT.format(
        latest=f"{this_month:%Y-%m}"
    )
    refused = _archive_cli(store_url, "archive", "--before", "2024-13", "--to", str(archive_dir))
    assert refused.returncode == 2 and "2024-13" in refused.stderr
    bin_dir = tmp_path / "bin"  # a PATH with python's folder and no pg_dump
    done = _archive_cli(store_url, "archive", "--before", "2024-02", "--to", str(archive_dir), path=str(bin_dir))
    assert done.returncode == 0, done.stderr
    copy = archive_dir / "events-2024-01.copy"
    assert json.loads((archive_dir / "events-2024-01.json").read_text("utf-8"))["rows"] == 2
    assert copy.read_bytes().startswith(b"PGCOPY\n\xff\r\n\x00")
    assert _where(engine) == {}
    # Restored from the COPY into a table of events' shape: the two events.
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE restored (LIKE events)"))
    raw = engine.raw_connection()
    try:
        driver: Any = raw.driver_connection
        with driver.cursor() as cursor, cursor.copy("COPY restored FROM STDIN (FORMAT binary)") as load:
            load.write(copy.read_bytes())
        driver.commit()
    finally:
        raw.close()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM restored")).scalar_one() == 2


def _plan_nodes(plan: dict[str, Any]) -> list[tuple[str, str, str]]:
    found = [(plan["Node Type"], plan.get("Index Name", ""), plan.get("Relation Name", ""))]
    for child in plan.get("Plans", []):
        found += _plan_nodes(child)
    return found


def test_the_workstations_reads_use_the_partitions_indexes(engine: Engine, tmp_path: Path) -> None:
    """On a small partitioned table (30,000 events over three months, 20 workstations), vacuumed and analyzed:
    the center's last stored event is an index-only scan of each partition, a workstation's records and an
    application's events index scans; never a sequential scan of a partition."""
    if _sqlite_refuses(engine, tmp_path):
        return
    this = partitions.month_of(utcnow())
    months = [partitions.add_months(this, back) for back in (-2, -1, 0)]
    with engine.begin() as conn:
        for month in months:
            conn.execute(
                text(
                    "INSERT INTO events SELECT gen_random_uuid(), repeat('a', 64), '310104003', "
                    "lpad((n % 20)::text, 3, '0'), gen_random_uuid(), 'application.taken', 1, "
                    "CAST(:day AS timestamptz) + n * interval '1 minute', "
                    "CAST(:day AS timestamptz) + n * interval '1 minute', gen_random_uuid(), "
                    "convert_to(repeat('x', 300), 'UTF8'), 0 FROM generate_series(1, 10000) AS n"
                ),
                {"day": f"{month:%Y-%m}-05 00:00+08"},
            )
    # The two months before the migration's first had no partition: their rows went to the default, and move out.
    assert partitions.ensure(engine).moved == 20000
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE events"))
    app_id = uuid.uuid4()
    statements = {
        "last stored": (
            "SELECT max(received_at) FROM events WHERE center_code = '310104003' AND workstation_code = '003'"
        ),
        "records": (
            "SELECT event_id, sha256, event_type, payload, received_at, position FROM events "
            "WHERE center_code = '310104003' AND workstation_code = '003' "
            "ORDER BY received_at, position, event_id LIMIT 501"
        ),
        "reconciliation": f"SELECT event_type, count(*) FROM events WHERE application_id IN ('{app_id}') GROUP BY 1",
    }
    plans = {}
    with engine.connect() as conn:
        for name, sql in statements.items():
            plans[name] = _plan_nodes(conn.execute(text(f"EXPLAIN (FORMAT JSON) {sql}")).scalar_one()[0]["Plan"])
    filled = {partitions.table_name(month) for month in months}
    for name, nodes in plans.items():  # (an empty partition may be "scanned": it has no pages)
        assert not any(kind == "Seq Scan" and table in filled for kind, _, table in nodes), (name, nodes)
    scans = {name: {(kind, table) for kind, index, table in nodes if index} for name, nodes in plans.items()}
    assert {("Index Only Scan", table) for table in filled} <= scans["last stored"], plans["last stored"]
    assert {("Index Scan", table) for table in filled} <= scans["records"], plans["records"]
    assert {table for _, table in scans["reconciliation"]} >= filled, plans["reconciliation"]


def test_one_maintenance_at_a_time_and_a_table_left_behind_is_named(engine: Engine, tmp_path: Path) -> None:
    if _sqlite_refuses(engine, tmp_path):
        return
    _insert(engine, _row(_at(2031, 7)))
    with engine.connect() as other:  # another operator's `admin partitions` or `admin archive` under way
        other.execute(text("SELECT pg_advisory_lock(:key)"), {"key": partitions.MAINTENANCE_KEY})
        for call in (
            lambda: partitions.ensure(engine, now=NOW),
            lambda: partitions.archive(engine, before=dt.date(2020, 1, 1), directory=tmp_path),
        ):
            with pytest.raises(ServiceError) as refused:
                call()
            assert refused.value.message == partitions.BUSY_MAINTENANCE
        other.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": partitions.MAINTENANCE_KEY})
        other.commit()
    # A month's table restored from an archive and not attached: named, nothing changed.
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE event_store.events_2031_07 (LIKE events)"))
    with pytest.raises(ServiceError) as refused:
        partitions.ensure(engine, now=NOW)
    assert refused.value.message == partitions.TABLE_LEFT.format(name="event_store.events_2031_07")
    assert _where(engine) == {"event_store.events_default": 1}
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE event_store.events_2031_07"))
    assert partitions.ensure(engine, now=NOW).moved == 1


def test_admin_partitions_makes_the_months_ahead(store_url: str, engine: Engine) -> None:
    done = _archive_cli(store_url, "partitions", "--ahead", "5")
    if engine.dialect.name != "postgresql":
        assert done.returncode == 1 and done.stderr.strip() == partitions.NOT_PARTITIONED
        return
    assert done.returncode == 0, done.stderr
    this = partitions.month_of(utcnow())
    made = [partitions.table_name(partitions.add_months(this, plus)) for plus in (4, 5)]  # the migration made 0–3
    assert done.stdout.splitlines() == [
        *(f"已建分区 event_store.{name}" for name in made),
        "新建 2 个分区，从默认分区移出 0 个事件。",
    ]
    with engine.connect() as conn:
        assert partitions.add_months(this, 5) in partitions.attached_months(conn)
    again = _archive_cli(store_url, "partitions", "--ahead", "5")
    assert again.returncode == 0 and again.stdout.strip() == "新建 0 个分区，从默认分区移出 0 个事件。"
    refused = _archive_cli(store_url, "partitions", "--ahead", "99")
    assert refused.returncode == 1 and refused.stderr.strip() == f"--ahead 须在 0 到 {partitions.AHEAD_MAX} 之间。"
