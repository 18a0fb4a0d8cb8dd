"""补打: the stored document with a reprint mark and its date stamped over every page, otherwise unchanged.

The stored bytes are what the citizen was handed; a reprint must be that document, not a new rendering that could
differ (another font version, a corrected record).  pypdf merges a one-page ReportLab overlay onto each stored page,
so the content streams, fonts and text of the original stay as they were and the mark is extractable text too.
Run on the renderer thread (ReportLab draws the overlay).
"""

from __future__ import annotations

import datetime as dt
import io

from pypdf import PageObject, PdfReader, PdfWriter
from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas

from app.documents import fonts as fnt
from app.documents import layout as lay
from app.documents.fonts import FontSet

MARK = "补打"
RED = colors.Color(0.78, 0.08, 0.1)


def reprint_label(when: dt.datetime) -> str:
    at = lay.local(when)
    return f"{MARK}　{lay.date_text(at.date())} {at:%H:%M}"


def _overlay(width: float, height: float, label: str, fonts: FontSet) -> bytes:
    buffer = io.BytesIO()
    canv = Canvas(buffer, pagesize=(width, height), invariant=1, initialFontName=fnt.REGULAR)
    narrow = width < 100 * lay.mm  # the 80 mm roll has no margin to spare: a light diagonal mark instead of a box
    if narrow:
        canv.saveState()
        canv.setFillColor(RED)
        canv.setFillAlpha(0.22)
        canv.translate(width / 2, height / 2)
        canv.rotate(35)
        size = 30.0
        text_w = fnt.string_width(MARK, fonts, size, fnt.BOLD)
        lay.draw_text(canv, -text_w / 2, 0, MARK, fonts, size, RED, face=fnt.BOLD)
        canv.restoreState()
        size = 7.5
        text_w = fnt.string_width(label, fonts, size)
        lay.draw_text(canv, width - lay.THERMAL_MARGIN - text_w, 2, label, fonts, size, RED)
    else:
        size = 12.0
        text_w = fnt.string_width(label, fonts, size, fnt.BOLD)
        x = width - lay.A4_MARGINS[1] - text_w - 8
        y = height - 20 * lay.mm
        canv.saveState()
        canv.setStrokeColor(RED)
        canv.setLineWidth(1.2)
        canv.rect(x - 5, y - 5, text_w + 10, size + 9)
        canv.restoreState()
        lay.draw_text(canv, x, y, label, fonts, size, RED, face=fnt.BOLD)
    canv.showPage()
    canv.save()
    return buffer.getvalue()


def stamp_reprint(pdf: bytes, when: dt.datetime, fonts: FontSet) -> bytes:
    """Return ``pdf`` with the 补打 mark and ``when`` over each page (the stored bytes are left untouched)."""
    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter(clone_from=reader)
    label = reprint_label(when)
    overlays: dict[tuple[float, float], PageObject] = {}
    for page in writer.pages:
        size = (float(page.mediabox.width), float(page.mediabox.height))
        if size not in overlays:
            overlays[size] = PdfReader(io.BytesIO(_overlay(*size, label, fonts))).pages[0]
        page.merge_page(overlays[size])
    title = reader.metadata.get("/Title") if reader.metadata else None
    writer.add_metadata({"/Title": f"{title}（{MARK}）" if title else MARK})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
