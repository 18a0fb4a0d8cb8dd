"""Real central servers for the tests: a fresh store per test (PostgreSQL where one answers, else SQLite files;
under CI, PostgreSQL unless ``YIMEN_TEST_PG=none``), the server on 127.0.0.1 in a thread (uvicorn) or as its own
process (``python -m server run``), enrollment helpers, a throw-away TLS CA, and a fault-injecting TCP proxy for
the network faults the tests cause for real.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

REPO = Path(__file__).resolve().parent.parent
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


#: Values of ``YIMEN_TEST_PG`` that ask for SQLite files explicitly.
SQLITE_CHOICES = {"none", "sqlite", "0"}


class NoPostgresError(Exception):
    """Under CI, the server tests were to run on PostgreSQL and none answered."""


def choose_postgres(env: Mapping[str, str], answers: Callable[[str], bool]) -> str | None:
    """The PostgreSQL to create test databases in, or None for SQLite files.

    ``YIMEN_TEST_PG`` names it (a SQLAlchemy URL; empty is as if unset), else the local one at 127.0.0.1:5432;
    ``YIMEN_TEST_PG=none`` asks for SQLite files.  When the PostgreSQL does not answer (``answers(url)`` is false),
    a developer's run falls back to SQLite files, but a CI run (``CI=true``) raises :class:`NoPostgresError`: a CI
    run that silently tested on SQLite would claim more than it tested.
    """
    url = env.get("YIMEN_TEST_PG", "").strip() or DEFAULT_PG
    if url.lower() in SQLITE_CHOICES:
        return None
    parsed = make_url(url)
    if parsed.drivername in {"postgresql", "postgres"}:
        parsed = parsed.set(drivername="postgresql+psycopg")
    url = parsed.render_as_string(hide_password=False)
    if answers(url):
        return url
    if env.get("CI", "").strip().lower() in {"true", "1", "yes"}:
        shown = parsed.render_as_string(hide_password=True)
        raise NoPostgresError(
            f"CI run: no PostgreSQL answers at {shown}, and the server tests would fall back to SQLite. "
            "Start PostgreSQL or point YIMEN_TEST_PG at one; set YIMEN_TEST_PG=none to run them on SQLite on purpose."
        )
    return None


def _answers(url: str) -> bool:
    engine = create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception:
        return False
    finally:
        engine.dispose()
    return True


def admin_url_or_exit(env: Mapping[str, str], answers: Callable[[str], bool]) -> str | None:
    """:func:`choose_postgres`, ending the whole pytest run with the reason when CI has no PostgreSQL."""
    try:
        return choose_postgres(env, answers)
    except NoPostgresError as exc:
        pytest.exit(str(exc), returncode=pytest.ExitCode.USAGE_ERROR)


@cache
def postgres_admin_url() -> str | None:
    """The PostgreSQL of this run (see :func:`choose_postgres`).  First asked for by the test header at session
    start, else by the first test that needs a store."""
    return admin_url_or_exit(os.environ, _answers)


def store_description() -> str:
    url = postgres_admin_url()
    if url is None and os.environ.get("YIMEN_TEST_PG", "").strip().lower() in SQLITE_CHOICES:
        return "server tests: on SQLite files (YIMEN_TEST_PG=none)"
    if url is None:
        return "server tests: no PostgreSQL answered (YIMEN_TEST_PG or 127.0.0.1:5432): running on SQLite files"
    shown = make_url(url).render_as_string(hide_password=True)
    return f"server tests: PostgreSQL at {shown} (each test creates and drops its own database)"


class StoreFactory:
    """Fresh, migrated server stores.  The schema is migrated once into a template (a PostgreSQL template
    database, or a SQLite file) and each test gets its own copy."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.admin = postgres_admin_url()
        self._template: str | None = None
        self._made: list[str] = []

    @property
    def backend(self) -> str:
        return "postgresql" if self.admin else "sqlite"

    def _admin_exec(self, sql: str) -> None:
        assert self.admin is not None
        engine = create_engine(self.admin, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.execute(text(sql))
        finally:
            engine.dispose()

    def _url_for(self, name: str) -> str:
        assert self.admin is not None
        return make_url(self.admin).set(database=name).render_as_string(hide_password=False)

    def _ensure_template(self) -> str:
        from server import migrate
        from server.store.db import create_store_engine

        if self._template is not None:
            return self._template
        if self.admin:
            name = f"yimen_tmpl_{os.getpid()}_{uuid.uuid4().hex[:6]}"
            self._admin_exec(f'CREATE DATABASE "{name}"')
            self._made.append(name)
            url = self._url_for(name)
        else:
            path = self.workdir / "template.db"
            url = f"sqlite:///{path}"
            name = str(path)
        engine = create_store_engine(url)
        try:
            migrate.upgrade(engine)
        finally:
            engine.dispose()
        self._template = name
        return name

    def empty(self) -> str:
        """A database with no schema at all (for the migration tests)."""
        if self.admin:
            name = f"yimen_t_{uuid.uuid4().hex[:12]}"
            self._admin_exec(f'CREATE DATABASE "{name}"')
            self._made.append(name)
            return self._url_for(name)
        return f"sqlite:///{self.workdir / f'{uuid.uuid4().hex[:12]}.db'}"

    def fresh(self) -> str:
        template = self._ensure_template()
        if self.admin:
            name = f"yimen_t_{uuid.uuid4().hex[:12]}"
            self._admin_exec(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            self._made.append(name)
            return self._url_for(name)
        target = self.workdir / f"{uuid.uuid4().hex[:12]}.db"
        shutil.copyfile(template, target)
        return f"sqlite:///{target}"

    def close(self) -> None:
        if not self.admin:
            return
        for name in reversed(self._made):
            with contextlib.suppress(Exception):
                self._admin_exec(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Tls:
    """A throw-away CA (trustme) and a certificate for 127.0.0.1 signed by it."""

    ca_file: Path
    cert_file: Path
    key_file: Path


def make_tls(folder: Path) -> Tls:
    import trustme

    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    folder.mkdir(parents=True, exist_ok=True)
    tls = Tls(folder / "ca.pem", folder / "server.pem", folder / "server.key")
    ca.cert_pem.write_to_path(str(tls.ca_file))
    cert.cert_chain_pems[0].write_to_path(str(tls.cert_file))
    cert.private_key_pem.write_to_path(str(tls.key_file))
    return tls


@dataclass
class ServerThread:
    """The real FastAPI app on uvicorn, in a thread of the test process (fast to start; real HTTP)."""

    database_url: str
    tls: Tls | None = None
    settings_overrides: dict[str, Any] = field(default_factory=dict)
    #: 0: a free port, bound here and handed to uvicorn as it is, so no other process can take it in between (as
    #: a port found free and bound again later could be); a test that restarts a server passes the same port again.
    port: int = 0

    def __post_init__(self) -> None:
        import uvicorn

        from server.app import create_app
        from server.settings import ServerSettings

        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds its own
        self.socket.bind(("127.0.0.1", self.port))
        self.port = int(self.socket.getsockname()[1])

        self.settings = ServerSettings(database_url=self.database_url, port=self.port, **self.settings_overrides)
        self.app = create_app(self.settings)
        ssl: dict[str, Any] = {}
        if self.tls is not None:
            ssl = {"ssl_certfile": str(self.tls.cert_file), "ssl_keyfile": str(self.tls.key_file)}
        # As `yimen-server run` does (server/cli.py): the client address is decided by the app, never by uvicorn's
        # own proxy-header handling.
        config = uvicorn.Config(
            self.app,
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            access_log=False,
            lifespan="on",
            proxy_headers=False,
            **ssl,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    @property
    def api(self) -> str:
        return self.url + "/api/v1"

    def engine(self) -> Any:
        return self.app.state.runtime.engine

    def session(self) -> Session:
        return Session(self.engine())

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)
        self.socket.close()  # uvicorn's shutdown closed it already; the port is free for a restart either way
        self.engine().dispose()


class ServerProcess:
    """``python -m server run`` as its own process: can be killed (SIGKILL) and started again on the same port."""

    def __init__(self, database_url: str, workdir: Path, *, port: int | None = None, workers: int = 1) -> None:
        self.database_url = database_url
        self.workers = workers
        self.port = port or free_port()
        self.workdir = workdir
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["YIMEN_SERVER_DATABASE_URL"] = self.database_url
        env["PYTHONPATH"] = str(REPO)
        return env

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "server", *args],
            env=self.env(),
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
        )

    def start(self) -> None:
        with (self.workdir / "server.log").open("ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "server", "run", "--port", str(self.port), "--workers", str(self.workers)],
                env=self.env(),
                cwd=REPO,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("server exited: " + (self.workdir / "server.log").read_text("utf-8")[-2000:])
            with contextlib.suppress(requests.RequestException):
                if requests.get(self.url + "/api/v1/health", timeout=1).status_code == 200:
                    return
            time.sleep(0.1)
        raise RuntimeError("server did not answer its health check")

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)
        self.proc = None

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        self.proc = None


def enrollment_code(engine: Any, center: str = "310104003", workstation: str = "003", hours: int = 1) -> str:
    from server.services import devices

    with Session(engine) as session, session.begin():
        return devices.create_enrollment_code(session, center_code=center, workstation_code=workstation, hours=hours)


def operator_token(engine: Any, name: str = "backoffice", centers: tuple[str, ...] = ()) -> str:
    from server.services import operators

    with Session(engine) as session, session.begin():
        return operators.create_operator(session, name=name, centers=list(centers))


def count(engine: Any, table: str, where: str = "") -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM {table} {where}")).scalar_one())


def lock_waits(engine: Any, statement: str = "") -> int:
    """PostgreSQL: the sessions of this database waiting on a lock, running a statement that starts with
    ``statement``."""
    with engine.connect() as conn:
        return int(
            conn.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock' AND query LIKE :prefix"
                ),
                {"prefix": statement + "%"},
            ).scalar_one()
        )


