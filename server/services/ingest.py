"""A pushed batch of events: each one checked (well-formed and within the shared limits, its SHA-256, its center
and workstation, its place in the application's history), stored once, and applied to the city's view of the
applications.

The same batch twice stores nothing twice, even when two server processes receive it at once: the events table's
primary key and ``INSERT … ON CONFLICT DO NOTHING`` decide (docs/sync-protocol.md, "Push").

Who may write what (docs/sync-protocol.md, "Who may write what"): a device writes only events of its own center and
workstation; a new application's 受理编号 must begin with exactly that center's and workstation's codes; a change to
an application (补正 return visit, 更正, 作废, a document issued or reprinted, a rating or a follow-up step) is taken
only from the workstation that took it; a day close or a handover names only the sending workstation's own numbers
(:mod:`server.services.supervisor`, which also writes the supervisor's projections).  An event naming an
application of another workstation or center gets the very answer of one naming an application the server has
never seen: the answers tell a device nothing about other workstations' cases.

Every push also carries the workstation's audit chain head (``audit.head``): it is checked like any event (its
bytes, its id, its center and workstation) and then handed to :mod:`server.services.audit_heads`, never stored
with the events; a refused head holds nothing else of the batch.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import logging
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Boolean, Date, Text, Uuid, bindparam, case, delete, func, literal, or_, select, update
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session

from app.sync import protocol
from app.sync.protocol import Outcome, ServerStatus
from server.services import attachments, audit_heads, partitions, supervisor
from server.services.common import insert_rows
from server.store.models import Blob, Device, ServerApplication, StoredEvent, UTCDateTime, utcnow

log = logging.getLogger("yimen.server")

HELD_REASON = "同一申请的前一事件被拒收，本事件暂缓"
#: The one answer for a change to an application this workstation did not take: unknown, another workstation's
#: and another center's alike (no oracle of other workstations' cases).
NOT_TAKEN_HERE = "服务器上没有本工位对该申请的受理事件（须先上传受理事件）"
DAMAGED_REASON = "事件内容与其 SHA-256 不符（传输中或本机存储损坏）"
#: An event the protocol let through and the store still could not hold (a safety net: the shared limits should
#: make it impossible).  Refused by itself; the rest of the batch is stored.
UNSTORABLE_REASON = "服务器无法保存该事件的内容（超出服务器的存储范围），请联系信息员"

#: Chinese names of the validation errors a clerk or IT may see in a refusal (the value itself is never repeated:
#: it may be an ID number).
_PROBLEMS = {
    "string_too_long": "过长",
    "too_long": "条目过多",
    "string_pattern_mismatch": "含不允许的字符或格式不符",
    "less_than": "超出范围",
    "less_than_equal": "超出范围",
    "greater_than": "超出范围",
    "greater_than_equal": "超出范围",
    "finite_number": "不是有限的数",
    "timezone_aware": "时间缺少时区",
    "missing": "缺少",
    "extra_forbidden": "多余的字段",
    "json_invalid": "不是有效的 JSON",
    "string_unicode": "不是有效的文字",
}


@dataclass
class _Checked:
    pushed: protocol.FramedEvent
    event: protocol.Event
    raw: bytes
    #: Where it was in its batch: with the batch's ``received_at``, the order a workstation's events are read back in
    #: (server/services/records.py), which is the order its outbox queued them.
    position: int


def _status_after(decision: protocol.DecisionData) -> ServerStatus:
    """The back office's status after a counter decision.  容缺受理 and 先行救助 are accepted cases (received; the
    ``counter_state`` column says which, and the operator's counts show them); an inquiry answered on the spot is
    completed at once."""
    if decision.answered:
        return ServerStatus.COMPLETED
    return {
        "accept": ServerStatus.RECEIVED,
        "tolerated": ServerStatus.RECEIVED,
        "first_aid": ServerStatus.RECEIVED,
        "supplement": ServerStatus.WAITING,
        "refuse": ServerStatus.NOT_ACCEPTED,
    }[decision.decision]


def _counter_state(decision: protocol.DecisionData) -> str:
    """What the counter decided, as the city's view keeps it: the decision, or ``answered`` for an inquiry."""
    return "answered" if decision.answered else decision.decision


