"""A workstation's own records read back (docs/sync-protocol.md "Recovery"): what ``yimen recover --from-server``
rebuilds a lost store from, and what enrollment tells a workstation of the numbers its code has issued.

The wall: a device reads only the events whose envelope names its own center *and* workstation code.  Those are
exactly the events a device of that workstation could push (ingest refuses any other), so a workstation enrolled
again after a lost machine reads what its earlier, revoked credential sent — and never a neighbour's window or
another center's.  An event or a document of anyone else is answered like one that does not exist.

The window: a credential that could only write events and read statuses must not become a way to read a
workstation's whole history (full ID numbers included) once stolen.  So records are served only to a device whose
enrollment was confirmed less than ``records_window_hours`` ago (a recovery comes with a fresh one-time code from the
operator: ``yimen recover --from-server --code``) and that has not yet reset its audit head (the reset ends the
recovery); otherwise :func:`check_window` refuses with a 403.

Events come back as stored (the bytes pushed, with their SHA-256), in the order received: ``received_at`` (one
moment per pushed batch; a workstation pushes an application's events strictly in order, batch after batch), then
``position`` (where the event was in its batch: the outbox's order), then the event id; the index
``ix_events_workstation_order`` serves it.  The cursor is that triple, opaque to the workstation; a page holds at
most :data:`protocol.RECORDS_PAGE_MAX` events and stops early past :data:`PAGE_BYTES`.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session

from app.sync import protocol
from server.services.common import ServiceError
from server.services.documents import blob_data, named_sha256
from server.store.models import (
    AuditHeadResetRow,
    CatalogVersionRow,
    Device,
    ServerApplication,
    StoredEvent,
    utcnow,
)

log = logging.getLogger("yimen.server")

#: A page stops growing past this many bytes of payload (always at least one event).
PAGE_BYTES = 8 * 1024 * 1024
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_ONE_US = dt.timedelta(microseconds=1)
_CURSOR = re.compile(r"(-?[0-9]{1,18})\.([0-9]{1,10})\.([0-9a-f]{32})")
#: What the cursor query parameter may look like at all (the router refuses anything else with a 422).
CURSOR_PATTERN = r"^$|^-?[0-9]{1,18}\.[0-9]{1,10}\.[0-9a-f]{32}$"

BAD_CURSOR = "恢复记录的位置参数无效。请重新开始恢复（yimen recover --from-server）。"
NO_DOCUMENT = "中心服务器上没有本工位的该文书。"
WINDOW_CLOSED = (
    "读取本工位记录须在重新注册后 {hours} 小时内进行：请向运维人员申请注册码，"
    "用 yimen recover --from-server --code 注册码。"
)


def check_window(session: Session, device: Device, hours: int, now: dt.datetime | None = None) -> None:
    """Refuse unless the device's enrollment was confirmed less than ``hours`` ago and it has not reset its audit
    head since (see the module's description).

    Raises:
        ServiceError: 403 ``records_window_closed``.
    """
    now = now or utcnow()
    confirmed = device.confirmed_at
    fresh = confirmed is not None and now - confirmed < dt.timedelta(hours=hours)
    if fresh and session.scalar(select(AuditHeadResetRow.reset_at).where(AuditHeadResetRow.device_id == device.id)):
        fresh = False
    if not fresh:
        log.warning(
            "records refused (enrollment not recent, or the recovery is over): center %s workstation %s",
            device.center_code,
            device.workstation_code,
        )
        raise ServiceError(403, "records_window_closed", WINDOW_CLOSED.format(hours=hours))


def _moment(text: str) -> dt.datetime:
    try:
        return _EPOCH + int(text) * _ONE_US
    except OverflowError:
        raise ServiceError(422, "invalid_cursor", BAD_CURSOR) from None


def _micros(moment: dt.datetime) -> int:
    return (moment - _EPOCH) // _ONE_US


def _after(cursor: str) -> tuple[dt.datetime, int, uuid.UUID] | None:
    if not cursor:
        return None
    found = _CURSOR.fullmatch(cursor)
    if found is None or int(found[2]) > protocol.MAX_BATCH_EVENTS:
        raise ServiceError(422, "invalid_cursor", BAD_CURSOR)
    return _moment(found[1]), int(found[2]), uuid.UUID(hex=found[3])


def _ours(device: Device) -> Any:
    return (StoredEvent.center_code == device.center_code) & (StoredEvent.workstation_code == device.workstation_code)


def records(session: Session, device: Device, cursor: str, limit: int) -> protocol.RecordsPage:
    """The device's workstation's events after ``cursor`` ("" for the first page), at most ``limit``."""
    after = _after(cursor)
    order = (StoredEvent.received_at, StoredEvent.position, StoredEvent.event_id)
    query = select(StoredEvent.event_id, StoredEvent.sha256, StoredEvent.event_type, StoredEvent.payload, *order[:2])
    query = query.where(_ours(device))
    if after is not None:
        query = query.where(tuple_(*order) > tuple_(*after))
    rows = session.execute(query.order_by(*order).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    kept: list[Any] = []
    size = 0
    for row in rows:
        if kept and size + len(row.payload) > PAGE_BYTES:
            more = True
            break
        kept.append(row)
        size += len(row.payload)
    events = [
        protocol.PushedEvent.model_construct(
            event_id=row.event_id, sha256=row.sha256, payload=bytes(row.payload).decode("utf-8")
        )
        for row in kept
    ]
    last = kept[-1] if kept else None
    next_cursor = f"{_micros(last.received_at)}.{last.position}.{last.event_id.hex}" if last is not None else cursor
    if not cursor:
        log.info(
            "records read back for a recovery: center %s workstation %s", device.center_code, device.workstation_code
        )
    return protocol.RecordsPage(
        events=events, catalog=_catalog(session, kept), cursor=next_cursor, more=more and last is not None
    )


def _catalog(session: Session, rows: Sequence[Any]) -> list[protocol.CatalogChange]:
    """The published catalog versions the page's new applications were taken under (a workstation rebuilding its
    store may not ship them)."""
    wanted: set[str] = set()
    for row in rows:
        if row.event_type == protocol.EventType.APPLICATION_TAKEN.value:
            try:
                wanted.add(str(json.loads(row.payload)["body"]["item"]["sha256"]))
            except (ValueError, KeyError, TypeError):
                continue  # stored only after the protocol parsed it: cannot happen, and never a 500
    if not wanted:
        return []
    found = session.scalars(select(CatalogVersionRow).where(CatalogVersionRow.sha256.in_(wanted))).all()
    return [
        protocol.CatalogChange(
            item_code=row.item_code,
            version=row.version,
            sha256=row.sha256,
            canonical_json=row.canonical_json,
            changed_at=row.published_at,
        )
        for row in found
    ]


def document(session: Session, device: Device, event_id: uuid.UUID) -> bytes:
    """The PDF a ``document.issued`` event of the device's workstation names.  Anything else — an unknown event,
    another workstation's, an event of another kind — answers the same 404."""
    row = session.execute(
        select(StoredEvent.event_type, StoredEvent.payload).where(StoredEvent.event_id == event_id, _ours(device))
    ).first()
    if row is None or row.event_type != protocol.EventType.DOCUMENT_ISSUED.value:
        raise ServiceError(404, "not_found", NO_DOCUMENT)
    return blob_data(session, named_sha256(bytes(row.payload)), NO_DOCUMENT)


def numbers(session: Session, center_code: str, workstation_code: str) -> protocol.WorkstationNumbers:
    """How many applications the server holds of this center and workstation code, and the highest numbering
    series in their 受理编号 (``{center}-{workstation}-{YYYYMMDD}-{letter?}{NNNN}``: the mark is the character after
    the date)."""
    mine = (ServerApplication.center_code == center_code) & (ServerApplication.workstation_code == workstation_code)
    total = int(session.scalar(select(func.count()).select_from(ServerApplication).where(mine)) or 0)
    if total == 0:
        return protocol.WorkstationNumbers(applications=0, highest_series=0)
    at = len(f"{center_code}-{workstation_code}-") + 10  # 1-based: past the date and its hyphen
    marks = session.scalars(select(func.substr(ServerApplication.acceptance_no, at, 1)).where(mine).distinct()).all()
    highest = max(protocol.series_of(f"-{mark}") for mark in marks)
    return protocol.WorkstationNumbers(applications=total, highest_series=highest)
