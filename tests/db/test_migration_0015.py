"""Migration 0015: the pruning's candidates through two partial indexes over the rows that still hold bytes, and two
indexes nothing reads dropped (docs/reliability.md "Pruning").  A store at 0014 with documents and events, some
already pruned, upgrades with its backup and keeps every row; the pruning's queries use the new indexes; a lookup
of a case's documents still uses an index."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from app import pruning
from db.engine import Database, raw_connect, verify_copy
from db.migrate import current_revision, upgrade
from db.models import DocumentRecord, OutboxEntry
from tests.db.test_migrations import BACKUP_KEY, Backups, _first_revision_with_rows, downgrade_to, fresh  # noqa: F401 - fixture

#: One case with two documents, one still holding its PDF, one pruned; its events, one pruned, one waiting.
ROWS_0014 = """
    INSERT INTO documents (id, application_id, issue_key, kind, seq, number, paper, sha256, size, page_count, pdf,
                           pdf_pruned_at, created_at, handed_out)
        VALUES ('d1', 'a1', 'k1:receipt', 'receipt', 1, 'N-1', 'a4', 'aa', 4, 1, X'25504446', NULL,
                '2026-12-15 02:00:00', 1),
               ('d2', 'a1', 'k1:form', 'form', 1, 'N-2', 'a4', 'bb', 4, 1, NULL, '2027-01-20 02:00:00',
                '2026-12-15 02:00:00', 1);
    INSERT INTO outbox (id, seq, application_id, event_type, schema_version, payload, payload_pruned_at, sha256,
                        created_at, state, attempts, sent_at)
        VALUES ('e2', 2, 'a1', 'document.issued', 1, NULL, '2027-01-20 02:00:00', 'cc', '2026-12-15 02:00:00',
                'sent', 1, '2026-12-15 02:02:00'),
               ('e3', 3, 'a1', 'document.issued', 1, X'7B7D', NULL, 'dd', '2026-12-15 02:00:00', 'sent', 1,
                '2026-12-15 02:02:00');
"""

TABLES = ("documents", "outbox", "audit_events")


def _store_at_0014(db: Database) -> dict[str, list[tuple[object, ...]]]:
    _first_revision_with_rows(db)
    upgrade(db.engine, db.path, backup=Backups(db), target="0014")
    raw = raw_connect(db.path, db.key)
    try:
        raw.executescript(ROWS_0014)
        raw.commit()
        return {t: raw.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in TABLES}
    finally:
        raw.close()


def _indexes(db: Database) -> dict[str, str]:
    raw = raw_connect(db.path, db.key)
    try:
        return dict(raw.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"))
    finally:
        raw.close()


def _plan(engine: Engine, query: object) -> str:
    """The query plan SQLite picks for a SQLAlchemy query, with its parameters bound as the ORM binds them."""
    compiled = query.compile(dialect=engine.dialect)  # type: ignore[attr-defined]
    values = compiled.construct_params()
    processors = compiled._bind_processors
    params = tuple(processors[k](values[k]) if k in processors else values[k] for k in compiled.positiontup)
    with engine.connect() as conn:
        return " / ".join(r[3] for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + str(compiled), params))


def test_a_store_at_0014_upgrades_with_its_backup_and_keeps_every_row(fresh: Database) -> None:  # noqa: F811
    before = _store_at_0014(fresh)
    assert "ix_audit_events_action" in _indexes(fresh) and "ix_documents_application_id" in _indexes(fresh)
    backups = Backups(fresh)
    report = upgrade(fresh.engine, fresh.path, backup=backups, target="0015")  # 0017 changes the stored forms
    assert (report.from_revision, report.to_revision) == ("0014", "0015")
    assert backups.calls == ["0014"] and report.backup is not None
    assert verify_copy(report.backup, BACKUP_KEY)["outbox"] == 3  # the store as it was, every event
    check = raw_connect(fresh.path, fresh.key)
    try:
        assert {t: check.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in TABLES} == before
        assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert check.execute("PRAGMA foreign_key_check").fetchall() == []
        # The partial indexes hold only the rows that still have bytes: one PDF, two payloads (e1 and e3).
        assert check.execute(
            "SELECT count(*) FROM documents INDEXED BY ix_documents_pdf_created_at WHERE pdf IS NOT NULL"
        ).fetchone() == (1,)
        assert check.execute(
            "SELECT id FROM outbox INDEXED BY ix_outbox_payload_state_seq WHERE payload IS NOT NULL ORDER BY state, seq"
        ).fetchall() == [("e1",), ("e3",)]
    finally:
        check.close()
    indexes = _indexes(fresh)
    assert "pdf IS NOT NULL" in indexes["ix_documents_pdf_created_at"]
    assert "payload IS NOT NULL" in indexes["ix_outbox_payload_state_seq"]
    assert "ix_audit_events_action" not in indexes and "ix_documents_application_id" not in indexes


def test_the_pruning_finds_its_candidates_through_the_partial_indexes(fresh: Database) -> None:  # noqa: F811
    _store_at_0014(fresh)
    upgrade(fresh.engine, fresh.path, backup=Backups(fresh))
    cutoff = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
    documents = select(DocumentRecord.id).where(pruning._prunable_document(cutoff)).order_by(DocumentRecord.created_at)
    payloads = select(OutboxEntry.id).where(pruning._prunable_payload(cutoff)).order_by(OutboxEntry.seq)
    waiting = select(func.count()).select_from(OutboxEntry).where(pruning._old_unacknowledged_payload(cutoff))
    by_case = select(DocumentRecord.id).where(DocumentRecord.application_id == uuid.uuid4())
    assert "USING INDEX ix_documents_pdf_created_at (created_at<?)" in _plan(fresh.engine, documents)
    assert "USING INDEX ix_outbox_payload_state_seq (state=?)" in _plan(fresh.engine, payloads)
    assert "USING INDEX ix_outbox_payload_state_seq" in _plan(fresh.engine, waiting)
    # The case's documents (and the foreign key's check when the purge deletes a case): the unique key's index.
    assert "SEARCH documents USING INDEX sqlite_autoindex_documents" in _plan(fresh.engine, by_case)
    assert "(application_id=?)" in _plan(fresh.engine, by_case)


def test_a_store_without_pruned_rows_goes_back_to_0014(fresh: Database) -> None:  # noqa: F811
    _first_revision_with_rows(fresh)
    upgrade(fresh.engine, fresh.path, backup=Backups(fresh))
    downgrade_to(fresh.engine, "0014")
    assert current_revision(fresh.engine) == "0014"
    indexes = _indexes(fresh)
    assert "ix_audit_events_action" in indexes and "ix_documents_application_id" in indexes
    assert "ix_documents_pdf_created_at" not in indexes and "ix_outbox_payload_state_seq" not in indexes
