"""A busy window's year (issue 16, docs/performance.md "A store that stays small (issue 16)").

12,000 applications (48 a working day, 5 days a week, 50 weeks), each with its documents, all synced, written
into a real encrypted store made by the real start-up (``open_services``: a new store, so ``auto_vacuum =
INCREMENTAL``).  The rows come from bench/bigdb.py's generator (``executemany``, the same tables and columns as
db/models.py); each application gets the documents a decision issues, with the bytes of **real PDFs** rendered
once at the start by the real renderer (a 受理回执 and a 申请表 of a one-material item and of a household item,
91–103 KB and 63–83 KB), a ``document.issued`` outbox event and audit event for each.  "Synced" is marked as the
client marks an acknowledged event (state ``sent``, ``sent_at`` two minutes later, the case ``synced``); no server
is involved.

The year is played twice on fresh stores, week by week as the counter's hourly housekeeping would, on the week's
last evening:

- **before** (today's behaviour): the privacy purge after ``privacy.retention_days`` (190 days) only;
- **after**: the same purge, then the pruning (app/pruning.py) with 30 days of payload and document retention and
  its incremental vacuum.

Reported: the store file at the end of the year, the bytes per application beyond the retention window (the slope
of the file size against the number of cases past 30 days, measured between weeks 10 and 26 while nothing is purged
yet: what one more old case costs), the time the weekly housekeeping took, and a backup of the final store (a
compacted copy; ``backup.keep`` of them are kept, bounded by ``backup.max_total_mb``) separately.

    python -m bench --only year            # ~5 minutes
    python -m bench.store_year --weeks 10  # a quick look
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sqlite3
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from bench import bigdb
from bench.common import DEMO_DEPLOYMENT, VAULT_DIR_NAME, Result, machine_vault

PER_DAY = 48
WEEKS = 50
RETENTION_DAYS = 30
GOAL_FILE_BYTES = 300 * 1024 * 1024
GOAL_PER_APPLICATION = 5 * 1024
#: Slope window (weeks): after the retention window, before the purge's 190 days.
SLOPE_FROM, SLOPE_TO = 10, 26
FIRST_MONDAY = dt.date(2025, 1, 6)


DOCUMENT_COLUMNS = (
    "id",
    "application_id",
    "decision_id",
    "issue_key",
    "kind",
    "seq",
    "number",
    "paper",
    "sha256",
    "size",
    "page_count",
    "pdf",
    "created_at",
    "created_by",
    "handed_out",
)


@dataclass(frozen=True)
class Document:
    kind: str
    pdf: bytes
    pages: int
    sha256: str


@dataclass
class Year:
    """One played year: the file size each week and what the housekeeping did."""

    label: str
    sizes: list[int] = field(default_factory=list)  # store file (+ WAL) after each week's housekeeping
    old_cases: list[int] = field(default_factory=list)  # cases past the retention window held, each week
    housekeeping_seconds: float = 0.0
    purged: int = 0
    payloads: int = 0
    documents: int = 0
    backup_bytes: int = 0
    final_cases: int = 0
    #: The workstation's deployment file and store, kept for the measures on the pruned store.
    config: Path | None = None
    db_path: Path | None = None

    def slope(self) -> float:
        """Bytes per case past the retention window: file growth over growth in old cases, weeks 10 → 26."""
        a, b = min(SLOPE_FROM, len(self.sizes) - 2), min(SLOPE_TO, len(self.sizes) - 1)
        grown = self.old_cases[b] - self.old_cases[a]
        return (self.sizes[b] - self.sizes[a]) / grown if grown > 0 else float("nan")


def real_documents() -> list[list[Document]]:
    """The documents a decision issues, rendered by the real code: [receipt, form] of two items."""
    from app.bootstrap import open_services
    from app.demo import seed
    from bench.documents import _decide
    from db.models import DocumentRecord

    sets: list[list[Document]] = []
    with tempfile.TemporaryDirectory() as tmp:
        services = open_services(DEMO_DEPLOYMENT, Path(tmp))
        try:
            seed(services)
            user = services.accounts.login("wangli", "demo1234")
            for code in ("MZ-SHJZ-002", "MZ-SHJZ-001"):
                result = _decide(services, code)
                stored = services.documents.issue(result, user)
                with services.db.read() as session:
                    records = [session.get(DocumentRecord, uuid.UUID(str(d.id))) for d in stored]
                    sets.append(
                        [Document(r.kind, bytes(r.pdf), r.page_count, r.sha256) for r in records if r and r.pdf]
                    )
        finally:
            services.close()
    return sets


class Writer:
    """Appends a day's applications with their documents to the store, through a raw connection."""

    def __init__(self, db_path: Path, key: bytes, ctx: bigdb.Context, docs: list[list[Document]], seed: int) -> None:
        from db.engine import raw_connect

        self.conn = raw_connect(db_path, key)
        self.conn.isolation_level = None
        self.conn.execute("PRAGMA synchronous = OFF")  # a build, not a counter: the figures are sizes
        self.ctx = ctx
        self.docs = docs
        self.rng = random.Random(seed)
        self.people: list[bigdb.Person] = []
        self.taken: set[str] = set()
        self.factory = bigdb.RowFactory(ctx, self.rng, audit_seq=0, audit_hash=bigdb.AUDIT_GENESIS, outbox_seq=0)

    def close(self) -> None:
        self.conn.close()

    def _resume(self) -> None:
        """The housekeeping wrote audit events and may have removed outbox rows: continue after them."""
        self.factory.audit_seq, self.factory.audit_hash = bigdb.last_audit_event(self.conn)
        top = self.conn.execute("SELECT max(seq) FROM outbox").fetchone()[0]
        self.factory.outbox_seq = max(self.factory.outbox_seq, top or 0)

    def day(self, day: dt.date) -> None:
        self._resume()
        rows = bigdb.Rows()
        rows.tables["documents"] = []
        opening = dt.datetime.combine(day, dt.time(8, 30), bigdb.SHANGHAI)
        step = dt.timedelta(hours=8.5) / PER_DAY
        rng, factory = self.rng, self.factory
        for i in range(PER_DAY):
            when = opening + step * i + dt.timedelta(microseconds=rng.randrange(1_000_000))
            if self.people and rng.random() < 0.45:
                applicant = rng.choice(self.people)
            else:
                applicant = factory.new_person(rows, when, self.taken)
                self.people.append(applicant)
            roll = rng.random()
            kind = "accept" if roll < 0.8 else "supplement" if roll < 0.9 else "refuse"
            completed = dt.timedelta(days=rng.randrange(1, 10)) if kind == "supplement" and rng.random() < 0.9 else None
            app_id = factory.application(rows, when, applicant, None, kind, completed_after=completed, sent=True)
            app = rows.tables["applications"][-1]
            number, clerk = app[1], app[7]
            decision_id = next(d[0] for d in reversed(rows.tables["decisions"]) if d[1] == app_id)
            for seq, doc in enumerate(rng.choice(self.docs), start=1):
                doc_id = bigdb.hex_id()
                body = {
                    "acceptance_no": number,
                    "document_id": bigdb.dashed(doc_id),
                    "kind": doc.kind,
                    "number": f"{number}-{doc.kind}",
                    "page_count": doc.pages,
                    "paper": "a4",
                    "replaces": [],
                    "seq": 1,
                    "sha256": doc.sha256,
                    "size": len(doc.pdf),
                    "type": "document.issued",
                }
                event_id = factory.outbox(rows, when, app_id, body, True)
                factory.audit(
                    rows,
                    when,
                    clerk,
                    "document.issued",
                    app_id,
                    {"document": bigdb.dashed(doc_id), "kind": doc.kind, "seq": seq, "outbox_event": event_id},
                )
                rows.tables["documents"].append(
                    (
                        doc_id,
                        app_id,
                        decision_id,
                        f"{decision_id}:{doc.kind}",
                        doc.kind,
                        1,
                        body["number"],
                        "a4",
                        bytes.fromhex(doc.sha256),
                        len(doc.pdf),
                        doc.pages,
                        doc.pdf,
                        bigdb.db_time(when),
                        clerk,
                        0,
                    )
                )
        self.conn.execute("BEGIN")
        for table in bigdb.TABLES:
            if rows.tables[table]:
                self.conn.executemany(bigdb.INSERT[table], bigdb.stored(table, rows.tables[table]))
        self.conn.executemany(
            "INSERT INTO documents (id, application_id, decision_id, issue_key, kind, seq, number, paper, sha256, "
            "size, page_count, pdf, created_at, created_by, handed_out) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            bigdb.stored("documents", rows.tables["documents"], DOCUMENT_COLUMNS),
        )
        self.conn.executemany(
            "INSERT INTO number_counters (scope, value) VALUES (?, ?) "
            "ON CONFLICT (scope) DO UPDATE SET value = excluded.value",
            sorted(factory.counters.items()),
        )
        self.conn.execute("COMMIT")


