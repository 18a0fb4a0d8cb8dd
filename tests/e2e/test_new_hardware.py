"""Moving a workstation to new hardware (issue 15; docs/operations-workstation.md "Moving a workstation to new
hardware"): the old counter PC — its own data folder and machine vault — enrolled with a real central server over
TLS, takes applications, uploads some, and its daily backup is written with more waiting for upload.  It dies.  The
new PC has a fresh data folder, a fresh vault and the same deployment file; IT restores the backup there with the
recovery key (``yimen restore FILE --identity KEYFILE``), enrolls it with a new one-time code (``yimen enroll
--code``, which also works on a fresh machine with an empty store, and keeps the code nowhere), syncs: the events
that waited reach the server once, nothing already there is duplicated; and the next application is numbered in a
new series (docs/numbering.md "Series").
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from app.cli import main
from tests.app.documents.doc_testkit import take
from tests.conftest import RECOVERY_IDENTITY, RECOVERY_RECIPIENT, add_user, write_deployment
from tests.serverkit import ServerThread, count, enrollment_code, make_tls
from tests.storekit import connect_store

pytestmark = pytest.mark.slow

CENTER, WS = "310104003", "003"
DB = "yimen.sqlite3"


@pytest.fixture
def tls_central(store_url: str, tmp_path: Path) -> Iterator[tuple[ServerThread, Path]]:
    tls = make_tls(tmp_path / "tls")
    server = ServerThread(store_url, tls=tls)
    yield server, tls.ca_file
    server.stop()


class Machine:
    """A counter PC: its data folder and its machine vault (the environment points the code at them)."""

    def __init__(self, root: Path, config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.data = root / "data"
        self.vault = root / "vault"
        self.config = config
        self.monkeypatch = monkeypatch

    def use(self) -> None:
        self.monkeypatch.setenv("YIMEN_VAULT_DIR", str(self.vault))
        self.monkeypatch.setenv("YIMEN_VAULT_RUNTIME_DIR", str(self.vault.parent / "run"))

    def yimen(self, *args: str) -> int:
        self.use()
        return main([*args, "--config", str(self.config), "--data-dir", str(self.data)])

    def files(self) -> list[Path]:
        return [p for folder in (self.data, self.vault) if folder.exists() for p in folder.rglob("*") if p.is_file()]


def numbers_on_server(server: ServerThread) -> list[str]:
    from sqlalchemy import text

    with server.engine().connect() as conn:
        rows = conn.execute(
            text("SELECT acceptance_no FROM applications WHERE workstation_code = :ws ORDER BY acceptance_no"),
            {"ws": WS},
        ).fetchall()
    return [r[0] for r in rows]


def outbox_states(machine: Machine) -> dict[str, str]:
    """The machine's outbox: each event's id and state."""
    with connect_store(machine.data / DB, vault=machine.vault) as conn:
        # The ids are stored as their 16 bytes: read as hex.
        rows = conn.execute("SELECT lower(hex(id)), state FROM outbox ORDER BY seq").fetchall()
    conn.close()
    return {str(r[0]): str(r[1]) for r in rows}


@pytest.mark.allow_warning_logs  # the server logs the old device's credential revoked by the new enrollment
def test_a_workstation_moves_to_new_hardware_with_its_backup_and_the_recovery_key(
    tls_central: tuple[ServerThread, Path],
    services_factory: Callable[..., Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server, ca_file = tls_central
    config = write_deployment(tmp_path, server_url=server.url, ca_bundle=str(ca_file))  # production, over TLS
    old = Machine(tmp_path / "old-pc", config, monkeypatch)
    new = Machine(tmp_path / "new-pc", config, monkeypatch)

    # The old PC: enrolled, two applications uploaded, two more waiting when the daily backup is written.
    old.use()
    services = services_factory(config=config, data_dir=old.data)
    clerk = add_user(services)
    services.sync.enroll(enrollment_code(server.engine(), CENTER, WS))
    synced = [take(services, clerk, "MZ-SHJZ-002").acceptance_no for _ in range(2)]
    assert services.sync.sync_once().push.quarantined == 0
    waiting = [take(services, clerk, "MZ-SHJZ-002").acceptance_no for _ in range(2)]
    assert services.sync.status().pending > 0
    backup = services.backup()
    assert backup is not None
    services.close()
    assert numbers_on_server(server) == sorted(synced)
    events_before = count(server.engine(), "events")
    # The PC dies; its backups were copied to IT's share (the vault, with the machine's keys, is gone with it).
    share = tmp_path / "share"
    shutil.copytree(backup.parent, share)
    key_file = tmp_path / "recovery.key"
    key_file.write_text(f"# public key: {RECOVERY_RECIPIENT}\n{RECOVERY_IDENTITY}\n", "ascii")

    # The new PC: a fresh data folder and vault, the same deployment file.  Without the recovery key: refused.
    assert new.yimen("restore", str(share / backup.name)) != 0
    assert "恢复私钥" in capsys.readouterr().err
    assert new.yimen("restore", str(share / backup.name), "--identity", str(key_file)) == 0
    capsys.readouterr()
    code = enrollment_code(server.engine(), CENTER, WS)
    caplog.clear()
    assert new.yimen("enroll", "--code", code) == 0
    said = capsys.readouterr()
    assert said.out.startswith(f"已注册：中心 {CENTER} 工位 {WS}，服务器 {server.url}。") and said.err == ""
    # The one-time code is used up: kept in no file of the new PC and in no log line.
    for path in new.files():
        assert code.encode() not in path.read_bytes(), path
    assert not any(code in r.getMessage() for r in caplog.records)
    assert count(server.engine(), "devices", "WHERE revoked_at IS NULL AND confirmed_at IS NOT NULL") == 1

    assert new.yimen("sync", "--once") == 0
    assert "隔离 0 个" in capsys.readouterr().out
    # Every application once on the server; the events that waited arrived once, none of the others again.
    assert numbers_on_server(server) == sorted(synced + waiting)
    outbox = outbox_states(new)
    assert set(outbox.values()) == {"sent"}
    assert count(server.engine(), "events") == len(outbox) > events_before
    new.use()
    services = services_factory(config=config, data_dir=new.data)
    assert services.sync.status().pending == 0 and services.sync.status().quarantined == 0
    # The clerk's account came back with the store; the next number is in the next series (a letter: A).
    clerk = services.accounts.login("wangli", "counter-pass-1")
    later = take(services, clerk, "MZ-SHJZ-002").acceptance_no
    assert later.endswith("-A0001") and later not in synced + waiting
    assert services.sync.sync_once().push.quarantined == 0
    services.close()
    assert numbers_on_server(server) == sorted([*synced, *waiting, later])


def test_enroll_with_a_code_on_a_fresh_machine_with_an_empty_store(
    tls_central: tuple[ServerThread, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """What an installer runs once with the code it was given (``yimen enroll --code``): no store, no account yet."""
    server, ca_file = tls_central
    config = write_deployment(tmp_path, server_url=server.url, ca_bundle=str(ca_file))
    fresh = Machine(tmp_path / "pc", config, monkeypatch)
    caplog.set_level(logging.DEBUG)
    code = enrollment_code(server.engine(), CENTER, WS)
    assert fresh.yimen("enroll", "--code", code) == 0
    assert capsys.readouterr().out.startswith(f"已注册：中心 {CENTER} 工位 {WS}")
    assert (fresh.vault / "device-credential.json").exists()
    for path in fresh.files():
        assert code.encode() not in path.read_bytes(), path
    assert not any(code in r.getMessage() for r in caplog.records)
    # The same code a second time (a repair re-running the installer's action) is refused in Chinese, exit 1.
    assert fresh.yimen("enroll", "--code", code) != 0
    assert "注册码" in capsys.readouterr().err
