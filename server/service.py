"""What the server does, as plain functions over a SQLAlchemy session: enrollment, push, pull, the back office,
the citizen progress lookup and the operator's administration.  The routers (server/api) only translate HTTP.

Races between server processes are settled by the database: unique constraints with ``ON CONFLICT DO NOTHING``
and compare-and-set updates, never read-then-write (docs/sync-protocol.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import Boolean, Uuid, bindparam, case, delete, literal, or_, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.sync import protocol
from app.sync.protocol import Outcome, ServerStatus
from server.store.models import (
    Account,
    Blob,
    CatalogVersionRow,
    Device,
    EnrollmentCode,
    FeedEntryRow,
    Operator,
    ServerApplication,
    StoredEvent,
    UTCDateTime,
    utcnow,
)

FEED_COUNTER = "feed"
#: Reads a feed entry's stored body back (built once: a TypeAdapter compiles its validator).
_CHANGE: TypeAdapter[protocol.Change] = TypeAdapter(protocol.Change)
HELD_REASON = "同一申请的前一事件被拒收，本事件暂缓"


class ServiceError(Exception):
    """An expected refusal: an HTTP status, a stable code and one Chinese sentence that says what to do."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def token_hash(token: str) -> str:
    """Credentials are 256-bit random strings: an unsalted SHA-256 is enough to make a stolen table useless."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _insert(session: Session, table: Any) -> Any:
    """INSERT for the session's dialect, with ON CONFLICT DO NOTHING available (PostgreSQL and SQLite)."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


_PG_TYPES = {
    "Uuid": "uuid",
    "String": "text",
    "Text": "text",
    "Integer": "integer",
    "BigInteger": "bigint",
    "LargeBinary": "bytea",
    "Boolean": "boolean",
    "UTCDateTime": "timestamptz",
}


def _insert_rows(session: Session, table: Any, rows: list[dict[str, Any]], returning: str | None = None) -> list[Any]:
    """``INSERT … ON CONFLICT DO NOTHING [RETURNING]`` of many rows.  On PostgreSQL one statement whatever the
    number of rows, the columns passed as arrays (``INSERT … SELECT * FROM unnest(…)``): psycopg neither builds
    nor parses a statement with thousands of placeholders (docs/performance.md).  Elsewhere SQLAlchemy's
    executemany."""
    if not rows:
        return []
    if session.get_bind().dialect.name != "postgresql":
        stmt = _insert(session, table).on_conflict_do_nothing()
        if returning is None:
            session.execute(stmt, rows)
            return []
        return list(session.execute(stmt.returning(table.c[returning]), rows).scalars())
    columns = list(rows[0])
    arrays = ", ".join(f"%b::{_PG_TYPES[type(table.c[name].type).__name__]}[]" for name in columns)
    sql = f"INSERT INTO {table.name} ({', '.join(columns)}) SELECT * FROM unnest({arrays}) ON CONFLICT DO NOTHING"
    if returning is not None:
        sql += f" RETURNING {returning}"
    params = [[row[name] for row in rows] for name in columns]
    # psycopg directly, parameters in binary (%b): its text dumper escapes every bytea array element with regular
    # expressions.
    driver = session.connection().connection.driver_connection
    with driver.cursor(binary=True) as cursor:  # type: ignore[union-attr]
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()] if returning is not None else []


def _next_seq(session: Session) -> int:
    """The next feed number.  The counter row stays locked until this transaction commits, so feed entries
    become visible strictly in seq order: a pull cursor never skips an entry committed out of order."""
    value = session.execute(
        text("UPDATE counters SET value = value + 1 WHERE name = :name RETURNING value"), {"name": FEED_COUNTER}
    ).scalar_one()
    return int(value)


def _feed(
    session: Session,
    center_code: str | None,
    change: protocol.StatusChange | protocol.AccountChange | protocol.CatalogChange,
    now: dt.datetime,
) -> int:
    seq = _next_seq(session)
    session.add(
        FeedEntryRow(seq=seq, center_code=center_code, kind=change.kind, body=change.model_dump_json(), created_at=now)
    )
    session.flush()
    return seq


# ---------------------------------------------------------------------------------------------------- enrollment