def push(session: Session, device: Device, events: Sequence[protocol.FramedEvent]) -> list[protocol.EventResult]:
    """Store a batch of events: one answer per event, in the order sent.  The same batch twice stores nothing
    twice: the events table's primary key and ``ON CONFLICT DO NOTHING`` decide, even between two processes.

    Each event's bytes are the ones its SHA-256 is checked over, parsed once, and stored as they are, whichever
    framing brought them (server/api/sync.py; docs/sync-protocol.md "Push framing, version 2")."""
    now = utcnow()
    results: dict[uuid.UUID, protocol.EventResult] = {}
    order = [p.event_id for p in events]

    def reject(event_id: uuid.UUID, reason: str, outcome: Outcome = Outcome.REJECTED) -> None:
        results[event_id] = _answer(event_id, outcome, reason)

    checked: list[_Checked] = []
    heads: list[tuple[uuid.UUID, protocol.AuditHead]] = []
    seen: set[uuid.UUID] = set()
    refused_apps: set[uuid.UUID] = set()  # applications with a refused event in this batch: the rest is held
    for position, pushed in enumerate(events):
        if pushed.event_id in seen:
            continue  # the same event twice in one batch: one answer (given below, from the first)
        seen.add(pushed.event_id)
        raw = pushed.payload
        # Damaged bytes are named as such first; an event that is not well-formed is refused by the protocol's
        # own checks (the shared limits among them).  Either way its application's later events are held.
        damaged = protocol.digest(raw) != pushed.sha256
        try:
            event = protocol.parse(raw)
        except ValidationError as exc:
            app_id = _application_of(raw)
            if app_id is not None and app_id in refused_apps:
                reject(pushed.event_id, HELD_REASON, Outcome.HELD)
                continue
            if damaged:
                reject(pushed.event_id, DAMAGED_REASON)
            else:
                reject(pushed.event_id, f"事件格式无效：{exc.error_count()} 处错误，首处在 {_loc(exc)}")
            if app_id is not None and app_id != protocol.NO_APPLICATION:
                refused_apps.add(app_id)
            continue
        is_head = isinstance(event.body, protocol.AuditHead)
        if event.application_id in refused_apps and not is_head:
            reject(pushed.event_id, HELD_REASON, Outcome.HELD)
            continue
        problem = None
        if damaged:
            problem = DAMAGED_REASON
        elif event.event_id != pushed.event_id:
            problem = "事件编号与内容不符"
        elif event.center_code != device.center_code or event.workstation_code != device.workstation_code:
            problem = "事件不属于本中心和工位，不予接收"
        elif isinstance(event.body, protocol.ApplicationTaken) and not _numbered_here(event.body.acceptance_no, device):
            problem = (
                f"办件编号须以本中心和本工位的代码开头（{device.center_code}-{device.workstation_code}-年月日-序号），"
                "不予接收"
            )
        if problem is not None:
            reject(pushed.event_id, problem)
            # A head, a day close or a handover names no application: its refusal holds nothing else of the batch
            # (the workstation's outbox holds none of them behind another either).
            if event.application_id != protocol.NO_APPLICATION:
                refused_apps.add(event.application_id)
        elif isinstance(event.body, protocol.AuditHead):
            heads.append((pushed.event_id, event.body))
        else:
            checked.append(_Checked(pushed, event, raw, position))

    # The whole batch at once; should the store refuse a value after all (the shared limits make it a safety net),
    # again one event at a time, so that only the events it cannot hold are refused.
    if checked:
        try:
            with session.begin_nested():
                stored = _store(session, device, checked, set(refused_apps), now)
        except Exception as exc:
            if not _unstorable(exc, session):
                raise
            log.warning("a batch held a value the store refused (%s): storing it event by event", type(exc).__name__)
            stored = _store_one_by_one(session, device, checked, refused_apps, now)
        results.update(stored)
    for event_id, head in heads:  # after the events: a head refused holds nothing of the batch
        results[event_id] = audit_heads.receive(session, device, event_id, head, now)
    if device.last_seen_at is None or now - device.last_seen_at > dt.timedelta(minutes=1):
        device.last_seen_at = now
    return [results[event_id] for event_id in dict.fromkeys(order)]


