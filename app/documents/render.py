"""The documents of a decision: 受理回执 (A4 and 80 mm roll), 补正材料通知书, 不予受理通知书, 预审告知单.

Contents follow the domain notes documents.md §2 and rules.md §4: the receipt states the centre, 受理编号, item,
applicant (ID masked 3+4, rules.md §8), times, the clerk, the materials received, the promised date in working days
(marked 估算 when the calendar is estimated), how to follow progress with a QR code, complaint and supervision phone
numbers and the seal; the 补正 notice lists every missing or defective material with its standard and why, says
that this notice lists everything at once (行政许可法 Art. 32), and has the applicant's 签收 line with date and
time; the refusal notice gives the reason and the rights of 行政复议 (60 days, 行政复议法 Art. 20) and 行政诉讼
(6 months, 行政诉讼法 Art. 46), naming the bodies from the deployment.

:func:`render` draws any document of a decision; the 申请表 itself is drawn by :mod:`app.documents.forms`, and what
both share is in :mod:`app.documents.common`.  Every function here is pure: a
:class:`~app.intake.model.DecisionResult` and the settings in, PDF bytes out.  Call them on the renderer thread only
(ReportLab is not thread-safe).
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.platypus import Flowable, KeepTogether, Paragraph

from app import idnumber
from app.catalog.schema import ServiceItem
from app.documents import layout as lay
from app.documents.common import (
    LICENSING_ART_32,
    NEUTRAL_BASIS,
    checked_of,
    citation,
    e_verified_of,
    form_text,
    is_licensing,
    item_basis,
    kept_of,
    material_standard,
    meta,
    owed_of,
    owner_of,
    status_text,
    supplement_basis,
    totals_text,
    unit_of,
    unprintable_of,
    value_text,
)
from app.documents.fonts import FontSet, string_width
from app.documents.forms import render_form
from app.documents.model import DocumentKind, DocumentSettings, Paper, RenderedDocument
from app.documents.signature_boxes import (
    THERMAL_BOX,
    SignatureBox,
    SignedLine,
    SignedSealBlock,
    printable,
)
from app.domain import Decision
from app.intake.model import DecisionResult, MaterialView, PartyView
from app.signatures import RECEIPT_SIGNERS

STATUS_REASON = {"missing": "缺少", "defective": "不合格"}


def progress_url(settings: DocumentSettings, result: DecisionResult) -> str | None:
    """The citizen's progress page: ``{public base}/q/{受理编号}?c={查询码}`` (None without a public base URL)."""
    if not settings.progress_base_url:
        return None
    return f"{settings.progress_base_url}/q/{result.acceptance_no}?c={result.query_code}"


def render(kind: DocumentKind, result: DecisionResult, settings: DocumentSettings, fonts: FontSet) -> RenderedDocument:
    """Draw one document of ``result``."""
    if kind is DocumentKind.FORM:
        return render_form(result, settings, fonts)
    renderer = {
        DocumentKind.RECEIPT: _receipt,
        DocumentKind.SUPPLEMENT_NOTICE: _supplement_notice,
        DocumentKind.REFUSAL_NOTICE: _refusal_notice,
        DocumentKind.PRECHECK_NOTICE: _precheck_notice,
        DocumentKind.ANSWER_SLIP: _answer_slip,
    }[kind]
    return renderer(result, settings, fonts)


# ----------------------------------------------------------------------------------- parts of the receipt and notices


def party_label(result: DecisionResult, role: str) -> str:
    item = result.item
    spec = item.party(role) if item is not None else None
    if spec is not None:
        return spec.display_zh()
    return {"applicant": "申请人", "agent": "代理人", "guardian": "监护人", "spouse": "配偶"}.get(role, role)


def person_text(party: PartyView) -> str:
    """Name and masked ID number (rules.md §8: 3+4 on receipts and notices)."""
    if party.id_number:
        return f"{party.name}（证件号码 {idnumber.mask_id(party.id_number)}）"
    return party.name


def standard_of(item: ServiceItem | None, key: str) -> str:
    """A material's standard as printed (the catalog authors' internal marks removed)."""
    return material_standard(item, key)


def case_rows(result: DecisionResult) -> list[tuple[str, str]]:
    """The parties (ID masked) and the item's answered fields, as label/value rows of a slip (预审告知单, 答复单);
    a field left empty prints no row (no empty label/value pair on paper)."""
    rows = [(party_label(result, party.role), person_text(party)) for party in result.parties]
    for fdef in result.item.fields if result.item is not None else ():
        value = value_text(fdef, result.values.get(fdef.key))
        if value:
            rows.append((fdef.label.zh, value))
    return rows


