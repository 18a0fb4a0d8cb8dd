"""End to end: the real server as its own process, workstations syncing with ``yimen sync --once`` as real
processes, and the faults the issue lists caused for real (SIGKILL of the server mid-batch, of the client
mid-sync)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from server import migrate
from server.store.db import normalize_url
from tests.app.documents.doc_testkit import take
from tests.conftest import REPO, add_user, write_deployment
from tests.serverkit import (
    FaultProxy,
    ServerProcess,
    count,
    enrollment_code,
    lock_waits,
    operator_token,
    wait_until,
)
from tests.storekit import connect_store

pytestmark = pytest.mark.slow

A = "310104003"
B = "310104004"


class Station:
    """A workstation folder: its deployment file and data folder, used in-process and by ``yimen`` processes."""

    def __init__(self, root: Path, center: str, code: str, server_url: str, batch_size: int = 200) -> None:
        self.folder = root / f"{center}-{code}"
        self.folder.mkdir(parents=True)
        self.config = write_deployment(self.folder, mode="demo", workstation=code, center=center, server_url=server_url)
        self.config.write_text(
            self.config.read_text("utf-8").replace("[server]\n", f"[server]\nbatch_size = {batch_size}\n", 1), "utf-8"
        )
        self.data_dir = self.folder / "data"
        self.center = center
        self.code = code

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        # No OS keyring in these processes (the credential is in the machine vault; keyring is only asked for a
        # credential of an earlier version).  Each workstation is its own machine, with its own vault.
        env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
        env["YIMEN_VAULT_DIR"] = str(self.folder / "vault")
        env["PYTHONPATH"] = str(REPO)
        return env

    def args(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "ui", *args, "--config", str(self.config), "--data-dir", str(self.data_dir)]

    def yimen(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.args(*args), env=self.env(), cwd=REPO, capture_output=True, text=True, timeout=timeout
        )

    def popen(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            self.args(*args), env=self.env(), cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )

    def take(self, services_factory: Any, n: int) -> list[str]:
        outer = os.environ["YIMEN_VAULT_DIR"]
        os.environ["YIMEN_VAULT_DIR"] = self.env()["YIMEN_VAULT_DIR"]  # this workstation's machine
        try:
            services = services_factory(config=self.config, data_dir=self.data_dir)
            try:
                clerk = add_user(services, f"clerk{self.code}")
                return [take(services, clerk, "MZ-SHJZ-002").acceptance_no for _ in range(n)]
            finally:
                services.close()
        finally:
            os.environ["YIMEN_VAULT_DIR"] = outer

    def db(self, sql: str) -> list[tuple[Any, ...]]:
        with connect_store(self.data_dir / "yimen.sqlite3", vault=self.folder / "vault") as conn:
            return conn.execute(sql).fetchall()

    def outbox_ids(self) -> set[str]:
        return {row[0] for row in self.db("SELECT lower(hex(id)) FROM outbox")}


def server_event_ids(engine: Any) -> list[str]:
    with engine.connect() as conn:
        return [str(r[0]).replace("-", "") for r in conn.execute(text("SELECT event_id FROM events"))]


@pytest.fixture
def server(store_url: str, tmp_path: Path) -> Any:
    proc = ServerProcess(store_url, tmp_path)
    proc.start()
    yield proc
    proc.stop()


@pytest.fixture
def engine(store_url: str) -> Any:
    eng = create_engine(normalize_url(store_url))
    yield eng
    eng.dispose()


def enroll(station: Station, engine: Any) -> None:
    done = station.yimen("enroll", "--code", enrollment_code(engine, station.center, station.code))
    assert done.returncode == 0, done.stderr
    assert "已注册" in done.stdout


def test_three_workstations_of_two_centers_offline_then_synced(
    server: ServerProcess, engine: Any, tmp_path: Path, services_factory: Any
) -> None:
    a3 = Station(tmp_path, A, "003", server.url)
    a4 = Station(tmp_path, A, "004", server.url)
    b1 = Station(tmp_path, B, "001", server.url)
    stations = [a3, a4, b1]
    for station in stations:
        enroll(station, engine)
    server.stop()  # the network goes down; the counters keep working
    taken = {s.code: s.take(services_factory, 3) for s in stations}
    offline = a3.yimen("sync", "--once")
    assert offline.returncode != 0
    assert "无法连接中心服务器" in offline.stderr
    server.start()
    for station in stations:
        done = station.yimen("sync", "--once")
        assert done.returncode == 0, done.stderr
    ids = server_event_ids(engine)
    expected = set().union(*(s.outbox_ids() for s in stations))
    assert len(ids) == len(set(ids)) == len(expected)
    assert {i.replace("-", "") for i in expected} == set(ids)
    assert count(engine, "applications") == 9
    for station in stations:
        assert {r[0] for r in station.db("SELECT sync_state FROM applications")} == {"synced"}

    # The back office works on one of A/003's applications; only A/003 hears of it.
    number = taken["003"][1]
    token = operator_token(engine)
    import requests

    answer = requests.post(
        server.url + f"/api/v1/backoffice/applications/{number}/status",
        json={"status": "reviewing", "note": "街道初审"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    for station in stations:
        assert station.yimen("sync", "--once").returncode == 0
    assert a3.db(f"SELECT server_status FROM applications WHERE acceptance_no = '{number}'") == [("reviewing",)]
    for station in (a4, b1):
        assert station.db("SELECT count(*) FROM applications WHERE server_status IS NOT NULL") == [(0,)]
    # B's pull cursor never saw A's entry (the feed is per center); A/004 saw it and had no such record.
    assert b1.db("SELECT value FROM sync_meta WHERE key = 'pull_cursor'") in ([], [("0",)])
    assert a4.db("SELECT value FROM sync_meta WHERE key = 'pull_cursor'") == [("1",)]


@contextlib.contextmanager
def events_locked(url: str) -> Iterator[None]:
    """While open, every write to the server's events table waits (reads go on): PostgreSQL's ``LOCK TABLE events
    IN EXCLUSIVE MODE``, SQLite's one write lock (``BEGIN IMMEDIATE``).  Rolled back on leaving."""
    parsed = make_url(normalize_url(url))
    if parsed.get_backend_name() == "sqlite":
        conn = sqlite3.connect(str(parsed.database), isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            yield
            conn.execute("ROLLBACK")
        finally:
            conn.close()
        return
    engine = create_engine(parsed)
    try:
        with engine.connect() as conn:
            conn.execute(text("LOCK TABLE events IN EXCLUSIVE MODE"))
            yield
            conn.rollback()
    finally:
        engine.dispose()


def test_server_killed_in_the_middle_of_a_batch(
    server: ServerProcess, engine: Any, store_url: str, tmp_path: Path, services_factory: Any
) -> None:
    """The server is SIGKILLed while a batch is inside its transaction: nothing of that batch is kept, the sync
    fails with its reason, and the next sync stores everything exactly once.  The proxy and a lock on the events
    table stop client and server at known points, so the kill lands where the test says, however fast or slow
    the machine."""
    proxy = FaultProxy(server.port)
    try:
        station = Station(tmp_path, A, "003", proxy.url, batch_size=20)
        enroll(station, engine)
        station.take(services_factory, 120)
        proxy.hold_after(2)  # batches 1 and 2 reach the server; the third waits in the proxy
        sync = station.popen("sync", "--once")
        proxy.wait_until(lambda p: p.answered == 2 and p.held == 1, "the third batch waits in the proxy")
        assert count(engine, "events") == 40  # what the server answered, it had committed
        with events_locked(store_url):
            proxy.let_through(1)
            proxy.wait_until(lambda p: p.forwarded == 3, "the third batch reaches the server")
            if engine.dialect.name == "postgresql":  # seen waiting inside its transaction
                wait_until(lambda: lock_waits(engine, "INSERT INTO events") > 0, "the third batch waits on the lock")
            server.kill()
        proxy.release()
        out, err = sync.communicate(timeout=120)
        assert sync.returncode != 0 and ("无法连接" in err or "重试" in err), err
        assert count(engine, "events") == 40  # the batch the server died in left nothing behind
        sent = {row[0] for row in station.db("SELECT lower(hex(id)) FROM outbox WHERE state = 'sent'")}
        assert len(sent) == 40 and {i.replace("-", "") for i in sent} <= set(server_event_ids(engine))
        server.start()
        done = station.yimen("sync", "--once")
        assert done.returncode == 0, done.stderr
        ids = server_event_ids(engine)
        assert len(ids) == len(set(ids)) == len(station.outbox_ids()) == 120
        assert station.db("SELECT count(*) FROM outbox WHERE state != 'sent'") == [(0,)]
    finally:
        proxy.close()


def test_client_killed_mid_sync_and_restarted(
    server: ServerProcess, engine: Any, tmp_path: Path, services_factory: Any
) -> None:
    """The client is SIGKILLed mid-sync, while it records the answers it has and its next batch waits in the
    proxy: its database stays whole, what it marked sent the server has, and the next sync finishes the job."""
    proxy = FaultProxy(server.port)
    try:
        station = Station(tmp_path, A, "003", proxy.url, batch_size=10)
        enroll(station, engine)
        station.take(services_factory, 100)
        proxy.hold_after(2)
        sync = station.popen("sync", "--once")
        proxy.wait_until(lambda p: p.answered == 2 and p.held == 1, "the third batch waits in the proxy")
        sync.send_signal(signal.SIGKILL)
        sync.communicate(timeout=10)
        assert sync.returncode == -signal.SIGKILL
        assert station.db("PRAGMA integrity_check") == [("ok",)]
        assert count(engine, "events") == 20  # exactly the two batches the server answered
        sent = {row[0].replace("-", "") for row in station.db("SELECT lower(hex(id)) FROM outbox WHERE state = 'sent'")}
        # The first batch was recorded before the third was sent; the second's record may or may not have landed.
        assert len(sent) in (10, 20) and sent <= set(server_event_ids(engine))
        proxy.release()
        done = station.yimen("sync", "--once")
        assert done.returncode == 0, done.stderr
        ids = server_event_ids(engine)
        assert len(ids) == len(set(ids)) == 100
        assert station.db("SELECT count(*) FROM outbox WHERE state = 'sent'") == [(100,)]
    finally:
        proxy.close()


def test_yimen_sync_once_names_the_reason_when_not_enrolled(server: ServerProcess, tmp_path: Path) -> None:
    station = Station(tmp_path, A, "003", server.url)
    done = station.yimen("sync", "--once")
    assert done.returncode == 2
    assert "尚未在中心服务器注册" in done.stderr


def test_server_refuses_to_run_on_an_unmigrated_store(store_factory: Any, tmp_path: Path) -> None:
    proc = ServerProcess(store_factory.empty(), tmp_path)
    done = proc.cli("run", "--port", str(proc.port))
    assert done.returncode == 3
    assert "yimen-server migrate" in done.stderr


def test_two_migrations_at_once_both_succeed(store_factory: Any, tmp_path: Path) -> None:
    proc = ServerProcess(store_factory.empty(), tmp_path)
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "server", "migrate"],
            env=proc.env(),
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [r.communicate(timeout=120) for r in runs]
    assert [r.returncode for r in runs] == [0, 0], outputs
    head = migrate.head_revision()
    assert [o[0].strip().endswith(f"→ {head}") for o in outputs] == [True, True]
    done = proc.cli("admin", "stats")
    assert done.returncode == 0 and '"events": 0' in done.stdout