def _application_of(raw: bytes) -> uuid.UUID | None:
    """The application an event that is not well-formed names, if it names one (so its later events are held)."""
    try:
        data = json.loads(raw)
        return uuid.UUID(str(data["application_id"])) if isinstance(data, dict) else None
    except (ValueError, KeyError, TypeError, RecursionError):
        return None


def _numbered_here(acceptance_no: str, device: Device) -> bool:
    """Whether a new application's 受理编号 is this workstation's: ``{center}-{workstation}-{YYYYMMDD}-{NNNN}``
    with exactly the device's codes in front (docs/numbering.md) — not merely containing them."""
    prefix = f"{device.center_code}-{device.workstation_code}-"
    return acceptance_no.startswith(prefix) and _NUMBER_TAIL.fullmatch(acceptance_no[len(prefix) :]) is not None


_NUMBER_TAIL = re.compile(r"[0-9]{8}-[A-HJ-NP-Z]?[0-9]{4,}")  # a series letter after a restore (docs/numbering.md)


def _unstorable(exc: BaseException, session: Session) -> bool:
    """Whether the store refused a value (too long, NUL, out of range) rather than failed (connection, lock, bug)."""
    dbapi = session.get_bind().dialect.dbapi
    if isinstance(exc, sa_exc.DBAPIError):
        return isinstance(exc, sa_exc.DataError)
    if isinstance(exc, sa_exc.StatementError):  # a value the column type could not convert
        return isinstance(exc.orig, ValueError | OverflowError)
    data_error = getattr(dbapi, "DataError", None)
    return data_error is not None and isinstance(exc, data_error)  # psycopg directly (insert_rows)


def _store_one_by_one(
    session: Session, device: Device, checked: list[_Checked], refused_apps: set[uuid.UUID], now: dt.datetime
) -> dict[uuid.UUID, protocol.EventResult]:
    results: dict[uuid.UUID, protocol.EventResult] = {}
    for c in checked:
        event_id, app_id = c.event.event_id, c.event.application_id
        if app_id in refused_apps:
            results[event_id] = _answer(event_id, Outcome.HELD, HELD_REASON)
            continue
        try:
            with session.begin_nested():
                results.update(_store(session, device, [c], refused_apps, now))
        except Exception as exc:
            if not _unstorable(exc, session):
                raise
            if app_id != protocol.NO_APPLICATION:
                refused_apps.add(app_id)
            results[event_id] = _answer(event_id, Outcome.REJECTED, UNSTORABLE_REASON)
    return results


def _answer(event_id: uuid.UUID, outcome: Outcome, reason: str | None = None) -> protocol.EventResult:
    return protocol.EventResult.model_construct(event_id=event_id, outcome=outcome, reason=reason)


