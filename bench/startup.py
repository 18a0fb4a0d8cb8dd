"""Start-up: a fresh process to a usable login window, against a bare PySide6 window in a fresh process.

"Usable" means what the clerk needs before typing a name: the deployment read, the database opened and its schema
checked (migrations), the catalog reconciled, the Qt application styled and translated, the login dialog shown
and exposed.  The child reports the moment it is ready on stdout; the parent times spawn → that line, so the
interpreter's own start-up and every import are inside the figure, as a clerk would feel them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import REPO, Figures, Result

# Follows ui/app.py run_gui() up to the login dialog (each step optional while the UI is being written).
APP = r"""
import json, os, sys, time
t0 = time.perf_counter()
from pathlib import Path
from PySide6.QtWidgets import QApplication
from PySide6.QtTest import QTest
steps = []
app = QApplication(sys.argv[:1])
try:
    from ui.style import apply_style
    apply_style(app)
    steps.append("style")
except ImportError:
    pass
t_qt = time.perf_counter()
from app.bootstrap import open_services
t_core = time.perf_counter()
services = open_services(Path(sys.argv[1]), Path(sys.argv[2]))
t_open = time.perf_counter()
try:
    from ui.i18n import choose_language, install_translators
    install_translators(app, choose_language(services.deployment.language))
    steps.append("translations")
except ImportError:
    pass
try:
    from ui.login import LoginDialog
    from ui.tasks import TaskRunner
    window = LoginDialog(services, TaskRunner())
    steps.append("LoginDialog")
except ImportError as exc:
    from PySide6.QtWidgets import QWidget
    window = QWidget()
    steps.append(f"QWidget (ui.login not importable: {exc})")
window.show()
QTest.qWaitForWindowExposed(window)
app.processEvents()
t_ready = time.perf_counter()
phases = {"qt": t_qt - t0, "import_core": t_core - t_qt, "open_services": t_open - t_core, "window": t_ready - t_open}
print("READY " + json.dumps({"steps": steps, "phases": phases}), flush=True)
os._exit(0)
"""

BARE = r"""
import os, sys
from PySide6.QtWidgets import QApplication, QWidget
from PySide6.QtTest import QTest
app = QApplication(sys.argv[:1])
window = QWidget()
window.resize(420, 300)
window.show()
QTest.qWaitForWindowExposed(window)
app.processEvents()
print("READY {}", flush=True)
os._exit(0)
"""


def _time_process(code: str, *args: str) -> tuple[float, dict[str, object]]:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *args],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - started
    _, err = proc.communicate(timeout=120)
    if not line.startswith("READY "):
        raise RuntimeError(f"start-up benchmark child failed:\n{err}")
    return elapsed, json.loads(line[len("READY ") :])


def fresh_workstation(folder: Path) -> tuple[Path, Path]:
    """An installed workstation: schema, catalog and clerks in place (the first start is not what we time)."""
    from bench.bigdb import set_up_schema

    config, db_path, _ = set_up_schema(folder)
    return config, db_path.parent


def run(runs: int, *, big: tuple[Path, Path] | None = None) -> list[Result]:
    results = []
    with tempfile.TemporaryDirectory(prefix="yimen-bench-startup-") as tmp:
        config, data_dir = fresh_workstation(Path(tmp))
        targets = [("start-up to login window", config, data_dir)]
        if big is not None:
            targets.append(("start-up, large database", big[0], big[1]))
        for name, cfg, data in targets:
            # One warm-up each (bytecode compiled, files in the page cache), then alternate to share any drift.
            _time_process(BARE)
            _time_process(APP, str(cfg), str(data))
            app_times: list[float] = []
            bare_times: list[float] = []
            phases: list[dict[str, float]] = []
            steps: list[str] = []
            for _ in range(runs):
                elapsed, info = _time_process(APP, str(cfg), str(data))
                app_times.append(elapsed)
                phases.append(info["phases"])  # type: ignore[arg-type]
                steps = info["steps"]  # type: ignore[assignment]
                bare_times.append(_time_process(BARE)[0])
            notes = ["measured: " + " + ".join(["QApplication", "open_services", *steps])]
            mean_phase = {k: sum(p[k] for p in phases) / len(phases) for k in phases[0]}
            notes.append(
                "mean phases inside the child (after interpreter start): "
                + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in mean_phase.items())
            )
            results.append(
                Result(
                    name=name,
                    subject="fresh process to exposed login dialog",
                    baseline="fresh process to exposed bare QWidget",
                    measured=Figures(app_times),
                    base=Figures(bare_times),
                    goal_ratio=2.0,
                    goal_on="median",
                    notes=notes,
                )
            )
    return results
