"""The record view names a case's signatures from the counter's pad, and says when a later 更正 came after one (it
signed other content) and whether the item then asks for a new one (catalog ``resign_after_correction``)."""

from __future__ import annotations

from typing import Any

from app.domain import Decision, MaterialStatus, PartyRole
from app.intake.model import ApplicationDraft, DecisionInput, MaterialInput, PartyInput
from app.signatures import SignatureService
from tests.app.test_signatures import capture
from tests.ui.test_record_view import open_record
from tests.ui.ui_testkit import valid_id


def marriage(services: Any, clerk: Any) -> Any:
    draft = ApplicationDraft(
        item_code="MZ-HY-001",
        values={"business_type": "marriage", "registry_office": "徐汇区婚姻登记中心"},
        parties=[
            PartyInput(PartyRole.APPLICANT, "王强", valid_id("31010419900101001"), "13800138000"),
            PartyInput(PartyRole.SPOUSE, "李梅", valid_id("31010419920615002"), "13800138001"),
        ],
        materials=[
            MaterialInput("applicant_id_card", MaterialStatus.ORIGINAL_CHECKED, party_index=0),
            MaterialInput("spouse_id_card", MaterialStatus.ORIGINAL_CHECKED, party_index=1),
            MaterialInput("applicant_declaration", MaterialStatus.RECEIVED, party_index=0),
            MaterialInput("spouse_declaration", MaterialStatus.RECEIVED, party_index=1),
            MaterialInput("joint_photos", MaterialStatus.RECEIVED),
        ],
        signatures=(capture("applicant", 0, 0), capture("spouse", 30, 1)),
    )
    return services.intake.decide(draft, DecisionInput(Decision.ACCEPT), clerk)


def test_the_record_says_a_signature_predates_a_later_correction(
    qtbot: Any, services: Any, clerk: Any, supervisor: Any, window: Any
) -> None:
    result = marriage(services, clerk)
    record = open_record(qtbot, window, result.acceptance_no)
    text = record.details.toPlainText()
    assert text.count("已在签名板上签名") == 2 and "签名早于" not in text
    record.close()

    approver = services.accounts.approve("zhangmin", "supervisor-pass-1")
    values = dict(result.values) | {"registry_office": "长宁区婚姻登记中心"}
    services.intake.correct(result.acceptance_no, values=values, reason="登记机关写错", approver=approver, user=clerk)
    record = open_record(qtbot, window, result.acceptance_no)
    text = record.details.toPlainText()
    assert text.count("签名早于此后的更正，签名时的内容与现在不同，本事项更正后须重新签名") == 2
    record.close()

    # The applicant signs again: that one is current, the spouse's still predates the correction.
    SignatureService(services.db, services.deployment).record(result.acceptance_no, capture("applicant", 70, 0), clerk)
    record = open_record(qtbot, window, result.acceptance_no)
    text = record.details.toPlainText()
    assert text.count("已在签名板上签名") == 2 and text.count("签名早于此后的更正") == 1
