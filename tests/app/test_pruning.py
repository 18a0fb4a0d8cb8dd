"""Pruning (app/pruning.py, docs/reliability.md "Pruning"), caused for real: cases taken through the intake use
cases with their documents issued, acknowledged by a real central server (or never), the clock moved past the
retention, the pruning run; then the raw rows of the SQLCipher store, its file size, the audit chain, the record
and the documents list are read."""

from __future__ import annotations

import dataclasses
import datetime as dt
import http.server
import json
import threading
import uuid
from pathlib import Path
from typing import Any

import pytest

from app import backups, cli, cli_audit, pruning
from app.config import load_deployment
from app.domain import Decision
from app.errors import ConfigError, NotEnrolledError, SyncError, SyncTransientError
from app.security import audit
from app.security.permissions import MACHINE
from db.engine import raw_connect
from db.models import DocumentRecord, OutboxEntry
from tests.app.documents.doc_testkit import take
from tests.app.sync.synckit import Workstation
from tests.storekit import connect_store

pytestmark = pytest.mark.slow

ITEM = "MZ-SHJZ-002"
#: Monday 2 March 2026, 10:00 in Shanghai.
T0 = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)
DAYS = 30  # the default storage.payload_retention_days and storage.document_retention_days


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


def done(ws: Workstation, decision: Decision = Decision.ACCEPT) -> str:
    result = take(ws.services, ws.clerk, ITEM, decision)
    ws.services.documents.heal()
    return str(result.acceptance_no)


def rows(ws: Workstation, statement: str, *args: Any) -> list[Any]:
    conn = connect_store(ws.services.db.path)
    try:
        return conn.execute(statement, args).fetchall()
    finally:
        conn.close()


def kept(ws: Workstation) -> tuple[int, int]:
    """(outbox payloads, document PDFs) still held."""
    payloads = rows(ws, "SELECT count(*) FROM outbox WHERE payload IS NOT NULL")[0][0]
    pdfs = rows(ws, "SELECT count(*) FROM documents WHERE pdf IS NOT NULL")[0][0]
    return payloads, pdfs


def file_size(ws: Workstation) -> int:
    ws.services.db.empty_wal()
    return ws.services.db.path.stat().st_size


# ---------------------------------------------------------------------------------------------------- pruned


def test_acknowledged_bytes_past_the_retention_go_the_rows_and_hashes_stay_and_the_file_shrinks(
    ws: Workstation, clock: Any
) -> None:
    numbers = [done(ws) for _ in range(6)]
    assert ws.sync.sync_once().push.quarantined == 0
    hashes = rows(ws, "SELECT id, sha256 FROM outbox ORDER BY seq")
    doc_hashes = rows(ws, "SELECT id, sha256, size FROM documents ORDER BY id")
    events, documents = kept(ws)
    assert events >= 12 and documents >= 12
    assert rows(ws, "PRAGMA auto_vacuum") == [(2,)]  # a new store: incremental (db/engine.py)
    size = file_size(ws)

    clock.advance(days=DAYS, minutes=-1)
    assert ws.services.prune().batches == 0  # one minute inside both periods
    clock.advance(minutes=2)
    report = ws.services.prune()

    # Every acknowledged event's payload and every issued PDF is gone.
    assert (report.payloads, report.documents) == (events, documents)
    assert report.payload_bytes > 0 and report.document_bytes > 20_000 * documents
    assert (report.waiting_payloads, report.waiting_documents, report.auto_vacuum) == (0, 0, "incremental")
    assert kept(ws) == (0, 0)
    assert rows(ws, "SELECT id, sha256 FROM outbox ORDER BY seq") == hashes
    assert rows(ws, "SELECT id, sha256, size FROM documents ORDER BY id") == doc_hashes
    # Written back at the end of the table (appended rows fill each page) in their order: the queue's order holds.
    assert rows(ws, "SELECT id FROM outbox ORDER BY rowid") == [(h[0],) for h in hashes]
    assert rows(ws, "SELECT count(*) FROM outbox WHERE payload_pruned_at IS NULL") == [(0,)]
    assert rows(ws, "SELECT count(*) FROM documents WHERE pdf_pruned_at IS NULL") == [(0,)]
    with ws.services.db.read() as session:  # rows written back keep their stored forms (read as the ORM reads)
        assert {e.payload_pruned_at for e in session.query(OutboxEntry)} == {clock.now}
        assert {d.pdf_pruned_at for d in session.query(DocumentRecord)} == {clock.now}
        assert all(e.sent_at and e.created_at for e in session.query(OutboxEntry))
    # The freed pages went back to the disk.
    assert report.pages_freed > 0
    assert file_size(ws) < size - report.document_bytes // 2
    # One audit event per transaction, counts only, and the chain verifies.
    details = [json.loads(r[0]) for r in rows(ws, "SELECT details FROM audit_events WHERE action = ?", audit.PRUNED)]
    assert sorted(d["what"] for d in details) == ["documents", "payloads"]
    assert sum(d["count"] for d in details) == events + documents
    assert cli_audit.verify(ws.services) == 0
    # The record, its documents and the day's list read as before; nothing is pushed again.
    for number in numbers:
        assert ws.services.intake.load(number).acceptance_no == number
        assert len(ws.services.documents.documents(number)) >= 2
    applicant = rows(ws, "SELECT p.id_number FROM persons p JOIN application_parties a ON a.person_id = p.id")[0][0]
    history = ws.services.intake.history(applicant, by=MACHINE)
    assert set(numbers) <= {h.acceptance_no for h in history}
    assert ws.sync.sync_once().push.quarantined == 0
    assert ws.services.prune().batches == 0  # nothing left to prune


