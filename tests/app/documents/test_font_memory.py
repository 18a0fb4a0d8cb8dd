"""The document fonts stay small in memory (issue 16): ReportLab reads each face from the file mapped, not copied,
and keeps its per-glyph tables packed; subsets drawn from them are whole fonts that a PDF reader shows."""

from __future__ import annotations

import mmap

from reportlab.pdfbase import pdfmetrics

from app.documents.fonts import BOLD, FALLBACK, REGULAR, load_fonts, runs


def test_the_faces_are_mapped_and_packed_and_still_cover_what_they_did() -> None:
    fonts = load_fonts()
    for name in (REGULAR, BOLD, FALLBACK):
        face = pdfmetrics.getFont(name).face
        assert isinstance(face._ttf_data, mmap.mmap)  # the file's pages, not a 20–30 MB bytes copy
        assert face.glyphToChar == {}
        assert not isinstance(face.hmetrics, list) and not isinstance(face.glyphPos, list)
        assert fonts.covers[name] is face.charToGlyph
    assert list(runs("张\U0010fffd", fonts)) == [(REGULAR, "张〓")]  # nobody has U+10FFFD: the mark
    face = pdfmetrics.getFont(REGULAR).face
    glyph = face.charToGlyph[ord("张")]
    advance, _bearing = face.hmetrics[glyph]
    assert advance > 0 and face.glyphPos[glyph + 1] > face.glyphPos[glyph]  # the glyph has outlines
