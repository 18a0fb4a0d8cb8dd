"""The record view names a case's signatures from the counter's pad, and says when a later 更正 came after one (it
signed other content) and whether the item then asks for a new one (catalog ``resign_after_correction``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from app.domain import Decision, MaterialStatus, PartyRole
from app.intake.model import ApplicationDraft, DecisionInput, MaterialInput, PartyInput
from app.signatures import SignatureService
from tests.app.test_signatures import capture
from tests.conftest import write_deployment
from tests.ui.test_record_view import open_record
from tests.ui.ui_testkit import Keyboard, valid_id


@pytest.fixture
def services(services_factory: Any, tmp_path: Path) -> Any:
    """A counter with a signature pad (``[signatures] pad = "on"``)."""
    folder = tmp_path / "ws"
    folder.mkdir()
    config = write_deployment(folder, mode="demo")
    config.write_text(config.read_text(encoding="utf-8") + '\n[signatures]\npad = "on"\n', encoding="utf-8")
    return services_factory(config=config, data_dir=folder / "data")


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


def test_the_record_view_takes_a_new_signature_after_a_correction(
    qtbot: Any, keyboard: Keyboard, services: Any, clerk: Any, supervisor: Any, window: Any
) -> None:
    result = marriage(services, clerk)
    approver = services.accounts.approve("zhangmin", "supervisor-pass-1")
    values = dict(result.values) | {"registry_office": "长宁区婚姻登记中心"}
    services.intake.correct(result.acceptance_no, values=values, reason="登记机关写错", approver=approver, user=clerk)
    record = open_record(qtbot, window, result.acceptance_no)
    assert record.sign_button.isVisible() and record.sign_button.isEnabled()
    qtbot.mouseClick(record.sign_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: record.sign_dialog is not None and record.sign_dialog.isVisible())
    dialog = record.sign_dialog
    assert dialog is not None and "王强" in dialog.who.text()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.confirm_button)
    pad = dialog.pad
    qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=QPoint(40, 100))
    for x, y in ((90, 50), (140, 120), (200, 60)):
        qtbot.mouseMove(pad, QPoint(x, y))
    qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=QPoint(200, 60))
    keyboard.press(Qt.Key.Key_Return)  # the first party signed
    assert "李梅" in dialog.who.text()
    keyboard.press(Qt.Key.Key_Escape)  # the other party signs on paper
    qtbot.waitUntil(lambda: record.details.toPlainText().count("签名早于此后的更正") == 1, timeout=10_000)
    every = SignatureService(services.db, services.deployment).of(result.acceptance_no, all_=True)
    assert [(s.signer, s.superseded, s.predates_change) for s in every] == [
        ("applicant", True, True),
        ("spouse", False, True),
        ("applicant", False, False),
    ]