def test_admin_cli_moves_a_status_and_refuses_an_illegal_one(
    server: ServerProcess, engine: Any, tmp_path: Path, services_factory: Any
) -> None:
    station = Station(tmp_path, A, "003", server.url)
    enroll(station, engine)
    (number,) = station.take(services_factory, 1)
    assert station.yimen("sync", "--once").returncode == 0
    assert server.cli("admin", "operator", "add", "徐汇后台", "--center", A).returncode == 0
    ok = server.cli("admin", "status", number, "reviewing", "--operator", "徐汇后台", "--note", "初审")
    assert ok.returncode == 0 and '"reviewing"' in ok.stdout
    illegal = server.cli("admin", "status", number, "received", "--operator", "徐汇后台")
    assert illegal.returncode == 1 and "不能改为" in illegal.stderr
    revoked = server.cli("admin", "revoke", "--center", A, "--workstation", "003")
    assert revoked.returncode == 0
    after = station.yimen("sync", "--once")
    assert after.returncode == 2 and "吊销" in after.stderr


def test_admin_cli_acts_only_as_an_operator_that_exists_may_act_and_is_recorded(
    server: ServerProcess, engine: Any, tmp_path: Path, services_factory: Any
) -> None:
    """The command line acts in the name of a named, usable operator granted the application's center; that
    operator is the recorded actor and the access is logged; there is no free text for the actor."""
    import requests

    station = Station(tmp_path, A, "003", server.url)
    enroll(station, engine)
    (number,) = station.take(services_factory, 1)
    assert station.yimen("sync", "--once").returncode == 0
    added = server.cli("admin", "operator", "add", "徐汇后台", "--center", A, "--expires", "30")
    assert added.returncode == 0, added.stderr
    token = added.stdout.strip()
    assert token.startswith("ymo_")
    assert server.cli("admin", "operator", "add", "长宁后台", "--center", B, "--expires", "2099-12-31").returncode == 0

    free_text = server.cli("admin", "status", number, "reviewing", "--by", "任何人")
    assert free_text.returncode == 2 and "--operator" in free_text.stderr
    unknown = server.cli("admin", "status", number, "reviewing", "--operator", "无此人")
    assert unknown.returncode == 1 and "没有名为“无此人”的后台凭证" in unknown.stderr
    foreign = server.cli("admin", "status", number, "reviewing", "--operator", "长宁后台")
    assert foreign.returncode == 1 and f"没有办件编号为 {number} 的申请" in foreign.stderr
    done = server.cli("admin", "status", number, "reviewing", "--operator", "徐汇后台")
    assert done.returncode == 0, done.stderr
    with engine.connect() as conn:
        assert conn.execute(text("SELECT status_by FROM applications")).scalar_one() == "徐汇后台"
        log = [
            tuple(r)
            for r in conn.execute(text("SELECT operator_name, action, acceptance_no, via FROM operator_access"))
        ]
    assert log == [("徐汇后台", "status:reviewing", number, "cli")]

    revoked = server.cli("admin", "operator", "revoke", "徐汇后台")
    assert revoked.returncode == 0 and "已吊销" in revoked.stdout
    assert server.cli("admin", "operator", "revoke", "徐汇后台").returncode == 1
    after = server.cli("admin", "status", number, "completed", "--operator", "徐汇后台")
    assert after.returncode == 1 and "已过期或已吊销" in after.stderr
    answer = requests.post(
        server.url + f"/api/v1/backoffice/applications/{number}/status",
        json={"status": "completed"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=5,
    )
    assert answer.status_code == 401
    listed = server.cli("admin", "operator", "list")
    assert listed.returncode == 0 and token not in listed.stdout
    rows = {row["name"]: row for row in json.loads(listed.stdout)}
    assert rows["徐汇后台"]["revoked_at"] and rows["长宁后台"]["centers"] == B
    assert rows["长宁后台"]["expires_at"].startswith("2099-12-31T16:00:00")  # the end of that day in Beijing


def test_admin_cli_refuses_duplicates_impossible_codes_and_a_missing_grant_with_a_clear_message(
    server: ServerProcess,
) -> None:
    assert server.cli("admin", "operator", "add", "徐汇后台", "--all-centers").returncode == 0
    duplicate = server.cli("admin", "operator", "add", "徐汇后台", "--center", A)
    assert duplicate.returncode == 1 and "已有名为“徐汇后台”的后台凭证" in duplicate.stderr
    assert "Traceback" not in duplicate.stderr and duplicate.stdout == ""
    ungranted = server.cli("admin", "operator", "add", "无授权")
    assert ungranted.returncode == 2 and "--center" in ungranted.stderr
    past = server.cli("admin", "operator", "add", "过期", "--center", A, "--expires", "2020-01-01")
    assert past.returncode == 1 and "有效期须在将来" in past.stderr
    garbled = server.cli("admin", "operator", "add", "乱写", "--center", A, "--expires", "下个月")
    assert garbled.returncode == 2 and "既不是天数" in garbled.stderr
    bad_center = server.cli("admin", "operator", "add", "错中心", "--center", "3101")
    assert bad_center.returncode == 1 and "中心代码“3101”无效" in bad_center.stderr
    for center, workstation, said in (("31010400", "003", "中心代码“31010400”无效"), (A, "03", "工位代码“03”无效")):
        refused = server.cli("admin", "enroll-code", "--center", center, "--workstation", workstation)
        assert refused.returncode == 1 and said in refused.stderr and refused.stdout == ""
    assert server.cli("admin", "enroll-code", "--center", A, "--workstation", "003").returncode == 0


def test_a_catalog_version_published_centrally_reaches_the_counter(
    server: ServerProcess, engine: Any, tmp_path: Path
) -> None:
    """事项变更 as data: exported to canonical JSON, published on the server, pulled and hash-checked at the counter."""
    station = Station(tmp_path, A, "003", server.url)
    enroll(station, engine)
    source = REPO / "resources" / "catalog" / "items" / "MZ-SHJZ-002.yaml"
    changed = tmp_path / "MZ-SHJZ-002.yaml"
    changed.write_text(source.read_text("utf-8").replace("\nversion: 1\n", "\nversion: 2\n", 1), "utf-8")
    exported = subprocess.run(
        [sys.executable, "-m", "ui", "catalog", "export", str(changed), "--out", str(tmp_path / "out")],
        env=station.env(),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert exported.returncode == 0, exported.stderr
    path_text, sha = exported.stdout.strip().split("\t")
    published = server.cli("admin", "catalog-publish", path_text)
    assert published.returncode == 0 and "已发布" in published.stdout, published.stderr
    again = server.cli("admin", "catalog-publish", path_text)
    assert "未改动" in again.stdout
    assert station.yimen("sync", "--once").returncode == 0
    rows = station.db("SELECT version, sha256 FROM catalog_versions WHERE item_code = 'MZ-SHJZ-002' ORDER BY version")
    assert rows[-1] == (2, sha)


def test_the_same_batch_from_two_clients_at_once_on_two_worker_processes(
    store_url: str, engine: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`yimen-server run --workers 2`: two uvicorn processes on one store; the same batch arrives twice at once
    (a workstation restored from a disk image, or a retry racing the original): each event is stored once."""
    import requests

    from tests.server import wire

    # All six pushes admitted at once, whichever process gets them: this is about dedup, not admission control.
    monkeypatch.setenv("YIMEN_SERVER_MAX_CONCURRENT_PUSHES", "6")
    proc = ServerProcess(store_url, tmp_path, workers=2)
    proc.start()
    try:
        code = enrollment_code(engine, A, "003")
        token = requests.post(
            proc.url + "/api/v1/enroll",
            json={"code": code, "center_code": A, "workstation_code": "003"},
            timeout=10,
        ).json()["token"]
        events = [wire.taken(f"{A}-003-20261123-{n:04d}") for n in range(1, 301)]
        body = {"events": [wire.pushed(e) for e in events]}
        answers: list[list[str]] = []
        barrier = threading.Barrier(6)

        def send() -> None:
            # A session each: separate connections, so the balancer-less kernel spreads them over both workers.
            with requests.Session() as session:
                barrier.wait()
                reply = session.post(
                    proc.url + "/api/v1/events", json=body, headers={"Authorization": f"Bearer {token}"}, timeout=60
                )
                assert reply.status_code == 200, reply.text
                answers.append([r["outcome"] for r in reply.json()["results"]])

        threads = [threading.Thread(target=send) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(90)
        assert len(answers) == 6
        for position in range(len(events)):
            column = sorted(a[position] for a in answers)
            assert column == ["duplicate"] * 5 + ["stored"], column
        assert count(engine, "events") == 300 and count(engine, "applications") == 300
    finally:
        proc.stop()
