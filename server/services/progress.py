"""The citizen's progress lookup (the page behind the receipt's QR code): item, status and date, nothing personal."""

from __future__ import annotations

import datetime as dt
import hmac
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.sync.protocol import ServerStatus
from server.store.models import ServerApplication


@dataclass(frozen=True)
class Progress:
    acceptance_no: str
    item_name: str
    status: ServerStatus
    status_at: dt.datetime


def progress(session: Session, acceptance_no: str, query_code: str) -> Progress | None:
    """The citizen's view: None for an unknown number and for a wrong code alike."""
    app = session.scalar(select(ServerApplication).where(ServerApplication.acceptance_no == acceptance_no))
    given = query_code.encode("utf-8")
    expected = (app.query_code if app is not None else "\0" * 6).encode("utf-8")
    if app is None or not hmac.compare_digest(given, expected):
        return None
    return Progress(app.acceptance_no, app.item_name, ServerStatus(app.status), app.status_at)