def server_admin(
    store_url: str, *args: str, path: str = "/usr/bin:/bin", timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """``yimen-server admin ARGS`` on ``store_url`` as its own process, as the operator runs it (``path``: the
    ``PATH`` it finds its tools on, e.g. pg_dump)."""
    env = {"YIMEN_SERVER_DATABASE_URL": store_url, "PYTHONPATH": str(REPO), "PATH": path}
    return subprocess.run(
        [sys.executable, "-m", "server", "admin", *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def server_admin_lines(store_url: str, *args: str) -> list[dict[str, Any]]:
    """Run ``yimen-server admin ARGS`` on ``store_url`` as the operator does, and read its JSON lines."""
    import json

    done = server_admin(store_url, *args)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 60) -> None:
    """Poll a condition (a count in the store, a process's state) until it holds; fail naming it after
    ``timeout`` seconds.  For waiting on something to happen, never for proving that nothing did."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting until {what}")
        time.sleep(0.01)


# ------------------------------------------------------------------------------------------------ faults


class FaultProxy:
    """A TCP proxy between a client and a server, on 127.0.0.1, that can misbehave on purpose.

    Modes: ``pass`` (forward), ``refuse`` (close at once: a network that is down), ``http500`` (answer 500 without
    forwarding), ``garbage`` (answer 200 with a body that is no JSON), ``slow`` (hold the connection past any
    timeout), ``cut_after_commit`` (forward the request, read the server's whole answer, then drop the connection
    without passing the answer on: the server committed, the client never learns).

    A gate, whatever the mode: after :meth:`hold_after` (n), the next n requests go on and every later one is read
    and held (``held`` counts them) until :meth:`let_through` or :meth:`release`; ``forwarded`` and ``answered``
    count the requests passed to the server and the answers passed back since the gate was set.
    :meth:`wait_until` waits on these counts, so a test stops a client at a known request instead of racing it.
    A server that dies without answering closes the client's connection.
    """

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.mode = "pass"
        self.requests_seen = 0
        self.lines: list[str] = []  # the request lines seen, in order (for the failure messages)
        self.held = 0
        self.forwarded = 0
        self.answered = 0
        self._budget: int | None = None  # requests still let through before the gate holds; None: no gate
        self._changed = threading.Condition()
        self._sock = socket.socket()
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self.port = int(self._sock.getsockname()[1])
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        self._stop.set()
        self.release()
        with contextlib.suppress(OSError):
            self._sock.close()

    def hold_after(self, n: int) -> None:
        """Let the next ``n`` requests through, then hold every later one; ``forwarded`` and ``answered`` count
        from here."""
        with self._changed:
            self._budget = n
            self.forwarded = self.answered = 0
            self._changed.notify_all()

    def let_through(self, n: int = 1) -> None:
        """Let ``n`` more requests through the gate (the held ones first), then hold again."""
        with self._changed:
            self._budget = (self._budget or 0) + n
            self._changed.notify_all()

    def release(self) -> None:
        """Open the gate: the held requests and all later ones go on."""
        with self._changed:
            self._budget = None
            self._changed.notify_all()

    def wait_until(self, condition: Callable[[FaultProxy], bool], what: str, timeout: float = 60) -> None:
        with self._changed:
            if not self._changed.wait_for(lambda: condition(self), timeout):
                raise AssertionError(
                    f"proxy: timed out waiting until {what} "
                    f"(forwarded {self.forwarded}, answered {self.answered}, held {self.held}; requests {self.lines})"
                )

    def _gate(self) -> bool:
        """Wait until this request may go on; False when the proxy closes meanwhile."""
        with self._changed:
            if self._budget is None:
                return True
            if self._budget > 0:
                self._budget -= 1
                return True
            self.held += 1
            self._changed.notify_all()
            try:
                while self._budget is not None and self._budget <= 0:
                    if self._stop.is_set():
                        return False
                    self._changed.wait(0.1)
                if self._budget is not None:
                    self._budget -= 1
                return True
            finally:
                self.held -= 1
                self._changed.notify_all()

    def _count(self, name: str) -> None:
        with self._changed:
            setattr(self, name, getattr(self, name) + 1)
            self._changed.notify_all()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._sock.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(client,), daemon=True).start()

    @staticmethod
    def _read_request(sock: socket.socket) -> bytes:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                return data
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        while len(body) < length:
            chunk = sock.recv(65536)
            if not chunk:
                break
            body += chunk
        return head + b"\r\n\r\n" + body

    @staticmethod
    def _read_response(sock: socket.socket) -> bytes:
        data = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                return data
            data += chunk
            head, sep, body = data.partition(b"\r\n\r\n")
            if sep:
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length" and len(body) >= int(value.strip()):
                        return data

    def _handle(self, client: socket.socket) -> None:
        with client:
            mode = self.mode
            if mode == "refuse":
                return
            try:
                while True:
                    request = self._read_request(client)
                    if not request:
                        return
                    self.requests_seen += 1
                    self.lines.append(request.split(b"\r\n", 1)[0].decode("latin-1"))
                    if not self._gate():
                        return
                    mode = self.mode
                    if mode == "http500":
                        body = b'{"detail":"Internal Server Error"}'
                        client.sendall(
                            b"HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\n"
                            + f"Content-Length: {len(body)}\r\n\r\n".encode()
                            + body
                        )
                        continue
                    if mode == "garbage":
                        body = b"<html>proxy login required</html>\x00\xff"
                        client.sendall(
                            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                            + f"Content-Length: {len(body)}\r\n\r\n".encode()
                            + body
                        )
                        continue
                    if mode == "slow":
                        self._stop.wait(60)
                        return
                    with socket.create_connection(("127.0.0.1", self.target_port), timeout=30) as upstream:
                        upstream.sendall(request)
                        self._count("forwarded")
                        response = self._read_response(upstream)
                    if mode == "cut_after_commit" or not response:
                        return
                    client.sendall(response)
                    self._count("answered")
            except OSError:
                return


@contextlib.contextmanager
def running(server: ServerThread) -> Iterator[ServerThread]:
    try:
        yield server
    finally:
        server.stop()
