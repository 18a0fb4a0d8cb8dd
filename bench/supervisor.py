"""The supervisor's benchmarks (issue 14): the day's summary, the center's figures and the daily report PDF, each
against a baseline measured in the same run.

summary: ``services.reports.day_summary(supervisor, day)`` for random days of the large workstation store
(bench/bigdb.py), against one hand-written query giving the same counts of the day (by item, by first decision,
by clerk, by hour of receipt) — plain ``sqlite3`` on the store's plain twin (the goal's baseline, as for save and
history) and the same query through SQLCipher on the store itself.  The generator makes no ratings (it predates
them): before measuring, ratings are written into the working copy for the measured days (about 70 % of the first
decisions rated, 未评价 included, a few 差评, some still open), so the summary reads and counts them.
Goal: p95 ≤ 200 ms and ≤ 3× the raw query.

center: ``server.services.center.center_figures`` (what ``GET /api/v1/center/figures`` answers) for one day of one
center, on PostgreSQL with N applications stored in the server's projection tables (``applications`` with the
figures' columns, ``ratings``, ``application_changes``, ``day_closes``, ``devices``), generated with ``COPY`` the
way the ingest fills them (20 centers × 5 workstations over two years by default).  The database is kept between
runs (``yimen_bench_center_<size>_g<generator>_r<server head>``) unless ``--rebuild``.  Against one raw SQL query
computing the same counts (``GROUPING SETS``).  Also measured over HTTP against the real server process.
Goal: p95 ≤ 300 ms and ≤ 3× the raw query.

report: ``app.documents.daily_report.render_daily_report`` of a busy day's report (built through
``app.reports.report.from_workstation`` from a summary of 400 cases, their ratings, full deadline lists, unsynced
events), against a bare ReportLab document of the same text (the report's own text, read back with pdftotext,
drawn line by line in the same faces, 55 lines a page).  Goal: ≤ 1 s.
"""

from __future__ import annotations

import cProfile
import dataclasses
import datetime as dt
import io
import json
import os
import pstats
import random
import subprocess
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

from bench import bigdb
from bench.common import (
    REPO,
    Figures,
    Result,
    cipher_note,
    machine_vault,
    raw_sqlcipher,
    raw_sqlite,
    store_key,
    vault_for,
)

SUMMARY_GOAL_P95 = 0.200
CENTER_GOAL_P95 = 0.300
REPORT_GOAL = 1.0

# ------------------------------------------------------------------------------------------------ summary

#: The day's counts in one query: the cube of (item, first decision, clerk, local hour) cells of the day's
#: applications (voided ones left out, as the figures do); the four tallies are its margins.
RAW_DAY_COUNTS = """
SELECT a.item_code,
       (SELECT d.decision FROM decisions AS d WHERE d.application_id = a.id ORDER BY d.decided_at LIMIT 1),
       u.username,
       strftime('%H', a.received_at, '+8 hours'),
       count(*)
FROM applications AS a
JOIN users AS u ON u.id = a.clerk_id
WHERE a.received_at >= ? AND a.received_at < ? AND a.state != 'voided'
GROUP BY 1, 2, 3, 4
"""


def _margins(cells: list[tuple[Any, ...]]) -> dict[str, Counter[str]]:
    out: dict[str, Counter[str]] = {k: Counter() for k in ("item", "decision", "clerk", "hour")}
    for item, decision, clerk, hour, n in cells:
        out["item"][item] += n
        out["decision"][decision] += n
        out["clerk"][clerk] += n
        out["hour"][hour] += n
    return out


def _service_margins(summary: Any) -> dict[str, Counter[str]]:
    def tally(rows: Any) -> Counter[str]:
        return Counter({t.key: t.count for t in rows if t.count})

    return {
        "item": tally(summary.by_item),
        "decision": tally(summary.by_decision),
        "clerk": tally(summary.by_clerk),
        "hour": tally(summary.by_hour),
    }


def _bounds(day: dt.date) -> tuple[str, str]:
    start = dt.datetime.combine(day, dt.time(), bigdb.SHANGHAI)
    return bigdb.db_time(start), bigdb.db_time(start + dt.timedelta(days=1))


