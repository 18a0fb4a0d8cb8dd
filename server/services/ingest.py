"""A pushed batch of events: each one checked (well-formed, its SHA-256, its center and workstation, its place in
the application's history), stored once, and applied to the city's view of the applications.

The same batch twice stores nothing twice, even when two server processes receive it at once: the events table's
primary key and ``INSERT … ON CONFLICT DO NOTHING`` decide (docs/sync-protocol.md, "Push").
"""

from __future__ import annotations

import datetime as dt
import hmac
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Boolean, Uuid, bindparam, case, delete, literal, or_, select, update
from sqlalchemy.orm import Session

from app.sync import protocol
from app.sync.protocol import Outcome, ServerStatus
from server.services.common import insert_rows
from server.store.models import Blob, Device, ServerApplication, StoredEvent, UTCDateTime, utcnow

HELD_REASON = "同一申请的前一事件被拒收，本事件暂缓"


@dataclass
class _Checked:
    pushed: protocol.PushedEvent
    event: protocol.Event
    raw: bytes


def _status_after(decision: str) -> ServerStatus:
    return {
        "accept": ServerStatus.RECEIVED,
        "supplement": ServerStatus.WAITING,
        "refuse": ServerStatus.NOT_ACCEPTED,
    }[decision]


def push(session: Session, device: Device, events: Sequence[protocol.PushedEvent]) -> list[protocol.EventResult]:
    """Store a batch of events: one answer per event, in the order sent.  The same batch twice stores nothing
    twice: the events table's primary key and ``ON CONFLICT DO NOTHING`` decide, even between two processes."""
    now = utcnow()
    results: dict[uuid.UUID, protocol.EventResult] = {}
    order = [p.event_id for p in events]

    def reject(event_id: uuid.UUID, reason: str, outcome: Outcome = Outcome.REJECTED) -> None:
        results[event_id] = protocol.EventResult.model_construct(event_id=event_id, outcome=outcome, reason=reason)

    checked: list[_Checked] = []
    seen: set[uuid.UUID] = set()
    refused_apps: set[uuid.UUID] = set()  # applications with a refused event in this batch: the rest is held
    for pushed in events:
        if pushed.event_id in seen:
            continue  # the same event twice in one batch: one answer (given below, from the first)
        seen.add(pushed.event_id)
        raw = pushed.payload.encode("utf-8")
        try:
            event = protocol.parse(raw)
        except ValidationError as exc:
            reject(pushed.event_id, f"事件格式无效：{exc.error_count()} 处错误，首处在 {_loc(exc)}")
            continue
        if event.application_id in refused_apps:
            reject(pushed.event_id, HELD_REASON, Outcome.HELD)
            continue
        problem = None
        if protocol.digest(raw) != pushed.sha256:
            problem = "事件内容与其 SHA-256 不符（传输中或本机存储损坏）"
        elif event.event_id != pushed.event_id:
            problem = "事件编号与内容不符"
        elif event.center_code != device.center_code or event.workstation_code != device.workstation_code:
            problem = "事件不属于本中心和工位，不予接收"
        if problem is not None:
            reject(pushed.event_id, problem)
            refused_apps.add(event.application_id)
        else:
            checked.append(_Checked(pushed, event, raw))

    # Insert first: the primary key decides who stores an event, even between two processes (the second one
    # waits on the first one's uncommitted row, then finds it).  What the city's view cannot take is then
    # deleted again inside this same transaction, so it is never committed.
    inserted: set[uuid.UUID] = set()
    if checked:
        rows = [
            {
                "event_id": c.event.event_id,
                "sha256": c.pushed.sha256,
                "center_code": c.event.center_code,
                "workstation_code": c.event.workstation_code,
                "application_id": c.event.application_id,
                "event_type": c.event.body.type,
                "schema_version": c.event.schema_version,
                "occurred_at": c.event.occurred_at,
                "received_at": now,
                "device_id": device.id,
                "payload": c.raw,
            }
            for c in checked
        ]
        inserted = set(insert_rows(session, StoredEvent.__table__, rows, returning="event_id"))
    old = [c for c in checked if c.event.event_id not in inserted]
    if old:
        known = dict(
            session.execute(
                select(StoredEvent.event_id, StoredEvent.sha256).where(
                    StoredEvent.event_id.in_([c.event.event_id for c in old])
                )
            ).all()
        )
        for c in old:
            same = hmac.compare_digest(known.get(c.event.event_id, ""), c.pushed.sha256)
            if not same:
                refused_apps.add(c.event.application_id)
            results[c.event.event_id] = protocol.EventResult.model_construct(
                event_id=c.event.event_id,
                outcome=Outcome.DUPLICATE if same else Outcome.CONFLICT,
                reason=None if same else "同一事件编号已收到不同内容，未覆盖",
            )
    fresh = [c for c in checked if c.event.event_id in inserted]
    accepted = _check_projections(session, device, fresh, reject, refused_apps)
    kept = {c.event.event_id for c in accepted}
    taken_back = [c.event.event_id for c in fresh if c.event.event_id not in kept]
    if taken_back:
        session.execute(delete(StoredEvent).where(StoredEvent.event_id.in_(taken_back)))
    _project(session, accepted, now)
    for c in accepted:
        results[c.event.event_id] = protocol.EventResult.model_construct(
            event_id=c.event.event_id, outcome=Outcome.STORED
        )
    if device.last_seen_at is None or now - device.last_seen_at > dt.timedelta(minutes=1):
        device.last_seen_at = now
    return [results[event_id] for event_id in dict.fromkeys(order)]


