"""Counter accounts disabled or enabled centrally: an operator's decision for a whole center, pulled down by its
workstations."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.sync import protocol
from server.services import feed
from server.store.models import Account, utcnow


def set_account(session: Session, *, center_code: str, username: str, active: bool) -> int:
    now = utcnow()
    session.merge(Account(center_code=center_code, username=username, active=active, changed_at=now))
    return feed.append(
        session, center_code, protocol.AccountChange(username=username, active=active, changed_at=now), now
    )