def _parse_db_time(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


def add_ratings(conn: Any, days: list[dt.date], rng: random.Random) -> dict[str, int]:
    """Ratings of the first decisions of the applications received on ``days`` (about 70 % of them; 未评价 among
    them), as ``RatingService.record`` stores them; 差评 of the last 10 days stay open, older ones are closed.
    Written into the working copy only (the cached store is left as generated)."""
    cols = {r[1] for r in conn.execute("PRAGMA table_info(ratings)")}
    wanted = (
        "id",
        "application_id",
        "decision_id",
        "occasion",
        "level",
        "reasons",
        "comment",
        "phone",
        "rated_at",
        "clerk_id",
        "contact_due",
        "rectify_due",
        "closed_at",
    )
    missing = {r[1] for r in conn.execute("PRAGMA table_info(ratings)") if r[3] and r[4] is None} - set(wanted)
    if missing or not set(wanted) <= cols:
        raise RuntimeError(f"bench/supervisor.py: the ratings table changed ({sorted(cols ^ set(wanted))}); update it")
    levels = ["very_satisfied", "satisfied", "basically_satisfied", "unrated", "dissatisfied", "very_dissatisfied"]
    weights = [45, 25, 10, 17, 2, 1]
    today = dt.datetime.now(bigdb.SHANGHAI).date()
    rows = []
    for day in days:
        start, end = _bounds(day)
        for app_id, decision_id, decided_at, clerk_id in conn.execute(
            "SELECT a.id, d.id, d.decided_at, a.clerk_id FROM applications AS a "
            "JOIN decisions AS d ON d.application_id = a.id "
            "WHERE a.received_at >= ? AND a.received_at < ? AND d.decided_at = a.received_at",
            (start, end),
        ):
            if rng.random() >= 0.7:
                continue
            level = rng.choices(levels, weights)[0]
            rated = _parse_db_time(decided_at) + dt.timedelta(seconds=rng.randrange(20, 90))
            bad = level in ("dissatisfied", "very_dissatisfied")
            phone = f"139{rng.randrange(10**8):08d}" if bad and rng.random() < 0.6 else None
            local = rated.astimezone(bigdb.SHANGHAI).date()
            closed = bigdb.db_time(rated + dt.timedelta(days=3)) if bad and (today - local).days > 10 else None
            rows.append(
                (
                    bytes.fromhex(bigdb.hex_id()),  # ids as the store keeps them: 16 bytes (db.types.UUIDBytes)
                    app_id,
                    decision_id,
                    "decision",
                    level,
                    json.dumps(["long_wait"] if bad else []),
                    "等了很久。" if bad else None,
                    phone,
                    bigdb.db_time(rated),
                    clerk_id,
                    (local + dt.timedelta(days=1)).isoformat() if bad else None,
                    (local + dt.timedelta(days=7)).isoformat() if bad else None,
                    closed,
                )
            )
    names = ", ".join(wanted)
    conn.execute("BEGIN")
    conn.execute("DELETE FROM rating_follow_ups")
    conn.execute("DELETE FROM ratings")
    conn.executemany(f"INSERT INTO ratings ({names}) VALUES ({', '.join('?' * len(wanted))})", rows)
    conn.execute("COMMIT")
    bad_rows = sum(1 for r in rows if r[4] in ("dissatisfied", "very_dissatisfied"))
    open_bad = sum(1 for r in rows if r[4] in ("dissatisfied", "very_dissatisfied") and r[12] is None)
    return {"ratings": len(rows), "bad": bad_rows, "open_bad": open_bad}


def _supervisor(services: Any) -> Any:
    """The bench store's 值班长 (bigdb makes zhangmin a supervisor), logged in like at the counter."""
    try:
        return services.accounts.login("zhangmin", bigdb.CLERK_PASSWORD)
    except Exception:  # noqa: BLE001 — an account on a temporary password, say: the machine actor has every figure
        from app.security.permissions import MACHINE

        return MACHINE


def run_summary(
    config: Path, db_path: Path, runs: int, *, warmup: int = 5, profile: Path | None = None
) -> list[Result]:
    with machine_vault(vault_for(config)):
        return _run_summary(config, db_path, runs, warmup=warmup, profile=profile)


def _run_summary(config: Path, db_path: Path, runs: int, *, warmup: int, profile: Path | None) -> list[Result]:
    from app.bootstrap import open_services

    rng = random.Random(14)
    cipher = raw_sqlcipher(db_path, store_key(config))
    plain = raw_sqlite(bigdb.plain_twin(db_path))
    first, last = (
        _parse_db_time(v).astimezone(bigdb.SHANGHAI).date()
        for v in cipher.execute("SELECT min(received_at), max(received_at) FROM applications").fetchone()
    )
    span = (last - first).days + 1
    days = [first + dt.timedelta(days=rng.randrange(span)) for _ in range(runs + warmup)]
    t = time.perf_counter()
    added = add_ratings(cipher, sorted(set(days)), rng)
    rated_in = time.perf_counter() - t
    services = open_services(config, db_path.parent)
    user = _supervisor(services)
    profiler = cProfile.Profile() if profile else None
    times: list[float] = []
    plain_times: list[float] = []
    cipher_times: list[float] = []
    mismatches = 0
    per_day: list[tuple[int, int, int, int]] = []
    try:
        for i, day in enumerate(days):
            if profiler and i >= warmup:
                profiler.enable()
            started = time.perf_counter()
            view = services.reports.day_summary(user, day)
            elapsed = time.perf_counter() - started
            if profiler:
                profiler.disable()
            bounds = _bounds(day)
            started = time.perf_counter()
            cells = plain.execute(RAW_DAY_COUNTS, bounds).fetchall()
            plain_elapsed = time.perf_counter() - started
            started = time.perf_counter()
            cipher_cells = cipher.execute(RAW_DAY_COUNTS, bounds).fetchall()
            cipher_elapsed = time.perf_counter() - started
            expected = _margins(cells)
            if _service_margins(view.summary) != expected or _margins(cipher_cells) != expected:
                mismatches += 1
            if i >= warmup:
                times.append(elapsed)
                plain_times.append(plain_elapsed)
                cipher_times.append(cipher_elapsed)
                s = view.summary
                per_day.append(
                    (
                        s.applications,
                        sum(r.count for r in s.ratings),
                        len(s.overdue) + len(s.due_soon),
                        len(view.sync.unsynced),
                    )
                )
        query_plan = [r[3] for r in cipher.execute("EXPLAIN QUERY PLAN " + RAW_DAY_COUNTS, _bounds(days[0]))]
    finally:
        services.close()
        plain.close()
        cipher.close()
    if profiler and profile:
        profiler.dump_stats(profile)
        pstats.Stats(str(profile)).sort_stats("cumulative").print_stats(30)
    measured, base_plain, base_cipher = Figures(times), Figures(plain_times), Figures(cipher_times)
    n = len(per_day)
    notes = [
        f"absolute goal p95 ≤ {SUMMARY_GOAL_P95 * 1000:.0f} ms: "
        f"{'met' if measured.p95 <= SUMMARY_GOAL_P95 else 'NOT MET'}",
        f"per day on average: {sum(d[0] for d in per_day) / n:.0f} applications, {sum(d[1] for d in per_day) / n:.0f} "
        f"ratings, {sum(d[2] for d in per_day) / n:.0f} deadline rows, {sum(d[3] for d in per_day) / n:.0f} "
        f"unsynced events listed (as read by the service, as {getattr(user, 'username', 'machine')})",
        f"ratings written into the working copy first: {added['ratings']:,} ({added['bad']} 差评, "
        f"{added['open_bad']} still open) in {rated_in:.1f} s",
        "raw query plan: " + " / ".join(query_plan),
        cipher_note("same query on the store, same pragmas", base_cipher, base_plain),
    ]
    if mismatches:
        notes.append(f"WARNING: the service's counts and the raw query's disagreed on {mismatches} days")
    subject = "services.reports.day_summary(supervisor, day) on the encrypted store, random days"
    return [
        Result(
            "day summary",
            subject,
            "one raw plain sqlite3 query of the day's counts (item, decision, clerk, hour) on the plain twin",
            measured,
            base_plain,
            3.0,
            notes=notes,
        ),
        Result(
            "summary, vs raw SQLCipher",
            subject,
            "the same raw query through SQLCipher on the store",
            measured,
            base_cipher,
            None,
        ),
    ]


# ------------------------------------------------------------------------------------------------ center

CENTER_GENERATOR = 1  # bump when the generated server rows change, so the kept database is rebuilt
CENTERS = 20
WORKSTATIONS = 5
CENTER_DAYS = 730
CLERK_NAMES = ("wangli", "zhangmin", "lihua", "chenjing", "zhaolei", "sunyan", "zhouqi", "wujing", "xuhui", "huangli")

#: The same counts as the service's by item, by first decision, by clerk and by hour (local), for one center and
#: one day, in one statement.
RAW_CENTER_COUNTS = """
SELECT grouping(item_code, first_decision, clerk_username, hour) AS g, item_code, first_decision, clerk_username, hour,
       count(*)
FROM (
    SELECT item_code, first_decision, clerk_username,
           to_char(received_at AT TIME ZONE 'Asia/Shanghai', 'HH24') AS hour
    FROM applications
    WHERE center_code = %(center)s AND received_at >= %(start)s AND received_at < %(end)s
      AND counter_state <> 'voided'
) AS day
GROUP BY GROUPING SETS ((item_code), (first_decision), (clerk_username), (hour))
"""


def _pg_admin_dsn() -> str:
    from sqlalchemy.engine import make_url

    from bench.sync import PG

    return make_url(PG).set(drivername="postgresql").render_as_string(hide_password=False)


def _pg_dsn(name: str) -> str:
    from sqlalchemy.engine import make_url

    from bench.sync import PG

    return make_url(PG).set(drivername="postgresql", database=name).render_as_string(hide_password=False)


def _catalog_items() -> list[tuple[str, str, int | None]]:
    import yaml

    items = []
    for path in sorted((REPO / "resources" / "catalog" / "items").glob("*.yaml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        name = data["name"]["zh"] if isinstance(data.get("name"), dict) else str(data.get("name"))
        items.append((data["code"], name, data.get("promised_days")))
    return items


def center_db_name(size: int) -> str:
    from server.migrate import head_revision

    return f"yimen_bench_center_{size}_g{CENTER_GENERATOR}_r{head_revision()}"


def _copy(cur: Any, table: str, cols: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    with cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


APP_COLS = (
    "id",
    "acceptance_no",
    "query_code",
    "center_code",
    "workstation_code",
    "item_code",
    "item_version",
    "item_name",
    "received_at",
    "counter_state",
    "counter_at",
    "status",
    "status_at",
    "status_note",
    "status_by",
    "clerk_username",
    "called_at",
    "first_decision",
    "first_decided_at",
    "promised_date",
    "return_visits",
    "last_return_at",
)
RATING_COLS = (
    "rating_id",
    "event_id",
    "application_id",
    "acceptance_no",
    "center_code",
    "workstation_code",
    "occasion",
    "level",
    "reasons",
    "named",
    "clerk_username",
    "rated_at",
    "contact_due",
    "rectify_due",
    "contacted_at",
    "closed_at",
)
CHANGE_COLS = (
    "event_id",
    "application_id",
    "acceptance_no",
    "center_code",
    "workstation_code",
    "kind",
    "at",
    "approved_by",
    "reason",
)
CLOSE_COLS = (
    "event_id",
    "center_code",
    "workstation_code",
    "day",
    "closed_at",
    "closed_by",
    "applications",
    "numbers",
    "unsynced",
    "quarantined",
    "differences",
    "reason",
    "received_at",
)


def _check_server_columns(conn: Any) -> None:
    """Follow server/store/models.py: stop on a NOT NULL column without a default the generator does not fill."""
    for table, cols in (
        ("applications", APP_COLS),
        ("ratings", RATING_COLS),
        ("application_changes", CHANGE_COLS),
        ("day_closes", CLOSE_COLS),
    ):
        found = conn.execute(
            "SELECT column_name, is_nullable, column_default FROM information_schema.columns WHERE table_name = %s",
            (table,),
        ).fetchall()
        names = {r[0] for r in found}
        if set(cols) - names:
            raise RuntimeError(f"bench/supervisor.py writes {table}.{sorted(set(cols) - names)}, which is gone")
        for name, nullable, default in found:
            if name not in cols and nullable == "NO" and default is None:
                raise RuntimeError(f"bench/supervisor.py does not fill the new column {table}.{name}: update it")


def build_center_db(size: int, *, rebuild: bool = False, progress: bool = True) -> tuple[str, dict[str, Any]]:
    """The kept PostgreSQL database with ``size`` applications over :data:`CENTERS` × :data:`WORKSTATIONS`
    workstations and :data:`CENTER_DAYS` days; built (migrated by the server's own migrations, then filled with
    COPY) when missing or with ``rebuild``.  Returns its URL and what it holds."""
    import psycopg
    from sqlalchemy.engine import make_url

    from bench.sync import PG
    from server import migrate
    from server.store.db import create_store_engine

    name = center_db_name(size)
    url = make_url(PG).set(database=name).render_as_string(hide_password=False)
    with psycopg.connect(_pg_admin_dsn(), autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None
        if exists and not rebuild:
            with psycopg.connect(_pg_dsn(name)) as conn:
                meta = conn.execute("SELECT value FROM bench_meta WHERE key = 'built'").fetchone()
            if meta is not None:
                return url, json.loads(meta[0])
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    engine = create_store_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    started = time.perf_counter()
    if progress:
        print(f"building a server database with {size:,} applications: {name} (kept for later runs)")
    info = _fill_center(_pg_dsn(name), size, progress=progress)
    info["build_seconds"] = round(time.perf_counter() - started)
    with psycopg.connect(_pg_dsn(name)) as conn:
        conn.execute("CREATE TABLE bench_meta (key text PRIMARY KEY, value text NOT NULL)")
        conn.execute("INSERT INTO bench_meta VALUES ('built', %s)", (json.dumps(info),))
    return url, info


def _fill_center(dsn: str, size: int, *, progress: bool) -> dict[str, Any]:
    import psycopg

    from app.reports.figures import SHANGHAI

    rng = random.Random(20)
    items = _catalog_items()
    item_weights = [6.0 if code == "MZ-SHJZ-002" else 1.0 for code, _, _ in items]
    now = dt.datetime.now(dt.UTC)
    today = now.astimezone(SHANGHAI).date()
    first_day = today - dt.timedelta(days=CENTER_DAYS - 1)
    stations = [(f"310104{c + 1:03d}", f"{w + 1:03d}") for c in range(CENTERS) for w in range(WORKSTATIONS)]
    clerks = {s: rng.sample(CLERK_NAMES, 3) for s in stations}
    per_day = size / (len(stations) * CENTER_DAYS)
    levels = ["very_satisfied", "satisfied", "basically_satisfied", "unrated", "dissatisfied", "very_dissatisfied"]
    level_weights = [45, 25, 10, 17, 2, 1]
    counts = Counter[str]()
    started = time.perf_counter()
    with psycopg.connect(dsn) as conn:
        _check_server_columns(conn)
        conn.execute("SET synchronous_commit = off")
        device_rows = []
        for center, ws in stations:
            device_rows.append(
                (
                    uuid.uuid4(),
                    uuid.uuid4().hex + uuid.uuid4().hex,
                    center,
                    ws,
                    "",
                    now,
                    now,
                    now - dt.timedelta(minutes=rng.randrange(1, 90)),
                )
            )
        with conn.cursor() as cur:
            _copy(
                cur,
                "devices",
                (
                    "id",
                    "token_hash",
                    "center_code",
                    "workstation_code",
                    "hostname",
                    "enrolled_at",
                    "confirmed_at",
                    "last_seen_at",
                ),
                device_rows,
            )
        conn.commit()
        done = 0
        carry = 0.5  # rounding: the centers and days add up to exactly ``size``
        for offset in range(CENTER_DAYS):
            day = first_day + dt.timedelta(days=offset)
            opening = dt.datetime.combine(day, dt.time(8, 30), SHANGHAI)
            apps: list[tuple[Any, ...]] = []
            ratings: list[tuple[Any, ...]] = []
            changes: list[tuple[Any, ...]] = []
            closes: list[tuple[Any, ...]] = []
            age = (today - day).days
            for center, ws in stations:
                carry += per_day
                count = int(carry)
                carry -= count
                if done + count > size:
                    count = size - done
                done += count
                step = dt.timedelta(hours=8.5) / max(count, 1)
                for seq in range(1, count + 1):
                    received = (opening + step * (seq - 1) + dt.timedelta(seconds=rng.randrange(60))).astimezone(dt.UTC)
                    code, item_name, promised_days = rng.choices(items, item_weights)[0]
                    clerk = rng.choice(clerks[(center, ws)])
                    called = received - dt.timedelta(seconds=rng.randrange(30, 300)) if rng.random() < 0.6 else None
                    decided = received + dt.timedelta(seconds=rng.randrange(180, 1500))
                    roll = rng.random()
                    kind = "accept" if roll < 0.75 else "supplement" if roll < 0.9 else "refuse"
                    number = f"{center}-{ws}-{day:%Y%m%d}-{seq:04d}"
                    app_id = uuid.uuid4()
                    promised = day + dt.timedelta(days=promised_days * 7 // 5 + 1) if promised_days else None
                    counter_state, counter_at = kind, decided
                    visits, last_return = "", None
                    if kind == "supplement":
                        promised = None
                        back = decided + dt.timedelta(days=rng.randrange(1, 20), hours=rng.random())
                        if rng.random() < 0.8 and back < now:
                            counter_state, counter_at, last_return = "accept", back, back
                            visits = f"accept@{back.isoformat()},"
                            if promised_days:
                                local_back = back.astimezone(SHANGHAI).date()
                                promised = local_back + dt.timedelta(days=promised_days * 7 // 5 + 1)
                    if counter_state == "accept":
                        # The back office reports most cases done within a month; a few stay open for ever.
                        done_back = (now - counter_at).days > 30 and rng.random() < 0.97
                        status = "completed" if done_back else "received"
                        status_at = counter_at + dt.timedelta(days=rng.randrange(3, 25)) if done_back else counter_at
                    elif counter_state == "supplement":
                        status, status_at = "waiting", counter_at
                    else:
                        status, status_at = "not_accepted", counter_at
                    if rng.random() < 0.001 and age > 0:
                        counter_state, status = "voided", "voided"
                        at = decided + dt.timedelta(hours=1)
                        changes.append(
                            (uuid.uuid4(), app_id, number, center, ws, "voided", at, "zhangmin", "重复录入，作废。")
                        )
                    apps.append(
                        (
                            app_id,
                            number,
                            "ABC234",
                            center,
                            ws,
                            code,
                            1,
                            item_name,
                            received,
                            counter_state,
                            counter_at,
                            status,
                            status_at,
                            "",
                            "",
                            clerk,
                            called,
                            kind,
                            decided,
                            promised,
                            visits,
                            last_return,
                        )
                    )
                    if rng.random() < 0.7:
                        level = rng.choices(levels, level_weights)[0]
                        rated = decided + dt.timedelta(seconds=rng.randrange(20, 90))
                        bad = level in ("dissatisfied", "very_dissatisfied")
                        contacted = rated + dt.timedelta(hours=20) if bad and age > 1 else None
                        closed = rated + dt.timedelta(days=4) if bad and age > 10 else None
                        ratings.append(
                            (
                                uuid.uuid4(),
                                uuid.uuid4(),
                                app_id,
                                number,
                                center,
                                ws,
                                "decision",
                                level,
                                "long_wait" if bad else "",
                                bad and rng.random() < 0.6,
                                clerk,
                                rated,
                                day + dt.timedelta(days=1) if bad else None,
                                day + dt.timedelta(days=7) if bad else None,
                                contacted,
                                closed,
                            )
                        )
                if age > 0:
                    closed_at = dt.datetime.combine(day, dt.time(17, 20), SHANGHAI).astimezone(dt.UTC)
                    closes.append(
                        (
                            uuid.uuid4(),
                            center,
                            ws,
                            day,
                            closed_at,
                            "zhangmin",
                            count,
                            f"{center}-{ws}-{day:%Y%m%d}-0001,{center}-{ws}-{day:%Y%m%d}-{count:04d}" if count else "",
                            0,
                            0,
                            0,
                            None,
                            closed_at + dt.timedelta(minutes=1),
                        )
                    )
            with conn.cursor() as cur:
                _copy(cur, "applications", APP_COLS, apps)
                _copy(cur, "ratings", RATING_COLS, ratings)
                if changes:
                    _copy(cur, "application_changes", CHANGE_COLS, changes)
                _copy(cur, "day_closes", CLOSE_COLS, closes)
            conn.commit()
            counts.update(applications=len(apps), ratings=len(ratings), changes=len(changes), closes=len(closes))
            if progress and offset % 73 == 0:
                rate = done / (time.perf_counter() - started)
                print(f"\r  generated {done:,}/{size:,} applications ({rate:,.0f}/s)", end="", flush=True)
        conn.execute("ANALYZE")
        conn.commit()
    if progress:
        print(f"\r  generated {done:,} applications in {time.perf_counter() - started:,.0f} s" + " " * 20)
    return {
        "centers": CENTERS,
        "workstations": CENTERS * WORKSTATIONS,
        "days": CENTER_DAYS,
        "first_day": first_day.isoformat(),
        "last_day": today.isoformat(),
        **counts,
    }


def run_center(size: int, runs: int, *, rebuild: bool = False, http: bool = True, warmup: int = 5) -> list[Result]:
    import hashlib
    import secrets

    import psycopg
    import requests
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from app.reports.figures import SHANGHAI
    from bench.sync import server_process
    from server.services.center import center_figures
    from server.store.db import create_store_engine
    from server.store.models import Device

    t = time.perf_counter()
    url, info = build_center_db(size, rebuild=rebuild)
    ready = time.perf_counter() - t
    rng = random.Random(300)
    first_day = dt.date.fromisoformat(info["first_day"])
    # The days are the database's (it may have been built on an earlier day): "today" for the service is the
    # moment of the run, so late and due-soon cases are those of now.
    last_day = min(dt.date.fromisoformat(info["last_day"]), dt.datetime.now(SHANGHAI).date())
    span = (last_day - first_day).days + 1
    centers = [f"310104{c + 1:03d}" for c in range(info["centers"])]
    plan = [(rng.choice(centers), first_day + dt.timedelta(days=rng.randrange(span))) for _ in range(runs + warmup)]
    engine = create_store_engine(url)
    pg = psycopg.connect(_pg_dsn(center_db_name(size)), autocommit=True)
    times: list[float] = []
    raw_times: list[float] = []
    http_times: list[float] = []
    mismatches = 0
    sizes: list[tuple[int, int, int]] = []
    devices: dict[str, Device] = {}
    tokens: dict[str, str] = {}
    with Session(engine) as session:
        for device in session.scalars(select(Device).where(Device.workstation_code == "001")):
            session.expunge(device)
            devices[device.center_code] = device
        # One credential per center for the HTTP side (only the hash is stored, as enrollment does).
        for center, device in devices.items():
            tokens[center] = "ymd_" + secrets.token_urlsafe(32)
            session.execute(
                Device.__table__.update()
                .where(Device.id == device.id)
                .values(token_hash=hashlib.sha256(tokens[center].encode()).hexdigest())
            )
        session.commit()
    try:
        with Session(engine) as session:
            for i, (center, day) in enumerate(plan):
                started = time.perf_counter()
                with session.begin():
                    result = center_figures(session, devices[center], day, day)
                elapsed = time.perf_counter() - started
                start = dt.datetime.combine(day, dt.time(), SHANGHAI)
                started = time.perf_counter()
                cells = pg.execute(
                    RAW_CENTER_COUNTS, {"center": center, "start": start, "end": start + dt.timedelta(days=1)}
                ).fetchall()
                raw_elapsed = time.perf_counter() - started
                expected = {
                    "item": Counter({r[1]: r[5] for r in cells if r[0] == 0b0111}),
                    "decision": Counter({r[2]: r[5] for r in cells if r[0] == 0b1011}),
                    "clerk": Counter({r[3]: r[5] for r in cells if r[0] == 0b1101}),
                    "hour": Counter({r[4]: r[5] for r in cells if r[0] == 0b1110}),
                }
                if _service_margins(result.summary) != expected:
                    mismatches += 1
                if i >= warmup:
                    times.append(elapsed)
                    raw_times.append(raw_elapsed)
                    s = result.summary
                    sizes.append((s.applications, sum(r.count for r in s.ratings), len(s.overdue) + len(s.due_soon)))
        plan_lines = [
            r[0]
            for r in pg.execute(
                "EXPLAIN " + RAW_CENTER_COUNTS,
                {
                    "center": plan[0][0],
                    "start": dt.datetime.combine(plan[0][1], dt.time(), SHANGHAI),
                    "end": dt.datetime.combine(plan[0][1] + dt.timedelta(days=1), dt.time(), SHANGHAI),
                },
            ).fetchall()
        ]
        if http:
            with server_process(url) as base:
                session_http = requests.Session()
                for i, (center, day) in enumerate(plan):
                    started = time.perf_counter()
                    answer = session_http.get(
                        base + "/api/v1/center/figures",
                        params={"first": day.isoformat(), "last": day.isoformat()},
                        headers={"Authorization": f"Bearer {tokens[center]}"},
                        timeout=60,
                    )
                    answer.raise_for_status()
                    if i >= warmup:
                        http_times.append(time.perf_counter() - started)
    finally:
        pg.close()
        engine.dispose()
    measured, base = Figures(times), Figures(raw_times)
    n = len(sizes)
    notes = [
        f"absolute goal p95 ≤ {CENTER_GOAL_P95 * 1000:.0f} ms: "
        f"{'met' if measured.p95 <= CENTER_GOAL_P95 else 'NOT MET'}",
        f"server database: {info.get('applications', size):,} applications, {info.get('ratings', 0):,} ratings, "
        f"{info.get('closes', 0):,} day closes, {info['centers']} centers × {info['workstations'] // info['centers']} "
        f"workstations, {info['days']} days ({info['first_day']} … {info['last_day']}); ready in {ready:.0f} s"
        + (f" (built in {info['build_seconds']} s)" if "build_seconds" in info else ""),
        f"per center-day on average: {sum(x[0] for x in sizes) / n:.0f} applications, "
        f"{sum(x[1] for x in sizes) / n:.0f} ratings, {sum(x[2] for x in sizes) / n:.0f} deadline rows",
        "raw query plan: " + " / ".join(line.strip() for line in plan_lines[:6]),
    ]
    if mismatches:
        notes.append(f"WARNING: the service's counts and the raw query's disagreed on {mismatches} center-days")
    results = [
        Result(
            "center figures",
            "server.services.center.center_figures(session, device, day, day), random centers and days",
            "one raw SQL query of the center-day's counts (GROUPING SETS: item, decision, clerk, hour)",
            measured,
            base,
            3.0,
            notes=notes,
        )
    ]
    if http_times:
        over = Figures(http_times)
        results.append(
            Result(
                "center figures, HTTP",
                "GET /api/v1/center/figures of one day (the real server process, one worker)",
                "the same raw SQL query",
                over,
                base,
                None,
                notes=[
                    f"absolute goal p95 ≤ {CENTER_GOAL_P95 * 1000:.0f} ms: "
                    f"{'met' if over.p95 <= CENTER_GOAL_P95 else 'NOT MET'}"
                ],
            )
        )
    return results


# ------------------------------------------------------------------------------------------------ report


def busy_day_report(rng: random.Random) -> Any:
    """A busy day's report as ``from_workstation`` builds it: 400 cases of the catalog's items by four clerks, a
    sixth sent back for 补正 (some returning that day), 70 % of the visits rated with a few 差评 (and open ones of
    earlier days), 200 late and 200 due-soon cases (the store's caps), a few 更正/作废, 800 events not yet uploaded."""
    from app.domain import Decision, RatingLevel, RatingOccasion
    from app.reports import figures
    from app.reports.report import from_workstation
    from app.reports.summary import SyncFigures, UnsyncedEvent, WorkstationSummary

    items = _catalog_items()
    clerks = [("wangli", "王丽"), ("zhangmin", "张敏"), ("lihua", "李华"), ("chenjing", "欧阳·𠮷祥")]
    now = dt.datetime(2026, 12, 4, 17, 30, tzinfo=figures.SHANGHAI)
    day = now.date()
    opening = dt.datetime.combine(day, dt.time(8, 30), figures.SHANGHAI)
    cases: list[figures.CaseRow] = []
    ratings: list[figures.RatingRow] = []
    for n in range(400):
        code, name, _ = rng.choice(items)
        clerk = rng.choice(clerks)
        received = opening + dt.timedelta(seconds=n * 76 + rng.randrange(60))
        kind = rng.choices([Decision.ACCEPT, Decision.SUPPLEMENT, Decision.REFUSE], [75, 15, 10])[0]
        decided = received + dt.timedelta(seconds=rng.randrange(180, 1500))
        number = f"310104003-003-{day:%Y%m%d}-{n + 1:04d}"
        cases.append(
            figures.CaseRow(
                acceptance_no=number,
                item_code=code,
                item_name=name,
                workstation_code="003",
                clerk=clerk[0],
                clerk_name=clerk[1],
                received_at=received,
                called_at=received - dt.timedelta(seconds=rng.randrange(30, 200)),
                decided_at=decided,
                decision=kind,
                state={"accept": "accepted", "supplement": "awaiting_supplement", "refuse": "refused"}[kind.value],
                promised_date=day + dt.timedelta(days=20) if kind is Decision.ACCEPT else None,
                closed=kind is Decision.REFUSE,
            )
        )
        if rng.random() < 0.7:
            level = rng.choices(list(RatingLevel), [45, 25, 10, 2, 1, 17])[0]
            bad = level.is_bad
            ratings.append(
                figures.RatingRow(
                    acceptance_no=number,
                    rating_id=str(uuid.UUID(int=rng.getrandbits(128))),
                    clerk=clerk[0],
                    level=level,
                    occasion=RatingOccasion.DECISION,
                    rated_at=decided + dt.timedelta(seconds=40),
                    named=bad and rng.random() < 0.6,
                    contact_due=day + dt.timedelta(days=1) if bad else None,
                    rectify_due=day + dt.timedelta(days=7) if bad else None,
                )
            )
    for n in range(400):  # the deadline lists: open accepted cases of earlier days
        code, name, _ = rng.choice(items)
        received = opening - dt.timedelta(days=30 + n // 10)
        cases.append(
            figures.CaseRow(
                acceptance_no=f"310104003-003-{received:%Y%m%d}-{n % 10 + 1:04d}",
                item_code=code,
                item_name=name,
                workstation_code="003",
                clerk="wangli",
                clerk_name="王丽",
                received_at=received,
                called_at=None,
                decided_at=received,
                decision=Decision.ACCEPT,
                state="accepted",
                promised_date=day - dt.timedelta(days=n // 2 + 1)
                if n < 200
                else day + dt.timedelta(days=(n - 200) % 4),
            )
        )
    changes = [
        figures.ChangeRow(
            acceptance_no=f"310104003-003-{day:%Y%m%d}-{n + 1:04d}",
            kind="corrected" if n % 2 else "voided",
            at=now - dt.timedelta(hours=n),
            clerk="zhangmin",
            approved_by="zhangmin",
            reason="申请人姓名录入有误，按身份证更正。",
        )
        for n in range(4)
    ]
    summary = figures.summarize(
        cases, ratings, changes, first=day, last=day, today=day, due_soon_until=day + dt.timedelta(days=3)
    )
    unsynced = [
        UnsyncedEvent(
            f"310104003-003-{day:%Y%m%d}-{n % 400 + 1:04d}", "application.taken", now - dt.timedelta(minutes=n), n * 60
        )
        for n in range(800)
    ]
    view = WorkstationSummary(
        summary=summary,
        sync=SyncFigures(unsynced=unsynced, quarantined=[], last_success_at=now - dt.timedelta(days=2)),
        clerk_only=None,
        generated_at=now,
        center_name="徐汇区斜土路街道社区事务受理服务中心",
        workstation_code="003",
        window_name="3号窗口",
        **(
            {"more_deadlines": True}
            if "more_deadlines" in {f.name for f in dataclasses.fields(WorkstationSummary)}
            else {}
        ),
    )
    return from_workstation(view)


def bare_document(text: str, loaded: Any, lines_per_page: int = 55) -> bytes:
    """The baseline: the same text in the same faces, each line drawn with ``drawString``, 55 lines a page."""
    from reportlab.pdfgen.canvas import Canvas

    from app.documents import fonts as fnt
    from bench.documents import draw_line

    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1, initialFontName=fnt.REGULAR)
    lines = [line for line in text.splitlines() if line.strip()]
    for page in range(0, len(lines), lines_per_page):
        y = 800.0
        for line in lines[page : page + lines_per_page]:
            draw_line(canvas, 50.0, y, line, loaded, 10)
            y -= 15
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def run_report(runs: int) -> list[Result]:
    from app.documents.daily_report import render_daily_report
    from app.documents.fonts import load_fonts
    from bench.documents import alternate

    loaded = load_fonts()
    report = busy_day_report(random.Random(4))
    pdf = render_daily_report(report, loaded)
    text = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode("utf-8")
    pages = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    page_count = next((line.split()[-1] for line in pages.splitlines() if line.startswith("Pages:")), "?")
    bare = bare_document(text, loaded)
    measured, base = alternate(lambda: render_daily_report(report, loaded), lambda: bare_document(text, loaded), runs)
    figures_ = Figures(measured)
    return [
        Result(
            "daily report",
            "render_daily_report of a busy day's 受理窗口日报 (from_workstation: 400 cases, ratings, 3 charts, "
            "full deadline lists, 800 unsynced events)",
            "bare ReportLab document of the same text (pdftotext -layout), same faces, drawString, 55 lines a page",
            figures_,
            Figures(base),
            None,
            notes=[
                f"absolute goal ≤ {REPORT_GOAL:g} s (p95): {'met' if figures_.p95 <= REPORT_GOAL else 'NOT MET'}",
                f"{page_count} pages, {len(pdf) / 1024:.0f} KB; bare document {len(bare) / 1024:.0f} KB, "
                f"{len(text.splitlines())} text lines",
            ],
        )
    ]


if __name__ == "__main__":  # pragma: no cover
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
