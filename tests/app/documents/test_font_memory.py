"""The document fonts stay small in memory (issue 16): ReportLab reads each face from the file mapped, not copied,
and keeps its per-glyph tables packed; subsets drawn from them are whole fonts that a PDF reader shows."""

from __future__ import annotations

import mmap
import subprocess
import sys
from pathlib import Path

from reportlab.pdfbase import pdfmetrics, ttfonts

from app.documents.fonts import _FILES, BOLD, FALLBACK, REGULAR, fonts_dir, load_fonts, runs

REPO = Path(__file__).resolve().parents[3]


def test_the_faces_are_mapped_and_packed_and_still_cover_what_they_did() -> None:
    fonts = load_fonts()
    for name in (REGULAR, BOLD):
        face = pdfmetrics.getFont(name).face
        assert isinstance(face._ttf_data, mmap.mmap)  # the file's pages, not a 20–30 MB bytes copy
        assert face.glyphToChar == {}
        assert not isinstance(face.hmetrics, list) and not isinstance(face.glyphPos, list)
        assert not isinstance(face.charToGlyph, dict)
        assert fonts.covers[name] is face.charToGlyph
    # The bold face maps every character to the regular's glyph: one map for both.
    assert pdfmetrics.getFont(BOLD).face.charToGlyph is pdfmetrics.getFont(REGULAR).face.charToGlyph
    assert list(runs("张\U0010fffd", fonts)) == [(REGULAR, "张〓")]  # nobody has U+10FFFD: the mark
    face = pdfmetrics.getFont(REGULAR).face
    glyph = face.charToGlyph[ord("张")]
    advance, _bearing = face.hmetrics[glyph]
    assert advance > 0 and face.glyphPos[glyph + 1] > face.glyphPos[glyph]  # the glyph has outlines


def test_the_packed_faces_give_reportlabs_own_glyphs_and_widths() -> None:
    fonts = load_fonts()
    for name in (REGULAR, BOLD, FALLBACK):
        parsed = ttfonts.TTFontFace(str(fonts_dir() / _FILES[name]))  # ReportLab's own dicts, not packed
        cover = fonts.covers[name]
        assert len(cover) == len(parsed.charToGlyph)
        assert all(cover[code] == glyph for code, glyph in parsed.charToGlyph.items())
        assert 0x10FFFD not in cover and -1 not in cover and "张" not in cover
        face = pdfmetrics.getFont(name).face  # the fallback is registered by the look-ups above
        assert [face.getCharWidth(code) for code in parsed.charWidths] == list(parsed.charWidths.values())
        codes = list(parsed.charToGlyph)
        for start in range(0, len(codes), 4000):  # ReportLab's C stringWidth reads the dict of widths
            chunk = "".join(chr(code) for code in codes[start : start + 4000])
            expected = sum(parsed.charWidths[ord(char)] for char in chunk)
            assert abs(pdfmetrics.stringWidth(chunk, name, 1000) - expected) < 1e-6 * expected


def test_the_fallback_face_is_read_when_a_character_needs_it() -> None:
    code = """
from reportlab.pdfbase import pdfmetrics
from app.documents.fonts import FALLBACK, load_fonts, runs
fonts = load_fonts()
assert FALLBACK not in pdfmetrics.getRegisteredFontNames(), "read before any character needed it"
assert [face for face, _ in runs("张三丰", fonts)] == ["YimenSerif-Regular"]
assert FALLBACK not in pdfmetrics.getRegisteredFontNames()
assert [face for face, _ in runs("张\U0002a700", fonts)] == ["YimenSerif-Regular", FALLBACK]
assert FALLBACK in pdfmetrics.getRegisteredFontNames()
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=False)
    assert done.returncode == 0, done.stderr
