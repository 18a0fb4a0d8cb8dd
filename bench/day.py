"""The counter over a day (issue 16): the real window, in a process of its own, through a simulated day.

``python -m bench --only day``.  The parent starts the central server (``python -m server run`` on a fresh
PostgreSQL database, as bench/sync.py does), makes an enrollment code and a demo workstation whose deployment names
that server (demo mode: the file printer writes each job as a PDF below the data folder), then starts the child:
``ui.__main__.main`` — the real entry point, the login dialog, the services opened on the database worker, the main
window after login.  A probe in the child's event loop enrolls the workstation, logs in by keyboard as the demo
clerk, and takes ``--day-applications`` applications of mixed items and decisions by keyboard: 临时救助 accepted
(受理回执 and 申请表), 临时救助 with a missing material (补正告知书), 婚姻登记 prechecked (two parties, five
materials).  Each decision's preview is printed (Enter) to the file printer; then the child waits until the sync has
pushed everything (nothing pending) and the list has reloaded.

What the child reports (the parent prints it; no figure is asserted):

* the memory of the process — VmRSS from ``/proc/self/status`` and PSS from ``/proc/self/smaps_rollup`` — at the
  login window (exposed, typing), once the services have reached it, right after login (main window shown, first
  sync round done), every 50 applications and at the end, with a least-squares slope per application;
* the time from the decision key (Ctrl+1/Ctrl+2 pressed, once the window is idle as a clerk would find it: the
  materials' check has run) to the preview's first page painted: the preview's
  ``QPdfView`` renders pages on its ``QPdfPageRenderer`` and paints the rendered image on the next paint event of
  its viewport; the clock stops at that paint event (an event filter), after ``pageRendered`` of page 0.

Baseline, same run: a bare PySide6 window in a fresh process (exposed), its RSS and PSS.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

MIB = 1024 * 1024


def memory() -> dict[str, float]:
    """This process's VmRSS and PSS (MiB), read from /proc."""
    figures: dict[str, float] = {}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                figures["rss"] = int(line.split()[1]) / 1024
    try:
        with open("/proc/self/smaps_rollup", encoding="ascii") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    figures["pss"] = int(line.split()[1]) / 1024
    except OSError:  # a kernel without smaps_rollup
        figures["pss"] = float("nan")
    return figures


# ------------------------------------------------------------------------------------------------ the child


BARE = r"""
import json, os, sys
from PySide6.QtWidgets import QApplication, QWidget
from PySide6.QtTest import QTest
app = QApplication(sys.argv[:1])
window = QWidget()
window.resize(420, 300)
window.show()
QTest.qWaitForWindowExposed(window)
app.processEvents()
from bench.day import memory
print("MEMORY " + json.dumps({"at": "bare window", **memory()}), flush=True)
print("DONE {}", flush=True)
os._exit(0)
"""


