"""The workstation's sync against a real central server on 127.0.0.1 (PostgreSQL where it runs), with real faults."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import stat
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text, update
from sqlalchemy.orm import Session

from app.errors import DeviceRevokedError, NotEnrolledError, SyncTransientError, ValidationError
from app.intake.model import Decision, DecisionInput, MaterialInput, MaterialStatus
from app.sync import protocol
from db.models import OutboxEntry, SyncMeta, User
from server.services import accounts, backoffice, catalog, devices
from tests.app.sync.synckit import Workstation
from tests.serverkit import FaultProxy, ServerThread, count, make_tls

pytestmark = pytest.mark.slow


def server_events(central: Any) -> list[str]:
    with central.engine().connect() as conn:
        # A native uuid on PostgreSQL, 32 hex digits on SQLite.
        return [str(uuid.UUID(str(r[0]))) for r in conn.execute(text("SELECT event_id FROM events"))]


def test_a_synced_workstation_shows_every_record_uploaded_and_the_server_holds_each_once(
    ws: Workstation, central: Any
) -> None:
    results = ws.take(3)
    ws.take(1, decision=Decision.SUPPLEMENT)
    ws.services.documents.heal()  # the receipts and forms of those decisions, with their document.issued events
    outbox = ws.outbox()
    assert len(outbox) > 4
    report = ws.sync.sync_once()
    assert report.push.sent == len(outbox) and report.push.quarantined == 0
    assert sorted(server_events(central)) == sorted(str(e.id) for e in outbox)
    assert all(e.state == "sent" for e in ws.outbox())
    for result in results:
        assert ws.application(result.acceptance_no).sync_state == "synced"
    # The PDFs the citizen holds are on the server, byte for byte.
    with ws.services.db.read() as session:
        local = {
            row[0]: bytes(row[1]) for row in session.execute(text("SELECT lower(hex(sha256)), pdf FROM documents"))
        }
    with central.engine().connect() as conn:
        remote = {row[0]: bytes(row[1]) for row in conn.execute(text("SELECT sha256, data FROM blobs"))}
    assert local == remote and len(local) >= 4
    again = ws.sync.sync_once()
    assert again.push.sent == 0
    assert count(central.engine(), "events") == len(outbox)
    status = ws.sync.status()
    assert status.pending == 0 and status.last_success_at is not None and status.last_error is None


def test_a_back_office_change_comes_down_without_touching_a_local_change_still_queued(
    ws: Workstation, central: Any
) -> None:
    (result,) = ws.take(1)
    ws.sync.sync_once()
    with Session(central.engine()) as session, session.begin():
        backoffice.transition(
            session, acceptance_no=result.acceptance_no, to=protocol.ServerStatus.REVIEWING, note="街道初审", by="后台"
        )
    # Meanwhile the counter voids the record: its event waits in the outbox.
    ws.services.intake.void(result.acceptance_no, reason="申请人撤回申请", approver=ws.supervisor, user=ws.clerk)
    pulled = ws.sync.pull_once()
    assert pulled.applied == 1
    local = ws.application(result.acceptance_no)
    assert local.state == "voided" and local.sync_state == "pending"  # the counter's own columns: untouched
    assert local.server_status == "reviewing" and local.server_note == "街道初审"
    assert [e.state for e in ws.outbox()][-1] == "pending"
    # Re-pulling the same page (a lost cursor) changes nothing.
    with ws.services.db.write() as session:
        session.execute(update(SyncMeta).where(SyncMeta.key == "pull_cursor").values(value="0"))
    assert ws.sync.pull_once().applied == 0
    assert ws.application(result.acceptance_no).server_status == "reviewing"
    ws.sync.sync_once()
    with central.engine().connect() as conn:
        status = conn.execute(
            text("SELECT status FROM applications WHERE acceptance_no = :n"), {"n": result.acceptance_no}
        ).scalar_one()
    assert status == "voided"
    assert ws.application(result.acceptance_no).sync_state == "synced"


@pytest.mark.allow_warning_logs
def test_a_refused_event_is_quarantined_with_its_reason_and_holds_back_only_its_application(
    ws: Workstation, central: Any
) -> None:
    broken, fine = ws.take(2)
    ws.services.documents.heal()
    # A damaged outbox row (a disk fault): its bytes no longer match the hash fixed at commit.
    with ws.services.db.write() as session:
        row = session.scalar(
            OutboxEntry.__table__.select()
            .with_only_columns(OutboxEntry.id)
            .where(OutboxEntry.application_id == broken.application_id)
            .order_by(OutboxEntry.seq)
            .limit(1)
        )
        entry = session.get(OutboxEntry, row)
        assert entry is not None
        entry.payload = entry.payload.replace(b'"query_code":"', b'"query_code":"9', 1)
    report = ws.sync.sync_once()
    assert report.push.quarantined == 1
    rejected = ws.application(broken.acceptance_no)
    assert rejected.sync_state == "rejected" and rejected.sync_error is not None
    assert "SHA-256" in rejected.sync_error
    assert ws.application(fine.acceptance_no).sync_state == "synced"
    # The broken application's later events (its documents) wait; nothing of it reached the server.
    states = {e.id: e.state for e in ws.outbox() if e.application_id == broken.application_id}
    assert sorted(states.values()) == ["pending"] * (len(states) - 1) + ["quarantined"]
    with central.engine().connect() as conn:
        assert (
            conn.execute(
                text("SELECT count(*) FROM applications WHERE acceptance_no = :n"), {"n": broken.acceptance_no}
            ).scalar_one()
            == 0
        )
    queue = ws.sync.queue()
    assert queue[0].state == "quarantined" and "SHA-256" in (queue[0].last_error or "")
    # "Retry now" puts it back; the server refuses it again, with the same reason.
    assert ws.sync.retry_quarantined(by=ws.clerk) == 1
    assert ws.application(broken.acceptance_no).sync_state == "pending"
    ws.sync.sync_once()
    assert ws.sync.status().quarantined == 1


@pytest.mark.parametrize("mode", ["refuse", "http500", "garbage", "slow"])
def test_network_faults_change_nothing_and_the_queue_drains_once_they_end(
    services_factory: Any, tmp_path: Path, central: Any, mode: str
) -> None:
    proxy = FaultProxy(central.port)
    try:
        station = Workstation(services_factory, tmp_path / "ws", proxy.url)
        station.enroll(central.engine())
        station.take(3)
        sync = station.service(timeout=(1.0, 1.5))
        proxy.mode = mode
        with pytest.raises(SyncTransientError) as raised:
            sync.sync_once()
        assert raised.value.message.render()  # a Chinese sentence that says it will retry
        assert "重试" in raised.value.message.render()
        assert all(e.state == "pending" and e.attempts == 1 for e in station.outbox())
        assert sync.status().last_error == raised.value.message.render()
        assert count(central.engine(), "events") == 0
        proxy.mode = "pass"
        assert sync.sync_once().push.sent == 3
        assert count(central.engine(), "events") == 3
        assert sync.status().last_error is None
    finally:
        proxy.close()


def test_an_answer_lost_after_the_server_committed_is_resent_and_stored_once(
    services_factory: Any, tmp_path: Path, central: Any
) -> None:
    proxy = FaultProxy(central.port)
    try:
        station = Workstation(services_factory, tmp_path / "ws", proxy.url)
        station.enroll(central.engine())
        station.take(4)
        proxy.mode = "cut_after_commit"
        with pytest.raises(SyncTransientError):
            station.sync.sync_once()
        assert count(central.engine(), "events") == 4  # committed on the server…
        assert all(e.state == "pending" for e in station.outbox())  # …unknown to the counter
        proxy.mode = "pass"
        report = station.sync.sync_once()
        assert report.push.sent == 4
        assert count(central.engine(), "events") == 4
    finally:
        proxy.close()


def test_a_clock_two_hours_off_is_reported(services_factory: Any, tmp_path: Path, central: Any, clock: Any) -> None:
    clock.now = dt.datetime.now(dt.UTC) + dt.timedelta(hours=2)
    station = Workstation(services_factory, tmp_path / "ws", central.url)
    station.enroll(central.engine())
    station.take(1)
    report = station.sync.sync_once()
    assert report.clock_offset is not None and abs(report.clock_offset + dt.timedelta(hours=2)) < dt.timedelta(
        minutes=1
    )
    status = station.sync.status()
    assert status.clock_off
    assert "120 分钟" in status.warnings[0].render()
    assert count(central.engine(), "events") == 1  # the warning does not stop sync


def test_a_clock_within_tolerance_gives_no_warning(
    services_factory: Any, tmp_path: Path, central: Any, clock: Any
) -> None:
    clock.now = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=2)
    station = Workstation(services_factory, tmp_path / "ws", central.url)
    station.enroll(central.engine())
    station.sync.sync_once()
    assert not station.sync.status().clock_off and station.sync.status().warnings == []


def test_a_revoked_workstation_stops_with_a_clear_message(ws: Workstation, central: Any) -> None:
    ws.take(1)
    with Session(central.engine()) as session, session.begin():
        devices.revoke_device(session, center_code=ws.center, workstation_code=ws.code, reason="更换机器")
    with pytest.raises(DeviceRevokedError) as raised:
        ws.sync.sync_once()
    assert "吊销" in raised.value.message.render()
    status = ws.sync.status()
    assert status.revoked and status.pending == 1
    ws.enroll(central.engine())  # IT enrolls it again: sync resumes
    assert ws.sync.sync_once().push.sent == 1
    assert not ws.sync.status().revoked


def test_without_enrollment_sync_says_what_to_do(services_factory: Any, tmp_path: Path, central: Any) -> None:
    station = Workstation(services_factory, tmp_path / "ws", central.url)
    with pytest.raises(NotEnrolledError) as raised:
        station.sync.sync_once()
    assert "yimen enroll" in raised.value.message.render()
    assert not station.sync.status().enrolled


def test_production_refuses_plain_http(services_factory: Any, tmp_path: Path, central: Any) -> None:
    station = Workstation(services_factory, tmp_path / "ws", central.url, mode="production")
    with pytest.raises(ValidationError) as raised:
        station.enroll(central.engine())
    assert "https" in raised.value.message.render()


def test_production_over_tls_with_the_deployment_ca(services_factory: Any, tmp_path: Path, store_url: str) -> None:
    tls = make_tls(tmp_path / "tls")
    server = ServerThread(store_url, tls=tls)
    try:
        untrusted = Workstation(services_factory, tmp_path / "ws1", server.url, mode="production", workstation="001")
        with pytest.raises(SyncTransientError) as raised:
            untrusted.enroll(server.engine())
        assert "证书" in raised.value.message.render()
        station = Workstation(
            services_factory, tmp_path / "ws2", server.url, mode="production", ca_bundle=str(tls.ca_file)
        )
        station.enroll(server.engine())
        station.take(2)
        assert station.sync.sync_once().push.sent == 2
    finally:
        server.stop()


def test_wrong_enrollment_code_is_refused_and_stores_no_credential(
    services_factory: Any, tmp_path: Path, central: Any, machine_vault: Path
) -> None:
    from app.errors import SyncError

    station = Workstation(services_factory, tmp_path / "ws", central.url)
    with pytest.raises(SyncError) as raised:
        station.sync.enroll("AAAA-BBBB-CCCC-DDDD")
    assert "注册码" in raised.value.message.render()
    assert not (machine_vault / "device-credential.json").exists()


def test_the_credential_lives_in_the_machine_vault_only(
    ws: Workstation, machine_vault: Path, memory_keyring: Any
) -> None:
    token = protocol_token(machine_vault)
    assert memory_keyring.entries == {}  # not in one OS user's keyring
    assert ws.folder not in machine_vault.parents  # outside the data folder: a copied data folder holds no token
    for path in ws.folder.rglob("*"):
        if path.is_file():
            assert token.encode() not in path.read_bytes(), path
    if os.name == "posix":
        assert stat.S_IMODE((machine_vault / "device-credential.json").stat().st_mode) == 0o660


def test_a_credential_of_an_earlier_version_moves_from_the_keyring_into_the_vault(
    services_factory: Any, tmp_path: Path, central: Any, machine_vault: Path, memory_keyring: Any
) -> None:
    station = Workstation(services_factory, tmp_path / "ws", central.url)
    station.enroll(central.engine())
    old = (machine_vault / "device-credential.json").read_text("utf-8")
    (machine_vault / "device-credential.json").unlink()
    memory_keyring.set_password("yimen", "device-credential", old)  # where the previous version kept it
    station.sync.credentials.forget()
    station.take(1)
    assert station.sync.sync_once().push.sent == 1
    assert (machine_vault / "device-credential.json").read_text("utf-8") == old
    assert memory_keyring.entries == {}


def protocol_token(machine_vault: Path) -> str:
    import json

    return str(json.loads((machine_vault / "device-credential.json").read_text("utf-8"))["token"])


def test_account_and_catalog_changes_come_down(ws: Workstation, central: Any) -> None:
    from app.catalog.schema import ServiceItem

    entry = ws.services.catalog.entry("MZ-SHJZ-002")
    newer = ServiceItem.model_validate(
        {**entry.item.model_dump(mode="json", by_alias=True), "version": entry.item.version + 1}
    )
    canonical = newer.canonical_json()
    with Session(central.engine()) as session, session.begin():
        accounts.set_account(session, center_code=ws.center, username="wangli", active=False)
        assert catalog.publish_catalog(session, canonical) is not None
        accounts.set_account(session, center_code="310104004", username="zhangmin", active=False)
    pulled = ws.sync.pull_once()
    assert pulled.applied == 2
    with ws.services.db.read() as session:
        active = dict(session.execute(text("SELECT username, active FROM users")).all())
        versions = session.execute(
            text("SELECT version, sha256 FROM catalog_versions WHERE item_code = 'MZ-SHJZ-002' ORDER BY version")
        ).all()
    assert active == {"wangli": 0, "zhangmin": 1}  # the other center's account change is not ours
    assert versions[-1] == (newer.version, hashlib.sha256(canonical.encode()).hexdigest())


def test_a_tampered_catalog_version_is_refused(ws: Workstation, central: Any) -> None:
    from app.catalog import registry

    with ws.services.db.write() as session:
        problem = registry.store_published(session, '{"code":"X"}', "0" * 64)
    assert problem is not None and "SHA-256" in problem.render()


def test_a_supplement_return_after_sync_reaches_the_server(ws: Workstation, central: Any) -> None:
    (result,) = ws.take(1, decision=Decision.SUPPLEMENT)
    ws.sync.sync_once()
    missing = [m for m in result.materials if m.status in ("missing", "defective")]
    brought = [MaterialInput(m.key, MaterialStatus.RECEIVED, m.party_index) for m in missing]
    ws.services.intake.supplement_return(result.acceptance_no, brought, DecisionInput(Decision.ACCEPT), ws.clerk)
    ws.sync.sync_once()
    with central.engine().connect() as conn:
        status = conn.execute(
            text("SELECT status FROM applications WHERE acceptance_no = :n"), {"n": result.acceptance_no}
        ).scalar_one()
    assert status == "received"


def test_users_table_is_untouched_by_unknown_accounts(ws: Workstation, central: Any) -> None:
    with Session(central.engine()) as session, session.begin():
        accounts.set_account(session, center_code=ws.center, username="nobody", active=False)
    assert ws.sync.pull_once().applied == 0
    with ws.services.db.read() as session:
        assert session.query(User).count() == 2
