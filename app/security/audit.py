"""The audit trail: who did what, when, as a hash chain (tamper evidence).

Details must never hold ID numbers, disability or income data (PIPL; rules.md §8): callers pass record ids and
codes, and :func:`record` refuses anything that looks like an ID number.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import AuditEvent
from db.types import utcnow

GENESIS = "0" * 64
_ID_LIKE = re.compile(r"\d{15}(\d{2}[\dXx])?")


def _chain_hash(prev_hash: str, content: dict[str, Any]) -> str:
    blob = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256((prev_hash + blob).encode("utf-8")).hexdigest()


def holds_id_number(text: str) -> bool:
    """Whether ``text`` holds what looks like an ID number (15 or 18 characters of one): never in the trail."""
    return bool(_ID_LIKE.search(text))


def record(
    session: Session,
    *,
    action: str,
    entity_type: str,
    entity_id: str | uuid.UUID | None,
    workstation_code: str,
    user_id: uuid.UUID | None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event inside the caller's transaction."""
    details = dict(details or {})
    blob = json.dumps(details, ensure_ascii=False, default=str)
    if holds_id_number(blob):
        raise ValueError("audit details must not contain ID numbers")
    last = session.execute(select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)).first()
    seq = (last[0] + 1) if last else 1
    prev_hash = last[1] if last else GENESIS
    at = utcnow()
    content = {
        "seq": seq,
        "at": at.isoformat(),
        "user_id": str(user_id) if user_id else None,
        "workstation": workstation_code,
        "action": action,
        "entity_type": entity_type,
        "entity_id": str(entity_id) if entity_id else None,
        "details": details,
    }
    event = AuditEvent(
        seq=seq,
        at=at,
        user_id=user_id,
        workstation_code=workstation_code,
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id) if entity_id else None,
        details=details,
        prev_hash=prev_hash,
        hash=_chain_hash(prev_hash, content),
    )
    session.add(event)
    session.flush()
    return event


def verify_chain(session: Session) -> int | None:
    """Return the seq of the first event whose hash does not match, or None when the chain is intact."""
    prev = GENESIS
    for event in session.scalars(select(AuditEvent).order_by(AuditEvent.seq)):
        content = {
            "seq": event.seq,
            "at": event.at.isoformat(),
            "user_id": str(event.user_id) if event.user_id else None,
            "workstation": event.workstation_code,
            "action": event.action,
            "entity_type": event.entity_type,
            "entity_id": event.entity_id,
            "details": event.details,
        }
        if event.prev_hash != prev or event.hash != _chain_hash(prev, content):
            return event.seq
        prev = event.hash
    return None


def count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(AuditEvent)) or 0)
