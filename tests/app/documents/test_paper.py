"""What each document says on paper (issue 13): the legal basis from the catalog, the deciding body and the appeal
bodies, materials checked and returned apart from paper kept, counts per unit, 容缺受理 and 先行救助, the 办件编号
on cases not accepted, the 答复单 of inquiries, and the 80 mm receipt in one ink with its seal clear of the text.

Decisions are taken through the real intake use cases; the item, the materials or the decision are then varied with
``dataclasses.replace`` / ``model_copy`` to print what the shipped catalog does not (yet) hold, and every document
is read back with poppler.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Any

import pytest
from PIL import ImageChops

from app.catalog.schema import AcceptWithMaterialsOwed, Kind, LegalBasis, LegalNature, ServiceItem
from app.config import DepartmentSettings
from app.documents import render as renderer
from app.documents.common import printable, status_text
from app.documents.fonts import load_fonts
from app.documents.model import DocumentKind, DocumentSettings, Paper, documents_for
from app.domain import MaterialStatus, PartyRole
from app.intake.model import Decision, DecisionResult, MaterialView
from tests import pdfkit

ITEM = "MZ-SHJZ-002"  # 临时救助: a 行政给付 of 民政
BASIS = LegalBasis(title="某某救助办法", doc_no="某府令第1号", article="第十条")


@pytest.fixture
def settings(services: Any) -> DocumentSettings:
    return services.documents.settings


def with_item(result: DecisionResult, **changes: Any) -> DecisionResult:
    assert result.item is not None
    item: ServiceItem = result.item.model_copy(update=changes)
    return dataclasses.replace(result, item=item)


def flat(kind: DocumentKind, result: DecisionResult, settings: DocumentSettings) -> str:
    return pdfkit.flat(renderer.render(kind, result, settings, load_fonts()).pdf)


# ------------------------------------------------------------------------------------------------ legal basis


def test_the_supplement_notice_cites_the_licensing_law_only_for_a_licence(
    decide: Any, settings: DocumentSettings
) -> None:
    result = decide(ITEM, Decision.SUPPLEMENT)
    licence = flat(DocumentKind.SUPPLEMENT_NOTICE, with_item(result, nature=LegalNature.LICENSING), settings)
    assert "根据《中华人民共和国行政许可法》第三十二条第一款第（四）项的规定" in licence
    benefit = flat(
        DocumentKind.SUPPLEMENT_NOTICE, with_item(result, nature=LegalNature.BENEFIT, legal_basis=(BASIS,)), settings
    )
    assert "根据《某某救助办法》（某府令第1号）第十条的规定" in benefit and "行政许可法" not in benefit
    partial = LegalBasis(title="某某救助办法")
    only_title = flat(DocumentKind.SUPPLEMENT_NOTICE, with_item(result, legal_basis=(partial,)), settings)
    assert "根据《某某救助办法》的规定" in only_title and "（）" not in only_title
    bare = flat(DocumentKind.SUPPLEMENT_NOTICE, with_item(result, nature=LegalNature.BENEFIT, legal_basis=()), settings)
    assert "根据有关规定" in bare and "行政许可法" not in bare


def test_the_refusal_states_its_rule_the_competent_office_and_the_deciding_body(
    decide: Any, settings: DocumentSettings
) -> None:
    result = decide(ITEM, Decision.REFUSE, reason="申请人户籍不在本街道。")
    elsewhere = dataclasses.replace(
        result, refusal_ground="not_competent", competent_office="某某街道社区事务受理服务中心"
    )
    licence = flat(DocumentKind.REFUSAL_NOTICE, with_item(elsewhere, nature=LegalNature.LICENSING), settings)
    assert "根据《中华人民共和国行政许可法》第三十二条第一款第（二）项的规定" in licence
    assert "请您向某某街道社区事务受理服务中心申请" in licence
    benefit = flat(DocumentKind.REFUSAL_NOTICE, with_item(elsewhere, nature=LegalNature.BENEFIT), settings)
    assert "行政许可法" not in benefit and "请您向某某街道社区事务受理服务中心申请" in benefit
    stated = dataclasses.replace(result, refusal_ground="not_eligible", refusal_basis="《某某救助办法》第五条")
    text = flat(DocumentKind.REFUSAL_NOTICE, with_item(stated, nature=LegalNature.BENEFIT), settings)
    assert "根据《某某救助办法》第五条的规定，决定不予受理" in text and "申请人户籍不在本街道" in text
    # The deciding body signs: the street office when the deployment says so, else the centre.
    street = dataclasses.replace(settings, deciding_body="徐汇区示范街道办事处")
    day = result.decided_at.astimezone(dt.timezone(dt.timedelta(hours=8))).date()
    signed = flat(DocumentKind.REFUSAL_NOTICE, result, street)
    assert f"徐汇区示范街道办事处{day.year}年{day.month}月{day.day}日" in signed
    assert f"{settings.center_name}{day.year}年" in flat(DocumentKind.REFUSAL_NOTICE, result, settings)


def test_review_body_and_court_come_from_the_item_then_the_department_then_the_deployment(
    decide: Any, settings: DocumentSettings
) -> None:
    result = decide(ITEM, Decision.REFUSE)
    assert result.department == "民政"
    assert "上海市徐汇区人民政府申请行政复议" in flat(DocumentKind.REFUSAL_NOTICE, result, settings)
    dept = dataclasses.replace(
        settings,
        departments={"民政": DepartmentSettings(name="徐汇区民政局", review_body="部门复议机关", court="部门法院")},
    )
    text = flat(DocumentKind.REFUSAL_NOTICE, result, dept)
    assert "向部门复议机关申请行政复议" in text and "向部门法院提起行政诉讼" in text
    own = flat(DocumentKind.REFUSAL_NOTICE, with_item(result, review_body="事项复议机关", court="事项法院"), dept)
    assert "向事项复议机关申请行政复议" in own and "向事项法院提起行政诉讼" in own


# ------------------------------------------------------------------------------------------------ the receipt


def test_the_receipt_names_the_department_in_full_and_has_the_applicants_signature_with_time(
    decide: Any, settings: DocumentSettings
) -> None:
    result = decide(ITEM)
    text = flat(DocumentKind.RECEIPT, result, settings)
    assert "承办部门徐汇区民政局" in text
    assert "申请人（或代理人）签收：" in text and "签收时间：____年__月__日__时__分" in text
    short = flat(DocumentKind.RECEIPT, result, dataclasses.replace(settings, departments={}))
    assert "承办部门民政" in short


def lines(result: DecisionResult, *spec: tuple[str, MaterialStatus, int, str]) -> DecisionResult:
    """The result with these material lines (name, status, count, unit) instead of its own."""
    base = result.materials[0]
    made = [
        dataclasses.replace(base, key=f"m{i}", name=name, status=status.value, count=count, unit=unit, required=True)
        for i, (name, status, count, unit) in enumerate(spec)
    ]
    return dataclasses.replace(result, materials=made)


def section(text: str, start: str, end: str) -> str:
    return text.split(start, 1)[1].split(end, 1)[0]


@pytest.mark.parametrize("paper", [Paper.A4, Paper.THERMAL80])
def test_kept_paper_checked_originals_and_electronic_checks_are_listed_apart(
    decide: Any, settings: DocumentSettings, paper: Paper
) -> None:
    result = lines(
        decide(ITEM),
        ("甲身份证", MaterialStatus.ORIGINAL_CHECKED, 1, "份"),
        ("乙户口簿复印件", MaterialStatus.COPY_KEPT, 3, "份"),
        ("丙签字申请书", MaterialStatus.RECEIVED, 1, "份"),
        ("丁近期照片", MaterialStatus.RECEIVED, 2, "张"),
        ("戊结婚证", MaterialStatus.E_VERIFIED, 1, "本"),
        ("己收入证明", MaterialStatus.DEFECTIVE, 1, "份"),
        ("庚残疾人证", MaterialStatus.MISSING, 1, "本"),
        ("辛委托书", MaterialStatus.NOT_NEEDED, 1, "份"),
    )
    text = flat(DocumentKind.RECEIPT, result, dataclasses.replace(settings, receipt_paper=paper))
    kept = section(text, "已收取的材料", "已核验的材料")
    for name in ("乙户口簿复印件", "丙签字申请书", "丁近期照片"):
        assert name in kept
    for name in ("甲身份证", "戊结婚证", "己收入证明", "庚残疾人证", "辛委托书"):
        assert name not in kept
    # Items once, copies per unit: 3 items, 4 份 and 2 张 (not "3 项、6 份").
    assert "共3项，计4份、2张" in text
    checked = section(text, "已核验的材料（原件已退还）", "电子证照核验的材料")
    assert "甲身份证" in checked and "戊结婚证" not in checked
    assert "戊结婚证" in text.split("电子证照核验的材料", 1)[1]
    for name in ("己收入证明", "庚残疾人证", "辛委托书"):
        assert name not in text


def test_status_words() -> None:
    def view(status: MaterialStatus, form: str = "original_and_copy", count: int = 2) -> MaterialView:
        return MaterialView("k", "户口簿", form, count, True, status.value, None, None, None)

    assert status_text(view(MaterialStatus.COPY_KEPT), "份") == "原件核验（已退还），复印件收取 2 份"
    assert status_text(view(MaterialStatus.COPY_KEPT, "copy"), "份") == "复印件收取 2 份"
    assert status_text(view(MaterialStatus.RECEIVED, "original"), "张") == "收取 2 张"
    assert status_text(view(MaterialStatus.RECEIVED, "original"), "份") == "收取原件 2 份"
    assert status_text(view(MaterialStatus.ORIGINAL_CHECKED), "份") == "原件核验（已退还）"
    assert status_text(view(MaterialStatus.E_VERIFIED), "本") == "电子证照核验"
    assert status_text(view(MaterialStatus.DEFECTIVE), "份") == "不合格"


@pytest.mark.parametrize("paper", [Paper.A4, Paper.THERMAL80])
def test_tolerated_and_first_aid_receipts_list_what_is_owed_and_by_when(
    decide: Any, settings: DocumentSettings, paper: Paper
) -> None:
    accepted = lines(
        decide(ITEM),
        ("甲身份证", MaterialStatus.ORIGINAL_CHECKED, 1, "份"),
        ("乙收入证明", MaterialStatus.MISSING, 1, "份"),
    )
    due = dt.date(2026, 11, 30)
    policy = AcceptWithMaterialsOwed(materials=("m1",), days=5, basis=LegalBasis(title="某区容缺受理工作办法"))
    roll = dataclasses.replace(settings, receipt_paper=paper)
    tolerated = dataclasses.replace(with_item(accepted, tolerated=policy), decision=Decision.TOLERATED, owed_by=due)
    text = flat(DocumentKind.RECEIPT, tolerated, roll)
    assert "容缺受理" in text and "承诺书" in text and "《某区容缺受理工作办法》" in text
    assert "2026年11月30日前" in section(text, "容缺受理", "办理进度") and "乙收入证明" in text
    aid = dataclasses.replace(
        with_item(accepted, first_aid=policy.model_copy(update={"basis": BASIS})),
        decision=Decision.FIRST_AID,
        owed_by=due,
        first_aid_reason="住房失火",
    )
    text = flat(DocumentKind.RECEIPT, aid, roll)
    assert "先行救助" in text and "住房失火" in text and "《某某救助办法》（某府令第1号）第十条" in text
    assert "2026年11月30日前" in text and "乙收入证明" in text
    # A plain acceptance owes nothing.
    assert "容缺受理" not in flat(DocumentKind.RECEIPT, accepted, roll)


# ------------------------------------------------------------------------------------------------ numbers


def test_cases_not_accepted_print_the_case_number_not_an_acceptance_number(
    decide: Any, settings: DocumentSettings
) -> None:
    for code, decision, kinds in (
        (ITEM, Decision.SUPPLEMENT, (DocumentKind.SUPPLEMENT_NOTICE, DocumentKind.FORM)),
        (ITEM, Decision.REFUSE, (DocumentKind.REFUSAL_NOTICE,)),
        ("MZ-HY-001", Decision.SUPPLEMENT, (DocumentKind.PRECHECK_NOTICE, DocumentKind.FORM)),
        ("MZ-HY-001", Decision.ACCEPT, (DocumentKind.PRECHECK_NOTICE, DocumentKind.FORM)),
    ):
        result = decide(code, decision)
        for kind in kinds:
            text = flat(kind, result, settings)
            assert f"办件编号{result.acceptance_no}" in text.replace("：", ""), (code, decision, kind)
            assert "受理编号" not in text, (code, decision, kind)
    accepted = decide(ITEM)
    for kind in (DocumentKind.RECEIPT, DocumentKind.FORM):
        assert f"受理编号{accepted.acceptance_no}" in flat(kind, accepted, settings).replace("：", "")


# ------------------------------------------------------------------------------------------------ 答复单


def test_an_inquiry_gets_an_answer_slip_with_no_promise(decide: Any, settings: DocumentSettings) -> None:
    result = dataclasses.replace(with_item(decide(ITEM), kind=Kind.INQUIRY), item_kind=Kind.INQUIRY.value)
    assert documents_for(result, first_decision=True) == [DocumentKind.ANSWER_SLIP]
    document = renderer.render(DocumentKind.ANSWER_SLIP, result, settings, load_fonts())
    assert document.kind is DocumentKind.ANSWER_SLIP and document.page_count == 1
    text = pdfkit.flat(document.pdf)
    assert "答复单" in text and f"办件编号：{result.acceptance_no}" in text
    assert f"{result.clerk_name}（工号{result.clerk_staff_no}）" in text and "答复时间" in text
    assert result.applicant.name in text and result.item_name in text
    assert "受理编号" not in text and "承诺办结" not in text and "不产生办理时限" in text
    assert pdfkit.info(document.pdf)["Title"] == f"答复单 {result.acceptance_no}"


# ------------------------------------------------------------------------------------------------ 80 mm


def thermal(settings: DocumentSettings, **changes: Any) -> DocumentSettings:
    return dataclasses.replace(settings, receipt_paper=Paper.THERMAL80, **changes)


def test_the_thermal_receipt_is_one_ink_with_a_line_seal_and_never_the_red_image(
    decide: Any, settings: DocumentSettings
) -> None:
    result = decide(ITEM)
    assert settings.seal_png is not None  # the demo's red seal: the A4 receipt prints it
    for seal in ("line", "none"):
        pdf = renderer.render(DocumentKind.RECEIPT, result, thermal(settings, thermal_seal=seal), load_fonts()).pdf
        assert pdfkit.images(pdf) == 0
        image = pdfkit.page_image(pdf, dpi=100)
        red, green, blue = image.split()
        for one, other in ((red, green), (green, blue), (red, blue)):
            assert ImageChops.difference(one, other).getextrema()[1] <= 24, "a coloured pixel on a thermal receipt"
        text = pdfkit.flat(pdf)
        assert ("（盖章处）" in text) == (seal == "none")


def test_the_thermal_seal_is_clear_of_every_text(decide: Any, settings: DocumentSettings) -> None:
    result = decide(ITEM)
    fonts = load_fonts()
    sealed = renderer.render(DocumentKind.RECEIPT, result, thermal(settings, thermal_seal="line"), fonts).pdf
    boxed = renderer.render(DocumentKind.RECEIPT, result, thermal(settings, thermal_seal="none"), fonts).pdf
    dpi = 100
    with_seal, without = pdfkit.page_image(sealed, dpi=dpi), pdfkit.page_image(boxed, dpi=dpi)
    assert with_seal.size == without.size
    scale = dpi / 72
    texts = [w for w in pdfkit.words(boxed) if "盖章处" not in w.text]
    assert any(settings.center_name in w.text for w in texts)
    ink = 0
    for y in range(with_seal.height):
        for x in range(with_seal.width):
            if abs(sum(with_seal.getpixel((x, y))) - sum(without.getpixel((x, y)))) > 150:
                ink += 1
                for w in texts:
                    inside = w.x_min * scale <= x <= w.x_max * scale and w.y_min * scale <= y <= w.y_max * scale
                    assert not inside, f"the seal touches “{w.text}”"
    assert ink > 500  # the seal is there


def test_the_thermal_receipt_keeps_names_ids_and_the_clerk_whole(decide: Any, settings: DocumentSettings) -> None:
    long_name = "阿依古丽·买买提·阿卜杜热合曼·艾力艾克拜尔"  # 22: it does not fit after its label
    result = decide(ITEM)
    parties = [
        dataclasses.replace(p, name=long_name) if p.role == PartyRole.APPLICANT.value else p for p in result.parties
    ]
    result = dataclasses.replace(result, parties=parties)
    pdf = renderer.render(DocumentKind.RECEIPT, result, thermal(settings), load_fonts()).pdf
    rows = [line.strip() for line in pdfkit.text(pdf, layout=True).splitlines()]
    assert any(long_name in row for row in rows), "the name was broken across lines"
    assert not any(row.endswith("·") for row in rows)
    masked = next(p.id_masked for p in result.parties if p.role == PartyRole.APPLICANT.value)
    assert any(re.search(rf"证件号码：\s*{re.escape(masked or '')}", row) for row in rows)
    assert any(f"（工号 {result.clerk_staff_no}）" in row and result.clerk_name in row for row in rows)


# ------------------------------------------------------------------------------------------------ catalog texts


def test_the_catalog_authors_placeholder_mark_never_reaches_paper(decide: Any, settings: DocumentSettings) -> None:
    assert printable("【本地暂定，待确认】原件一份") == "原件一份"
    result = decide(ITEM, Decision.SUPPLEMENT)
    assert result.item is not None
    missing = result.missing_materials[0]
    materials = tuple(
        m.model_copy(update={"standard": m.standard.model_copy(update={"zh": "【本地暂定，待确认】有效期内原件"})})
        if m.key == missing.key
        else m
        for m in result.item.materials
    )
    text = flat(DocumentKind.SUPPLEMENT_NOTICE, with_item(result, materials=materials), settings)
    assert "有效期内原件" in text and "待确认" not in text and "【" not in text


def test_a_form_cell_does_not_repeat_the_unit_its_label_gives() -> None:
    from app.catalog.schema import FieldDef
    from app.documents.forms import cell_value

    income = FieldDef.model_validate({"key": "income", "type": "money", "label": {"zh": "月收入（元）", "en": "x"}})
    assert cell_value(income, 300000) == "3,000.00"
    amount = FieldDef.model_validate({"key": "amount", "type": "money", "label": {"zh": "金额", "en": "x"}})
    assert cell_value(amount, 300000) == "3,000.00 元"


def test_a_material_name_gets_one_qualifier() -> None:
    from app.documents.forms import qualified

    assert qualified("残疾人证（如有）", "（可选）") == "残疾人证（如有）"
    assert qualified("残疾人证", "（可选）") == "残疾人证（可选）"


def test_the_shipped_fire_victim_gets_a_receipt_of_first_aid_with_the_id_card_owed(services: Any, clerk: Any) -> None:
    from app.documents.common import citation
    from app.intake.model import ApplicationDraft, DecisionInput, MaterialInput, PartyInput

    draft = ApplicationDraft(
        item_code=ITEM,
        values={"assistance_type": "emergency", "situation": "家中突发火灾，证件烧毁。"},
        parties=[PartyInput(PartyRole.APPLICANT, "李明", "310104198506150023")],
        materials=[MaterialInput("applicant_id_card", MaterialStatus.MISSING)],
        acknowledged_duplicate=True,
    )
    result = services.intake.decide(draft, DecisionInput(Decision.FIRST_AID, basis="家中突发火灾，证件烧毁。"), clerk)
    stored = services.documents.issue(result, None)
    assert [d.kind for d in stored] == [DocumentKind.RECEIPT, DocumentKind.FORM]
    text = pdfkit.flat(services.documents.document(stored[0].id).pdf)
    policy = services.catalog.entry(ITEM).item.first_aid
    assert policy is not None and result.owed_by is not None
    assert "先行救助（家中突发火灾，证件烧毁）" in text
    assert citation(policy.basis).replace(" ", "") in text
    due = result.owed_by
    assert f"请于{due.year}年{due.month}月{due.day}日前" in text
    owed = section(text, "事后补交的材料", "办理进度")
    assert "申请人居民身份证" in owed and "申请人居民身份证" not in section(text, "已收取的材料", "先行救助")


def test_the_receipt_states_the_items_basis_only_where_the_catalog_has_one(
    decide: Any, settings: DocumentSettings
) -> None:
    result = decide(ITEM)
    assert "办理依据《某某救助办法》（某府令第1号）第十条" in flat(
        DocumentKind.RECEIPT, with_item(result, legal_basis=(BASIS,)), settings
    )
    assert "办理依据" not in flat(DocumentKind.RECEIPT, with_item(result, legal_basis=()), settings)


def test_a_notice_printed_twice_says_where_each_copy_goes(decide: Any, settings: DocumentSettings) -> None:
    result = decide(ITEM, Decision.REFUSE)
    assert "一式" not in flat(DocumentKind.REFUSAL_NOTICE, result, dataclasses.replace(settings, notice_copies=1))
    two = flat(DocumentKind.SUPPLEMENT_NOTICE, decide(ITEM, Decision.SUPPLEMENT), replace_copies(settings, 2))
    assert "本通知书一式两份：一份交申请人，其余经申请人签收后存档。" in two


def replace_copies(settings: DocumentSettings, copies: int) -> DocumentSettings:
    return dataclasses.replace(settings, notice_copies=copies)