def file_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())


def play(label: str, folder: Path, docs: list[list[Document]], weeks: int, *, prune: bool) -> Year:
    from app import pruning, retention
    from app.bootstrap import open_services

    config, db_path, ctx = bigdb.set_up_schema(folder)
    year = Year(label, config=config, db_path=db_path)
    with machine_vault(folder / VAULT_DIR_NAME):
        services = open_services(config, folder / "data")
    deployment = services.deployment
    assert (deployment.payload_retention_days, deployment.document_retention_days) == (RETENTION_DAYS,) * 2
    writer = Writer(db_path, services.db.key, ctx, docs, seed=7)
    try:
        for week in range(weeks):
            monday = FIRST_MONDAY + dt.timedelta(weeks=week)
            for d in range(5):
                writer.day(monday + dt.timedelta(days=d))
            evening = dt.datetime.combine(monday + dt.timedelta(days=4), dt.time(18, 0), bigdb.SHANGHAI)
            started = time.perf_counter()
            year.purged += retention.purge_closed(services.db, deployment, evening).count
            if prune:
                report = pruning.prune(services.db, deployment, evening)
                year.payloads += report.payloads
                year.documents += report.documents
            services.db.empty_wal()
            year.housekeeping_seconds += time.perf_counter() - started
            year.sizes.append(file_bytes(db_path))
            cutoff = bigdb.db_time(evening - dt.timedelta(days=RETENTION_DAYS))
            year.old_cases.append(
                writer.conn.execute("SELECT count(*) FROM applications WHERE received_at < ?", (cutoff,)).fetchone()[0]
            )
            print(
                f"\r  {label}: week {week + 1}/{weeks}, store {year.sizes[-1] / 2**20:,.0f} MB",
                end="",
                flush=True,
            )
        year.final_cases = writer.conn.execute("SELECT count(*) FROM applications").fetchone()[0]
        writer.close()
        backup = services.backup()
        assert backup is not None
        year.backup_bytes = backup.stat().st_size
    finally:
        services.close()
    print()
    return year


