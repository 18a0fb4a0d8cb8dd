"""A store that stays small, continued (issue 16, docs/reliability.md "Pruning"; docs/performance.md "A store that
stays small (issue 16)"): the pruning finds its candidates through two small partial indexes over the rows that
still hold bytes, instead of walking every row each batch, and two indexes nothing reads are dropped, so each case
kept after its retention window costs fewer bytes.

- ``ix_documents_pdf_created_at``: documents that still hold a PDF, by the moment they were issued (the document
  pruning's candidates, oldest first).
- ``ix_outbox_payload_state_seq``: events that still hold a payload, by state and sequence (the payload pruning's
  candidates, and the count of old events the server has not acknowledged).
- ``ix_documents_application_id`` is dropped: the unique key (application_id, kind, seq) starts with the same
  column and serves every lookup by case (and the foreign key's, when the purge deletes a case).
- ``ix_audit_events_action`` is dropped: no query selects audit events by action alone; the one that names actions
  (the supervisor's 更正/作废, app/reports/summary.py) selects by ``entity_id`` first, which has its own index.

Indexes only: no row changes, the audit chain is untouched.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_documents_pdf_created_at", "documents", ["created_at"], sqlite_where=sa.text("pdf IS NOT NULL"))
    op.create_index(
        "ix_outbox_payload_state_seq", "outbox", ["state", "seq"], sqlite_where=sa.text("payload IS NOT NULL")
    )
    op.drop_index("ix_documents_application_id", table_name="documents")
    op.drop_index("ix_audit_events_action", table_name="audit_events")


def downgrade() -> None:
    op.create_index("ix_audit_events_action", "audit_events", ["action"])
    op.create_index("ix_documents_application_id", "documents", ["application_id"])
    op.drop_index("ix_outbox_payload_state_seq", table_name="outbox")
    op.drop_index("ix_documents_pdf_created_at", table_name="documents")
