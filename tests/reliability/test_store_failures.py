"""A store that cannot be used is refused with one clear Chinese sentence and exit status 2, never a traceback, and
the file is left as it was: a data path that is a file, a damaged database, a read-only disk, a full disk at the
first start, a database another program holds locked.  Each fault is caused for real and the real ``yimen`` command
is run against it (the window shows the same sentence in its start-up dialog: tests/ui/test_startup.py)."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, write_deployment
from tests.reliability.diskkit import fill, read_only, tmpfs


def yimen(config: Path, data_dir: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "-m", "ui", *args, "--config", str(config), "--data-dir", str(data_dir)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def listing(config: Path, data_dir: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return yimen(config, data_dir, "applications", "list", "--json", timeout=timeout)


def refused(run: subprocess.CompletedProcess[str], *words: str) -> None:
    assert run.returncode == 2, (run.returncode, run.stdout, run.stderr)
    assert "Traceback" not in run.stderr and run.stdout == ""
    for word in words:
        assert word in run.stderr, run.stderr


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def config(tmp_path: Path) -> Path:
    return write_deployment(tmp_path)


def test_a_data_path_that_is_a_file(tmp_path: Path, config: Path) -> None:
    path = tmp_path / "data"
    path.write_text("IT's notes", encoding="utf-8")
    refused(listing(config, path), str(path), "是一个文件，不是文件夹", "信息员")
    assert path.read_text(encoding="utf-8") == "IT's notes"


def test_a_damaged_database_is_refused_and_left_as_it_was(tmp_path: Path, config: Path) -> None:
    data = tmp_path / "data"
    assert listing(config, data).returncode == 0  # a real store first
    store = data / "yimen.sqlite3"
    raw = bytearray(store.read_bytes())
    raw[:100] = os.urandom(100)  # the header and the first page's start: what a bad sector does
    store.write_bytes(bytes(raw))
    before = digest(store)
    refused(listing(config, data), "数据库文件已损坏", "从备份恢复")
    assert digest(store) == before


def test_a_read_only_disk_is_refused_and_the_store_left_as_it_was(tmp_path: Path, config: Path) -> None:
    data = tmp_path / "data"
    assert listing(config, data).returncode == 0
    store = data / "yimen.sqlite3"
    with sqlite3.connect(store) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    before = digest(store)
    with read_only(data):
        refused(listing(config, data), str(data), "只读")
    assert digest(store) == before


def test_a_full_disk_at_the_first_start(tmp_path: Path, config: Path) -> None:
    disk = tmp_path / "disk"
    with tmpfs(disk, "4m") as mounted:
        if not mounted:
            pytest.fail("this test needs to mount a tmpfs (run it as root, as CI does)")
        fill(disk)
        refused(listing(config, disk / "data"), "磁盘", "已满")


@pytest.mark.slow
def test_a_database_held_locked_by_another_program(tmp_path: Path, config: Path) -> None:
    data = tmp_path / "data"
    assert listing(config, data).returncode == 0
    holder = sqlite3.connect(data / "yimen.sqlite3", isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        # The store waits its busy timeout (10 s) for the lock, then says so.
        refused(listing(config, data, timeout=120), "占用", "稍后重试")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert listing(config, data).returncode == 0