def _store(
    session: Session, device: Device, checked: list[_Checked], refused_apps: set[uuid.UUID], now: dt.datetime
) -> dict[uuid.UUID, protocol.EventResult]:
    """Insert, answer duplicates and conflicts, check against the city's view, apply: the answers of ``checked``.
    ``refused_apps`` gains the applications refused here."""
    results: dict[uuid.UUID, protocol.EventResult] = {}

    def reject(event_id: uuid.UUID, reason: str, outcome: Outcome = Outcome.REJECTED) -> None:
        results[event_id] = _answer(event_id, outcome, reason)

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
                "position": c.position,
            }
            for c in checked
        ]
        inserted = set(insert_rows(session, StoredEvent.__table__, rows, returning="event_id"))
    old = [c for c in checked if c.event.event_id not in inserted]
    if old:
        # On PostgreSQL, from the dedup gate of the events by month (server/services/partitions.py).
        known = partitions.known_digests(session, [c.event.event_id for c in old])
        for c in old:
            same = hmac.compare_digest(known.get(c.event.event_id, ""), c.pushed.sha256)
            if not same and c.event.application_id != protocol.NO_APPLICATION:
                refused_apps.add(c.event.application_id)
            results[c.event.event_id] = (
                _answer(c.event.event_id, Outcome.DUPLICATE)
                if same
                else _answer(c.event.event_id, Outcome.CONFLICT, "同一事件编号已收到不同内容，未覆盖")
            )
    fresh = [c for c in checked if c.event.event_id in inserted]
    accepted = _check_projections(session, device, fresh, reject, refused_apps)
    kept = {c.event.event_id for c in accepted}
    taken_back = [c.event.event_id for c in fresh if c.event.event_id not in kept]
    if taken_back:
        session.execute(delete(StoredEvent).where(StoredEvent.event_id.in_(taken_back)))
    lost = _project(session, accepted, now)
    if lost:
        # Lost a race on the 受理编号 with another process: refuse, never store an event without its application.
        refused = [c for c in accepted if c.event.application_id in lost]
        for c in refused:
            if isinstance(c.event.body, protocol.ApplicationTaken):
                reject(c.event.event_id, f"办件编号 {c.event.body.acceptance_no} 已被另一申请使用")
            else:
                reject(c.event.event_id, HELD_REASON, Outcome.HELD)
        session.execute(delete(StoredEvent).where(StoredEvent.event_id.in_([c.event.event_id for c in refused])))
        accepted = [c for c in accepted if c.event.application_id not in lost]
    for c in accepted:
        results[c.event.event_id] = _answer(c.event.event_id, Outcome.STORED)
    return results


_PLAIN_KEY = re.compile(r"[A-Za-z0-9_.-]{1,40}")


def _loc(exc: ValidationError) -> str:
    """Where the first problem is and what it is (``body.item.name（过长，界限 200）``), never the value."""
    first = exc.errors(include_url=False, include_input=False)[0]
    # A key of the sender's own (a form value's) is shown only when it is a plain short key.
    parts = [str(part) if _PLAIN_KEY.fullmatch(str(part)) else "?" for part in first.get("loc", ())]
    where = ".".join(parts) or "（根）"
    problem = _PROBLEMS.get(first["type"])
    if problem is None:
        return where
    ctx = first.get("ctx") or {}
    bound = next((ctx[k] for k in ("max_length", "le", "lt", "ge", "gt") if k in ctx), None)
    return f"{where}（{problem}，界限 {bound}）" if bound is not None else f"{where}（{problem}）"


