"""The background sync worker's rounds as Qt signals (ARCHITECTURE.md invariant 8; docs/sync-protocol.md).

The worker (:class:`app.sync.worker.SyncWorker`) is a plain thread of the core: it pushes right after a save
(:meth:`SyncController.nudge`), pulls periodically and backs off while the server cannot be reached.  Its listener
runs on that thread; :class:`SyncController` posts each round to the GUI thread through a queued signal, so no widget
is touched off the GUI thread and no network call runs on it.
"""

from __future__ import annotations

import functools
import logging
import threading
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, Signal

from app.errors import YimenError
from app.sync.service import SyncReport, SyncService, SyncStatus
from app.sync.worker import PULL_INTERVAL, SyncWorker

log = logging.getLogger("yimen.ui.sync")


@dataclass(frozen=True)
class SyncRound:
    """One round of the background worker, as its listener reported it.

    Attributes:
        status: where sync stands after the round.
        error: the expected failure that ended the round (None when it went through).
        report: what was pushed and pulled (None when the round failed).
    """

    status: SyncStatus
    error: YimenError | None
    report: SyncReport | None

    @property
    def changed_records(self) -> bool:
        """The round changed what the list shows: something was acknowledged, quarantined or pulled down."""
        report = self.report
        return report is not None and bool(report.push.sent or report.push.quarantined or report.pull.applied)


class _Gate:
    """Whether the worker's listener may still post to the controller (shared with the stop hook, which may run
    while the controller's C++ side is being deleted, so it holds no reference to the controller)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.closed = False


def _stop_worker(worker: SyncWorker | None, gate: _Gate, *_signal_args: object) -> None:
    with gate.lock:
        gate.closed = True
    if worker is not None and worker.running:
        if _join(worker):
            log.info("sync worker stopped")
        else:
            log.info("sync worker still finishing a round; it stops on its own (nothing more is shown)")


def _join(worker: SyncWorker) -> bool:
    """Stop ``worker``, waiting up to its timeout for a round in progress; True when its thread has ended."""
    worker.stop()
    return not worker.running


class SyncController(QObject):
    """Owns a window's background sync worker and hands its rounds to the GUI thread.

    The worker is started once the window knows the deployment has a server (:meth:`start`) and stopped when the
    window closes or the application quits (:meth:`stop`, which waits for the thread); a controller deleted without
    ``stop()`` stops its worker from its ``destroyed`` signal.

    Attributes:
        last: the last round delivered (None before the first).

    Signals:
        round_finished(object): a round ended (a :class:`SyncRound`), delivered on the GUI thread.
    """

    round_finished = Signal(object)
    _posted = Signal(object)  # a SyncRound, emitted on the worker thread, received (queued) on the GUI thread

    def __init__(
        self, service: SyncService, parent: QObject | None = None, *, pull_interval: float = PULL_INTERVAL
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.pull_interval = pull_interval
        self.last: SyncRound | None = None
        self._worker: SyncWorker | None = None
        self._gate = _Gate()
        self._posted.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    @property
    def running(self) -> bool:
        """True while the worker thread runs."""
        return self._worker is not None and self._worker.running

    def start(self) -> None:
        """Start the worker (its first round runs at once); a second call, or one after :meth:`stop`, does nothing."""
        if self._worker is not None or self._gate.closed:
            return
        worker = SyncWorker(self.service, self._listen, pull_interval=self.pull_interval)
        self._worker = worker
        self.destroyed.connect(functools.partial(_stop_worker, worker, self._gate))
        worker.start()
        log.info("sync worker started (pull every %g s)", self.pull_interval)

    def nudge(self) -> None:
        """A record was saved: push it now (unless the worker is backing off after a failure)."""
        if self._worker is not None:
            self._worker.nudge()

    def sync_now(self) -> None:
        """Try a round at once, whatever the backoff ("立即重试")."""
        if self._worker is not None:
            self._worker.sync_now()

    def stop(self) -> None:
        """Stop the worker and wait for its thread (a round in progress finishes first)."""
        _stop_worker(self._worker, self._gate)

    def _listen(self, status: SyncStatus, error: YimenError | None, report: SyncReport | None) -> None:
        # The worker thread: post the round, unless the controller is stopping.
        with self._gate.lock:
            if self._gate.closed:
                return
            try:
                self._posted.emit(SyncRound(status, error, report))
            except RuntimeError:  # the C++ side is already gone (deleted before its destroyed hook ran)
                self._gate.closed = True

    def _deliver(self, round_: SyncRound) -> None:
        # The GUI thread.
        self.last = round_
        self.round_finished.emit(round_)
