"""The 材料交接单 for a chosen set of applications, the cases with no paper to hand over, owed paper brought after a
case's list was recorded, and a recorded list printed again with its number (app/reports/handover.py,
app/documents/handover.py, ``record_handover`` in app/reports/dayclose.py).  Real stores, real PDFs."""

from __future__ import annotations

from typing import Any

import pytest

from app.documents.fonts import load_fonts
from app.documents.handover import render_handover
from app.domain import Decision, MaterialStatus
from app.errors import NotFoundError, ValidationError
from app.intake.model import DecisionInput, MaterialInput
from app.localtime import SHANGHAI, local_date
from app.reports.handover import handover_list, recorded_list
from tests import pdfkit
from tests.app.test_intake_materials import ALL, OWED_CATALOG, draft, present
from tests.conftest import add_user


@pytest.fixture
def owed(services_factory: Any) -> Any:
    return services_factory(catalog_dir=OWED_CATALOG)


def _accept(services: Any, clerk: Any, name: str, *ticks: MaterialInput, decision: Decision = Decision.ACCEPT) -> str:
    return services.intake.decide(draft(*ticks, name=name), DecisionInput(decision), clerk).acceptance_no


def test_a_chosen_set_lists_every_paper_of_those_cases_not_yet_handed_over(owed: Any, clock: Any) -> None:
    clerk = add_user(owed)
    first = _accept(owed, clerk, "甲", *present(*ALL))
    tolerated = _accept(
        owed, clerk, "乙", *present("applicant_id_card", "household_register", "photos"), decision=Decision.TOLERATED
    )
    _accept(owed, clerk, "丙", *present(*ALL))
    waiting = _accept(owed, clerk, "丁", *present("applicant_id_card"), decision=Decision.SUPPLEMENT)
    clock.advance(days=1)
    owed.intake.materials_return(tolerated, present("income_proof"), clerk)
    # Chosen on Tuesday: Monday's case and the 容缺受理 with its photos of Monday and its income proof of Tuesday.
    chosen = handover_list(owed.intake, by=clerk, acceptance_nos=[tolerated, first.replace("-", "")])
    assert chosen.chosen and [c.acceptance_no for c in chosen.cases] == [first, tolerated]
    late = chosen.cases[1]
    assert [m.key for m in late.handed] == ["household_register", "photos", "income_proof"] and late.owed == ()
    assert chosen.departments == (chosen.cases[0].department,)
    with pytest.raises(NotFoundError, match="找不到办件编号"):
        handover_list(owed.intake, by=clerk, acceptance_nos=[first[:-4] + "0099"])
    with pytest.raises(ValidationError, match="不是已受理的办件"):
        handover_list(owed.intake, by=clerk, acceptance_nos=[waiting])
    owed.day_close.record_handover(clerk, [first], "区民政局", None)
    again = handover_list(owed.intake, by=clerk, acceptance_nos=[first, tolerated])
    assert [c.acceptance_no for c in again.cases] == [tolerated]
    assert [c.acceptance_no for c in again.handed_over] == [first]


def test_a_case_with_nothing_kept_is_named_apart_and_never_waits_on_the_open_list(owed: Any) -> None:
    clerk = add_user(owed)
    nothing = _accept(owed, clerk, "甲", *present(*ALL, status=MaterialStatus.ORIGINAL_CHECKED))
    kept = _accept(owed, clerk, "乙", *present(*ALL))
    day = handover_list(owed.intake, by=clerk)
    assert [c.acceptance_no for c in day.cases] == [kept]
    (apart,) = day.no_paper
    assert apart.acceptance_no == nothing and apart.handed == () and apart.not_handed
    with pytest.raises(ValidationError, match="无需交接"):
        owed.day_close.record_handover(clerk, [nothing], "区民政局", None)
    owed.day_close.record_handover(clerk, [kept], "区民政局", None)
    after = handover_list(owed.intake, by=clerk)
    # Nothing is left to go: the day is done although the nothing-kept case was never recorded.
    assert after.cases == () and [c.acceptance_no for c in after.no_paper] == [nothing]
    text = pdfkit.flat(render_handover(after, load_fonts())[0])
    assert "本日没有需要移交后台的纸质材料。" in text and nothing not in text


def test_owed_paper_brought_on_the_day_the_earlier_list_was_recorded_is_still_handed_over(
    owed: Any, clock: Any
) -> None:
    """Monday's list recorded on Tuesday morning; the owed paper comes on Tuesday afternoon: it is on Tuesday's list
    (a list recorded that day no longer hides it) and goes with a list of its own."""
    clerk = add_user(owed)
    tolerated = _accept(
        owed, clerk, "乙", *present("applicant_id_card", "household_register", "photos"), decision=Decision.TOLERATED
    )
    monday = local_date(clock())
    clock.advance(hours=15)  # Tuesday morning
    tuesday = local_date(clock())
    assert tuesday != monday
    monday_list = owed.day_close.record_handover(clerk, [tolerated], "区民政局", None)
    clock.advance(hours=5)
    owed.intake.materials_return(tolerated, present("income_proof"), clerk)
    (case,) = handover_list(owed.intake, tuesday, by=clerk).cases
    assert [m.key for m in case.handed] == ["income_proof"] and case.handover_no is None
    assert [c.handover_no for c in handover_list(owed.intake, monday, by=clerk).handed_over] == [monday_list.number]
    tuesday_list = owed.day_close.record_handover(clerk, [tolerated], "区民政局", None)
    assert handover_list(owed.intake, tuesday, by=clerk).cases == ()
    assert [m.key for m in recorded_list(owed.intake, tuesday_list.number, by=clerk).cases[0].handed] == [
        "income_proof"
    ]


def test_the_printed_list_shows_its_number_and_department_once_recorded(owed: Any) -> None:
    clerk = add_user(owed)
    first = _accept(owed, clerk, "欧阳·娜娜", *present(*ALL))
    second = _accept(owed, clerk, "张𠮷", *present(*ALL))
    before = pdfkit.flat(render_handover(handover_list(owed.intake, by=clerk), load_fonts())[0])
    assert "交接单编号：（未登记）" in before and first in before and second in before
    view = owed.day_close.record_handover(clerk, [second], "区民政局社会救助科", "李·娜")
    recorded = recorded_list(owed.intake, view.number, by=clerk)
    assert [c.acceptance_no for c in recorded.cases] == [second]
    text = pdfkit.flat(render_handover(recorded, load_fonts())[0])
    assert f"交接单编号：{view.number}" in text and "接收部门：区民政局社会救助科" in text
    assert "接收人：李·娜" in text and "张𠮷" in text and first not in text
    at = view.handed_at.astimezone(SHANGHAI)
    assert f"移交时间：{at.year}年{at.month}月{at.day}日{at:%H}时{at:%M}分" in text and "移交人：王丽" in text
    with pytest.raises(NotFoundError, match="找不到编号为"):
        recorded_list(owed.intake, "示范交〔2026〕不存在号", by=clerk)
