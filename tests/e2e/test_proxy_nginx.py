"""End to end behind a real nginx (Debian's, as a child process on free ports): the shipped site configuration
(installer/server/nginx/yimen-server.conf, only its "site:" lines changed) in front of two ``yimen-server run``
processes on one PostgreSQL database.

- nginx ends TLS with a test CA and balances round robin between the two (its access log names the instance of
  every request, ``$upstream_addr``);
- the instances believe ``X-Forwarded-For`` only from nginx, which connects from 127.0.0.2 (``proxy_bind``) while
  everyone else on this machine connects from 127.0.0.1 or another loopback address: observed through the
  instances' per-address rate limit on enrollment;
- nginx's own rate limit on enrollment answers a burst before it reaches an instance;
- a workstation (the real sync client, over HTTPS with the test CA as ``server.ca_bundle``) pushes while the
  instance holding its request is killed (SIGKILL), then while it is down, then after it is back: every event is
  on the server once, every outbox row acknowledged.

Test clients choose their source address (127.0.0.x), so each part of the test is its own client to nginx and
to the instances, whatever the other parts spent of their budgets.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from requests.adapters import HTTPAdapter
from sqlalchemy import create_engine, text

from app.errors import SyncTransientError
from server.store.db import normalize_url
from tests.app.sync.synckit import Workstation
from tests.conftest import REPO
from tests.serverkit import ServerProcess, Tls, free_port, make_tls, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.allow_warning_logs]  # the killed instance's 502 is logged by the sync

SITE = REPO / "installer" / "server" / "nginx" / "yimen-server.conf"
NGINX_ADDRESS = "127.0.0.2"  # the site's proxy_bind
ENROLL_RATE = 3  # the instances' own budget per address and minute (one token back every 20 s)
ENROLL = {"code": "AAAA-BBBB-CCCC-DDDD", "center_code": "310104003", "workstation_code": "003"}
JSON = {"Accept": "application/json"}


class Instance(ServerProcess):
    """One ``yimen-server@PORT`` as the unit runs it: the settings file's trusted proxy, its name in
    pg_stat_activity (the unit's PGAPPNAME)."""

    def __init__(self, database_url: str, workdir: Path, name: str) -> None:
        workdir.mkdir(parents=True, exist_ok=True)
        super().__init__(database_url, workdir)
        self.name = name

    def env(self) -> dict[str, str]:
        return super().env() | {
            "PGAPPNAME": f"yimen-server@{self.name}",
            "YIMEN_SERVER_TRUSTED_PROXIES": NGINX_ADDRESS,
            "YIMEN_SERVER_ENROLL_RATE_PER_MINUTE": str(ENROLL_RATE),
        }

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"


def site_config(instances: list[Instance], port: int, tls: Tls, logs: Path) -> str:
    """The shipped site with its "site:" lines set for this machine; every other line as shipped."""
    lines = SITE.read_text("utf-8").splitlines()
    wanted = {
        "instance": [f"    server {i.address};" for i in instances],
        "listen": [f"    listen 127.0.0.1:{port} ssl;"],
        "name": ["    server_name localhost;"],
        "certificate": [f"    ssl_certificate {tls.cert_file};"],
        "key": [f"    ssl_certificate_key {tls.key_file};"],
        "access log": [f"    access_log {logs / 'access.log'} yimen_upstream;"],
        "error log": [f"    error_log {logs / 'error.log'} info;"],
    }
    out: list[str] = []
    for line in lines:
        marked = re.search(r"#\s*site:\s*([a-z ]+?)\s*(\(|$)", line)
        if marked is None:
            out.append(line)
            continue
        replacement = wanted[marked.group(1)]
        assert replacement, f"more '# site: {marked.group(1)}' lines in {SITE.name} than this test expects"
        out.append(replacement.pop(0))
    assert not any(wanted.values()), f"'# site:' lines missing in {SITE.name}: {[k for k, v in wanted.items() if v]}"
    return "\n".join(out) + "\n"


class Nginx:
    """``nginx -g 'daemon off;'`` with its pid file, logs and temporary files in ``folder``."""

    def __init__(self, folder: Path, site: str, port: int) -> None:
        self.folder = folder
        self.port = port
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "yimen-server.conf").write_text(site, "utf-8")
        temp = "\n".join(
            f"    {kind}_temp_path {folder / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        # As root the workers would run as nobody, who cannot write request bodies into this test's folder.
        user = f"user {getpass.getuser()};\n" if os.geteuid() == 0 else ""
        (folder / "nginx.conf").write_text(
            f"{user}worker_processes 1;\npid {folder / 'nginx.pid'};\nerror_log {folder / 'error.log'} info;\n"
            f"events {{ worker_connections 256; }}\n"
            f"http {{\n{temp}\n    include {folder / 'yimen-server.conf'};\n}}\n",
            "utf-8",
        )
        command = ["nginx", "-p", str(folder), "-c", str(folder / "nginx.conf")]
        checked = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=30)
        assert checked.returncode == 0, checked.stderr
        with (folder / "stderr.log").open("wb") as stderr:
            self.proc = subprocess.Popen([*command, "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=stderr)

    def wait_ready(self, ca: Path) -> None:
        def answers() -> bool:
            assert self.proc.poll() is None, (self.folder / "stderr.log").read_text("utf-8")
            with contextlib.suppress(requests.RequestException):
                return requests.get(f"https://127.0.0.1:{self.port}/api/v1/health", verify=str(ca), timeout=2).ok
            return False

        wait_until(answers, "nginx answers on its TLS port", timeout=30)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)  # graceful: finish the requests in progress
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)

    def log(self) -> list[dict[str, str]]:
        """The access log: client, method, path, status, instance(s) tried (``-`` when nginx answered itself)."""
        pattern = re.compile(r'^(\S+) \[[^]]+\] "(\S+) (\S+)" (\d+) upstream=(.*?) upstream_status=(\S+(?:, \S+)*) ')
        rows = []
        for line in (self.folder / "access.log").read_text("utf-8").splitlines():
            found = pattern.match(line)
            assert found, line
            client, method, path, status, upstream, _ = found.groups()
            rows.append({"client": client, "method": method, "path": path, "status": status, "upstream": upstream})
        return rows


