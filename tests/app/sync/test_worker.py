"""The background worker: exponential backoff with jitter, nudges, "retry now", recovery when the fault ends.

Each round is recorded with why it ran (``SyncWorker.wake``), so a test tells a nudge from a periodic pull or a
backoff retry by what the worker did, never by how long something took."""

from __future__ import annotations

import contextlib
import random
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from app.sync.worker import SyncWorker, Wake, backoff
from tests.app.sync.synckit import Workstation
from tests.serverkit import FaultProxy, count


def test_backoff_doubles_up_to_the_cap_with_jitter_in_the_upper_half() -> None:
    rng = random.Random(7)
    for failures, ceiling in [(1, 2.0), (2, 4.0), (3, 8.0), (6, 64.0), (9, 300.0), (40, 300.0)]:
        waits = [backoff(failures, rng=rng) for _ in range(200)]
        assert min(waits) >= ceiling / 2 and max(waits) <= ceiling
        assert max(waits) - min(waits) > ceiling / 10  # really jittered, not a constant


@dataclass(frozen=True)
class Round:
    wake: Wake
    pending: int
    error: Any
    report: Any


class Rounds:
    """The worker's listener: every round as it ended, with why it ran."""

    def __init__(self) -> None:
        self.seen: list[Round] = []
        self.changed = threading.Condition()
        self.worker: SyncWorker | None = None

    def __call__(self, status: Any, error: Any, report: Any) -> None:
        assert self.worker is not None
        with self.changed:
            self.seen.append(Round(self.worker.wake, status.pending, error, report))
            self.changed.notify_all()

    def wait_for(self, predicate: Any, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        with self.changed:
            while not predicate(self.seen):
                left = deadline - time.monotonic()
                assert left > 0, f"timed out; rounds: {[(r.wake, r.pending, r.error) for r in self.seen]}"
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
    rounds.worker = worker
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
        assert [r.wake for r in rounds.seen[:3]] == [Wake.START, Wake.BACKOFF, Wake.BACKOFF]
        assert all(r.error is not None and "无法连接" in r.error.message.render() for r in rounds.seen)
        assert rounds.seen[-1].pending == 2 and count(central.engine(), "events") == 0
        proxy.mode = "pass"
        rounds.wait_for(lambda seen: seen[-1].error is None)
        assert worker.failures == 0 and rounds.seen[-1].wake is Wake.BACKOFF
        assert rounds.seen[-1].pending == 0 and count(central.engine(), "events") == 2
        # A save nudges the worker: the very next round is the nudge's, not the 30 s pull's, and it pushes.
        station.take(1)
        before = len(rounds.seen)
        assert worker.nudge()
        rounds.wait_for(lambda seen: len(seen) > before)
        nudged = rounds.seen[before]
        assert nudged.wake is Wake.NUDGE and nudged.error is None and nudged.pending == 0
        assert nudged.report.push.sent == 1 and count(central.engine(), "events") == 3


@pytest.mark.slow
def test_retry_now_skips_the_backoff(offline: tuple[Workstation, FaultProxy], central: Any) -> None:
    station, proxy = offline
    station.take(1)
    rounds = Rounds()
    with running(station, rounds, pull_interval=300, first_retry=120, max_retry=300) as worker:
        rounds.wait_for(lambda seen: len(seen) == 1)
        assert rounds.seen[0].error is not None and worker.failures == 1
        proxy.mode = "pass"
        assert not worker.nudge()  # ignored while backing off (the network was just down): nothing woken
        worker.sync_now()  # the clerk's 立即重试
        rounds.wait_for(lambda seen: len(seen) >= 2)
        # The round after the failed one is the retry's: no nudge round came in between, none after it.
        assert [r.wake for r in rounds.seen] == [Wake.START, Wake.RETRY_NOW]
        assert rounds.seen[-1].error is None and count(central.engine(), "events") == 1
        assert worker.rounds == 2