def _loc(exc: ValidationError) -> str:
    first = exc.errors()[0]
    return ".".join(str(part) for part in first.get("loc", ())) or "（根）"


def _check_projections(
    session: Session, device: Device, fresh: list[_Checked], reject: Any, refused_apps: set[uuid.UUID]
) -> list[_Checked]:
    """Refuse, before anything is stored, events the city's view cannot take (in batch order)."""
    if not fresh:
        return []

    def held(event_id: uuid.UUID) -> None:
        reject(event_id, HELD_REASON, Outcome.HELD)

    app_ids = {c.event.application_id for c in fresh}
    numbers = {c.event.body.acceptance_no for c in fresh}
    existing = {row[0]: row for row in _known_applications(session, app_ids, numbers)}
    by_number = {row[2]: row[0] for row in existing.values()}
    shas = {c.event.body.sha256 for c in fresh if isinstance(c.event.body, protocol.DocumentIssued)}
    blobs = set(session.scalars(select(Blob.sha256).where(Blob.sha256.in_(shas)))) if shas else set()
    taken_here: dict[uuid.UUID, str] = {}
    numbers_here: dict[str, uuid.UUID] = {}
    accepted: list[_Checked] = []
    for c in fresh:
        body = c.event.body
        app_id = c.event.application_id
        if app_id in refused_apps:
            held(c.event.event_id)
            continue
        refused_apps.add(app_id)  # removed again below when the event passes
        row = existing.get(app_id)
        if row is not None and row[1] != device.center_code:
            reject(c.event.event_id, "该申请属于其他中心，不予接收")
            continue
        if isinstance(body, protocol.ApplicationTaken):
            owner = by_number.get(body.acceptance_no) or numbers_here.get(body.acceptance_no)
            if owner is not None and owner != app_id:
                reject(c.event.event_id, f"受理编号 {body.acceptance_no} 已被另一申请使用")
                continue
            if row is not None or app_id in taken_here:
                reject(c.event.event_id, "该申请已有受理事件")
                continue
            taken_here[app_id] = body.acceptance_no
            numbers_here[body.acceptance_no] = app_id
        else:
            known_no = row[2] if row is not None else taken_here.get(app_id)
            if known_no is None:
                reject(c.event.event_id, "服务器上没有该申请的受理事件（须先上传受理事件）")
                continue
            if known_no != body.acceptance_no:
                reject(c.event.event_id, "事件的受理编号与该申请不符")
                continue
            if isinstance(body, protocol.DocumentIssued) and body.sha256 not in blobs:
                reject(c.event.event_id, "文书文件未上传（须先上传文书 PDF）")
                continue
        refused_apps.discard(app_id)
        accepted.append(c)
    return accepted


_MOVABLE = (ServerStatus.WAITING.value, ServerStatus.RETURNED.value)


