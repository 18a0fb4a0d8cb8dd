"""The background worker: exponential backoff with jitter, nudges, "retry now", recovery when the fault ends."""

from __future__ import annotations

import contextlib
import random
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.sync.worker import SyncWorker, backoff
from tests.app.sync.synckit import Workstation
from tests.serverkit import FaultProxy, count


def test_backoff_doubles_up_to_the_cap_with_jitter_in_the_upper_half() -> None:
    rng = random.Random(7)
    for failures, ceiling in [(1, 2.0), (2, 4.0), (3, 8.0), (6, 64.0), (9, 300.0), (40, 300.0)]:
        waits = [backoff(failures, rng=rng) for _ in range(200)]
        assert min(waits) >= ceiling / 2 and max(waits) <= ceiling
        assert max(waits) - min(waits) > ceiling / 10  # really jittered, not a constant


class Rounds:
    def __init__(self) -> None:
        self.seen: list[tuple[Any, Any, Any]] = []
        self.changed = threading.Condition()

    def __call__(self, status: Any, error: Any, report: Any) -> None:
        with self.changed:
            self.seen.append((status, error, report))
            self.changed.notify_all()

    def wait_for(self, predicate: Any, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        with self.changed:
            while not predicate(self.seen):
                left = deadline - time.monotonic()
                assert left > 0, f"timed out; rounds: {[(s.pending, e) for s, e, _ in self.seen]}"
                self.changed.wait(left)


@pytest.fixture
def offline(services_factory: Any, tmp_path: Path, central: Any) -> Iterator[tuple[Workstation, FaultProxy]]:
    """An enrolled workstation whose network is down (the proxy refuses every connection)."""
    proxy = FaultProxy(central.port)
    try:
        station = Workstation(services_factory, tmp_path / "ws", proxy.url)
        station.enroll(central.engine())
        proxy.mode = "refuse"
        yield station, proxy
    finally:
        proxy.close()


@contextlib.contextmanager
def running(station: Workstation, rounds: Rounds, **intervals: float) -> Iterator[SyncWorker]:
    worker = SyncWorker(station.sync, rounds, **intervals)
    worker.start()
    try:
        yield worker
    finally:
        worker.stop()
        assert not worker.running


@pytest.mark.slow
def test_worker_backs_off_while_the_network_is_down_and_drains_when_it_returns(
    offline: tuple[Workstation, FaultProxy], central: Any
) -> None:
    station, proxy = offline
    station.take(2)
    rounds = Rounds()
    with running(station, rounds, pull_interval=30, first_retry=0.2, max_retry=0.8) as worker:
        rounds.wait_for(lambda seen: len(seen) >= 3)
        assert worker.failures >= 3
        assert all(error is not None and "无法连接" in error.message.render() for _, error, _ in rounds.seen)
        assert rounds.seen[-1][0].pending == 2 and count(central.engine(), "events") == 0
        proxy.mode = "pass"
        rounds.wait_for(lambda seen: seen[-1][1] is None)
        assert worker.failures == 0
        assert rounds.seen[-1][0].pending == 0 and count(central.engine(), "events") == 2
        # A save nudges the worker: pushed at once, not at the next 30 s pull.
        station.take(1)
        before = len(rounds.seen)
        worker.nudge()
        rounds.wait_for(lambda seen: len(seen) > before and seen[-1][0].pending == 0)
        assert count(central.engine(), "events") == 3


@pytest.mark.slow
def test_retry_now_skips_the_backoff(offline: tuple[Workstation, FaultProxy], central: Any) -> None:
    station, proxy = offline
    station.take(1)
    rounds = Rounds()
    with running(station, rounds, pull_interval=300, first_retry=120, max_retry=300) as worker:
        rounds.wait_for(lambda seen: len(seen) == 1)
        proxy.mode = "pass"
        worker.nudge()  # ignored while backing off (the network was just down)
        time.sleep(0.3)
        assert len(rounds.seen) == 1
        worker.sync_now()  # the clerk's 立即重试
        rounds.wait_for(lambda seen: len(seen) == 2)
        assert rounds.seen[-1][1] is None and count(central.engine(), "events") == 1
