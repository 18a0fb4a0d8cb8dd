"""The permission matrix is enforced in the use cases: each use case called with each role, against a real store.

A refused call changes nothing (no record, no outbox event, no audit event).  Besides the matrix, the audit writes
and the reasons the rules require are each tested so that removing them fails a test.
"""

from __future__ import annotations

import dataclasses
import json
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from app.domain import (
    BadRatingReason,
    Decision,
    FollowUpStep,
    MaterialStatus,
    RatingLevel,
    RatingOccasion,
    Role,
    Verification,
)
from app.errors import AuthError, NotAllowedError, ValidationError
from app.intake.model import DecisionInput
from app.ratings import FollowUpInput, RatingInput
from app.security.permissions import MATRIX, Permission, allows
from tests.app.documents.doc_testkit import take
from tests.conftest import ADMIN_PASSWORD, add_user
from tests.storekit import connect_store

ITEM = "MZ-SHJZ-002"


def rows(services: Any, sql: str) -> list[tuple[Any, ...]]:
    with connect_store(services.db.path) as conn:
        return conn.execute(sql).fetchall()


def counts(services: Any) -> tuple[Any, ...]:
    return tuple(
        rows(services, f"SELECT count(*) FROM {table}")[0][0]
        for table in ("applications", "outbox", "audit_events", "decisions")
    )


@pytest.fixture
def accounts(services: Any) -> dict[Role, Any]:
    return {
        Role.ADMIN: add_user(services, "it", admin=True),  # the store's first account: no admin needed before it
        Role.CLERK: add_user(services),
        Role.SUPERVISOR: add_user(services, "zhangmin", supervisor=True),
    }


def test_the_matrix_separates_duties() -> None:
    assert set(MATRIX) == set(Role)
    assert allows(Role.SUPERVISOR, Permission.APPROVE_CHANGE)
    assert not allows(Role.CLERK, Permission.APPROVE_CHANGE)
    assert not allows(Role.ADMIN, Permission.APPROVE_CHANGE)
    assert not allows(Role.ADMIN, Permission.TAKE)
    assert allows(Role.ADMIN, Permission.MANAGE_ACCOUNTS)
    assert not allows(Role.CLERK, Permission.MANAGE_ACCOUNTS)
    assert not allows(Role.SUPERVISOR, Permission.MANAGE_ACCOUNTS)


def _decide(services: Any, accounts: dict[Role, Any], role: Role) -> Any:
    return take(services, accounts[role], ITEM)


def _return_visit(services: Any, accounts: dict[Role, Any], role: Role) -> Any:
    waiting = take(services, accounts[Role.CLERK], ITEM, Decision.SUPPLEMENT)
    before = counts(services)
    try:
        return services.intake.supplement_return(
            waiting.acceptance_no, [], DecisionInput(Decision.REFUSE, "申请人放弃补正，不予受理。"), accounts[role]
        )
    except NotAllowedError:
        assert counts(services) == before
        raise


def _change(kind: str, as_: str) -> Callable[[Any, dict[Role, Any], Role], Any]:
    def run(services: Any, accounts: dict[Role, Any], role: Role) -> Any:
        result = take(services, accounts[Role.CLERK], ITEM)
        user = accounts[role] if as_ == "user" else accounts[Role.CLERK]
        approver = accounts[role] if as_ == "approver" else accounts[Role.SUPERVISOR]
        before = counts(services)
        try:
            if kind == "correct":
                return services.intake.correct(
                    result.acceptance_no,
                    values=dict(result.values, situation="更正后的说明。"),
                    reason="申请人说明有误",
                    approver=approver,
                    user=user,
                )
            return services.intake.void(result.acceptance_no, reason="重复录入的申请", approver=approver, user=user)
        except NotAllowedError:
            assert counts(services) == before
            raise

    return run


def _hand_out(services: Any, accounts: dict[Role, Any], role: Role) -> Any:
    result = take(services, accounts[Role.CLERK], ITEM)
    stored = services.documents.issue(result, accounts[Role.CLERK])
    return services.documents.record_handout(stored[0].id, accounts[role], action="print", reprint=False)


