"""The preview of a decision's documents: the stored PDF itself (QtPdf), not a re-rendering, so what is on the
screen is what prints.  Enter prints every ticked document to its printer, Esc skips, Ctrl+S saves the shown one as
PDF.  A copy of a document that was already handed out is a 补打: the preview shows it with the mark stamped on and
asks why.  A copy whose original was pruned comes from the server (checked) or, offline, is a re-rendered copy
(重新生成件): its line in the list and a warning above the buttons say so, as the paper does.  Each copy handed out
is recorded (on the database worker) before the next one prints.

objectNames: ``preview``, ``preview_list``, ``preview_view``, ``preview_reason``, ``preview_print``,
``preview_save``, ``preview_skip``, ``preview.message``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.bootstrap import Services
from app.documents.model import DOCUMENT_NAMES, PrinterRole, StoredDocument
from app.documents.service import CopySource, check_reason
from app.errors import ValidationError, YimenError
from ui.context import UiContext
from ui.documents import printing
from ui.i18n import render
from ui.widgets import ERROR, OK, MessageLabel

SAVE_KEYS = "Ctrl+S"


@dataclass
class Copy:
    """One document in the preview: the stored record and the bytes that will print (stamped for a 补打)."""

    document: StoredDocument
    data: bytes
    reprint: bool
    done: bool = False
    unprintable: tuple[str, ...] = field(default=())
    source: CopySource = CopySource.STORED


def job_name(document: StoredDocument) -> str:
    return re.sub(r"[^0-9A-Za-z_-]", "", f"{document.acceptance_no}-{document.kind.value}-{document.seq}")


class DocumentPreview(QDialog):
    """The documents of one decision (or a reprint), shown as they print.

    Signals:
        handed_out(object): a document was printed or saved and the copy recorded (its ``StoredDocument``).
    """

    handed_out = Signal(object)

    def __init__(
        self,
        context: UiContext,
        copies: list[Copy],
        *,
        title: str,
        parent: QWidget | None = None,
        storing: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("preview")
        self.context = context
        self.copies = copies
        self._busy = False
        # Shown as rendered while the store commits (docs/performance.md "Preview latency (H8)"): nothing can be
        # printed or saved until :meth:`stored`; an Enter meanwhile prints as soon as they are stored.
        self._storing = storing
        self._print_when_stored = False
        self.setWindowTitle(title)
        self.resize(1000, 860)
        layout = QVBoxLayout(self)
        body = QHBoxLayout()
        self.list = QListWidget(self)
        self.list.setObjectName("preview_list")
        self.list.setMaximumWidth(240)
        for copy in copies:
            item = QListWidgetItem(self._label(copy), self.list)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
        self.view = QPdfView(self)
        self.view.setObjectName("preview_view")
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self._documents: list[QPdfDocument] = []
        for copy in copies:
            document = QPdfDocument(self)
            buffer = QBuffer(document)
            buffer.setData(QByteArray(copy.data))
            buffer.open(QIODevice.OpenModeFlag.ReadOnly)
            document.load(buffer)
            self._documents.append(document)
        body.addWidget(self.list)
        body.addWidget(self.view, 1)
        layout.addLayout(body, 1)
        self.reason = QLineEdit(self)
        self.reason.setObjectName("preview_reason")
        self.reason.setPlaceholderText(self.tr("补打原因（必填），如“申请人遗失回执”"))
        self.reason.setVisible(any(c.reprint for c in copies))
        layout.addWidget(self.reason)
        self.message = MessageLabel("preview", self)
        layout.addWidget(self.message)
        unprintable = sorted({ch for c in copies for ch in c.unprintable})
        if unprintable:
            self.message.show_text(
                self.tr("“{chars}”没有可用的字形，已印为“〓”：请在纸上用笔补写。").format(chars="、".join(unprintable)),
                ERROR,
            )
        elif any(c.source is CopySource.RERENDERED for c in copies):
            self.message.show_text(
                self.tr(
                    "原件已超过本机保存期限，且未能从中心服务器取回：标有“重新生成件”的文书依据存档记录重新生成，"
                    "纸面上已注明，版式可能与原件不同。能连接中心服务器时补打可得原件。"
                ),
                ERROR,
            )
        buttons = QHBoxLayout()
        self.print_button = QPushButton(self.tr("打印 (Enter)"), self)
        self.print_button.setObjectName("preview_print")
        self.print_button.setDefault(True)
        self.save_button = QPushButton(self.tr("另存为 PDF… ({keys})").format(keys=SAVE_KEYS), self)
        self.save_button.setObjectName("preview_save")
        self.save_button.setAutoDefault(False)
        self.skip_button = QPushButton(self.tr("不打印 (Esc)"), self)
        self.skip_button.setObjectName("preview_skip")
        self.skip_button.setAutoDefault(False)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.skip_button)
        buttons.addWidget(self.print_button)
        layout.addLayout(buttons)
        self.print_button.clicked.connect(self.print_checked)
        self.save_button.clicked.connect(self._ask_save)
        self.skip_button.clicked.connect(self.reject)
        QShortcut(QKeySequence(SAVE_KEYS), self, self._ask_save)
        self.list.currentRowChanged.connect(self.show_copy)
        self.list.setCurrentRow(0)
        self.print_button.setFocus(Qt.FocusReason.OtherFocusReason)
        self._storing_text = self.tr("正在保存文书，保存后即可打印……")
        if storing:
            self.print_button.setEnabled(False)
            self.save_button.setEnabled(False)
            if not self.message.text():  # a warning about the paper (unprintable characters) stays
                self.message.show_text(self._storing_text, OK)

    @property
    def storing(self) -> bool:
        """The documents are shown but not stored yet: 打印 and 另存为 wait."""
        return self._storing

    def stored(self, copies: list[Copy]) -> None:
        """The documents shown were stored (``copies``: the stored records, in the same order): printing opens."""
        self._storing = False
        for row, (shown, kept) in enumerate(zip(self.copies, copies, strict=True)):
            shown.document = kept.document
            if kept.data != shown.data:  # the stored bytes are what prints: show them if they differ
                shown.data = kept.data
                buffer = QBuffer(self._documents[row])
                buffer.setData(QByteArray(kept.data))
                buffer.open(QIODevice.OpenModeFlag.ReadOnly)
                self._documents[row].load(buffer)
            self.list.item(row).setText(self._label(shown))
        self.print_button.setEnabled(True)
        self.save_button.setEnabled(True)
        if self.message.text() == self._storing_text:
            self.message.clear_text()
        # The keyboard comes here if it is on the window this dialog blocks, or nowhere (a window that opened after
        # this one, such as the citizen's rater, may have taken the activation and given it back there); a window
        # the keyboard is really in (the citizen typing a phone number in the rater) keeps it.
        active = QApplication.activeWindow()
        parent = self.parentWidget()
        if active is None or (parent is not None and active is parent.window()):
            self.activateWindow()
        self.print_button.setFocus(Qt.FocusReason.OtherFocusReason)
        if self._print_when_stored:
            self._print_when_stored = False
            self.print_checked()

    def store_failed(self, error: YimenError) -> None:
        """The documents could not be stored: they stay unprintable here (still owed: drawn again at the next start)."""
        self._print_when_stored = False
        self.message.show_text(render(error.message), ERROR)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if self._storing and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._print_when_stored = True  # 打印 is disabled until the store commits: print then
            event.accept()
            return
        super().keyPressEvent(event)

    def _label(self, copy: Copy) -> str:
        name = render(DOCUMENT_NAMES[copy.document.kind])
        if self._storing:
            return self.tr("{name}（正在保存）").format(name=name)
        text = self.tr("{name}（第 {seq} 版）").format(name=name, seq=copy.document.seq)
        if copy.reprint:
            text += self.tr(" · 补打")
        if copy.source is CopySource.RERENDERED:
            text += self.tr(" · 重新生成件")
        elif copy.source is CopySource.SERVER:
            text += self.tr(" · 原件取自中心服务器")
        if copy.done:
            text += self.tr(" · 已交付")
        return text

    def show_copy(self, row: int) -> None:
        """Show document ``row`` in the viewer."""
        if 0 <= row < len(self._documents):
            self.view.setDocument(self._documents[row])

    def shown_pages(self) -> int:
        document = self.view.document()
        return document.pageCount() if document is not None else 0

    # ------------------------------------------------------------------ printing

    def _reason(self) -> str | None:
        if not any(c.reprint and not c.done for c in self.copies):
            return None
        return check_reason(self.reason.text())

    def pending(self) -> list[int]:
        """The ticked documents not yet handed out, in list order."""
        return [
            row
            for row, copy in enumerate(self.copies)
            if not copy.done and self.list.item(row).checkState() == Qt.CheckState.Checked
        ]

    def print_checked(self) -> None:
        """Print every ticked document to its printer, one after the other; stop at the first problem."""
        if self._storing:
            self._print_when_stored = True
            return
        if self._busy:
            return
        try:
            reason = self._reason()
        except ValidationError as exc:
            self.message.show_text(render(exc.message), ERROR)
            self.reason.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        rows = self.pending()
        if not rows:
            self.accept()
            return
        self._set_busy(True)
        self.message.show_text(self.tr("正在打印……"), OK)
        self._print_next(rows, reason)

    def _print_next(self, rows: list[int], reason: str | None) -> None:
        if not rows:
            self._set_busy(False)
            self.accept()
            return
        row, rest = rows[0], rows[1:]
        copy = self.copies[row]
        services = self.context.services
        copies = services.deployment.notice_copies if copy.document.kind.is_notice else 1
        data, name, role = copy.data, job_name(copy.document), copy.document.kind.printer_role

        def job() -> str:
            # Asking the OS about its printers can wait on the print system: on the renderer thread too.
            target = print_target(services, role)
            printing.print_pdf(data, target, job_name=name, copies=copies)
            return target.label

        self.context.runner.run_render(
            job,
            lambda printer: self._record(
                row, "print", reason, printer, functools.partial(self._print_next, rest, reason)
            ),
            self._failed,
            owner=self,
            name="print",
        )

    def _record(
        self, row: int, action: str, reason: str | None, printer: str | None, then: Callable[[], None] | None
    ) -> None:
        copy = self.copies[row]
        documents, user = self.context.services.documents, self.context.user

        def work() -> StoredDocument:
            return documents.record_handout(
                copy.document.id,
                user,
                action=action,
                reprint=copy.reprint,
                reason=reason,
                printer=printer,
                source=copy.source,
            )

        def done(stored: StoredDocument) -> None:
            copy.done = True
            item = self.list.item(row)
            item.setText(self._label(copy))
            item.setCheckState(Qt.CheckState.Unchecked)
            self.handed_out.emit(stored)
            if then is not None:
                then()

        self.context.runner.run_db(work, done, self._failed, owner=self, name="document.handout")

    def _failed(self, error: YimenError) -> None:
        self._set_busy(False)
        self.message.show_text(render(error.message), ERROR)
        self.context.bridge.failure(error)
        self.print_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for button in (self.print_button, self.save_button, self.skip_button):
            button.setEnabled(not busy and not (self._storing and button is not self.skip_button))

    # ------------------------------------------------------------------ saving

    def _ask_save(self) -> None:
        row = self.list.currentRow()
        if self._storing or not 0 <= row < len(self.copies) or self.copies[row].done:
            return
        dialog = QFileDialog(self, self.tr("另存为 PDF"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(self.tr("PDF 文件 (*.pdf)"))
        dialog.setDefaultSuffix("pdf")
        dialog.selectFile(job_name(self.copies[row].document) + ".pdf")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(lambda path: self.save_current(Path(path)))
        dialog.open()

    def save_current(self, path: Path) -> None:
        """Save the shown document as ``path`` (a copy handed out: audited like a print)."""
        if self._storing:
            return
        row = self.list.currentRow()
        try:
            reason = self._reason() if self.copies[row].reprint else None
        except ValidationError as exc:
            self.message.show_text(render(exc.message), ERROR)
            self.reason.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        try:
            path.write_bytes(self.copies[row].data)
        except OSError as exc:
            self.message.show_text(
                self.tr("无法保存到 {path}（{reason}）。请换一个位置。").format(path=path, reason=exc.strerror), ERROR
            )
            return
        self._record(row, "save", reason, None, None)
        self.message.show_text(self.tr("已另存为 {path}").format(path=path), OK)


def print_target(services: Services, role: PrinterRole) -> printing.PrintTarget:
    """Where documents of ``role`` print: the deployment's printer for it (asks the OS: renderer thread)."""
    deployment = services.deployment
    spec = {
        PrinterRole.RECEIPT: deployment.receipt_printer,
        PrinterRole.NOTICE: deployment.notice_printer,
        PrinterRole.FORM: deployment.form_printer,
    }[role]
    return printing.resolve(spec, data_dir=services.db.path.parent, demo=deployment.is_demo)