def test_pruning_runs_in_small_transactions_and_a_save_gets_in_between(
    ws: Workstation, clock: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    for _ in range(3):
        done(ws)
    ws.sync.sync_once()
    events, _ = kept(ws)
    clock.advance(days=DAYS + 1)
    saved: list[str] = []
    original = pruning._prune_batch

    def then_a_save(*args: Any) -> Any:
        result = original(*args)
        if not saved:  # after the first transaction: the clerk saves a case from another thread, its own connection
            worker = threading.Thread(target=lambda: saved.append(done(ws)))
            worker.start()
            worker.join(60)
            assert saved, "the save did not get through between two pruning transactions"
        return result

    monkeypatch.setattr(pruning, "_prune_batch", then_a_save)
    report = pruning.prune(ws.services.db, ws.services.deployment, clock.now, batch_size=2)
    assert report.payloads == events and report.documents >= 6
    details = rows(ws, "SELECT details FROM audit_events WHERE action = ?", audit.PRUNED)
    counts = [json.loads(r[0])["count"] for r in details]
    assert len(counts) == report.batches and max(counts) == 2 and sum(counts) == report.payloads + report.documents
    # The case saved meanwhile is pending: its bytes stay, whatever happens to the others.
    assert ws.application(saved[0]).sync_state == "pending"
    assert kept(ws)[0] >= 2 and kept(ws)[1] >= 2
    assert cli_audit.verify(ws.services) == 0


# ---------------------------------------------------------------------------------------------------- never pruned


def test_nothing_a_server_never_acknowledged_is_pruned_however_old(offline: Workstation, clock: Any) -> None:
    for _ in range(2):
        done(offline)
    with pytest.raises(NotEnrolledError):
        offline.sync.sync_once()
    held = kept(offline)
    clock.advance(days=3650)
    report = offline.services.prune()
    assert (report.payloads, report.documents, report.batches) == (0, 0, 0)
    assert (report.waiting_payloads, report.waiting_documents) == held
    assert kept(offline) == held


def test_a_server_that_stops_answering_keeps_what_it_did_not_acknowledge(
    ws: Workstation, central: Any, clock: Any
) -> None:
    done(ws)
    ws.sync.sync_once()
    acknowledged = kept(ws)
    central.stop()
    unsent = done(ws)
    with pytest.raises(SyncTransientError):
        ws.sync.sync_once()
    clock.advance(days=3650)
    report = ws.services.prune()
    assert (report.payloads, report.documents) == acknowledged
    assert report.waiting_payloads >= 2 and report.waiting_documents >= 2
    number = ws.application(unsent)
    pending = rows(ws, "SELECT count(*) FROM outbox WHERE application_id = ? AND payload IS NOT NULL", number.id.bytes)
    assert pending[0][0] >= 2 and kept(ws) == (report.waiting_payloads, report.waiting_documents)


class _Busy(http.server.BaseHTTPRequestHandler):
    """A real server on 127.0.0.1 that answers every request 503 with Retry-After: it never acknowledges."""

    hits: list[str] = []

    def _busy(self) -> None:
        _Busy.hits.append(self.path)
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = b'{"detail":"busy"}'
        self.send_response(503)
        self.send_header("Retry-After", "1")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = _busy  # noqa: N815 (http.server names its handlers so)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.mark.allow_warning_logs
def test_a_server_that_answers_every_push_busy_acknowledges_nothing_and_nothing_of_it_is_pruned(
    ws: Workstation, clock: Any
) -> None:
    done(ws)
    ws.sync.sync_once()
    acknowledged = kept(ws)
    busy = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Busy)
    threading.Thread(target=busy.serve_forever, daemon=True).start()
    try:
        credential = ws.sync.credentials.load()
        assert credential is not None
        ws.sync.credentials.save(dataclasses.replace(credential, server_url=f"http://127.0.0.1:{busy.server_port}"))
        unsent = ws.application(done(ws))
        for _ in range(3):
            try:
                assert ws.sync.sync_once().push.sent == 0
            except SyncError:
                pass  # told to come back later
            clock.advance(days=400)
    finally:
        busy.shutdown()
        busy.server_close()
    assert len(_Busy.hits) >= 3 and all(p.startswith("/api/") for p in _Busy.hits)  # asked, and answered busy
    report = ws.services.prune()
    assert (report.payloads, report.documents) == acknowledged
    left = rows(ws, "SELECT count(*) FROM outbox WHERE application_id = ? AND payload IS NOT NULL", unsent.id.bytes)
    assert left[0][0] >= 3 and kept(ws) == (report.waiting_payloads, report.waiting_documents)
    assert rows(ws, "SELECT count(*) FROM documents WHERE application_id = ? AND pdf IS NULL", unsent.id.bytes) == [
        (0,)
    ]


