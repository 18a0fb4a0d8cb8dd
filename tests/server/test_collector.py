"""The server process's garbage collector (server/asgi.py ``tune_collector``; docs/performance.md "A push close to
COPY"): what a worker builds at start-up is frozen out of the collector's reach and the youngest generation is
collected every 50,000 allocations, not 700.  Checked in a worker's own process, built by the same factory uvicorn
calls; the test process's own collector is left as it is."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path

from server.asgi import GEN0_THRESHOLD
from tests.serverkit import REPO

_WORKER = """
import gc, json
from server.asgi import app_from_environment
before = {"threshold": gc.get_threshold(), "frozen": gc.get_freeze_count()}
app = app_from_environment()
after = {"threshold": gc.get_threshold(), "frozen": gc.get_freeze_count(), "paths": len(app.openapi()["paths"])}
print(json.dumps({"before": before, "after": after}))
"""


def test_a_worker_freezes_what_it_built_and_collects_the_young_less_often(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("YIMEN_SERVER_")}
    env |= {"YIMEN_SERVER_DATABASE_URL": f"sqlite:///{tmp_path / 'server.db'}", "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", _WORKER], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    before, after = seen["before"], seen["after"]
    assert before["threshold"][0] == 700 and before["frozen"] == 0  # Python's defaults until the app is built
    assert after["paths"] > 10  # the real app was built
    assert after["threshold"] == [GEN0_THRESHOLD, before["threshold"][1], before["threshold"][2]]
    # Everything the start-up left alive (modules, the app, its models) is in the permanent generation.
    assert after["frozen"] > 50_000


def test_importing_the_entry_point_changes_nothing() -> None:
    """Only building a worker's app tunes the collector: tests and tools that import the server (this module imported
    server.asgi above) keep Python's."""
    assert gc.get_threshold()[0] != GEN0_THRESHOLD
