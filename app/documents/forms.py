"""The 申请表 of a catalog item, generated from its parties, fields and materials, pre-filled from the record.

A new item prints without new code: the form is built from the item definition (STYLE.md §18, "intake forms
generated from the catalog").  An item whose official form needs its own layout names one in ``form_layout``
(:class:`~app.catalog.schema.FormLayout`); ``side_by_side`` sets the two parties of a marriage pre-check in two
columns, as the official 申请结婚登记声明书 does.

The 申请表 is the application itself, signed by the applicant and read by the back office, so it prints the full
ID numbers (rules.md §8: "print the full number only where the document's legal function needs it").  Signature
lines: the applicant, and each spouse, guardian or agent the item takes (only those present on a filled form);
household tables carry a 签名 column, since each member signs for the 经济状况核对 (catalog-items.md §1).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether

from app.catalog import rules as catalog_rules
from app.catalog.schema import MATERIAL_FORM_ZH, FieldDef, FieldType, FormLayout, Kind, PartySpec, ServiceItem
from app.documents import layout as lay
from app.documents.common import (
    applicant_label,
    form_text,
    meta,
    owner_of,
    status_text,
    unit_of,
    unprintable_of,
    value_text,
)
from app.documents.fonts import FontSet
from app.documents.model import DocumentKind, DocumentSettings, Paper, RenderedDocument
from app.documents.signature_boxes import SignedLine, printable
from app.domain import PartyRole
from app.intake.model import DecisionResult, PartyView

TEXT_WIDTH = A4[0] - lay.A4_MARGINS[1] - lay.A4_MARGINS[3]
NUMERALS = "一二三四五六七八九十"
SEX = {"M": "男", "F": "女"}
QUALIFIERS = ("（如有）", "（可选）", "（如适用）", "（选填）")
SIGNING_ROLES = (PartyRole.SPOUSE, PartyRole.GUARDIAN, PartyRole.AGENT)
BLANK_ROWS = 3
# Room a section needs below its heading (the heading, a table's header and two rows) or it starts on the next page.
SECTION_START = 28 * lay.mm
TITLE_MIN_PT = 14
PLEDGE = (
    "本人承诺：以上填写的内容和提交的材料真实、准确、完整，如有虚假，愿意承担相应的法律责任；"
    "同意经办机关为办理本事项核对相关信息。"
)


def form_title(item: ServiceItem) -> str:
    """``最低生活保障申请`` → ``最低生活保障申请表``; a name not ending in 申请/申领/申报 gets ``申请表``."""
    name = item.name.zh
    return f"{name}表" if name.endswith(("申请", "申领", "申报")) else f"{name}申请表"


def render_form(result: DecisionResult, settings: DocumentSettings, fonts: FontSet) -> RenderedDocument:
    """The 申请表 of a stored application, pre-filled."""
    assert result.item is not None, "a DecisionResult for documents carries its item version"
    pdf, pages = _build(result.item, result, settings, fonts)
    return RenderedDocument(
        DocumentKind.FORM, result.acceptance_no, Paper.A4, pdf, pages, unprintable_of(result, fonts)
    )


def render_blank_form(
    item: ServiceItem, settings: DocumentSettings, fonts: FontSet, *, created: dt.datetime
) -> RenderedDocument:
    """An empty 申请表 of ``item`` (for the wall rack, and for items that are not decided at the counter)."""
    pdf, pages = _build(item, None, settings, fonts, created=created)
    return RenderedDocument(DocumentKind.FORM, item.code, Paper.A4, pdf, pages, ())


# ------------------------------------------------------------------------------------------------ building


class _Form:
    """One form being laid out: numbered sections, label/value grids and tables."""

    def __init__(self, item: ServiceItem, record: DecisionResult | None, settings: DocumentSettings, fonts: FontSet):
        self.item, self.record, self.settings = item, record, settings
        self.s = lay.make_styles(fonts, body_pt=lay.FIVE_PT, title_pt=18)
        self.flow: list[Flowable] = []
        self.sections = 0

    def section(self, title: str) -> None:
        numeral = NUMERALS[self.sections] if self.sections < len(NUMERALS) else str(self.sections + 1)
        self.sections += 1
        # Never a heading alone at the foot of a page: it starts a new page unless its first rows fit below it.
        self.flow.append(CondPageBreak(SECTION_START))
        self.flow.append(self.s.p(f"{numeral}、{title}", self.s.heading))

    def cell(self, text: str, bold: bool = False) -> Any:
        return self.s.p(text, self.s.cell_bold if bold else self.s.cell)

    def header_cell(self, text: str, width: float) -> Any:
        """A column header that never breaks right after an opening bracket: "（如适用）" moves down whole."""
        head, bracket, tail = text.partition("（")
        parts = [(head, True)] + ([(bracket + tail, True)] if bracket else [])
        return self.s.kept(parts, width - 2 * 3, self.s.cell_bold)

    def pairs(self, rows: Sequence[tuple[str, str, bool]], *, keep: list[Flowable] | None = None) -> None:
        """Label/value pairs, two to a line; a ``wide`` pair takes the whole line (into ``keep`` when given)."""
        label_w, value_w = 27 * lay.mm, (TEXT_WIDTH - 2 * 27 * lay.mm) / 2
        table: list[list[Any]] = []
        spans: list[int] = []
        pending: list[Any] = []
        for label, value, wide in rows:
            if wide:
                if pending:
                    table.append([*pending, "", ""])
                    pending = []
                spans.append(len(table))
                table.append([self.cell(label, True), self.cell(value), "", ""])
            else:
                pending += [self.cell(label, True), self.cell(value)]
                if len(pending) == 4:
                    table.append(pending)
                    pending = []
        if pending:
            table.append([*pending, "", ""])
        # A pair alone on its line takes the whole line: no empty label and value beside it.
        spans += [r for r, cells in enumerate(table) if cells[2] == "" and r not in spans]
        if not table:
            return
        grid = lay.grid(table, [label_w, value_w, label_w, value_w], label_columns=(0,))
        shade = lay.LABEL_SHADE
        labelled = [r for r, cells in enumerate(table) if r not in spans and cells[2] != ""]
        grid.setStyle(
            [("SPAN", (1, row), (3, row)) for row in spans]
            + [("BACKGROUND", (2, row), (2, row), shade) for row in labelled]
        )
        (self.flow if keep is None else keep).append(grid)

    def field_rows(self, fields: Sequence[FieldDef], values: dict[str, Any]) -> list[tuple[str, str, bool]]:
        rows = []
        for fdef in fields:
            if (
                self.record is not None
                and fdef.when is not None
                and not catalog_rules.condition_holds(fdef.when, values)
            ):
                continue  # hidden on the screen, so not asked: not on the form either
            wide = fdef.type in (FieldType.MULTILINE, FieldType.ADDRESS) or (fdef.constraints.max_length or 0) > 60
            value = cell_value(fdef, values.get(fdef.key))
            if self.record is None and not value and fdef.type is FieldType.MULTILINE and fdef.help is not None:
                value = f"如：{fdef.help.zh}"  # the field's own hint, for the citizen filling it in
            rows.append((fdef.label.zh, value, wide))
        return rows


def cell_value(fdef: FieldDef, raw: Any) -> str:
    """A value in a form's cell: as :func:`value_text` prints it, without a unit its label already gives
    ("月收入（元）" | "3,000.00", not "3,000.00 元")."""
    value = value_text(fdef, raw)
    if fdef.type is FieldType.MONEY and "元" in fdef.label.zh and value.endswith(" 元"):
        return value[: -len(" 元")]
    return value


def _parties(record: DecisionResult | None, role: PartyRole) -> list[PartyView]:
    return [p for p in record.parties if p.role == role.value] if record is not None else []


def _person_rows(party: PartyView | None) -> list[tuple[str, str, bool]]:
    if party is None:
        return [
            ("姓名", "", False),
            ("性别", "", False),
            ("证件号码", "", False),
            ("出生日期", "", False),
            ("联系电话", "", False),
        ]
    return [
        ("姓名", party.name, False),
        ("性别", SEX.get(party.sex or "", ""), False),
        ("证件号码", party.id_number or "", False),
        ("出生日期", lay.date_text(party.birth_date) if party.birth_date else "", False),
        ("联系电话", party.phone or "", False),
    ]


def _party_table(form: _Form, spec: PartySpec, parties: list[PartyView]) -> None:
    fields = list(spec.fields)
    fixed = [8 * lay.mm, 20 * lay.mm, 36 * lay.mm]
    sign_w = 18 * lay.mm
    rest = TEXT_WIDTH - sum(fixed) - sign_w
    widths = [*fixed, *([rest / len(fields)] * len(fields)), sign_w] if fields else [*fixed, rest, sign_w]
    head = (
        ["序号", "姓名", "证件号码", *(f.label.zh for f in fields)] if fields else ["序号", "姓名", "证件号码", "备注"]
    )
    rows: list[list[Any]] = [[form.header_cell(h, w) for h, w in zip([*head, "本人签名"], widths, strict=True)]]
    if parties:
        for index, party in enumerate(parties, 1):
            values = [cell_value(f, party.values.get(f.key)) for f in fields] if fields else [""]
            rows.append([form.cell(x) for x in [str(index), party.name, party.id_number or "", *values, ""]])
    else:
        blank = max(spec.min, BLANK_ROWS) if form.record is None else 1
        for index in range(blank):
            filler = "" if form.record is None else "无"
            rows.append([form.cell(x) for x in [str(index + 1), filler, *[""] * (len(head) - 2), ""]])
    form.flow.append(lay.grid(rows, widths, header=True))


def _materials(form: _Form) -> None:
    record = form.record
    if not (record.materials if record is not None else form.item.materials):
        return  # an item that asks for no material (a consultation): no empty table
    form.section("提交材料")
    widths = lay.columns(TEXT_WIDTH, [10, None, 30, 24, 34])
    rows: list[list[Any]] = [[form.cell(h, True) for h in ("序号", "材料名称", "提交人", "形式与数量", "核验与收取")]]
    if record is not None:
        for index, m in enumerate(record.materials, 1):
            unit = unit_of(m, form.item)
            rows.append(
                [
                    form.cell(str(index)),
                    form.cell(qualified(m.name, "" if m.required else "（可选）")),
                    form.cell(owner_of(m, form.item)),
                    form.cell(f"{form_text(m)} {m.count} {unit}"),
                    form.cell(status_text(m, unit)),
                ]
            )
    else:
        for index, mat in enumerate(form.item.materials, 1):
            spec = form.item.party(mat.per_party) if mat.per_party else None
            owner = spec.display_zh() if spec is not None else applicant_label(form.item)
            rows.append(
                [
                    form.cell(str(index)),
                    form.cell(qualified(mat.name.zh, "" if mat.required is True else "（如适用）")),
                    form.cell(owner),
                    form.cell(f"{MATERIAL_FORM_ZH[mat.form]} {mat.count} {mat.unit.value}"),
                    form.cell("□"),
                ]
            )
    form.flow.append(lay.grid(rows, widths, header=True))


def qualified(name: str, qualifier: str) -> str:
    """A material's name with its qualifier, never two ("身份证明（如有）（可选）")."""
    if not qualifier or name.endswith(QUALIFIERS):
        return name
    return name + qualifier


