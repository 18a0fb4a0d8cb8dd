"""The citizens' ratings (好差评) of a visit and the follow-up of a 差评 (docs/ratings.md).

After a decision at the counter (the application's first) or after a 补正 return visit's decision, the citizen rates
the visit once (一次一评, 国办发〔2019〕51号): one of five levels, or nothing (未评价, recorded by :meth:`skip` so that
the share of rated visits is true).  A rating is never changed: there is no update and no delete, and a second
rating of the same decision is refused.  A 差评 (不满意, 非常不满意) needs at least one reason; the citizen may leave
a phone number to be called back (实名).  Its follow-up deadlines are fixed when it is recorded, in working days
on the official calendar (``[ratings] contact_days`` and ``rectify_days`` of the deployment file).

The supervisor follows a 差评 up step by step (谁办理谁负责): a contact (reached or not; a named 差评 only, and one
is needed before its outcome: 100 % call-back of named 差评), the verification (属实 / 不属实), the measure (立行立改 /
限期整改 / 解释说明) and the outcome, which closes it; nothing is recorded after the outcome.

Every rating and every step is one ``write()`` transaction: the row, its protocol event and its audit event through
:class:`app.changes.ChangeWriter` (ARCHITECTURE.md invariant 1).  The audit details never hold the phone number or
the free text.  The phone is masked in every view; :meth:`RatingService.phone_for_call` gives the full number to a
supervisor who calls back, audited.  Qt-free.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session, selectinload

from app import people
from app.catalog.registry import Catalog
from app.changes import ChangeWriter
from app.config import Deployment
from app.domain import (
    AppState,
    BadRatingReason,
    Decision,
    FollowUpStep,
    Measure,
    RatingLevel,
    RatingOccasion,
    Verification,
)
from app.errors import NotAllowedError, NotFoundError, ValidationError
from app.i18n import Message, msg
from app.intake import numbering
from app.localtime import local_date, utc_bounds
from app.reports import figures
from app.security import audit
from app.security.accounts import SessionUser
from app.security.permissions import Permission, allows, require
from app.sync import protocol
from app.texts import text_problem
from app.workdays import WorkCalendar
from db.engine import Database
from db.models import Application, DecisionRecord, Rating, RatingFollowUp, User
from db.types import utcnow

FollowUpState = Literal["open", "contacted", "closed"]

#: How the levels read (the citizen's screen, the supervisor's lists, the reports).
LEVEL_LABELS: dict[RatingLevel, Message] = {
    RatingLevel.VERY_SATISFIED: msg("ratings", "非常满意"),
    RatingLevel.SATISFIED: msg("ratings", "满意"),
    RatingLevel.BASICALLY_SATISFIED: msg("ratings", "基本满意"),
    RatingLevel.DISSATISFIED: msg("ratings", "不满意"),
    RatingLevel.VERY_DISSATISFIED: msg("ratings", "非常不满意"),
    RatingLevel.UNRATED: msg("ratings", "未评价"),
}
REASON_LABELS: dict[BadRatingReason, Message] = {
    BadRatingReason.UNCLEAR_GUIDE: msg("ratings", "办事指南不清楚"),
    BadRatingReason.REPEAT_VISITS: msg("ratings", "多次跑腿"),
    BadRatingReason.LONG_WAIT: msg("ratings", "等候时间长"),
    BadRatingReason.SLOW_HANDLING: msg("ratings", "办理时间长"),
    BadRatingReason.ATTITUDE: msg("ratings", "服务态度不好"),
    BadRatingReason.MATERIALS: msg("ratings", "材料要求不合理"),
    BadRatingReason.SYSTEM: msg("ratings", "系统或设备故障"),
    BadRatingReason.OTHER: msg("ratings", "其他"),
}
OCCASION_LABELS: dict[RatingOccasion, Message] = {
    RatingOccasion.DECISION: msg("ratings", "办理后评价"),
    RatingOccasion.RETURN_VISIT: msg("ratings", "补正后评价"),
}
STEP_LABELS: dict[FollowUpStep, Message] = {
    FollowUpStep.CONTACT: msg("ratings", "回访联系"),
    FollowUpStep.VERIFICATION: msg("ratings", "核实"),
    FollowUpStep.MEASURE: msg("ratings", "整改措施"),
    FollowUpStep.OUTCOME: msg("ratings", "办理结果"),
}
VERIFICATION_LABELS: dict[Verification, Message] = {
    Verification.TRUE: msg("ratings", "属实"),
    Verification.UNFOUNDED: msg("ratings", "不属实"),
}
MEASURE_LABELS: dict[Measure, Message] = {
    Measure.IMMEDIATE: msg("ratings", "立行立改"),
    Measure.DEADLINE: msg("ratings", "限期整改"),
    Measure.EXPLAINED: msg("ratings", "解释说明"),
}
STATE_LABELS: dict[str, Message] = {
    "open": msg("ratings", "待回访"),
    "contacted": msg("ratings", "已回访，待办结"),
    "closed": msg("ratings", "已办结"),
}
#: An anonymous 差评 (no phone) is never called back: while open it waits for its outcome, not for a call.
ANONYMOUS_OPEN_LABEL = msg("ratings", "待办结")
#: Whether the citizen left a phone number to be called back, as every screen and file words it.
NAMED_LABELS: dict[bool, Message] = {True: msg("ratings", "实名"), False: msg("ratings", "匿名")}
#: The call-back deadline of an anonymous 差评, which has none.
NO_CALL_BACK_LABEL = msg("ratings", "（匿名，不回访）")


def state_label(state: str, named: bool) -> Message:
    """A follow-up's state in the one wording of the window, the daily report and the exports: ``open`` is 待回访 for
    a named 差评 and 待办结 for an anonymous one (nobody can be called)."""
    if state == "open" and not named:
        return ANONYMOUS_OPEN_LABEL
    return STATE_LABELS[state]  # "open" | "contacted" | "closed" (FollowUpCase.state)


BAD_LEVELS = tuple(level.value for level in RatingLevel if level.is_bad)


# ---------------------------------------------------------------------------------------------------- what comes in


@dataclass(frozen=True)
class RatingInput:
    """What the citizen chose: a level; for a 差评 its reasons (one at least), and optionally a comment and a phone
    number to be called back (实名)."""

    level: RatingLevel
    reasons: tuple[BadRatingReason, ...] = ()
    comment: str = ""
    phone: str | None = None


@dataclass(frozen=True)
class FollowUpInput:
    """One follow-up step: ``reached`` for a contact, ``verification`` for a verification, ``measure`` for a
    measure, ``note`` (required) for the outcome; a note may go with any step."""

    step: FollowUpStep
    reached: bool | None = None
    verification: Verification | None = None
    measure: Measure | None = None
    note: str = ""


# ---------------------------------------------------------------------------------------------------- what goes out


@dataclass(frozen=True)
class RatingView:
    """A rating as screens and reports show it: the phone masked, never in full."""

    id: uuid.UUID
    acceptance_no: str
    item_code: str
    item_name: str
    occasion: RatingOccasion
    level: RatingLevel
    reasons: tuple[BadRatingReason, ...]
    comment: str
    phone_masked: str | None
    named: bool  # 实名: the citizen left a phone number to be called back
    rated_at: dt.datetime
    clerk: str  # the username of the clerk whose decision was rated
    clerk_name: str
    contact_due: dt.date | None
    rectify_due: dt.date | None
    #: A contact step recorded (reached or not), and when the outcome closed the follow-up.
    contacted: bool = False
    closed_at: dt.datetime | None = None

    def row(self) -> figures.RatingRow:
        """The rating as the pure figures take it (app/reports/figures.py)."""
        return figures.RatingRow(
            acceptance_no=self.acceptance_no,
            rating_id=str(self.id),
            clerk=self.clerk,
            level=self.level,
            occasion=self.occasion,
            rated_at=self.rated_at,
            named=self.named,
            contact_due=self.contact_due,
            rectify_due=self.rectify_due,
            contacted=self.contacted,
            closed=self.closed_at is not None,
        )


@dataclass(frozen=True)
class FollowUpView:
    id: uuid.UUID
    step: FollowUpStep
    at: dt.datetime
    by: str  # username
    by_name: str
    reached: bool | None
    verification: Verification | None
    measure: Measure | None
    note: str


@dataclass(frozen=True)
class FollowUpCase:
    """A 差评 with its follow-up so far.  ``state``: ``open`` (no contact yet), ``contacted``, ``closed`` (the outcome
    recorded).  ``contact_overdue``: a named 差评 not contacted after its ``contact_due``; ``rectify_overdue``: not
    closed after its ``rectify_due`` (today on the services' clock, Shanghai date)."""

    rating: RatingView
    steps: list[FollowUpView]
    state: FollowUpState
    contact_overdue: bool
    rectify_overdue: bool


def rating_row(body: protocol.RatingRecorded, application_id: uuid.UUID, decision: DecisionRecord) -> Rating:
    """The stored rating an event records, of ``decision`` (its clerk's): one row at the counter and in a recovery
    from the server (app/sync/rebuild.py)."""
    return Rating(
        id=body.rating_id,
        application_id=application_id,
        decision_id=decision.id,
        occasion=body.occasion,
        level=body.level,
        reasons=list(body.reasons),
        comment=body.comment,
        phone=body.phone,
        rated_at=body.rated_at,
        clerk_id=decision.clerk_id,
        contact_due=body.contact_due,
        rectify_due=body.rectify_due,
    )


def follow_up_row(rating: Rating, body: protocol.RatingFollowedUp, by_id: uuid.UUID) -> RatingFollowUp:
    """The stored follow-up step an event records, appended to ``rating`` (the outcome closes it): one row at the
    counter and in a recovery from the server (app/sync/rebuild.py)."""
    entry = RatingFollowUp(
        id=body.follow_up_id,
        rating_id=rating.id,
        step=body.step,
        at=body.at,
        by_id=by_id,
        reached=body.reached,
        verification=body.verification,
        measure=body.measure,
        note=body.note,
    )
    rating.follow_ups.append(entry)
    if body.step == FollowUpStep.OUTCOME.value:
        rating.closed_at = body.at
    return entry


# ---------------------------------------------------------------------------------------------------- the service


class RatingService:
    """``services.ratings``: record ratings at the counter, follow 差评 up, list them for the figures."""

    def __init__(
        self,
        db: Database,
        deployment: Deployment,
        catalog: Catalog,
        calendar: WorkCalendar,
        clock: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        self.db = db
        self.deployment = deployment
        self.catalog = catalog
        self.calendar = calendar
        self.clock = clock
        self.changes = ChangeWriter(deployment.center_code, deployment.workstation_code)

    # ------------------------------------------------------------------ at the counter

    def awaiting(self, acceptance_no: str) -> RatingOccasion | None:
        """Which occasion the application's latest decision still awaits a rating for: ``decision`` after its first
        decision, ``return_visit`` after a 补正 return visit's; None when that decision was rated or skipped, or the
        case is voided (or unknown)."""
        number = numbering.normalize_acceptance_no(acceptance_no)
        with self.db.read() as session:
            application = session.scalar(select(Application).where(Application.acceptance_no == number))
            if application is None:
                return None
            occasion, decision = _latest(application)
            if occasion is None or decision is None or _rated(session, application, occasion, decision):
                return None
            return occasion

    def record(
        self, acceptance_no: str, occasion: RatingOccasion, rating: RatingInput, user: SessionUser
    ) -> RatingView:
        """Record the citizen's rating of the visit just decided (the one :meth:`awaiting` names).

        Raises:
            NotAllowedError: the account may not rate; the decision is another clerk's; it was rated already (a
                rating is never changed); the case is voided; ``occasion`` is not the one awaiting.
            ValidationError: a 差评 without a reason; reasons or a phone number with a level that is not a 差评; a
                phone number that is not one; a comment too long or holding an ID number.
            NotFoundError: no such application.
        """
        require(user, Permission.RATE)
        reasons, comment, phone = _checked(rating)
        number = numbering.normalize_acceptance_no(acceptance_no)
        with self.db.write() as session:
            application = _application(session, number)
            decision = self._rated_decision(session, application, occasion, user)
            now = self.clock()
            contact_due = rectify_due = None
            if rating.level.is_bad:
                day = local_date(now)
                contact_due = self.calendar.add_workdays(day, self.deployment.rating_contact_days).date
                rectify_due = self.calendar.add_workdays(day, self.deployment.rating_rectify_days).date
            clerk = session.get(User, decision.clerk_id)
            assert clerk is not None
            body = protocol.RatingRecorded(
                acceptance_no=application.acceptance_no,
                rating_id=uuid.uuid4(),
                occasion=occasion.value,
                level=rating.level.value,
                reasons=[r.value for r in reasons],
                comment=comment or None,
                phone=phone,
                rated_at=now,
                clerk_username=clerk.username,
                contact_due=contact_due,
                rectify_due=rectify_due,
            )
            row = rating_row(body, application.id, decision)
            session.add(row)
            self.changes.write(
                session,
                application,
                body,
                action="rating.recorded",
                user_id=user.id,
                at=now,
                # Never the phone number or the comment: the level, the reasons and whether it is named.
                details={
                    "rating_id": str(row.id),
                    "occasion": occasion.value,
                    "level": rating.level.value,
                    "reasons": [r.value for r in reasons],
                    "named": phone is not None,
                },
            )
            session.flush()
            return self._view(session, row, application)

    def skip(self, acceptance_no: str, occasion: RatingOccasion, user: SessionUser) -> RatingView:
        """The citizen left without rating: 未评价 is recorded (once, like a rating)."""
        return self.record(acceptance_no, occasion, RatingInput(RatingLevel.UNRATED), user)

    def _rated_decision(
        self, session: Session, application: Application, occasion: RatingOccasion, user: SessionUser
    ) -> DecisionRecord:
        no = application.acceptance_no
        if application.state == AppState.VOIDED.value:
            raise NotAllowedError(msg("ratings", "办件 {no} 已作废，不能登记评价。").bind(no=no))
        awaited, decision = _latest(application)
        if awaited is None or decision is None:
            raise NotAllowedError(msg("ratings", "办件 {no} 还没有办理结果，不能登记评价。").bind(no=no))
        if occasion is not awaited:
            if _rated(session, application, occasion, _decision_of(application, occasion)):
                raise NotAllowedError(msg("ratings", "评价已登记，不能更改。"))
            raise NotAllowedError(
                msg("ratings", "办件 {no} 这次待评价的是“{occasion}”，请按这次的办理登记评价。").bind(
                    no=no, occasion=OCCASION_LABELS[awaited]
                )
            )
        if _rated(session, application, occasion, decision):
            raise NotAllowedError(msg("ratings", "评价已登记，不能更改。"))
        if decision.clerk_id != user.id:
            raise NotAllowedError(
                msg("ratings", "办件 {no} 这次是其他工作人员办理的，请由办理人登记群众的评价。").bind(no=no)
            )
        return decision

    # ------------------------------------------------------------------ follow-up (supervisors)

    def follow_ups(self, user: SessionUser, *, include_closed: bool = False) -> list[FollowUpCase]:
        """The 差评 with their follow-up state and overdue flags, oldest first (open ones only, unless
        ``include_closed``)."""
        require(user, Permission.FOLLOW_UP)
        with self.db.read() as session:
            query = select(Rating).where(Rating.level.in_(BAD_LEVELS))
            if not include_closed:
                query = query.where(Rating.closed_at.is_(None))
            query = query.options(selectinload(Rating.follow_ups)).order_by(Rating.rated_at, Rating.id)
            return [self._case(session, rating) for rating in session.scalars(query).all()]

    def follow_up(self, rating_id: uuid.UUID, step: FollowUpInput, user: SessionUser) -> FollowUpCase:
        """Record one follow-up step of a 差评.

        Raises:
            NotAllowedError: the account may not follow up; the rating is not a 差评; its follow-up is closed; a
                contact of an anonymous 差评; the outcome of a named 差评 without a contact recorded.
            ValidationError: the step lacks its value or carries another step's; the outcome without its text; a
                note too long or holding an ID number.
            NotFoundError: no such rating.
        """
        require(user, Permission.FOLLOW_UP)
        note = _checked_step(step)
        with self.db.write() as session:
            rating = session.get(Rating, rating_id)
            if rating is None:
                raise NotFoundError(msg("ratings", "找不到这条评价，可能已按保存期限清除。"))
            if not RatingLevel(rating.level).is_bad:
                raise NotAllowedError(msg("ratings", "只有差评（不满意、非常不满意）需要回访整改。"))
            if rating.closed_at is not None:
                raise NotAllowedError(msg("ratings", "这条差评已登记办理结果，回访整改已办结，不能再登记。"))
            contacted = any(f.step == FollowUpStep.CONTACT.value for f in rating.follow_ups)
            if step.step is FollowUpStep.CONTACT and rating.phone is None:
                raise NotAllowedError(
                    msg("ratings", "这条差评是匿名的，没有留电话，不能登记回访联系；请直接登记核实和整改。")
                )
            if step.step is FollowUpStep.OUTCOME and rating.phone is not None and not contacted:
                raise NotAllowedError(
                    msg("ratings", "实名差评须全部回访：请先登记回访联系（打通或未打通），再登记办理结果。")
                )
            application = session.get(Application, rating.application_id)
            assert application is not None
            now = self.clock()
            body = protocol.RatingFollowedUp(
                acceptance_no=application.acceptance_no,
                rating_id=rating.id,
                follow_up_id=uuid.uuid4(),
                step=step.step.value,
                at=now,
                by=user.username,
                reached=step.reached,
                verification=step.verification.value if step.verification is not None else None,
                measure=step.measure.value if step.measure is not None else None,
                note=note or None,
            )
            entry = follow_up_row(rating, body, user.id)
            self.changes.write(
                session,
                application,
                body,
                action="rating.followed_up",
                user_id=user.id,
                at=now,
                details={
                    "rating_id": str(rating.id),
                    "step": step.step.value,
                    **({"reached": step.reached} if step.reached is not None else {}),
                    **({"verification": entry.verification} if entry.verification else {}),
                    **({"measure": entry.measure} if entry.measure else {}),
                },
            )
            session.flush()
            return self._case(session, rating)

    def phone_for_call(self, rating_id: uuid.UUID, user: SessionUser) -> str:
        """The full phone number of a named 差评, for the supervisor who calls back (audited, without the number).

        Raises:
            NotAllowedError: the account may not follow up; the rating left no number.
            NotFoundError: no such rating.
        """
        require(user, Permission.FOLLOW_UP)
        with self.db.write() as session:
            rating = session.get(Rating, rating_id)
            if rating is None:
                raise NotFoundError(msg("ratings", "找不到这条评价，可能已按保存期限清除。"))
            if rating.phone is None:
                raise NotAllowedError(msg("ratings", "这条评价是匿名的，没有留电话。"))
            application = session.get(Application, rating.application_id)
            assert application is not None
            self.changes.audit(
                session,
                application,
                action="rating.phone_shown",
                user_id=user.id,
                details={"rating_id": str(rating.id)},
            )
            return rating.phone

    # ------------------------------------------------------------------ figures

    def ratings_between(
        self, user: SessionUser, first: dt.date, last: dt.date, *, followed_up: bool = False
    ) -> list[RatingView]:
        """The ratings recorded from ``first`` to ``last`` (Shanghai days, both included), oldest first: everyone's
        for an account with ALL_FIGURES, one's own (as the rated clerk) for one with OWN_FIGURES only.
        ``followed_up``: also the older 差评 with a follow-up step taken in the period (the ratings export)."""
        if allows(user.role, Permission.ALL_FIGURES):
            require(user, Permission.ALL_FIGURES)
            own: uuid.UUID | None = None
        else:
            require(user, Permission.OWN_FIGURES)
            own = user.id
        if last < first:
            raise ValidationError(msg("ratings", "结束日期不能早于开始日期。"), field="last")
        start, end = utc_bounds(first, last)
        in_period: ColumnElement[bool] = and_(Rating.rated_at >= start, Rating.rated_at < end)
        if followed_up:
            stepped = select(RatingFollowUp.rating_id).where(RatingFollowUp.at >= start, RatingFollowUp.at < end)
            in_period = or_(in_period, Rating.id.in_(stepped))
        with self.db.read() as session:
            query = (
                select(Rating, Application)
                .join(Application, Application.id == Rating.application_id)
                .where(in_period)
                .options(selectinload(Rating.follow_ups))
                .order_by(Rating.rated_at, Rating.id)
            )
            if own is not None:
                query = query.where(Rating.clerk_id == own)
            return [self._view(session, rating, application) for rating, application in session.execute(query)]

    # ------------------------------------------------------------------ views

    def _view(self, session: Session, rating: Rating, application: Application | None = None) -> RatingView:
        application = application or session.get(Application, rating.application_id)
        assert application is not None
        clerk = session.get(User, rating.clerk_id)
        return RatingView(
            id=rating.id,
            acceptance_no=application.acceptance_no,
            item_code=application.item_code,
            item_name=self.catalog.item_name(application.item_code),
            occasion=RatingOccasion(rating.occasion),
            level=RatingLevel(rating.level),
            reasons=tuple(BadRatingReason(r) for r in rating.reasons),
            comment=rating.comment or "",
            phone_masked=people.mask_phone(rating.phone) if rating.phone else None,
            named=rating.phone is not None,
            rated_at=rating.rated_at,
            clerk=clerk.username if clerk is not None else "",
            clerk_name=clerk.display_name if clerk is not None else "",
            contact_due=rating.contact_due,
            rectify_due=rating.rectify_due,
            contacted=any(f.step == FollowUpStep.CONTACT.value for f in rating.follow_ups),
            closed_at=rating.closed_at,
        )

    def _case(self, session: Session, rating: Rating) -> FollowUpCase:
        view = self._view(session, rating)
        today = local_date(self.clock())
        state: FollowUpState = "closed" if view.closed_at is not None else "contacted" if view.contacted else "open"
        return FollowUpCase(
            rating=view,
            steps=[_step_view(session, f) for f in rating.follow_ups],
            state=state,
            contact_overdue=(
                view.named
                and not view.contacted
                and state != "closed"
                and view.contact_due is not None
                and today > view.contact_due
            ),
            rectify_overdue=state != "closed" and view.rectify_due is not None and today > view.rectify_due,
        )


# ---------------------------------------------------------------------------------------------------- helpers


def _checked(rating: RatingInput) -> tuple[tuple[BadRatingReason, ...], str, str | None]:
    """The reasons (in order, once each), the comment and the normalized phone number, or a ValidationError."""
    level = RatingLevel(rating.level)
    reasons = tuple(dict.fromkeys(BadRatingReason(r) for r in rating.reasons))
    comment = (rating.comment or "").strip()
    phone_text = (rating.phone or "").strip()
    if level.is_bad:
        if not reasons:
            raise ValidationError(msg("ratings", "差评请至少选择一项原因。"), field="reasons")
    else:
        if reasons:
            raise ValidationError(msg("ratings", "只有不满意和非常不满意需要选择原因。"), field="reasons")
        if phone_text:
            raise ValidationError(msg("ratings", "只有差评需要留电话以便回访。"), field="phone")
        if level is RatingLevel.UNRATED and comment:
            raise ValidationError(msg("ratings", "群众未评价时不登记评价内容。"), field="comment")
    if comment:
        problem = text_problem(comment)
        if problem is not None:
            raise ValidationError(problem, field="comment")
        if audit.holds_id_number(comment):
            raise ValidationError(msg("ratings", "评价内容中请不要写证件号码。"), field="comment")
    phone = people.validate_phone(phone_text) if phone_text else None
    return reasons, comment, phone


def _checked_step(step: FollowUpInput) -> str:
    """The step's note, checked, or a ValidationError: each step carries its own value and no other's."""
    kind = FollowUpStep(step.step)
    given = {
        FollowUpStep.CONTACT: step.reached is not None,
        FollowUpStep.VERIFICATION: step.verification is not None,
        FollowUpStep.MEASURE: step.measure is not None,
    }
    missing = {
        FollowUpStep.CONTACT: msg("ratings", "请选择回访是否联系上评价人。"),
        FollowUpStep.VERIFICATION: msg("ratings", "请选择核实结果：属实或不属实。"),
        FollowUpStep.MEASURE: msg("ratings", "请选择整改措施：立行立改、限期整改或解释说明。"),
    }
    for other, present in given.items():
        if other is kind and not present:
            raise ValidationError(missing[other], field=other.value)
        if other is not kind and present:
            raise ValidationError(
                msg("ratings", "“{step}”这一步只登记它自己的内容。").bind(step=STEP_LABELS[kind]), field=other.value
            )
    note = (step.note or "").strip()
    if kind is FollowUpStep.OUTCOME and not note:
        raise ValidationError(msg("ratings", "请写明办理结果和向群众反馈的情况。"), field="note")
    if note:
        problem = text_problem(note)
        if problem is not None:
            raise ValidationError(problem, field="note")
        if audit.holds_id_number(note):
            raise ValidationError(msg("ratings", "回访记录中请不要写证件号码。"), field="note")
    return note


def _application(session: Session, number: str) -> Application:
    application = session.scalar(select(Application).where(Application.acceptance_no == number))
    if application is None:
        raise NotFoundError(msg("ratings", "找不到办件编号为 {no} 的申请，请核对编号。").bind(no=number))
    return application


def _latest(application: Application) -> tuple[RatingOccasion | None, DecisionRecord | None]:
    """The occasion and the decision a rating now would rate: the first decision, or the latest one of a return
    visit (a 补正 case has two decisions: the notice, then the return visit's)."""
    if application.state == AppState.VOIDED.value or not application.decisions:
        return None, None
    decisions = decisions_in_order(application.decisions)
    occasion = RatingOccasion.DECISION if len(decisions) == 1 else RatingOccasion.RETURN_VISIT
    return occasion, decisions[-1]


def _decision_of(application: Application, occasion: RatingOccasion) -> DecisionRecord | None:
    return rated_decision(application.decisions, occasion)


def decisions_in_order(decisions: Iterable[DecisionRecord]) -> list[DecisionRecord]:
    """An application's decisions as they were made: by moment, and a 补正 notice before the return visit's decision
    made in the same instant (only a 补正 is ever followed by another decision)."""
    return sorted(decisions, key=lambda d: (d.decided_at, d.decision != Decision.SUPPLEMENT.value))


def rated_decision(decisions: Iterable[DecisionRecord], occasion: RatingOccasion) -> DecisionRecord | None:
    """The decision a rating of ``occasion`` rates: the first one (``decision``), or the latest after it
    (``return_visit``; None before a return visit).  Also used by the recovery (app/sync/rebuild.py)."""
    ordered = decisions_in_order(decisions)
    if not ordered:
        return None
    if occasion is RatingOccasion.DECISION:
        return ordered[0]
    return ordered[-1] if len(ordered) > 1 else None


def _rated(
    session: Session, application: Application, occasion: RatingOccasion, decision: DecisionRecord | None
) -> bool:
    if decision is None:
        return False
    return (
        session.scalar(
            select(Rating.id).where(
                Rating.application_id == application.id,
                Rating.occasion == occasion.value,
                Rating.decision_id == decision.id,
            )
        )
        is not None
    )


def _step_view(session: Session, entry: RatingFollowUp) -> FollowUpView:
    by = session.get(User, entry.by_id)
    return FollowUpView(
        id=entry.id,
        step=FollowUpStep(entry.step),
        at=entry.at,
        by=by.username if by is not None else "",
        by_name=by.display_name if by is not None else "",
        reached=entry.reached,
        verification=Verification(entry.verification) if entry.verification else None,
        measure=Measure(entry.measure) if entry.measure else None,
        note=entry.note or "",
    )
