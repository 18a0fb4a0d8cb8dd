"""Shared fixtures: a fresh real SQLite database per test, the shipped catalog, and strict logging."""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Qt must run offscreen before any QApplication exists (STACK.md); harmless for non-Qt tests.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent
DEMO_DEPLOYMENT = REPO / "resources" / "demo" / "deployment.toml"
ADMIN_PASSWORD = "admin-pass-123"
#: IT's recovery key of the tests' production deployments (a test-only pair; real ones never leave IT's safe).
RECOVERY_IDENTITY = "AGE-SECRET-KEY-1KPZD0C5XNW2DXLWWELZ7KSE9UZQSZ9YDT2GH57XHFSAZXGGRFMPSM70ZQL"
RECOVERY_RECIPIENT = "age1cgtyaq5h3gafhmg65q9v6esyrpvmj3r89ra8fwvhhythsatu54cqrjvcz8"


@pytest.fixture(autouse=True)
def _fail_on_warning_logs(request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """An unexpected WARNING from our own loggers fails the test (STYLE.md §14, after qutebrowser logfail)."""
    caplog.set_level(logging.INFO, logger="yimen")
    yield
    if request.node.get_closest_marker("allow_warning_logs"):
        return
    bad = [r for r in caplog.get_records("call") if r.levelno >= logging.WARNING and r.name.startswith("yimen")]
    assert not bad, "unexpected warning logs: " + "; ".join(r.getMessage() for r in bad)


@pytest.fixture(autouse=True)
def _collect_between_tests() -> Iterator[None]:
    """Once the UI tests have turned automatic garbage collection off (ui.memory.collect_on_gui_thread, as the
    counter does), collect what is due after each test, on the main thread, as the counter's timer would."""
    yield
    import gc

    if not gc.isenabled():
        from ui.memory import collect_due

        collect_due(gc.get_threshold())


def pytest_sessionstart(session: pytest.Session) -> None:
    """Decide the server tests' store before any test runs: under CI a PostgreSQL that does not answer ends the
    run here, with the reason (the header that also asks is not printed with -q)."""
    from tests.serverkit import postgres_admin_url

    postgres_admin_url()


def pytest_report_header(config: pytest.Config) -> str:
    from tests.serverkit import store_description

    return store_description()


@pytest.fixture(autouse=True)
def machine_vault(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own machine vault (app/security/vault.py) and log folder, so no test reads or writes the
    machine's; subprocesses the test starts inherit them through the environment."""
    folder = tmp_path_factory.mktemp("vault")
    monkeypatch.setenv("YIMEN_VAULT_DIR", str(folder / "vault"))
    monkeypatch.setenv("YIMEN_VAULT_RUNTIME_DIR", str(folder / "run"))
    # Nor the account's log folder (app/logs.py): the window's and the command line's logs of a test stay beside it.
    monkeypatch.setenv("YIMEN_LOG_DIR", str(folder / "logs"))
    return folder / "vault"


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[object]:
    """The OS keyring stand-in of the tests (STACK.md): in memory, per test, restored afterwards."""
    import keyring
    from keyring.backend import KeyringBackend

    class Backend(KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def __init__(self) -> None:
            super().__init__()
            self.entries: dict[tuple[str, str], str] = {}

        def get_password(self, service: str, username: str) -> str | None:
            return self.entries.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.entries[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            self.entries.pop((service, username), None)

    previous = keyring.get_keyring()
    backend = Backend()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(scope="session")
def store_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from tests.serverkit import StoreFactory

    factory = StoreFactory(tmp_path_factory.mktemp("stores"))
    yield factory
    factory.close()


@pytest.fixture
def store_url(store_factory: object) -> str:
    """A fresh, migrated server store (PostgreSQL where it runs, else SQLite)."""
    return store_factory.fresh()  # type: ignore[attr-defined, no-any-return]


@pytest.fixture
def central(store_url: str) -> Iterator[object]:
    """The real central server on 127.0.0.1 (uvicorn in a thread), over a fresh store."""
    from tests.serverkit import ServerThread

    server = ServerThread(store_url)
    yield server
    server.stop()


def write_deployment(
    folder: Path,
    *,
    mode: str = "production",
    workstation: str = "003",
    center: str = "310104003",
    server_url: str | None = None,
    ca_bundle: str = "",
) -> Path:
    """A deployment file like IT writes, for a test workstation."""
    text = DEMO_DEPLOYMENT.read_text(encoding="utf-8")
    if server_url is not None:
        text = text.replace('url = "http://127.0.0.1:8600"', f'url = "{server_url}"')
    if ca_bundle:
        text = text.replace("progress_base_url =", f'ca_bundle = "{ca_bundle}"\nprogress_base_url =', 1)
    text = text.replace('mode = "demo"', f'mode = "{mode}"')
    text = text.replace('code = "003"', f'code = "{workstation}"').replace('code = "310104003"', f'code = "{center}"')
    # The demo seal, wherever the file is written; the file printer is a demo part, refused in production.
    seal = (DEMO_DEPLOYMENT.parent / "seal.png").as_posix()
    text = text.replace('seal_image = "seal.png"', f'seal_image = "{seal}"')
    if mode != "demo":
        text = text.replace('"file:printed"', '""')
        text += f'\n[backup]\nrecovery_public_key = "{RECOVERY_RECIPIENT}"\n'

    path = folder / f"yimen-{center}-{workstation}.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def deployment_file(tmp_path: Path) -> Path:
    return write_deployment(tmp_path)


class FixedClock:
    """A clock the test moves by hand (UTC-aware)."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += dt.timedelta(**kwargs)


@pytest.fixture
def clock() -> FixedClock:
    # 2026-11-23 10:00 in Shanghai: a Monday, inside the calendar library's years.
    return FixedClock(dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC))


@pytest.fixture
def services_factory(tmp_path: Path, clock: FixedClock) -> Iterator[Callable[..., object]]:
    from app.bootstrap import open_services

    opened = []

    def make(*, data_dir: Path | None = None, config: Path | None = None, catalog_dir: Path | None = None) -> object:
        services = open_services(
            config or write_deployment(tmp_path),
            data_dir or tmp_path / "data",
            catalog_dir=catalog_dir,
            clock=clock,
        )
        opened.append(services)
        return services

    yield make
    for services in opened:
        services.close()  # type: ignore[attr-defined]


@pytest.fixture
def services(services_factory: Callable[..., object]) -> object:
    return services_factory()


def add_user(
    services: object, username: str = "wangli", *, supervisor: bool = False, admin: bool = False, by: object = None
) -> object:
    """Create an account in ``services``' database (a clerk by default; a supervisor, or IT's admin) and return its
    SessionUser.  Passwords: counter-pass-1, supervisor-pass-1, admin-pass-123 (ADMIN_PASSWORD)."""
    from app.domain import Role
    from app.security.accounts import create_user

    role, name, staff_no, password = (
        (Role.ADMIN, "信息员", "9001", ADMIN_PASSWORD)
        if admin
        else (Role.SUPERVISOR, "张敏", "0101", "supervisor-pass-1")
        if supervisor
        else (Role.CLERK, "王丽", "0301", "counter-pass-1")
    )
    with services.db.write() as session:  # type: ignore[attr-defined]
        return create_user(
            session,
            username=username,
            display_name=name,
            staff_no=staff_no,
            role=role,
            password=password,
            workstation_code="003",
            by=by,  # type: ignore[arg-type]
        )


@pytest.fixture
def user_factory() -> Callable[..., object]:
    """``add_user`` for tests that open several services (restarts)."""
    return add_user


@pytest.fixture
def clerk(services: object) -> object:
    return add_user(services)


@pytest.fixture
def supervisor(services: object) -> object:
    return add_user(services, "zhangmin", supervisor=True)


@pytest.fixture
def catalog_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped catalog folder."""
    target = tmp_path / "catalog"
    shutil.copytree(REPO / "resources" / "catalog" / "items", target)
    return target
