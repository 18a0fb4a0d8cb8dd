"""The workstation's housekeeping, on its own thread while the counter runs: the daily verified backup
(app/backups.py), which must not depend on the server being configured or reachable, then the purge of closed cases
past the retention period (app/retention.py), then the pruning of acknowledged payloads and PDFs past theirs
(app/pruning.py), each in small transactions that never hold a save back for long.

A plain thread (no Qt; ARCHITECTURE.md invariant 8).  A failed task is logged with its Chinese message (no
personal data: the message names the folder) and tried again an hour later; one task's failure never skips the
others, and none stops the counter.  IT's scheduled ``yimen backup --if-due``, ``yimen purge`` and ``yimen prune`` do
the same for a workstation where the counter is not running.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.errors import YimenError

log = logging.getLogger("yimen.housekeeping")

FIRST_DELAY = 120.0  # after start-up: the counter's first minutes belong to the clerk
INTERVAL = 3600.0


class Housekeeping:
    def __init__(
        self,
        backup_if_due: Callable[[], Path | None],
        *,
        purge: Callable[[], Any] | None = None,
        prune: Callable[[], Any] | None = None,
        first_delay: float = FIRST_DELAY,
        interval: float = INTERVAL,
    ) -> None:
        self.backup_if_due = backup_if_due
        self.purge = purge
        self.prune = prune
        self.first_delay = first_delay
        self.interval = interval
        self.rounds = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="yimen-housekeeping", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _run(self) -> None:
        if self._stop.wait(self.first_delay):
            return
        while not self._stop.is_set():
            self.round()
            if self._stop.wait(self.interval):
                return

    def round(self) -> Path | None:
        """One round: the backup when due, then the purge, then the pruning; returns the backup written (None: none
        due, or it failed)."""
        self.rounds += 1
        written = self._backup()
        if self.purge is not None:
            self._purge(self.purge)
        if self.prune is not None:
            self._prune(self.prune)
        return written

    def _backup(self) -> Path | None:
        try:
            written = self.backup_if_due()
        except YimenError as exc:
            log.warning("daily backup failed: %s", exc.message.render())
            return None
        except Exception:  # a bug: logged with its traceback; the counter goes on
            log.exception("daily backup failed")
            return None
        if written is not None:
            log.info("daily backup written: %s", written.name)
        return written

    @staticmethod
    def _purge(purge: Callable[[], Any]) -> None:
        try:
            purge()  # logs what it removed (counts only)
        except YimenError as exc:
            log.warning("retention purge failed: %s", exc.message.render())
        except Exception:  # a bug: logged with its traceback; the counter goes on
            log.exception("retention purge failed")

    @staticmethod
    def _prune(prune: Callable[[], Any]) -> None:
        try:
            prune()  # logs what it cleared (counts and bytes only)
        except YimenError as exc:
            log.warning("pruning failed: %s", exc.message.render())
        except Exception:  # a bug or a store fault: logged with its traceback; the counter goes on
            log.exception("pruning failed")
