"""The purge of closed cases after the retention period (app/retention.py, docs/privacy.md "Retention"), caused for
real: cases taken through the intake use cases with their documents issued, acknowledged by a real central server
(or never), the clock moved past ``privacy.retention_days``, the purge run; then the raw rows, the decrypted pages of
the store file and its WAL, the audit chain, the list and the search are read."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from app import cli, cli_audit, retention
from app.demo import demo_id
from app.domain import AppState, Decision, PartyRole
from app.errors import NotEnrolledError, NotFoundError, SyncTransientError
from app.intake import labels
from app.security import audit
from app.security.permissions import MACHINE
from db.models import OutboxEntry
from tests.app.documents.doc_testkit import take
from tests.app.sync.synckit import Workstation
from tests.storekit import connect_store, decrypted_bytes

pytestmark = pytest.mark.slow

ITEM = "MZ-SHJZ-002"  # 临时救助: one applicant
#: Monday 2 March 2026, 10:00 in Shanghai: every event of these tests is in the past, as the server sees it.
T0 = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)
DAYS = 190  # the default privacy.retention_days

GONE = ("𠮷田·春燕", "31010419610203004")
REFUSED = ("欧阳𠮷", "31010419630405006")
WAITING = ("司马堃", "31010419650607008")
TABLES = (
    "applications",
    "application_parties",
    "application_materials",
    "decisions",
    "documents",
    "outbox",
    "persons",
    "purged_applications",
    "audit_events",
    "number_counters",
)


def applicant(person: tuple[str, str]) -> dict[PartyRole, tuple[str, str]]:
    return {PartyRole.APPLICANT: person}


@pytest.fixture
def ws(services_factory: Any, tmp_path: Path, central: Any, clock: Any) -> Workstation:
    clock.now = T0
    station = Workstation(services_factory, tmp_path / "ws003", central.url)
    station.enroll(central.engine())
    return station


@pytest.fixture
def offline(services_factory: Any, tmp_path: Path, clock: Any) -> Workstation:
    """A workstation never enrolled: no server ever acknowledges its events."""
    clock.now = T0
    return Workstation(services_factory, tmp_path / "ws004", "", workstation="004")


def done(ws: Workstation, person: tuple[str, str] | None = None, decision: Decision = Decision.ACCEPT) -> str:
    """A case decided and its documents issued: closed at the counter (a 补正 case waits for the return visit)."""
    result = take(ws.services, ws.clerk, ITEM, decision, people=applicant(person) if person else None)
    ws.services.documents.heal()
    return str(result.acceptance_no)


def rows(ws: Workstation, statement: str, *args: Any) -> list[Any]:
    conn = connect_store(ws.services.db.path)
    try:
        return conn.execute(statement, args).fetchall()
    finally:
        conn.close()


def numbers(ws: Workstation) -> set[str]:
    return {r[0] for r in rows(ws, "SELECT acceptance_no FROM applications")}


def snapshot(ws: Workstation) -> dict[str, list[Any]]:
    return {table: sorted(map(repr, rows(ws, f"SELECT * FROM {table}"))) for table in TABLES}


# ---------------------------------------------------------------------------------------------------- the bytes


def plaintext(path: Path) -> bytes:
    return decrypted_bytes(path)


def traces(blob: bytes, person: tuple[str, str]) -> list[str]:
    """Which of the person's name, its rare character's JSON escape and ID number are in ``blob``."""
    name, body = person
    escaped = json.dumps(name)[1:-1].encode()  # "\ud842\udfb7…" where a payload was written ASCII-only
    found = [label for label, probe in (("name", name.encode()), ("id", demo_id(body).encode())) if probe in blob]
    return found + (["escaped name"] if escaped != name.encode() and escaped in blob else [])


# ---------------------------------------------------------------------------------------------------- purged


def test_closed_cases_the_server_acknowledged_are_purged_after_the_period_down_to_the_bytes(
    ws: Workstation, central: Any, clock: Any
) -> None:
    gone = done(ws, GONE)
    refused = done(ws, REFUSED, Decision.REFUSE)
    shared_old = done(ws)  # the sample applicant, who comes back a hundred days later
    clock.advance(days=100)
    shared_new = done(ws)
    assert ws.sync.sync_once().push.quarantined == 0
    assert {r[0] for r in rows(ws, "SELECT sync_state FROM applications")} == {"synced"}
    path = ws.services.db.path
    counters = rows(ws, "SELECT * FROM number_counters")
    # The decryption sees the data before the purge (the probe is sound): the schema as sqlite_master holds it (the
    # migrations' table rebuilds leave the names quoted).
    assert b'CREATE TABLE "applications"' in plaintext(path)
    assert set(traces(plaintext(path), GONE)) >= {"name", "id"} and set(traces(plaintext(path), REFUSED)) >= {"id"}

    clock.now = T0 + dt.timedelta(days=DAYS, hours=1)
    report = ws.services.purge()

    assert sorted(report.acceptance_nos) == sorted([gone, refused, shared_old])
    assert (report.count, report.batches, report.waiting_for_server, report.wal_emptied) == (3, 1, 0, True)
    assert report.persons == 2 and report.documents >= 4  # the sample applicant stays: a kept case names them
    assert numbers(ws) == {shared_new}
    ids = [r[0] for r in rows(ws, "SELECT id FROM purged_applications")]
    assert len(ids) == 3
    for table in ("application_parties", "application_materials", "decisions", "documents", "outbox"):
        left = rows(ws, f"SELECT count(*) FROM {table} WHERE application_id IN (?, ?, ?)", *ids)
        assert left == [(0,)], table
    people = rows(ws, "SELECT id_number FROM persons")
    assert people == [(demo_id("31010419500615002"),)]
    assert rows(ws, "SELECT * FROM number_counters") == counters  # no number is ever issued again
    # The tombstones: numbers, item, decision and dates, nothing personal.
    kept = {
        r[0]: r[1:]
        for r in rows(ws, "SELECT acceptance_no, item_code, state, decision, notice_no FROM purged_applications")
    }
    assert kept[gone] == kept[shared_old] == (ITEM, "accepted", "accept", None)
    assert kept[refused][:3] == (ITEM, "refused", "refuse") and "不受" in kept[refused][3]
    assert [r[1] for r in rows(ws, "PRAGMA table_info(purged_applications)")] == [
        "id",
        "acceptance_no",
        "item_code",
        "state",
        "decision",
        "notice_no",
        "received_at",
        "decided_at",
        "last_change_at",
        "purged_at",
    ]
    # Nothing of the purged people is left in the file or its WAL, not even in free pages or free space.
    assert not (Path(f"{path}-wal").exists() and Path(f"{path}-wal").stat().st_size)
    after = plaintext(path)
    assert traces(after, GONE) == [] and traces(after, REFUSED) == []
    assert "name" in traces(after, ("阿依古丽·买买提", "31010419500615002"))  # the kept case's applicant is
    # The audit trail: one event for the transaction, case numbers only, and verification finds nothing.
    events = rows(ws, "SELECT details FROM audit_events WHERE action = 'records.purged'")
    assert len(events) == 1
    details = json.loads(events[0][0])
    assert details["count"] == 3 and details["retention_days"] == DAYS
    assert sorted(a["acceptance_no"] for a in details["applications"]) == sorted(report.acceptance_nos)
    assert traces(events[0][0].encode(), GONE) == []
    with ws.services.db.read() as session:
        assert audit.verify_chain(session).intact
    ws.sync.sync_once()  # the chain's new head goes to the server; the purge sends nothing else
    assert cli_audit.verify(ws.services) == 0


def test_a_case_inside_the_period_stays_and_a_reprint_counts_as_its_last_change(ws: Workstation, clock: Any) -> None:
    first = done(ws)
    second = done(ws)
    clock.advance(days=100)
    receipt = ws.services.documents.current(second, "receipt")
    ws.services.documents.record_handout(receipt.id, ws.clerk, action="print", reprint=True, reason="申请人遗失回执")
    ws.sync.sync_once()
    clock.now = T0 + dt.timedelta(days=DAYS) - dt.timedelta(minutes=1)
    assert ws.services.purge().count == 0  # one minute inside the period
    clock.advance(minutes=2)
    assert ws.services.purge().acceptance_nos == (first,)  # the reprinted one waits 100 days more
    clock.now = T0 + dt.timedelta(days=100 + DAYS, minutes=1)
    assert ws.services.purge().acceptance_nos == (second,)


# ---------------------------------------------------------------------------------------------------- never purged


def test_nothing_a_server_never_acknowledged_is_purged(offline: Workstation, clock: Any) -> None:
    taken = {done(offline, GONE), done(offline, REFUSED, Decision.REFUSE)}
    with pytest.raises(NotEnrolledError):  # nothing leaves, nothing is acknowledged
        offline.sync.sync_once()
    clock.advance(days=3 * DAYS)
    report = offline.services.purge()
    assert (report.count, report.waiting_for_server) == (0, 2)
    assert numbers(offline) == taken
    assert "name" in traces(plaintext(offline.services.db.path), GONE)


def test_a_server_that_stops_answering_keeps_what_it_did_not_acknowledge(
    ws: Workstation, central: Any, clock: Any
) -> None:
    acknowledged = done(ws)
    ws.sync.sync_once()
    central.stop()
    unsent = done(ws, GONE)
    with pytest.raises(SyncTransientError):  # the server is down
        ws.sync.sync_once()
    clock.advance(days=3 * DAYS)
    report = ws.services.purge()
    assert report.acceptance_nos == (acknowledged,) and report.waiting_for_server == 1
    assert numbers(ws) == {unsent}


def test_a_supplement_case_waiting_for_its_return_visit_is_never_purged(ws: Workstation, clock: Any) -> None:
    waiting = done(ws, WAITING, Decision.SUPPLEMENT)
    closed = done(ws)
    ws.sync.sync_once()
    assert ws.application(waiting).sync_state == "synced"
    clock.advance(days=3 * DAYS)
    assert ws.services.purge().acceptance_nos == (closed,)
    assert numbers(ws) == {waiting}
    assert ws.services.intake.load(waiting).state == AppState.AWAITING_SUPPLEMENT.value


@pytest.mark.allow_warning_logs
def test_a_quarantined_case_is_never_purged(ws: Workstation, clock: Any) -> None:
    refused_by_server = done(ws, GONE)
    fine = done(ws)
    broken = ws.application(refused_by_server)
    with ws.services.db.write() as session:  # a disk fault: the bytes no longer match the hash fixed at commit
        entry = session.scalars(
            OutboxEntry.__table__.select()
            .with_only_columns(OutboxEntry.id)
            .where(OutboxEntry.application_id == broken.id)
            .order_by(OutboxEntry.seq)
            .limit(1)
        ).one()
        row = session.get(OutboxEntry, entry)
        assert row is not None
        row.payload = row.payload.replace(b'"query_code":"', b'"query_code":"9', 1)
    assert ws.sync.sync_once().push.quarantined == 1
    clock.advance(days=3 * DAYS)
    report = ws.services.purge()
    assert report.acceptance_nos == (fine,) and report.waiting_for_server == 1
    assert numbers(ws) == {refused_by_server}


# ---------------------------------------------------------------------------------------------------- after


def test_a_purged_number_is_answered_clearly_by_the_list_the_search_the_record_and_the_documents(
    ws: Workstation, clock: Any
) -> None:
    gone = done(ws, GONE)
    ws.sync.sync_once()
    day = clock.now.astimezone(dt.timezone(dt.timedelta(hours=8))).date()
    clock.advance(days=DAYS + 1)
    assert ws.services.purge().acceptance_nos == (gone,)
    intake = ws.services.intake
    for found in (
        intake.search(gone, by=MACHINE),
        intake.search(gone.replace("-", ""), by=MACHINE),
        intake.list_day(day, by=MACHINE),
    ):
        assert [(s.acceptance_no, s.purged, s.state) for s in found] == [(gone, True, AppState.PURGED.value)]
        summary = found[0]
        assert (summary.applicant_name, summary.applicant_id_masked, summary.item_code) == ("", "", ITEM)
        assert labels.decision_label(summary.decision, summary.state).render() == "已按保存期限清除，请到中心系统查询"
    assert (
        intake.search(GONE[0], by=MACHINE) == [] and intake.search(demo_id(GONE[1]), by=MACHINE) == []
    )  # nothing personal to find by
    for call in (lambda: intake.load(gone), lambda: ws.services.documents.documents(gone)):
        with pytest.raises(NotFoundError) as info:
            call()
        assert info.value.message.render() == f"申请 {gone} 的个人信息已按保存期限从本机清除，请到中心系统查询。"
    assert "找不到" in _not_found(intake, "310104003-003-20260302-9999")


def _not_found(intake: Any, number: str) -> str:
    with pytest.raises(NotFoundError) as info:
        intake.load(number)
    return info.value.message.render()


# ---------------------------------------------------------------------------------------------------- running it


def test_the_purge_runs_in_small_transactions_each_with_its_audit_event(ws: Workstation, clock: Any) -> None:
    taken = [done(ws) for _ in range(5)]
    ws.sync.sync_once()
    clock.advance(days=DAYS + 1)
    report = retention.purge_closed(ws.services.db, ws.services.deployment, clock.now, batch_size=2)
    assert list(report.acceptance_nos) == taken and report.batches == 3
    counts = [
        json.loads(r[0])["count"] for r in rows(ws, "SELECT details FROM audit_events WHERE action = ?", audit.PURGED)
    ]
    assert counts == [2, 2, 1]
    assert cli_audit.verify(ws.services) == 0


def test_the_running_counter_purges_in_its_hourly_round(ws: Workstation, clock: Any) -> None:
    gone = done(ws)
    ws.sync.sync_once()
    clock.advance(days=DAYS + 1)
    keeper = ws.services.start_housekeeping(first_delay=3600.0, interval=3600.0)
    assert keeper.round() is not None  # the day's backup, then the purge
    assert numbers(ws) == set()
    assert [r[0] for r in rows(ws, "SELECT acceptance_no FROM purged_applications")] == [gone]


def test_yimen_purge_dry_run_changes_nothing_and_the_real_run_purges(
    ws: Workstation, clock: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    gone = done(ws, GONE)
    waiting = done(ws, WAITING, Decision.SUPPLEMENT)
    ws.sync.sync_once()
    clock.advance(days=DAYS + 1)
    ws.services.close()
    before = snapshot(ws)
    location = ["--config", str(ws.config), "--data-dir", str(ws.data_dir)]
    # The command runs on the real clock: months after these cases, well past the period.
    assert cli.main(["purge", "--dry-run", "--list", *location]) == 0
    out = capsys.readouterr().out
    assert "试运行，未做任何改动：将清除 1 件申请的个人信息（1 位当事人" in out and gone in out.splitlines()
    assert GONE[0] not in out and demo_id(GONE[1]) not in out
    assert snapshot(ws) == before
    assert cli.main(["purge", "--vacuum", *location]) == 0
    out = capsys.readouterr().out
    assert "已清除 1 件申请的个人信息（1 位当事人" in out and "数据库文件已重建" in out and gone not in out
    assert numbers(ws) == {waiting}
    assert cli.main(["audit", "verify", *location]) == 0
