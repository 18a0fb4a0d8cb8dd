"""A plain SQLite store as the previous version left it: schema revision 0007 made by Alembic over the standard
library's ``sqlite3`` (the engine of that version: WAL, ``synchronous=FULL``), with applications of people whose
names a counter really sees (𠮷 outside the BMP, 䶮 and 堃, a middle dot) and their ID numbers, in the tables, the
outbox's JSON payloads and the audit trail.  The tests of the in-place encryption grep the raw bytes for them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event

LEGACY_REVISION = "0007"
REPO = Path(__file__).resolve().parents[2]
ITEM = "MZ-SHJZ-002"  # 临时救助
NAMES = ("张𠮷", "王䶮", "李堃", "欧阳·娜娜", "阿依古丽·买买提", "𠮷䶮·堃", "司马相如")
CENTER, WORKSTATION = "310104003", "003"


def row_id(kind: int, n: int = 0) -> str:
    """An id as ``sqlalchemy.Uuid`` stores it on SQLite (32 hex digits): ``kind`` says which table, ``n`` which row."""
    return f"{kind:02x}{n:030x}"


CENTER_ID, WORKSTATION_ID, CLERK_ID, CATALOG_ID = row_id(1), row_id(2), row_id(3), row_id(4)


def id_number(n: int) -> str:
    """A valid 18-character ID number (GB 11643 check character), different for every ``n``."""
    birth = dt.date(1940, 1, 1) + dt.timedelta(days=n * 37 % 23000)
    body = f"310104{birth:%Y%m%d}{n % 1000:03d}"
    total = sum(int(d) * (2 ** (17 - i) % 11) for i, d in enumerate(body))
    return body + "10X98765432"[total % 11]


@dataclass
class Legacy:
    path: Path
    names: tuple[str, ...]
    id_numbers: list[str]

    def needles(self, id_numbers: int | None = None) -> list[bytes]:
        """What must never be readable in an encrypted file: every name, the ID numbers (all, or about
        ``id_numbers`` of them spread over the store: each one is a scan of every file), the schema's text and
        SQLite's header."""
        step = 1 if id_numbers is None else max(1, len(self.id_numbers) // id_numbers)
        found = [n.encode("utf-8") for n in self.names] + [n.encode("ascii") for n in self.id_numbers[::step]]
        return [*found, b"CREATE TABLE", b"SQLite format 3"]


def plain_connect(path: Path) -> sqlite3.Connection:
    """The previous version's connection: the standard library's sqlite3 with the engine's pragmas."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def make_schema(path: Path) -> None:
    """An empty store at revision 0007, migrated as the previous version did (Alembic over plain sqlite3)."""
    from db.migrate import upgrade

    path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(f"sqlite:///{path}")

    def pragmas(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute("PRAGMA journal_mode = WAL")
        dbapi_connection.execute("PRAGMA synchronous = FULL")

    event.listen(engine, "connect", pragmas)
    try:
        upgrade(engine, path, target=LEGACY_REVISION)
    finally:
        engine.dispose()


def add_base_rows(conn: sqlite3.Connection) -> None:
    stamp = "2026-11-23 02:00:00.000000"
    conn.execute("BEGIN")
    conn.execute(
        "INSERT INTO centers (id, code, name, short_name, district) VALUES (?, ?, ?, ?, ?)",
        (CENTER_ID, CENTER, "徐汇区斜土路街道社区事务受理服务中心", "斜土", "徐汇区"),
    )
    conn.execute(
        "INSERT INTO workstations (id, center_id, code, window_name) VALUES (?, ?, ?, ?)",
        (WORKSTATION_ID, CENTER_ID, WORKSTATION, "3号窗口"),
    )
    conn.execute(
        "INSERT INTO users (id, username, display_name, staff_no, role, password_hash, active, failed_attempts, "
        "created_at, must_change_password) VALUES (?, 'wangli', '王丽', '0301', 'clerk', 'h', 1, 0, ?, 0)",
        (CLERK_ID, stamp),
    )
    # The shipped item, stored as the catalog registry stores it (so a later start finds it unchanged).
    from app.catalog.loader import load_item_bytes

    source = REPO / "resources" / "catalog" / "items" / f"{ITEM}.yaml"
    loaded = load_item_bytes(source.read_bytes(), path=str(source))
    conn.execute(
        "INSERT INTO catalog_versions (id, item_code, version, sha256, status, canonical_json, source, loaded_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            CATALOG_ID,
            ITEM,
            loaded.item.version,
            loaded.sha256,
            str(loaded.item.status.value if hasattr(loaded.item.status, "value") else loaded.item.status),
            loaded.canonical_json,
            str(source)[-300:],
            stamp,
        ),
    )
    conn.execute("COMMIT")


def add_applications(conn: sqlite3.Connection, first: int, count: int, *, batch: int = 1) -> list[str]:
    """``count`` applications numbered from ``first``, ``batch`` to a transaction (1: each its own, as the counter
    saves them); returns the applicants' ID numbers."""
    numbers = []
    prev = conn.execute("SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1").fetchone()
    prev_hash = prev[0] if prev else "0" * 64
    for n in range(first, first + count):
        number, name = id_number(n), NAMES[n % len(NAMES)]
        numbers.append(number)
        app, person, party = row_id(10, n), row_id(11, n), row_id(12, n)
        acceptance = f"{CENTER}-{WORKSTATION}-20261123-{n:04d}"
        at = f"2026-11-23 02:{n // 60 % 60:02d}:{n % 60:02d}.000000"
        payload = json.dumps(
            {
                "type": "application.taken",
                "acceptance_no": acceptance,
                "parties": [{"name": name, "id_number": number, "role": "applicant"}],
            },
            ensure_ascii=False,  # as the protocol writes it: the characters themselves, not \\u escapes
        ).encode("utf-8")
        content = json.dumps({"seq": n, "action": "application.accept", "entity_id": app}, sort_keys=True)
        link = hashlib.sha256((prev_hash + content).encode("utf-8")).hexdigest()
        if (n - first) % batch == 0:
            conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO persons (id, id_number, id_kind, name, name_key, created_at, updated_at) "
            "VALUES (?, ?, 'resident', ?, ?, ?, ?)",
            (person, number, name, name, at, at),
        )
        conn.execute(
            "INSERT INTO applications (id, acceptance_no, query_code, item_code, catalog_version_id, center_id, "
            "workstation_id, clerk_id, state, decision, received_at, decided_at, accepted_at, promised_days, "
            "promised_date, promised_estimated, form_values, sync_state, created_at, updated_at, due_date, "
            "due_estimated) VALUES (?, ?, 'ABC234', ?, ?, ?, ?, ?, 'accepted', 'accept', ?, ?, ?, 20, "
            "'2026-12-21', 0, ?, 'pending', ?, ?, '2026-12-21', 0)",
            (
                app,
                acceptance,
                ITEM,
                CATALOG_ID,
                CENTER_ID,
                WORKSTATION_ID,
                CLERK_ID,
                at,
                at,
                at,
                json.dumps({"situation": f"{name}家中突发火灾。"}, ensure_ascii=False),
                at,
                at,
            ),
        )
        conn.execute(
            'INSERT INTO application_parties (id, application_id, person_id, role, position, name, "values") '
            "VALUES (?, ?, ?, 'applicant', 0, ?, '{}')",
            (party, app, person, name),
        )
        conn.execute(
            "INSERT INTO application_materials (id, application_id, party_id, position, material_key, name, form, "
            "count, required, status, received_at) VALUES (?, ?, ?, 0, 'applicant_id_card', '申请人身份证', "
            "'original', 1, 1, 'received', ?)",
            (row_id(13, n), app, party, at),
        )
        conn.execute(
            "INSERT INTO decisions (id, application_id, decision, decided_at, clerk_id, missing) "
            "VALUES (?, ?, 'accept', ?, ?, '[]')",
            (row_id(14, n), app, at, CLERK_ID),
        )
        conn.execute(
            "INSERT INTO outbox (id, seq, application_id, event_type, schema_version, payload, sha256, created_at, "
            "state, attempts) VALUES (?, ?, ?, 'application.taken', 1, ?, ?, ?, 'pending', 0)",
            (row_id(15, n), n, app, payload, hashlib.sha256(payload).hexdigest(), at),
        )
        conn.execute(
            "INSERT INTO audit_events (id, seq, at, user_id, workstation_code, action, entity_type, entity_id, "
            "details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, 'application.accept', 'application', ?, ?, ?, ?)",
            (
                row_id(16, n),
                n,
                at,
                CLERK_ID,
                WORKSTATION,
                str(uuid.UUID(hex=app)),
                json.dumps({"acceptance_no": acceptance}),
                prev_hash,
                link,
            ),
        )
        conn.execute(
            "INSERT INTO number_counters (scope, value) VALUES ('acceptance:20261123', ?) "
            "ON CONFLICT (scope) DO UPDATE SET value = excluded.value",
            (n,),
        )
        if (n - first) % batch == batch - 1 or n == first + count - 1:
            conn.execute("COMMIT")
        prev_hash = link
    return numbers