def run(
    weeks: int = WEEKS, *, saves: int = 200, lookups: int = 200, startup_runs: int = 10
) -> tuple[Year, Year, list[Result]]:
    """Both years, then the save, the history and the start-up on the pruned store (:func:`on_pruned_store`)."""
    started = time.perf_counter()
    docs = real_documents()
    sizes = ", ".join(f"{d.kind} {len(d.pdf) / 1024:.0f} KB" for s in docs for d in s)
    print(f"year of a busy window: {weeks * 5 * PER_DAY:,} applications, real PDFs ({sizes})")
    with tempfile.TemporaryDirectory(prefix="yimen-bench-year-") as tmp:
        before = play("before (purge only)", Path(tmp) / "before", docs, weeks, prune=False)
        shutil.rmtree(Path(tmp) / "before")
        after = play("after (purge + pruning)", Path(tmp) / "after", docs, weeks, prune=True)
        print(report(before, after, weeks))
        results = on_pruned_store(after, saves=saves, lookups=lookups, startup_runs=startup_runs)
    print(f"({time.perf_counter() - started:.0f} s)")
    return before, after, results


def on_pruned_store(year: Year, *, saves: int, lookups: int, startup_runs: int) -> list[Result]:
    """Where the bytes of the pruned store are (``dbstat`` on its plain twin), then the saves, the history lookups
    and the start-up of bench/saving.py, bench/history.py and bench/startup.py on it, each against its own
    same-run baseline: the history first (it reads the store as the year left it), then the start-up, then the
    saves (they add to it)."""
    from bench import history, saving, startup
    from bench.common import store_key

    assert year.config is not None and year.db_path is not None
    config, db_path = year.config, year.db_path
    twin = bigdb.plain_twin(db_path)
    bigdb.export_plain(db_path, store_key(config), twin)
    print(where_the_bytes_are(twin, year.final_cases))
    results = history.run(config, db_path, lookups)
    results += startup.run(startup_runs, big=(config, db_path.parent))  # an empty workstation's too, same run
    results += saving.run(config, db_path, saves)
    for result in results:
        result.name = (
            "start-up, empty workstation (same run)"
            if result.name == "start-up to login window"
            else "start-up, store after the year (pruned)"
            if result.name == "start-up, large database"
            else f"{result.name} (pruned store)"
        )
    return results


