"""People-facing labels of the states an application can be in (translated by the UI)."""

from __future__ import annotations

from app.domain import AppState, Decision, SyncState
from app.i18n import Message, msg


def decision_label(decision: str, state: str) -> Message:
    if state == AppState.PURGED.value:
        return msg("labels", "已按保存期限清除，请到中心系统查询")
    if state == AppState.VOIDED.value:
        return msg("labels", "已作废")
    if state == AppState.AWAITING_SUPPLEMENT.value:
        return msg("labels", "待补正")
    if state == AppState.ANSWERED.value:
        return msg("labels", "已答复")
    if decision == Decision.TOLERATED.value:
        return msg("labels", "已容缺受理")
    if decision == Decision.FIRST_AID.value:
        return msg("labels", "已先行救助")
    if decision == Decision.ACCEPT.value:
        return msg("labels", "已受理")
    if decision == Decision.REFUSE.value:
        return msg("labels", "不予受理")
    if decision == Decision.SUPPLEMENT.value:
        return msg("labels", "待补正")
    return msg("labels", "未知")


def sync_label(state: str) -> Message:
    return {
        SyncState.PENDING.value: msg("labels", "待上传"),
        SyncState.SYNCED.value: msg("labels", "已上传"),
        SyncState.REJECTED.value: msg("labels", "被拒收"),
    }.get(state, msg("labels", "未知"))


def server_status_label(status: str | None) -> Message:
    """The back office's status (后台协同办理) as the counter shows it; the same words as the progress page."""
    return {
        None: msg("labels", "—"),
        "waiting": msg("labels", "待补正材料"),
        "received": msg("labels", "已受理，待审核"),
        "reviewing": msg("labels", "审核中"),
        "returned": msg("labels", "退回补正"),
        "completed": msg("labels", "已办结"),
        "denied": msg("labels", "不予批准"),
        "not_accepted": msg("labels", "不予受理"),
        "voided": msg("labels", "已作废"),
    }.get(status, msg("labels", "未知"))


def decision_name(decision: Decision, item_kind: str) -> Message:
    """The decision as a button or heading names it (a marriage pre-check has its own words).

    Context ``decisions``, not ``labels``: "不予受理" is a verb on a button and a state in the list, and English
    needs two words for it ("Refuse" / "Refused").
    """
    if item_kind == "precheck":
        return {
            Decision.ACCEPT: msg("decisions", "预审通过"),
            Decision.SUPPLEMENT: msg("decisions", "材料不全（一次性告知）"),
            Decision.REFUSE: msg("decisions", "不符合登记条件"),
        }.get(decision, _NAMES[decision])
    if item_kind == "inquiry" and decision is Decision.ACCEPT:
        return msg("decisions", "答复")
    return _NAMES[decision]


_NAMES = {
    Decision.ACCEPT: msg("decisions", "受理"),
    Decision.SUPPLEMENT: msg("decisions", "一次性补正告知"),
    Decision.REFUSE: msg("decisions", "不予受理"),
    Decision.TOLERATED: msg("decisions", "容缺受理"),
    Decision.FIRST_AID: msg("decisions", "先行救助"),
}


ROLE_LABELS = {
    "applicant": msg("labels", "申请人"),
    "spouse": msg("labels", "配偶"),
    "household_member": msg("labels", "家庭成员"),
    "agent": msg("labels", "代理人"),
    "guardian": msg("labels", "监护人"),
    "deceased": msg("labels", "逝者"),
}
