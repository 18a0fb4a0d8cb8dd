"""Build the document fonts shipped in ``resources/fonts`` (run by ``make fonts``; not part of the app).

ReportLab embeds only TrueType (``glyf``) outlines, and Debian's Noto CJK fonts are CFF (domain notes STACK.md), so
this converts the Simplified Chinese face of Noto Serif CJK (SIL OFL 1.1) to TrueType quadratic outlines with
fontTools, keeping every code point of its SC character map but the Korean script (33,008 of 44,746, with 𠮷 䶮 堃
and the middle dot).  Rare characters beyond it (CJK Extensions B–F) come from a fallback: the HanaMin (花園明朝, OFL)
glyphs that Noto lacks.

**Hangul is left out** (``HANGUL_BLOCKS``: 11,172 syllables and the jamo, 6.8 MB of outlines in each weight): no
document of a Shanghai counter prints Korean script (a Korean citizen's name on a 永居证 is in Chinese characters or
Latin letters, docs/devices.md), and the installed client has a size goal (docs/performance.md "Installed size").
Glyph names are not kept either (``post`` format 3: 0.5 MB per weight); ReportLab maps characters through ``cmap``.

The outputs are generated, not committed (STYLE.md §18).  Conversion takes about a minute per face on two cores,
so results are cached under ``$YIMEN_FONT_CACHE`` (default ``~/.cache/yimen/fonts``), keyed by the SHA-256 of the
source files and of this script: a rebuild with the same inputs copies the cached files.

Usage: ``python installer/build_fonts.py OUT_DIR``
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

NOTO_DIR = Path("/usr/share/fonts/opentype/noto")
HANAZONO_DIR = Path("/usr/share/fonts/truetype/hanazono")
NOTO_LICENSE = Path("/usr/share/doc/fonts-noto-cjk/copyright")
HANAZONO_LICENSE = Path("/usr/share/doc/fonts-hanazono/copyright")
SC_INDEX_NAME = "Noto Serif CJK SC"

# (output file, source collection, family, style)
FACES = (
    ("YimenSerif-Regular.ttf", NOTO_DIR / "NotoSerifCJK-Regular.ttc", "Yimen Serif", "Regular"),
    ("YimenSerif-Bold.ttf", NOTO_DIR / "NotoSerifCJK-Bold.ttc", "Yimen Serif", "Bold"),
)
FALLBACK = "YimenFallback-Regular.ttf"
FALLBACK_SOURCES = (HANAZONO_DIR / "HanaMinA.ttf", HANAZONO_DIR / "HanaMinB.ttf")
# The Korean script's blocks, left out of the document faces (see the module's docstring).
HANGUL_BLOCKS = (
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x3130, 0x318F),  # Hangul Compatibility Jamo
    (0x3200, 0x321E),  # parenthesized Hangul
    (0x3260, 0x327F),  # circled Hangul
    (0xA960, 0xA97F),  # Hangul Jamo Extended-A
    (0xAC00, 0xD7AF),  # Hangul Syllables
    (0xD7B0, 0xD7FF),  # Hangul Jamo Extended-B
    (0xFFA0, 0xFFDC),  # halfwidth Hangul
)
# Han ideograph blocks the fallback may add (the rest of HanaMin is Japanese kana, symbols and private use).
HAN_BLOCKS = (
    (0x3400, 0x4DBF),  # Extension A
    (0x4E00, 0x9FFF),  # URO
    (0xF900, 0xFAFF),  # compatibility ideographs
    (0x20000, 0x2FA1F),  # Extensions B–F and the compatibility supplement
)


def _sc_face(collection: Path) -> Any:
    from fontTools.ttLib import TTCollection

    for face in TTCollection(str(collection), lazy=True).fonts:
        if face["name"].getDebugName(1).startswith(SC_INDEX_NAME):
            return face
    raise SystemExit(f"{collection}: no '{SC_INDEX_NAME}' face")


def _convert_chunk(args: tuple[str, list[str]]) -> dict[str, Any]:
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    collection, names = args
    glyph_set = _sc_face(Path(collection)).getGlyphSet()
    out = {}
    for name in names:
        pen = TTGlyphPen(None)
        # CFF contours run counter-clockwise, TrueType's clockwise; 1 unit of 1000 is invisible at print sizes.
        glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        out[name] = pen.glyph()
    return out


def build_face(out: Path, collection: Path, family: str, style: str, pool: Any) -> None:
    from fontTools.fontBuilder import FontBuilder

    face = _sc_face(collection)
    hangul = [range(lo, hi + 1) for lo, hi in HANGUL_BLOCKS]
    cmap = {cp: name for cp, name in face.getBestCmap().items() if not any(cp in block for block in hangul)}
    position = {name: i for i, name in enumerate(face.getGlyphOrder())}
    order = [".notdef", *sorted(set(cmap.values()) - {".notdef"}, key=position.__getitem__)]
    chunks = [(str(collection), order[i::8]) for i in range(8)]
    glyphs: dict[str, Any] = {}
    for part in pool.map(_convert_chunk, chunks):
        glyphs.update(part)
    hmtx, hhea, os2 = face["hmtx"], face["hhea"], face["OS/2"]
    ps_name = f"{family.replace(' ', '')}-{style}"
    builder = FontBuilder(face["head"].unitsPerEm, isTTF=True)
    builder.setupGlyphOrder(order)
    builder.setupCharacterMap(cmap)
    builder.setupGlyf(glyphs)
    builder.setupHorizontalMetrics({name: hmtx[name] for name in order})
    builder.setupHorizontalHeader(ascent=hhea.ascent, descent=hhea.descent)
    builder.setupNameTable(
        {
            "familyName": family,
            "styleName": style,
            "uniqueFontIdentifier": ps_name,
            "fullName": f"{family} {style}",
            "psName": ps_name,
            "version": "Version 1.000",
            "copyright": face["name"].getDebugName(0) or "",
            "licenseDescription": "SIL Open Font License 1.1. TrueType conversion of Noto Serif CJK SC for Yimen.",
        }
    )
    builder.setupOS2(
        sTypoAscender=os2.sTypoAscender,
        sTypoDescender=os2.sTypoDescender,
        sTypoLineGap=os2.sTypoLineGap,
        usWinAscent=os2.usWinAscent,
        usWinDescent=os2.usWinDescent,
        usWeightClass=os2.usWeightClass,
        fsType=0,  # installable embedding (OFL)
        achVendID=os2.achVendID,
    )
    builder.setupPost(keepGlyphNames=False)
    # Reproducible: the source's dates, not the build time (fontTools stamps "now" on save otherwise), so every
    # build — and every PDF subset of it — has the same bytes.
    builder.font["head"].created = face["head"].created
    builder.font["head"].modified = face["head"].modified
    builder.font.recalcTimestamp = False
    builder.save(str(out))


def build_fallback(out: Path, primary: Path) -> None:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    have = set(TTFont(str(primary), lazy=True).getBestCmap())
    merged_from: list[Path] = []
    wanted: set[int] = set()
    best: tuple[int, Path] | None = None
    for source in FALLBACK_SOURCES:
        cmap = TTFont(str(source), lazy=True).getBestCmap()
        extra = {cp for cp in cmap if cp not in have and any(lo <= cp <= hi for lo, hi in HAN_BLOCKS)}
        wanted |= extra
        merged_from.append(source)
        if best is None or len(extra) > best[0]:
            best = (len(extra), source)
    # HanaMinA holds Extension A and part of B, HanaMinB the rest of B–F: subset each, then merge the two.
    from fontTools.merge import Merger

    parts = []
    for source in merged_from:
        font = TTFont(str(source))
        cmap = font.getBestCmap()
        codes = [cp for cp in wanted if cp in cmap]
        options = subset.Options()
        options.layout_features = []
        options.hinting = False
        options.notdef_outline = True
        options.name_IDs = ["*"]
        options.drop_tables += ["GSUB", "GPOS", "GDEF", "vhea", "vmtx", "VORG"]
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=codes)
        subsetter.subset(font)
        part = out.with_suffix(f".{source.stem}.part.ttf")
        font.save(str(part))
        parts.append(part)
        wanted -= set(codes)
    merged = Merger().merge([str(p) for p in parts])
    source_head = TTFont(str(FALLBACK_SOURCES[0]), lazy=True)["head"]
    merged["head"].created, merged["head"].modified = source_head.created, source_head.modified
    merged.recalcTimestamp = False
    for record in merged["name"].names:
        if record.nameID in (1, 4, 6):
            text = "YimenFallback-Regular" if record.nameID == 6 else "Yimen Fallback"
            record.string = text
    merged.save(str(out))
    for part in parts:
        part.unlink()


def _cache_key() -> str:
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for path in [*(f[1] for f in FACES), *FALLBACK_SOURCES]:
        digest.update(path.name.encode())
        digest.update(str(path.stat().st_size).encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    out_dir = Path(argv[0])
    missing = [p for p in [*(f[1] for f in FACES), *FALLBACK_SOURCES] if not p.exists()]
    if missing:
        print("缺少字体源文件（请安装 Debian 软件包 fonts-noto-cjk 和 fonts-hanazono）：", *missing, file=sys.stderr)
        return 1
    cache_root = Path(os.environ.get("YIMEN_FONT_CACHE") or Path.home() / ".cache" / "yimen" / "fonts")
    cache = cache_root / _cache_key()
    outputs = [f[0] for f in FACES] + [FALLBACK, "LICENSE-Noto-CJK.txt", "LICENSE-HanaMin.txt"]
    if not all((cache / name).exists() for name in outputs):
        tmp = cache.with_name(cache.name + f".tmp{os.getpid()}")
        tmp.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        with multiprocessing.Pool(min(2, os.cpu_count() or 1)) as pool:
            for name, collection, family, style in FACES:
                print(f"converting {collection.name} → {name}", file=sys.stderr)
                build_face(tmp / name, collection, family, style, pool)
        print(f"building {FALLBACK}", file=sys.stderr)
        build_fallback(tmp / FALLBACK, tmp / FACES[0][0])
        shutil.copyfile(NOTO_LICENSE, tmp / "LICENSE-Noto-CJK.txt")
        shutil.copyfile(HANAZONO_LICENSE, tmp / "LICENSE-HanaMin.txt")
        if cache.exists():
            shutil.rmtree(cache)
        tmp.rename(cache)
        print(f"fonts built in {time.monotonic() - started:.0f} s (cached in {cache})", file=sys.stderr)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in outputs:
        shutil.copyfile(cache / name, out_dir / name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
