"""An applicant's history by ID number: IntakeService.history against one raw indexed sqlite3 query.

The ID numbers are those of the applicants of randomly chosen applications, so people who come often are looked
up often, as at the counter.  The raw query returns the same rows (the same applications, newest first, at most
100, with the applicant's name, the masked number's source and the clerk's name) through the indexes the schema
has: persons.id_number (unique), application_parties (person_id, application_id), applications' primary key.
"""

from __future__ import annotations

import cProfile
import pstats
import random
import sqlite3
import time
from pathlib import Path

from bench.common import Figures, Result

RAW_HISTORY = """
SELECT a.id, a.acceptance_no, a.item_code, a.state, a.decision, a.decided_at, a.received_at,
       ap.name, pa.id_number, u.display_name, a.sync_state, a.promised_date, a.promised_estimated, a.notice_no
FROM persons AS p
JOIN application_parties AS x ON x.person_id = p.id
JOIN applications AS a ON a.id = x.application_id
LEFT JOIN application_parties AS ap ON ap.application_id = a.id AND ap.role = 'applicant'
LEFT JOIN persons AS pa ON pa.id = ap.person_id
JOIN users AS u ON u.id = a.clerk_id
WHERE p.id_number = ?
ORDER BY a.received_at DESC
LIMIT 100
"""


def sample_ids(db_path: Path, count: int, rng: random.Random) -> list[str]:
    conn = sqlite3.connect(db_path)
    try:
        top = conn.execute("SELECT max(rowid) FROM applications").fetchone()[0]
        picks = ",".join(str(rng.randrange(1, top + 1)) for _ in range(count))
        rows = conn.execute(
            "SELECT p.id_number FROM applications AS a "
            "JOIN application_parties AS x ON x.application_id = a.id AND x.role = 'applicant' "
            f"JOIN persons AS p ON p.id = x.person_id WHERE a.rowid IN ({picks})"
        ).fetchall()
    finally:
        conn.close()
    ids = [r[0] for r in rows]
    rng.shuffle(ids)
    return ids


def plan(db_path: Path, sql: str, *params: object) -> list[str]:
    conn = sqlite3.connect(db_path)
    try:
        return [r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + sql, params)]
    finally:
        conn.close()


def run(config: Path, db_path: Path, lookups: int, *, warmup: int = 20, profile: Path | None = None) -> Result:
    from app.bootstrap import open_services

    rng = random.Random(11)
    ids = sample_ids(db_path, lookups + warmup, rng)
    services = open_services(config, db_path.parent)
    raw = sqlite3.connect(db_path)
    raw.execute("PRAGMA foreign_keys = ON")
    profiler = cProfile.Profile() if profile else None
    service_times: list[float] = []
    raw_times: list[float] = []
    returned: list[int] = []
    mismatches = 0
    try:
        for i, number in enumerate(ids):
            if profiler and i >= warmup:
                profiler.enable()
            started = time.perf_counter()
            summaries = services.intake.history(number)
            elapsed = time.perf_counter() - started
            if profiler:
                profiler.disable()
            started = time.perf_counter()
            rows = raw.execute(RAW_HISTORY, (number,)).fetchall()
            raw_elapsed = time.perf_counter() - started
            if [s.acceptance_no for s in summaries] != [r[1] for r in rows]:
                mismatches += 1
            if i >= warmup:
                service_times.append(elapsed)
                raw_times.append(raw_elapsed)
                returned.append(len(rows))
    finally:
        raw.close()
        services.close()
    if profiler and profile:
        profiler.dump_stats(profile)
        pstats.Stats(str(profile)).sort_stats("cumulative").print_stats(30)
    notes = [
        f"{sum(returned) / len(returned):.1f} applications per lookup on average (max {max(returned)})",
        "raw query plan: " + " / ".join(plan(db_path, RAW_HISTORY, ids[0])),
    ]
    if mismatches:
        notes.append(f"WARNING: service and raw query disagreed on {mismatches} lookups")
    return Result(
        name="applicant history",
        subject="IntakeService.history(id_number)",
        baseline="one raw indexed sqlite3 query, same rows",
        measured=Figures(service_times),
        base=Figures(raw_times),
        goal_ratio=5.0,
        notes=notes,
    )
