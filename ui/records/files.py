"""A saved case's materials' files (电子材料) in the record view: per checklist line its files' thumbnails with their
type and pages; a click (or Space on the focused one) opens the file in full, read-only (:class:`FileViewer`).  The
intake's viewer turns and trims a draft's files; a saved case's files are what the case was decided on and are never
changed, so the record view has its own viewer without those tools (ui/intake is another feature slice anyway).

Everything is read on the database worker (app/case_files.py: an image's thumbnail is made there; a PDF's first page
is drawn here by QtPdf, as the intake does).  A file whose bytes were pruned from this workstation after the
retention says so instead of a thumbnail (the original is on the central server); so does one a rebuilt store could
not fetch back.

objectNames: the group ``record_files``; a line's name ``record_files.<key>`` (``.<party position>`` for a party's
line); its file n ``record_files.<key>[.<party>].<n>`` (a button, or a label for a file not here); the viewer
``record_file_viewer`` with ``….picture``, ``….caption``, ``….message``, ``….prev``, ``….next``.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable, Sequence

from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtGui import QIcon, QImage, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.attachments import stored_bytes, thumbnail_png
from app.case_files import THUMB_SIDE, CaseFile, FileState, case_files
from app.errors import YimenError
from app.intake.model import MaterialView
from ui.context import UiContext
from ui.i18n import render
from ui.pdf_pages import fit_picture, pdf_page_image
from ui.widgets import discard

#: The full view's long side, in pixels (drawn once, scaled to the window).
FULL_SIDE = 1400


def line_name(material_key: str, party_position: int | None) -> str:
    suffix = f".{party_position}" if party_position is not None else ""
    return f"record_files.{material_key}{suffix}"


class CaseFilesBox(QGroupBox):
    """The case's files, line by line; hidden while the case has none."""

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("record_files")
        self.setTitle(self.tr("电子材料"))
        self.services = context.services
        self.runner = context.runner
        self.files: list[CaseFile] = []
        #: The file widgets by objectName (a button, or a label for a file not on this workstation).
        self.items: dict[str, QWidget] = {}
        self.viewer: FileViewer | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 4, 4, 4)
        self.scroller = QScrollArea(self)
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroller.setMaximumHeight(3 * (THUMB_SIDE + 40))  # three lines in view; the details keep the room
        self.inner = QWidget(self.scroller)
        self.grid = QGridLayout(self.inner)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setColumnStretch(2, 1)
        self.scroller.setWidget(self.inner)
        outer.addWidget(self.scroller)
        self.hide()

    def load(self, application_id: uuid.UUID, materials: Sequence[MaterialView]) -> None:
        """Read the case's files on the database worker, then show them under their lines' names."""
        db = self.services.db
        self.runner.run_db(
            lambda: case_files(db, application_id),
            functools.partial(self.show_files, materials=list(materials)),
            self._failed,
            owner=self,
            name="record.files",
        )

    def _failed(self, error: YimenError) -> None:
        self._clear()
        self.grid.addWidget(QLabel(render(error.message), self.inner), 0, 0, 1, 3)
        self.show()

    def _clear(self) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                discard(widget)
        self.items = {}

    def show_files(self, files: list[CaseFile], materials: list[MaterialView]) -> None:
        self._clear()
        self.files = files
        self.setVisible(bool(files))
        names = {(m.key, m.party_index): m for m in materials}
        lines: dict[tuple[str, int | None], list[CaseFile]] = {}
        for each in files:
            lines.setdefault((each.material_key, each.party_position), []).append(each)
        order = {(m.key, m.party_index): n for n, m in enumerate(materials)}
        ranked = sorted(lines.items(), key=lambda pair: order.get(pair[0], len(order)))  # the checklist's order
        for row, ((key, party), line) in enumerate(ranked):
            material = names.get((key, party))
            if material is None:
                text = key
            elif material.party_name:
                text = f"{material.name}（{material.party_name}）"
            else:
                text = material.name
            label = QLabel(text, self.inner)
            label.setObjectName(line_name(key, party))
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            label.setWordWrap(True)
            self.grid.addWidget(label, row, 0)
            strip = QWidget(self.inner)
            row_layout = QHBoxLayout(strip)
            row_layout.setContentsMargins(0, 0, 0, 0)
            for n, each in enumerate(line):
                widget = self._file_widget(strip, each, f"{line_name(key, party)}.{n}", text)
                row_layout.addWidget(widget)
                self.items[widget.objectName()] = widget
            row_layout.addStretch(1)
            self.grid.addWidget(strip, row, 1, 1, 2)

    def kind_text(self, each: CaseFile) -> str:
        """The file's type and pages, as the list and the viewer say them."""
        if each.is_pdf:
            return self.tr("PDF，{n} 页").format(n=each.pages)
        return self.tr("{type} 图片").format(type=each.media_type.removeprefix("image/").upper())

    def _file_widget(self, parent: QWidget, each: CaseFile, name: str, line: str) -> QWidget:
        size = size_text(each.size)
        if each.state is not FileState.HERE:
            if each.state is FileState.PRUNED:
                said = self.tr("已按保存期限从本机清理，原件在中心服务器")
            else:
                said = self.tr("本机没有该文件（恢复时未能取回），原件在中心服务器")
            label = QLabel(f"{self.kind_text(each)}：{said}", parent)
            label.setObjectName(name)
            label.setWordWrap(True)
            label.setProperty("severity", "")
            return label
        button = QToolButton(parent)
        button.setObjectName(name)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
        button.setIconSize(QSize(THUMB_SIDE, THUMB_SIDE))
        icon = self._icon(each)
        if not icon.isNull():
            button.setIcon(QIcon(icon))
        button.setText(self.kind_text(each))
        button.setToolTip(
            self.tr("{line}：点击查看原件（{kind}，{size}）").format(line=line, kind=self.kind_text(each), size=size)
        )
        button.setAccessibleName(self.tr("{line}的材料文件：{kind}").format(line=line, kind=self.kind_text(each)))
        button.clicked.connect(lambda _checked=False, f=each, b=button: self.open_viewer(f, b))
        return button

    @staticmethod
    def _icon(each: CaseFile) -> QPixmap:
        if each.thumbnail is not None:
            return QPixmap.fromImage(QImage.fromData(each.thumbnail))
        if each.pdf is not None:
            return QPixmap.fromImage(pdf_page_image(each.pdf, 0, THUMB_SIDE))
        return QPixmap()

    def open_viewer(self, each: CaseFile, button: QWidget | None = None) -> FileViewer:
        """The file in full, read-only; the keyboard comes back to its button when it closes."""
        if self.viewer is not None:
            self.viewer.close()
        viewer = FileViewer(self, each, self.kind_text(each))
        self.viewer = viewer
        viewer.finished.connect(lambda _code: self._viewer_closed(viewer, button))
        viewer.open()
        return viewer

    def _viewer_closed(self, viewer: FileViewer, button: QWidget | None) -> None:
        if self.viewer is viewer:
            self.viewer = None
        viewer.deleteLater()
        self.window().activateWindow()
        if button is not None and button.isVisible():
            button.setFocus(Qt.FocusReason.OtherFocusReason)


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(1, round(size / 1024))} KB"