def _read(kind: str) -> Callable[[Any, dict[Role, Any], Role], Any]:
    def run(services: Any, accounts: dict[Role, Any], role: Role) -> Any:
        result = take(services, accounts[Role.CLERK], ITEM)
        intake, by = services.intake, accounts[role]
        found = {
            "list": lambda: intake.list_day(by=by),
            "search": lambda: intake.search(result.acceptance_no, by=by),
            "history": lambda: intake.history(result.parties[0].id_number or "", by=by),
        }[kind]()
        assert [s.acceptance_no for s in found] == [result.acceptance_no]
        return found

    return run


def _retry(services: Any, accounts: dict[Role, Any], role: Role) -> Any:
    return services.sync.retry_quarantined(by=accounts[role])


def rating_counts(services: Any) -> tuple[Any, ...]:
    return (
        *counts(services),
        *(rows(services, f"SELECT count(*) FROM {t}")[0][0] for t in ("ratings", "rating_follow_ups")),
    )


def _rate(services: Any, accounts: dict[Role, Any], role: Role) -> Any:
    """The citizen's rating of the decision just made, recorded by the account that made it (a role that takes no
    applications records it for the clerk's)."""
    deciding = accounts[role] if allows(role, Permission.TAKE) else accounts[Role.CLERK]
    result = take(services, dataclasses.replace(deciding, must_change_password=False), ITEM)
    before = rating_counts(services)
    try:
        return services.ratings.record(
            result.acceptance_no, RatingOccasion.DECISION, RatingInput(RatingLevel.SATISFIED), accounts[role]
        )
    except NotAllowedError:
        assert rating_counts(services) == before
        raise


def _bad_rating(services: Any, accounts: dict[Role, Any]) -> Any:
    clerk = accounts[Role.CLERK]
    result = take(services, clerk, ITEM)
    bad = RatingInput(RatingLevel.DISSATISFIED, (BadRatingReason.LONG_WAIT,), phone="13800138000")
    return services.ratings.record(result.acceptance_no, RatingOccasion.DECISION, bad, clerk)


def _follow_up(kind: str) -> Callable[[Any, dict[Role, Any], Role], Any]:
    def run(services: Any, accounts: dict[Role, Any], role: Role) -> Any:
        rating = _bad_rating(services, accounts)
        before = rating_counts(services)
        try:
            if kind == "step":
                verified = FollowUpInput(FollowUpStep.VERIFICATION, verification=Verification.TRUE)
                return services.ratings.follow_up(rating.id, verified, accounts[role])
            if kind == "list":
                return services.ratings.follow_ups(accounts[role])
            return services.ratings.phone_for_call(rating.id, accounts[role])
        except NotAllowedError:
            assert rating_counts(services) == before
            raise

    return run


USE_CASES: dict[str, tuple[Callable[[Any, dict[Role, Any], Role], Any], Permission]] = {
    "decide": (_decide, Permission.TAKE),
    "return visit": (_return_visit, Permission.TAKE),
    "enter a 更正": (_change("correct", "user"), Permission.REQUEST_CHANGE),
    "approve a 更正": (_change("correct", "approver"), Permission.APPROVE_CHANGE),
    "enter a 作废": (_change("void", "user"), Permission.REQUEST_CHANGE),
    "approve a 作废": (_change("void", "approver"), Permission.APPROVE_CHANGE),
    "print a document": (_hand_out, Permission.HAND_OUT),
    "today's list": (_read("list"), Permission.READ_RECORDS),
    "search": (_read("search"), Permission.READ_RECORDS),
    "an applicant's history": (_read("history"), Permission.READ_RECORDS),
    "put refused uploads back": (_retry, Permission.SYNC),
    "record a citizen's rating": (_rate, Permission.RATE),
    "record a 差评's follow-up step": (_follow_up("step"), Permission.FOLLOW_UP),
    "list the 差评 to follow up": (_follow_up("list"), Permission.FOLLOW_UP),
    "see a 差评's phone number to call back": (_follow_up("phone"), Permission.FOLLOW_UP),
}


