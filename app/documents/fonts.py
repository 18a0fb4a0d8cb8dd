"""The document fonts: registration, the ToUnicode fix for characters outside the BMP, and runs by coverage.

ReportLab embeds only TrueType outlines (STACK.md), so ``installer/build_fonts.py`` converts Noto Serif CJK SC to
``resources/fonts/YimenSerif-{Regular,Bold}.ttf`` and builds ``YimenFallback-Regular.ttf`` from the HanaMin glyphs
Noto lacks (CJK Extensions B–F).  Every text drawn on a document goes through :func:`markup` or :func:`runs`,
which give each character the first face that has it; a character no face has becomes ``〓`` (the 地脚 mark that
Chinese typesetting uses for a missing character) and is reported by :func:`unprintable`, never silently dropped
(domain notes documents.md §5: "show a placeholder rather than silently dropping a character").

ReportLab keeps fonts in a process-wide registry and is not thread-safe: in the GUI all rendering happens on the
one renderer thread (ARCHITECTURE.md invariant 8).

Memory (issue 16, docs/performance.md "The counter over a day"): ReportLab reads a whole font file into a bytes
object and keeps per-glyph Python lists beside its tables — 141 MiB for the three faces (73 MB of files), the
largest part of the counter's memory.  :func:`_load` hands ReportLab the file mapped read-only instead of read
(only the pages a subset touches become resident, and they are the page cache's, shared), packs the glyph offsets
and metrics into arrays, drops ``glyphToChar`` (read only by ReportLab's HarfBuzz shaping, which is not installed
and which these faces are registered without), and the coverage of each face is its ``charToGlyph`` itself.  The
fonts are loaded on the first render (the renderer thread), not at start.  The bold face maps every character to the
same glyph as the regular one: it shares the regular face's ``charToGlyph`` and its code points, and each face's
widths share one float object per distinct width (a CJK face has ~180 of them for 33,008 characters).  The fallback
face (HanaMin, 58,662 characters of CJK Extensions B–F) is parsed the first time a character is not in Noto: most
days never need it.
"""

from __future__ import annotations

import array
import bisect
import functools
import mmap
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics, ttfonts

from app.errors import ConfigError
from app.i18n import msg
from app.resources import resource_path

REGULAR = "YimenSerif-Regular"
BOLD = "YimenSerif-Bold"
FALLBACK = "YimenFallback-Regular"
MISSING_MARK = "〓"  # U+3013 GETA MARK, in Noto
_FILES = {REGULAR: "YimenSerif-Regular.ttf", BOLD: "YimenSerif-Bold.ttf", FALLBACK: "YimenFallback-Regular.ttf"}
_lock = threading.Lock()