class FromAddress(HTTPAdapter):
    """requests from a chosen loopback source address (each one another client to nginx)."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def client(address: str, ca: Path) -> requests.Session:
    session = requests.Session()
    session.mount("https://", FromAddress(address))
    session.mount("http://", FromAddress(address))
    session.verify = str(ca)
    return session


def enroll_attempt(session: requests.Session, url: str, forwarded: str | None = None) -> tuple[int, str]:
    """One enrollment with a wrong code: 403 from an instance with budget left, 429 beyond it."""
    headers = JSON | ({"X-Forwarded-For": forwarded} if forwarded else {})
    # verify given per request: requests lets REQUESTS_CA_BUNDLE override a session's own.
    answer = session.post(url + "/api/v1/enrollments", json=ENROLL, headers=headers, timeout=10, verify=session.verify)
    return answer.status_code, answer.text


def server_refused(answer: tuple[int, str]) -> bool:
    """A 429 of an instance (its JSON error), not nginx's page."""
    return answer[0] == 429 and '"rate_limited"' in answer[1]


def nginx_refused(answer: tuple[int, str]) -> bool:
    """nginx's own 429 page (an instance's answers to a program are JSON)."""
    return answer[0] == 429 and "<title>429 Too Many Requests</title>" in answer[1] and "rate_limited" not in answer[1]


