"""Shared pieces of the benchmarks: paths, the bench deployment file, figures (median, p95) and the result table."""

from __future__ import annotations

import math
import os
import platform
import statistics
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH_DATA = REPO / "bench-data"  # gitignored: generated databases are cached here
DEMO_DEPLOYMENT = REPO / "resources" / "demo" / "deployment.toml"


def deployment_file(folder: Path, *, workstation: str = "003", center: str = "310104003") -> Path:
    """A production deployment file like IT writes (the demo file, with demo mode off)."""
    folder.mkdir(parents=True, exist_ok=True)
    text = DEMO_DEPLOYMENT.read_text(encoding="utf-8")
    text = text.replace('mode = "demo"', 'mode = "production"')
    text = text.replace('"file:printed"', '""')  # the file printer is a demo part, refused in production
    text = text.replace('code = "003"', f'code = "{workstation}"').replace('code = "310104003"', f'code = "{center}"')
    # The seal image is named relative to the deployment file: name the demo's wherever the copy is written.
    text = text.replace('seal_image = "seal.png"', f'seal_image = "{(DEMO_DEPLOYMENT.parent / "seal.png").as_posix()}"')
    path = folder / f"yimen-{center}-{workstation}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100): with 200 samples p95 is the 190th fastest."""
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass
class Figures:
    """Timings of one thing, in seconds."""

    samples: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        return percentile(self.samples, 95)

    @property
    def mean(self) -> float:
        return statistics.fmean(self.samples)


@dataclass
class Result:
    """One benchmark: the measured thing against its baseline from the same run, and the goal on the ratio."""

    name: str
    subject: str
    baseline: str
    measured: Figures
    base: Figures
    goal_ratio: float | None  # None: a figure to watch, no goal set
    goal_on: str = "p95"  # "median" or "p95"
    notes: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        if self.goal_on == "median":
            return self.measured.median / self.base.median
        return self.measured.p95 / self.base.p95

    @property
    def met(self) -> bool | None:
        return None if self.goal_ratio is None else self.ratio <= self.goal_ratio


def ms(seconds: float) -> str:
    value = seconds * 1000
    return f"{value:,.0f} ms" if value >= 100 else f"{value:,.2f} ms"


def table(results: list[Result]) -> str:
    head = ("benchmark", "n", "median", "p95", "baseline median", "baseline p95", "ratio", "goal", "met")
    rows = [head]
    for r in results:
        rows.append(
            (
                r.name,
                f"{len(r.measured.samples)}/{len(r.base.samples)}",
                ms(r.measured.median),
                ms(r.measured.p95),
                ms(r.base.median),
                ms(r.base.p95),
                f"{r.ratio:.1f}× ({r.goal_on})",
                "—" if r.goal_ratio is None else f"≤ {r.goal_ratio:g}×",
                "—" if r.met is None else "yes" if r.met else "NO",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    lines = []
    for n, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)))
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            models = [line.split(":", 1)[1].strip() for line in info if line.startswith("model name")]
        if models:
            cpu = models[0]
    except OSError:
        pass
    import sqlite3

    return (
        f"{os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"{platform.system()} {platform.release()}"
    )


def git_revision() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, check=False
        )
        return out.stdout.strip() or "unknown"
    except OSError:
        return "unknown"
