"""The citizen's progress lookup (the page behind the receipt's QR code): item, status and date, nothing personal."""

from __future__ import annotations

import datetime as dt
import hmac
import re
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
    #: The counter accepted the case (受理, 容缺受理, 先行救助): its number is a 受理编号; otherwise a 办件编号.
    accepted: bool = False


#: The counter decisions that accept a case (app.domain.Decision.accepts).
ACCEPTED_STATES = frozenset({"accept", "tolerated", "first_aid"})


#: What a 受理编号 can be at all: printable ASCII without spaces, as long as the store's column at most
#: (docs/numbering.md: digits and hyphens).  Anything else is looked up nowhere: no NUL, no stray encoding ever
#: reaches the database.
_NUMBER = re.compile(r"[!-~]{1,40}")
#: Longer than any 查询码 (six characters): never compared.
_CODE_MAX = 20


def progress(session: Session, acceptance_no: str, query_code: str) -> Progress | None:
    """The citizen's view: None for an unknown number, a wrong code and malformed input alike."""
    if not _NUMBER.fullmatch(acceptance_no) or len(query_code) > _CODE_MAX:
        return None
    app = session.scalar(select(ServerApplication).where(ServerApplication.acceptance_no == acceptance_no))
    given = query_code.encode("utf-8", "replace")
    expected = (app.query_code if app is not None else "\0" * 6).encode("utf-8")
    if app is None or not hmac.compare_digest(given, expected):
        return None
    accepted = app.counter_state in ACCEPTED_STATES
    return Progress(app.acceptance_no, app.item_name, ServerStatus(app.status), app.status_at, accepted)