def _check_projections(
    session: Session, device: Device, fresh: list[_Checked], reject: Any, refused_apps: set[uuid.UUID]
) -> list[_Checked]:
    """Refuse, before anything is stored, events the city's view cannot take (in batch order)."""
    if not fresh:
        return []

    def held(event_id: uuid.UUID) -> None:
        reject(event_id, HELD_REASON, Outcome.HELD)

    app_ids = {c.event.application_id for c in fresh}
    # Numbers are looked up only for new applications, whose numbers are this workstation's own (checked above).
    numbers = {c.event.body.acceptance_no for c in fresh if isinstance(c.event.body, protocol.ApplicationTaken)}
    existing = {row[0]: row for row in _known_applications(session, app_ids, numbers)}
    by_number = {row[3]: row[0] for row in existing.values()}
    shas = {c.event.body.sha256 for c in fresh if isinstance(c.event.body, protocol.DocumentIssued)}
    # A blob the retention dropped is not on the server: its event waits until the workstation sends the PDF again.
    held_blobs = select(Blob.sha256).where(Blob.sha256.in_(shas), Blob.dropped_at.is_(None))
    blobs = set(session.scalars(held_blobs)) if shas else set()
    # A material's file is named only once the server holds it whole for that case, of this center.
    files = attachments.held_files(
        session, device.center_code, [c.event for c in fresh if isinstance(c.event.body, protocol.AttachmentAdded)]
    )
    taken_here: dict[uuid.UUID, str] = {}
    numbers_here: dict[str, uuid.UUID] = {}
    known = supervisor.Known.load(session, device, [c.event.body for c in fresh])
    accepted: list[_Checked] = []
    for c in fresh:
        body = c.event.body
        assert not isinstance(body, protocol.AuditHead)  # heads never reach the events (push)
        app_id = c.event.application_id
        if app_id in refused_apps:
            held(c.event.event_id)
            continue
        if isinstance(body, (protocol.DayClosed, protocol.HandoverRecorded)):
            # The workstation's own (its codes were checked above); what it names must be the workstation's too.
            problem = supervisor.check_workstation_event(body, device, known, numbers_here)
            if problem is not None:
                reject(c.event.event_id, problem)
            else:
                known.claim(body)
                accepted.append(c)
            continue
        refused_apps.add(app_id)  # removed again below when the event passes
        row = existing.get(app_id)
        if isinstance(body, protocol.ApplicationTaken):
            owner = by_number.get(body.acceptance_no) or numbers_here.get(body.acceptance_no)
            if owner is not None and owner != app_id:
                reject(c.event.event_id, f"办件编号 {body.acceptance_no} 已被另一申请使用")
                continue
            # The same answer whoever holds the id: an application's UUID is made at random on its workstation,
            # so only one who already knows it can name it.
            if row is not None or app_id in taken_here:
                reject(c.event.event_id, "该申请已有受理事件")
                continue
            taken_here[app_id] = body.acceptance_no
            numbers_here[body.acceptance_no] = app_id
        else:
            # Only the workstation that took an application changes it; any other one hears what it would hear
            # of an application the server has never seen.
            taken_by_device = row is not None and (row[1], row[2]) == (device.center_code, device.workstation_code)
            known_no = row[3] if taken_by_device and row is not None else taken_here.get(app_id)
            if known_no is None:
                reject(c.event.event_id, NOT_TAKEN_HERE)
                continue
            if known_no != body.acceptance_no:
                reject(c.event.event_id, "事件的办件编号与该申请不符")
                continue
            if isinstance(body, protocol.DocumentIssued) and body.sha256 not in blobs:
                reject(c.event.event_id, "文书文件未上传（须先上传文书 PDF）")
                continue
            if isinstance(body, protocol.AttachmentAdded) and (app_id, body.sha256) not in files:
                reject(c.event.event_id, attachments.NOT_UPLOADED)
                continue
            if isinstance(body, (protocol.RatingRecorded, protocol.RatingFollowedUp)):
                problem = supervisor.check_rating_event(body, app_id, known)
                if problem is not None:
                    reject(c.event.event_id, problem)
                    continue
                known.claim(body, app_id)
        refused_apps.discard(app_id)
        accepted.append(c)
    return accepted


_MOVABLE = (ServerStatus.WAITING.value, ServerStatus.RETURNED.value)


