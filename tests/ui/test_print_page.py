"""A printed page is one image (issue 16, the counter over a day): ui.documents.printing.page_image puts the white
behind the page in the image QtPdf rendered into, instead of drawing that image on a second, white one; the pixels
are those of the page drawn over white."""

from __future__ import annotations

import io
from typing import Any

from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QImage, QPainter
from reportlab.pdfgen import canvas

from app.documents.fonts import REGULAR, load_fonts
from ui.documents import printing


def a_page_with_text_and_transparency() -> bytes:
    load_fonts()
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.setFont(REGULAR, 14)
    page.drawString(72, 720, "受理回执 阿依古丽·买买提 No. 310104003")
    page.setFillColorRGB(0.8, 0.1, 0.1, alpha=0.5)  # half transparent: its pixels depend on the white behind
    page.circle(300, 400, 80, fill=1)
    page.showPage()
    page.save()
    return out.getvalue()


def on_white(document: Any, dpi: int) -> QImage:
    """The page as it was printed before: QtPdf's transparent image drawn on a white one."""
    size = document.pagePointSize(0)
    pixels = QSize(round(size.width() / 72 * dpi), round(size.height() / 72 * dpi))
    image = QImage(pixels, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.drawImage(0, 0, document.render(0, pixels))
    painter.end()
    return image


def test_the_page_is_rendered_on_white_in_one_image(qapp: Any) -> None:
    document = printing._load(a_page_with_text_and_transparency())
    image = printing.page_image(document, 0, 150)
    assert image.format() == QImage.Format.Format_RGB32
    assert image.size() == QSize(1240, 1754)  # A4 at 150 dpi
    assert image == on_white(document, 150)
    assert image.pixelColor(5, 5) == QColor("white")
    circle = image.pixelColor(round(300 / 72 * 150), 1754 - round(400 / 72 * 150))
    assert circle != QColor("white") and circle.red() > circle.green()  # the half-red circle over white