@pytest.mark.allow_warning_logs
def test_a_quarantined_event_and_the_documents_behind_it_keep_their_bytes(ws: Workstation, clock: Any) -> None:
    broken = ws.application(done(ws))
    with ws.services.db.write() as session:  # a disk fault: the bytes no longer match the hash fixed at commit
        entry = session.query(OutboxEntry).filter(OutboxEntry.application_id == broken.id).order_by(OutboxEntry.seq)
        first = entry.first()
        assert first is not None and first.payload is not None
        first.payload = first.payload.replace(b'"query_code":"', b'"query_code":"9', 1)
    assert ws.sync.sync_once().push.quarantined == 1
    clock.advance(days=3650)
    report = ws.services.prune()
    assert report.documents == 0 and report.waiting_documents >= 2
    quarantined = rows(ws, "SELECT count(*) FROM outbox WHERE state != 'sent' AND payload IS NOT NULL")[0][0]
    assert quarantined >= 1 and report.waiting_payloads == quarantined
    assert kept(ws)[1] == report.waiting_documents


def test_a_reprint_keeps_the_pdf_for_another_period(ws: Workstation, clock: Any) -> None:
    number = done(ws)
    clock.advance(days=20)
    receipt = ws.services.documents.current(number, "receipt")
    ws.services.documents.record_handout(receipt.id, ws.clerk, action="print", reprint=True, reason="申请人遗失回执")
    ws.sync.sync_once()
    clock.advance(days=DAYS - 10, hours=1)  # the documents are 30 days old, the reprint 10
    report = ws.services.prune()
    assert report.documents >= 1
    assert rows(ws, "SELECT pdf IS NOT NULL FROM documents WHERE id = ?", uuid.UUID(str(receipt.id)).bytes) == [(1,)]
    clock.advance(days=20)
    assert ws.services.prune().documents == 1
    assert kept(ws)[1] == 0


# ---------------------------------------------------------------------------------------------------- settings


def test_the_payload_retention_is_never_shorter_than_the_servers_recovery_window(tmp_path: Path) -> None:
    from tests.conftest import write_deployment

    config = write_deployment(tmp_path, mode="demo")
    text = config.read_text(encoding="utf-8")
    deployment = load_deployment(config)
    assert (deployment.payload_retention_days, deployment.document_retention_days) == (30, 30)
    assert deployment.backup_max_total_mb * 1024 * 1024 == backups.KEEP_BYTES == 3 * 1024**3  # ten pruned copies fit
    for days in (pruning.RECOVERY_WINDOW_DAYS, 365):
        config.write_text(text + f"\n[storage]\npayload_retention_days = {days}\ndocument_retention_days = 7\n")
        deployment = load_deployment(config)
        assert (deployment.payload_retention_days, deployment.document_retention_days) == (days, 7)
    config.write_text(text + f"\n[storage]\npayload_retention_days = {pruning.RECOVERY_WINDOW_DAYS - 1}\n")
    with pytest.raises(ConfigError) as info:
        load_deployment(config)
    said = info.value.message.render()
    assert "storage.payload_retention_days" in said
    assert f"不得少于中心服务器的恢复期 {pruning.RECOVERY_WINDOW_DAYS} 天" in said
    config.write_text(text + "\n[storage]\ndocument_retention_days = 0\n")
    with pytest.raises(ConfigError, match="storage.document_retention_days"):
        load_deployment(config)


# ---------------------------------------------------------------------------------------------------- running it


