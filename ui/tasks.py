"""The one background runner (STYLE.md §4; ARCHITECTURE.md invariant 8; after Anki's ``qt/aqt/taskman.py``).

* **Database worker** — a single-worker executor for every call into the core that touches the database.  SQLite
  has one writer, so one worker serialises the writes, and the GUI thread never waits on a disk or a lock.  Each
  call opens its own session inside the core (``Database.write()`` / ``read()``).  A task the clerk is waiting on
  (``urgent=True``: the documents of a decision, on the way to the preview) runs before the queued ordinary ones
  (the list's reload, the rating's question), in order among themselves; a running task is never interrupted.
* **Renderer thread** — a second single-worker executor reserved for ReportLab (its font subsetting state is
  shared, so it is not thread-safe).  Documents are drawn and printed there (:mod:`ui.documents`).
* **Network** — a small pool of its own for calls that wait on something outside: the central server (enrolling the
  workstation) or the OS keyring (reading where sync stands), so they never hold up a save on the database worker.
  The background sync has its own thread (:mod:`app.sync.worker`, driven by :mod:`ui.sync`).

Results come back to the GUI thread through a queued signal and are handed to the caller's callbacks there.
Workers never touch widgets: a task is a plain function of the core, its callbacks run on the GUI thread.

Errors: an expected failure (:class:`~app.errors.YimenError`) goes to the task's ``on_error`` callback, or to
:attr:`TaskRunner.failed` when it has none.  Anything else is a bug: it is re-raised on the GUI thread, where the
crash handler (``sys.excepthook``, see :mod:`ui.crash`) logs it and shows the crash dialog — and where pytest-qt
turns it into a test failure.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Signal
from shiboken6 import Shiboken

from app.errors import YimenError

log = logging.getLogger("yimen.ui.tasks")


@dataclass
class _Job:
    """One call to run off the GUI thread, and where its outcome goes."""

    func: Callable[[], Any]
    on_done: Callable[[Any], None] | None
    on_error: Callable[[YimenError], None] | None
    owner: QObject | None
    name: str
    result: Any = None
    error: BaseException | None = field(default=None)


class TaskRunner(QObject):
    """Runs the core's calls on background threads and hands the outcome back on the GUI thread.

    Signals:
        busy_changed(bool): the database worker went from idle to busy or back (for a busy cursor).
        failed(object): an expected failure (a ``YimenError``) that no ``on_error`` callback took.
        finished(str): a task finished and its callbacks ran (its name; tests and logs).
    """

    busy_changed = Signal(bool)
    failed = Signal(object)
    finished = Signal(str)
    _delivered = Signal(object)  # a _Job, emitted on a worker thread, received (queued) on the GUI thread

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db: Executor | None = ThreadPoolExecutor(max_workers=1, thread_name_prefix="yimen-db")
        self._render: Executor | None = ThreadPoolExecutor(max_workers=1, thread_name_prefix="yimen-render")
        self._net: Executor | None = ThreadPoolExecutor(max_workers=2, thread_name_prefix="yimen-net")
        self._pending = 0
        # The database worker's queue, by (0 urgent / 1 ordinary, order of submission); each task submitted to the
        # executor runs the first one of it (so the executor runs exactly as many as were queued).
        self._db_queue: list[tuple[int, int, _Job]] = []
        self._db_lock = threading.Lock()
        self._db_order = itertools.count()
        self._delivered.connect(self._deliver)

    @property
    def idle(self) -> bool:
        """True when no task (database, renderer or network) is queued, running or waiting to be delivered."""
        return self._pending == 0

    def run_db(
        self,
        func: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[YimenError], None] | None = None,
        *,
        owner: QObject | None = None,
        name: str = "",
        urgent: bool = False,
    ) -> None:
        """Run ``func`` (a call into the core) on the database worker.

        Args:
            func: the work; it must not touch widgets.
            on_done: called on the GUI thread with the result.
            on_error: called on the GUI thread with an expected failure; without it :attr:`failed` is emitted.
            owner: a widget the callbacks belong to: when it has been deleted meanwhile, they are skipped.
            name: for logs and the :attr:`finished` signal.
            urgent: the clerk is waiting on it: it runs before the ordinary tasks queued meanwhile (after the running
                one and the urgent ones queued before it).  Only for a task whose order against the queued ordinary
                ones does not matter (it reads or writes what they do not).
        """
        job = _Job(func, on_done, on_error, owner, name or getattr(func, "__name__", "task"))
        if self._db is None:
            self._submit(None, job)
            return
        with self._db_lock:
            heapq.heappush(self._db_queue, (0 if urgent else 1, next(self._db_order), job))
        self._submit(self._db, job, self._work_next_db)

    def run_render(
        self,
        func: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[YimenError], None] | None = None,
        *,
        owner: QObject | None = None,
        name: str = "",
    ) -> None:
        """Run ``func`` on the renderer thread (ReportLab; the documents issue).  Same contract as :meth:`run_db`."""
        self._submit(self._render, _Job(func, on_done, on_error, owner, name or getattr(func, "__name__", "render")))

    def run_net(
        self,
        func: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[YimenError], None] | None = None,
        *,
        owner: QObject | None = None,
        name: str = "",
    ) -> None:
        """Run ``func`` (a call that waits on the central server) on the network pool.  Same contract as
        :meth:`run_db`; a call that also writes the database opens its own session (``BEGIN IMMEDIATE``)."""
        self._submit(self._net, _Job(func, on_done, on_error, owner, name or getattr(func, "__name__", "network")))

    def shutdown(self) -> None:
        """Wait for the running tasks and stop the threads (at exit; before the database is closed)."""
        for executor in (self._db, self._render, self._net):
            if executor is not None:
                executor.shutdown(wait=True)
        self._db = self._render = self._net = None

    def _submit(self, executor: Executor | None, job: _Job, work: Callable[[_Job], None] | None = None) -> None:
        if executor is None:
            log.info("task %s dropped: the runner is shut down", job.name)
            return
        if self._pending == 0:
            self.busy_changed.emit(True)
        self._pending += 1
        executor.submit(work or self._work, job)

    def _work_next_db(self, _submitted: _Job) -> None:
        # Database worker: run the first queued job (urgent first), not necessarily the one this call was submitted
        # for; every submission pops exactly one, so the queue is never empty here.
        with self._db_lock:
            _priority, _order, job = heapq.heappop(self._db_queue)
        self._work(job)

    def _work(self, job: _Job) -> None:
        # Worker thread: run the call, keep whatever it raised, and post the job back to the GUI thread.
        try:
            job.result = job.func()
        except BaseException as exc:  # handed to the GUI thread, which decides
            job.error = exc
        self._delivered.emit(job)

    def _deliver(self, job: _Job) -> None:
        # GUI thread.
        self._pending -= 1
        try:
            if job.owner is not None and not Shiboken.isValid(job.owner):
                log.info("task %s finished after its window closed; result dropped", job.name)
                return
            if job.error is None:
                if job.on_done is not None:
                    job.on_done(job.result)
            elif isinstance(job.error, YimenError):
                log.info("task %s: %s (%s)", job.name, job.error.message.render(), job.error.code)
                if job.on_error is not None:
                    job.on_error(job.error)
                else:
                    self.failed.emit(job.error)
            else:
                raise job.error  # a bug: to sys.excepthook (crash dialog and log; a failure under pytest-qt)
        finally:
            if self._pending == 0:
                self.busy_changed.emit(False)
            self.finished.emit(job.name)
