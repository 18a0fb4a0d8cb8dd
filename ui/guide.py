"""The clerk's guide (窗口操作指南), opened with F1: ``docs/guide-clerk.md``, or ``docs/guide-clerk.en.md`` when the
window speaks English, shown as Markdown with its screenshots (resolved through :func:`app.resources.docs_path`, so
the guide ships with the program).  On the 值班长 tab F1 opens the supervisor's guide instead
(``docs/guide-supervisor.md``: :data:`SUPERVISOR_GUIDE`; a page names its guide in ``guide_name``).

objectNames: ``guide`` (the window), ``guide_text`` (the browser).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImageReader, QTextCursor, QTextImageFormat
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from app.resources import docs_path
from ui.i18n import ENGLISH, current_language

GUIDE_KEYS = "F1"
IMAGE_WIDTH = 820  # screenshots are shown at most this wide (the window is 900 wide)
CLERK_GUIDE = "guide-clerk"
SUPERVISOR_GUIDE = "guide-supervisor"


def guide_file(language: str | None = None, name: str = CLERK_GUIDE) -> Path:
    """The guide ``name`` (docs/<name>.md) in ``language`` (the current one by default); Chinese when no English
    guide ships."""
    language = language or current_language()
    if language == ENGLISH:
        english = docs_path(f"{name}.en.md")
        if english.is_file():
            return english
    return docs_path(f"{name}.md")


class GuideWindow(QDialog):
    """The guide beside the counter (not modal: the clerk reads it while working; Esc closes it)."""

    def __init__(self, parent: QWidget | None = None, name: str = CLERK_GUIDE) -> None:
        super().__init__(parent)
        self.setObjectName("guide")
        self.name = name
        self.setWindowTitle(self.tr("值班长工作指南") if name == SUPERVISOR_GUIDE else self.tr("窗口操作指南"))
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.resize(900, 700)
        layout = QVBoxLayout(self)
        self.text = QTextBrowser(self)
        self.text.setObjectName("guide_text")
        self.text.setOpenExternalLinks(False)
        layout.addWidget(self.text, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.path = guide_file(name=name)
        self.load(self.path)

    def load(self, path: Path) -> None:
        """Show ``path`` (its images are found beside it), or say where the guide should have been."""
        try:
            markdown = path.read_text(encoding="utf-8")
        except OSError:
            markdown = self.tr("找不到操作指南文件（{name}）。请联系信息员重新安装程序。").format(name=path.name)
        self.text.setSearchPaths([str(path.parent)])
        self.text.setMarkdown(markdown)
        self._fit_images(path.parent)
        self.text.moveCursor(QTextCursor.MoveOperation.Start)

    def _fit_images(self, folder: Path) -> None:
        # Markdown has no image width: a 1366-pixel screenshot is scaled down to the window.
        document = self.text.document()
        block = document.begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                image = fragment.charFormat().toImageFormat() if fragment.charFormat().isImageFormat() else None
                if image is not None:
                    size = QImageReader(str(folder / image.name())).size()
                    if size.isValid() and size.width() > IMAGE_WIDTH:
                        scaled = QTextImageFormat(image)
                        scaled.setWidth(IMAGE_WIDTH)
                        scaled.setHeight(size.height() * IMAGE_WIDTH / size.width())
                        cursor = QTextCursor(document)
                        cursor.setPosition(fragment.position())
                        cursor.setPosition(fragment.position() + fragment.length(), QTextCursor.MoveMode.KeepAnchor)
                        cursor.setCharFormat(scaled)
                it += 1
            block = block.next()
