"""The background sync worker: pushes right after each save (``nudge``), pulls periodically, backs off
exponentially with jitter while the server cannot be reached, waits as long as a busy server asks (``Retry-After``,
plus jitter: docs/sync-protocol.md "When the server is busy"), and never runs on the UI thread.

A plain thread (no Qt), so the core stays Qt-free; the UI turns its callbacks into queued signals.  It keeps no
state of its own that matters: the outbox and ``sync_meta`` are in the database, so a restart resumes where it
stopped.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from enum import StrEnum

from app.errors import (
    CredentialStoreError,
    DeviceRevokedError,
    NotEnrolledError,
    SyncBusyError,
    SyncError,
    YimenError,
)
from app.sync.service import SyncReport, SyncService, SyncStatus

log = logging.getLogger("yimen.sync")

PULL_INTERVAL = 60.0
FIRST_RETRY = 2.0
MAX_RETRY = 300.0
#: Without a credential (not enrolled, revoked, no keyring) there is nothing to retry until IT acts.
IDLE_INTERVAL = 600.0
#: A busy server's ``Retry-After`` is waited, plus up to this share of it at random, so that the counters it turned
#: away together do not come back together.
BUSY_JITTER = 0.5

Listener = Callable[[SyncStatus, YimenError | None, SyncReport | None], None]


class Wake(StrEnum):
    """Why a round runs."""

    START = "start"  # the worker started
    NUDGE = "nudge"  # something was saved
    RETRY_NOW = "retry_now"  # the clerk's 立即重试
    PULL = "pull"  # the periodic pull came due (or, without a credential, the idle recheck)
    BACKOFF = "backoff"  # the wait after a failure ran out


def backoff(
    failures: int, *, first: float = FIRST_RETRY, cap: float = MAX_RETRY, rng: random.Random | None = None
) -> float:
    """Seconds to wait after ``failures`` consecutive failures: exponential, capped, with "full jitter" (a random
    point in the upper half) so 200 workstations that lost the network together do not come back together."""
    ceiling = min(cap, first * 2 ** max(0, failures - 1))
    return (rng or random).uniform(ceiling / 2, ceiling)


def busy_wait(retry_after: float, *, jitter: float = BUSY_JITTER, rng: random.Random | None = None) -> float:
    """Seconds to wait after a busy answer: never less than ``retry_after`` (the server's own figure), up to
    ``1 + jitter`` times it (the client caps ``retry_after`` itself: app/sync/client.py)."""
    return retry_after * (1 + (rng or random).uniform(0, jitter))


class SyncWorker:
    """The sync rounds of one workstation, on their own thread.

    Attributes:
        rounds: how many rounds have begun.
        wake: why the latest round began; the listener, called at the end of each round, sees that round's.
        failures: consecutive failed rounds (0 after a success).
        busy_until: the monotonic moment before which no round runs, because the server answered busy and asked to
            wait (None when it did not); neither a nudge nor "retry now" goes earlier.
        last_wait: the seconds the worker decided to wait after the latest round.
    """

    def __init__(
        self,
        service: SyncService,
        listener: Listener,
        *,
        pull_interval: float = PULL_INTERVAL,
        first_retry: float = FIRST_RETRY,
        max_retry: float = MAX_RETRY,
    ) -> None:
        self.service = service
        self.listener = listener
        self.pull_interval = pull_interval
        self.first_retry = first_retry
        self.max_retry = max_retry
        self.failures = 0
        self.rounds = 0
        self.wake = Wake.START
        self.busy_until: float | None = None
        self.last_wait = 0.0
        self._wake = threading.Event()
        self._reason: Wake | None = None  # set by nudge and sync_now, taken by the worker when it wakes
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="yimen-sync", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def nudge(self) -> bool:
        """Something was saved: push it now, unless the worker is backing off from a failure.  True when the
        worker was woken, False when the nudge was ignored."""
        with self._lock:
            if self.failures or self._busy():
                return False
            self._reason = self._reason or Wake.NUDGE
            self._wake.set()
            return True

    def sync_now(self) -> None:
        """ "Retry now": try at once, whatever the backoff; but not before a busy server's ``Retry-After``."""
        with self._lock:
            self._reason = Wake.RETRY_NOW
            self._wake.set()

    def _run(self) -> None:
        wake = Wake.START
        while not self._stop.is_set():
            wait = self._round(wake)
            self._wake.wait(wait)
            with self._lock:
                self._wake.clear()
                reason, self._reason = self._reason, None
            # A busy server named the earliest moment to come back: whatever woke the worker waits for it.
            while not self._stop.is_set() and (left := self._busy()) > 0:
                self._wake.wait(left)
                with self._lock:
                    self._wake.clear()
                    reason, self._reason = reason or self._reason, None
            wake = reason or (Wake.BACKOFF if self.failures or self.busy_until is not None else Wake.PULL)

    def _busy(self) -> float:
        """Seconds left before the busy server's ``Retry-After`` has passed (0 when none is running)."""
        return 0.0 if self.busy_until is None else max(0.0, self.busy_until - time.monotonic())

    def _round(self, wake: Wake) -> float:
        self.rounds += 1
        self.wake = wake
        error: YimenError | None = None
        report: SyncReport | None = None
        try:
            report = self.service.sync_once()
            self.failures = 0
            self.busy_until = None
            wait = self.pull_interval
        except SyncBusyError as exc:  # not a failure: the server answered and said when to come back
            error = exc
            self.busy_until = time.monotonic() + exc.retry_after
            wait = busy_wait(exc.retry_after)
            log.info("the server is busy; pushing again in %.0f s", wait)
        except (NotEnrolledError, DeviceRevokedError, CredentialStoreError) as exc:
            error = exc
            self.failures = 0
            wait = IDLE_INTERVAL
        except SyncError as exc:
            error = exc
            self.failures += 1
            wait = backoff(self.failures, first=self.first_retry, cap=self.max_retry)
            log.info("sync failed (%s); retrying in %.0f s", exc.code, wait)
        except YimenError as exc:  # the local database is busy or full: the next round tries again
            error = exc
            self.failures += 1
            wait = backoff(self.failures, first=self.first_retry, cap=self.max_retry)
        except Exception:  # a bug: logged with its traceback; the worker stays alive for the next round
            log.exception("sync round failed")
            self.failures += 1
            wait = backoff(self.failures, first=self.first_retry, cap=self.max_retry)
        self.last_wait = wait
        try:
            self.listener(self.service.status(), error, report)
        except Exception:
            log.exception("sync listener failed")
        return wait
