"""Materials' files (电子材料) on a checklist line: the clerk attaches scans or PDFs from files (附加…), sees their
thumbnails in the line, opens one in full on a click, and there turns it or deletes a page before the case is
saved (app/attachments.py does the work, Qt-free; a turned or trimmed file is a new file, the line names it).

objectNames: the strip is ``<status box's name>.files``; its buttons ``….files.add`` and ``….files.camera`` (the
document camera, ui/intake/camera.py); thumbnail n ``….files.<n>``.
The viewer is ``attachment_viewer`` with ``attachment_viewer.rotate``, ``.delete_page``, ``.remove``, ``.prev``,
``.next``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImage, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.attachments import PDF, AttachmentStore, StoredFile
from app.errors import YimenError
from ui.intake.camera import offered as camera_offered
from ui.pdf_pages import fit_picture, pdf_page_image

if TYPE_CHECKING:
    from ui.intake.camera import CameraDialog

THUMB = 44


def preview(store: AttachmentStore, stored: StoredFile, side: int, page: int = 0) -> QPixmap:
    """A picture of the file (a PDF's page ``page``) at most ``side`` pixels on its long side."""
    if stored.media_type == PDF:
        image = pdf_page_image(store.read(stored.sha256), page, side)
    else:
        image = QImage.fromData(store.thumbnail(stored.sha256, side))
    return QPixmap.fromImage(image)


class AttachmentStrip(QWidget):
    """The files of one checklist line: thumbnails in order and an 附加… button.

    Signals:
        changed(): a file was attached, turned, trimmed or removed.
        problem(str): a file was refused (the Chinese message says why and what to do).
    """

    changed = Signal()
    problem = Signal(str)

    def __init__(
        self,
        store: AttachmentStore,
        name: str,
        parent: QWidget | None = None,
        *,
        choose: Callable[[QWidget], Sequence[str]] | None = None,
        button_inside: bool = True,
        camera: str = "off",
    ) -> None:
        """``button_inside``: False when the caller places :attr:`add_button` (and :attr:`camera_button`) elsewhere
        (the checklist's line); ``camera``: ``[materials] camera`` (``off``: no 拍照… button)."""
        super().__init__(parent)
        self.store = store
        self.setObjectName(f"{name}.files")
        self.files: list[StoredFile] = []
        self._choose = choose or _choose_files
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self.add_button = QToolButton(self)
        self.add_button.setObjectName(f"{name}.files.add")
        self.add_button.setText(self.tr("附加…"))
        self.add_button.setToolTip(self.tr("附加扫描件或 PDF（JPEG、PNG、PDF）"))
        self.add_button.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.add_button.clicked.connect(self.choose)
        # 拍照…: the document camera (ui/intake/camera.py), unless the deployment says there is none.
        self.camera_setting = camera
        self.camera_button: QToolButton | None = None
        if camera_offered(camera):
            self.camera_button = QToolButton(self)
            self.camera_button.setObjectName(f"{name}.files.camera")
            self.camera_button.setText(self.tr("拍照…"))
            self.camera_button.setToolTip(self.tr("用高拍仪拍下这份材料（空格键拍照，可连拍多张）"))
            self.camera_button.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
            self.camera_button.clicked.connect(self.open_camera)
        if button_inside:
            self._layout.addWidget(self.add_button)
            if self.camera_button is not None:
                self._layout.addWidget(self.camera_button)
        # As wide as its thumbnails: the line's name keeps the checklist's width.
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
        self.thumbs: list[QToolButton] = []
        self.setVisible(button_inside)  # under a line's name: shown once there is a file

    @property
    def sha256s(self) -> tuple[str, ...]:
        return tuple(f.sha256 for f in self.files)

    def choose(self) -> None:
        """Ask for files (the file dialog) and attach them."""
        self.attach_paths([Path(p) for p in self._choose(self)])

    def attach_paths(self, paths: Sequence[Path]) -> int:
        """Attach files in order; a refused one is said (``problem``) and the others still go.  How many went."""
        added = 0
        for path in paths:
            try:
                data = path.read_bytes()
            except OSError:
                self.problem.emit(
                    self.tr("无法读取文件 {name}：请确认文件仍在且未被其他程序占用。").format(name=path.name)
                )
                continue
            before = len(self.files)
            self._add(data, path.name)
            added += len(self.files) - before
        if added:
            self._rebuild()
            self.changed.emit()
        return added

    def attach_data(self, data: bytes, name: str) -> str | None:
        """Attach one file's bytes (a picture of the document camera); the problem said when refused, else None."""
        before = len(self.files)
        problem = self._add(data, name)
        if len(self.files) != before:
            self._rebuild()
            self.changed.emit()
        return problem

    def _add(self, data: bytes, name: str) -> str | None:
        try:
            stored = self.store.add(data)
        except YimenError as exc:
            problem = f"{name}：{exc.message.render()}"
            self.problem.emit(problem)
            return problem
        if stored.sha256 not in self.sha256s:
            self.files.append(stored)
        return None

    def set_files(self, files: Sequence[StoredFile]) -> None:
        self.files = list(files)
        self._rebuild()

    def replace(self, index: int, stored: StoredFile | None) -> None:
        """The file at ``index`` turned or trimmed (``stored``), or removed (None)."""
        if stored is None:
            del self.files[index]
        else:
            self.files[index] = stored
        self._rebuild()
        self.changed.emit()

    def open_viewer(self, index: int) -> AttachmentViewer:
        viewer = AttachmentViewer(self, index)
        viewer.finished.connect(lambda _code: self._give_back_keyboard(viewer.index))
        viewer.open()
        return viewer

    def open_camera(self, *, frame_input: object = None) -> CameraDialog:
        """The document camera's live picture for this line (``frame_input``: a QVideoFrameInput instead of the
        camera, for tests)."""
        from ui.intake.camera import CameraDialog

        dialog = CameraDialog(self, self.camera_setting, frame_input=frame_input)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _code: self._give_back_keyboard(len(self.files) - 1))
        dialog.open()
        return dialog

    def _give_back_keyboard(self, index: int) -> None:
        # The keyboard goes back to the counter window, on the file just seen or taken (or the line's 附加… when
        # there is none): the thumbnails were made again while the dialog was open, and a platform that leaves the
        # closed dialog the active window would leave the clerk's next key, and the rater's hand-back, to no window.
        self.window().activateWindow()
        target = self.thumbs[index] if 0 <= index < len(self.thumbs) else self.add_button
        if target.isVisible():
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _rebuild(self) -> None:
        for button in self.thumbs:
            self._layout.removeWidget(button)
            button.deleteLater()
        self.thumbs = []
        if self.add_button.parent() is not self:
            self.setVisible(bool(self.files))  # nothing to show under the line's name before a file
        for n, stored in enumerate(self.files):
            button = QToolButton(self)
            button.setObjectName(f"{self.objectName()}.{n}")
            button.setIconSize(QSize(THUMB, THUMB))
            button.setIcon(QIcon(preview(self.store, stored, THUMB)))
            pages = self.tr("，{n} 页").format(n=stored.pages) if stored.media_type == PDF else ""
            button.setToolTip(self.tr("点击查看全图{pages}").format(pages=pages))
            button.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
            button.clicked.connect(lambda _checked=False, i=n: self.open_viewer(i))
            self._layout.insertWidget(n, button)
            button.show()  # a child made after its parent was shown stays hidden until shown
            self.thumbs.append(button)


