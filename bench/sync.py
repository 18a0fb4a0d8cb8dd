"""Sync benchmarks against the real central server on PostgreSQL (``yimen-server run`` as its own process).

push: 10,000 queued events of one workstation (a generated database: real event payloads with parties, materials
and decisions) pushed with ``SyncService.push_once`` — the real client, real batches, real answers recorded in
the outbox — against a raw psycopg ``COPY`` of the same rows into the same ``events`` table, measured in the same
run; in push framing version 2 and again in version 1 (the server with version 2 turned off), with the CPU seconds
of the client, the server process and the database's PostgreSQL backends.  Goal: ≤ 10 s, and ≤ 3× the COPY.

city: a city morning — 5,000 enrolled devices, 200 of them pushing at once, 50,000 applications' events in all
(250 per pushing device, in the client's batches), the real client answering a busy server as the worker does
(Retry-After + jitter), the other devices polling the feed meanwhile at the workers' rate.  Goals (issue 16): the
p99 of admitted pushes ≤ 500 ms, everything acknowledged within 120 s, ≤ 3 refused attempts per device on average,
no errors, each event stored once, feed polls p99 ≤ 200 ms.  The server's admission control is set through its
environment (``YIMEN_SERVER_MAX_CONCURRENT_PUSHES=200`` measures it without).

PostgreSQL: ``YIMEN_BENCH_PG`` (default: the local server, user postgres); a database is created and dropped.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench import bigdb
from bench.common import (
    BENCH_DATA,
    REPO,
    Figures,
    Result,
    machine_vault,
    ms,
    percentile,
    raw_sqlcipher,
    store_key,
    vault_for,
)

#: The workstation's default batch (app.sync.service.BATCH_SIZE).
CLIENT_BATCH = 500
PG = os.environ.get("YIMEN_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def pg_database(tag: str, revision: str = "head") -> Iterator[str]:
    """A fresh PostgreSQL database ``yimen_bench_{tag}_{pid}`` migrated to ``revision``, dropped afterwards."""
    admin = create_engine(PG, isolation_level="AUTOCOMMIT")
    name = f"yimen_bench_{tag}_{os.getpid()}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG).set(database=name).render_as_string(hide_password=False)
    try:
        from server import migrate
        from server.store.db import create_store_engine

        engine = create_store_engine(url)
        if revision == "head":
            migrate.upgrade(engine)
        else:
            from alembic import command

            with engine.begin() as conn:
                command.upgrade(migrate._config(conn), revision)
        engine.dispose()
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextlib.contextmanager
def server_process(url: str, *, workers: int = 1) -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "YIMEN_SERVER_DATABASE_URL": url, "PYTHONPATH": str(REPO), "YIMEN_SERVER_LOG_LEVEL": "warning"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "server", "run", "--port", str(port), "--workers", str(workers)], env=env, cwd=REPO
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(requests.RequestException):
                if requests.get(base + "/api/v1/health", timeout=1).ok:
                    break
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(30)


class _MemoryKeyring:
    def install(self) -> None:
        import keyring
        from keyring.backend import KeyringBackend

        class Backend(KeyringBackend):
            priority = 1  # type: ignore[assignment]
            entries: dict[tuple[str, str], str] = {}

            def get_password(self, service: str, username: str) -> str | None:
                return self.entries.get((service, username))

            def set_password(self, service: str, username: str, password: str) -> None:
                self.entries[(service, username)] = password

            def delete_password(self, service: str, username: str) -> None:
                self.entries.pop((service, username), None)

        keyring.set_keyring(Backend())


# ------------------------------------------------------------------------------------------------ push 10,000


EVENT_COLUMNS = (
    "event_id",
    "sha256",
    "center_code",
    "workstation_code",
    "application_id",
    "event_type",
    "schema_version",
    "occurred_at",
    "received_at",
    "device_id",
    "payload",
)


def _reset_outbox(db_path: Path, key: bytes, n: int) -> int:
    conn = raw_sqlcipher(db_path, key)
    conn.isolation_level = ""  # `with conn` commits
    try:
        with conn:
            conn.execute("UPDATE outbox SET state = 'sent'")
            conn.execute(
                "UPDATE outbox SET state = 'pending', attempts = 0, sent_at = NULL, last_error = NULL "
                "WHERE seq IN (SELECT seq FROM outbox ORDER BY seq LIMIT ?)",
                (n,),
            )
            conn.execute("DELETE FROM sync_meta")
        return int(conn.execute("SELECT count(*) FROM outbox WHERE state = 'pending'").fetchone()[0])
    finally:
        conn.close()


def _cpu_of(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far, from /proc (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def _backends(dsn: str, database: str) -> list[int]:
    """The PostgreSQL backends serving ``database`` now (the server's pooled connections)."""
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as pg:
        rows = pg.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", (database,)
        ).fetchall()
    return [int(row[0]) for row in rows]