def test_the_running_counter_prunes_in_its_hourly_round(ws: Workstation, clock: Any) -> None:
    done(ws)
    ws.sync.sync_once()
    clock.advance(days=DAYS + 1)
    keeper = ws.services.start_housekeeping(first_delay=3600.0, interval=3600.0)
    assert keeper.round() is not None  # the day's backup, the purge (nothing past 190 days), the pruning
    assert kept(ws) == (0, 0)


def test_yimen_prune_dry_run_changes_nothing_the_real_run_prunes_and_an_old_store_is_told_to_vacuum(
    ws: Workstation, capsys: pytest.CaptureFixture[str]
) -> None:
    for _ in range(2):
        done(ws)
    ws.sync.sync_once()
    held = kept(ws)
    ws.services.close()
    # A store made before auto-vacuum: mode NONE (what one VACUUM with the pragma off leaves).
    conn = connect_store(ws.services.db.path)
    conn.execute("PRAGMA auto_vacuum = NONE")
    conn.execute("VACUUM")
    conn.close()
    assert rows(ws, "PRAGMA auto_vacuum") == [(0,)]
    # The self-test names it too (what IT reads first), without changing the store.
    from app import cli_ops

    status, line = cli_ops._check_store(load_deployment(ws.config), str(ws.data_dir))
    assert status == cli_ops.PASS and "清理后文件不会变小" in line and "yimen prune --vacuum" in line, line
    location = ["--config", str(ws.config), "--data-dir", str(ws.data_dir)]
    # The command runs on the real clock: months after these cases, well past the periods.
    assert cli.main(["prune", "--dry-run", *location]) == 0
    out = capsys.readouterr().out
    assert f"试运行，未做任何改动：将删除 {held[0]} 条同步事件的内容" in out and f"{held[1]} 份文书 PDF" in out
    assert "yimen prune --vacuum" in out  # the old store is told how to switch
    assert kept(ws) == held
    assert cli.main(["prune", *location]) == 0
    out = capsys.readouterr().out
    assert f"已删除 {held[0]} 条同步事件的内容" in out and "数据库文件：" in out and "yimen prune --vacuum" in out
    assert kept(ws) == (0, 0)
    assert cli.main(["prune", "--vacuum", *location]) == 0
    out = capsys.readouterr().out
    assert "数据库文件已重建（VACUUM）。" in out and "yimen prune --vacuum" not in out
    assert rows(ws, "PRAGMA auto_vacuum") == [(2,)]
    assert "yimen prune --vacuum" not in cli_ops._check_store(load_deployment(ws.config), str(ws.data_dir))[1]
    assert cli.main(["audit", "verify", *location]) == 0


# ---------------------------------------------------------------------------------------------------- backups


def test_a_backup_of_a_pruned_store_is_small_and_encrypted_copies_are_incremental(ws: Workstation, clock: Any) -> None:
    for _ in range(4):
        done(ws)
    ws.sync.sync_once()
    before = ws.services.backup()
    assert before is not None
    clock.advance(days=DAYS + 1)
    report = ws.services.prune()
    after = ws.services.backup()
    assert after is not None and after != before
    assert after.stat().st_size < before.stat().st_size - report.document_bytes // 2
    info = backups.open_backup(after, [ws.services.vault.identity()])
    conn = raw_connect(after, info.key)
    try:
        assert conn.execute("PRAGMA auto_vacuum").fetchall() == [(2,)]  # a restore brings incremental mode
    finally:
        conn.close()


def test_backups_are_bounded_by_count_and_size_and_the_newest_always_stays(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()

    def backup(stamp: str, size: int) -> Path:
        path = folder / f"yimen-2026030{stamp}T020000000000Z-daily.ybak"
        path.write_bytes(b"\0" * size)
        path.with_name(path.name[: -len(backups.SUFFIX)] + backups.KEY_SUFFIX).write_bytes(b"k")
        return path

    made = [backup(str(day), 1000) for day in range(1, 6)]
    assert backups.prune(folder, keep_count=3, keep_bytes=10**6) == made[:2]
    assert backups.list_backups(folder) == made[2:]
    assert backups.prune(folder, keep_count=10, keep_bytes=2100) == made[2:3]  # 2 × 1001 bytes fit
    big = backup("9", 5000)
    assert backups.prune(folder, keep_count=10, keep_bytes=2100) == made[3:]
    assert backups.list_backups(folder) == [big]  # bigger than the bound alone: the newest stays
    assert [p.name for p in folder.glob("*.ybak.key")] == [big.name[: -len(backups.SUFFIX)] + backups.KEY_SUFFIX]