def _signatures(form: _Form) -> None:
    s = form.s
    first = form.item.parties[0].display_zh()
    form.section("当事人承诺" if first.startswith("当事人") else "申请人承诺")
    heading = form.flow.pop()  # kept with the pledge and the signatures: what is signed stays on the signed page
    signers = [(form.item.parties[0].display_zh(), form.item.parties[0].role)]
    for spec in form.item.parties[1:]:
        if spec.role in SIGNING_ROLES and (form.record is None or _parties(form.record, spec.role)):
            signers.append((spec.display_zh(), spec.role))
    lines: list[Flowable] = []
    for name, role in signers:
        # A signature from the counter's pad prints scaled into the line, with its day; else the blank for a pen.
        record = form.record
        signed = printable(record, [role.value]) if record is not None else None
        if signed is None or record is None:
            lines.append(s.p(f"{name}（签名）：____________________　　日期：______年____月____日", s.body))
        else:
            day = lay.date_text(lay.local(_signed_at(record, role.value)).date())
            lines.append(SignedLine(f"{name}（签名）：", signed, f"日期：{day}", s.fonts, s.body.fontSize))
    form.flow.append(KeepTogether([heading, s.p(PLEDGE, s.body_indent), lay.spacer(2), *lines]))


def _signed_at(record: DecisionResult, signer: str) -> dt.datetime:
    return next(v.signed_at for v in record.signatures if v.signer == signer and not v.superseded)


