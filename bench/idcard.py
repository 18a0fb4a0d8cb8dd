"""Card placed → applicant panel filled (issue 17): the simulator's reader, the real intake panel, offscreen.

    QT_QPA_PLATFORM=offscreen python -m bench.idcard [--reads 100]

A demo workstation (the simulator refuses production) with the intake panel of a clerk, 临时救助 chosen, the cursor
in the applicant's name.  Each read puts a card on the simulated reader and waits, in the Qt event loop, until the
panel's ``CardReaderLink.filled`` fires: the time from ``place`` to ``filled`` minus the simulator's fixed read time
(``READ_SECONDS``, what a real chip read takes) is the program's own share — the poll's wait, the hop to the UI thread,
the fill and its checks.  The poller runs here every 5 ms so the poll's wait stays small; at a counter it polls every
``idcard.poll_ms`` (300 by default), which adds on average half of that.  Then the card is taken away and the poller
sees the field empty before the next read.  The UI thread's part alone (``fill`` called directly) is timed apart,
with its CPU time.  Timings are printed, never asserted (bench/).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

from bench.common import DEMO_DEPLOYMENT, Figures, git_revision, machine, machine_vault, ms

POLL_MS = 5


def _deployment(folder: Path) -> Path:
    text = DEMO_DEPLOYMENT.read_text(encoding="utf-8")
    text = text.replace('seal_image = "seal.png"', f'seal_image = "{(DEMO_DEPLOYMENT.parent / "seal.png").as_posix()}"')
    path = folder / "yimen.toml"
    path.write_text(text + '\n[idcard]\ndriver = "simulator"\n', encoding="utf-8")
    return path


def run(reads: int = 100) -> dict[str, Figures]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from app.bootstrap import open_services
    from app.domain import Role
    from app.idcard.model import CardData, CardType, Sex
    from app.idcard.simulator import READ_SECONDS
    from app.security.accounts import create_user
    from ui.context import UiContext
    from ui.intake.panel import IntakePanel
    from ui.intake.reader import CardReaderLink
    from ui.messages import MessageBridge
    from ui.tasks import TaskRunner

    app = QApplication.instance() or QApplication(sys.argv[:1])
    card = CardData(
        card_type=CardType.RESIDENT,
        name="阿依古丽·买买提",
        sex=Sex.FEMALE,
        ethnicity="维吾尔",
        birth_date=dt.date(1985, 6, 15),
        address="上海市徐汇区武康路100弄3号",
        id_number="310104198506150023",
        authority="上海市公安局徐汇分局",
        valid_from=dt.date(2016, 3, 1),
        valid_to=dt.date(2036, 3, 1),
    )
    with tempfile.TemporaryDirectory(prefix="yimen-bench-idcard-") as tmp, machine_vault(Path(tmp) / "vault"):
        folder = Path(tmp)
        services = open_services(_deployment(folder), folder / "data")
        runner = TaskRunner()
        try:
            with services.db.write() as session:
                user = create_user(
                    session,
                    username="wangli",
                    display_name="王丽",
                    staff_no="0301",
                    role=Role.CLERK,
                    password="counter-pass-1",
                    workstation_code=services.deployment.workstation_code,
                )
            context = UiContext(services, runner, MessageBridge(), user)
            panel = IntakePanel(context)
            panel.resize(1280, 900)
            panel.show()
            panel.card_reader.stop()
            link = CardReaderLink(panel, context, poll_ms=POLL_MS)
            panel.card_reader = link
            item = services.catalog.entry("MZ-SHJZ-002")
            assert item is not None
            panel.choose_item(item.item)

            def wait(predicate: object, timeout_ms: int = 5000) -> None:
                deadline = time.perf_counter() + timeout_ms / 1000
                while not predicate():  # type: ignore[operator]
                    if time.perf_counter() > deadline:
                        raise TimeoutError("the reader did not answer")
                    app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)

            wait(lambda: link.reader is not None)
            reader = link.reader
            placed_to_filled: list[float] = []
            stamps: list[float] = []
            link.filled.connect(lambda _card: stamps.append(time.perf_counter()))
            for n in range(reads):
                start = time.perf_counter()
                reader.place(card)  # type: ignore[attr-defined]
                wait(lambda n=n: len(stamps) > n)
                placed_to_filled.append(stamps[n] - start - READ_SECONDS)
                reader.remove()  # type: ignore[attr-defined]
                # The poller sees the field empty (a few of its rounds) before the next card.
                loop = QEventLoop()
                QTimer.singleShot(POLL_MS * 4, loop.quit)
                loop.exec()
            fill_wall: list[float] = []
            fill_cpu: list[float] = []
            for _ in range(reads):
                wall, cpu = time.perf_counter(), time.thread_time()
                link.fill(card)
                fill_cpu.append(time.thread_time() - cpu)
                fill_wall.append(time.perf_counter() - wall)
                app.processEvents()
            link.stop()
            panel.close()
        finally:
            runner.shutdown()
            services.close()
    return {
        "placed → filled, minus the read time": Figures(placed_to_filled),
        "fill on the UI thread (wall)": Figures(fill_wall),
        "fill on the UI thread (CPU)": Figures(fill_cpu),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.idcard", description=__doc__.split("\n")[0])
    parser.add_argument("--reads", type=int, default=100, help="cards placed (and as many direct fills)")
    args = parser.parse_args(argv)
    load = os.getloadavg()
    figures = run(args.reads)
    print(f"revision {git_revision()}; {machine()}")
    print(f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; after: {os.getloadavg()[0]:.2f}")
    for name, f in figures.items():
        print(f"{name}: p50 {ms(f.median)}  p95 {ms(f.p95)}  max {ms(max(f.samples))}  (n = {len(f.samples)})")
    goal = figures["placed → filled, minus the read time"].p95
    print(f"goal ≤ 100 ms (p95): {'met' if goal <= 0.100 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
