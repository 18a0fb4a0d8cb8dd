"""A supervisor's day for the report tests, taken through the real use cases on a real store.

Monday 2026-11-23 (the ``clock`` fixture's day), two clerks: 王丽 (``wangli``) and 李䶮 (``liyan``, a rare
character in the name), applicants with 𠮷 and the middle dot.  Four applications at 09:10, 09:40, 10:20 and 14:05:
two accepted, one refused, one 补正; a named 差评 (phone left) on the second, a 非常满意 and a skip (未评价).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from app.domain import BadRatingReason, Decision, PartyRole, RatingLevel, RatingOccasion, Role
from app.intake.model import DecisionInput
from app.ratings import RatingInput
from app.security.accounts import create_user
from tests.app.documents.doc_testkit import take
from tests.conftest import add_user

MONDAY = dt.date(2026, 11, 23)
PHONE = "13912345678"
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


@dataclass
class Day:
    services: Any
    clerk: Any
    other: Any
    supervisor: Any
    admin: Any
    numbers: list[str]
    bad: Any  # the 差评's RatingView
    full_ids: list[str]


def at(clock: Any, hour: int, minute: int) -> None:
    clock.now = dt.datetime(2026, 11, 23, hour, minute, tzinfo=SHANGHAI).astimezone(dt.UTC)


def shanghai(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """``day`` at ``hour``:``minute`` Shanghai time, in UTC."""
    return dt.datetime.combine(day, dt.time(hour, minute), SHANGHAI).astimezone(dt.UTC)


def add_liyan(services: Any) -> Any:
    """The second clerk 李䶮 (``liyan``, a rare character in the name) of workstation 003."""
    with services.db.write() as session:
        return create_user(
            session,
            username="liyan",
            display_name="李䶮",
            staff_no="0302",
            role=Role.CLERK,
            password="counter-pass-2",
            workstation_code="003",
        )


def taken_with_call(services: Any, clerk: Any, called_at: dt.datetime, item_code: str = "MZ-SHJZ-002") -> Any:
    """A complete case (临时救助 by default) taken after the queue system called its ticket at ``called_at``."""
    from app.demo import sample_draft, sample_ticks

    item = services.catalog.entry(item_code).item
    draft = sample_draft(item, today=services.intake.clock().date())
    draft.materials = sample_ticks(services.intake.check(draft).materials, Decision.ACCEPT)
    draft.queue_ticket = "A017"
    draft.called_at = called_at
    return services.intake.decide(draft, DecisionInput(Decision.ACCEPT), clerk)


def build_day(services: Any, clock: Any) -> Day:
    admin = add_user(services, "it", admin=True)  # the store's first account (an admin needs an admin after)
    clerk = add_user(services)
    supervisor = add_user(services, "zhangmin", supervisor=True)
    other = add_liyan(services)
    jizhu = {PartyRole.APPLICANT: ("张𠮷", "31010119520101001")}
    at(clock, 9, 10)
    first = take(services, clerk, "MZ-SHJZ-001")
    at(clock, 9, 40)
    second = take(services, clerk, "MZ-SHJZ-002", people=jizhu)
    bad = services.ratings.record(
        second.acceptance_no,
        RatingOccasion.DECISION,
        RatingInput(RatingLevel.DISSATISFIED, (BadRatingReason.LONG_WAIT,), "排队等了很久。", PHONE),
        clerk,
    )
    at(clock, 10, 20)
    third = take(services, other, "MZ-SHJZ-002", Decision.REFUSE)
    services.ratings.record(
        third.acceptance_no, RatingOccasion.DECISION, RatingInput(RatingLevel.VERY_SATISFIED), other
    )
    at(clock, 14, 5)
    fourth = take(services, other, "MZ-SHJZ-001", Decision.SUPPLEMENT)
    services.ratings.skip(fourth.acceptance_no, RatingOccasion.DECISION, other)
    at(clock, 17, 30)
    numbers = [c.acceptance_no for c in (first, second, third, fourth)]
    with services.db.read_connection() as conn:
        from sqlalchemy import text

        full_ids = [r[0] for r in conn.execute(text("SELECT id_number FROM persons WHERE id_number IS NOT NULL"))]
    return Day(services, clerk, other, supervisor, admin, numbers, bad, full_ids)
