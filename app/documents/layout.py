"""The drawing kit every document shares: pages after GB/T 9704, styles, text in runs, tables, seal, QR, metadata.

Layout facts (domain notes documents.md §1): A4 with 天头 37 mm, 订口 28 mm, right 26 mm, bottom 35 mm; title 二号
(22 pt) 小标宋, body 三号 (16 pt) 仿宋 — here the Bold and Regular of Yimen Serif (docs/documents.md says why);
the date in Arabic numerals with the full year and no padding (2025年5月8日); the 署名 and 成文日期 four characters
in from the right with the seal pressing on both; page numbers "— 1 —" 7 mm below the text area.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import zxingcpp
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus import paragraph as _paragraph
from reportlab.platypus.paraparser import ParaFrag

from app.documents import fonts as fnt
from app.documents.fonts import FontSet
from app.version import version

SHANGHAI = ZoneInfo("Asia/Shanghai")

# Binary (Flate) streams, not ASCII85: a third smaller, and ReportLab's pure-Python ASCII85 encoder was the largest
# cost of a receipt (the seal image).  Every PDF reader reads binary streams.
rl_config.useA85 = 0

# 行首禁则: ReportLab's CJK line breaker keeps a character of ALL_CANNOT_START off the start of a line (hanging it in
# the margin), but its list holds Japanese marks and few Chinese ones: 》 or ， could start a line.  Add the Chinese
# closing punctuation of GB/T 15834 (and the 间隔号 of minority names).
_paragraph.ALL_CANNOT_START = _paragraph.ALL_CANNOT_START + "，。、；：？！）》〉」』】〕〗”’…·%‰℃"
# 行尾禁则: an opening bracket or quotation mark never ends a line ("…申请办理的“临时救助申请”（" / "办件编号…）"),
# and a name never breaks at its 间隔号.  ReportLab has no such list, so its CJK splitter is replaced by a copy with
# these rules.
CANNOT_END = "（《〈「『【〔〖“‘(["


def _cjk_split_keeping_openers(frags: Any, max_widths: Any, calc_bounds: Any, encoding: str = "utf8") -> Any:
    """ReportLab 4's ``cjkFragSplit`` (the dumb CJK line breaker), with one rule added: 行尾禁则."""
    rl = _paragraph
    chars: list[Any] = []
    for frag in frags:
        text = frag.text.decode(encoding) if isinstance(frag.text, bytes) else frag.text
        chars.extend([rl.cjkU(t, frag, encoding) for t in text] if text else [rl.cjkU(text, frag, encoding)])
    lines = []
    i = start = 0
    used = 0.0
    max_width = max_widths[0]
    while i < len(chars):
        char = chars[i]
        i += 1
        width = char.width
        if hasattr(width, "normalizedValue"):
            width._normalizer = max_width  # noqa: SLF001 - as ReportLab does
            width = width.normalizedValue(max_width)
        used += width
        line_break = hasattr(char.frag, "lineBreak")
        if (used > max_width + rl._FUZZ and used > 0) or line_break:  # noqa: SLF001
            extra = max_width - used
            if not line_break:
                if ord(char) < 0x3000:
                    # Inside a run of Latin text: break at its last space or where the CJK text resumes.
                    limit = (start + i) >> 1
                    for j in range(i - 1, limit, -1):
                        back = chars[j]
                        if (back and rl.category(back) == "Zs") or ord(back) >= 0x3000:
                            k = j + 1
                            if k < i:
                                j = k + 1
                                extra += sum(chars[x].width for x in range(j, i))
                                width = chars[k].width
                                char = chars[k]
                                i = j
                                break
                if char not in rl.ALL_CANNOT_START and i > start + 1:
                    i -= 1  # the character goes to the next line (a closing mark hangs instead)
                    extra += width
                if i - 1 > start + 1 and chars[i - 1] in CANNOT_END:
                    i -= 1  # an opening bracket goes with what it opens
                    extra += chars[i].width
                elif i - 2 > start + 1 and chars[i - 1] == "·":
                    i -= 2  # never break a name at its 间隔号 (nor start a line with it): "丽·买买提"
                    extra += chars[i].width + chars[i + 1].width
            lines.append(rl.makeCJKParaLine(chars[start:i], max_width, used, extra, line_break, calc_bounds))
            max_width = max_widths[len(lines)] if len(lines) < len(max_widths) else max_widths[-1]
            start = i
            used = 0
    if used > 0:
        lines.append(rl.makeCJKParaLine(chars[start:], max_width, used, max_width - used, False, calc_bounds))
    return rl.ParaLines(kind=1, lines=lines)


