"""The events table by month on PostgreSQL (docs/operations.md "Storage at city scale"): the partitions ahead, the
rows a default partition caught moved out, old months archived to files the operator keeps.

Migration 0008 made ``events`` a table partitioned by the Beijing month of ``received_at`` (the server's own clock,
one moment per pushed batch): monthly partitions ``event_store.events_YYYY_MM`` and a default partition
``event_store.events_default`` that takes a row of a month without a partition, so an insert never fails for a
missing month.  The dedup gate ``event_store.event_ids`` holds every event id ever stored, archived ones included.

- :func:`ensure` makes the partitions of the current month and the next ``ahead`` ones, and moves the rows of every
  month found in the default partition into that month's own partition (made for it).  A partition is always made
  as a table of its own, filled, and then attached (``ATTACH PARTITION`` locks ``events`` in SHARE UPDATE EXCLUSIVE
  mode, which pushes and reads go on beside; ``CREATE TABLE … PARTITION OF`` would lock it exclusively).
- :func:`archive` detaches every month before the one named, writes it to a file (``pg_dump --format=custom`` where
  pg_dump is installed, else a binary ``COPY``), checks the file, writes a manifest beside it and only then drops
  the table.  A month whose file could not be written is attached again: nothing is lost.

SQLite stores are not partitioned: both refuse with a sentence.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Connection, Engine, MetaData, String, Table, Uuid, select, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session

from server.services import blobs
from server.services.common import ServiceError
from server.store.models import StoredEvent, UTCDateTime, utcnow

SCHEMA = "event_store"
DEFAULT = "events_default"
#: Beijing time has no daylight saving: a month starts at 00:00 +08:00.
BEIJING = dt.timezone(dt.timedelta(hours=8))
#: How long a partition change waits for the lock on ``events`` before giving up (pushes are never blocked longer).
LOCK_TIMEOUT = "5s"
AHEAD_DEFAULT = 3
#: ``pg_try_advisory_lock`` key of the partitions' maintenance ("YIMEP"): one ``admin partitions`` or ``admin
#: archive`` at a time.
MAINTENANCE_KEY = 0x59494D4550
AHEAD_MAX = 24

#: The dedup gate (PostgreSQL only; not part of the models' schema, which SQLite shares).
GATE = Table(
    "event_ids",
    MetaData(schema=SCHEMA),
    Column("event_id", Uuid, primary_key=True),
    Column("sha256", String(64), nullable=False),
    Column("received_at", UTCDateTime(), nullable=False),
)

NOT_PARTITIONED = "此数据库不分区（SQLite，或尚未升级到 0008）：无需也不能执行此操作。"
TOO_RECENT = "只能归档本月之前的月份：--before 最晚为 {latest}。"
LOCKED = "事件表正忙，{timeout} 内未能取得锁：请稍后（如夜间）再执行。"
NO_FOLDER = "归档目录 {path} 不存在或不可写：请先建好该目录（放在数据库以外的存储上）。"
EXISTS = "归档文件 {path} 已存在：不覆盖已有的归档，请换一个目录或先移走该文件。"
BUSY_MAINTENANCE = "另一个分区维护或归档正在进行：请等它结束后再执行。"
TABLE_LEFT = (
    "表 {name} 已存在但没有挂在事件表上（可能是恢复出来的归档月份）："
    "请先把它挂回（见 docs/operations.md）或移走，再执行。"
)
EXPORT_FAILED = "归档 {month} 失败（{reason}）：该月已重新挂回事件表，没有数据丢失。"


def month_of(moment: dt.datetime) -> dt.date:
    """The first day of the Beijing month of ``moment``."""
    day = moment.astimezone(BEIJING).date()
    return day.replace(day=1)


def add_months(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def table_name(month: dt.date) -> str:
    return f"events_{month:%Y_%m}"


def bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The month's partition bounds: [first moment, first moment of the next month), Beijing time."""
    start = dt.datetime.combine(month, dt.time(), BEIJING)
    return start, dt.datetime.combine(add_months(month, 1), dt.time(), BEIJING)


def partitioned(conn: Connection) -> bool:
    """Whether ``events`` is the partitioned table of migration 0008 (PostgreSQL only)."""
    if conn.dialect.name != "postgresql":
        return False
    found = conn.execute(text("SELECT 1 FROM pg_partitioned_table WHERE partrelid = to_regclass('events')")).first()
    return found is not None


