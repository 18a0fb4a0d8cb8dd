"""A closed day (日结) is read-only for clerks, enforced in the intake use cases (docs/supervisor.md
"Reconciliation and day close"): no new decision, return visit or owed materials on a closed day, no 更正/作废 of a
closed day's application; a supervisor may, and the change's audit names the closed day for the next day's summary.
A 补正 return visit or owed materials brought on a later, open day are that day's work and stay allowed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select

from app.domain import Decision, MaterialStatus
from app.errors import NotAllowedError
from app.intake.model import DecisionInput, MaterialInput
from app.localtime import local_date
from db.models import AuditEvent, OutboxEntry
from tests.app.documents.doc_testkit import bring_missing, take
from tests.app.test_intake_materials import OWED_CATALOG, draft, present
from tests.conftest import add_user

ITEM = "MZ-SHJZ-002"
PASSWORD = "supervisor-pass-1"
REASON = "申请人要求更正联系电话"


def close_today(services: Any, supervisor: Any) -> dt.date:
    """The supervisor closes today (offline here: the close needs a reason)."""
    today = local_date(services.intake.clock())
    services.day_close.close(supervisor, today, PASSWORD, "本机未连接中心服务器，先行日结")
    return today


def outbox_count(services: Any) -> int:
    with services.db.read() as session:
        return int(session.scalar(select(func.count()).select_from(OutboxEntry)) or 0)


def last_audit(services: Any, action: str) -> dict[str, Any]:
    with services.db.read() as session:
        row = session.scalar(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq.desc()).limit(1)
        )
        assert row is not None
        return dict(row.details)


def tolerated_case(services_factory: Any) -> tuple[Any, Any, Any, Any]:
    """A store whose catalog lets materials be owed (容缺), its clerk and supervisor, and a case accepted with the
    income proof owed."""
    owed = services_factory(catalog_dir=OWED_CATALOG)
    clerk = add_user(owed)
    supervisor = add_user(owed, "zhangmin", supervisor=True)
    result = owed.intake.decide(
        draft(*present("applicant_id_card", "household_register", "photos")), DecisionInput(Decision.TOLERATED), clerk
    )
    return owed, clerk, supervisor, result


def test_a_clerk_takes_no_new_application_on_a_closed_day_a_supervisor_may(
    services: Any, clerk: Any, supervisor: Any
) -> None:
    take(services, clerk, ITEM)
    day = close_today(services, supervisor)
    before = outbox_count(services)
    with pytest.raises(NotAllowedError) as refused:
        take(services, clerk, ITEM)
    assert "已日结" in refused.value.message.render() and day.isoformat() in refused.value.message.render()
    assert outbox_count(services) == before  # nothing written, no number used
    late = take(services, supervisor, ITEM)
    assert late.acceptance_no.endswith("-0002")  # the refused attempt used no number
    assert last_audit(services, "application.accept")["closed_day"] == day.isoformat()


def test_a_clerk_may_not_correct_or_void_a_closed_days_application_the_next_day(
    services: Any, clerk: Any, supervisor: Any, clock: Any
) -> None:
    first = take(services, clerk, ITEM)
    second = take(services, clerk, ITEM)
    day = close_today(services, supervisor)
    clock.advance(days=1)  # Tuesday: an open day
    values = dict(services.intake.load(first.acceptance_no).values)
    before = outbox_count(services)
    # The supervisor's approval does not make the clerk's request possible: the day is closed for clerks.
    with pytest.raises(NotAllowedError, match="已日结") as refused:
        services.intake.correct(first.acceptance_no, values=values, reason=REASON, approver=supervisor, user=clerk)
    assert day.isoformat() in refused.value.message.render()
    with pytest.raises(NotAllowedError, match="已日结"):
        services.intake.void(second.acceptance_no, reason="申请人撤回申请", approver=supervisor, user=clerk)
    assert outbox_count(services) == before
    assert services.intake.load(second.acceptance_no).state == "accepted"
    # The supervisor does it: approved (by themselves, as every 更正/作废 needs a supervisor) and marked closed_day.
    services.intake.correct(first.acceptance_no, values=values, reason=REASON, approver=supervisor, user=supervisor)
    assert last_audit(services, "application.corrected")["closed_day"] == day.isoformat()
    voided = services.intake.void(second.acceptance_no, reason="申请人撤回申请", approver=supervisor, user=supervisor)
    assert voided.state == "voided"
    details = last_audit(services, "application.voided")
    assert details["closed_day"] == day.isoformat() and details["approved_by"] == "zhangmin"
    assert outbox_count(services) == before + 2
    # A change of a case of an open day carries no such mark.
    today = take(services, clerk, ITEM)
    services.intake.void(today.acceptance_no, reason="录入错误重新受理", approver=supervisor, user=clerk)
    assert "closed_day" not in last_audit(services, "application.voided")


def test_a_return_visit_on_a_later_open_day_is_that_days_work(
    services: Any, clerk: Any, supervisor: Any, clock: Any
) -> None:
    waiting = take(services, clerk, ITEM, Decision.SUPPLEMENT)
    close_today(services, supervisor)
    brought = bring_missing(services, waiting.acceptance_no)
    # The same (closed) day: refused for the clerk.
    with pytest.raises(NotAllowedError, match="已日结"):
        services.intake.supplement_return(waiting.acceptance_no, brought, DecisionInput(Decision.ACCEPT), clerk)
    assert services.intake.load(waiting.acceptance_no).state == "awaiting_supplement"
    clock.advance(days=1)
    done = services.intake.supplement_return(waiting.acceptance_no, brought, DecisionInput(Decision.ACCEPT), clerk)
    assert done.state == "accepted"
    assert "closed_day" not in last_audit(services, "application.supplement_return.accept")


def test_owed_materials_brought_on_a_later_day_stay_allowed_not_on_the_closed_day(
    services_factory: Any, clock: Any
) -> None:
    owed, clerk, supervisor, result = tolerated_case(services_factory)
    close_today(owed, supervisor)
    brought = [MaterialInput("income_proof", MaterialStatus.RECEIVED)]
    with pytest.raises(NotAllowedError, match="已日结"):
        owed.intake.materials_return(result.acceptance_no, brought, clerk)
    clock.advance(days=1)
    later = owed.intake.materials_return(result.acceptance_no, brought, clerk)
    assert later.owed_materials == []
    assert "closed_day" not in last_audit(owed, "application.materials_brought")


def test_a_supervisor_brings_owed_materials_on_the_closed_day_and_it_is_marked(
    services_factory: Any, clock: Any
) -> None:
    owed, clerk, supervisor, result = tolerated_case(services_factory)
    day = close_today(owed, supervisor)
    owed.intake.materials_return(
        result.acceptance_no, [MaterialInput("income_proof", MaterialStatus.RECEIVED)], supervisor
    )
    assert last_audit(owed, "application.materials_brought")["closed_day"] == day.isoformat()
