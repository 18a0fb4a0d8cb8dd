"""Reading PDFs back the way a person or another program would: poppler and zbar, real processes.

``pdftotext`` (the text a search or a screen reader gets), ``pdffonts`` (every font embedded), ``pdfinfo`` (page
size and metadata), ``pdftoppm`` + ``zbarimg`` (what a phone reads from the QR code).  Debian's poppler-utils,
poppler-data and zbar-tools, installed by ``make deps``.
"""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def _run(*args: str, data: bytes) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.pdf"
        path.write_bytes(data)
        done = subprocess.run(
            [*args, str(path), *([] if args[0] != "pdftotext" else ["-"])],
            capture_output=True,
            check=True,
            timeout=60,
        )
        return done.stdout.decode("utf-8")


def text(pdf: bytes, *, layout: bool = False) -> str:
    """The extractable text (``-layout`` keeps the columns of a line together)."""
    return _run("pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), data=pdf)


def flat(pdf: bytes) -> str:
    """The text with every space and line break removed (table cells wrap: search across them)."""
    return "".join(text(pdf).split())


@dataclass(frozen=True)
class Font:
    name: str
    type: str
    embedded: bool
    subset: bool
    unicode: bool


def fonts(pdf: bytes) -> list[Font]:
    out = _run("pdffonts", data=pdf).splitlines()[2:]
    found = []
    for line in out:
        parts = line.split()
        # name type [type2] encoding emb sub uni object ID
        emb, sub, uni = parts[-5], parts[-4], parts[-3]
        found.append(Font(parts[0], parts[1], emb == "yes", sub == "yes", uni == "yes"))
    return found


def info(pdf: bytes) -> dict[str, str]:
    out = _run("pdfinfo", "-isodates", data=pdf)
    fields = {}
    for line in out.splitlines():
        key, _, value = line.partition(":")
        fields[key.strip()] = value.strip()
    return fields


def page_size_mm(pdf: bytes) -> tuple[float, float]:
    words = info(pdf)["Page size"].split()
    return float(words[0]) * 25.4 / 72, float(words[2]) * 25.4 / 72


def qr_codes(pdf: bytes, *, dpi: int = 200) -> list[str]:
    """Every QR code zbar decodes on the rendered pages."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.pdf"
        path.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(path), str(Path(folder) / "page")], check=True)
        codes = []
        for page in sorted(Path(folder).glob("page*.png")):
            done = subprocess.run(["zbarimg", "-q", "--raw", str(page)], capture_output=True, timeout=60)
            codes += [line for line in done.stdout.decode("utf-8").splitlines() if line]
        return codes


def images(pdf: bytes) -> int:
    """How many images the pages draw (the seal image is one)."""
    return len(_run("pdfimages", "-list", data=pdf).splitlines()[2:])


@dataclass(frozen=True)
class Word:
    """A word as poppler places it: text and its box in points from the page's top left."""

    text: str
    page: int
    x_min: float
    y_min: float
    x_max: float
    y_max: float


def words(pdf: bytes) -> list[Word]:
    """Every word with its bounding box (``pdftotext -bbox``)."""
    import html
    import re

    out = _run("pdftotext", "-enc", "UTF-8", "-bbox", data=pdf)
    found: list[Word] = []
    page = 0
    for line in out.splitlines():
        if "<page " in line:
            page += 1
        match = re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>', line)
        if match:
            x0, y0, x1, y1 = (float(v) for v in match.groups()[:4])
            found.append(Word(html.unescape(match.group(5)), page, x0, y0, x1, y1))
    return found


def pages_text(pdf: bytes) -> list[str]:
    """The text of each page (pdftotext separates pages with a form feed)."""
    return [page for page in text(pdf).split("\f") if page.strip()]


def page_image(pdf: bytes, *, dpi: int = 100) -> Any:
    """The first page as an RGB Pillow image (``pdftoppm``)."""
    from PIL import Image

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.pdf"
        path.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-png", "-singlefile", "-f", "1", "-l", "1", str(path), f"{folder}/p"],
            check=True,
        )
        with Image.open(Path(folder) / "p.png") as image:
            return image.convert("RGB")
