"""A workstation database with N applications, built with bulk SQL and cached under bench-data/.

Saving a million applications through the service would take hours, so the schema, the workstation, the catalog
and the clerks come from the real code (:func:`app.bootstrap.open_services`, :func:`create_user`) and the
applications are written with ``executemany``: the same tables and columns as :mod:`db.models`, values stored the
way SQLAlchemy stores them on SQLite (``sqlalchemy.Uuid`` as 32 hex digits without dashes, ``DateTime`` as
``YYYY-MM-DD HH:MM:SS.ffffff`` in UTC, ``Date`` as ISO, ``JSON`` as ``json.dumps`` text, booleans as 0/1), a valid
audit hash chain, and outbox payloads shaped like ``app.sync.protocol`` events with their SHA-256.

Each application has an applicant (about half of them returning people, so an ID number has a history), sometimes
an agent, the item's material lines, one or two decisions (补正 cases completed later have two), one audit event
and one outbox entry per decision.  Numbers follow docs/numbering.md; the counters are set to match.

The store is encrypted (SQLCipher, db/engine.py) under the key of the bench workstation's own machine vault
(``<workstation>/vault``, bench/common.py): the rows are written through ``db.engine.raw_connect`` with that key,
so ``open_services`` opens the result like any workstation's store.  A *plain twin* (the same rows in a plain
SQLite file, ``<workstation>/plain/yimen.sqlite3``, made by ``sqlcipher_export``) is kept beside it for the plain
``sqlite3`` baselines of the save and history benchmarks.  The generated audit events are plain SHA-256 links, as
events written before the chain was keyed (app/security/audit.py); the benchmarks do not verify the chain.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bench.common import BENCH_DATA, VAULT_DIR_NAME, deployment_file, machine_vault, raw_sqlite

GENERATOR_VERSION = 2  # bump when the generated rows change, so cached databases are rebuilt (2: encrypted + twin)
PLAIN_DIR_NAME = "plain"
SHANGHAI = ZoneInfo("Asia/Shanghai")
PER_DAY = 400  # applications per day in the generated history
CHUNK = 20_000  # applications per executemany batch
AUDIT_GENESIS = "0" * 64
QUERY_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

COLUMNS: dict[str, tuple[str, ...]] = {
    "persons": (
        "id",
        "id_number",
        "id_kind",
        "name",
        "name_key",
        "sex",
        "birth_date",
        "phone",
        "created_at",
        "updated_at",
    ),
    "applications": (
        "id",
        "acceptance_no",
        "query_code",
        "item_code",
        "catalog_version_id",
        "center_id",
        "workstation_id",
        "clerk_id",
        "state",
        "decision",
        "queue_ticket",
        "called_at",
        "received_at",
        "decided_at",
        "accepted_at",
        "promised_days",
        "promised_date",
        "promised_estimated",
        "form_values",
        "refusal_reason",
        "notice_no",
        "void_reason",
        "sync_state",
        "sync_error",
        "created_at",
        "updated_at",
        "due_date",
        "due_estimated",
    ),
    "application_parties": ("id", "application_id", "person_id", "role", "position", "name", "values"),
    "application_materials": (
        "id",
        "application_id",
        "party_id",
        "position",
        "material_key",
        "name",
        "form",
        "count",
        "required",
        "status",
        "note",
        "received_at",
    ),
    "decisions": ("id", "application_id", "decision", "decided_at", "clerk_id", "notice_no", "reason", "missing"),
    "audit_events": (
        "seq",
        "at",
        "user_id",
        "workstation_code",
        "action",
        "entity_type",
        "entity_id",
        "details",
        "prev_hash",
        "hash",
    ),
    "outbox": (
        "id",
        "seq",
        "application_id",
        "event_type",
        "schema_version",
        "payload",
        "sha256",
        "created_at",
        "state",
        "attempts",
        "last_error",
        "sent_at",
    ),
}
TABLES = (
    "persons",
    "applications",
    "application_parties",
    "application_materials",
    "decisions",
    "audit_events",
    "outbox",
)


def _insert_sql(table: str, cols: tuple[str, ...]) -> str:
    names = ", ".join(f'"{c}"' for c in cols)  # "values" and "count" are column names
    return f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(cols))})"


INSERT = {t: _insert_sql(t, cols) for t, cols in COLUMNS.items()}


def _id_positions(table: str, columns: tuple[str, ...]) -> frozenset[int]:
    from db.models import Base
    from db.types import UUIDBytes

    declared = Base.metadata.tables[table].c
    return frozenset(i for i, name in enumerate(columns) if isinstance(declared[name].type, UUIDBytes))


def stored(table: str, rows: list[tuple[Any, ...]], columns: tuple[str, ...] | None = None) -> list[tuple[Any, ...]]:
    """``rows`` of ``table`` with their ids (32 hex digits here) as the store keeps them: 16 bytes
    (db.types.UUIDBytes)."""
    ids = _id_positions(table, columns or COLUMNS[table])
    return [
        tuple(bytes.fromhex(v) if i in ids and isinstance(v, str) else v for i, v in enumerate(row)) for row in rows
    ]


SURNAMES = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "欧阳", "司马"]
GIVEN = [
    "丽",
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "强",
    "磊",
    "军",
    "洋",
    "𠮷",
    "𠮷祥",
    "小红",
    "建国",
    "秀英",
    "桂英",
    "志明",
]
MINORITY = ["阿依古丽·买买提", "买买提·艾力", "热依拉·阿不都", "古丽娜·吐尔逊"]
REGIONS = ["310104", "310101", "310105", "310106", "310107", "310109", "310110", "310112", "310113", "310115"]
CLERKS = [
    ("wangli", "王丽", "0301"),
    ("zhangmin", "张敏", "0101"),
    ("lihua", "李华", "0302"),
    ("chenjing", "陈静", "0303"),
]
CLERK_PASSWORD = "bench-pass-1234"
REFUSALS = ["申请人户籍不在本街道，不属于本中心受理范围。", "同一事由已于本年度获得救助，不符合申请条件。"]


_bits = random.Random().getrandbits  # seeded from the OS: ids must never repeat across runs


def last_audit_event(conn: Any) -> tuple[int, str]:
    """The chain's last position and its hash as hex (stored as bytes, db.types.HexDigest)."""
    seq, mac = conn.execute("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1").fetchone()
    return int(seq), mac.hex() if isinstance(mac, bytes) else str(mac)


