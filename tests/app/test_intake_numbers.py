"""Case numbers and notice serials as issued by the deciding transaction, on a real SQLite file
(docs/numbering.md): the daily sequence restarts each day, notice serials run per kind and year without padding,
and no number is ever issued twice."""

from __future__ import annotations

import pytest

from app.domain import Decision, MaterialStatus, PartyRole
from app.errors import NotFoundError
from app.intake import numbering
from app.intake.model import ApplicationDraft, DecisionInput, MaterialInput, PartyInput
from db.models import StoreMeta

IDS = ["310104198506150023", "11010519491231002X", "310101198001010034", "310101198001010050"]


def _draft(n: int, id_card: MaterialStatus = MaterialStatus.RECEIVED) -> ApplicationDraft:
    return ApplicationDraft(
        item_code="MZ-SHJZ-002",
        values={"assistance_type": "emergency", "situation": "家中突发火灾。"},
        parties=[PartyInput(PartyRole.APPLICANT, f"申请人{'甲乙丙丁'[n % 4]}", IDS[n % 4])],
        materials=[MaterialInput("applicant_id_card", id_card)],
        acknowledged_duplicate=True,
    )


def test_the_daily_sequence_restarts_the_next_day_and_notices_run_on_by_year(services, clerk, clock) -> None:
    supplement = DecisionInput(Decision.SUPPLEMENT)
    day1 = [
        services.intake.decide(_draft(0), DecisionInput(Decision.ACCEPT), clerk),
        services.intake.decide(_draft(1, MaterialStatus.MISSING), supplement, clerk),
    ]
    clock.advance(days=1)
    day2 = [
        services.intake.decide(_draft(2, MaterialStatus.MISSING), supplement, clerk),
        services.intake.decide(_draft(3), DecisionInput(Decision.REFUSE, "不符合申请条件。"), clerk),
    ]
    assert [r.acceptance_no for r in day1] == ["310104003-003-20261123-0001", "310104003-003-20261123-0002"]
    assert [r.acceptance_no for r in day2] == ["310104003-003-20261124-0001", "310104003-003-20261124-0002"]
    # Notice serials do not restart with the day: per kind, workstation and year, without padding.
    assert day1[1].notice_no == "示范补正〔2026〕310104003-003-1号"
    assert day2[0].notice_no == "示范补正〔2026〕310104003-003-2号"
    assert day2[1].notice_no == "示范不受〔2026〕310104003-003-1号"


def test_notice_serials_stay_unique_without_padding_and_restart_with_the_year(services) -> None:
    day = numbering.dt.date(2026, 11, 23)
    with services.db.write() as session:
        issued = [
            numbering.notice_no(
                session,
                kind="supplement",
                short_name="示范",
                center_code="310104003",
                workstation_code="003",
                local_date=day,
            )
            for _ in range(12)
        ]
        next_year = numbering.notice_no(
            session,
            kind="supplement",
            short_name="示范",
            center_code="310104003",
            workstation_code="003",
            local_date=numbering.dt.date(2027, 1, 4),
        )
        session.merge(StoreMeta(key="series", value="2"))
        session.flush()
        lettered = numbering.notice_no(
            session,
            kind="supplement",
            short_name="示范",
            center_code="310104003",
            workstation_code="003",
            local_date=day,
        )
    assert issued[0] == "示范补正〔2026〕310104003-003-1号"
    assert issued[9] == "示范补正〔2026〕310104003-003-10号"
    assert not any("-003-0" in n for n in issued)
    assert len(set(issued)) == 12
    assert next_year == "示范补正〔2027〕310104003-003-1号"
    assert lettered == "示范补正〔2026〕310104003-003-A1号"


def test_an_unknown_number_is_named_a_case_number(services) -> None:
    # Whatever became of a case, its number is its 办件编号 (受理编号 only on a receipt).
    with pytest.raises(NotFoundError, match="找不到办件编号为 310104003-003-20200101-0001 的申请"):
        services.intake.load("310104003-003-20200101-0001")
