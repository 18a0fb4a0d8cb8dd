"""容缺受理, 先行救助, refusal details and inquiries at the counter, on a real SQLite file and the small test
catalog (tests/app/data/catalog-owed: no shipped item has a 容缺 basis)."""

from __future__ import annotations

import dataclasses

import pytest

from app.domain import Decision, MaterialStatus, PartyRole, Role
from app.errors import NotAllowedError, ValidationError
from app.intake.model import ApplicationDraft, DecisionInput, MaterialInput, PartyInput
from app.localtime import local_date
from app.security.permissions import MACHINE
from app.sync import protocol
from tests.app.test_intake_materials import ALL, OWED_CATALOG, draft, present, stored
from tests.conftest import add_user
from tests.storekit import connect_store


@pytest.fixture
def owed(services_factory):
    return services_factory(catalog_dir=OWED_CATALOG)


@pytest.fixture
def owed_clerk(owed):
    return add_user(owed)


def _events(services, result) -> list[protocol.Event]:
    conn = connect_store(services.db.path)
    try:
        rows = conn.execute(
            "SELECT payload FROM outbox WHERE application_id = ? ORDER BY seq", (result.application_id.bytes,)
        ).fetchall()
    finally:
        conn.close()
    return [protocol.parse(row[0]) for row in rows]


WITHOUT_INCOME = present("applicant_id_card", "household_register", "photos")


def test_tolerated_accepts_with_the_policys_materials_owed_by_a_date(owed, owed_clerk, clock) -> None:
    result = owed.intake.decide(draft(*WITHOUT_INCOME), DecisionInput(Decision.TOLERATED), owed_clerk)
    assert result.decision is Decision.TOLERATED and result.state == "accepted"
    assert result.accepted_at is not None and result.notice_no is None
    # Monday 2026-11-23 + 5 working days: the promise and the owed date both count from acceptance.
    assert result.promised_date is not None and result.promised_date.isoformat() == "2026-11-30"
    assert result.owed_by is not None and result.owed_by.isoformat() == "2026-11-30"
    assert [m.key for m in result.owed_materials] == ["income_proof"]
    assert stored(owed, result.acceptance_no)["income_proof"][0] == "missing"
    (taken,) = _events(owed, result)
    assert taken.body.decision.decision == "tolerated" and taken.body.decision.missing_keys == ["income_proof"]
    assert taken.body.decision.owed_by == result.owed_by and taken.body.decision.notice_no is None
    assert result.acceptance_no.endswith("-0001")


@pytest.mark.parametrize(
    ("ticks", "match"),
    [
        # A material the policy does not name is missing: it cannot be owed.
        (present("household_register", "photos"), "“申请人居民身份证”不能容缺受理"),
        # Nothing missing: a plain 受理.
        (present(*ALL), "材料已齐全"),
    ],
)
def test_tolerated_only_with_the_policys_materials_missing(owed, owed_clerk, ticks, match) -> None:
    with pytest.raises(ValidationError, match=match):
        owed.intake.decide(draft(*ticks), DecisionInput(Decision.TOLERATED), owed_clerk)


def test_tolerated_and_first_aid_only_where_the_item_declares_them(services, clerk) -> None:
    # The shipped 临时救助 as tested here declares no 容缺受理.
    plain = ApplicationDraft(
        item_code="MZ-SHJZ-002",
        values={"assistance_type": "emergency", "situation": "家中突发火灾。"},
        parties=[PartyInput(PartyRole.APPLICANT, "李明", "310104198506150023")],
        materials=[MaterialInput("applicant_id_card", MaterialStatus.MISSING)],
    )
    assert services.catalog.entry("MZ-SHJZ-002").item.tolerated is None
    with pytest.raises(ValidationError, match="没有开启容缺受理"):
        services.intake.decide(plain, DecisionInput(Decision.TOLERATED), clerk)


