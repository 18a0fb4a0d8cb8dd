"""The documents at the counter: drawn after each change that owes them, previewed exactly as they print.

:class:`DocumentDesk` runs the steps where they belong (ARCHITECTURE.md invariant 8): what is owed and storing on
the database worker, drawing and printing on the renderer thread, the preview (:mod:`ui.documents.preview`) on the
GUI thread.  A change is already committed when this starts, so nothing here can lose it; a document that could not
be drawn stays owed and is drawn at the next start (``documents_due``, docs/documents.md).

The desk listens to the window's events: every changed record (``events.changed``) is asked what it owes (the core
answers: a decision's receipt and notices, a correction's reissued receipt and form, nothing after a void), and
``events.print_requested`` opens an application's current documents again (补打 for a copy already handed out); a
document whose PDF was pruned after the retention is fetched from the server on the network pool (the status bar
says so meanwhile) or, offline, drawn again and marked (docs/documents.md "补打 after the retention").
It tells ``events.documents_changed`` when documents were stored or handed out.
"""

from __future__ import annotations

import datetime as dt
import functools

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QWidget
from shiboken6 import Shiboken

from app.documents.model import DOCUMENT_NAMES, RenderedDocument, StoredDocument
from app.documents.service import CopySource, DocumentPlan, RedrawBasis
from app.errors import YimenError
from app.intake.model import DecisionResult
from ui.context import UiContext
from ui.documents.preview import Copy, DocumentPreview
from ui.i18n import render
from ui.memory import forget_module_sources, release_freed_memory