def _word_split_keeping_openers(
    word: str, max_widths: Any, font_name: str, font_size: float, encoding: str = "utf8"
) -> list[tuple[float, str]]:
    """The one-font case of a CJK paragraph (ReportLab's ``wordSplit``) through the same splitter."""
    frag = ParaFrag(text=word, fontName=font_name, fontSize=font_size)
    lines = _cjk_split_keeping_openers([frag], max_widths, False, encoding).lines
    return [(line.extraSpace, "".join(w.text for w in line.words)) for line in lines]


_paragraph.cjkFragSplit = _cjk_split_keeping_openers
_paragraph.wordSplit = _word_split_keeping_openers
CREATOR = "一门式社区事务受理台 (Yimen)"
#: The version mark at the foot of every page (:func:`version_mark`): the program's short name, and its size.
MARK_NAME = "一门式受理台"
MARK_PT = 6

# GB/T 9704 margins (documents.md §1).
A4_MARGINS = (37 * mm, 26 * mm, 35 * mm, 28 * mm)  # top, right, bottom, left
THERMAL_WIDTH = 80 * mm
THERMAL_MARGIN = 4 * mm  # 72 mm of text: the printable width of common 80 mm heads

TITLE_PT = 22  # 二号
NOTICE_BODY_PT = 14  # 四号: GB/T 9704's 三号 (16 pt) would push a notice of several materials onto a second page
SMALL4_PT = 12  # 小四
FIVE_PT = 10.5  # 五号
INK = colors.black
GREY = colors.Color(0.35, 0.35, 0.35)
RULE = colors.Color(0.2, 0.2, 0.2)
LABEL_SHADE = colors.Color(0.95, 0.95, 0.95)


def local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(SHANGHAI)


def date_text(day: dt.date) -> str:
    """GB/T 9704 date: full year, no padding (2025年5月8日)."""
    return f"{day.year}年{day.month}月{day.day}日"


def datetime_text(moment: dt.datetime) -> str:
    at = local(moment)
    return f"{date_text(at.date())} {at:%H:%M}"


@dataclass(frozen=True)
class Styles:
    """Paragraph styles of one document family, built on the registered faces."""

    fonts: FontSet
    title: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    body_indent: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    right: ParagraphStyle
    center: ParagraphStyle
    org: ParagraphStyle

    def p(self, text: str, style: ParagraphStyle | None = None) -> Paragraph:
        """A paragraph of plain text (escaped; rare characters in the fallback face)."""
        style = style or self.body
        return Paragraph(fnt.markup(text, self.fonts, style.fontName), style)

    def rich(self, parts: Sequence[tuple[str, bool]], style: ParagraphStyle | None = None) -> Paragraph:
        """A paragraph of (text, bold) parts."""
        style = style or self.body
        out = []
        for text, bold in parts:
            if bold:
                out.append(fnt.markup(text, self.fonts, fnt.BOLD).join((f'<font name="{fnt.BOLD}">', "</font>")))
            else:
                out.append(fnt.markup(text, self.fonts, style.fontName))
        return Paragraph("".join(out), style)

    def kept(self, parts: Sequence[tuple[str, bool]], width: float, style: ParagraphStyle | None = None) -> Paragraph:
        """A paragraph of (text, bold) parts none of which is broken across lines where it fits on one.

        The CJK line breaker breaks between any two characters: a name could end a line at its 间隔号
        ("阿依古丽·" / "买买提") or an ID number leave its label behind.  Each part starts a new line when it
        would not fit the rest of the current one; a part longer than a whole line follows on the same line and
        wraps inside itself (a label is never left alone above its value).
        """
        style = style or self.body
        size = style.fontSize
        out: list[str] = []
        used = 0.0
        for text, bold in parts:
            wide = fnt.string_width(text, self.fonts, size, fnt.BOLD if bold else fnt.REGULAR)
            if used > 0 and used + wide > width * 0.98 and wide <= width * 0.98:
                out.append("<br/>")
                used = 0.0
            if bold:
                out.append(fnt.markup(text, self.fonts, fnt.BOLD).join((f'<font name="{fnt.BOLD}">', "</font>")))
            else:
                out.append(fnt.markup(text, self.fonts, style.fontName))
            used = (used + wide) % width if wide < width else wide % width
        return Paragraph("".join(out), style)