@pytest.fixture
def deployment(store_factory: Any, store_url: str, tmp_path: Path) -> Iterator[tuple[list[Instance], Nginx, Tls]]:
    assert store_factory.backend == "postgresql", "this test runs the instances on PostgreSQL (YIMEN_TEST_PG)"
    tls = make_tls(tmp_path / "tls")
    instances = [Instance(store_url, tmp_path / name, name) for name in ("a", "b")]
    nginx: Nginx | None = None
    try:
        for instance in instances:
            instance.start()
        port = free_port()
        nginx = Nginx(tmp_path / "nginx", site_config(instances, port, tls, tmp_path / "nginx"), port)
        nginx.wait_ready(tls.ca_file)
        yield instances, nginx, tls
    finally:
        if nginx is not None:
            nginx.stop()
        for instance in instances:
            instance.stop()


@contextlib.contextmanager
def events_locked(engine: Any) -> Iterator[None]:
    """While open, every insert into the server's events waits (reads go on); rolled back on leaving."""
    with engine.connect() as conn:
        conn.execute(text("LOCK TABLE events IN EXCLUSIVE MODE"))
        yield
        conn.rollback()


def server_event_ids(engine: Any) -> list[str]:
    with engine.connect() as conn:
        return [str(r[0]) for r in conn.execute(text("SELECT event_id FROM events"))]


def waiting_instances(engine: Any) -> list[str]:
    """The instances (their PGAPPNAME) whose database sessions wait on a lock."""
    with engine.connect() as conn:
        return list(
            conn.execute(
                text(
                    "SELECT application_name FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock' AND application_name LIKE 'yimen-server@%'"
                )
            ).scalars()
        )


