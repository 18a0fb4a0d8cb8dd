"""Decision details (issue 13): a refusal's ground, the rule behind it and the competent office, or the reason for
先行救助, on each decision; and ``applications.owed_by``, the date by which a 容缺受理 or 先行救助 case's owed
materials are due, with a partial index for the supervisor's list of overdue cases.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ground", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("basis", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("competent_office", sa.Text(), nullable=True))
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owed_by", sa.Date(), nullable=True))
    op.create_index(
        "ix_applications_owed_by",
        "applications",
        ["owed_by"],
        unique=False,
        sqlite_where=sa.text("owed_by IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_applications_owed_by", table_name="applications")
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_column("owed_by")
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.drop_column("competent_office")
        batch_op.drop_column("basis")
        batch_op.drop_column("ground")
