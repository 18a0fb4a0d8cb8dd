"""The citizens' ratings (好差评) and the follow-up of a 差评 (app/ratings.py, docs/ratings.md), on real stores: cases
taken through the intake use cases, ratings recorded at the counter, follow-ups by a supervisor, the clock moved by
hand; the outbox read back and parsed with the wire format, the audit trail read raw, a real central server, the
retention purge and a recovery from the server."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect, text

from app.domain import (
    RATING_CHOICES,
    BadRatingReason,
    Decision,
    FollowUpStep,
    Measure,
    RatingLevel,
    RatingOccasion,
    Verification,
)
from app.errors import NotAllowedError, NotFoundError, ValidationError
from app.intake.model import DecisionInput
from app.ratings import FollowUpInput, RatingInput, RatingService
from app.security import audit
from app.sync import protocol
from tests.app.documents.doc_testkit import bring_missing, take
from tests.app.sync.synckit import Workstation
from tests.conftest import add_user, write_deployment
from tests.serverkit import count
from tests.storekit import connect_store, decrypted_bytes

ITEM = "MZ-SHJZ-002"  # 临时救助
PHONE = "13800138000"
BAD = RatingInput(RatingLevel.DISSATISFIED, (BadRatingReason.LONG_WAIT,), "排队等了两个小时。", PHONE)
ANONYMOUS = RatingInput(RatingLevel.VERY_DISSATISFIED, (BadRatingReason.ATTITUDE, BadRatingReason.OTHER))
TABLES = ("ratings", "rating_follow_ups", "outbox", "audit_events")


@pytest.fixture
def admin(services: Any) -> Any:
    """IT's admin account: the store's first (an admin is created by an admin once accounts exist)."""
    return add_user(services, "it", admin=True)


def shanghai(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=dt.timezone(dt.timedelta(hours=8))).astimezone(dt.UTC)


def rows(services: Any, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    with connect_store(services.db.path) as conn:
        return conn.execute(sql, args).fetchall()


def counts(services: Any) -> tuple[int, ...]:
    return tuple(rows(services, f"SELECT count(*) FROM {table}")[0][0] for table in TABLES)


def last_event(services: Any) -> protocol.Event:
    (payload,) = rows(services, "SELECT payload FROM outbox ORDER BY seq DESC LIMIT 1")[0]
    return protocol.parse(payload.encode() if isinstance(payload, str) else payload)


def last_audit(services: Any) -> tuple[str, dict[str, Any]]:
    action, details = rows(services, "SELECT action, details FROM audit_events ORDER BY seq DESC LIMIT 1")[0]
    return action, json.loads(details)


def rated(services: Any, clerk: Any, rating: RatingInput = BAD) -> Any:
    """A case taken and decided by ``clerk``, rated by its citizen."""
    case = take(services, clerk, ITEM)
    return services.ratings.record(case.acceptance_no, RatingOccasion.DECISION, rating, clerk)


def step(kind: FollowUpStep, **kwargs: Any) -> FollowUpInput:
    return FollowUpInput(kind, **kwargs)


CONTACT = step(FollowUpStep.CONTACT, reached=True, note="已电话联系，群众反映排队时间长。")
VERIFY = step(FollowUpStep.VERIFICATION, verification=Verification.TRUE)
MEASURE = step(FollowUpStep.MEASURE, measure=Measure.IMMEDIATE, note="高峰时段增开一个窗口。")
OUTCOME = step(FollowUpStep.OUTCOME, note="已向群众反馈整改情况，群众表示认可。")


# ---------------------------------------------------------------------------------------------------- at the counter


@pytest.mark.parametrize("level", RATING_CHOICES)
def test_every_level_is_recorded_once_with_its_event_and_its_audit(
    services: Any, clerk: Any, clock: Any, level: RatingLevel
) -> None:
    case = take(services, clerk, ITEM)
    assert services.ratings.awaiting(case.acceptance_no) is RatingOccasion.DECISION
    rating = (
        RatingInput(level, (BadRatingReason.SLOW_HANDLING,))
        if level.is_bad
        else RatingInput(level, comment="窗口的王丽很耐心，一次就办好了。")
    )
    view = services.ratings.record(case.acceptance_no, RatingOccasion.DECISION, rating, clerk)
    assert (view.level, view.occasion, view.acceptance_no) == (level, RatingOccasion.DECISION, case.acceptance_no)
    assert (view.clerk, view.clerk_name, view.item_code, view.item_name) == ("wangli", "王丽", ITEM, "临时救助申请")
    assert view.rated_at == clock.now and not view.named and view.phone_masked is None
    assert services.ratings.awaiting(case.acceptance_no) is None
    event = last_event(services)
    assert isinstance(event.body, protocol.RatingRecorded)
    (app_id,) = rows(services, "SELECT id FROM applications")[0]
    assert (event.body.level, event.body.rating_id) == (level.value, view.id)
    assert event.application_id.bytes == app_id  # ids are stored as their 16 bytes (db.types.UUIDBytes)
    assert event.body.clerk_username == "wangli"
    if level.is_bad:
        assert view.reasons == (BadRatingReason.SLOW_HANDLING,) and event.body.reasons == ["slow_handling"]
        # Monday 23 November 2026: the call-back the next working day, the 整改 five working days on.
        assert (view.contact_due, view.rectify_due) == (dt.date(2026, 11, 24), dt.date(2026, 11, 30))
    else:
        assert view.reasons == () and view.comment == "窗口的王丽很耐心，一次就办好了。"
        assert (view.contact_due, view.rectify_due) == (None, None)
    action, details = last_audit(services)
    assert action == "rating.recorded"
    assert details["level"] == level.value and details["acceptance_no"] == case.acceptance_no
    assert details["outbox_event"] == str(event.event_id)
    assert rows(services, "SELECT sync_state FROM applications")[0][0] == "pending"  # the rating waits for upload


def test_a_named_bad_rating_keeps_the_phone_normalized_and_shows_it_masked_never_in_the_audit(
    services: Any, clerk: Any
) -> None:
    case = take(services, clerk, ITEM)
    typed = RatingInput(RatingLevel.DISSATISFIED, (BadRatingReason.REPEAT_VISITS,), phone="＋86 138-0013-8000")
    view = services.ratings.record(case.acceptance_no, RatingOccasion.DECISION, typed, clerk)
    assert view.named and view.phone_masked == "138****8000"
    assert rows(services, "SELECT phone FROM ratings") == [(PHONE,)]
    assert last_event(services).body.phone == PHONE  # type: ignore[union-attr]
    action, details = last_audit(services)
    assert action == "rating.recorded" and details["named"] is True
    assert all(PHONE not in d for (d,) in rows(services, "SELECT details FROM audit_events"))


def test_an_anonymous_bad_rating_carries_no_phone(services: Any, clerk: Any) -> None:
    view = rated(services, clerk, ANONYMOUS)
    assert not view.named and view.phone_masked is None
    assert view.reasons == (BadRatingReason.ATTITUDE, BadRatingReason.OTHER)
    assert last_event(services).body.phone is None  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("rating", "field", "said"),
    [
        (RatingInput(RatingLevel.DISSATISFIED), "reasons", "差评请至少选择一项原因"),
        (RatingInput(RatingLevel.SATISFIED, (BadRatingReason.LONG_WAIT,)), "reasons", "只有不满意和非常不满意"),
        (RatingInput(RatingLevel.VERY_SATISFIED, phone=PHONE), "phone", "只有差评需要留电话"),
        (RatingInput(RatingLevel.UNRATED, comment="好"), "comment", "未评价时不登记评价内容"),
        (RatingInput(RatingLevel.DISSATISFIED, (BadRatingReason.OTHER,), phone="1380013800"), "phone", "11 位"),
        (RatingInput(RatingLevel.DISSATISFIED, (BadRatingReason.OTHER,), phone="61234567"), "phone", "请加区号"),
        (
            RatingInput(RatingLevel.DISSATISFIED, (BadRatingReason.OTHER,), "我的身份证 310104198506150023 被退回"),
            "comment",
            "不要写证件号码",
        ),
        (RatingInput(RatingLevel.SATISFIED, comment="好" * 2001), "comment", "最多 2000 个字"),
        (RatingInput(RatingLevel.SATISFIED, comment="好\x00"), "comment", "控制字符"),
    ],
)
def test_a_rating_that_breaks_a_rule_is_refused_with_a_sentence_and_writes_nothing(
    services: Any, clerk: Any, rating: RatingInput, field: str, said: str
) -> None:
    case = take(services, clerk, ITEM)
    before = counts(services)
    with pytest.raises(ValidationError) as refused:
        services.ratings.record(case.acceptance_no, RatingOccasion.DECISION, rating, clerk)
    assert refused.value.field == field and said in refused.value.message.render()
    assert counts(services) == before
    assert services.ratings.awaiting(case.acceptance_no) is RatingOccasion.DECISION


def test_a_skip_records_unrated_and_nothing_rates_that_decision_again(services: Any, clerk: Any) -> None:
    case = take(services, clerk, ITEM)
    view = services.ratings.skip(case.acceptance_no, RatingOccasion.DECISION, clerk)
    assert view.level is RatingLevel.UNRATED and view.reasons == () and view.contact_due is None
    assert last_event(services).body.level == "unrated"  # type: ignore[union-attr]
    assert services.ratings.awaiting(case.acceptance_no) is None
    before = counts(services)
    for again in (
        lambda: services.ratings.skip(case.acceptance_no, RatingOccasion.DECISION, clerk),
        lambda: services.ratings.record(
            case.acceptance_no, RatingOccasion.DECISION, RatingInput(RatingLevel.VERY_SATISFIED), clerk
        ),
    ):
        with pytest.raises(NotAllowedError, match="评价已登记，不能更改"):
            again()
    assert counts(services) == before


def test_a_second_rating_is_refused_and_there_is_no_way_to_change_one(services: Any, clerk: Any) -> None:
    view = rated(services, clerk, RatingInput(RatingLevel.SATISFIED))
    before = counts(services)
    with pytest.raises(NotAllowedError, match="评价已登记，不能更改"):
        services.ratings.record(
            view.acceptance_no, RatingOccasion.DECISION, RatingInput(RatingLevel.VERY_DISSATISFIED, BAD.reasons), clerk
        )
    assert counts(services) == before
    assert rows(services, "SELECT level FROM ratings") == [("satisfied",)]
    public = {name for name in vars(RatingService) if not name.startswith("_")}
    assert public == {"awaiting", "record", "skip", "follow_ups", "follow_up", "phone_for_call", "ratings_between"}


def test_a_return_visit_is_rated_as_its_own_visit_and_for_the_clerk_who_decided_it(
    services: Any, clerk: Any, clock: Any
) -> None:
    other = add_user(services, "lisi")
    waiting = take(services, clerk, ITEM, Decision.SUPPLEMENT)
    first = services.ratings.record(waiting.acceptance_no, RatingOccasion.DECISION, ANONYMOUS, clerk)
    assert services.ratings.awaiting(waiting.acceptance_no) is None
    clock.advance(days=2)
    brought = bring_missing(services, waiting.acceptance_no)
    services.intake.supplement_return(waiting.acceptance_no, brought, DecisionInput(Decision.ACCEPT), other)
    assert services.ratings.awaiting(waiting.acceptance_no) is RatingOccasion.RETURN_VISIT
    before = counts(services)
    # The first clerk did not decide this visit: the rating is recorded by the one who did.
    with pytest.raises(NotAllowedError, match="其他工作人员办理"):
        services.ratings.record(
            waiting.acceptance_no, RatingOccasion.RETURN_VISIT, RatingInput(RatingLevel.SATISFIED), clerk
        )
    with pytest.raises(NotAllowedError, match="评价已登记，不能更改"):
        services.ratings.record(
            waiting.acceptance_no, RatingOccasion.DECISION, RatingInput(RatingLevel.SATISFIED), other
        )
    assert counts(services) == before
    second = services.ratings.record(
        waiting.acceptance_no, RatingOccasion.RETURN_VISIT, RatingInput(RatingLevel.VERY_SATISFIED), other
    )
    assert (second.occasion, second.clerk, first.clerk) == (RatingOccasion.RETURN_VISIT, "lisi", "wangli")
    assert services.ratings.awaiting(waiting.acceptance_no) is None
    decisions = rows(services, "SELECT r.occasion, d.decision FROM ratings r JOIN decisions d ON d.id = r.decision_id")
    assert sorted(decisions) == [("decision", "supplement"), ("return_visit", "accept")]


def test_a_first_decision_left_unrated_cannot_be_rated_after_the_return_visit(services: Any, clerk: Any) -> None:
    waiting = take(services, clerk, ITEM, Decision.SUPPLEMENT)
    services.intake.supplement_return(
        waiting.acceptance_no, [], DecisionInput(Decision.REFUSE, "申请人放弃补正，不予受理。"), clerk
    )
    with pytest.raises(NotAllowedError, match="这次待评价的是“补正后评价”"):
        services.ratings.record(
            waiting.acceptance_no, RatingOccasion.DECISION, RatingInput(RatingLevel.SATISFIED), clerk
        )


def test_a_voided_case_awaits_no_rating_and_takes_none(services: Any, clerk: Any, supervisor: Any) -> None:
    case = take(services, clerk, ITEM)
    services.intake.void(case.acceptance_no, reason="重复录入的申请", approver=supervisor, user=clerk)
    assert services.ratings.awaiting(case.acceptance_no) is None
    with pytest.raises(NotAllowedError, match="已作废，不能登记评价"):
        services.ratings.skip(case.acceptance_no, RatingOccasion.DECISION, clerk)
    assert rows(services, "SELECT count(*) FROM ratings") == [(0,)]


def test_another_clerk_cannot_rate_my_decision_and_an_unknown_number_is_named(services: Any, clerk: Any) -> None:
    case = take(services, clerk, ITEM)
    other = add_user(services, "lisi")
    before = counts(services)
    with pytest.raises(NotAllowedError, match="请由办理人登记"):
        services.ratings.record(case.acceptance_no, RatingOccasion.DECISION, BAD, other)
    with pytest.raises(NotFoundError, match="找不到办件编号"):
        services.ratings.skip("310104003-003-20261123-0099", RatingOccasion.DECISION, clerk)
    assert counts(services) == before
    assert services.ratings.awaiting("310104003-003-20261123-0099") is None


# ---------------------------------------------------------------------------------------------------- deadlines


def deployment_with(tmp_path: Path, **ratings: int) -> Path:
    path = write_deployment(tmp_path)
    text = path.read_text(encoding="utf-8")
    lines = "".join(f"{key} = {value}\n" for key, value in ratings.items())
    text = (
        text.replace("[ratings]\n", "[ratings]\n" + lines) if "[ratings]\n" in text else f"{text}\n[ratings]\n{lines}"
    )
    path.write_text(text, encoding="utf-8")
    return path


def test_deadlines_count_working_days_across_the_national_day_holiday(
    services_factory: Callable[..., Any], clock: Any
) -> None:
    clock.now = shanghai(2026, 9, 30, 16)  # the working day before 国庆 (1–7 October 2026)
    services = services_factory()
    clerk = add_user(services)
    view = rated(services, clerk)
    # 1 working day: Thursday 8 October; 5: 8, 9, Saturday 10 (调休, worked), 12, 13 October.
    assert (view.contact_due, view.rectify_due) == (dt.date(2026, 10, 8), dt.date(2026, 10, 13))
    body = last_event(services).body
    assert isinstance(body, protocol.RatingRecorded)
    assert (body.contact_due, body.rectify_due) == (dt.date(2026, 10, 8), dt.date(2026, 10, 13))


def test_deadlines_come_from_the_deployment_settings(
    services_factory: Callable[..., Any], clock: Any, tmp_path: Path
) -> None:
    clock.now = shanghai(2026, 9, 30, 16)
    services = services_factory(config=deployment_with(tmp_path, contact_days=2, rectify_days=15))
    assert (services.deployment.rating_contact_days, services.deployment.rating_rectify_days) == (2, 15)
    view = rated(services, add_user(services))
    # 2 working days: 8, 9 October; 15: 8, 9, 10, 12–16, 19–23, 26, 27 October.
    assert (view.contact_due, view.rectify_due) == (dt.date(2026, 10, 9), dt.date(2026, 10, 27))


# ---------------------------------------------------------------------------------------------------- follow-up


def test_a_clerk_and_the_admin_cannot_follow_up_and_their_attempt_writes_nothing(
    admin: Any, services: Any, clerk: Any, supervisor: Any
) -> None:
    view = rated(services, clerk)
    before = counts(services)
    for user in (clerk, admin):
        with pytest.raises(NotAllowedError, match="差评回访整改由值班长登记"):
            services.ratings.follow_up(view.id, CONTACT, user)
        with pytest.raises(NotAllowedError):
            services.ratings.follow_ups(user)
        with pytest.raises(NotAllowedError):
            services.ratings.phone_for_call(view.id, user)
    assert counts(services) == before
    assert [c.rating.id for c in services.ratings.follow_ups(supervisor)] == [view.id]


def test_a_named_bad_rating_is_called_back_verified_fixed_and_closed_in_order(
    services: Any, clerk: Any, supervisor: Any, clock: Any
) -> None:
    view = rated(services, clerk)
    ratings = services.ratings
    before = counts(services)
    with pytest.raises(NotAllowedError, match="实名差评须全部回访"):
        ratings.follow_up(view.id, OUTCOME, supervisor)
    assert counts(services) == before
    clock.advance(hours=1)
    case = ratings.follow_up(view.id, step(FollowUpStep.CONTACT, reached=False, note="无人接听"), supervisor)
    assert case.state == "contacted" and case.rating.contacted
    assert [(s.step, s.reached, s.by, s.by_name, s.note) for s in case.steps] == [
        (FollowUpStep.CONTACT, False, "zhangmin", "张敏", "无人接听")
    ]
    for given in (CONTACT, VERIFY, MEASURE):
        clock.advance(minutes=10)
        case = ratings.follow_up(view.id, given, supervisor)
    assert case.state == "contacted" and case.rating.closed_at is None
    clock.advance(minutes=10)
    closed = ratings.follow_up(view.id, OUTCOME, supervisor)
    assert closed.state == "closed" and closed.rating.closed_at == clock.now
    assert [s.step for s in closed.steps] == [
        FollowUpStep.CONTACT,
        FollowUpStep.CONTACT,
        FollowUpStep.VERIFICATION,
        FollowUpStep.MEASURE,
        FollowUpStep.OUTCOME,
    ]
    assert closed.steps[2].verification is Verification.TRUE and closed.steps[3].measure is Measure.IMMEDIATE
    assert rows(services, "SELECT closed_at IS NOT NULL FROM ratings") == [(1,)]
    before = counts(services)
    with pytest.raises(NotAllowedError, match="回访整改已办结"):
        ratings.follow_up(view.id, MEASURE, supervisor)
    assert counts(services) == before
    assert ratings.follow_ups(supervisor) == []
    assert [c.rating.id for c in ratings.follow_ups(supervisor, include_closed=True)] == [view.id]
    # Each step is an event of the application, parsed by the wire format, and audited without its note.
    body = last_event(services).body
    assert isinstance(body, protocol.RatingFollowedUp)
    assert (body.step, body.rating_id, body.by, body.note) == ("outcome", view.id, "zhangmin", OUTCOME.note)
    action, details = last_audit(services)
    assert action == "rating.followed_up" and details["step"] == "outcome" and details["rating_id"] == str(view.id)
    assert all(OUTCOME.note not in d for (d,) in rows(services, "SELECT details FROM audit_events"))


def test_an_anonymous_bad_rating_cannot_be_contacted_and_closes_without_a_call(
    services: Any, clerk: Any, supervisor: Any
) -> None:
    view = rated(services, clerk, ANONYMOUS)
    before = counts(services)
    with pytest.raises(NotAllowedError, match="匿名的，没有留电话，不能登记回访联系"):
        services.ratings.follow_up(view.id, CONTACT, supervisor)
    with pytest.raises(NotAllowedError, match="匿名的，没有留电话"):
        services.ratings.phone_for_call(view.id, supervisor)
    assert counts(services) == before
    services.ratings.follow_up(
        view.id, step(FollowUpStep.VERIFICATION, verification=Verification.UNFOUNDED), supervisor
    )
    services.ratings.follow_up(view.id, step(FollowUpStep.MEASURE, measure=Measure.EXPLAINED), supervisor)
    closed = services.ratings.follow_up(view.id, OUTCOME, supervisor)
    assert closed.state == "closed" and not closed.contact_overdue


@pytest.mark.parametrize(
    ("given", "field", "said"),
    [
        (step(FollowUpStep.CONTACT), "contact", "是否联系上"),
        (step(FollowUpStep.VERIFICATION), "verification", "属实或不属实"),
        (step(FollowUpStep.MEASURE), "measure", "立行立改、限期整改或解释说明"),
        (step(FollowUpStep.OUTCOME, note="  "), "note", "请写明办理结果"),
        (
            step(FollowUpStep.VERIFICATION, verification=Verification.TRUE, reached=True),
            "contact",
            "只登记它自己的内容",
        ),
        (step(FollowUpStep.MEASURE, measure=Measure.DEADLINE, note="证件 310104198506150023"), "note", "证件号码"),
    ],
)
def test_a_step_without_its_value_or_with_another_steps_is_refused(
    services: Any, clerk: Any, supervisor: Any, given: FollowUpInput, field: str, said: str
) -> None:
    view = rated(services, clerk)
    before = counts(services)
    with pytest.raises(ValidationError) as refused:
        services.ratings.follow_up(view.id, given, supervisor)
    assert refused.value.field == field and said in refused.value.message.render()
    assert counts(services) == before


def test_a_rating_that_is_not_bad_has_no_follow_up(services: Any, clerk: Any, supervisor: Any) -> None:
    view = rated(services, clerk, RatingInput(RatingLevel.BASICALLY_SATISFIED))
    before = counts(services)
    with pytest.raises(NotAllowedError, match="只有差评"):
        services.ratings.follow_up(view.id, VERIFY, supervisor)
    with pytest.raises(NotFoundError, match="找不到这条评价"):
        services.ratings.follow_up(uuid.uuid4(), VERIFY, supervisor)
    assert counts(services) == before
    assert services.ratings.follow_ups(supervisor, include_closed=True) == []


def test_overdue_flags_follow_the_clock_on_working_days(services: Any, clerk: Any, supervisor: Any, clock: Any) -> None:
    named = rated(services, clerk)  # Monday 23 November: contact by the 24th, 整改 by the 30th
    clock.advance(minutes=5)
    anonymous = rated(services, clerk, ANONYMOUS)

    def flags() -> dict[uuid.UUID, tuple[str, bool, bool]]:
        return {
            c.rating.id: (c.state, c.contact_overdue, c.rectify_overdue)
            for c in services.ratings.follow_ups(supervisor, include_closed=True)
        }

    assert [c.rating.id for c in services.ratings.follow_ups(supervisor)] == [named.id, anonymous.id]  # oldest first
    clock.now = shanghai(2026, 11, 24, 23, 59)
    assert flags() == {named.id: ("open", False, False), anonymous.id: ("open", False, False)}
    clock.now = shanghai(2026, 11, 25, 0, 1)
    assert flags() == {named.id: ("open", True, False), anonymous.id: ("open", False, False)}
    services.ratings.follow_up(named.id, CONTACT, supervisor)
    assert flags()[named.id] == ("contacted", False, False)
    clock.now = shanghai(2026, 12, 1, 9)
    assert flags() == {named.id: ("contacted", False, True), anonymous.id: ("open", False, True)}
    services.ratings.follow_up(named.id, OUTCOME, supervisor)
    assert flags()[named.id] == ("closed", False, False)


def test_the_supervisor_gets_the_full_number_to_call_and_the_audit_says_so_without_it(
    services: Any, clerk: Any, supervisor: Any
) -> None:
    view = rated(services, clerk)
    assert services.ratings.phone_for_call(view.id, supervisor) == PHONE
    action, details = last_audit(services)
    assert action == "rating.phone_shown" and details["rating_id"] == str(view.id)
    assert all(PHONE not in d for (d,) in rows(services, "SELECT details FROM audit_events"))
    # Ratings, follow-ups and the number shown are audited like every change: the chain is whole.
    services.ratings.follow_up(view.id, CONTACT, supervisor)
    with services.db.read() as session:
        assert audit.verify_chain(session).intact


# ---------------------------------------------------------------------------------------------------- figures


def test_ratings_between_gives_a_clerk_their_own_and_a_supervisor_everyones_by_shanghai_day(
    admin: Any, services: Any, clerk: Any, supervisor: Any, clock: Any
) -> None:
    other = add_user(services, "lisi")
    clock.now = shanghai(2026, 11, 23, 23, 50)  # late on the 23rd in Shanghai, the 23rd in UTC too
    mine = rated(services, clerk, RatingInput(RatingLevel.SATISFIED))
    clock.now = shanghai(2026, 11, 24, 0, 10)  # the 24th in Shanghai, still the 23rd in UTC
    theirs = rated(services, other)
    day1, day2 = dt.date(2026, 11, 23), dt.date(2026, 11, 24)
    ratings = services.ratings
    assert [v.id for v in ratings.ratings_between(supervisor, day1, day2)] == [mine.id, theirs.id]
    assert [v.id for v in ratings.ratings_between(admin, day2, day2)] == [theirs.id]
    assert [v.id for v in ratings.ratings_between(supervisor, day1, day1)] == [mine.id]
    assert [v.id for v in ratings.ratings_between(clerk, day1, day2)] == [mine.id]
    assert [v.id for v in ratings.ratings_between(other, day1, day2)] == [theirs.id]
    row = ratings.ratings_between(other, day2, day2)[0].row()
    assert (row.level, row.named, row.contacted, row.closed, row.clerk) == (
        RatingLevel.DISSATISFIED,
        True,
        False,
        False,
        "lisi",
    )
    with pytest.raises(ValidationError, match="结束日期不能早于开始日期"):
        ratings.ratings_between(supervisor, day2, day1)
    with pytest.raises(NotAllowedError, match="临时密码"):
        ratings.ratings_between(dataclasses.replace(supervisor, must_change_password=True), day1, day2)


# ---------------------------------------------------------------------------------------------------- the wire


def test_every_rating_event_in_the_outbox_parses_with_the_wire_format(
    services: Any, clerk: Any, supervisor: Any
) -> None:
    named = rated(services, clerk)
    rated(services, clerk, RatingInput(RatingLevel.VERY_SATISFIED, comment="𠮷田·春燕说：办事快，态度好。"))
    services.ratings.skip(take(services, clerk, ITEM).acceptance_no, RatingOccasion.DECISION, clerk)
    for given in (CONTACT, VERIFY, MEASURE, OUTCOME):
        services.ratings.follow_up(named.id, given, supervisor)
    found: dict[str, int] = {}
    for event_type, payload in rows(
        services, "SELECT event_type, payload FROM outbox WHERE event_type LIKE 'rating.%'"
    ):
        event = protocol.parse(payload.encode() if isinstance(payload, str) else payload)
        assert event.body.type == event_type and event.application_id != protocol.NO_APPLICATION
        found[event_type] = found.get(event_type, 0) + 1
    assert found == {"rating.recorded": 3, "rating.followed_up": 4}
    comments = [
        e.body.comment  # type: ignore[union-attr]
        for e in (protocol.parse(p) for (p,) in rows(services, "SELECT payload FROM outbox"))
        if isinstance(e.body, protocol.RatingRecorded) and e.body.level == "very_satisfied"
    ]
    assert comments == ["𠮷田·春燕说：办事快，态度好。"]


@pytest.mark.slow
def test_ratings_and_follow_ups_reach_the_central_server(services_factory: Any, tmp_path: Path, central: Any) -> None:
    ws = Workstation(services_factory, tmp_path / "ws003", central.url)
    ws.enroll(central.engine())
    services = ws.services
    named = rated(services, ws.clerk)
    rated(services, ws.clerk, RatingInput(RatingLevel.VERY_SATISFIED))
    services.ratings.follow_up(named.id, CONTACT, ws.supervisor)
    report = ws.sync.sync_once()
    assert report.push.quarantined == 0 and ws.sync.status().pending == 0
    assert {e.state for e in ws.outbox()} == {"sent"}
    engine = central.engine()
    assert count(engine, "events", "WHERE event_type = 'rating.recorded'") == 2
    assert count(engine, "events", "WHERE event_type = 'rating.followed_up'") == 1
    # The server keeps them in its own table: the named flag, never the phone; the contact as it arrived.
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT rating_id, level, named, clerk_username, contacted_at FROM ratings")).all()
        columns = [c["name"] for c in inspect(conn).get_columns("ratings")]
    by_level = {r[1]: (str(r[0]), bool(r[2]), r[3], r[4] is not None) for r in stored}
    assert by_level["dissatisfied"] == (str(named.id), True, "wangli", True)
    assert by_level["very_satisfied"][1:] == (False, "wangli", False) and len(stored) == 2
    assert "phone" not in columns


# ---------------------------------------------------------------------------------------------------- purge, recovery

T0 = shanghai(2026, 3, 2)  # Monday 2 March 2026: every event of the purge test is in the past, as the server sees it
RETENTION_DAYS = 190  # the default privacy.retention_days
CALL_BACK = "13912345678"


@pytest.mark.slow
def test_the_purge_removes_a_rated_case_with_its_ratings_and_follow_ups_and_keeps_an_open_bad_rating(
    services_factory: Any, tmp_path: Path, central: Any, clock: Any
) -> None:
    clock.now = T0
    ws = Workstation(services_factory, tmp_path / "ws003", central.url)
    ws.enroll(central.engine())
    services, clerk, supervisor = ws.services, ws.clerk, ws.supervisor
    praised = rated(services, clerk, RatingInput(RatingLevel.VERY_SATISFIED, comment="办事快"))
    called = rated(services, clerk, dataclasses.replace(BAD, phone=CALL_BACK))
    for given in (CONTACT, VERIFY, MEASURE, OUTCOME):
        services.ratings.follow_up(called.id, given, supervisor)
    still_open = rated(services, clerk, ANONYMOUS)
    services.documents.heal()
    assert ws.sync.sync_once().push.quarantined == 0
    path = services.db.path
    assert CALL_BACK.encode() in decrypted_bytes(path)  # the probe is sound

    clock.now = T0 + dt.timedelta(days=RETENTION_DAYS, hours=1)
    report = services.purge()

    assert sorted(report.acceptance_nos) == sorted([praised.acceptance_no, called.acceptance_no])
    assert rows(services, "SELECT count(*) FROM rating_follow_ups") == [(0,)]
    assert rows(services, "SELECT level FROM ratings") == [("very_dissatisfied",)]
    assert [c.rating.acceptance_no for c in services.ratings.follow_ups(supervisor)] == [still_open.acceptance_no]
    assert CALL_BACK.encode() not in decrypted_bytes(path)
    # Once its follow-up is closed, the last case goes too.
    services.ratings.follow_up(still_open.id, OUTCOME, supervisor)
    ws.sync.sync_once()
    clock.advance(days=RETENTION_DAYS, hours=1)
    assert services.purge().acceptance_nos == (still_open.acceptance_no,)
    assert rows(services, "SELECT count(*) FROM ratings") == [(0,)]


def rating_snapshot(services: Any) -> list[tuple[Any, ...]]:
    """Every rating and follow-up by 受理编号, with the decision it rated and the accounts by user name."""
    ratings = rows(
        services,
        "SELECT a.acceptance_no, r.id, r.occasion, d.decision, r.level, r.reasons, r.comment, r.phone, r.rated_at, "
        "u.username, r.contact_due, r.rectify_due, r.closed_at FROM ratings r JOIN applications a "
        "ON a.id = r.application_id JOIN decisions d ON d.id = r.decision_id JOIN users u ON u.id = r.clerk_id "
        "ORDER BY a.acceptance_no, r.occasion",
    )
    steps = rows(
        services,
        "SELECT f.id, f.rating_id, f.step, f.at, u.username, f.reached, f.verification, f.measure, f.note "
        "FROM rating_follow_ups f JOIN users u ON u.id = f.by_id ORDER BY f.at, f.step",
    )
    return [*ratings, *steps]


@pytest.mark.slow
@pytest.mark.allow_warning_logs  # the server logs the audit head reset for its operator
def test_a_store_recovered_from_the_server_keeps_its_ratings_follow_ups_day_close_and_handover(
    services_factory: Any, tmp_path: Path, central: Any, clock: Any
) -> None:
    from tests.app.sync.test_recover import emptied, yimen

    ws = Workstation(services_factory, tmp_path / "ws003", central.url)
    ws.enroll(central.engine())
    services, clerk, supervisor = ws.services, ws.clerk, ws.supervisor
    rated(services, clerk, RatingInput(RatingLevel.SATISFIED, comment="𠮷田·春燕：窗口服务好。"))
    called = rated(services, clerk)
    for given in (CONTACT, VERIFY, OUTCOME):
        clock.advance(minutes=3)
        services.ratings.follow_up(called.id, given, supervisor)
    waiting = take(services, clerk, ITEM, Decision.SUPPLEMENT)
    services.ratings.record(waiting.acceptance_no, RatingOccasion.DECISION, ANONYMOUS, clerk)
    clock.advance(days=1)
    brought = bring_missing(services, waiting.acceptance_no)
    services.intake.supplement_return(waiting.acceptance_no, brought, DecisionInput(Decision.ACCEPT), clerk)
    services.ratings.skip(waiting.acceptance_no, RatingOccasion.RETURN_VISIT, clerk)
    services.documents.heal()
    # The day's 材料交接单 and its 日结 come back too.
    household = take(services, clerk, "MZ-SHJZ-001").acceptance_no  # 低保: paper kept for the back office
    services.documents.heal()
    handover = services.day_close.record_handover(clerk, [household], "民政", "后台·李𠮷")
    assert ws.sync.sync_once().push.quarantined == 0
    day = dt.datetime.fromisoformat(str(clock.now)).astimezone(dt.timezone(dt.timedelta(hours=8))).date()
    services.day_close.close(supervisor, day, "supervisor-pass-1", None)
    assert ws.sync.sync_once().push.quarantined == 0 and ws.sync.status().pending == 0
    before = rating_snapshot(services)
    assert len(before) == 4 + 3
    emptied(ws)
    assert yimen(ws, "recover", "--from-server") == 0

    back = services_factory(config=ws.config, data_dir=ws.data_dir)
    assert rating_snapshot(back) == before
    assert back.ratings.awaiting(waiting.acceptance_no) is None
    assert rows(back, "SELECT count(*) FROM outbox") == [(0,)]  # nothing is sent again
    boss = add_user(back, "it", admin=True)
    assert boss is not None
    chief = add_user(back, "zhangmin", supervisor=True, by=boss)
    cases = back.ratings.follow_ups(chief, include_closed=True)
    assert [(c.rating.id, c.state) for c in cases] == [(called.id, "closed"), (cases[1].rating.id, "open")]
    assert cases[1].rating.acceptance_no == waiting.acceptance_no
    closed = back.day_close.closed(day)
    assert closed is not None and closed.closed_by == "zhangmin" and closed.figures["recovered"] is True
    assert rows(back, "SELECT number, department, receiver FROM handovers") == [(handover.number, "民政", "后台·李𠮷")]
    assert rows(
        back, "SELECT a.acceptance_no FROM handover_cases c JOIN applications a ON a.id = c.application_id"
    ) == [(household,)]


def test_a_return_visit_in_the_same_instant_as_the_notice_is_still_told_apart(services: Any, clerk: Any) -> None:
    """The clock does not move between the 补正 notice and the return visit (a fixed clock, or the same second):
    the notice stays the first decision, the return visit's decision the one rated after it."""
    waiting = take(services, clerk, ITEM, Decision.SUPPLEMENT)
    services.ratings.skip(waiting.acceptance_no, RatingOccasion.DECISION, clerk)
    services.intake.supplement_return(
        waiting.acceptance_no, [], DecisionInput(Decision.REFUSE, "申请人放弃补正，不予受理。"), clerk
    )
    assert services.ratings.awaiting(waiting.acceptance_no) is RatingOccasion.RETURN_VISIT
    services.ratings.record(waiting.acceptance_no, RatingOccasion.RETURN_VISIT, ANONYMOUS, clerk)
    decisions = rows(services, "SELECT r.occasion, d.decision FROM ratings r JOIN decisions d ON d.id = r.decision_id")
    assert sorted(decisions) == [("decision", "supplement"), ("return_visit", "refuse")]
    assert services.ratings.awaiting(waiting.acceptance_no) is None