def test_behind_nginx_tls_balancing_trusted_proxy_rate_limits_and_a_killed_instance(
    deployment: tuple[list[Instance], Nginx, Tls], store_url: str, services_factory: Any, tmp_path: Path
) -> None:
    instances, nginx, tls = deployment
    url = f"https://127.0.0.1:{nginx.port}"

    # ---------------------------------------------------------------- who the client is
    # Straight to an instance from 127.0.0.9: the forged header is not believed, so it buys no fresh budget.
    direct = client("127.0.0.9", tls.ca_file)
    first = instances[0].url
    assert [enroll_attempt(direct, first, "203.0.113.1")[0] for _ in range(ENROLL_RATE)] == [403] * ENROLL_RATE
    for forged in ("203.0.113.2", "198.51.100.7, 203.0.113.3", NGINX_ADDRESS):
        assert server_refused(enroll_attempt(direct, first, forged)), forged

    # Through nginx from 127.0.0.3: the instances count 127.0.0.3 (not nginx's 127.0.0.2), each with its budget.
    third = client("127.0.0.3", tls.ca_file)
    answers = [enroll_attempt(third, url) for _ in range(2 * ENROLL_RATE + 1)]
    assert [a[0] for a in answers[:-1]] == [403] * (2 * ENROLL_RATE), answers
    assert server_refused(answers[-1]), answers[-1]
    # What 127.0.0.3 writes on the left of nginx's entry changes nothing; 127.0.0.4 behind the same nginx is
    # another client, with its own budget.
    assert server_refused(enroll_attempt(third, url, "127.0.0.4"))
    assert enroll_attempt(client("127.0.0.4", tls.ca_file), url)[0] == 403
    # Round robin: each instance took its 3 of 127.0.0.3 before either refused.
    seen = [row["upstream"] for row in nginx.log() if row["client"] == "127.0.0.3"][: 2 * ENROLL_RATE]
    assert sorted(seen) == sorted([i.address for i in instances] * ENROLL_RATE), seen

    # ---------------------------------------------------------------- nginx's own fence
    # A burst from 127.0.0.5: nginx lets the first and its burst (10) through to the instances, and answers enough
    # of the rest itself (10 a minute: one more every 6 s) before they reach an instance.
    fifth = client("127.0.0.5", tls.ca_file)
    burst = [enroll_attempt(fifth, url) for _ in range(20)]
    assert not any(nginx_refused(a) for a in burst[:11]), [a[0] for a in burst]
    assert [a[0] for a in burst[:6]] == [403] * 6 and all(server_refused(a) for a in burst[6:11])
    fenced = [a for a in burst if nginx_refused(a)]
    assert len(fenced) >= 5, [a[0] for a in burst]
    assert all(nginx_refused(a) or server_refused(a) for a in burst[11:])
    # nginx writes a request's log line after its answer has gone out: wait for the burst's twenty lines.
    wait_until(
        lambda: len([row for row in nginx.log() if row["client"] == "127.0.0.5"]) >= len(burst),
        "nginx logged the burst",
        timeout=30,
    )
    logged = [row for row in nginx.log() if row["client"] == "127.0.0.5"]
    assert len([row for row in logged if row["upstream"] == "-" and row["status"] == "429"]) == len(fenced)

    # ---------------------------------------------------------------- a workstation through it all
    engine = create_engine(normalize_url(store_url))
    try:
        station = Workstation(services_factory, tmp_path / "ws", url, mode="production", ca_bundle=str(tls.ca_file))
        station.enroll(engine)
        station.take(6)
        sync = station.service(batch_size=2)

        # The instance holding a push is killed while it waits on the database: nginx answers that request 502
        # (a POST already sent is never passed on), the workstation keeps the batch; the instance's transaction
        # dies with its connection.
        failed: list[BaseException] = []
        pushing = threading.Thread(target=lambda: _catch(sync.sync_once, failed))
        with events_locked(engine):
            pushing.start()
            holder: list[str] = []

            def holding() -> bool:
                holder[:] = waiting_instances(engine)
                return bool(holder)

            wait_until(holding, "an instance holds a push, waiting on the database")
            killed = next(i for i in instances if f"yimen-server@{i.name}" == holder[0])
            killed.kill()
        pushing.join(timeout=60)
        assert not pushing.is_alive()
        assert len(failed) == 1 and isinstance(failed[0], SyncTransientError), failed
        assert "HTTP 502" in failed[0].message.render()
        # The batch it held is not on the server (its transaction died with its connection) and waits at the counter.
        waiting = {str(row.id) for row in station.outbox() if row.state == "pending"}
        assert waiting and not waiting & set(server_event_ids(engine))

        # While it is down, nginx passes every request to the other one.
        station.take(2)
        report = sync.sync_once()
        assert report.push.sent > 0
        assert {row.state for row in station.outbox()} == {"sent"}

        # Back on the same port; more work, pushed by `yimen sync --once` (the command IT and the timer run).
        killed.start()
        station.take(2)
        assert "pending" in {row.state for row in station.outbox()}
        env = dict(os.environ, PYTHONPATH=str(REPO), PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "ui",
                "sync",
                "--once",
                "--config",
                str(station.config),
                "--data-dir",
                str(station.data_dir),
            ],
            env=env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr

        # Nothing lost, nothing twice.
        outbox = station.outbox()
        assert {row.state for row in outbox} == {"sent"}
        stored = server_event_ids(engine)
        with engine.connect() as conn:
            applications = conn.execute(text("SELECT count(*) FROM applications")).scalar_one()
        assert len(stored) == len(set(stored)) == len(outbox)
        assert set(stored) == {str(row.id) for row in outbox}
        assert applications == 10
    finally:
        engine.dispose()

    pushes = [row for row in nginx.log() if row["path"] == "/api/v1/events" and row["method"] == "POST"]
    assert {row["upstream"] for row in pushes if row["status"] == "200"} >= {i.address for i in instances} - {
        killed.address
    }
    assert any(row["status"] == "502" and row["upstream"] == killed.address for row in pushes), pushes


def _catch(call: Any, into: list[BaseException]) -> None:
    try:
        call()
    except BaseException as exc:  # the test asserts which
        into.append(exc)
