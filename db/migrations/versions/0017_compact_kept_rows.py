"""A store that stays small, continued (issue 16; docs/performance.md "A store that stays small (issue 16)"): the
rows kept for good after their retention window take fewer bytes each.

- ``audit_events``: the chain's position ``seq`` becomes the row's key, SQLite's rowid itself (``INTEGER PRIMARY
  KEY``).  The random ``id`` nothing referred to goes, with the two indexes it and ``seq`` needed.  ``prev_hash``
  and ``hash`` are kept as their 32 bytes instead of 64 hex characters.  What each event's MAC covers is unchanged
  (the position, time, who, what and details, app/security/audit.py), so every existing link verifies as before.
- ``outbox`` and ``documents``: ``sha256`` as its 32 bytes.
- ``ix_outbox_event_type_created_at`` over every event becomes ``ix_outbox_changes_created_at`` over the 更正 and
  作废 events only, the only ones read by type and time (the supervisor's figures, app/reports/summary.py); the
  pruning finds a document's event through the case (``ix_outbox_application_id``).

The three tables are rebuilt (SQLite cannot change a column's type or a table's key in place) and their rows
copied in order, in the upgrade's one transaction (db/migrate.py).  A hash that is not hex (a row edited by hand)
is copied as the text it is, so the audit check still finds it, not a failed upgrade.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TO_BYTES = "coalesce(unhex({c}), {c})"  # not hex: kept as it is (module docstring)
TO_HEX = "CASE WHEN typeof({c}) = 'blob' THEN lower(hex({c})) ELSE {c} END"
CHANGE_EVENTS_WHERE = "event_type IN ('application.corrected', 'application.voided')"

AUDIT = """
CREATE TABLE audit_events_0017 (
    seq INTEGER NOT NULL,
    at DATETIME NOT NULL,
    user_id CHAR(32),
    workstation_code VARCHAR(3) NOT NULL,
    action VARCHAR(40) NOT NULL,
    entity_type VARCHAR(30) NOT NULL,
    entity_id VARCHAR(40),
    details JSON NOT NULL,
    prev_hash {digest} NOT NULL,
    hash {digest} NOT NULL,
    CONSTRAINT pk_audit_events PRIMARY KEY (seq),
    CONSTRAINT fk_audit_events_user_id_users FOREIGN KEY(user_id) REFERENCES users (id)
)"""

OUTBOX = """
CREATE TABLE outbox_0017 (
    id CHAR(32) NOT NULL,
    seq BIGINT NOT NULL,
    application_id CHAR(32),
    event_type VARCHAR(40) NOT NULL,
    schema_version INTEGER NOT NULL,
    payload BLOB,
    payload_pruned_at DATETIME,
    sha256 {digest} NOT NULL,
    created_at DATETIME NOT NULL,
    state VARCHAR(20) NOT NULL,
    attempts INTEGER NOT NULL,
    last_error TEXT,
    sent_at DATETIME,
    CONSTRAINT pk_outbox PRIMARY KEY (id),
    CONSTRAINT uq_outbox_seq UNIQUE (seq),
    CONSTRAINT fk_outbox_application_id_applications FOREIGN KEY(application_id) REFERENCES applications (id)
)"""

DOCUMENTS = """
CREATE TABLE documents_0017 (
    id CHAR(32) NOT NULL,
    application_id CHAR(32) NOT NULL,
    decision_id CHAR(32),
    issue_key VARCHAR(90) NOT NULL,
    kind VARCHAR(30) NOT NULL,
    seq INTEGER NOT NULL,
    number VARCHAR(60) NOT NULL,
    paper VARCHAR(20) NOT NULL,
    sha256 {digest} NOT NULL,
    size INTEGER NOT NULL,
    page_count INTEGER NOT NULL,
    pdf BLOB,
    pdf_pruned_at DATETIME,
    created_at DATETIME NOT NULL,
    created_by CHAR(32),
    superseded_at DATETIME,
    handed_out INTEGER NOT NULL,
    last_handed_out_at DATETIME,
    CONSTRAINT pk_documents PRIMARY KEY (id),
    CONSTRAINT fk_documents_application_id_applications FOREIGN KEY(application_id) REFERENCES applications (id),
    CONSTRAINT fk_documents_decision_id_decisions FOREIGN KEY(decision_id) REFERENCES decisions (id),
    CONSTRAINT fk_documents_created_by_users FOREIGN KEY(created_by) REFERENCES users (id),
    CONSTRAINT uq_documents_application_id_kind_seq UNIQUE (application_id, kind, seq),
    CONSTRAINT uq_documents_issue_key UNIQUE (issue_key)
)"""

AUDIT_INDEXES = ("CREATE INDEX ix_audit_events_entity_id ON audit_events (entity_id)",)
OUTBOX_INDEXES = (
    "CREATE INDEX ix_outbox_state_seq ON outbox (state, seq)",
    "CREATE INDEX ix_outbox_application_id ON outbox (application_id)",
    "CREATE INDEX ix_outbox_payload_state_seq ON outbox (state, seq) WHERE payload IS NOT NULL",
)
DOCUMENT_INDEXES = (
    "CREATE INDEX ix_documents_decision_id ON documents (decision_id)",
    "CREATE INDEX ix_documents_pdf_created_at ON documents (created_at) WHERE pdf IS NOT NULL",
)
AUDIT_COLUMNS = "seq, at, user_id, workstation_code, action, entity_type, entity_id, details"
OUTBOX_COLUMNS = (
    "id, seq, application_id, event_type, schema_version, payload, payload_pruned_at, created_at, state, attempts, "
    "last_error, sent_at"
)
DOCUMENT_COLUMNS = (
    "id, application_id, decision_id, issue_key, kind, seq, number, paper, size, page_count, pdf, pdf_pruned_at, "
    "created_at, created_by, superseded_at, handed_out, last_handed_out_at"
)


def _rebuild(table: str, create: str, columns: str, digests: Sequence[str], indexes: Sequence[str], *, to: str) -> None:
    """``table`` made again by ``create`` with its rows copied in order (``seq`` or rowid), each column of
    ``digests`` converted by ``to`` (``bytes``: hex text to its bytes, ``hex``: back), then its indexes."""
    convert = {"bytes": TO_BYTES, "hex": TO_HEX}[to]
    op.execute(create.format(digest="BLOB" if to == "bytes" else "VARCHAR(64)"))
    names = ", ".join((columns, *digests))
    values = ", ".join((columns, *(convert.format(c=c) for c in digests)))
    order = "seq" if table == "audit_events" else "rowid"
    op.execute(f"INSERT INTO {table}_0017 ({names}) SELECT {values} FROM {table} ORDER BY {order}")
    op.execute(f"DROP TABLE {table}")
    op.execute(f"ALTER TABLE {table}_0017 RENAME TO {table}")
    for index in indexes:
        op.execute(index)


def upgrade() -> None:
    _rebuild("audit_events", AUDIT, AUDIT_COLUMNS, ("prev_hash", "hash"), AUDIT_INDEXES, to="bytes")
    _rebuild(
        "outbox",
        OUTBOX,
        OUTBOX_COLUMNS,
        ("sha256",),
        (
            *OUTBOX_INDEXES,
            f"CREATE INDEX ix_outbox_changes_created_at ON outbox (created_at) WHERE {CHANGE_EVENTS_WHERE}",
        ),
        to="bytes",
    )
    _rebuild("documents", DOCUMENTS, DOCUMENT_COLUMNS, ("sha256",), DOCUMENT_INDEXES, to="bytes")


def downgrade() -> None:
    _rebuild("documents", DOCUMENTS, DOCUMENT_COLUMNS, ("sha256",), DOCUMENT_INDEXES, to="hex")
    _rebuild(
        "outbox",
        OUTBOX,
        OUTBOX_COLUMNS,
        ("sha256",),
        (*OUTBOX_INDEXES, "CREATE INDEX ix_outbox_event_type_created_at ON outbox (event_type, created_at)"),
        to="hex",
    )
    # The random ids the events had are gone: each gets a new one (nothing refers to them).
    op.execute(
        AUDIT.replace("seq INTEGER NOT NULL,", "id CHAR(32) NOT NULL,\n    seq BIGINT NOT NULL,")
        .replace("PRIMARY KEY (seq)", "PRIMARY KEY (id),\n    CONSTRAINT uq_audit_events_seq UNIQUE (seq)")
        .format(digest="VARCHAR(64)")
    )
    hexed = ", ".join(TO_HEX.format(c=c) for c in ("prev_hash", "hash"))
    op.execute(
        f"INSERT INTO audit_events_0017 (id, {AUDIT_COLUMNS}, prev_hash, hash) "
        f"SELECT lower(hex(randomblob(16))), {AUDIT_COLUMNS}, {hexed} FROM audit_events ORDER BY seq"
    )
    op.execute("DROP TABLE audit_events")
    op.execute("ALTER TABLE audit_events_0017 RENAME TO audit_events")
    for index in AUDIT_INDEXES:
        op.execute(index)
