"""What a clerk types past what the record and the server can hold (app/limits.py) is refused before anything is
written, beside its input, with a sentence; and a value no check caught is still never queued nor a crash."""

from __future__ import annotations

from typing import Any

import pytest

from app import limits
from app.domain import Decision, MaterialStatus
from app.errors import ValidationError
from app.intake.model import DecisionInput, DraftRejectedError, MaterialInput, Refusal
from app.sync import protocol
from tests.app.test_intake import _draft
from tests.storekit import connect_store

LONG = "很" * (limits.TEXT_MAX + 1)


def counts(services: Any) -> tuple[int, int, int]:
    with connect_store(services.db.path) as conn:
        found = tuple(
            conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("applications", "outbox", "audit_events")
        )
    conn.close()
    return found  # type: ignore[return-value]


@pytest.mark.parametrize("note", [LONG, "复印件\x00不清晰", "复印件\x1b不清晰"])
def test_a_material_note_past_the_limits_is_refused_beside_the_material(services: Any, clerk: Any, note: str) -> None:
    draft = _draft(id_card=MaterialStatus.DEFECTIVE)
    draft.materials[0].note = note
    before = counts(services)
    for decision in (Decision.SUPPLEMENT, Decision.ACCEPT, Decision.REFUSE):
        with pytest.raises(DraftRejectedError) as info:
            services.intake.decide(draft, DecisionInput(decision, "不属于本中心受理范围。"), clerk)
        assert info.value.refusal is Refusal.MATERIALS
        assert info.value.issue.material_key == "applicant_id_card"
    assert counts(services) == before


def test_a_queue_ticket_past_the_limits_is_refused(services: Any, clerk: Any) -> None:
    draft = _draft()
    draft.queue_ticket = "A" * (limits.QUEUE_TICKET_MAX + 1)
    with pytest.raises(DraftRejectedError) as info:
        services.intake.decide(draft, DecisionInput(Decision.ACCEPT), clerk)
    assert info.value.field == "queue_ticket" and "最多 20 个字" in info.value.message.render()
    draft.queue_ticket = "A\n01"
    with pytest.raises(DraftRejectedError, match="换行"):
        services.intake.decide(draft, DecisionInput(Decision.ACCEPT), clerk)


def test_a_refusal_reason_past_the_limits_is_refused(services: Any, clerk: Any) -> None:
    with pytest.raises(DraftRejectedError) as info:
        services.intake.decide(_draft(), DecisionInput(Decision.REFUSE, LONG), clerk)
    assert info.value.refusal is Refusal.REFUSAL_REASON and "最多" in info.value.message.render()


def test_a_form_text_past_the_limits_is_an_issue_of_its_field(services: Any, clerk: Any) -> None:
    draft = _draft()
    draft.values["situation"] = "火" * (limits.FORM_TEXT_MAX + 1)
    check = services.intake.check(draft)
    assert any(i.field == "situation" and "过长" in i.message.render() for i in check.errors)
    with pytest.raises(DraftRejectedError):
        services.intake.decide(draft, DecisionInput(Decision.ACCEPT), clerk)


def test_change_and_reprint_reasons_past_the_limits_are_refused(services: Any, clerk: Any, supervisor: Any) -> None:
    result = services.intake.decide(_draft(), DecisionInput(Decision.ACCEPT), clerk)
    before = counts(services)
    with pytest.raises(ValidationError) as info:
        services.intake.void(result.acceptance_no, reason=LONG, approver=supervisor, user=clerk)
    assert info.value.field == "approval_reason"
    with pytest.raises(ValidationError):
        services.intake.void(result.acceptance_no, reason="重复\x00录入", approver=supervisor, user=clerk)
    with pytest.raises(ValidationError):
        services.intake.supplement_return(
            result.acceptance_no,
            [MaterialInput("x", MaterialStatus.RECEIVED, note=LONG)],
            DecisionInput(Decision.ACCEPT),
            clerk,
        )
    stored = services.documents.issue(result, clerk)
    after_documents = counts(services)
    with pytest.raises(ValidationError) as info:
        services.documents.record_handout(stored[0].id, clerk, action="print", reprint=True, reason="遗失\x07回执")
    assert info.value.field == "reprint_reason"
    assert counts(services) == after_documents and before[0] == after_documents[0]


@pytest.mark.allow_warning_logs  # the fence says where it refused (locations, never the value)
def test_a_value_the_wire_format_refuses_inside_a_write_is_rolled_back_with_a_sentence(
    services: Any, caplog: pytest.LogCaptureFixture
) -> None:
    before = counts(services)
    with pytest.raises(ValidationError, match="超出可保存和上传的范围") as info, services.db.write() as session:
        session.execute(__import__("sqlalchemy").text("INSERT INTO number_counters (scope, value) VALUES ('probe', 1)"))
        protocol.PartyData.model_validate({"party_id": None, "role": "applicant", "name": "张\x00三"})
    assert info.value.__cause__ is None  # the wire format's own text (which holds the value) is not chained
    assert counts(services) == before
    with connect_store(services.db.path) as conn:
        assert conn.execute("SELECT count(*) FROM number_counters WHERE scope = 'probe'").fetchone()[0] == 0
    conn.close()
    assert all("张" not in r.getMessage() for r in caplog.records)
