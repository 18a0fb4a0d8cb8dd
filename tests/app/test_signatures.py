"""Signatures stored with the case (app/signatures.py): with the decision, redone (superseding, never deleting),
bound to the case's content so a later 更正 shows, queued as ``signature.recorded`` and audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from typing import Any

import pytest
import yaml
from PIL import Image, ImageDraw
from pydantic import ValidationError as PydanticError

from app.catalog.schema import ServiceItem
from app.domain import Decision, MaterialStatus, PartyRole
from app.errors import ValidationError
from app.intake.model import ApplicationDraft, DecisionInput, MaterialInput, PartyInput
from app.signatures import SignatureCapture, SignatureService, needed_signers
from app.sync import protocol
from tests.ui.ui_testkit import valid_id

AT = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)


def signature_png(seed: int = 0) -> bytes:
    image = Image.new("RGBA", (300, 100), (0, 0, 0, 0))
    ImageDraw.Draw(image).line([(10, 80), (100 + seed, 20), (290, 70)], fill=(0, 0, 0, 255), width=12)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def capture(signer: str = "applicant", seed: int = 0, position: int | None = 0) -> SignatureCapture:
    stroke = ((10.0, 80.0, 0, 0.5), (100.0 + seed, 20.0, 40, 0.7), (290.0, 70.0, 90, 0.4))
    return SignatureCapture(signer, position, (stroke,), signature_png(seed), AT)


def draft(*signatures: SignatureCapture) -> ApplicationDraft:
    return ApplicationDraft(
        item_code="MZ-SHJZ-002",
        values={"assistance_type": "emergency", "situation": "家中失火，衣物被褥损毁"},
        parties=[PartyInput(PartyRole.APPLICANT, "张三", valid_id("31010219750101001"), "13800138000")],
        materials=[MaterialInput("applicant_id_card", MaterialStatus.RECEIVED)],
        signatures=signatures,
    )


def _rows(services: Any, sql: str) -> list[Any]:
    with services.db.read() as session:
        return list(session.connection().exec_driver_sql(sql).fetchall())


def test_a_signature_taken_before_the_decision_is_stored_queued_and_audited(services: Any, clerk: Any) -> None:
    taken = capture()
    result = services.intake.decide(draft(taken), DecisionInput(Decision.ACCEPT), clerk)
    [view] = result.signatures
    assert view.png == taken.png and view.png_sha256 == hashlib.sha256(taken.png).hexdigest()
    assert not view.predates_change and not view.superseded
    events = _rows(services, "SELECT event_type, payload FROM outbox ORDER BY seq")
    assert [e[0] for e in events] == ["application.taken", "signature.recorded"]
    event = protocol.parse(events[1][1])
    assert isinstance(event.body, protocol.SignatureRecorded)
    assert event.body.png == taken.png and event.body.signer == "applicant" and event.body.supersedes is None
    assert event.body.strokes[0][1] == [100.0, 20.0, 40, 0.7]
    audit = _rows(services, "SELECT action, details FROM audit_events ORDER BY seq")[-1]
    assert audit[0] == "signature.recorded"
    details = json.loads(audit[1])
    assert details["png_sha256"] == view.png_sha256 and "png" not in details and "strokes" not in details
    # The record read back carries it too (the documents of a reprint print it).
    assert [s.png_sha256 for s in services.intake.load(result.acceptance_no).signatures] == [view.png_sha256]


def test_a_redone_signature_supersedes_the_earlier_one_which_stays(services: Any, clerk: Any) -> None:
    result = services.intake.decide(draft(capture()), DecisionInput(Decision.ACCEPT), clerk)
    signatures = SignatureService(services.db, services.deployment)
    [first] = signatures.of(result.acceptance_no)
    [again] = signatures.record(result.acceptance_no, capture(seed=30), clerk)
    assert again.id != first.id and again.png == signature_png(30)
    every = signatures.of(result.acceptance_no, all_=True)
    assert [(s.id, s.superseded) for s in every] == [(first.id, True), (again.id, False)]
    assert _rows(services, "SELECT count(*) FROM signatures") == [(2,)]
    last = protocol.parse(_rows(services, "SELECT payload FROM outbox ORDER BY seq DESC LIMIT 1")[0][0])
    assert isinstance(last.body, protocol.SignatureRecorded) and last.body.supersedes == first.id
    # The documents drawn now print the new one.
    assert [s.id for s in services.intake.load(result.acceptance_no).signatures] == [again.id]


def test_a_correction_after_the_signature_shows_that_it_predates_it(services: Any, clerk: Any, supervisor: Any) -> None:
    result = services.intake.decide(draft(capture()), DecisionInput(Decision.ACCEPT), clerk)
    approver = services.accounts.approve("zhangmin", "supervisor-pass-1")
    values = dict(result.values)
    values["situation"] = "家中突发火灾，房屋受损。"
    corrected = services.intake.correct(
        result.acceptance_no, values=values, reason="情况说明补充", approver=approver, user=clerk
    )
    [old] = corrected.signatures
    assert old.predates_change
    signatures = SignatureService(services.db, services.deployment)
    [new] = signatures.record(result.acceptance_no, capture(seed=50), clerk)
    assert not new.predates_change
    assert [s.predates_change for s in signatures.of(result.acceptance_no, all_=True)] == [True, False]


def test_an_empty_pad_or_something_that_is_not_a_png_is_refused(services: Any, clerk: Any) -> None:
    empty = SignatureCapture("applicant", 0, (), signature_png(), AT)
    with pytest.raises(ValidationError, match="没有笔迹"):
        services.intake.decide(draft(empty), DecisionInput(Decision.ACCEPT), clerk)
    not_png = SignatureCapture("applicant", 0, capture().strokes, b"GIF89a....", AT)
    with pytest.raises(ValidationError, match="图像无效"):
        services.intake.decide(draft(not_png), DecisionInput(Decision.ACCEPT), clerk)
    assert _rows(services, "SELECT count(*) FROM applications") == [(0,)]


def test_the_event_refuses_a_png_that_does_not_match_its_hash() -> None:
    good = capture().png
    fields: dict[str, Any] = {
        "acceptance_no": "310101001-001-20260302-0001",
        "signature_id": "00000000-0000-0000-0000-000000000001",
        "signer": "applicant",
        "signed_at": AT,
        "strokes": [[[1, 2, 0, 0.5]]],
        "png": __import__("base64").b64encode(good),
        "png_sha256": hashlib.sha256(good + b"x").hexdigest(),
        "clerk_username": "wangfang",
    }
    with pytest.raises(PydanticError, match="does not match its SHA-256"):
        protocol.SignatureRecorded.model_validate(fields)
    fields["png_sha256"] = hashlib.sha256(good).hexdigest()
    assert protocol.SignatureRecorded.model_validate(fields).png == good


def test_the_catalog_names_who_signs_among_the_item_s_roles() -> None:
    with open("resources/catalog/items/MZ-HY-001.yaml", encoding="utf-8") as f:
        data = yaml.safe_load(f)
    item = ServiceItem.model_validate(data)
    assert item.signatures == (PartyRole.APPLICANT, PartyRole.SPOUSE) and item.resign_after_correction
    data["signatures"] = ["applicant", "agent"]  # the marriage items take no agent
    with pytest.raises(PydanticError, match="签名人 agent 不是本事项的当事人角色"):
        ServiceItem.model_validate(data)
    del data["signatures"], data["resign_after_correction"]
    default = ServiceItem.model_validate(data)
    assert default.signatures == (PartyRole.APPLICANT,) and not default.resign_after_correction


def test_a_notice_is_signed_by_whoever_signs_for_receipt_and_an_acceptance_by_all() -> None:
    with open("resources/catalog/items/MZ-HY-001.yaml", encoding="utf-8") as f:
        item = ServiceItem.model_validate(yaml.safe_load(f))
    couple = ApplicationDraft(
        item_code=item.code,
        values={},
        parties=[
            PartyInput(PartyRole.APPLICANT, "李雷", valid_id("31010219900101001"), "13800138000"),
            PartyInput(PartyRole.SPOUSE, "韩梅梅", valid_id("31010219920202002"), "13900139000"),
        ],
        materials=[],
    )
    signers = lambda decision: [(s.signer, s.party_position) for s in needed_signers(item, couple, decision)]  # noqa: E731
    assert signers(Decision.ACCEPT) == [("applicant", 0), ("spouse", 1)]  # the form's two signature lines
    assert signers(Decision.SUPPLEMENT) == signers(Decision.REFUSE) == [("applicant", 0)]  # the notice's 签收
    # An agent named among the signers and present signs for receipt; the applicant still signs the form.
    with_agent = item.model_copy(update={"signatures": (PartyRole.APPLICANT, PartyRole.AGENT)})
    couple.parties.append(PartyInput(PartyRole.AGENT, "王五", valid_id("31010219800303003"), "13700137000"))
    assert [s.signer for s in needed_signers(with_agent, couple, Decision.SUPPLEMENT)] == ["agent"]
    assert [s.signer for s in needed_signers(with_agent, couple, Decision.ACCEPT)] == ["applicant", "agent"]
    # An item that names no one present: nobody is asked, whatever the decision.
    nobody = item.model_copy(update={"signatures": (PartyRole.GUARDIAN,)})
    assert needed_signers(nobody, couple, Decision.REFUSE) == []