def hex_id() -> str:
    """A random UUID as sqlalchemy.Uuid stores it on SQLite (32 hex digits); version-4 bits, as uuid.uuid4()."""
    value = (_bits(128) & ~(0xF000 << 64) | (0x4000 << 64)) & ~(0xC000 << 48) | (0x8000 << 48)
    return f"{value:032x}"


def dashed(hex32: str) -> str:
    return f"{hex32[:8]}-{hex32[8:12]}-{hex32[12:16]}-{hex32[16:20]}-{hex32[20:]}"


def db_time(moment: dt.datetime) -> str:
    """How sqlalchemy's DateTime (through db.types.UTCDateTime) stores a moment on SQLite: naive UTC."""
    m = moment.astimezone(dt.UTC)
    return f"{m.year:04d}-{m.month:02d}-{m.day:02d} {m.hour:02d}:{m.minute:02d}:{m.second:02d}.{m.microsecond:06d}"


def wire_time(moment: dt.datetime) -> str:
    """How pydantic writes a UTC datetime in the protocol's JSON."""
    m = moment.astimezone(dt.UTC)
    return f"{m.year:04d}-{m.month:02d}-{m.day:02d}T{m.hour:02d}:{m.minute:02d}:{m.second:02d}.{m.microsecond:06d}Z"


def id_number(rng: random.Random) -> tuple[str, str, dt.date]:
    """A valid 18-character ID number with its sex and birth date (GB 11643 check character)."""
    birth = dt.date(1935, 1, 1) + dt.timedelta(days=rng.randrange(365 * 70))
    seq = rng.randrange(1000)
    body = f"{rng.choice(REGIONS)}{birth:%Y%m%d}{seq:03d}"
    total = sum(int(d) * (2 ** (17 - i) % 11) for i, d in enumerate(body))
    check = "10X98765432"[total % 11]
    return body + check, "M" if seq % 2 else "F", birth


def person_name(rng: random.Random) -> str:
    if rng.random() < 0.05:
        return rng.choice(MINORITY)
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


@dataclass(frozen=True)
class Item:
    code: str
    version_id: str
    version: int
    sha256: str
    promised_days: int | None
    materials: tuple[tuple[str, str, str, int, str | None], ...]  # key, name, form, count, per_party role
    takes_agent: bool


