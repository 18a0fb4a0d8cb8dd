"""A 补打 after the retention: the pruned PDF comes back from the real server with its SHA-256 checked; other bytes
are refused; offline the document is drawn again from the stored record and says so on paper (docs/documents.md
"补打 after the retention").  Pruned rows are made as app/pruning.py leaves them: ``pdf`` NULL with the moment."""

from __future__ import annotations

import dataclasses
import http.server
import io
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import text

from app.documents.model import DocumentKind, Paper, StoredDocument
from app.documents.service import CopySource, OriginalMismatchError, OriginalUnavailableError
from app.intake.model import Decision, DecisionInput, MaterialInput, MaterialStatus
from app.sync import protocol
from app.sync.client import ClientSettings, SyncClient
from tests import pdfkit
from tests.app.sync.synckit import Workstation
from tests.storekit import connect_store

REASON = "申请人遗失回执"
NOTE = "重新生成件（非原件）"


def prune(services: Any) -> None:
    """What app/pruning.py leaves of every document: the row and its SHA-256, no bytes."""
    with connect_store(services.db.path) as conn:
        conn.execute("UPDATE documents SET pdf = NULL, pdf_pruned_at = '2026-12-01 00:00:00'")
        conn.commit()


def receipt_of(services: Any, stored: list[StoredDocument]) -> StoredDocument:
    found = next(d for d in stored if d.kind is DocumentKind.RECEIPT)
    return services.documents.document(found.id)  # type: ignore[no-any-return]


def reprinted_events(services: Any) -> list[dict[str, Any]]:
    with connect_store(services.db.path) as conn:
        rows = conn.execute("SELECT payload FROM outbox WHERE event_type = 'document.reprinted' ORDER BY seq")
        return [json.loads(row[0]) for row in rows.fetchall()]


def audit_details(services: Any, action: str) -> list[dict[str, Any]]:
    with connect_store(services.db.path) as conn:
        rows = conn.execute("SELECT details FROM audit_events WHERE action = ? ORDER BY seq", (action,))
        return [json.loads(row[0]) for row in rows.fetchall()]


@pytest.fixture
def ws(services_factory: Any, tmp_path: Path, central: Any) -> Workstation:
    station = Workstation(services_factory, tmp_path / "ws003", central.url)
    station.enroll(central.engine())
    return station


def test_a_pruned_document_comes_back_from_the_server_byte_for_byte(ws: Workstation, central: Any) -> None:
    documents = ws.services.documents
    stored = documents.issue(ws.take()[0], ws.clerk)
    original = receipt_of(ws.services, stored).pdf
    assert original is not None
    ws.sync.sync_once()  # the PDFs go up before the events that name them
    prune(ws.services)
    receipt = receipt_of(ws.services, stored)
    assert receipt.pdf is None and receipt.pruned

    plain = documents.copy_for_handout(receipt, reprint=False)
    assert plain.source is CopySource.SERVER and plain.data == original
    copy = documents.copy_for_handout(receipt, reprint=True)
    assert copy.source is CopySource.SERVER and not copy.rerendered
    words = pdfkit.flat(copy.data)
    assert "补打" in words and NOTE not in words and receipt.acceptance_no in words

    documents.record_handout(receipt.id, ws.clerk, action="print", reprint=True, reason=REASON, source=copy.source)
    # An ordinary 补打 serializes as before: no new key, so a server of an earlier version takes it too.
    (event,) = reprinted_events(ws.services)
    assert "rerendered" not in event["body"]
    assert audit_details(ws.services, "document.reprinted")[0]["source"] == "server"


def test_not_on_the_server_it_is_drawn_again_and_the_server_takes_the_marked_reprint(
    ws: Workstation, central: Any
) -> None:
    documents = ws.services.documents
    stored = documents.issue(ws.take()[0], ws.clerk)
    ws.sync.sync_once()
    prune(ws.services)
    with central.engine().begin() as conn:
        conn.execute(text("DELETE FROM blobs"))  # the server answers 404: the same as offline for the counter
    # The center's phone number changed since: drawn again, the receipt is no longer the original byte for byte.
    documents.settings = dataclasses.replace(documents.settings, center_phone="021-60000000")
    receipt = receipt_of(ws.services, stored)
    copy = documents.copy_for_handout(receipt, reprint=True)
    assert copy.source is CopySource.RERENDERED and copy.rerendered
    assert protocol.digest(copy.data) != receipt.sha256
    documents.record_handout(receipt.id, ws.clerk, action="print", reprint=True, reason=REASON, source=copy.source)
    (event,) = reprinted_events(ws.services)
    assert event["body"]["rerendered"] is True
    assert audit_details(ws.services, "document.reprinted")[0]["source"] == "rerendered"
    ws.sync.sync_once()
    with central.engine().connect() as conn:
        payload = conn.execute(text("SELECT payload FROM events WHERE event_type = 'document.reprinted'")).scalar_one()
    assert json.loads(bytes(payload))["body"]["rerendered"] is True


class WrongBytes(http.server.BaseHTTPRequestHandler):
    """A server that answers every GET with a PDF that is not the one asked for."""

    asked: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        WrongBytes.asked.append(self.path)
        body = b"%PDF-1.4 not the document you asked for"
        self.send_response(200)
        self.send_header("Content-Type", "application/pdf")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: Any) -> None:
        pass


