"""The workstation's housekeeping, on its own thread while the counter runs: today the daily verified backup
(app/backups.py), which must not depend on the server being configured or reachable.

A plain thread (no Qt; ARCHITECTURE.md invariant 8).  A failed backup is logged with its Chinese message (no
personal data: the message names the folder) and tried again an hour later; it never stops the counter.  IT's
scheduled ``yimen backup --if-due`` does the same for a workstation where the counter is not running.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from app.errors import YimenError

log = logging.getLogger("yimen.housekeeping")

FIRST_DELAY = 120.0  # after start-up: the counter's first minutes belong to the clerk
INTERVAL = 3600.0


class Housekeeping:
    def __init__(
        self,
        backup_if_due: Callable[[], Path | None],
        *,
        first_delay: float = FIRST_DELAY,
        interval: float = INTERVAL,
    ) -> None:
        self.backup_if_due = backup_if_due
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
        self.rounds += 1
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
