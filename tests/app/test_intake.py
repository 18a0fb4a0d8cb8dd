"""Intake use cases against a real SQLite file and the shipped catalog."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import idnumber
from app.domain import Decision, MaterialStatus, PartyRole
from app.errors import NotAllowedError, ValidationError
from app.intake.model import ApplicationDraft, DecisionInput, DraftRejectedError, MaterialInput, PartyInput, Refusal
from app.security.permissions import MACHINE
from app.sync import protocol
from tests.storekit import connect_store

ITEM = "MZ-SHJZ-002"  # 临时救助


def _draft(name: str = "阿依古丽·买买提", id_number: str = "310104198506150023", id_card=MaterialStatus.RECEIVED):
    return ApplicationDraft(
        item_code=ITEM,
        values={"assistance_type": "emergency", "situation": "家中突发火灾。"},
        parties=[PartyInput(PartyRole.APPLICANT, name, id_number, "138 0013 8000")],
        materials=[MaterialInput("applicant_id_card", id_card)],
        queue_ticket="A001",
    )


def _rows(services, sql: str, *args):
    conn = connect_store(services.db.path)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def test_accept_stores_record_audit_and_outbox_together(services, clerk) -> None:
    result = services.intake.decide(_draft(), DecisionInput(Decision.ACCEPT), clerk)
    assert result.acceptance_no.startswith("310104003-003-20261123-")
    assert result.state == "accepted"
    assert result.applicant.name == "阿依古丽·买买提"
    assert result.applicant.id_masked == "310***********0023"
    assert len(result.query_code) == 6
    # 2026-11-23 + 20 working days, counting from the next working day.
    assert result.promised_date is not None and result.promised_date.isoformat() == "2026-12-21"
    assert result.promised_estimated is False
    app_id = result.application_id.bytes
    assert _rows(services, "SELECT count(*) FROM applications WHERE id = ?", app_id) == [(1,)]
    assert _rows(services, "SELECT count(*) FROM audit_events WHERE entity_id = ?", str(result.application_id)) == [
        (1,)
    ]
    payload, digest = _rows(
        services, "SELECT payload, lower(hex(sha256)) FROM outbox WHERE application_id = ?", app_id
    )[0]
    assert protocol.digest(payload) == digest
    event = protocol.parse(payload)
    assert event.body.acceptance_no == result.acceptance_no
    assert event.body.item.code == ITEM and event.body.item.sha256 == result.item_sha256
    assert event.body.parties[0].name == "阿依古丽·买买提"


def test_numbers_are_sequential_and_unique(services, clerk) -> None:
    first = services.intake.decide(_draft(), DecisionInput(Decision.ACCEPT), clerk)
    other = _draft("张𠮷", "11010519491231002x")
    second = services.intake.decide(other, DecisionInput(Decision.ACCEPT), clerk)
    assert first.acceptance_no.endswith("-0001") and second.acceptance_no.endswith("-0002")
    assert second.parties[0].id_number == "11010519491231002X"


def test_accept_refused_when_material_missing(services, clerk) -> None:
    with pytest.raises(ValidationError) as info:
        services.intake.decide(_draft(id_card=MaterialStatus.MISSING), DecisionInput(Decision.ACCEPT), clerk)
    assert "材料不齐" in str(info.value) and "申请人居民身份证" in str(info.value)
    assert _rows(services, "SELECT count(*) FROM applications") == [(0,)]


def test_supplement_then_return_visit_accepts(services, clerk, clock) -> None:
    result = services.intake.decide(_draft(id_card=MaterialStatus.MISSING), DecisionInput(Decision.SUPPLEMENT), clerk)
    assert result.state == "awaiting_supplement"
    assert result.notice_no == "示范补正〔2026〕310104003-003-1号"
    assert [m.name for m in result.missing_materials] == ["申请人居民身份证"]
    assert result.promised_date is None
    clock.advance(days=3)  # back on Thursday 2026-11-26
    with pytest.raises(ValidationError, match="不在补正告知书所列材料中"):
        services.intake.supplement_return(
            result.acceptance_no,
            [MaterialInput("power_of_attorney", MaterialStatus.RECEIVED)],
            DecisionInput(Decision.ACCEPT),
            clerk,
        )
    done = services.intake.supplement_return(
        result.acceptance_no.replace("-", ""),
        [MaterialInput("applicant_id_card", MaterialStatus.RECEIVED)],
        DecisionInput(Decision.ACCEPT),
        clerk,
    )
    assert done.state == "accepted"
    # counted from completion (11-26), not from the first visit
    assert done.promised_date is not None and done.promised_date.isoformat() == "2026-12-24"
    assert _rows(services, "SELECT event_type FROM outbox ORDER BY seq") == [
        ("application.taken",),
        ("application.supplemented",),
    ]


def test_refusal_needs_reason(services, clerk) -> None:
    with pytest.raises(ValidationError, match="理由"):
        services.intake.decide(_draft(), DecisionInput(Decision.REFUSE, " "), clerk)
    result = services.intake.decide(_draft(), DecisionInput(Decision.REFUSE, "不属于本中心受理范围。"), clerk)
    assert result.state == "refused" and result.notice_no and "不受〔2026〕" in result.notice_no


def test_invalid_id_blocks_every_decision(services, clerk) -> None:
    for decision in Decision:
        with pytest.raises(ValidationError, match="校验"):
            services.intake.decide(_draft(id_number="310101198001010019"), DecisionInput(decision, "理由写清楚"), clerk)


def test_region_warning_needs_confirmation(services, clerk) -> None:
    draft = _draft(id_number="990101198001010014")
    with pytest.raises(ValidationError):
        services.intake.decide(draft, DecisionInput(Decision.ACCEPT), clerk)
    draft.parties[0].confirmed_id = True
    assert services.intake.decide(draft, DecisionInput(Decision.ACCEPT), clerk).state == "accepted"


def test_duplicate_open_case_warned(services, clerk) -> None:
    services.intake.decide(_draft(), DecisionInput(Decision.ACCEPT), clerk)
    again = _draft()
    check = services.intake.check(again)
    assert len(check.duplicates) == 1
    with pytest.raises(ValidationError, match="在办申请"):
        services.intake.decide(again, DecisionInput(Decision.ACCEPT), clerk)
    again.acknowledged_duplicate = True
    services.intake.decide(again, DecisionInput(Decision.ACCEPT), clerk)


def test_a_refused_decision_carries_the_issue_behind_it_and_the_check(services, clerk) -> None:
    # The counter places the message beside the issue's input and refreshes the checklist from the same check,
    # without checking again or comparing texts.
    warned = _draft(id_number="990101198001010014")
    with pytest.raises(DraftRejectedError) as info:
        services.intake.decide(warned, DecisionInput(Decision.ACCEPT), clerk)
    error = info.value
    assert error.refusal is Refusal.UNCONFIRMED_WARNING
    assert error.issue in error.check.warnings
    assert (error.issue.field, error.issue.party_index) == ("id_number", 0)
    assert error.message.args["text"] == error.issue.message

    with pytest.raises(DraftRejectedError) as info:
        services.intake.decide(_draft(id_card=MaterialStatus.MISSING), DecisionInput(Decision.ACCEPT), clerk)
    assert info.value.refusal is Refusal.MATERIALS
    assert info.value.issue.material_key == "applicant_id_card"
    assert [line.key for line in info.value.check.materials] == ["applicant_id_card"]

    with pytest.raises(DraftRejectedError) as info:
        services.intake.decide(_draft(id_number="310101198001010019"), DecisionInput(Decision.SUPPLEMENT), clerk)
    assert info.value.refusal is Refusal.ISSUE
    assert info.value.issue in info.value.check.errors and info.value.field == "id_number"

    with pytest.raises(DraftRejectedError) as info:
        services.intake.decide(_draft(), DecisionInput(Decision.REFUSE, "短"), clerk)
    assert info.value.refusal is Refusal.REFUSAL_REASON and info.value.field == "refusal_reason"

    services.intake.decide(_draft(), DecisionInput(Decision.ACCEPT), clerk)
    with pytest.raises(DraftRejectedError) as info:
        services.intake.decide(_draft(), DecisionInput(Decision.ACCEPT), clerk)
    assert info.value.refusal is Refusal.DUPLICATE and len(info.value.check.duplicates) == 1


def test_a_decision_checks_each_party_and_looks_up_the_item_once(services, clerk, monkeypatch) -> None:
    calls = {"id": 0, "entry": 0}
    check_id, entry = idnumber.check_id, services.catalog.entry

    def counting_check_id(*args, **kwargs):
        calls["id"] += 1
        return check_id(*args, **kwargs)

    def counting_entry(code):
        calls["entry"] += 1
        return entry(code)

    draft = _draft()
    draft.parties.append(PartyInput(PartyRole.AGENT, "赵磊", "11010519491231002X", "13900139000"))
    lines = services.intake.check(draft).materials
    draft.materials = [MaterialInput(line.key, MaterialStatus.RECEIVED, line.party_index) for line in lines]
    monkeypatch.setattr(idnumber, "check_id", counting_check_id)
    monkeypatch.setattr(services.catalog, "entry", counting_entry)
    result = services.intake.decide(draft, DecisionInput(Decision.ACCEPT), clerk)
    assert result.state == "accepted"
    assert calls == {"id": 2, "entry": 1}
    # What the check normalized is what was stored.
    assert _rows(services, "SELECT id_number, phone FROM persons ORDER BY id_number") == [
        ("11010519491231002X", "13900139000"),
        ("310104198506150023", "13800138000"),
    ]


def test_search_by_number_id_and_rare_name(services, clerk) -> None:
    a = services.intake.decide(_draft("张𠮷", "11010519491231002X"), DecisionInput(Decision.ACCEPT), clerk)
    services.intake.decide(_draft(), DecisionInput(Decision.ACCEPT), clerk)
    assert [s.acceptance_no for s in services.intake.search("𠮷", by=MACHINE)] == [a.acceptance_no]
    assert [s.acceptance_no for s in services.intake.search("１１０１０５１９４９１２３１００２ｘ", by=MACHINE)] == [
        a.acceptance_no
    ]
    assert [s.acceptance_no for s in services.intake.search(a.acceptance_no.replace("-", ""), by=MACHINE)] == [
        a.acceptance_no
    ]
    assert services.intake.search("阿依古丽买买提", by=MACHINE)[0].applicant_name == "阿依古丽·买买提"
    assert all("*" in s.applicant_id_masked for s in services.intake.list_day(by=MACHINE))
    assert [s.acceptance_no for s in services.intake.history("11010519491231002X", by=MACHINE)] == [a.acceptance_no]


def test_void_needs_supervisor_and_keeps_record(services, clerk, supervisor) -> None:
    result = services.intake.decide(_draft(), DecisionInput(Decision.ACCEPT), clerk)
    with pytest.raises(NotAllowedError):
        services.intake.void(result.acceptance_no, reason="录入错误需作废", approver=clerk, user=clerk)
    approver = services.accounts.approve("zhangmin", "supervisor-pass-1")
    voided = services.intake.void(result.acceptance_no, reason="录入错误需作废", approver=approver, user=clerk)
    assert voided.state == "voided"
    assert _rows(services, "SELECT count(*) FROM applications") == [(1,)]
    assert _rows(services, "SELECT event_type FROM outbox ORDER BY seq")[-1] == ("application.voided",)
    assert _rows(services, "SELECT action FROM audit_events ORDER BY seq")[-1] == ("application.voided",)


def test_correct_form_values(services, clerk, supervisor) -> None:
    result = services.intake.decide(_draft(), DecisionInput(Decision.ACCEPT), clerk)
    approver = services.accounts.approve("zhangmin", "supervisor-pass-1")
    values = {"assistance_type": "expenditure", "situation": "医疗支出骤增。", "expense_amount": "1,200.50"}
    corrected = services.intake.correct(
        result.acceptance_no, values=values, reason="类型录错", approver=approver, user=clerk
    )
    assert corrected.values["assistance_type"] == "expenditure"
    assert corrected.values["expense_amount"] == 120050


def test_audit_never_holds_id_numbers(services, clerk) -> None:
    services.intake.decide(_draft(), DecisionInput(Decision.ACCEPT), clerk)
    details = _rows(services, "SELECT details FROM audit_events")
    assert all("310104198506150023" not in d[0] for d in details)


def test_audit_chain_verifies(services, clerk) -> None:
    from app.security.audit import verify_chain

    services.intake.decide(_draft(), DecisionInput(Decision.ACCEPT), clerk)
    with services.db.read() as session:
        assert verify_chain(session).intact
    conn = connect_store(services.db.path)
    conn.execute("UPDATE audit_events SET details = '{\"x\": 1}' WHERE seq = 2")
    conn.commit()
    conn.close()
    with services.db.read() as session:
        assert verify_chain(session).first == 2


def test_estimated_deadline_recomputed_when_calendar_year_added(
    services_factory, user_factory, clock, tmp_path
) -> None:
    import datetime as dt
    import shutil

    clock.now = dt.datetime(2026, 12, 15, 2, 0, tzinfo=dt.UTC)  # Tuesday 2026-12-15 in Shanghai
    data = tmp_path / "data"
    first = services_factory(data_dir=data)
    user = user_factory(first)
    taken = first.intake.decide(_draft(), DecisionInput(Decision.ACCEPT), user)
    # 20 working days reach into 2027, which the library does not cover: weekdays only, estimated.
    assert (taken.promised_date.isoformat(), taken.promised_estimated) == ("2027-01-12", True)
    first.close()

    (data / "calendar").mkdir()
    shutil.copy(Path(__file__).parent / "data" / "calendar" / "2027.toml", data / "calendar" / "2027.toml")
    second = services_factory(data_dir=data)
    # 元旦 2027-01-01 (a Friday) is a holiday in the added year: one working day later, and no longer estimated.
    row = _rows(second, "SELECT promised_date, promised_estimated, due_date, due_estimated FROM applications")[0]
    assert row == ("2027-01-12", 1, "2027-01-13", 0)
    actions = [a for (a,) in _rows(second, "SELECT action FROM audit_events")]
    assert "application.deadline_recomputed" in actions


def test_party_values_cleaned_by_role_fields_and_errors_name_the_party(services, clerk) -> None:
    draft = ApplicationDraft(
        item_code="MZ-SHJZ-001",  # 最低生活保障: a household table with money columns
        values={"reason": "失业后收入不足。", "assets_summary": "无房产车辆。"},
        parties=[
            PartyInput(
                PartyRole.APPLICANT,
                "阿依古丽·买买提",
                "310104198506150023",
                values={"hukou_shanghai": True, "hukou_address": "上海市徐汇区示范路1号", "monthly_income": "800"},
            ),
            PartyInput(
                PartyRole.HOUSEHOLD_MEMBER, "买买提·艾力", "310101198001010019", values={"monthly_income": "1,200.50"}
            ),
        ],
        materials=[],
    )
    with pytest.raises(ValidationError) as info:
        services.intake.decide(draft, DecisionInput(Decision.SUPPLEMENT), clerk)
    assert info.value.party_index == 1 and info.value.field == "id_number"
    draft.parties[1].id_number = "310101198001010018"
    result = services.intake.decide(draft, DecisionInput(Decision.SUPPLEMENT), clerk)
    stored = _rows(services, 'SELECT "values" FROM application_parties ORDER BY position')
    assert '"monthly_income": 80000' in stored[0][0] and '"monthly_income": 120050' in stored[1][0]
    # the member's own material lines belong to the member (party_index 1)
    member_lines = [m for m in result.materials if m.party_index == 1]
    assert member_lines and all(m.party_name == "买买提·艾力" for m in member_lines)


def test_normalize_acceptance_no_never_raises() -> None:
    from hypothesis import given
    from hypothesis import strategies as st

    from app.intake.numbering import normalize_acceptance_no

    @given(st.text(max_size=60))
    def check(text: str) -> None:
        assert isinstance(normalize_acceptance_no(text), str)

    check()
    assert normalize_acceptance_no("３１０１０４００３００３２０２６１１２３０００７") == "310104003-003-20261123-0007"