def _known_applications(
    session: Session, app_ids: set[uuid.UUID], numbers: set[str]
) -> list[tuple[uuid.UUID, str, str, str]]:
    """(id, center, workstation, 受理编号) of the applications with one of these ids or numbers: two indexed
    lookups (an OR of two IN lists would scan the table); on PostgreSQL with array parameters, one round trip."""
    if session.get_bind().dialect.name == "postgresql":
        driver = session.connection().connection.driver_connection
        with driver.cursor(binary=True) as cursor:  # type: ignore[union-attr]
            # Never prepared: a generic plan cannot hash the arrays, and on a table without statistics yet (a new
            # server, or after TRUNCATE) it scanned the table comparing every row with all 500 ids and numbers —
            # 100 ms a batch at 10,000 applications (docs/performance.md "A push close to COPY").
            cursor.execute(
                "SELECT id, center_code, workstation_code, acceptance_no FROM applications "
                "WHERE id = ANY(%b::uuid[]) UNION "
                "SELECT id, center_code, workstation_code, acceptance_no FROM applications "
                "WHERE acceptance_no = ANY(%b::text[])",
                [list(app_ids), list(numbers)],
                prepare=False,
            )
            return [(row[0], row[1], row[2], row[3]) for row in cursor.fetchall()]
    columns = (
        ServerApplication.id,
        ServerApplication.center_code,
        ServerApplication.workstation_code,
        ServerApplication.acceptance_no,
    )
    found: dict[uuid.UUID, tuple[uuid.UUID, str, str, str]] = {}
    for query in (
        select(*columns).where(ServerApplication.id.in_(app_ids)),
        select(*columns).where(ServerApplication.acceptance_no.in_(numbers)),
    ):
        for row in session.execute(query):
            found[row[0]] = (row[0], row[1], row[2], row[3])
    return list(found.values())


def _project(session: Session, events: Sequence[_Checked], now: dt.datetime) -> set[uuid.UUID]:
    """Apply newly stored events to the city's view (only the process that inserted an event applies it, so each
    is applied exactly once).  Two statements per batch: the batch's new applications in one insert, then every
    later event's update in one executemany, in batch order (an application's 受理 event always precedes its
    others, so creating all of them first changes nothing).

    The supervisor's projections (ratings and their follow-ups, 更正/作废, day closes, handovers) follow, written by
    :func:`server.services.supervisor.project`.

    Returns the new applications whose row could not be inserted: another process committed one with the same
    受理编号 (or id) after this batch was checked.  Their events must not be stored (the caller refuses them)."""
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
                    "counter_state": _counter_state(body.decision),
                    "counter_at": body.decision.decided_at,
                    "status": _status_after(body.decision).value,
                    "status_at": body.decision.decided_at,
                    "status_note": "",
                    "status_by": "",
                    "clerk_username": body.decision.clerk_username,
                    "called_at": body.called_at,
                    "first_decision": body.decision.decision,
                    "first_decided_at": body.decision.decided_at,
                    "promised_date": body.decision.promised_date,
                    "return_visits": "",
                    "last_return_at": None,
                }
            )
        elif isinstance(body, protocol.MaterialsSupplemented):
            # The counter's return visit moves the status only while the back office waits for materials.
            changes.append(
                {
                    "b_id": c.event.application_id,
                    "b_counter_state": _counter_state(body.decision),
                    "b_at": body.decision.decided_at,
                    "b_status": _status_after(body.decision).value,
                    "b_force": False,
                    "b_visit": f"{body.decision.decision}@{body.decision.decided_at.isoformat()},",
                    "b_promised": body.decision.promised_date,
                    "b_return": body.decision.decided_at,
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
                    "b_visit": "",
                    "b_promised": None,
                    "b_return": None,
                }
            )
    lost: set[uuid.UUID] = set()
    if new_apps:
        created = set(insert_rows(session, ServerApplication.__table__, new_apps, returning="id"))
        lost = {row["id"] for row in new_apps} - created
        changes = [change for change in changes if change["b_id"] not in lost]
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
                return_visits=table.c.return_visits + bindparam("b_visit", type_=Text),
                promised_date=func.coalesce(bindparam("b_promised", type_=Date), table.c.promised_date),
                last_return_at=func.coalesce(bindparam("b_return", type_=UTCDateTime), table.c.last_return_at),
            )
        )
        session.connection().execute(stmt, changes)
    supervisor.project(session, [c.event for c in events if c.event.application_id not in lost], now)
    return lost