def contact_lines(settings: DocumentSettings) -> list[str]:
    lines = []
    if settings.center_phone:
        lines.append(f"咨询电话：{settings.center_phone}")
    if settings.complaint_phone:
        lines.append(f"投诉监督电话：{settings.complaint_phone}")
    return lines


def header(styles: lay.Styles, settings: DocumentSettings, title: str, subtitle: str | None = None) -> list[Flowable]:
    out: list[Flowable] = [styles.p(settings.center_name, styles.org), lay.spacer(2), styles.p(title, styles.title)]
    if subtitle:
        out.append(styles.p(subtitle, styles.center))
    return out


def number_line(styles: lay.Styles, label: str, number: str) -> Paragraph:
    return styles.p(f"{label}：{number}", styles.right)


def signature_receipt(styles: lay.Styles, width: float, signature: bytes | None = None) -> Flowable:
    """The applicant's 签收 with date and time (documents.md §2): signature left, time right, on one line; the
    signature from the counter's pad over the blank where the pen would sign, else the blank."""
    label = "申请人（或代理人）签收："
    sign: Flowable = (
        styles.p(f"{label}________")
        if signature is None
        else SignedLine(label, signature, "", styles.fonts, styles.body.fontSize)
    )
    when = styles.p("签收时间：____年__月__日__时__分", styles.right)
    row = lay.grid([[sign, when]], [width / 2, width / 2], lines=False, pad=0)
    row.setStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM")])  # the time on the signature's line
    return row


def materials_rows(
    styles: lay.Styles,
    materials: list[MaterialView],
    *,
    with_reason: bool,
    item: ServiceItem | None,
    heading: str = "需补正的材料",
) -> list[list[Any]]:
    """Rows of a materials table: what to supply and why (``with_reason``), or what the centre kept."""
    cell, bold = styles.cell, styles.cell_bold
    if with_reason:
        rows: list[list[Any]] = [
            [styles.p(h, bold) for h in ("序号", heading, "提交人", "要求", "原因")],
        ]
        for index, m in enumerate(materials, 1):
            reason = STATUS_REASON.get(m.status, m.status)
            if m.note:
                reason = f"{reason}：{m.note}"
            standard = standard_of(item, m.key)
            need = f"{form_text(m)} {m.count} {unit_of(m, item)}" + (f"；{standard}" if standard else "")
            rows.append(
                [
                    styles.p(str(index), cell),
                    styles.p(m.name, cell),
                    styles.p(owner_of(m, item), cell),
                    styles.p(need, cell),
                    styles.p(reason, cell),
                ]
            )
        return rows
    rows = [[styles.p(h, bold) for h in ("序号", "材料名称", "提交人", "收取情况", "数量")]]
    for index, m in enumerate(materials, 1):
        unit = unit_of(m, item)
        rows.append(
            [
                styles.p(str(index), cell),
                styles.p(m.name, cell),
                styles.p(owner_of(m, item), cell),
                styles.p(status_text(m, unit, short=True), cell),
                styles.p(f"{m.count} {unit}", cell),
            ]
        )
    return rows


def materials_table(
    styles: lay.Styles,
    materials: list[MaterialView],
    *,
    with_reason: bool,
    item: ServiceItem | None,
    width: float,
    heading: str = "需补正的材料",
) -> Flowable:
    """The materials received (receipt) or to supply, with their standard and why (补正 notice, pre-check)."""
    plan: list[float | None] = [11, 34, 30, None, 30] if with_reason else [10, None, 32, 58, 12]
    rows = materials_rows(styles, materials, with_reason=with_reason, item=item, heading=heading)
    return lay.grid(rows, lay.columns(width, plan), header=True)


def promised_text(result: DecisionResult) -> str:
    """The promised date; an estimated or provisional one says so and points to its 注 below."""
    if result.promised_date is None:
        return "—"
    text = f"{lay.date_text(result.promised_date)}前办结"
    if result.promised_days:
        text += f"（自受理次日起 {result.promised_days} 个工作日）"
    marks = [word for word, on in (("估算", result.promised_estimated), ("暂定", result.promised_provisional)) if on]
    if marks:
        text += f"　{'、'.join(marks)}，见注"
    return text


def provisional_note(result: DecisionResult) -> str:
    """The catalog's time limit is a local placeholder without a public source (catalog time_limit_placeholder)."""
    return (
        f"注：暂定——该事项的承诺时限尚待主管部门确认，暂按 {result.promised_days} 个工作日计算；如有调整，以告知为准。"
    )


# A receipt is a fill-in form, not a 公文: tighter margins than GB/T 9704's keep a household's materials, the QR
# code and the seal on one page.
RECEIPT_MARGINS = (25 * lay.mm, 22 * lay.mm, 22 * lay.mm, 25 * lay.mm)

