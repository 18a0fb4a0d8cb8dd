"""Saving an application through IntakeService.decide against raw inserts of the same rows, two baselines of the
same run (issue 12):

- **plain sqlite3** (the goal's baseline, as before the store was encrypted): the standard library's sqlite3 on
  the store's plain twin (bench/bigdb.py), a plain SQLite file with the same rows;
- **raw SQLCipher**: ``db.engine.raw_connect`` with the store's key, writing into the encrypted store itself, so
  it shares the WAL, its checkpoints and the page cache with the service.

The three alternate (service, plain, SQLCipher, service, …).  The service call is timed whole (as the clerk waits
for it: validation, the duplicate check, the ORM, the audit chain, the protocol event, the commit).  A raw save is
one ``BEGIN IMMEDIATE`` transaction with the engine's pragmas (WAL, ``synchronous=FULL``, foreign keys, busy
timeout) doing only what any correct implementation must: read the day's counter, the last audit hash and the last
outbox sequence, look the person up by ID number, insert the person, application, party, material lines, decision,
audit event and outbox entry (rows made by bench/bigdb.py's RowFactory before the clock starts), update the
counter, commit.  Both raw savers make the same rows (the same seed), so their difference is the encryption's.
"""

from __future__ import annotations

import cProfile
import datetime as dt
import pstats
import random
import time
from pathlib import Path
from typing import Any

from bench.bigdb import (
    CLERK_PASSWORD,
    INSERT,
    SHANGHAI,
    TABLES,
    Context,
    RowFactory,
    Rows,
    last_audit_event,
    load_context,
    plain_twin,
    stored,
)
from bench.common import Figures, Result, cipher_note, machine_vault, raw_sqlcipher, raw_sqlite, vault_for

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
    """The floor: the same rows through a raw connection configured like db/engine.py (bench/common.py's
    ``raw_sqlite`` on the plain twin, or ``raw_sqlcipher`` on the store)."""

    def __init__(self, conn: Any, ctx: Context, rng: random.Random) -> None:
        self.conn = conn
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
        factory.audit_seq, factory.audit_hash = last_audit_event(conn)
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
            assert last[0] == rows.tables["audit_events"][0][0] - 1 and last[1] == rows.tables["audit_events"][0][8]
            top = conn.execute("SELECT max(seq) FROM outbox").fetchone()[0]
            assert top == rows.tables["outbox"][0][1] - 1
            assert conn.execute("SELECT id FROM persons WHERE id_number = ?", (person.id_number,)).fetchone() is None
            for table in TABLES:
                if rows.tables[table]:
                    conn.executemany(INSERT[table], stored(table, rows.tables[table]))
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


def run(config: Path, db_path: Path, saves: int, *, warmup: int = 10, profile: Path | None = None) -> list[Result]:
    with machine_vault(vault_for(config)):
        return _run(config, db_path, saves, warmup=warmup, profile=profile)


def _run(config: Path, db_path: Path, saves: int, *, warmup: int, profile: Path | None) -> list[Result]:
    from app.bootstrap import open_services
    from app.domain import Decision
    from app.intake.model import DecisionInput

    rng = random.Random(20261123)
    services = open_services(config, db_path.parent)
    try:
        user = services.accounts.login("wangli", CLERK_PASSWORD)
        ctx = load_context(db_path, services)
        key = services.db.key
        conn = raw_sqlcipher(db_path, key)
        try:
            top = conn.execute("SELECT max(rowid) FROM persons").fetchone()[0]
            picks = ",".join(str(rng.randrange(1, top + 1)) for _ in range(500))
            returning = [r[0] for r in conn.execute(f"SELECT id_number FROM persons WHERE rowid IN ({picks})")]
        finally:
            conn.close()
        # The same seed: both raw savers make the same rows, one into the plain twin, one into the store.
        plain = RawSaver(raw_sqlite(plain_twin(db_path)), ctx, random.Random(7))
        cipher = RawSaver(raw_sqlcipher(db_path, key), ctx, random.Random(7))
        profiler = cProfile.Profile() if profile else None
        service_times: list[float] = []
        plain_times: list[float] = []
        cipher_times: list[float] = []
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
                plain_elapsed = plain.save(kind)
                cipher_elapsed = cipher.save(kind)
                if i >= warmup:
                    service_times.append(elapsed)
                    plain_times.append(plain_elapsed)
                    cipher_times.append(cipher_elapsed)
        finally:
            plain.close()
            cipher.close()
        if profiler and profile:
            profiler.dump_stats(profile)
            pstats.Stats(str(profile)).sort_stats("cumulative").print_stats(30)
    finally:
        services.close()
    measured, base_plain, base_cipher = Figures(service_times), Figures(plain_times), Figures(cipher_times)
    floor = cipher_note("same rows into the store, same pragmas", base_cipher, base_plain)
    subject = "IntakeService.decide (record + audit + outbox, one transaction) on the encrypted store"
    return [
        Result(
            name="save an application",
            subject=subject,
            baseline="raw plain sqlite3 inserts of the same rows into the plain twin, same pragmas",
            measured=measured,
            base=base_plain,
            goal_ratio=10.0,
            notes=[floor],
        ),
        Result(
            name="save, vs raw SQLCipher",
            subject=subject,
            baseline="raw SQLCipher inserts of the same rows into the store, same pragmas",
            measured=measured,
            base=base_cipher,
            goal_ratio=None,
        ),
    ]
