"""The background sync worker: pushes right after each save (``nudge``), pulls periodically, backs off
exponentially with jitter while the server cannot be reached, and never runs on the UI thread.

A plain thread (no Qt), so the core stays Qt-free; the UI turns its callbacks into queued signals.  It keeps no
state of its own that matters: the outbox and ``sync_meta`` are in the database, so a restart resumes where it
stopped.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from enum import StrEnum

from app.errors import CredentialStoreError, DeviceRevokedError, NotEnrolledError, SyncError, YimenError
from app.sync.service import SyncReport, SyncService, SyncStatus

log = logging.getLogger("yimen.sync")

PULL_INTERVAL = 60.0
FIRST_RETRY = 2.0
MAX_RETRY = 300.0
#: Without a credential (not enrolled, revoked, no keyring) there is nothing to retry until IT acts.
IDLE_INTERVAL = 600.0

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


class SyncWorker:
    """The sync rounds of one workstation, on their own thread.

    Attributes:
        rounds: how many rounds have begun.
        wake: why the latest round began; the listener, called at the end of each round, sees that round's.
        failures: consecutive failed rounds (0 after a success).
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
            if self.failures:
                return False
            self._reason = self._reason or Wake.NUDGE
            self._wake.set()
            return True

    def sync_now(self) -> None:
        """ "Retry now": try at once, whatever the backoff."""
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
            wake = reason or (Wake.BACKOFF if self.failures else Wake.PULL)

    def _round(self, wake: Wake) -> float:
        self.rounds += 1
        self.wake = wake
        error: YimenError | None = None
        report: SyncReport | None = None
        try:
            report = self.service.sync_once()
            self.failures = 0
            wait = self.pull_interval
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
        try:
            self.listener(self.service.status(), error, report)
        except Exception:
            log.exception("sync listener failed")
        return wait
