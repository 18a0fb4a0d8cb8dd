"""The supervisor's vocabulary as the screens name it: rating levels, 差评 reasons, follow-up steps and states,
outbox event types, durations and times (Shanghai local).  Marked in the ``supervisor`` context and translated when
shown, so an English window shows English."""

from __future__ import annotations

import datetime as dt

from app import ratings
from app.domain import BadRatingReason, FollowUpStep, Measure, RatingLevel, Verification
from app.i18n import QT_TRANSLATE_NOOP
from app.localtime import SHANGHAI
from ui.i18n import render, translate

CONTEXT = "supervisor"

LEVELS = {
    RatingLevel.VERY_SATISFIED: QT_TRANSLATE_NOOP("supervisor", "非常满意"),
    RatingLevel.SATISFIED: QT_TRANSLATE_NOOP("supervisor", "满意"),
    RatingLevel.BASICALLY_SATISFIED: QT_TRANSLATE_NOOP("supervisor", "基本满意"),
    RatingLevel.DISSATISFIED: QT_TRANSLATE_NOOP("supervisor", "不满意"),
    RatingLevel.VERY_DISSATISFIED: QT_TRANSLATE_NOOP("supervisor", "非常不满意"),
    RatingLevel.UNRATED: QT_TRANSLATE_NOOP("supervisor", "未评价"),
}
REASONS = {
    BadRatingReason.UNCLEAR_GUIDE: QT_TRANSLATE_NOOP("supervisor", "办事指南不清楚"),
    BadRatingReason.REPEAT_VISITS: QT_TRANSLATE_NOOP("supervisor", "多次跑腿"),
    BadRatingReason.LONG_WAIT: QT_TRANSLATE_NOOP("supervisor", "等候时间长"),
    BadRatingReason.SLOW_HANDLING: QT_TRANSLATE_NOOP("supervisor", "办理时间长"),
    BadRatingReason.ATTITUDE: QT_TRANSLATE_NOOP("supervisor", "服务态度不好"),
    BadRatingReason.MATERIALS: QT_TRANSLATE_NOOP("supervisor", "材料要求不合理"),
    BadRatingReason.SYSTEM: QT_TRANSLATE_NOOP("supervisor", "系统或设备故障"),
    BadRatingReason.OTHER: QT_TRANSLATE_NOOP("supervisor", "其他"),
}
STEPS = {
    FollowUpStep.CONTACT: QT_TRANSLATE_NOOP("supervisor", "回访联系"),
    FollowUpStep.VERIFICATION: QT_TRANSLATE_NOOP("supervisor", "核实"),
    FollowUpStep.MEASURE: QT_TRANSLATE_NOOP("supervisor", "整改措施"),
    FollowUpStep.OUTCOME: QT_TRANSLATE_NOOP("supervisor", "办理结果"),
}
VERIFICATIONS = {
    Verification.TRUE: QT_TRANSLATE_NOOP("supervisor", "属实"),
    Verification.UNFOUNDED: QT_TRANSLATE_NOOP("supervisor", "不属实"),
}
MEASURES = {
    Measure.IMMEDIATE: QT_TRANSLATE_NOOP("supervisor", "立行立改"),
    Measure.DEADLINE: QT_TRANSLATE_NOOP("supervisor", "限期整改"),
    Measure.EXPLAINED: QT_TRANSLATE_NOOP("supervisor", "解释说明"),
}
EVENTS = {
    "application.taken": QT_TRANSLATE_NOOP("supervisor", "受理登记"),
    "application.supplemented": QT_TRANSLATE_NOOP("supervisor", "补正收件"),
    "application.corrected": QT_TRANSLATE_NOOP("supervisor", "更正"),
    "application.voided": QT_TRANSLATE_NOOP("supervisor", "作废"),
    "document.issued": QT_TRANSLATE_NOOP("supervisor", "出具文书"),
    "document.reprinted": QT_TRANSLATE_NOOP("supervisor", "补打文书"),
    "rating.recorded": QT_TRANSLATE_NOOP("supervisor", "群众评价"),
    "rating.followed_up": QT_TRANSLATE_NOOP("supervisor", "差评回访"),
    "day.closed": QT_TRANSLATE_NOOP("supervisor", "日结"),
    "handover.recorded": QT_TRANSLATE_NOOP("supervisor", "材料交接"),
    "signature.recorded": QT_TRANSLATE_NOOP("supervisor", "群众签名"),
}
CHANGES = {
    "corrected": QT_TRANSLATE_NOOP("supervisor", "更正"),
    "voided": QT_TRANSLATE_NOOP("supervisor", "作废"),
}


def _name(table: dict[str, str], value: str) -> str:
    text = table.get(value)
    return translate(CONTEXT, text) if text else value


def level_name(level: str) -> str:
    return _name({k.value: v for k, v in LEVELS.items()}, str(level))


def reason_name(reason: str) -> str:
    return _name({k.value: v for k, v in REASONS.items()}, str(reason))


def reasons_text(reasons: tuple[str, ...] | list[str]) -> str:
    return "、".join(reason_name(r) for r in reasons)


def step_name(step: str) -> str:
    return _name({k.value: v for k, v in STEPS.items()}, str(step))


def verification_name(value: str) -> str:
    return _name({k.value: v for k, v in VERIFICATIONS.items()}, str(value))


def measure_name(value: str) -> str:
    return _name({k.value: v for k, v in MEASURES.items()}, str(value))


def state_name(state: str, named: bool = True) -> str:
    """A follow-up's state in the wording of the daily report and the exports (``app.ratings.state_label``): an
    anonymous 差评 is never called back, so "open" is 待办结 for it, not 待回访."""
    return render(ratings.state_label(state, named))


def named_name(named: bool) -> str:
    """实名 / 匿名 (``app.ratings.NAMED_LABELS``)."""
    return render(ratings.NAMED_LABELS[named])


def contact_due_text(day: dt.date | None, named: bool) -> str:
    """A 差评's call-back deadline; an anonymous one has none: （匿名，不回访）, as in the daily report."""
    return day_text(day) if named else render(ratings.NO_CALL_BACK_LABEL)


def event_name(event_type: str) -> str:
    return _name(EVENTS, event_type)


def change_name(kind: str) -> str:
    return _name(CHANGES, kind)


def local_time(moment: dt.datetime | None, fmt: str = "%m-%d %H:%M") -> str:
    """A moment in Shanghai local time ("—" when there is none)."""
    return moment.astimezone(SHANGHAI).strftime(fmt) if moment is not None else "—"


def day_text(day: dt.date | None) -> str:
    return day.isoformat() if day is not None else "—"


def duration_text(seconds: float) -> str:
    """A span in the supervisor's words: 45 秒, 12 分钟, 2 小时 5 分."""
    seconds = int(seconds)
    if seconds < 60:
        return translate(CONTEXT, QT_TRANSLATE_NOOP("supervisor", "{n} 秒")).format(n=seconds)
    minutes = seconds // 60
    if minutes < 60:
        return translate(CONTEXT, QT_TRANSLATE_NOOP("supervisor", "{n} 分钟")).format(n=minutes)
    hours, rest = divmod(minutes, 60)
    if hours < 48:
        return translate(CONTEXT, QT_TRANSLATE_NOOP("supervisor", "{h} 小时 {m} 分")).format(h=hours, m=rest)
    return translate(CONTEXT, QT_TRANSLATE_NOOP("supervisor", "{d} 天 {h} 小时")).format(d=hours // 24, h=hours % 24)


def percent(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.1f}%"