def test_first_aid_needs_its_case_and_its_reason(owed, owed_clerk) -> None:
    no_id = present("household_register", "photos")
    with pytest.raises(ValidationError, match="情形不适用先行救助"):
        owed.intake.decide(draft(*no_id), DecisionInput(Decision.FIRST_AID, basis="家中突发火灾。"), owed_clerk)
    with pytest.raises(ValidationError, match="先行救助必须写明理由"):
        owed.intake.decide(draft(*no_id, urgency="emergency"), DecisionInput(Decision.FIRST_AID), owed_clerk)
    result = owed.intake.decide(
        draft(*no_id, urgency="emergency"),
        DecisionInput(Decision.FIRST_AID, basis="家中突发火灾，证件烧毁。"),
        owed_clerk,
    )
    assert result.state == "accepted" and result.first_aid_reason == "家中突发火灾，证件烧毁。"
    assert [m.key for m in result.owed_materials] == ["applicant_id_card", "income_proof"]
    assert result.owed_by is not None and result.owed_by.isoformat() == "2026-12-07"  # 10 working days
    (taken,) = _events(owed, result)
    assert taken.body.decision.basis == "家中突发火灾，证件烧毁。"


def test_owed_materials_brought_later_and_the_supervisors_overdue_list(owed, owed_clerk, clock) -> None:
    tolerated = owed.intake.decide(draft(*WITHOUT_INCOME), DecisionInput(Decision.TOLERATED), owed_clerk)
    first_aid = owed.intake.decide(
        draft(*present("household_register", "photos"), urgency="emergency", name="王芳"),
        DecisionInput(Decision.FIRST_AID, basis="家中突发火灾，证件烧毁。"),
        owed_clerk,
    )
    plain = owed.intake.decide(draft(*present(*ALL), name="赵强"), DecisionInput(Decision.ACCEPT), owed_clerk)
    day = tolerated.owed_by
    assert day is not None
    assert owed.intake.overdue_owed(day, by=MACHINE) == []  # not past yet on the day itself
    after = day.fromordinal(day.toordinal() + 1)
    assert [s.acceptance_no for s in owed.intake.overdue_owed(after, by=MACHINE)] == [tolerated.acceptance_no]
    clock.advance(days=2)
    with pytest.raises(ValidationError, match="不是本办件待补交的材料"):
        owed.intake.materials_return(
            tolerated.acceptance_no, [MaterialInput("photos", MaterialStatus.RECEIVED)], owed_clerk
        )
    with pytest.raises(NotAllowedError, match="没有待补交"):
        owed.intake.materials_return(
            plain.acceptance_no, [MaterialInput("income_proof", MaterialStatus.RECEIVED)], owed_clerk
        )
    done = owed.intake.materials_return(
        tolerated.acceptance_no, [MaterialInput("income_proof", MaterialStatus.RECEIVED)], owed_clerk
    )
    # Still the same acceptance: date, promise and owed date unchanged; nothing owed any more.
    assert done.state == "accepted" and done.decision is Decision.TOLERATED
    assert (done.accepted_at, done.promised_date, done.owed_by) == (
        tolerated.accepted_at,
        tolerated.promised_date,
        tolerated.owed_by,
    )
    assert done.owed_materials == [] and stored(owed, done.acceptance_no)["income_proof"][0] == "received"
    assert owed.intake.overdue_owed(after, by=MACHINE) == []
    events = _events(owed, done)
    assert [e.body.type for e in events] == ["application.taken", "application.materials_brought"]
    assert events[1].body.received_keys == ["income_proof"]
    # The 先行救助 case still owes; later it shows up as overdue.
    late = first_aid.owed_by
    assert late is not None
    overdue = owed.intake.overdue_owed(late.fromordinal(late.toordinal() + 1), by=MACHINE)
    assert [s.acceptance_no for s in overdue] == [first_aid.acceptance_no]
    assert overdue[0].owed_by == late


def test_a_refusal_carries_its_ground_basis_and_competent_office(owed, owed_clerk) -> None:
    ticks = present(*ALL)
    with pytest.raises(ValidationError, match="应向哪个机关申请"):
        owed.intake.decide(
            draft(*ticks), DecisionInput(Decision.REFUSE, "不属于本中心职权。", ground="not_competent"), owed_clerk
        )
    with pytest.raises(ValidationError, match="理由类别"):
        owed.intake.decide(
            draft(*ticks), DecisionInput(Decision.REFUSE, "不符合条件的申请。", ground="nope"), owed_clerk
        )
    result = owed.intake.decide(
        draft(*ticks),
        DecisionInput(
            Decision.REFUSE,
            "户籍不在本街道。",
            ground="not_competent",
            basis="《上海市社会救助条例》",
            competent_office="户籍地街道社区事务受理服务中心",
        ),
        owed_clerk,
    )
    assert (result.refusal_ground, result.refusal_basis, result.competent_office) == (
        "not_competent",
        "《上海市社会救助条例》",
        "户籍地街道社区事务受理服务中心",
    )
    again = owed.intake.load(result.acceptance_no)
    assert again.competent_office == "户籍地街道社区事务受理服务中心" and again.first_aid_reason is None
    (taken,) = _events(owed, result)
    assert taken.body.decision.ground == "not_competent"
    assert taken.body.decision.competent_office == "户籍地街道社区事务受理服务中心"


