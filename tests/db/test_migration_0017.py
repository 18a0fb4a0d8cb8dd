"""Migration 0017: the rows kept for good take fewer bytes (docs/performance.md "A store that stays small (issue
16)").  The audit chain's position is the row's key (no random id, no index of its own), the hashes of the audit
chain, the outbox and the documents are kept as their 32 bytes, and the index of events by type covers only the
更正 and 作废.

Tried on a real day at the counter (a keyed chain, documents, a 更正 and a 作废): taken back to 0016 the store holds
the hex text it held before, brought up again it holds the same hashes as bytes, and the chain verifies each time
with the same head.  A hash edited by hand into something that is not hex survives the upgrade as it is, and the
check finds it."""

from __future__ import annotations

from typing import Any

from app.security import audit
from db.migrate import current_revision, head_revision, upgrade
from tests.app.documents.doc_testkit import take
from tests.app.test_audit_chain import ITEM, day, rows, sql, verify  # noqa: F401 - fixture (day)
from tests.db.test_migrations import Backups, downgrade_to

DIGESTS = (("audit_events", "hash"), ("audit_events", "prev_hash"), ("outbox", "sha256"), ("documents", "sha256"))


def _forms(services: Any) -> dict[tuple[str, str], set[tuple[str, int]]]:
    """Each digest column's stored types and lengths."""
    return {
        (table, column): set(rows(services, f"SELECT DISTINCT typeof({column}), length({column}) FROM {table}"))
        for table, column in DIGESTS
    }


def _values(services: Any) -> dict[tuple[str, str], list[str]]:
    """Each digest column's values as lowercase hex, whatever the stored form, in the rows' order."""
    key = {"audit_events": "seq", "outbox": "seq", "documents": "id"}
    return {
        (table, column): [
            value.hex() if isinstance(value, bytes) else value
            for (value,) in rows(services, f"SELECT {column} FROM {table} ORDER BY {key[table]}")
        ]
        for table, column in DIGESTS
    }


def _columns(services: Any, table: str) -> list[str]:
    return [row[1] for row in rows(services, f"PRAGMA table_info({table})")]


def _indexes(services: Any, table: str) -> set[str]:
    return {row[1] for row in rows(services, f"PRAGMA index_list({table})")}


def _down(services: Any, revision: str) -> None:
    downgrade_to(services.db.engine, revision)


def _up(services: Any) -> None:
    backups = Backups(services.db)
    upgrade(services.db.engine, services.db.path, backup=backups)
    assert backups.calls == ["0016"]  # an encrypted copy of the store as it was, first


def test_a_day_goes_back_to_hex_text_and_up_again_to_the_same_bytes(
    services: Any,
    clerk: Any,
    day: Any,  # noqa: F811 - the fixture
) -> None:
    for result in day:  # the receipt and the form, or the 补正 notice: rows of the documents table
        services.documents.issue(result, clerk)
    before = verify(services)
    assert before.intact and before.events >= 6
    values = _values(services)
    assert all(len(v) == 64 and int(v, 16) >= 0 for column in values.values() for v in column)
    # At the head: 32 bytes each, the chain keyed by its position alone.
    assert all(form == {("blob", 32)} for form in _forms(services).values()), _forms(services)
    assert "id" not in _columns(services, "audit_events")
    assert rows(services, "SELECT name FROM sqlite_master WHERE tbl_name = 'audit_events' AND type = 'index'") == [
        ("ix_audit_events_entity_id",)
    ]
    assert "ix_outbox_changes_created_at" in _indexes(services, "outbox")
    assert "ix_outbox_event_type_created_at" not in _indexes(services, "outbox")

    _down(services, "0016")
    assert current_revision(services.db.engine) == "0016"
    assert all(form == {("text", 64)} for form in _forms(services).values()), _forms(services)
    assert _values(services) == values
    ids = rows(services, "SELECT id FROM audit_events")
    assert len({i for (i,) in ids}) == len(ids) == before.events  # a new random id each, as 0016 wants
    assert "ix_outbox_event_type_created_at" in _indexes(services, "outbox")
    assert verify(services).intact  # the 0016 code's forms, the same chain

    _up(services)
    assert current_revision(services.db.engine) == head_revision()
    assert all(form == {("blob", 32)} for form in _forms(services).values())
    assert _values(services) == values
    after = verify(services)
    assert after.intact and (after.events, after.head_mac) == (before.events, before.head_mac)
    assert rows(services, "PRAGMA foreign_key_check") == [] and rows(services, "PRAGMA integrity_check") == [("ok",)]
    # The counter goes on: the next application joins the same chain.
    take(services, clerk, ITEM)
    assert verify(services).intact


def test_a_hash_edited_by_hand_before_the_upgrade_is_kept_and_found(services: Any, day: Any) -> None:  # noqa: F811
    _down(services, "0016")
    target = rows(services, "SELECT max(seq) FROM audit_events")[0][0] - 1
    sql(services, ("UPDATE audit_events SET hash = 'not a digest' WHERE seq = ?", (target,)))
    _up(services)  # not refused: the store opens, and the check says what is wrong
    assert rows(services, "SELECT typeof(hash), hash FROM audit_events WHERE seq = ?", target) == [
        ("text", "not a digest")
    ]
    report = verify(services)
    assert (audit.FindingKind.EDITED, target) in report.kinds()