class _CpuMeter:
    """CPU seconds of this process (the client), the server process and the database's backends over a span."""

    def __init__(self, server_pid: int, dsn: str, database: str) -> None:
        self.server_pid, self.dsn, self.database = server_pid, dsn, database

    def __enter__(self) -> _CpuMeter:
        self.pids = _backends(self.dsn, self.database)
        self.start = (time.process_time(), _cpu_of(self.server_pid), {p: _cpu_of(p) for p in self.pids})
        return self

    def __exit__(self, *exc: object) -> None:
        client, server, before = self.start
        after = {p: _cpu_of(p) for p in {*before, *_backends(self.dsn, self.database)}}
        self.client = time.process_time() - client
        self.server = _cpu_of(self.server_pid) - server
        self.postgres = sum(after[p] - before.get(p, 0.0) for p in after if after[p])


def _copy_baseline(db_path: Path, key: bytes, url: str, n: int) -> tuple[float, float, float]:
    """Read the same rows from the workstation's (encrypted) file and COPY them into the server's events table:
    (seconds, CPU seconds of this process, CPU seconds of its PostgreSQL backend)."""
    import psycopg

    from app.sync import protocol

    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn) as pg:
        pg.execute("TRUNCATE events")
        pg.commit()
        backend = pg.info.backend_pid
        t, cpu, pg_cpu = time.perf_counter(), time.process_time(), _cpu_of(backend)
        conn = raw_sqlcipher(db_path, key)
        rows = conn.execute("SELECT id, payload, sha256, event_type FROM outbox ORDER BY seq LIMIT ?", (n,)).fetchall()
        conn.close()
        now = dt.datetime.now(dt.UTC)
        device = uuid.uuid4()
        with pg.cursor() as cur, cur.copy(f"COPY events ({', '.join(EVENT_COLUMNS)}) FROM STDIN") as copy:
            for event_id, payload, sha, event_type in rows:
                # the fields the table needs, as the server reads them
                event = protocol.Event.model_validate_json(payload)
                copy.write_row(
                    (
                        uuid.UUID(bytes=bytes(event_id)),  # stored as its 16 bytes (db.types.UUIDBytes)
                        bytes(sha).hex(),  # stored as its bytes (db.types.HexDigest), sent as hex
                        event.center_code,
                        event.workstation_code,
                        event.application_id,
                        event_type,
                        1,
                        event.occurred_at,
                        now,
                        device,
                        bytes(payload),
                    )
                )
        pg.commit()
        elapsed, cpu, pg_cpu = time.perf_counter() - t, time.process_time() - cpu, _cpu_of(backend) - pg_cpu
        pg.execute("TRUNCATE events")
        pg.commit()
    return elapsed, cpu, pg_cpu


def _load() -> str:
    """The machine's load average (1, 5 and 15 minutes), as the figures' context."""
    return " / ".join(f"{value:.1f}" for value in os.getloadavg())