ESTIMATE_NOTE = "注：估算——该日期所在年度的法定节假日安排尚未公布，暂按周末推算；节假日公布后以实际工作日为准。"


# ------------------------------------------------------------------------------------------------ 受理回执


def _receipt(result: DecisionResult, settings: DocumentSettings, fonts: FontSet) -> RenderedDocument:
    if settings.receipt_paper is Paper.THERMAL80:
        return _receipt_thermal(result, settings, fonts)
    s = lay.make_styles(fonts, body_pt=lay.SMALL4_PT)
    width = A4[0] - RECEIPT_MARGINS[1] - RECEIPT_MARGINS[3]
    flow: list[Flowable] = header(s, settings, "受理回执")
    flow.append(
        s.rich(
            [("受理编号：", False), (result.acceptance_no, True), (f"　　查询码：{result.query_code}", False)], s.right
        )
    )
    flow.append(lay.spacer(2))
    flow.append(lay.grid(_receipt_rows(s, result, settings), [30 * lay.mm, width - 30 * lay.mm], label_columns=(0,)))
    kept = kept_of(result)
    flow.append(s.p("已收取的材料", s.heading))
    if kept:
        flow.append(materials_table(s, kept, with_reason=False, item=result.item, width=width))
        flow.append(s.p(f"以上材料{totals_text(kept, result.item)}。", s.small))
    else:
        flow.append(s.p("（无）", s.small))
    for title, listed in (
        ("已核验的材料（原件已退还）", checked_of(result)),
        ("电子证照核验的材料（无需纸质材料）", e_verified_of(result)),
    ):
        if listed:
            names = "；".join(f"{i}. {m.name}（{owner_of(m, result.item)}）" for i, m in enumerate(listed, 1))
            flow.append(lay.spacer(1.5))
            flow.append(s.rich([(f"{title}：", True), (names, False)], s.cell))
    flow += owed_block(s, result, settings, width)
    flow.append(s.p("办理进度查询", s.heading))
    flow.append(_progress_block(s, result, settings, width, qr_mm=26))
    notes = [ESTIMATE_NOTE] if result.promised_estimated else []
    if result.promised_provisional and result.promised_date is not None:
        notes.append(provisional_note(result))
    if notes:
        flow.append(s.p("".join(notes[:1]) + "".join(n.removeprefix("注：") for n in notes[1:]), s.small))
    # The citizen's signature from the counter's pad over the 签收 line's blank; without one, the blank for a pen.
    seal = SignedSealBlock(
        s,
        settings.center_name,
        lay.local(result.accepted_at or result.decided_at).date(),
        settings.seal_png,
        size_pt=14,
        left=("申请人（或代理人）签收：________", "签收时间：____年__月__日__时__分"),
        signature=printable(result, RECEIPT_SIGNERS),
    )
    keep_with_previous(flow, [lay.spacer(2), seal])
    footer = "本回执是受理凭证，请妥善保管；领取结果或查询时请出示。"
    if settings.center_address:
        footer += f"中心地址：{settings.center_address}。"
    # The standing sentence sits in the page's foot, not in the text: a household's receipt with both date notes
    # (every December, when next year's holidays are not yet published) then still fits one page.
    numbers = _numbers_if_long(fonts, RECEIPT_MARGINS)
    foot = _page_foot(footer, fonts, width)

    def on_page(canv: Any, doc: Any) -> None:
        foot(canv, doc)
        numbers(canv, doc)

    pdf, pages = lay.build(
        flow,
        meta(DocumentKind.RECEIPT, result.acceptance_no, result, settings),
        margins=RECEIPT_MARGINS,
        on_page=on_page,
    )
    return RenderedDocument(
        DocumentKind.RECEIPT, result.acceptance_no, Paper.A4, pdf, pages, unprintable_of(result, fonts)
    )


def _receipt_rows(s: lay.Styles, result: DecisionResult, settings: DocumentSettings) -> list[list[Any]]:
    pairs = _receipt_pairs(result, settings, full=True)
    return [[s.p(label, s.cell_bold), s.p(value, s.cell)] for label, value in pairs]