def make_styles(fonts: FontSet, *, body_pt: float, title_pt: float = TITLE_PT) -> Styles:
    leading = round(body_pt * 1.55, 1)

    def style(name: str, size: float, *, bold: bool = False, align: int = TA_LEFT, **extra: Any) -> ParagraphStyle:
        return ParagraphStyle(
            name,
            fontName=fnt.BOLD if bold else fnt.REGULAR,
            fontSize=size,
            leading=extra.pop("leading", round(size * 1.55, 1)),
            alignment=align,
            wordWrap="CJK",
            textColor=extra.pop("textColor", INK),
            **extra,
        )

    return Styles(
        fonts=fonts,
        title=style("title", title_pt, bold=True, align=TA_CENTER, leading=title_pt * 1.4, spaceAfter=title_pt * 0.5),
        heading=style("heading", body_pt, bold=True, spaceBefore=body_pt * 0.6, spaceAfter=body_pt * 0.2),
        body=style("body", body_pt, leading=leading),
        body_indent=style("body_indent", body_pt, leading=leading, firstLineIndent=body_pt * 2),
        small=style("small", max(body_pt - 2, 7.5), textColor=GREY),
        cell=style("cell", max(body_pt - 1.5, 7.5), leading=max(body_pt - 1.5, 7.5) * 1.35),
        cell_bold=style("cell_bold", max(body_pt - 1.5, 7.5), bold=True, leading=max(body_pt - 1.5, 7.5) * 1.35),
        right=style("right", body_pt, align=TA_RIGHT, leading=leading),
        center=style("center", body_pt, align=TA_CENTER, leading=leading),
        org=style("org", body_pt + 2, bold=True, align=TA_CENTER, leading=(body_pt + 2) * 1.4),
    )


# ------------------------------------------------------------------------------------------------ flowables


class QrCode(Flowable):
    """A QR code (error correction M) of ``text``, ``size`` points square including the 4-module quiet zone.

    ZXing's C++ encoder makes the symbol (mask chosen by the standard's penalty rules); the dark modules are drawn
    as one filled path of row runs.  ReportLab's own QR widget encodes in Python, twice, and builds a Rect shape per
    module: most of a receipt's render time (docs/performance.md).
    """

    def __init__(self, text: str, size: float) -> None:
        super().__init__()
        self.text, self.size = text, size
        symbol = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
        image = memoryview(symbol.to_image(scale=1, add_quiet_zones=False))  # type: ignore[arg-type]
        rows, columns = image.shape or (0, 0)
        pixels = image.tobytes()
        # 0 is a dark module.
        self.matrix = [[pixels[r * columns + c] == 0 for c in range(columns)] for r in range(rows)]
        self.width = self.height = size

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        count = len(self.matrix) + 8  # the quiet zone: 4 modules each side
        unit = self.size / count
        path = self.canv.beginPath()
        for row, line in enumerate(self.matrix):
            y = self.size - (row + 5) * unit
            column = 0
            while column < len(line):
                if line[column]:
                    start = column
                    while column < len(line) and line[column]:
                        column += 1
                    path.rect((start + 4) * unit, y, (column - start) * unit, unit)
                else:
                    column += 1
        self.canv.saveState()
        self.canv.setFillColor(INK)
        self.canv.drawPath(path, stroke=0, fill=1)
        self.canv.restoreState()


def qr_drawing(text: str, size: float) -> QrCode:
    return QrCode(text, size)


@functools.lru_cache(maxsize=4)
def seal_reader(png: bytes) -> ImageReader:
    """The seal image decoded once (ImageReader keeps its pixel data): every receipt draws the same seal."""
    return ImageReader(io.BytesIO(png))