def create_enrollment_code(
    session: Session, *, center_code: str, workstation_code: str, hours: int, now: dt.datetime | None = None
) -> str:
    now = now or utcnow()
    # 16 characters of an alphabet without look-alikes (no 0/O, 1/I/L), in groups of four for reading aloud.
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(16))
    code = "-".join(raw[i : i + 4] for i in range(0, 16, 4))
    session.add(
        EnrollmentCode(
            code_hash=token_hash(normalize_code(code)),
            center_code=center_code,
            workstation_code=workstation_code,
            created_at=now,
            expires_at=now + dt.timedelta(hours=hours),
        )
    )
    session.flush()
    return code


def normalize_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def enroll(
    session: Session, request: protocol.EnrollRequest, now: dt.datetime | None = None
) -> protocol.EnrollResponse:
    """Claim a one-time code (a compare-and-set: two claims of one code cannot both win) and issue a credential."""
    now = now or utcnow()
    device_id = uuid.uuid4()
    claimed = session.execute(
        update(EnrollmentCode)
        .where(
            EnrollmentCode.code_hash == token_hash(normalize_code(request.code)),
            EnrollmentCode.center_code == request.center_code,
            EnrollmentCode.workstation_code == request.workstation_code,
            EnrollmentCode.used_at.is_(None),
            EnrollmentCode.expires_at > now,
        )
        .values(used_at=now, device_id=device_id)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise ServiceError(
            403,
            "enrollment_refused",
            "注册码无效、已使用、已过期，或不属于本中心和工位。请向信息员申请新的注册码。",
        )
    # A workstation enrolled again (a reinstalled machine, a lost keyring) replaces its earlier credential.
    session.execute(
        update(Device)
        .where(
            Device.center_code == request.center_code,
            Device.workstation_code == request.workstation_code,
            Device.revoked_at.is_(None),
        )
        .values(revoked_at=now, revoked_reason="replaced by a new enrollment")
    )
    token = "ymd_" + secrets.token_urlsafe(32)
    session.add(
        Device(
            id=device_id,
            token_hash=token_hash(token),
            center_code=request.center_code,
            workstation_code=request.workstation_code,
            hostname=request.hostname,
            enrolled_at=now,
        )
    )
    session.flush()
    return protocol.EnrollResponse(
        device_id=device_id, token=token, center_code=request.center_code, workstation_code=request.workstation_code
    )


def authenticate_device(session: Session, token: str | None) -> Device:
    if not token:
        raise ServiceError(401, "unauthenticated", "缺少工位凭证。请先注册本工位（yimen enroll）。")
    device = session.scalar(select(Device).where(Device.token_hash == token_hash(token)))
    if device is None:
        raise ServiceError(401, "unauthenticated", "工位凭证无效。请信息员重新注册本工位（yimen enroll）。")
    if device.revoked_at is not None:
        raise ServiceError(
            403, "device_revoked", "本工位的凭证已被中心服务器吊销，无法同步。请联系信息员重新注册本工位。"
        )
    return device


def authenticate_operator(session: Session, token: str | None) -> Operator:
    operator = session.scalar(select(Operator).where(Operator.token_hash == token_hash(token or "")))
    if not token or operator is None or operator.revoked_at is not None:
        raise ServiceError(401, "unauthenticated", "后台凭证无效或已吊销。请向系统管理员申请。")
    return operator


def revoke_device(session: Session, *, center_code: str, workstation_code: str, reason: str) -> int:
    result = session.execute(
        update(Device)
        .where(
            Device.center_code == center_code,
            Device.workstation_code == workstation_code,
            Device.revoked_at.is_(None),
        )
        .values(revoked_at=utcnow(), revoked_reason=reason[:200])
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def create_operator(session: Session, *, name: str, centers: Sequence[str]) -> str:
    token = "ymo_" + secrets.token_urlsafe(32)
    session.add(
        Operator(
            id=uuid.uuid4(),
            name=name,
            token_hash=token_hash(token),
            centers=",".join(centers) if centers else "*",
            created_at=utcnow(),
        )
    )
    session.flush()
    return token


# ---------------------------------------------------------------------------------------------------- push


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
        inserted = set(_insert_rows(session, StoredEvent.__table__, rows, returning="event_id"))
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
        _insert_rows(session, ServerApplication.__table__, new_apps)
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


def store_blob(session: Session, device: Device, sha256: str, data: bytes) -> bool:
    """Keep an issued document's bytes, content-addressed; True when new."""
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ServiceError(422, "digest_mismatch", "文书内容与其 SHA-256 不符（传输中损坏），请重试。")
    stmt = (
        _insert(session, Blob.__table__)
        .values(sha256=sha256, size=len(data), center_code=device.center_code, received_at=utcnow(), data=data)
        .on_conflict_do_nothing()
        .returning(Blob.sha256)
    )
    return session.execute(stmt).first() is not None


# ---------------------------------------------------------------------------------------------------- pull


def pull(session: Session, device: Device, cursor: int, limit: int) -> protocol.PullResponse:
    rows = session.execute(
        select(FeedEntryRow.seq, FeedEntryRow.body)
        .where(
            FeedEntryRow.seq > cursor,
            (FeedEntryRow.center_code == device.center_code) | FeedEntryRow.center_code.is_(None),
        )
        .order_by(FeedEntryRow.seq)
        .limit(limit + 1)
    ).all()
    more = len(rows) > limit
    rows = rows[:limit]
    entries = [protocol.FeedEntry(seq=seq, change=_CHANGE.validate_json(body)) for seq, body in rows]
    return protocol.PullResponse(entries=entries, cursor=entries[-1].seq if entries else cursor, more=more)


# ---------------------------------------------------------------------------------------------------- back office


def transition(
    session: Session, *, acceptance_no: str, to: ServerStatus, note: str, by: str, centers: str = "*"
) -> protocol.TransitionResponse:
    """Move an application along the transition table (a compare-and-set on its current status)."""
    app = session.scalar(select(ServerApplication).where(ServerApplication.acceptance_no == acceptance_no))
    if app is None or (centers != "*" and app.center_code not in centers.split(",")):
        raise ServiceError(404, "not_found", f"没有受理编号为 {acceptance_no} 的申请。")
    current = ServerStatus(app.status)
    if to not in protocol.TRANSITIONS.get(current, frozenset()):
        raise ServiceError(
            409,
            "illegal_transition",
            f"申请当前为“{protocol.STATUS_LABELS[current]}”，不能改为“{protocol.STATUS_LABELS[to]}”。",
        )
    now = utcnow()
    changed = session.execute(
        update(ServerApplication)
        .where(ServerApplication.id == app.id, ServerApplication.status == current.value)
        .values(status=to.value, status_at=now, status_note=note, status_by=by)
    )
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        raise ServiceError(409, "concurrent_change", "该申请的状态刚被他人修改，请刷新后重试。")
    change = protocol.StatusChange(
        application_id=app.id, acceptance_no=app.acceptance_no, status=to, note=note, changed_at=now
    )
    _feed(session, app.center_code, change, now)
    return protocol.TransitionResponse(acceptance_no=acceptance_no, status=to, changed_at=now)


def set_account(session: Session, *, center_code: str, username: str, active: bool) -> int:
    now = utcnow()
    session.merge(Account(center_code=center_code, username=username, active=active, changed_at=now))
    return _feed(session, center_code, protocol.AccountChange(username=username, active=active, changed_at=now), now)


def publish_catalog(session: Session, canonical: str) -> int | None:
    """Publish one catalog item version (its canonical JSON); None when that exact version was already there."""
    from app.catalog.schema import ServiceItem

    item = ServiceItem.from_canonical_json(canonical)
    if item.canonical_json() != canonical:
        raise ServiceError(422, "not_canonical", "事项文件不是规范 JSON（请用 yimen catalog export 生成）。")
    sha = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    now = utcnow()
    stmt = (
        _insert(session, CatalogVersionRow.__table__)
        .values(sha256=sha, item_code=item.code, version=item.version, canonical_json=canonical, published_at=now)
        .on_conflict_do_nothing()
        .returning(CatalogVersionRow.sha256)
    )
    if session.execute(stmt).first() is None:
        existing = session.scalar(select(CatalogVersionRow.sha256).where(CatalogVersionRow.sha256 == sha))
        if existing is None:
            raise ServiceError(409, "version_taken", f"事项 {item.code} 的第 {item.version} 版已发布为不同内容。")
        return None
    change = protocol.CatalogChange(
        item_code=item.code, version=item.version, sha256=sha, canonical_json=canonical, changed_at=now
    )
    return _feed(session, None, change, now)


# ---------------------------------------------------------------------------------------------------- progress


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


def counts(session: Session) -> dict[str, Any]:
    """Operator's overview (``yimen-server admin stats``)."""
    from sqlalchemy import func

    return {
        "events": session.scalar(select(func.count()).select_from(StoredEvent)),
        "applications": session.scalar(select(func.count()).select_from(ServerApplication)),
        "devices": session.scalar(select(func.count()).select_from(Device).where(Device.revoked_at.is_(None))),
        "blobs": session.scalar(select(func.count()).select_from(Blob)),
    }