def owed_block(s: lay.Styles, result: DecisionResult, settings: DocumentSettings, width: float) -> list[Flowable]:
    """容缺受理 / 先行救助: the materials still owed, the date they are due, and on what the case was accepted."""
    owed = owed_of(result)
    if result.decision not in (Decision.TOLERATED, Decision.FIRST_AID):
        return []
    item = result.item
    policy = (item.tolerated if result.decision is Decision.TOLERATED else item.first_aid) if item else None
    basis = citation(policy.basis) if policy is not None else NEUTRAL_BASIS
    due = result.owed_by
    due_text = f"{lay.date_text(due)}前" if due is not None else "约定期限内"
    if result.decision is Decision.TOLERATED:
        title = "容缺受理：申请人承诺补交的材料"
        said = (
            f"本件根据{basis}，依申请人签署的承诺书容缺受理。请于{due_text}将下列材料补交到本中心任一综合窗口"
            "（凭受理编号办理）；逾期未补交的，按有关规定处理。"
        )
    else:
        reason = result.first_aid_reason
        title = "先行救助：事后补交的材料"
        said = (
            f"本件根据{basis}先行救助"
            + (f"（{reason.rstrip('。；，')}）" if reason else "")
            + (f"。请于{due_text}将下列材料补交到本中心任一综合窗口（凭受理编号办理）。")
        )
    out: list[Flowable] = [s.p(title, s.heading), s.p(said, s.cell)]
    if owed:
        out.append(materials_table(s, owed, with_reason=True, item=item, width=width, heading="应补交的材料"))
    return out


def _progress_block(
    s: lay.Styles, result: DecisionResult, settings: DocumentSettings, width: float, *, qr_mm: float
) -> Flowable:
    url = progress_url(settings, result)
    lines = []
    if url is not None:
        lines.append(s.p("请用手机扫描右侧二维码查询办理进度，或访问：", s.cell))
        lines.append(s.p(url, s.cell))
    else:
        lines.append(s.p("请凭受理编号和查询码到本中心窗口或致电查询办理进度。", s.cell))
    lines.append(s.p(f"受理编号 {result.acceptance_no}　查询码 {result.query_code}", s.cell))
    if contact_lines(settings):
        lines.append(s.p("　".join(contact_lines(settings)), s.cell))
    if url is None:
        return lay.grid([[lines]], [width], lines=False, pad=0)
    qr = lay.qr_drawing(url, qr_mm * lay.mm)
    return lay.grid([[lines, qr]], [width - (qr_mm + 4) * lay.mm, (qr_mm + 4) * lay.mm], lines=False, pad=0)


def _page_foot(text: str, fonts: FontSet, width: float, size: float = 9) -> Any:
    """Draw ``text`` small and grey in the bottom margin, wrapped to the text width, above where page numbers go."""
    lines: list[str] = []
    line = ""
    for char in text:
        if line and string_width(line + char, fonts, size) > width:
            lines.append(line)
            line = ""
        line += char
    lines.append(line)
    left, bottom = RECEIPT_MARGINS[3], RECEIPT_MARGINS[2]

    def draw(canv: Any, doc: Any) -> None:
        y = bottom - 5 * lay.mm
        for part in lines:
            lay.draw_text(canv, left, y, part, fonts, size, color=lay.GREY)
            y -= size * 1.3

    return draw


def _numbers_if_long(fonts: FontSet, margins: tuple[float, float, float, float] = lay.A4_MARGINS) -> Any:
    numbers = lay.page_numbers(fonts, margins)

    def on_page(canv: Any, doc: Any) -> None:
        # GB/T 9704 numbers pages; a one-page receipt or notice needs none (known only after layout: page 2+).
        if canv.getPageNumber() > 1:
            numbers(canv, doc)

    return on_page


