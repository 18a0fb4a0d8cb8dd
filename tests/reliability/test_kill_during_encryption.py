"""A workstation killed while its plain store of the previous version is being encrypted loses nothing
(db/engine.py ``encrypt_in_place``: copy, verify, swap; docs/security.md).

A child process encrypts a real plain store (tests/db/legacy.py: schema 0007 over the standard library's sqlite3,
6,000 applications, about 17 MB) and is SIGKILLed at a random moment of the encryption, many times.  After every
kill the store is either the plain file exactly as it was (the same bytes) or the encrypted store with every row of
it; nothing beside it holds a name or an ID number in the clear; and the next start (``encrypt_in_place`` again,
as app/integrity.py does for a store that still starts with SQLite's header) finishes the job.

Real processes, a real SIGKILL, real files; no mocks.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from db.engine import encrypt_in_place, is_plain_sqlite, verify_copy
from tests.db.legacy import encrypted_dump, files_holding, make_legacy_store, plain_dump

REPO = Path(__file__).resolve().parents[2]
SEED = int(os.environ.get("YIMEN_RELIABILITY_SEED", "20261206"))
RUNS = int(os.environ.get("YIMEN_RELIABILITY_RUNS", "10"))
KEY = bytes.fromhex("a7" * 32)
CHILD = (
    "import sys\n"
    "from pathlib import Path\n"
    "from db.engine import encrypt_in_place\n"
    "print('START', flush=True)\n"
    "encrypt_in_place(Path(sys.argv[1]), bytes.fromhex(sys.argv[2]))\n"
    "print('DONE', flush=True)\n"
)

pytestmark = pytest.mark.slow


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _rows_digest(rows: dict[str, list[tuple[object, ...]]]) -> str:
    return hashlib.sha256(repr(sorted(rows.items())).encode("utf-8")).hexdigest()


def _encrypt_in_child(path: Path, kill_after: float | None) -> tuple[bool, float]:
    """Run the encryption in a child; SIGKILL it ``kill_after`` seconds after it started encrypting (None: let it
    finish).  Returns whether it finished and how long it ran."""
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), KEY.hex()],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline() == "START\n"
    started = time.perf_counter()
    if kill_after is not None:
        time.sleep(kill_after)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
    rest = proc.stdout.read()
    proc.wait(timeout=120)
    proc.stdout.close()
    return rest == "DONE\n", time.perf_counter() - started


def test_sigkill_during_the_encryption_loses_nothing(tmp_path: Path) -> None:
    original = make_legacy_store(tmp_path / "original" / "yimen.sqlite3", applications=6000, batch=1000)
    plain_bytes = _digest(original.path)
    rows = plain_dump(original.path)
    rows_digest = _rows_digest(rows)
    counts = {table: len(found) for table, found in rows.items()}
    needles = original.needles(id_numbers=40)

    # How long one encryption takes here, unkilled: the kills fall anywhere in it (and a little after).
    timing = tmp_path / "timing" / "yimen.sqlite3"
    timing.parent.mkdir()
    shutil.copyfile(original.path, timing)
    finished, duration = _encrypt_in_child(timing, None)
    assert finished and encrypted_dump(timing, KEY) == rows

    rng = random.Random(SEED)
    outcomes = {"plain": 0, "encrypted": 0}
    for run in range(RUNS):
        folder = tmp_path / f"run-{run:02d}"
        folder.mkdir()
        store = folder / "yimen.sqlite3"
        shutil.copyfile(original.path, store)
        finished, _ = _encrypt_in_child(store, rng.uniform(0.0, duration * 1.2))

        if is_plain_sqlite(store):
            assert not finished
            outcomes["plain"] += 1
            assert _digest(store) == plain_bytes, f"run {run}: the plain store was changed by a killed encryption"
        else:
            outcomes["encrypted"] += 1
            assert verify_copy(store, KEY, counts) == counts, f"run {run}"
            assert _rows_digest(encrypted_dump(store, KEY)) == rows_digest, f"run {run}: rows differ"
        # Nothing left beside the store shows a name or an ID number (a half-written copy is encrypted too).
        leaked = files_holding(folder, needles)
        if is_plain_sqlite(store):
            leaked.pop("yimen.sqlite3")
        assert leaked == {}, f"run {run}: plaintext beside the store: {sorted(leaked)}"

        # The next start finishes the job on whatever the kill left.
        if is_plain_sqlite(store):
            assert encrypt_in_place(store, KEY) == counts
        assert _rows_digest(encrypted_dump(store, KEY)) == rows_digest, f"run {run}: rows differ after the restart"
        left = sorted(p.name for p in folder.iterdir())
        assert left in (["yimen.sqlite3"], ["yimen.sqlite3", "yimen.sqlite3.encrypting.part"]), (run, left)
        shutil.rmtree(folder)  # 17 MB a run

    # Both sides of the swap were hit (with the default seed and number of runs).
    assert RUNS < 8 or (outcomes["plain"] and outcomes["encrypted"]), outcomes
