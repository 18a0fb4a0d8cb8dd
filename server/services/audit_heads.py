"""Audit heads: the position and HMAC of each workstation's keyed audit chain, carried by every push
(docs/sync-protocol.md "Audit heads"; docs/security.md "Keyed audit chain").

The server keeps the highest head each device pushed and refuses one that goes backwards — a lower position (events
deleted, or the store rolled back to an older copy) or the same position with another HMAC (an event replaced) —
with a reason in the push's per-event answer, never a 500, and without holding anything else of the batch.  It
cannot check an HMAC (the key never leaves the workstation); it is the witness a workstation's own disk cannot
silence.  Race-free between server processes: the first head is an ``INSERT … ON CONFLICT DO NOTHING``, a higher one
a compare-and-set ``UPDATE … WHERE seq < :seq``.

The one way back is :func:`reset`, for a store rebuilt from the server (``yimen recover --from-server``), whose new
chain starts again at 1: authenticated by the device's own credential, with a reason, the head it replaces kept for
good in ``audit_head_resets`` and logged, and once per credential — a device that rewinds again must be enrolled
again, that is, through the operator.  A rewind is never silent.
"""

from __future__ import annotations

import datetime as dt
import hmac
import logging
import uuid

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.sync import protocol
from app.sync.protocol import Outcome
from server.services.common import ServiceError, insert
from server.store.models import AuditHeadResetRow, AuditHeadRow, Device, utcnow

log = logging.getLogger("yimen.server")