def _receipt_thermal(result: DecisionResult, settings: DocumentSettings, fonts: FontSet) -> RenderedDocument:
    """The receipt on an 80 mm roll: one column of 72 mm (≈ 24 汉字 at 9 pt, documents.md §3), as long as it needs.

    Monochrome: black text on white, no grey and no red (a thermal head has one ink; the red seal image prints as a
    black blot over the text), the seal a black line-art one or none (``printing.thermal_seal``), clear of every
    text.  A name, an ID number with its label and the clerk with 工号 are never broken across lines.
    """
    s = lay.make_styles(fonts, body_pt=9, title_pt=14)
    for style in (s.small, s.cell, s.heading, s.body, s.center):
        style.textColor = lay.INK
    width = lay.THERMAL_WIDTH - 2 * lay.THERMAL_MARGIN
    flow: list[Flowable] = [s.p(settings.center_name, s.center), s.p("受理回执", s.title)]
    flow.append(s.rich([("受理编号 ", False), (result.acceptance_no, True)], s.center))
    flow.append(s.p(f"查询码 {result.query_code}", s.center))
    flow.append(lay.Rule(0.6, 3))
    flow.append(s.kept([("事项：", True), (result.item_name, False)], width))
    flow.append(s.kept([("承办部门：", True), (settings.department_name(result.department), False)], width))
    for party in result.parties:
        if party.role in ("applicant", "agent", "guardian"):
            flow.append(s.kept([(f"{party_label(result, party.role)}：", True), (party.name, False)], width))
            if party.id_number:
                flow.append(s.kept([("证件号码：", True), (idnumber.mask_id(party.id_number), False)], width))
    if result.accepted_at is not None:
        flow.append(s.kept([("受理时间：", True), (lay.datetime_text(result.accepted_at), False)], width))
    flow.append(
        s.kept([("受理人：", True), (result.clerk_name, False), (f"（工号 {result.clerk_staff_no}）", False)], width)
    )
    flow.append(s.kept([("承诺办结：", True), (promised_text(result), False)], width))
    flow.append(lay.Rule(0.6, 3))
    kept = kept_of(result)
    # Nothing kept (every original checked and returned): "（无）", as on A4, not "（共 0 项）".
    flow.append(s.p(f"已收取的材料（{totals_text(kept, result.item) if kept else '无'}）", s.heading))
    for index, m in enumerate(kept, 1):
        owner = f"（{m.party_name}）" if m.party_name else ""
        flow.append(s.p(f"{index}. {m.name}{owner} {status_text(m, unit_of(m, result.item))}", s.body))
    for title, listed in (
        ("已核验的材料（原件已退还）", checked_of(result)),
        ("电子证照核验的材料", e_verified_of(result)),
    ):
        if listed:
            flow.append(s.p(f"{title}（{len(listed)} 项）", s.heading))
            for index, m in enumerate(listed, 1):
                owner = f"（{m.party_name}）" if m.party_name else ""
                flow.append(s.p(f"{index}. {m.name}{owner}", s.body))
    owed = owed_block(s, result, settings, width)
    if owed:
        flow.append(owed[0])
        flow.append(owed[1])
        for index, m in enumerate(owed_of(result), 1):
            owner = f"（{m.party_name}）" if m.party_name else ""
            flow.append(s.p(f"{index}. {m.name}{owner} {form_text(m)} {m.count} {unit_of(m, result.item)}", s.body))
    flow.append(lay.Rule(0.6, 3))
    url = progress_url(settings, result)
    if url is not None:
        flow.append(s.p("扫码查询办理进度", s.center))
        qr = lay.qr_drawing(url, 36 * lay.mm)
        centred = lay.grid([[qr]], [width], lines=False, pad=0)
        centred.setStyle([("ALIGN", (0, 0), (-1, -1), "CENTER")])
        flow.append(centred)
    else:
        flow.append(s.p("凭受理编号和查询码到本中心查询办理进度", s.center))
    for line in contact_lines(settings):
        flow.append(s.p(line, s.center))
    if result.promised_estimated:
        flow.append(s.p(ESTIMATE_NOTE, s.small))
    if result.promised_provisional and result.promised_date is not None:
        flow.append(s.p(provisional_note(result), s.small))
    flow.append(lay.spacer(3))
    flow.append(
        lay.ThermalSealBlock(
            s,
            settings.center_name,
            lay.local(result.accepted_at or result.decided_at).date(),
            line_seal=settings.thermal_seal != "none",
            size_pt=9,
        )
    )
    flow.append(lay.spacer(3))
    flow.append(s.p("申请人（或代理人）签收：", s.body))
    signed = printable(result, RECEIPT_SIGNERS)
    if signed is not None:
        flow.append(SignatureBox(signed, THERMAL_BOX))
    flow.append(s.p("签收时间：____年__月__日__时__分", s.body))
    flow.append(lay.spacer(2))
    flow.append(s.p("本回执是受理凭证，请妥善保管。", s.center))
    height = lay.measure(flow, width) + 2 * lay.THERMAL_MARGIN + 6 * lay.mm
    pdf, pages = lay.build(
        flow,
        meta(DocumentKind.RECEIPT, result.acceptance_no, result, settings),
        pagesize=(lay.THERMAL_WIDTH, height),
        margins=(lay.THERMAL_MARGIN, lay.THERMAL_MARGIN, lay.THERMAL_MARGIN, lay.THERMAL_MARGIN),
    )
    return RenderedDocument(
        DocumentKind.RECEIPT, result.acceptance_no, Paper.THERMAL80, pdf, pages, unprintable_of(result, fonts)
    )


