"""The document faces: coverage runs, the ToUnicode fix outside the BMP, the placeholder, a missing font file."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.pdfgen.canvas import Canvas

from app.documents import fonts
from app.errors import ConfigError
from tests import pdfkit


def test_each_character_goes_to_the_first_face_that_has_it() -> None:
    loaded = fonts.load_fonts()
    fallback_only = next(chr(c) for c in range(0x2A700, 0x2B73F) if c not in loaded.covers[fonts.REGULAR])
    assert ord(fallback_only) in loaded.covers[fonts.FALLBACK]
    text = f"张三{fallback_only}堃·"
    assert list(fonts.runs(text, loaded)) == [
        (fonts.REGULAR, "张三"),
        (fonts.FALLBACK, fallback_only),
        (fonts.REGULAR, "堃·"),
    ]
    # Bold titles fall back to the regular face, then to the fallback, never to a box.
    assert [face for face, _ in fonts.runs(text, loaded, fonts.BOLD)] == [fonts.BOLD, fonts.FALLBACK, fonts.BOLD]
    # A variation selector (IVS from the 公安 character library) selects a glyph we do not have: the base prints.
    assert list(fonts.runs("吉\U000e0100", loaded)) == [(fonts.REGULAR, "吉")]
    assert fonts.markup("<&>", loaded) == "&lt;&amp;&gt;"


def test_supplementary_characters_extract_from_the_pdf(tmp_path: Path) -> None:
    loaded = fonts.load_fonts()
    ext_c = next(chr(c) for c in range(0x2A700, 0x2B73F) if c in loaded.covers[fonts.FALLBACK])
    line = f"张三 𠮷 䶮 堃 阿依古丽·买买提 {ext_c}"
    path = tmp_path / "t.pdf"
    canvas = Canvas(str(path), initialFontName=fonts.REGULAR)
    from app.documents.layout import draw_text

    draw_text(canvas, 72, 700, line, loaded, 14)
    canvas.save()
    data = path.read_bytes()
    assert line in pdfkit.text(data)
    assert all(f.embedded and f.unicode for f in pdfkit.fonts(data))


def test_to_unicode_map_writes_surrogate_pairs() -> None:
    cmap = fonts._to_unicode_cmap("F1", [0x5F20, 0x20BB7])
    assert "<00> <5F20>" in cmap and "<01> <D842DFB7>" in cmap


def test_a_missing_font_file_says_to_reinstall(tmp_path: Path) -> None:
    (tmp_path / "YimenSerif-Regular.ttf").write_bytes(b"not a font")
    with pytest.raises(ConfigError) as error:
        fonts._load(tmp_path)
    text = error.value.message.render()
    assert "YimenSerif-Regular.ttf" in text and "重新安装" in text
