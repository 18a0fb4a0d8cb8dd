"""The 材料交接单 (A4): the paper of a day's accepted cases, handed from the window to the back office.

Drawn from :class:`app.reports.handover.HandoverList` (what goes and what does not is decided there).  One table per
case (受理编号, item, applicant with the ID number masked, then each material handed over with its form, status and
count), the lines seen but not handed over named apart, the totals per unit, and the 移交人 / 接收人 signature lines
with date and time.  A list read back from its record (``HandoverList.record``) prints its 交接单编号, the 接收部门,
the 移交人 and the moment it was handed over; before it is recorded the number reads （未登记）.
An internal paper between two desks: no seal, monochrome, 小四 on A4.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from reportlab.platypus import Flowable, KeepTogether

from app.documents import layout as lay
from app.documents.common import STATUS_ZH, form_text, status_text
from app.documents.fonts import FontSet
from app.domain import Decision
from app.intake.model import MaterialView
from app.localtime import SHANGHAI
from app.reports.handover import HandoverCase, HandoverList

TITLE = "材料交接单"
MARGINS = (22 * lay.mm, 20 * lay.mm, 22 * lay.mm, 22 * lay.mm)  # top, right, bottom, left: a working list, not a 公文
UNITS = ("份", "张", "本")

_DECISION_ZH = {
    Decision.ACCEPT.value: "受理",
    Decision.TOLERATED.value: "容缺受理",
    Decision.FIRST_AID.value: "先行救助",
}


def units_text(copies: dict[str, int]) -> str:
    """``5 份、2 张、1 本`` in that order (units the list does not use are left out)."""
    order = sorted(copies, key=lambda u: UNITS.index(u) if u in UNITS else len(UNITS))
    return "、".join(f"{copies[u]} {u}" for u in order if copies[u])


def totals_text(handover: HandoverList) -> str:
    """``共 3 件、材料 7 项，计 5 份、2 张、1 本`` (件: cases; 项: material lines; then the copies per unit)."""
    text = f"共 {len(handover.cases)} 件、材料 {handover.material_lines} 项"
    copies = units_text(handover.copies)
    return f"{text}，计 {copies}" if copies else text


def _material_name(m: MaterialView) -> str:
    return f"{m.name}（{m.party_name}）" if m.party_name else m.name


def _case_block(s: lay.Styles, case: HandoverCase, index: int, width: float, recorded: bool = False) -> list[Flowable]:
    accepted = lay.local(case.accepted_at)
    how = _DECISION_ZH.get(case.decision, case.decision)
    if case.brought_later:
        how = f"{lay.date_text(accepted.date())}{how}，{'补交材料' if recorded else '今日补交材料'}"
    else:
        how = f"{how} {accepted:%H:%M}"
    head = [
        s.kept(
            [
                (f"{index}．受理编号：", False),
                (case.acceptance_no, True),
                (f"　{case.item_name}", False),
                (f"（{how}）", False),
            ],
            width,
            s.cell,
        ),
        s.kept(
            [
                (f"{case.party_label}：", False),
                (case.applicant_name, True),
                (f"（{case.applicant_id_masked}）" if case.applicant_id_masked else "", False),
            ],
            width,
            s.cell,
        ),
    ]
    plan = lay.columns(width, [10, None, 25, 58, 16])
    rows: list[list[Any]] = [
        [s.p(h, s.cell_bold) for h in ("序号", "移交的材料", "形式", "状态", "数量")],
    ]
    for n, m in enumerate(case.handed, 1):
        rows.append(
            [
                s.p(str(n), s.cell),
                s.p(_material_name(m), s.cell),
                s.p(form_text(m), s.cell),
                s.p(status_text(m, m.unit, short=True), s.cell),
                s.p(f"{m.count} {m.unit}", s.cell),
            ]
        )
    if not case.handed:
        rows.append([s.p("—", s.cell), s.p("（无纸质材料移交）", s.cell), "", "", ""])
    block: list[Flowable] = [*head, lay.spacer(1), lay.grid(rows, plan, header=True)]
    notes: list[tuple[str, bool]] = []
    if case.handed:
        notes.append((f"本件移交 {len(case.handed)} 项，计 {units_text(case.copies)}。", False))
    if case.not_handed:
        # Grouped by what happened (no bracket inside a bracket); each name keeps its 、 or 。 on its line.
        notes.append(("不随件移交：", True))
        groups = [
            (st, [m for m in case.not_handed if m.status == st])
            for st in dict.fromkeys(m.status for m in case.not_handed)
        ]
        for g, (status, listed) in enumerate(groups):
            notes.append((f"{STATUS_ZH[status]}：", False))
            for n, m in enumerate(listed):
                mark = "、" if n < len(listed) - 1 else ("；" if g < len(groups) - 1 else "。")
                notes.append((_material_name(m) + mark, False))
    if case.owed:
        notes.append(("待补交：", True))
        for n, m in enumerate(case.owed):
            notes.append(
                (_material_name(m) + ("、" if n < len(case.owed) - 1 else "（补交当日随交接单移交）。"), False)
            )
    if notes:
        block.append(s.kept(notes, width, s.cell))
    block.append(lay.spacer(3))
    return [KeepTogether(block)]


def _signatures(s: lay.Styles, handover: HandoverList) -> list[Flowable]:
    when = "____年__月__日__时__分"
    handed = when
    if handover.record is not None:
        at = lay.local(handover.record.handed_at)
        handed = f"{lay.date_text(at.date())}{at:%H}时{at:%M}分"
    return [
        s.p(f"移交人（签名）：________________　　移交时间：{handed}"),
        lay.spacer(2),
        s.p(f"接收人（签名）：________________　　接收时间：{when}"),
    ]


def _flow(handover: HandoverList, fonts: FontSet) -> list[Flowable]:
    s = lay.make_styles(fonts, body_pt=lay.SMALL4_PT, title_pt=18)
    width = lay.A4[0] - MARGINS[1] - MARGINS[3]
    center = handover.center
    flow: list[Flowable] = [s.p(center.name, s.org), s.p(TITLE, s.title)]
    flow.append(
        s.kept(
            [
                ("受理窗口：", False),
                (f"{center.window_name}（工位 {center.workstation_code}）", False),
                ("　交接日期：", False),
                (lay.date_text(handover.day), True),
            ],
            width,
        )
    )
    record = handover.record
    if record is not None:
        parts = [
            ("交接单编号：", False),
            (record.number, True),
            ("　接收部门：", False),
            (record.department, True),
            ("　移交人：", False),
            (record.handed_by_name, False),
        ]
        if record.receiver:
            parts += [("　接收人：", False), (record.receiver, False)]
    else:
        departments = handover.departments
        parts = [("交接单编号：", False), ("（未登记）", False), ("　接收部门：", False)]
        going = handover.department or (departments[0] if len(departments) == 1 else "________________")
        parts.append((going, False))
    flow.append(s.kept(parts, width))
    flow.append(lay.Rule(0.6, 3))
    if handover.cases:
        for index, case in enumerate(handover.cases, 1):
            flow += _case_block(s, case, index, width, recorded=record is not None)
    else:
        flow.append(s.p("本日没有需要移交后台的纸质材料。", s.body))
    closing: list[Flowable] = [
        s.rich([("合计：", True), (f"{totals_text(handover)}。", False)]),
        s.p(
            "原件核验后已退还申请人的材料和电子证照核验的材料不随件移交。接收人请逐件核对，"
            "与本单不符的，当场在本单注明后签收。",
            s.small,
        ),
        lay.spacer(4),
        *_signatures(s, handover),
    ]
    flow.append(KeepTogether(closing))
    return flow


def render_handover(handover: HandoverList, fonts: FontSet) -> tuple[bytes, int]:
    """The 材料交接单 of ``handover``: the PDF bytes and the page count (numbered when longer than a page)."""
    center = handover.center
    created = max(
        (c.accepted_at for c in handover.cases),
        default=dt.datetime.combine(handover.day, dt.time(), SHANGHAI),
    )
    if handover.record is not None:
        created = handover.record.handed_at
    meta = lay.Meta(
        title=f"{TITLE} {handover.record.number if handover.record else handover.day.isoformat()}",
        author=center.name,
        subject=f"{center.window_name} {TITLE}",
        created=created,
        keywords=f"handover {center.workstation_code} {handover.day.isoformat()}",
    )
    pdf, pages = lay.build(_flow(handover, fonts), meta, margins=MARGINS)
    if pages > 1:
        pdf, pages = lay.build(_flow(handover, fonts), meta, margins=MARGINS, on_page=lay.page_numbers(fonts, MARGINS))
    return pdf, pages
