"""补打: the stored document with a reprint mark and its date stamped over every page, otherwise unchanged.

The stored bytes are what the citizen was handed; a reprint must be that document, not a new rendering that could
differ (another font version, a corrected record).  pypdf merges a one-page ReportLab overlay onto each stored page,
so the content streams, fonts and text of the original stay as they were and the mark is extractable text too.
Run on the renderer thread (ReportLab draws the overlay).

A copy drawn again from the stored record (the original PDF pruned and not fetched from the server,
docs/documents.md "补打 after the retention") is not the citizen's document byte for byte, so
:func:`stamp_rerendered` says so on every page in words (:data:`RERENDERED_NOTE`), in red at the top: on A4 the
drawn page is shrunk to :data:`A4_SHRINK` about its foot so that the note and the 补打 box sit above it, clear of its
text (a receipt's header starts higher than the notices' 37 mm margin); on the 80 mm roll a band is added above the
text (a roll's page is as long as its text, so the band takes nothing away from it).
"""

from __future__ import annotations

import datetime as dt
import io

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas

from app.documents import fonts as fnt
from app.documents import layout as lay
from app.documents.fonts import FontSet

MARK = "补打"
RERENDERED = "重新生成件"
#: A re-rendered A4 page's content is drawn at this scale, centred, its foot kept: the top 10 % is the note's.
A4_SHRINK = 0.9
#: What a re-rendered copy says of itself, on every page (docs/documents.md "补打 after the retention").
RERENDERED_NOTE = (
    "重新生成件（非原件）：原件已超过本机保存期限且未能从中心服务器取回。本件依据本机存档的申请记录和"
    "受理时的事项版本重新生成，申请内容与原件一致，版式可能与原件不同。"
)
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


def _wrap(text: str, fonts: FontSet, size: float, width: float) -> list[str]:
    """``text`` cut into lines no wider than ``width`` (character by character: Chinese breaks anywhere)."""
    lines, line = [], ""
    for char in text:
        if line and fnt.string_width(line + char, fonts, size) > width:
            lines.append(line)
            line = ""
        line += char
    return [*lines, line] if line else lines


def _note_overlay(width: float, height: float, top: float, fonts: FontSet) -> bytes:
    """The note in red, its first line ``top`` points below the page's top edge."""
    buffer = io.BytesIO()
    canv = Canvas(buffer, pagesize=(width, height), invariant=1, initialFontName=fnt.REGULAR)
    narrow = width < 100 * lay.mm
    left, right = (lay.THERMAL_MARGIN, lay.THERMAL_MARGIN) if narrow else (lay.A4_MARGINS[3], lay.A4_MARGINS[1])
    size = 7.5 if narrow else 9.0
    y = height - top
    for line in _wrap(RERENDERED_NOTE, fonts, size, width - left - right):
        lay.draw_text(canv, left, y, line, fonts, size, RED, face=fnt.BOLD)
        y -= size * 1.35
    canv.showPage()
    canv.save()
    return buffer.getvalue()


def note_band(width: float, fonts: FontSet) -> float:
    """How much taller a roll page grows for the note (its lines and a margin above and below)."""
    lines = len(_wrap(RERENDERED_NOTE, fonts, 7.5, width - 2 * lay.THERMAL_MARGIN))
    return float(lines * 7.5 * 1.35 + 6 * lay.mm)


def stamp_rerendered(pdf: bytes, fonts: FontSet) -> bytes:
    """Return ``pdf`` (a re-rendered document) with :data:`RERENDERED_NOTE` on each page."""
    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter(clone_from=reader)
    for page in writer.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        if width < 100 * lay.mm:  # the roll: a band above the text
            band = note_band(width, fonts)
            height += band
            for box in (page.mediabox, page.cropbox):
                box.upper_right = (box.right, box.top + band)
            overlay = _note_overlay(width, height, 4 * lay.mm + 7.5, fonts)
        else:  # A4: the content shrunk, the note below the 补打 box
            shrink = Transformation().translate(-width / 2, 0).scale(A4_SHRINK, A4_SHRINK).translate(width / 2, 0)
            page.add_transformation(shrink)
            overlay = _note_overlay(width, height, 26 * lay.mm, fonts)
        page.merge_page(PdfReader(io.BytesIO(overlay)).pages[0])
    title = reader.metadata.get("/Title") if reader.metadata else None
    writer.add_metadata({"/Title": f"{title}（{RERENDERED}）" if title else RERENDERED})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
