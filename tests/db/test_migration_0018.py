"""Migration 0018: every id as its 16 bytes (docs/performance.md "A store that stays small (issue 16)").

Tried on a real day at the counter with its documents: at the head every id column holds 16-byte blobs and the
application reads them back as the same UUIDs; taken back to 0017 each holds the same 32 hex digits as text, with
every reference intact; brought up again the same bytes, and the chain verifies with the same head.  An id written
by hand that is not 32 hex digits is left as it is."""

from __future__ import annotations

import uuid
from typing import Any

from db.migrate import current_revision, head_revision, upgrade
from db.models import Base
from db.types import UUIDBytes
from tests.app.documents.doc_testkit import take
from tests.app.test_audit_chain import ITEM, day, rows, sql, verify  # noqa: F401 - fixture (day)
from tests.db.test_migrations import Backups, downgrade_to


def _id_columns() -> dict[str, list[str]]:
    return {
        table.name: [c.name for c in table.columns if isinstance(c.type, UUIDBytes)]
        for table in Base.metadata.sorted_tables
        if any(isinstance(c.type, UUIDBytes) for c in table.columns)
    }


def _forms(services: Any) -> set[tuple[str, int]]:
    """Every stored id's type and length, over every id column of every table."""
    found: set[tuple[str, int]] = set()
    for table, columns in _id_columns().items():
        for column in columns:
            found |= set(
                rows(
                    services, f"SELECT DISTINCT typeof({column}), length({column}) FROM {table} WHERE {column} NOTNULL"
                )
            )
    return found


def _ids(services: Any) -> dict[str, list[tuple[str, ...]]]:
    """Every id, as hex, table by table in rowid order."""
    out = {}
    for table, columns in _id_columns().items():
        names = ", ".join(columns)
        out[table] = [
            tuple(v.hex() if isinstance(v, bytes) else v for v in row)
            for row in rows(services, f"SELECT {names} FROM {table} ORDER BY rowid")
        ]
    return out


def test_a_day_goes_back_to_hex_ids_and_up_again_to_the_same_bytes(
    services: Any,
    clerk: Any,
    day: Any,  # noqa: F811 - the fixture
) -> None:
    for result in day:
        services.documents.issue(result, clerk)
    assert _forms(services) == {("blob", 16)}
    ids = _ids(services)
    assert sum(len(v) for v in ids.values()) > 40
    # The application reads them as the UUIDs it wrote: the case, its documents, its events.
    first = day[0]
    loaded = services.intake.load(first.acceptance_no)
    assert isinstance(loaded.application_id, uuid.UUID)
    assert (loaded.application_id.hex,) in {row[:1] for row in ids["applications"]}
    head = verify(services)
    assert head.intact

    downgrade_to(services.db.engine, "0017")
    assert current_revision(services.db.engine) == "0017"
    assert _forms(services) == {("text", 32)}
    assert _ids(services) == ids
    assert rows(services, "PRAGMA foreign_key_check") == []

    upgrade(services.db.engine, services.db.path, backup=Backups(services.db))
    assert current_revision(services.db.engine) == head_revision()
    assert _forms(services) == {("blob", 16)} and _ids(services) == ids
    after = verify(services)
    assert after.intact and after.head_mac == head.head_mac
    assert services.intake.load(first.acceptance_no).application_id == loaded.application_id
    take(services, clerk, ITEM)  # the counter goes on
    assert verify(services).intact and rows(services, "PRAGMA foreign_key_check") == []


def test_an_id_that_is_not_hex_is_left_as_it_is(services: Any, day: Any) -> None:  # noqa: F811
    downgrade_to(services.db.engine, "0017")
    odd = "e" * 31 + "g"  # 32 characters, not hex: written by hand
    sql(services, ("UPDATE outbox SET id = ? WHERE seq = 1", (odd,)))
    upgrade(services.db.engine, services.db.path, backup=Backups(services.db))  # not refused
    assert rows(services, "SELECT typeof(id), id FROM outbox WHERE seq = 1") == [("text", odd)]
    assert rows(services, "SELECT DISTINCT typeof(id), length(id) FROM outbox WHERE seq > 1") == [("blob", 16)]
