"""A closed preview releases what it loaded (issue 16, the counter over a day): its QtPdf documents and the
dialog itself are deleted, so twenty previews leave nothing behind in the window; and what they freed is handed back
to the system (ui/memory.py) on the renderer thread."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QDialog

from app.domain import Decision, MaterialStatus, PartyRole
from app.intake.model import ApplicationDraft, DecisionInput, MaterialInput, PartyInput
from tests.ui.ui_testkit import valid_id
from ui.memory import release_freed_memory


def deleted_later() -> None:
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_twenty_previews_closed_leave_no_document_or_dialog(
    qtbot: Any, window: Any, services: Any, clerk: Any, runner: Any
) -> None:
    finished: list[str] = []
    runner.finished.connect(finished.append)
    draft = ApplicationDraft(
        item_code="MZ-SHJZ-002",
        values={"assistance_type": "emergency", "situation": "家中突发火灾"},
        parties=[PartyInput(PartyRole.APPLICANT, "孙悦", valid_id("31010119800101001"), "13800138000")],
        materials=[MaterialInput("applicant_id_card", MaterialStatus.RECEIVED)],
    )
    result = services.intake.decide(draft, DecisionInput(Decision.ACCEPT), clerk)
    with qtbot.waitSignal(window.desk.preview_opened, timeout=30_000) as opened:
        window.desk.issue_for(result)
    first = opened.args[0]
    copies = first.copies
    assert len(first.findChildren(QPdfDocument)) == 2  # the receipt and the form
    first.reject()
    qtbot.waitUntil(lambda: "memory.release" in finished)  # queued on the renderer thread as the preview closed
    for _ in range(19):
        preview = window.desk.open_preview(copies, "打印文书")
        qtbot.waitUntil(lambda preview=preview: preview.shown_pages() == 1)
        preview.reject()
    deleted_later()
    assert window.findChildren(QPdfDocument) == []
    assert [d for d in window.findChildren(QDialog) if d.objectName() == "preview"] == []


def test_freed_memory_is_handed_back_on_this_linux() -> None:
    assert release_freed_memory() is True  # glibc's malloc_trim was found and called
