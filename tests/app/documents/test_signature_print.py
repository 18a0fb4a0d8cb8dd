"""The signature from the counter's pad prints on the receipt's 签收 line (A4 and the 80 mm roll) and on the
form's signature lines, scaled into the box; without one, the blank line for a pen (issue 17).  Read back with
poppler: the words' boxes from pdftotext, the ink from pdftoppm."""

from __future__ import annotations

import dataclasses
from typing import Any

from app.demo import sample_draft, sample_ticks
from app.documents import render as renderer
from app.documents.fonts import load_fonts
from app.documents.model import DocumentKind, Paper
from app.intake.model import Decision, DecisionInput, DecisionResult
from tests import pdfkit
from tests.app.test_signatures import capture

DPI = 150


def ink_above(pdf: bytes, label: str, *, width_pt: float = 60, height_pt: float = 12) -> int:
    """Dark pixels in the box right of where ``label`` ends (its underscores excluded) and above its line, where a
    signature stands on the line: none when the line is blank."""
    word = next(w for w in pdfkit.words(pdf) if label in w.text)
    # Where the label ends in the word: full-width characters are twice as wide as the underscores after it.
    ems = [0.5 if ord(c) < 0x80 else 1.0 for c in word.text]
    end = word.text.index(label) + len(label)
    start = word.x_min + (word.x_max - word.x_min) * sum(ems[:end]) / sum(ems)
    image = pdfkit.page_image(pdf, dpi=DPI).convert("L")
    scale = DPI / 72
    top = word.y_min
    box = (int(start * scale), int((top - height_pt) * scale), int((start + width_pt) * scale), int((top - 1) * scale))
    return sum(1 for value in image.crop(box).tobytes() if value < 128)


def _decide(
    services: Any, clerk: Any, code: str, *signatures: Any, decision: DecisionInput | None = None
) -> DecisionResult:
    decision = decision or DecisionInput(Decision.ACCEPT)
    item = services.catalog.entry(code).item
    draft = sample_draft(item, today=services.intake.clock().date())
    draft.materials = sample_ticks(services.intake.check(draft).materials, decision.decision)
    draft.signatures = signatures
    return services.intake.decide(draft, decision, clerk)


def test_the_receipt_prints_the_signature_on_its_sign_off_line_and_a_blank_line_without_one(
    services: Any, clerk: Any
) -> None:
    settings, fonts = services.documents.settings, load_fonts()
    signed = _decide(services, clerk, "MZ-SHJZ-002", capture())
    unsigned = dataclasses.replace(signed, signatures=())
    label = "签收："
    with_signature = renderer.render(DocumentKind.RECEIPT, signed, settings, fonts).pdf
    without = renderer.render(DocumentKind.RECEIPT, unsigned, settings, fonts).pdf
    assert ink_above(without, label) == 0
    assert ink_above(with_signature, label) > 60
    assert "申请人（或代理人）签收：" in pdfkit.text(with_signature)
    # The 80 mm roll: under its 签收 line.
    roll = dataclasses.replace(settings, receipt_paper=Paper.THERMAL80)
    thermal = renderer.render(DocumentKind.RECEIPT, signed, roll, fonts).pdf
    plain = renderer.render(DocumentKind.RECEIPT, unsigned, roll, fonts).pdf
    assert pdfkit.images(plain) == 0 and pdfkit.images(thermal) >= 1


def test_the_form_prints_each_signer_on_its_own_line(services: Any, clerk: Any) -> None:
    settings, fonts = services.documents.settings, load_fonts()
    # The marriage pre-check asks both parties to sign (catalog: signatures: [applicant, spouse]).
    result = _decide(services, clerk, "MZ-HY-001", capture("applicant", 0, 0), capture("spouse", 60, 1))
    form = renderer.render(DocumentKind.FORM, result, settings, fonts).pdf
    first, second = (w.text for w in pdfkit.words(form) if "（签名）：" in w.text)
    assert first.startswith("当事人一方") and second.startswith("当事人另一方")
    signed = [ink_above(form, first), ink_above(form, second)]
    assert min(signed) > 20, signed
    # The spouse has not signed (no pad at hand): that line is the blank one for a pen.
    only_first = dataclasses.replace(result, signatures=result.signatures[:1])
    half = renderer.render(DocumentKind.FORM, only_first, settings, fonts).pdf
    assert ink_above(half, first) > 20
    assert "当事人另一方（签名）：____" in pdfkit.text(half)
    assert pdfkit.images(half) * 2 == pdfkit.images(form) > 0  # one signature drawn instead of two


def test_a_signature_given_before_a_correction_is_not_printed_on_the_documents_after_it(
    services: Any, clerk: Any
) -> None:
    result = _decide(services, clerk, "MZ-SHJZ-002", capture())
    stale = dataclasses.replace(result, signatures=(dataclasses.replace(result.signatures[0], predates_change=True),))
    pdf = renderer.render(DocumentKind.RECEIPT, stale, services.documents.settings, load_fonts()).pdf
    assert ink_above(pdf, "签收：") == 0


def test_the_notices_print_the_signature_on_their_sign_off_line_beside_the_time(services: Any, clerk: Any) -> None:
    """The applicant signs the 补正告知书 and the 不予受理通知书 for receipt (documents.md §2): the pad's signature
    stands over the blank of the notice's 签收 line, the 签收时间 on the same line; without one, the blank."""
    settings, fonts = services.documents.settings, load_fonts()
    label = "签收："
    for kind, decision in (
        (DocumentKind.SUPPLEMENT_NOTICE, DecisionInput(Decision.SUPPLEMENT)),
        (DocumentKind.REFUSAL_NOTICE, DecisionInput(Decision.REFUSE, "不符合申请条件。", ground="not_eligible")),
    ):
        signed = _decide(services, clerk, "MZ-SHJZ-002", capture(), decision=decision)
        assert [v.signer for v in signed.signatures] == ["applicant"]
        with_signature = renderer.render(kind, signed, settings, fonts).pdf
        without = renderer.render(kind, dataclasses.replace(signed, signatures=()), settings, fonts).pdf
        assert ink_above(without, label) == 0, kind
        assert ink_above(with_signature, label) > 40, kind
        assert pdfkit.images(with_signature) > pdfkit.images(without)  # the signature (and its alpha mask)
        words = pdfkit.words(with_signature)
        sign = next(w for w in words if w.text.startswith("申请人（或代理人）签收："))
        when = next(w for w in words if w.text.startswith("签收时间"))
        assert abs(sign.y_max - when.y_max) < 3  # one line: the time beside the signature
        assert sign.x_max < when.x_min  # and clear of it
        assert len(pdfkit.pages_text(with_signature)) == len(pdfkit.pages_text(without)) == 1