def title_style(style: ParagraphStyle, title: str) -> ParagraphStyle:
    """A long title shrinks to one line (down to 14 pt) rather than leave its last characters alone on a second
    line ("…办理申" / "请表"); longer still, it wraps at 14 pt."""
    size = max(TITLE_MIN_PT, min(style.fontSize, math.floor(TEXT_WIDTH / max(len(title), 1) * 2) / 2))
    if size == style.fontSize:
        return style
    return ParagraphStyle(f"{style.name}-{size}", parent=style, fontSize=size, leading=size * 1.4)


def number_label(record: DecisionResult | None) -> str:
    """受理编号 only for an accepted case; otherwise (补正, 不予受理, a pre-check, a blank form) the 办件编号."""
    accepted = record is not None and record.item_kind == Kind.APPLICATION.value and record.decision.accepts
    return "受理编号" if accepted else "办件编号"


def _window_box(form: _Form) -> None:
    """The counter's block, kept on one page with its title (no orphan row)."""
    record = form.record
    block: list[Flowable] = [lay.spacer(3), lay.Rule(0.5, 2), form.s.p("以下由受理窗口填写", form.s.cell_bold)]
    label = number_label(record)
    if record is None:
        rows = [(label, "", False), ("收件日期", "", False), ("经办人", "", False), ("受理窗口", "", False)]
    else:
        rows = [
            (label, record.acceptance_no, False),
            ("收件日期", lay.date_text(lay.local(record.received_at).date()), False),
            ("经办人", f"{record.clerk_name}（工号 {record.clerk_staff_no}）", False),
            ("受理窗口", f"{record.center.name} {record.center.window_name}", False),
        ]
    form.pairs(rows, keep=block)
    form.flow.append(KeepTogether(block))


