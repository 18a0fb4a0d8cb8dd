"""Reconciliation, the day close (日结) and the handover lists recorded (app/reports/dayclose.py), on real stores and,
where the server is compared, a real central server (PostgreSQL where it runs): the sequence check per numbering
series, a gap and a series change made by a real restore from an older backup, synced, unsynced and refused events,
an acknowledged event the server lost, the password checked again at the close, the reason when anything is open,
and the ``day.closed`` and ``handover.recorded`` events."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from app import integrity
from app.config import load_deployment
from app.domain import Decision, MaterialStatus
from app.errors import AuthError, NotAllowedError, NotFoundError, ValidationError
from app.intake.model import DecisionInput, MaterialInput
from app.localtime import local_date
from app.reports.dayclose import DifferenceKind, _compare, sequence_checks
from app.reports.handover import handover_list, recorded_list
from app.security.permissions import MACHINE
from app.security.vault import Vault
from app.sync import protocol
from db.models import AuditEvent, DayClose, Handover, HandoverCase, OutboxEntry, User
from tests.app.documents.doc_testkit import take
from tests.app.sync.synckit import Workstation
from tests.app.test_intake_materials import ALL, OWED_CATALOG, draft, present
from tests.conftest import add_user

ITEM = "MZ-SHJZ-002"
PASSWORD = "supervisor-pass-1"
PREFIX = "310104003-003-20261123-"


def today(services: Any) -> dt.date:
    return local_date(services.intake.clock())


def outbox(services: Any, event_type: str) -> list[OutboxEntry]:
    with services.db.read() as session:
        rows = list(session.scalars(select(OutboxEntry).where(OutboxEntry.event_type == event_type)))
        session.expunge_all()
        return rows


def closes(services: Any) -> int:
    with services.db.read() as session:
        return int(session.scalar(select(func.count()).select_from(DayClose)) or 0)


# ---------------------------------------------------------------------------------------------------- offline


def test_a_gapless_day_offline_is_closed_only_with_a_reason_and_the_close_is_an_event(
    services: Any, clerk: Any, supervisor: Any
) -> None:
    numbers = [
        take(services, clerk, ITEM).acceptance_no,
        take(services, clerk, ITEM, Decision.SUPPLEMENT).acceptance_no,
        take(services, clerk, ITEM, Decision.REFUSE).acceptance_no,
    ]
    day = today(services)
    seen = services.day_close.reconcile(supervisor, day)
    assert seen.applications == 3 and [c.acceptance_no for c in seen.cases] == numbers
    (series,) = seen.series
    assert (series.series, series.first, series.last, series.count, series.gaps) == (
        1,
        PREFIX + "0001",
        PREFIX + "0003",
        3,
        (),
    )
    assert seen.series_changes == () and seen.missing_numbers == 0
    # Not enrolled: the server was not asked, which is said, and the close needs a reason.
    assert not seen.server_reached and seen.problem is not None and "注册" in seen.problem.render()
    assert seen.unsynced == sum(c.local_events for c in seen.cases) > 0
    assert seen.differences == ()  # nothing compared: nothing claimed
    items = [m.render() for m in seen.open_items]
    assert any("未能与中心服务器核对" in m for m in items) and any("尚未上传" in m for m in items)
    with pytest.raises(ValidationError) as refused:
        services.day_close.close(supervisor, day, PASSWORD, None)
    said = refused.value.message.render()
    assert "请写明原因" in said and "未能与中心服务器核对" in said and "尚未上传" in said
    with pytest.raises(ValidationError):
        services.day_close.close(supervisor, day, PASSWORD, "   ")
    assert closes(services) == 0 and outbox(services, "day.closed") == []

    view = services.day_close.close(supervisor, day, PASSWORD, "网络中断，先行日结，恢复后补传")
    assert view.day == day and view.closed_by == "zhangmin" and view.closed_by_name == "张敏"
    assert view.reason == "网络中断，先行日结，恢复后补传"
    assert view.figures["applications"] == 3 and view.figures["series"][0]["last"] == PREFIX + "0003"
    assert view.figures["server_reached"] is False and view.figures["unsynced"] == seen.unsynced
    assert services.day_close.closed(day) == view
    assert services.day_close.reconcile(supervisor, day).closed == view
    # The day.closed event: the workstation's, no application, the counts and numbers of the day.
    (entry,) = outbox(services, "day.closed")
    assert entry.application_id is None and entry.state == "pending"
    event = protocol.parse(entry.payload)
    assert event.application_id == protocol.NO_APPLICATION and isinstance(event.body, protocol.DayClosed)
    assert (event.body.day, event.body.applications, event.body.closed_by) == (day, 3, "zhangmin")
    assert event.body.numbers == [PREFIX + "0001", PREFIX + "0003"]
    assert event.body.unsynced == seen.unsynced and event.body.reason == view.reason
    with services.db.read() as session:
        audited = session.scalar(select(AuditEvent).where(AuditEvent.action == "day.closed"))
        assert audited is not None and audited.entity_type == "workstation" and audited.entity_id == "003"
        assert audited.details["outbox_event"] == str(entry.id) and audited.details["day"] == day.isoformat()
    # Once only.
    with pytest.raises(NotAllowedError, match="已于 .* 由 张敏 日结"):
        services.day_close.close(supervisor, day, PASSWORD, "再结一次")
    assert closes(services) == 1


def test_a_wrong_password_is_refused_and_counted_like_a_login(services: Any, clerk: Any, supervisor: Any) -> None:
    take(services, clerk, ITEM)
    day = today(services)
    limit = services.deployment.max_failed_logins
    for _ in range(limit - 1):
        with pytest.raises(AuthError):
            services.day_close.close(supervisor, day, "wrong-password", "理由")
    with services.db.read() as session:
        row = session.get(User, supervisor.id)
        assert row is not None and row.failed_attempts == limit - 1
    with pytest.raises(AuthError):
        services.day_close.close(supervisor, day, "wrong-password", "理由")
    # Locked now: even the right password is refused until the lock-out ends.
    with pytest.raises(AuthError):
        services.day_close.close(supervisor, day, PASSWORD, "理由")
    assert closes(services) == 0 and outbox(services, "day.closed") == []
    with services.db.read() as session:
        failed = session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action.in_(("login.failed", "login.locked")))
        )
        assert failed == limit


def test_who_may_reconcile_and_close_and_which_days(services: Any, clerk: Any, supervisor: Any) -> None:
    admin = MACHINE  # IT's admin rights: everyone's figures, no close
    day = today(services)
    with pytest.raises(NotAllowedError, match="日结需要值班长办理"):
        services.day_close.reconcile(clerk, day)
    with pytest.raises(NotAllowedError, match="日结需要值班长办理"):
        services.day_close.close(clerk, day, "counter-pass-1", "理由")
    assert services.day_close.reconcile(admin, day).applications == 0  # ALL_FIGURES: may look
    with pytest.raises(NotAllowedError):
        services.day_close.close(admin, day, "admin-pass-123", "理由")
    # A future day cannot be closed; an earlier one can (no applications that day).
    with pytest.raises(NotAllowedError, match="还没有到"):
        services.day_close.close(supervisor, day + dt.timedelta(days=1), PASSWORD, "理由")
    yesterday = services.day_close.close(supervisor, day - dt.timedelta(days=1), PASSWORD, "离线")
    assert yesterday.figures["applications"] == 0
    # A reason that holds an ID number is refused.
    with pytest.raises(ValidationError, match="证件号码"):
        services.day_close.close(supervisor, day, PASSWORD, "申请人310104198506150023未带材料")
    assert closes(services) == 1


def restored(services_factory: Any, services: Any, backup: Path, config: Path, data_dir: Path) -> Any:
    """The store lost after ``backup`` and put back from it: the numbering continues in the next series."""
    services.close()
    deployment = load_deployment(config)
    vault = Vault(Path(os.environ["YIMEN_VAULT_DIR"]))
    report = integrity.restore(data_dir, deployment, vault, backup)
    assert report.series == 2
    return services_factory(config=config, data_dir=data_dir)


def test_a_series_change_after_a_restore_is_shown_not_called_a_gap(services_factory: Any, tmp_path: Path) -> None:
    from tests.conftest import write_deployment

    config = write_deployment(tmp_path)
    data_dir = tmp_path / "data"
    services = services_factory(config=config, data_dir=data_dir)
    clerk = add_user(services)
    supervisor = add_user(services, "zhangmin", supervisor=True)
    take(services, clerk, ITEM)
    take(services, clerk, ITEM)
    backup = services.backup()
    assert backup is not None
    take(services, clerk, ITEM)  # …0003, printed after the backup: lost with the disk
    services = restored(services_factory, services, backup, config, data_dir)
    take(services, clerk, ITEM)
    take(services, clerk, ITEM)
    seen = services.day_close.reconcile(supervisor, today(services))
    assert [(s.series, s.first, s.last, s.count, s.gaps, s.changed_from) for s in seen.series] == [
        (1, PREFIX + "0001", PREFIX + "0002", 2, (), None),
        (2, PREFIX + "A0001", PREFIX + "A0002", 2, (), 1),
    ]
    assert seen.series_changes == ((1, 2),) and seen.missing_numbers == 0
    # Offline, the lost …0003 is not known here: only the server can tell (the next test).
    assert seen.applications == 4


def test_the_sequence_check_lists_each_gap_per_series() -> None:
    held = [PREFIX + n for n in ("0001", "0002", "0005", "0007", "A0002")]
    checks = sequence_checks(PREFIX, held, [PREFIX + "0003", PREFIX + "0008"])
    first, second = checks
    assert first.highest == 8 and [(g.first[-4:], g.last[-4:], g.count, g.on_server) for g in first.gaps] == [
        ("0003", "0004", 2, 1),
        ("0006", "0006", 1, 0),
        ("0008", "0008", 1, 1),
    ]
    assert second.changed_from == 1 and [(g.first[-5:], g.count) for g in second.gaps] == [("A0001", 1)]


def test_an_application_the_server_holds_nothing_of_while_acknowledged_here_is_unexplained() -> None:
    sent = {"application.taken": {"sent": 1}, "document.issued": {"sent": 1, "pending": 1}}
    (pending, lost) = _compare(PREFIX + "0001", sent, [], None)
    assert (pending.kind, pending.events, pending.explained) == (DifferenceKind.NOT_SENT, 1, True)
    assert (lost.kind, lost.events, lost.explained) == (DifferenceKind.NOT_ON_SERVER, 2, False)
    assert "服务器上没有这件申请" in lost.message.render()
    # A pending event the server already has (its answer was lost) is no difference.
    assert _compare(PREFIX + "0001", sent, [], {"application.taken": 1, "document.issued": 2}) == []


# ---------------------------------------------------------------------------------------------------- handover


def kept_nothing(services: Any, clerk: Any) -> str:
    """A case accepted with every material only checked and handed back: no paper to hand over."""
    ticks = present(*ALL, status=MaterialStatus.ORIGINAL_CHECKED)
    return services.intake.decide(draft(*ticks), DecisionInput(Decision.ACCEPT), clerk).acceptance_no


def test_a_handover_list_is_recorded_once_per_case_and_leaves_the_printed_list(services_factory: Any) -> None:
    services = services_factory(catalog_dir=OWED_CATALOG)
    clerk = add_user(services)
    admin = MACHINE
    first = services.intake.decide(draft(*present(*ALL)), DecisionInput(Decision.ACCEPT), clerk).acceptance_no
    second = services.intake.decide(
        draft(*present(*ALL), name="欧阳·娜娜"), DecisionInput(Decision.ACCEPT), clerk
    ).acceptance_no
    third = services.intake.decide(
        draft(*present(*ALL), name="张𠮷"), DecisionInput(Decision.ACCEPT), clerk
    ).acceptance_no
    waiting = services.intake.decide(
        draft(*present("applicant_id_card")), DecisionInput(Decision.SUPPLEMENT), clerk
    ).acceptance_no
    nothing = kept_nothing(services, clerk)
    day = today(services)
    before = handover_list(services.intake, day, by=clerk)
    assert {c.acceptance_no for c in before.cases} == {first, second, third}
    # Seen and handed back: no paper leaves the centre, named apart and never to be recorded.
    assert [(c.acceptance_no, c.handed) for c in before.no_paper] == [(nothing, ())]
    with pytest.raises(NotAllowedError):
        services.day_close.record_handover(admin, [first], "区民政局", None)

    view = services.day_close.record_handover(clerk, [first, second.replace("-", "")], "区民政局社会救助科", "李·娜")
    assert view.number == "示范交〔2026〕310104003-003-1号"
    assert view.acceptance_nos == (first, second) and view.receiver == "李·娜" and view.handed_by == "wangli"
    (entry,) = outbox(services, "handover.recorded")
    event = protocol.parse(entry.payload)
    assert event.application_id == protocol.NO_APPLICATION and isinstance(event.body, protocol.HandoverRecorded)
    assert event.body.acceptance_nos == [first, second] and event.body.number == view.number
    assert event.body.handover_id == view.id and event.body.department == "区民政局社会救助科"
    # The printed list of the day now shows only what is still to go; the recorded cases are named apart.
    after = handover_list(services.intake, day, by=clerk)
    assert [c.acceptance_no for c in after.cases] == [third] and [c.acceptance_no for c in after.no_paper] == [nothing]
    assert {(c.acceptance_no, c.handover_no) for c in after.handed_over} == {
        (first, view.number),
        (second, view.number),
    }

    # A paper goes with one list only; refused, 补正 and nothing-kept cases are never on one; nothing is half-written.
    with pytest.raises(ValidationError, match=f"已在交接单 {view.number} 上"):
        services.day_close.record_handover(clerk, [third, first], "区民政局", None)
    with pytest.raises(ValidationError, match="不是已受理的办件"):
        services.day_close.record_handover(clerk, [waiting], "区民政局", None)
    with pytest.raises(ValidationError, match="没有收取任何材料"):
        services.day_close.record_handover(clerk, [nothing], "区民政局", None)
    with pytest.raises(NotFoundError):
        services.day_close.record_handover(clerk, [PREFIX + "0099"], "区民政局", None)
    with pytest.raises(ValidationError, match="部门"):
        services.day_close.record_handover(clerk, [third], "  ", None)
    with pytest.raises(ValidationError, match="至少"):
        services.day_close.record_handover(clerk, [], "区民政局", None)
    with services.db.read() as session:
        assert session.scalar(select(func.count()).select_from(Handover)) == 1
        assert session.scalar(select(func.count()).select_from(HandoverCase)) == 2
    second_list = services.day_close.record_handover(clerk, [third], "区民政局社会救助科", None)
    assert second_list.number == "示范交〔2026〕310104003-003-2号"
    assert handover_list(services.intake, day, by=clerk).cases == ()
    assert [h.number for h in services.day_close.handovers(day)] == [view.number, second_list.number]


# ---------------------------------------------------------------------------------------------------- real server


@pytest.fixture
def ws(services_factory: Any, tmp_path: Path, central: Any) -> Workstation:
    station = Workstation(services_factory, tmp_path / "ws003", central.url)
    station.enroll(central.engine())
    return station


def damage(ws: Workstation, acceptance_no: str) -> None:
    """A damaged outbox row (a disk fault): its bytes no longer match the hash fixed at commit; the server refuses."""
    with ws.services.db.write() as session:
        app_id = session.scalar(text("SELECT id FROM applications WHERE acceptance_no = :n"), {"n": acceptance_no})
        entry = session.scalars(
            select(OutboxEntry)
            .where(OutboxEntry.application_id == uuid.UUID(bytes=app_id))  # stored as its 16 bytes
            .order_by(OutboxEntry.seq)
        ).first()
        assert entry is not None
        entry.payload = entry.payload.replace(b'"query_code":"', b'"query_code":"9', 1)


def server_event_types(central: Any, event_type: str) -> int:
    with central.engine().connect() as conn:
        return int(
            conn.execute(text("SELECT count(*) FROM events WHERE event_type = :t"), {"t": event_type}).scalar_one()
        )


@pytest.mark.slow
@pytest.mark.allow_warning_logs  # the quarantined event is logged as a warning
def test_the_reconciliation_with_a_real_server_lists_each_difference_and_the_close_reaches_the_server(
    ws: Workstation, central: Any
) -> None:
    services, supervisor = ws.services, ws.supervisor
    synced, lost, refused = (r.acceptance_no for r in ws.take(3))
    services.documents.heal()  # receipts and forms: document.issued events
    damage(ws, refused)
    report = ws.sync.sync_once()
    assert report.push.quarantined == 1
    # The server loses one acknowledged event of ``lost`` (restored from an older backup, say).
    with central.engine().begin() as conn:
        deleted = conn.execute(
            text(
                "DELETE FROM events WHERE event_id = (SELECT e.event_id FROM events e JOIN applications a "
                "ON a.id = e.application_id WHERE a.acceptance_no = :n AND e.event_type = 'document.issued' LIMIT 1)"
            ),
            {"n": lost},
        )
        assert deleted.rowcount == 1
    (pending,) = (r.acceptance_no for r in ws.take(1))  # taken after the sync: not sent yet
    day = today(services)

    seen = services.day_close.reconcile(supervisor, day)
    assert seen.server_reached and seen.problem is None
    assert seen.applications == 4 and seen.missing_numbers == 0
    kinds = {(d.acceptance_no, d.kind) for d in seen.differences}
    assert kinds == {
        (lost, DifferenceKind.MISSING_ON_SERVER),
        (refused, DifferenceKind.REFUSED),
        (refused, DifferenceKind.NOT_SENT),  # its later events wait behind the refused one
        (pending, DifferenceKind.NOT_SENT),
    }
    by = {(d.acceptance_no, d.kind): d for d in seen.differences}
    assert (
        by[(lost, DifferenceKind.MISSING_ON_SERVER)].events == 1
        and not by[(lost, DifferenceKind.MISSING_ON_SERVER)].explained
    )
    assert "SHA-256" in by[(refused, DifferenceKind.REFUSED)].message.render()
    assert by[(pending, DifferenceKind.NOT_SENT)].explained
    cases = {c.acceptance_no: c for c in seen.cases}
    assert cases[synced].server_events == cases[synced].local_events == cases[synced].sent
    assert cases[pending].server_events is None and cases[refused].server_events is None
    # The local flags say ``lost`` is fully acknowledged; the server is believed.
    assert cases[lost].sent == cases[lost].local_events and cases[lost].server_events == cases[lost].local_events - 1
    assert seen.quarantined == 1 and seen.unsynced == cases[refused].pending + cases[pending].pending
    items = " ".join(m.render() for m in seen.open_items)
    assert "被中心服务器拒收" in items and "尚未上传" in items and lost in items and synced not in items

    with pytest.raises(ValidationError, match=lost):
        services.day_close.close(supervisor, day, PASSWORD, None)
    view = services.day_close.close(supervisor, day, PASSWORD, "一件被拒收已报信息员，一件服务器缺事件待查")
    assert view.figures["quarantined"] == 1 and len(view.figures["differences"]) == 4
    # The close goes to the server like every event and is accepted there.
    before = server_event_types(central, "day.closed")
    report = ws.sync.sync_once()
    (entry,) = outbox(services, "day.closed")
    assert entry.state == "sent"
    assert server_event_types(central, "day.closed") == before + 1
    event = protocol.parse(entry.payload)
    assert isinstance(event.body, protocol.DayClosed) and event.body.quarantined == 1 and event.body.differences >= 1
    # The server knows the day is closed, and when.
    again = services.day_close.reconcile(supervisor, day)
    assert again.server_closed_at == view.closed_at and again.closed == view


@pytest.mark.slow
@pytest.mark.allow_warning_logs  # the restored store's audit head is behind the server's: refused and logged
def test_a_restore_from_an_older_backup_shows_the_lost_numbers_as_a_gap_the_server_holds(
    ws: Workstation, central: Any, services_factory: Any
) -> None:
    (kept,) = (r.acceptance_no for r in ws.take(1))
    backup = ws.services.backup()
    assert backup is not None
    later = [r.acceptance_no for r in ws.take(2)]  # printed after the backup, synced, then the disk fails
    ws.sync.sync_once()
    services = restored(services_factory, ws.services, backup, ws.config, ws.data_dir)
    new = take(services, ws.clerk, ITEM).acceptance_no
    assert new == PREFIX + "A0001"
    seen = services.day_close.reconcile(ws.supervisor, today(services))
    assert seen.server_reached
    first, second = seen.series
    assert (first.series, first.count, first.highest) == (1, 1, 3)
    ((gap),) = first.gaps
    assert (gap.first, gap.last, gap.count, gap.on_server) == (later[0], later[1], 2, 2)
    assert second.changed_from == 1 and second.gaps == ()
    unknown = {d.acceptance_no for d in seen.differences if d.kind is DifferenceKind.UNKNOWN_HERE}
    assert unknown == set(later)
    assert kept not in {d.acceptance_no for d in seen.differences if not d.explained}
    said = " ".join(m.render() for m in seen.open_items)
    assert "缺 2 个号" in said and f"{later[0]}～{later[1]}" in said


@pytest.mark.slow
def test_a_purged_application_still_counts_as_present_and_a_handover_reaches_the_server(
    ws: Workstation, central: Any, clock: Any
) -> None:
    services = ws.services
    refused = take(services, ws.clerk, ITEM, Decision.REFUSE).acceptance_no
    accepted = take(services, ws.clerk, "MZ-SHJZ-001").acceptance_no  # 低保: paper kept for the back office
    services.documents.heal()
    handed = services.day_close.record_handover(ws.clerk, [accepted], "区民政局社会救助科", None)
    assert ws.sync.sync_once().push.quarantined == 0
    (entry,) = outbox(services, "handover.recorded")
    assert entry.state == "sent" and server_event_types(central, "handover.recorded") == 1
    day = today(services)
    # Past the retention period both (acknowledged, owing nothing) cases are purged here; their numbers stay.
    clock.advance(days=services.deployment.retention_days + 1)
    assert services.purge().acceptance_nos == (refused, accepted)
    seen = services.day_close.reconcile(ws.supervisor, day)
    assert seen.server_reached and seen.applications == 2
    assert [c.acceptance_no for c in seen.cases if c.purged] == [refused, accepted]
    (series,) = seen.series
    assert (series.first, series.last, series.gaps) == (refused, accepted, ())
    assert seen.differences == () and not seen.open
    view = services.day_close.close(ws.supervisor, day, PASSWORD, None)  # nothing open: no reason needed
    assert view.reason is None and view.figures["applications"] == 2
    (recorded,) = services.day_close.handovers(day)
    assert recorded.number == handed.number and recorded.acceptance_nos == ()  # the purge took the line with the case


def test_owed_paper_brought_after_its_case_was_handed_over_goes_with_a_list_of_its_own(
    services_factory: Any, clock: Any
) -> None:
    services = services_factory(catalog_dir=OWED_CATALOG)
    clerk = add_user(services)
    tolerated = services.intake.decide(
        draft(*present("applicant_id_card", "household_register", "photos")), DecisionInput(Decision.TOLERATED), clerk
    ).acceptance_no
    monday = today(services)
    recorded = services.day_close.record_handover(clerk, [tolerated], "区民政局社会救助科", None)
    assert handover_list(services.intake, monday, by=clerk).cases == ()
    clock.advance(days=1)
    services.intake.materials_return(tolerated, [MaterialInput("income_proof", MaterialStatus.RECEIVED)], clerk)
    tuesday = handover_list(services.intake, today(services), by=clerk)
    (case,) = tuesday.cases  # the income proof has not gone with Monday's list: it is on no list yet
    assert case.brought_later and case.handover_no is None
    assert [m.key for m in case.handed] == ["income_proof"]
    later = services.day_close.record_handover(clerk, [tolerated], "区民政局社会救助科", "赵·敏")
    assert later.number != recorded.number and later.acceptance_nos == (tolerated,)
    # Each paper went with one list: Monday's list still covers the first paper, Tuesday's only the income proof.
    after = handover_list(services.intake, today(services), by=clerk)
    assert after.cases == () and [c.handover_no for c in after.handed_over] == [later.number]
    assert [c.handover_no for c in handover_list(services.intake, monday, by=clerk).handed_over] == [recorded.number]
    first = recorded_list(services.intake, recorded.number, by=clerk)
    second = recorded_list(services.intake, later.number, by=clerk)
    assert [m.key for m in first.cases[0].handed] == ["household_register", "photos"]
    assert [m.key for m in second.cases[0].handed] == ["income_proof"] and second.cases[0].brought_later
    assert second.record is not None and second.record.receiver == "赵·敏" and second.record.handed_by_name
    # Nothing new since: the case is on no open list, and a third list is refused.
    with pytest.raises(ValidationError, match=f"已在交接单 {later.number} 上"):
        services.day_close.record_handover(clerk, [tolerated], "区民政局社会救助科", None)
    with services.db.read() as session:
        assert session.scalar(select(func.count()).select_from(HandoverCase)) == 2


@pytest.mark.slow
def test_a_server_that_does_not_answer_is_said_and_the_close_needs_a_reason(ws: Workstation, central: Any) -> None:
    ws.take(2)
    ws.sync.sync_once()
    central.stop()
    seen = ws.services.day_close.reconcile(ws.supervisor, today(ws.services))
    assert not seen.server_reached and seen.problem is not None
    assert "无法连接中心服务器" in seen.problem.render()
    assert seen.applications == 2 and seen.unsynced == 0 and seen.missing_numbers == 0
    with pytest.raises(ValidationError, match="未能与中心服务器核对"):
        ws.services.day_close.close(ws.supervisor, seen.day, PASSWORD, "")
    view = ws.services.day_close.close(ws.supervisor, seen.day, PASSWORD, "中心服务器维护，已电话报备")
    assert view.figures["server_reached"] is False
