"""Planning a change's documents from its result (``DocumentService.plan``) is what reading the store gives (``due``).

The counter starts the render from the decision's result at once: the change's own transaction read the documents on
record (``DecisionResult.documents_on_record``), so the plan needs no second read.  Each case here compares the two
on a real store — a new application, a 补正's return visit, a 更正 after the documents were stored, a 更正 while the
decision's documents are still owed — and stores the plan, so what the plan names is really what the record owes.
"""

from __future__ import annotations

from typing import Any

import pytest

from app.documents.model import DocumentKind
from app.intake.model import DebtOrigin, Decision, DecisionInput, DocumentsOnRecord, MaterialInput, MaterialStatus


def plans(services: Any, result: Any) -> tuple[Any, Any]:
    return services.documents.plan(result), services.documents.due(result)


def test_a_new_application_is_planned_from_its_result_without_reading_documents(services: Any, decide: Any) -> None:
    result = decide("MZ-SHJZ-001")
    assert result.documents_on_record == DocumentsOnRecord()
    planned, due = plans(services, result)
    assert planned == due
    assert planned.kinds == [DocumentKind.RECEIPT, DocumentKind.FORM]


@pytest.mark.parametrize(
    ("code", "decision", "kinds"),
    [
        ("MZ-SHJZ-002", Decision.SUPPLEMENT, [DocumentKind.SUPPLEMENT_NOTICE, DocumentKind.FORM]),
        ("MZ-SHJZ-002", Decision.REFUSE, [DocumentKind.REFUSAL_NOTICE]),
    ],
)
def test_other_first_decisions_plan_the_same(
    services: Any, decide: Any, code: str, decision: Decision, kinds: list[DocumentKind]
) -> None:
    planned, due = plans(services, decide(code, decision))
    assert planned == due and planned.kinds == kinds


def test_a_return_visit_plans_the_receipt_only_as_the_store_says(
    services: Any, clerk: Any, decide: Any, clock: Any
) -> None:
    result = decide("MZ-SHJZ-002", Decision.SUPPLEMENT)
    services.documents.issue(result, clerk)
    clock.advance(days=2)
    brought = [MaterialInput(m.key, MaterialStatus.RECEIVED, m.party_index) for m in result.missing_materials]
    accepted = services.intake.supplement_return(result.acceptance_no, brought, DecisionInput(Decision.ACCEPT), clerk)
    assert accepted.documents_on_record is not None
    assert {"form", "supplement_notice"} == set(accepted.documents_on_record.kinds)
    planned, due = plans(services, accepted)
    assert planned == due and planned.kinds == [DocumentKind.RECEIPT]  # the form of the first visit stands
    stored = services.documents.store(accepted, planned, services.documents.render(accepted, planned), clerk)
    assert [d.kind for d in stored] == [DocumentKind.RECEIPT]
    assert services.documents.due(services.intake.load(result.acceptance_no)) is None


def test_a_correction_plans_the_reissue_and_a_correction_before_the_store_keeps_both_debts(
    services: Any, clerk: Any, supervisor: Any, decide: Any
) -> None:
    result = decide("MZ-SHJZ-002")
    values = dict(result.values, situation="更正后的困难情况说明：家中失火。")
    # Corrected before the decision's documents were stored: both debts, nothing on record yet.
    early = services.intake.correct(
        result.acceptance_no, values=values, reason="申请人说明有误", approver=supervisor, user=clerk
    )
    planned, due = plans(services, early)
    assert planned == due and planned.kinds == [DocumentKind.RECEIPT, DocumentKind.FORM]
    assert len(planned.debts) == 2
    services.documents.store(early, planned, services.documents.render(early, planned), clerk)
    # Corrected again after they were stored: the receipt and the form are reissued.
    again = services.intake.correct(
        result.acceptance_no,
        values=dict(values, situation="再次更正：家中失火，衣物被褥损毁。"),
        reason="申请人再次说明",
        approver=supervisor,
        user=clerk,
    )
    planned, due = plans(services, again)
    assert planned == due and planned.kinds == [DocumentKind.RECEIPT, DocumentKind.FORM]
    corrections = {str(d.ref) for d in planned.debts if d.origin is DebtOrigin.CORRECTION}
    assert {key.split(":")[0] for _, key in planned.items} <= corrections


def test_a_result_read_without_its_documents_is_refused_by_plan(services: Any, decide: Any) -> None:
    import dataclasses

    result = dataclasses.replace(decide("MZ-SHJZ-001"), documents_on_record=None)
    with pytest.raises(ValueError, match="use due"):
        services.documents.plan(result)
    assert services.documents.due(result) is not None
