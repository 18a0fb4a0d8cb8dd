"""What stays of an application purged after the retention period (docs/privacy.md, app/retention.py):
``purged_applications`` holds its numbers, item, decision and dates, never personal data.  ``documents.decision_id``
gets an index: deleting a decision checks the documents that name it (the foreign key), which without one reads every
stored document's row.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "purged_applications",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("acceptance_no", sa.String(length=40), nullable=False),
        sa.Column("item_code", sa.String(length=40), nullable=False),
        sa.Column("state", sa.String(length=30), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("notice_no", sa.String(length=60), nullable=True),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.Column("last_change_at", sa.DateTime(), nullable=False),
        sa.Column("purged_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_purged_applications")),
        sa.UniqueConstraint("acceptance_no", name=op.f("uq_purged_applications_acceptance_no")),
    )
    op.create_index("ix_purged_applications_received_at", "purged_applications", ["received_at"], unique=False)
    op.create_index(op.f("ix_documents_decision_id"), "documents", ["decision_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_documents_decision_id"), table_name="documents")
    op.drop_index("ix_purged_applications_received_at", table_name="purged_applications")
    op.drop_table("purged_applications")
