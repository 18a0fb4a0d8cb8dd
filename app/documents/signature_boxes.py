"""The citizens' signatures on the documents (issue 17): the 签收 line of the receipt and of the notices, and the
form's signature lines.

A signature taken on the counter's pad (app/signatures.py) prints scaled into its box, its proportions kept, on the
line where a pen would sign; the line itself stays, so a case without a signature prints the blank line for a pen,
as before.  A signature taken before a later 更正 does not print on the documents drawn after it (it was given for
other content; :attr:`app.signatures.SignatureView.predates_change`): their line is blank for the pen.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable

from app.documents import layout as lay
from app.documents.fonts import FontSet, string_width
from app.intake.model import DecisionResult

#: The box a signature is scaled into on A4 (width, height) and on the 80 mm roll.
A4_BOX = (38 * lay.mm, 11 * lay.mm)
THERMAL_BOX = (45 * lay.mm, 13 * lay.mm)


def printable(result: DecisionResult, signers: Sequence[str], party_position: int | None = None) -> bytes | None:
    """The PNG of the first of ``signers`` who signed for the content this document shows (the party at
    ``party_position`` when given), or None: the line stays blank for a pen."""
    for signer in signers:
        for view in result.signatures:
            if view.signer != signer or view.superseded or view.predates_change or view.png is None:
                continue
            if party_position is not None and view.party_position not in (None, party_position):
                continue
            return view.png
    return None


def draw_in_box(canv: Any, png: bytes, x: float, y: float, width: float, height: float) -> None:
    """Draw ``png`` scaled into the box at (x, y) (bottom left), its proportions kept, standing on the box's
    bottom and starting at its left (a signature sits on its line)."""
    reader = ImageReader(io.BytesIO(png))
    w, h = reader.getSize()
    scale = min(width / w, height / h)
    canv.drawImage(reader, x, y, w * scale, h * scale, mask="auto")


class SignatureBox(Flowable):  # type: ignore[misc]  # ReportLab ships no types
    """A signature alone, scaled into its box (the 80 mm receipt: under its 签收 line)."""

    def __init__(self, png: bytes, box: tuple[float, float]) -> None:
        super().__init__()
        self.png, self.box = png, box

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = min(self.box[0], avail_width)
        self.height = self.box[1]
        return self.width, self.height

    def draw(self) -> None:
        draw_in_box(self.canv, self.png, 0, 0, self.width, self.height)


class SignedLine(Flowable):  # type: ignore[misc]  # ReportLab ships no types
    """One signature line: ``before`` (e.g. "申请人（签名）："), the signature scaled into a box over the line where
    the pen would sign, then ``after`` (the date)."""

    def __init__(
        self, before: str, png: bytes, after: str, fonts: FontSet, size: float, box: tuple[float, float] = A4_BOX
    ) -> None:
        super().__init__()
        self.before, self.png, self.after, self.fonts, self.size, self.box = before, png, after, fonts, size, box

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self.height = self.box[1] + self.size * 0.6
        # Narrower than the box where the texts leave less room (a notice's 签收 line shares its row with the time).
        texts = string_width(self.before, self.fonts, self.size)
        if self.after:
            texts += self.size + string_width(self.after, self.fonts, self.size)
        self.box_width = max(0.0, min(self.box[0], avail_width - texts))
        return self.width, self.height

    def draw(self) -> None:
        canv, size, box_width = self.canv, self.size, self.box_width
        baseline = size * 0.35
        x = lay.draw_text(canv, 0, baseline, self.before, self.fonts, size)
        canv.saveState()
        canv.setLineWidth(0.5)
        canv.line(x, baseline - 1.5, x + box_width, baseline - 1.5)
        canv.restoreState()
        draw_in_box(canv, self.png, x, baseline, box_width, self.box[1])
        if self.after:
            lay.draw_text(canv, x + box_width + size, baseline, self.after, self.fonts, size)


class SignedSealBlock(lay.SealBlock):
    """The receipt's seal block with the signature drawn over the blank of its "签收：________" line."""

    def __init__(self, *args: Any, signature: bytes | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.signature = signature

    def draw(self) -> None:
        super().draw()
        if self.signature is None or not self.left:
            return
        # Where SealBlock puts its first left line (the 签收 line): on the date's baseline, in 五号; the 署名 and the
        # date stand right of it, centred on one point four characters in from the right.
        fonts, size = self.styles.fonts, self.size_pt
        org_y = self.height / 2 + size * 0.2
        date_y = org_y - size * 1.7
        org_w, date_w = string_width(self.org, fonts, size), string_width(lay.date_text(self.day), fonts, size)
        center_x = self.width - 4 * size - max(org_w, date_w) / 2
        label = self.left[0].rstrip("_")
        x = string_width(label, fonts, lay.FIVE_PT)
        # Clear of the 署名 and the date: below the 署名's line, and no wider than the room left of the date.
        room = center_x - date_w / 2 - x - 4
        width, height = min(A4_BOX[0], room), min(A4_BOX[1], org_y - date_y - size * 0.3 - 1)
        if width > 10 * lay.mm:
            draw_in_box(self.canv, self.signature, x, date_y - 1, width, height)