def where_the_bytes_are(plain: Path, cases: int, top: int = 16) -> str:
    """The largest tables and indexes of a plain (decrypted) copy by ``dbstat``, and per case held."""
    conn = sqlite3.connect(plain)
    try:
        rows = conn.execute(
            "SELECT name, sum(pgsize), sum(unused) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT ?", (top,)
        ).fetchall()
    finally:
        conn.close()
    lines = [f"  where the bytes are (dbstat, plain copy; per case of the {cases:,} held):"]
    lines += [
        f"    {name:44}{size / 2**20:>9,.1f} MB{size / max(cases, 1):>9,.0f} B/case"
        f"   unused {unused / max(size, 1):.0%}"
        for name, size, unused in rows
    ]
    return "\n".join(lines)


def report(before: Year, after: Year, weeks: int) -> str:
    mb = 2**20
    lines = [
        f"store_year: {weeks * 5 * PER_DAY:,} applications over {weeks} weeks, {RETENTION_DAYS} days of retention",
        f"  {'':28}{'before':>14}{'after':>14}",
        f"  {'store file at the end':28}{before.sizes[-1] / mb:>11,.1f} MB{after.sizes[-1] / mb:>11,.1f} MB"
        f"   goal ≤ {GOAL_FILE_BYTES // mb} MB: {'met' if after.sizes[-1] <= GOAL_FILE_BYTES else 'NOT MET'}",
        f"  {'bytes per case past 30 days':28}{before.slope() / 1024:>11,.1f} KB{after.slope() / 1024:>11,.1f} KB"
        f"   goal ≤ {GOAL_PER_APPLICATION // 1024} KB: {'met' if after.slope() <= GOAL_PER_APPLICATION else 'NOT MET'}",
        f"  {'cases held at the end':28}{before.final_cases:>14,}{after.final_cases:>14,}",
        f"  {'one backup at the end':28}{before.backup_bytes / mb:>11,.1f} MB{after.backup_bytes / mb:>11,.1f} MB",
        f"  {'weekly housekeeping, total':28}{before.housekeeping_seconds:>12,.1f} s"
        f"{after.housekeeping_seconds:>12,.1f} s",
        f"  purged cases {before.purged:,} / {after.purged:,}; pruned {after.payloads:,} payloads and "
        f"{after.documents:,} PDFs",
        "  store size by week (MB, after): " + " ".join(f"{s / mb:.0f}" for s in after.sizes),
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.store_year", description=__doc__.split("\n")[0])
    parser.add_argument("--weeks", type=int, default=WEEKS)
    parser.add_argument("--saves", type=int, default=200)
    parser.add_argument("--lookups", type=int, default=200)
    parser.add_argument("--startup-runs", type=int, default=10)
    args = parser.parse_args(argv)
    for result in run(args.weeks, saves=args.saves, lookups=args.lookups, startup_runs=args.startup_runs)[2]:
        print(f"  {result.name}: {result.ratio:.1f}× {result.goal_on} (goal ≤ {result.goal_ratio}×)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