def _utf16_hex(code: int) -> str:
    if code > 0xFFFF:
        code -= 0x10000
        return f"{0xD800 + (code >> 10):04X}{0xDC00 + (code & 0x3FF):04X}"
    return f"{code:04X}"


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ReportLab's ``makeToUnicodeCMap`` with code points outside the BMP as UTF-16BE surrogate pairs.

    ReportLab 4–5 writes ``<%04X>`` of the code point, which is five hex digits for 𠮷 (U+20BB7): viewers print the
    glyph but text extraction returns U+20BB and a stray "7".  The PDF reference wants the UTF-16BE code units.
    """
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *(f"<{i:02X}> <{_utf16_hex(code)}>" for i, code in enumerate(subset)),
        "endbfchar",
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ]
    return "\n".join(lines)


# The fix replaces the module-level function ttfonts calls when it writes a subset (checked: ReportLab 5.1).
ttfonts.makeToUnicodeCMap = _to_unicode_cmap


class _GlyfSlices:
    """The ``glyf`` table as ``makeSubset`` reads it (slice by slice), without copying it first.

    ``TTFontFile.get_table`` returns a copy of the table, and ``makeSubset`` asks for ``glyf`` once per subset: for
    a 33,008-glyph CJK face that is a 14 MB copy per subset, two or three per receipt — a fifth of its render time.
    ``makeSubset`` only slices the table (checked: ReportLab 5.1), and a slice of the file data is the same bytes.
    """

    __slots__ = ("_data", "_start")

    def __init__(self, data: bytes, start: int) -> None:
        self._data, self._start = data, start

    def __getitem__(self, key: slice) -> bytes:
        return self._data[self._start + key.start : self._start + key.stop]


_get_table = ttfonts.TTFontFile.get_table


def _get_table_without_copying_glyf(self: ttfonts.TTFontFile, tag: str) -> bytes | _GlyfSlices:
    if tag == "glyf":
        return _GlyfSlices(self._ttf_data, self.get_table_pos(tag)[0])
    return _get_table(self, tag)  # type: ignore[no-any-return]


ttfonts.TTFontFile.get_table = _get_table_without_copying_glyf


class _MappedFile:
    """What ``TTFontParser.readFile`` reads (a file object): ``read()`` returns the file mapped read-only instead of
    a copy of it.  ReportLab only indexes and slices the data (checked: ReportLab 5.1), which a mapping supports."""

    def __init__(self, path: Path) -> None:
        self.name = str(path)
        self._path = path

    def read(self) -> mmap.mmap:
        with self._path.open("rb") as handle:  # the mapping outlives the descriptor
            return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)


class _Metrics:
    """``TTFontFile.hmetrics`` — (advance width, left side bearing) per glyph — in two arrays instead of a list of
    tuples (33,008 of them per CJK face).  ``makeSubset`` only indexes it."""

    __slots__ = ("_advances", "_bearings")

    def __init__(self, metrics: list[tuple[float, int]]) -> None:
        self._advances = array.array("d", (aw for aw, _ in metrics))  # some are scaled (float)
        self._bearings = array.array("H", (lsb for _, lsb in metrics))

    def __getitem__(self, glyph: int) -> tuple[float, int]:
        return self._advances[glyph], self._bearings[glyph]

    def __len__(self) -> int:
        return len(self._advances)


class _CharMap(Mapping[int, int]):
    """A face's ``charToGlyph`` — code point → glyph — in two arrays and a bitmap instead of a dict of 33,008 int
    pairs (~5 MiB a face).  ReportLab only asks ``in``, ``[]`` and ``keys()`` of it (checked: ReportLab 5.1);
    ``in`` is a bit test, ``[]`` a binary search."""

    __slots__ = ("_bits", "_codes", "_glyphs")

    def __init__(self, mapping: Mapping[int, int]) -> None:
        codes = sorted(mapping)
        self._codes = array.array("L", codes)
        self._glyphs = array.array("L", (mapping[code] for code in codes))
        bits = bytearray((codes[-1] >> 3) + 1 if codes else 0)
        for code in codes:
            bits[code >> 3] |= 1 << (code & 7)
        self._bits = bytes(bits)

    def __contains__(self, code: object) -> bool:
        if not isinstance(code, int) or code < 0 or (code >> 3) >= len(self._bits):
            return False
        return bool(self._bits[code >> 3] >> (code & 7) & 1)

    def __getitem__(self, code: int) -> int:
        if code not in self:
            raise KeyError(code)
        return self._glyphs[bisect.bisect_left(self._codes, code)]

    def __iter__(self) -> Iterator[int]:
        return iter(self._codes)

    def __len__(self) -> int:
        return len(self._codes)


def _compact(face: ttfonts.TTFontFace, like: ttfonts.TTFontFace | None = None) -> None:
    """Pack what ReportLab keeps per glyph of a parsed face (see the module docstring); ``like``: a face packed
    before whose character map this one shares when they are equal (the bold face, the regular's)."""
    face.hmetrics = _Metrics(face.hmetrics)
    face.glyphPos = array.array("L", face.glyphPos)
    face.glyphToChar = {}
    if like is not None and len(like.charToGlyph) == len(face.charToGlyph):
        if all(like.charToGlyph.get(code) == glyph for code, glyph in face.charToGlyph.items()):
            face.charToGlyph = like.charToGlyph
    if not isinstance(face.charToGlyph, _CharMap):
        face.charToGlyph = _CharMap(face.charToGlyph)
    # ReportLab's width of a character missing from ``charWidths`` is the face's default width (glyph 0's advance:
    # a CJK ideograph's), in its C ``stringWidth`` and in ``getCharWidth`` alike: only the other widths are kept.
    # Their keys are new int objects (read from the packed codes) and the values one object per distinct width, made
    # once most of the parse's objects are gone: they fill freed space instead of pinning the parse's pymalloc
    # arenas, which Python hands back when empty (measured: 1.3 MiB less for the two faces).
    widths, default = face.charWidths, face.defaultWidth
    distinct: dict[float, float] = {}
    kept = {
        code: distinct.setdefault(widths[code], widths[code])
        for code in face.charToGlyph._codes
        if widths.get(code, default) != default
    }
    kept.update((code, width) for code, width in widths.items() if width != default and code not in kept)
    face.charWidths = kept


def _register(name: str, path: Path, like: ttfonts.TTFontFace | None = None) -> ttfonts.TTFontFace:
    """Parse the face at ``path``, pack it and register it with ReportLab as ``name``."""
    try:
        font = ttfonts.TTFont(name, _MappedFile(path), shapable=False)
    except (OSError, ValueError, ttfonts.TTFError) as exc:  # ValueError: mmap of an empty file
        raise _unreadable(path, str(exc)) from None
    _compact(font.face, like)
    pdfmetrics.registerFont(font)
    return font.face


def _unreadable(path: Path, reason: str) -> ConfigError:
    return ConfigError(
        msg(
            "documents",
            "找不到或无法读取文书字体 {path}（{reason}）。请信息员重新安装本程序（开发环境请运行 make fonts）。",
        ).bind(path=str(path), reason=reason[:120])
    )


class _Deferred(Mapping[int, int]):
    """The fallback face's coverage (its ``charToGlyph``), the face parsed and registered on the first look-up.

    ``runs`` asks the fallback only for a character the Noto faces lack; names with such characters are rare, so
    most processes never parse HanaMin's 58,662 characters (~10 MiB of ReportLab's dicts).
    """

    def __init__(self, name: str, path: Path) -> None:
        self._name, self._path = name, path
        self._map: Mapping[int, int] | None = None

    def loaded(self) -> Mapping[int, int]:
        if self._map is None:
            with _lock:
                if self._map is None:
                    self._map = _register(self._name, self._path).charToGlyph
        return self._map

    def __contains__(self, code: object) -> bool:
        return code in self.loaded()

    def __getitem__(self, code: int) -> int:
        return self.loaded()[code]

    def __iter__(self) -> Iterator[int]:
        return iter(self.loaded())

    def __len__(self) -> int:
        return len(self.loaded())


def fonts_dir() -> Path:
    return resource_path("fonts")


@dataclass(frozen=True)
class FontSet:
    """The registered faces and what each covers."""

    regular: str
    bold: str
    fallback: str
    covers: dict[str, Mapping[int, int]]  # each face's character → glyph map (``in`` is its coverage)

    def face_for(self, char: str, primary: str) -> str | None:
        code = ord(char)
        if code in self.covers[primary]:
            return primary
        if primary != REGULAR and code in self.covers[REGULAR]:
            return REGULAR
        if code in self.covers[self.fallback]:
            return self.fallback
        return None


@functools.cache
def _load(folder: Path) -> FontSet:
    covers: dict[str, Mapping[int, int]] = {}
    regular = _register(REGULAR, folder / _FILES[REGULAR])
    covers[REGULAR] = regular.charToGlyph
    covers[BOLD] = _register(BOLD, folder / _FILES[BOLD], like=regular).charToGlyph
    fallback = folder / _FILES[FALLBACK]
    try:  # a missing file is said now; its content is read when a character needs it
        if fallback.stat().st_size == 0:
            raise _unreadable(fallback, "empty file")
    except OSError as exc:
        raise _unreadable(fallback, str(exc)) from None
    covers[FALLBACK] = _Deferred(FALLBACK, fallback)
    return FontSet(REGULAR, BOLD, FALLBACK, covers)


def load_fonts(folder: Path | None = None) -> FontSet:
    """Register the document fonts with ReportLab once per process and return what they cover.

    Raises:
        ConfigError: a font file is missing or unreadable (the message says to reinstall).
    """
    with _lock:
        return _load(folder or fonts_dir())


def _is_invisible(char: str) -> bool:
    code = ord(char)
    # Variation selectors (IVS in names typed from the 公安 character library) and zero-width joiners select a
    # glyph variant; the faces have no variants, so the base character prints alone.
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF or code in (0x200B, 0x200C, 0x200D)


def runs(text: str, fonts: FontSet, primary: str = REGULAR) -> Iterator[tuple[str, str]]:
    """Split ``text`` into (face, text) runs: each character in the first face that has it, else ``〓``."""
    face: str | None = None
    buffer: list[str] = []
    for char in text:
        if _is_invisible(char):
            continue
        if char in "\n\r\t":
            char = " "
        chosen = fonts.face_for(char, primary)
        if chosen is None:
            chosen, char = primary, MISSING_MARK
        if chosen != face and buffer:
            assert face is not None
            yield face, "".join(buffer)
            buffer = []
        face = chosen
        buffer.append(char)
    if buffer:
        assert face is not None
        yield face, "".join(buffer)


def markup(text: str, fonts: FontSet, primary: str = REGULAR) -> str:
    """Paragraph markup of plain ``text``: XML-escaped, runs outside ``primary`` wrapped in ``<font>`` tags."""
    parts = []
    for face, chunk in runs(text, fonts, primary):
        escaped = escape(chunk)
        parts.append(escaped if face == primary else f'<font name="{face}">{escaped}</font>')
    return "".join(parts)


def unprintable(text: str, fonts: FontSet) -> list[str]:
    """The characters of ``text`` that no document face has (they would print as ``〓``)."""
    seen: list[str] = []
    for char in text:
        if not _is_invisible(char) and char not in "\n\r\t" and fonts.face_for(char, REGULAR) is None:
            if char not in seen:
                seen.append(char)
    return seen


def string_width(text: str, fonts: FontSet, size: float, primary: str = REGULAR) -> float:
    """Width in points of ``text`` drawn with :func:`runs`."""
    return float(sum(pdfmetrics.stringWidth(chunk, face, size) for face, chunk in runs(text, fonts, primary)))