def _choose_files(parent: QWidget) -> Sequence[str]:
    # The filter only helps the eye: the type is checked by content (app/attachments.py).
    wanted = QCoreApplication.translate("attachments", "材料文件 (*.jpg *.jpeg *.png *.pdf)")
    paths, _ = QFileDialog.getOpenFileNames(
        parent, QCoreApplication.translate("attachments", "选择材料文件"), "", wanted
    )
    return paths


class AttachmentViewer(QDialog):
    """One file in full: turn it, go through a PDF's pages, delete a page, or remove the file from the line."""

    def __init__(self, strip: AttachmentStrip, index: int) -> None:
        super().__init__(strip.window())
        self.setObjectName("attachment_viewer")
        self.setWindowTitle(self.tr("材料文件"))
        self.strip, self.index, self.page = strip, index, 0
        layout = QVBoxLayout(self)
        self.picture = QLabel(self)
        self.picture.setObjectName("attachment_viewer.picture")
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroller = QScrollArea(self)
        self.scroller.setWidget(self.picture)
        self.scroller.setWidgetResizable(True)
        layout.addWidget(self.scroller, 1)
        self._full = QPixmap()
        self.caption = QLabel(self)
        self.caption.setObjectName("attachment_viewer.caption")
        layout.addWidget(self.caption)
        tools = QHBoxLayout()
        self.prev = self._button(tools, "prev", self.tr("上一页"), lambda: self._go(-1))
        self.next = self._button(tools, "next", self.tr("下一页"), lambda: self._go(1))
        self.rotate = self._button(tools, "rotate", self.tr("向右旋转"), self._rotate)
        self.delete_page = self._button(tools, "delete_page", self.tr("删除此页"), self._delete_page)
        self.remove = self._button(tools, "remove", self.tr("移除此文件"), self._remove)
        layout.addLayout(tools)
        self.message = QLabel(self)
        self.message.setObjectName("attachment_viewer.message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(900, 700)
        self._show()

    def _button(self, row: QHBoxLayout, name: str, text: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(f"attachment_viewer.{name}")
        button.clicked.connect(slot)
        row.addWidget(button)
        return button

    @property
    def stored(self) -> StoredFile:
        return self.strip.files[self.index]

    def _show(self) -> None:
        stored = self.stored
        self.page = min(self.page, stored.pages - 1)
        self._full = preview(self.strip.store, stored, 1400, self.page)
        self._fit()
        is_pdf = stored.media_type == PDF
        self.caption.setText(self.tr("第 {page} 页，共 {pages} 页").format(page=self.page + 1, pages=stored.pages))
        self.prev.setEnabled(is_pdf and self.page > 0)
        self.next.setEnabled(is_pdf and self.page < stored.pages - 1)
        self.delete_page.setEnabled(is_pdf and stored.pages > 1)

    def _fit(self) -> None:
        """The page as large as the window shows it whole."""
        fit_picture(self.picture, self.scroller.viewport().size(), self._full)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _go(self, step: int) -> None:
        self.page += step
        self._show()

    def _run(self, action: Callable[[], StoredFile]) -> None:
        try:
            stored = action()
        except YimenError as exc:
            self.message.setText(exc.message.render())
            return
        self.message.clear()
        self.strip.replace(self.index, stored)
        self._show()

    def _rotate(self) -> None:
        page = self.page if self.stored.media_type == PDF else None
        self._run(lambda: self.strip.store.rotate(self.stored.sha256, 90, page))

    def _delete_page(self) -> None:
        self._run(lambda: self.strip.store.delete_page(self.stored.sha256, self.page))

    def _remove(self) -> None:
        self.strip.replace(self.index, None)
        self.accept()
