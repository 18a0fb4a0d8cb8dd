"""What looking at every rendered page found (docs/documents/): a section heading left alone at a page's foot, a lone
label/value pair beside two empty cells, and an 80 mm receipt without its 承办部门 or with "已收取的材料（共 0 项）"."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from app.catalog.loader import load_catalog_dir
from app.catalog.schema import Kind
from app.documents import render as renderer
from app.documents.fonts import load_fonts
from app.documents.forms import _Form, form_title, render_blank_form
from app.documents.model import DocumentKind, Paper
from app.intake.model import Decision
from app.resources import resource_path
from tests import pdfkit

SHIPPED = load_catalog_dir(resource_path("catalog", "items")).items
HEADING = re.compile(r"^[一二三四五六七八九十]+、\S")
PAGE_NUMBER = re.compile(r"^—\s*\d+\s*—$")


def last_line(page: str) -> str:
    lines = [line.strip() for line in page.splitlines() if line.strip() and not PAGE_NUMBER.match(line.strip())]
    return lines[-1] if lines else ""


@pytest.mark.parametrize("code", sorted(SHIPPED))
def test_no_form_page_ends_with_a_section_heading(services: Any, decide: Any, code: str) -> None:
    item = SHIPPED[code].item
    fonts = load_fonts()
    created = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    forms = [render_blank_form(item, services.documents.settings, fonts, created=created).pdf]
    if item.kind is Kind.APPLICATION:
        forms.append(renderer.render(DocumentKind.FORM, decide(code), services.documents.settings, fonts).pdf)
    for pdf in forms:
        for number, page in enumerate(pdfkit.pages_text(pdf), 1):
            assert not HEADING.match(last_line(page)), (code, number, last_line(page))


def test_the_dibao_forms_would_leave_a_heading_alone_without_the_rule(services: Any, decide: Any) -> None:
    """The shipped case that showed it: 低保's blank form ended page 1 with "六、提交材料", its filled form with
    "五、申请人承诺" (the test above bites on these)."""
    pdf = render_blank_form(
        SHIPPED["MZ-SHJZ-001"].item, services.documents.settings, load_fonts(), created=dt.datetime(2026, 12, 1)
    ).pdf
    pages = pdfkit.pages_text(pdf)
    assert len(pages) == 2
    assert "六、提交材料" in pages[1] and "六、提交材料" not in pages[0]


def test_a_one_page_form_has_no_page_number(services: Any, decide: Any) -> None:
    pdf = renderer.render(DocumentKind.FORM, decide("CL-CJFW-002"), services.documents.settings, load_fonts()).pdf
    (page,) = pdfkit.pages_text(pdf)
    assert not any(PAGE_NUMBER.match(line.strip()) for line in page.splitlines())


def test_a_lone_pair_takes_the_whole_line(services: Any) -> None:
    form = _Form(SHIPPED["MZ-SHJZ-001"].item, None, services.documents.settings, load_fonts())
    form.pairs([("姓名", "张三", False), ("性别", "女", False), ("代签监护人", "", False)])
    grid = form.flow[-1]
    spans = [(tuple(start), tuple(end)) for _, start, end in grid._spanCmds]
    assert spans == [((1, 1), (3, 1))]  # the lone pair's value spans the line; the full line is not spanned


def test_the_80mm_receipt_names_the_department_and_says_nothing_kept_plainly(services: Any, decide: Any) -> None:
    result = decide("CL-CJFW-001", Decision.ACCEPT)
    assert not result.kept_materials  # its materials are originals checked and returned
    settings = dataclasses.replace(services.documents.settings, receipt_paper=Paper.THERMAL80)
    flat = pdfkit.flat(renderer.render(DocumentKind.RECEIPT, result, settings, load_fonts()).pdf)
    assert f"承办部门：{settings.department_name(result.department)}" in flat
    assert "已收取的材料（无）" in flat and "共 0 项" not in flat


@pytest.mark.slow
def test_the_gallery_draws_every_item_and_indexes_every_page(tmp_path: Path) -> None:
    from app.documents.gallery import render_gallery

    (tmp_path / "handover.png").write_bytes(b"another sample")  # not the gallery's: left alone
    written = render_gallery(tmp_path)
    assert (tmp_path / "handover.png").read_bytes() == b"another sample"
    index = (tmp_path / "index.md").read_text(encoding="utf-8")
    for code, loaded in SHIPPED.items():
        assert (tmp_path / code / "form-blank.png").is_file()
        if loaded.item.kind is Kind.APPLICATION:
            for stem in ("receipt-a4", "receipt-80mm", "form", "supplement-notice", "refusal-notice"):
                assert (tmp_path / code / f"{stem}.png").is_file(), (code, stem)
    assert (tmp_path / "MZ-SHJZ-002" / "receipt-first-aid.png").is_file()
    assert (tmp_path / "MZ-HY-001" / "precheck-notice.png").is_file()
    assert (tmp_path / "MZ-YLFW-004" / "answer-slip.png").is_file()
    pages = [p for p in written if p.suffix == ".png"]
    assert all(p.relative_to(tmp_path).as_posix() in index for p in pages)
    assert sum(p.stat().st_size for p in pages) < 15_000_000


def test_materials_of_the_applicant_name_the_role_as_the_item_does(services: Any, decide: Any) -> None:
    """定期抚恤金's applicant is the 遗属: the receipt said "申请人居民身份证（申请人）" under a party line 遗属."""
    result = decide("TY-YF-001")
    settings = services.documents.settings
    flat = pdfkit.flat(renderer.render(DocumentKind.RECEIPT, result, settings, load_fonts()).pdf)
    assert "居民身份证（遗属）" in flat and "（申请人）" not in flat
    blank = render_blank_form(SHIPPED["TY-YF-001"].item, settings, load_fonts(), created=dt.datetime(2026, 12, 1))
    rows = [line for line in pdfkit.text(blank.pdf, layout=True).splitlines() if "申请人居民身份证" in line]
    assert rows and all("遗属" in row.split("居民身份证", 1)[1] for row in rows)


