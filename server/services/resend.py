"""Sending again after a server restore (docs/sync-protocol.md "Sending again after a server restore").

A database restored to an earlier moment T has lost what it acknowledged after T; the workstations still hold those
events (their payloads are kept at least the server's recovery window, app/pruning.py).  The operator records a
request (``yimen-server admin resend --since T-margin``); the feed tells each device of the request's center (or of
every center) the newest request it has not done; the device puts its events acknowledged since then back in its
queue, pushes them (``duplicate`` for what the server still has, ``stored`` for what it lost) and names the request
done on a later feed call.

The feed's numbers went back with the restore too, while the workstations' pull cursors did not: a request moves the
feed counter forward by :data:`FEED_GAP` and appends again, above it, every feed entry made at or after ``since``, so
every workstation reads each status, account and catalog change the restored server holds from then on, whatever its
cursor says.
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import ColumnElement, exists, select, text
from sqlalchemy.orm import Session

from app import limits
from app.sync import protocol
from server.services.common import ServiceError, insert
from server.services.feed import FEED_COUNTER
from server.store.models import Device, FeedEntryRow, ResendDone, ResendRequest, utcnow

#: How far a request moves the feed counter: above any number the lost timeline can have issued (feed entries are
#: back-office actions, a few a second city-wide: a thousand million is years of them).
FEED_GAP = 1_000_000_000
REASON_MAX = 200
_CENTER = re.compile(rf"[0-9]{{{limits.CENTER_CODE_MIN},{limits.CENTER_CODE_MAX}}}")


def create(session: Session, *, since: dt.datetime, center_code: str | None, reason: str, now: dt.datetime) -> int:
    """Record a request; returns its id.  The feed counter moves forward by :data:`FEED_GAP` and the feed entries
    made at or after ``since`` are appended again above it (their old numbers may lie below a workstation's
    cursor)."""
    reason = reason.strip()
    if not reason or len(reason) > REASON_MAX or "\n" in reason:
        raise ServiceError(422, "invalid_reason", f"请用 --reason 写明原因（一行，不超过 {REASON_MAX} 个字）。")
    if since.tzinfo is None:
        raise ServiceError(422, "invalid_since", "--since 须带时区。")
    if since > now:
        raise ServiceError(
            422, "invalid_since", "--since 晚于现在：应为数据库恢复到的时刻再往前留出余量（见 docs/operations.md）。"
        )
    if center_code is not None and not _CENTER.fullmatch(center_code):
        raise ServiceError(
            422,
            "invalid_center",
            f"中心代码“{center_code}”无效：应为 {limits.CENTER_CODE_MIN}–{limits.CENTER_CODE_MAX} 位数字，"
            "如 310104003。",
        )
    # The counter row stays locked until this transaction commits: no feed entry is numbered meanwhile.
    top = int(
        session.execute(
            text("UPDATE counters SET value = value + :gap WHERE name = :name RETURNING value"),
            {"gap": FEED_GAP, "name": FEED_COUNTER},
        ).scalar_one()
    )
    again = session.execute(
        select(FeedEntryRow.center_code, FeedEntryRow.kind, FeedEntryRow.body)
        .where(FeedEntryRow.created_at >= since)
        .order_by(FeedEntryRow.seq)
    ).all()
    for n, (center, kind, body) in enumerate(again, start=1):
        session.add(FeedEntryRow(seq=top + n, center_code=center, kind=kind, body=body, created_at=now))
    if again:
        session.execute(
            text("UPDATE counters SET value = :value WHERE name = :name"),
            {"value": top + len(again), "name": FEED_COUNTER},
        )
    request = ResendRequest(since=since, center_code=center_code, reason=reason, created_at=now)
    session.add(request)
    session.flush()
    return int(request.id)


def _applies(device: Device) -> ColumnElement[bool]:
    return ResendRequest.center_code.is_(None) | (ResendRequest.center_code == device.center_code)


def pending_for(session: Session, device: Device) -> protocol.ResendAsk | None:
    """The newest request of the device's center (or of every center) the device has not named done."""
    row = session.execute(
        select(ResendRequest.id, ResendRequest.since)
        .where(
            _applies(device),
            ~exists().where(ResendDone.request_id == ResendRequest.id, ResendDone.device_id == device.id),
        )
        .order_by(ResendRequest.id.desc())
        .limit(1)
    ).first()
    return protocol.ResendAsk(id=row[0], since=row[1]) if row is not None else None


def mark_done(session: Session, device: Device, request_id: int, now: dt.datetime | None = None) -> bool:
    """The device has put its events since the request's moment back in its queue.  Only a request that applies
    to the device is recorded (another center's, or an unknown one, is ignored); naming it again changes nothing."""
    applies = session.scalar(select(ResendRequest.id).where(ResendRequest.id == request_id, _applies(device)))
    if applies is None:
        return False
    session.execute(
        insert(session, ResendDone.__table__)
        .values(request_id=request_id, device_id=device.id, done_at=now or utcnow())
        .on_conflict_do_nothing()
    )
    return True


def listing(session: Session) -> list[dict[str, object]]:
    """Each request with how many devices it concerns and has been done by, and the workstations that have not
    done it yet (codes and times only), for ``yimen-server admin resend --list``."""
    devices = session.scalars(
        select(Device)
        .where(Device.confirmed_at.is_not(None), Device.revoked_at.is_(None))
        .order_by(Device.center_code, Device.workstation_code, Device.enrolled_at)
    ).all()
    done: dict[int, set[object]] = {}
    for request_id, device_id in session.execute(select(ResendDone.request_id, ResendDone.device_id)):
        done.setdefault(int(request_id), set()).add(device_id)
    rows: list[dict[str, object]] = []
    for request in session.scalars(select(ResendRequest).order_by(ResendRequest.id)):
        concerned = [d for d in devices if request.center_code in (None, d.center_code)]
        by = done.get(int(request.id), set())
        waiting = [d for d in concerned if d.id not in by]
        rows.append(
            {
                "id": request.id,
                "since": request.since.isoformat(),
                "center_code": request.center_code,
                "reason": request.reason,
                "created_at": request.created_at.isoformat(),
                "devices": len(concerned),
                "done": len(concerned) - len(waiting),
                "not_done": [
                    {
                        "center_code": d.center_code,
                        "workstation_code": d.workstation_code,
                        "last_seen_at": d.last_seen_at.isoformat() if d.last_seen_at else None,
                    }
                    for d in waiting
                ],
            }
        )
    return rows
