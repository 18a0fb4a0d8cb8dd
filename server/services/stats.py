"""The operator's overview (``yimen-server admin stats``) and the load balancer's health check."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from server.store.models import Blob, DayCloseRow, Device, HandoverRow, RatingRow, ServerApplication, StoredEvent


def counts(session: Session) -> dict[str, Any]:
    """How many events, applications, enrolled devices, documents, ratings, day closes and handovers the store
    holds."""
    return {
        "events": session.scalar(select(func.count()).select_from(StoredEvent)),
        "applications": session.scalar(select(func.count()).select_from(ServerApplication)),
        # Enrolled: confirmed and not revoked (a pending enrollment is not a device yet).
        "devices": session.scalar(
            select(func.count())
            .select_from(Device)
            .where(Device.revoked_at.is_(None), Device.confirmed_at.is_not(None))
        ),
        "blobs": session.scalar(select(func.count()).select_from(Blob)),
        # The supervisor's day: ratings (未评价 included), day closes (日结) and 材料交接单 received.
        "ratings": session.scalar(select(func.count()).select_from(RatingRow)),
        "day_closes": session.scalar(select(func.count()).select_from(DayCloseRow)),
        "handovers": session.scalar(select(func.count()).select_from(HandoverRow)),
        # Applications by the counter's decision (accept, tolerated 容缺受理, first_aid 先行救助, supplement, refuse,
        # voided): the supervisor's counts.
        "decisions": {
            state: count
            for state, count in session.execute(
                select(ServerApplication.counter_state, func.count()).group_by(ServerApplication.counter_state)
            )
        },
    }


def ping(session: Session) -> None:
    """Raises unless the database answers."""
    session.execute(text("SELECT 1"))
