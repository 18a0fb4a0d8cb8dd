"""Start-up of the frozen bundle against the same program run from source, in the same run (goal ≤ 1.2×).

    python -m bench.startup_frozen [--bundle dist/yimen] [--runs 10]

Without ``--bundle`` the bundle is built first (installer/bundle.py) into a temporary folder, and its build time and
size are reported too.  Both sides start the real entry point on the same bench workstation (bench/startup.py's
fresh workstation: production deployment, schema, catalog and clerks in place, its own machine vault): from source
``python -m ui --config … --data-dir …``, frozen ``yimen --config … --data-dir …``.  A frozen program cannot take
bench/startup.py's probe (it has no ``python -c``), so both sides are timed by the same outside signal: Qt's own
painting log (``QT_LOGGING_RULES=qt.widgets.painting=true``) reports when the login dialog's first full paint is
flushed to the (offscreen) screen; spawn → that line is the figure.  The log adds the same small cost to both.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.common import REPO, Figures, Result, git_revision, machine, table, vault_env, vault_for

#: Qt's log line when the login dialog's first full paint goes to the screen.
SHOWN = ("top level LoginDialog", 'name="login"')


def time_to_login(command: list[str], env: dict[str, str]) -> float:
    """Seconds from spawning ``command`` to the login dialog on screen; the process is killed afterwards."""
    env = dict(env, QT_LOGGING_RULES="qt.widgets.painting=true")
    started = time.perf_counter()
    proc = subprocess.Popen(
        command,
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        errors="replace",
    )
    guard = threading.Timer(120, proc.kill)
    guard.start()
    shown_at = None
    tail: list[str] = []
    try:
        assert proc.stderr is not None
        for line in proc.stderr:
            if all(part in line for part in SHOWN):
                shown_at = time.perf_counter() - started
                break
            if not line.startswith("qt.widgets.painting"):
                tail = [*tail[-20:], line.rstrip()]
    finally:
        guard.cancel()
        proc.kill()
        proc.wait()
        if proc.stderr is not None:
            proc.stderr.close()
    if shown_at is None:
        raise RuntimeError("the login window did not appear:\n" + "\n".join(tail))
    return shown_at


def _clean_open_tags(data: Path) -> None:
    """The open-file tags a clean exit would have removed (app/integrity.py): every start is after a clean stop."""
    for tag in (data / ".open").glob("*"):
        tag.unlink(missing_ok=True)


def run(runs: int, bundle: Path) -> list[Result]:
    from bench.startup import fresh_workstation
    from installer.bundle import executable

    with tempfile.TemporaryDirectory(prefix="yimen-bench-frozen-") as tmp:
        config, data = fresh_workstation(Path(tmp))
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", YIMEN_LOG_DIR=str(Path(tmp) / "logs"))
        env.update(vault_env(vault_for(config)))
        location = ["--config", str(config), "--data-dir", str(data)]
        source = [sys.executable, "-m", "ui", *location]
        frozen = [str(executable(bundle)), *location]
        # One warm-up each (bytecode compiled, files in the page cache), then alternate to share any drift.
        for command in (source, frozen):
            time_to_login(command, env)
            _clean_open_tags(data)
        source_times: list[float] = []
        frozen_times: list[float] = []
        for _ in range(runs):
            source_times.append(time_to_login(source, env))
            _clean_open_tags(data)
            frozen_times.append(time_to_login(frozen, env))
            _clean_open_tags(data)
    return [
        Result(
            name="frozen start-up to login window",
            subject="frozen bundle: spawn to the login dialog painted",
            baseline="python -m ui from source: the same",
            measured=Figures(frozen_times),
            base=Figures(source_times),
            goal_ratio=1.2,
            goal_on="median",
            notes=[f"bundle: {bundle}", "signal: Qt's qt.widgets.painting log, first flush of LoginDialog"],
        )
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.startup_frozen", description=__doc__.split("\n")[0])
    parser.add_argument("--bundle", type=Path, help="a built bundle folder (…/yimen); default: build one now")
    parser.add_argument("--runs", type=int, default=10, help="fresh processes per side")
    args = parser.parse_args(argv)
    from installer.bundle import build_bundle, describe

    print(f"Yimen frozen start-up — revision {git_revision()}, machine: {machine()}")
    with tempfile.TemporaryDirectory(prefix="yimen-bench-bundle-") as tmp:
        folder = args.bundle
        if folder is None:
            built = build_bundle(Path(tmp))
            folder = built.folder
            print(f"bundle built in {built.seconds:.0f} s ({built.arch})")
        print(describe(folder, 15))
        results = run(args.runs, folder)
    print(table(results))
    for result in results:
        for note in result.notes:
            print(f"  {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
