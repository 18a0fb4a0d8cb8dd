"""The database worker runs the task the clerk waits on (``urgent``) before the ordinary ones queued meanwhile."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from ui.tasks import TaskRunner


@pytest.fixture
def bare_runner() -> Iterator[TaskRunner]:
    task_runner = TaskRunner()
    yield task_runner
    task_runner.shutdown()


def test_urgent_tasks_run_before_the_queued_ordinary_ones_in_order(qtbot: Any, bare_runner: TaskRunner) -> None:
    gate = threading.Event()
    ran: list[str] = []
    delivered: list[str] = []

    def task(name: str) -> Any:
        def work() -> str:
            ran.append(name)
            return name

        return work

    bare_runner.run_db(gate.wait, name="running")  # holds the worker while the others queue
    for name, urgent in (("list", False), ("ratings", False), ("due", True), ("later", False), ("store", True)):
        bare_runner.run_db(task(name), delivered.append, name=name, urgent=urgent)
    gate.set()
    qtbot.waitUntil(lambda: bare_runner.idle)

    assert ran == ["due", "store", "list", "ratings", "later"]
    assert delivered == ran  # every task ran once, and its result reached the GUI thread


def test_ordinary_tasks_keep_their_order(qtbot: Any, bare_runner: TaskRunner) -> None:
    ran: list[int] = []
    for i in range(20):
        bare_runner.run_db(lambda i=i: ran.append(i), name=f"t{i}")
    qtbot.waitUntil(lambda: bare_runner.idle)
    assert ran == list(range(20))


def test_after_shutdown_an_urgent_task_is_dropped(bare_runner: TaskRunner) -> None:
    bare_runner.shutdown()
    ran: list[str] = []
    bare_runner.run_db(lambda: ran.append("x"), name="late", urgent=True)
    assert bare_runner.idle
    assert ran == []