def _receipt_pairs(result: DecisionResult, settings: DocumentSettings, *, full: bool = False) -> list[tuple[str, str]]:
    """What the A4 receipt states (``full``); the 80 mm roll draws its own lines, without the time the materials
    came in and the window."""
    pairs = [("事项", result.item_name)]
    if full:
        pairs.append(("承办部门", settings.department_name(result.department)))
        if result.item is not None and result.item.legal_basis:
            pairs.append(("办理依据", item_basis(result.item)))  # documents.md §2; none recorded: no row
    for party in result.parties:
        if party.role in ("applicant", "agent", "guardian"):
            pairs.append((party_label(result, party.role), person_text(party)))
    if full:
        pairs.append(("收件时间", lay.datetime_text(result.received_at)))
    if result.accepted_at is not None:
        pairs.append(("受理时间", lay.datetime_text(result.accepted_at)))
    window = f"　{result.center.window_name}" if full else ""
    pairs.append(("受理人", f"{result.clerk_name}（工号 {result.clerk_staff_no}）{window}"))
    pairs.append(("承诺办结", promised_text(result)))
    return pairs


# ------------------------------------------------------------------------------------------------ notices


def _notice_opening(
    s: lay.Styles,
    t: lay.Styles,
    settings: DocumentSettings,
    result: DecisionResult,
    number: str,
    title: str,
    subtitle: str | None = None,
) -> list[Flowable]:
    """Centre, title, number top right, the applicant (ID masked), and the addressee line."""
    flow = header(s, settings, title, subtitle)
    flow.append(number_line(t, "编号", number))
    flow.append(s.p(f"申请人：{person_text(result.applicant)}", t.body))
    flow.append(lay.spacer(2))
    flow.append(s.p(f"{result.applicant.name}："))
    return flow


def keep_with_previous(flow: list[Flowable], items: list[Flowable]) -> None:
    """Append ``items`` (the seal block) kept on one page with the last flowable: GB/T 9704 §7.3.5 wants the seal
    within one line of the text, never alone on a page."""
    last = flow.pop()
    flow.append(KeepTogether([last, *items]))


def _notice_close(flow: list[Flowable], s: lay.Styles, result: DecisionResult, settings: DocumentSettings) -> None:
    """The 署名 of the deciding body (``documents.deciding_body``: the centre, the 街道办事处 or the department) with
    the seal and the date, and the applicant's 签收 with date and time."""
    seal = lay.SealBlock(
        s, settings.decider, lay.local(result.decided_at).date(), settings.seal_png, size_pt=lay.NOTICE_BODY_PT
    )
    width = A4[0] - lay.A4_MARGINS[1] - lay.A4_MARGINS[3]
    small = lay.make_styles(s.fonts, body_pt=lay.SMALL4_PT)
    signature = signature_receipt(small, width, printable(result, RECEIPT_SIGNERS))
    closing: list[Flowable] = [lay.spacer(6), seal, lay.spacer(6), signature]
    if settings.notice_copies >= 2:
        # documents.md §2: the number of copies and where each goes ("第一联存档，第二联交申请人").
        copies = "两" if settings.notice_copies == 2 else str(settings.notice_copies)
        closing.append(small.p(f"本通知书一式{copies}份：一份交申请人，其余经申请人签收后存档。", small.small))
    keep_with_previous(flow, closing)


def _supplement_notice(result: DecisionResult, settings: DocumentSettings, fonts: FontSet) -> RenderedDocument:
    s = lay.make_styles(fonts, body_pt=lay.NOTICE_BODY_PT)
    t = lay.make_styles(fonts, body_pt=lay.SMALL4_PT)
    width = A4[0] - lay.A4_MARGINS[1] - lay.A4_MARGINS[3]
    number = result.notice_no or result.acceptance_no
    flow = _notice_opening(s, t, settings, result, number, "补正材料通知书", "（一次性告知书）")
    flow.append(
        s.p(
            f"您于{lay.date_text(lay.local(result.received_at).date())}申请办理的“{result.item_name}”"
            f"（办件编号 {result.acceptance_no}），经审查，申请材料不齐全或者不符合法定形式。"
            f"{according_to(supplement_basis(result.item))}，现将需要补正的全部材料一次性告知如下：",
            s.body_indent,
        )
    )
    flow.append(lay.spacer(2))
    missing = result.missing_materials
    flow.append(materials_table(t, missing, with_reason=True, item=result.item, width=width))
    flow.append(lay.spacer(2))
    flow.append(
        s.p(
            f"以上 {len(missing)} 项是需要补正的全部材料，本中心不会再要求补正本通知书未列明的材料。请您补齐后携带"
            "本通知书，到本中心任一综合窗口凭办件编号继续办理；承诺办结时限自材料补齐之日起计算。",
            s.body_indent,
        )
    )
    contact = f"经办人：{result.clerk_name}（工号 {result.clerk_staff_no}）"
    extra = contact_lines(settings)
    flow.append(s.p("　".join([contact, *extra]), t.body))
    _notice_close(flow, s, result, settings)
    pdf, pages = lay.build(
        flow, meta(DocumentKind.SUPPLEMENT_NOTICE, number, result, settings), on_page=_numbers_if_long(fonts)
    )
    return RenderedDocument(DocumentKind.SUPPLEMENT_NOTICE, number, Paper.A4, pdf, pages, unprintable_of(result, fonts))


