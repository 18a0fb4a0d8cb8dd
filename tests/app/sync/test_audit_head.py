"""The audit chain's head travels with every push, and ``yimen audit verify`` compares the chain with it
(docs/sync-protocol.md "Audit heads", docs/security.md "Keyed audit chain") — a real workstation store, a real
central server on 127.0.0.1 (PostgreSQL where it runs), the command run as IT runs it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from app.security import audit
from tests.app.sync.synckit import Workstation
from tests.conftest import add_user
from tests.storekit import connect_store

REPO = Path(__file__).resolve().parents[3]


def local_head(ws: Workstation) -> tuple[int, str]:
    with ws.services.db.read() as session:
        found = audit.head(session)
    assert found is not None
    return found


def server_head(central: Any) -> tuple[int, str]:
    with central.engine().connect() as conn:
        row = conn.execute(text("SELECT seq, mac FROM audit_heads")).one()
    return int(row[0]), str(row[1])


def yimen_audit_verify(ws: Workstation) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY")}
    return subprocess.run(
        [sys.executable, "-m", "ui", "audit", "verify", "--config", str(ws.config), "--data-dir", str(ws.data_dir)],
        cwd=REPO,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def personal_values(ws: Workstation) -> set[str]:
    conn = connect_store(ws.services.db.path)
    try:
        rows = conn.execute("SELECT name, id_number, phone FROM persons").fetchall()
    finally:
        conn.close()
    return {value for row in rows for value in row if value}


def raw(ws: Workstation, *statements: tuple[str, tuple[Any, ...]]) -> None:
    conn = connect_store(ws.services.db.path)
    try:
        for statement, args in statements:
            conn.execute(statement, args)
        conn.commit()
    finally:
        conn.close()


def test_every_push_carries_the_head_and_a_moved_head_goes_alone(ws: Workstation, central: Any) -> None:
    ws.take(2)
    report = ws.sync.sync_once()
    assert report.push.sent == 2 and report.push.quarantined == 0
    assert server_head(central) == local_head(ws) == ws.sync.acknowledged_head()
    assert ws.sync.server_audit_head().seq == local_head(ws)[0]
    # Events that queue nothing (an account made, a login) move the head: it is pushed by itself.
    add_user(ws.services, "lina")
    assert ws.services.accounts.login("wangli", "counter-pass-1") is not None
    assert ws.sync.sync_once().push.sent == 0
    assert server_head(central) == local_head(ws) == ws.sync.acknowledged_head()
    assert ws.sync.status().audit_head_refused is None


@pytest.mark.allow_warning_logs
def test_a_head_the_server_refuses_holds_nothing_back_and_is_shown(ws: Workstation, central: Any) -> None:
    ws.take(1)
    ws.sync.sync_once()
    seq, _mac = local_head(ws)
    # The server has seen the chain further than this store holds (a copy rolled back with its vault, say).
    with central.engine().begin() as conn:
        conn.execute(text("UPDATE audit_heads SET seq = seq + 10"))
    [later] = ws.take(1)
    report = ws.sync.sync_once()
    assert report.push.sent == 1 and report.push.quarantined == 0  # the application's event went on
    assert ws.application(later.acceptance_no).sync_state == "synced"
    status = ws.sync.status()
    assert status.audit_head_refused is not None and "倒退" in status.audit_head_refused
    assert status.quarantined == 0
    assert any("审计链位置" in w.render() for w in status.warnings)
    assert server_head(central)[0] == seq + 10

    result = yimen_audit_verify(ws)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"审计链被截短：本机只到第 {local_head(ws)[0]} 条，中心服务器已记录到第 {seq + 10} 条。" in result.stdout
    assert "已与中心服务器核对" in result.stdout


def test_audit_verify_compares_with_the_server_and_says_when_it_could_not(ws: Workstation, central: Any) -> None:
    ws.take(2)
    ws.sync.sync_once()
    result = yimen_audit_verify(ws)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "已与中心服务器核对" in result.stdout and "审计链完好" in result.stdout
    central.stop()
    result = yimen_audit_verify(ws)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "仅在本机核对" in result.stdout and "审计链完好" in result.stdout


def test_audit_verify_of_a_workstation_never_enrolled_checks_locally(services_factory: Any, tmp_path: Path) -> None:
    station = Workstation(services_factory, tmp_path / "ws004", "http://127.0.0.1:9", workstation="004")
    station.take(1)
    result = yimen_audit_verify(station)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "本工位未在中心服务器注册，仅在本机核对。" in result.stdout


def test_audit_verify_names_each_fault_by_position_and_no_personal_data(ws: Workstation, central: Any) -> None:
    first, second = ws.take(2)
    ws.sync.sync_once()
    head = local_head(ws)[0]
    raw(
        ws,
        ("UPDATE audit_events SET action = 'application.voided' WHERE seq = ?", (head - 1,)),
        ("UPDATE persons SET name = '李四', phone = '13900000000'", ()),
        ("DELETE FROM audit_events WHERE seq = 1", ()),
    )
    result = yimen_audit_verify(ws)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert "  第 1 条审计记录被删除。" in lines
    assert f"  第 {head - 1} 条审计记录被改动（与其密钥校验值不符）。" in lines
    assert any(second.acceptance_no in line and "当事人的个人信息被改动" in line for line in lines), lines
    everything = result.stdout + result.stderr
    for value in personal_values(ws) | {"李四", "13900000000"}:
        assert value not in everything


def test_a_store_rolled_back_with_its_vault_is_found_by_the_server(
    ws: Workstation, central: Any, services_factory: Any, tmp_path: Path
) -> None:
    """Whoever holds the machine (root) may put back an older copy of the data folder *and* of the machine vault,
    so the store opens as if nothing happened: the server's head still shows the events that were cut."""
    ws.take(1)
    ws.sync.sync_once()
    kept = local_head(ws)[0]
    vault = Path(os.environ["YIMEN_VAULT_DIR"])
    ws.services.close()
    shutil.copytree(ws.data_dir, tmp_path / "data-copy")
    shutil.copytree(vault, tmp_path / "vault-copy")
    ws.services = services_factory(config=ws.config, data_dir=ws.data_dir)
    add_user(ws.services, "lina")
    add_user(ws.services, "zhouqi")
    ws.sync.sync_once()
    head = local_head(ws)[0]
    assert server_head(central)[0] == head > kept
    ws.services.close()
    shutil.rmtree(ws.data_dir)
    shutil.rmtree(vault)
    shutil.copytree(tmp_path / "data-copy", ws.data_dir)
    shutil.copytree(tmp_path / "vault-copy", vault)
    result = yimen_audit_verify(ws)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"  审计链被截短：本机只到第 {kept} 条，中心服务器已记录到第 {head} 条。" in result.stdout.splitlines()


def test_a_backlog_of_a_full_batch_is_pushed_with_its_head(ws: Workstation, central: Any) -> None:
    """The head takes one of the request's 500 event slots: a full batch of the outbox leaves room for it."""
    from app.sync.protocol import MAX_BATCH_EVENTS

    ws.take(MAX_BATCH_EVENTS)
    report = ws.service(batch_size=MAX_BATCH_EVENTS).sync_once()
    assert report.push.sent == MAX_BATCH_EVENTS and report.push.quarantined == 0
    assert server_head(central) == local_head(ws)