class FileViewer(QDialog):
    """One saved file in full: a PDF's pages one by one; nothing can be changed."""

    def __init__(self, box: CaseFilesBox, stored: CaseFile, kind: str) -> None:
        super().__init__(box.window())
        self.setObjectName("record_file_viewer")
        self.setWindowTitle(self.tr("材料文件（只读）"))
        self.stored, self.page = stored, 0
        self._pdf: bytes | None = None
        self._full = QPixmap()
        layout = QVBoxLayout(self)
        self.picture = QLabel(self.tr("正在读取……"), self)
        self.picture.setObjectName("record_file_viewer.picture")
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroller = QScrollArea(self)
        self.scroller.setWidget(self.picture)
        self.scroller.setWidgetResizable(True)
        layout.addWidget(self.scroller, 1)
        self.caption = QLabel(self)
        self.caption.setObjectName("record_file_viewer.caption")
        layout.addWidget(self.caption)
        self.message = QLabel(self)
        self.message.setObjectName("record_file_viewer.message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        tools = QHBoxLayout()
        self.prev = self._button(tools, "prev", self.tr("上一页"), lambda: self._go(-1))
        self.next = self._button(tools, "next", self.tr("下一页"), lambda: self._go(1))
        tools.addStretch(1)
        layout.addLayout(tools)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.kind = kind
        self.loaded = False
        self.prev.setEnabled(False)
        self.next.setEnabled(False)
        self.resize(900, 700)
        db, sha, is_pdf = box.services.db, stored.sha256, stored.is_pdf

        def read() -> bytes | None:
            data = stored_bytes(db, sha)
            if data is None or is_pdf:
                return data
            return thumbnail_png(data, FULL_SIDE)  # the full view's picture, made off the GUI thread

        box.runner.run_db(read, self._read, self._failed, owner=self, name="record.file")

    def _button(self, row: QHBoxLayout, name: str, text: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(f"record_file_viewer.{name}")
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        row.addWidget(button)
        return button

    def _read(self, data: bytes | None) -> None:
        self.loaded = True
        if data is None:
            self.picture.setText("")
            # Pruned while the list was open: the list's own sentence.
            self.message.setText(QCoreApplication.translate("CaseFilesBox", "已按保存期限从本机清理，原件在中心服务器"))
            return
        if self.stored.is_pdf:
            self._pdf = data
        else:
            self._full = QPixmap.fromImage(QImage.fromData(data))
        self._show()

    def _failed(self, error: YimenError) -> None:
        self.loaded = True
        self.picture.setText("")
        self.message.setText(render(error.message))

    def _show(self) -> None:
        stored = self.stored
        if self._pdf is not None:
            self._full = QPixmap.fromImage(pdf_page_image(self._pdf, self.page, FULL_SIDE))
        if self._full.isNull():
            self.picture.setText("")
            self.message.setText(self.tr("文件无法显示（可能已损坏），原件在中心服务器。"))
        self._fit()
        self.caption.setText(
            self.tr("{kind}　第 {page} 页，共 {pages} 页").format(
                kind=self.kind, page=self.page + 1, pages=stored.pages
            )
        )
        self.prev.setEnabled(stored.is_pdf and self.page > 0)
        self.next.setEnabled(stored.is_pdf and self.page < stored.pages - 1)

    def _fit(self) -> None:
        """The page as large as the window shows it whole."""
        if not self._full.isNull():
            fit_picture(self.picture, self.scroller.viewport().size(), self._full)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _go(self, step: int) -> None:
        self.page = max(0, min(self.stored.pages - 1, self.page + step))
        self._show()
