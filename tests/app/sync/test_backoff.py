"""A busy server (docs/sync-protocol.md "When the server is busy"): a 503 or 429, from our server or from a proxy,
with ``Retry-After`` in seconds, as an HTTP-date or absent, is a wait and never an error the clerk sees; the batch
is not recorded against (the server did not read it), nothing is quarantined, the worker waits at least what the
server asked, plus jitter, and once the server frees everything is acknowledged once.

The server's admission control is set to one push at a time and that slot is held for real by another
workstation's push whose body is half sent (tests/server/busykit.py)."""

from __future__ import annotations

import datetime as dt
import json
import random
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.errors import SyncBusyError
from app.sync.client import DEFAULT_RETRY_AFTER, MAX_RETRY_AFTER, retry_after
from app.sync.worker import BUSY_JITTER, SyncWorker, Wake, busy_wait
from db.models import OutboxState
from tests.app.sync.synckit import Workstation
from tests.app.sync.test_worker import Rounds, running
from tests.server.apikit import enroll
from tests.server.busykit import HeldPush
from tests.serverkit import ServerThread, count

NOW = dt.datetime(2026, 12, 7, 1, 0, tzinfo=dt.UTC)


def test_retry_after_is_read_as_seconds_or_as_a_date_and_bounded() -> None:
    assert retry_after("7", NOW) == 7.0
    assert retry_after(" 120 ", NOW) == 120.0
    assert retry_after("Mon, 07 Dec 2026 01:00:30 GMT", NOW) == 30.0  # against the answer's own Date
    assert retry_after("Mon, 07 Dec 2026 00:59:00 GMT", NOW) == 1.0  # a date passed: soon, never a tight loop
    assert retry_after("0", NOW) == 1.0
    assert retry_after(None, NOW) == DEFAULT_RETRY_AFTER
    assert retry_after("soon", NOW) == DEFAULT_RETRY_AFTER
    assert retry_after("-5", NOW) == DEFAULT_RETRY_AFTER
    assert retry_after("86400", NOW) == MAX_RETRY_AFTER


def test_the_busy_wait_is_never_shorter_than_asked_and_spread_above_it() -> None:
    rng = random.Random(3)
    waits = [busy_wait(10.0, rng=rng) for _ in range(500)]
    assert min(waits) >= 10.0 and max(waits) <= 10.0 * (1 + BUSY_JITTER)
    assert max(waits) - min(waits) > 4.0  # really jittered: 200 counters turned away together do not come back so


@pytest.fixture
def one_slot(store_url: str) -> Iterator[ServerThread]:
    server = ServerThread(store_url, settings_overrides={"max_concurrent_pushes": 1})
    yield server
    server.stop()


@pytest.fixture
def station(services_factory: Any, tmp_path: Path, one_slot: ServerThread) -> Workstation:
    station = Workstation(services_factory, tmp_path / "ws", one_slot.url)
    station.enroll(one_slot.engine())
    return station


@pytest.fixture
def held(one_slot: ServerThread) -> Iterator[HeldPush]:
    """Another workstation's push, in flight on the server's one slot until the test finishes it."""
    push = HeldPush(one_slot, enroll(one_slot, workstation="009"), "310104003-009-20261207-0001")
    yield push
    push.close()


