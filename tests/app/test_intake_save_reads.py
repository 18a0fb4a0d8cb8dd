"""A new application's save reads back none of the rows it has just written (docs/performance.md "Preview latency").

The decision's transaction is on the clerk's way to the preview.  Its parties, materials and decision are attached
to a new application in memory, and the persons it found or made stay referenced for the transaction, so the event
body, the audit digests and the result read them from memory: the statements a real store sees say so.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import event

from app.domain import Decision, MaterialStatus, PartyRole
from app.intake.model import ApplicationDraft, DecisionInput, MaterialInput, PartyInput
from tests.ui.ui_testkit import valid_id


def test_a_new_application_is_saved_without_reading_back_what_it_wrote(services: Any, clerk: Any) -> None:
    draft = ApplicationDraft(
        item_code="MZ-SHJZ-002",
        values={"assistance_type": "emergency", "situation": "家中失火，衣物被褥损毁"},
        parties=[PartyInput(PartyRole.APPLICANT, "张三", valid_id("31010219750101001"), "13800138000")],
        materials=[MaterialInput("applicant_id_card", MaterialStatus.RECEIVED)],
    )
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(re.sub(r"\s+", " ", statement))

    event.listen(services.db.engine, "before_cursor_execute", seen)
    try:
        result = services.intake.decide(draft, DecisionInput(Decision.ACCEPT), clerk)
    finally:
        event.remove(services.db.engine, "before_cursor_execute", seen)
    selects = [s for s in statements if s.startswith("SELECT")]
    for table in ("application_parties", "application_materials", "decisions"):
        assert not [s for s in selects if f" FROM {table} " in s], table
    # The person is looked up once, by ID number, before it is made; never again by its id.
    assert len([s for s in selects if " FROM persons " in s]) == 1
    assert [s for s in statements if s.startswith("INSERT INTO application_materials")]
    assert result.applicant.name == "张三" and [m.status for m in result.materials] == ["original_checked"]