def appeal_text(settings: DocumentSettings, result: DecisionResult | None = None) -> str:
    """The rights of 行政复议 and 行政诉讼 (rules.md §4), naming the bodies: the item's, else its 承办部门's, else
    the deployment's; none configured: the neutral wording."""
    review_body, court_name = settings.appeal_bodies(
        result.item if result else None, result.department if result else ""
    )
    review = f"向{review_body}" if review_body else "依法"
    court = f"向{court_name}" if court_name else "向有管辖权的人民法院"
    return (
        f"如不服本决定，可以自知道或者应当知道该行政行为之日起六十日内{review}申请行政复议（《中华人民共和国行政复议法》"
        f"第二十条），或者自知道或者应当知道作出行政行为之日起六个月内{court}提起行政诉讼（《中华人民共和国行政诉讼法》"
        "第四十六条）。"
    )


def refusal_grounds(result: DecisionResult) -> str:
    """What a refusal rests on: the rule the clerk named (``refusal_basis``); for a 行政许可 refused as not
    competent or needing no application, 行政许可法 Art. 32(1)(2) or (1)(1); else the item's own basis; else the
    neutral 有关规定.  Never the licensing law for a benefit."""
    basis = result.refusal_basis
    ground = result.refusal_ground
    if basis:
        cited = basis
    elif is_licensing(result.item) and ground == "not_competent":
        cited = f"{LICENSING_ART_32}第一款第（二）项"
    elif is_licensing(result.item) and ground == "no_application":
        cited = f"{LICENSING_ART_32}第一款第（一）项"
    else:
        cited = item_basis(result.item)
    return according_to(cited)


def according_to(cited: str) -> str:
    """根据《…》的规定; with nothing recorded, 根据有关规定 (never "根据有关规定的规定")."""
    return f"根据{cited}的规定" if cited != NEUTRAL_BASIS else f"根据{NEUTRAL_BASIS}"


def _refusal_notice(result: DecisionResult, settings: DocumentSettings, fonts: FontSet) -> RenderedDocument:
    s = lay.make_styles(fonts, body_pt=lay.NOTICE_BODY_PT)
    t = lay.make_styles(fonts, body_pt=lay.SMALL4_PT)
    number = result.notice_no or result.acceptance_no
    flow = _notice_opening(s, t, settings, result, number, "不予受理通知书")
    flow.append(
        s.p(
            f"您于{lay.date_text(lay.local(result.received_at).date())}申请办理的“{result.item_name}”"
            f"（办件编号 {result.acceptance_no}），经审查，{refusal_grounds(result)}，决定不予受理。理由如下：",
            s.body_indent,
        )
    )
    flow.append(s.p(result.refusal_reason or "", s.body_indent))
    office = result.competent_office
    if result.refusal_ground == "not_competent" and office:
        flow.append(s.p(f"该事项不属于本机关职权范围，请您向{office}申请。", s.body_indent))
    flow.append(s.p(appeal_text(settings, result), s.body_indent))
    contact = f"经办人：{result.clerk_name}（工号 {result.clerk_staff_no}）"
    flow.append(s.p("　".join([contact, *contact_lines(settings)]), t.body))
    _notice_close(flow, s, result, settings)
    pdf, pages = lay.build(
        flow, meta(DocumentKind.REFUSAL_NOTICE, number, result, settings), on_page=_numbers_if_long(fonts)
    )
    return RenderedDocument(DocumentKind.REFUSAL_NOTICE, number, Paper.A4, pdf, pages, unprintable_of(result, fonts))