class SealBlock(Flowable):
    """署名 (the centre) over the date, four characters in from the right, the seal image pressing on both.

    Without a seal image a "（盖章处）" box stands where the seal goes (an image is not an electronic seal: GB/T
    38540 is later work, documents.md §4).
    """

    def __init__(
        self,
        styles: Styles,
        org: str,
        day: dt.date,
        seal_png: bytes | None,
        *,
        size_pt: float,
        left: Sequence[str] = (),
    ) -> None:
        """``left``: lines drawn small at the left, clear of the seal (the receipt's 签收 and 签收时间)."""
        super().__init__()
        self.styles, self.org, self.day, self.seal_png, self.size_pt = styles, org, day, seal_png, size_pt
        self.left = tuple(left)
        self.seal_size = 42 * mm if size_pt >= 14 else 36 * mm

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        # The seal may reach up over the last line of text (GB/T 9704: its top within one line of the text).
        self.height = max(self.seal_size * 0.72, self.size_pt * 4.2)
        return self.width, self.height

    def draw(self) -> None:
        canv, fonts, size = self.canv, self.styles.fonts, self.size_pt
        date = date_text(self.day)
        org_w = fnt.string_width(self.org, fonts, size)
        date_w = fnt.string_width(date, fonts, size)
        right = self.width - 4 * size  # four characters in from the right
        block_w = max(org_w, date_w)
        center_x = right - block_w / 2
        org_y = self.height / 2 + size * 0.2
        date_y = org_y - size * 1.7
        seal = self.seal_size
        # The seal's centre a little above the two lines, pressing on both (GB/T 9704 §7.3.5.1).
        sx, sy = center_x - seal / 2, (org_y + date_y) / 2 - seal / 2 + size * 0.35
        if self.seal_png is not None:
            canv.drawImage(seal_reader(self.seal_png), sx, sy, seal, seal, mask="auto")
        else:
            canv.saveState()
            canv.setStrokeColor(GREY)
            canv.setDash(3, 2)
            box = seal * 0.8
            canv.rect(center_x - box / 2, sy + (seal - box) / 2, box, box)
            canv.restoreState()
            label = "（盖章处）"
            draw_text(canv, center_x - fnt.string_width(label, fonts, 9) / 2, sy + seal - 12, label, fonts, 9, GREY)
        # The text over the seal, so the 署名 and the date stay legible where the red ink presses on them.
        draw_text(canv, center_x - org_w / 2, org_y, self.org, fonts, size)
        draw_text(canv, center_x - date_w / 2, date_y, date, fonts, size)
        small = FIVE_PT
        for index, line in enumerate(self.left):
            draw_text(canv, 0, date_y - index * small * 1.9, line, fonts, small)


def draw_line_seal(canv: Canvas, cx: float, cy: float, diameter: float, org: str, fonts: FontSet) -> None:
    """A seal drawn in black lines for thermal paper: a ring, a five-pointed star outline in the middle, the
    organisation's name along the upper arc.  A red seal image prints as a black blot on a thermal head."""
    radius = diameter / 2
    canv.saveState()
    canv.setStrokeColor(INK)
    canv.setFillColor(INK)
    canv.setLineWidth(max(diameter / 60, 1.0))
    canv.circle(cx, cy, radius - canv._lineWidth / 2, stroke=1, fill=0)  # noqa: SLF001 - the width just set
    star = radius * 0.3
    points = []
    for k in range(10):
        r = star if k % 2 == 0 else star * 0.382
        angle = math.pi / 2 + k * math.pi / 5
        points.append((cx + r * math.cos(angle), cy + r * math.sin(angle)))
    path = canv.beginPath()
    path.moveTo(*points[0])
    for point in points[1:]:
        path.lineTo(*point)
    path.close()
    canv.setLineWidth(max(diameter / 90, 0.7))
    canv.drawPath(path, stroke=1, fill=0)
    # The name clockwise along the arc from lower left over the top to lower right (as on an official seal).
    chars = list(org)
    if chars:
        size = min(radius * 0.26, (2 * math.pi * radius * 0.62) / max(len(chars), 1) * 0.95)
        text_r = radius - size * 1.15
        span = min(math.radians(250), len(chars) * size * 1.05 / text_r)
        start = math.pi / 2 + span / 2
        step = span / max(len(chars) - 1, 1)
        for index, char in enumerate(chars):
            angle = start - index * step
            canv.saveState()
            canv.translate(cx + text_r * math.cos(angle), cy + text_r * math.sin(angle))
            canv.rotate(math.degrees(angle) - 90)
            width = fnt.string_width(char, fonts, size)
            draw_text(canv, -width / 2, -size * 0.35, char, fonts, size)
            canv.restoreState()
    canv.restoreState()


