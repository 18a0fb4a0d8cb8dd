"""Saving an application through IntakeService.decide against raw sqlite3 inserts of the same rows.

Both write into the same large database, alternately, so they share the WAL, its checkpoints and the page cache.
The service call is timed whole (as the clerk waits for it: validation, the duplicate check, the ORM, the audit
chain, the protocol event, the commit).  The raw save is one ``BEGIN IMMEDIATE`` transaction on a plain sqlite3
connection with the engine's pragmas (WAL, ``synchronous=FULL``, foreign keys, busy timeout) doing only what any
correct implementation must: read the day's counter, the last audit hash and the last outbox sequence, look the
person up by ID number, insert the person, application, party, material lines, decision, audit event and outbox
entry (rows made by bench/bigdb.py's RowFactory before the clock starts), update the counter, commit.
"""

from __future__ import annotations

import cProfile
import datetime as dt
import pstats
import random
import sqlite3
import time
from pathlib import Path
from typing import Any

from bench.bigdb import CLERK_PASSWORD, INSERT, SHANGHAI, TABLES, Context, RowFactory, Rows, load_context
from bench.common import Figures, Result

ITEM = "MZ-SHJZ-002"
REASONS = ["申请人户籍不在本街道，不属于本中心受理范围。", "同一事由已于本年度获得救助，不符合申请条件。"]
NAMES = ["张𠮷", "阿依古丽·买买提", "欧阳娜娜", "王丽", "李𠮷明", "司马相如", "陈小红"]


def _kind(rng: random.Random) -> str:
    roll = rng.random()
    return "accept" if roll < 0.7 else "supplement" if roll < 0.85 else "refuse"


def _draft(rng: random.Random, kind: str, returning: list[str]) -> Any:
    from app.domain import MaterialStatus, PartyRole
    from app.intake.model import ApplicationDraft, MaterialInput, PartyInput
    from bench.bigdb import id_number

    # A third of the applicants have been here before (the person row is updated, the duplicate check finds them).
    number = rng.choice(returning) if rng.random() < 0.33 else id_number(rng)[0]
    return ApplicationDraft(
        item_code=ITEM,
        values={"assistance_type": "emergency", "situation": "家中突发火灾，基本生活暂时困难。"},
        parties=[
            PartyInput(
                PartyRole.APPLICANT, rng.choice(NAMES), number, f"139{rng.randrange(10**8):08d}", confirmed_id=True
            )
        ],
        materials=[
            MaterialInput(
                "applicant_id_card", MaterialStatus.MISSING if kind == "supplement" else MaterialStatus.RECEIVED
            )
        ],
        queue_ticket=f"A{rng.randrange(1, 400):03d}",
        acknowledged_duplicate=True,
    )


class RawSaver:
    """The floor: the same rows through a plain sqlite3 connection configured like db/engine.py."""

    def __init__(self, db_path: Path, ctx: Context, rng: random.Random) -> None:
        from db.engine import BUSY_TIMEOUT_MS

        self.conn = sqlite3.connect(db_path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = FULL")
        self.conn.execute("PRAGMA foreign_keys = ON")
        items = [i for i in ctx.items if i.code == ITEM]
        self.factory = RowFactory(
            Context(**{**ctx.__dict__, "items": items, "weights": [1.0]}), rng, audit_seq=0, audit_hash="", outbox_seq=0
        )
        self.taken: set[str] = set()

    def save(self, kind: str) -> float:
        conn, factory = self.conn, self.factory
        now = dt.datetime.now(dt.UTC)
        local = now.astimezone(SHANGHAI)
        scopes = [f"acceptance:{local:%Y%m%d}"] + ([f"notice:{kind}:{local.year}"] if kind != "accept" else [])
        # Rows made before the clock starts, from the values the transaction will read (checked below).
        factory.counters = {scope: self._counter(scope) for scope in scopes}
        factory.audit_seq, factory.audit_hash = conn.execute(
            "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        factory.outbox_seq = conn.execute("SELECT max(seq) FROM outbox").fetchone()[0] or 0
        while True:  # a new person (a random ID number may already be in a million-application database)
            rows = Rows()
            person = factory.new_person(rows, now, self.taken)
            if conn.execute("SELECT 1 FROM persons WHERE id_number = ?", (person.id_number,)).fetchone() is None:
                break
        factory.application(rows, now, person, None, kind, sent=False)
        values = [(scope, factory.counters[scope]) for scope in scopes]

        started = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        try:
            for scope, value in values:
                assert self._counter(scope) == value - 1
            last = conn.execute("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1").fetchone()
            assert last[0] == rows.tables["audit_events"][0][1] - 1 and last[1] == rows.tables["audit_events"][0][9]
            top = conn.execute("SELECT max(seq) FROM outbox").fetchone()[0]
            assert top == rows.tables["outbox"][0][1] - 1
            assert conn.execute("SELECT id FROM persons WHERE id_number = ?", (person.id_number,)).fetchone() is None
            for table in TABLES:
                if rows.tables[table]:
                    conn.executemany(INSERT[table], rows.tables[table])
            conn.executemany(
                "INSERT INTO number_counters (scope, value) VALUES (?, ?) "
                "ON CONFLICT (scope) DO UPDATE SET value = excluded.value",
                values,
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return time.perf_counter() - started

    def _counter(self, scope: str) -> int:
        found = self.conn.execute("SELECT value FROM number_counters WHERE scope = ?", (scope,)).fetchone()
        return int(found[0]) if found else 0

    def close(self) -> None:
        self.conn.close()


def run(config: Path, db_path: Path, saves: int, *, warmup: int = 10, profile: Path | None = None) -> Result:
    from app.bootstrap import open_services
    from app.domain import Decision
    from app.intake.model import DecisionInput

    rng = random.Random(20261123)
    services = open_services(config, db_path.parent)
    try:
        user = services.accounts.login("wangli", CLERK_PASSWORD)
        ctx = load_context(db_path, services)
        conn = sqlite3.connect(db_path)
        try:
            top = conn.execute("SELECT max(rowid) FROM persons").fetchone()[0]
            picks = ",".join(str(rng.randrange(1, top + 1)) for _ in range(500))
            returning = [r[0] for r in conn.execute(f"SELECT id_number FROM persons WHERE rowid IN ({picks})")]
        finally:
            conn.close()
        raw = RawSaver(db_path, ctx, random.Random(7))
        profiler = cProfile.Profile() if profile else None
        service_times: list[float] = []
        raw_times: list[float] = []
        try:
            for i in range(warmup + saves):
                kind = _kind(rng)
                draft = _draft(rng, kind, returning)
                decision = DecisionInput(Decision(kind), rng.choice(REASONS) if kind == "refuse" else None)
                if profiler and i >= warmup:
                    profiler.enable()
                started = time.perf_counter()
                services.intake.decide(draft, decision, user)
                elapsed = time.perf_counter() - started
                if profiler:
                    profiler.disable()
                raw_elapsed = raw.save(kind)
                if i >= warmup:
                    service_times.append(elapsed)
                    raw_times.append(raw_elapsed)
        finally:
            raw.close()
        if profiler and profile:
            profiler.dump_stats(profile)
            pstats.Stats(str(profile)).sort_stats("cumulative").print_stats(30)
    finally:
        services.close()
    return Result(
        name="save an application",
        subject="IntakeService.decide (record + audit + outbox, one transaction)",
        baseline="raw sqlite3 inserts of the same rows, same pragmas",
        measured=Figures(service_times),
        base=Figures(raw_times),
        goal_ratio=10.0,
    )