def _truncate(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        # With the dedup gate of the events by month where the store has one (server/services/partitions.py).
        gates = conn.execute(
            text("SELECT format('%I.%I', schemaname, tablename) FROM pg_tables WHERE tablename = 'event_ids'")
        ).scalars()
        conn.execute(text(f"TRUNCATE {', '.join(['events', 'applications', 'blobs', *gates])}"))
    engine.dispose()


@contextlib.contextmanager
def _push_server(url: str, port: int, *, v2: bool) -> Iterator[subprocess.Popen[bytes]]:
    """The server for the push benchmark on a fixed port (the workstation's credential names its address), reading
    push framing version 2 or not; ``YIMEN_BENCH_PROFILE_SERVER=DIR`` runs it under cProfile in every thread
    (bench/profiled_server.py: DIR/server-v2.pstats)."""
    env = {
        **os.environ,
        "YIMEN_SERVER_DATABASE_URL": url,
        "PYTHONPATH": str(REPO),
        "YIMEN_SERVER_LOG_LEVEL": "warning",
        "YIMEN_SERVER_PUSH_FRAMING_V2": "true" if v2 else "false",
    }
    profile = os.environ.get("YIMEN_BENCH_PROFILE_SERVER")
    command = [sys.executable, "-m", "server", "run", "--port", str(port), "--workers", "1"]
    if profile:
        out = Path(profile) / f"server-v{2 if v2 else 1}.pstats"
        command[1:3] = ["-m", "bench.profiled_server", str(out)]  # every thread (the push is stored in the pool)
    proc = subprocess.Popen(command, env=env, cwd=REPO)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=1).ok:
                    break
            time.sleep(0.2)
        yield proc
    finally:
        # uvicorn raises a SIGTERM again once it has shut down; under cProfile a SIGINT lets the profile be written.
        proc.send_signal(signal.SIGINT if profile else signal.SIGTERM)
        proc.wait(30)


