"""An applicant's history by ID number: IntakeService.history against one raw indexed query, two baselines of the
same run (issue 12): plain sqlite3 on the store's plain twin (the goal's baseline, bench/bigdb.py) and raw
SQLCipher on the encrypted store itself (``db.engine.raw_connect`` with the store's key, the same pragmas).

The ID numbers are those of the applicants of randomly chosen applications, so people who come often are looked
up often, as at the counter.  The raw query returns the same rows (the same applications, newest first, at most
100, with the applicant's name, the masked number's source and the clerk's name) through the indexes the schema
has: persons.id_number (unique), application_parties (person_id, application_id), applications' primary key.
The three alternate (service, plain, SQLCipher) and each answer is compared with the service's.
"""

from __future__ import annotations

import cProfile
import pstats
import random
import time
from pathlib import Path
from typing import Any

from app.security.permissions import MACHINE
from bench.bigdb import plain_twin
from bench.common import Figures, Result, cipher_note, machine_vault, raw_sqlcipher, raw_sqlite, store_key, vault_for

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


def sample_ids(conn: Any, count: int, rng: random.Random) -> list[str]:
    top = conn.execute("SELECT max(rowid) FROM applications").fetchone()[0]
    picks = ",".join(str(rng.randrange(1, top + 1)) for _ in range(count))
    rows = conn.execute(
        "SELECT p.id_number FROM applications AS a "
        "JOIN application_parties AS x ON x.application_id = a.id AND x.role = 'applicant' "
        f"JOIN persons AS p ON p.id = x.person_id WHERE a.rowid IN ({picks})"
    ).fetchall()
    ids = [r[0] for r in rows]
    rng.shuffle(ids)
    return ids


def plan(conn: Any, sql: str, *params: object) -> list[str]:
    return [r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + sql, params)]


def run(config: Path, db_path: Path, lookups: int, *, warmup: int = 20, profile: Path | None = None) -> list[Result]:
    with machine_vault(vault_for(config)):
        return _run(config, db_path, lookups, warmup=warmup, profile=profile)


def _run(config: Path, db_path: Path, lookups: int, *, warmup: int, profile: Path | None) -> list[Result]:
    from app.bootstrap import open_services

    rng = random.Random(11)
    plain = raw_sqlite(plain_twin(db_path))
    cipher = raw_sqlcipher(db_path, store_key(config))
    ids = sample_ids(cipher, lookups + warmup, rng)
    services = open_services(config, db_path.parent)
    profiler = cProfile.Profile() if profile else None
    service_times: list[float] = []
    plain_times: list[float] = []
    cipher_times: list[float] = []
    returned: list[int] = []
    mismatches = 0
    try:
        for i, number in enumerate(ids):
            if profiler and i >= warmup:
                profiler.enable()
            started = time.perf_counter()
            summaries = services.intake.history(number, by=MACHINE)
            elapsed = time.perf_counter() - started
            if profiler:
                profiler.disable()
            started = time.perf_counter()
            rows = plain.execute(RAW_HISTORY, (number,)).fetchall()
            plain_elapsed = time.perf_counter() - started
            started = time.perf_counter()
            cipher_rows = cipher.execute(RAW_HISTORY, (number,)).fetchall()
            cipher_elapsed = time.perf_counter() - started
            numbers = [s.acceptance_no for s in summaries]
            if numbers != [r[1] for r in rows] or numbers != [r[1] for r in cipher_rows]:
                mismatches += 1
            if i >= warmup:
                service_times.append(elapsed)
                plain_times.append(plain_elapsed)
                cipher_times.append(cipher_elapsed)
                returned.append(len(rows))
        query_plan = plan(cipher, RAW_HISTORY, ids[0])
    finally:
        plain.close()
        cipher.close()
        services.close()
    if profiler and profile:
        profiler.dump_stats(profile)
        pstats.Stats(str(profile)).sort_stats("cumulative").print_stats(30)
    measured, base_plain, base_cipher = Figures(service_times), Figures(plain_times), Figures(cipher_times)
    notes = [
        f"{sum(returned) / len(returned):.1f} applications per lookup on average (max {max(returned)})",
        "raw query plan: " + " / ".join(query_plan),
        cipher_note("same query on the store, same pragmas", base_cipher, base_plain),
    ]
    if mismatches:
        notes.append(f"WARNING: service and raw queries disagreed on {mismatches} lookups")
    subject = "IntakeService.history(id_number) on the encrypted store"
    return [
        Result(
            name="applicant history",
            subject=subject,
            baseline="one raw indexed plain sqlite3 query on the plain twin, same rows",
            measured=measured,
            base=base_plain,
            goal_ratio=5.0,
            notes=notes,
        ),
        Result(
            name="history, vs raw SQLCipher",
            subject=subject,
            baseline="the same raw query through SQLCipher on the store, same rows",
            measured=measured,
            base=base_cipher,
            goal_ratio=None,
        ),
    ]
