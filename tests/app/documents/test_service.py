"""Issuing, keeping and reprinting documents: one transaction each, idempotent, healed after a crash, audited."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.documents.model import DocumentKind
from app.errors import ConfigError, ValidationError
from app.intake.model import (
    DebtOrigin,
    Decision,
    DecisionInput,
    DocumentDebt,
    DocumentsDue,
    MaterialInput,
    MaterialStatus,
)
from app.sync import protocol
from tests import pdfkit
from tests.storekit import connect_store


def rows(services: Any, sql: str, *args: object) -> list[tuple[Any, ...]]:
    with connect_store(services.db.path) as conn:
        return conn.execute(sql, args).fetchall()


def outbox_events(services: Any, event_type: str) -> list[dict[str, Any]]:
    payloads = rows(services, "SELECT payload FROM outbox WHERE event_type = ? ORDER BY seq", event_type)
    return [json.loads(p[0]) for p in payloads]


def test_accept_issues_receipt_and_form_with_their_hashes_in_the_outbox(services: Any, decide: Any) -> None:
    result = decide("MZ-SHJZ-001")
    assert result.documents_due == DocumentsDue((DocumentDebt(DebtOrigin.DECISION, result.decision_id),))
    plan = services.documents.due(result)
    assert plan is not None and plan.kinds == [DocumentKind.RECEIPT, DocumentKind.FORM]
    stored = services.documents.issue(result, None)
    assert [d.kind for d in stored] == [DocumentKind.RECEIPT, DocumentKind.FORM]
    events = outbox_events(services, "document.issued")
    assert len(events) == 2
    for doc, event in zip(stored, events, strict=True):
        body = event["body"]
        pdf = services.documents.document(doc.id).pdf
        assert body["sha256"] == protocol.digest(pdf) == doc.sha256
        assert body["size"] == len(pdf) and body["kind"] == doc.kind.value
        assert body["acceptance_no"] == result.acceptance_no
        assert event["application_id"] == str(result.application_id)
    # The tag is cleared in the same transaction: nothing is owed any more.
    assert services.documents.due_numbers() == []
    assert rows(services, "SELECT documents_due FROM applications") == [(None,)]
    # Each document event follows the application's taken event (per-application order, sync-protocol.md).
    order = rows(services, "SELECT event_type FROM outbox ORDER BY seq")
    assert [o[0] for o in order] == ["application.taken", "document.issued", "document.issued"]


def test_storing_twice_stores_once(services: Any, decide: Any) -> None:
    result = decide("MZ-SHJZ-002")
    plan = services.documents.due(result)
    rendered = services.documents.render(result, plan)
    first = services.documents.store(result, plan, rendered, None)
    again = services.documents.store(result, plan, rendered, None)
    assert [d.id for d in first] == [d.id for d in again]
    assert rows(services, "SELECT count(*) FROM documents") == [(2,)]
    assert len(outbox_events(services, "document.issued")) == 2
    loaded = services.intake.load(result.acceptance_no)
    assert not loaded.documents_due
    assert services.documents.due(loaded) is None


def test_documents_a_crash_left_undrawn_are_issued_at_start_with_the_same_bytes(
    services_factory: Any, user_factory: Any, tmp_path: Path
) -> None:
    from tests.app.documents.doc_testkit import take

    services = services_factory()
    clerk = user_factory(services)
    result = take(services, clerk, "MZ-SHJZ-002")
    expected = [r.pdf for r in services.documents.render(result, services.documents.due(result))]
    services.close()  # the process died after the decision committed, before the documents were stored
    reopened = services_factory()
    assert reopened.documents.due_numbers() == [result.acceptance_no]
    assert reopened.documents.heal() == 2
    stored = reopened.documents.documents(result.acceptance_no)
    assert sorted(reopened.documents.document(d.id).pdf for d in stored) == sorted(expected)
    assert reopened.documents.heal() == 0


def test_supplement_then_return_visit_issues_notice_form_then_receipt(
    services: Any, clerk: Any, decide: Any, clock: Any
) -> None:
    result = decide("MZ-SHJZ-002", Decision.SUPPLEMENT)
    first = services.documents.issue(result, clerk)
    assert [d.kind for d in first] == [DocumentKind.SUPPLEMENT_NOTICE, DocumentKind.FORM]
    clock.advance(days=2)
    brought = [MaterialInput(m.key, MaterialStatus.RECEIVED, m.party_index) for m in result.missing_materials]
    accepted = services.intake.supplement_return(result.acceptance_no, brought, DecisionInput(Decision.ACCEPT), clerk)
    second = services.documents.issue(accepted, clerk)
    assert [d.kind for d in second] == [DocumentKind.RECEIPT]  # the form of the first visit stands
    kinds = sorted(d.kind.value for d in services.documents.documents(result.acceptance_no))
    assert kinds == ["form", "receipt", "supplement_notice"]
    receipt = pdfkit.flat(services.documents.current(result.acceptance_no, "receipt").pdf)
    assert "受理回执" in receipt


def test_correction_reissues_receipt_and_form_and_keeps_the_old_ones(
    services: Any, clerk: Any, supervisor: Any, decide: Any
) -> None:
    result = decide("MZ-SHJZ-002")
    old = services.documents.issue(result, clerk)
    values = dict(result.values, situation="更正后的困难情况说明：家中失火。")
    corrected = services.intake.correct(
        result.acceptance_no, values=values, reason="申请人说明有误", approver=supervisor, user=clerk
    )
    new = services.documents.issue(corrected, clerk)
    assert [(d.kind, d.seq) for d in new] == [(DocumentKind.RECEIPT, 2), (DocumentKind.FORM, 2)]
    every = services.documents.documents(result.acceptance_no)
    superseded = {d.id for d in every if d.superseded}
    assert superseded == {d.id for d in old}
    form = pdfkit.flat(services.documents.current(result.acceptance_no, "form").pdf)
    assert "更正后的困难情况说明" in form
    replaced = [e["body"]["replaces"] for e in outbox_events(services, "document.issued")][-2:]
    assert sorted(r[0] for r in replaced) == sorted(d.id for d in old)


def test_a_correction_before_the_decisions_documents_were_stored_keeps_both_debts(
    services: Any, clerk: Any, supervisor: Any, decide: Any
) -> None:
    # The renderer failed (or the clerk was quick): the 受理回执 and 申请表 of the decision are still owed when a
    # 更正 comes.  The correction must not drop them; the start-up heal issues them, from the corrected record.
    result = decide("MZ-SHJZ-002")
    values = dict(result.values, situation="更正后的困难情况说明：家中失火。")
    services.intake.correct(
        result.acceptance_no, values=values, reason="申请人说明有误", approver=supervisor, user=clerk
    )
    assert services.documents.due_numbers() == [result.acceptance_no]
    assert services.documents.heal() == 2
    kinds = sorted(d.kind.value for d in services.documents.documents(result.acceptance_no))
    assert kinds == ["form", "receipt"]
    form = pdfkit.flat(services.documents.current(result.acceptance_no, "form").pdf)
    assert "更正后的困难情况说明" in form
    assert services.documents.due_numbers() == []
    # Nothing is owed twice: healing again stores nothing.
    assert services.documents.heal() == 0


def test_void_owes_nothing(services: Any, clerk: Any, supervisor: Any, decide: Any) -> None:
    result = decide("MZ-SHJZ-002")
    services.intake.void(result.acceptance_no, reason="重复录入的申请", approver=supervisor, user=clerk)
    assert services.documents.due_numbers() == []


def test_first_print_is_the_original_every_later_copy_a_stamped_audited_reprint(
    services: Any, clerk: Any, decide: Any
) -> None:
    result = decide("MZ-SHJZ-002")
    receipt = next(d for d in services.documents.issue(result, clerk) if d.kind is DocumentKind.RECEIPT)
    stored = services.documents.document(receipt.id)
    original = services.documents.copy_for_handout(stored, reprint=False)
    assert original.data == stored.pdf and original.source.value == "stored"
    after = services.documents.record_handout(receipt.id, clerk, action="print", reprint=False, printer="前台打印机")
    assert after.handed_out == 1
    with pytest.raises(ValidationError) as missing:
        services.documents.record_handout(receipt.id, clerk, action="print", reprint=True, reason="")
    assert "补打须写明原因" in missing.value.message.render()
    with pytest.raises(ValidationError) as private:
        services.documents.record_handout(
            receipt.id, clerk, action="print", reprint=True, reason="申请人310104195006150023遗失"
        )
    assert "证件号码" in private.value.message.render()
    copy = services.documents.copy_for_handout(services.documents.document(receipt.id), reprint=True).data
    text_copy, text_original = pdfkit.flat(copy), pdfkit.flat(stored.pdf)
    assert "补打" in text_copy and "补打" not in text_original
    # The mark (at the top of the page) comes first, then the stored document's text unchanged.
    mark = text_copy[: len(text_copy) - len(text_original)]
    assert text_copy.endswith(text_original) and mark.startswith("补打") and "年" in mark
    assert pdfkit.info(copy)["Title"] == f"受理回执 {result.acceptance_no}（补打）"
    assert pdfkit.qr_codes(copy) == pdfkit.qr_codes(stored.pdf)
    for font in pdfkit.fonts(copy):
        assert font.embedded
    services.documents.record_handout(receipt.id, clerk, action="print", reprint=True, reason="申请人遗失回执")
    # The stored bytes never change.
    assert services.documents.document(receipt.id).sha256 == protocol.digest(stored.pdf)
    audit = rows(services, "SELECT action, details FROM audit_events WHERE action LIKE 'document.%' ORDER BY seq")
    actions = [a for a, _ in audit]
    assert actions == ["document.issued", "document.issued", "document.printed", "document.reprinted"]
    reprint_details = json.loads(audit[-1][1])
    assert reprint_details["reason"] == "申请人遗失回执" and reprint_details["copy"] == 2
    events = outbox_events(services, "document.reprinted")
    assert [(e["body"]["reason"], e["body"]["by"]) for e in events] == [("申请人遗失回执", "wangli")]


def test_current_names_what_an_application_has(services: Any, decide: Any) -> None:
    from app.errors import NotFoundError

    result = decide("MZ-SHJZ-002", Decision.REFUSE)
    services.documents.issue(result, None)
    assert services.documents.current(result.acceptance_no, "notice").kind is DocumentKind.REFUSAL_NOTICE
    with pytest.raises(NotFoundError) as error:
        services.documents.current(result.acceptance_no, "receipt")
    assert error.value.message.render() == f"申请 {result.acceptance_no} 没有受理回执（已有文书：不予受理通知书）。"


def test_missing_fonts_stop_the_document_not_the_decision(
    services: Any, decide: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.documents import fonts

    result = decide("MZ-SHJZ-002")
    monkeypatch.setattr(fonts, "fonts_dir", lambda: tmp_path / "no-fonts")
    fonts._load.cache_clear()
    try:
        with pytest.raises(ConfigError) as error:
            services.documents.issue(result, None)
    finally:
        fonts._load.cache_clear()
    assert "请信息员重新安装本程序" in error.value.message.render()
    # The decision stands and the documents are still owed: the next start draws them.
    assert services.intake.load(result.acceptance_no).acceptance_no == result.acceptance_no
    assert services.documents.due_numbers() == [result.acceptance_no]
