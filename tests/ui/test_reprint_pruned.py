"""The 补打 of a document whose PDF was pruned, in the real window offscreen (docs/documents.md "补打 after the
retention"): the original comes back from a real server (fetched on the network pool, stamped on the renderer
thread), or, offline, a re-rendered copy is named so in the preview and printed to the demo's file printer."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.documents.model import DocumentKind
from app.documents.service import CopySource
from tests import pdfkit
from tests.app.sync.synckit import Workstation
from tests.storekit import connect_store
from tests.ui.ui_testkit import MessageRecorder

FETCHING = "原件已超过本机保存期限，正在从中心服务器取回原件…"


@pytest.fixture
def station(services_factory: Any, tmp_path: Path) -> Workstation:
    # Demo mode: the printers are the file printer (<data>/printed), as in `make run`.
    return Workstation(services_factory, tmp_path / "ws003", "http://127.0.0.1:9")


@pytest.fixture
def services(station: Workstation) -> Any:
    return station.services


@pytest.fixture
def clerk(station: Workstation) -> Any:
    return station.clerk


def handed_out_then_pruned(station: Workstation) -> str:
    """An application whose receipt and form were printed once, then pruned as app/pruning.py leaves them."""
    documents = station.services.documents
    stored = documents.issue(station.take()[0], station.clerk)
    for doc in stored:
        documents.record_handout(doc.id, station.clerk, action="print", reprint=False)
    return str(stored[0].acceptance_no)


def prune(station: Workstation) -> None:
    with connect_store(station.services.db.path) as conn:
        conn.execute("UPDATE documents SET pdf = NULL, pdf_pruned_at = '2026-12-01 00:00:00'")
        conn.commit()


def printed(services: Any) -> list[Path]:
    return sorted((services.db.path.parent / "printed").glob("*.pdf"))


def open_reprint(qtbot: Any, window: Any, number: str) -> Any:
    with qtbot.waitSignal(window.desk.preview_opened, timeout=30_000) as opened:
        window.context.events.print_requested.emit(number)
    return opened.args[0]


def print_with_reason(qtbot: Any, preview: Any) -> None:
    preview.list.item(1).setCheckState(Qt.CheckState.Unchecked)  # the receipt only
    preview.reason.setText("申请人遗失回执")
    with qtbot.waitSignal(preview.finished, timeout=30_000):
        preview.print_button.click()


def test_the_original_comes_back_from_the_server_and_prints(
    qtbot: Any, station: Workstation, central: Any, window: Any, messages: MessageRecorder
) -> None:
    station.enroll(central.engine(), central.url)
    number = handed_out_then_pruned(station)
    station.sync.sync_once()
    originals = {d.kind: d.sha256 for d in station.services.documents.documents(number)}
    prune(station)

    preview = open_reprint(qtbot, window, number)
    assert FETCHING in messages.texts("status")
    assert [c.source for c in preview.copies] == [CopySource.SERVER, CopySource.SERVER]
    assert preview.list.item(0).text() == "受理回执（第 1 版） · 补打 · 原件取自中心服务器"
    assert "已从中心服务器取回原件（校验一致）。" in messages.texts("status")
    receipt = preview.copies[0]
    assert receipt.document.kind is DocumentKind.RECEIPT and receipt.document.sha256 == originals[DocumentKind.RECEIPT]
    words = pdfkit.flat(receipt.data)
    assert "补打" in words and "重新生成件" not in words
    print_with_reason(qtbot, preview)
    assert len(printed(station.services)) == 1


def test_offline_the_copy_is_a_re_rendered_one_and_the_clerk_and_the_paper_say_so(
    qtbot: Any, station: Workstation, window: Any, messages: MessageRecorder
) -> None:
    number = handed_out_then_pruned(station)  # never enrolled: the server cannot be asked
    prune(station)
    documents = station.services.documents
    # Since it was drawn the center's phone number changed: drawn again it is no longer the original byte for byte.
    documents.settings = dataclasses.replace(documents.settings, center_phone="021-60000000")

    preview = open_reprint(qtbot, window, number)
    assert FETCHING in messages.texts("status")
    # The receipt prints the phone: re-rendered.  The form does not: drawn again it is the original, byte for byte.
    assert [c.source for c in preview.copies] == [CopySource.RERENDERED, CopySource.IDENTICAL]
    assert preview.list.item(0).text() == "受理回执（第 1 版） · 补打 · 重新生成件"
    assert preview.list.item(1).text() == "申请表（第 1 版） · 补打"
    assert "重新生成件" in preview.message.text() and "纸面上已注明" in preview.message.text()
    (warning,) = messages.texts("warning")
    assert warning == "未能从中心服务器取回原件：受理回执为依据存档记录重新生成的文书（纸面已注明）。"
    assert "重新生成件" not in pdfkit.flat(preview.copies[1].data)
    assert "重新生成件（非原件）" in pdfkit.flat(preview.copies[0].data)
    qtbot.waitUntil(lambda: preview.shown_pages() >= 1)

    print_with_reason(qtbot, preview)
    (job,) = printed(station.services)
    width, height = pdfkit.page_size_mm(job.read_bytes())
    assert (round(width), round(height)) == (210, 297)
    with connect_store(station.services.db.path) as conn:
        (details,) = conn.execute("SELECT details FROM audit_events WHERE action = 'document.reprinted'").fetchall()
        (payload,) = conn.execute("SELECT payload FROM outbox WHERE event_type = 'document.reprinted'").fetchall()
    assert json.loads(details[0])["source"] == "rerendered"
    assert json.loads(payload[0])["body"]["rerendered"] is True
