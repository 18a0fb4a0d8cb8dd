"""Python's cyclic garbage is collected on the GUI thread only (ui/memory.collect_on_gui_thread)."""

from __future__ import annotations

import gc
import threading
from typing import Any

from ui.memory import collect_due


class Cycle:
    finalised_on: list[str] = []

    def __init__(self) -> None:
        self.me = self

    def __del__(self) -> None:
        Cycle.finalised_on.append(threading.current_thread().name)


def test_cycles_made_on_a_worker_are_finalised_on_the_gui_thread(qtbot: Any) -> None:
    assert not gc.isenabled()  # the UI tests run as the counter does (tests/ui/conftest.py)
    Cycle.finalised_on.clear()
    count = gc.get_threshold()[0] * 3  # far past the threshold that would trigger an automatic collection

    def worker() -> None:
        for _ in range(count):
            Cycle()
        extra = [[] for _ in range(count)]  # more allocations on this thread, still no collection here
        del extra

    thread = threading.Thread(target=worker, name="db-worker-stand-in")
    thread.start()
    thread.join()
    assert Cycle.finalised_on == []  # nothing collected on the worker
    qtbot.waitUntil(lambda: len(Cycle.finalised_on) == count, timeout=5_000)  # the GUI thread's timer
    assert set(Cycle.finalised_on) == {threading.main_thread().name}


def test_only_the_generations_past_their_threshold_are_collected() -> None:
    gc.collect()
    thresholds = (10**9, 10**9, 10**9)
    Cycle.finalised_on.clear()
    Cycle()
    assert collect_due(thresholds) == 0 and Cycle.finalised_on == []  # not due: left for later
    assert collect_due((0, 10**9, 10**9)) >= 1  # generation 0 due: the young cycle goes
    assert Cycle.finalised_on == [threading.main_thread().name]
