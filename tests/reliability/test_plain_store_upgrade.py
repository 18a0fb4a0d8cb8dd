"""A workstation of the previous version, whose store and backups are plain SQLite, starts this version: the real
``yimen`` command encrypts the store in place, seals its plain backups and migrates it, and afterwards no file of
the data folder holds a name, an ID number or the schema in the clear; every application is still listed.  A disk
too full for the encrypted copy is refused with the sentence that says so, the plain store left byte for byte as it
was, and the next start with room completes the upgrade (app/integrity.py, db/engine.py ``encrypt_in_place``).

The store is real (tests/db/legacy.py: Alembic at 0007 over the standard library's sqlite3, the shipped catalog
item, names with 𠮷, 䶮 and 堃); so is the full disk (a tmpfs filled to the last byte).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from db.engine import is_plain_sqlite
from tests.conftest import write_deployment
from tests.db.legacy import Legacy, add_plain_backup, files_holding, make_legacy_store
from tests.reliability.diskkit import fill, tmpfs
from tests.reliability.test_store_failures import refused, yimen

DAY = "2026-11-23"  # the legacy store's applications were all taken that day


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def listed(config: Path, data: Path) -> list[dict[str, object]]:
    run = yimen(config, data, "applications", "list", "--date", DAY, "--json")
    assert run.returncode == 0, run.stderr
    return [json.loads(line) for line in run.stdout.splitlines()]


def check_upgraded(config: Path, legacy: Legacy, applications: int, *, sealed: int) -> None:
    """Every application listed; the store encrypted; ``sealed`` sealed backups (the plain ones and the migration's);
    no plaintext anywhere in the data folder."""
    rows = listed(config, legacy.path.parent)
    assert len(rows) == applications
    assert {r["applicant"] for r in rows} == set(legacy.names)
    assert not is_plain_sqlite(legacy.path)
    folder = legacy.path.parent
    assert [p.name for p in folder.rglob("*") if ".encrypting" in p.name or p.name.endswith(".part")] == []
    assert list((folder / "backups").glob("*.sqlite3")) == []  # the plain backups were sealed and removed
    assert len(list((folder / "backups").glob("*.ybak"))) == sealed
    assert files_holding(folder, legacy.needles(id_numbers=50)) == {}


def test_the_previous_versions_store_and_backups_are_encrypted_at_the_first_start(tmp_path: Path) -> None:
    config = write_deployment(tmp_path)
    legacy = make_legacy_store(tmp_path / "data" / "yimen.sqlite3", applications=30)
    backup = add_plain_backup(legacy.path)
    assert set(files_holding(legacy.path.parent, legacy.needles())) == {"yimen.sqlite3", f"backups/{backup.name}"}
    check_upgraded(config, legacy, 30, sealed=2)


def test_a_full_disk_in_the_middle_of_the_encryption_leaves_the_plain_store_as_it_was(tmp_path: Path) -> None:
    config = write_deployment(tmp_path)
    disk = tmp_path / "disk"
    with tmpfs(disk, "16m") as mounted:
        if not mounted:
            pytest.fail("this test needs to mount a tmpfs (run it as root, as CI does)")
        legacy = make_legacy_store(disk / "data" / "yimen.sqlite3", applications=450, batch=50)
        assert legacy.path.stat().st_size > 1_000_000
        before = digest(legacy.path)
        filler = fill(disk)
        os.truncate(filler, filler.stat().st_size - legacy.path.stat().st_size // 2)
        refused(
            yimen(config, legacy.path.parent, "applications", "list", "--json"),
            "无法加密旧版本的数据库",
            str(legacy.path),
            "原文件未做改动",
            "信息员",
        )
        assert digest(legacy.path) == before and is_plain_sqlite(legacy.path)
        assert sorted(p.name for p in legacy.path.parent.iterdir() if p.is_file()) == ["yimen.sqlite3"]
        filler.unlink()
        check_upgraded(config, legacy, 450, sealed=1)


def test_two_processes_starting_together_encrypt_the_store_once(tmp_path: Path) -> None:
    """The window and a scheduled command start at the same moment on a previous version's store: the second waits
    for the first's encryption and finds the store encrypted; both list every application."""
    import subprocess
    import sys

    from tests.conftest import REPO

    legacy = make_legacy_store(tmp_path / "data" / "yimen.sqlite3", applications=300)
    config = write_deployment(tmp_path)
    command = [
        sys.executable, "-m", "ui", "applications", "list", "--date", DAY, "--json",
        "--config", str(config), "--data-dir", str(legacy.path.parent),
    ]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    runs = [subprocess.Popen(command, env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)]  # fmt: skip
    outputs = [run.communicate(timeout=300) for run in runs]
    for run, (out, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, err
        assert len(out.splitlines()) == 300
    check_upgraded(config, legacy, 300, sealed=1)