@dataclass
class Context:
    """What the generated rows refer to: the centre, the workstation, the clerks and the catalog."""

    center_id: str
    center_code: str
    short_name: str
    workstation_id: str
    workstation_code: str
    clerks: list[tuple[str, str, str]]  # id hex, username, staff no
    items: list[Item]
    weights: list[float]


@dataclass
class Person:
    id: str
    id_number: str
    name: str
    sex: str
    birth: dt.date
    phone: str


@dataclass
class Rows:
    tables: dict[str, list[tuple[Any, ...]]] = field(default_factory=lambda: {t: [] for t in TABLES})

    def clear(self) -> None:
        for rows in self.tables.values():
            rows.clear()


class RowFactory:
    """Makes the rows of one application exactly as the service would store them (no ORM, no validation)."""

    def __init__(self, ctx: Context, rng: random.Random, *, audit_seq: int, audit_hash: str, outbox_seq: int) -> None:
        self.ctx = ctx
        self.rng = rng
        self.audit_seq = audit_seq
        self.audit_hash = audit_hash
        self.outbox_seq = outbox_seq
        self.counters: dict[str, int] = {}
        self.name_keys: dict[str, str] = {}

    def name_key(self, name: str) -> str:
        key = self.name_keys.get(name)
        if key is None:
            from app.people import name_search_key

            key = self.name_keys[name] = name_search_key(name)
        return key

    def next_value(self, scope: str) -> int:
        self.counters[scope] = value = self.counters.get(scope, 0) + 1
        return value

    def new_person(self, rows: Rows, when: dt.datetime, taken: set[str]) -> Person:
        while True:
            number, sex, birth = id_number(self.rng)
            if number not in taken:
                taken.add(number)
                break
        person = Person(hex_id(), number, person_name(self.rng), sex, birth, f"139{self.rng.randrange(10**8):08d}")
        stamp = db_time(when)
        rows.tables["persons"].append(
            (
                person.id,
                person.id_number,
                "resident",
                person.name,
                self.name_key(person.name),
                person.sex,
                person.birth.isoformat(),
                person.phone,
                stamp,
                stamp,
            )
        )
        return person

    def audit(
        self, rows: Rows, at: dt.datetime, clerk_id: str, action: str, app_id: str, details: dict[str, Any]
    ) -> None:
        self.audit_seq += 1
        content = {
            "seq": self.audit_seq,
            "at": at.astimezone(dt.UTC).isoformat(),
            "user_id": dashed(clerk_id),
            "workstation": self.ctx.workstation_code,
            "action": action,
            "entity_type": "application",
            "entity_id": dashed(app_id),
            "details": details,
        }
        blob = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
        digest = hashlib.sha256((self.audit_hash + blob).encode("utf-8")).hexdigest()
        rows.tables["audit_events"].append(
            (
                self.audit_seq,
                db_time(at),
                clerk_id,
                self.ctx.workstation_code,
                action,
                "application",
                dashed(app_id),
                json.dumps(details),
                bytes.fromhex(self.audit_hash),  # hashes are stored as their bytes (db.types.HexDigest)
                bytes.fromhex(digest),
            )
        )
        self.audit_hash = digest

    def outbox(self, rows: Rows, at: dt.datetime, app_id: str, body: dict[str, Any], sent: bool) -> str:
        self.outbox_seq += 1
        event_id = hex_id()
        event = {
            "application_id": dashed(app_id),
            "body": body,
            "center_code": self.ctx.center_code,
            "event_id": dashed(event_id),
            "occurred_at": wire_time(at),
            "schema_version": 1,
            "workstation_code": self.ctx.workstation_code,
        }
        payload = json.dumps(event, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        sent_at = db_time(at + dt.timedelta(minutes=2)) if sent else None
        rows.tables["outbox"].append(
            (
                event_id,
                self.outbox_seq,
                app_id,
                body["type"],
                1,
                payload,
                hashlib.sha256(payload).digest(),
                db_time(at),
                "sent" if sent else "pending",
                1 if sent else 0,
                None,
                sent_at,
            )
        )
        return event_id

    def application(
        self,
        rows: Rows,
        when: dt.datetime,
        applicant: Person,
        agent: Person | None,
        kind: str,
        *,
        completed_after: dt.timedelta | None = None,
        sent: bool = True,
    ) -> str:
        """Append the rows of one application taken at ``when`` with first decision ``kind``; return its id."""
        ctx, rng = self.ctx, self.rng
        item = rng.choices(ctx.items, ctx.weights)[0]
        clerk_id, username, staff_no = rng.choice(ctx.clerks)
        local = when.astimezone(SHANGHAI).date()
        seq = self.next_value(f"acceptance:{local:%Y%m%d}")
        number = f"{ctx.center_code}-{ctx.workstation_code}-{local:%Y%m%d}-{seq:04d}"
        app_id = hex_id()
        query = "".join(rng.choice(QUERY_CODE_ALPHABET) for _ in range(6))
        values: dict[str, Any] = {}
        if item.code == "MZ-SHJZ-002":
            values = {"assistance_type": "emergency", "situation": rng.choice(["家中突发火灾。", "重病住院。"])}
        parties = [(hex_id(), applicant, "applicant")]
        if agent is not None and item.takes_agent:
            parties.append((hex_id(), agent, "agent"))
        stamp = db_time(when)
        for position, (party_id, person, role) in enumerate(parties):
            rows.tables["application_parties"].append((party_id, app_id, person.id, role, position, person.name, "{}"))
        # Material lines: the item's own, then each per-party line for the parties that have that role.
        missing_key: str | None = None
        materials: list[dict[str, Any]] = []
        position = 0
        for key, name, form, count, per_party in item.materials:
            owners = [p for p in parties if p[2] == per_party] if per_party else [None]
            for owner in owners:
                missing = kind == "supplement" and missing_key is None
                if missing:
                    missing_key = key
                status = "missing" if missing else "received"
                party_id = owner[0] if owner else None
                rows.tables["application_materials"].append(
                    (
                        hex_id(),
                        app_id,
                        party_id,
                        position,
                        key,
                        name,
                        form,
                        count,
                        1,
                        status,
                        None,
                        None if missing else stamp,
                    )
                )
                materials.append(
                    {
                        "count": count,
                        "form": form,
                        "key": key,
                        "name": name,
                        "note": None,
                        "party_id": dashed(party_id) if party_id else None,
                        "required": True,
                        "status": status,
                    }
                )
                position += 1
        if kind == "supplement" and missing_key is None:
            kind = "accept"  # an item without materials cannot be sent back for them
        notice = None
        if kind in ("supplement", "refuse"):
            label = "补正" if kind == "supplement" else "不受"
            nseq = self.next_value(f"notice:{kind}:{local.year}")
            notice = f"{ctx.short_name}{label}〔{local.year}〕{ctx.center_code}-{ctx.workstation_code}-{nseq:04d}号"
        promised = None
        if kind == "accept" and item.promised_days:
            promised = (local + dt.timedelta(days=item.promised_days * 7 // 5 + 1)).isoformat()
        reason = rng.choice(REFUSALS) if kind == "refuse" else None
        state = {"accept": "accepted", "supplement": "awaiting_supplement", "refuse": "refused"}[kind]
        final_kind, final_state, accepted_at, decided_at = kind, state, when if kind == "accept" else None, when
        completed = None
        if kind == "supplement" and completed_after is not None:
            completed = when + completed_after
            final_kind, final_state, accepted_at, decided_at = "accept", "accepted", completed, completed
            if item.promised_days:
                promised = (
                    completed.astimezone(SHANGHAI).date() + dt.timedelta(days=item.promised_days * 7 // 5 + 1)
                ).isoformat()
        rows.tables["applications"].append(
            (
                app_id,
                number,
                query,
                item.code,
                item.version_id,
                ctx.center_id,
                ctx.workstation_id,
                clerk_id,
                final_state,
                final_kind,
                f"A{rng.randrange(1, 400):03d}",
                None,
                stamp,
                db_time(decided_at),
                db_time(accepted_at) if accepted_at else None,
                item.promised_days,
                promised,
                0,
                json.dumps(values),
                reason,
                notice,
                None,
                "synced" if sent else "pending",
                None,
                stamp,
                db_time(decided_at),
                promised,  # due_date: the tracked deadline starts as the printed promise
                0,
            )
        )
        rows.tables["decisions"].append(
            (
                hex_id(),
                app_id,
                kind,
                stamp,
                clerk_id,
                notice,
                reason,
                json.dumps([missing_key] if missing_key and kind == "supplement" else []),
            )
        )
        party_data = [
            {
                "birth_date": p.birth.isoformat(),
                "id_kind": "resident",
                "id_number": p.id_number,
                "name": p.name,
                "party_id": dashed(party_id),
                "phone": p.phone,
                "role": role,
                "sex": p.sex,
                "values": {},
            }
            for party_id, p, role in parties
        ]
        decision = {
            "clerk_staff_no": staff_no,
            "clerk_username": username,
            "decided_at": wire_time(when),
            "decision": kind,
            "missing_keys": [missing_key] if kind == "supplement" else [],
            "notice_no": notice,
            "promised_date": promised if kind == "accept" else None,
            "promised_estimated": False,
            "reason": reason,
        }
        body = {
            "acceptance_no": number,
            "called_at": None,
            "decision": decision,
            "item": {"code": item.code, "sha256": item.sha256, "version": item.version},
            "materials": materials,
            "parties": party_data,
            "query_code": query,
            "queue_ticket": rows.tables["applications"][-1][10],
            "received_at": wire_time(when),
            "type": "application.taken",
            "values": values,
        }
        event_id = self.outbox(rows, when, app_id, body, sent)
        details = {
            "acceptance_no": number,
            "item": item.code,
            "item_version": item.version,
            "notice_no": notice,
            "outbox_event": dashed(event_id),
        }
        self.audit(rows, when, clerk_id, f"application.{kind}", app_id, details)
        if completed is not None:
            rows.tables["decisions"].append(
                (hex_id(), app_id, "accept", db_time(completed), clerk_id, None, None, "[]")
            )
            for m in materials:
                m["status"] = "received"
            back = {
                "acceptance_no": number,
                "decision": dict(
                    decision,
                    decided_at=wire_time(completed),
                    decision="accept",
                    missing_keys=[],
                    notice_no=None,
                    promised_date=promised,
                ),
                "materials": materials,
                "received_keys": [missing_key],
                "type": "application.supplemented",
            }
            event_id = self.outbox(rows, completed, app_id, back, sent)
            self.audit(
                rows,
                completed,
                clerk_id,
                "application.supplement_return.accept",
                app_id,
                {"acceptance_no": number, "outbox_event": dashed(event_id)},
            )
        return app_id


# ---------------------------------------------------------------------------------------------- building


def cache_dir(size: int) -> Path:
    from db.migrate import head_revision

    return BENCH_DATA / f"db-{size}-g{GENERATOR_VERSION}-r{head_revision()}"


def plain_twin(db_path: Path) -> Path:
    """Where the plain twin of the store at ``<workstation>/data/yimen.sqlite3`` is kept."""
    return db_path.parent.parent / PLAIN_DIR_NAME / db_path.name


def load_context(db_path: Path, services: Any) -> Context:
    """The centre, workstation, clerks and catalog the real code set up, as the generated rows refer to them."""
    from db.engine import raw_connect

    deployment = services.deployment
    conn = raw_connect(db_path, services.db.key)
    try:
        center = conn.execute("SELECT id FROM centers WHERE code = ?", (deployment.center_code,)).fetchone()[0]
        workstation = conn.execute(
            "SELECT id FROM workstations WHERE center_id = ? AND code = ?", (center, deployment.workstation_code)
        ).fetchone()[0]
        # The generator writes ids as 32 hex digits (stored() turns them into the store's 16 bytes).
        center_id, workstation_id = bytes(center).hex(), bytes(workstation).hex()
        clerks = [
            (bytes(r[0]).hex(), r[1], r[2])
            for r in conn.execute("SELECT id, username, staff_no FROM users ORDER BY username")
        ]
    finally:
        conn.close()
    items: list[Item] = []
    weights: list[float] = []
    for entry in services.catalog.entries.values():
        if not entry.active:
            continue
        item = entry.item
        materials = tuple(
            (m.key, m.name.zh, m.form.value, m.count, m.per_party.value if m.per_party else None)
            for m in item.materials
            if m.per_party is None or m.per_party.value in ("applicant", "agent")
        )
        items.append(
            Item(
                code=item.code,
                version_id=entry.version_id.hex,
                version=item.version,
                sha256=entry.sha256,
                promised_days=item.promised_days,
                materials=materials,
                takes_agent="agent" in {p.role.value for p in item.parties},
            )
        )
        weights.append(6.0 if item.code == "MZ-SHJZ-002" else 1.0)
    return Context(
        center_id=center_id,
        center_code=deployment.center_code,
        short_name=deployment.center_short_name,
        workstation_id=workstation_id,
        workstation_code=deployment.workstation_code,
        clerks=clerks,
        items=items,
        weights=weights,
    )


def set_up_schema(folder: Path) -> tuple[Path, Path, Context]:
    """The real start-up on an empty folder (machine vault in ``folder/vault``, encrypted store, migrations,
    workstation, catalog) plus the clerks' accounts."""
    from app.bootstrap import open_services
    from app.domain import Role
    from app.security.accounts import create_user

    config = deployment_file(folder)
    with machine_vault(folder / VAULT_DIR_NAME):
        services = open_services(config, folder / "data")
    try:
        with services.db.write() as session:
            for username, name, staff_no in CLERKS:
                create_user(
                    session,
                    username=username,
                    display_name=name,
                    staff_no=staff_no,
                    role=Role.SUPERVISOR if username == "zhangmin" else Role.CLERK,
                    password=CLERK_PASSWORD,
                    workstation_code=services.deployment.workstation_code,
                )
        return config, services.db.path, load_context(services.db.path, services)
    finally:
        services.close()


def check_columns(conn: Any) -> None:
    """Follow db/models.py: fail loudly on a column the generator does not know, unless SQLite can fill it."""
    for table, cols in COLUMNS.items():
        info = {r[1]: r for r in conn.execute(f"PRAGMA table_info({table})")}  # cid, name, type, notnull, default
        unknown = set(cols) - set(info)
        if unknown:
            raise RuntimeError(f"bench/bigdb.py writes {table}.{sorted(unknown)}, which the schema no longer has")
        for name, (_, _, _, notnull, default, _) in info.items():
            if name not in cols:
                if notnull and default is None:
                    raise RuntimeError(f"bench/bigdb.py does not fill the new column {table}.{name}: update it")
                print(f"  note: {table}.{name} is new to bench/bigdb.py; left to its default")


def days_for(size: int, today: dt.date) -> Iterator[tuple[dt.date, int]]:
    days = max(1, -(-size // PER_DAY))
    base, extra = divmod(size, days)
    first = today - dt.timedelta(days=days)
    for i in range(days):
        yield first + dt.timedelta(days=i), base + (1 if i < extra else 0)


def fill(db_path: Path, key: bytes, ctx: Context, size: int, *, seed: int = 1, progress: bool = True) -> dict[str, int]:
    """Write ``size`` applications into the encrypted store at ``db_path`` (under ``key``)."""
    from db.engine import raw_connect

    rng = random.Random(seed)
    conn = raw_connect(db_path, key)
    conn.isolation_level = None
    try:
        check_columns(conn)
        # Build fast: no journal, no fsync, a big cache.  The file is renamed into the cache only when complete,
        # and switched back to WAL at the end.
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA cache_size = -2000000")
        seq, mac = last_audit_event(conn)
        factory = RowFactory(ctx, rng, audit_seq=seq, audit_hash=mac, outbox_seq=0)
        today = dt.datetime.now(SHANGHAI).date()
        pending_from = today - dt.timedelta(days=2)
        people: list[Person] = []
        taken: set[str] = set()
        rows = Rows()
        done = 0
        started = time.perf_counter()

        def flush() -> None:
            conn.execute("BEGIN")
            for table in TABLES:
                if rows.tables[table]:
                    conn.executemany(INSERT[table], stored(table, rows.tables[table]))
            conn.execute("COMMIT")
            rows.clear()

        for day, count in days_for(size, today):
            opening = dt.datetime.combine(day, dt.time(8, 30), SHANGHAI)
            step = dt.timedelta(hours=8.5) / max(count, 1)
            for i in range(count):
                when = opening + step * i + dt.timedelta(microseconds=rng.randrange(1_000_000))
                if people and rng.random() < 0.45:
                    applicant = rng.choice(people)
                else:
                    applicant = factory.new_person(rows, when, taken)
                    people.append(applicant)
                agent = None
                if rng.random() < 0.08:
                    agent = rng.choice(people) if rng.random() < 0.3 else factory.new_person(rows, when, taken)
                    if agent is applicant:
                        agent = None
                roll = rng.random()
                kind = "accept" if roll < 0.75 else "supplement" if roll < 0.9 else "refuse"
                completed = None
                if kind == "supplement" and day < pending_from and rng.random() < 0.8:
                    completed = dt.timedelta(days=rng.randrange(1, 20), hours=rng.random())
                factory.application(
                    rows, when, applicant, agent, kind, completed_after=completed, sent=day < pending_from
                )
                done += 1
                if len(rows.tables["applications"]) >= CHUNK:
                    flush()
                    if progress:
                        rate = done / (time.perf_counter() - started)
                        print(f"\r  generated {done:,}/{size:,} applications ({rate:,.0f}/s)", end="", flush=True)
        flush()
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO number_counters (scope, value) VALUES (?, ?) "
            "ON CONFLICT (scope) DO UPDATE SET value = excluded.value",
            sorted(factory.counters.items()),
        )
        conn.execute("COMMIT")
        if progress:
            print(f"\r  generated {done:,} applications in {time.perf_counter() - started:,.0f} s" + " " * 20)
        conn.execute("PRAGMA journal_mode = WAL")
        counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
        return counts
    finally:
        conn.close()


def export_plain(db_path: Path, key: bytes, target: Path) -> None:
    """The plain twin: every row of the encrypted store at ``db_path`` in a plain SQLite file (WAL, like the
    store), by ``sqlcipher_export`` into a database attached without a key."""
    from db.engine import raw_connect

    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    conn = raw_connect(db_path, key)
    try:
        conn.execute("ATTACH DATABASE ? AS plain KEY ''", (str(target),))
        conn.execute("SELECT sqlcipher_export('plain')")
        conn.execute("DETACH DATABASE plain")
    finally:
        conn.close()
    twin = raw_sqlite(target)  # WAL from here on
    try:
        assert twin.execute("PRAGMA quick_check").fetchone() == ("ok",)
    finally:
        twin.close()


def build(size: int, *, rebuild: bool = False, progress: bool = True) -> tuple[Path, Path]:
    """The cached database with ``size`` applications: (deployment file, database path); built if missing.

    Beside them: the workstation's vault (``vault/``) and the store's plain twin (``plain/``)."""
    from app.security.vault import Vault

    final = cache_dir(size)
    if final.exists() and not rebuild:
        return final / next(p.name for p in final.glob("*.toml")), final / "data" / "yimen.sqlite3"
    shutil.rmtree(final, ignore_errors=True)
    building = final.with_name(final.name + ".building")
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir(parents=True)
    if progress:
        print(f"building a database with {size:,} applications in {final} (cached for later runs)")
    config, db_path, ctx = set_up_schema(building)
    vault = building / VAULT_DIR_NAME
    key = Vault(vault, runtime=vault.with_name(VAULT_DIR_NAME + "-run")).key("store.key")
    counts = fill(db_path, key, ctx, size, progress=progress)
    if progress:
        print("  rows: " + ", ".join(f"{t} {n:,}" for t, n in counts.items()))
    started = time.perf_counter()
    export_plain(db_path, key, plain_twin(db_path))
    if progress:
        print(f"  plain twin for the sqlite3 baselines written in {time.perf_counter() - started:,.0f} s")
    building.rename(final)
    return final / config.name, final / "data" / db_path.name


def working_copy(size: int, target: Path, *, rebuild: bool = False, plain: bool = False) -> tuple[Path, Path]:
    """A fresh copy of the cached workstation to measure on (the cache stays untouched by the saves): deployment
    file, store, vault (its marker follows the store) and, with ``plain``, the store's plain twin."""
    config, db_path = build(size, rebuild=rebuild)
    shutil.rmtree(target, ignore_errors=True)
    (target / "data").mkdir(parents=True)
    shutil.copyfile(db_path, target / "data" / db_path.name)
    shutil.copyfile(config, target / config.name)
    shutil.copytree(config.parent / VAULT_DIR_NAME, target / VAULT_DIR_NAME)
    if plain:
        (target / PLAIN_DIR_NAME).mkdir()
        shutil.copyfile(plain_twin(db_path), plain_twin(target / "data" / db_path.name))
    return target / config.name, target / "data" / db_path.name