def test_a_busy_server_leaves_the_outbox_as_it_was_and_everything_goes_once_it_frees(
    station: Workstation, one_slot: ServerThread, held: HeldPush, capsys: pytest.CaptureFixture[str]
) -> None:
    station.take(3)
    before = [(e.id, e.state, e.attempts, e.last_error) for e in station.outbox()]
    with pytest.raises(SyncBusyError) as busy:
        station.sync.sync_once()
    assert busy.value.retry_after >= 1
    assert [(e.id, e.state, e.attempts, e.last_error) for e in station.outbox()] == before  # nothing recorded
    status = station.sync.status()
    assert status.pending == len(before) and status.quarantined == 0
    assert status.last_error is None and status.busy_until is not None  # a wait, not an error
    assert count(one_slot.engine(), "events") == 0
    # IT's view says the same: no error, the moment before which nothing is pushed.
    from app.cli import main

    assert main(["sync", "--status", "--config", str(station.config), "--data-dir", str(station.data_dir)]) == 0
    said = json.loads(capsys.readouterr().out)
    assert said["last_error"] is None and dt.datetime.fromisoformat(said["busy_until"]) == status.busy_until

    assert held.finish().status == 200
    report = station.sync.sync_once()
    assert report.push.sent == len(before) and report.push.quarantined == 0
    assert {e.state for e in station.outbox()} == {OutboxState.SENT.value}
    assert count(one_slot.engine(), "events", "WHERE workstation_code = '003'") == len(before)  # each once
    status = station.sync.status()
    assert status.pending == 0 and status.busy_until is None and status.last_error is None


class Timed:
    """The workstation's SyncService, noting when each round began (monotonic)."""

    def __init__(self, service: Any) -> None:
        self.service = service
        self.began: list[float] = []

    def sync_once(self) -> Any:
        self.began.append(time.monotonic())
        return self.service.sync_once()

    def status(self) -> Any:
        return self.service.status()


def test_the_worker_waits_what_the_server_asks_even_for_retry_now_then_uploads_by_itself(
    station: Workstation, one_slot: ServerThread, held: HeldPush
) -> None:
    station.take(2)
    rounds = Rounds()
    timed = Timed(station.sync)
    worker = SyncWorker(timed, rounds, pull_interval=300, first_retry=120, max_retry=300)  # type: ignore[arg-type]
    rounds.worker = worker
    worker.start()
    try:
        rounds.wait_for(lambda seen: len(seen) == 1)
        first = rounds.seen[0].error
        assert isinstance(first, SyncBusyError) and worker.failures == 0
        assert worker.busy_until is not None
        assert first.retry_after <= worker.last_wait <= first.retry_after * (1 + BUSY_JITTER)
        not_before = worker.busy_until
        assert not worker.nudge()  # a save does not push before the server's time
        worker.sync_now()  # nor does the clerk's 立即重试
        assert held.finish().status == 200  # the server frees meanwhile
        rounds.wait_for(lambda seen: len(seen) >= 2 and seen[-1].pending == 0)
        assert timed.began[1] >= not_before  # the second round began no earlier than the server asked
        assert rounds.seen[1].wake is Wake.RETRY_NOW and rounds.seen[1].error is None
        assert worker.busy_until is None
    finally:
        worker.stop()
    assert count(one_slot.engine(), "events", "WHERE workstation_code = '003'") == 2


def test_a_busy_round_then_a_nudge_after_the_wait_pushes(
    station: Workstation, one_slot: ServerThread, held: HeldPush
) -> None:
    """After the wait a save pushes again at once (the busy state ends with the next round that goes through)."""
    station.take(1)
    rounds = Rounds()
    with running(station, rounds, pull_interval=300, first_retry=120, max_retry=300) as worker:
        rounds.wait_for(lambda seen: len(seen) == 1)
        assert isinstance(rounds.seen[0].error, SyncBusyError)
        done = threading.Event()
        threading.Thread(target=lambda: (held.finish(), done.set()), daemon=True).start()
        assert done.wait(30)
        rounds.wait_for(lambda seen: len(seen) >= 2)
        assert rounds.seen[1].wake is Wake.BACKOFF and rounds.seen[1].error is None and rounds.seen[1].pending == 0
        station.take(1)
        assert worker.nudge()
        rounds.wait_for(lambda seen: len(seen) >= 3)
        assert rounds.seen[2].wake is Wake.NUDGE and rounds.seen[2].pending == 0
    assert count(one_slot.engine(), "events", "WHERE workstation_code = '003'") == 2
