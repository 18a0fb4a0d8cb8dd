"""Start-up: a fresh process to a usable login window, against a bare PySide6 window in a fresh process.

The child runs the real entry point (``ui.__main__.main`` → ``ui.app.run_gui``): options, logging, the Qt
application styled and translated, the deployment read, the login dialog shown — while the services (database
opened, schema checked, catalog reconciled) open on the database worker.  "Usable" means what the clerk needs before
typing a name: the dialog exposed and its user-name input taking a key.  The child reports that moment on stdout,
then a second line when the services have reached the dialog (from then on 登录 does not wait); the parent times
spawn → each line, so the interpreter's own start-up and every import are inside the figures, as a clerk would
feel them.

Each workstation has its own machine vault (bench/common.py), handed to the child through ``YIMEN_VAULT_DIR``: the
services open the encrypted store with its key.  The child ends with ``os._exit``, which leaves its open-file tag in
``<data>/.open`` (app/integrity.py); the parent removes it, as a clean exit would, so that every start is a start
after a clean stop (an unclean one adds a ``quick_check`` of the whole store to the services' opening).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import REPO, Figures, Result, ms, vault_env, vault_for

# A probe runs in the first event loop of run_gui (the login dialog's): it waits until the dialog is exposed, types a
# key into the user name, prints READY, then prints OPENED when the dialog has its services.  A start-up error
# dialog instead of the login dialog ends the child with FAILED.
APP = r"""
import json, os, sys, time
t0 = time.perf_counter()
from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
t_qt = time.perf_counter()
marks = {}

def fail(what):
    print("FAILED " + what, flush=True)
    os._exit(3)

def probe():
    marks["loop"] = time.perf_counter()
    dialogs = [w for w in QApplication.topLevelWidgets() if w.objectName() == "login" and w.isVisible()]
    if not dialogs:
        fail("no login dialog: " + repr([w.objectName() for w in QApplication.topLevelWidgets() if w.isVisible()]))
    dialog = dialogs[0]
    QTest.qWaitForWindowExposed(dialog)
    app.processEvents()
    QTest.keyClicks(dialog.username, "w")
    if dialog.username.text() != "w":
        fail("the user name does not take keys")
    dialog.username.clear()
    t_ready = time.perf_counter()
    phases = {"qt": t_qt - t0, "imports_to_loop": marks["loop"] - t_qt, "window": t_ready - marks["loop"]}
    print("READY " + json.dumps({"phases": phases, "ready_when_shown": dialog.ready}), flush=True)

    def opened():
        print("OPENED " + json.dumps({"after_window": time.perf_counter() - t_ready}), flush=True)
        os._exit(0)

    if dialog.ready:
        opened()
    dialog.services_ready.connect(opened)

QTimer.singleShot(0, probe)
import ui.app
ui.app.show_startup_error = lambda error: fail(error.message.render())
from ui.__main__ import main
main(["--config", sys.argv[1], "--data-dir", sys.argv[2]])
fail("run_gui returned")
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


def _time_process(code: str, *args: str, vault: Path | None = None) -> tuple[list[float], list[dict[str, object]]]:
    """Spawn a child; return the time from spawn to each of its READY/OPENED lines, and what each line carried.
    ``vault``: the machine vault of the workstation the child opens."""
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    if vault is not None:
        env.update(vault_env(vault))
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
    times: list[float] = []
    infos: list[dict[str, object]] = []
    line = ""
    for line in proc.stdout:
        kind, _, payload = line.partition(" ")
        if kind not in ("READY", "OPENED"):
            break
        times.append(time.perf_counter() - started)
        infos.append(json.loads(payload))
        if kind == "OPENED" or code is BARE:
            break
    _, err = proc.communicate(timeout=120)
    if not times or (code is APP and len(times) < 2):
        raise RuntimeError(f"start-up benchmark child failed:\n{line}{err}")
    if code is APP:
        for tag in (Path(args[1]) / ".open").glob("*"):  # what the child's clean exit would have removed
            tag.unlink(missing_ok=True)
    return times, infos


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
            vault = vault_for(cfg)
            _time_process(BARE)
            _time_process(APP, str(cfg), str(data), vault=vault)
            app_times: list[float] = []
            opened_times: list[float] = []
            bare_times: list[float] = []
            phases: list[dict[str, float]] = []
            ready_when_shown = 0
            for _ in range(runs):
                (window_at, opened_at), (window, _opened) = _time_process(APP, str(cfg), str(data), vault=vault)
                app_times.append(window_at)
                opened_times.append(opened_at)
                phases.append(window["phases"])  # type: ignore[arg-type]
                ready_when_shown += bool(window["ready_when_shown"])
                bare_times.append(_time_process(BARE)[0][0])
            opened = Figures(opened_times)
            notes = [
                "measured: ui.__main__.main → run_gui: QApplication, style, translations, load_deployment, "
                "LoginDialog shown and exposed, its user name taking a key (open_services on the database worker)",
                f"services ready in the dialog (登录 no longer waits): median {ms(opened.median)}, "
                f"p95 {ms(opened.p95)} after spawn",
            ]
            if ready_when_shown:
                notes.append(f"{ready_when_shown} of {runs} runs had the services before the window was usable")
            mean_phase = {k: sum(p[k] for p in phases) / len(phases) for k in phases[0]}
            notes.append(
                "mean phases inside the child (after interpreter start): "
                + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in mean_phase.items())
            )
            results.append(
                Result(
                    name=name,
                    subject="fresh process to exposed, usable login dialog",
                    baseline="fresh process to exposed bare QWidget",
                    measured=Figures(app_times),
                    base=Figures(bare_times),
                    goal_ratio=2.0,
                    goal_on="median",
                    notes=notes,
                )
            )
    return results