def test_an_item_without_materials_prints_no_empty_materials_table(services: Any) -> None:
    item = SHIPPED["MZ-BZ-002"].item  # a consultation: nothing to bring
    assert not item.materials
    pdf = render_blank_form(item, services.documents.settings, load_fonts(), created=dt.datetime(2026, 12, 1)).pdf
    text = pdfkit.flat(pdf)
    assert "提交材料" not in text and "形式与数量" not in text
    assert "承诺" in text  # the rest of the form is still there


def test_a_section_heading_does_not_push_a_whole_table_to_the_next_page(services: Any) -> None:
    """The heading's rule asks for room for a few rows, not for the whole table: 残疾人证's blank form starts its
    materials on page 1 (the table split with its header repeated), as it did before the rule."""
    item = SHIPPED["CL-CJZ-001"].item
    pdf = render_blank_form(item, services.documents.settings, load_fonts(), created=dt.datetime(2026, 12, 1)).pdf
    pages = pdfkit.pages_text(pdf)
    assert "提交材料" in pages[0]


def test_a_two_party_blank_form_gives_shared_materials_to_both(services: Any) -> None:
    item = SHIPPED["MZ-HY-001"].item
    pdf = render_blank_form(item, services.documents.settings, load_fonts(), created=dt.datetime(2026, 12, 1)).pdf
    photo = next(line for line in pdfkit.text(pdf, layout=True).splitlines() if "合影照片" in line)
    owner = photo.split("合影照片", 1)[1]
    assert "双方" in owner and "当事人一方" not in owner


@pytest.mark.parametrize("code", sorted(SHIPPED))
def test_the_pledge_and_its_signatures_stay_on_one_page(services: Any, code: str) -> None:
    """支出型贫困's blank form had the pledge on page 1 and the lines to sign it on page 2."""
    item = SHIPPED[code].item
    pdf = render_blank_form(item, services.documents.settings, load_fonts(), created=dt.datetime(2026, 12, 1)).pdf
    page = next(p for p in pdfkit.pages_text(pdf) if "本人承诺" in p)
    assert "（签名）" in page.split("本人承诺", 1)[1]


def test_a_long_form_title_stays_on_one_line(services: Any) -> None:
    """老年综合津贴信息更正、变更发放卡及例外情形办理申请表 broke before its last two characters."""
    item = SHIPPED["MZ-YLFW-001"].item
    pdf = render_blank_form(item, services.documents.settings, load_fonts(), created=dt.datetime(2026, 12, 1)).pdf
    assert any(line.strip() == form_title(item) for line in pdfkit.text(pdf).splitlines())


def test_a_notice_without_a_recorded_basis_says_so_once(services: Any, decide: Any) -> None:
    """老年综合津贴信息更正 records no 政策依据: its 补正 notice read "根据有关规定的规定"."""
    assert not SHIPPED["MZ-YLFW-001"].item.legal_basis
    result = decide("MZ-YLFW-001", Decision.SUPPLEMENT)
    pdf = renderer.render(DocumentKind.SUPPLEMENT_NOTICE, result, services.documents.settings, load_fonts()).pdf
    flat = pdfkit.flat(pdf)
    assert "根据有关规定，现将需要补正的全部材料" in flat and "规定的规定" not in flat