def _precheck_notice(result: DecisionResult, settings: DocumentSettings, fonts: FontSet) -> RenderedDocument:
    """预审告知单: what is complete, what is missing, where to register — a pre-check is not an acceptance."""
    s = lay.make_styles(fonts, body_pt=lay.SMALL4_PT)
    width = A4[0] - RECEIPT_MARGINS[1] - RECEIPT_MARGINS[3]
    number = result.acceptance_no
    outcome = {
        Decision.ACCEPT: "材料齐全，可按预约时间到登记机关办理。",
        Decision.SUPPLEMENT: "材料不全，请按下列清单补齐后再到登记机关办理。",
        Decision.REFUSE: "不符合登记条件。",
    }[result.decision]
    flow: list[Flowable] = header(s, settings, "预审告知单", f"（{result.item_name}）")
    flow.append(number_line(s, "办件编号", number))
    rows = case_rows(result)
    item = result.item
    rows.append(("预审时间", lay.datetime_text(result.decided_at)))
    rows.append(("预审人", f"{result.clerk_name}（工号 {result.clerk_staff_no}）　{result.center.window_name}"))
    rows.append(("预审结果", outcome))
    if result.decision is Decision.REFUSE and result.refusal_reason:
        rows.append(("原因", result.refusal_reason))
    cells = [[s.p(a, s.cell_bold), s.p(b, s.cell)] for a, b in rows]
    flow.append(lay.grid(cells, [30 * lay.mm, width - 30 * lay.mm], label_columns=(0,)))
    received = result.received_materials
    flow.append(s.p("已核对的材料", s.heading))
    if received:
        checked: list[Any] = [s.p(f"{i}. {m.name}（{owner_of(m, item)}）", s.cell) for i, m in enumerate(received, 1)]
        pairs = [checked[i : i + 2] + [""] * (2 - len(checked[i : i + 2])) for i in range(0, len(checked), 2)]
        flow.append(lay.grid(pairs, [width / 2, width / 2], lines=False, pad=2))
    else:
        flow.append(s.p("（无）", s.small))
    missing = result.missing_materials
    if missing:
        flow.append(s.p("尚缺或不合格的材料（已一次性全部列明）", s.heading))
        flow.append(materials_table(s, missing, with_reason=True, item=item, width=width))
    flow.append(s.p("提示", s.heading))
    flow.append(
        s.p(
            "本告知单是材料预审的结果，不是登记凭证，也不是受理回执。登记须由当事人本人携带上列材料的原件，"
            "按预约时间到登记机关办理。",
            s.body,
        )
    )
    if contact_lines(settings):
        flow.append(s.p("　".join(contact_lines(settings)), s.body))
    seal = lay.SealBlock(s, settings.center_name, lay.local(result.decided_at).date(), settings.seal_png, size_pt=14)
    keep_with_previous(flow, [lay.spacer(4), seal])
    # A slip like the receipt (not a 公文): the receipt's margins keep it on one page.
    pdf, pages = lay.build(
        flow,
        meta(DocumentKind.PRECHECK_NOTICE, number, result, settings),
        margins=RECEIPT_MARGINS,
        on_page=_numbers_if_long(fonts, RECEIPT_MARGINS),
    )
    return RenderedDocument(DocumentKind.PRECHECK_NOTICE, number, Paper.A4, pdf, pages, unprintable_of(result, fonts))


# ------------------------------------------------------------------------------------------------ 答复单


def _answer_slip(result: DecisionResult, settings: DocumentSettings, fonts: FontSet) -> RenderedDocument:
    """答复单 of an inquiry (查询) answered on the spot: the question and its answer, nothing accepted.

    No 受理, no promised date, no seal: it informs, it decides nothing (docs/documents.md "答复单").  The number is
    the case's 办件编号, the one the record and the progress page know.
    """
    s = lay.make_styles(fonts, body_pt=lay.SMALL4_PT)
    width = A4[0] - RECEIPT_MARGINS[1] - RECEIPT_MARGINS[3]
    number = result.acceptance_no
    flow: list[Flowable] = header(s, settings, "答复单", f"（{result.item_name}）")
    flow.append(number_line(s, "办件编号", number))
    rows = case_rows(result)
    rows.append(("答复时间", lay.datetime_text(result.decided_at)))
    rows.append(("答复人", f"{result.clerk_name}（工号 {result.clerk_staff_no}）　{result.center.window_name}"))
    cells = [[s.p(a, s.cell_bold), s.p(b, s.cell)] for a, b in rows]
    flow.append(lay.grid(cells, [30 * lay.mm, width - 30 * lay.mm], label_columns=(0,)))
    flow.append(s.p("说明", s.heading))
    flow.append(
        s.p(
            "本答复单是对您查询事项的当场答复，不是受理回执，也不产生办理时限。如对答复内容有疑问，"
            "可凭办件编号到本中心窗口或致电咨询。",
            s.body,
        )
    )
    if contact_lines(settings):
        flow.append(s.p("　".join(contact_lines(settings)), s.body))
    flow.append(lay.spacer(4))
    flow.append(s.p(f"{settings.center_name}　{lay.date_text(lay.local(result.decided_at).date())}", s.right))
    pdf, pages = lay.build(
        flow,
        meta(DocumentKind.ANSWER_SLIP, number, result, settings),
        margins=RECEIPT_MARGINS,
        on_page=_numbers_if_long(fonts, RECEIPT_MARGINS),
    )
    return RenderedDocument(DocumentKind.ANSWER_SLIP, number, Paper.A4, pdf, pages, unprintable_of(result, fonts))