class DocumentDesk(QObject):
    """Draws, stores and hands out the documents of decisions, off the GUI thread.

    Signals:
        preview_opened(object): a preview was opened (the ``DocumentPreview``; tests drive it).
        preview_closed(): a preview was closed (printed or skipped): the counter takes the next applicant.
        issued(object): documents were stored for a decision (the list of ``StoredDocument``).
    """

    preview_opened = Signal(object)
    preview_closed = Signal()
    issued = Signal(object)

    def __init__(self, context: UiContext, parent: QWidget) -> None:
        super().__init__(parent)
        self.context = context
        self.services = context.services
        self.runner = context.runner
        self.bridge = context.bridge
        self.user = context.user
        self.window = parent
        events = context.events
        events.changed.connect(self._changed)
        events.print_requested.connect(self.reprint)
        self.issued.connect(self._issued)

    # ------------------------------------------------------------------ after a change

    def _changed(self, result: DecisionResult) -> None:
        self.issue_for(result)

    def issue_for(self, result: DecisionResult, *, preview: bool = True) -> None:
        """Draw and store what ``result`` owes, then open the preview (Enter prints)."""
        documents = self.services.documents
        if result.documents_on_record is not None:
            # The change's own transaction read the documents on record: planning is plain arithmetic, and the
            # render starts now, without a round trip through the database worker's queue (docs/performance.md).
            self._planned(result, preview, documents.plan(result))
            return
        self.runner.run_db(
            lambda: documents.due(result),
            functools.partial(self._planned, result, preview),
            self._failed,
            owner=self,
            name="documents.due",
            urgent=preview,  # the clerk waits for the preview: ahead of the list's reload and the rating's question
        )

    def _planned(self, result: DecisionResult, preview: bool, plan: DocumentPlan | None) -> None:
        if plan is None:
            return
        if not plan.items:
            documents = self.services.documents
            self.runner.run_db(lambda: documents.store(result, plan, [], None), owner=self, name="documents.clear")
            return
        if preview:  # drawn at login for an earlier crash: nothing for the clerk to wait for
            self.bridge.status(self.tr("正在生成文书……"))
        documents = self.services.documents
        self.runner.run_render(
            lambda: documents.render(result, plan),
            functools.partial(self._rendered, result, plan, preview),
            self._failed,
            owner=self,
            name="documents.render",
        )

    def _rendered(
        self, result: DecisionResult, plan: DocumentPlan, preview: bool, rendered: list[RenderedDocument]
    ) -> None:
        documents, user = self.services.documents, self.user

        def store() -> list[Copy]:
            stored = documents.store(result, plan, rendered, user)
            return [
                Copy(documents.document(doc.id), b"", reprint=False, unprintable=r.unprintable)
                for doc, r in zip(stored, rendered, strict=True)
            ]

        # The preview opens with the rendered bytes now, 打印 and 另存为 disabled until the store commits: the clerk
        # does not wait for the store, and nothing is handed out before it is stored (docs/performance.md).
        dialog = None
        if preview:
            now = dt.datetime.now(dt.UTC)
            shown = [Copy(_unstored(result, r, now), r.pdf, reprint=False, unprintable=r.unprintable) for r in rendered]
            self.bridge.status(self.tr("文书已生成，正在保存……"))
            dialog = self.open_preview(shown, self.tr("打印文书"), storing=True)
        self.runner.run_db(
            store,
            functools.partial(self._stored, preview, dialog),
            functools.partial(self._store_failed, dialog),
            owner=self,
            name="documents.store",
            urgent=preview,
        )

    def _stored(self, preview: bool, dialog: DocumentPreview | None, copies: list[Copy]) -> None:
        for copy in copies:
            assert copy.document.pdf is not None  # just stored: nothing is pruned yet
            copy.data = copy.document.pdf
        self.issued.emit([c.document for c in copies])
        if preview and dialog is not None and Shiboken.isValid(dialog) and dialog.isVisible():
            self.bridge.status(self.tr("文书已生成，按 Enter 打印，Esc 跳过。"))
            dialog.stored(copies)
        # Without a preview (documents a crash left owed, drawn at login) there is nothing to press Enter for: the
        # clerk prints them from the list (Ctrl+P) when the applicant asks.

    def _store_failed(self, dialog: DocumentPreview | None, error: YimenError) -> None:
        if dialog is not None and Shiboken.isValid(dialog) and dialog.isVisible():
            dialog.store_failed(error)
        self._failed(error)

    def open_preview(self, copies: list[Copy], title: str, *, storing: bool = False) -> DocumentPreview:
        # Printed or skipped, the cursor goes back where it was: the ticket box for the next applicant, or the
        # record dialog of a return visit.  No widget has the focus while a window's activation is still on its way
        # (the rater just opened and handed the keyboard back): the counter window's own focus widget is then where
        # the clerk was, and the preview must not leave the keyboard to no window at all once it closes.
        previous = QApplication.focusWidget() or self.window.focusWidget()
        dialog = DocumentPreview(self.context, copies, title=title, parent=self.window, storing=storing)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.handed_out.connect(self._handed_out)
        dialog.finished.connect(functools.partial(self._closed, previous))
        dialog.open()
        self.preview_opened.emit(dialog)
        return dialog

    def _closed(self, previous: QWidget | None, _code: int) -> None:
        if previous is not None and Shiboken.isValid(previous) and previous.isVisible():
            previous.window().activateWindow()
            previous.setFocus(Qt.FocusReason.OtherFocusReason)
        self.preview_closed.emit()
        # What the preview and its prints freed goes back to the system (ui/memory.py), off the GUI thread.
        self.runner.run_render(release_freed_memory, name="memory.release")
        forget_module_sources()  # what the preview's first use imported (ui/memory.py)

    def _handed_out(self, document: StoredDocument) -> None:
        self.bridge.info(
            self.tr("已交付{name}：{no}").format(name=render(DOCUMENT_NAMES[document.kind]), no=document.acceptance_no)
        )
        self.context.events.documents_changed.emit()

    def _issued(self, _documents: object) -> None:
        self.context.events.documents_changed.emit()

    def _failed(self, error: YimenError) -> None:
        self.bridge.failure(error)

    # ------------------------------------------------------------------ reprints

    def reprint(self, acceptance_no: str) -> None:
        """Open the current documents of an application; a copy of one already handed out is a 补打."""
        documents = self.services.documents

        def load() -> list[tuple[StoredDocument, RedrawBasis | None]]:
            stored = [documents.document(d.id) for d in documents.documents(acceptance_no) if not d.superseded]
            # What a pruned one could be drawn again from is read here, on the database worker.
            return [(doc, documents.redraw_basis(doc)) for doc in stored]

        self.runner.run_db(load, self._loaded_for_reprint, self._failed, owner=self, name="documents.list")

    def _loaded_for_reprint(self, stored: list[tuple[StoredDocument, RedrawBasis | None]]) -> None:
        if not stored:
            self.bridge.status(self.tr("该申请没有可打印的文书。"))
            return
        documents = self.services.documents
        if not any(doc.pdf is None for doc, _ in stored):
            self._prepare_reprint(stored, {})
            return
        self.bridge.status(self.tr("原件已超过本机保存期限，正在从中心服务器取回原件…"))

        def fetch() -> dict[str, bytes | None]:
            # On the network pool: a slow server (the client's timeouts) holds neither the window nor the renderer.
            return {doc.id: documents.fetch(doc) for doc, _ in stored if doc.pdf is None}

        self.runner.run_net(
            fetch,
            functools.partial(self._prepare_reprint, stored),
            self._failed,
            owner=self,
            name="documents.fetch",
        )

    def _prepare_reprint(
        self, stored: list[tuple[StoredDocument, RedrawBasis | None]], fetched: dict[str, bytes | None]
    ) -> None:
        documents = self.services.documents

        def prepare() -> list[Copy]:
            copies = []
            for doc, basis in stored:
                reprint = doc.handed_out > 0
                copy = documents.copy_for_handout(
                    doc, reprint=reprint, basis=basis, fetched=fetched.get(doc.id), ask_server=False
                )
                copies.append(Copy(doc, copy.data, reprint=reprint, source=copy.source))
            return copies

        def show(copies: list[Copy]) -> None:
            rerendered = [c for c in copies if c.source is CopySource.RERENDERED]
            if rerendered:
                self.bridge.warning(
                    self.tr("未能从中心服务器取回原件：{names}为依据存档记录重新生成的文书（纸面已注明）。").format(
                        names="、".join(render(DOCUMENT_NAMES[c.document.kind]) for c in rerendered)
                    )
                )
            elif any(c.source is CopySource.SERVER for c in copies):
                self.bridge.status(self.tr("已从中心服务器取回原件（校验一致）。"))
            self.open_preview(copies, self.tr("打印文书（补打）"))

        self.runner.run_render(
            prepare,
            show,
            self._failed,
            owner=self,
            name="documents.prepare",
        )

    # ------------------------------------------------------------------ start-up

    def heal(self) -> None:
        """Draw and store what a crash left owed (no preview: the clerk reprints from the list if needed)."""
        documents, intake = self.services.documents, self.services.intake

        def owed() -> list[DecisionResult]:
            return [intake.load(number) for number in documents.due_numbers()]

        def found(results: list[DecisionResult]) -> None:
            for result in results:
                self.issue_for(result, preview=False)

        self.runner.run_db(owed, found, self._failed, owner=self, name="documents.heal")


def _unstored(result: DecisionResult, rendered: RenderedDocument, now: dt.datetime) -> StoredDocument:
    # What the preview shows while the store commits: no id yet, so nothing can record a copy handed out.
    return StoredDocument(
        id="",
        application_id=str(result.application_id),
        acceptance_no=result.acceptance_no,
        kind=rendered.kind,
        seq=0,
        number=rendered.number,
        paper=rendered.paper,
        sha256="",
        size=len(rendered.pdf),
        created_at=now,
        handed_out=0,
        superseded=False,
        pdf=rendered.pdf,
    )
