"""A file's page as a picture: a PDF's page drawn by QtPdf, and fitted into a viewer's window; the materials'
thumbnails and full views, at the counter (ui/intake/attachments.py) and in a saved case's record
(ui/records/files.py)."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QObject, QSize, Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QLabel

#: The object name of the document :func:`keep_pdf_library` leaves open.
LIBRARY_KEEPER = "pdf_library_keeper"


def keep_pdf_library() -> QObject | None:
    """Keep QtPdf's PDF library (pdfium) started for the rest of the program: an empty ``QPdfDocument`` owned by the
    application, made once (None without an application).

    QtPdf starts pdfium with the first ``QPdfDocument`` alive and shuts it down with the last. Each start reserves
    fresh memory pools that are never handed back: a counter whose every preview and print opened and closed its
    own documents grew by ~200 KiB an application over a day, a few new 2 MiB regions each time (issue 16,
    docs/performance.md "The counter over a day"). With one document always open, pdfium starts once and reuses its
    pools, and each document no longer pays for a start (~3 ms)."""
    from PySide6.QtPdf import QPdfDocument

    app = QCoreApplication.instance()
    if app is None:
        return None
    kept = app.findChild(QPdfDocument, LIBRARY_KEEPER)
    if kept is None:
        kept = QPdfDocument(app)
        kept.setObjectName(LIBRARY_KEEPER)
    return kept


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