def run_push(n: int = 10_000, rounds: int = 3) -> list[Result]:
    """The push in framing version 2 (a server that reads it) and in version 1 (the same server with version 2
    turned off: what a workstation of this version sends to a server of the previous one), each round against the
    COPY of the same rows, with the CPU seconds of the client, the server and PostgreSQL."""
    from app.bootstrap import open_services
    from server.services.devices import create_enrollment_code
    from server.store.db import create_store_engine

    size = max(n, 10_000)
    config, db_path = bigdb.working_copy(size, BENCH_DATA / "work-sync")
    key = store_key(config)
    text_config = config.read_text("utf-8").replace('mode = "production"', 'mode = "demo"')
    _MemoryKeyring().install()
    results: list[Result] = []
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    with machine_vault(vault_for(config)), pg_database("push") as url:
        config.write_text(text_config.replace('url = "http://127.0.0.1:8600"', f'url = "{base}"'), "utf-8")
        engine = create_store_engine(url)
        dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        database = str(make_url(url).database)
        services = open_services(config, db_path.parent)
        try:
            from sqlalchemy.orm import Session

            with Session(engine) as session, session.begin():
                code = create_enrollment_code(
                    session,
                    center_code=services.deployment.center_code,
                    workstation_code=services.deployment.workstation_code,
                    hours=1,
                )
            for v2 in (True, False):
                measured: list[float] = []
                baseline: list[float] = []
                cpu: list[tuple[float, float, float]] = []
                copy_cpu: list[tuple[float, float]] = []
                notes: list[str] = []
                with _push_server(url, port, v2=v2) as proc:
                    if v2:
                        services.sync.enroll(code)
                    for _ in range(rounds):
                        pending = _reset_outbox(db_path, key, n)
                        _truncate(url)
                        with _CpuMeter(proc.pid, dsn, database) as meter:
                            t = time.perf_counter()
                            report = services.sync.push_once()
                            measured.append(time.perf_counter() - t)
                        cpu.append((meter.client, meter.server, meter.postgres))
                        with engine.connect() as conn:
                            stored = conn.execute(text("SELECT count(*) FROM events")).scalar_one()
                        notes.append(
                            f"round: {pending:,} pending, {report.sent:,} acknowledged in {report.batches} batches, "
                            f"{stored:,} stored on the server, {report.quarantined} quarantined; CPU s: client "
                            f"{meter.client:.2f}, server {meter.server:.2f}, PostgreSQL {meter.postgres:.2f}"
                        )
                        elapsed, copy_client, copy_pg = _copy_baseline(db_path, key, url, n)
                        baseline.append(elapsed)
                        copy_cpu.append((copy_client, copy_pg))
                best = min(measured)
                slowest = max(measured)
                notes.append(f"absolute goal ≤ 10 s: {'met' if slowest <= 10 else 'NOT MET'} (slowest {ms(slowest)})")
                notes.append(f"events per second: {n / best:,.0f} (push) vs {n / min(baseline):,.0f} (COPY)")
                mid = sorted(range(rounds), key=lambda i: measured[i])[rounds // 2]
                notes.append(
                    f"CPU s of the median round: client {cpu[mid][0]:.2f}, server {cpu[mid][1]:.2f}, PostgreSQL "
                    f"{cpu[mid][2]:.2f}; of a COPY: bench {copy_cpu[mid][0]:.2f}, PostgreSQL {copy_cpu[mid][1]:.2f}"
                )
                # The wall clock follows the machine's load; the CPU seconds much less: their ratio is the figure
                # that compares runs made under different loads (docs/performance.md "A push close to COPY").
                pushed_cpu = sorted(sum(c) for c in cpu)[rounds // 2]
                copied_cpu = sorted(sum(c) for c in copy_cpu)[rounds // 2]
                notes.append(
                    f"CPU s in all (median): push {pushed_cpu:.2f}, COPY {copied_cpu:.2f}: "
                    f"{pushed_cpu / copied_cpu:.1f}×; load average {_load()}"
                )
                framing = "framing version 2" if v2 else "framing version 1 (version 2 turned off on the server)"
                results.append(
                    Result(
                        f"sync push v{2 if v2 else 1}",
                        f"push {n:,} queued events (SyncService.push_once, batches of {services.sync.batch_size}, "
                        f"{framing}) to the server on PostgreSQL",
                        "raw psycopg COPY of the same rows into the same table",
                        Figures(measured),
                        Figures(baseline),
                        3.0,
                        goal_on="median",
                        notes=notes,
                    )
                )
        finally:
            services.close()
            engine.dispose()
    return results


# ------------------------------------------------------------------------------------------------ city morning


def _events_for(center: str, workstation: str, count: int) -> list[list[dict[str, Any]]]:
    from app.sync import protocol

    now = dt.datetime.now(dt.UTC)
    out: list[dict[str, Any]] = []
    for n in range(1, count + 1):
        body = protocol.ApplicationTaken(
            acceptance_no=f"{center}-{workstation}-20261202-{n:04d}",
            query_code="123456",
            item=protocol.CatalogRef(code="MZ-SHJZ-002", version=1, sha256="0" * 64, name="临时救助申请"),
            received_at=now,
            parties=[
                protocol.PartyData(
                    party_id=uuid.uuid4(),
                    role="applicant",
                    name="王丽",
                    id_number="11010519491231002X",
                    id_kind="resident",
                    sex="F",
                    birth_date=dt.date(1949, 12, 31),
                    phone="13800000000",
                )
            ],
            materials=[
                protocol.MaterialData(
                    key=f"m{i}", name="身份证", form="original", count=1, required=True, status="received"
                )
                for i in range(4)
            ],
            decision=protocol.DecisionData(
                decision="accept", decided_at=now, clerk_username="wangli", clerk_staff_no="0301"
            ),
        )
        event = protocol.new_event(
            occurred_at=now, center_code=center, workstation_code=workstation, application_id=uuid.uuid4(), body=body
        )
        payload = protocol.serialize(event)
        out.append({"event_id": str(event.event_id), "sha256": protocol.digest(payload), "payload": payload.decode()})
    return [out[i : i + CLIENT_BATCH] for i in range(0, len(out), CLIENT_BATCH)]


def _enroll_devices(url: str, total: int) -> list[tuple[str, str, str]]:
    """5,000 device rows with their credentials (written directly: enrollment is not what is measured)."""
    import hashlib
    import secrets

    engine = create_engine(url)
    devices: list[tuple[str, str, str]] = []
    rows = []
    now = dt.datetime.now(dt.UTC)
    for n in range(total):
        center = f"3101{n // 25:05d}"  # 25 windows per center: 200 centers
        workstation = f"{n % 25 + 1:03d}"
        token = "ymd_" + secrets.token_urlsafe(32)
        devices.append((center, workstation, token))
        rows.append(
            {
                "id": uuid.uuid4(),
                "token_hash": hashlib.sha256(token.encode()).hexdigest(),
                "center_code": center,
                "workstation_code": workstation,
                "hostname": "",
                "enrolled_at": now,
                "confirmed_at": now,  # two-phase enrollment, done
            }
        )
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO devices (id, token_hash, center_code, workstation_code, hostname, enrolled_at, "
                "confirmed_at) VALUES (:id, :token_hash, :center_code, :workstation_code, :hostname, :enrolled_at, "
                ":confirmed_at)"
            ),
            rows,
        )
    engine.dispose()
    return devices


#: Consecutive failures (not refusals) after which a simulated device gives up (so that a broken run ends).
GIVE_UP = 5


def run_city(devices: int = 5_000, pushing: int = 200, applications: int = 50_000, workers: int = 2) -> list[Result]:
    """The city morning (issue 16): every pushing device is the real client (``SyncClient.push``) with the real
    worker's answer to a busy server (``Retry-After`` read by ``app.sync.client.retry_after``, waited with
    ``app.sync.worker.busy_wait``'s jitter); the idle devices poll their feed at the rate the workers do (each once a
    ``PULL_INTERVAL``) for as long as the rush lasts.  The server's admission control is whatever its settings say
    (``YIMEN_SERVER_MAX_CONCURRENT_PUSHES`` and ``YIMEN_SERVER_PUSH_QUEUE_WAIT_MS`` in the environment are handed on
    to it); a limit of 200 measures the server without it."""
    from app.errors import SyncBusyError, SyncError
    from app.sync import protocol
    from app.sync.client import ClientSettings, SyncClient
    from app.sync.worker import PULL_INTERVAL, backoff, busy_wait
    from server.settings import ServerSettings

    settings = ServerSettings()  # the limit the server processes read from the same environment
    per_device = applications // pushing
    admitted: list[float] = []
    refused_times: list[float] = []
    pull_latencies: list[float] = []
    refusals: dict[int, int] = {}
    errors: list[str] = []
    lock = threading.Lock()
    rush_over = threading.Event()
    with pg_database("city") as url, server_process(url, workers=workers) as base:
        enrolled = _enroll_devices(url, devices)
        pushers = enrolled[:: devices // pushing][:pushing]
        idle = [d for d in enrolled if d not in set(pushers)]
        t = time.perf_counter()
        batches = {
            d: [
                [protocol.PushedEvent.model_construct(event_id=uuid.UUID(e["event_id"]), **_rest(e)) for e in batch]
                for batch in _events_for(d[0], d[1], per_device)
            ]
            for d in pushers
        }
        prepared = time.perf_counter() - t

        def push(index: int, device: tuple[str, str, str]) -> None:
            client = SyncClient(ClientSettings(server_url=base, timeout=(5.0, 120.0)), token=device[2])
            refused = failures = 0
            try:
                for batch in batches[device]:
                    while True:
                        started = time.perf_counter()
                        try:
                            answer = client.push(batch)
                        except SyncBusyError as exc:
                            with lock:
                                refused_times.append(time.perf_counter() - started)
                            refused += 1
                            time.sleep(busy_wait(exc.retry_after))
                            continue
                        except SyncError as exc:
                            with lock:
                                errors.append(f"{exc.code}: {exc}")
                            failures += 1
                            if failures > GIVE_UP:
                                return
                            time.sleep(backoff(failures, cap=10))
                            continue
                        took = time.perf_counter() - started
                        ok = all(r.outcome is protocol.Outcome.STORED for r in answer.results)
                        with lock:
                            admitted.append(took)
                            if not ok:
                                errors.append("not stored")
                        failures = 0
                        break
            finally:
                client.close()
                with lock:
                    refusals[index] = refused

        def poll(offset: int, stride: int, rate: float, started: float) -> None:
            """Every ``stride``-th idle device from ``offset``, each at its moment of a steady ``rate`` of polls a
            second, round and round until the rush is over."""
            n = offset
            while not rush_over.is_set():
                device = idle[n % len(idle)]
                delay = started + n / rate - time.perf_counter()
                if delay > 0 and rush_over.wait(delay):
                    return
                began = time.perf_counter()
                try:
                    answer = requests.get(
                        base + "/api/v1/feed", headers={"Authorization": f"Bearer {device[2]}"}, timeout=60
                    )
                    ok = answer.status_code == 200
                except requests.RequestException:
                    ok = False
                with lock:
                    pull_latencies.append(time.perf_counter() - began)
                    if not ok:
                        errors.append("pull")
                n += stride

        pollers_count = 20
        rate = len(idle) / PULL_INTERVAL  # each idle device once a pull interval
        t = time.perf_counter()
        with ThreadPoolExecutor(max_workers=pollers_count) as pollers:
            polled = [pollers.submit(poll, k, pollers_count, rate, t) for k in range(pollers_count)]
            with ThreadPoolExecutor(max_workers=pushing) as pool:
                for future in [pool.submit(push, k, d) for k, d in enumerate(pushers)]:
                    future.result()
            elapsed = time.perf_counter() - t
            rush_over.set()
            for future in polled:
                future.result()
        engine = create_engine(url)
        with engine.connect() as conn:
            stored, distinct = conn.execute(text("SELECT count(*), count(DISTINCT event_id) FROM events")).one()
        engine.dispose()
    p99 = percentile(admitted, 99)
    feed_p99 = percentile(pull_latencies, 99)
    attempts = len(admitted) + len(refused_times)
    per = list(refusals.values())
    average_refused = sum(per) / len(per)
    notes = [
        f"{len(pushers)} devices pushing {per_device} applications each in batches of {CLIENT_BATCH}, the real client "
        f"with the worker's busy wait (Retry-After + up to 50 % jitter); {len(idle):,} idle devices polling the feed "
        f"~{rate:.0f}/s; server: {workers} uvicorn workers on PostgreSQL, admission control "
        f"K = {settings.max_concurrent_pushes} pushes per process, queue wait {settings.push_queue_wait_ms} ms; "
        "load generator in the same 2-CPU machine",
        f"all acknowledged in {elapsed:.1f} s (goal ≤ 120 s: {'met' if elapsed <= 120 else 'NOT MET'}); "
        f"{stored:,} events stored ({distinct:,} distinct) of {pushing * per_device:,}; errors: {len(errors)}"
        + (f" ({'; '.join(sorted(set(errors))[:3])})" if errors else ""),
        f"admitted push requests: {len(admitted)}, p50 {ms(percentile(admitted, 50))}, p95 "
        f"{ms(percentile(admitted, 95))}, p99 {ms(p99)} (goal ≤ 500 ms: {'met' if p99 <= 0.5 else 'NOT MET'})",
        f"refused attempts: {len(refused_times)} of {attempts} ({len(refused_times) / attempts:.0%}); per device "
        f"average {average_refused:.2f} (goal ≤ 3: {'met' if average_refused <= 3 else 'NOT MET'}), max {max(per)}"
        + (f"; a refusal answered in p99 {ms(percentile(refused_times, 99))}" if refused_times else ""),
        f"feed polls during the rush: {len(pull_latencies):,}, p50 {ms(percentile(pull_latencies, 50))}, p99 "
        f"{ms(feed_p99)} (goal ≤ 200 ms: {'met' if feed_p99 <= 0.2 else 'NOT MET'})",
        f"(events prepared beforehand in {prepared:.1f} s, outside the timing)",
    ]
    return [
        Result(
            "city morning",
            f"{len(admitted)} admitted push requests of {pushing} concurrent devices",
            "the feed polls of the idle devices, same run",
            Figures(admitted),
            Figures(pull_latencies),
            None,
            notes=notes,
        )
    ]


def _rest(event: dict[str, Any]) -> dict[str, Any]:
    return {"sha256": event["sha256"], "payload": event["payload"]}
