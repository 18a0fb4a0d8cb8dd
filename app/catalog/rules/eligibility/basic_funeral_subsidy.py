"""The named rule ``basic_funeral_subsidy``: 基本殡葬服务补贴, who it is for and its cap.

Registered in :mod:`app.catalog.rules.registration`; what an item naming it must declare is
``RULE_NEEDS[RuleName.BASIC_FUNERAL_SUBSIDY]`` in :mod:`app.catalog.schema.rule_names`.
"""

from __future__ import annotations

from datetime import date

from app.catalog.rules.amounts import amount_on
from app.catalog.rules.case import Form, Problem
from app.catalog.schema import DatedAmount, ServiceItem
from app.i18n import msg
from app.money import format_fen


def check(form: Form) -> list[Problem]:
    """基本殡葬服务补贴: the deceased had Shanghai 户籍, was cremated in Shanghai and belonged to an eligible group.

    Source: items §13, https://mzj.sh.gov.cn/binzang-grbs/20241021/54c1aaa48f724ce0a9656ec8750ab62b.html: eligible
    groups 重点优抚对象, 低保, 特困, 定期定量, 因病支出型贫困, or no social-insurance funeral grant; cap 980 元/具,
    paid at cost; the 丧事承办人 applies at the center of the deceased's 户籍地.  Whether other centers may take it
    under 全市通办 is unresolved (items, cross-cutting), so a center other than the 户籍地 one is a warning.
    The deceased's 户籍 itself is checked by ``residence_required`` with ``residence_party: deceased``.
    """
    problems: list[Problem] = []
    if form.values.get("deceased_status") == "none":
        problems.append(
            Problem(
                "deceased_status",
                msg(
                    "catalog",
                    "基本殡葬服务补贴限重点优抚对象、低保、特困、定期定量救济、因病支出型贫困对象，"
                    "以及未享受社保丧葬费补贴的人员",
                ),
                "error",
            )
        )
    if form.values.get("cremated_in_shanghai") is False:
        problems.append(Problem("cremated_in_shanghai", msg("catalog", "基本殡葬服务补贴限在本市火化的逝者"), "error"))
    if form.values.get("hukou_at_this_center") is False:
        problems.append(
            Problem(
                "hukou_at_this_center",
                msg(
                    "catalog",
                    "市民政局指南写明在逝者户籍地的社区事务受理服务中心申请；本中心不是逝者户籍地中心，"
                    "是否可以全市通办尚未确认，请核实后再受理",
                ),
                "warning",
            )
        )
    problems.extend(_future_deaths(form))
    cap = funeral_subsidy_cap(form.ctx.item, form.ctx.on)
    claimed = form.values.get("claimed_fen")
    if cap is not None and isinstance(claimed, int) and not isinstance(claimed, bool) and claimed > cap.fen:
        problems.append(
            Problem(
                "claimed_fen",
                msg("catalog", "票据金额 {claimed} 元超过补贴上限 {cap} 元/具：按实报销，最多补贴 {cap} 元").bind(
                    claimed=format_fen(claimed), cap=format_fen(cap.fen)
                ),
                "warning",
            )
        )
    return problems


def _future_deaths(form: Form) -> list[Problem]:
    """A date of death after the day of the application is a typing error (the 火化证明 is already in hand)."""
    problems = []
    for index, party in enumerate(form.ctx.parties):
        if party.role != "deceased":
            continue
        died = party.values.get("death_date")
        if isinstance(died, str):
            try:
                died = date.fromisoformat(died)
            except ValueError:
                continue  # the field's own check says what is wrong with it
        if isinstance(died, date) and died > form.ctx.on:
            problems.append(
                Problem(
                    "death_date",
                    msg("catalog", "死亡日期 {died} 晚于今天（{today}）：请按火化证明核对死亡日期").bind(
                        died=died.isoformat(), today=form.ctx.on.isoformat()
                    ),
                    "error",
                    party_index=index,
                )
            )
    return problems


def funeral_subsidy_cap(item: ServiceItem, on: date) -> DatedAmount | None:
    """基本殡葬服务补贴: the cap per deceased in force (items §13: 980 元/具 in 2024)."""
    return amount_on(item, "cap", on)
