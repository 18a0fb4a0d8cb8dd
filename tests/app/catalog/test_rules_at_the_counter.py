"""The new rules through the real intake use cases (a real store, the shipped catalog, the clock of the tests:
Monday 2026-11-23): what the counter stores and what it refuses to store."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from app.demo import demo_id, sample_draft
from app.domain import PartyRole
from app.errors import ValidationError
from app.intake.model import (
    ApplicationDraft,
    Decision,
    DecisionInput,
    MaterialInput,
    MaterialStatus,
    PartyInput,
)

TODAY = dt.date(2026, 11, 23)


def draft_of(services: Any, code: str, **values: object) -> ApplicationDraft:
    item = services.catalog.entry(code).item
    draft = sample_draft(item, today=TODAY)
    draft.values.update(values)
    return draft


def tick_all(services: Any, draft: ApplicationDraft) -> ApplicationDraft:
    lines = services.intake.check(draft).materials
    draft.materials = [MaterialInput(line.key, MaterialStatus.RECEIVED, line.party_index) for line in lines]
    return draft


def accept(services: Any, clerk: Any, draft: ApplicationDraft) -> Any:
    return services.intake.decide(tick_all(services, draft), DecisionInput(Decision.ACCEPT), clerk)


def error_texts(services: Any, draft: ApplicationDraft) -> list[str]:
    return [issue.message.render() for issue in services.intake.check(draft).errors]


def test_a_marriage_appointment_today_is_passed(services: Any, clerk: Any) -> None:
    assert services.intake.clock().date() == TODAY
    draft = draft_of(services, "MZ-HY-001", business_type="marriage", appointment_date=TODAY)
    assert error_texts(services, draft) == []
    result = accept(services, clerk, draft)
    assert result.decision is Decision.ACCEPT


def test_a_marriage_appointment_yesterday_is_not_stored(services: Any, clerk: Any) -> None:
    yesterday = TODAY - dt.timedelta(days=1)
    draft = draft_of(services, "MZ-HY-001", business_type="marriage", appointment_date=yesterday)
    assert error_texts(services, draft) == ["预约登记日期不能早于今天（2026年11月23日）"]
    with pytest.raises(ValidationError):
        accept(services, clerk, draft)


def test_a_marriage_party_with_a_hmt_permit_is_not_passed(services: Any, clerk: Any) -> None:
    draft = draft_of(services, "MZ-HY-001", business_type="marriage")
    spouse = next(i for i, p in enumerate(draft.parties) if p.role is PartyRole.SPOUSE)
    draft.parties[spouse].id_number = demo_id("81000019900101001")
    assert any("港澳台居民居住证" in text and "内地居民" in text for text in error_texts(services, draft))
    with pytest.raises(ValidationError):
        accept(services, clerk, draft)


def _dibao_with_child(services: Any, *, signer: str | None, guardian: bool = False) -> ApplicationDraft:
    draft = draft_of(services, "MZ-SHJZ-001")
    values: dict[str, object] = {"relation": "minor_child", "monthly_income": 0, "hukou_shanghai": True}
    if signer:
        values["signer"] = signer
    child = PartyInput(
        PartyRole.HOUSEHOLD_MEMBER,
        "张小",
        demo_id("31010420110501002"),  # 15 on 2026-11-23
        None,
        values,
        confirmed_id=True,
    )
    draft.parties.append(child)
    if guardian:
        draft.parties.append(
            PartyInput(PartyRole.GUARDIAN, "钱芳", demo_id("31010419700101002"), "13800138000", {}, confirmed_id=True)
        )
    return draft


def test_dibao_a_15_year_old_member_without_a_guardian_is_not_accepted(services: Any, clerk: Any) -> None:
    draft = _dibao_with_child(services, signer=None)
    assert any(text.startswith("张小未满 18 周岁（15 周岁）") for text in error_texts(services, draft))
    with pytest.raises(ValidationError):
        accept(services, clerk, draft)


def test_dibao_a_15_year_old_member_with_a_guardian_is_accepted(services: Any, clerk: Any) -> None:
    draft = _dibao_with_child(services, signer="钱芳", guardian=True)
    assert error_texts(services, draft) == []
    lines = services.intake.check(draft).materials
    assert ("guardian_id_card", len(draft.parties) - 1) in [(line.key, line.party_index) for line in lines]
    result = accept(services, clerk, draft)
    assert result.decision is Decision.ACCEPT
    # The guardian's ID card is checked and handed back, not kept.
    card = next(m for m in result.materials if m.key == "guardian_id_card")
    assert card.status == MaterialStatus.ORIGINAL_CHECKED.value


def test_dibao_the_applicant_signs_for_her_child(services: Any, clerk: Any) -> None:
    """A parent who applies is named as the child's signer: the same ID number cannot be entered twice."""
    draft = draft_of(services, "MZ-SHJZ-001")
    applicant = next(p for p in draft.parties if p.role is PartyRole.APPLICANT)
    draft = _dibao_with_child(services, signer=applicant.name)
    assert error_texts(services, draft) == []
    assert accept(services, clerk, draft).decision is Decision.ACCEPT


def test_dibao_another_centre_needs_the_clerk_to_confirm(services: Any, clerk: Any) -> None:
    draft = draft_of(services, "MZ-SHJZ-001", hukou_at_this_center=False)
    check = services.intake.check(draft)
    assert check.errors == []
    assert any("全市通办" in w.message.render() for w in check.warnings)
    draft.acknowledged_warnings = False
    with pytest.raises(ValidationError):
        accept(services, clerk, draft)
    draft.acknowledged_warnings = True
    assert accept(services, clerk, draft).decision is Decision.ACCEPT
