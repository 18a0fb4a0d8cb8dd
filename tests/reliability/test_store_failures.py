"""A store that cannot be used is refused with one clear Chinese sentence and exit status 2, never a traceback, and
the file is left as it was: a data path that is a file, a damaged database, another workstation's store (encrypted
under another machine's key), a read-only disk, a full disk at the first start or in the middle of encrypting a
plain store of the previous version, a database another program holds locked.  Each fault is caused for real and
the real ``yimen`` command is run against it (the window shows the same sentence in its start-up dialog:
tests/ui/test_startup.py).  A damaged or foreign store is refused by app/integrity.py with the way back for IT
(``yimen restore``)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, write_deployment
from tests.reliability.diskkit import fill, read_only, tmpfs
from tests.storekit import connect_store


def yimen(
    config: Path, data_dir: Path, *args: str, timeout: float = 60, vault: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """The real command; ``vault``: another machine's vault instead of the test's (tests/conftest.py)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    if vault is not None:
        env.update(YIMEN_VAULT_DIR=str(vault), YIMEN_VAULT_RUNTIME_DIR=str(vault.with_name(vault.name + "-run")))
    return subprocess.run(
        [sys.executable, "-m", "ui", *args, "--config", str(config), "--data-dir", str(data_dir)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def listing(
    config: Path, data_dir: Path, timeout: float = 60, vault: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return yimen(config, data_dir, "applications", "list", "--json", timeout=timeout, vault=vault)


def refused(run: subprocess.CompletedProcess[str], *words: str) -> None:
    assert run.returncode == 2, (run.returncode, run.stdout, run.stderr)
    assert "Traceback" not in run.stderr and run.stdout == ""
    assert "ERROR CORE" not in run.stderr, run.stderr  # SQLCipher's own log stays out of the clerk's terminal
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


DAMAGED = ("已损坏", "信息员", "yimen restore", "yimen recover --from-server")


def test_a_damaged_database_is_refused_and_left_as_it_was(tmp_path: Path, config: Path) -> None:
    data = tmp_path / "data"
    assert listing(config, data).returncode == 0  # a real store first
    store = data / "yimen.sqlite3"
    raw = bytearray(store.read_bytes())
    raw[:100] = os.urandom(100)  # the first page's start (SQLCipher's salt, the first bytes of the page): a bad sector
    store.write_bytes(bytes(raw))
    before = digest(store)
    refused(listing(config, data), str(store), *DAMAGED)
    assert digest(store) == before


def test_another_workstations_store_is_refused_and_left_as_it_was(tmp_path: Path, config: Path) -> None:
    """A data folder copied from another PC: its store is encrypted under that machine's key, so it does not open
    here; it is refused, never recreated, and still opens on its own machine."""
    data = tmp_path / "data"
    other_vault = tmp_path / "other-pc" / "vault"
    assert listing(config, data, vault=other_vault).returncode == 0
    store = data / "yimen.sqlite3"
    before = digest(store)
    refused(listing(config, data), str(store), "不是用本机密钥加密的", *DAMAGED)
    assert digest(store) == before
    assert listing(config, data, vault=other_vault).returncode == 0


def _saved_then_killed(config: Path, data: Path) -> None:
    """Applications saved by a counter process that is then SIGKILLed (tests/reliability/_saver.py): its open-file
    tag stays behind, so the next start checks the store (app/integrity.py)."""
    saver = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("_saver.py")), str(config), str(data), "7"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert saver.stdout is not None
    try:
        for _ in range(5):  # five saves returned
            assert saver.stdout.readline().endswith("\n")
    finally:
        saver.kill()
        saver.wait(timeout=60)
        saver.stdout.close()


def _damage_page(store: Path, table: str) -> None:
    """Overwrite part of the first page of ``table`` (after moving every committed page into the main file)."""
    with contextlib.closing(connect_store(store)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    raw = bytearray(store.read_bytes())
    start = (root - 1) * int(page_size) + 1000
    raw[start : start + 512] = os.urandom(512)
    store.write_bytes(bytes(raw))


def test_damage_found_after_an_unclean_stop_is_refused_and_left_as_it_was(tmp_path: Path, config: Path) -> None:
    """A bad sector in a page the start does not read: the store's check after an unclean stop (quick_check) finds
    it, and the store is refused before anything is written."""
    data = tmp_path / "data"
    _saved_then_killed(config, data)
    store = data / "yimen.sqlite3"
    _damage_page(store, "audit_events")
    before = digest(store)
    refused(listing(config, data), str(store), *DAMAGED)
    assert digest(store) == before


def test_a_damaged_page_read_at_a_clean_start_names_the_way_back(tmp_path: Path, config: Path) -> None:
    data = tmp_path / "data"
    assert listing(config, data).returncode == 0
    store = data / "yimen.sqlite3"
    _damage_page(store, "alembic_version")
    before = digest(store)
    refused(listing(config, data), str(store), *DAMAGED)
    assert digest(store) == before


def test_a_read_only_disk_is_refused_and_the_store_left_as_it_was(tmp_path: Path, config: Path) -> None:
    data = tmp_path / "data"
    assert listing(config, data).returncode == 0
    store = data / "yimen.sqlite3"
    with contextlib.closing(connect_store(store)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
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
    holder = connect_store(data / "yimen.sqlite3", isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        # The store waits its busy timeout (10 s) for the lock, then says so.
        refused(listing(config, data, timeout=120), "占用", "稍后重试")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert listing(config, data).returncode == 0