def receive(
    session: Session, device: Device, event_id: uuid.UUID, head: protocol.AuditHead, now: dt.datetime
) -> protocol.EventResult:
    """Take ``head`` if it is the device's first or goes forward (``stored``), the very head held again
    (``duplicate``); refuse it with the reason if it goes backwards (``rejected``)."""
    table = AuditHeadRow.__table__
    created = session.execute(
        insert(session, table)
        .values(
            device_id=device.id,
            center_code=device.center_code,
            workstation_code=device.workstation_code,
            seq=head.seq,
            mac=head.mac,
            received_at=now,
        )
        .on_conflict_do_nothing()
        .returning(table.c.device_id)
    ).first()
    if created is not None:
        return _answer(event_id, Outcome.STORED)
    moved = session.execute(
        update(AuditHeadRow)
        .where(AuditHeadRow.device_id == device.id, AuditHeadRow.seq < head.seq)
        .values(seq=head.seq, mac=head.mac, received_at=now)
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount:  # type: ignore[attr-defined]
        return _answer(event_id, Outcome.STORED)
    held = session.execute(select(AuditHeadRow.seq, AuditHeadRow.mac).where(AuditHeadRow.device_id == device.id)).one()
    if held.seq == head.seq and hmac.compare_digest(held.mac, head.mac):
        return _answer(event_id, Outcome.DUPLICATE)
    session.execute(
        update(AuditHeadRow)
        .where(AuditHeadRow.device_id == device.id)
        .values(refused_seq=head.seq, refused_at=now)
        .execution_options(synchronize_session=False)
    )
    log.warning(
        "audit head refused: center %s workstation %s pushed position %d, the server holds %d",
        device.center_code,
        device.workstation_code,
        head.seq,
        held.seq,
    )
    if head.seq < held.seq:
        reason = (
            f"审计链位置倒退：服务器已收到本工位审计记录第 {held.seq} 条，本次只到第 {head.seq} 条"
            "（本机审计记录可能被删除，或数据被回退到早先的副本），不予接收。请信息员运行 yimen audit verify"
        )
    else:
        reason = (
            f"审计链第 {head.seq} 条与服务器此前收到的不同（本机审计记录可能被改动或替换），不予接收。"
            "请信息员运行 yimen audit verify"
        )
    return _answer(event_id, Outcome.REJECTED, reason)


RESET_USED = (
    "本工位的这个凭证已经重置过一次审计链位置（{at}）。再次恢复须由信息员为本工位重新注册（yimen enroll），"
    "中心服务器据此留有记录。"
)


def reset(
    session: Session, device: Device, body: protocol.AuditHeadReset, now: dt.datetime | None = None
) -> protocol.AuditHeadHeld:
    """Replace the device's head by a recovered store's new one, keeping the old one in ``audit_head_resets``.

    Raises:
        ServiceError: 409 when this credential has reset its head before.
    """
    now = now or utcnow()
    previous = session.execute(
        select(AuditHeadRow.seq, AuditHeadRow.mac, AuditHeadRow.received_at)
        .where(AuditHeadRow.device_id == device.id)
        .with_for_update()
    ).first()
    table = AuditHeadResetRow.__table__
    recorded = session.execute(
        insert(session, table)
        .values(
            device_id=device.id,
            center_code=device.center_code,
            workstation_code=device.workstation_code,
            reason=body.reason,
            previous_seq=previous.seq if previous is not None else None,
            previous_mac=previous.mac if previous is not None else None,
            previous_received_at=previous.received_at if previous is not None else None,
            seq=body.seq,
            mac=body.mac,
            reset_at=now,
        )
        .on_conflict_do_nothing()
        .returning(table.c.device_id)
    ).first()
    if recorded is None:
        earlier = session.scalar(select(AuditHeadResetRow.reset_at).where(AuditHeadResetRow.device_id == device.id))
        when = earlier.isoformat(timespec="seconds") if earlier is not None else ""
        raise ServiceError(409, "audit_head_reset_used", RESET_USED.format(at=when))
    if previous is None:
        session.add(
            AuditHeadRow(
                device_id=device.id,
                center_code=device.center_code,
                workstation_code=device.workstation_code,
                seq=body.seq,
                mac=body.mac,
                received_at=now,
            )
        )
    else:
        session.execute(
            update(AuditHeadRow)
            .where(AuditHeadRow.device_id == device.id)
            .values(seq=body.seq, mac=body.mac, received_at=now, refused_seq=None, refused_at=None)
            .execution_options(synchronize_session=False)
        )
    session.flush()
    log.warning(
        "audit head reset (%s): center %s workstation %s went from position %s to %d; kept in audit_head_resets",
        body.reason,
        device.center_code,
        device.workstation_code,
        previous.seq if previous is not None else "none",
        body.seq,
    )
    return protocol.AuditHeadHeld(seq=body.seq, mac=body.mac, received_at=now)


def resets(session: Session) -> list[dict[str, object]]:
    """Every reset, oldest first, for the operator (``yimen-server admin audit-resets``): codes, positions, times."""
    rows = session.scalars(select(AuditHeadResetRow).order_by(AuditHeadResetRow.reset_at)).all()
    return [
        {
            "center_code": row.center_code,
            "workstation_code": row.workstation_code,
            "device_id": str(row.device_id),
            "reason": row.reason,
            "previous_seq": row.previous_seq,
            "previous_received_at": row.previous_received_at.isoformat() if row.previous_received_at else None,
            "seq": row.seq,
            "reset_at": row.reset_at.isoformat(),
        }
        for row in rows
    ]


def held(session: Session, device: Device) -> protocol.AuditHeadHeld:
    """The head the server holds for this device (position 0 before its first)."""
    row = session.execute(
        select(AuditHeadRow.seq, AuditHeadRow.mac, AuditHeadRow.received_at).where(AuditHeadRow.device_id == device.id)
    ).first()
    if row is None:
        return protocol.AuditHeadHeld(seq=0)
    return protocol.AuditHeadHeld(seq=row.seq, mac=row.mac, received_at=row.received_at)


def _answer(event_id: uuid.UUID, outcome: Outcome, reason: str | None = None) -> protocol.EventResult:
    return protocol.EventResult.model_construct(event_id=event_id, outcome=outcome, reason=reason)