def attached_months(conn: Connection) -> list[dt.date]:
    """The months with a partition attached to ``events``, in order."""
    names = conn.execute(
        text(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = to_regclass('events')"
        )
    ).scalars()
    months = []
    for name in names:
        if name.startswith("events_") and name != DEFAULT:
            months.append(dt.datetime.strptime(name.removeprefix("events_"), "%Y_%m").date())
    return sorted(months)


def stray_months(conn: Connection) -> list[dt.date]:
    """The months of the rows the default partition holds (a month that had no partition when they came)."""
    rows = conn.execute(
        text(
            f"SELECT DISTINCT date_trunc('month', received_at AT TIME ZONE 'Asia/Shanghai')::date "
            f"FROM {SCHEMA}.{DEFAULT}"
        )
    ).scalars()
    return sorted(rows)


def known_digests(session: Session, event_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The SHA-256 the server holds for each of these event ids that it stored (the ingest's duplicate or conflict
    answer).  On a partitioned store, from the dedup gate: one index lookup per id whatever the number of months,
    and an archived event is still known (its re-push is a duplicate, not a conflict)."""
    wanted = list(event_ids)
    if not wanted:
        return {}
    if partitioned(session.connection()):
        query = select(GATE.c.event_id, GATE.c.sha256).where(GATE.c.event_id.in_(wanted))
    else:
        query = select(StoredEvent.event_id, StoredEvent.sha256).where(StoredEvent.event_id.in_(wanted))
    return {row[0]: row[1] for row in session.execute(query)}


@dataclass
class Ensured:
    """What :func:`ensure` did: the partitions it made, and how many rows it moved out of the default partition."""

    created: list[str] = field(default_factory=list)
    moved: int = 0


def _require_partitioned(conn: Connection) -> None:
    if not partitioned(conn):
        raise ServiceError(409, "not_partitioned", NOT_PARTITIONED)


def _locked(exc: sa_exc.DBAPIError) -> bool:
    return getattr(exc.orig, "sqlstate", None) == "55P03"  # lock_not_available


def _make_month(conn: Connection, month: dt.date) -> int:
    """Make the month's partition as a table of its own, move into it the default partition's rows of that month,
    and attach it.  Returns the rows moved.  In the caller's transaction."""
    name = table_name(month)
    start, end = bounds(month)
    if conn.execute(text(f"SELECT to_regclass('{SCHEMA}.{name}')")).scalar_one() is not None:
        raise ServiceError(409, "table_left", TABLE_LEFT.format(name=f"{SCHEMA}.{name}"))
    # The rows change partition, not identity: the gate's triggers leave their ids alone for this transaction.
    conn.execute(text("SELECT set_config('yimen.moving_events', 'on', true)"))
    conn.execute(text(f"CREATE TABLE {SCHEMA}.{name} (LIKE events INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"))
    moved = conn.execute(
        text(
            f"WITH moved AS (DELETE FROM {SCHEMA}.{DEFAULT} WHERE received_at >= :start AND received_at < :end "
            f"RETURNING *) INSERT INTO {SCHEMA}.{name} SELECT * FROM moved"
        ),
        {"start": start, "end": end},
    ).rowcount
    conn.execute(
        text(
            f"ALTER TABLE events ATTACH PARTITION {SCHEMA}.{name} "
            f"FOR VALUES FROM ('{start.isoformat()}') TO ('{end.isoformat()}')"
        )
    )
    conn.execute(text("SELECT set_config('yimen.moving_events', 'off', true)"))
    return max(moved, 0)


@contextlib.contextmanager
def _maintenance(engine: Engine) -> Iterator[None]:
    """One partitions' maintenance at a time (a session advisory lock, held by its own connection throughout).

    Raises:
        ServiceError: 409 ``busy`` when another one runs.
    """
    with engine.connect() as conn:
        taken = conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": MAINTENANCE_KEY}).scalar_one()
        conn.commit()
        if not taken:
            raise ServiceError(409, "busy", BUSY_MAINTENANCE)
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MAINTENANCE_KEY})
            conn.commit()


