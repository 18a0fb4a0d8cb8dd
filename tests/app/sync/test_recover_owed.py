"""A recovery from the server brings back issue 13's decisions as they were: a 先行救助 case of the shipped 临时救助
with its owed ID card brought later, a refusal with its ground, basis and competent office, and materials checked
and returned or kept as copies (docs/sync-protocol.md "Recovery")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.domain import Decision, MaterialStatus, PartyRole
from app.intake.model import ApplicationDraft, DecisionInput, MaterialInput, PartyInput
from db.models import Application, DecisionRecord
from tests.app.sync.synckit import Workstation
from tests.app.sync.test_recover import emptied, snapshot, yimen

pytestmark = pytest.mark.slow


def _fire(name: str, id_number: str, card: MaterialStatus) -> ApplicationDraft:
    return ApplicationDraft(
        item_code="MZ-SHJZ-002",
        values={"assistance_type": "emergency", "situation": "家中突发火灾，证件烧毁。"},
        parties=[PartyInput(PartyRole.APPLICANT, name, id_number, "13800138000")],
        materials=[MaterialInput("applicant_id_card", card)],
    )


def _extra(services: Any) -> dict[str, Any]:
    with services.db.read() as session:
        return {
            app.acceptance_no: (
                app.owed_by,
                [
                    (d.decision, d.ground, d.basis, d.competent_office)
                    for d in session.scalars(select(DecisionRecord).where(DecisionRecord.application_id == app.id))
                ],
            )
            for app in session.scalars(select(Application))
        }


@pytest.mark.allow_warning_logs  # the server logs the audit head reset for its operator
def test_first_aid_and_refusal_details_come_back_from_the_server(
    services_factory: Any, tmp_path: Path, central: Any, clock: Any
) -> None:
    ws = Workstation(services_factory, tmp_path / "ws003", central.url)
    ws.enroll(central.engine())
    services, clerk = ws.services, ws.clerk
    helped = services.intake.decide(
        _fire("李·堃", "310104198506150023", MaterialStatus.MISSING),
        DecisionInput(Decision.FIRST_AID, basis="家中突发火灾，证件烧毁。"),
        clerk,
    )
    refused = services.intake.decide(
        _fire("王䶮", "11010519491231002X", MaterialStatus.RECEIVED),
        DecisionInput(
            Decision.REFUSE,
            "户籍不在本街道。",
            ground="not_competent",
            basis="按户籍地受理",
            competent_office="户籍地街道社区事务受理服务中心",
        ),
        clerk,
    )
    clock.advance(days=2)
    services.intake.materials_return(
        helped.acceptance_no, [MaterialInput("applicant_id_card", MaterialStatus.RECEIVED)], clerk
    )
    services.documents.heal()
    assert ws.sync.sync_once().push.quarantined == 0 and ws.sync.status().pending == 0
    before, extra = snapshot(services), _extra(services)
    assert before[helped.acceptance_no]["materials"][0][6] == "original_checked"  # checked, handed back
    assert extra[helped.acceptance_no][0] is not None
    assert extra[refused.acceptance_no][1] == [
        ("refuse", "not_competent", "按户籍地受理", "户籍地街道社区事务受理服务中心")
    ]
    emptied(ws)
    assert yimen(ws, "recover", "--from-server") == 0
    back = services_factory(config=ws.config, data_dir=ws.data_dir)
    assert snapshot(back) == before
    assert _extra(back) == extra
    again = back.intake.load(helped.acceptance_no)
    assert again.decision is Decision.FIRST_AID and again.owed_materials == []
    assert again.first_aid_reason == "家中突发火灾，证件烧毁。"
