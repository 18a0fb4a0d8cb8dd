"""The daily backup of a running counter (app/housekeeping.py): written off the GUI thread without a server,
once a day, and a failure (a read-only backups folder) is logged and tried again, never stopping the counter."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from app import backups
from tests.reliability.diskkit import read_only


def wait_for(condition: Any, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_the_running_counter_backs_up_daily_on_its_own_thread(services: Any) -> None:
    folder = backups.backup_folder(services.db.path)
    assert backups.list_backups(folder) == []
    keeper = services.start_housekeeping(first_delay=0.0, interval=3600.0)
    wait_for(lambda: len(backups.list_backups(folder)) == 1)
    assert keeper.round() is None  # the newest is not a day old: nothing more today
    assert len(backups.list_backups(folder)) == 1
    services.close()
    assert not keeper._thread.is_alive()


@pytest.mark.allow_warning_logs
def test_a_backup_that_cannot_be_written_is_logged_and_tried_again(
    services: Any, caplog: pytest.LogCaptureFixture
) -> None:
    folder = backups.backup_folder(services.db.path)
    folder.mkdir()
    keeper = services.start_housekeeping(first_delay=3600.0, interval=3600.0)
    with read_only(folder):
        assert keeper.round() is None
    assert any("daily backup failed" in r.getMessage() and "备份未能写入" in r.getMessage() for r in caplog.records)
    written = keeper.round()  # IT fixed the folder: the next round writes it
    assert written is not None and written.parent == Path(folder)