def _standard(form: _Form) -> None:
    record = form.record
    for spec in form.item.parties:
        parties = _parties(record, spec.role)
        if record is not None and not parties and spec.min == 0:
            continue  # an optional role nobody filled (no agent came): nothing to print
        title = f"{spec.display_zh()}信息"
        form.section(title)
        if spec.max == 1:
            party = parties[0] if parties else None
            rows = _person_rows(party) + form.field_rows(spec.fields, party.values if party else {})
            form.pairs(rows)
        else:
            _party_table(form, spec, parties)
    if form.item.fields:
        form.section("申请事项")
        form.pairs(form.field_rows(form.item.fields, record.values if record else {}))


def _side_by_side(form: _Form) -> None:
    """Two parties in two columns (the marriage pre-check: 当事人一方 / 另一方)."""
    record = form.record
    first, second = form.item.parties[0], form.item.parties[1]
    people: list[PartyView | None] = [next(iter(_parties(record, spec.role)), None) for spec in (first, second)]
    form.section("当事人信息")
    label_w = 30 * lay.mm
    col = (TEXT_WIDTH - label_w) / 2
    rows: list[list[Any]] = [
        [form.cell("", True), form.cell(first.display_zh(), True), form.cell(second.display_zh(), True)]
    ]
    base = [_person_rows(p) for p in people]
    for index, (label, _, _) in enumerate(base[0]):
        rows.append([form.cell(label, True), form.cell(base[0][index][1]), form.cell(base[1][index][1])])
    keys: list[FieldDef] = []
    for spec in (first, second):
        keys += [f for f in spec.fields if f.key not in {k.key for k in keys}]
    for fdef in keys:
        values = [cell_value(fdef, p.values.get(fdef.key)) if p else "" for p in people]
        rows.append([form.cell(fdef.label.zh, True), form.cell(values[0]), form.cell(values[1])])
    form.flow.append(lay.grid(rows, [label_w, col, col], header=True, label_columns=(0,)))
    if form.item.fields:
        form.section("办理事项")
        form.pairs(form.field_rows(form.item.fields, record.values if record else {}))


def _build(
    item: ServiceItem,
    record: DecisionResult | None,
    settings: DocumentSettings,
    fonts: FontSet,
    *,
    created: dt.datetime | None = None,
) -> tuple[bytes, int]:
    form = _Form(item, record, settings, fonts)
    s = form.s
    title = form_title(item)
    form.flow += [s.p(settings.center_name, s.org), lay.spacer(1), s.p(title, title_style(s.title, title))]
    if record is not None:
        received = lay.date_text(lay.local(record.received_at).date())
        stamp = f"{number_label(record)}：{record.acceptance_no}　　申请日期：{received}"
    else:
        stamp = "办件编号：____________________　　申请日期：______年____月____日"
    form.flow.append(s.p(stamp, s.right))
    if item.form_layout is FormLayout.SIDE_BY_SIDE:
        _side_by_side(form)
    else:
        _standard(form)
    _materials(form)
    _signatures(form)
    _window_box(form)
    when = record.decided_at if record is not None else created
    assert when is not None
    if record is not None:
        document_meta = meta(DocumentKind.FORM, record.acceptance_no, record, settings)
    else:
        document_meta = lay.Meta(
            title=form_title(item), author=settings.center_name, subject=item.name.zh, created=when
        )
    numbers = lay.page_numbers(fonts)

    def on_page(canv: Any, doc: Any) -> None:
        # As on notices: a one-page form carries no "— 1 —" (the count is known only after layout: page 2 on).
        if canv.getPageNumber() > 1:
            numbers(canv, doc)

    return lay.build(form.flow, document_meta, on_page=on_page)


__all__ = ["form_title", "render_blank_form", "render_form"]
