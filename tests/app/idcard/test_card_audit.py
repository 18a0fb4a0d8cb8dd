"""A decision on a party filled from an ID card records the reading in its audit event: the fields read, those
changed by hand afterwards, the card type — never the values."""

from __future__ import annotations

import json
from typing import Any

from app.domain import Decision, MaterialStatus, PartyRole
from app.idcard.marks import CardMarks
from app.intake.model import ApplicationDraft, DecisionInput, MaterialInput, PartyInput
from tests.storekit import connect_store


def test_the_card_marks_go_into_the_audit_details(services: Any, clerk: Any) -> None:
    marks = CardMarks("居民身份证", ("name", "id_number"), edited=("name",))
    draft = ApplicationDraft(
        item_code="MZ-SHJZ-002",
        values={"assistance_type": "emergency", "situation": "家中突发火灾。"},
        parties=[PartyInput(PartyRole.APPLICANT, "阿依古丽", "310104198506150023", "13800138000", card=marks)],
        materials=[MaterialInput("applicant_id_card", MaterialStatus.RECEIVED)],
    )
    result = services.intake.decide(draft, DecisionInput(Decision.ACCEPT), clerk)
    conn = connect_store(services.db.path)
    try:
        (details,) = conn.execute(
            "SELECT details FROM audit_events WHERE entity_id = ?", (str(result.application_id),)
        ).fetchone()
    finally:
        conn.close()
    recorded = json.loads(details) if isinstance(details, str) else details
    assert recorded["id_cards"] == [
        {"party": 0, "card_type": "居民身份证", "read": ["name", "id_number"], "edited": ["name"], "expired": False}
    ]
    assert "310104198506150023" not in json.dumps(recorded, ensure_ascii=False)
    assert "阿依古丽" not in json.dumps(recorded, ensure_ascii=False)