class ThermalSealBlock(Flowable):
    """The seal of an 80 mm receipt, clear of every text: the seal (black line-art, or the 盖章处 box) centred on
    its own, the 署名 and the date centred below it.  Nothing prints over anything: a thermal head has one ink."""

    def __init__(self, styles: Styles, org: str, day: dt.date, *, line_seal: bool, size_pt: float) -> None:
        super().__init__()
        self.styles, self.org, self.day, self.line_seal, self.size_pt = styles, org, day, line_seal, size_pt
        self.seal_size = 30 * mm

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self.height = self.seal_size + 2 * mm + self.size_pt * 1.5 * 2
        return self.width, self.height

    def draw(self) -> None:
        canv, fonts, size = self.canv, self.styles.fonts, self.size_pt
        cx = self.width / 2
        seal_bottom = self.height - self.seal_size
        if self.line_seal:
            draw_line_seal(canv, cx, seal_bottom + self.seal_size / 2, self.seal_size, self.org, fonts)
        else:
            canv.saveState()
            canv.setStrokeColor(INK)
            canv.setDash(3, 2)
            box = self.seal_size * 0.8
            canv.rect(cx - box / 2, seal_bottom + (self.seal_size - box) / 2, box, box)
            canv.restoreState()
            label = "（盖章处）"
            label_w = fnt.string_width(label, fonts, size)
            draw_text(canv, cx - label_w / 2, seal_bottom + self.seal_size / 2 - size * 0.35, label, fonts, size)
        date = date_text(self.day)
        y = seal_bottom - 2 * mm - size
        draw_text(canv, cx - fnt.string_width(self.org, fonts, size) / 2, y, self.org, fonts, size)
        draw_text(canv, cx - fnt.string_width(date, fonts, size) / 2, y - size * 1.5, date, fonts, size)


class Rule(Flowable):
    """A horizontal rule across the text width."""

    def __init__(self, thickness: float = 0.8, space: float = 4) -> None:
        super().__init__()
        self.thickness, self.space = thickness, space

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, self.thickness + 2 * self.space

    def draw(self) -> None:
        self.canv.setLineWidth(self.thickness)
        self.canv.setStrokeColor(RULE)
        y = self.space + self.thickness / 2
        self.canv.line(0, y, self.width, y)


def draw_text(
    canv: Canvas, x: float, y: float, text: str, fonts: FontSet, size: float, color: Any = INK, face: str = fnt.REGULAR
) -> float:
    """Draw one line of text in runs at (x, y); returns the x after it."""
    canv.saveState()
    canv.setFillColor(color)
    for run_face, chunk in fnt.runs(text, fonts, face):
        canv.setFont(run_face, size)
        canv.drawString(x, y, chunk)
        x += canv.stringWidth(chunk, run_face, size)
    canv.restoreState()
    return x


def columns(width: float, millimetres: Sequence[float | None]) -> list[float]:
    """Column widths in points: the given ones in mm, the one ``None`` column takes what is left of ``width``."""
    fixed = sum(m for m in millimetres if m is not None) * mm
    return [width - fixed if m is None else m * mm for m in millimetres]


def grid(
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    *,
    header: bool = False,
    lines: bool = True,
    label_columns: Sequence[int] = (),
    repeat_header: bool = True,
    pad: float = 3,
) -> Table:
    """A table of flowables; ``label_columns`` get a light background (label/value forms)."""
    table = Table([list(r) for r in rows], colWidths=list(widths), repeatRows=1 if header and repeat_header else 0)
    commands: list[tuple[Any, ...]] = [
        # Plain-string cells (empty ones too) would otherwise be set in Helvetica, which is not embedded.
        ("FONTNAME", (0, 0), (-1, -1), fnt.REGULAR),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), pad),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        ("TOPPADDING", (0, 0), (-1, -1), pad * 0.7),
        ("BOTTOMPADDING", (0, 0), (-1, -1), pad * 0.9),
    ]
    if lines:
        commands.append(("GRID", (0, 0), (-1, -1), 0.5, RULE))
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9)))
    for column in label_columns:
        commands.append(("BACKGROUND", (column, 0), (column, -1), LABEL_SHADE))
    table.setStyle(TableStyle(commands))
    return table


# ------------------------------------------------------------------------------------------------ building


@dataclass(frozen=True)
class Meta:
    title: str
    author: str
    subject: str
    created: dt.datetime  # the decision time: the same record always gives the same bytes
    keywords: str = ""


def _stamped_canvas(created: dt.datetime) -> Callable[..., Canvas]:
    at = local(created)
    offset = at.utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)

    def make(*args: Any, **kwargs: Any) -> Canvas:
        canv = Canvas(*args, **kwargs)
        # ReportLab's invariant mode fixes every date to 2000-01-01; the creation date is the decision's instead.
        canv._doc._timeStamp = SimpleNamespace(  # noqa: SLF001 - no public API sets the document date
            t=created.timestamp(),
            lt=at.timetuple(),
            YMDhms=tuple(at.timetuple())[:6],
            dhh=minutes // 60,
            dmm=minutes % 60,
            tzname="CST",
        )
        return canv

    return make


