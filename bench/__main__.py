"""``make bench``: run the benchmarks and print each figure beside its baseline from the same run.

    python -m bench                      # 1,000,000 applications (built once, then cached in bench-data/)
    python -m bench --size 100000        # a quicker run
    python -m bench --only save history  # some of them
    python -m bench --profile            # also cProfile the service calls (bench-data/profile-*.pstats)
    python -m bench --only summary center report   # the supervisor's figures (issue 14)
    python -m bench --only frozen --bundle dist/yimen   # the frozen app's start-up against the source (issue 15)
    python -m bench --only day           # the real window through a day: memory and preview latency (issue 16)
    python -m bench --only year          # the store after a busy window's year, before and after pruning (issue 16)

Never part of ``make test``: timings are printed, not asserted (ARCHITECTURE.md, bench/).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

from bench import bigdb, day, documents, history, saving, startup, startup_frozen, store_year, supervisor, sync
from bench.common import BENCH_DATA, Result, git_revision, machine, ms, table

BENCHMARKS = (
    "startup",
    "frozen",
    "save",
    "history",
    "summary",
    "documents",
    "report",
    "push",
    "city",
    "center",
    "year",
    "day",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=1_000_000, help="applications in the large database")
    parser.add_argument("--saves", type=int, default=200, help="measured saves (and as many raw ones)")
    parser.add_argument("--lookups", type=int, default=200, help="measured history lookups")
    parser.add_argument("--startup-runs", type=int, default=10, help="fresh processes per start-up variant")
    parser.add_argument("--renders", type=int, default=200, help="measured renders per document benchmark")
    parser.add_argument("--push-events", type=int, default=10_000, help="queued events in the push benchmark")
    parser.add_argument("--push-rounds", type=int, default=3, help="rounds of the push benchmark, per framing")
    parser.add_argument("--city-devices", type=int, default=5_000, help="enrolled devices in the city morning")
    parser.add_argument("--city-pushing", type=int, default=200, help="devices pushing at once in the city morning")
    parser.add_argument("--city-applications", type=int, default=50_000, help="applications pushed in the morning")
    parser.add_argument("--summaries", type=int, default=50, help="measured day summaries (random days)")
    parser.add_argument("--center-size", type=int, default=2_000_000, help="applications on the server (center)")
    parser.add_argument("--center-runs", type=int, default=50, help="measured center figures (random center-days)")
    parser.add_argument("--no-http", action="store_true", help="center figures: skip the measure over HTTP")
    parser.add_argument("--reports", type=int, default=20, help="measured daily report renders")
    parser.add_argument("--year-weeks", type=int, default=store_year.WEEKS, help="working weeks of the store's year")
    parser.add_argument("--day-applications", type=int, default=200, help="applications in the counter's day")
    parser.add_argument("--bundle", type=Path, help="frozen start-up: a built bundle folder (default: build one)")
    parser.add_argument("--only", nargs="+", choices=BENCHMARKS, default=list(BENCHMARKS))
    parser.add_argument(
        "--rebuild", action="store_true", help="regenerate the cached large database (and the kept server database)"
    )
    parser.add_argument("--profile", action="store_true", help="cProfile the service calls")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    print(f"Yimen benchmarks — {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}, revision {git_revision()}")
    print(f"machine: {machine()}")
    print(f"large database: {args.size:,} applications\n")
    results: list[Result] = []
    started = time.perf_counter()

    big = None
    wants_big = {"save", "history", "summary"} & set(args.only)
    if wants_big or ("startup" in args.only and bigdb.cache_dir(args.size).exists()):
        t = time.perf_counter()
        config, db_path = bigdb.working_copy(
            args.size,
            BENCH_DATA / "work",
            rebuild=args.rebuild,
            plain=bool(wants_big),
        )
        print(f"working copy of the large database ready ({time.perf_counter() - t:.0f} s): {db_path}\n")
        big = (config, db_path.parent)

    def report(result: Result) -> None:
        results.append(result)
        print(f"{result.name}: {result.subject}")
        print(f"  median {ms(result.measured.median)}, p95 {ms(result.measured.p95)}")
        print(f"  baseline ({result.baseline}): median {ms(result.base.median)}, p95 {ms(result.base.p95)}")
        other = (
            result.measured.p95 / result.base.p95
            if result.goal_on == "median"
            else result.measured.median / result.base.median
        )
        other_name = "p95" if result.goal_on == "median" else "median"
        print(
            f"  ratio {result.ratio:.1f}× on the {result.goal_on} ({other:.1f}× on the {other_name}); "
            + (
                "no goal set"
                if result.goal_ratio is None
                else f"goal ≤ {result.goal_ratio:g}×: {'met' if result.met else 'NOT MET'}"
            )
        )
        for note in result.notes:
            print(f"  {note}")
        print(flush=True)

    if "startup" in args.only:
        for result in startup.run(args.startup_runs, big=big):
            report(result)
    if "frozen" in args.only:
        from installer.bundle import build_bundle

        with tempfile.TemporaryDirectory(prefix="yimen-bench-bundle-") as tmp:
            folder = args.bundle or build_bundle(Path(tmp)).folder
            for result in startup_frozen.run(args.startup_runs, folder):
                report(result)
    if big is not None and "history" in args.only:
        # History first: it reads the database exactly as generated, before the saves add to it.
        profile = BENCH_DATA / "profile-history.pstats" if args.profile else None
        for result in history.run(big[0], big[1] / "yimen.sqlite3", args.lookups, profile=profile):
            report(result)
    if big is not None and "summary" in args.only:
        # Before the saves too: the summary reads the days as generated (with ratings added to the working copy).
        profile = BENCH_DATA / "profile-summary.pstats" if args.profile else None
        for result in supervisor.run_summary(big[0], big[1] / "yimen.sqlite3", args.summaries, profile=profile):
            report(result)
    if big is not None and "save" in args.only:
        profile = BENCH_DATA / "profile-save.pstats" if args.profile else None
        for result in saving.run(big[0], big[1] / "yimen.sqlite3", args.saves, profile=profile):
            report(result)

    if "documents" in args.only:
        for result in documents.run(args.renders):
            report(result)

    if "report" in args.only:
        for result in supervisor.run_report(args.reports):
            report(result)

    if "push" in args.only:
        for result in sync.run_push(args.push_events, args.push_rounds):
            report(result)
    if "city" in args.only:
        for result in sync.run_city(args.city_devices, args.city_pushing, args.city_applications):
            report(result)

    if "center" in args.only:
        for result in supervisor.run_center(
            args.center_size, args.center_runs, rebuild=args.rebuild, http=not args.no_http
        ):
            report(result)

    if "year" in args.only:
        # The store after a busy window's year, before and after pruning (issue 16), then the save, the history
        # and the start-up on the pruned store against their same-run baselines.
        for result in store_year.run(
            args.year_weeks, saves=args.saves, lookups=args.lookups, startup_runs=args.startup_runs
        )[2]:
            report(result)

    if "day" in args.only:
        for result in day.run(args.day_applications):
            report(result)

    print(table(results))
    print(f"\n({time.perf_counter() - started:.0f} s in all)")
    return 0  # figures, not a gate: a missed goal is read and explained in docs/performance.md


if __name__ == "__main__":
    sys.exit(main())
