"""An unreadable or damaged WAL (issue 12 "Clear failures"): the store's last commits live in ``yimen.sqlite3-wal``
until a checkpoint, so a process killed after a save leaves them there.  A WAL that cannot be opened is a clear
sentence, never a traceback; a WAL whose frames are damaged would let SQLite silently fall back to the older main
file, so the vault's marker (app/integrity.py) refuses it as a store that lost history."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from app.errors import StorageError, StoreRefusedError
from tests.conftest import REPO, write_deployment
from tests.storekit import connect_store

SAVE_AND_DIE = """
import os, sys
from pathlib import Path
from app.bootstrap import open_services
from tests.conftest import add_user
from tests.app.documents.doc_testkit import take
services = open_services(Path(sys.argv[1]), Path(sys.argv[2]))
clerk = add_user(services)
for _ in range(int(sys.argv[3])):
    take(services, clerk, "MZ-SHJZ-002")
os._exit(0)  # killed after the commits: no close, no checkpoint
"""


def save_and_die(config: Path, data: Path, n: int) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", SAVE_AND_DIE, str(config), str(data), str(n)], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


@pytest.fixture
def left_wal(tmp_path: Path) -> tuple[Path, Path]:
    config = write_deployment(tmp_path)
    data = tmp_path / "data"
    save_and_die(config, data, 3)
    wal = data / "yimen.sqlite3-wal"
    assert wal.exists() and wal.stat().st_size > 0
    return config, data


def test_a_wal_that_cannot_be_opened_is_a_clear_message(left_wal: tuple[Path, Path], services_factory: Any) -> None:
    config, data = left_wal
    wal = data / "yimen.sqlite3-wal"
    kept = wal.read_bytes()
    wal.unlink()
    wal.mkdir()  # what a broken copy tool or a bad restore leaves: the WAL's name, but not a file
    with pytest.raises(StorageError) as raised:
        services_factory(config=config, data_dir=data)
    text = raised.value.message.render()
    assert "信息员" in text and "Traceback" not in text
    wal.rmdir()
    wal.write_bytes(kept)  # IT puts the file back: everything committed is there
    services = services_factory(config=config, data_dir=data)
    with connect_store(data / "yimen.sqlite3") as conn:
        assert conn.execute("SELECT count(*) FROM applications").fetchone() == (3,)
    services.close()


def test_damaged_wal_frames_are_refused_not_silently_dropped(
    left_wal: tuple[Path, Path], services_factory: Any
) -> None:
    config, data = left_wal
    wal = data / "yimen.sqlite3-wal"
    size = wal.stat().st_size
    with wal.open("r+b") as handle:  # damage the frames of the last commits (the WAL header stays)
        handle.seek(size // 2)
        handle.write(os.urandom(size - size // 2))
    with pytest.raises(StoreRefusedError) as raised:
        services_factory(config=config, data_dir=data)
    assert "yimen restore" in raised.value.message.render()
