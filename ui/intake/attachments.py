"""Materials' files (电子材料) on a checklist line: the clerk attaches scans or PDFs from files (附加…), sees their
thumbnails in the line, opens one in full on a click, and there turns it or deletes a page before the case is
saved (app/attachments.py does the work, Qt-free; a turned or trimmed file is a new file, the line names it).

objectNames: the strip is ``<status box's name>.files``; its buttons ``….files.add`` and ``….files.camera`` (the
document camera, ui/intake/camera.py); thumbnail n ``….files.<n>``.
The viewer is ``attachment_viewer`` with ``attachment_viewer.rotate``, ``.delete_page``, ``.remove``, ``.prev``,
``.next``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
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
    from ui.tasks import TaskRunner

log = logging.getLogger("yimen.ui.attachments")

THUMB = 44


@dataclass(frozen=True)
class AttachResult:
    """One file of an attach: kept (``stored``; ``new`` when the line did not have it yet) or refused (``problem``,
    the sentence the line shows)."""

    name: str
    stored: StoredFile | None = None
    problem: str = ""
    new: bool = False


@dataclass
class Attached:
    """What one attach did, a result per file in the order given."""

    results: list[AttachResult] = field(default_factory=list)

    @property
    def problem(self) -> str | None:
        """The first refusal's sentence, or None."""
        return next((r.problem for r in self.results if r.stored is None), None)

    @property
    def added(self) -> int:
        """How many files the line gained (not those it had already)."""
        return sum(1 for r in self.results if r.new)


@dataclass
class _Prepared:
    """The worker's part of one file: stored (with its thumbnail's PNG for an image) or refused."""

    name: str
    stored: StoredFile | None = None
    thumb: bytes | None = None
    error: YimenError | None = None
    unreadable: bool = False


class _Ticket:
    """An attach on its way through the database worker.  It follows the line when the checklist replaces the
    line's strip meanwhile (:meth:`AttachmentStrip.adopt`), so the file lands on the line the clerk sees."""

    def __init__(self, strip: AttachmentStrip) -> None:
        self.strip = strip

    def settle(self, prepared: list[_Prepared], done: Callable[[Attached], None] | None) -> None:
        if shiboken6.isValid(self.strip):
            self.strip._settle(self, prepared, done)
        else:  # the case was left meanwhile: the files stay unreferenced in the store, which drops orphans
            log.info("%d file(s) kept for a case no longer on screen", len(prepared))


