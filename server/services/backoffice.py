"""The back office's work on an application (后台协同办理): moves along the transition table, each one a
compare-and-set on the current status and a feed entry for the counter that took the application.

An operator acts through :func:`change_status`: limited to the centers granted, recorded as the actor, and logged
in the access log (``operator_access``).  :func:`transition` is the move itself."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.sync import protocol
from app.sync.protocol import ServerStatus
from server.services import feed, operators
from server.services.common import ServiceError
from server.store.models import Operator, ServerApplication, utcnow

#: The statuses as the progress page and the back office's refusals name them.
STATUS_LABELS: dict[ServerStatus, str] = {
    ServerStatus.WAITING: "待补正材料",
    ServerStatus.RECEIVED: "已受理，待审核",
    ServerStatus.REVIEWING: "审核中",
    ServerStatus.RETURNED: "退回补正",
    ServerStatus.COMPLETED: "已办结",
    ServerStatus.DENIED: "不予批准",
    ServerStatus.NOT_ACCEPTED: "不予受理",
    ServerStatus.VOIDED: "已作废",
}

#: The back office's transition table: an application moves only along these arrows (anything else is 409).
TRANSITIONS: dict[ServerStatus, frozenset[ServerStatus]] = {
    ServerStatus.RECEIVED: frozenset({ServerStatus.REVIEWING, ServerStatus.RETURNED}),
    ServerStatus.REVIEWING: frozenset({ServerStatus.COMPLETED, ServerStatus.DENIED, ServerStatus.RETURNED}),
    ServerStatus.RETURNED: frozenset({ServerStatus.REVIEWING}),
}


def change_status(
    session: Session, *, operator: Operator, acceptance_no: str, to: ServerStatus, note: str, via: str
) -> protocol.StatusChange:
    """An operator moves an application: only one of the centers it was granted (another center's application is
    answered like an unknown number), the operator's name recorded as the actor, the access logged."""
    change = transition(
        session, acceptance_no=acceptance_no, to=to, note=note, by=operator.name, centers=operator.centers
    )
    operators.record_access(session, operator, action=f"status:{to.value}", acceptance_no=acceptance_no, via=via)
    return change


def transition(
    session: Session, *, acceptance_no: str, to: ServerStatus, note: str, by: str, centers: str = "*"
) -> protocol.StatusChange:
    """Move an application along the transition table (a compare-and-set on its current status); returns the
    change as its counter will pull it.  ``by`` is recorded as the actor: callers acting for an operator use
    :func:`change_status`."""
    app = session.scalar(select(ServerApplication).where(ServerApplication.acceptance_no == acceptance_no))
    if app is None or (centers != operators.ALL_CENTERS and app.center_code not in centers.split(",")):
        raise ServiceError(404, "not_found", f"没有办件编号为 {acceptance_no} 的申请。")
    current = ServerStatus(app.status)
    if to not in TRANSITIONS.get(current, frozenset()):
        raise ServiceError(
            409,
            "illegal_transition",
            f"申请当前为“{STATUS_LABELS[current]}”，不能改为“{STATUS_LABELS[to]}”。",
        )
    now = utcnow()
    changed = session.execute(
        update(ServerApplication)
        .where(ServerApplication.id == app.id, ServerApplication.status == current.value)
        .values(status=to.value, status_at=now, status_note=note, status_by=by)
    )
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        raise ServiceError(409, "concurrent_change", "该申请的状态刚被他人修改，请刷新后重试。")
    change = protocol.StatusChange(
        application_id=app.id, acceptance_no=app.acceptance_no, status=to, note=note, changed_at=now
    )
    feed.append(session, app.center_code, change, now)
    return change
