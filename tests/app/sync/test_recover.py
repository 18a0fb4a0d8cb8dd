"""``yimen recover --from-server`` end to end (issue 12, "Lost history is never replaced silently";
docs/sync-protocol.md "Recovery"): a real workstation takes applications — accepted, 补正 with its return visit,
refused, corrected — for people named with 𠮷, 䶮, 堃 and the middle dot, syncs with a real central server
(PostgreSQL where it runs), loses its store, and gets it back through the command IT runs: the same applications
with the same 受理编号, statuses, people, materials and the very PDFs, nothing pushed again, the next number in the
next series, and ``yimen audit verify`` clean.  The refusals leave the data folder as it was.  And a workstation
that starts over on a new disk with a lost vault continues above the numbers its code has on the server.  The
server reads records back only soon after a fresh enrollment: a long-enrolled workstation recovers with
``--code``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.cli import main
from app.domain import PartyRole
from app.errors import StoreRefusedError
from app.intake.model import Decision, DecisionInput
from app.sync import protocol
from db.models import (
    Application,
    ApplicationMaterial,
    ApplicationParty,
    DecisionRecord,
    DocumentRecord,
    OutboxEntry,
    Person,
    PurgedApplication,
    User,
)
from server.services import backoffice, devices
from tests.app.documents.doc_testkit import bring_missing, take
from tests.app.sync.synckit import CENTER, Workstation
from tests.conftest import add_user
from tests.serverkit import count, enrollment_code

pytestmark = pytest.mark.slow

DB = "yimen.sqlite3"
PEOPLE = ["欧阳·娜娜", "张𠮷", "王䶮", "李堃"]


def person(name: str, n: int) -> dict[PartyRole, tuple[str, str]]:
    return {PartyRole.APPLICANT: (name, f"3101041950061500{n}")}


def a_day_at_the_counter(ws: Workstation) -> dict[str, str]:
    """Four applications and what became of them; returns 受理编号 by what happened."""
    services, clerk = ws.services, ws.clerk
    accepted = take(services, clerk, "MZ-SHJZ-002", people=person(PEOPLE[0], 1))
    waiting = take(services, clerk, "MZ-SHJZ-002", Decision.SUPPLEMENT, people=person(PEOPLE[1], 2))
    refused = take(services, clerk, "MZ-SHJZ-002", Decision.REFUSE, people=person(PEOPLE[2], 3))
    household = take(services, clerk, "MZ-SHJZ-001", people=person(PEOPLE[3], 4))
    services.documents.heal()  # their receipts, notices and forms, with their document.issued events
    # The 补正 return visit: the missing and the unclear material brought, accepted.
    brought = bring_missing(services, waiting.acceptance_no)
    services.intake.supplement_return(waiting.acceptance_no, brought, DecisionInput(Decision.ACCEPT), clerk)
    # A 更正 of the household's application, approved by the supervisor.
    approver = services.accounts.approve("zhangmin", "supervisor-pass-1")
    values = dict(services.intake.load(household.acceptance_no).values)
    services.intake.correct(
        household.acceptance_no,
        values=values | {"reason": "家庭成员李·堃因病住院，收入骤减"},
        reason="情况说明补充",
        approver=approver,
        user=clerk,
    )
    services.documents.heal()
    # A 补打 of the first receipt.
    receipt = services.documents.current(accepted.acceptance_no, "receipt")
    services.documents.record_handout(receipt.id, clerk, action="print", reprint=True, reason="申请人遗失回执")
    return {
        "accepted": accepted.acceptance_no,
        "supplemented": waiting.acceptance_no,
        "refused": refused.acceptance_no,
        "corrected": household.acceptance_no,
    }


def snapshot(services: Any) -> dict[str, Any]:
    """Everything a record is, by 受理编号, without the ids a rebuild makes anew (materials', decisions', people's)."""
    with services.db.read() as session:
        found: dict[str, Any] = {}
        for app in session.scalars(select(Application).order_by(Application.acceptance_no)):
            parties = []
            for party in session.scalars(
                select(ApplicationParty)
                .where(ApplicationParty.application_id == app.id)
                .order_by(ApplicationParty.position)
            ):
                who = session.get(Person, party.person_id)
                assert who is not None
                parties.append(
                    (
                        str(party.id),
                        party.role,
                        party.name,
                        party.values,
                        who.id_number,
                        who.id_kind,
                        who.name,
                        who.sex,
                        who.birth_date,
                        who.phone,
                    )
                )
            materials = [
                (
                    m.position,
                    m.material_key,
                    m.name,
                    m.form,
                    m.count,
                    m.required,
                    m.status,
                    m.note,
                    str(m.party_id),
                    m.received_at is not None,
                )
                for m in session.scalars(
                    select(ApplicationMaterial)
                    .where(ApplicationMaterial.application_id == app.id)
                    .order_by(ApplicationMaterial.position)
                )
            ]
            decisions = [
                (d.decision, d.decided_at, d.notice_no, d.missing)
                for d in session.scalars(
                    select(DecisionRecord)
                    .where(DecisionRecord.application_id == app.id)
                    .order_by(DecisionRecord.decided_at)
                )
            ]
            documents = sorted(
                (
                    str(d.id),
                    d.kind,
                    d.seq,
                    d.number,
                    d.paper,
                    d.sha256,
                    hashlib.sha256(d.pdf).hexdigest(),
                    d.size,
                    d.page_count,
                    d.superseded_at is not None,
                )
                for d in session.scalars(select(DocumentRecord).where(DocumentRecord.application_id == app.id))
            )
            clerk = session.get(User, app.clerk_id)
            assert clerk is not None
            found[app.acceptance_no] = {
                "id": str(app.id),
                "query_code": app.query_code,
                "item": (app.item_code, app.catalog_version_id is not None),
                "state": app.state,
                "decision": app.decision,
                "times": (app.received_at, app.decided_at, app.accepted_at, app.called_at),
                "queue_ticket": app.queue_ticket,
                "promised": (app.promised_days, app.promised_date, app.promised_estimated),
                "values": app.form_values,
                "refusal_reason": app.refusal_reason,
                "notice_no": app.notice_no,
                "void_reason": app.void_reason,
                "server_status": app.server_status,
                "clerk": (clerk.username, clerk.staff_no),
                "parties": parties,
                "materials": materials,
                "decisions": decisions,
                "documents": documents,
            }
        return found


def emptied(ws: Workstation) -> None:
    """The store file emptied between two sessions (its WAL too): open_store refuses it."""
    ws.services.close()
    for part in ws.data_dir.glob(DB + "*"):
        part.write_bytes(b"")


def yimen(ws: Workstation, *args: str) -> int:
    return main([*args, "--config", str(ws.config), "--data-dir", str(ws.data_dir)])


def folder_state(ws: Workstation) -> dict[str, bytes]:
    return {
        str(p.relative_to(ws.data_dir)): p.read_bytes()
        for p in ws.data_dir.rglob("*")
        if p.is_file() and ".open" not in p.parts
    }


@pytest.mark.allow_warning_logs  # the server logs the audit head reset for its operator
def test_a_lost_store_comes_back_from_the_server_as_it_was_and_numbers_on_in_the_next_series(
    ws: Workstation, central: Any, services_factory: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    numbers = a_day_at_the_counter(ws)
    report = ws.sync.sync_once()
    assert report.push.quarantined == 0 and ws.sync.status().pending == 0
    with Session(central.engine()) as session, session.begin():
        backoffice.transition(
            session, acceptance_no=numbers["accepted"], to=protocol.ServerStatus.REVIEWING, note="街道初审", by="后台"
        )
    ws.sync.sync_once()
    before = snapshot(ws.services)
    assert before[numbers["accepted"]]["server_status"] == "reviewing"
    assert "李·堃" in before[numbers["corrected"]]["values"]["reason"]
    assert {p[2] for a in before.values() for p in a["parties"]} >= set(PEOPLE)
    events_on_server = count(central.engine(), "events")
    emptied(ws)
    with pytest.raises(StoreRefusedError):
        services_factory(config=ws.config, data_dir=ws.data_dir)

    assert yimen(ws, "recover", "--from-server") == 0
    said = capsys.readouterr().out
    assert "4 件申请" in said and "第 2 批次" in said and "字母 A" in said and "replaced-" in said
    assert "wangli" in said  # the clerk's account: to be created again by IT

    services = services_factory(config=ws.config, data_dir=ws.data_dir)
    after = snapshot(services)
    assert after == before
    with services.db.read() as session:
        assert session.scalars(select(OutboxEntry)).all() == []  # nothing waits: all of it is on the server
        assert {a.sync_state for a in session.scalars(select(Application))} == {"synced"}
        assert {a.documents_due for a in session.scalars(select(Application))} == {None}
        reprinted = session.get(
            DocumentRecord, uuid.UUID(services.documents.current(numbers["accepted"], "receipt").id)
        )
        assert reprinted is not None and reprinted.handed_out == 2  # handed over, then one 补打
        wangli = session.scalar(select(User).where(User.username == "wangli"))
        assert wangli is not None and not wangli.active  # cannot log in until IT creates the account again
        wangli_id = wangli.id
    # A sync pushes nothing again: the server's events are as they were.
    pushed = services.sync.sync_once()
    assert pushed.push.sent == 0 and pushed.push.quarantined == 0
    assert count(central.engine(), "events") == events_on_server
    assert services.sync.status().audit_head_refused is None
    # IT creates the first admin from the command line as on a new store, and the clerk's account again under the
    # same user name: it takes over the recovered one, so the records keep their clerk.
    add_user(services, "xinxiyuan", admin=True)
    clerk = add_user(services)
    assert clerk.id == wangli_id
    assert services.accounts.login("wangli", "counter-pass-1").id == wangli_id
    # The next number is in the next series; none repeats.
    new = take(services, clerk, "MZ-SHJZ-002").acceptance_no
    assert new.rsplit("-", 1)[1] == "A0001"
    assert new not in before
    services.documents.heal()
    assert services.sync.sync_once().push.quarantined == 0
    assert count(central.engine(), "events") > events_on_server
    services.close()
    # The audit trail of the recovered store is whole, and the server holds its head.
    assert yimen(ws, "audit", "verify") == 0
    said = capsys.readouterr().out
    assert "审计链完好" in said and "已与中心服务器核对" in said
    with central.engine().connect() as conn:
        reset = conn.execute(text("SELECT reason, previous_seq, seq FROM audit_head_resets")).one()
    assert reset[0] == "store.recovered" and reset[1] > reset[2] >= 1
    # The first event of the new chain says what happened, with no personal data.
    with services_factory(config=ws.config, data_dir=ws.data_dir).db.read() as session:
        first = session.execute(text("SELECT action, details FROM audit_events ORDER BY seq LIMIT 1")).one()
    assert first[0] == "store.recovered"
    assert not any(name in first[1] or name.encode("unicode_escape").decode() in first[1] for name in PEOPLE)
    assert "3101041950061500" not in first[1]


def test_recover_refuses_without_an_enrollment_and_changes_nothing(
    services_factory: Any, tmp_path: Path, central: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = Workstation(services_factory, tmp_path / "ws003", central.url)
    ws.take(1)
    emptied(ws)
    kept = folder_state(ws)
    assert yimen(ws, "recover", "--from-server") == 2
    assert "尚未在中心服务器注册" in capsys.readouterr().err
    assert folder_state(ws) == kept


@pytest.mark.allow_warning_logs
def test_recover_refuses_when_the_server_cannot_be_reached_and_changes_nothing(
    ws: Workstation, central: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    ws.take(1)
    ws.sync.sync_once()
    emptied(ws)
    kept = folder_state(ws)
    central.stop()
    assert yimen(ws, "recover", "--from-server") == 2
    err = capsys.readouterr().err
    assert "未能从中心服务器取回" in err and "无法连接中心服务器" in err and "未做任何改动" in err
    assert folder_state(ws) == kept
    assert not any(p.name.startswith("replaced-") for p in ws.data_dir.iterdir())


@pytest.mark.allow_warning_logs
def test_a_healthy_store_is_replaced_only_with_force_and_then_moved_aside(
    ws: Workstation, central: Any, services_factory: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    (taken,) = ws.take(1)
    ws.sync.sync_once()
    ws.services.close()
    kept = folder_state(ws)
    assert yimen(ws, "recover", "--from-server") == 2
    err = capsys.readouterr().err
    assert "完好可用" in err and "--force" in err
    assert folder_state(ws) == kept
    assert yimen(ws, "recover", "--from-server", "--force") == 0
    aside = [p for p in ws.data_dir.iterdir() if p.name.startswith("replaced-")]
    assert len(aside) == 1 and (aside[0] / DB).read_bytes() == kept[DB]
    services = services_factory(config=ws.config, data_dir=ws.data_dir)
    assert services.intake.load(taken.acceptance_no).acceptance_no == taken.acceptance_no
    assert services.db.identity.series == 2


@pytest.mark.allow_warning_logs
def test_a_second_recovery_with_the_same_credential_needs_a_new_enrollment(
    ws: Workstation, central: Any, services_factory: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    ws.take(1)
    ws.sync.sync_once()
    emptied(ws)
    assert yimen(ws, "recover", "--from-server") == 0
    services = services_factory(config=ws.config, data_dir=ws.data_dir)
    services.close()
    for part in ws.data_dir.glob(DB + "*"):
        part.write_bytes(b"")
    kept = folder_state(ws)
    capsys.readouterr()
    assert yimen(ws, "recover", "--from-server") == 2  # the reset ended this credential's recovery window
    err = capsys.readouterr().err
    assert "需要一次性注册码" in err and "yimen recover --from-server --code" in err and "未做任何改动" in err
    assert folder_state(ws) == kept
    assert yimen(ws, "recover", "--from-server", "--code", enrollment_code(central.engine(), CENTER, "003")) == 0


@pytest.mark.allow_warning_logs
def test_a_long_enrolled_workstation_recovers_only_with_a_code(
    ws: Workstation, central: Any, services_factory: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    numbers = sorted(r.acceptance_no for r in ws.take(2))
    ws.sync.sync_once()
    with central.engine().begin() as conn:  # enrolled long ago: its credential no longer reads the records
        long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(hours=25)
        conn.execute(text("UPDATE devices SET confirmed_at = :at"), {"at": long_ago})
    emptied(ws)
    kept = folder_state(ws)
    assert yimen(ws, "recover", "--from-server") == 2
    err = capsys.readouterr().err
    assert "需要一次性注册码" in err and "24 小时" in err and "--code" in err and "未做任何改动" in err
    assert "吊销" not in err  # the credential is fine for syncing
    assert folder_state(ws) == kept
    code = enrollment_code(central.engine(), CENTER, "003")
    assert yimen(ws, "recover", "--from-server", "--code", code) == 0
    services = services_factory(config=ws.config, data_dir=ws.data_dir)
    with services.db.read() as session:
        assert sorted(session.scalars(select(Application.acceptance_no))) == numbers
    assert services.sync.sync_once().push.quarantined == 0
    services.close()


@pytest.mark.allow_warning_logs
def test_a_workstation_whose_credential_was_revoked_enrolls_with_a_code_and_gets_back_what_the_old_one_sent(
    ws: Workstation, central: Any, services_factory: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    numbers = sorted(r.acceptance_no for r in ws.take(2))
    ws.sync.sync_once()
    with Session(central.engine()) as session, session.begin():
        assert devices.revoke_device(session, center_code=CENTER, workstation_code="003", reason="machine stolen") == 1
    emptied(ws)
    kept = folder_state(ws)
    assert yimen(ws, "recover", "--from-server") == 2
    assert "吊销" in capsys.readouterr().err
    assert folder_state(ws) == kept
    code = enrollment_code(central.engine(), CENTER, "003")
    assert yimen(ws, "recover", "--from-server", "--code", code) == 0
    services = services_factory(config=ws.config, data_dir=ws.data_dir)
    with services.db.read() as session:
        assert sorted(session.scalars(select(Application.acceptance_no))) == numbers
    assert services.sync.sync_once().push.quarantined == 0  # the new credential works and pushes nothing again
    with central.engine().connect() as conn:
        confirmed = conn.execute(
            text("SELECT count(*) FROM devices WHERE revoked_at IS NULL AND confirmed_at IS NOT NULL")
        ).scalar_one()
    assert confirmed == 1


@pytest.mark.allow_warning_logs
def test_cases_past_the_retention_period_do_not_come_back_with_their_personal_data(
    ws: Workstation, central: Any, services_factory: Any, clock: Any
) -> None:
    from app.config import load_deployment
    from app.recovery import recover_from_server
    from app.security.vault import Vault, resolve_vault_dir

    closed = sorted(r.acceptance_no for r in ws.take(2))
    (waiting,) = ws.take(1, decision=Decision.SUPPLEMENT)
    ws.services.documents.heal()
    ws.sync.sync_once()
    emptied(ws)
    deployment = load_deployment(ws.config)
    vault = Vault(resolve_vault_dir(ws.data_dir, demo=deployment.is_demo))
    later = clock.now + dt.timedelta(days=deployment.retention_days + 1)
    report = recover_from_server(ws.data_dir, deployment, vault, now=lambda: later)
    assert (report.rebuilt.applications, report.rebuilt.purged) == (3, 2)
    services = services_factory(config=ws.config, data_dir=ws.data_dir)
    with services.db.read() as session:
        assert list(session.scalars(select(Application.acceptance_no))) == [waiting.acceptance_no]  # 补正: still open
        assert sorted(session.scalars(select(PurgedApplication.acceptance_no))) == closed
        named = set(session.scalars(select(ApplicationParty.person_id)))
        assert set(session.scalars(select(Person.id))) == named  # nobody of the purged cases stays
    services.close()
    assert yimen(ws, "audit", "verify") == 0


# ------------------------------------------------------------------------------------------------ a new machine


@pytest.mark.allow_warning_logs
def test_a_new_machine_of_a_workstation_with_numbers_on_the_server_starts_in_the_next_series(
    ws: Workstation, central: Any, services_factory: Any, machine_vault: Path, caplog: pytest.LogCaptureFixture
) -> None:
    first = [r.acceptance_no for r in ws.take(2)]
    assert [n.rsplit("-", 1)[1] for n in first] == ["0001", "0002"]
    ws.sync.sync_once()
    ws.services.close()
    # A new disk and a lost vault: no data folder, no marker, no credential.
    shutil.rmtree(ws.data_dir)
    shutil.rmtree(machine_vault)
    services = services_factory(config=ws.config, data_dir=ws.data_dir)
    assert services.db.identity.series == 1
    ws.services = services
    ws.clerk = add_user(services)
    ws.enroll(central.engine())  # a new code for the same workstation
    assert services.db.identity.series == 2
    assert any("continues in series 2" in r.getMessage() for r in caplog.records)
    later = [r.acceptance_no for r in ws.take(2)]
    assert [n.rsplit("-", 1)[1] for n in later] == ["A0001", "A0002"]
    assert not set(later) & set(first)
    assert ws.sync.sync_once().push.quarantined == 0
    services.close()
    # The store opens again in its series (the marker followed), and its chain tells why it moved.
    again = services_factory(config=ws.config, data_dir=ws.data_dir)
    assert again.db.identity.series == 2
    with again.db.read() as session:
        moved = session.execute(
            text("SELECT details FROM audit_events WHERE action = 'store.series_continued'")
        ).scalar_one()
    assert '"server_series": 1' in moved and '"series": 2' in moved


def test_enrolling_again_a_workstation_that_has_numbers_of_its_own_keeps_its_series(
    ws: Workstation, central: Any
) -> None:
    ws.take(1)
    ws.sync.sync_once()
    ws.enroll(central.engine())
    assert ws.services.db.identity.series == 1
    assert ws.take(1)[0].acceptance_no.rsplit("-", 1)[1] == "0002"


def test_yimen_enroll_says_when_a_new_store_continues_above_the_servers_numbers(
    ws: Workstation, central: Any, services_factory: Any, machine_vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws.take(1)
    ws.sync.sync_once()
    ws.services.close()
    shutil.rmtree(ws.data_dir)
    shutil.rmtree(machine_vault)
    code = enrollment_code(central.engine(), CENTER, "003")
    assert yimen(ws, "enroll", "--code", code) == 0
    said = capsys.readouterr().out
    assert "已注册" in said and "第 2 批次" in said and "字母 A" in said and "yimen recover --from-server" in said
    # Enrolling again (a store with no numbers, already above the server's): nothing more to say.
    assert yimen(ws, "enroll", "--code", enrollment_code(central.engine(), CENTER, "003")) == 0
    assert "批次" not in capsys.readouterr().out