def _prepare_all(store: AttachmentStore, items: Sequence[tuple[str, Path | bytes]]) -> list[_Prepared]:
    """On the database worker: read, check, downscale, hash and keep each file; never raises for one file."""
    out: list[_Prepared] = []
    for name, source in items:
        try:
            data = source if isinstance(source, bytes) else source.read_bytes()
        except OSError:
            out.append(_Prepared(name, unreadable=True))
            continue
        try:
            stored = store.add(data)
            thumb = None if stored.media_type == PDF else store.thumbnail(stored.sha256, THUMB)
        except YimenError as exc:
            out.append(_Prepared(name, error=exc))
            continue
        out.append(_Prepared(name, stored, thumb))
    return out


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
    settled = Signal()

    def __init__(
        self,
        store: AttachmentStore,
        name: str,
        parent: QWidget | None = None,
        *,
        choose: Callable[[QWidget], Sequence[str]] | None = None,
        button_inside: bool = True,
        camera: str = "off",
        runner: TaskRunner | None = None,
    ) -> None:
        """``button_inside``: False when the caller places :attr:`add_button` (and :attr:`camera_button`) elsewhere
        (the checklist's line); ``camera``: ``[materials] camera`` (``off``: no 拍照… button); ``runner``: the
        files are read, checked and kept on its database worker (without one, at once on this thread)."""
        super().__init__(parent)
        self.store = store
        self.runner = runner
        #: Attaches on their way through the database worker (:attr:`attaching`).
        self._tickets: list[_Ticket] = []
        #: The thumbnails made so far, by SHA-256 (the line's thumbnails are made again on every change).
        self._icons: dict[str, QIcon] = {}
        self._busy: QToolButton | None = None
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

    @property
    def attaching(self) -> bool:
        """Files are on their way to the store: the case waits for them before it is decided."""
        return bool(self._tickets)

    def choose(self) -> None:
        """Ask for files (the file dialog) and attach them."""
        self.attach_paths([Path(p) for p in self._choose(self)])

    def attach_paths(self, paths: Sequence[Path], done: Callable[[Attached], None] | None = None) -> None:
        """Attach files in order; a refused one is said (``problem``) and the others still go.  ``done`` gets what
        happened once the files are kept (on the database worker: a 600 dpi scan takes over a second to check and
        downscale, and the clerk goes on meanwhile)."""
        if paths:
            self._start([(path.name, path) for path in paths], done)

    def attach_data(self, data: bytes, name: str, done: Callable[[Attached], None] | None = None) -> None:
        """Attach one file's bytes (a picture of the document camera, the chip's photo); ``done`` as above."""
        self._start([(name, data)], done)

    def _start(self, items: list[tuple[str, Path | bytes]], done: Callable[[Attached], None] | None) -> None:
        store, ticket = self.store, _Ticket(self)

        def work() -> list[_Prepared]:
            try:
                return _prepare_all(store, items)
            except Exception:  # a bug: logged for IT; the clerk sees the files refused, never a line that waits
                log.exception("attaching %d file(s) failed", len(items))
                return [_Prepared(name, unreadable=True) for name, _ in items]

        if self.runner is None:
            self._settle(ticket, work(), done)
            return
        self._tickets.append(ticket)
        self._rebuild()
        self.runner.run_db(work, lambda prepared: ticket.settle(prepared, done), name="attachments.add")

    def _settle(self, ticket: _Ticket, prepared: list[_Prepared], done: Callable[[Attached], None] | None) -> None:
        """On the GUI thread: put the kept files on the line, say the refusals, and tell ``done``."""
        if ticket in self._tickets:
            self._tickets.remove(ticket)
        outcome = Attached()
        for item in prepared:
            if item.stored is None:
                if item.unreadable:
                    text = self.tr("无法读取文件 {name}：请确认文件仍在且未被其他程序占用。").format(name=item.name)
                else:
                    assert item.error is not None
                    text = f"{item.name}：{item.error.message.render()}"
                self.problem.emit(text)
                outcome.results.append(AttachResult(item.name, problem=text))
                continue
            stored = item.stored
            if item.thumb is not None:
                self._icons[stored.sha256] = QIcon(QPixmap.fromImage(QImage.fromData(item.thumb)))
            new = stored.sha256 not in self.sha256s
            if new:
                self.files.append(stored)
            outcome.results.append(AttachResult(item.name, stored, new=new))
        self._rebuild()
        if outcome.added:
            self.changed.emit()
        if not self._tickets:
            self.settled.emit()
        if done is not None:
            done(outcome)

    def adopt(self, previous: AttachmentStrip) -> None:
        """Take over the files, thumbnails and attaches on their way of the strip this one replaces (the checklist
        makes its lines again after each check)."""
        self._icons.update(previous._icons)
        for ticket in previous._tickets:
            ticket.strip = self
        self._tickets.extend(previous._tickets)
        previous._tickets = []
        self.set_files(previous.files)

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
        if self._busy is not None:
            self._layout.removeWidget(self._busy)
            self._busy.deleteLater()
            self._busy = None
        if self.add_button.parent() is not self:  # nothing to show under the line's name before a file
            self.setVisible(bool(self.files) or self.attaching)
        for n, stored in enumerate(self.files):
            button = QToolButton(self)
            button.setObjectName(f"{self.objectName()}.{n}")
            button.setIconSize(QSize(THUMB, THUMB))
            icon = self._icons.get(stored.sha256)
            if icon is None:
                icon = self._icons[stored.sha256] = QIcon(preview(self.store, stored, THUMB))
            button.setIcon(icon)
            pages = self.tr("，{n} 页").format(n=stored.pages) if stored.media_type == PDF else ""
            button.setToolTip(self.tr("点击查看全图{pages}").format(pages=pages))
            button.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
            button.clicked.connect(lambda _checked=False, i=n: self.open_viewer(i))
            self._layout.insertWidget(n, button)
            button.show()  # a child made after its parent was shown stays hidden until shown
            self.thumbs.append(button)
        if self.attaching:
            self._busy = QToolButton(self)
            self._busy.setObjectName(f"{self.objectName()}.busy")
            self._busy.setText(self.tr("正在附加…"))
            self._busy.setEnabled(False)
            self._layout.insertWidget(len(self.thumbs), self._busy)
            self._busy.show()


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