def _valid_id(body17: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body17 + "10X98765432"[sum(int(a) * w for a, w in zip(body17, weights, strict=True)) % 11]


SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ("伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛")


def child(config: str, data_dir: str, code: str, applications: int) -> None:  # noqa: C901 — one scripted day
    """The child process: run the real counter and drive it (see the module docstring).  Prints one JSON line per
    figure (``MEMORY``, ``PREVIEW``) and ``DONE``; a failure prints ``FAILED`` and exits 3."""
    import gc
    import traceback

    from PySide6.QtCore import QEvent, QObject, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QWidget

    from ui.intake.panel import CHECK_DELAY_MS

    app = QApplication(sys.argv[:1])
    ctrl = Qt.KeyboardModifier.ControlModifier

    def say(kind: str, payload: dict[str, Any]) -> None:
        print(f"{kind} {json.dumps(payload, ensure_ascii=False)}", flush=True)

    def fail(what: str) -> None:
        say("FAILED", {"what": what})
        os._exit(3)

    def mark(at: str) -> None:
        say("MEMORY", {"at": at, **memory()})

    def wait(condition: Callable[[], object], what: str | Callable[[], str], timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                fail("timed out waiting for " + (what() if callable(what) else what))
            QTest.qWait(2)

    def focus() -> QWidget:
        widget = QApplication.focusWidget()
        if widget is None:
            fail("nothing has the focus")
        assert widget is not None
        return widget

    def type_text(text: str) -> None:
        for ch in text:
            if ch.isascii():
                QTest.keyClicks(focus(), ch)
            else:
                QTest.sendKeyEvent(
                    QTest.KeyAction.Click, focus(), Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier
                )

    def press(key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        QTest.keyClick(focus(), key, modifier)

    def focus_name() -> str:
        widget = QApplication.focusWidget()  # None for a moment while a closed dialog hands the focus back
        return widget.objectName() if widget is not None else ""

    def tab_to(name: str) -> None:
        for _ in range(80):
            if focus().objectName() == name:
                return
            press(Qt.Key.Key_Tab)
        fail(f"Tab never reached {name}; stuck at {focus().objectName()}")

    def login_probe() -> None:
        dialogs = [w for w in QApplication.topLevelWidgets() if w.objectName() == "login" and w.isVisible()]
        if not dialogs:
            fail("no login dialog")
        dialog: Any = dialogs[0]
        QTest.qWaitForWindowExposed(dialog)
        app.processEvents()
        mark("login window")
        wait(lambda: dialog.ready, "the services", 120)
        QTest.qWait(300)  # the preload the services queued (pinyin, labels) runs meanwhile on the worker
        wait(lambda: dialog.runner.idle, "the preload")
        mark("login window, services open")
        dialog.services.sync.enroll(code)
        dialog.username.setFocus()
        type_text("wangli")
        press(Qt.Key.Key_Return)
        type_text("demo1234")
        QTimer.singleShot(0, day)  # runs in the main window's event loop once the dialog has closed
        press(Qt.Key.Key_Return)

    class PaintClock(QObject):
        """Stops the clock at the first paint of the preview's viewport after page 0 was rendered."""

        def __init__(self) -> None:
            super().__init__()
            self.rendered = False
            self.painted_at: float | None = None

        def page_rendered(self, page: int, *_args: object) -> None:
            if page == 0:
                self.rendered = True

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 — Qt's name
            if event.type() == QEvent.Type.Paint and self.rendered and self.painted_at is None:
                self.painted_at = time.perf_counter()
            return False

    def main_window_shown() -> bool:
        return any(w.objectName() == "main_window" and w.isVisible() for w in QApplication.topLevelWidgets())

    def day() -> None:
        if not main_window_shown():  # the login is still being checked: never wait inside the dialog's loop
            QTimer.singleShot(20, day)
            return
        try:
            run_day()
        except BaseException:  # noqa: BLE001 — the child reports and ends
            fail(traceback.format_exc())

    def run_day() -> None:
        from PySide6.QtPdf import QPdfPageRenderer

        window: Any = next(
            w for w in QApplication.topLevelWidgets() if w.objectName() == "main_window" and w.isVisible()
        )
        QTest.qWaitForWindowExposed(window)
        runner = window.context.runner
        wait(lambda: window.sync_area.controller.last is not None, "the first sync round")
        wait(lambda: runner.idle, "the window's first tasks")
        mark("after login")
        page = window.pages["intake"]
        applications_page = window.pages["applications"]
        previews: list[Any] = []
        window.desk.preview_opened.connect(previews.append)
        loaded: list[int] = []
        applications_page.loaded.connect(loaded.append)
        per_application: list[float] = []
        refusals: list[str] = []
        tasks: list[tuple[str, float]] = []
        since = [time.perf_counter()]  # the decision key of the application being taken
        runner.finished.connect(lambda name: tasks.append((name, round(time.perf_counter() - since[0], 4))))
        page.decision_failed.connect(refusals.append)

        def take(n: int) -> float:
            window.show_tab(0)
            wait(lambda: focus_name() == "queue_ticket", "the ticket box")
            kind = n % 4
            name = SURNAMES[n % len(SURNAMES)] + GIVEN[n % len(GIVEN)]
            person = _valid_id(f"31010219750101{n % 1000:03d}")
            tab_to("item_search")
            type_text("婚姻" if kind == 3 else "临时救助")
            press(Qt.Key.Key_Return)
            wait(lambda: focus_name() == "applicant.name", "the applicant")
            type_text(name)
            press(Qt.Key.Key_Return)
            type_text(person)
            press(Qt.Key.Key_Return)
            tab_to("applicant.phone")
            type_text("13800138000")
            press(Qt.Key.Key_Return)
            if kind == 3:
                tab_to("spouse.name")
                type_text("王䶮")
                press(Qt.Key.Key_Return)
                type_text(_valid_id(f"31010519950505{(n * 2) % 1000:03d}"))
                tab_to("business_type")
                type_text("1")
                keys = ["1"] * 5
            else:
                tab_to("assistance_type")
                type_text("1")
                tab_to("situation")
                type_text("家中失火，衣物被褥损毁")
                keys = ["2"] if kind == 2 else ["1"]
            wait(lambda: len(page.materials.rows) == len(keys), "the checklist")
            rows = list(page.materials.rows)
            tab_to(rows[0].status.objectName())
            for row, key in zip(rows, keys, strict=True):
                if focus().objectName() != row.status.objectName():
                    fail("the checklist's cursor is lost")
                type_text(key)
                press(Qt.Key.Key_Tab)
            # A clerk looks at the checklist before the decision key: the window has drawn the last keys and the
            # check of the materials (CHECK_DELAY_MS after the last change) has run, as it would have by then.
            QTest.qWait(CHECK_DELAY_MS + 50)
            wait(lambda: runner.idle, "the checklist's check")
            previews.clear()
            loaded.clear()
            clock = PaintClock()
            tasks.clear()
            started = since[0] = time.perf_counter()
            press(Qt.Key.Key_2 if kind == 2 else Qt.Key.Key_1, ctrl)
            wait(
                lambda: bool(previews),
                lambda: (
                    f"the preview of application {n} (status bar: {window.statusBar().currentMessage()!r}, "
                    f"refused: {refusals}, focus: {focus_name()})"
                ),
            )
            preview = previews[0]
            opened_at = time.perf_counter()
            renderer = preview.view.findChild(QPdfPageRenderer)
            renderer.pageRendered.connect(clock.page_rendered)
            preview.view.viewport().installEventFilter(clock)
            wait(lambda: clock.painted_at is not None, "the first page painted")
            assert clock.painted_at is not None
            say(
                "PREVIEW",
                {
                    "n": n,
                    "kind": kind,
                    "to_open": opened_at - started,
                    "to_paint": clock.painted_at - started,
                    "tasks": list(tasks),
                },
            )
            wait(lambda: focus_name() == "preview_print", "the print button")
            done: list[int] = []
            preview.finished.connect(done.append)
            press(Qt.Key.Key_Return)
            wait(lambda: bool(done), "the printing", 120)
            wait(lambda: runner.idle and window.sync_area.status.pending == 0, "the sync", 120)
            wait(lambda: bool(loaded), "the list")
            return time.perf_counter() - started

        for n in range(1, applications + 1):
            per_application.append(take(n))
            if n % 50 == 0 or n == applications:
                mark(f"after {n} applications")
            # What a leak would show as: objects kept per action (Qt children of the window, Python objects).
            say(
                "SAMPLE",
                {"n": n, **memory(), "qobjects": len(window.findChildren(QObject)), "pyobjects": len(gc.get_objects())},
            )
        say("DONE", {"applications": applications, "seconds": sum(per_application)})
        os._exit(0)

    QTimer.singleShot(0, login_probe)
    import ui.app

    ui.app.show_startup_error = lambda error: fail(error.message.render())
    from ui.__main__ import main

    main(["--config", config, "--data-dir", data_dir])
    fail("run_gui returned")


# ------------------------------------------------------------------------------------------------ the parent


def _deployment(folder: Path, server_url: str) -> Path:
    from bench.common import DEMO_DEPLOYMENT

    folder.mkdir(parents=True, exist_ok=True)
    text = DEMO_DEPLOYMENT.read_text(encoding="utf-8")
    text = text.replace('url = "http://127.0.0.1:8600"', f'url = "{server_url}"')
    text = text.replace('seal_image = "seal.png"', f'seal_image = "{(DEMO_DEPLOYMENT.parent / "seal.png").as_posix()}"')
    path = folder / "yimen-310104003-003.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _spawn(args: list[str], env: dict[str, str]) -> list[tuple[str, dict[str, Any]]]:
    from bench.common import REPO

    proc = subprocess.Popen(
        [sys.executable, *args],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    assert proc.stdout is not None
    lines: list[tuple[str, dict[str, Any]]] = []
    for line in proc.stdout:
        kind, _, payload = line.strip().partition(" ")
        if kind not in ("MEMORY", "PREVIEW", "SAMPLE", "DONE", "FAILED"):
            continue
        lines.append((kind, json.loads(payload)))
        if kind != "SAMPLE":
            print(f"  {kind} {payload}", file=sys.stderr, flush=True)
        if kind == "FAILED":
            proc.kill()
            _, err = proc.communicate(timeout=30)
            raise RuntimeError(f"the day's child failed: {payload}\n{err[-3000:]}")
    _, err = proc.communicate(timeout=60)
    if not lines or lines[-1][0] != "DONE":
        raise RuntimeError(f"the day's child ended early:\n{err[-3000:]}")
    return lines


def measure(applications: int, *, extra_env: dict[str, str] | None = None) -> dict[str, Any]:
    """One day in a fresh child (own server, own workstation); the child's figures and the bare window's."""
    from sqlalchemy.orm import Session

    from bench.common import vault_env
    from bench.sync import pg_database, server_process
    from server.services import devices
    from server.store.db import create_store_engine

    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"  # the credential lives in the vault
    env.update(extra_env or {})
    with (
        tempfile.TemporaryDirectory(prefix="yimen-bench-day-") as tmp,
        pg_database("day") as url,
        server_process(url) as server_url,
    ):
        folder = Path(tmp)
        engine = create_store_engine(url)
        with Session(engine) as session, session.begin():
            code = devices.create_enrollment_code(session, center_code="310104003", workstation_code="003", hours=2)
        engine.dispose()
        config = _deployment(folder / "config", server_url)
        child_env = dict(env, YIMEN_LOG_DIR=str(folder / "logs"), **vault_env(folder / "vault"))
        bare = _spawn(["-c", BARE], env)
        lines = _spawn(
            ["-m", "bench.day", str(config), str(folder / "data"), code, str(applications)],
            child_env,
        )
        printed = len(list((folder / "data" / "printed").glob("*.pdf")))
    return {"bare": bare[0][1], "lines": lines, "printed": printed}


def slope(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of y over x."""
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    den = sum((x - mx) ** 2 for x, _ in points)
    return sum((x - mx) * (y - my) for x, y in points) / den if den else 0.0


def run(applications: int = 200) -> list[Any]:
    from bench.common import Figures, Result, ms

    day = measure(applications)
    bare = day["bare"]
    memories = [p for k, p in day["lines"] if k == "MEMORY"]
    samples = [p for k, p in day["lines"] if k == "SAMPLE"]
    per_app = [(float(p["n"]), p["rss"]) for p in samples]
    previews = [p for k, p in day["lines"] if k == "PREVIEW"]
    steady = [(x, y) for x, y in per_app if x >= 10]
    growth = slope(steady) * 1024 if len(steady) > 2 else float("nan")
    notes = [
        f"bare window (baseline): RSS {bare['rss']:.0f} MiB, PSS {bare['pss']:.0f} MiB",
        *(f"{m['at']}: RSS {m['rss']:.0f} MiB, PSS {m['pss']:.0f} MiB" for m in memories),
        f"growth per application (least squares over applications 10–{applications}): {growth:.0f} KiB RSS",
        "the window's QObject children after the first and the last application: "
        + " → ".join(str(p["qobjects"]) for p in (samples[0], samples[-1])),
        "Python objects after the first and the last application: "
        + " → ".join(str(p["pyobjects"]) for p in (samples[0], samples[-1])),
        f"highest RSS at rest {max(p['rss'] for _, p in day['lines'] if 'rss' in p):.0f} MiB (goal ≤ 250 MiB, flat)",
        f"{day['printed']} print jobs written by the file printer",
    ]
    to_open = Figures([p["to_open"] for p in previews])
    notes.append(f"decision key → preview dialog open: median {ms(to_open.median)}, p95 {ms(to_open.p95)}")
    for kind, label in ((1, "临时救助 受理"), (2, "临时救助 补正"), (3, "婚姻 预审")):
        of_kind = [p["to_paint"] for p in previews if p["kind"] == kind or (kind == 1 and p["kind"] == 0)]
        if of_kind:
            figures = Figures(of_kind)
            notes.append(f"  {label}: median {ms(figures.median)}, p95 {ms(figures.p95)} (n={len(of_kind)})")
    measured = Figures([p["to_paint"] for p in previews])
    # No timing baseline exists for a preview; the goal is absolute (p95 ≤ 150 ms): the ratio is against 150 ms.
    goal = Figures([0.150])
    return [
        Result(
            name="day: decision key to preview painted",
            subject=f"{applications} applications through the real window, printed, synced",
            baseline="the goal, 150 ms (absolute)",
            measured=measured,
            base=goal,
            goal_ratio=1.0,
            notes=notes,
        )
    ]


if __name__ == "__main__":
    child(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]))