def _known_applications(
    session: Session, app_ids: set[uuid.UUID], numbers: set[str]
) -> list[tuple[uuid.UUID, str, str]]:
    """(id, center, 受理编号) of the applications with one of these ids or numbers: two indexed lookups (an OR of
    two IN lists would scan the table); on PostgreSQL with array parameters, one round trip."""
    if session.get_bind().dialect.name == "postgresql":
        driver = session.connection().connection.driver_connection
        with driver.cursor(binary=True) as cursor:  # type: ignore[union-attr]
            cursor.execute(
                "SELECT id, center_code, acceptance_no FROM applications WHERE id = ANY(%b::uuid[]) UNION "
                "SELECT id, center_code, acceptance_no FROM applications WHERE acceptance_no = ANY(%b::text[])",
                [list(app_ids), list(numbers)],
            )
            return [(row[0], row[1], row[2]) for row in cursor.fetchall()]
    columns = (ServerApplication.id, ServerApplication.center_code, ServerApplication.acceptance_no)
    found: dict[uuid.UUID, tuple[uuid.UUID, str, str]] = {}
    for query in (
        select(*columns).where(ServerApplication.id.in_(app_ids)),
        select(*columns).where(ServerApplication.acceptance_no.in_(numbers)),
    ):
        for row in session.execute(query):
            found[row[0]] = (row[0], row[1], row[2])
    return list(found.values())


def _project(session: Session, events: Iterable[_Checked], now: dt.datetime) -> None:
    """Apply newly stored events to the city's view (only the process that inserted an event applies it, so each
    is applied exactly once).  Two statements per batch: the batch's new applications in one insert, then every
    later event's update in one executemany, in batch order (an application's 受理 event always precedes its
    others, so creating all of them first changes nothing)."""
    new_apps: list[dict[str, Any]] = []
    changes: list[dict[str, Any]] = []
    for c in events:
        body = c.event.body
        if isinstance(body, protocol.ApplicationTaken):
            new_apps.append(
                {
                    "id": c.event.application_id,
                    "acceptance_no": body.acceptance_no,
                    "query_code": body.query_code,
                    "center_code": c.event.center_code,
                    "workstation_code": c.event.workstation_code,
                    "item_code": body.item.code,
                    "item_version": body.item.version,
                    "item_name": body.item.name or body.item.code,
                    "received_at": body.received_at,
                    "counter_state": body.decision.decision,
                    "counter_at": body.decision.decided_at,
                    "status": _status_after(body.decision.decision).value,
                    "status_at": body.decision.decided_at,
                    "status_note": "",
                    "status_by": "",
                }
            )
        elif isinstance(body, protocol.MaterialsSupplemented):
            # The counter's return visit moves the status only while the back office waits for materials.
            changes.append(
                {
                    "b_id": c.event.application_id,
                    "b_counter_state": body.decision.decision,
                    "b_at": body.decision.decided_at,
                    "b_status": _status_after(body.decision.decision).value,
                    "b_force": False,
                }
            )
        elif isinstance(body, protocol.ApplicationVoided):
            changes.append(
                {
                    "b_id": c.event.application_id,
                    "b_counter_state": "voided",
                    "b_at": c.event.occurred_at,
                    "b_status": ServerStatus.VOIDED.value,
                    "b_force": True,
                }
            )
    if new_apps:
        insert_rows(session, ServerApplication.__table__, new_apps)
    if changes:
        table: Any = ServerApplication.__table__
        moves = or_(bindparam("b_force", type_=Boolean), *(table.c.status == literal(s) for s in _MOVABLE))
        stmt = (
            update(table)
            .where(table.c.id == bindparam("b_id", type_=Uuid))
            .values(
                counter_state=bindparam("b_counter_state"),
                counter_at=bindparam("b_at", type_=UTCDateTime),
                status=case((moves, bindparam("b_status")), else_=table.c.status),
                status_at=case((moves, bindparam("b_at", type_=UTCDateTime)), else_=table.c.status_at),
                status_note=case((moves, literal("")), else_=table.c.status_note),
                status_by=case((moves, literal("")), else_=table.c.status_by),
            )
        )
        session.connection().execute(stmt, changes)
