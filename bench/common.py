"""Shared pieces of the benchmarks: paths, the bench deployment file, the machine vault of a bench workstation and
the raw connections of the baselines, figures (median, p95) and the result table."""

from __future__ import annotations

import contextlib
import math
import os
import platform
import sqlite3
import statistics
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
    # Production requires IT's recovery key (backups are sealed to it): a pair of the bench's own, whose private half
    # is not kept (nobody restores a bench backup).
    from app.security.crypto import new_recovery_identity

    text += f'\n[backup]\nrecovery_public_key = "{new_recovery_identity()[1]}"\n'
    path = folder / f"yimen-{center}-{workstation}.toml"
    path.write_text(text, encoding="utf-8")
    return path


# -- the machine vault and the raw connections ------------------------------------------------------------------
#
# A bench workstation is a folder holding its deployment file, ``data/`` and ``vault/``: the machine vault
# (app/security/vault.py) with the store's key and the marker of that store.  The vault goes wherever the data
# folder goes (a cached database and its working copies each have their own), since the marker follows the store.

VAULT_DIR_NAME = "vault"


def vault_for(config: Path) -> Path:
    """The machine vault of the bench workstation whose deployment file is ``config``."""
    return config.parent / VAULT_DIR_NAME


@contextlib.contextmanager
def machine_vault(folder: Path) -> Iterator[Path]:
    """Use the vault in ``folder`` (``YIMEN_VAULT_DIR``, and a runtime folder beside it that holds nothing) in this
    process and in the children it starts meanwhile; the environment is put back afterwards."""
    from app.security.vault import RUNTIME_ENV, VAULT_ENV

    saved = {name: os.environ.get(name) for name in (VAULT_ENV, RUNTIME_ENV)}
    os.environ[VAULT_ENV] = str(folder)
    os.environ[RUNTIME_ENV] = str(folder.with_name(folder.name + "-run"))
    try:
        yield folder
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def vault_env(folder: Path) -> dict[str, str]:
    """The environment of a child process that uses the vault in ``folder``."""
    from app.security.vault import RUNTIME_ENV, VAULT_ENV

    return {VAULT_ENV: str(folder), RUNTIME_ENV: str(folder.with_name(folder.name + "-run"))}


def store_key(config: Path) -> bytes:
    """The store key of the bench workstation whose deployment file is ``config`` (made with its store)."""
    from app.security.vault import Vault

    return Vault(vault_for(config), runtime=vault_for(config).with_name(VAULT_DIR_NAME + "-run")).key("store.key")


def _engine_pragmas(conn: Any) -> None:
    from db.engine import BUSY_TIMEOUT_MS

    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")


def raw_sqlite(path: Path) -> sqlite3.Connection:
    """The plain baseline: the standard library's sqlite3 on a plain file, with db/engine.py's pragmas (WAL,
    ``synchronous=FULL``, foreign keys, busy timeout), autocommit (the caller says BEGIN)."""
    from db.engine import BUSY_TIMEOUT_MS

    conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    _engine_pragmas(conn)
    return conn


def raw_sqlcipher(path: Path, key: bytes) -> Any:
    """The SQLCipher baseline: the encrypted store through ``db.engine.raw_connect`` (SQLCipher 4, the raw key) with
    the same pragmas, autocommit."""
    from db.engine import raw_connect

    conn = raw_connect(path, key)
    conn.isolation_level = None
    _engine_pragmas(conn)
    return conn


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


def cipher_note(what: str, cipher: Figures, plain: Figures) -> str:
    """The SQLCipher floor of a benchmark beside its plain floor: what the encryption costs a raw query."""
    return (
        f"raw SQLCipher ({what}): median {ms(cipher.median)}, p95 {ms(cipher.p95)} — the encryption's cost on the "
        f"raw floor: {cipher.median / plain.median:.1f}× on the median, {cipher.p95 / plain.p95:.1f}× on the p95"
    )


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
    import sqlcipher3

    cipher = sqlcipher3.connect(":memory:")
    try:
        cipher_version = cipher.execute("PRAGMA cipher_version").fetchone()[0]
    finally:
        cipher.close()
    return (
        f"{os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, SQLite {sqlite3.sqlite_version} "
        f"(plain baseline), SQLCipher {cipher_version} on SQLite {sqlcipher3.sqlite_version} (the store), "
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