def ensure(engine: Engine, *, ahead: int = AHEAD_DEFAULT, now: dt.datetime | None = None) -> Ensured:
    """The partitions of the current month and the next ``ahead`` ones, and every month the default partition holds
    rows of moved into its own partition.  One transaction per month made.

    Raises:
        ServiceError: not partitioned; ``ahead`` out of range; the lock on ``events`` not had in time.
    """
    if not 0 <= ahead <= AHEAD_MAX:
        raise ServiceError(422, "invalid_ahead", f"--ahead 须在 0 到 {AHEAD_MAX} 之间。")
    current = month_of(now or utcnow())
    done = Ensured()
    with engine.connect() as conn:
        _require_partitioned(conn)
    with _maintenance(engine):
        with engine.connect() as conn:
            have = set(attached_months(conn))
            wanted = {add_months(current, plus) for plus in range(ahead + 1)} | set(stray_months(conn))
            conn.rollback()
        for month in sorted(wanted - have):
            done.moved += _month_made(engine, month)
            done.created.append(f"{SCHEMA}.{table_name(month)}")
    return done


def _month_made(engine: Engine, month: dt.date) -> int:
    """:func:`_make_month` in a transaction of its own, waiting at most :data:`LOCK_TIMEOUT` for its locks."""
    try:
        with engine.begin() as conn:
            conn.execute(text(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'"))
            return _make_month(conn, month)
    except sa_exc.DBAPIError as exc:
        if _locked(exc):
            raise ServiceError(409, "busy", LOCKED.format(timeout=LOCK_TIMEOUT)) from None
        raise


@dataclass
class Archived:
    """One month archived: its file, its manifest, how many events it held."""

    month: dt.date
    rows: int
    path: Path
    manifest: Path
    sha256: str


def archive(
    engine: Engine,
    *,
    before: dt.date,
    directory: Path,
    now: dt.datetime | None = None,
    pg_dump: str | None = None,
    blob_dir: Path | None = None,
) -> list[Archived]:
    """Detach every month before ``before`` (the current month and later ones are never archived), write each to
    ``directory/events-YYYY-MM.dump`` (pg_dump, custom format; or ``.copy``, a binary COPY, where ``pg_dump`` is not
    installed) with a manifest ``events-YYYY-MM.json`` (rows, first and last ``received_at``, the file's SHA-256),
    and drop it.  The months' event ids stay in the dedup gate.  The PDFs the month's ``document.issued`` events
    name go with it, ``directory/documents-YYYY-MM/`` (server/services/blobs.py ``carry``; ``blob_dir``: the
    server's blob folder, where they may be).

    Raises:
        ServiceError: not partitioned, ``before`` too recent, the folder missing, a file already there, the lock
        not had in time, an export that failed (the month is then attached again).
    """
    latest = month_of(now or utcnow())
    if before > latest:
        raise ServiceError(422, "too_recent", TOO_RECENT.format(latest=f"{latest:%Y-%m}"))
    if not directory.is_dir() or not os.access(directory, os.W_OK):
        raise ServiceError(422, "no_folder", NO_FOLDER.format(path=directory))
    dump = pg_dump if pg_dump is not None else shutil.which("pg_dump")
    with engine.connect() as conn:
        _require_partitioned(conn)
    done = []
    with _maintenance(engine):
        with engine.connect() as conn:
            strays = [month for month in stray_months(conn) if month < before]
            conn.rollback()
        for month in strays:  # a month the default partition caught is archived like any other
            _month_made(engine, month)
        with engine.connect() as conn:
            months = [month for month in attached_months(conn) if month < before]
            conn.rollback()
        for month in months:
            suffix = ".dump" if dump else ".copy"
            path = directory / f"events-{month:%Y-%m}{suffix}"
            manifest = directory / f"events-{month:%Y-%m}.json"
            for target in (path, manifest):
                if target.exists():
                    raise ServiceError(409, "archive_exists", EXISTS.format(path=target))
            done.append(_archive_month(engine, month, path, manifest, dump, blob_dir))
    return done


def _archive_month(
    engine: Engine, month: dt.date, path: Path, manifest: Path, dump: str | None, blob_dir: Path | None
) -> Archived:
    name = table_name(month)
    start, end = bounds(month)
    try:
        with engine.begin() as conn:
            conn.execute(text(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'"))
            conn.execute(text(f"ALTER TABLE events DETACH PARTITION {SCHEMA}.{name}"))
    except sa_exc.DBAPIError as exc:
        if _locked(exc):
            raise ServiceError(409, "busy", LOCKED.format(timeout=LOCK_TIMEOUT)) from None
        raise
    partial = path.with_name(path.name + ".part")
    try:
        with engine.connect() as conn:
            rows, first, last = conn.execute(
                text(f"SELECT count(*), min(received_at), max(received_at) FROM {SCHEMA}.{name}")
            ).one()
            conn.rollback()
        if dump:
            _pg_dump(engine, dump, name, partial)
        else:
            _copy_out(engine, name, partial)
        digest = _fsync_sha256(partial)
        partial.rename(path)
        documents = blobs.carry(engine, f"{SCHEMA}.{name}", month, path.parent, blob_dir)
        described = {
            "table": f"{SCHEMA}.{name}",
            "month": f"{month:%Y-%m}",
            "from": start.isoformat(),
            "to": end.isoformat(),
            "rows": rows,
            "first_received_at": first.isoformat() if first else None,
            "last_received_at": last.isoformat() if last else None,
            "format": "pg_dump custom" if dump else "COPY binary",
            "file": path.name,
            "bytes": path.stat().st_size,
            "sha256": digest,
            "archived_at": utcnow().isoformat(),
            "documents": {
                "folder": documents.folder.name,
                "count": documents.count,
                "missing": documents.missing,
            },
        }
        manifest.write_text(json.dumps(described, ensure_ascii=False, indent=2) + "\n", "utf-8")
        _fsync(manifest)
        _fsync(manifest.parent)
    except Exception as exc:
        partial.unlink(missing_ok=True)
        path.unlink(missing_ok=True)
        with engine.begin() as conn:
            conn.execute(
                text(
                    f"ALTER TABLE events ATTACH PARTITION {SCHEMA}.{name} "
                    f"FOR VALUES FROM ('{start.isoformat()}') TO ('{end.isoformat()}')"
                )
            )
        reason = exc.message if isinstance(exc, ServiceError) else type(exc).__name__
        raise ServiceError(500, "archive_failed", EXPORT_FAILED.format(month=f"{month:%Y-%m}", reason=reason)) from exc
    with engine.begin() as conn:
        conn.execute(text(f"DROP TABLE {SCHEMA}.{name}"))
    return Archived(month=month, rows=int(rows), path=path, manifest=manifest, sha256=digest)


def _conninfo(engine: Engine) -> tuple[str, dict[str, str]]:
    """libpq connection parameters of the engine's database for pg_dump; the password goes in the environment,
    never on a command line."""
    from psycopg.conninfo import make_conninfo

    url = engine.url
    params: dict[str, Any] = {k: v for k, v in url.query.items() if isinstance(v, str)}
    for key, value in (("host", url.host), ("port", url.port), ("user", url.username), ("dbname", url.database)):
        if value is not None:
            params[key] = str(value)
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    return make_conninfo(**params), env


def _pg_dump(engine: Engine, dump: str, name: str, target: Path) -> None:
    conninfo, env = _conninfo(engine)
    done = subprocess.run(
        [dump, "--format=custom", f"--table={SCHEMA}.{name}", f"--file={target}", f"--dbname={conninfo}"],
        env=env,
        capture_output=True,
        text=True,
        timeout=24 * 3600,
        check=False,
    )
    if done.returncode != 0:
        raise ServiceError(500, "pg_dump_failed", f"pg_dump 退出码 {done.returncode}")
    restore = shutil.which("pg_restore", path=str(Path(dump).parent)) or shutil.which("pg_restore")
    if restore:  # the file lists the table's data: it can be restored
        listed = subprocess.run([restore, "--list", str(target)], capture_output=True, text=True, check=False)
        if listed.returncode != 0 or f"TABLE DATA {SCHEMA} {name}" not in listed.stdout:
            raise ServiceError(500, "pg_dump_failed", "pg_restore --list 读不出该月的数据")


def _copy_out(engine: Engine, name: str, target: Path) -> None:
    raw = engine.raw_connection()
    try:
        driver: Any = raw.driver_connection
        with target.open("wb") as out, driver.cursor() as cursor:
            with cursor.copy(f"COPY {SCHEMA}.{name} TO STDOUT (FORMAT binary)") as copy:
                for chunk in copy:
                    out.write(chunk)
        driver.rollback()
    finally:
        raw.close()


def _fsync_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
        os.fsync(handle.fileno())
    return digest.hexdigest()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