@pytest.mark.parametrize("name", list(USE_CASES))
def test_an_account_on_a_temporary_password_is_refused_by_every_use_case(
    services: Any, accounts: dict[Role, Any], name: str
) -> None:
    run, permission = USE_CASES[name]
    role = next(r for r in (Role.SUPERVISOR, Role.CLERK, Role.ADMIN) if allows(r, permission))
    accounts[role] = dataclasses.replace(accounts[role], must_change_password=True)
    with pytest.raises(NotAllowedError) as refused:
        run(services, accounts, role)
    assert "临时密码" in refused.value.message.render()


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("name", list(USE_CASES))
def test_each_use_case_with_each_role(services: Any, accounts: dict[Role, Any], name: str, role: Role) -> None:
    run, permission = USE_CASES[name]
    if allows(role, permission):
        assert run(services, accounts, role) is not None
    else:
        with pytest.raises(NotAllowedError):
            run(services, accounts, role)


@pytest.mark.parametrize("role", list(Role))
def test_only_a_supervisor_password_approves(services: Any, accounts: dict[Role, Any], role: Role) -> None:
    username = accounts[role].username
    password = {Role.CLERK: "counter-pass-1", Role.SUPERVISOR: "supervisor-pass-1", Role.ADMIN: ADMIN_PASSWORD}[role]
    if role is Role.SUPERVISOR:
        assert services.accounts.approve(username, password).role is Role.SUPERVISOR
    else:
        with pytest.raises(AuthError, match="不是值班长账号"):
            services.accounts.approve(username, password)


@pytest.mark.parametrize("kind", ["correct", "void"])
def test_a_change_writes_its_audit_event_with_who_approved_and_why(
    services: Any, accounts: dict[Role, Any], kind: str
) -> None:
    clerk, supervisor = accounts[Role.CLERK], accounts[Role.SUPERVISOR]
    result = take(services, clerk, ITEM)
    if kind == "correct":
        services.intake.correct(
            result.acceptance_no,
            values=dict(result.values, situation="更正后的说明。"),
            reason="申请人说明有误",
            approver=supervisor,
            user=clerk,
        )
    else:
        services.intake.void(result.acceptance_no, reason="重复录入的申请", approver=supervisor, user=clerk)
    action, user_id, details = rows(services, "SELECT action, user_id, details FROM audit_events ORDER BY seq DESC")[0]
    assert action == f"application.{'corrected' if kind == 'correct' else 'voided'}"
    assert user_id == clerk.id.bytes  # ids are stored as their 16 bytes (db.types.UUIDBytes)
    details = json.loads(details)
    assert details["approved_by"] == "zhangmin" and details["reason"]
    assert details["acceptance_no"] == result.acceptance_no
    last_event = rows(services, "SELECT id FROM outbox ORDER BY seq DESC LIMIT 1")[0][0]
    assert uuid.UUID(details["outbox_event"]) == uuid.UUID(bytes=last_event)  # stored as its 16 bytes


@pytest.mark.parametrize("kind", ["correct", "void"])
def test_an_id_number_typed_into_a_reason_is_refused_before_anything_is_written(
    services: Any, accounts: dict[Role, Any], kind: str
) -> None:
    clerk, supervisor = accounts[Role.CLERK], accounts[Role.SUPERVISOR]
    result = take(services, clerk, ITEM)
    before = counts(services)
    reason = "证件号码 310104198506150023 录错"
    with pytest.raises(ValidationError, match="不要写证件号码") as info:
        if kind == "correct":
            services.intake.correct(
                result.acceptance_no, values=dict(result.values), reason=reason, approver=supervisor, user=clerk
            )
        else:
            services.intake.void(result.acceptance_no, reason=reason, approver=supervisor, user=clerk)
    assert info.value.field == "approval_reason"
    assert counts(services) == before
    assert all("310104198506150023" not in d for (d,) in rows(services, "SELECT details FROM audit_events"))


def test_a_return_visit_refusal_needs_its_reason(services: Any, accounts: dict[Role, Any]) -> None:
    clerk = accounts[Role.CLERK]
    waiting = take(services, clerk, ITEM, Decision.SUPPLEMENT)
    before = counts(services)
    for reason in (None, "  ", "太短"):
        with pytest.raises(ValidationError, match="不予受理必须写明理由") as info:
            services.intake.supplement_return(waiting.acceptance_no, [], DecisionInput(Decision.REFUSE, reason), clerk)
        assert info.value.field == "refusal_reason"
    assert counts(services) == before
    assert services.intake.load(waiting.acceptance_no).state == "awaiting_supplement"
    assert MaterialStatus.MISSING.value in {m.status for m in services.intake.load(waiting.acceptance_no).materials}
