"""A PDF's page as a picture, drawn by QtPdf: the materials' thumbnails and full views, at the counter
(ui/intake/attachments.py) and in a saved case's record (ui/records/files.py)."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QSize
from PySide6.QtGui import QImage


def pdf_page_image(data: bytes, page: int, side: int) -> QImage:
    """A PDF's page drawn by QtPdf, at most ``side`` pixels on its long side (null when it cannot be drawn)."""
    from PySide6.QtPdf import QPdfDocument

    document = QPdfDocument()
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QBuffer.OpenModeFlag.ReadOnly)
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready or page >= document.pageCount():
        document.close()
        return QImage()
    size = document.pagePointSize(page)
    scale = side / max(size.width(), size.height(), 1.0)
    image = document.render(page, QSize(max(1, int(size.width() * scale)), max(1, int(size.height() * scale))))
    document.close()
    return image