def version_mark() -> str:
    """The program and its version, small at the foot of every page: which build printed a paper."""
    return f"{MARK_NAME} {version()}"


def _with_version_mark(
    on_page: Callable[[Canvas, Any], None] | None, pagesize: tuple[float, float], right: float
) -> Callable[[Canvas, Any], None]:
    """``on_page``, then :func:`version_mark` at the page's foot, right-aligned to the text: 6 pt, its baseline 6 mm
    above the paper's edge (inside a laser printer's unprintable band of about 4.2 mm, clear of the receipt's foot
    lines, the page numbers, the 补打 label of a roll and the roll's last line); grey on A4, black on the roll (one
    ink, documents.md §3)."""
    text = version_mark()
    color = INK if pagesize[0] < 100 * mm else GREY

    def draw(canv: Canvas, doc: Any) -> None:
        if on_page is not None:
            on_page(canv, doc)
        canv.saveState()
        canv.setFillColor(color)
        canv.setFont(fnt.REGULAR, MARK_PT)
        canv.drawRightString(pagesize[0] - right, 6 * mm, text)
        canv.restoreState()

    return draw


def build(
    flowables: list[Flowable],
    meta: Meta,
    *,
    pagesize: tuple[float, float] = A4,
    margins: tuple[float, float, float, float] = A4_MARGINS,
    on_page: Callable[[Canvas, Any], None] | None = None,
) -> tuple[bytes, int]:
    """Lay out ``flowables`` and return the PDF bytes and the page count.  Every page carries
    :func:`version_mark` at its foot after what ``on_page`` draws."""
    top, right, bottom, left = margins
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=left,
        rightMargin=right,
        topMargin=top,
        bottomMargin=bottom,
        title=meta.title,
        author=meta.author,
        subject=meta.subject,
        keywords=meta.keywords,
        creator=CREATOR,
        producer=CREATOR,
        invariant=1,
        lang="zh-CN",
        initialFontName=fnt.REGULAR,
        initialFontSize=10,
    )
    frame = Frame(left, bottom, pagesize[0] - left - right, pagesize[1] - top - bottom, 0, 0, 0, 0, id="text")
    doc.addPageTemplates([PageTemplate("page", [frame], onPage=_with_version_mark(on_page, pagesize, right))])
    doc.build(flowables, canvasmaker=_stamped_canvas(meta.created))
    return buffer.getvalue(), doc.page


def page_numbers(
    fonts: FontSet, margins: tuple[float, float, float, float] = A4_MARGINS
) -> Callable[[Canvas, Any], None]:
    """GB/T 9704 §7.5 page numbers: "— N —", 4号 (14 pt) half-width, 7 mm below the text area, odd pages on the
    right and even pages on the left, one character in.  Only drawn when the document has more than one page."""

    def draw(canv: Canvas, doc: Any) -> None:
        number = canv.getPageNumber()
        text = f"— {number} —"
        size = 14
        y = max(margins[2] - 7 * mm - size, 4 * mm)
        width = fnt.string_width(text, fonts, size)
        if number % 2:
            x = A4[0] - margins[1] - size - width
        else:
            x = margins[3] + size
        draw_text(canv, x, y, text, fonts, size)

    return draw


def measure(flowables: Sequence[Flowable], width: float) -> float:
    """Total height of ``flowables`` laid out in one column of ``width`` (for the continuous 80 mm roll)."""
    total = 0.0
    for flowable in flowables:
        _, height = flowable.wrapOn(_MEASURE_CANVAS, width, 10**6)
        total += height + flowable.getSpaceBefore() + flowable.getSpaceAfter()
    return total


_MEASURE_CANVAS = Canvas(io.BytesIO())


def spacer(height_mm: float) -> Spacer:
    return Spacer(1, height_mm * mm)


__all__ = [
    "A4",
    "A4_MARGINS",
    "FIVE_PT",
    "Meta",
    "NOTICE_BODY_PT",
    "SMALL4_PT",
    "THERMAL_MARGIN",
    "THERMAL_WIDTH",
    "TA_CENTER",
    "TA_RIGHT",
    "Rule",
    "SealBlock",
    "Styles",
    "ThermalSealBlock",
    "draw_line_seal",
    "build",
    "date_text",
    "datetime_text",
    "draw_text",
    "grid",
    "make_styles",
    "measure",
    "mm",
    "page_numbers",
    "qr_drawing",
    "spacer",
]