@pytest.fixture
def wrong_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), WrongBytes)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.allow_warning_logs
def test_other_bytes_from_the_server_are_refused_and_nothing_is_handed_out(
    services: Any, decide: Any, clerk: Any, wrong_server: str, caplog: pytest.LogCaptureFixture
) -> None:
    documents = services.documents
    stored = documents.issue(decide("MZ-SHJZ-001"), clerk)
    prune(services)
    client = SyncClient(ClientSettings(wrong_server), token="t")
    documents.fetch_original = client.fetch_document
    receipt = receipt_of(services, stored)
    with pytest.raises(OriginalMismatchError) as refused:
        documents.copy_for_handout(receipt, reprint=True)
    client.close()
    assert "不符" in refused.value.message.render() and "没有打印" in refused.value.message.render()
    assert WrongBytes.asked[-1] == f"/api/v1/documents/{receipt.sha256}?application={receipt.application_id}"
    assert documents.document(receipt.id).handed_out == 0 and reprinted_events(services) == []
    # IT hears of it (a warning naming the kind only: no number, no name).
    (warning,) = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert warning == "the server answered other bytes for a receipt: refused"


def test_offline_an_unchanged_record_draws_the_original_again_and_a_changed_layout_says_so(
    services: Any, decide: Any, clerk: Any, tmp_path: Path
) -> None:
    documents = services.documents  # not enrolled: the server is never reached
    stored = documents.issue(decide("MZ-SHJZ-001"), clerk)
    prune(services)
    receipt = receipt_of(services, stored)
    # The same record, catalog version, settings and program: byte for byte the original (its SHA-256), no mark.
    same = documents.copy_for_handout(receipt, reprint=False)
    assert same.source is CopySource.IDENTICAL and protocol.digest(same.data) == receipt.sha256

    # The deployment changed since (the receipt paper; the center's phone): drawn again, marked on every page.
    first = documents.settings
    changes = {Paper.THERMAL80: first.center_phone, Paper.A4: "021-60000000"}
    for paper, phone in changes.items():
        documents.settings = dataclasses.replace(first, receipt_paper=paper, center_phone=phone)
        copy = documents.copy_for_handout(receipt, reprint=True)
        assert copy.source is CopySource.RERENDERED
        words = pdfkit.flat(copy.data)
        assert words.count(NOTE) == len(PdfReader(io.BytesIO(copy.data)).pages) >= 1  # on every page
        assert "依据本机存档的申请记录" in words and "版式可能与原件不同" in words and "补打" in words
        assert receipt.acceptance_no in words
        (tmp_path / f"rerendered-{paper.value}.pdf").write_bytes(copy.data)


def test_a_record_changed_since_the_document_is_not_drawn_again(services: Any, clerk: Any, decide: Any) -> None:
    documents = services.documents
    result = decide("MZ-SHJZ-001", Decision.SUPPLEMENT)
    stored = documents.issue(result, clerk)
    brought = [MaterialInput(m.key, MaterialStatus.RECEIVED, m.party_index) for m in result.missing_materials]
    services.intake.supplement_return(result.acceptance_no, brought, DecisionInput(Decision.ACCEPT), clerk)
    prune(services)
    notice = documents.document(next(d.id for d in stored if d.kind is DocumentKind.SUPPLEMENT_NOTICE))
    assert not notice.superseded  # still the citizen's notice, but the record has moved on (accepted since)
    with pytest.raises(OriginalUnavailableError) as refused:
        documents.copy_for_handout(notice, reprint=True)
    assert "又有变更" in refused.value.message.render()


def test_yimen_print_of_a_pruned_document_offline_writes_a_marked_copy_and_says_so(
    services_factory: Any, tmp_path: Path
) -> None:
    from tests.app.documents.doc_testkit import take
    from tests.app.test_cli import yimen
    from tests.conftest import add_user, write_deployment

    config = write_deployment(tmp_path)
    data = tmp_path / "data"
    services = services_factory(config=config, data_dir=data)
    clerk = add_user(services)
    result = take(services, clerk, "MZ-SHJZ-002")
    services.documents.issue(result, clerk)
    prune(services)
    services.close()
    # The center's phone number changed in the deployment file since the receipt was drawn.
    text_before = config.read_text(encoding="utf-8")
    config.write_text(text_before.replace('phone = "021-00000000"', 'phone = "021-60000000"', 1), encoding="utf-8")
    out = tmp_path / "receipt.pdf"
    done = yimen(
        "print",
        result.acceptance_no,
        "--doc",
        "receipt",
        "--out",
        str(out),
        "--reason",
        "申请人遗失回执",
        "--config",
        str(config),
        "--data-dir",
        str(data),
    )
    assert done.returncode == 0, done.stderr
    assert "（第 1 版，补打，重新生成件）" in done.stdout
    words = pdfkit.flat(out.read_bytes())
    assert NOTE in words and "021-60000000" in words and result.acceptance_no in words
    with connect_store(data / "yimen.sqlite3") as conn:
        (details,) = conn.execute("SELECT details FROM audit_events WHERE action = 'document.reprinted'").fetchall()
    assert json.loads(details[0])["source"] == "rerendered"
