"""Every document of every shipped item, read back with poppler and zbar as a citizen's phone or a search would.

Cases are taken through the real intake use cases (a real SQLite file), rendered with the shipped fonts, and the
PDF bytes checked from outside: every font embedded with a Unicode map, the content intact (names with 𠮷, 䶮, 堃
and the middle dot), the ID number masked on receipts and notices and full on the 申请表, and the QR code decoding
to the progress URL of that 受理编号.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from app.catalog.loader import load_catalog_dir
from app.catalog.schema import Kind, LegalNature
from app.documents import render as renderer
from app.documents.common import supplement_basis
from app.documents.fonts import load_fonts
from app.documents.forms import form_title, render_blank_form
from app.documents.model import DocumentKind, DocumentSettings, Paper, documents_for
from app.idnumber import mask_id
from app.intake.model import Decision, DecisionResult
from app.resources import resource_path
from tests import pdfkit

SHIPPED = load_catalog_dir(resource_path("catalog", "items")).items
DECIDED = sorted(code for code, loaded in SHIPPED.items() if loaded.item.kind is not Kind.CONSULTATION)
APPLICATIONS = sorted(code for code, loaded in SHIPPED.items() if loaded.item.kind is Kind.APPLICATION)


@pytest.fixture
def settings(services: Any) -> DocumentSettings:
    return services.documents.settings


def issued(services: Any, result: DecisionResult) -> dict[DocumentKind, bytes]:
    stored = services.documents.issue(result, None)
    return {doc.kind: services.documents.document(doc.id).pdf for doc in stored}


def assert_embedded(pdf: bytes) -> None:
    found = pdfkit.fonts(pdf)
    assert found, "no fonts at all"
    for font in found:
        assert font.embedded and font.subset and font.unicode, font
        assert font.name.split("+")[-1].startswith("Yimen"), font


def party_names(result: DecisionResult) -> list[str]:
    return [p.name for p in result.parties]


@pytest.mark.slow
@pytest.mark.parametrize("code", DECIDED)
def test_every_decision_of_every_item_prints_its_documents(services: Any, decide: Any, code: str) -> None:
    # 容缺受理 and 先行救助 only where an item allows them: tests/app/documents/test_materials_on_paper.py.
    for decision in (Decision.ACCEPT, Decision.SUPPLEMENT, Decision.REFUSE):
        result = decide(code, decision)
        documents = issued(services, result)
        expected = documents_for(result, first_decision=True)
        assert sorted(documents) == sorted(expected)
        applicant = result.applicant
        assert applicant.id_number is not None
        for kind, pdf in documents.items():
            assert_embedded(pdf)
            flat = pdfkit.flat(pdf)
            assert services.deployment.center_name in flat
            assert result.item_name.replace(" ", "") in flat or form_title(result.item).replace(" ", "") in flat
            assert result.acceptance_no in flat
            if kind is DocumentKind.FORM:
                # The application itself: every party with the full number the back office needs.
                for party in result.parties:
                    assert party.name in flat
                    assert party.id_number and party.id_number in flat
            else:
                # Receipts and notices mask the ID 3+4 (rules.md §8) and never print it whole.
                assert applicant.name in flat
                assert applicant.id_number not in flat
                assert mask_id(applicant.id_number) in flat
        if result.item_kind == Kind.PRECHECK.value:
            pdf = documents[DocumentKind.PRECHECK_NOTICE]
            notice = pdfkit.flat(pdf)
            assert pdfkit.info(pdf)["Title"].startswith("预审告知单")
            assert "不是登记凭证，也不是受理回执" in notice
            assert pdfkit.qr_codes(pdf) == []
            continue
        if result.item_kind == Kind.INQUIRY.value:
            # Answered on the spot: an answer slip whatever the decision, never a receipt or a promise.
            slip = pdfkit.flat(documents[DocumentKind.ANSWER_SLIP])
            assert "答复单" in slip and "受理编号" not in slip and "承诺办结" not in slip
            assert pdfkit.qr_codes(documents[DocumentKind.ANSWER_SLIP]) == []
            continue
        if decision is Decision.ACCEPT:
            receipt = documents[DocumentKind.RECEIPT]
            url = f"https://jd.example.gov.cn/q/{result.acceptance_no}?c={result.query_code}"
            assert pdfkit.qr_codes(receipt) == [url]
            flat = pdfkit.flat(receipt)
            assert result.clerk_name in flat and result.clerk_staff_no in flat
            assert result.query_code in flat
            assert result.promised_date is not None
            promised = f"{result.promised_date.year}年{result.promised_date.month}月{result.promised_date.day}日"
            assert promised in flat
            # Every shipped time limit is a placeholder without a public source: the receipt says so.
            assert result.promised_provisional and "暂定，见注" in flat and "注：暂定——该事项" in flat
            assert "尚待主管部门确认" in flat and "†" not in flat
            for material in result.received_materials:
                assert material.name.replace(" ", "") in flat
        elif decision is Decision.SUPPLEMENT:
            flat = pdfkit.flat(documents[DocumentKind.SUPPLEMENT_NOTICE])
            assert result.notice_no and result.notice_no in flat
            assert "一次性告知" in flat
            # Only a 行政许可 cites the licensing law; a benefit cites its own basis or the neutral form.
            licensing = result.item is not None and result.item.nature is LegalNature.LICENSING
            assert ("行政许可法》第三十二条" in flat) == licensing
            assert renderer.according_to(supplement_basis(result.item)) in flat  # never "有关规定的规定"
            assert "不会再要求补正本通知书未列明的材料" in flat
            assert "签收" in flat
            missing = result.missing_materials
            assert missing
            for material in missing:
                assert material.name.replace(" ", "") in flat
            standard = renderer.standard_of(result.item, missing[0].key)
            assert standard.replace(" ", "")[:6] in flat
            for material in missing:
                if material.note:
                    # The reason cell wraps inside its column; pdftotext interleaves the columns' lines.
                    assert "不合格：" in flat and material.note[:2] in flat
        else:
            flat = pdfkit.flat(documents[DocumentKind.REFUSAL_NOTICE])
            assert result.notice_no and result.notice_no in flat
            assert "申请人户籍不在本市" in flat
            assert "上海市徐汇区人民政府申请行政复议" in flat
            assert "六十日内" in flat and "六个月内" in flat
            assert "上海市徐汇区人民法院提起行政诉讼" in flat


def test_rare_characters_and_the_middle_dot_extract_as_typed(services: Any, decide: Any) -> None:
    # 𠮷 (Extension B, in Noto), 䶮 (Extension A), 堃, the 间隔号, and 𪜀 (Extension C: only in the fallback face).
    people = {
        "applicant": ("阿依古丽·买买提", "31010419500615002"),
        "household_member": ("张𠮷", "31011519750101003"),
    }
    from app.intake.model import PartyRole

    result = decide("MZ-SHJZ-001", people={PartyRole(k): v for k, v in people.items()})
    documents = issued(services, result)
    receipt = pdfkit.text(documents[DocumentKind.RECEIPT])
    assert "阿依古丽·买买提" in receipt
    form = pdfkit.text(documents[DocumentKind.FORM])
    assert "张𠮷" in form and "阿依古丽·买买提" in form
    fallback = {"applicant": ("𪜀䶮堃", "31010419500615002")}
    result = decide("MZ-SHJZ-002", people={PartyRole(k): v for k, v in fallback.items()})
    receipt_pdf = issued(services, result)[DocumentKind.RECEIPT]
    assert "𪜀䶮堃" in pdfkit.text(receipt_pdf)
    assert {f.name.split("+")[-1] for f in pdfkit.fonts(receipt_pdf)} >= {"YimenSerif-Regular", "YimenFallback-Regular"}


def test_a_character_no_face_has_prints_a_placeholder_and_is_reported(
    services: Any, decide: Any, settings: DocumentSettings
) -> None:
    from app.intake.model import PartyRole

    fonts = load_fonts()
    # A CJK Extension G character that neither face has (Noto has a few of them, e.g. U+30EDE biáng).
    rare = next(chr(c) for c in range(0x30000, 0x3134B) if all(c not in cover for cover in fonts.covers.values()))
    result = decide("MZ-SHJZ-002", people={PartyRole.APPLICANT: (f"王{rare}", "31010419500615002")})
    document = renderer.render(DocumentKind.RECEIPT, result, settings, fonts)
    assert document.unprintable == (rare,)
    assert "王〓" in pdfkit.text(document.pdf)


@pytest.mark.parametrize("code", APPLICATIONS[:3] + ["MZ-HY-001"])
def test_thermal_receipt_is_80_mm_wide_and_as_long_as_its_content(
    services: Any, decide: Any, settings: DocumentSettings, code: str
) -> None:
    result = decide(code)
    roll = dataclasses.replace(settings, receipt_paper=Paper.THERMAL80)
    if result.item_kind == Kind.PRECHECK.value:
        # A pre-check never gets a receipt, whatever the paper.
        assert documents_for(result, first_decision=True) == [DocumentKind.PRECHECK_NOTICE]
        return
    document = renderer.render(DocumentKind.RECEIPT, result, roll, load_fonts())
    assert document.paper is Paper.THERMAL80 and document.page_count == 1
    width, height = pdfkit.page_size_mm(document.pdf)
    assert width == pytest.approx(80, abs=0.1)
    assert 120 < height < 400
    assert_embedded(document.pdf)
    assert pdfkit.qr_codes(document.pdf, dpi=300) == [renderer.progress_url(settings, result)]
    flat = pdfkit.flat(document.pdf)
    assert result.acceptance_no in flat and result.applicant.name in flat
    # More materials make a longer roll, never a second page.
    fewer = dataclasses.replace(result, materials=result.materials[:1])
    shorter = renderer.render(DocumentKind.RECEIPT, fewer, roll, load_fonts())
    if len(result.received_materials) > 1:
        assert pdfkit.page_size_mm(shorter.pdf)[1] < height


@pytest.mark.parametrize("code", sorted(SHIPPED))
def test_blank_form_of_every_item_including_consultations(settings: DocumentSettings, code: str) -> None:
    item = SHIPPED[code].item
    document = render_blank_form(item, settings, load_fonts(), created=dt.datetime(2026, 12, 1, tzinfo=dt.UTC))
    assert_embedded(document.pdf)
    flat = pdfkit.flat(document.pdf)
    assert form_title(item) in flat
    for spec in item.parties:
        assert spec.display_zh() in flat
    for material in item.materials:
        assert material.name.zh.replace(" ", "")[:10] in flat
    assert "（签名）" in flat


def test_side_by_side_layout_sets_the_two_parties_in_columns(services: Any, decide: Any) -> None:
    result = decide("MZ-HY-001")
    assert result.item is not None and result.item.form_layout.value == "side_by_side"
    pdf = renderer.render(DocumentKind.FORM, result, services.documents.settings, load_fonts()).pdf
    lines = pdfkit.text(pdf, layout=True).splitlines()
    names = [p.name for p in result.parties]
    # Both names on one line: the two columns.
    assert any(names[0] in line and names[1] in line for line in lines)


def test_same_record_renders_the_same_bytes_with_metadata(services: Any, decide: Any) -> None:
    result = decide("MZ-SHJZ-002")
    fonts = load_fonts()
    first = renderer.render(DocumentKind.RECEIPT, result, services.documents.settings, fonts).pdf
    second = renderer.render(DocumentKind.RECEIPT, result, services.documents.settings, fonts).pdf
    assert first == second
    meta = pdfkit.info(first)
    assert meta["Title"] == f"受理回执 {result.acceptance_no}"
    assert meta["Author"] == services.deployment.center_name
    assert meta["Subject"] == result.item_name
    created = dt.datetime.fromisoformat(meta["CreationDate"])
    assert created == result.decided_at.replace(microsecond=0)


def test_seal_image_or_the_seal_box(services: Any, decide: Any, settings: DocumentSettings) -> None:
    result = decide("MZ-SHJZ-002")
    fonts = load_fonts()
    sealed = renderer.render(DocumentKind.RECEIPT, result, settings, fonts).pdf
    assert settings.seal_png is not None
    assert pdfkit.images(sealed) == 2  # the seal's colour plane and its alpha mask
    assert "盖章处" not in pdfkit.flat(sealed)
    unsealed = renderer.render(DocumentKind.RECEIPT, result, dataclasses.replace(settings, seal_png=None), fonts).pdf
    assert pdfkit.images(unsealed) == 0
    assert "（盖章处）" in pdfkit.flat(unsealed)
    # Nothing calls the image an electronic seal (GB/T 38540 is later work).
    assert "电子印章" not in pdfkit.flat(sealed)


def test_refusal_without_configured_bodies_names_the_rights_generically(
    services: Any, decide: Any, settings: DocumentSettings
) -> None:
    result = decide("MZ-SHJZ-002", Decision.REFUSE)
    bare = dataclasses.replace(settings, review_body="", court="")
    flat = pdfkit.flat(renderer.render(DocumentKind.REFUSAL_NOTICE, result, bare, load_fonts()).pdf)
    assert "依法申请行政复议" in flat and "向有管辖权的人民法院提起行政诉讼" in flat
    assert "人民政府" not in flat


def test_receipt_without_public_url_has_no_qr_and_says_how_to_ask(
    services: Any, decide: Any, settings: DocumentSettings
) -> None:
    result = decide("MZ-SHJZ-002")
    offline = dataclasses.replace(settings, progress_base_url="")
    pdf = renderer.render(DocumentKind.RECEIPT, result, offline, load_fonts()).pdf
    assert pdfkit.qr_codes(pdf) == []
    assert "凭受理编号和查询码到本中心窗口或致电查询" in pdfkit.flat(pdf)


def test_estimated_promise_is_marked(services: Any, clerk: Any, clock: Any, settings: DocumentSettings) -> None:
    from tests.app.documents.doc_testkit import take

    # A 20-working-day promise made in mid-December reaches 2027, which the calendar library does not cover.
    clock.now = dt.datetime(2026, 12, 15, 2, 0, tzinfo=dt.UTC)
    result = take(services, clerk, "MZ-SHJZ-002")
    assert result.promised_estimated
    flat = pdfkit.flat(renderer.render(DocumentKind.RECEIPT, result, settings, load_fonts()).pdf)
    assert "估算、暂定，见注" in flat and "注：估算——" in flat and "法定节假日安排尚未公布" in flat
    assert "估算*" not in flat and "†" not in flat


def test_a_december_household_receipt_with_both_date_notes_fits_one_page(
    services: Any, clerk: Any, clock: Any, settings: DocumentSettings
) -> None:
    from tests.app.documents.doc_testkit import take

    # Every December the promise is estimated (next year's holidays unpublished); 低保's time limit is provisional
    # too: the household's 8 materials and both notes used to push the standing sentence onto a page of its own.
    clock.now = dt.datetime(2026, 12, 14, 2, 0, tzinfo=dt.UTC)
    result = take(services, clerk, "MZ-SHJZ-001")
    assert result.promised_estimated and result.promised_provisional and len(result.received_materials) >= 8
    rendered = renderer.render(DocumentKind.RECEIPT, result, settings, load_fonts())
    assert rendered.page_count == 1
    flat = pdfkit.flat(rendered.pdf)
    assert "本回执是受理凭证，请妥善保管" in flat and "注：估算——" in flat and "暂定——该事项" in flat
    assert "中心地址" in flat