def make_legacy_store(path: Path, applications: int = 50, *, batch: int = 1) -> Legacy:
    """A plain store of the previous version with ``applications`` applications, closed cleanly."""
    make_schema(path)
    with contextlib.closing(plain_connect(path)) as conn:
        add_base_rows(conn)
        numbers = add_applications(conn, 1, applications, batch=batch)
    return Legacy(path, NAMES, numbers)


def dump(conn: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in a stable order (for comparing a store before and after)."""
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
    return {t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}


def plain_dump(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return dump(conn)


def encrypted_dump(path: Path, key: bytes) -> dict[str, list[tuple[Any, ...]]]:
    from db.engine import raw_connect

    conn = raw_connect(path, key)
    try:
        return dump(conn)
    finally:
        conn.close()


def files_holding(folder: Path, needles: list[bytes]) -> dict[str, list[bytes]]:
    """Every file under ``folder`` that holds one of ``needles`` in its raw bytes, with the ones it holds."""
    found: dict[str, list[bytes]] = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        hits = [n for n in needles if n in data]
        if hits:
            found[str(path.relative_to(folder))] = hits
    return found


def add_plain_backup(store: Path, revision: str = "0006", stamp: str = "20261120T020000000000Z") -> Path:
    """A backup as the previous version wrote one before a migration: a plain copy through SQLite's online backup
    API, ``backups/yimen-<revision>-<stamp>.sqlite3``, mode 0600."""
    target = store.parent / "backups" / f"{store.stem}-{revision}-{stamp}.sqlite3"
    target.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.closing(sqlite3.connect(store)) as source, contextlib.closing(sqlite3.connect(target)) as copy:
        source.backup(copy)
    target.chmod(0o600)
    return target
