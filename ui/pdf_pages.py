"""A file's page as a picture: a PDF's page drawn by QtPdf, and fitted into a viewer's window; the materials'
thumbnails and full views, at the counter (ui/intake/attachments.py) and in a saved case's record
(ui/records/files.py)."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QSize, Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QLabel


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


def fit_picture(label: QLabel, room: QSize, full: QPixmap) -> None:
    """Show ``full`` in ``label`` as large as ``room`` (the scroller's viewport) shows it whole; as it is while the
    room is not laid out yet."""
    if full.isNull() or room.width() < 10 or room.height() < 10:
        label.setPixmap(full)
        return
    mode = Qt.TransformationMode.SmoothTransformation
    label.setPixmap(full.scaled(room, Qt.AspectRatioMode.KeepAspectRatio, mode))
