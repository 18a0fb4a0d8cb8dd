"""Evidence: every document kind of every shipped item, as each item allows, read back and searched for what must
never reach a citizen: doubled brackets, the old † mark, sample placeholders ("示例"), the catalog authors' marks
("待确认", "【本地暂定"), a label with nothing after it; and the forms' counter block kept on one page.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Any

import pytest

from app.catalog.loader import load_catalog_dir
from app.catalog.schema import Kind
from app.documents import render as renderer
from app.documents.fonts import load_fonts
from app.documents.forms import render_blank_form
from app.documents.model import DocumentKind, DocumentSettings, Paper, documents_for
from app.intake.model import Decision
from app.resources import resource_path
from tests import pdfkit

SHIPPED = load_catalog_dir(resource_path("catalog", "items")).items
DECIDED = sorted(code for code, loaded in SHIPPED.items() if loaded.item.kind is not Kind.CONSULTATION)
NEVER = ("（（", "））", "†", "示例", "待确认", "【本地暂定", "规定的规定")
# A line may end with a colon where a list, a link or a handwritten signature follows.
OPEN_ENDINGS = ("如下：", "下：", "访问：", "签收：", "（签名）：")


def problems(pdf: bytes, addressee: str = "") -> list[str]:
    """What must not be on paper; ``addressee``: the notice's 主送 line ("阿依古丽·买买提：") is not a label."""
    found = [f"“{word}” on paper" for word in NEVER if word in pdfkit.flat(pdf)]
    for line in pdfkit.text(pdf, layout=True).splitlines():
        for cell in re.split(r"\s{2,}", line.strip()):
            if cell == f"{addressee}：":
                continue
            if cell.endswith(("：", ":")) and not cell.endswith(OPEN_ENDINGS):
                found.append(f"an empty label “{cell}”")
            if cell.endswith(("（", "(", "《", "“")):
                found.append(f"a line broken after an opening bracket “{cell}”")
    return found


def window_block_on_one_page(pdf: bytes) -> bool:
    pages = pdfkit.pages_text(pdf)
    page = next(p for p in pages if "以下由受理窗口填写" in p)
    after = "".join(page.split("以下由受理窗口填写", 1)[1].split())
    return "收件日期" in after and "受理窗口" in after and ("经办人" in after)


@pytest.mark.slow
@pytest.mark.parametrize(
    "code",
    DECIDED,
)
def test_every_document_of_every_item_is_clean(services: Any, decide: Any, code: str) -> None:
    settings: DocumentSettings = services.documents.settings
    roll = dataclasses.replace(settings, receipt_paper=Paper.THERMAL80)
    fonts = load_fonts()
    for decision in (Decision.ACCEPT, Decision.SUPPLEMENT, Decision.REFUSE):
        result = decide(code, decision)
        for kind in documents_for(result, first_decision=True):
            papers = [settings, roll] if kind is DocumentKind.RECEIPT else [settings]
            for paper in papers:
                pdf = renderer.render(kind, result, paper, fonts).pdf
                assert not problems(pdf, result.applicant.name), (
                    code,
                    decision.value,
                    kind.value,
                    paper.receipt_paper.value,
                )
                if kind is DocumentKind.FORM:
                    assert window_block_on_one_page(pdf), (code, decision.value)


@pytest.mark.parametrize("code", sorted(SHIPPED))
def test_every_blank_form_is_clean(services: Any, code: str) -> None:
    item = SHIPPED[code].item
    created = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    pdf = render_blank_form(item, services.documents.settings, load_fonts(), created=created).pdf
    assert not problems(pdf)
    assert window_block_on_one_page(pdf)
    text = pdfkit.flat(pdf)
    # No doubled qualifier, no unit twice, and the units of the catalog.
    for first in ("（如有）", "（可选）", "（如适用）"):
        for second in ("（如有）", "（可选）", "（如适用）"):
            assert first + second not in text
    for material in item.materials:
        assert f"{material.count}{material.unit.value}" in text


def test_a_long_form_keeps_its_counter_block_on_one_page(services: Any) -> None:
    """Every position of the block against a page end: more material rows push it down row by row."""
    item = SHIPPED["MZ-SHJZ-002"].item
    fonts = load_fonts()
    created = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    seen_split_candidates = 0
    for extra in range(0, 60, 3):
        materials = item.materials + tuple(
            m.model_copy(update={"key": f"{m.key}_{i}"}) for i in range(extra) for m in item.materials[:1]
        )
        variant = item.model_copy(update={"materials": materials})
        pdf = render_blank_form(variant, services.documents.settings, fonts, created=created).pdf
        assert window_block_on_one_page(pdf), extra
        pages = pdfkit.pages_text(pdf)
        if len(pages) > 1:
            seen_split_candidates += 1
    assert seen_split_candidates  # the block met a page end somewhere in the range


@pytest.mark.slow
def test_every_page_of_the_gallery_is_clean(services: Any, clerk: Any) -> None:
    """What docs/documents/ shows, drawn as ``make documents`` draws it: beyond the three decisions above, the
    先行救助 and 容缺受理 receipts where an item declares them, the 补打 copy and the 答复单 go through the same
    check."""
    from app.documents.gallery import samples

    drawn = list(samples(services, clerk))
    stems = {sample.stem for sample in drawn}
    assert {"receipt-first-aid", "receipt-reprint", "answer-slip", "receipt-80mm"} <= stems
    for sample in drawn:
        assert not problems(sample.pdf, "阿依古丽·买买提"), (sample.item, sample.stem)