def test_an_inquiry_is_answered_not_accepted(owed, owed_clerk) -> None:
    inquiry = ApplicationDraft(
        item_code="TS-INQ-001",
        values={"question": "本月津贴发放情况"},
        parties=draft().parties,
        materials=[MaterialInput("applicant_id_card", MaterialStatus.RECEIVED)],
    )
    result = owed.intake.decide(inquiry, DecisionInput(Decision.ACCEPT), owed_clerk)
    assert result.state == "answered" and result.accepted_at is None
    assert result.promised_date is None and result.promised_days is None
    assert result.values == {"question": "本月津贴发放情况"}
    (taken,) = _events(owed, result)
    assert taken.body.decision.answered is True and taken.body.decision.promised_date is None


def test_only_the_counter_brings_materials_and_a_temporary_password_reads_no_overdue_list(owed, owed_clerk) -> None:
    tolerated = owed.intake.decide(draft(*WITHOUT_INCOME), DecisionInput(Decision.TOLERATED), owed_clerk)
    admin = dataclasses.replace(owed_clerk, role=Role.ADMIN)  # the permission matrix judges the role
    before = stored(owed, tolerated.acceptance_no)
    with pytest.raises(NotAllowedError, match="系统管理员账号不能办理受理业务"):
        owed.intake.materials_return(
            tolerated.acceptance_no, [MaterialInput("income_proof", MaterialStatus.RECEIVED)], admin
        )
    assert stored(owed, tolerated.acceptance_no) == before
    assert len(_events(owed, tolerated)) == 1
    temporary = dataclasses.replace(owed_clerk, must_change_password=True)
    with pytest.raises(NotAllowedError, match="临时密码"):
        owed.intake.overdue_owed(by=temporary)
    assert owed.intake.overdue_owed(by=admin) == []  # IT may read records (nothing overdue today)


def test_the_shipped_temporary_assistance_helps_a_fire_victim_first(services, clerk) -> None:
    def fire(kind: str) -> ApplicationDraft:
        return ApplicationDraft(
            item_code="MZ-SHJZ-002",
            values={"assistance_type": kind, "situation": "家中突发火灾，证件烧毁。"},
            parties=[PartyInput(PartyRole.APPLICANT, "李明", "310104198506150023")],
            materials=[MaterialInput("applicant_id_card", MaterialStatus.MISSING)],
            acknowledged_duplicate=True,
        )

    reason = DecisionInput(Decision.FIRST_AID, basis="家中突发火灾，证件烧毁。")
    with pytest.raises(ValidationError, match="情形不适用先行救助"):
        services.intake.decide(fire("expenditure"), reason, clerk)  # 支出型: the papers come first
    helped = services.intake.decide(fire("emergency"), reason, clerk)
    policy = services.catalog.entry("MZ-SHJZ-002").item.first_aid
    assert policy is not None
    assert helped.state == "accepted" and [m.key for m in helped.owed_materials] == ["applicant_id_card"]
    assert helped.accepted_at is not None
    assert helped.owed_by == services.intake.calendar.add_workdays(local_date(helped.accepted_at), policy.days).date


def test_a_defective_material_the_policy_names_is_owed_like_a_missing_one(owed, owed_clerk) -> None:
    defective = MaterialInput("income_proof", MaterialStatus.DEFECTIVE, note="未盖公章")
    result = owed.intake.decide(draft(*WITHOUT_INCOME, defective), DecisionInput(Decision.TOLERATED), owed_clerk)
    assert [m.key for m in result.owed_materials] == ["income_proof"]
    assert result.received_materials and "income_proof" not in [m.key for m in result.received_materials]
    done = owed.intake.materials_return(
        result.acceptance_no, [MaterialInput("income_proof", MaterialStatus.RECEIVED)], owed_clerk
    )
    assert done.owed_materials == []
