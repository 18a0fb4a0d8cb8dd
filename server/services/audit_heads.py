"""Audit heads: the position and HMAC of each workstation's keyed audit chain, carried by every push
(docs/sync-protocol.md "Audit heads"; docs/security.md "Keyed audit chain").

The server keeps the highest head each device pushed and refuses one that goes backwards — a lower position (events
deleted, or the store rolled back to an older copy) or the same position with another HMAC (an event replaced) —
with a reason in the push's per-event answer, never a 500, and without holding anything else of the batch.  It
cannot check an HMAC (the key never leaves the workstation); it is the witness a workstation's own disk cannot
silence.  Race-free between server processes: the first head is an ``INSERT … ON CONFLICT DO NOTHING``, a higher one
a compare-and-set ``UPDATE … WHERE seq < :seq``.
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
from server.services.common import insert
from server.store.models import AuditHeadRow, Device

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
